//! `serve --demo`'s own OAuth provider: the sign-in a person makes on the
//! demo's session, PKCE checked, each code taken once.

use reqwest::{Method, StatusCode};
use serde_json::json;
use switchboard_model::catalog::Catalog;

use super::{Browser, Server, open_step, session};

#[tokio::test]
async fn the_demo_provider_signs_in_with_pkce_and_takes_each_code_once() {
    let server = Server::start_full(
        switchboard_server::Settings::default(),
        true,
        switchboard_cli::demo_oauth::routes(),
    )
    .await;
    let mut catalog: Catalog =
        switchboard_model::decode::from_str(include_str!("../../../examples/catalog.json")).unwrap();
    switchboard_cli::demo_oauth::add_credentials(&mut catalog, &server.base);
    assert_eq!(
        catalog.auth_credentials.len(),
        2,
        "GitHub and Slack sign in through the demo"
    );
    server.state.load_catalog(catalog).await.unwrap();
    let s = session(&server, json!({})).await;
    let b = Browser::new(&server.base);
    let github = open_step(&b, &s, 0).await;
    let authorize = b.submit(&github, "oauth", &[]).await.location().to_owned();
    assert!(authorize.starts_with(&format!("{}/demo-oauth/authorize?", server.base)));
    let page = b.get(&authorize).await;
    assert!(page.body.contains("Demo sign-in") && page.body.contains("no real account is involved"));
    let at = page.body.find("class=\"button\" href=\"").unwrap() + "class=\"button\" href=\"".len();
    let allow = page.body[at..page.body[at..].find('"').unwrap() + at].replace("&amp;", "&");
    let code = url::Url::parse(&allow)
        .unwrap()
        .query_pairs()
        .find(|(k, _)| k == "code")
        .unwrap()
        .1
        .into_owned();
    let back = b.get(&allow).await;
    assert_eq!(back.status, StatusCode::SEE_OTHER, "{}", back.body);
    let (_, api) = server
        .call(
            Method::GET,
            &format!("/integration-setup-sessions/{}", s["id"].as_str().unwrap()),
            None,
        )
        .await;
    assert_eq!(
        api["steps"][0]["status"], "pending",
        "signed in; settings come next"
    );
    // The code was taken: exchanged again, or with a wrong verifier, it is refused.
    let again = reqwest::Client::new()
        .post(format!("{}/demo-oauth/token", server.base))
        .form(&[
            ("grant_type", "authorization_code"),
            ("code", &code),
            ("code_verifier", "x"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(again.status(), StatusCode::BAD_REQUEST);
    assert_eq!(again.text().await.unwrap(), r#"{"error":"invalid_grant"}"#);
    // Without PKCE the demo refuses to start a sign-in.
    let plain = b
        .get("/demo-oauth/authorize?redirect_uri=http://127.0.0.1/cb&state=s")
        .await;
    assert_eq!(plain.status, StatusCode::BAD_REQUEST);
}
