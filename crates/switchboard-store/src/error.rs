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
            other => StoreError::Database(other),
        }
    }
}

impl StoreError {
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
