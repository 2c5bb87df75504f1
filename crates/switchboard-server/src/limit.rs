//! Rate limits (contract §8), as a token bucket per caller (the generic cell
//! rate algorithm: one instant per bucket, the "theoretical arrival time").
//!
//! - A request whose API key this server has verified counts against that
//!   key: its hash after the header is parsed, so `Bearer K`, `bearer K` and
//!   `Bearer  K` are one bucket.
//! - Every other request (no key, a malformed header, an unknown key, or a
//!   valid key not yet verified by this server) counts against its client
//!   address (an IPv6 address by its /64), so junk keys cannot turn into
//!   unlimited database look-ups.
//! - Over a database that other replicas share (PostgreSQL), a verified
//!   key's bucket lives in the database, counted by one atomic upsert per
//!   request ([`switchboard_store::Store::count_request`]), so N replicas
//!   together allow the configured rate, not N times it. Client addresses
//!   stay in memory, per replica (a request without a verified key never
//!   costs a database write).
//! - Each of the two tables in memory holds at most [`MAX_BUCKETS`] buckets. A bucket
//!   that has refilled is the same as no bucket and is dropped to make room;
//!   when every bucket is still counting, a new caller is refused with `429`
//!   until one refills. The limiter never stops counting.
//!
//! Every answer carries `RateLimit-Limit`, `RateLimit-Remaining` and
//! `RateLimit-Reset` (seconds until the bucket is full again); a `429` also
//! carries `Retry-After` (seconds until the next request is allowed).

use std::collections::HashMap;
use std::hash::Hash;
use std::net::{IpAddr, Ipv6Addr, SocketAddr};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use axum::extract::{ConnectInfo, Request};
use axum::http::{HeaderMap, HeaderValue};
use axum::response::{IntoResponse, Response};

use crate::AppState;
use crate::error::Failure;

/// The most buckets one table holds (verified keys; client addresses).
pub const MAX_BUCKETS: usize = 100_000;

/// Who a request is counted against.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Caller {
    Key,
    Address,
}

/// What the limiter says of one request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Verdict {
    /// The request may run.
    pub(crate) allowed: bool,
    /// Requests left in the bucket after this one.
    pub(crate) remaining: u32,
    /// Seconds until the bucket is full again.
    pub(crate) reset_secs: u64,
    /// Seconds until the next request is allowed (for `Retry-After`).
    pub(crate) retry_secs: u64,
}

/// One table of buckets: the theoretical arrival time of each caller.
#[derive(Debug)]
struct Buckets<K> {
    tats: HashMap<K, Instant>,
    /// Before this instant no bucket can have refilled (a sweep found none),
    /// so a full table refuses without sweeping again.
    no_sweep_before: Option<Instant>,
}

/// Requests per caller per window, `limit` at once at most.
#[derive(Debug)]
pub(crate) struct RateLimiter {
    limit: u32,
    window: Duration,
    /// The time one request's token takes to come back.
    interval: Duration,
    capacity: usize,
    keys: Mutex<Buckets<String>>,
    addresses: Mutex<Buckets<IpAddr>>,
}

fn ceil_secs(d: Duration) -> u64 {
    d.as_secs() + u64::from(d.subsec_nanos() > 0)
}

impl<K: Hash + Eq> Buckets<K> {
    fn new() -> Self {
        Buckets {
            tats: HashMap::new(),
            no_sweep_before: None,
        }
    }
}

impl RateLimiter {
    /// `limit` requests per `window` per caller (`limit` > 0), each table
    /// holding at most `capacity` callers.
    pub(crate) fn new(limit: u32, window: Duration, capacity: usize) -> Self {
        RateLimiter {
            limit,
            window,
            interval: window / limit.max(1),
            capacity,
            keys: Mutex::new(Buckets::new()),
            addresses: Mutex::new(Buckets::new()),
        }
    }

    /// Counts a request of a verified key (by its hash).
    pub(crate) fn check_key(&self, hash: &str, now: Instant) -> Verdict {
        let mut b = self.keys.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(tat) = b.tats.get_mut(hash) {
            return self.take(tat, now);
        }
        self.take_new(&mut b, hash.to_owned(), now)
    }

    /// Counts a request without a verified key, by its client address.
    pub(crate) fn check_address(&self, address: IpAddr, now: Instant) -> Verdict {
        let address = bucket_address(address);
        let mut b = self.addresses.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(tat) = b.tats.get_mut(&address) {
            return self.take(tat, now);
        }
        self.take_new(&mut b, address, now)
    }

    /// The arithmetic: a request is allowed while the bucket's arrival time
    /// is at most `limit - 1` intervals ahead of now.
    fn take(&self, tat: &mut Instant, now: Instant) -> Verdict {
        let base = (*tat).max(now);
        let allowed = base - now <= self.burst();
        if allowed {
            *tat = base + self.interval;
        }
        self.verdict(allowed, (*tat).max(now) - now)
    }

    /// How far ahead of now a bucket may be and still allow a request.
    fn burst(&self) -> Duration {
        self.interval * (self.limit - 1)
    }

    /// The verdict on a request, given whether it was allowed and how far
    /// ahead of now the bucket's arrival time is after it.
    fn verdict(&self, allowed: bool, ahead: Duration) -> Verdict {
        if !allowed {
            return Verdict {
                allowed: false,
                remaining: 0,
                reset_secs: ceil_secs(ahead).max(1),
                retry_secs: ceil_secs(ahead.saturating_sub(self.burst())).max(1),
            };
        }
        let used = ahead.as_nanos().div_ceil(self.interval.as_nanos().max(1));
        Verdict {
            allowed: true,
            remaining: self.limit.saturating_sub(u32::try_from(used).unwrap_or(u32::MAX)),
            reset_secs: ceil_secs(ahead).max(1),
            retry_secs: 0,
        }
    }

    /// Counts a request of a verified key (by its hash) in the database
    /// the replicas share, at `now` (microseconds since the Unix epoch).
    async fn check_key_shared(
        &self,
        store: &switchboard_store::Store,
        hash: &str,
        now: i64,
    ) -> Result<Verdict, switchboard_store::StoreError> {
        let micros = |d: Duration| i64::try_from(d.as_micros()).unwrap_or(i64::MAX);
        let count = store
            .count_request(
                &format!("key:{hash}"),
                now,
                micros(self.interval).max(1),
                micros(self.burst()),
            )
            .await?;
        let ahead = Duration::from_micros(u64::try_from(count.tat.saturating_sub(now)).unwrap_or(0));
        Ok(self.verdict(count.allowed, ahead))
    }

    fn take_new<K: Hash + Eq>(&self, b: &mut Buckets<K>, key: K, now: Instant) -> Verdict {
        if b.tats.len() >= self.capacity {
            if b.no_sweep_before.is_none_or(|t| now >= t) {
                // A refilled bucket is the same as none: drop those.
                b.tats.retain(|_, tat| *tat > now);
                b.no_sweep_before = b.tats.values().min().copied();
            }
            if b.tats.len() >= self.capacity {
                let wait = b
                    .no_sweep_before
                    .map_or(self.window, |t| t.saturating_duration_since(now));
                return Verdict {
                    allowed: false,
                    remaining: 0,
                    reset_secs: ceil_secs(wait).max(1),
                    retry_secs: ceil_secs(wait).max(1),
                };
            }
        }
        let tat = b.tats.entry(key).or_insert(now);
        self.take(tat, now)
    }
}

/// The bucket of a client address: an IPv4 address itself, an IPv6 address
/// by its /64 (one host can hold a whole /64), an IPv4-mapped one as IPv4.
fn bucket_address(a: IpAddr) -> IpAddr {
    match a {
        IpAddr::V4(_) => a,
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => IpAddr::V4(v4),
            None => {
                let s = v6.segments();
                IpAddr::V6(Ipv6Addr::new(s[0], s[1], s[2], s[3], 0, 0, 0, 0))
            }
        },
    }
}

fn set(headers: &mut HeaderMap, name: &'static str, value: u64) {
    headers.insert(name, HeaderValue::from(value));
}

/// The client behind `peer`: the peer itself, unless it is a trusted proxy;
/// then the right-most `X-Forwarded-For` address that is not a trusted proxy
/// (the left-most entries are the client's own word, and could be anything).
/// A header that does not parse counts against the proxy.
pub(crate) fn client_address(peer: IpAddr, headers: &HeaderMap, trusted: &[ipnet::IpNet]) -> IpAddr {
    let is_trusted = |a: &IpAddr| trusted.iter().any(|net| net.contains(a));
    if trusted.is_empty() || !is_trusted(&peer) {
        return peer;
    }
    let mut client = peer;
    // Every `X-Forwarded-For` header, in order, as one list.
    let hops: Vec<&str> = headers
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .collect();
    for hop in hops.iter().rev().take(32) {
        let Ok(address) = hop.trim().parse::<IpAddr>() else {
            return client;
        };
        client = address;
        if !is_trusted(&address) {
            break;
        }
    }
    client
}

/// The middleware: every request is counted, against its verified key or
/// its client address (the connection's peer; a router served without
/// [`ConnectInfo`] counts every such request against one shared bucket).
pub(crate) async fn rate_limit<Fut: Future<Output = Response>>(
    state: &AppState,
    req: Request,
    next: impl FnOnce(Request) -> Fut,
) -> Response {
    let Some(limiter) = state.rate_limiter() else {
        return next(req).await;
    };
    let now = Instant::now();
    let verified = crate::extract::bearer_key(req.headers())
        .ok()
        .map(switchboard_store::ApiKey::hash_of)
        .filter(|hash| state.known_key(hash).is_some());
    let (caller, verdict) = match verified {
        Some(hash) if state.store().is_shared() => {
            let micros = std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| i64::try_from(d.as_micros()).unwrap_or(i64::MAX));
            match limiter.check_key_shared(state.store(), &hash, micros).await {
                Ok(verdict) => (Caller::Key, verdict),
                // The database is not answering: the request goes on and
                // meets the same failure (a `503`) rather than a limit.
                Err(e) => {
                    tracing::warn!(error = %e, "rate limit not counted: the database did not answer");
                    return next(req).await;
                }
            }
        }
        Some(hash) => (Caller::Key, limiter.check_key(&hash, now)),
        None => {
            let peer = req
                .extensions()
                .get::<ConnectInfo<SocketAddr>>()
                .map_or(IpAddr::from([0, 0, 0, 0]), |c| c.0.ip());
            let address = client_address(peer, req.headers(), &state.settings().trusted_proxies);
            (Caller::Address, limiter.check_address(address, now))
        }
    };
    let mut response = if verdict.allowed {
        next(req).await
    } else {
        let who = match caller {
            Caller::Key => "with this key",
            Caller::Address => "from this address without a verified key",
        };
        let mut r = Failure::new(
            "too_many_requests",
            429,
            format!(
                "more than {} requests in {} seconds {who}; retry after {} seconds",
                limiter.limit,
                limiter.window.as_secs(),
                verdict.retry_secs
            ),
        )
        .into_response();
        set(r.headers_mut(), "retry-after", verdict.retry_secs);
        r
    };
    let headers = response.headers_mut();
    set(headers, "ratelimit-limit", u64::from(limiter.limit));
    set(headers, "ratelimit-remaining", u64::from(verdict.remaining));
    set(headers, "ratelimit-reset", verdict.reset_secs);
    response
}

#[doc(hidden)]
/// The limiter's arithmetic alone, for tests: `limit` per `window`, at most
/// `capacity` callers; each call counts one request of `caller` (a key hash)
/// at `at` after the limiter's start and returns (allowed, remaining,
/// reset seconds, retry seconds).
#[derive(Debug)]
pub struct LimiterProbe {
    limiter: RateLimiter,
    start: Instant,
}

impl LimiterProbe {
    /// A limiter of `limit` requests per `window`, `capacity` callers.
    pub fn new(limit: u32, window: Duration, capacity: usize) -> Self {
        LimiterProbe {
            limiter: RateLimiter::new(limit, window, capacity),
            start: Instant::now(),
        }
    }

    /// Counts one request of `caller` at `at` after the start.
    pub fn key(&self, caller: &str, at: Duration) -> (bool, u32, u64, u64) {
        let v = self.limiter.check_key(caller, self.start + at);
        (v.allowed, v.remaining, v.reset_secs, v.retry_secs)
    }

    /// Counts one request from `address` at `at` after the start.
    pub fn address(&self, address: IpAddr, at: Duration) -> (bool, u32, u64, u64) {
        let v = self.limiter.check_address(address, self.start + at);
        (v.allowed, v.remaining, v.reset_secs, v.retry_secs)
    }
}
