#![doc = include_str!("../README.md")]
#![cfg_attr(docsrs, feature(doc_cfg))]

use std::time::Duration;

use switchboard_model::Timestamp;

mod backend;
mod catalog;
mod error;
mod hosted;
mod idempotency;
mod keys;
mod migrations;
mod options;
#[cfg(feature = "postgres")]
mod postgres;
mod rate;
mod sessions;
mod sql;
mod sqlite;
mod templates;

use backend::{Pool, on_conn, on_pool, query, query_as};

pub use backend::Backend;
pub use catalog::CatalogChange;
pub use error::{StoreError, database_errors};
pub use hosted::{AuthConfigRecord, ChildOf, ConfigRecord, NewAuthConfig, OAuthPending, Progress, Sealed};
pub use idempotency::Claim;
pub use keys::{ApiKey, SECRET_KEY_PREFIX};
pub use migrations::Migrate;
pub use options::Options;
pub use rate::RateCount;
pub use templates::Revision;

/// How long a request waits for the database by default (5 s).
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(5);

/// The store: a pool of connections to one database, SQLite or PostgreSQL.
#[derive(Debug, Clone)]
pub struct Store {
    pool: Pool,
    /// Whether statements are prepared under a name and kept on their
    /// connection (off behind a pooler in transaction mode).
    named: bool,
    /// For an in-memory SQLite database: one connection outside the pool,
    /// open as long as any clone of the store, so the database lives that
    /// long even when the pool closes and replaces its connection (a
    /// request cancelled mid-query closes it).
    _keeper: Option<std::sync::Arc<std::sync::Mutex<sqlx::SqliteConnection>>>,
}

/// An instance (tenant): every object and key belongs to one.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Tenant {
    id: i64,
    /// Shared: a request's tenant is a clone of a cached one.
    name: std::sync::Arc<str>,
}

impl Tenant {
    /// The instance's name.
    pub fn name(&self) -> &str {
        &self.name
    }
}

impl Store {
    /// Opens the database at `url` and brings its schema up to date (see
    /// [`Store::open_with`]).
    pub async fn open(url: &str) -> Result<Store, StoreError> {
        Store::open_with(url, &Options::default()).await
    }

    /// [`Store::open`] with `timeout` (see [`Options::timeout`]).
    pub async fn open_with_timeout(url: &str, timeout: Duration) -> Result<Store, StoreError> {
        Store::open_with(
            url,
            &Options {
                timeout,
                ..Options::default()
            },
        )
        .await
    }

    /// Opens the database at `url`: `sqlite://path` or `sqlite::memory:`
    /// (created if needed; write-ahead logging and foreign keys on), or
    /// `postgres://user:password@host:port/database` (feature `postgres`;
    /// add `?statement-cache-capacity=0` behind a pooler in transaction
    /// mode, such as PgBouncer: no statement is then prepared under a name).
    /// The schema is then brought up to date, or checked, as
    /// [`Options::migrate`] says.
    pub async fn open_with(url: &str, options: &Options) -> Result<Store, StoreError> {
        let store = match Backend::of_url(url) {
            Some(Backend::Sqlite) => sqlite::open(url, options).await?,
            #[cfg(feature = "postgres")]
            Some(Backend::Postgres) => postgres::open(url, options).await?,
            #[cfg(not(feature = "postgres"))]
            Some(Backend::Postgres) => {
                return Err(StoreError::config(
                    "database url: this build has no PostgreSQL backend (feature `postgres`)".to_owned(),
                ));
            }
            None => {
                return Err(StoreError::config(
                    "database url: expected `sqlite:...` or `postgres://...`".to_owned(),
                ));
            }
        };
        migrations::apply(&store, options.migrate).await?;
        Ok(store)
    }

    /// Brings the schema of the database at `url` up to date and closes it
    /// (`switchboard migrate`): under the backend's migration lock unless
    /// `lock` is false. Returns the versions applied.
    pub async fn migrate(url: &str, lock: bool) -> Result<Vec<i64>, StoreError> {
        let options = Options {
            migrate: Migrate::Check,
            max_connections: 1,
            ..Options::default()
        };
        let store = match Backend::of_url(url) {
            Some(Backend::Sqlite) => sqlite::open(url, &options).await?,
            #[cfg(feature = "postgres")]
            Some(Backend::Postgres) => postgres::open(url, &options).await?,
            _ => {
                return Err(StoreError::config(
                    "database url: expected `sqlite:...` or `postgres://...`".to_owned(),
                ));
            }
        };
        let applied = migrations::run_alone(&store.pool, lock).await;
        store.close().await;
        applied
    }

    /// The backend this store runs on.
    pub fn backend(&self) -> Backend {
        match &self.pool {
            Pool::Sqlite(_) => Backend::Sqlite,
            #[cfg(feature = "postgres")]
            Pool::Postgres(_) => Backend::Postgres,
        }
    }

    /// Whether other processes may write to this database at the same time
    /// (PostgreSQL): caches in front of the store must then check what they
    /// hold against it. SQLite is one process per database file.
    pub fn is_shared(&self) -> bool {
        self.backend() != Backend::Sqlite
    }

    /// Whether the database answers (`SELECT 1`), for readiness checks.
    pub async fn ping(&self) -> Result<(), StoreError> {
        on_conn!(self, |c| {
            query("SELECT 1", self.named).execute(&mut *c).await?;
            Ok(())
        })
    }

    /// The pool's connections: open, and idle among them.
    pub fn pool_usage(&self) -> (u32, usize) {
        match &self.pool {
            Pool::Sqlite(p) => (p.size(), p.num_idle()),
            #[cfg(feature = "postgres")]
            Pool::Postgres(p) => (p.size(), p.num_idle()),
        }
    }

    /// Closes every connection, waiting for those in use.
    pub async fn close(&self) {
        match &self.pool {
            Pool::Sqlite(p) => p.close().await,
            #[cfg(feature = "postgres")]
            Pool::Postgres(p) => p.close().await,
        }
    }

    /// The instance named `name`, created if it does not exist (by one of
    /// any number of processes starting at once: the others find it).
    pub async fn ensure_instance(&self, name: &str, now: Timestamp) -> Result<Tenant, StoreError> {
        let mut tries = 0;
        let id = loop {
            let made = on_pool!(self, |pool| {
                let mut tx = pool.begin().await?;
                // A racing creator takes the name first (this insert then
                // adds nothing) or the id (it fails, and runs again).
                query(
                    "INSERT INTO instances (id, name, created_at) \
                     SELECT COALESCE(MAX(id), 0) + 1, $1, $2 FROM instances WHERE true ON CONFLICT (name) DO NOTHING",
                    self.named,
                )
                .bind(name)
                .bind(now.as_millis())
                .execute(&mut *tx)
                .await?;
                let (id,): (i64,) = query_as("SELECT id FROM instances WHERE name = $1", self.named)
                    .bind(name)
                    .fetch_one(&mut *tx)
                    .await?;
                tx.commit().await?;
                Ok(id)
            });
            match made {
                Err(StoreError::Database(e)) if tries < 5 && is_unique_violation(&e) => tries += 1,
                other => break other?,
            }
        };
        Ok(Tenant {
            id,
            name: name.into(),
        })
    }

    /// Stores `key`'s hash for `tenant`.
    pub async fn add_key(&self, tenant: &Tenant, key: &ApiKey, now: Timestamp) -> Result<(), StoreError> {
        let hash = keys::hash(key.secret());
        on_conn!(self, |c| {
            query(
                "INSERT INTO api_keys (hash, instance_id, created_at) VALUES ($1, $2, $3)",
                self.named,
            )
            .bind(&hash)
            .bind(tenant.id)
            .bind(now.as_millis())
            .execute(&mut *c)
            .await?;
            Ok(())
        })
    }

    /// The server secret named `name`, made from `make` the first time and
    /// the same ever after (the key setup-page secrets are derived from),
    /// whichever process made it.
    pub async fn server_secret(
        &self,
        name: &str,
        make: impl FnOnce() -> String,
    ) -> Result<String, StoreError> {
        let made = make();
        on_conn!(self, |c| {
            query(
                "INSERT INTO server_secrets (name, value) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING",
                self.named,
            )
            .bind(name)
            .bind(&made)
            .execute(&mut *c)
            .await?;
            let (value,): (String,) =
                query_as("SELECT value FROM server_secrets WHERE name = $1", self.named)
                    .bind(name)
                    .fetch_one(&mut *c)
                    .await?;
            Ok(value)
        })
    }

    /// The instance a secret key belongs to, if any (looked up by its hash).
    pub async fn tenant_by_key(&self, secret: &str) -> Result<Option<Tenant>, StoreError> {
        self.tenant_by_key_hash(&keys::hash(secret)).await
    }

    /// [`Store::tenant_by_key`] given the key's hash ([`ApiKey::hash_of`]).
    pub async fn tenant_by_key_hash(&self, hash: &str) -> Result<Option<Tenant>, StoreError> {
        let row: Option<(i64, String)> = on_conn!(self, |c| {
            Ok(query_as(
                "SELECT i.id, i.name FROM api_keys k JOIN instances i ON i.id = k.instance_id WHERE k.hash = $1",
                self.named,
            )
            .bind(hash)
            .fetch_optional(&mut *c)
            .await?)
        })?;
        Ok(row.map(|(id, name): (i64, String)| Tenant {
            id,
            name: name.into(),
        }))
    }
}

fn is_unique_violation(e: &sqlx::Error) -> bool {
    e.as_database_error().is_some_and(|d| d.is_unique_violation())
}
