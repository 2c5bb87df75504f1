//! Every answer that is not a success: the contract's error body (§7) with
//! its status and `Content-Type: application/json`, including the answers a
//! framework would otherwise write itself (unknown route, wrong method, a
//! body too large, not JSON, a panic).

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use switchboard_model::error::{ApiError, ErrorBody, ErrorCode};

/// An error answer.
#[derive(Debug, Clone)]
pub struct Failure(pub Box<ErrorBody>);

impl Failure {
    /// A body with this code, status and message.
    pub fn new(code: &str, status: u16, message: impl Into<String>) -> Failure {
        let mut body = ErrorBody::new(ErrorCode::from_wire(code)).with_message(message);
        body.status = status;
        Failure(Box::new(body))
    }

    /// 401 `unauthorized`.
    pub fn unauthorized(message: &str) -> Failure {
        Failure(Box::new(
            ErrorBody::new(ErrorCode::Unauthorized).with_message(message),
        ))
    }

    /// 404 `not_found` for `entity` `id`.
    pub fn not_found(entity: &str, id: &str) -> Failure {
        Failure(Box::new(
            ErrorBody::not_found(entity, id).with_message(format!("no {entity} with id `{id}`")),
        ))
    }

    /// 404 for a path that is no route.
    pub fn no_route(path: &str) -> Failure {
        let shown: String = path.chars().take(200).collect();
        Failure(Box::new(
            ErrorBody::new(ErrorCode::NotFound).with_message(format!("no route `{shown}`")),
        ))
    }

    /// 500, with the cause logged and not sent.
    pub fn internal(cause: &dyn std::fmt::Display) -> Failure {
        tracing::error!(%cause, "request failed");
        Failure(Box::new(ErrorBody::new(ErrorCode::InternalServerError)))
    }
}

impl<E: ApiError> From<E> for Failure {
    fn from(e: E) -> Failure {
        let body = e.error_body();
        if body.status >= 500 {
            // The cause stays in the log; the client sees only the code.
            tracing::error!(cause = %e, "request failed");
        }
        Failure(Box::new(body))
    }
}

impl IntoResponse for Failure {
    fn into_response(self) -> Response {
        let status = StatusCode::from_u16(self.0.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let body = serde_json::to_vec(&self.0).unwrap_or_default();
        let mut response = (status, body).into_response();
        response
            .headers_mut()
            .insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json"));
        response
    }
}

/// The JSON answer of a success.
pub(crate) fn json<T: serde::Serialize>(value: &T) -> Response {
    match serde_json::to_vec(value) {
        Ok(body) => json_bytes(body.into()),
        Err(e) => Failure::internal(&e).into_response(),
    }
}

/// A success whose JSON is already written.
pub(crate) fn json_bytes(body: axum::body::Bytes) -> Response {
    let mut r = (StatusCode::OK, body).into_response();
    r.headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json"));
    r
}
