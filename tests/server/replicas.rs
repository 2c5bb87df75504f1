//! Two servers over one PostgreSQL database, as replicas behind a load
//! balancer: every invariant holds whichever replica a request lands on.
//! Each test takes a fresh database on the test cluster; without one
//! (`SWITCHBOARD_TEST_POSTGRES` unset) it says so and returns.

use std::collections::BTreeSet;

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use switchboard_server::Settings;

use super::{GITHUB_DEPLOYMENT, LINEAR_CONFIG, Server, ids};

/// Two replicas over a fresh database, or `None` without a test cluster.
async fn replicas(test: &str, settings: Settings) -> Option<(Server, Server)> {
    let Some(url) = crate::support::postgres::fresh_database().await else {
        crate::support::postgres::skipped(test);
        return None;
    };
    let a = Server::start_on(&url, settings.clone()).await;
    let b = Server::start_on(&url, settings).await;
    Some((a, b))
}

fn no_limit() -> Settings {
    Settings {
        rate_limit: None,
        ..Settings::default()
    }
}

/// The replica of request `i`, alternating.
fn pick<'a>(a: &'a Server, b: &'a Server, i: usize) -> &'a Server {
    if i.is_multiple_of(2) { a } else { b }
}

#[tokio::test]
async fn a_read_after_a_write_on_the_other_replica_sees_the_write() {
    let Some((a, b)) = replicas("read_after_write", no_limit()).await else {
        return;
    };
    let t = a
        .create_template("first", json!([{"provider_deployment_id": GITHUB_DEPLOYMENT}]))
        .await;
    let id = t["id"].as_str().unwrap();
    let path = format!("/session-templates/{id}");
    // Both replicas read it (and keep it in their caches) ...
    for s in [&a, &b] {
        let (status, got) = s.call(Method::GET, &path, None).await;
        assert_eq!((status, got["name"].as_str()), (StatusCode::OK, Some("first")));
    }
    let before = a.tool_keys(id).await;
    // ... one replica changes it, again and again; the other reads each change at once.
    for (i, name) in ["second", "third", "fourth"].into_iter().enumerate() {
        let (writer, reader) = if i.is_multiple_of(2) { (&b, &a) } else { (&a, &b) };
        let (status, body) = writer
            .call(Method::PATCH, &path, Some(json!({"name": name})))
            .await;
        assert_eq!(status, StatusCode::OK, "{body}");
        let (status, got) = reader.call(Method::GET, &path, None).await;
        assert_eq!((status, got["name"].as_str()), (StatusCode::OK, Some(name)));
    }
    // A provider added through one replica is in the other's template and tools at once.
    let (status, body) = b
        .call(
            Method::POST,
            "/session-template-providers",
            Some(json!({"session_template_id": id, "provider_config_id": LINEAR_CONFIG})),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let (_, got) = a.call(Method::GET, &path, None).await;
    assert_eq!(got["providers"].as_array().unwrap().len(), 2, "{got}");
    assert_ne!(a.tool_keys(id).await, before);
    // Archived through one, gone from the other's list and lookups.
    let (status, _) = b.call(Method::DELETE, &path, None).await;
    assert_eq!(status, StatusCode::OK);
    let (_, got) = a.call(Method::GET, &path, None).await;
    assert_eq!(got["status"], "archived", "{got}");
    a.stop().await;
    b.stop().await;
}

/// The reader's checks are shared while the template is hot (a check that
/// started shortly before a request answers it): each write is still seen by
/// the first read sent after its acknowledgement, while other requests keep
/// reading the template on the same replica all along.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_write_is_seen_at_once_on_a_replica_that_reads_the_template_all_along() {
    let Some((a, b)) = replicas("hot_read_after_write", no_limit()).await else {
        return;
    };
    let t = a
        .create_template("v0", json!([{"provider_deployment_id": GITHUB_DEPLOYMENT}]))
        .await;
    let path = format!("/session-templates/{}", t["id"].as_str().unwrap());
    let writing = std::sync::atomic::AtomicBool::new(true);
    let hot = || async {
        let mut reads = 0_u32;
        while writing.load(std::sync::atomic::Ordering::Relaxed) {
            let (status, _) = a.call(Method::GET, &path, None).await;
            assert_eq!(status, StatusCode::OK);
            reads += 1;
        }
        reads
    };
    let writes = async {
        for i in 1..=40 {
            let name = format!("v{i}");
            let (status, body) = b.call(Method::PATCH, &path, Some(json!({"name": name}))).await;
            assert_eq!(status, StatusCode::OK, "{body}");
            let (status, got) = a.call(Method::GET, &path, None).await;
            assert_eq!(
                (status, got["name"].as_str()),
                (StatusCode::OK, Some(name.as_str())),
                "write {i}: the read after its acknowledgement"
            );
        }
        writing.store(false, std::sync::atomic::Ordering::Relaxed);
    };
    let ((), r1, r2, r3) = tokio::join!(writes, hot(), hot(), hot());
    assert!(
        r1 + r2 + r3 > 40,
        "the template was read all along ({} reads)",
        r1 + r2 + r3
    );
    a.stop().await;
    b.stop().await;
}

#[tokio::test]
async fn concurrent_writes_through_both_replicas_lose_nothing() {
    let Some((a, b)) = replicas("concurrent_writes", no_limit()).await else {
        return;
    };
    let creates = (0..24).map(|i| {
        let s = pick(&a, &b, i);
        async move {
            s.create_template(
                &format!("t{i}"),
                json!([{"provider_deployment_id": GITHUB_DEPLOYMENT}]),
            )
            .await["id"]
                .as_str()
                .unwrap()
                .to_owned()
        }
    });
    let made: BTreeSet<String> = futures_join_all(creates).await.into_iter().collect();
    assert_eq!(made.len(), 24);
    for s in [&a, &b] {
        let (status, list) = s.call(Method::GET, "/session-templates?limit=100", None).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(ids(&list).into_iter().collect::<BTreeSet<_>>(), made);
        // Every template has its provider: none was half written.
        for t in list["items"].as_array().unwrap() {
            assert_eq!(t["providers"].as_array().unwrap().len(), 1, "{t}");
        }
    }

    // Racing renames of one template: each lands whole or is a `409`, and
    // the stored name is the one of an acknowledged rename.
    let id = made.iter().next().unwrap().clone();
    let path = format!("/session-templates/{id}");
    let renames = (0..10).map(|i| {
        let (s, path) = (pick(&a, &b, i), path.clone());
        async move {
            let name = format!("rename {i}");
            let (status, body) = s.call(Method::PATCH, &path, Some(json!({"name": name}))).await;
            (status, name, body)
        }
    });
    let mut acknowledged = Vec::new();
    for (status, name, body) in futures_join_all(renames).await {
        match status {
            StatusCode::OK => acknowledged.push(name),
            StatusCode::CONFLICT => assert_eq!(body["code"], "conflict", "{body}"),
            other => panic!("{other}: {body}"),
        }
    }
    assert!(!acknowledged.is_empty());
    let (_, got) = b.call(Method::GET, &path, None).await;
    assert!(
        acknowledged.contains(&got["name"].as_str().unwrap().to_owned()),
        "{got}"
    );
    a.stop().await;
    b.stop().await;
}

#[tokio::test]
async fn a_list_paged_through_one_replica_while_the_other_writes_skips_and_repeats_nothing() {
    let Some((a, b)) = replicas("paging_while_writing", no_limit()).await else {
        return;
    };
    let mut existing = BTreeSet::new();
    for i in 0..30 {
        existing.insert(
            a.create_template(&format!("old{i}"), json!([])).await["id"]
                .as_str()
                .unwrap()
                .to_owned(),
        );
    }
    let writer = async {
        for i in 0..20 {
            b.create_template(&format!("new{i}"), json!([])).await;
        }
    };
    let walker = async {
        let mut seen = Vec::new();
        let mut after: Option<String> = None;
        loop {
            let path = match &after {
                Some(id) => format!("/session-templates?limit=4&after={id}"),
                None => "/session-templates?limit=4".to_owned(),
            };
            let (status, page) = a.call(Method::GET, &path, None).await;
            assert_eq!(status, StatusCode::OK, "{page}");
            let page_ids = ids(&page);
            seen.extend(page_ids.iter().cloned());
            if !page["pagination"]["has_more_after"].as_bool().unwrap_or(false) || page_ids.is_empty() {
                break;
            }
            after = page_ids.last().cloned();
        }
        seen
    };
    let ((), seen) = tokio::join!(writer, walker);
    let unique: BTreeSet<_> = seen.iter().cloned().collect();
    assert_eq!(unique.len(), seen.len(), "an item was repeated");
    assert!(
        existing.is_subset(&unique),
        "an item that existed before the walk was skipped"
    );
    a.stop().await;
    b.stop().await;
}

#[tokio::test]
async fn an_idempotency_key_is_one_request_whichever_replica_it_lands_on() {
    let Some((a, b)) = replicas("idempotency_across_replicas", no_limit()).await else {
        return;
    };
    let body = serde_json::to_vec(&json!({"name": "once", "providers": []})).unwrap();
    let first = super::post_raw(&a, "/session-templates", Some("k-1"), body.clone()).await;
    assert_eq!(first.status(), StatusCode::OK);
    let first: Value = first.json().await.unwrap();
    // The retry lands on the other replica: the stored answer.
    let retry = super::post_raw(&b, "/session-templates", Some("k-1"), body.clone()).await;
    assert_eq!(retry.status(), StatusCode::OK);
    assert_eq!(retry.json::<Value>().await.unwrap(), first);

    // Racing requests with one key, split across the replicas: one object.
    let body = serde_json::to_vec(&json!({"name": "raced", "providers": []})).unwrap();
    let racing = (0..12).map(|i| {
        let (s, body) = (pick(&a, &b, i), body.clone());
        async move {
            let res = super::post_raw(s, "/session-templates", Some("k-2"), body).await;
            let status = res.status();
            (status, res.json::<Value>().await.unwrap())
        }
    });
    let mut made = BTreeSet::new();
    for (status, answer) in futures_join_all(racing).await {
        match status {
            StatusCode::OK => {
                made.insert(answer["id"].as_str().unwrap().to_owned());
            }
            StatusCode::CONFLICT => {}
            other => panic!("{other}: {answer}"),
        }
    }
    assert_eq!(made.len(), 1, "{made:?}");
    let (_, list) = a.call(Method::GET, "/session-templates?limit=100", None).await;
    let named: Vec<_> = list["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|t| t["name"] == "raced")
        .collect();
    assert_eq!(named.len(), 1);
    a.stop().await;
    b.stop().await;
}

#[tokio::test]
async fn replicas_together_allow_the_configured_rate_not_twice_it() {
    let limited = Settings {
        rate_limit: Some(10),
        ..Settings::default()
    };
    let Some((a, b)) = replicas("rate_limit_across_replicas", limited).await else {
        return;
    };
    // Each replica verifies the key once (counted against the address).
    for s in [&a, &b] {
        let (status, _) = s.call(Method::GET, "/session-templates", None).await;
        assert_eq!(status, StatusCode::OK);
    }
    let mut allowed = 0;
    let mut remaining = Vec::new();
    for i in 0..30 {
        let s = pick(&a, &b, i);
        let res = s
            .client
            .get(format!("{}/session-templates", s.base))
            .bearer_auth(&s.key)
            .send()
            .await
            .unwrap();
        let left: u32 = res.headers()["ratelimit-remaining"]
            .to_str()
            .unwrap()
            .parse()
            .unwrap();
        if res.status() == StatusCode::OK {
            allowed += 1;
            remaining.push(left);
        } else {
            assert_eq!(res.status(), StatusCode::TOO_MANY_REQUESTS);
            assert!(res.headers().contains_key("retry-after"));
        }
    }
    // 10 per minute: 10 at once (one more if 6 s passed meanwhile), never 20.
    assert!((10..=11).contains(&allowed), "{allowed} allowed");
    // The count is one, whichever replica answered: 9, 8, 7, ...
    assert_eq!(&remaining[..3], &[9, 8, 7], "{remaining:?}");
    a.stop().await;
    b.stop().await;
}

/// Runs futures at once on this task, their outputs in order.
async fn futures_join_all<F: std::future::Future>(futures: impl Iterator<Item = F>) -> Vec<F::Output> {
    let handles: Vec<_> = futures.map(Box::pin).collect();
    let mut out = Vec::with_capacity(handles.len());
    let mut pending: Vec<_> = handles.into_iter().map(Some).collect();
    let mut results: Vec<Option<F::Output>> = pending.iter().map(|_| None).collect();
    std::future::poll_fn(|cx| {
        let mut done = true;
        for (slot, result) in pending.iter_mut().zip(results.iter_mut()) {
            if let Some(f) = slot {
                match f.as_mut().poll(cx) {
                    std::task::Poll::Ready(v) => {
                        *result = Some(v);
                        *slot = None;
                    }
                    std::task::Poll::Pending => done = false,
                }
            }
        }
        if done {
            std::task::Poll::Ready(())
        } else {
            std::task::Poll::Pending
        }
    })
    .await;
    out.extend(results.into_iter().flatten());
    out
}

#[tokio::test]
async fn one_setup_step_submitted_through_both_replicas_at_once_is_set_up_once() {
    use super::hosted::{Browser, LINEAR_KEY, open_step, session};
    let Some((a, b)) = replicas("setup_session_race", no_limit()).await else {
        return;
    };
    let s = session(&a, json!({})).await;
    let (on_a, on_b) = (Browser::new(&a.base), Browser::new(&b.base));
    // The step page, read once; its form posted through both replicas at once.
    let auth = open_step(&on_a, &s, 1).await;
    let (first, second) = tokio::join!(
        on_a.submit(&auth, "auth", &[("api_key", LINEAR_KEY)]),
        on_b.submit(&auth, "auth", &[("api_key", "lin_api_another_key_0000000")]),
    );
    assert_eq!(
        (first.status, second.status),
        (StatusCode::SEE_OTHER, StatusCode::SEE_OTHER),
        "{} {}",
        first.body,
        second.body
    );
    let config = on_a.get(first.location()).await;
    let (x, y) = tokio::join!(
        on_a.submit(&config, "config", &[("team", "ENG")]),
        on_b.submit(&config, "config", &[("team", "OPS")]),
    );
    assert_eq!(
        (x.status, y.status),
        (StatusCode::SEE_OTHER, StatusCode::SEE_OTHER)
    );
    // One auth config, one config, one instance provider for the step, and
    // the other step untouched; both replicas say so.
    let id = s["id"].as_str().unwrap();
    for server in [&a, &b] {
        let (status, api) = server
            .call(Method::GET, &format!("/integration-setup-sessions/{id}"), None)
            .await;
        assert_eq!(status, StatusCode::OK, "{api}");
        assert_eq!(
            api["integration_instance"]["providers"].as_array().unwrap().len(),
            1,
            "{api}"
        );
        assert_eq!(api["steps"][1]["status"], "configured", "{api}");
        assert_eq!(api["steps"][0]["status"], "pending", "{api}");
    }
    assert_eq!(
        super::hosted::auth_configs_made(&a, "pro_Ln6tBw4mJr2HsF9e")
            .await
            .len(),
        1
    );
    a.stop().await;
    b.stop().await;
}
