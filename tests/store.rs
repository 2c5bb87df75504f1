//! The store's behaviour, through its API (not its SQL): what a second
//! backend must also do.

use switchboard_model::id::{SessionTemplateId, SessionTemplateProviderId};
use switchboard_model::{SessionTemplate, Timestamp, decode};
use switchboard_query::page::{PageRequest, paginate};
use switchboard_query::{ListQuery, Order, PageSize, Position, SessionTemplates};
use switchboard_store::{Store, StoreError, Tenant};

fn at(text: &str) -> Timestamp {
    text.parse().unwrap()
}

fn template(n: u32) -> SessionTemplate {
    let mut t: SessionTemplate =
        decode::from_str(include_str!("../testdata/objects/example-template.json")).unwrap();
    t.id = SessionTemplateId::generate(at("2026-01-01T00:00:00.000Z"), u128::from(n) * 7919).unwrap();
    for (i, p) in t.providers.iter_mut().enumerate() {
        p.id = SessionTemplateProviderId::generate(
            at("2026-01-01T00:00:00.000Z"),
            u128::from(n) * 100 + i as u128,
        )
        .unwrap();
        p.session_template_id = t.id.clone();
    }
    t
}

async fn open(url: &str) -> (Store, Tenant) {
    let store = Store::open(url).await.unwrap();
    let tenant = store
        .ensure_instance("acme", at("2026-01-01T00:00:00.000Z"))
        .await
        .unwrap();
    (store, tenant)
}

/// Runs a test of the store's behaviour on each backend: SQLite in memory,
/// and a fresh PostgreSQL database when the tests have a cluster.
macro_rules! on_both_backends {
    ($($test:ident),* $(,)?) => {
        $(
            mod $test {
                #[tokio::test]
                async fn sqlite() {
                    let (store, tenant) = super::open("sqlite::memory:").await;
                    super::$test(store, tenant).await;
                }

                #[tokio::test]
                async fn postgres() {
                    let Some(url) = crate::support::postgres::fresh_database().await else {
                        return crate::support::postgres::skipped(stringify!($test));
                    };
                    let (store, tenant) = super::open(&url).await;
                    super::$test(store.clone(), tenant).await;
                    store.close().await;
                }

                /// As behind a pooler in transaction mode: no named statements.
                #[tokio::test]
                async fn postgres_pooled() {
                    let Some(url) = crate::support::postgres::fresh_database().await else {
                        return crate::support::postgres::skipped(stringify!($test));
                    };
                    let (store, tenant) = super::open(&format!("{url}?statement-cache-capacity=0")).await;
                    super::$test(store.clone(), tenant).await;
                    store.close().await;
                }
            }
        )*
    };
}

on_both_backends!(
    keyset_pages_agree_with_the_in_memory_paginator,
    a_template_and_its_providers_are_written_together_or_not_at_all,
    a_stale_template_write_is_a_conflict,
    a_provider_patch_racing_an_archive_is_a_conflict,
    a_provider_is_not_added_to_an_archived_template,
    instances_do_not_see_each_others_objects,
    setup_sessions_are_written_by_compare_and_swap,
    idempotency_keys_are_claimed_once,
    a_template_revision_moves_with_every_write_to_it_or_its_providers,
    racing_claims_of_one_key_run_one_request,
    racing_instances_of_one_name_are_one,
    requests_are_counted_against_one_bucket_whoever_counts_them,
);

async fn keyset_pages_agree_with_the_in_memory_paginator(store: Store, tenant: Tenant) {
    let mut ids = Vec::new();
    for n in 0..23 {
        let t = template(n);
        store.insert_template(&tenant, &t).await.unwrap();
        ids.push(t.id);
    }
    ids.sort();
    for limit in [1, 5, 23, 100] {
        for order in [Order::Asc, Order::Desc] {
            let positions = [
                None,
                Some(Position::After(ids[4].clone())),
                Some(Position::Before(ids[17].clone())),
            ];
            for position in positions {
                let q = ListQuery::<SessionTemplates> {
                    limit: PageSize::new(limit).unwrap(),
                    order,
                    position: position.clone(),
                    ..ListQuery::default()
                };
                let got = store.list_templates(&tenant, &q).await.unwrap();
                // The paginator takes ids in ascending order and applies the order itself.
                let want = paginate(&ids, |x| x, &PageRequest::from(&q));
                let got_ids: Vec<SessionTemplateId> = got.items.iter().map(|t| t.id.clone()).collect();
                assert_eq!(got_ids, want.items, "limit {limit} {order:?} {position:?}");
                assert_eq!(
                    got.pagination, want.pagination,
                    "limit {limit} {order:?} {position:?}"
                );
            }
        }
    }
}

async fn a_template_and_its_providers_are_written_together_or_not_at_all(store: Store, tenant: Tenant) {
    let mut t = template(1);
    // The second provider names a template that does not exist: the whole write fails.
    t.providers[1].session_template_id =
        SessionTemplateId::generate(at("2026-01-01T00:00:00.000Z"), 5).unwrap();
    assert!(store.insert_template(&tenant, &t).await.is_err());
    assert_eq!(store.template(&tenant, &t.id).await.unwrap(), None);
    assert_eq!(
        store
            .template_provider(&tenant, &t.providers[0].id)
            .await
            .unwrap(),
        None
    );
}

async fn a_stale_template_write_is_a_conflict(store: Store, tenant: Tenant) {
    let t = template(2);
    store.insert_template(&tenant, &t).await.unwrap();
    let read = store.template(&tenant, &t.id).await.unwrap().unwrap();
    let (mut a, mut b) = (read.clone(), read.clone());
    // Both writes in the same millisecond: only the first may land.
    a.name = "first".to_owned();
    a.updated_at = at("2026-07-01T00:00:00.000Z");
    store.update_template(&tenant, &a, &read, &[]).await.unwrap();
    b.name = "second".to_owned();
    b.updated_at = at("2026-07-01T00:00:00.000Z");
    let err = store.update_template(&tenant, &b, &read, &[]).await.unwrap_err();
    assert!(matches!(err, StoreError::Conflict { .. }), "{err}");
    assert_eq!(
        store.template(&tenant, &t.id).await.unwrap().unwrap().name,
        "first"
    );
}

async fn a_provider_patch_racing_an_archive_is_a_conflict(store: Store, tenant: Tenant) {
    let t = template(3);
    store.insert_template(&tenant, &t).await.unwrap();
    let read = store.template(&tenant, &t.id).await.unwrap().unwrap();
    // A PATCH reads the provider ...
    let p = read.providers[0].clone();
    // ... the template is archived, with its providers ...
    let mut archived = read.clone();
    let providers = archived.archive(at("2026-07-01T00:00:00.000Z")).unwrap();
    store
        .update_template(&tenant, &archived, &read, &providers)
        .await
        .unwrap();
    // ... and the PATCH's write over what it read is refused: it never
    // brings the archived provider back.
    let mut patched = p.clone();
    patched.tool_filter = switchboard_model::filter::ToolFilter::allow_all();
    patched.updated_at = at("2026-07-01T00:00:00.001Z");
    let err = store
        .update_template_provider(&tenant, &patched, &p)
        .await
        .unwrap_err();
    assert!(matches!(err, StoreError::Conflict { .. }), "{err}");
    let stored = store.template_provider(&tenant, &p.id).await.unwrap().unwrap();
    assert_eq!(stored.status.as_str(), "archived");

    // The other order: an archive over a provider changed since its read.
    let t = template(4);
    store.insert_template(&tenant, &t).await.unwrap();
    let read = store.template(&tenant, &t.id).await.unwrap().unwrap();
    let p = read.providers[0].clone();
    let mut patched = p.clone();
    patched.updated_at = at("2026-07-01T00:00:00.002Z");
    store
        .update_template_provider(&tenant, &patched, &p)
        .await
        .unwrap();
    let mut archived = read.clone();
    let providers = archived.archive(at("2026-07-01T00:00:00.003Z")).unwrap();
    let err = store
        .update_template(&tenant, &archived, &read, &providers)
        .await
        .unwrap_err();
    assert!(matches!(err, StoreError::Conflict { .. }), "{err}");
}

async fn a_provider_is_not_added_to_an_archived_template(store: Store, tenant: Tenant) {
    let t = template(5);
    store.insert_template(&tenant, &t).await.unwrap();
    let read = store.template(&tenant, &t.id).await.unwrap().unwrap();
    let mut extra = read.providers[0].clone();
    extra.id = SessionTemplateProviderId::generate(at("2026-07-01T00:00:00.000Z"), 99).unwrap();
    let mut archived = read.clone();
    let providers = archived.archive(at("2026-07-01T00:00:00.000Z")).unwrap();
    store
        .update_template(&tenant, &archived, &read, &providers)
        .await
        .unwrap();
    let err = store.insert_template_provider(&tenant, &extra).await.unwrap_err();
    assert!(matches!(err, StoreError::Conflict { .. }), "{err}");
    assert_eq!(store.template_provider(&tenant, &extra.id).await.unwrap(), None);
}

async fn instances_do_not_see_each_others_objects(store: Store, acme: Tenant) {
    let globex = store
        .ensure_instance("globex", at("2026-01-01T00:00:00.000Z"))
        .await
        .unwrap();
    assert_eq!(
        store
            .ensure_instance("acme", at("2026-02-01T00:00:00.000Z"))
            .await
            .unwrap(),
        acme
    );
    let t = template(3);
    store.insert_template(&acme, &t).await.unwrap();
    assert_eq!(store.template(&globex, &t.id).await.unwrap(), None);
    assert!(
        store
            .list_templates(&globex, &ListQuery::default())
            .await
            .unwrap()
            .items
            .is_empty()
    );
    assert_eq!(
        store.template(&acme, &t.id).await.unwrap().unwrap().id.as_str(),
        t.id.as_str()
    );
}

async fn setup_sessions_are_written_by_compare_and_swap(store: Store, tenant: Tenant) {
    use switchboard_model::catalog::Catalog;
    use switchboard_setup::{Event, NewIds, Policy, apply, create, drive};
    let catalog = decode::from_str::<Catalog>(include_str!("../examples/catalog.json"))
        .unwrap()
        .index()
        .unwrap();
    let integration = catalog
        .integration(&"int_TeamChat5qRsTuVwX".parse().unwrap())
        .unwrap();
    let (rules, providers) = drive::integration_providers(integration, &catalog);
    let now = at("2026-06-01T00:00:00.000Z");
    let mut n = 0u128;
    let mut random = || {
        n += 1;
        n
    };
    let ids = NewIds::for_providers(&providers, now, &mut random).unwrap();
    let body = decode::from_str(
        r#"{"integration_id": "int_TeamChat5qRsTuVwX", "name": "x", "private_metadata": {"k": "v"}}"#,
    )
    .unwrap();
    let (state, _) = create(&body, rules, &providers, ids, now, Policy::default()).unwrap();
    store.insert_setup_session(&tenant, &state).await.unwrap();
    let read = store.setup_session(&tenant, &state.id).await.unwrap().unwrap();
    assert_eq!(read, state);
    // Two writers read version v; the first wins, the second is a conflict.
    let (mut a, mut b) = (read.clone(), read.clone());
    let v = read.version;
    apply(&mut a, v, &Event::Archive, now).unwrap();
    apply(&mut b, v, &Event::Delete, now).unwrap();
    store.save_setup_session(&tenant, &a, v).await.unwrap();
    assert!(matches!(
        store.save_setup_session(&tenant, &b, v).await,
        Err(StoreError::Conflict { .. })
    ));
    let stored = store.setup_session(&tenant, &state.id).await.unwrap().unwrap();
    assert_eq!((stored.version, stored.ended), (a.version, a.ended));
    // Archived: listed only when asked for.
    let default = store
        .list_setup_sessions(&tenant, &ListQuery::default(), now)
        .await
        .unwrap();
    assert!(default.items.is_empty());
    let q = ListQuery::decode("status=archived").unwrap();
    assert_eq!(
        store
            .list_setup_sessions(&tenant, &q, now)
            .await
            .unwrap()
            .items
            .len(),
        1
    );
}

async fn idempotency_keys_are_claimed_once(store: Store, tenant: Tenant) {
    use switchboard_store::Claim;
    let now = at("2026-06-01T00:00:00.000Z");
    let old = at("2026-05-01T00:00:00.000Z");
    let claim = |hash: &'static str| store.claim_idempotency_key(&tenant, "k", hash, now, old, old);
    assert_eq!(claim("h1").await.unwrap(), Claim::Run);
    assert_eq!(claim("h1").await.unwrap(), Claim::InProgress);
    assert_eq!(claim("h2").await.unwrap(), Claim::Mismatch);
    store
        .finish_idempotency_key(&tenant, "k", 200, "{}")
        .await
        .unwrap();
    assert_eq!(
        claim("h1").await.unwrap(),
        Claim::Replay {
            status: 200,
            body: "{}".to_owned()
        }
    );
}

async fn a_template_revision_moves_with_every_write_to_it_or_its_providers(store: Store, tenant: Tenant) {
    let t = template(6);
    store.insert_template(&tenant, &t).await.unwrap();
    let (read, r0) = store
        .template_with_revision(&tenant, &t.id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(store.template_revision(&tenant, &t.id).await.unwrap(), Some(r0));
    // The template itself.
    let mut renamed = read.clone();
    renamed.name = "renamed".to_owned();
    store
        .update_template(&tenant, &renamed, &read, &[])
        .await
        .unwrap();
    let r1 = store.template_revision(&tenant, &t.id).await.unwrap().unwrap();
    assert_ne!(r1, r0);
    // One of its providers, written alone.
    let p = renamed.providers[0].clone();
    let mut patched = p.clone();
    patched.updated_at = at("2026-07-01T00:00:00.000Z");
    store
        .update_template_provider(&tenant, &patched, &p)
        .await
        .unwrap();
    let r2 = store.template_revision(&tenant, &t.id).await.unwrap().unwrap();
    assert!(r2 != r1 && r2 != r0);
    // A provider added.
    let mut extra = p.clone();
    extra.id = SessionTemplateProviderId::generate(at("2026-07-01T00:00:00.000Z"), 77).unwrap();
    store.insert_template_provider(&tenant, &extra).await.unwrap();
    let (now, r3) = store
        .template_with_revision(&tenant, &t.id)
        .await
        .unwrap()
        .unwrap();
    assert!(r3 != r2 && r3 != r1);
    assert_eq!(now.providers.len(), read.providers.len() + 1);
    assert_eq!(
        store.template_revision(&tenant, &template(99).id).await.unwrap(),
        None
    );
}

async fn racing_claims_of_one_key_run_one_request(store: Store, tenant: Tenant) {
    use switchboard_store::Claim;
    let now = at("2026-06-01T00:00:00.000Z");
    let old = at("2026-05-01T00:00:00.000Z");
    let claims = (0..16).map(|_| {
        let (store, tenant) = (store.clone(), tenant.clone());
        tokio::spawn(async move {
            store
                .claim_idempotency_key(&tenant, "race", "h", now, old, old)
                .await
        })
    });
    let mut runs = 0;
    for c in claims {
        match c.await.unwrap().unwrap() {
            Claim::Run => runs += 1,
            Claim::InProgress => {}
            other => panic!("{other:?}"),
        }
    }
    assert_eq!(runs, 1);
    // A claim whose request died (locked before `stale_before`) is taken
    // over by one of several racing claims, not by all of them.
    let later = at("2026-06-01T00:01:01.000Z");
    let stale_before = at("2026-06-01T00:00:01.000Z");
    let claims = (0..8).map(|_| {
        let (store, tenant) = (store.clone(), tenant.clone());
        tokio::spawn(async move {
            store
                .claim_idempotency_key(&tenant, "race", "h", later, stale_before, old)
                .await
        })
    });
    let mut runs = 0;
    for c in claims {
        if c.await.unwrap().unwrap() == Claim::Run {
            runs += 1;
        }
    }
    assert_eq!(runs, 1);
}

async fn racing_instances_of_one_name_are_one(store: Store, _tenant: Tenant) {
    let made = (0..8u32).map(|i| {
        let store = store.clone();
        let name = if i.is_multiple_of(2) {
            "initech"
        } else {
            "umbrella"
        };
        tokio::spawn(async move { store.ensure_instance(name, at("2026-01-01T00:00:00.000Z")).await })
    });
    let mut tenants = Vec::new();
    for m in made {
        tenants.push(m.await.unwrap().unwrap());
    }
    for pair in tenants.windows(3) {
        assert_eq!(pair[0], pair[2]);
    }
    assert_ne!(tenants[0], tenants[1]);
}

async fn requests_are_counted_against_one_bucket_whoever_counts_them(store: Store, _tenant: Tenant) {
    // 4 requests at once, one more every 1,000 units.
    let (interval, burst) = (1_000, 3_000);
    let counts = (0..10).map(|_| {
        let store = store.clone();
        tokio::spawn(async move { store.count_request("key:a", 1_000_000, interval, burst).await })
    });
    let mut allowed = 0;
    for c in counts {
        if c.await.unwrap().unwrap().allowed {
            allowed += 1;
        }
    }
    assert_eq!(allowed, 4);
    let denied = store
        .count_request("key:a", 1_000_500, interval, burst)
        .await
        .unwrap();
    assert_eq!((denied.allowed, denied.tat), (false, 1_004_000));
    // One interval later, one more; another bucket is untouched.
    let again = store
        .count_request("key:a", 1_001_000, interval, burst)
        .await
        .unwrap();
    assert_eq!((again.allowed, again.tat), (true, 1_005_000));
    let other = store
        .count_request("key:b", 1_001_000, interval, burst)
        .await
        .unwrap();
    assert_eq!((other.allowed, other.tat), (true, 1_002_000));
}

/// A store opened with migrations off refuses a database whose schema is
/// not this build's, and names the command that migrates it.
async fn migrations_off(url: &str) {
    use switchboard_store::{Migrate, Options};
    let mut options = Options::default();
    options.migrate = Migrate::Check;
    let err = Store::open_with(url, &options).await.unwrap_err();
    insta::allow_duplicates! {
        insta::assert_snapshot!(err, @"the database's schema is at version 0, this build's is 5: run `switchboard migrate` first (opened with migrations off)");
    }
    assert_eq!(Store::migrate(url, false).await.unwrap(), vec![1, 2, 3, 4, 5]);
    assert_eq!(Store::migrate(url, true).await.unwrap(), Vec::<i64>::new());
    let store = Store::open_with(url, &options).await.unwrap();
    store.ping().await.unwrap();
    store.close().await;
}

#[tokio::test]
async fn with_migrations_off_a_store_opens_only_a_migrated_database() {
    let file = std::env::temp_dir().join(format!("switchboard-migrate-{}.db", std::process::id()));
    migrations_off(&format!("sqlite://{}", file.display())).await;
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", file.display()));
    }
    match crate::support::postgres::fresh_database().await {
        Some(url) => migrations_off(&format!("{url}?statement-cache-capacity=0")).await,
        None => crate::support::postgres::skipped("migrations_off"),
    }
}
