//! `Idempotency-Key` on POST and PATCH (contract §8, Stripe's semantics):
//! the first request with a key runs and its answer is stored if it is a 2xx
//! or a 5xx; a repeat of the same request (method, path and body, compared
//! byte for byte) gets the stored answer; the same key with another request
//! is `400 bad_request`; a repeat while the first still runs is `409
//! conflict`. A 4xx stores nothing, so the caller can fix the request and
//! retry with the same key. Keys live 24 hours, per instance; a key whose
//! request died is free again after 60 seconds. GET and DELETE are
//! idempotent by themselves: the header has no effect on them.

use axum::body::{Body, to_bytes};
use axum::extract::Request;
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::response::{IntoResponse, Response};
use sha2::{Digest, Sha256};
use switchboard_store::Claim;

use crate::AppState;
use crate::error::Failure;
use crate::extract::tenant_of;

/// The longest key accepted.
pub(crate) const MAX_KEY_LEN: usize = 255;
/// How long a running claim holds its key.
pub(crate) const STALE_MILLIS: i64 = 60_000;
/// How long an answer is kept.
pub(crate) const KEEP_MILLIS: i64 = 24 * 60 * 60 * 1000;
/// The largest answer stored.
const MAX_STORED: usize = 16 * 1024 * 1024;

pub(crate) async fn idempotency<Fut: Future<Output = Response>>(
    state: &AppState,
    req: Request,
    next: impl FnOnce(Request) -> Fut,
) -> Response {
    match run(state, req, next).await {
        Ok(r) => r,
        Err(f) => f.into_response(),
    }
}

async fn run<Fut: Future<Output = Response>>(
    state: &AppState,
    req: Request,
    next: impl FnOnce(Request) -> Fut,
) -> Result<Response, Failure> {
    let Some(value) = req.headers().get("idempotency-key") else {
        return Ok(next(req).await);
    };
    if req.method() != Method::POST && req.method() != Method::PATCH {
        return Ok(next(req).await);
    }
    let key = value
        .to_str()
        .ok()
        .filter(|k| !k.is_empty() && k.len() <= MAX_KEY_LEN)
        .map(str::to_owned)
        .ok_or_else(|| {
            Failure::new(
                "bad_request",
                400,
                format!("`Idempotency-Key` must be 1 to {MAX_KEY_LEN} visible ASCII characters"),
            )
        })?;
    let tenant = tenant_of(state, req.headers()).await?;
    let (parts, body) = req.into_parts();
    let limit = state.body_limit();
    let bytes = to_bytes(body, limit).await.map_err(|_| {
        Failure::new(
            "payload_too_large",
            413,
            format!("the body is larger than the limit of {limit} bytes"),
        )
    })?;
    // What a repeat must match: method, path and body, byte for byte.
    let mut hasher = Sha256::new();
    hasher.update(parts.method.as_str().as_bytes());
    hasher.update([0]);
    hasher.update(parts.uri.path().as_bytes());
    hasher.update([0]);
    hasher.update(&bytes);
    let hash = hex::encode(hasher.finalize());
    let now = state.now();
    let at = |delta: i64| now.checked_add_millis(-delta).unwrap_or(now);
    let claim = state
        .store()
        .claim_idempotency_key(&tenant, &key, &hash, now, at(STALE_MILLIS), at(KEEP_MILLIS))
        .await?;
    match claim {
        Claim::Run => {}
        Claim::Replay { status, body } => {
            let mut r = (StatusCode::from_u16(status).unwrap_or(StatusCode::OK), body).into_response();
            r.headers_mut()
                .insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json"));
            r.headers_mut()
                .insert("idempotent-replayed", HeaderValue::from_static("true"));
            return Ok(r);
        }
        Claim::Mismatch => {
            return Err(Failure::new(
                "bad_request",
                400,
                "this `Idempotency-Key` was used with another request; use a new key",
            ));
        }
        Claim::InProgress => {
            return Err(Failure::new(
                "conflict",
                409,
                "a request with this `Idempotency-Key` is still running; retry later",
            ));
        }
    }
    let response = next(Request::from_parts(parts, Body::from(bytes))).await;
    let status = response.status();
    if status.is_client_error() {
        state.store().release_idempotency_key(&tenant, &key).await?;
        return Ok(response);
    }
    let (parts, body) = response.into_parts();
    let Ok(body) = to_bytes(body, MAX_STORED).await else {
        state.store().release_idempotency_key(&tenant, &key).await?;
        return Err(Failure::internal(&"an answer too large to store"));
    };
    let text = String::from_utf8_lossy(&body);
    state
        .store()
        .finish_idempotency_key(&tenant, &key, status.as_u16(), &text)
        .await?;
    Ok(Response::from_parts(parts, Body::from(body)))
}
