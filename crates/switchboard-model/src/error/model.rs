//! The model crate's one error type: every way a value of the model can fail
//! to exist, and every rule of the domain the model's methods enforce.

use std::fmt;

use super::{ApiError, DisplayPath, ErrorBody, ErrorCode, FieldError, PathSegment};
use crate::enums::list_values;
use crate::id::IdProblem;
use crate::json::MAX_METADATA_DEPTH;
use crate::timestamp::TimestampProblem;

/// What went wrong, as a value to match on (see [`Error::kind`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorKind {
    /// A string is not an id of the expected kind (wrong or missing prefix,
    /// bad body), or an id cannot be generated for the given time.
    InvalidId,
    /// A string is not an RFC 3339 timestamp within the years 0000 to 9999.
    InvalidTimestamp,
    /// A value of a closed (request-side) enum is not one of the accepted ones.
    UnknownValue,
    /// Metadata nests deeper than [`MAX_METADATA_DEPTH`].
    MetadataTooDeep,
    /// A name is empty once trimmed.
    BlankName,
    /// A template provider entry names none of its three ids.
    NoProviderIds,
    /// A JSON document does not decode; [`Error::errors`] has every field error.
    InvalidData,
    /// The object is archived or deleted and cannot change (410 `gone`).
    Gone,
    /// Something was added to an archived or deleted parent (400 `use_after_delete`).
    UseAfterDelete,
    /// No such object (404 `not_found`, with `entity` and `id`).
    NotFound,
    /// A request needs something it did not name and that has no default
    /// (400 `config_required`, `auth_config_required`).
    Required,
}

/// The model's one error. Every value of it converts into the API's error
/// body through [`ApiError`], so a server turning a bad path id or a broken
/// rule into a response writes no body by hand.
///
/// ```
/// use switchboard_model::error::{ApiError, ErrorKind, PathSegment};
/// use switchboard_model::id::SessionTemplateId;
///
/// let err = "pro_1".parse::<SessionTemplateId>().unwrap_err();
/// assert_eq!(err.kind(), ErrorKind::InvalidId);
/// // A leaf error learns where it happened, then becomes a body.
/// let body = err.at(vec![PathSegment::from("id")]).error_body();
/// assert_eq!(body.status, 400);
/// assert_eq!(body.errors.unwrap()[0].path, vec![PathSegment::from("id")]);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error {
    inner: Box<Inner>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct Inner {
    repr: Repr,
    /// Where a leaf error happened (empty when unknown); decode errors carry
    /// a path per field error instead.
    path: Vec<PathSegment>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Repr {
    Id(IdProblem),
    Timestamp(TimestampProblem),
    UnknownValue {
        what: &'static str,
        found: String,
        expected: &'static [&'static str],
    },
    MetadataTooDeep {
        depth: usize,
    },
    BlankName,
    NoProviderIds,
    Invalid(Box<[FieldError]>),
    Gone {
        entity: &'static str,
        id: String,
        status: String,
    },
    UseAfterDelete {
        entity: &'static str,
        id: String,
        status: String,
    },
    NotFound {
        entity: &'static str,
        id: String,
    },
    Required {
        code: ErrorCode,
        message: String,
    },
}

impl Error {
    fn new(repr: Repr) -> Error {
        Error {
            inner: Box::new(Inner {
                repr,
                path: Vec::new(),
            }),
        }
    }

    /// An unknown value of a closed enum: `what` names the value (`status`),
    /// `expected` lists the accepted ones. `found` is shortened.
    pub fn unknown_value(what: &'static str, found: &str, expected: &'static [&'static str]) -> Error {
        Error::new(Repr::UnknownValue {
            what,
            found: super::shorten(found),
            expected,
        })
    }

    /// `invalid_data` with these field errors (at least one is expected).
    pub fn invalid(errors: Vec<FieldError>) -> Error {
        Error::new(Repr::Invalid(errors.into_boxed_slice()))
    }

    /// `gone`: `entity` `id` is `status` and cannot change.
    pub fn gone(entity: &'static str, id: &str, status: &str) -> Error {
        Error::new(Repr::Gone {
            entity,
            id: id.to_owned(),
            status: status.to_owned(),
        })
    }

    /// `use_after_delete`: nothing can be added to `entity` `id`, which is `status`.
    pub fn use_after_delete(entity: &'static str, id: &str, status: &str) -> Error {
        Error::new(Repr::UseAfterDelete {
            entity,
            id: id.to_owned(),
            status: status.to_owned(),
        })
    }

    /// `not_found`: no `entity` with this id (the body carries both).
    pub fn not_found(entity: &'static str, id: &str) -> Error {
        Error::new(Repr::NotFound {
            entity,
            id: super::shorten(id),
        })
    }

    pub(crate) fn metadata_too_deep(depth: usize) -> Error {
        Error::new(Repr::MetadataTooDeep { depth })
    }

    pub(crate) fn blank_name() -> Error {
        Error::new(Repr::BlankName)
    }

    pub(crate) fn no_provider_ids() -> Error {
        Error::new(Repr::NoProviderIds)
    }

    /// `invalid_data` (`deployment_required` at `path`): the entry names no
    /// deployment and its provider has none to default to.
    pub fn deployment_required(path: Vec<PathSegment>, provider: &str) -> Error {
        let message = format!(
            "provider `{}` has no deployment to default to: give `provider_deployment_id`",
            super::shorten(provider)
        );
        Error::invalid(vec![FieldError::new("deployment_required", message, path)])
    }

    /// 400 `config_required` at `path`: the entry names no config and its
    /// deployment has no default config.
    pub fn config_required(path: Vec<PathSegment>, deployment: &str) -> Error {
        let message = format!(
            "deployment `{}` has no default config: give `provider_config_id`",
            super::shorten(deployment)
        );
        Error::new(Repr::Required {
            code: ErrorCode::ConfigRequired,
            message,
        })
        .at(path)
    }

    /// 400 `auth_config_required` at `path`: the provider's tools need
    /// credentials and no auth config was given.
    pub fn auth_config_required(path: Vec<PathSegment>, provider: &str) -> Error {
        let message = format!(
            "provider `{}` needs an auth config: give `provider_auth_config_id`",
            super::shorten(provider)
        );
        Error::new(Repr::Required {
            code: ErrorCode::AuthConfigRequired,
            message,
        })
        .at(path)
    }

    /// What kind of error this is.
    pub fn kind(&self) -> ErrorKind {
        match &self.inner.repr {
            Repr::Id(_) => ErrorKind::InvalidId,
            Repr::Timestamp(_) => ErrorKind::InvalidTimestamp,
            Repr::UnknownValue { .. } => ErrorKind::UnknownValue,
            Repr::MetadataTooDeep { .. } => ErrorKind::MetadataTooDeep,
            Repr::BlankName => ErrorKind::BlankName,
            Repr::NoProviderIds => ErrorKind::NoProviderIds,
            Repr::Invalid(_) => ErrorKind::InvalidData,
            Repr::Gone { .. } => ErrorKind::Gone,
            Repr::UseAfterDelete { .. } => ErrorKind::UseAfterDelete,
            Repr::NotFound { .. } => ErrorKind::NotFound,
            Repr::Required { .. } => ErrorKind::Required,
        }
    }

    /// Places the error at `path` inside a larger document: a leaf error
    /// (an id, a timestamp, a name) takes it as its own path; the field errors
    /// of `invalid_data` get it as a prefix.
    pub fn at(mut self, path: Vec<PathSegment>) -> Error {
        match &mut self.inner.repr {
            Repr::Invalid(errors) => {
                for e in errors.iter_mut() {
                    let mut p = path.clone();
                    p.append(&mut e.path);
                    e.path = p;
                }
            }
            _ => {
                let mut p = path;
                p.append(&mut self.inner.path);
                self.inner.path = p;
            }
        }
        self
    }

    /// Same as [`Error::at`] with a borrowed prefix (when decoding a part of a larger document).
    pub fn within(self, prefix: &[PathSegment]) -> Error {
        self.at(prefix.to_vec())
    }

    /// The field errors: every one of `invalid_data`, or the one a leaf error
    /// becomes; empty for `gone`, `use_after_delete` and `not_found`.
    pub fn errors(&self) -> Vec<FieldError> {
        match &self.inner.repr {
            Repr::Invalid(errors) => errors.to_vec(),
            Repr::Gone { .. } | Repr::UseAfterDelete { .. } | Repr::NotFound { .. } => Vec::new(),
            Repr::Required { code, message } => {
                vec![FieldError::new(
                    code.as_str(),
                    message.clone(),
                    self.inner.path.clone(),
                )]
            }
            _ => vec![self.leaf_field_error()],
        }
    }

    /// The path of the first field error, as `providers[0].tool_filters`
    /// (`(root)` when there is none).
    pub fn path_string(&self) -> String {
        match &self.inner.repr {
            Repr::Invalid(errors) => errors
                .first()
                .map_or_else(|| "(root)".to_owned(), |e| DisplayPath(&e.path).to_string()),
            _ => DisplayPath(&self.inner.path).to_string(),
        }
    }

    /// The field error a leaf error becomes.
    fn leaf_field_error(&self) -> FieldError {
        let code = match &self.inner.repr {
            Repr::Timestamp(_) => "invalid_date",
            Repr::UnknownValue { .. } => "invalid_enum_value",
            Repr::MetadataTooDeep { .. } => "too_deep",
            Repr::BlankName => "too_small",
            _ => "invalid_value",
        };
        FieldError::new(code, self.message(), self.inner.path.clone())
    }

    /// The message without the path.
    fn message(&self) -> String {
        match &self.inner.repr {
            Repr::Id(p) => p.to_string(),
            Repr::Timestamp(p) => p.to_string(),
            Repr::UnknownValue {
                what,
                found,
                expected,
            } => format!(
                "unknown {what} `{found}`, expected one of {}",
                list_values(expected)
            ),
            Repr::MetadataTooDeep { depth } => {
                format!("metadata nests {depth} levels deep, more than the limit of {MAX_METADATA_DEPTH}")
            }
            Repr::BlankName => "name must not be blank".to_owned(),
            Repr::NoProviderIds => "a template provider needs at least one of `provider_deployment_id`, \
                                    `provider_config_id`, `provider_auth_config_id`"
                .to_owned(),
            Repr::Invalid(errors) => {
                let parts: Vec<String> = errors
                    .iter()
                    .map(|e| format!("{}: {}", DisplayPath(&e.path), e.message))
                    .collect();
                parts.join("; ")
            }
            Repr::Gone { entity, id, status } => format!("{entity} `{id}` is {status} and cannot be changed"),
            Repr::UseAfterDelete { entity, id, status } => {
                format!("{entity} `{id}` is {status}; nothing can be added to it")
            }
            Repr::NotFound { entity, id } => format!("no {entity} with id `{id}`"),
            Repr::Required { message, .. } => message.clone(),
        }
    }
}

impl From<IdProblem> for Error {
    fn from(p: IdProblem) -> Error {
        Error::new(Repr::Id(p))
    }
}

impl From<TimestampProblem> for Error {
    fn from(p: TimestampProblem) -> Error {
        Error::new(Repr::Timestamp(p))
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.inner.repr {
            Repr::Invalid(_) => f.write_str(&self.message()),
            _ if self.inner.path.is_empty() => f.write_str(&self.message()),
            _ => write!(f, "{}: {}", DisplayPath(&self.inner.path), self.message()),
        }
    }
}

impl std::error::Error for Error {}

impl ApiError for Error {
    fn error_body(&self) -> ErrorBody {
        match &self.inner.repr {
            Repr::Gone { entity, id, .. } => ErrorBody {
                entity: Some((*entity).to_owned()),
                id: Some(id.clone()),
                ..ErrorBody::new(ErrorCode::Gone).with_message(self.message())
            },
            Repr::UseAfterDelete { entity, id, .. } => ErrorBody {
                entity: Some((*entity).to_owned()),
                id: Some(id.clone()),
                ..ErrorBody::new(ErrorCode::UseAfterDelete).with_message(self.message())
            },
            Repr::NotFound { entity, id } => ErrorBody::not_found(entity, id),
            Repr::Required { code, message } => ErrorBody {
                errors: Some(vec![FieldError::new(
                    code.as_str(),
                    message.clone(),
                    self.inner.path.clone(),
                )]),
                ..ErrorBody::new(code.clone()).with_message(message.clone())
            },
            _ => ErrorBody::invalid_data("body", self.errors()),
        }
    }
}
