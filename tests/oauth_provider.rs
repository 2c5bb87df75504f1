//! A small OAuth 2.0 authorization server on loopback, for the hosted
//! flow's tests: an authorize page (Allow / Deny links), and a token
//! endpoint that checks the PKCE verifier against the challenge, takes each
//! code once, and refuses an authorization request that reuses a `state`.

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex};

use axum::Router;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use axum::routing::{get, post};
use base64::Engine;
use sha2::{Digest, Sha256};
use switchboard_model::catalog::{Catalog, OAuthCredentials};

/// What the provider saw.
#[derive(Debug, Default)]
pub struct Seen {
    /// Codes issued and not yet exchanged: challenge and redirect URI.
    codes: HashMap<String, (String, String)>,
    /// Every `state` an authorization request carried.
    pub states: HashSet<String>,
    /// Authorization requests refused for a reused `state`.
    pub reused_states: usize,
    /// Successful token exchanges.
    pub exchanges: usize,
    /// Exchanges refused (unknown or reused code, wrong verifier).
    pub refused_exchanges: usize,
    /// The scopes of the last authorization request.
    pub last_scope: String,
    /// The last client secret sent to the token endpoint.
    pub last_client_secret: Option<String>,
    n: usize,
}

/// A running provider.
pub struct Provider {
    pub base: String,
    pub seen: Arc<Mutex<Seen>>,
    task: tokio::task::JoinHandle<()>,
}

impl Drop for Provider {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// The scopes the provider grants, whatever was asked.
pub const GRANTED: &str = "repo";

impl Provider {
    pub async fn start() -> Provider {
        let seen = Arc::new(Mutex::new(Seen::default()));
        let app = Router::new()
            .route("/authorize", get(authorize))
            .route("/token", post(token))
            .route("/done", get(|| async { Html("<!doctype html><html lang=\"en\"><title>Back at the app</title><main><h1>Back at the app</h1></main></html>") }))
            .with_state(seen.clone());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        let task = tokio::spawn(async move {
            axum::serve(listener, app).await.unwrap();
        });
        Provider { base, seen, task }
    }

    /// The bundled catalog with this provider as GitHub's OAuth client.
    pub fn catalog(&self) -> Catalog {
        let mut catalog: Catalog =
            switchboard_model::decode::from_str(include_str!("../examples/catalog.json")).unwrap();
        catalog.auth_credentials.push(OAuthCredentials {
            id: "par_TestGithub1".parse().unwrap(),
            provider_id: "pro_Gh7kQm2xVb9TnR4w".parse().unwrap(),
            name: Some("Test provider".to_owned()),
            authorization_endpoint: format!("{}/authorize", self.base),
            token_endpoint: format!("{}/token", self.base),
            client_id: "switchboard-tests".to_owned(),
            client_secret_env: Some("SWITCHBOARD_TEST_OAUTH_SECRET".to_owned()),
            created_at: "2026-01-05T09:00:00.000Z".parse().unwrap(),
            updated_at: "2026-01-05T09:00:00.000Z".parse().unwrap(),
        });
        catalog
    }
}

async fn authorize(
    State(seen): State<Arc<Mutex<Seen>>>,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    let get = |k: &str| q.get(k).cloned().unwrap_or_default();
    let (state, challenge, redirect) = (get("state"), get("code_challenge"), get("redirect_uri"));
    if get("code_challenge_method") != "S256" || challenge.is_empty() || state.is_empty() {
        return (StatusCode::BAD_REQUEST, "PKCE with S256 and a state are required").into_response();
    }
    let mut seen = seen.lock().unwrap();
    if !seen.states.insert(state.clone()) {
        seen.reused_states += 1;
        return (StatusCode::BAD_REQUEST, "this state was used before").into_response();
    }
    seen.last_scope = get("scope");
    seen.n += 1;
    let code = format!("code-{}-{}", seen.n, state.len());
    seen.codes.insert(code.clone(), (challenge, redirect.clone()));
    let mut allow = url::Url::parse(&redirect).unwrap();
    allow
        .query_pairs_mut()
        .append_pair("code", &code)
        .append_pair("state", &state);
    let mut deny = url::Url::parse(&redirect).unwrap();
    deny.query_pairs_mut()
        .append_pair("error", "access_denied")
        .append_pair("state", &state);
    Html(format!(
        "<!doctype html><html lang=\"en\"><head><title>Test provider</title></head><body><main><h1>Test provider</h1>\
         <a id=\"allow\" href=\"{}\">Allow</a> <a id=\"deny\" href=\"{}\">Deny</a></main></body></html>",
        allow.as_str().replace('&', "&amp;"),
        deny.as_str().replace('&', "&amp;")
    ))
    .into_response()
}

async fn token(
    State(seen): State<Arc<Mutex<Seen>>>,
    headers: axum::http::HeaderMap,
    body: axum::body::Bytes,
) -> Response {
    let form: HashMap<String, String> = url::form_urlencoded::parse(&body).into_owned().collect();
    let get = |k: &str| form.get(k).cloned().unwrap_or_default();
    let mut seen = seen.lock().unwrap();
    // A client secret arrives by HTTP Basic (oauth2's default) or in the form.
    seen.last_client_secret = headers
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Basic "))
        .and_then(|b| base64::engine::general_purpose::STANDARD.decode(b).ok())
        .and_then(|b| String::from_utf8(b).ok())
        .and_then(|s| s.split_once(':').map(|(_, p)| p.to_owned()))
        .or_else(|| form.get("client_secret").cloned());
    let refuse = |seen: &mut Seen| {
        seen.refused_exchanges += 1;
        (
            StatusCode::BAD_REQUEST,
            [("content-type", "application/json")],
            "{\"error\":\"invalid_grant\"}",
        )
            .into_response()
    };
    let Some((challenge, redirect)) = seen.codes.remove(&get("code")) else {
        return refuse(&mut seen);
    };
    let computed = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .encode(Sha256::digest(get("code_verifier").as_bytes()));
    if computed != challenge || get("redirect_uri") != redirect || get("grant_type") != "authorization_code" {
        return refuse(&mut seen);
    }
    seen.exchanges += 1;
    let n = seen.exchanges;
    (
        StatusCode::OK,
        [("content-type", "application/json")],
        serde_json::json!({
            "access_token": format!("gho_testaccesstoken{n:04}"),
            "refresh_token": format!("ghr_testrefreshtoken{n:04}"),
            "token_type": "bearer",
            "expires_in": 3600,
            "scope": GRANTED,
        })
        .to_string(),
    )
        .into_response()
}
