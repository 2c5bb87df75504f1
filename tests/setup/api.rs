//! The setup crate's API: the example scenario, a rendered session, every error, secrets and ids.

use super::*;

// ---------------------------------------------------------------------------
// The bundled scenario, rendered texts and every error message.

fn example() -> switchboard::setup::scenario::Scenario {
    decode::from_str(
        &std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/examples/setup-scenario.json"
        ))
        .unwrap(),
    )
    .unwrap()
}

#[test]
fn the_example_scenario_ends_successful_with_an_active_instance() {
    let outcome = example().run().unwrap();
    let session = render(
        &outcome.state,
        outcome.last_at,
        "https://setup.example.com",
        &client_secret(&outcome.state),
    );
    assert_eq!(session.status.as_str(), "successful");
    assert_eq!(session.integration_instance.status.as_str(), "active");
    // The redelivered completion of Slack's second child changed nothing.
    let redelivered = &outcome.applied[7];
    assert!(redelivered.effects.is_empty() && redelivered.version == outcome.applied[6].version);
    // Linear's filter is kept without its cut-off: overriding is not allowed.
    let linear = &session.integration_instance.providers[2];
    assert_eq!(
        serde_json::to_value(&linear.tool_filter).unwrap()["ignore_parent_filters"],
        false
    );
    assert!(
        !serde_json::to_string(&session).unwrap().contains("crm_id"),
        "private metadata is never rendered"
    );
}

#[test]
fn a_rendered_session() {
    let mut scenario = example();
    scenario.timeline.truncate(4); // GitHub configured, Slack's first child started
    let outcome = scenario.run().unwrap();
    let mut session = render(
        &outcome.state,
        outcome.last_at,
        "https://setup.example.com",
        &client_secret(&outcome.state),
    );
    session.integration_instance.providers.clear(); // keep the snapshot to the session and its steps
    let mut v = serde_json::to_value(&session).unwrap();
    for step in v["steps"].as_array_mut().unwrap() {
        step["provider"] = json!("...");
    }
    insta::assert_snapshot!(serde_json::to_string_pretty(&v).unwrap(), @r#"
    {
      "configuration": {
        "provider_search": {
          "categories": [],
          "collections": [],
          "groups": []
        },
        "tool_filters": {
          "enabled": true
        },
        "ui": {
          "layout": "side"
        }
      },
      "created_at": "2026-01-01T10:00:00.000Z",
      "description": null,
      "expires_at": "2026-01-01T10:30:00.000Z",
      "id": "iss_0mhx7k2abSeSsIoNaBcDe",
      "integration_id": "int_0mhx7k2abMnBvCxZlKjHg",
      "integration_instance": {
        "archived_at": null,
        "created_at": "2026-01-01T10:00:00.000Z",
        "description": null,
        "id": "ini_0mhx7k2abPoIuYtReWqAs",
        "identity_actor_id": null,
        "identity_id": null,
        "implementation": null,
        "integration_id": "int_0mhx7k2abMnBvCxZlKjHg",
        "metadata": {
          "customer": "acme"
        },
        "name": "Acme workspace",
        "object": "integration.instance",
        "providers": [],
        "status": "draft",
        "updated_at": "2026-01-01T10:03:00.000Z"
      },
      "integration_instance_id": "ini_0mhx7k2abPoIuYtReWqAs",
      "metadata": {
        "customer": "acme"
      },
      "name": "Acme workspace",
      "object": "integration.setup_session",
      "redirect_url": "https://app.example.com/integrations/done",
      "status": "pending",
      "steps": [
        {
          "created_at": "2026-01-01T10:00:00.000Z",
          "id": "isst_0mhx7k2abStEpGiThUb",
          "index": 0,
          "integration_instance_provider_id": "iip_0mhx7k2abInStGiThUb",
          "integration_provider_id": "inp_0mhx7k2abGhPrOvIdEr",
          "object": "integration.setup_session.step",
          "provider": "...",
          "provider_setup_session_id": "pas_0mhx7k2abChIlDgHub01",
          "status": "configured",
          "updated_at": "2026-01-01T10:02:05.000Z",
          "url": "https://setup.example.com/integration-setup-session/iss_0mhx7k2abSeSsIoNaBcDe/steps/isst_0mhx7k2abStEpGiThUb?client_secret=VOUeldFvwf0dqT5C1kTUh2uQBxzQ8teyZ6SmlRO4Pnf"
        },
        {
          "created_at": "2026-01-01T10:00:00.000Z",
          "id": "isst_0mhx7k2abStEpSlAcKx",
          "index": 1,
          "integration_instance_provider_id": null,
          "integration_provider_id": "inp_0mhx7k2abSlPrOvIdEr",
          "object": "integration.setup_session.step",
          "provider": "...",
          "provider_setup_session_id": "pas_0mhx7k2abChIlDsLck01",
          "status": "pending",
          "updated_at": "2026-01-01T10:03:00.000Z",
          "url": "https://setup.example.com/integration-setup-session/iss_0mhx7k2abSeSsIoNaBcDe/steps/isst_0mhx7k2abStEpSlAcKx?client_secret=VOUeldFvwf0dqT5C1kTUh2uQBxzQ8teyZ6SmlRO4Pnf"
        },
        {
          "created_at": "2026-01-01T10:00:00.000Z",
          "id": "isst_0mhx7k2abStEpLiNeAr",
          "index": 2,
          "integration_instance_provider_id": null,
          "integration_provider_id": "inp_0mhx7k2abLnPrOvIdEr",
          "object": "integration.setup_session.step",
          "provider": "...",
          "provider_setup_session_id": null,
          "status": "pending",
          "updated_at": "2026-01-01T10:00:00.000Z",
          "url": "https://setup.example.com/integration-setup-session/iss_0mhx7k2abSeSsIoNaBcDe/steps/isst_0mhx7k2abStEpLiNeAr?client_secret=VOUeldFvwf0dqT5C1kTUh2uQBxzQ8teyZ6SmlRO4Pnf"
        }
      ],
      "updated_at": "2026-01-01T10:03:00.000Z",
      "url": "https://setup.example.com/integration-setup-session/iss_0mhx7k2abSeSsIoNaBcDe?client_secret=VOUeldFvwf0dqT5C1kTUh2uQBxzQ8teyZ6SmlRO4Pnf"
    }
    "#);
}

#[test]
fn every_error_message() {
    let t: Timestamp = "2026-01-01T10:00:00.000Z".parse().unwrap();
    let errors = [
        Error::IntegrationInactive(IntegrationId::from_static("int_1")),
        Error::NoProviders(IntegrationId::from_static("int_1")),
        Error::ExpiryInPast {
            expires_at: t,
            now: t,
        },
        Error::ExpiryTooLate {
            expires_at: t,
            limit: t,
        },
        Error::StepIds { given: 1, needed: 2 },
        Error::Conflict {
            expected: 3,
            current: 4,
        },
        Error::Finished {
            status: "expired",
            event: "child_completed",
        },
        Error::NotAllowed {
            event: "child_started",
            step: IntegrationSetupSessionStepId::from_static("isst_1"),
            state: "its child has not failed or expired".to_owned(),
        },
        Error::UnknownStep(IntegrationSetupSessionStepId::from_static("isst_9")),
        Error::IntegrationMismatch {
            body: IntegrationId::from_static("int_1"),
            given: IntegrationId::from_static("int_2"),
        },
    ];
    let lines: Vec<String> = errors
        .iter()
        .map(|e| format!("{} {}: {e}", e.error_body().status, e.error_body().code))
        .collect();
    insta::assert_snapshot!(lines.join("\n"), @"
    400 use_after_delete: integration `int_1` is not active
    400 integration_provider_required: integration `int_1` has no active provider to set up
    400 invalid_data: expires_at 2026-01-01T10:00:00.000Z is not after the creation time 2026-01-01T10:00:00.000Z
    400 invalid_data: expires_at 2026-01-01T10:00:00.000Z is later than the limit of 2026-01-01T10:00:00.000Z
    400 bad_request: 1 step ids were given for 2 steps
    409 conflict: the session is at version 4, the event was for version 3
    410 gone: the session is expired; `child_completed` cannot apply
    400 bad_request: `child_started` does not apply to step isst_1 (its child has not failed or expired)
    404 not_found: no step `isst_9` in this session
    400 bad_request: the create body names integration `int_1`, but the integration given is `int_2`
    ");
}

#[test]
fn the_client_secret_is_derived_never_stored() {
    let outcome = example().run().unwrap();
    let stored = serde_json::to_string(&outcome.state).unwrap();
    let key = secret::ServerKey::from_bytes([9; 32]);
    let secret = secret::ClientSecret::derive(&key, &outcome.state.id);
    assert!(!stored.contains("secret"), "{stored}");
    assert!(!stored.contains(secret.as_str()));
    assert_eq!(secret.as_str().len(), secret::ClientSecret::LEN);
    assert!(secret.as_str().bytes().all(|b| b.is_ascii_alphanumeric()));
    // The URL carries it; the same key verifies it, another key or session does not.
    let session = render(
        &outcome.state,
        outcome.last_at,
        "https://setup.example.com",
        &secret,
    );
    assert!(
        session
            .url
            .ends_with(&format!("?client_secret={}", secret.as_str()))
    );
    assert!(secret::ClientSecret::check(
        &key,
        &outcome.state.id,
        secret.as_str()
    ));
    let other_key = secret::ServerKey::from_bytes([8; 32]);
    assert!(!secret::ClientSecret::check(
        &other_key,
        &outcome.state.id,
        secret.as_str()
    ));
    let other_session = IntegrationSetupSessionId::from_static("iss_other");
    assert!(!secret::ClientSecret::check(
        &key,
        &other_session,
        secret.as_str()
    ));
    assert!(!secret::ClientSecret::check(&key, &outcome.state.id, ""));
    assert!(!secret::ClientSecret::check(
        &key,
        &outcome.state.id,
        &secret.as_str()[1..]
    ));
    // Neither the key nor the secret prints itself.
    assert_eq!(format!("{key:?}/{secret:?}"), "ServerKey(..)/ClientSecret(..)");
}

#[test]
fn new_ids_made_in_one_millisecond_keep_creation_order() {
    let now: Timestamp = "2026-01-01T10:00:00.000Z".parse().unwrap();
    // Randomness that decreases: generated one by one, these ids would sort backwards.
    let mut r = u128::MAX;
    let ids = NewIds::generate(5, now, || {
        r -= 1_000_000_007;
        r
    })
    .unwrap();
    assert!(ids.steps.windows(2).all(|w| w[0] < w[1]), "{:?}", ids.steps);
    assert!(
        ids.session.as_str().starts_with("iss_") && ids.steps.iter().all(|s| s.as_str().starts_with("isst_"))
    );
    let providers = example().integration.providers;
    let active = providers.iter().filter(|p| p.active).count();
    assert_eq!(
        NewIds::for_providers(&providers, now, || 1).unwrap().steps.len(),
        active
    );
}

#[test]
fn every_error_has_a_kind_that_survives_the_scenario_wrapper() {
    let mut doc = example();
    doc.create.integration_id = IntegrationId::from_static("int_other");
    let err = doc.run().unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidIds);
    assert!(matches!(err.refusal(), Error::IntegrationMismatch { .. }));
    insta::assert_snapshot!(err, @"create: the create body names integration `int_other`, but the integration given is `int_0mhx7k2abMnBvCxZlKjHg`");
    let step = Error::UnknownStep(IntegrationSetupSessionStepId::from_static("isst_9")).error_body();
    assert_eq!(
        (step.entity.as_deref(), step.id.as_deref()),
        (Some("integration.setup_session.step"), Some("isst_9"))
    );
}

#[test]
fn an_earlier_event_cannot_revive_an_expired_session() {
    let outcome = example().run().unwrap();
    let state = outcome.state;
    // An event dated before the last change is refused, whatever it is.
    let before = state.updated_at.checked_add_millis(-1).unwrap();
    let err = transition(&state, state.version, &Event::Tick, before).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::OutOfOrder);
    assert_eq!(err.error_body().status, 400);
    // A session past its expiry does not come back with a late, earlier completion.
    let mut doc = example();
    doc.timeline.truncate(1);
    let started = doc.run().unwrap().state;
    let late = started.expires_at.checked_add_millis(1_000).unwrap();
    let (expired, _) = transition(&started, started.version, &Event::Tick, late).unwrap();
    assert_eq!(session_status(&expired, late).as_str(), "expired");
    let step = expired.steps[0].id.clone();
    let child = expired.steps[0].child.as_ref().unwrap().id.clone();
    let earlier = Event::ChildCompleted {
        step,
        child,
        completion: Box::default(),
    };
    let err = transition(&expired, expired.version, &earlier, started.updated_at).unwrap_err();
    insta::assert_snapshot!(err, @"the event at 2026-01-01T10:01:00.000Z is earlier than the session's last change at 2026-01-01T10:30:01.000Z; time never runs backwards");
}

#[test]
fn an_expiry_past_the_year_9999_is_an_error_not_a_session_born_expired() {
    let doc = example();
    let now = Timestamp::parse("9999-12-31T23:59:00.000Z").unwrap();
    let err = create(
        &doc.create,
        IntegrationRules {
            active: true,
            ..Default::default()
        },
        &doc.integration.providers,
        doc.ids.clone(),
        now,
        Policy::default(),
    )
    .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidExpiry);
    insta::assert_snapshot!(err, @"a session created at 9999-12-31T23:59:00.000Z cannot expire within the years 0000 to 9999");
}

#[test]
fn a_scenario_over_the_event_limit_is_refused() {
    let mut doc = example();
    let last = doc.timeline.last().unwrap().clone();
    doc.timeline = vec![last; Scenario::MAX_EVENTS + 1];
    let err = doc.run().unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Limit);
    insta::assert_snapshot!(err, @"the scenario lists 10001 events, more than the limit of 10000");
}

proptest::proptest! {
    /// `apply` changes the state in place exactly as `transition` computes it,
    /// and leaves it untouched when it refuses.
    #[test]
    fn apply_in_place_agrees_with_transition(
        state in proptest::prelude::any::<SetupState>(),
        events in proptest::collection::vec((proptest::prelude::any::<Event>(), 0i64..600_000), 1..8),
    ) {
        let mut in_place = state.clone();
        let mut pure = state;
        for (event, dt) in events {
            let now = pure.updated_at.checked_add_millis(dt).unwrap();
            let before = in_place.clone();
            let version = in_place.version;
            let a = apply(&mut in_place, version, &event, now);
            let b = transition(&pure, pure.version, &event, now);
            match (a, b) {
                (Ok(ea), Ok((next, eb))) => {
                    proptest::prop_assert_eq!(ea, eb);
                    pure = next;
                    proptest::prop_assert_eq!(&in_place, &pure);
                }
                (Err(ea), Err(eb)) => {
                    proptest::prop_assert_eq!(ea, eb);
                    proptest::prop_assert_eq!(&in_place, &before, "a refused event changed the state");
                }
                (a, b) => proptest::prop_assert!(false, "apply {a:?} but transition {b:?}"),
            }
        }
    }
}
