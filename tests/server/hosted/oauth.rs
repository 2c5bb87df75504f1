//! The OAuth step and expiry on the hosted pages.

use reqwest::{Method, StatusCode};
use serde_json::json;

use super::super::TestClock;
use super::{
    Browser, LINEAR_KEY, Server, auth_configs_made, connect_linear, open_step, path_of, server_with_provider,
    session,
};
use crate::oauth_provider::GRANTED;

#[tokio::test]
async fn oauth_with_pkce_records_the_granted_scopes_and_completes_the_session() {
    let (server, provider) = server_with_provider().await;
    let s = session(
        &server,
        json!({"configuration": {"tool_filters": {"enabled": true}}}),
    )
    .await;
    let b = Browser::new(&server.base);
    let github = open_step(&b, &s, 0).await;
    let to_provider = b.submit(&github, "oauth", &[]).await;
    assert_eq!(to_provider.status, StatusCode::SEE_OTHER);
    let authorize = to_provider.location().to_owned();
    assert!(
        authorize.starts_with(&format!("{}/authorize?", provider.base)),
        "{authorize}"
    );
    assert!(authorize.contains("code_challenge_method=S256") && authorize.contains("response_type=code"));
    let page = b.get(&authorize).await;
    let callback = page.link("allow");
    let back = b.get(&callback).await;
    assert_eq!(back.status, StatusCode::SEE_OTHER, "{}", back.body);
    assert_eq!(provider.seen.lock().unwrap().exchanges, 1);
    assert_eq!(
        provider.seen.lock().unwrap().last_scope,
        "repo public_repo delete_repo"
    );
    // Config, then the tools: granted `repo` only, so deleting repositories is out.
    let config = b.get(back.location()).await;
    let tools = b
        .get(
            b.submit(&config, "config", &[("existing", "pcf_GhDefault2bCdE")])
                .await
                .location(),
        )
        .await;
    assert!(
        tools.body.contains("value=\"delete_repository\" disabled"),
        "{}",
        tools.body
    );
    assert!(tools.body.contains("Denied: missing scopes delete_repo"));
    let done = b
        .submit(
            &tools,
            "tools",
            &[
                ("tool", "list_repositories"),
                ("tool", "get_repository"),
                ("tool", "list_issues"),
            ],
        )
        .await;
    assert_eq!(done.status, StatusCode::SEE_OTHER);
    // Linear next; then the redirect carries the session id and status, keeping the query.
    let linear = connect_linear(&b, &s).await;
    let tools = b.get(linear.location()).await;
    let last = b.submit(&tools, "tools", &[("tool", "list_issues")]).await;
    // The overview, which sends the browser on to the caller with the
    // session id and status added to the query it had.
    let to = last.location();
    assert!(to.ends_with("&finished=1"), "{to}");
    let id = s["id"].as_str().unwrap();
    let done = b.get(to).await;
    let expected =
        format!("https://app.example.com/done?from=test&#38;setup_session_id={id}&#38;status=successful");
    assert!(
        done.body.contains(&format!(
            "<meta http-equiv=\"refresh\" content=\"1;url={expected}\">"
        )),
        "{}",
        done.body
    );
    // Opened again later, it says so without sending anyone away.
    let later = b.get(&path_of(s["url"].as_str().unwrap())).await;
    assert!(!later.body.contains("http-equiv") && later.body.contains(&expected));
    let (_, api) = server
        .call(Method::GET, &format!("/integration-setup-sessions/{id}"), None)
        .await;
    assert_eq!(api["status"], "successful", "{api}");
    assert_eq!(api["integration_instance"]["status"], "active");
    let providers = api["integration_instance"]["providers"].as_array().unwrap();
    assert_eq!(providers.len(), 2);
    let gh = providers
        .iter()
        .find(|p| p["provider"]["id"] == "pro_Gh7kQm2xVb9TnR4w")
        .unwrap();
    assert_eq!(
        gh["tool_filter"],
        json!({"type": "filter", "filters": [{"type": "tool_keys", "keys": ["list_repositories", "get_repository", "list_issues"]}], "ignore_parent_filters": false})
    );
    assert_eq!(gh["config"]["id"], "pcf_GhDefault2bCdE");
    let configs = auth_configs_made(&server, "pro_Gh7kQm2xVb9TnR4w").await;
    assert_eq!(
        configs[0].granted_scopes.as_deref(),
        Some(&[GRANTED.to_owned()][..])
    );
    assert!(!api.to_string().contains("gho_testaccesstoken"));
}

#[tokio::test]
async fn a_reload_of_the_oauth_callback_changes_nothing() {
    let (server, provider) = server_with_provider().await;
    let s = session(&server, json!({})).await;
    let b = Browser::new(&server.base);
    let github = open_step(&b, &s, 0).await;
    let page = b.get(b.submit(&github, "oauth", &[]).await.location()).await;
    let callback = page.link("allow");
    assert_eq!(b.get(&callback).await.status, StatusCode::SEE_OTHER);
    let again = b.get(&callback).await;
    assert_eq!(again.status, StatusCode::BAD_REQUEST);
    assert!(again.body.contains("no longer valid"));
    assert_eq!(
        provider.seen.lock().unwrap().exchanges,
        1,
        "the code is exchanged once"
    );
    let made = auth_configs_made(&server, "pro_Gh7kQm2xVb9TnR4w").await;
    assert_eq!(made.len(), 1);
    // A forged state is the same page.
    let forged = b.get("/oauth/callback?code=x&state=forged").await;
    assert_eq!(forged.status, StatusCode::BAD_REQUEST);
    assert_eq!(b.get("/oauth/callback").await.status, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn a_provider_error_is_a_page_with_a_retry() {
    let (server, provider) = server_with_provider().await;
    let s = session(&server, json!({})).await;
    let b = Browser::new(&server.base);
    let github = open_step(&b, &s, 0).await;
    let page = b.get(b.submit(&github, "oauth", &[]).await.location()).await;
    let denied = b.get(&page.link("deny")).await;
    assert_eq!(denied.status, StatusCode::OK);
    assert!(
        denied.body.contains("did not grant access (access_denied)"),
        "{}",
        denied.body
    );
    assert!(denied.body.contains(">Try again</a>"));
    // The retry starts a fresh sign-in with a new state; the step is still pending.
    let retry = b.get(&path_of(s["steps"][0]["url"].as_str().unwrap())).await;
    let second = b.submit(&retry, "oauth", &[]).await;
    assert_eq!(second.status, StatusCode::SEE_OTHER);
    assert_eq!(b.get(second.location()).await.status, StatusCode::OK);
    assert_eq!(provider.seen.lock().unwrap().states.len(), 2);
    let (_, api) = server
        .call(
            Method::GET,
            &format!("/integration-setup-sessions/{}", s["id"].as_str().unwrap()),
            None,
        )
        .await;
    assert_eq!(api["steps"][0]["status"], "pending");
}

#[tokio::test]
async fn a_request_after_expiry_changes_nothing() {
    let clock = TestClock::at("2026-06-01T00:00:00.000Z");
    let server = Server::start_with(clock.settings()).await;
    let s = session(&server, json!({})).await;
    let b = Browser::new(&server.base);
    let auth = open_step(&b, &s, 1).await;
    clock.advance_millis(31 * 60_000);
    let late = b.submit(&auth, "auth", &[("api_key", LINEAR_KEY)]).await;
    assert_eq!(late.status, StatusCode::SEE_OTHER);
    let page = b.get(late.location()).await;
    assert!(page.body.contains("This setup link has expired"), "{}", page.body);
    let overview = b.get(&path_of(s["url"].as_str().unwrap())).await;
    assert!(overview.body.contains("status-expired"));
    assert!(!overview.body.contains("/open?"), "no step can be started");
    assert!(
        overview.body.contains("setup_session_id="),
        "the finished page links back"
    );
    let made = auth_configs_made(&server, "pro_Ln6tBw4mJr2HsF9e").await;
    assert!(made.is_empty());
}

#[tokio::test]
async fn a_token_endpoint_that_refuses_is_a_page_with_a_retry() {
    let (server, provider) = server_with_provider().await;
    let s = session(&server, json!({})).await;
    let b = Browser::new(&server.base);
    let github = open_step(&b, &s, 0).await;
    let authorize = b.submit(&github, "oauth", &[]).await.location().to_owned();
    let state = url::Url::parse(&authorize)
        .unwrap()
        .query_pairs()
        .find(|(k, _)| k == "state")
        .unwrap()
        .1
        .into_owned();
    // A code the provider never issued: its token endpoint refuses it.
    let refused = b
        .get(&format!("/oauth/callback?code=forged-code&state={state}"))
        .await;
    assert_eq!(refused.status, StatusCode::BAD_GATEWAY);
    assert!(
        refused.body.contains("GitHub did not accept the sign-in"),
        "{}",
        refused.body
    );
    assert!(refused.body.contains(">Try again</a>"));
    assert!(!refused.body.contains("forged-code") && !refused.body.contains(&state));
    assert_eq!(provider.seen.lock().unwrap().refused_exchanges, 1);
    let made = auth_configs_made(&server, "pro_Gh7kQm2xVb9TnR4w").await;
    assert!(made.is_empty());
}
