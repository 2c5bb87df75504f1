#![doc = include_str!("../README.md")]
#![cfg_attr(docsrs, feature(doc_cfg))]

use std::future::Future;
use std::time::{Duration, Instant};

use axum::Router;
use axum::extract::{DefaultBodyLimit, MatchedPath, Request};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use switchboard_model::catalog::Catalog;

mod cache;
mod deadline;
mod error;
mod extract;
mod hosted;
mod idempotency;
mod limit;
pub mod openapi;
mod ops;
mod routes;
pub mod seal;
mod sessions;
mod settings;
mod state;
mod transport;

pub use error::Failure;

pub use settings::{Clock, Settings};

#[doc(hidden)]
pub use limit::LimiterProbe;
pub use state::{AppState, CacheUsage, StartError, new_server_key};

/// Every filter of the catalog compiles, each at its place in the catalog.
fn check_filters(c: &Catalog) -> Result<(), switchboard_toolset::Error> {
    use switchboard_model::error::PathSegment;
    use switchboard_toolset::CompiledFilter;
    let at = |kind: &str, i: usize| {
        [
            PathSegment::from(kind),
            PathSegment::from(i),
            PathSegment::from("tool_filter"),
        ]
    };
    for (i, d) in c.deployments.iter().enumerate() {
        CompiledFilter::compile(&d.tool_filter, &at("deployments", i))?;
    }
    for (i, d) in c.configs.iter().enumerate() {
        CompiledFilter::compile(&d.tool_filter, &at("configs", i))?;
    }
    for (i, d) in c.auth_configs.iter().enumerate() {
        CompiledFilter::compile(&d.tool_filter, &at("auth_configs", i))?;
    }
    for (i, int) in c.integrations.iter().enumerate() {
        for (j, p) in int.providers.iter().enumerate() {
            let path = [
                PathSegment::from("integrations"),
                PathSegment::from(i),
                PathSegment::from("providers"),
                PathSegment::from(j),
                PathSegment::from("tool_filter"),
            ];
            CompiledFilter::compile(&p.tool_filter, &path)?;
        }
    }
    Ok(())
}

/// The time now, from the system clock: what a request reads once and
/// passes down (a clock before 1970 reads as the epoch).
pub fn now() -> switchboard_model::Timestamp {
    let millis = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_millis()).unwrap_or(0));
    switchboard_model::Timestamp::from_millis(millis)
        .or_else(|| switchboard_model::Timestamp::from_millis(0))
        .unwrap_or_else(|| unreachable!("the epoch is in range"))
}

/// The API's routes, with error bodies for everything the framework would
/// answer itself, request logs, and a 500 body for a handler that panics.
pub fn router(state: AppState) -> Router {
    router_with(state, Router::new())
}

/// [`router`] with `extra` routes under the same layers (rate limits,
/// idempotency, logs, the panic guard): for a server that adds its own.
pub fn router_with(state: AppState, extra: Router<AppState>) -> Router {
    let limit = state.body_limit();
    Router::new()
        .merge(extra)
        .merge(hosted::routes())
        .route(
            "/session-templates",
            get(routes::list_templates).post(routes::create_template),
        )
        .route(
            "/session-templates/{id}",
            get(routes::get_template)
                .patch(routes::update_template)
                .delete(routes::delete_template),
        )
        .route("/session-templates/{id}/tools", get(routes::template_tools))
        .route(
            "/session-template-providers",
            get(routes::list_providers).post(routes::create_provider),
        )
        .route(
            "/session-template-providers/{id}",
            get(routes::get_provider)
                .patch(routes::update_provider)
                .delete(routes::delete_provider),
        )
        .route(
            "/integration-setup-sessions",
            get(sessions::list_sessions).post(sessions::create_session),
        )
        .route("/integration-setup-sessions/{id}", get(sessions::get_session))
        .route("/healthz", get(ops::healthz))
        .route("/readyz", get(ops::readyz))
        .route("/metrics", get(ops::metrics))
        .route(
            "/openapi.json",
            get(
                |axum::extract::State(s): axum::extract::State<AppState>| async move {
                    error::json_bytes(s.openapi())
                },
            ),
        )
        .fallback(|req: Request| async move { Failure::no_route(req.uri().path()) })
        .method_not_allowed_fallback(|req: Request| async move {
            Failure::new(
                "method_not_allowed",
                405,
                format!("`{}` is not allowed on this route", req.method()),
            )
        })
        .layer(DefaultBodyLimit::max(limit))
        .layer(axum::middleware::from_fn_with_state(state.clone(), layers))
        .layer(tower_http::catch_panic::CatchPanicLayer::custom(
            |cause: Box<dyn std::any::Any + Send>| {
                let cause = cause
                    .downcast_ref::<&str>()
                    .map(|s| (*s).to_owned())
                    .or_else(|| cause.downcast_ref::<String>().cloned())
                    .unwrap_or_else(|| "(a panic without a message)".to_owned());
                // Logged, never sent: the client sees the code alone.
                Failure::internal(&format_args!("a handler panicked: {cause}")).into_response()
            },
        ))
        .with_state(state)
}

/// The server's own layers around every route, outermost first: the log
/// line and metrics, the rate limit, the body deadline (inside the rate
/// limit: a refused caller's body is not read; around everything that reads
/// a body), idempotency. One middleware that calls each in turn rather than
/// a `from_fn` layer each, which would cost a boxed service and a boxed
/// future per layer and request.
async fn layers(
    axum::extract::State(state): axum::extract::State<AppState>,
    req: Request,
    next: Next,
) -> Response {
    let state = &state;
    log(state, req, move |req| {
        limit::rate_limit(state, req, move |req| {
            deadline::body_deadline(state, req, move |req| {
                idempotency::idempotency(state, req, move |req| next.run(req))
            })
        })
    })
    .await
}

/// One log line per request: id, method, route (never the query, which may
/// carry ids a caller considers private, or a setup page's secret), status,
/// latency; and the same counted in the metrics.
async fn log<Fut: Future<Output = Response>>(
    state: &AppState,
    req: Request,
    next: impl FnOnce(Request) -> Fut,
) -> Response {
    static NEXT_ID: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);
    let id = NEXT_ID.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let (method, route) = ops::label(
        req.method(),
        req.extensions().get::<MatchedPath>().map(MatchedPath::as_str),
    );
    let started = Instant::now();
    let response = next(req).await;
    let latency: Duration = started.elapsed();
    state
        .metrics()
        .record(method, route, response.status().as_u16(), latency);
    tracing::info!(
        request_id = id,
        %method,
        route,
        status = response.status().as_u16(),
        latency_us = latency.as_micros() as u64,
        "request"
    );
    response
}

/// Serves the API on `listener` until `shutdown` resolves, then finishes the
/// requests in flight within [`Settings::shutdown_grace`]. Connections are
/// held to the state's settings: header-read and keep-alive timeouts, a cap
/// on connections, header limits (`431` with the error body).
pub async fn serve(
    listener: tokio::net::TcpListener,
    state: AppState,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> Result<(), StartError> {
    let router = router(state.clone());
    serve_router(listener, router, &state, shutdown).await
}

/// [`serve`] for a router of one's own (say [`router_with`] extra routes),
/// held to `state`'s connection settings.
pub async fn serve_router(
    listener: tokio::net::TcpListener,
    router: Router,
    state: &AppState,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> Result<(), StartError> {
    transport::serve(listener, router, state.settings(), shutdown).await
}
