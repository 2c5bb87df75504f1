//! The crate's one error type.

use std::fmt;

use switchboard_model::error::{ApiError, DisplayPath, ErrorBody, ErrorCode, FieldError, PathSegment};

/// What went wrong, as a value to match on (see [`QueryError::kind`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorKind {
    /// One or more parameters broke a rule; [`QueryError::errors`] lists each
    /// with its path. 400 `invalid_data`.
    Invalid,
    /// A cursor is malformed or names an id of another kind. 400 `bad_request`
    /// with the live service's message, `Invalid cursor format`.
    BadCursor,
    /// A bound cursor came with other filters or another order. 400 `bad_request`.
    CursorMismatch,
    /// A client-side page walk ([`crate::page::walk`]) got a page that does not
    /// move past the previous one: the server's fault. 500 `internal_server_error`.
    Stuck,
}

/// The crate's one error: why a query does not decode, or why a page walk stopped.
///
/// Its `Display` is lowercase like every message of the workspace; the error
/// body of a malformed cursor keeps the live service's capitalised message
/// `Invalid cursor format`, which clients may match on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueryError {
    repr: Box<Repr>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Repr {
    Invalid(Vec<FieldError>),
    BadCursor(String),
    CursorMismatch,
    Stuck { at: String },
}

impl QueryError {
    pub(crate) fn invalid(code: &str, message: String, path: Vec<PathSegment>) -> QueryError {
        QueryError::from_errors(vec![FieldError::new(code, message, path)])
    }

    pub(crate) fn from_errors(errors: Vec<FieldError>) -> QueryError {
        QueryError::new(Repr::Invalid(errors))
    }

    pub(crate) fn bad_cursor(detail: impl Into<String>) -> QueryError {
        QueryError::new(Repr::BadCursor(detail.into()))
    }

    pub(crate) fn cursor_mismatch() -> QueryError {
        QueryError::new(Repr::CursorMismatch)
    }

    pub(crate) fn stuck(at: String) -> QueryError {
        QueryError::new(Repr::Stuck { at })
    }

    fn new(repr: Repr) -> QueryError {
        QueryError { repr: Box::new(repr) }
    }

    /// What kind of error this is.
    pub fn kind(&self) -> ErrorKind {
        match &*self.repr {
            Repr::Invalid(_) => ErrorKind::Invalid,
            Repr::BadCursor(_) => ErrorKind::BadCursor,
            Repr::CursorMismatch => ErrorKind::CursorMismatch,
            Repr::Stuck { .. } => ErrorKind::Stuck,
        }
    }

    /// The field errors of an `invalid_data` error (empty for the other kinds).
    pub fn errors(&self) -> &[FieldError] {
        match &*self.repr {
            Repr::Invalid(e) => e,
            _ => &[],
        }
    }

    /// The error code of the body.
    pub fn code(&self) -> ErrorCode {
        self.error_body().code
    }
}

impl fmt::Display for QueryError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &*self.repr {
            Repr::Invalid(errors) => {
                for (i, e) in errors.iter().enumerate() {
                    if i > 0 {
                        f.write_str("; ")?;
                    }
                    if e.path.is_empty() {
                        f.write_str(&e.message)?;
                    } else {
                        write!(f, "{}: {}", DisplayPath(&e.path), e.message)?;
                    }
                }
                Ok(())
            }
            Repr::BadCursor(detail) => write!(f, "invalid cursor format: {detail}"),
            Repr::CursorMismatch => f.write_str(
                "the cursor was issued for a query with other filters or another order; \
                 send the filters and order it was issued with, or start again without a cursor",
            ),
            Repr::Stuck { at } => {
                write!(f, "the server returned a page that does not advance past `{at}`")
            }
        }
    }
}

impl std::error::Error for QueryError {}

impl ApiError for QueryError {
    fn error_body(&self) -> ErrorBody {
        match &*self.repr {
            Repr::Invalid(errors) => {
                let body = ErrorBody::invalid_data("query", errors.clone());
                if errors.iter().any(|e| e.message.contains("%2B")) {
                    body.with_hint(
                        "Encode `+` in timestamps as `%2B`: a query string decodes `+` to a space.",
                    )
                } else {
                    body
                }
            }
            Repr::BadCursor(detail) => ErrorBody {
                errors: Some(vec![FieldError::new(
                    "invalid_cursor",
                    detail.clone(),
                    vec![PathSegment::from("cursor")],
                )]),
                ..ErrorBody::bad_request("Invalid cursor format").with_hint(detail.clone())
            },
            Repr::CursorMismatch => ErrorBody {
                errors: Some(vec![FieldError::new(
                    "cursor_mismatch",
                    self.to_string(),
                    vec![PathSegment::from("cursor")],
                )]),
                ..ErrorBody::bad_request(self.to_string())
            },
            Repr::Stuck { .. } => {
                ErrorBody::new(ErrorCode::InternalServerError).with_message(self.to_string())
            }
        }
    }
}
