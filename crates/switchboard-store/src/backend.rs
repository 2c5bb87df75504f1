//! The two backends behind the one store API: SQLite (embedded) and
//! PostgreSQL (feature `postgres`). The SQL is portable (numbered
//! placeholders, `BIGINT` milliseconds, text ids compared bytewise, JSON as
//! text), so each method's body is written once and compiled once per
//! backend by [`on_pool!`]; what differs (connecting, migrations, locking,
//! the SQLSTATEs worth a retry) lives in `sqlite.rs` and `postgres.rs`.
//!
//! Not sqlx's `Any` driver: it maps every value through a lowest common
//! type, which would carry neither 64-bit times nor text faithfully on both.

use std::hash::{BuildHasher, Hasher};
use std::time::Duration;

use sqlx::Database;
use sqlx::database::HasStatementCache;
use sqlx::query::{Query, QueryAs};

/// Which database a store runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Backend {
    /// SQLite: one process per database file.
    Sqlite,
    /// PostgreSQL: any number of processes over one database.
    Postgres,
}

impl Backend {
    /// Its name (`sqlite`, `postgres`).
    pub fn name(self) -> &'static str {
        match self {
            Backend::Sqlite => "sqlite",
            Backend::Postgres => "postgres",
        }
    }

    /// The backend a database URL names: `sqlite:` or `postgres:`
    /// (`postgresql:`); `None` for anything else.
    pub fn of_url(url: &str) -> Option<Backend> {
        let scheme = url.split_once(':')?.0.to_ascii_lowercase();
        match scheme.as_str() {
            "sqlite" => Some(Backend::Sqlite),
            "postgres" | "postgresql" => Some(Backend::Postgres),
            _ => None,
        }
    }
}

/// The pool of one backend.
#[derive(Debug, Clone)]
pub(crate) enum Pool {
    Sqlite(sqlx::SqlitePool),
    #[cfg(feature = "postgres")]
    Postgres(sqlx::PgPool),
}

/// How many times a transaction that lost a serialization race or a
/// deadlock (SQLSTATE `40001`, `40P01`) runs again before its error is the
/// answer.
pub(crate) const RETRIES: u32 = 5;

/// The pause before attempt `attempt` (1-based): 10 ms doubled each time,
/// up to 320 ms, jittered to between half and all of it so that racing
/// transactions do not collide again in step.
pub(crate) fn backoff(attempt: u32) -> Duration {
    let full = 10u64 << attempt.min(5);
    // A fresh `RandomState` is randomly keyed: its hash of nothing is a
    // random number, without a dependency for one.
    let random = std::collections::hash_map::RandomState::new()
        .build_hasher()
        .finish();
    Duration::from_millis(full / 2 + random % (full / 2 + 1))
}

/// A query whose statement is named and cached on the connection, or not
/// (behind a pooler in transaction mode, where a named statement may land
/// on another server connection).
pub(crate) fn query<DB: Database + HasStatementCache>(
    sql: &str,
    named: bool,
) -> Query<'_, DB, <DB as Database>::Arguments<'_>> {
    sqlx::query(sql).persistent(named)
}

/// [`query`], its rows read as `O`.
pub(crate) fn query_as<DB: Database + HasStatementCache, O>(
    sql: &str,
    named: bool,
) -> QueryAs<'_, DB, O, <DB as Database>::Arguments<'_>>
where
    O: for<'r> sqlx::FromRow<'r, DB::Row>,
{
    sqlx::query_as(sql).persistent(named)
}

/// Runs a block against the store's pool, bound to `$pool`, compiled once
/// per backend; the block's `?` ends the attempt, not the method. An
/// attempt that failed on a serialization failure or a deadlock runs again
/// (a failed transaction rolled back, so the block starts from nothing)
/// after [`backoff`], at most [`RETRIES`] times.
macro_rules! on_pool {
    ($store:expr, |$pool:ident| $body:expr) => {{
        let mut attempt = 0u32;
        loop {
            let result: Result<_, $crate::StoreError> = match &$store.pool {
                $crate::backend::Pool::Sqlite($pool) => async { $body }.await,
                #[cfg(feature = "postgres")]
                $crate::backend::Pool::Postgres($pool) => async { $body }.await,
            };
            match result {
                Err(e) if attempt < $crate::backend::RETRIES && e.is_transient() => {
                    attempt += 1;
                    tokio::time::sleep($crate::backend::backoff(attempt)).await;
                }
                other => break other,
            }
        }
    }};
}

/// Runs a block against one connection of the store's pool, bound to
/// `$conn` (a `&mut` connection: statements take `&mut *$conn`), compiled
/// once per backend, retried as [`on_pool!`] retries. Behind a pooler in
/// transaction mode (statements not named) the block runs in a
/// transaction: an unnamed statement is parsed and then run in two
/// exchanges, which the pooler keeps on one server connection only inside
/// a transaction.
macro_rules! on_conn {
    ($store:expr, |$conn:ident| $body:expr) => {{
        let named = $store.named;
        $crate::backend::on_pool!($store, |pool| {
            if named {
                let mut held = pool.acquire().await?;
                let $conn = &mut *held;
                $body
            } else {
                let mut tx = pool.begin().await?;
                let out = {
                    let $conn = &mut *tx;
                    $body
                };
                if out.is_ok() {
                    tx.commit().await?;
                }
                out
            }
        })
    }};
}

pub(crate) use {on_conn, on_pool};
