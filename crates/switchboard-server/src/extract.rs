//! Request decoding, each with its error body: the API key, a JSON body
//! (content type, size, the model's decoders) and path ids. List queries
//! use the query crate's own extractor.

use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::header;
use axum::http::request::Parts;
use serde::de::DeserializeOwned;
use switchboard_model::id::Id;
use switchboard_store::Tenant;

use crate::AppState;
use crate::error::Failure;

/// The instance of the request's API key (`Authorization: Bearer <key>`).
#[derive(Debug, Clone)]
pub struct Auth(pub Tenant);

impl FromRequestParts<AppState> for Auth {
    type Rejection = Failure;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Failure> {
        tenant_of(state, &parts.headers).await.map(Auth)
    }
}

/// The longest API key read (longer is `401`, before any look-up).
pub(crate) const MAX_KEY_LEN: usize = 256;

/// The key of `Authorization: Bearer <key>`: the scheme in any case, the
/// key trimmed, 1 to [`MAX_KEY_LEN`] bytes. Every reader of the header (the
/// rate limiter, authentication) goes through here, so one key is one key
/// however its header is spelt.
pub(crate) fn bearer_key(headers: &axum::http::HeaderMap) -> Result<&str, Failure> {
    let value = headers
        .get(header::AUTHORIZATION)
        .ok_or_else(|| Failure::unauthorized("no API key: send `Authorization: Bearer <secret key>`"))?;
    value
        .to_str()
        .ok()
        .and_then(|v| {
            let (scheme, key) = v.trim_start().split_once(' ')?;
            scheme.eq_ignore_ascii_case("bearer").then_some(key)
        })
        .map(str::trim)
        .filter(|k| !k.is_empty() && k.len() <= MAX_KEY_LEN)
        .ok_or_else(|| {
            Failure::unauthorized(&format!(
                "the `Authorization` header is not `Bearer <secret key>` with a key of 1 to {MAX_KEY_LEN} characters"
            ))
        })
}

/// The instance of the key in `headers`, or the `401` to answer.
pub(crate) async fn tenant_of(state: &AppState, headers: &axum::http::HeaderMap) -> Result<Tenant, Failure> {
    let key = bearer_key(headers)?;
    let hash = switchboard_store::ApiKey::hash_of(key);
    if let Some(tenant) = state.known_key(&hash) {
        return Ok(tenant);
    }
    match state.store().tenant_by_key_hash(&hash).await? {
        Some(tenant) => {
            state.remember_key(hash, tenant.clone());
            Ok(tenant)
        }
        None => Err(Failure::unauthorized("unknown API key")),
    }
}

/// A JSON request body decoded by the model's decoders: `application/json`
/// only (else 415), at most the server's body limit (else 413), unknown keys
/// ignored, every error an `invalid_data` body naming the field.
#[derive(Debug)]
pub struct Body<T>(pub T);

impl<T: DeserializeOwned> FromRequest<AppState> for Body<T> {
    type Rejection = Failure;

    async fn from_request(req: Request, state: &AppState) -> Result<Self, Failure> {
        let json = req
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.split(';').next())
            .is_some_and(|v| {
                let v = v.trim();
                v.eq_ignore_ascii_case("application/json") || v.to_ascii_lowercase().ends_with("+json")
            });
        if !json {
            return Err(Failure::new(
                "unsupported_media_type",
                415,
                "the body must be JSON, sent with `Content-Type: application/json`",
            ));
        }
        let limit = state.body_limit();
        let bytes = axum::body::to_bytes(req.into_body(), limit).await.map_err(|_| {
            Failure::new(
                "payload_too_large",
                413,
                format!("the body is larger than the limit of {limit} bytes"),
            )
        })?;
        // Every independent problem of the body, so that a caller fixes them in one go.
        Ok(Body(switchboard_model::decode::from_slice_collecting(
            &bytes,
            switchboard_model::decode::UnknownKeys::Ignore,
        )?))
    }
}

/// A path id of kind `I` (its own prefix or an alias, canonicalised), or
/// the `not_found` of an object that cannot exist.
pub fn path_id<I: Id>(text: &str, entity: &str) -> Result<I, Failure> {
    text.parse::<I>()
        .ok()
        .filter(|id| !id.is_foreign())
        .map(|id| id.to_canonical())
        .ok_or_else(|| Failure::not_found(entity, &text.chars().take(64).collect::<String>()))
}
