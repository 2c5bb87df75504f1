//! The crate's errors.

use switchboard_model::Timestamp;
use switchboard_model::error::{ApiError, ErrorBody, ErrorCode};
use switchboard_model::id::{IntegrationId, IntegrationSetupSessionStepId};

/// What went wrong, as a value to match on (see [`Error::kind`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorKind {
    /// The integration is not active (400 `use_after_delete`).
    IntegrationInactive,
    /// The integration has no active provider (400 `integration_provider_required`).
    NoProviders,
    /// `expires_at` is not in the future, or past the policy's bound (400 `invalid_data`).
    InvalidExpiry,
    /// The caller's ids do not fit the session (400 `bad_request`).
    InvalidIds,
    /// The event was computed against another version (409 `conflict`).
    Conflict,
    /// The session is finished (410 `gone`).
    Finished,
    /// The event does not fit the step's state (400 `bad_request`).
    NotAllowed,
    /// No such step (404 `not_found`).
    UnknownStep,
    /// A child or instance provider id that belongs to another step (400 `bad_request`).
    DuplicateId,
    /// An event dated before the state's last change: time never runs
    /// backwards (400 `bad_request`).
    OutOfOrder,
    /// A scenario document over its limits (400 `bad_request`).
    Limit,
}

/// The crate's one error: why a create, an event or a scenario is refused.
/// Each knows its API error body; a scenario's error names the place it
/// happened and keeps the refusal's kind.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The integration is not active.
    #[error("integration `{0}` is not active")]
    IntegrationInactive(IntegrationId),
    /// The integration has no active provider.
    #[error("integration `{0}` has no active provider to set up")]
    NoProviders(IntegrationId),
    /// `expires_at` is not after `now`.
    #[error("expires_at {expires_at} is not after the creation time {now}")]
    ExpiryInPast {
        /// The requested expiry.
        expires_at: Timestamp,
        /// Now.
        now: Timestamp,
    },
    /// `expires_at` is past the policy's upper bound.
    #[error("expires_at {expires_at} is later than the limit of {limit}")]
    ExpiryTooLate {
        /// The requested expiry.
        expires_at: Timestamp,
        /// The latest allowed.
        limit: Timestamp,
    },
    /// The default expiry would fall past the last representable instant.
    #[error("a session created at {now} cannot expire within the years 0000 to 9999")]
    ExpiryOverflow {
        /// Now.
        now: Timestamp,
    },
    /// The event is dated before the state's last change.
    #[error(
        "the event at {at} is earlier than the session's last change at {last}; time never runs backwards"
    )]
    OutOfOrder {
        /// The event's time.
        at: Timestamp,
        /// The state's last change.
        last: Timestamp,
    },
    /// A scenario lists more events than the limit.
    #[error("the scenario lists {given} events, more than the limit of {limit}")]
    TooManyEvents {
        /// Events given.
        given: usize,
        /// The limit.
        limit: usize,
    },
    /// The caller supplied the wrong number of step ids.
    #[error("{given} step ids were given for {needed} steps")]
    StepIds {
        /// Given.
        given: usize,
        /// Needed.
        needed: usize,
    },
    /// The event was computed against another version.
    #[error("the session is at version {current}, the event was for version {expected}")]
    Conflict {
        /// The caller's version.
        expected: u64,
        /// The stored version.
        current: u64,
    },
    /// The session is finished; the event cannot apply.
    #[error("the session is {status}; `{event}` cannot apply")]
    Finished {
        /// The session status.
        status: &'static str,
        /// The event.
        event: &'static str,
    },
    /// The event does not fit the step's state.
    #[error("`{event}` does not apply to step {step} ({state})")]
    NotAllowed {
        /// The event.
        event: &'static str,
        /// The step.
        step: IntegrationSetupSessionStepId,
        /// Why.
        state: String,
    },
    /// No such step.
    #[error("no step `{0}` in this session")]
    UnknownStep(IntegrationSetupSessionStepId),
    /// An id that another step already holds.
    #[error("{what} `{id}` belongs to step {other}; step {step} cannot have it too")]
    DuplicateId {
        /// `child` or `instance provider`.
        what: &'static str,
        /// The id.
        id: String,
        /// The step the event names.
        step: IntegrationSetupSessionStepId,
        /// The step that holds the id.
        other: IntegrationSetupSessionStepId,
    },
    /// The create body names another integration than the one given.
    #[error("the create body names integration `{body}`, but the integration given is `{given}`")]
    IntegrationMismatch {
        /// The body's `integration_id`.
        body: IntegrationId,
        /// The integration given.
        given: IntegrationId,
    },
    /// A scenario's create or event was refused.
    #[error("{place}: {source}")]
    Scenario {
        /// `create` or `timeline[3] (child_failed)`.
        place: String,
        /// The refusal.
        source: Box<Error>,
    },
    /// An id could not be made (a time outside the years 0000 to 9999).
    #[error(transparent)]
    Model(#[from] switchboard_model::Error),
}

impl Error {
    /// What kind of error this is (for a scenario error, the refusal's kind).
    pub fn kind(&self) -> ErrorKind {
        match self {
            Error::IntegrationInactive(_) => ErrorKind::IntegrationInactive,
            Error::NoProviders(_) => ErrorKind::NoProviders,
            Error::ExpiryInPast { .. } | Error::ExpiryTooLate { .. } | Error::ExpiryOverflow { .. } => {
                ErrorKind::InvalidExpiry
            }
            Error::OutOfOrder { .. } => ErrorKind::OutOfOrder,
            Error::TooManyEvents { .. } => ErrorKind::Limit,
            Error::StepIds { .. } | Error::IntegrationMismatch { .. } => ErrorKind::InvalidIds,
            Error::Conflict { .. } => ErrorKind::Conflict,
            Error::Finished { .. } => ErrorKind::Finished,
            Error::NotAllowed { .. } => ErrorKind::NotAllowed,
            Error::UnknownStep(_) => ErrorKind::UnknownStep,
            Error::DuplicateId { .. } => ErrorKind::DuplicateId,
            Error::Scenario { source, .. } => source.kind(),
            Error::Model(_) => ErrorKind::InvalidIds,
        }
    }

    /// The refusal itself, without a scenario's place.
    pub fn refusal(&self) -> &Error {
        match self {
            Error::Scenario { source, .. } => source.refusal(),
            other => other,
        }
    }
}

impl ApiError for Error {
    fn error_body(&self) -> ErrorBody {
        if let Error::Model(e) = self {
            return e.error_body();
        }
        if let Error::Scenario { place, source } = self {
            let body = source.error_body();
            let message = format!("{place}: {}", body.message);
            return body.with_message(message);
        }
        if let Error::ExpiryInPast { .. } | Error::ExpiryTooLate { .. } | Error::ExpiryOverflow { .. } = self
        {
            let path = vec![switchboard_model::error::PathSegment::from("expires_at")];
            let error = switchboard_model::error::FieldError::new("invalid_date", self.to_string(), path);
            return ErrorBody::invalid_data("body", vec![error]);
        }
        match self {
            Error::UnknownStep(id) => {
                return ErrorBody::not_found("integration.setup_session.step", id.as_str())
                    .with_message(self.to_string());
            }
            Error::IntegrationInactive(id) => {
                return ErrorBody {
                    entity: Some("integration".to_owned()),
                    id: Some(id.to_string()),
                    ..ErrorBody::new(ErrorCode::UseAfterDelete).with_message(self.to_string())
                };
            }
            _ => {}
        }
        let code = match self {
            Error::NoProviders(_) => ErrorCode::IntegrationProviderRequired,
            Error::Conflict { .. } => ErrorCode::Conflict,
            Error::Finished { .. } => ErrorCode::Gone,
            _ => ErrorCode::BadRequest,
        };
        ErrorBody::new(code).with_message(self.to_string())
    }
}
