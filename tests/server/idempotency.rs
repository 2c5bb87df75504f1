//! `Idempotency-Key` (contract §8): what is stored, for how long, and what a
//! repeat gets, on a clock the test moves.

use std::sync::Arc;
use std::sync::atomic::AtomicUsize;

use axum::routing::post;
use reqwest::StatusCode;

use super::*;

#[tokio::test]
async fn idempotency_keys_keep_their_promises() {
    let clock = TestClock::at("2026-06-01T00:00:00.000Z");
    let failures = Arc::new(AtomicUsize::new(0));
    let counted = failures.clone();
    let extra =
        axum::Router::new().route(
            "/fail",
            post(move || {
                let n = counted.fetch_add(1, Ordering::SeqCst) + 1;
                async move {
                    switchboard_server::Failure::new("internal_server_error", 500, format!("failure {n}"))
                }
            }),
        );
    let s = Server::start_full(clock.settings(), false, extra).await;

    // A 5xx is stored: the repeat replays it and the handler does not run again.
    let first = post_raw(&s, "/fail", Some("five"), b"{}".to_vec()).await;
    assert_eq!(first.status(), StatusCode::INTERNAL_SERVER_ERROR);
    let repeat = post_raw(&s, "/fail", Some("five"), b"{}".to_vec()).await;
    assert_eq!(repeat.status(), StatusCode::INTERNAL_SERVER_ERROR);
    assert_eq!(repeat.headers()["idempotent-replayed"], "true");
    assert_eq!(failures.load(Ordering::SeqCst), 1);

    // The same key with another body is `bad_request`, by code.
    let body = br#"{"name": "one"}"#.to_vec();
    let created: Value = post_raw(&s, "/session-templates", Some("k"), body.clone())
        .await
        .json()
        .await
        .unwrap();
    let other = post_raw(
        &s,
        "/session-templates",
        Some("k"),
        br#"{"name": "two"}"#.to_vec(),
    )
    .await;
    assert_eq!(other.status(), StatusCode::BAD_REQUEST);
    assert_eq!(other.json::<Value>().await.unwrap()["code"], "bad_request");

    // Within 24 hours the answer is replayed; after, the key runs again.
    clock.advance_millis(24 * 60 * 60 * 1000 - 1);
    let replayed: Value = post_raw(&s, "/session-templates", Some("k"), body.clone())
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(replayed["id"], created["id"]);
    clock.advance_millis(2);
    let again: Value = post_raw(&s, "/session-templates", Some("k"), body.clone())
        .await
        .json()
        .await
        .unwrap();
    assert_ne!(again["id"], created["id"], "a key older than 24 hours runs again");

    // A key whose request died is locked for 60 seconds, then free.
    let (store, acme) = behind_the_back(&s).await;
    let dead = br#"{"name": "died"}"#.to_vec();
    let hash: String = {
        use sha2::{Digest, Sha256};
        Sha256::new()
            .chain_update(b"POST\0/session-templates\0")
            .chain_update(&dead)
            .finalize()
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect()
    };
    let at = clock.clock().now();
    let long_ago = Timestamp::from_millis(0).unwrap();
    store
        .claim_idempotency_key(&acme, "died", &hash, at, long_ago, long_ago)
        .await
        .unwrap();
    clock.advance_millis(59_999);
    let locked = post_raw(&s, "/session-templates", Some("died"), dead.clone()).await;
    assert_eq!(locked.status(), StatusCode::CONFLICT);
    clock.advance_millis(2);
    let free = post_raw(&s, "/session-templates", Some("died"), dead.clone()).await;
    assert_eq!(free.status(), StatusCode::OK);

    // 255 characters are a key; 256 are refused.
    let ok = post_raw(&s, "/session-templates", Some(&"k".repeat(255)), body.clone()).await;
    assert_eq!(ok.status(), StatusCode::OK);
    let long = post_raw(&s, "/session-templates", Some(&"k".repeat(256)), body.clone()).await;
    assert_eq!(long.status(), StatusCode::BAD_REQUEST);

    // PATCH honours the key as POST does.
    let id = created["id"].as_str().unwrap();
    let patch = |name: &'static str| {
        s.client
            .patch(format!("{}/session-templates/{id}", s.base))
            .bearer_auth(&s.key)
            .header("idempotency-key", "p")
            .json(&json!({"name": name}))
            .send()
    };
    let first = patch("renamed").await.unwrap();
    assert_eq!(first.status(), StatusCode::OK);
    let repeat = patch("renamed").await.unwrap();
    assert_eq!(repeat.headers()["idempotent-replayed"], "true");
    assert_eq!(patch("other").await.unwrap().status(), StatusCode::BAD_REQUEST);
    s.stop().await;
}
