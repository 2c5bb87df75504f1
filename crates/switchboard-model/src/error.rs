//! The API's error body, and the errors of the model's own rules.
//!
//! ```
//! use switchboard_model::error::{ErrorBody, ErrorCode, FieldError, PathSegment};
//!
//! let body = ErrorBody::invalid_data(
//!     "query",
//!     vec![FieldError::new("invalid_type", "expected a whole number from 1 to 100", vec![PathSegment::from("limit")])],
//! );
//! assert_eq!(body.status, 400);
//! assert_eq!(body.code, ErrorCode::InvalidData);
//! Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::enums::open_enum;
use crate::tags;

mod model;

pub use model::{Error, ErrorKind};

open_enum! {
    /// The `code` of an error body.
    pub enum ErrorCode {
        InvalidData = "invalid_data",
        BadRequest = "bad_request",
        Unauthorized = "unauthorized",
        Forbidden = "forbidden",
        NotFound = "not_found",
        Conflict = "conflict",
        Gone = "gone",
        TooManyRequests = "too_many_requests",
        InternalServerError = "internal_server_error",
        UseAfterDelete = "use_after_delete",
        IntegrationProviderRequired = "integration_provider_required",
        InternalSessionTemplateReadonly = "internal_session_template_readonly",
        ConfigRequired = "config_required",
        AuthConfigRequired = "auth_config_required",
    }
}

impl ErrorCode {
    /// The HTTP status that goes with the code (500 for codes this version does not know).
    pub fn status(&self) -> u16 {
        match self {
            Self::InvalidData
            | Self::BadRequest
            | Self::UseAfterDelete
            | Self::IntegrationProviderRequired
            | Self::InternalSessionTemplateReadonly
            | Self::ConfigRequired
            | Self::AuthConfigRequired => 400,
            Self::Unauthorized => 401,
            Self::Forbidden => 403,
            Self::NotFound => 404,
            Self::Conflict => 409,
            Self::Gone => 410,
            Self::TooManyRequests => 429,
            Self::InternalServerError | Self::Other(_) => 500,
        }
    }

    /// The service's standard message for the code.
    pub fn default_message(&self) -> &'static str {
        match self {
            Self::InvalidData => "The provided data is invalid.",
            Self::BadRequest => "The request is invalid.",
            Self::Unauthorized => "You are not authorized to access this resource.",
            Self::Forbidden => "You are not allowed to access this resource.",
            Self::NotFound => "The requested resource was not found.",
            Self::Conflict => "The request conflicts with the current state of the resource.",
            Self::Gone => "The requested resource is no longer available.",
            Self::TooManyRequests => "Too many requests.",
            _ => "An error occurred.",
        }
    }
}

/// Shortens `text` to at most 64 bytes (on a character boundary) for an error message.
pub fn shorten(text: &str) -> String {
    shorten_to(text, 64)
}

/// Shortens `text` to at most `max` bytes (on a character boundary), marking a cut with `...`.
pub fn shorten_to(text: &str, max: usize) -> String {
    let mut end = text.len().min(max);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    if end < text.len() {
        format!("{}...", &text[..end])
    } else {
        text.to_owned()
    }
}

/// One step of a path into a JSON document or query: an object key or an array index.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "proptest", derive(proptest_derive::Arbitrary))]
#[serde(untagged)]
pub enum PathSegment {
    /// An array index.
    Index(u64),
    /// An object key or parameter name.
    Key(String),
}

impl From<&str> for PathSegment {
    fn from(key: &str) -> Self {
        PathSegment::Key(key.to_owned())
    }
}

impl From<String> for PathSegment {
    fn from(key: String) -> Self {
        PathSegment::Key(key)
    }
}

impl From<usize> for PathSegment {
    fn from(index: usize) -> Self {
        PathSegment::Index(index as u64)
    }
}

/// Formats a path as `providers[0].tool_filters`, or `(root)` when empty.
#[derive(Debug, Clone, Copy)]
pub struct DisplayPath<'a>(pub &'a [PathSegment]);

impl fmt::Display for DisplayPath<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.0.is_empty() {
            return f.write_str("(root)");
        }
        for (i, seg) in self.0.iter().enumerate() {
            match seg {
                PathSegment::Index(n) => write!(f, "[{n}]")?,
                PathSegment::Key(k) if i == 0 => f.write_str(k)?,
                PathSegment::Key(k) => write!(f, ".{k}")?,
            }
        }
        Ok(())
    }
}

/// One entry of `errors[]` in an `invalid_data` body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "proptest", derive(proptest_derive::Arbitrary))]
pub struct FieldError {
    /// What rule failed (`invalid_type`, `missing_field`, `too_big`, ...).
    pub code: String,
    /// A lowercase sentence that names the rule and the value received.
    pub message: String,
    /// Where: object keys and array indices from the document's root.
    pub path: Vec<PathSegment>,
    /// The expected JSON type, where one applies.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expected: Option<String>,
    /// The JSON type received, where one applies.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub received: Option<String>,
}

impl FieldError {
    /// A field error without `expected` / `received`.
    pub fn new(code: impl Into<String>, message: impl Into<String>, path: Vec<PathSegment>) -> Self {
        FieldError {
            code: code.into(),
            message: message.into(),
            path,
            expected: None,
            received: None,
        }
    }
}

/// The body of every error response: `{"object": "error", "ok": false, "status": 400, ...}`.
///
/// Decoding also accepts the older `"__typename": "error"`; encoding writes `object`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct ErrorBody {
    /// Always `"error"`.
    #[serde(default, alias = "__typename")]
    pub object: tags::Error,
    /// Always `false`.
    #[serde(default)]
    pub ok: tags::False,
    /// The HTTP status.
    pub status: u16,
    /// The error code.
    pub code: ErrorCode,
    /// A message for people.
    pub message: String,
    /// Advice on how to fix the request.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hint: Option<String>,
    /// What the error is about (`query`, `body`, `session.template`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub entity: Option<String>,
    /// The id that was not found, for `not_found`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// Every violation, for `invalid_data`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub errors: Option<Vec<FieldError>>,
}

impl ErrorBody {
    /// A body with the code's status and standard message.
    pub fn new(code: ErrorCode) -> Self {
        ErrorBody {
            object: tags::Error,
            ok: tags::False,
            status: code.status(),
            message: code.default_message().to_owned(),
            code,
            hint: None,
            entity: None,
            id: None,
            errors: None,
        }
    }

    /// `invalid_data` (400) with its field errors.
    pub fn invalid_data(entity: &str, errors: Vec<FieldError>) -> Self {
        ErrorBody {
            entity: Some(entity.to_owned()),
            errors: Some(errors),
            ..ErrorBody::new(ErrorCode::InvalidData)
        }
    }

    /// `bad_request` (400) with a message.
    pub fn bad_request(message: impl Into<String>) -> Self {
        ErrorBody {
            message: message.into(),
            ..ErrorBody::new(ErrorCode::BadRequest)
        }
    }

    /// `not_found` (404) naming the entity and id.
    pub fn not_found(entity: &str, id: &str) -> Self {
        ErrorBody {
            entity: Some(entity.to_owned()),
            id: Some(id.to_owned()),
            ..ErrorBody::new(ErrorCode::NotFound)
        }
    }

    /// Replaces the message.
    pub fn with_message(mut self, message: impl Into<String>) -> Self {
        self.message = message.into();
        self
    }

    /// Sets the hint.
    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }
}

/// Bodies whose `status` is their code's status, and whose `errors` are
/// present exactly for `invalid_data`.
#[cfg(feature = "proptest")]
impl proptest::arbitrary::Arbitrary for ErrorBody {
    type Parameters = ();
    type Strategy = proptest::strategy::BoxedStrategy<Self>;
    fn arbitrary_with(_: ()) -> Self::Strategy {
        use proptest::prelude::*;
        let text = || proptest::option::of("[a-z][a-z .]{0,30}");
        (
            any::<ErrorCode>(),
            "[A-Za-z][A-Za-z .]{0,40}",
            text(),
            text(),
            text(),
            proptest::collection::vec(any::<FieldError>(), 1..3),
        )
            .prop_map(|(code, message, hint, entity, id, errors)| ErrorBody {
                errors: (code == ErrorCode::InvalidData).then_some(errors),
                message,
                hint,
                entity,
                id,
                ..ErrorBody::new(code)
            })
            .boxed()
    }
}

/// An error that knows its API error body. Every crate's error type implements it,
/// so an HTTP layer only translates.
pub trait ApiError: std::error::Error {
    /// The body to send.
    fn error_body(&self) -> ErrorBody;

    /// The HTTP status of the body.
    fn status(&self) -> u16 {
        self.error_body().status
    }
}

impl ApiError for ErrorBody {
    fn error_body(&self) -> ErrorBody {
        self.clone()
    }
}

impl fmt::Display for ErrorBody {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} ({}): {}", self.code, self.status, self.message)?;
        for e in self.errors.iter().flatten() {
            write!(f, "; {}: {}", DisplayPath(&e.path), e.message)?;
        }
        Ok(())
    }
}

impl std::error::Error for ErrorBody {}
