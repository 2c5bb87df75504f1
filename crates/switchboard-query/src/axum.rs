//! `ListQuery<R>` as an axum extractor (feature `axum`): the query string
//! decoded by this crate, with every encoding the official clients send; a
//! bad query is the API's `400 invalid_data` body naming the parameter.
//!
//! ```
//! use axum::{Router, routing::get};
//! use switchboard_query::{ListQuery, SessionTemplates};
//!
//! async fn list(q: ListQuery<SessionTemplates>) -> String {
//!     format!("{} per page", q.limit.get())
//! }
//! let app: Router = Router::new().route("/session-templates", get(list));
//! # let _ = app;
//! ```

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use switchboard_model::error::ApiError;

use crate::{ListQuery, QueryError, Resource};

/// A refused list query, answered as the API's error body.
#[derive(Debug)]
pub struct QueryRejection(pub QueryError);

impl IntoResponse for QueryRejection {
    fn into_response(self) -> Response {
        let body = self.0.error_body();
        let status = StatusCode::from_u16(body.status).unwrap_or(StatusCode::BAD_REQUEST);
        let mut response = (status, serde_json::to_vec(&body).unwrap_or_default()).into_response();
        response
            .headers_mut()
            .insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json"));
        response
    }
}

impl<R: Resource, S: Send + Sync> FromRequestParts<S> for ListQuery<R> {
    type Rejection = QueryRejection;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, QueryRejection> {
        ListQuery::decode(parts.uri.query().unwrap_or("")).map_err(QueryRejection)
    }
}
