//! Operations routes (contract §8), for orchestrators and scrapers: no API
//! key opens them and none answers with one.
//!
//! - `GET /healthz`: the process runs (`200 {"status": "ok"}`).
//! - `GET /readyz`: the database answers within the store's timeout
//!   (`200 {"status": "ready"}`), else `503 service_unavailable`.
//! - `GET /metrics`: the Prometheus text format (OpenMetrics, through the
//!   `prometheus-client` crate): requests by method, route and status, a
//!   latency histogram by route, the pool's connections, database errors.

use std::time::Duration;

use axum::extract::State;
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::{Histogram, exponential_buckets};
use prometheus_client::registry::Registry;

use crate::AppState;
use crate::error::{Failure, json};

/// A request's labels: bounded, since the route is the router's pattern
/// (`/session-templates/{id}`), never the path.
#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct RequestLabels {
    method: &'static str,
    route: &'static str,
    status: u16,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct RouteLabels {
    route: &'static str,
}

fn latency_histogram() -> Histogram {
    // 0.25 ms to about 4 s.
    Histogram::new(exponential_buckets(0.000_25, 2.0, 15))
}

/// The server's metrics.
pub(crate) struct Metrics {
    registry: Registry,
    requests: Family<RequestLabels, Counter>,
    latency: Family<RouteLabels, Histogram, fn() -> Histogram>,
    pool_open: Gauge,
    pool_idle: Gauge,
    database_errors: Counter,
}

impl std::fmt::Debug for Metrics {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Metrics(..)")
    }
}

impl Metrics {
    pub(crate) fn new() -> Metrics {
        let mut registry = Registry::with_prefix("switchboard");
        let requests = Family::<RequestLabels, Counter>::default();
        let latency =
            Family::<RouteLabels, Histogram, fn() -> Histogram>::new_with_constructor(latency_histogram);
        let (pool_open, pool_idle, database_errors) =
            (Gauge::default(), Gauge::default(), Counter::default());
        registry.register(
            "http_requests",
            "Requests answered, by method, route and status",
            requests.clone(),
        );
        registry.register(
            "http_request_duration_seconds",
            "Time to answer a request, by route",
            latency.clone(),
        );
        registry.register(
            "db_pool_connections",
            "Open database connections",
            pool_open.clone(),
        );
        registry.register(
            "db_pool_idle_connections",
            "Idle database connections",
            pool_idle.clone(),
        );
        registry.register(
            "db_errors",
            "Database failures and timeouts since the start",
            database_errors.clone(),
        );
        Metrics {
            registry,
            requests,
            latency,
            pool_open,
            pool_idle,
            database_errors,
        }
    }

    /// Counts one answered request (the labels are [`label`]s: no
    /// allocation per request).
    pub(crate) fn record(&self, method: &'static str, route: &'static str, status: u16, latency: Duration) {
        self.requests
            .get_or_create(&RequestLabels {
                method,
                route,
                status,
            })
            .inc();
        self.latency
            .get_or_create(&RouteLabels { route })
            .observe(latency.as_secs_f64());
    }
}

/// A request's method and route as labels kept for the process's life: the
/// standard methods (any other is `OTHER`, so a client cannot grow the
/// metrics with made-up methods) and the router's patterns (a fixed set)
/// or `(no route)`.
pub(crate) fn label(method: &axum::http::Method, route: Option<&str>) -> (&'static str, &'static str) {
    use axum::http::Method;
    let method = [
        Method::GET,
        Method::POST,
        Method::PATCH,
        Method::PUT,
        Method::DELETE,
        Method::HEAD,
        Method::OPTIONS,
        Method::TRACE,
        Method::CONNECT,
    ]
    .iter()
    .find(|m| *m == method)
    .map_or("OTHER", Method::as_str);
    let Some(route) = route else {
        return (method, "(no route)");
    };
    static ROUTES: std::sync::RwLock<Vec<&'static str>> = std::sync::RwLock::new(Vec::new());
    let known = ROUTES
        .read()
        .unwrap_or_else(|e| e.into_inner())
        .iter()
        .find(|r| **r == route)
        .copied();
    let route = known.unwrap_or_else(|| {
        let mut routes = ROUTES.write().unwrap_or_else(|e| e.into_inner());
        match routes.iter().find(|r| **r == route) {
            Some(r) => r,
            None => {
                // Once per pattern of the router, for the process's life.
                let leaked: &'static str = Box::leak(route.to_owned().into_boxed_str());
                routes.push(leaked);
                leaked
            }
        }
    });
    (method, route)
}

/// `GET /healthz`
pub(crate) async fn healthz() -> Response {
    json(&serde_json::json!({"status": "ok"}))
}

/// `GET /readyz`
pub(crate) async fn readyz(State(s): State<AppState>) -> Result<Response, Failure> {
    s.store().ping().await?;
    Ok(json(&serde_json::json!({"status": "ready"})))
}

/// `GET /metrics`
pub(crate) async fn metrics(State(s): State<AppState>) -> Response {
    let m = s.metrics();
    let (open, idle) = s.store().pool_usage();
    m.pool_open.set(i64::from(open));
    m.pool_idle.set(i64::try_from(idle).unwrap_or(i64::MAX));
    let errors = switchboard_store::database_errors();
    let seen = m.database_errors.get();
    m.database_errors.inc_by(errors.saturating_sub(seen));
    let mut text = String::new();
    if let Err(e) = prometheus_client::encoding::text::encode(&mut text, &m.registry) {
        return Failure::internal(&e).into_response();
    }
    let mut r = text.into_response();
    r.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/openmetrics-text; version=1.0.0; charset=utf-8"),
    );
    r
}
