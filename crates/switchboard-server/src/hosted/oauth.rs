//! The OAuth step (contract §9): the authorization-code flow with PKCE
//! (S256) against the endpoints of the provider's auth credentials, with the
//! `oauth2` crate. `state` is bound to the child, single use, and expires
//! with the session; the token exchange is server-side over the server's
//! HTTP client (TLS, no redirects followed). Neither `code` nor `state` is
//! logged (the request log carries the route, never the query).

use axum::body::Bytes;
use axum::extract::RawQuery;
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use oauth2::basic::BasicClient;
use oauth2::{
    AuthUrl, AuthorizationCode, ClientId, ClientSecret, CsrfToken, PkceCodeChallenge, PkceCodeVerifier,
    RedirectUrl, Scope, TokenResponse, TokenUrl,
};
use sha2::{Digest, Sha256};
use switchboard_model::catalog::OAuthCredentials;
use switchboard_model::id::ProviderAuthConfigId;
use switchboard_store::{AuthConfigRecord, ChildOf, NewAuthConfig};

use super::pages::{self, Link};
use super::view::{self, Stage};
use super::{Secret, St, StepPath, field, page_url, see_other};
use crate::AppState;
use crate::seal::aad;

/// The server's HTTP client for token exchanges: TLS, no redirects, a timeout.
#[derive(Debug, Clone)]
pub(crate) struct OAuthHttp(pub(crate) reqwest::Client);

impl OAuthHttp {
    pub(crate) fn new() -> OAuthHttp {
        let client = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .timeout(std::time::Duration::from_secs(15))
            .build()
            .unwrap_or_default();
        OAuthHttp(client)
    }
}

fn sha256_hex(text: &str) -> String {
    hex::encode(Sha256::digest(text.as_bytes()))
}

/// 43 base62 characters (256 bits) from the operating system's generator.
fn random_token() -> Result<String, getrandom::Error> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes)?;
    let alphabet = switchboard_model::codec::BASE62_ALPHABET;
    // 32 bytes as a big number in base 62, 43 digits, no bias worth a bit.
    let mut n = bytes.to_vec();
    let mut out = Vec::with_capacity(43);
    for _ in 0..43 {
        let mut rem = 0u32;
        for b in n.iter_mut() {
            let cur = (rem << 8) | u32::from(*b);
            *b = (cur / 62) as u8;
            rem = cur % 62;
        }
        out.push(alphabet[rem as usize]);
    }
    Ok(String::from_utf8(out).unwrap_or_default())
}

fn redirect_uri(s: &AppState) -> String {
    format!("{}/oauth/callback", s.public_url().trim_end_matches('/'))
}

type Client = oauth2::Client<
    oauth2::basic::BasicErrorResponse,
    oauth2::basic::BasicTokenResponse,
    oauth2::basic::BasicTokenIntrospectionResponse,
    oauth2::StandardRevocableToken,
    oauth2::basic::BasicRevocationErrorResponse,
    oauth2::EndpointSet,
    oauth2::EndpointNotSet,
    oauth2::EndpointNotSet,
    oauth2::EndpointNotSet,
    oauth2::EndpointSet,
>;

fn client(s: &AppState, c: &OAuthCredentials) -> Result<Client, String> {
    let mut client = BasicClient::new(ClientId::new(c.client_id.clone()))
        .set_auth_uri(AuthUrl::new(c.authorization_endpoint.clone()).map_err(|e| e.to_string())?)
        .set_token_uri(TokenUrl::new(c.token_endpoint.clone()).map_err(|e| e.to_string())?)
        .set_redirect_uri(RedirectUrl::new(redirect_uri(s)).map_err(|e| e.to_string())?);
    if let Some(var) = &c.client_secret_env {
        // Read when used, never stored or shown; a missing variable is a public client.
        if let Ok(secret) = std::env::var(var) {
            client = client.set_client_secret(ClientSecret::new(secret));
        }
    }
    Ok(client)
}

/// `POST .../steps/{step}/oauth`: stores the pending sign-in and sends the
/// end user to the provider's authorization endpoint.
pub(crate) async fn begin(st: St, path: StepPath, q: Secret, headers: HeaderMap, body: Bytes) -> Response {
    let s = st.0;
    let (o, i, _) = match super::submit::posted(&s, path, q, &headers, &body).await {
        Ok(p) => p,
        Err(r) => return r,
    };
    let now = s.now();
    let step = &o.state.steps[i];
    let back = page_url(&o.state, &o.secret, Some(&step.id));
    let catalog = s.catalog();
    let (Some(child), Some(method)) = (step.child.as_ref(), view::auth_method(&catalog, step)) else {
        return see_other(&back);
    };
    let progress = match s.store().progress(&child.id).await {
        Ok(p) => p,
        Err(e) => return pages::failure(&e),
    };
    let provider = &step.integration_provider.snapshot.provider_id;
    let creds = catalog.oauth_credentials(provider);
    if view::stage(&o.state, step, &progress, true, now) != Stage::Auth || method.kind.as_str() != "oauth" {
        return see_other(&back);
    }
    let Some(creds) = creds else {
        return see_other(&back);
    };
    let client = match client(&s, creds) {
        Ok(c) => c,
        Err(e) => return pages::failure(&e),
    };
    let (Ok(state_token), Ok(verifier_text)) = (random_token(), random_token()) else {
        return pages::failure(&"the random generator failed");
    };
    let verifier = PkceCodeVerifier::new(verifier_text.clone());
    let challenge = PkceCodeChallenge::from_code_verifier_sha256(&verifier);
    let state_for_url = state_token.clone();
    let (url, _) = client
        .authorize_url(move || CsrfToken::new(state_for_url))
        .add_scopes(method.scopes.iter().map(|sc| Scope::new(sc.scope.clone())))
        .set_pkce_challenge(challenge)
        .url();
    let sealed = match s.sealer().seal(
        verifier_text.as_bytes(),
        &aad(o.state.id.to_canonical().as_str(), provider.as_str()),
    ) {
        Ok(v) => v,
        Err(e) => return pages::failure(&e),
    };
    let at = ChildOf {
        session: &o.state.id,
        step: &step.id,
        child: &child.id,
    };
    match s
        .store()
        .begin_oauth(
            &o.tenant,
            at,
            &sha256_hex(&state_token),
            &sealed,
            o.state.expires_at,
        )
        .await
    {
        Ok(true) => see_other(url.as_str()),
        Ok(false) => see_other(&back),
        Err(e) => pages::failure(&e),
    }
}

/// `GET /oauth/callback`: the provider's answer.
pub(crate) async fn callback(st: St, RawQuery(query): RawQuery) -> Response {
    let s = st.0;
    let pairs = super::form_pairs(query.unwrap_or_default().as_bytes()).unwrap_or_default();
    let Some(state) = field(&pairs, "state").filter(|v| !v.is_empty() && v.len() <= 256) else {
        return invalid_callback();
    };
    let pending = match s.store().take_oauth(&sha256_hex(state)).await {
        Ok(Some(p)) => p,
        Ok(None) => return invalid_callback(),
        Err(e) => return pages::failure(&e),
    };
    let now = s.now();
    let opened = match s.store().setup_session_by_id(&pending.session).await {
        Ok(Some((_, state))) => state,
        Ok(None) => return invalid_callback(),
        Err(e) => return pages::failure(&e),
    };
    let secret = switchboard_setup::secret::ClientSecret::derive(s.server_key(), &opened.id);
    let back = Link {
        href: page_url(&opened, &secret, Some(&pending.step)),
        label: "Try again".to_owned(),
    };
    if now >= pending.expires_at {
        return pages::message(
            StatusCode::GONE,
            "This setup has expired",
            &["The sign-in came back after the setup link expired. Ask for a new link."],
            None,
        );
    }
    let Some(step) = opened.steps.iter().find(|st| st.id == pending.step) else {
        return invalid_callback();
    };
    let provider_name = step.integration_provider.provider.name.clone();
    if let Some(error) = field(&pairs, "error") {
        let shown = if !error.is_empty()
            && error.len() <= 64
            && error.bytes().all(|b| b.is_ascii_lowercase() || b == b'_')
        {
            error
        } else {
            "an error"
        };
        let why = if shown == "access_denied" {
            format!("{provider_name} did not grant access (access_denied). Nothing was connected.")
        } else {
            format!("{provider_name} answered with {shown}. Nothing was connected.")
        };
        return pages::message(
            StatusCode::OK,
            "Sign-in was not completed",
            &[&why, "You can try again."],
            Some(back),
        );
    }
    let Some(code) = field(&pairs, "code").filter(|c| !c.is_empty() && c.len() <= 2048) else {
        return invalid_callback();
    };
    let provider = &step.integration_provider.snapshot.provider_id;
    let catalog = s.catalog();
    let (Some(creds), Some(method)) = (
        catalog.oauth_credentials(provider),
        view::auth_method(&catalog, step),
    ) else {
        return invalid_callback();
    };
    let aad = aad(opened.id.to_canonical().as_str(), provider.as_str());
    let verifier = match s.sealer().open(&pending.sealed_verifier, &aad) {
        Ok(v) => String::from_utf8(v).unwrap_or_default(),
        Err(e) => return pages::failure(&e),
    };
    let client = match client(&s, creds) {
        Ok(c) => c,
        Err(e) => return pages::failure(&e),
    };
    let token = client
        .exchange_code(AuthorizationCode::new(code.to_owned()))
        .set_pkce_verifier(PkceCodeVerifier::new(verifier))
        .request_async(&s.oauth_http().0)
        .await;
    let token = match token {
        Ok(t) => t,
        Err(e) => {
            // The error names the endpoint's answer, never the code or the verifier.
            tracing::warn!(cause = %e, provider = %provider, "the token exchange failed");
            return pages::message(
                StatusCode::BAD_GATEWAY,
                "Sign-in could not be finished",
                &[
                    &format!("{provider_name} did not accept the sign-in. Nothing was connected."),
                    "You can try again.",
                ],
                Some(back),
            );
        }
    };
    let granted: Vec<String> = match token.scopes() {
        Some(scopes) => scopes.iter().map(|sc| sc.to_string()).collect(),
        // No `scope` in the answer: granted as requested (RFC 6749 §5.1).
        None => method.scopes.iter().map(|sc| sc.scope.clone()).collect(),
    };
    let credentials = serde_json::json!({
        "access_token": token.access_token().secret(),
        "refresh_token": token.refresh_token().map(|t| t.secret()),
        "token_type": token.token_type().as_ref(),
        "expires_in": token.expires_in().map(|d| d.as_secs()),
    });
    let sealed = match s.sealer().seal(credentials.to_string().as_bytes(), &aad) {
        Ok(v) => v,
        Err(e) => return pages::failure(&e),
    };
    let id: ProviderAuthConfigId = match s.new_id(now) {
        Ok(id) => id,
        Err(_) => return pages::failure(&"no id"),
    };
    let new = NewAuthConfig {
        record: AuthConfigRecord {
            id: id.clone(),
            provider_id: provider.clone(),
            auth_method: method.key.clone(),
            granted_scopes: Some(granted),
            name: format!("{provider_name} sign-in ({})", opened.name),
            created_at: now,
        },
        sealed,
    };
    let at = ChildOf {
        session: &opened.id,
        step: &pending.step,
        child: &pending.child,
    };
    match s
        .store()
        .choose_auth_config(&pending.tenant, at, &id, Some(&new))
        .await
    {
        Ok(_) => see_other(&page_url(&opened, &secret, Some(&pending.step))),
        Err(e) => pages::failure(&e),
    }
}

/// A callback without a pending sign-in: unknown, used already (a reload), or forged.
fn invalid_callback() -> Response {
    pages::message(
        StatusCode::BAD_REQUEST,
        "This sign-in link is no longer valid",
        &[
            "It was used already (a reload of this page?), or it did not come from this server.",
            "Go back to your setup page: if you signed in, the account is connected there.",
        ],
        None,
    )
}
