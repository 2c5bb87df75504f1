//! Limits and failures of the hosted pages.

use reqwest::StatusCode;
use serde_json::json;

use super::{Browser, LINEAR_KEY, Server, auth_configs_made, open_step, session};

#[tokio::test]
async fn a_form_with_too_many_fields_is_refused_whole() {
    let server = Server::start().await;
    let s = session(&server, json!({})).await;
    let b = Browser::new(&server.base);
    let auth = open_step(&b, &s, 1).await;
    let (action, token) = auth.form("auth");
    let mut body = format!("csrf={token}&api_key={LINEAR_KEY}");
    for i in 0..10_001 {
        body.push_str(&format!("&x{i}=1"));
    }
    let res = reqwest::Client::new()
        .post(format!("{}{action}", server.base))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(body)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::PAYLOAD_TOO_LARGE);
    assert!(res.text().await.unwrap().contains("at most 10000 fields"));
    let made = auth_configs_made(&server, "pro_Ln6tBw4mJr2HsF9e").await;
    assert!(made.is_empty(), "nothing was stored");
}

#[test]
fn a_failing_random_generator_makes_no_credential_key() {
    use switchboard_server::seal::CredentialKey;
    let failed = CredentialKey::generate_with(|_| Err(getrandom::Error::UNSUPPORTED));
    assert!(failed.is_err(), "never a key of zeros");
    let a = CredentialKey::generate().unwrap();
    let b = CredentialKey::generate().unwrap();
    assert_ne!(a.to_hex(), b.to_hex());
    assert_eq!(
        format!("{a:?}"),
        format!("CredentialKey({})", a.id()),
        "a key never shows itself"
    );
}
