#![doc = include_str!("../README.md")]
#![cfg_attr(docsrs, feature(doc_cfg))]

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
#[cfg_attr(docsrs, doc(cfg(feature = "openapi")))]
pub mod openapi;
pub mod patch;
pub mod pattern;
pub mod request;
pub mod tags;
pub mod timestamp;

mod one_or_many;
mod template;

#[cfg(feature = "proptest")]
#[cfg_attr(docsrs, doc(cfg(feature = "proptest")))]
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
