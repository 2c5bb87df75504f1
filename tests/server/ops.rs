//! Operations routes: `/healthz`, `/readyz`, `/metrics`, with no API key.

use reqwest::StatusCode;

use super::Server;

#[tokio::test]
async fn health_readiness_and_metrics_need_no_key_and_show_none() {
    let server = Server::start().await;
    let c = reqwest::Client::new();
    let health = c.get(format!("{}/healthz", server.base)).send().await.unwrap();
    assert_eq!(health.status(), StatusCode::OK);
    assert_eq!(health.text().await.unwrap(), r#"{"status":"ok"}"#);
    let ready = c.get(format!("{}/readyz", server.base)).send().await.unwrap();
    assert_eq!(ready.status(), StatusCode::OK);
    assert_eq!(ready.text().await.unwrap(), r#"{"status":"ready"}"#);
    // A request with a key, and one without, then the scrape.
    let (status, _) = server
        .call(reqwest::Method::GET, "/session-templates", None)
        .await;
    assert_eq!(status, StatusCode::OK);
    let _ = c
        .get(format!("{}/session-templates/stm_missing", server.base))
        .send()
        .await
        .unwrap();
    let scrape = c.get(format!("{}/metrics", server.base)).send().await.unwrap();
    assert_eq!(scrape.status(), StatusCode::OK);
    assert!(
        scrape.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("application/openmetrics-text"),
        "{:?}",
        scrape.headers()
    );
    let text = scrape.text().await.unwrap();
    for line in [
        r#"switchboard_http_requests_total{method="GET",route="/session-templates",status="200"} 1"#,
        r#"switchboard_http_requests_total{method="GET",route="/session-templates/{id}",status="401"} 1"#,
        r#"switchboard_http_requests_total{method="GET",route="/healthz",status="200"} 1"#,
        "# TYPE switchboard_http_request_duration_seconds histogram",
        "switchboard_db_pool_connections ",
        "switchboard_db_errors_total ",
    ] {
        assert!(text.contains(line), "no `{line}` in:\n{text}");
    }
    assert!(
        !text.contains(&server.key) && !text.contains("stm_missing"),
        "no key, no path"
    );
}

#[tokio::test]
async fn a_database_that_does_not_answer_is_503_and_not_ready() {
    let server = Server::start().await;
    server.state.store().close().await;
    let c = reqwest::Client::new();
    let ready = c.get(format!("{}/readyz", server.base)).send().await.unwrap();
    assert_eq!(ready.status(), StatusCode::SERVICE_UNAVAILABLE);
    let body: serde_json::Value = ready.json().await.unwrap();
    assert_eq!(body["code"], "service_unavailable", "{body}");
    let (status, body) = server
        .call(reqwest::Method::GET, "/session-templates", None)
        .await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE, "{body}");
    assert_eq!(body["code"], "service_unavailable");
    // The process still runs.
    let health = c.get(format!("{}/healthz", server.base)).send().await.unwrap();
    assert_eq!(health.status(), StatusCode::OK);
}
