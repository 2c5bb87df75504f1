//! The API over real HTTP: a server started in-process on port 0 over a
//! temporary SQLite file, driven with reqwest.

use std::sync::atomic::{AtomicUsize, Ordering};

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use switchboard_model::Timestamp;
use switchboard_model::catalog::Catalog;
use switchboard_server::{AppState, Settings};
use switchboard_store::{ApiKey, Store};

mod api;
mod openapi;
mod rejections;
mod seeds;
mod sessions;

const CATALOG: &str = include_str!("../examples/catalog.json");
const GITHUB_DEPLOYMENT: &str = "pde_GhCloud1aBcDeFgH";
const GITHUB_AUTH: &str = "pac_GhOauth8hJkLmNp";
const LINEAR_CONFIG: &str = "pcf_LnDefault6fGhJ";
const SLACK_CONFIG: &str = "pcf_SlDefault4dEfG";

/// A running server with two instances' keys; stopped and its database
/// removed when dropped.
struct Server {
    base: String,
    key: String,
    other_key: String,
    client: reqwest::Client,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    task: Option<tokio::task::JoinHandle<()>>,
    db: std::path::PathBuf,
}

fn now() -> Timestamp {
    "2026-06-01T00:00:00.000Z".parse().unwrap()
}

impl Server {
    async fn start() -> Server {
        Server::start_with(Settings::default()).await
    }

    async fn start_with(settings: Settings) -> Server {
        static N: AtomicUsize = AtomicUsize::new(0);
        let db = std::env::temp_dir().join(format!(
            "switchboard-test-{}-{}.db",
            std::process::id(),
            N.fetch_add(1, Ordering::Relaxed)
        ));
        let store = Store::open(&format!("sqlite://{}", db.display())).await.unwrap();
        let (a, b) = (
            store.ensure_instance("acme", now()).await.unwrap(),
            store.ensure_instance("globex", now()).await.unwrap(),
        );
        let (key, other_key) = (ApiKey::from_random([1; 32]), ApiKey::from_random([2; 32]));
        store.add_key(&a, &key, now()).await.unwrap();
        store.add_key(&b, &other_key, now()).await.unwrap();
        let state = AppState::new(store, settings).await.unwrap();
        let catalog: Catalog = switchboard_model::decode::from_str(CATALOG).unwrap();
        state.load_catalog(catalog).await.unwrap();
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let task = tokio::spawn(async move {
            switchboard_server::serve(listener, state, async {
                let _ = stopped.await;
            })
            .await
            .unwrap();
        });
        Server {
            base,
            key: key.secret().to_owned(),
            other_key: other_key.secret().to_owned(),
            client: reqwest::Client::new(),
            stop: Some(stop),
            task: Some(task),
            db,
        }
    }

    /// Sends a request as the first instance; returns status and JSON body.
    async fn call(&self, method: Method, path: &str, body: Option<Value>) -> (StatusCode, Value) {
        self.call_as(&self.key, method, path, body).await
    }

    async fn call_as(
        &self,
        key: &str,
        method: Method,
        path: &str,
        body: Option<Value>,
    ) -> (StatusCode, Value) {
        let mut req = self
            .client
            .request(method, format!("{}{path}", self.base))
            .bearer_auth(key);
        if let Some(b) = body {
            req = req.json(&b);
        }
        let res = req.send().await.unwrap();
        let status = res.status();
        let content_type = res
            .headers()
            .get("content-type")
            .map(|v| v.to_str().unwrap().to_owned());
        assert_eq!(content_type.as_deref(), Some("application/json"), "{path}");
        (status, res.json().await.unwrap())
    }

    async fn create_template(&self, name: &str, providers: Value) -> Value {
        let (status, body) = self
            .call(
                Method::POST,
                "/session-templates",
                Some(json!({"name": name, "providers": providers})),
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{body}");
        body
    }

    async fn stop(mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(task) = self.task.take() {
            task.await.unwrap();
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        for suffix in ["", "-wal", "-shm"] {
            let mut p = self.db.clone().into_os_string();
            p.push(suffix);
            let _ = std::fs::remove_file(p);
        }
    }
}

fn ids(list: &Value) -> Vec<String> {
    list["items"]
        .as_array()
        .unwrap_or_else(|| panic!("not a list: {list}"))
        .iter()
        .map(|i| i["id"].as_str().unwrap().to_owned())
        .collect()
}
