#![doc = include_str!("../README.md")]
#![cfg_attr(docsrs, feature(doc_cfg))]

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
