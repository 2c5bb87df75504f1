//! switchboard: the domain of an MCP integration platform's integration setup
//! sessions and session templates, wire-compatible with the Metorial API.
//!
//! This facade re-exports each member crate as a module:
//!
//! - [`model`] (`switchboard-model`): ids, timestamps, response objects,
//!   request bodies, tool filters, lists and the error body.
//! - [`query`] (`switchboard-query`): list query strings, cursors and keyset pages.
//! - [`toolset`] (`switchboard-toolset`): tool filters compiled and chained; the effective tool set.
//! - [`setup`] (`switchboard-setup`): the integration setup session lifecycle as a pure state machine.
//! - [`schema`] (`switchboard-schema`): JSON Schema validation of configs, auth inputs and tool calls.
//!
//! The [`prelude`] brings the types most code needs; [`serde_json`] is
//! re-exported because it appears in public signatures (metadata, schemas).
//! With the `proptest` feature, the model, query and setup types implement
//! `proptest::arbitrary::Arbitrary` and generate only valid values.
//!
//! ```
//! use switchboard::prelude::*;
//!
//! let json = r#"{"object": "session.template", "id": "stm_2bCdEfGhJkLmNpQr", "status": "active",
//!   "name": "Production", "description": null, "metadata": null, "providers": [],
//!   "created_at": "2025-09-15T10:30:00Z", "updated_at": "2025-09-15T10:30:00Z"}"#;
//! let template: SessionTemplate = decode::from_str(json)?;
//! assert_eq!(template.id.as_str(), "stm_2bCdEfGhJkLmNpQr");
//! assert_eq!(
//!     serde_json::to_value(&template)?["created_at"],
//!     "2025-09-15T10:30:00.000Z"
//! );
//!
//! // Every crate's error becomes the API's error body the same way.
//! let err = ListQuery::<SessionTemplates>::decode("limit=0").unwrap_err();
//! assert_eq!(err.error_body().status, 400);
//! Ok::<(), Box<dyn std::error::Error>>(())
//! ```

pub use serde_json;
pub use switchboard_model as model;
pub use switchboard_query as query;
pub use switchboard_schema as schema;
pub use switchboard_setup as setup;
pub use switchboard_toolset as toolset;

/// The types most code needs, in one `use switchboard::prelude::*;`.
pub mod prelude {
    pub use switchboard_model::error::{ErrorBody, ErrorCode, FieldError, PathSegment};
    pub use switchboard_model::id::{Canonical, Id, IdGenerator};
    pub use switchboard_model::{
        ApiError, IntegrationRules, IntegrationSetupSession, List, Metadata, Patch, ProviderTool,
        ProviderTools, SessionTemplate, SessionTemplateProvider, Timestamp, decode,
    };
    pub use switchboard_query::{
        IntegrationSetupSessions, ListQuery, Order, PageSize, Position, QueryError, SessionTemplateProviders,
        SessionTemplates,
    };
    pub use switchboard_schema::{SchemaError, Validator};
    pub use switchboard_setup::{Event, NewIds, SetupState};
    pub use switchboard_toolset::{CompiledFilter, ProviderEntry, ResolveOptions, resolve};
}

/// The README's examples, compiled and run as doctests.
#[doc = include_str!("../README.md")]
#[cfg(doctest)]
pub struct ReadmeDoctests;
