//! The API over real HTTP: a server started in-process on port 0 over a
//! temporary SQLite file, driven with reqwest.

use std::sync::atomic::{AtomicUsize, Ordering};

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use switchboard_model::Timestamp;
use switchboard_model::catalog::Catalog;
use switchboard_server::{AppState, Settings};
use switchboard_store::{ApiKey, Options, Store};

mod api;
mod browser;
mod contract;
mod faults;
mod hosted;
mod hostile;
mod idempotency;
mod model;
mod openapi;
mod ops;
mod promises;
mod rejections;
mod replicas;
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
    state: AppState,
    /// Requests the server has answered.
    requests: std::sync::Arc<AtomicUsize>,
}

/// A clock a test moves by hand: every request reads it.
#[derive(Clone)]
struct TestClock(std::sync::Arc<std::sync::atomic::AtomicI64>);

impl TestClock {
    fn at(t: &str) -> TestClock {
        let t: Timestamp = t.parse().unwrap();
        TestClock(std::sync::Arc::new(t.as_millis().into()))
    }

    fn advance_millis(&self, millis: i64) {
        self.0.fetch_add(millis, Ordering::SeqCst);
    }

    fn clock(&self) -> switchboard_server::Clock {
        let t = self.0.clone();
        switchboard_server::Clock::from_fn(move || Timestamp::from_millis(t.load(Ordering::SeqCst)).unwrap())
    }

    fn settings(&self) -> Settings {
        Settings {
            clock: self.clock(),
            ..Settings::default()
        }
    }
}

fn now() -> Timestamp {
    "2026-06-01T00:00:00.000Z".parse().unwrap()
}

impl Server {
    async fn start() -> Server {
        Server::start_with(Settings::default()).await
    }

    async fn start_with(settings: Settings) -> Server {
        Server::start_full(settings, false, axum::Router::new()).await
    }

    /// A server over `sqlite::memory:` (as `serve --demo` runs), or over a
    /// temporary file; `extra` routes go under the API's layers.
    async fn start_full(settings: Settings, memory: bool, extra: axum::Router<AppState>) -> Server {
        Server::start_at(None, &Options::default(), settings, memory, extra).await
    }

    /// A server over the database at `url` (a replica: other servers may
    /// run over it too), with the two instances' keys.
    async fn start_on(url: &str, settings: Settings) -> Server {
        Server::start_on_with(url, &Options::default(), settings).await
    }

    /// [`Server::start_on`] with the store opened with `options`.
    async fn start_on_with(url: &str, options: &Options, settings: Settings) -> Server {
        Server::start_at(Some(url), options, settings, false, axum::Router::new()).await
    }

    async fn start_at(
        given: Option<&str>,
        options: &Options,
        mut settings: Settings,
        memory: bool,
        extra: axum::Router<AppState>,
    ) -> Server {
        static N: AtomicUsize = AtomicUsize::new(0);
        let db = std::env::temp_dir().join(format!(
            "switchboard-test-{}-{}.db",
            std::process::id(),
            N.fetch_add(1, Ordering::Relaxed)
        ));
        let url = match given {
            Some(url) => url.to_owned(),
            None if memory => "sqlite::memory:".to_owned(),
            None => format!("sqlite://{}", db.display()),
        };
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        // Page links and the OAuth callback point at this server.
        settings.public_url.clone_from(&base);
        let store = Store::open_with(&url, options).await.unwrap();
        let (a, b) = (
            store.ensure_instance("acme", now()).await.unwrap(),
            store.ensure_instance("globex", now()).await.unwrap(),
        );
        let (key, other_key) = (ApiKey::from_random([1; 32]), ApiKey::from_random([2; 32]));
        for (tenant, key) in [(&a, &key), (&b, &other_key)] {
            // A replica finds the keys the first server stored.
            if store.tenant_by_key(key.secret()).await.unwrap().is_none() {
                store.add_key(tenant, key, now()).await.unwrap();
            }
        }
        let state = AppState::new(store, settings).await.unwrap();
        let catalog: Catalog = switchboard_model::decode::from_str(CATALOG).unwrap();
        state.load_catalog(catalog).await.unwrap();
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let served = state.clone();
        let requests = std::sync::Arc::new(AtomicUsize::new(0));
        let counted = requests.clone();
        let count =
            axum::middleware::from_fn(move |req: axum::extract::Request, next: axum::middleware::Next| {
                counted.fetch_add(1, Ordering::Relaxed);
                next.run(req)
            });
        let task = tokio::spawn(async move {
            let shutdown = async {
                let _ = stopped.await;
            };
            switchboard_server::serve_router(
                listener,
                switchboard_server::router_with(served.clone(), extra).layer(count),
                &served,
                shutdown,
            )
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
            state,
            requests,
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

    /// The keys of `GET /session-templates/{id}/tools`, in order.
    async fn tool_keys(&self, template: &str) -> Vec<String> {
        let (status, tools) = self
            .call(Method::GET, &format!("/session-templates/{template}/tools"), None)
            .await;
        assert_eq!(status, StatusCode::OK, "{tools}");
        tools["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|t| t["key"].as_str().unwrap().to_owned())
            .collect()
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

/// A POST with a raw body (and an `Idempotency-Key` when given), as the first instance.
async fn post_raw(s: &Server, path: &str, key: Option<&str>, body: Vec<u8>) -> reqwest::Response {
    let mut req = s
        .client
        .post(format!("{}{path}", s.base))
        .header("content-type", "application/json")
        .body(body);
    if let Some(k) = key {
        req = req.header("idempotency-key", k);
    }
    req.bearer_auth(&s.key).send().await.unwrap()
}

/// A second store on the server's database file: a writer the server does
/// not know about.
async fn behind_the_back(s: &Server) -> (Store, switchboard_store::Tenant) {
    let store = Store::open(&format!("sqlite://{}", s.db.display()))
        .await
        .unwrap();
    let acme = store.ensure_instance("acme", now()).await.unwrap();
    (store, acme)
}
