//! What a framework would answer itself is the contract's error body.

use reqwest::{Method, StatusCode};

use super::*;

#[tokio::test]
async fn every_rejection_is_an_error_body() {
    let s = Server::start().await;
    let (status, body) = s.call(Method::GET, "/no-such-route", None).await;
    assert_eq!(
        (status, body["code"].as_str()),
        (StatusCode::NOT_FOUND, Some("not_found"))
    );
    let (status, body) = s.call(Method::PUT, "/session-templates", None).await;
    assert_eq!(
        (status, body["code"].as_str()),
        (StatusCode::METHOD_NOT_ALLOWED, Some("method_not_allowed"))
    );
    let (status, body) = s
        .call(Method::GET, "/session-templates/stm_NoSuchTemplate", None)
        .await;
    assert_eq!(
        (status, body["entity"].as_str()),
        (StatusCode::NOT_FOUND, Some("session.template"))
    );
    let (status, body) = s.call(Method::GET, "/session-templates?limit=500", None).await;
    assert_eq!(
        (status, body["errors"][0]["path"][0].as_str()),
        (StatusCode::BAD_REQUEST, Some("limit"))
    );

    let raw = |content_type: &'static str, body: Vec<u8>| {
        s.client
            .post(format!("{}/session-templates", s.base))
            .bearer_auth(&s.key)
            .header("content-type", content_type)
            .body(body)
            .send()
    };
    let check = async |res: reqwest::Response, status: StatusCode, code: &str| {
        assert_eq!(res.status(), status);
        assert_eq!(res.headers()["content-type"], "application/json");
        let body: serde_json::Value = res.json().await.unwrap();
        assert_eq!(body["code"], code, "{body}");
        assert_eq!(body["status"], status.as_u16());
        body
    };
    check(
        raw("text/plain", b"{}".to_vec()).await.unwrap(),
        StatusCode::UNSUPPORTED_MEDIA_TYPE,
        "unsupported_media_type",
    )
    .await;
    let big = format!("{{\"name\": \"{}\"}}", "a".repeat(2 * 1024 * 1024)).into_bytes();
    check(
        raw("application/json", big).await.unwrap(),
        StatusCode::PAYLOAD_TOO_LARGE,
        "payload_too_large",
    )
    .await;
    let body = check(
        raw("application/json", b"{\"name\": ".to_vec()).await.unwrap(),
        StatusCode::BAD_REQUEST,
        "invalid_data",
    )
    .await;
    assert_eq!(body["errors"][0]["code"], "invalid_json");
    // Without a key, before anything else is read.
    let res = s
        .client
        .get(format!("{}/session-templates", s.base))
        .send()
        .await
        .unwrap();
    check(res, StatusCode::UNAUTHORIZED, "unauthorized").await;
    s.stop().await;
}

#[tokio::test]
async fn each_key_has_its_rate_limit() {
    let s = Server::start_with(Settings {
        rate_limit: Some(3),
        ..Settings::default()
    })
    .await;
    let get = |key: &str| {
        s.client
            .get(format!("{}/session-templates", s.base))
            .bearer_auth(key)
            .send()
    };
    // The first request verifies the key (it counts against the client
    // address); from then on the key has its own bucket.
    assert_eq!(get(&s.key).await.unwrap().status(), StatusCode::OK);
    for remaining in [2, 1, 0] {
        let res = get(&s.key).await.unwrap();
        assert_eq!(res.status(), StatusCode::OK);
        assert_eq!(res.headers()["ratelimit-limit"], "3");
        assert_eq!(
            res.headers()["ratelimit-remaining"],
            remaining.to_string().as_str()
        );
        let reset: u64 = res.headers()["ratelimit-reset"]
            .to_str()
            .unwrap()
            .parse()
            .unwrap();
        assert_eq!(reset, 20 * (3 - remaining), "seconds until the bucket is full");
    }
    let res = get(&s.key).await.unwrap();
    assert_eq!(res.status(), StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(
        res.headers()["retry-after"],
        "20",
        "one token comes back every 20 s"
    );
    let body: serde_json::Value = res.json().await.unwrap();
    assert_eq!(
        (body["code"].as_str(), body["status"].as_u64()),
        (Some("too_many_requests"), Some(429))
    );
    // Another key has its own count.
    assert_eq!(get(&s.other_key).await.unwrap().status(), StatusCode::OK);
    s.stop().await;
}

#[tokio::test]
async fn a_repeat_while_the_first_runs_is_a_conflict() {
    use sha2::{Digest, Sha256};
    let s = Server::start().await;
    let body = r#"{"name": "slow"}"#;
    // The first request holds its claim, as a running request does: the
    // claim is taken on the server's database file, under the request's
    // hash (method, a zero byte, path, a zero byte, the body's bytes).
    let store = Store::open(&format!("sqlite://{}", s.db.display()))
        .await
        .unwrap();
    let acme = store.ensure_instance("acme", now()).await.unwrap();
    let hash: String = Sha256::new()
        .chain_update(b"POST\0/session-templates\0")
        .chain_update(body)
        .finalize()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    let real_now = switchboard_server::now();
    let long_ago = Timestamp::from_millis(0).unwrap();
    let claim = store
        .claim_idempotency_key(&acme, "k", &hash, real_now, long_ago, long_ago)
        .await
        .unwrap();
    assert!(matches!(claim, switchboard_store::Claim::Run), "{claim:?}");
    let send = async |b: &str| {
        s.client
            .post(format!("{}/session-templates", s.base))
            .bearer_auth(&s.key)
            .header("idempotency-key", "k")
            .header("content-type", "application/json")
            .body(b.to_owned())
            .send()
            .await
            .unwrap()
    };
    let repeat = send(body).await;
    assert_eq!(repeat.status(), StatusCode::CONFLICT);
    let answer: Value = repeat.json().await.unwrap();
    assert_eq!(answer["code"], "conflict", "{answer}");
    // Once the first is done, the repeat gets its answer.
    store
        .finish_idempotency_key(&acme, "k", 200, r#"{"done": true}"#)
        .await
        .unwrap();
    let replay = send(body).await;
    assert_eq!(replay.headers()["idempotent-replayed"], "true");
    assert_eq!(replay.json::<Value>().await.unwrap(), json!({"done": true}));
    s.stop().await;
}
