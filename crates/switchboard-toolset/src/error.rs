//! The crate's one error type.

use std::fmt;

use switchboard_model::error::{ApiError, DisplayPath, ErrorBody, ErrorCode, FieldError, PathSegment};

use crate::capability::Kind;
use crate::decision::Decision;
use crate::pattern::PatternReason;
use crate::resolve::Collision;

/// What went wrong, as a value to match on (see [`Error::kind`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorKind {
    /// A regex rule cannot be compiled: look-around, a back-reference, a
    /// syntax error or a size limit. 400 `invalid_data` at the rule's path.
    InvalidPattern,
    /// Two providers expose the same name under [`crate::CollisionPolicy::Error`].
    /// 409 `conflict`.
    Collision,
    /// A call names nothing of its kind. 404 `not_found`.
    UnknownCapability,
    /// A call names something the chain, scopes or auth method denies. 403 `forbidden`.
    Denied,
    /// The options of [`crate::resolve()`] are out of range (a prefix budget
    /// below the minimum). 400 `bad_request`.
    InvalidOptions,
    /// A catalog object or document is over a limit: a match key longer than
    /// [`crate::capability::MAX_NAME_LEN`] or [`crate::capability::MAX_URI_LEN`].
    /// 400 `invalid_data` at its path.
    Limit,
}

/// The crate's one error: a filter that does not compile, a collision, or a refused call.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error {
    repr: Box<Repr>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Repr {
    Pattern {
        path: Vec<PathSegment>,
        pattern: String,
        reason: PatternReason,
    },
    Collisions(Vec<Collision>),
    Unknown {
        kind: Kind,
        name: String,
    },
    Denied {
        name: String,
        decision: Decision,
    },
    BudgetTooSmall {
        budget: usize,
    },
    KeyTooLong {
        path: Vec<PathSegment>,
        len: usize,
        limit: usize,
    },
}

impl Error {
    fn new(repr: Repr) -> Error {
        Error { repr: Box::new(repr) }
    }

    /// A pattern refused for `reason`, at `path` (empty for a bare pattern).
    pub(crate) fn pattern(path: Vec<PathSegment>, pattern: &str, reason: PatternReason) -> Error {
        Error::new(Repr::Pattern {
            path,
            pattern: crate::shorten(pattern),
            reason,
        })
    }

    /// A pattern of rule `rule` of the filter at `prefix`.
    pub(crate) fn rule_pattern(
        prefix: &[PathSegment],
        rule: usize,
        pattern: &str,
        reason: PatternReason,
    ) -> Error {
        let mut path = prefix.to_vec();
        path.push(PathSegment::from(rule));
        path.push(PathSegment::from("pattern"));
        Error::pattern(path, pattern, reason)
    }

    pub(crate) fn key_too_long(path: Vec<PathSegment>, len: usize, limit: usize) -> Error {
        Error::new(Repr::KeyTooLong { path, len, limit })
    }

    pub(crate) fn budget_too_small(budget: usize) -> Error {
        Error::new(Repr::BudgetTooSmall { budget })
    }

    pub(crate) fn collisions(collisions: Vec<Collision>) -> Error {
        Error::new(Repr::Collisions(collisions))
    }

    pub(crate) fn unknown(kind: Kind, name: &str) -> Error {
        Error::new(Repr::Unknown {
            kind,
            name: crate::shorten(name),
        })
    }

    pub(crate) fn denied(name: &str, decision: Decision) -> Error {
        Error::new(Repr::Denied {
            name: crate::shorten(name),
            decision,
        })
    }

    /// What kind of error this is.
    pub fn kind(&self) -> ErrorKind {
        match &*self.repr {
            Repr::Pattern { .. } => ErrorKind::InvalidPattern,
            Repr::Collisions(_) => ErrorKind::Collision,
            Repr::Unknown { .. } => ErrorKind::UnknownCapability,
            Repr::Denied { .. } => ErrorKind::Denied,
            Repr::BudgetTooSmall { .. } => ErrorKind::InvalidOptions,
            Repr::KeyTooLong { .. } => ErrorKind::Limit,
        }
    }

    /// Where the offending rule is (empty for other kinds, and for a bare pattern).
    pub fn path(&self) -> &[PathSegment] {
        match &*self.repr {
            Repr::Pattern { path, .. } | Repr::KeyTooLong { path, .. } => path,
            _ => &[],
        }
    }

    /// Why a pattern was refused.
    pub fn pattern_reason(&self) -> Option<&PatternReason> {
        match &*self.repr {
            Repr::Pattern { reason, .. } => Some(reason),
            _ => None,
        }
    }

    /// Every collision, for [`ErrorKind::Collision`].
    pub fn collisions_found(&self) -> &[Collision] {
        match &*self.repr {
            Repr::Collisions(c) => c,
            _ => &[],
        }
    }

    /// Why a call was denied, for [`ErrorKind::Denied`].
    pub fn decision(&self) -> Option<&Decision> {
        match &*self.repr {
            Repr::Denied { decision, .. } => Some(decision),
            _ => None,
        }
    }

    /// The rule-level message of a pattern error, without the path.
    fn pattern_message(&self) -> String {
        match &*self.repr {
            Repr::Pattern {
                path,
                pattern,
                reason,
            } => match rule_index(path) {
                Some(rule) => format!("rule {rule}: pattern `{pattern}`: {reason}"),
                None => format!("pattern `{pattern}`: {reason}"),
            },
            _ => String::new(),
        }
    }
}

/// The rule index of a pattern path (`[..., i, "pattern"]`).
fn rule_index(path: &[PathSegment]) -> Option<u64> {
    match path {
        [.., PathSegment::Index(i), PathSegment::Key(k)] if k == "pattern" => Some(*i),
        _ => None,
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &*self.repr {
            Repr::Pattern { path, .. } if path.is_empty() => f.write_str(&self.pattern_message()),
            Repr::Pattern { path, .. } => write!(f, "{}: {}", DisplayPath(path), self.pattern_message()),
            Repr::Collisions(c) => {
                let list: Vec<String> = c
                    .iter()
                    .map(|c| format!("{} `{}` from {}", c.kind.noun(), c.name, c.providers.join(", ")))
                    .collect();
                write!(f, "{} name collision(s): {}", c.len(), list.join("; "))
            }
            Repr::Unknown { kind, name } => write!(f, "no {} named `{name}`", kind.noun()),
            Repr::Denied { name, decision } => write!(f, "`{name}` is {decision}"),
            Repr::KeyTooLong { path, len, limit } => write!(
                f,
                "{}: {len} bytes, more than the limit of {limit} for a matched name",
                DisplayPath(path)
            ),
            Repr::BudgetTooSmall { budget } => write!(
                f,
                "a name budget of {budget} bytes is below the minimum of {}",
                crate::CollisionPolicy::MIN_BUDGET
            ),
        }
    }
}

impl std::error::Error for Error {}

impl ApiError for Error {
    fn error_body(&self) -> ErrorBody {
        match &*self.repr {
            Repr::Pattern { path, .. } => ErrorBody::invalid_data(
                "body",
                vec![FieldError::new(
                    "invalid_pattern",
                    self.pattern_message(),
                    path.clone(),
                )],
            ),
            Repr::Collisions(_) => ErrorBody::new(ErrorCode::Conflict).with_message(self.to_string()),
            Repr::Unknown { name, .. } => {
                ErrorBody::not_found("provider.tool", name).with_message(self.to_string())
            }
            Repr::Denied { .. } => ErrorBody::new(ErrorCode::Forbidden).with_message(self.to_string()),
            Repr::BudgetTooSmall { .. } => ErrorBody::bad_request(self.to_string()),
            Repr::KeyTooLong { path, len, limit } => ErrorBody::invalid_data(
                "body",
                vec![FieldError::new(
                    "too_big",
                    format!("{len} bytes, more than the limit of {limit} for a matched name"),
                    path.clone(),
                )],
            ),
        }
    }
}
