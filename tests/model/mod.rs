//! `switchboard-model`: fixtures, error texts, request rules, property tests.

mod errors;
mod fixtures;
mod ids;
mod props;
mod requests;
