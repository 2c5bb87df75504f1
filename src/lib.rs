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
//! ```
//! use switchboard::model::{decode, SessionTemplate};
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
//! Ok::<(), Box<dyn std::error::Error>>(())
//! ```

pub use switchboard_model as model;
pub use switchboard_query as query;
pub use switchboard_schema as schema;
pub use switchboard_setup as setup;
pub use switchboard_toolset as toolset;

/// The README's examples, compiled and run as doctests.
#[doc = include_str!("../README.md")]
#[cfg(doctest)]
pub struct ReadmeDoctests;
