//! The crate's one error type.

use std::fmt;

use switchboard_model::error::{ApiError, ErrorBody, FieldError};

/// What went wrong, as a value to match on (see [`SchemaError::kind`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorKind {
    /// The schema is not a valid schema.
    InvalidSchema,
    /// The schema refers to a document that would have to be fetched.
    RemoteRef,
    /// A local `$ref` points at nothing in the schema.
    MissingRef,
    /// `$schema` names a draft this validator does not know.
    UnknownDraft,
    /// The schema or instance is over a limit.
    Limit,
    /// The instance breaks the schema.
    Invalid,
}

/// The crate's one error: why a schema cannot be used, or an instance does not fit it.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum SchemaError {
    /// The schema is not a valid schema; the path points inside it.
    InvalidSchema {
        /// A JSON pointer into the schema.
        pointer: String,
        /// What is wrong.
        message: String,
    },
    /// The schema refers to a document that would have to be fetched.
    RemoteRef(String),
    /// A local `$ref` points at nothing in the schema.
    MissingRef(String),
    /// `$schema` names a draft this validator does not know.
    UnknownDraft(String),
    /// The schema or instance is over a limit.
    Limit(String),
    /// The instance breaks the schema: every violation, up to the limit.
    Invalid(Vec<FieldError>),
}

impl SchemaError {
    /// What kind of error this is.
    pub fn kind(&self) -> ErrorKind {
        match self {
            SchemaError::InvalidSchema { .. } => ErrorKind::InvalidSchema,
            SchemaError::RemoteRef(_) => ErrorKind::RemoteRef,
            SchemaError::MissingRef(_) => ErrorKind::MissingRef,
            SchemaError::UnknownDraft(_) => ErrorKind::UnknownDraft,
            SchemaError::Limit(_) => ErrorKind::Limit,
            SchemaError::Invalid(_) => ErrorKind::Invalid,
        }
    }
}

impl fmt::Display for SchemaError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SchemaError::InvalidSchema { pointer, message } => {
                write!(
                    f,
                    "invalid schema at {}: {message}",
                    if pointer.is_empty() { "/" } else { pointer }
                )
            }
            SchemaError::RemoteRef(message) => write!(
                f,
                "the schema refers to a remote document, which is never fetched: {message}"
            ),
            SchemaError::MissingRef(message) => write!(f, "a local `$ref` points at nothing: {message}"),
            SchemaError::UnknownDraft(message) => write!(
                f,
                "`$schema` names a draft this validator does not know (drafts 4, 6, 7, 2019-09 and 2020-12 are known): {message}"
            ),
            SchemaError::Limit(message) => f.write_str(message),
            SchemaError::Invalid(errors) => {
                for (i, e) in errors.iter().enumerate() {
                    if i > 0 {
                        f.write_str("; ")?;
                    }
                    write!(
                        f,
                        "{}: {}",
                        switchboard_model::error::DisplayPath(&e.path),
                        e.message
                    )?;
                }
                Ok(())
            }
        }
    }
}

impl std::error::Error for SchemaError {}

impl ApiError for SchemaError {
    fn error_body(&self) -> ErrorBody {
        match self {
            SchemaError::Invalid(errors) => ErrorBody::invalid_data("body", errors.clone()),
            other => ErrorBody::bad_request(other.to_string()),
        }
    }
}
