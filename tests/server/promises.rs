//! The server's operational promises, each held by a test that fails when
//! the promise breaks: keys as hashes, limits, panics, logs, idempotency,
//! compare-and-swap over HTTP, the caches' bounds.

use std::io::Write;
use std::sync::{Arc, Mutex};

use axum::routing::get;
use reqwest::{Method, StatusCode};

use super::*;

/// Log lines written while a test's guard lives (the test's runtime runs
/// the server's tasks on the test's own thread).
#[derive(Clone, Default)]
struct Logs(Arc<Mutex<Vec<u8>>>);

impl Write for Logs {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl Logs {
    fn capture() -> (Logs, tracing::subscriber::DefaultGuard) {
        let logs = Logs::default();
        let writer = logs.clone();
        let subscriber = tracing_subscriber::fmt()
            .with_max_level(tracing::Level::DEBUG)
            .with_ansi(false)
            .with_writer(move || writer.clone())
            .finish();
        (logs, tracing::subscriber::set_default(subscriber))
    }

    fn text(&self) -> String {
        String::from_utf8_lossy(&self.0.lock().unwrap()).into_owned()
    }
}

#[tokio::test]
async fn keys_are_stored_only_as_hashes() {
    let s = Server::start().await;
    s.create_template("t", json!([])).await;
    let mut bytes = Vec::new();
    for suffix in ["", "-wal"] {
        let mut p = s.db.clone().into_os_string();
        p.push(suffix);
        bytes.extend(std::fs::read(&p).unwrap_or_default());
    }
    let contains = |needle: &str| bytes.windows(needle.len()).any(|w| w == needle.as_bytes());
    assert!(
        contains(&ApiKey::hash_of(&s.key)),
        "the scan finds what the database holds"
    );
    assert!(!contains(&s.key), "the plaintext key is not in the database");
    assert!(!contains(&s.key["metorial_sk_".len()..]), "nor its random part");
    s.stop().await;
}

#[tokio::test]
async fn an_over_long_authorization_header_is_401() {
    let s = Server::start().await;
    let long = format!("metorial_sk_{}", "a".repeat(245));
    assert_eq!(long.len(), 257);
    let (status, body) = s.call_as(&long, Method::GET, "/session-templates", None).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    insta::assert_snapshot!(body["message"].as_str().unwrap(), @"the `Authorization` header is not `Bearer <secret key>` with a key of 1 to 256 characters");
    s.stop().await;
}

#[tokio::test]
async fn a_panicking_handler_answers_500_with_the_cause_logged_not_sent() {
    let (logs, _guard) = Logs::capture();
    let extra = axum::Router::new().route(
        "/boom",
        get(|| async {
            let code = std::hint::black_box(4711);
            if code > 0 {
                panic!("the cause: code {code}");
            }
            "unreachable"
        }),
    );
    let s = Server::start_full(Settings::default(), false, extra).await;
    let res = s.client.get(format!("{}/boom", s.base)).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::INTERNAL_SERVER_ERROR);
    let body = res.text().await.unwrap();
    assert!(!body.contains("4711"), "{body}");
    let body: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(body["code"], "internal_server_error");
    assert!(
        logs.text().contains("a handler panicked: the cause: code 4711"),
        "{}",
        logs.text()
    );
    s.stop().await;
}

#[tokio::test]
async fn invalid_json_names_the_path_where_parsing_stopped() {
    let s = Server::start().await;
    let res = post_raw(
        &s,
        "/session-templates",
        None,
        br#"{"name": "x", "metadata": {"team": ["a", "b",]}}"#.to_vec(),
    )
    .await;
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);
    let body: Value = res.json().await.unwrap();
    insta::assert_json_snapshot!(body["errors"], @r#"
    [
      {
        "code": "invalid_json",
        "message": "trailing comma at line 1 column 46",
        "path": [
          "metadata",
          "team"
        ]
      }
    ]
    "#);
    s.stop().await;
}

#[tokio::test]
async fn exactly_one_mib_is_accepted_and_one_byte_more_is_413() {
    let s = Server::start().await;
    let padded = |n: usize| {
        let mut b = br#"{"name": "padded"}"#.to_vec();
        b.resize(n, b' ');
        b
    };
    let res = post_raw(&s, "/session-templates", None, padded(1024 * 1024)).await;
    assert_eq!(res.status(), StatusCode::OK);
    let res = post_raw(&s, "/session-templates", None, padded(1024 * 1024 + 1)).await;
    assert_eq!(res.status(), StatusCode::PAYLOAD_TOO_LARGE);
    let body: Value = res.json().await.unwrap();
    assert_eq!(body["code"], "payload_too_large");
    s.stop().await;
}

#[tokio::test]
async fn deleted_objects_are_never_listed() {
    let s = Server::start().await;
    let (store, acme) = behind_the_back(&s).await;
    let mut t: switchboard_model::SessionTemplate =
        serde_json::from_value(s.create_template("gone", json!([])).await).unwrap();
    let read = t.clone();
    t.status = switchboard_model::enums::SessionTemplateStatus::Deleted;
    store.update_template(&acme, &t, &read, &[]).await.unwrap();
    for query in [
        "",
        "?status=active",
        "?status=archived",
        "?status[]=active&status[]=archived",
    ] {
        let (status, list) = s
            .call(Method::GET, &format!("/session-templates{query}"), None)
            .await;
        assert_eq!(status, StatusCode::OK, "{query}: {list}");
        assert_eq!(ids(&list), Vec::<String>::new(), "{query}");
    }
    let (status, _) = s
        .call(Method::GET, "/session-templates?status=deleted", None)
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "deleted is no list status");
    s.stop().await;
}

#[tokio::test]
async fn a_write_over_an_object_changed_elsewhere_is_409() {
    let s = Server::start().await;
    let t = s
        .create_template("t", json!([{"provider_config_id": LINEAR_CONFIG}]))
        .await;
    let tid = t["id"].as_str().unwrap();
    let pid = t["providers"][0]["id"].as_str().unwrap();
    // The server has read (and cached) both.
    s.call(Method::GET, &format!("/session-templates/{tid}"), None)
        .await;
    let (store, acme) = behind_the_back(&s).await;
    let mut changed: switchboard_model::SessionTemplate = serde_json::from_value(t.clone()).unwrap();
    let read = changed.clone();
    changed.name = "changed elsewhere".to_owned();
    store.update_template(&acme, &changed, &read, &[]).await.unwrap();
    let (status, body) = s
        .call(
            Method::PATCH,
            &format!("/session-templates/{tid}"),
            Some(json!({"name": "mine"})),
        )
        .await;
    assert_eq!(
        (status, body["code"].as_str()),
        (StatusCode::CONFLICT, Some("conflict")),
        "{body}"
    );

    let p: switchboard_model::SessionTemplateProvider =
        serde_json::from_value(t["providers"][0].clone()).unwrap();
    let mut archived = p.clone();
    archived.archive(now());
    let (status, got) = s
        .call(Method::GET, &format!("/session-template-providers/{pid}"), None)
        .await;
    assert_eq!(status, StatusCode::OK, "{got}");
    // Archived elsewhere: a PATCH is `gone` and never revives it (the
    // store's tests hold the race between a read and a write).
    store
        .update_template_provider(&acme, &archived, &p)
        .await
        .unwrap();
    let (status, body) = s
        .call(
            Method::PATCH,
            &format!("/session-template-providers/{pid}"),
            Some(json!({"tool_filters": {"tool_keys": ["list_issues"]}})),
        )
        .await;
    assert_eq!(status, StatusCode::GONE, "{body}");
    let (_, got) = s
        .call(Method::GET, &format!("/session-template-providers/{pid}"), None)
        .await;
    assert_eq!(got["status"], "archived");
    s.stop().await;
}

#[tokio::test]
async fn rate_limit_zero_turns_it_off_and_headers_are_on_every_answer() {
    let s = Server::start_with(Settings {
        rate_limit: Some(0),
        ..Settings::default()
    })
    .await;
    for _ in 0..30 {
        let res = s.client.get(format!("{}/no-route", s.base)).send().await.unwrap();
        assert_eq!(res.status(), StatusCode::NOT_FOUND);
        assert!(res.headers().get("ratelimit-limit").is_none());
    }
    s.stop().await;
    let s = Server::start_with(Settings {
        rate_limit: Some(2),
        ..Settings::default()
    })
    .await;
    let answers = [
        s.client
            .get(format!("{}/no-route", s.base))
            .bearer_auth(&s.key)
            .send()
            .await
            .unwrap(),
        s.client
            .get(format!("{}/session-templates", s.base))
            .send()
            .await
            .unwrap(),
        s.client
            .get(format!("{}/session-templates", s.base))
            .send()
            .await
            .unwrap(),
    ];
    let seen: Vec<(u16, String, Option<String>)> = answers
        .iter()
        .map(|r| {
            (
                r.status().as_u16(),
                r.headers()["ratelimit-remaining"].to_str().unwrap().to_owned(),
                r.headers()
                    .get("retry-after")
                    .map(|v| v.to_str().unwrap().to_owned()),
            )
        })
        .collect();
    assert_eq!(
        seen,
        vec![
            (404, "1".to_owned(), None),
            (401, "0".to_owned(), None),
            (429, "0".to_owned(), Some("30".to_owned())),
        ]
    );
    s.stop().await;
}

#[tokio::test]
async fn the_caches_stay_within_their_bounds() {
    let s = Server::start_with(Settings {
        template_cache_entries: 3,
        tools_cache_entries: 2,
        ..Settings::default()
    })
    .await;
    for i in 0..6 {
        let t = s
            .create_template(&format!("t{i}"), json!([{"provider_config_id": LINEAR_CONFIG}]))
            .await;
        let id = t["id"].as_str().unwrap();
        s.call(Method::GET, &format!("/session-templates/{id}"), None)
            .await;
        s.call(Method::GET, &format!("/session-templates/{id}/tools"), None)
            .await;
        let usage = s.state.cache_usage();
        assert_eq!(
            (usage.templates, usage.tools),
            ((i + 1).min(3), (i + 1).min(2)),
            "after {} templates",
            i + 1
        );
    }
    s.stop().await;
    let s = Server::start_with(Settings {
        tools_cache_bytes: 64,
        ..Settings::default()
    })
    .await;
    let t = s
        .create_template("t", json!([{"provider_config_id": LINEAR_CONFIG}]))
        .await;
    let id = t["id"].as_str().unwrap();
    let (status, _) = s
        .call(Method::GET, &format!("/session-templates/{id}/tools"), None)
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        s.state.cache_usage().tools,
        0,
        "an answer over the byte budget is not kept"
    );
    s.stop().await;
}

#[tokio::test]
async fn a_catalog_reload_forgets_the_tools_answers() {
    let s = Server::start().await;
    let t = s
        .create_template("t", json!([{"provider_config_id": LINEAR_CONFIG}]))
        .await;
    let keys = async || s.tool_keys(t["id"].as_str().unwrap()).await;
    let before = keys().await;
    let gone = before.first().expect("Linear lists tools").clone();
    let mut catalog: Value = serde_json::from_str(CATALOG).unwrap();
    let mut removed = 0;
    for version in catalog["provider_versions"].as_array_mut().unwrap() {
        if let Some(tools) = version["tools"].as_array_mut() {
            let n = tools.len();
            tools.retain(|t| t["tool"]["key"] != gone.as_str());
            removed += n - tools.len();
        }
    }
    assert!(removed > 0, "the catalog lists {gone}");
    s.state
        .load_catalog(serde_json::from_value(catalog).unwrap())
        .await
        .unwrap();
    let after = keys().await;
    assert!(!after.contains(&gone), "{after:?}");
    assert_eq!(after.len(), before.len() - 1);
    s.stop().await;
}

#[tokio::test]
async fn request_logs_never_carry_a_key_a_query_or_a_body() {
    let (logs, _guard) = Logs::capture();
    let s = Server::start().await;
    let secret_name = "body-text-7f3a";
    s.create_template(secret_name, json!([])).await;
    s.call(Method::GET, "/session-templates?id=stm_QueryText9x8y", None)
        .await;
    s.call_as("metorial_sk_junkkeytext", Method::GET, "/session-templates", None)
        .await;
    let text = logs.text();
    assert!(text.contains("request"), "the requests were logged: {text}");
    for secret in [
        s.key.as_str(),
        "metorial_sk_junkkeytext",
        secret_name,
        "QueryText9x8y",
        "limit=",
    ] {
        assert!(!text.contains(secret), "{secret} is in the log:\n{text}");
    }
    s.stop().await;
}

#[test]
fn a_key_is_kept_as_the_lowercase_hex_of_its_sha256() {
    // FIPS 180-2's example: SHA-256("abc").
    assert_eq!(
        switchboard_store::ApiKey::hash_of("abc"),
        "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
    );
}
