//! The SQLite backend: one process per database file, write-ahead logging,
//! foreign keys on.

use std::str::FromStr;

use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};

use crate::backend::Pool;
use crate::{Options, Store, StoreError};

/// Opens (creating if needed) the database at `url` (`sqlite://path`,
/// `sqlite::memory:`).
pub(crate) async fn open(url: &str, options: &Options) -> Result<Store, StoreError> {
    let memory = url.contains(":memory:");
    let connect = SqliteConnectOptions::from_str(url)
        .map_err(|e| StoreError::config(format!("database url: {e}")))?
        .create_if_missing(true)
        .foreign_keys(true)
        .journal_mode(if memory {
            SqliteJournalMode::Memory
        } else {
            SqliteJournalMode::Wal
        })
        .synchronous(SqliteSynchronous::Normal)
        .busy_timeout(options.timeout);
    // sqlx names `sqlite::memory:` as a shared-cache database of its own:
    // it lives while any connection to it is open, so one is kept aside
    // before the pool opens any.
    let keeper = if memory {
        use sqlx::ConnectOptions;
        Some(std::sync::Arc::new(std::sync::Mutex::new(
            connect.connect().await?,
        )))
    } else {
        None
    };
    let pool = SqlitePoolOptions::new()
        .max_connections(if memory { 1 } else { options.max_connections.max(1) })
        .min_connections(if memory { 1 } else { 0 })
        .acquire_timeout(options.timeout)
        .idle_timeout(None)
        .max_lifetime(None)
        .connect_with(connect)
        .await?;
    Ok(Store {
        pool: Pool::Sqlite(pool),
        named: true,
        _keeper: keeper,
    })
}
