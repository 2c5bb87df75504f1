//! Integration setup sessions over HTTP.

use reqwest::{Method, StatusCode};
use serde_json::json;

use super::*;

#[tokio::test]
async fn a_setup_session_is_created_read_and_listed() {
    let s = Server::start().await;
    let body = json!({"integration_id": "int_DevTools2mNpQrStU", "name": "Acme onboarding",
        "metadata": {"customer": "acme"}, "private_metadata": {"crm_token": "s3cr3t-value"},
        "expires_at": "2099-01-01T00:00:00.000Z", "redirect_url": "https://acme.example/done",
        "configuration": {"provider_search": {"groups": {"group_id": "pgr_1"}}, "tool_filters": {"enabled": true}}});
    let (status, session) = s
        .call(Method::POST, "/integration-setup-sessions", Some(body))
        .await;
    assert_eq!(status, StatusCode::OK, "{session}");
    let text = session.to_string();
    assert!(
        !text.contains("s3cr3t-value") && !text.contains("private_metadata"),
        "{text}"
    );
    let id = session["id"].as_str().unwrap();
    assert!(id.starts_with("iss_"));
    assert_eq!(session["status"], "pending");
    assert_eq!(session["expires_at"], "2099-01-01T00:00:00.000Z");
    // One step per integration provider, each with its child started.
    let steps = session["steps"].as_array().unwrap();
    assert_eq!(steps.len(), 2);
    assert!(steps.iter().all(|st| {
        st["provider_setup_session_id"]
            .as_str()
            .unwrap()
            .starts_with("pas_")
    }));
    // The hosted page link carries a derived client secret.
    let url = session["url"].as_str().unwrap();
    assert!(
        url.contains(&format!("/integration-setup-session/{id}?client_secret=")),
        "{url}"
    );
    assert!(steps[0]["url"].as_str().unwrap().contains("/steps/isst_"));
    // Normalised configuration: arrays, and tool filters as the integration allows.
    assert_eq!(
        session["configuration"]["provider_search"]["groups"],
        json!([{"group_id": "pgr_1"}])
    );
    assert_eq!(
        session["configuration"]["provider_search"]["collections"],
        json!([])
    );
    assert_eq!(session["configuration"]["tool_filters"]["enabled"], true);
    assert_eq!(session["integration_instance"]["status"], "draft");
    assert!(session["integration_instance"]["providers"].is_array());

    let (status, got) = s
        .call(Method::GET, &format!("/integration-setup-sessions/{id}"), None)
        .await;
    assert_eq!((status, &got), (StatusCode::OK, &session));
    let (_, list) = s
        .call(
            Method::GET,
            "/integration-setup-sessions?status=pending&integration_id=int_DevTools2mNpQrStU",
            None,
        )
        .await;
    assert_eq!(ids(&list), vec![id.to_owned()]);
    let (_, list) = s
        .call(
            Method::GET,
            "/integration-setup-sessions?status[]=successful&status[]=expired",
            None,
        )
        .await;
    assert_eq!(ids(&list), Vec::<String>::new());
    let (status, other) = s
        .call_as(
            &s.other_key,
            Method::GET,
            &format!("/integration-setup-sessions/{id}"),
            None,
        )
        .await;
    assert_eq!(
        (status, other["entity"].as_str()),
        (StatusCode::NOT_FOUND, Some("integration.setup_session"))
    );
    s.stop().await;
}

#[tokio::test]
async fn setup_session_bodies_are_checked() {
    let s = Server::start().await;
    let post = |body: serde_json::Value| s.call(Method::POST, "/integration-setup-sessions", Some(body));
    let (status, body) = post(json!({"integration_id": "int_Unknown1", "name": "x"})).await;
    assert_eq!(
        (status, body["entity"].as_str()),
        (StatusCode::NOT_FOUND, Some("integration"))
    );
    let (status, body) = post(json!({"integration_id": "int_TeamChat5qRsTuVwX", "name": "x",
                                     "expires_at": "2001-01-01T00:00:00.000Z"}))
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(body["errors"][0]["path"], json!(["expires_at"]));
    let (status, body) = post(json!({"integration_id": "int_TeamChat5qRsTuVwX", "name": "  "})).await;
    assert_eq!(
        (status, body["errors"][0]["path"].clone()),
        (StatusCode::BAD_REQUEST, json!(["name"]))
    );
    // The integration does not allow custom tool filters: asked for, not granted.
    let (status, body) = post(json!({"integration_id": "int_TeamChat5qRsTuVwX", "name": "x",
                                     "configuration": {"tool_filters": {"enabled": true}}}))
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body["configuration"]["tool_filters"]["enabled"], false);
    s.stop().await;
}

#[tokio::test]
async fn a_session_reads_expired_once_its_time_has_passed() {
    // The server reads a clock the test moves: no wall-clock margin.
    let clock = TestClock::at("2026-06-01T00:00:00.000Z");
    let s = Server::start_with(clock.settings()).await;
    let (status, session) = s
        .call(
            Method::POST,
            "/integration-setup-sessions",
            Some(json!({"integration_id": "int_TeamChat5qRsTuVwX", "name": "short",
                        "expires_at": "2026-06-01T00:00:01.500Z"})),
        )
        .await;
    assert_eq!(
        (status, session["status"].as_str()),
        (StatusCode::OK, Some("pending"))
    );
    let id = session["id"].as_str().unwrap();
    clock.advance_millis(1_499);
    let (_, got) = s
        .call(Method::GET, &format!("/integration-setup-sessions/{id}"), None)
        .await;
    assert_eq!(got["status"], "pending", "a millisecond before the expiry");
    clock.advance_millis(1);
    let (_, got) = s
        .call(Method::GET, &format!("/integration-setup-sessions/{id}"), None)
        .await;
    assert_eq!(got["status"], "expired", "at the expiry");
    assert!(
        got["steps"]
            .as_array()
            .unwrap()
            .iter()
            .all(|st| st["status"] == "expired")
    );
    let (_, expired) = s
        .call(Method::GET, "/integration-setup-sessions?status=expired", None)
        .await;
    assert_eq!(ids(&expired), vec![id.to_owned()]);
    let (_, pending) = s
        .call(Method::GET, "/integration-setup-sessions?status=pending", None)
        .await;
    assert_eq!(ids(&pending), Vec::<String>::new());
    s.stop().await;
}
