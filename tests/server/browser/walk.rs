//! The walk of a two-provider session as an end user makes it: GitHub by
//! OAuth against the test's own authorization server, Linear by API key
//! (once wrong, then right), a config form, a tool review that unticks two
//! tools, and the redirect back; then the API's view of what was made.

use std::sync::atomic::Ordering;
use std::time::Instant;

use fantoccini::Client;
use reqwest::Method;
use serde_json::{Value, json};

use super::super::Server;
use super::{Driver, Eyes, ONE_AT_A_TIME, click, click_then, fill, text, wait_for};
use crate::oauth_provider::Provider;

const LINEAR_KEY: &str = "lin_api_browser_0123456789";

/// A server with the test provider as GitHub's OAuth client, and a session
/// with tool review that returns to the provider's `/done?from=browser`.
pub(crate) async fn setup() -> (Server, Provider, Value) {
    let server = Server::start().await;
    let provider = Provider::start().await;
    server.state.load_catalog(provider.catalog()).await.unwrap();
    let (status, session) = server
        .call(
            Method::POST,
            "/integration-setup-sessions",
            Some(json!({
                "integration_id": "int_DevTools2mNpQrStU",
                "name": "Acme engineering assistant",
                "description": "Connect the accounts the assistant may use.",
                "redirect_url": format!("{}/done?from=browser", provider.base),
                "configuration": {"tool_filters": {"enabled": true}},
            })),
        )
        .await;
    assert_eq!(status, reqwest::StatusCode::OK, "{session}");
    (server, provider, session)
}

/// The step's connect button on the overview.
pub(crate) fn connect_button(session: &Value, i: usize) -> String {
    format!(
        "form[action*='/steps/{}/open'] button",
        session["steps"][i]["id"].as_str().unwrap()
    )
}

/// Walks the whole session in `c`; `eyes` checks and photographs each screen.
async fn walk(c: &Client, session: &Value, eyes: &mut Eyes) {
    c.goto(session["url"].as_str().unwrap()).await.unwrap();
    assert!(text(c).await.contains("Acme engineering assistant"));
    eyes.look(c, "overview").await;

    // GitHub: sign in on the provider's page, settings, tools.
    click_then(c, &connect_button(session, 0), "form[action*='/oauth?'] button").await;
    assert!(text(c).await.contains("Sign in with GitHub"));
    eyes.look(c, "github-sign-in").await;
    click_then(c, "form[action*='/oauth?'] button", "#allow").await;
    assert!(c.current_url().await.unwrap().path().ends_with("/authorize"));
    click_then(c, "#allow", "#f-default_owner").await;
    eyes.look(c, "github-settings").await;
    fill(c, "#f-default_owner", "acme").await;
    click(c, "#f-read_only").await;
    click_then(
        c,
        "form[novalidate] button[type=submit]",
        "input[value='create_issue']",
    )
    .await;
    assert!(text(c).await.contains("Tools this connection may use"));
    eyes.look(c, "github-tools").await;
    click(c, "input[value='create_issue']").await;
    click(c, "input[value='comment_on_issue']").await;
    click_then(c, "form[action*='/tools?'] button", "li.step-configured").await;

    // Back on the overview: GitHub connected; Linear next.
    eyes.look(c, "overview-one-connected").await;
    click_then(c, &connect_button(session, 1), "#f-api_key").await;
    eyes.look(c, "linear-key").await;
    fill(c, "#f-api_key", "too-short").await;
    let error = click_then(c, "form[novalidate] button[type=submit]", "#f-api_key-error-1").await;
    assert!(error.text().await.unwrap().contains("shorter than 20 characters"));
    let typed = c
        .find(fantoccini::Locator::Css("#f-api_key"))
        .await
        .unwrap()
        .prop("value")
        .await
        .unwrap();
    assert_eq!(typed.as_deref(), Some(""), "a secret is not shown again");
    eyes.look(c, "linear-key-refused").await;
    fill(c, "#f-api_key", LINEAR_KEY).await;
    click_then(c, "form[novalidate] button[type=submit]", "#f-team").await;
    // The config form: a wrong team keeps what was typed, next to its error.
    fill(c, "#f-team", "engineering").await;
    click_then(c, "form[novalidate] button[type=submit]", "#f-team-error-1").await;
    let kept = c
        .find(fantoccini::Locator::Css("#f-team"))
        .await
        .unwrap()
        .prop("value")
        .await
        .unwrap();
    assert_eq!(kept.as_deref(), Some("engineering"));
    eyes.look(c, "linear-settings-refused").await;
    fill(c, "#f-team", "ENG").await;
    click_then(
        c,
        "form[novalidate] button[type=submit]",
        "input[value='list_issues']",
    )
    .await;
    eyes.look(c, "linear-tools").await;
    click_then(c, "form[action*='/tools?'] button", "h1").await;
    for _ in 0..100 {
        if c.current_url().await.unwrap().path() == "/done" {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }

    // Sent back to the caller, the query it had kept.
    let back = c.current_url().await.unwrap();
    assert_eq!(back.path(), "/done");
    let query: Vec<(String, String)> = back.query_pairs().into_owned().collect();
    assert_eq!(
        query,
        [
            ("from".to_owned(), "browser".to_owned()),
            (
                "setup_session_id".to_owned(),
                session["id"].as_str().unwrap().to_owned()
            ),
            ("status".to_owned(), "successful".to_owned()),
        ]
    );
    // The session's page now says it is done.
    c.goto(session["url"].as_str().unwrap()).await.unwrap();
    wait_for(c, "p.status-successful").await;
    assert!(text(c).await.contains("All set"));
    eyes.look(c, "overview-done").await;
}

/// What the API shows after the walk.
async fn check_api(server: &Server, session: &Value) {
    let id = session["id"].as_str().unwrap();
    let (_, api) = server
        .call(Method::GET, &format!("/integration-setup-sessions/{id}"), None)
        .await;
    assert_eq!(api["status"], "successful", "{api}");
    assert_eq!(api["integration_instance"]["status"], "active");
    let providers = api["integration_instance"]["providers"].as_array().unwrap();
    assert_eq!(providers.len(), 2);
    for p in providers {
        assert!(
            p["auth_config"]["id"].as_str().unwrap().starts_with("pac_"),
            "{p}"
        );
        assert!(p["config"]["id"].as_str().unwrap().starts_with("pcf_"), "{p}");
    }
    let github = providers
        .iter()
        .find(|p| p["provider"]["name"] == "GitHub")
        .unwrap();
    let keys = github["tool_filter"]["filters"][0]["keys"].as_array().unwrap();
    assert!(!keys.contains(&json!("create_issue")) && !keys.contains(&json!("comment_on_issue")));
    assert!(keys.contains(&json!("list_issues")) && !keys.contains(&json!("delete_repository")));
    let linear = providers
        .iter()
        .find(|p| p["provider"]["name"] == "Linear")
        .unwrap();
    assert_eq!(
        linear["tool_filter"],
        json!({"type": "allow_all", "ignore_parent_filters": false})
    );
    // No route shows a stored credential.
    let (_, list) = server
        .call(Method::GET, "/integration-setup-sessions", None)
        .await;
    for body in [api.to_string(), list.to_string()] {
        assert!(!body.contains(LINEAR_KEY) && !body.contains("gho_testaccesstoken"));
    }
}

#[tokio::test]
async fn an_end_user_walks_a_two_provider_session_in_chromium() {
    let _one = ONE_AT_A_TIME.lock().await;
    let Some(driver) = Driver::start() else { return };
    let (server, provider, session) = setup().await;
    let c = driver.browser(true).await;
    let mut eyes = Eyes::new(true);
    let started = Instant::now();
    let before = server.requests.load(Ordering::Relaxed);
    walk(&c, &session, &mut eyes).await;
    let (elapsed, requests) = (
        started.elapsed(),
        server.requests.load(Ordering::Relaxed) - before,
    );
    c.close().await.unwrap();
    eprintln!(
        "walk: {requests} requests to the server, {} ms (with axe-core and screenshots on {} pages)",
        elapsed.as_millis(),
        eyes.pages_checked
    );
    assert!(
        eyes.violations.is_empty(),
        "serious or critical accessibility violations:\n{}",
        eyes.violations.join("\n")
    );
    assert_eq!(provider.seen.lock().unwrap().exchanges, 1);
    check_api(&server, &session).await;
}

#[tokio::test]
async fn the_walk_works_with_javascript_off() {
    let _one = ONE_AT_A_TIME.lock().await;
    let Some(driver) = Driver::start() else { return };
    let (server, _provider, session) = setup().await;
    let c = driver.browser(false).await;
    let mut eyes = Eyes::new(false);
    let started = Instant::now();
    let before = server.requests.load(Ordering::Relaxed);
    walk(&c, &session, &mut eyes).await;
    eprintln!(
        "walk without JavaScript: {} requests, {} ms",
        server.requests.load(Ordering::Relaxed) - before,
        started.elapsed().as_millis()
    );
    c.close().await.unwrap();
    check_api(&server, &session).await;
}
