//! How a store opens its database.

use std::time::Duration;

use crate::{DEFAULT_TIMEOUT, Migrate};

/// How a store opens its database: [`Store::open_with`](crate::Store::open_with).
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct Options {
    /// How long a request waits for a connection (and SQLite for a lock)
    /// before it fails with [`StoreError::Unavailable`](crate::StoreError::Unavailable) (`503`), never a
    /// hang ([`DEFAULT_TIMEOUT`]).
    pub timeout: Duration,
    /// What happens to the schema at start ([`Migrate::Locked`]).
    pub migrate: Migrate,
    /// The most connections the pool opens (8; an in-memory SQLite
    /// database always has one).
    pub max_connections: u32,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            timeout: DEFAULT_TIMEOUT,
            migrate: Migrate::Locked,
            max_connections: 8,
        }
    }
}
