#![doc = include_str!("../README.md")]
#![cfg_attr(docsrs, feature(doc_cfg))]

#[cfg(feature = "proptest")]
#[cfg_attr(docsrs, doc(cfg(feature = "proptest")))]
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
