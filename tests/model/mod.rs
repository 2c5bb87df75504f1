//! `switchboard-model`: fixtures, error texts, request rules, property tests.

mod collect;
mod contract;
mod errors;
mod fixtures;
mod ids;
mod props;
mod requests;
