//! The one integration-test binary: a module per area, driven by `testdata/`.

mod cli;
mod model;
mod query;
mod schema;
mod setup;
mod support;
mod toolset;
