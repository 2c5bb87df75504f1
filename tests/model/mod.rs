//! `switchboard-model`: fixtures, error texts, request rules, property tests.

mod collect;
mod errors;
mod fixtures;
mod ids;
mod props;
mod requests;
