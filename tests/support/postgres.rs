//! The test cluster: `scripts/postgres.sh` starts one and sets
//! `SWITCHBOARD_TEST_POSTGRES` to a superuser URL of it. Each test takes a
//! fresh database of its own; without the variable, PostgreSQL tests return
//! at once and say so (the suite then ran on SQLite alone).

use std::sync::atomic::{AtomicU32, Ordering};

use sqlx::Connection;

/// The cluster's superuser URL, if the tests have one.
pub fn admin_url() -> Option<String> {
    std::env::var("SWITCHBOARD_TEST_POSTGRES")
        .ok()
        .filter(|u| !u.is_empty())
}

/// Says once per test that it did not run here, and why.
pub fn skipped(test: &str) {
    eprintln!(
        "{test}: skipped on PostgreSQL (SWITCHBOARD_TEST_POSTGRES not set: run under scripts/postgres.sh)"
    );
}

/// The URL of a new, empty database on the test cluster (`None`: no cluster).
pub async fn fresh_database() -> Option<String> {
    static NEXT: AtomicU32 = AtomicU32::new(0);
    let admin = admin_url()?;
    let name = format!(
        "t_{}_{}",
        std::process::id(),
        NEXT.fetch_add(1, Ordering::Relaxed)
    );
    let mut c = sqlx::PgConnection::connect(&admin)
        .await
        .expect("the test cluster answers");
    sqlx::raw_sql(&format!("CREATE DATABASE {name}"))
        .execute(&mut c)
        .await
        .expect("a test database is created");
    c.close().await.ok();
    let (base, _) = admin.rsplit_once('/').expect("the URL names a database");
    Some(format!("{base}/{name}"))
}
