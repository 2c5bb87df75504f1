//! The stored state of a setup session, its events, effects and errors.

use serde::{Deserialize, Serialize};
use switchboard_model::error::{ApiError, ErrorBody, ErrorCode};
use switchboard_model::filter::ToolFilter;
use switchboard_model::id::{
    IdentityActorId, IdentityId, IntegrationId, IntegrationInstanceId, IntegrationInstanceProviderId,
    IntegrationProviderId, IntegrationSetupSessionId, IntegrationSetupSessionStepId, ProviderSetupSessionId,
};
use switchboard_model::objects::{
    AuthConfigPreview, ConfigPreview, IntegrationProviderSnapshot, ProviderPreview, SetupConfiguration,
};
use switchboard_model::{Metadata, Timestamp};

pub use switchboard_model::IntegrationRules;

/// One provider of the integration, as the session needs it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IntegrationProviderInfo {
    /// The integration provider.
    pub id: IntegrationProviderId,
    /// Whether it is active (inactive ones get no step).
    pub active: bool,
    /// When it was created: steps follow creation order.
    pub created_at: Timestamp,
    /// The provider, for rendering.
    pub provider: ProviderPreview,
    /// The snapshot an instance provider embeds.
    pub snapshot: IntegrationProviderSnapshot,
}

/// The current child provider setup session of a step.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Child {
    /// Its id.
    pub id: ProviderSetupSessionId,
    /// Its stored status (a pending child past the session's expiry reads expired).
    pub status: ChildStatus,
    /// What the user chose, once completed.
    pub completion: Option<Completion>,
}

/// A child's stored status.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ChildStatus {
    /// Started, not finished.
    Pending,
    /// Finished successfully.
    Completed,
    /// Failed.
    Failed,
    /// Expired.
    Expired,
}

/// What a completed child carries. Every key is optional in JSON.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Completion {
    /// The config the user chose (else the integration provider's).
    #[serde(default)]
    pub config: Option<ConfigPreview>,
    /// The auth config the user chose.
    #[serde(default)]
    pub auth_config: Option<AuthConfigPreview>,
    /// The tool filter of the user's config or auth config choice.
    #[serde(default)]
    pub tool_filter: Option<ToolFilter>,
    /// Whether the user set the config or auth config explicitly.
    #[serde(default)]
    pub explicit: bool,
}

/// One step: one integration provider to configure.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Step {
    /// The step's id.
    pub id: IntegrationSetupSessionStepId,
    /// Its position, from 0.
    pub index: u32,
    /// The integration provider it configures.
    pub integration_provider: IntegrationProviderInfo,
    /// The current child, if one has started.
    pub child: Option<Child>,
    /// Whether the user confirmed the step's tools (tool review).
    #[serde(default)]
    pub tools_confirmed: bool,
    /// The instance provider created for the step.
    pub instance_provider: Option<InstanceProviderRecord>,
    /// Created when the session was.
    pub created_at: Timestamp,
    /// Last change.
    pub updated_at: Timestamp,
}

/// An instance provider created for a step.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InstanceProviderRecord {
    /// Its id.
    pub id: IntegrationInstanceProviderId,
    /// What it was created with.
    pub spec: InstanceProviderSpec,
    /// When.
    pub created_at: Timestamp,
}

/// What an instance provider is created with (contract §4.3).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InstanceProviderSpec {
    /// The child's config, else the integration provider's.
    pub config: Option<ConfigPreview>,
    /// The child's auth config.
    pub auth_config: Option<AuthConfigPreview>,
    /// The filter from the user's choice, when the integration allows custom filters.
    pub tool_filter: Option<ToolFilter>,
    /// Whether the filter replaces the integration provider's.
    pub is_override_tool_filter: bool,
}

/// How a session was ended by hand.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Ended {
    /// Archived.
    Archived,
    /// Deleted.
    Deleted,
}

/// The whole stored state. Serialisable, so a server can keep it in a database.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SetupState {
    /// Increments on every change; an event against another version is a conflict.
    pub version: u64,
    /// The session's id.
    pub id: IntegrationSetupSessionId,
    /// The name.
    pub name: String,
    /// The description.
    pub description: Option<String>,
    /// Free key-value pairs.
    pub metadata: Option<Metadata>,
    /// Stored, never rendered.
    pub private_metadata: Option<Metadata>,
    /// The normalised configuration.
    pub configuration: SetupConfiguration,
    /// Where the page sends the user when done.
    pub redirect_url: Option<String>,
    /// The integration.
    pub integration_id: IntegrationId,
    /// What the integration allows.
    pub rules: IntegrationRules,
    /// The draft instance.
    pub instance_id: IntegrationInstanceId,
    /// The identity actor.
    pub identity_actor_id: Option<IdentityActorId>,
    /// The identity.
    pub identity_id: Option<IdentityId>,
    /// One per active integration provider, by index.
    pub steps: Vec<Step>,
    /// Archived or deleted by hand.
    pub ended: Option<Ended>,
    /// Whether the `expired` event has been recorded.
    pub expiry_recorded: bool,
    /// Whether the `completed` event has been recorded.
    pub completion_recorded: bool,
    /// Creation time.
    pub created_at: Timestamp,
    /// Last change.
    pub updated_at: Timestamp,
    /// When the session expires.
    pub expires_at: Timestamp,
}

/// Something that happened, reported by the caller.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Event {
    /// A child provider setup session started for a step (also a replacement
    /// after the previous child failed or expired).
    ChildStarted {
        /// The step.
        step: IntegrationSetupSessionStepId,
        /// The child.
        child: ProviderSetupSessionId,
    },
    /// The child completed with the user's choice.
    ChildCompleted {
        /// The step.
        step: IntegrationSetupSessionStepId,
        /// The child.
        child: ProviderSetupSessionId,
        /// The choice.
        completion: Box<Completion>,
    },
    /// The child failed.
    ChildFailed {
        /// The step.
        step: IntegrationSetupSessionStepId,
        /// The child.
        child: ProviderSetupSessionId,
    },
    /// The child expired.
    ChildExpired {
        /// The step.
        step: IntegrationSetupSessionStepId,
        /// The child.
        child: ProviderSetupSessionId,
    },
    /// The user confirmed the step's tools (when tool filters are enabled).
    ToolsConfirmed {
        /// The step.
        step: IntegrationSetupSessionStepId,
    },
    /// The caller created the instance provider a step asked for.
    InstanceProviderCreated {
        /// The step.
        step: IntegrationSetupSessionStepId,
        /// The instance provider.
        instance_provider: IntegrationInstanceProviderId,
    },
    /// Archive the session.
    Archive,
    /// Delete the session.
    Delete,
    /// Time passed (records the `expired` event once the session has expired).
    Tick,
}

impl Event {
    /// The event's wire name.
    pub fn name(&self) -> &'static str {
        match self {
            Event::ChildStarted { .. } => "child_started",
            Event::ChildCompleted { .. } => "child_completed",
            Event::ChildFailed { .. } => "child_failed",
            Event::ChildExpired { .. } => "child_expired",
            Event::ToolsConfirmed { .. } => "tools_confirmed",
            Event::InstanceProviderCreated { .. } => "instance_provider_created",
            Event::Archive => "archive",
            Event::Delete => "delete",
            Event::Tick => "tick",
        }
    }
}

/// The service's recorded events (contract §4.3).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Recorded {
    /// The session was created.
    Created,
    /// A provider's child started.
    ProviderStarted,
    /// A provider was configured.
    ProviderCompleted,
    /// Every step is configured.
    Completed,
    /// The session expired.
    Expired,
}

/// What the caller must carry out after a transition.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Effect {
    /// Start a child provider setup session for a step, expiring with the session.
    StartChild {
        /// The step.
        step: IntegrationSetupSessionStepId,
        /// The child's expiry.
        expires_at: Timestamp,
    },
    /// Create the instance provider for a step, then report `instance_provider_created`.
    CreateInstanceProvider {
        /// The step.
        step: IntegrationSetupSessionStepId,
        /// With what.
        spec: Box<InstanceProviderSpec>,
    },
    /// Move the integration instance from draft to active.
    ActivateInstance {
        /// The instance.
        instance: IntegrationInstanceId,
    },
    /// Record a service event.
    Record {
        /// The event.
        event: Recorded,
    },
}

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
