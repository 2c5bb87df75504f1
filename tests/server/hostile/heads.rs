//! Request heads from hostile clients: one header of a megabyte, ten
//! thousand query parameters. Each is refused with the error body, after at
//! most the head limit (64 KiB) was read, and other clients are still served.

use std::time::Duration;

use reqwest::{Method, StatusCode};
use tokio::io::AsyncWriteExt;
use tokio::net::TcpStream;

use super::super::Server;
use super::{address, parse_answer, read_to_close};

/// Sends `head` (a request line and headers) and reads the answer.
async fn send_head(s: &Server, head: &[u8]) -> (u16, serde_json::Value) {
    let mut stream = TcpStream::connect(address(s)).await.unwrap();
    // The server may answer and close before the whole head is written.
    let _ = stream.write_all(head).await;
    let raw = read_to_close(&mut stream, Duration::from_secs(5))
        .await
        .expect("an answer");
    parse_answer(&raw)
}

#[tokio::test]
async fn a_header_of_a_megabyte_is_431_and_others_are_still_served() {
    let s = Server::start().await;
    let mut head = b"GET /session-templates HTTP/1.1\r\nHost: x\r\nX-Big: ".to_vec();
    head.extend(std::iter::repeat_n(b'a', 1024 * 1024));
    head.extend_from_slice(b"\r\n\r\n");
    let ((code, body), (status, _)) = tokio::join!(
        send_head(&s, &head),
        s.call(Method::GET, "/session-templates", None)
    );
    assert_eq!(code, 431, "{body}");
    assert_eq!(body["code"], "request_header_fields_too_large");
    assert_eq!(status, StatusCode::OK);
}

#[tokio::test]
async fn ten_thousand_query_parameters_are_refused_with_the_error_body() {
    let s = Server::start().await;
    // As a request line: 10,000 parameters are over the head limit.
    let query: Vec<String> = (0..10_000).map(|i| format!("p{i}=1")).collect();
    let head = format!(
        "GET /session-templates?{} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {}\r\n\r\n",
        query.join("&"),
        s.key
    );
    let (code, body) = send_head(&s, head.as_bytes()).await;
    assert!(code == 414 || code == 431, "{code}: {body}");
    assert_eq!(body["object"], "error", "{body}");
    // Under the head limit but over the query limits: the query's own error.
    let query: Vec<String> = (0..2_000).map(|i| format!("p{i}=1")).collect();
    let (status, body) = s
        .call(
            Method::GET,
            &format!("/session-templates?{}", query.join("&")),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    insta::assert_snapshot!(body["errors"][0]["message"], @r#""the query has more than the limit of 64 parameters""#);
    // A query of many values under every limit is answered.
    let (status, _) = s
        .call(Method::GET, "/session-templates?limit=5&order=desc", None)
        .await;
    assert_eq!(status, StatusCode::OK);
}
