//! `serve --demo`'s own OAuth provider, clearly labelled as a demo, so that
//! a person can walk a setup session's OAuth step on their own machine: an
//! authorization page (Allow / Deny), and a token endpoint that checks the
//! PKCE verifier against the challenge and takes each code once.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use axum::Router;
use axum::extract::{Query, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use base64::Engine;
use sha2::{Digest, Sha256};
use switchboard_model::catalog::{Catalog, OAuthCredentials};
use switchboard_server::AppState;

/// The most codes waiting for their exchange.
const MAX_CODES: usize = 1_000;

#[derive(Debug, Default)]
struct Codes(Mutex<HashMap<String, (String, String)>>);

/// Adds the demo provider's credentials to every provider whose auth method
/// is `oauth` and that has none.
pub fn add_credentials(catalog: &mut Catalog, public_url: &str) {
    let base = public_url.trim_end_matches('/');
    let oauth: Vec<_> = catalog
        .provider_versions
        .iter()
        .filter(|v| v.auth_methods.iter().any(|m| m.kind.as_str() == "oauth"))
        .map(|v| (v.provider_id.clone(), v.created_at))
        .collect();
    for (provider, at) in oauth {
        if catalog.auth_credentials.iter().any(|c| c.provider_id == provider) {
            continue;
        }
        let tail = provider.as_str().split_once('_').map_or("x", |(_, t)| t);
        let Ok(id) = format!("par_demo{tail}").parse() else {
            continue;
        };
        catalog.auth_credentials.push(OAuthCredentials {
            id,
            provider_id: provider,
            name: Some("Demo sign-in (not the real provider)".to_owned()),
            authorization_endpoint: format!("{base}/demo-oauth/authorize"),
            token_endpoint: format!("{base}/demo-oauth/token"),
            client_id: "switchboard-demo".to_owned(),
            client_secret_env: None,
            created_at: at,
            updated_at: at,
        });
    }
}

/// The demo provider's routes.
pub fn routes() -> Router<AppState> {
    let codes = Arc::new(Codes::default());
    Router::new()
        .route("/demo-oauth/authorize", get(authorize))
        .route("/demo-oauth/token", post(token))
        .layer(axum::Extension(codes))
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&#39;")
}

fn page(status: StatusCode, body: String) -> Response {
    let mut r = (status, body).into_response();
    let h = r.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static("default-src 'none'; style-src 'self'; frame-ancestors 'none'"),
    );
    r
}

async fn authorize(
    State(_): State<AppState>,
    axum::Extension(codes): axum::Extension<Arc<Codes>>,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    let get = |k: &str| q.get(k).map(String::as_str).unwrap_or("");
    let (redirect, state, challenge) = (get("redirect_uri"), get("state"), get("code_challenge"));
    let Ok(mut allow) = url::Url::parse(redirect) else {
        return page(
            StatusCode::BAD_REQUEST,
            "<p>redirect_uri is not a URL</p>".to_owned(),
        );
    };
    if get("code_challenge_method") != "S256" || challenge.is_empty() || state.is_empty() {
        return page(
            StatusCode::BAD_REQUEST,
            "<p>PKCE (S256) and state are required</p>".to_owned(),
        );
    }
    let mut bytes = [0u8; 24];
    if getrandom::fill(&mut bytes).is_err() {
        return page(
            StatusCode::INTERNAL_SERVER_ERROR,
            "<p>no random numbers</p>".to_owned(),
        );
    }
    let code = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes);
    {
        let mut map = codes.0.lock().unwrap_or_else(|e| e.into_inner());
        if map.len() >= MAX_CODES {
            map.clear();
        }
        map.insert(code.clone(), (challenge.to_owned(), get("scope").to_owned()));
    }
    let mut deny = allow.clone();
    allow
        .query_pairs_mut()
        .append_pair("code", &code)
        .append_pair("state", state);
    deny.query_pairs_mut()
        .append_pair("error", "access_denied")
        .append_pair("state", state);
    page(
        StatusCode::OK,
        format!(
            "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">\
             <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
             <title>Demo sign-in</title><link rel=\"stylesheet\" href=\"/setup.css\"></head>\
             <body class=\"layout-box\"><main class=\"card\"><p class=\"eyebrow\">switchboard demo</p>\
             <h1>Demo sign-in</h1><p>This page stands in for a provider's sign-in page. It is part of \
             <code>switchboard serve --demo</code>; no real account is involved.</p>\
             <p>Access requested: <code>{}</code></p>\
             <p><a class=\"button\" href=\"{}\">Allow</a> <a href=\"{}\">Deny</a></p></main></body></html>",
            escape(get("scope")),
            escape(allow.as_str()),
            escape(deny.as_str())
        ),
    )
}

async fn token(
    State(_): State<AppState>,
    axum::Extension(codes): axum::Extension<Arc<Codes>>,
    body: axum::body::Bytes,
) -> Response {
    let form: HashMap<String, String> = url::form_urlencoded::parse(&body).into_owned().collect();
    let get = |k: &str| form.get(k).map(String::as_str).unwrap_or("");
    let refuse = |error: &str| {
        let mut r = (StatusCode::BAD_REQUEST, format!("{{\"error\":\"{error}\"}}")).into_response();
        r.headers_mut()
            .insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json"));
        r
    };
    if get("grant_type") != "authorization_code" {
        return refuse("unsupported_grant_type");
    }
    // Each code once.
    let taken = codes
        .0
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .remove(get("code"));
    let Some((challenge, scope)) = taken else {
        return refuse("invalid_grant");
    };
    let computed = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .encode(Sha256::digest(get("code_verifier").as_bytes()));
    if computed != challenge {
        return refuse("invalid_grant");
    }
    let mut bytes = [0u8; 24];
    if getrandom::fill(&mut bytes).is_err() {
        return refuse("server_error");
    }
    let access = format!(
        "demo-{}",
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
    );
    let body = serde_json::json!({"access_token": access, "token_type": "bearer", "scope": scope});
    let mut r = (StatusCode::OK, body.to_string()).into_response();
    r.headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json"));
    r
}
