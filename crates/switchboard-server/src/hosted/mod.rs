//! The hosted setup flow (contract §9): the pages an end user opens from a
//! setup session's `url`, server-rendered plain forms that work with
//! JavaScript off. Every change is a setup state-machine transition written
//! with the stored version; credentials are sealed before they are stored.
//!
//! Routes (outside the API: no API key opens them, the client secret opens
//! nothing else):
//!
//! | method | path | what |
//! |---|---|---|
//! | GET | `/integration-setup-session/{id}` | the overview |
//! | GET | `/integration-setup-session/{id}/steps/{step}` | a step, at its stage |
//! | POST | `.../steps/{step}/open` | start (or replace) the step's child |
//! | POST | `.../steps/{step}/auth` | an auth form, or an existing auth config |
//! | POST | `.../steps/{step}/oauth` | begin an OAuth sign-in (303 to the provider) |
//! | POST | `.../steps/{step}/config` | a config form, or an existing config |
//! | POST | `.../steps/{step}/tools` | the tools chosen on review |
//! | GET | `/oauth/callback` | the provider's answer |
//! | GET | `/setup.css` | the stylesheet |

use axum::Router;
use axum::extract::{Path, Request, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use hmac::{KeyInit, Mac};
use sha2::Sha256;
use subtle::ConstantTimeEq;
use switchboard_model::id::{IntegrationSetupSessionId, IntegrationSetupSessionStepId};
use switchboard_setup::SetupState;
use switchboard_setup::secret::ClientSecret;
use switchboard_store::Tenant;

use crate::AppState;

mod apply;
mod flow;
mod oauth;
mod pages;
mod submit;
mod view;

pub(crate) use oauth::OAuthHttp;

/// The stylesheet, one small file.
const CSS: &str = include_str!("../../assets/setup.css");

/// The hosted routes, with the page headers.
pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .route("/integration-setup-session/{id}", get(flow::overview))
        .route(
            "/integration-setup-session/{id}/steps/{step}",
            get(flow::step_page),
        )
        .route(
            "/integration-setup-session/{id}/steps/{step}/open",
            post(submit::open_step),
        )
        .route(
            "/integration-setup-session/{id}/steps/{step}/auth",
            post(submit::submit_auth),
        )
        .route(
            "/integration-setup-session/{id}/steps/{step}/oauth",
            post(oauth::begin),
        )
        .route(
            "/integration-setup-session/{id}/steps/{step}/config",
            post(submit::submit_config),
        )
        .route(
            "/integration-setup-session/{id}/steps/{step}/tools",
            post(submit::submit_tools),
        )
        .route("/oauth/callback", get(oauth::callback))
        .route(
            "/setup.css",
            get(|| async {
                let mut r = CSS.into_response();
                let h = r.headers_mut();
                h.insert(
                    header::CONTENT_TYPE,
                    HeaderValue::from_static("text/css; charset=utf-8"),
                );
                // The one shared file holds nothing private: a browser keeps it for an hour.
                h.insert(
                    header::CACHE_CONTROL,
                    HeaderValue::from_static("public, max-age=3600"),
                );
                r
            }),
        )
        .layer(axum::middleware::from_fn(page_headers))
}

/// The policy of every page; a page that posts to a provider adds its origin
/// to `form-action` (Chromium applies it to the redirect after a POST).
pub(crate) fn csp(extra_form_action: Option<&str>) -> String {
    format!(
        "default-src 'none'; style-src 'self'; img-src 'self' data:; base-uri 'none'; frame-ancestors 'none'; \
         form-action 'self'{}{}",
        if extra_form_action.is_some() { " " } else { "" },
        extra_form_action.unwrap_or("")
    )
}

/// `Cache-Control: no-store`, `Referrer-Policy: no-referrer` (the secret is
/// in the URL), `nosniff`, and the strict policy unless the page set its own.
async fn page_headers(req: Request, next: Next) -> Response {
    let mut r = next.run(req).await;
    let h = r.headers_mut();
    if !h.contains_key(header::CACHE_CONTROL) {
        h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    h.insert(header::REFERRER_POLICY, HeaderValue::from_static("no-referrer"));
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    if !h.contains_key(header::CONTENT_SECURITY_POLICY)
        && let Ok(v) = HeaderValue::from_str(&csp(None))
    {
        h.insert(header::CONTENT_SECURITY_POLICY, v);
    }
    r
}

/// The `client_secret` of a page's query.
#[derive(Debug)]
pub(crate) struct SecretQuery {
    client_secret: Option<String>,
    /// `finished=1`: the last step was just done (the overview sends the
    /// browser on to `redirect_url`).
    pub(crate) finished: bool,
}

/// A session opened by its id and client secret.
#[derive(Debug)]
pub(crate) struct Opened {
    pub(crate) tenant: Tenant,
    pub(crate) state: SetupState,
    pub(crate) secret: ClientSecret,
}

/// The one answer to a wrong secret, no secret and an unknown id: the same
/// status and the same bytes.
pub(crate) fn not_found() -> Response {
    let mut r = (StatusCode::NOT_FOUND, pages::NOT_FOUND).into_response();
    r.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    r
}

/// Opens the session `id` with the query's secret; the 404 page otherwise.
pub(crate) async fn open(s: &AppState, id: &str, q: &SecretQuery) -> Result<Opened, Response> {
    let Ok(id) = id.parse::<IntegrationSetupSessionId>() else {
        return Err(not_found());
    };
    let Some(given) = q.client_secret.as_deref() else {
        return Err(not_found());
    };
    // The secret is checked before the database is asked: a guess costs no query.
    if !ClientSecret::check(s.server_key(), &id, given) {
        return Err(not_found());
    }
    match s.store().setup_session_by_id(&id).await {
        Ok(Some((tenant, state))) => Ok(Opened {
            secret: ClientSecret::derive(s.server_key(), &state.id),
            tenant,
            state,
        }),
        Ok(None) => Err(not_found()),
        Err(e) => Err(pages::failure(&e)),
    }
}

/// The form token of `session`'s `step`: HMAC-SHA256 of both under the
/// server key, in another domain than client secrets.
pub(crate) fn form_token(
    s: &AppState,
    session: &IntegrationSetupSessionId,
    step: &IntegrationSetupSessionStepId,
) -> String {
    let mut mac = match <hmac::Hmac<Sha256> as KeyInit>::new_from_slice(s.server_key().as_bytes()) {
        Ok(m) => m,
        Err(_) => return String::new(),
    };
    mac.update(b"switchboard form token\0");
    mac.update(session.to_canonical().as_str().as_bytes());
    mac.update(b"\0");
    mac.update(step.to_canonical().as_str().as_bytes());
    let tag = mac.finalize().into_bytes();
    hex::encode(&tag[..20])
}

/// Whether `given` is the form token of `session`'s `step` (constant time).
pub(crate) fn token_ok(
    s: &AppState,
    session: &IntegrationSetupSessionId,
    step: &IntegrationSetupSessionStepId,
    given: Option<&str>,
) -> bool {
    let expected = form_token(s, session, step);
    given.is_some_and(|g| !expected.is_empty() && bool::from(g.as_bytes().ct_eq(expected.as_bytes())))
}

/// A 303 to `location`.
pub(crate) fn see_other(location: &str) -> Response {
    let mut r = StatusCode::SEE_OTHER.into_response();
    if let Ok(v) = HeaderValue::from_str(location) {
        r.headers_mut().insert(header::LOCATION, v);
    }
    r
}

/// The path and query of a session's page (relative: the public URL's path
/// prefix is the caller's concern only in the API's `url`).
pub(crate) fn page_url(
    state: &SetupState,
    secret: &ClientSecret,
    step: Option<&IntegrationSetupSessionStepId>,
) -> String {
    match step {
        Some(step) => format!(
            "/integration-setup-session/{}/steps/{}?client_secret={}",
            state.id,
            step,
            secret.as_str()
        ),
        None => format!(
            "/integration-setup-session/{}?client_secret={}",
            state.id,
            secret.as_str()
        ),
    }
}

/// The most fields a form post or a page's query may carry.
pub(crate) const MAX_FIELDS: usize = 10_000;

/// The form fields posted, as pairs (repeated names kept in order); `None`
/// past [`MAX_FIELDS`] (never a silent cut).
pub(crate) fn form_pairs(body: &[u8]) -> Option<Vec<(String, String)>> {
    let mut pairs = Vec::new();
    for pair in url::form_urlencoded::parse(body).into_owned() {
        if pairs.len() == MAX_FIELDS {
            return None;
        }
        pairs.push(pair);
    }
    Some(pairs)
}

/// The first value of `name` in posted pairs.
pub(crate) fn field<'a>(pairs: &'a [(String, String)], name: &str) -> Option<&'a str> {
    pairs.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
}

/// Path parameters of a step route.
pub(crate) type StepPath = Result<Path<(String, String)>, axum::extract::rejection::PathRejection>;

/// The handlers' shared extractors.
pub(crate) type Secret = SecretQuery;

impl<S: Send + Sync> axum::extract::FromRequestParts<S> for SecretQuery {
    type Rejection = std::convert::Infallible;

    /// The query's `client_secret`; a query that does not parse has none
    /// (and opens nothing: the 404 page).
    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        _: &S,
    ) -> Result<Self, Self::Rejection> {
        // A query past the limit has no secret (and opens nothing).
        let pairs = form_pairs(parts.uri.query().unwrap_or("").as_bytes()).unwrap_or_default();
        Ok(SecretQuery {
            client_secret: field(&pairs, "client_secret").map(str::to_owned),
            finished: field(&pairs, "finished") == Some("1"),
        })
    }
}

/// Whether the request came with a form body.
pub(crate) fn is_form(headers: &HeaderMap) -> bool {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/x-www-form-urlencoded"))
}

pub(crate) type St = State<AppState>;
