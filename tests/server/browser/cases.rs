//! The other things an end user's browser does: an expired link, a wrong
//! secret, a reload of the OAuth callback, a double submit, a provider that
//! answers `access_denied`.

use fantoccini::Locator;
use reqwest::Method;
use serde_json::json;

use super::super::hosted::auth_configs_made;
use super::super::{Server, TestClock};
use super::walk::{connect_button, setup};
use super::{Driver, Eyes, ONE_AT_A_TIME, click_then, fill, text, wait_for};

#[tokio::test]
async fn an_expired_session_page_says_so_in_chromium() {
    let _one = ONE_AT_A_TIME.lock().await;
    let Some(driver) = Driver::start() else { return };
    let clock = TestClock::at("2026-06-01T00:00:00.000Z");
    let server = Server::start_with(clock.settings()).await;
    let (_, session) = server
        .call(
            Method::POST,
            "/integration-setup-sessions",
            Some(json!({"integration_id": "int_DevTools2mNpQrStU", "name": "Late", "redirect_url": "https://app.example.com/back"})),
        )
        .await;
    clock.advance_millis(31 * 60_000);
    let c = driver.browser(true).await;
    c.goto(session["url"].as_str().unwrap()).await.unwrap();
    wait_for(&c, "h1").await;
    let page = text(&c).await;
    assert!(page.contains("This setup link has expired"), "{page}");
    assert!(c.find(Locator::Css("form")).await.is_err(), "nothing to submit");
    let mut eyes = Eyes::new(true);
    eyes.look(&c, "expired").await;
    assert!(eyes.violations.is_empty(), "{:?}", eyes.violations);
    c.close().await.unwrap();
}

#[tokio::test]
async fn a_wrong_secret_shows_the_not_found_page_in_chromium() {
    let _one = ONE_AT_A_TIME.lock().await;
    let Some(driver) = Driver::start() else { return };
    let (_server, _provider, session) = setup().await;
    let c = driver.browser(true).await;
    let url = session["url"].as_str().unwrap();
    let wrong = format!("{}x", &url[..url.len() - 1]);
    c.goto(&wrong).await.unwrap();
    wait_for(&c, "h1").await;
    assert!(text(&c).await.contains("This link does not work"));
    let mut eyes = Eyes::new(true);
    eyes.look(&c, "not-found").await;
    assert!(eyes.violations.is_empty(), "{:?}", eyes.violations);
    c.close().await.unwrap();
}

#[tokio::test]
async fn a_reload_of_the_oauth_callback_in_chromium_connects_once() {
    let _one = ONE_AT_A_TIME.lock().await;
    let Some(driver) = Driver::start() else { return };
    let (server, provider, session) = setup().await;
    let c = driver.browser(true).await;
    c.goto(session["url"].as_str().unwrap()).await.unwrap();
    click_then(&c, &connect_button(&session, 0), "form[action*='/oauth?'] button").await;
    let allow = click_then(&c, "form[action*='/oauth?'] button", "#allow").await;
    let callback = allow.attr("href").await.unwrap().unwrap();
    click_then(&c, "#allow", "#f-default_owner").await;
    c.goto(&callback).await.unwrap();
    wait_for(&c, "h1").await;
    assert!(text(&c).await.contains("no longer valid"));
    c.refresh().await.unwrap();
    wait_for(&c, "h1").await;
    assert!(text(&c).await.contains("no longer valid"));
    assert_eq!(provider.seen.lock().unwrap().exchanges, 1);
    let made = auth_configs_made(&server, "pro_Gh7kQm2xVb9TnR4w").await;
    assert_eq!(made.len(), 1);
    c.close().await.unwrap();
}

#[tokio::test]
async fn a_double_submit_from_two_tabs_in_chromium_makes_one_auth_config() {
    let _one = ONE_AT_A_TIME.lock().await;
    let Some(driver) = Driver::start() else { return };
    let (server, _provider, session) = setup().await;
    let c = driver.browser(true).await;
    c.goto(session["url"].as_str().unwrap()).await.unwrap();
    click_then(&c, &connect_button(&session, 1), "#f-api_key").await;
    fill(&c, "#f-api_key", "lin_api_first_submit_000").await;
    // The same form open in a second tab (a stale copy a double submit sends again).
    let step_url = c.current_url().await.unwrap();
    let first_tab = c.window().await.unwrap();
    let second_tab = c.new_window(true).await.unwrap().handle;
    c.switch_to_window(second_tab.clone()).await.unwrap();
    c.goto(step_url.as_str()).await.unwrap();
    fill(&c, "#f-api_key", "lin_api_second_submit_00").await;
    c.switch_to_window(first_tab).await.unwrap();
    let before = server.requests.load(std::sync::atomic::Ordering::SeqCst);
    click_then(&c, "form[novalidate] button[type=submit]", "#f-team").await;
    c.switch_to_window(second_tab).await.unwrap();
    click_then(&c, "form[novalidate] button[type=submit]", "#f-team").await;
    // Two posts, each followed by the step page: both tabs land on the settings.
    assert_eq!(
        server.requests.load(std::sync::atomic::Ordering::SeqCst) - before,
        4
    );
    assert!(
        text(&c).await.contains("Settings"),
        "the second submit lands on the next stage"
    );
    let made = auth_configs_made(&server, "pro_Ln6tBw4mJr2HsF9e").await;
    assert_eq!(made.len(), 1);
    c.close().await.unwrap();
}

#[tokio::test]
async fn a_provider_that_answers_access_denied_leaves_a_retry_in_chromium() {
    let _one = ONE_AT_A_TIME.lock().await;
    let Some(driver) = Driver::start() else { return };
    let (server, _provider, session) = setup().await;
    let c = driver.browser(true).await;
    c.goto(session["url"].as_str().unwrap()).await.unwrap();
    click_then(&c, &connect_button(&session, 0), "form[action*='/oauth?'] button").await;
    click_then(&c, "form[action*='/oauth?'] button", "#deny").await;
    click_then(&c, "#deny", "a.button").await;
    let page = text(&c).await;
    assert!(page.contains("did not grant access"), "{page}");
    let mut eyes = Eyes::new(true);
    eyes.look(&c, "access-denied").await;
    click_then(&c, "a.button", "form[action*='/oauth?'] button").await;
    assert!(text(&c).await.contains("Sign in with GitHub"));
    let id = session["id"].as_str().unwrap();
    let (_, api) = server
        .call(Method::GET, &format!("/integration-setup-sessions/{id}"), None)
        .await;
    assert_eq!(api["status"], "pending");
    assert!(eyes.violations.is_empty(), "{:?}", eyes.violations);
    c.close().await.unwrap();
}
