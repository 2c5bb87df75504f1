//! A whole session's story in one document: the integration, the create
//! body, the creation time and a timeline of timed events. The `switchboard
//! setup` command runs it; tests and demos can too.
//!
//! ```json
//! {
//!   "base_url": "https://setup.example.com",
//!   "integration": {"id": "int_1", "active": true, "custom_tool_filters": true,
//!                   "override_tool_filters": false, "providers": [<provider>, ...]},
//!   "ids": {"session": "iss_1", "instance": "ini_1", "steps": ["isst_1"]},
//!   "create": {"integration_id": "int_1", "name": "Acme"},
//!   "now": "2026-01-01T10:00:00.000Z",
//!   "timeline": [{"at": "2026-01-01T10:01:00.000Z",
//!                 "event": {"type": "child_started", "step": "isst_1", "child": "pas_1"}}]
//! }
//! ```
//!
//! A provider is `{"id": "inp_...", "active": true, "created_at": T,
//! "provider": <provider#preview>, "snapshot": <integration.provider#snapshot>}`.
//! Events are the [`Event`] variants by `type`: `child_started`,
//! `child_completed` (with `completion: {config, auth_config, tool_filter,
//! explicit}`), `child_failed`, `child_expired`, `tools_confirmed`,
//! `instance_provider_created`, `archive`, `delete`, `tick`.
//!
//! Rendered URLs carry a client secret derived from [`Scenario::DEMO_KEY`], an
//! all-zero key: scenario output is for reading, never a server's key.

use serde::{Deserialize, Serialize};
use switchboard_model::Timestamp;

use switchboard_model::id::IntegrationId;
use switchboard_model::request::CreateIntegrationSetupSession;

use switchboard_model::objects::IntegrationSetupSession;

use crate::secret::{ClientSecret, ServerKey};
use crate::{
    Effect, Error, Event, IntegrationProviderInfo, IntegrationRules, NewIds, Policy, SetupState, create,
    render, transition,
};

/// The document.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Scenario {
    /// The hosted page's origin, for rendered URLs.
    #[serde(default = "default_base_url")]
    pub base_url: String,
    /// The integration and its providers.
    pub integration: ScenarioIntegration,
    /// The ids the session gets.
    pub ids: NewIds,
    /// The create body.
    pub create: CreateIntegrationSetupSession,
    /// The creation time.
    pub now: Timestamp,
    /// The events, in order.
    #[serde(default)]
    pub timeline: Vec<TimedEvent>,
}

fn default_base_url() -> String {
    "https://setup.example.com".to_owned()
}

/// The integration as a scenario gives it.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScenarioIntegration {
    /// Its id (the create body's `integration_id` must name it).
    pub id: IntegrationId,
    /// Whether it is active.
    pub active: bool,
    /// Whether instance providers may carry their own filters.
    #[serde(default)]
    pub custom_tool_filters: bool,
    /// Whether those may replace the integration provider's.
    #[serde(default)]
    pub override_tool_filters: bool,
    /// Its providers.
    pub providers: Vec<IntegrationProviderInfo>,
}

/// One event at a time.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TimedEvent {
    /// When it happens.
    pub at: Timestamp,
    /// What happens.
    pub event: Event,
}

/// What one applied event produced.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Applied {
    /// When.
    pub at: Timestamp,
    /// The event's name.
    pub event: &'static str,
    /// The version after it.
    pub version: u64,
    /// The effects it asked for (none for a redelivery).
    pub effects: Vec<Effect>,
}

/// The result of running a scenario.
#[derive(Debug, Clone)]
pub struct Outcome {
    /// The state after the last event.
    pub state: SetupState,
    /// The effects of the create.
    pub created: Vec<Effect>,
    /// Each event's effects.
    pub applied: Vec<Applied>,
    /// The time of the last event (or the creation).
    pub last_at: Timestamp,
}

impl Scenario {
    /// The most events one scenario may list.
    pub const MAX_EVENTS: usize = 10_000;

    /// The key scenario URLs are rendered with: all zeros, for reading only.
    pub const DEMO_KEY: [u8; 32] = [0; 32];

    /// The session of `outcome` as seen at `at`, its URLs under [`Scenario::base_url`]
    /// with a secret derived from [`Scenario::DEMO_KEY`].
    pub fn render(&self, outcome: &Outcome, at: Timestamp) -> IntegrationSetupSession {
        let secret = ClientSecret::derive(&ServerKey::from_bytes(Self::DEMO_KEY), &outcome.state.id);
        render(&outcome.state, at, &self.base_url, &secret)
    }

    /// Creates the session and applies every event in order.
    pub fn run(&self) -> Result<Outcome, Error> {
        self.run_until(None)
    }

    /// Like [`Scenario::run`], applying only the events at or before `until`:
    /// the session as it stood then.
    pub fn run_until(&self, until: Option<Timestamp>) -> Result<Outcome, Error> {
        if self.timeline.len() > Self::MAX_EVENTS {
            return Err(Error::TooManyEvents {
                given: self.timeline.len(),
                limit: Self::MAX_EVENTS,
            });
        }
        if self.create.integration_id != self.integration.id {
            return Err(Error::Scenario {
                place: "create".to_owned(),
                source: Box::new(Error::IntegrationMismatch {
                    body: self.create.integration_id.clone(),
                    given: self.integration.id.clone(),
                }),
            });
        }
        let rules = IntegrationRules {
            active: self.integration.active,
            custom_tool_filters: self.integration.custom_tool_filters,
            override_tool_filters: self.integration.override_tool_filters,
        };
        let (mut state, created) = create(
            &self.create,
            rules,
            &self.integration.providers,
            self.ids.clone(),
            self.now,
            Policy::default(),
        )
        .map_err(|error| Error::Scenario {
            place: "create".to_owned(),
            source: Box::new(error),
        })?;
        let mut applied = Vec::with_capacity(self.timeline.len());
        let mut last_at = self.now;
        for (i, t) in self.timeline.iter().enumerate() {
            if until.is_some_and(|u| t.at > u) {
                break;
            }
            let (next, effects) =
                transition(&state, state.version, &t.event, t.at).map_err(|error| Error::Scenario {
                    place: format!("timeline[{i}] ({})", t.event.name()),
                    source: Box::new(error),
                })?;
            state = next;
            last_at = t.at;
            applied.push(Applied {
                at: t.at,
                event: t.event.name(),
                version: state.version,
                effects,
            });
        }
        Ok(Outcome {
            state,
            created,
            applied,
            last_at,
        })
    }
}
