//! Rate limits per API key (contract §8): a fixed window per key; every
//! answer to a request with a key carries `RateLimit-Limit`,
//! `RateLimit-Remaining` and `RateLimit-Reset` (seconds), and a request over
//! the limit is `429 too_many_requests` with `Retry-After`.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::AppState;
use crate::error::Failure;

/// The most keys counted in one window.
const MAX_TRACKED: usize = 100_000;

/// Requests per key per window.
#[derive(Debug)]
pub(crate) struct RateLimiter {
    limit: u32,
    window: Duration,
    state: Mutex<(Instant, HashMap<String, u32>)>,
}

/// What the limiter says of one request.
struct Verdict {
    allowed: bool,
    remaining: u32,
    reset_secs: u64,
}

impl RateLimiter {
    pub(crate) fn new(limit: u32, window: Duration) -> Self {
        RateLimiter {
            limit,
            window,
            state: Mutex::new((Instant::now(), HashMap::new())),
        }
    }

    fn check(&self, key_hash: String) -> Verdict {
        let now = Instant::now();
        let mut guard = self.state.lock().unwrap_or_else(|e| e.into_inner());
        let (started, counts) = &mut *guard;
        if now.duration_since(*started) >= self.window {
            // A new window: every count starts again (and the map's memory is bounded by one window's keys).
            *started = now;
            counts.clear();
        }
        let reset_secs = (self.window - now.duration_since(*started)).as_secs().max(1);
        if counts.len() >= MAX_TRACKED && !counts.contains_key(&key_hash) {
            // Past the bound, a key not seen this window is not tracked: the
            // map cannot grow with made-up keys (which the auth check refuses anyway).
            return Verdict {
                allowed: true,
                remaining: self.limit.saturating_sub(1),
                reset_secs,
            };
        }
        let used = counts.entry(key_hash).or_insert(0);
        let allowed = *used < self.limit;
        if allowed {
            *used += 1;
        }
        Verdict {
            allowed,
            remaining: self.limit - *used,
            reset_secs,
        }
    }
}

fn set(headers: &mut HeaderMap, name: &'static str, value: u64) {
    if let Ok(v) = HeaderValue::from_str(&value.to_string()) {
        headers.insert(name, v);
    }
}

/// The middleware: counts requests that carry a key.
pub(crate) async fn rate_limit(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let Some(limiter) = state.rate_limiter() else {
        return next.run(req).await;
    };
    let Some(key) = req
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
    else {
        return next.run(req).await;
    };
    let verdict = limiter.check(switchboard_store::ApiKey::hash_of(key));
    let mut response = if verdict.allowed {
        next.run(req).await
    } else {
        let mut r = Failure::new(
            "too_many_requests",
            429,
            format!(
                "more than {} requests in {} seconds with this key",
                limiter.limit,
                limiter.window.as_secs()
            ),
        )
        .into_response();
        set(r.headers_mut(), "retry-after", verdict.reset_secs);
        r
    };
    let headers = response.headers_mut();
    set(headers, "ratelimit-limit", u64::from(limiter.limit));
    set(headers, "ratelimit-remaining", u64::from(verdict.remaining));
    set(headers, "ratelimit-reset", verdict.reset_secs);
    response
}
