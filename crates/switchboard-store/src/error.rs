//! The store's one error.

use switchboard_model::error::{ApiError, ErrorBody, ErrorCode};

/// What went wrong in the store. The database's own messages are kept for
/// the log but never sent: a client sees `internal_server_error`.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum StoreError {
    /// The database refused or failed.
    #[error("database: {0}")]
    Database(sqlx::Error),
    /// The database did not answer in time, or cannot be reached: `503
    /// service_unavailable`, worth a retry.
    #[error("the database is unavailable: {0}")]
    Unavailable(sqlx::Error),
    /// The schema could not be brought up to date.
    #[error("migration: {0}")]
    Migration(#[from] sqlx::migrate::MigrateError),
    /// A stored object does not decode (written by another version?).
    #[error("stored {entity} `{id}` does not decode: {reason}")]
    Corrupt {
        /// The object kind.
        entity: &'static str,
        /// Its id.
        id: String,
        /// Why.
        reason: String,
    },
    /// Someone else changed the object since it was read.
    #[error("{entity} `{id}` was changed by another request; read it again")]
    Conflict {
        /// The object kind.
        entity: &'static str,
        /// Its id.
        id: String,
    },
    /// The store cannot be opened as asked.
    #[error("{0}")]
    Config(String),
}

/// Database failures since the process started (for metrics).
static DATABASE_ERRORS: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);

/// How many times the database failed or did not answer since the process
/// started (every [`StoreError::Database`] and [`StoreError::Unavailable`]).
pub fn database_errors() -> u64 {
    DATABASE_ERRORS.load(std::sync::atomic::Ordering::Relaxed)
}

impl From<sqlx::Error> for StoreError {
    fn from(e: sqlx::Error) -> StoreError {
        DATABASE_ERRORS.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        match e {
            sqlx::Error::PoolTimedOut | sqlx::Error::PoolClosed | sqlx::Error::Io(_) => {
                StoreError::Unavailable(e)
            }
            _ if sqlstate(&e).is_some_and(|c| unavailable(&c)) => StoreError::Unavailable(e),
            other => StoreError::Database(other),
        }
    }
}

/// The SQLSTATE of a database's own error.
fn sqlstate(e: &sqlx::Error) -> Option<std::borrow::Cow<'_, str>> {
    e.as_database_error().and_then(|d| d.code())
}

/// SQLSTATEs that say the database is not there to answer, not that the
/// request was wrong: a connection failure (class `08`), the server
/// shutting down or starting (`57P01`-`57P03`), a standby refusing a write
/// (`25006`, mid-failover).
fn unavailable(code: &str) -> bool {
    code.starts_with("08") || matches!(code, "57P01" | "57P02" | "57P03" | "25006")
}

impl StoreError {
    /// Whether running the transaction again may succeed: it lost a
    /// serialization race (`40001`) or a deadlock (`40P01`).
    pub fn is_transient(&self) -> bool {
        match self {
            StoreError::Database(e) => sqlstate(e).is_some_and(|c| c == "40001" || c == "40P01"),
            _ => false,
        }
    }

    pub(crate) fn config(message: String) -> StoreError {
        StoreError::Config(message)
    }

    pub(crate) fn corrupt(entity: &'static str, id: &str, reason: impl std::fmt::Display) -> StoreError {
        StoreError::Corrupt {
            entity,
            id: id.to_owned(),
            reason: reason.to_string(),
        }
    }
}

impl ApiError for StoreError {
    fn error_body(&self) -> ErrorBody {
        match self {
            StoreError::Conflict { entity, id } => ErrorBody {
                entity: Some((*entity).to_owned()),
                id: Some(id.clone()),
                ..ErrorBody::new(ErrorCode::Conflict).with_message(self.to_string())
            },
            StoreError::Unavailable(_) => {
                let mut body = ErrorBody::new(ErrorCode::from_wire("service_unavailable"))
                    .with_message("The database did not answer in time; try again.");
                body.status = 503;
                body
            }
            _ => ErrorBody::new(ErrorCode::InternalServerError),
        }
    }
}
