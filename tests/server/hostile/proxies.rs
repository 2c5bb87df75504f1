//! Behind a load balancer: the client address comes from `X-Forwarded-For`
//! only when the connection's peer is a trusted proxy.

use reqwest::StatusCode;

use super::super::Server;
use super::limited;

async fn get_from(s: &Server, forwarded: &str) -> StatusCode {
    reqwest::Client::new()
        .get(format!("{}/session-templates", s.base))
        .header("x-forwarded-for", forwarded)
        .send()
        .await
        .unwrap()
        .status()
}

#[tokio::test]
async fn behind_a_trusted_proxy_each_forwarded_client_has_its_own_bucket() {
    let mut settings = limited(2);
    settings.trusted_proxies = vec!["127.0.0.0/8".parse().unwrap()];
    let s = Server::start_with(settings).await;
    // No key: 401, counted against the forwarded client.
    assert_eq!(get_from(&s, "203.0.113.5").await, StatusCode::UNAUTHORIZED);
    assert_eq!(get_from(&s, "203.0.113.5").await, StatusCode::UNAUTHORIZED);
    assert_eq!(get_from(&s, "203.0.113.5").await, StatusCode::TOO_MANY_REQUESTS);
    // Another client behind the same proxy is not limited by the first.
    assert_eq!(get_from(&s, "203.0.113.6").await, StatusCode::UNAUTHORIZED);
    // A client that writes its own address first gains nothing: the
    // right-most address the proxy added is the one counted.
    assert_eq!(
        get_from(&s, "198.51.100.1, 203.0.113.5").await,
        StatusCode::TOO_MANY_REQUESTS
    );
    // A chain of trusted proxies is skipped.
    assert_eq!(
        get_from(&s, "203.0.113.5, 127.0.0.2").await,
        StatusCode::TOO_MANY_REQUESTS
    );
}

#[tokio::test]
async fn without_trusted_proxies_a_forwarded_header_is_not_believed() {
    let s = Server::start_with(limited(2)).await;
    assert_eq!(get_from(&s, "203.0.113.7").await, StatusCode::UNAUTHORIZED);
    assert_eq!(get_from(&s, "203.0.113.8").await, StatusCode::UNAUTHORIZED);
    // Each claimed another address; both counted against the peer.
    assert_eq!(get_from(&s, "203.0.113.9").await, StatusCode::TOO_MANY_REQUESTS);
}
