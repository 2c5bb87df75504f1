//! The stored state of a setup session, its events, effects and errors.

use serde::{Deserialize, Serialize};
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

/// A child a step had before its current one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReplacedChild {
    /// Its id.
    pub id: ProviderSetupSessionId,
    /// How it ended: failed or expired.
    pub status: ChildStatus,
}

/// The most children one step may have, its current one included.
pub const MAX_CHILDREN_PER_STEP: usize = 1_000;

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
    /// Earlier children, replaced after they failed or expired, oldest
    /// first (at most [`MAX_CHILDREN_PER_STEP`] children in all): a
    /// redelivered event about one of them changes nothing.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub replaced: Vec<ReplacedChild>,
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
    /// Which step holds each child and instance provider id: derived from
    /// the steps, never stored, never compared.
    #[serde(skip)]
    pub(crate) ids: crate::index::IdIndex,
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
    /// The step the event is about; `None` for the session-level events
    /// (`archive`, `delete`, `tick`).
    pub fn step(&self) -> Option<&IntegrationSetupSessionStepId> {
        match self {
            Event::ChildStarted { step, .. }
            | Event::ChildCompleted { step, .. }
            | Event::ChildFailed { step, .. }
            | Event::ChildExpired { step, .. }
            | Event::ToolsConfirmed { step }
            | Event::InstanceProviderCreated { step, .. } => Some(step),
            Event::Archive | Event::Delete | Event::Tick => None,
        }
    }

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
