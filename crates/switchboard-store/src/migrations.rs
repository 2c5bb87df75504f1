//! The schema, embedded in the binary: one migrations folder per backend
//! (`migrations/sqlite`, `migrations/postgres`), with the same versions,
//! applied by sqlx's migrator.

use std::borrow::Cow;
use std::future::Future;
use std::pin::Pin;

use sqlx::error::BoxDynError;
use sqlx::migrate::{Migrate as _, Migration, MigrationSource, MigrationType, Migrator};

use crate::backend::{Pool, on_conn, query_as};
use crate::{Store, StoreError};

/// What a store does to the schema when it opens.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum Migrate {
    /// Brings it up to date, under the backend's migration lock (a
    /// PostgreSQL session advisory lock), so processes starting together
    /// migrate once. The default.
    #[default]
    Locked,
    /// Brings it up to date without a lock: for one process at a time.
    Unlocked,
    /// Changes nothing; refuses to open a database whose schema is not
    /// this build's. For engines without session advisory locks (and
    /// poolers in transaction mode, which cannot hold one): run
    /// [`Store::migrate`](crate::Store::migrate) once (`switchboard migrate
    /// --no-lock`), then start any number of processes.
    Check,
}

/// Every migration of one backend, in order: `(version, description, sql)`.
type Migrations = &'static [(i64, &'static str, &'static str)];

const SQLITE: Migrations = &[
    (
        1,
        "initial",
        include_str!("../migrations/sqlite/0001_initial.sql"),
    ),
    (
        2,
        "setup sessions",
        include_str!("../migrations/sqlite/0002_setup_sessions.sql"),
    ),
    (
        3,
        "idempotency keys",
        include_str!("../migrations/sqlite/0003_idempotency.sql"),
    ),
    (
        4,
        "hosted setup flow",
        include_str!("../migrations/sqlite/0004_hosted_setup.sql"),
    ),
    (
        5,
        "replicas",
        include_str!("../migrations/sqlite/0005_replicas.sql"),
    ),
];

#[cfg(feature = "postgres")]
const POSTGRES: Migrations = &[
    (
        1,
        "initial",
        include_str!("../migrations/postgres/0001_initial.sql"),
    ),
    (
        2,
        "setup sessions",
        include_str!("../migrations/postgres/0002_setup_sessions.sql"),
    ),
    (
        3,
        "idempotency keys",
        include_str!("../migrations/postgres/0003_idempotency.sql"),
    ),
    (
        4,
        "hosted setup flow",
        include_str!("../migrations/postgres/0004_hosted_setup.sql"),
    ),
    (
        5,
        "replicas",
        include_str!("../migrations/postgres/0005_replicas.sql"),
    ),
];

#[derive(Debug)]
struct Embedded(Migrations);

impl MigrationSource<'static> for Embedded {
    fn resolve(self) -> Pin<Box<dyn Future<Output = Result<Vec<Migration>, BoxDynError>> + Send + 'static>> {
        Box::pin(async move {
            Ok(self
                .0
                .iter()
                .map(|&(version, description, sql)| {
                    Migration::new(
                        version,
                        Cow::Borrowed(description),
                        MigrationType::Simple,
                        Cow::Borrowed(sql),
                        false,
                    )
                })
                .collect())
        })
    }
}

fn of(pool: &Pool) -> Migrations {
    match pool {
        Pool::Sqlite(_) => SQLITE,
        #[cfg(feature = "postgres")]
        Pool::Postgres(_) => POSTGRES,
    }
}

/// The versions applied to the database (none before the first migration).
async fn applied(pool: &Pool) -> Result<Vec<i64>, StoreError> {
    let mut versions = match pool {
        Pool::Sqlite(p) => {
            let mut c = p.acquire().await?;
            c.ensure_migrations_table().await?;
            c.list_applied_migrations().await?
        }
        #[cfg(feature = "postgres")]
        Pool::Postgres(p) => {
            let mut c = p.acquire().await?;
            c.ensure_migrations_table().await?;
            c.list_applied_migrations().await?
        }
    }
    .into_iter()
    .map(|m| m.version)
    .collect::<Vec<_>>();
    versions.sort_unstable();
    Ok(versions)
}

/// Applies what the database lacks.
pub(crate) async fn run(pool: &Pool, lock: bool) -> Result<(), StoreError> {
    let mut migrator = Migrator::new(Embedded(of(pool))).await?;
    migrator.set_locking(lock);
    match pool {
        Pool::Sqlite(p) => migrator.run(p).await?,
        #[cfg(feature = "postgres")]
        Pool::Postgres(p) => migrator.run(p).await?,
    }
    Ok(())
}

/// Applies what the database lacks, one process alone (`switchboard
/// migrate`); returns the versions applied.
pub(crate) async fn run_alone(pool: &Pool, lock: bool) -> Result<Vec<i64>, StoreError> {
    let before = applied(pool).await?;
    run(pool, lock).await?;
    Ok(of(pool)
        .iter()
        .map(|m| m.0)
        .filter(|v| !before.contains(v))
        .collect())
}

/// The versions applied, read without changing anything (and with the
/// store's own statements, which work behind a pooler): none when the
/// database has no migrations table.
async fn applied_read_only(store: &Store) -> Result<Vec<i64>, StoreError> {
    let read = on_conn!(store, |c| {
        let rows: Vec<(i64,)> = query_as(
            "SELECT version FROM _sqlx_migrations WHERE success ORDER BY version",
            store.named,
        )
        .fetch_all(&mut *c)
        .await?;
        Ok(rows.into_iter().map(|(v,)| v).collect())
    });
    match read {
        // No such table: nothing was ever applied.
        Err(StoreError::Database(_)) => Ok(Vec::new()),
        other => other,
    }
}

/// What opening a store does to its schema.
pub(crate) async fn apply(store: &Store, migrate: Migrate) -> Result<(), StoreError> {
    let pool = &store.pool;
    match migrate {
        Migrate::Locked => run(pool, true).await,
        Migrate::Unlocked => run(pool, false).await,
        Migrate::Check => {
            let have = applied_read_only(store).await?;
            let want: Vec<i64> = of(pool).iter().map(|m| m.0).collect();
            if have == want {
                Ok(())
            } else {
                Err(StoreError::config(format!(
                    "the database's schema is at version {}, this build's is {}: run `switchboard migrate` \
                     first (opened with migrations off)",
                    have.last().copied().unwrap_or(0),
                    want.last().copied().unwrap_or(0)
                )))
            }
        }
    }
}
