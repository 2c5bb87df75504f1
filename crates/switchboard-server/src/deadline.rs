//! A request body must arrive within [`Settings::body_read_timeout`]: a
//! client that trickles its body byte by byte gets `408 request_timeout`
//! instead of holding a connection and a handler. The body is read here,
//! at most one byte past the body limit (the extractor then answers `413`),
//! so a 100 MB body costs 1 MiB, not 100.
//!
//! [`Settings::body_read_timeout`]: crate::Settings::body_read_timeout

use axum::body::{Body, Bytes};
use axum::extract::Request;
use axum::response::{IntoResponse, Response};
use http_body_util::BodyExt;

use crate::{AppState, Failure};

/// Reads the body under the deadline, then passes the request on.
pub(crate) async fn body_deadline<Fut: Future<Output = Response>>(
    state: &AppState,
    req: Request,
    next: impl FnOnce(Request) -> Fut,
) -> Response {
    // Nothing to wait for (a GET, say): no timer, no copy.
    if axum::body::HttpBody::is_end_stream(req.body()) {
        return next(req).await;
    }
    let (parts, mut body) = req.into_parts();
    let limit = state.body_limit();
    let timeout = state.settings().body_read_timeout;
    let read = async {
        let mut buf: Vec<u8> = Vec::new();
        while let Some(frame) = body.frame().await {
            let Ok(frame) = frame else { return Err(()) };
            if let Ok(data) = frame.into_data() {
                buf.extend_from_slice(&data);
                // One byte past the limit is enough for the extractor's 413.
                if buf.len() > limit {
                    buf.truncate(limit + 1);
                    break;
                }
            }
        }
        Ok(buf)
    };
    match tokio::time::timeout(timeout, read).await {
        Ok(Ok(bytes)) => next(Request::from_parts(parts, Body::from(Bytes::from(bytes)))).await,
        Ok(Err(())) => Failure::new("bad_request", 400, "the request body could not be read").into_response(),
        Err(_) => Failure::new(
            "request_timeout",
            408,
            format!(
                "the request body did not arrive within {} seconds",
                timeout.as_secs_f64()
            ),
        )
        .into_response(),
    }
}
