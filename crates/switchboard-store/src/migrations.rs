//! The schema, embedded in the binary and applied at start by sqlx's migrator.

use std::borrow::Cow;
use std::future::Future;
use std::pin::Pin;

use sqlx::error::BoxDynError;
use sqlx::migrate::{Migration, MigrationSource, MigrationType, Migrator};
use sqlx::sqlite::SqlitePool;

use crate::StoreError;

/// Every migration, in order: `(version, description, sql)`.
const MIGRATIONS: &[(i64, &str, &str)] = &[
    (1, "initial", include_str!("../migrations/0001_initial.sql")),
    (
        2,
        "setup sessions",
        include_str!("../migrations/0002_setup_sessions.sql"),
    ),
    (
        3,
        "idempotency keys",
        include_str!("../migrations/0003_idempotency.sql"),
    ),
    (
        4,
        "hosted setup flow",
        include_str!("../migrations/0004_hosted_setup.sql"),
    ),
];

#[derive(Debug)]
struct Embedded;

impl MigrationSource<'static> for Embedded {
    fn resolve(self) -> Pin<Box<dyn Future<Output = Result<Vec<Migration>, BoxDynError>> + Send + 'static>> {
        Box::pin(async {
            Ok(MIGRATIONS
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

pub(crate) async fn run(pool: &SqlitePool) -> Result<(), StoreError> {
    Migrator::new(Embedded).await?.run(pool).await?;
    Ok(())
}
