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

async fn store() -> (Store, Tenant) {
    let store = Store::open("sqlite::memory:").await.unwrap();
    let tenant = store
        .ensure_instance("acme", at("2026-01-01T00:00:00.000Z"))
        .await
        .unwrap();
    (store, tenant)
}

#[tokio::test]
async fn keyset_pages_agree_with_the_in_memory_paginator() {
    let (store, tenant) = store().await;
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

#[tokio::test]
async fn a_template_and_its_providers_are_written_together_or_not_at_all() {
    let (store, tenant) = store().await;
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

#[tokio::test]
async fn a_stale_template_write_is_a_conflict() {
    let (store, tenant) = store().await;
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

#[tokio::test]
async fn a_provider_patch_racing_an_archive_is_a_conflict() {
    let (store, tenant) = store().await;
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

#[tokio::test]
async fn a_provider_is_not_added_to_an_archived_template() {
    let (store, tenant) = store().await;
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

#[tokio::test]
async fn instances_do_not_see_each_others_objects() {
    let (store, acme) = store().await;
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

#[tokio::test]
async fn setup_sessions_are_written_by_compare_and_swap() {
    use switchboard_model::catalog::Catalog;
    use switchboard_setup::{Event, NewIds, Policy, apply, create, drive};
    let (store, tenant) = store().await;
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

#[tokio::test]
async fn idempotency_keys_are_claimed_once() {
    use switchboard_store::Claim;
    let (store, tenant) = store().await;
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
