//! The server under hostile clients: rate-limit bypasses, slow and idle
//! connections, oversized heads, cancelled requests, writes close in time.
//! Raw TCP where a well-behaved client library would not misbehave.

use std::net::IpAddr;
use std::time::{Duration, Instant};

use reqwest::{Method, StatusCode};
use switchboard_server::LimiterProbe;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

use super::*;

mod bodies;
mod heads;
mod proxies;

fn address(s: &Server) -> String {
    s.base.trim_start_matches("http://").to_owned()
}

/// Everything the server sends until it closes the connection (or `wait`
/// passes): `None` if it did not close in time.
async fn read_to_close(stream: &mut TcpStream, wait: Duration) -> Option<Vec<u8>> {
    let mut out = Vec::new();
    let read = tokio::time::timeout(wait, async {
        let mut buf = [0u8; 8192];
        loop {
            match stream.read(&mut buf).await {
                Ok(0) | Err(_) => break,
                Ok(n) => out.extend_from_slice(&buf[..n]),
            }
        }
    })
    .await;
    read.ok().map(|()| out)
}

/// The status and the JSON body of a raw answer.
fn parse_answer(raw: &[u8]) -> (u16, Value) {
    let text = String::from_utf8_lossy(raw);
    let status: u16 = text
        .get(9..12)
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("not an HTTP answer: {text:?}"));
    let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    assert!(
        head.to_ascii_lowercase()
            .contains("content-type: application/json"),
        "{head}"
    );
    (
        status,
        serde_json::from_str(body).unwrap_or_else(|e| panic!("{e}: {body:?}")),
    )
}

/// One request on its own connection, answered and closed.
async fn exchange(s: &Server, request: &[u8]) -> (u16, Value) {
    let mut stream = TcpStream::connect(address(s)).await.unwrap();
    // The server may close before reading all of an oversized request.
    let _ = stream.write_all(request).await;
    let raw = read_to_close(&mut stream, Duration::from_secs(10))
        .await
        .expect("the server closes after the answer");
    parse_answer(&raw)
}

async fn get_with_header(s: &Server, authorization: &str) -> reqwest::Response {
    s.client
        .get(format!("{}/session-templates", s.base))
        .header("authorization", authorization)
        .send()
        .await
        .unwrap()
}

fn header(res: &reqwest::Response, name: &str) -> String {
    res.headers()
        .get(name)
        .unwrap_or_else(|| panic!("no {name} on a {}", res.status()))
        .to_str()
        .unwrap()
        .to_owned()
}

pub(crate) fn limited(n: u32) -> Settings {
    Settings {
        rate_limit: Some(n),
        ..Settings::default()
    }
}

#[tokio::test]
async fn one_key_is_one_bucket_however_its_header_is_spelt() {
    let s = Server::start_with(limited(3)).await;
    let key = s.key.clone();
    // The first request verifies the key (it counts against the address).
    assert_eq!(
        get_with_header(&s, &format!("Bearer {key}")).await.status(),
        StatusCode::OK
    );
    let spellings = [
        format!("Bearer {key}"),
        format!("bearer {key}"),
        format!("Bearer  {key}"),
        format!("BEARER {key}"),
        format!("Bearer   {key}"),
    ];
    for (spelling, remaining) in spellings.iter().zip(["2", "1", "0"]) {
        let res = get_with_header(&s, spelling).await;
        assert_eq!(res.status(), StatusCode::OK, "{spelling:?}");
        assert_eq!(header(&res, "ratelimit-remaining"), remaining, "{spelling:?}");
    }
    for spelling in &spellings {
        let res = get_with_header(&s, spelling).await;
        assert_eq!(res.status(), StatusCode::TOO_MANY_REQUESTS, "{spelling:?}");
    }
    s.stop().await;
}

#[tokio::test]
async fn requests_without_a_valid_key_are_limited_per_address() {
    let s = Server::start_with(limited(3)).await;
    // A valid key, verified: from then on it has a bucket of its own.
    assert_eq!(
        get_with_header(&s, &format!("Bearer {}", s.key)).await.status(),
        StatusCode::OK
    );
    for (junk, remaining) in [
        ("Bearer metorial_sk_junk1", "1"),
        ("Bearer metorial_sk_junk2", "0"),
    ] {
        let res = get_with_header(&s, junk).await;
        assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
        assert_eq!(header(&res, "ratelimit-limit"), "3");
        assert_eq!(header(&res, "ratelimit-remaining"), remaining);
    }
    for junk in ["Bearer metorial_sk_junk3", "Basic abc", "Bearer "] {
        let res = get_with_header(&s, junk).await;
        assert_eq!(res.status(), StatusCode::TOO_MANY_REQUESTS, "{junk:?}");
        assert!(header(&res, "retry-after").parse::<u64>().unwrap() >= 1);
    }
    let res = s
        .client
        .get(format!("{}/openapi.json", s.base))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::TOO_MANY_REQUESTS, "no key at all");
    let res = get_with_header(&s, &format!("Bearer {}", s.key)).await;
    assert_eq!(
        (res.status(), header(&res, "ratelimit-remaining")),
        (StatusCode::OK, "2".to_owned())
    );
    s.stop().await;
}

#[test]
fn a_full_limiter_table_refuses_new_callers_and_keeps_counting() {
    // Two requests a minute, room for two callers.
    let p = LimiterProbe::new(2, Duration::from_secs(60), 2);
    let at = Duration::from_secs;
    assert!(p.key("a", at(0)).0);
    assert!(p.key("b", at(0)).0);
    // Full, and no bucket has refilled: a new caller waits for the first to.
    assert_eq!(p.key("c", at(0)), (false, 0, 30, 30));
    // Callers already counted go on being counted.
    assert!(p.key("a", at(1)).0);
    assert!(!p.key("a", at(2)).0);
    // b's bucket has refilled at 30 s: it makes room for c.
    assert_eq!(p.key("c", at(31)), (true, 1, 30, 0));
    // a's first token came back at 30 s, its second comes at 60 s.
    assert!(p.key("a", at(31)).0);
    assert_eq!(p.key("a", at(32)), (false, 0, 58, 28), "a is still counted");
}

#[test]
fn retry_after_and_reset_follow_the_token_bucket() {
    let p = LimiterProbe::new(3, Duration::from_secs(60), 10);
    let at = Duration::from_secs;
    assert_eq!(p.key("k", at(0)), (true, 2, 20, 0));
    assert_eq!(p.key("k", at(0)), (true, 1, 40, 0));
    assert_eq!(p.key("k", at(0)), (true, 0, 60, 0));
    assert_eq!(
        p.key("k", at(0)),
        (false, 0, 60, 20),
        "retry after one token's time"
    );
    assert_eq!(p.key("k", at(19)), (false, 0, 41, 1));
    assert_eq!(p.key("k", at(20)), (true, 0, 60, 0));
    assert_eq!(p.key("k", at(200)), (true, 2, 20, 0), "a full bucket again");
}

#[test]
fn an_ipv6_client_is_limited_by_its_64() {
    let p = LimiterProbe::new(1, Duration::from_secs(60), 10);
    let ip = |s: &str| s.parse::<IpAddr>().unwrap();
    assert!(p.address(ip("2001:db8::1"), Duration::ZERO).0);
    assert!(
        !p.address(ip("2001:db8::ffff:2"), Duration::ZERO).0,
        "the same /64"
    );
    assert!(p.address(ip("2001:db8:0:1::1"), Duration::ZERO).0, "another /64");
    assert!(p.address(ip("192.0.2.1"), Duration::ZERO).0);
    assert!(
        !p.address(ip("::ffff:192.0.2.1"), Duration::ZERO).0,
        "IPv4-mapped is IPv4"
    );
}

#[tokio::test]
async fn a_head_that_trickles_in_is_cut_at_the_header_read_timeout() {
    let s = Server::start_with(Settings {
        header_read_timeout: Duration::from_millis(800),
        ..Settings::default()
    })
    .await;
    let mut slow = TcpStream::connect(address(&s)).await.unwrap();
    let mut silent = TcpStream::connect(address(&s)).await.unwrap();
    let started = Instant::now();
    let trickle = async {
        let _ = slow.write_all(b"GET /session-templates HTTP/1.1\r\n").await;
        for b in b"X-Slow: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa" {
            if slow.write_all(&[*b]).await.is_err() {
                break;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    };
    let ((), closed) = tokio::join!(trickle, read_to_close(&mut silent, Duration::from_secs(5)));
    assert!(closed.is_some(), "a connection that sends nothing is closed");
    let closed = read_to_close(&mut slow, Duration::from_secs(5)).await;
    assert!(closed.is_some(), "a trickled head is cut");
    assert!(started.elapsed() < Duration::from_secs(6));
    s.stop().await;
}

#[tokio::test]
async fn an_idle_keep_alive_connection_is_closed() {
    let s = Server::start_with(Settings {
        keep_alive_timeout: Duration::from_millis(500),
        ..Settings::default()
    })
    .await;
    let mut c = TcpStream::connect(address(&s)).await.unwrap();
    c.write_all(b"GET /no-route HTTP/1.1\r\nHost: x\r\n\r\n")
        .await
        .unwrap();
    let started = Instant::now();
    let answer = read_to_close(&mut c, Duration::from_secs(5))
        .await
        .expect("closed once idle");
    assert!(String::from_utf8_lossy(&answer).starts_with("HTTP/1.1 404"));
    assert!(
        started.elapsed() >= Duration::from_millis(400),
        "kept alive for a while"
    );
    s.stop().await;
}

#[tokio::test]
async fn connections_past_the_cap_wait_for_one_to_close() {
    let s = Server::start_with(Settings {
        max_connections: 2,
        header_read_timeout: Duration::from_secs(30),
        keep_alive_timeout: Duration::from_secs(30),
        ..Settings::default()
    })
    .await;
    let first = TcpStream::connect(address(&s)).await.unwrap();
    let _second = TcpStream::connect(address(&s)).await.unwrap();
    tokio::time::sleep(Duration::from_millis(100)).await;
    let mut third = TcpStream::connect(address(&s)).await.unwrap();
    third
        .write_all(b"GET /no-route HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        .await
        .unwrap();
    assert!(
        read_to_close(&mut third, Duration::from_millis(500))
            .await
            .is_none(),
        "not served while two connections are open"
    );
    drop(first);
    let answer = read_to_close(&mut third, Duration::from_secs(5))
        .await
        .expect("served once one closed");
    assert_eq!(parse_answer(&answer).0, 404);
    s.stop().await;
}

#[tokio::test]
async fn too_many_or_too_large_headers_are_431_with_the_error_body() {
    let s = Server::start().await;
    let mut many = String::from("GET /session-templates HTTP/1.1\r\nHost: x\r\n");
    for i in 0..101 {
        many.push_str(&format!("X-H{i}: v\r\n"));
    }
    many.push_str("\r\n");
    let large = format!(
        "GET /session-templates HTTP/1.1\r\nHost: x\r\nX-Big: {}\r\n\r\n",
        "a".repeat(70 * 1024)
    );
    let huge = format!(
        "GET /session-templates HTTP/1.1\r\nHost: x\r\nX-Big: {}\r\n\r\n",
        "a".repeat(1024 * 1024)
    );
    for request in [many, large, huge] {
        let (status, body) = exchange(&s, request.as_bytes()).await;
        assert_eq!(status, 431);
        assert_eq!(
            (body["code"].as_str(), body["status"].as_u64()),
            (Some("request_header_fields_too_large"), Some(431)),
            "{body}"
        );
    }
    let (status, body) = exchange(&s, b"NOT AN HTTP REQUEST\r\n\r\n").await;
    assert_eq!((status, body["code"].as_str()), (400, Some("bad_request")));
    // A head within the limits is read as usual.
    let (status, _) = exchange(
        &s,
        b"GET /no-route HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
    )
    .await;
    assert_eq!(status, 404);
    s.stop().await;
}

#[tokio::test]
async fn shutdown_finishes_requests_in_flight_and_does_not_wait_for_half_open_ones() {
    let s = Server::start_with(Settings {
        shutdown_grace: Duration::from_secs(1),
        header_read_timeout: Duration::from_secs(60),
        keep_alive_timeout: Duration::from_secs(60),
        ..Settings::default()
    })
    .await;
    let mut s = s;
    let mut half_open = TcpStream::connect(address(&s)).await.unwrap();
    half_open
        .write_all(b"GET /session-templates HTTP/1.1\r\nHo")
        .await
        .unwrap();
    let body = br#"{"name": "finished during shutdown"}"#;
    let mut in_flight = TcpStream::connect(address(&s)).await.unwrap();
    let head = format!(
        "POST /session-templates HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {}\r\n\
         Content-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        s.key,
        body.len()
    );
    in_flight.write_all(head.as_bytes()).await.unwrap();
    in_flight.write_all(&body[..10]).await.unwrap();
    tokio::time::sleep(Duration::from_millis(100)).await;
    let _ = s.stop.take().unwrap().send(());
    tokio::time::sleep(Duration::from_millis(200)).await;
    in_flight.write_all(&body[10..]).await.unwrap();
    let answer = read_to_close(&mut in_flight, Duration::from_secs(5))
        .await
        .unwrap();
    let (status, created) = parse_answer(&answer);
    assert_eq!(
        (status, created["name"].as_str()),
        (200, Some("finished during shutdown"))
    );
    let started = Instant::now();
    let task = s.task.take().unwrap();
    tokio::time::timeout(Duration::from_secs(5), task)
        .await
        .expect("serve returns by the shutdown deadline")
        .unwrap();
    assert!(started.elapsed() < Duration::from_secs(3));
    drop(half_open);
}

#[tokio::test]
async fn an_in_memory_database_survives_cancelled_requests() {
    let s = Server::start_full(
        Settings {
            rate_limit: None,
            ..Settings::default()
        },
        true,
        axum::Router::new(),
    )
    .await;
    s.create_template("kept", json!([])).await;
    let request = format!(
        "GET /session-templates HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {}\r\n\r\n",
        s.key
    );
    for _round in 0..5 {
        let sends = (0..200).map(|_| {
            let (addr, request) = (address(&s), request.clone());
            tokio::spawn(async move {
                if let Ok(mut c) = TcpStream::connect(addr).await {
                    let _ = c.write_all(request.as_bytes()).await;
                    // Closed at once: the request is cancelled wherever it is.
                }
            })
        });
        for send in sends.collect::<Vec<_>>() {
            send.await.unwrap();
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
        let (status, list) = s.call(Method::GET, "/session-templates", None).await;
        assert_eq!(status, StatusCode::OK, "{list}");
        assert_eq!(list["items"].as_array().unwrap().len(), 1, "{list}");
    }
    s.stop().await;
}

#[tokio::test]
async fn the_tools_answer_follows_two_filter_writes_in_one_millisecond() {
    // The clock stands still: every write has the same `updated_at`.
    let clock = TestClock::at("2026-06-01T00:00:00.000Z");
    let s = Server::start_with(clock.settings()).await;
    let t = s.create_template("t", json!([])).await;
    let tid = t["id"].as_str().unwrap();
    let (_, p) = s
        .call(
            Method::POST,
            "/session-template-providers",
            Some(json!({"session_template_id": tid, "provider_config_id": LINEAR_CONFIG})),
        )
        .await;
    let pid = p["id"].as_str().unwrap();
    for keys in [["list_issues"], ["get_issue"], ["list_issues"]] {
        let (status, _) = s
            .call(
                Method::PATCH,
                &format!("/session-template-providers/{pid}"),
                Some(json!({"tool_filters": {"tool_keys": keys}})),
            )
            .await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(
            s.tool_keys(tid).await,
            keys,
            "the answer follows the stored filter"
        );
    }
    s.stop().await;
}

#[tokio::test]
async fn a_template_read_racing_its_writes_never_caches_a_stale_copy() {
    let s = Server::start_with(limited(100_000)).await;
    let t = s.create_template("v0", json!([])).await;
    let id = t["id"].as_str().unwrap().to_owned();
    let path = format!("/session-templates/{id}");
    for round in 0..20 {
        let name = format!("v{}", round + 1);
        let write = s.call(Method::PATCH, &path, Some(json!({"name": name})));
        let reads = async {
            for _ in 0..5 {
                s.call(Method::GET, &path, None).await;
            }
        };
        let ((status, _), ()) = tokio::join!(write, reads);
        assert_eq!(status, StatusCode::OK);
        let (_, got) = s.call(Method::GET, &path, None).await;
        assert_eq!(
            got["name"],
            name.as_str(),
            "round {round}: a read after the write sees it"
        );
    }
    s.stop().await;
}

#[test]
fn a_failing_random_generator_refuses_to_start() {
    let err = switchboard_server::new_server_key(|_| Err(getrandom::Error::UNSUPPORTED)).unwrap_err();
    insta::assert_snapshot!(err, @"the system's random generator failed: getrandom: this target is not supported");
    let key = switchboard_server::new_server_key(|b| {
        b.fill(0xab);
        Ok(())
    })
    .unwrap();
    assert_eq!(key, "ab".repeat(32));
}
