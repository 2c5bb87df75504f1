//! The effective tool set (contract §5): which tools, prompts and resource
//! templates an AI client gets through a session template or an integration
//! instance, and why each one is allowed or denied.
//!
//! Each level's filter is compiled once ([`CompiledFilter`]); a [`Chain`]
//! joins the levels (AND across levels, the lowest `ignore_parent_filters`
//! cutting off everything above it); [`Access`] adds OAuth scopes and the
//! auth method; [`resolve()`] merges providers in a deterministic order and
//! settles key collisions by a [`CollisionPolicy`].
//!
//! ```
//! use switchboard_model::filter::{Rule, ToolFilter};
//! use switchboard_toolset::{resolve, Access, Capability, Chain, CompiledFilter, Level, ProviderEntry, ResolveOptions};
//!
//! let filter = |rules| CompiledFilter::compile(&ToolFilter::from_rules(rules), &[]).unwrap();
//! // The deployment allows reads; the template provider adds `create_issue` but only by key.
//! let chain = Chain::new(vec![
//!     (Level::Deployment, filter(vec![Rule::ToolRegex { pattern: "^(list|get)_".into() }, Rule::ToolKeys { keys: vec!["create_issue".into()] }])),
//!     (Level::TemplateProvider, filter(vec![Rule::ToolKeys { keys: vec!["list_issues".into(), "create_issue".into()] }])),
//! ]);
//! let github = ProviderEntry {
//!     name: "github".into(),
//!     chain,
//!     access: Access::default(),
//!     capabilities: vec![Capability::tool("list_issues"), Capability::tool("create_issue"), Capability::tool("get_repo")],
//! };
//! let providers = [github];
//! let result = resolve(&providers, &ResolveOptions::default())?;
//! let allowed: Vec<&str> = result.allowed().map(|e| e.name.as_str()).collect();
//! assert_eq!(allowed, ["list_issues", "create_issue"]);
//! assert_eq!(
//!     result.entries[2].decision.to_string(),
//!     "denied by the template provider's filter: no tool rule matches"
//! );
//! Ok::<(), Box<dyn std::error::Error>>(())
//! ```

pub(crate) use switchboard_model::error::shorten;

pub mod capability;
pub mod chain;
pub mod check;
pub mod decision;
pub mod error;
pub mod filter;
pub mod input;
pub mod lint;
pub mod pattern;
pub mod resolve;
pub mod template;

pub use capability::{Capability, Kind, Level};
pub use chain::{Access, Chain};
pub use check::check_resource;
pub use decision::{Decision, decide};
pub use error::{Error, ErrorKind};
pub use filter::{CompiledFilter, Pass};
pub use lint::{Warning, lint};
pub use resolve::{
    Collision, CollisionPolicy, ProviderEntry, ProviderToolsView, Resolution, ResolveOptions, Resolved,
    prefixed_name, resolve,
};
pub use switchboard_model::IntegrationRules;
