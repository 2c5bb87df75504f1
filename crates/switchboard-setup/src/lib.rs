//! The integration setup session lifecycle (contract §4) as pure logic: one step
//! per integration provider, each following a child provider setup session;
//! the session moving from pending to successful or expired; the draft
//! instance becoming active. Time comes in as a parameter and effects go out
//! as values; the state is serialisable, with a version for optimistic locking.
//!
//! ```
//! use switchboard_model::{decode, Timestamp};
//! use switchboard_model::enums::SetupSessionStatus;
//! use switchboard_model::id::*;
//! use switchboard_model::objects::{IntegrationProviderSnapshot, ProviderPreview};
//! use switchboard_setup::*;
//!
//! # let t = "2026-01-01T00:00:00.000Z";
//! # let provider: ProviderPreview = decode::from_str(&format!(r#"{{"id":"pro_1","name":"GitHub","description":null,"slug":"github","created_at":"{t}","updated_at":"{t}"}}"#))?;
//! # let snapshot: IntegrationProviderSnapshot = decode::from_str(&format!(r#"{{"id":"inp_1","provider_version":{{"id":"ipv_1","index":1}},"status":"active","name":null,"description":null,"metadata":null,"tool_filter":null,"provider_id":"pro_1","deployment_id":"pde_1","auth_method_id":null,"auth_credentials_id":null,"config":null,"created_at":"{t}","updated_at":"{t}","archived_at":null}}"#))?;
//! let now: Timestamp = "2026-01-01T10:00:00.000Z".parse()?;
//! let github = IntegrationProviderInfo { id: IntegrationProviderId::from_static("inp_1"), active: true, created_at: now, provider, snapshot };
//! let rules = IntegrationRules { active: true, ..IntegrationRules::default() };
//! let body = decode::from_str(r#"{"integration_id": "int_1", "name": "Acme"}"#)?;
//! let ids = NewIds {
//!     session: IntegrationSetupSessionId::from_static("iss_1"),
//!     instance: IntegrationInstanceId::from_static("ini_1"),
//!     steps: vec![IntegrationSetupSessionStepId::from_static("isst_1")],
//! };
//! let (state, effects) = create(&body, rules, &[github], ids, now, Policy::default())?;
//! assert_eq!(effects.len(), 2); // `created`, and start the step's child
//!
//! let step = state.steps[0].id.clone();
//! let started = Event::ChildStarted { step: step.clone(), child: ProviderSetupSessionId::from_static("pas_1") };
//! let (state, _) = transition(&state, 1, &started, now)?;
//! // The default lifetime is 30 minutes: at 10:30 the session reads expired.
//! let later: Timestamp = "2026-01-01T10:30:00.000Z".parse()?;
//! assert_eq!(session_status(&state, later), SetupSessionStatus::Expired);
//! // The page's client secret is derived from a server key, never stored.
//! let secret = secret::ClientSecret::derive(&secret::ServerKey::from_bytes([1; 32]), &state.id);
//! let session = render(&state, later, "https://setup.example.com", &secret);
//! assert_eq!(session.status, SetupSessionStatus::Expired);
//! assert!(session.url.ends_with(secret.as_str()));
//! Ok::<(), Box<dyn std::error::Error>>(())
//! ```

#[cfg(feature = "proptest")]
pub mod arbitrary;
pub mod drive;
mod error;
mod index;
mod machine;
mod render;
pub mod scenario;
pub mod secret;
mod state;
mod steps;

pub use error::{Error, ErrorKind};
pub use machine::{
    DEFAULT_LIFETIME_MILLIS, NewIds, Policy, apply, create, instance_status, session_status, step_status,
    transition,
};
pub use render::render;
pub use state::*;
