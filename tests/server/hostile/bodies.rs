//! Request bodies from hostile clients: trickled, or far over the limit.

use std::time::Duration;

use reqwest::{Method, StatusCode};
use tokio::io::AsyncWriteExt;
use tokio::net::TcpStream;

use super::super::{Server, Settings};
use super::{address, parse_answer, read_to_close};

#[tokio::test]
async fn a_body_that_trickles_in_is_408_and_others_are_still_served() {
    let s = Server::start_with(Settings {
        body_read_timeout: Duration::from_millis(800),
        ..Settings::default()
    })
    .await;
    let mut slow = TcpStream::connect(address(&s)).await.unwrap();
    let head = format!(
        "POST /session-templates HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {}\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n",
        s.key
    );
    slow.write_all(head.as_bytes()).await.unwrap();
    let started = std::time::Instant::now();
    let trickle = async {
        for b in b"{\"name\": \"x\"" {
            if slow.write_all(&[*b]).await.is_err() {
                break;
            }
            tokio::time::sleep(Duration::from_millis(150)).await;
        }
    };
    // Meanwhile another client is answered at once.
    let (_, (status, _)) = tokio::join!(trickle, s.call(Method::GET, "/session-templates", None));
    assert_eq!(status, StatusCode::OK);
    let raw = read_to_close(&mut slow, Duration::from_secs(5))
        .await
        .expect("an answer");
    let (code, body) = parse_answer(&raw);
    assert_eq!(code, 408, "{body}");
    assert_eq!(body["code"], "request_timeout");
    assert!(started.elapsed() < Duration::from_secs(3));
}

#[tokio::test]
async fn a_hundred_megabyte_body_is_413_without_being_read_whole() {
    let s = Server::start().await;
    let mut stream = TcpStream::connect(address(&s)).await.unwrap();
    let head = format!(
        "POST /session-templates HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {}\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n",
        s.key,
        100 * 1024 * 1024
    );
    stream.write_all(head.as_bytes()).await.unwrap();
    // Two MiB of the hundred are sent; the answer comes without the rest.
    let chunk = vec![b' '; 64 * 1024];
    for _ in 0..32 {
        if stream.write_all(&chunk).await.is_err() {
            break;
        }
    }
    let raw = read_to_close(&mut stream, Duration::from_secs(5))
        .await
        .expect("an answer");
    let (code, body) = parse_answer(&raw);
    assert_eq!(code, 413, "{body}");
    assert_eq!(body["code"], "payload_too_large");
}
