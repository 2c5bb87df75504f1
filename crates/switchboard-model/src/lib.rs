//! The wire model of switchboard: every object, request body and envelope of
//! a Metorial-compatible integration platform's setup sessions and session
//! templates, as exact, typed Rust.
//!
//! - [`id`]: one type per id kind (`ProviderId`, `SessionTemplateId`, ...),
//!   validated prefixes, aliases accepted, time-sortable generation.
//! - [`Timestamp`]: UTC at millisecond precision, `2025-09-15T10:30:00.000Z`.
//! - [`objects`]: response objects; nullable keys always encoded, unknown
//!   keys ignored, unknown status values kept.
//! - [`filter`]: the six tool-filter rules, the input and output forms.
//! - [`request`]: request bodies whose decoding enforces their rules.
//! - [`decode`]: JSON decoding with errors that name the path; strict mode.
//! - [`error`]: the API's error body, and [`error::ApiError`] for every error.
//!
//! ```
//! use switchboard_model::{decode, IntegrationSetupSession};
//! use switchboard_model::error::ApiError;
//!
//! let json = r#"{
//!   "object": "integration.setup_session", "id": "iss_1", "status": "pending",
//!   "url": "https://setup.example.com/iss_1", "name": null, "description": null,
//!   "metadata": null, "configuration": {}, "redirect_url": null,
//!   "integration_id": "int_1",
//!   "integration_instance": {
//!     "object": "integration.instance", "id": "ini_1", "status": "draft", "name": "A",
//!     "description": null, "metadata": null, "integration_id": "int_1",
//!     "identity_actor_id": null, "identity_id": null, "implementation": null,
//!     "providers": [], "created_at": "2026-01-01T00:00:00Z",
//!     "updated_at": "2026-01-01T00:00:00Z", "archived_at": null
//!   },
//!   "created_at": "2026-01-01T00:00:00Z", "updated_at": "2026-01-01T00:00:00Z",
//!   "expires_at": "2026-01-01T00:30:00Z"
//! }"#;
//! let session: IntegrationSetupSession = decode::from_str(json)?;
//! // `integration_instance_id` and `steps` were missing: filled and always encoded.
//! assert_eq!(session.integration_instance_id.as_str(), "ini_1");
//! let out = serde_json::to_value(&session)?;
//! assert_eq!(out["steps"], serde_json::json!([]));
//! assert_eq!(out["configuration"]["ui"]["layout"], "box");
//! assert_eq!(out["expires_at"], "2026-01-01T00:30:00.000Z");
//!
//! // A response keeps an id of another kind as written; strict mode makes it
//! // an `invalid_data` error naming the path.
//! let bad = json.replace("\"int_1\",\n  \"integration_instance\"", "\"pro_1\",\n  \"integration_instance\"");
//! assert!(decode::from_str::<IntegrationSetupSession>(&bad)?.integration_id.is_foreign());
//! let err = decode::from_str_strict::<IntegrationSetupSession>(&bad).unwrap_err();
//! assert_eq!(err.path_string(), "integration_id");
//! assert_eq!(err.error_body().code.as_str(), "invalid_data");
//! Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! With the `proptest` feature, every public type implements
//! `proptest::arbitrary::Arbitrary` and generates valid values.

pub mod catalog;
pub mod codec;
pub mod decode;
pub mod enums;
pub mod error;
pub mod filter;
pub mod id;
pub mod integration;
pub mod json;
pub mod objects;
#[cfg(feature = "openapi")]
pub mod openapi;
pub mod patch;
pub mod pattern;
pub mod request;
pub mod tags;
pub mod timestamp;

mod one_or_many;
mod template;

#[cfg(feature = "proptest")]
pub mod arbitrary;

/// What the exported macros name; not part of the API.
#[doc(hidden)]
pub mod __private {
    pub use serde;
}

pub use error::{ApiError, Error, ErrorBody, ErrorKind};
pub use integration::IntegrationRules;
pub use json::Metadata;
pub use objects::{
    IntegrationInstance, IntegrationSetupSession, List, ProviderTool, ProviderTools, SessionTemplate,
    SessionTemplateProvider, SetupSessionStep,
};
pub use patch::Patch;
pub use timestamp::Timestamp;
