//! The one integration-test binary: a module per area, driven by `testdata/`.

mod cli;
mod generators;
mod jsregex;
mod model;
mod oauth_provider;
mod query;
mod schema;
mod server;
mod setup;
mod store;
mod support;
mod tidy;
mod toolset;
