#![doc = include_str!("README.md")]
#![cfg_attr(docsrs, feature(doc_cfg))]

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
