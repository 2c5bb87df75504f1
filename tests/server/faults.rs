//! The database failing under the server: stopped under load, and a
//! primary lost and replaced by its standby. Each test runs clusters of its
//! own (never the shared test cluster); without PostgreSQL it says so and
//! returns.

use std::collections::BTreeSet;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use reqwest::{Method, StatusCode};
use serde_json::json;
use switchboard_server::Settings;
use switchboard_store::Options;

use super::{GITHUB_DEPLOYMENT, Server};
use crate::support::postgres::{Cluster, Forwarder, create_database, skipped};

fn no_limit() -> Settings {
    Settings {
        rate_limit: None,
        ..Settings::default()
    }
}

fn timeout(secs: u64) -> Options {
    let mut o = Options::default();
    o.timeout = Duration::from_secs(secs);
    o
}

/// What a burst of writers saw: every answer's status and time, and the
/// ids of the templates whose creation was acknowledged.
#[derive(Default)]
struct Seen {
    answers: Vec<(StatusCode, Duration, Instant)>,
    acknowledged: BTreeSet<String>,
}

/// `workers` loops creating templates (with a provider) until `stop`.
fn writers(
    s: &Arc<Server>,
    workers: usize,
    stop: &Arc<std::sync::atomic::AtomicBool>,
    seen: &Arc<Mutex<Seen>>,
) -> Vec<tokio::task::JoinHandle<()>> {
    (0..workers)
        .map(|w| {
            let (s, stop, seen) = (s.clone(), stop.clone(), seen.clone());
            tokio::spawn(async move {
                let mut n = 0;
                while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                    n += 1;
                    let started = Instant::now();
                    let res = s
                        .client
                        .post(format!("{}/session-templates", s.base))
                        .bearer_auth(&s.key)
                        .json(&json!({"name": format!("w{w}-{n}"),
                            "providers": [{"provider_deployment_id": GITHUB_DEPLOYMENT}]}))
                        .send()
                        .await
                        .unwrap();
                    let status = res.status();
                    let body: serde_json::Value = res.json().await.unwrap();
                    {
                        let mut seen = seen.lock().unwrap();
                        seen.answers.push((status, started.elapsed(), Instant::now()));
                        if status == StatusCode::OK {
                            seen.acknowledged.insert(body["id"].as_str().unwrap().to_owned());
                        }
                    }
                    if status != StatusCode::OK {
                        assert_eq!(
                            (status, body["code"].as_str()),
                            (StatusCode::SERVICE_UNAVAILABLE, Some("service_unavailable")),
                            "{body}"
                        );
                    }
                    if status != StatusCode::OK {
                        tokio::time::sleep(Duration::from_millis(50)).await;
                    }
                }
            })
        })
        .collect()
}

async fn readyz(s: &Server) -> StatusCode {
    s.client
        .get(format!("{}/readyz", s.base))
        .send()
        .await
        .unwrap()
        .status()
}

/// Waits until `ok` holds, checking every 100 ms, for at most `limit`.
async fn until(limit: Duration, mut ok: impl AsyncFnMut() -> bool) -> bool {
    let start = Instant::now();
    while start.elapsed() < limit {
        if ok().await {
            return true;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    false
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_database_stopped_under_load_is_a_503_within_the_timeout_and_service_resumes() {
    let Some(db) = Cluster::primary("") else {
        return skipped("database_stopped_under_load");
    };
    create_database(&db.url("postgres"), "app").await;
    let s = Arc::new(Server::start_on_with(&db.url("app"), &timeout(1), no_limit()).await);
    let stop = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let seen = Arc::new(Mutex::new(Seen::default()));
    let tasks = writers(&s, 4, &stop, &seen);
    tokio::time::sleep(Duration::from_millis(500)).await;

    let down = Instant::now();
    db.kill();
    tokio::time::sleep(Duration::from_secs(3)).await;
    assert_eq!(readyz(&s).await, StatusCode::SERVICE_UNAVAILABLE);
    db.start();
    let up = Instant::now();
    // Service resumes without a restart: writes are acknowledged again, and the server is ready.
    let acked_at_restart = seen.lock().unwrap().acknowledged.len();
    assert!(
        until(Duration::from_secs(10), async || seen
            .lock()
            .unwrap()
            .acknowledged
            .len()
            > acked_at_restart + 5)
        .await,
        "no write was acknowledged after the database came back"
    );
    assert_eq!(readyz(&s).await, StatusCode::OK);
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    for t in tasks {
        t.await.unwrap();
    }

    let seen = std::mem::take(&mut *seen.lock().unwrap());
    let failed: Vec<_> = seen.answers.iter().filter(|a| a.0 != StatusCode::OK).collect();
    assert!(
        !failed.is_empty(),
        "no request failed while the database was down"
    );
    // No hang: every answer came within the timeout (1 s) and a margin,
    // also those that waited for the database.
    let slowest = seen.answers.iter().map(|a| a.1).max().unwrap();
    assert!(slowest < Duration::from_secs(3), "an answer took {slowest:?}");
    // Failures only while the database was down (and the moment after).
    for (_, took, at) in &failed {
        assert!(
            *at >= down && *at <= up + Duration::from_secs(2) + *took,
            "a failure outside the outage"
        );
    }
    // Every acknowledged write is there.
    for id in &seen.acknowledged {
        let (status, _) = s
            .call(Method::GET, &format!("/session-templates/{id}"), None)
            .await;
        assert_eq!(status, StatusCode::OK, "{id}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn failover_to_a_promoted_standby_keeps_every_acknowledged_write_and_service_resumes() {
    let Some(primary) = Cluster::primary("wal_level = replica\nmax_wal_senders = 5") else {
        return skipped("failover");
    };
    create_database(&primary.url("postgres"), "app").await;
    let standby = Cluster::standby_of(&primary, "standby1");
    // Synchronous commit: a write is acknowledged once the standby has it.
    let mut admin = <sqlx::PgConnection as sqlx::Connection>::connect(&primary.url("postgres"))
        .await
        .unwrap();
    for sql in [
        "ALTER SYSTEM SET synchronous_standby_names = 'standby1'",
        "SELECT pg_reload_conf()",
    ] {
        sqlx::raw_sql(sql).execute(&mut admin).await.unwrap();
    }
    assert!(
        until(Duration::from_secs(20), async || {
            sqlx::query_scalar::<_, String>("SELECT sync_state FROM pg_stat_replication")
                .fetch_optional(&mut admin)
                .await
                .unwrap()
                .is_some_and(|s| s == "sync")
        })
        .await,
        "the standby did not become synchronous"
    );
    drop(admin);

    // The server reaches the database by an address the test moves on failover.
    let forwarder = Forwarder::start(primary.port).await;
    let url = Cluster::url_via(forwarder.port, "app");
    let s = Arc::new(Server::start_on_with(&url, &timeout(2), no_limit()).await);
    let stop = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let seen = Arc::new(Mutex::new(Seen::default()));
    let tasks = writers(&s, 4, &stop, &seen);
    tokio::time::sleep(Duration::from_secs(1)).await;

    primary.kill();
    standby.promote();
    forwarder.retarget(standby.port);
    let acked_at_failover = seen.lock().unwrap().acknowledged.len();
    assert!(acked_at_failover > 0, "no write before the failover");
    let resumed = until(Duration::from_secs(20), async || {
        seen.lock().unwrap().acknowledged.len() > acked_at_failover + 10
    })
    .await;
    if !resumed {
        let last: Vec<StatusCode> = seen
            .lock()
            .unwrap()
            .answers
            .iter()
            .rev()
            .take(3)
            .map(|a| a.0)
            .collect();
        let now = s.call(Method::GET, "/session-templates?limit=1", None).await;
        panic!("service did not resume on the promoted standby: last answers {last:?}; now {now:?}");
    }
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    for t in tasks {
        t.await.unwrap();
    }

    // Every write acknowledged before or after the failover is on the new
    // primary, whole (with its provider).
    let seen = std::mem::take(&mut *seen.lock().unwrap());
    let (status, list) = s.call(Method::GET, "/session-templates?limit=100", None).await;
    assert_eq!(status, StatusCode::OK);
    let mut listed = BTreeSet::new();
    let mut page = list;
    loop {
        for t in page["items"].as_array().unwrap() {
            assert_eq!(t["providers"].as_array().unwrap().len(), 1, "{t}");
            listed.insert(t["id"].as_str().unwrap().to_owned());
        }
        if page["pagination"]["has_more_after"] != true {
            break;
        }
        let last = listed.last().unwrap().clone();
        page = s
            .call(
                Method::GET,
                &format!("/session-templates?limit=100&after={last}"),
                None,
            )
            .await
            .1;
    }
    let lost: Vec<_> = seen.acknowledged.difference(&listed).collect();
    assert!(lost.is_empty(), "acknowledged but lost: {lost:?}");
    eprintln!(
        "failover: {} writes acknowledged ({} before the primary was killed), {} answered 503",
        seen.acknowledged.len(),
        acked_at_failover,
        seen.answers.iter().filter(|a| a.0 != StatusCode::OK).count()
    );
}
