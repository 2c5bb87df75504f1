#![doc = include_str!("../README.md")]
#![cfg_attr(docsrs, feature(doc_cfg))]

use std::str::FromStr;

use sqlx::Row;
use sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous,
};
use switchboard_model::Timestamp;

mod catalog;
mod error;
mod hosted;
mod idempotency;
mod keys;
mod migrations;
mod sessions;
mod sql;
mod templates;

pub use catalog::CatalogChange;
pub use error::{StoreError, database_errors};
pub use hosted::{AuthConfigRecord, ChildOf, ConfigRecord, NewAuthConfig, OAuthPending, Progress, Sealed};
pub use idempotency::Claim;
pub use keys::{ApiKey, SECRET_KEY_PREFIX};

/// How long a request waits for the database by default (5 s).
pub const DEFAULT_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(5);

/// The store: a pool of connections to one database.
#[derive(Debug, Clone)]
pub struct Store {
    pool: SqlitePool,
    /// For an in-memory database: one connection outside the pool, open as
    /// long as any clone of the store, so the database lives that long even
    /// when the pool closes and replaces its connection (a request cancelled
    /// mid-query closes it).
    _keeper: Option<std::sync::Arc<std::sync::Mutex<sqlx::SqliteConnection>>>,
}

/// An instance (tenant): every object and key belongs to one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tenant {
    id: i64,
    name: String,
}

impl Tenant {
    /// The instance's name.
    pub fn name(&self) -> &str {
        &self.name
    }
}

impl Store {
    /// Opens (creating if needed) the database at `url` (`sqlite://path`,
    /// `sqlite::memory:`) and brings its schema up to date. SQLite runs with
    /// write-ahead logging and foreign keys on.
    pub async fn open(url: &str) -> Result<Store, StoreError> {
        Store::open_with_timeout(url, DEFAULT_TIMEOUT).await
    }

    /// [`Store::open`] with `timeout`: how long a request waits for a
    /// connection (and SQLite for a lock) before it fails with
    /// [`StoreError::Unavailable`] (`503`), never a hang.
    pub async fn open_with_timeout(url: &str, timeout: std::time::Duration) -> Result<Store, StoreError> {
        let memory = url.contains(":memory:");
        let options = SqliteConnectOptions::from_str(url)
            .map_err(|e| StoreError::config(format!("database url: {e}")))?
            .create_if_missing(true)
            .foreign_keys(true)
            .journal_mode(if memory {
                SqliteJournalMode::Memory
            } else {
                SqliteJournalMode::Wal
            })
            .synchronous(SqliteSynchronous::Normal)
            .busy_timeout(timeout);
        // sqlx names `sqlite::memory:` as a shared-cache database of its own:
        // it lives while any connection to it is open, so one is kept aside
        // before the pool opens any.
        let keeper = if memory {
            use sqlx::ConnectOptions;
            Some(std::sync::Arc::new(std::sync::Mutex::new(
                options.connect().await?,
            )))
        } else {
            None
        };
        let pool = SqlitePoolOptions::new()
            .max_connections(if memory { 1 } else { 8 })
            .min_connections(if memory { 1 } else { 0 })
            .acquire_timeout(timeout)
            .idle_timeout(None)
            .max_lifetime(None)
            .connect_with(options)
            .await?;
        migrations::run(&pool).await?;
        Ok(Store {
            pool,
            _keeper: keeper,
        })
    }

    /// Whether the database answers (`SELECT 1`), for readiness checks.
    pub async fn ping(&self) -> Result<(), StoreError> {
        sqlx::query("SELECT 1").execute(&self.pool).await?;
        Ok(())
    }

    /// The pool's connections: open, and idle among them.
    pub fn pool_usage(&self) -> (u32, usize) {
        (self.pool.size(), self.pool.num_idle())
    }

    /// Closes every connection, waiting for those in use.
    pub async fn close(&self) {
        self.pool.close().await;
    }

    /// The instance named `name`, created if it does not exist.
    pub async fn ensure_instance(&self, name: &str, now: Timestamp) -> Result<Tenant, StoreError> {
        let mut tx = self.pool.begin().await?;
        let existing = sqlx::query("SELECT id FROM instances WHERE name = $1")
            .bind(name)
            .fetch_optional(&mut *tx)
            .await?;
        let id = match existing {
            Some(row) => row.try_get::<i64, _>(0)?,
            None => {
                let next: i64 = sqlx::query("SELECT COALESCE(MAX(id), 0) + 1 FROM instances")
                    .fetch_one(&mut *tx)
                    .await?
                    .try_get(0)?;
                sqlx::query("INSERT INTO instances (id, name, created_at) VALUES ($1, $2, $3)")
                    .bind(next)
                    .bind(name)
                    .bind(now.as_millis())
                    .execute(&mut *tx)
                    .await?;
                next
            }
        };
        tx.commit().await?;
        Ok(Tenant {
            id,
            name: name.to_owned(),
        })
    }

    /// Stores `key`'s hash for `tenant`.
    pub async fn add_key(&self, tenant: &Tenant, key: &ApiKey, now: Timestamp) -> Result<(), StoreError> {
        sqlx::query("INSERT INTO api_keys (hash, instance_id, created_at) VALUES ($1, $2, $3)")
            .bind(keys::hash(key.secret()))
            .bind(tenant.id)
            .bind(now.as_millis())
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// The server secret named `name`, made from `make` the first time and
    /// the same ever after (the key setup-page secrets are derived from).
    pub async fn server_secret(
        &self,
        name: &str,
        make: impl FnOnce() -> String,
    ) -> Result<String, StoreError> {
        sqlx::query("INSERT INTO server_secrets (name, value) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING")
            .bind(name)
            .bind(make())
            .execute(&self.pool)
            .await?;
        let row = sqlx::query("SELECT value FROM server_secrets WHERE name = $1")
            .bind(name)
            .fetch_one(&self.pool)
            .await?;
        Ok(row.try_get(0)?)
    }

    /// The instance a secret key belongs to, if any (looked up by its hash).
    pub async fn tenant_by_key(&self, secret: &str) -> Result<Option<Tenant>, StoreError> {
        self.tenant_by_key_hash(&keys::hash(secret)).await
    }

    /// [`Store::tenant_by_key`] given the key's hash ([`ApiKey::hash_of`]).
    pub async fn tenant_by_key_hash(&self, hash: &str) -> Result<Option<Tenant>, StoreError> {
        let row = sqlx::query(
            "SELECT i.id, i.name FROM api_keys k JOIN instances i ON i.id = k.instance_id WHERE k.hash = $1",
        )
        .bind(hash)
        .fetch_optional(&self.pool)
        .await?;
        Ok(match row {
            Some(row) => Some(Tenant {
                id: row.try_get(0)?,
                name: row.try_get(1)?,
            }),
            None => None,
        })
    }
}
