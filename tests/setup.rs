//! `switchboard-setup`: scenario vectors in `testdata/setup/`, a state-machine
//! property test against a reference model, and rendered texts.

use serde_json::{Value, json};
use switchboard::model::error::ApiError;
use switchboard::model::id::*;
use switchboard::model::objects::{IntegrationProviderSnapshot, ProviderPreview};
use switchboard::model::request::CreateIntegrationSetupSession;
use switchboard::model::{Timestamp, decode};
use switchboard::setup::*;

use crate::support::read;

pub fn provider_info(v: &Value) -> IntegrationProviderInfo {
    let t = v["created_at"].as_str().unwrap();
    let (id, name, slug) = (
        v["id"].as_str().unwrap(),
        v["name"].as_str().unwrap(),
        v["slug"].as_str().unwrap(),
    );
    let pro = format!("pro_{}", &id[4..]);
    let provider: ProviderPreview = decode::from_value(
        &json!({"id": pro, "name": name, "description": null, "slug": slug,
        "created_at": t, "updated_at": t}),
    )
    .unwrap();
    let snapshot: IntegrationProviderSnapshot = decode::from_value(&json!({"id": id, "provider_version": {"id": "ipv_1", "index": 1},
        "status": "active", "name": name, "description": null, "metadata": null, "tool_filter": null, "provider_id": pro,
        "deployment_id": "pde_1", "auth_method_id": null, "auth_credentials_id": null, "config": null,
        "created_at": t, "updated_at": t, "archived_at": null})).unwrap();
    IntegrationProviderInfo {
        id: id.parse().unwrap(),
        active: v["active"].as_bool().unwrap(),
        created_at: t.parse().unwrap(),
        provider,
        snapshot,
    }
}

pub fn rules(v: &Value) -> IntegrationRules {
    IntegrationRules {
        active: v["active"].as_bool().unwrap(),
        custom_tool_filters: v["custom_tool_filters"].as_bool().unwrap(),
        override_tool_filters: v["override_tool_filters"].as_bool().unwrap(),
    }
}

fn effect_name(e: &Effect) -> String {
    match e {
        Effect::StartChild { .. } => "start_child".to_owned(),
        Effect::CreateInstanceProvider { .. } => "create_instance_provider".to_owned(),
        Effect::ActivateInstance { .. } => "activate_instance".to_owned(),
        Effect::Record { event } => format!(
            "record:{}",
            serde_json::to_value(event).unwrap().as_str().unwrap()
        ),
    }
}

fn check_statuses(state: &SetupState, at: Timestamp, expect: &Value, problems: &mut Vec<String>) {
    if let Some(s) = expect["status"].as_str()
        && session_status(state, at).as_str() != s
    {
        problems.push(format!("status {} != {s}", session_status(state, at)));
    }
    if let Some(want) = expect["steps"].as_array() {
        let got: Vec<String> = state
            .steps
            .iter()
            .map(|s| step_status(state, s, at).to_string())
            .collect();
        if got.iter().map(|s| json!(s)).collect::<Vec<_>>() != *want {
            problems.push(format!("steps {got:?}"));
        }
    }
    if let Some(i) = expect["instance"].as_str()
        && instance_status(state).as_str() != i
    {
        problems.push(format!("instance {}", instance_status(state)));
    }
    // Rendering never panics and always decodes back through the model.
    let rendered = serde_json::to_string(&render(
        state,
        at,
        "https://setup.example.com",
        &client_secret(state),
    ))
    .unwrap();
    if let Err(e) = decode::from_str::<switchboard::model::IntegrationSetupSession>(&rendered) {
        problems.push(format!("render does not decode: {e}"));
    }
}

fn run_scenario(s: &Value) -> Vec<String> {
    let mut problems = Vec::new();
    let integration = &s["integration"];
    let providers: Vec<IntegrationProviderInfo> = integration["providers"]
        .as_array()
        .unwrap()
        .iter()
        .map(provider_info)
        .collect();
    let body: CreateIntegrationSetupSession = decode::from_value(&s["create"]).unwrap();
    let now: Timestamp = s["now"].as_str().unwrap().parse().unwrap();
    let active = providers.iter().filter(|p| p.active).count();
    let ids = NewIds {
        session: IntegrationSetupSessionId::from_static("iss_1"),
        instance: IntegrationInstanceId::from_static("ini_1"),
        steps: (1..=active)
            .map(|i| format!("isst_{i}").parse().unwrap())
            .collect(),
    };
    let policy = Policy {
        max_lifetime_millis: s["max_lifetime_minutes"].as_i64().map(|m| m * 60_000),
    };
    let (mut state, effects) = match create(&body, rules(integration), &providers, ids, now, policy) {
        Err(e) => {
            if s["create_error"].as_str() != Some(e.error_body().code.as_str()) {
                problems.push(format!("create failed: {e} ({})", e.error_body().code));
            }
            return problems;
        }
        Ok(x) => x,
    };
    if s.get("create_error").is_some() {
        problems.push("create should have failed".to_owned());
    }
    let c = &s["expect_create"];
    if let Some(want) = c["effects"].as_array() {
        let got: Vec<Value> = effects.iter().map(|e| json!(effect_name(e))).collect();
        if got != *want {
            problems.push(format!("create effects {got:?}"));
        }
    }
    if let Some(t) = c["expires_at"].as_str()
        && state.expires_at.to_string() != t
    {
        problems.push(format!("expires_at {}", state.expires_at));
    }
    if let Some(want) = c["step_providers"].as_array() {
        let got: Vec<Value> = state
            .steps
            .iter()
            .map(|st| json!(st.integration_provider.id.as_str()))
            .collect();
        if got != *want {
            problems.push(format!("step providers {got:?}"));
        }
    }
    if let Some(b) = c["tool_filters_enabled"].as_bool()
        && state.configuration.tool_filters.enabled != b
    {
        problems.push("tool_filters.enabled".to_owned());
    }
    check_statuses(&state, now, c, &mut problems);
    for (k, entry) in s["timeline"].as_array().into_iter().flatten().enumerate() {
        let at: Timestamp = entry["at"].as_str().unwrap().parse().unwrap();
        let event: Event = decode::from_value(&entry["event"]).unwrap();
        let expect = &entry["expect"];
        let version = if entry["stale"].as_bool() == Some(true) {
            state.version - 1
        } else {
            state.version
        };
        let mut p = Vec::new();
        match transition(&state, version, &event, at) {
            Err(e) => {
                if expect["error"].as_str() != Some(e.error_body().code.as_str()) {
                    p.push(format!("error {e} ({})", e.error_body().code));
                }
            }
            Ok((next, effects)) => {
                if let Some(code) = expect["error"].as_str() {
                    p.push(format!("expected error {code}"));
                }
                if expect["noop"].as_bool() == Some(true) && (next != state || !effects.is_empty()) {
                    p.push("expected no change".to_owned());
                }
                if expect["noop"].as_bool() != Some(true) && next.version != state.version + 1 {
                    p.push(format!("version {} after {}", next.version, state.version));
                }
                if let Some(want) = expect["effects"].as_array() {
                    let got: Vec<Value> = effects.iter().map(|e| json!(effect_name(e))).collect();
                    if got != *want {
                        p.push(format!("effects {got:?}"));
                    }
                }
                if let Some(spec) = expect.get("spec") {
                    let got = effects.iter().find_map(|e| match e {
                        Effect::CreateInstanceProvider { spec, .. } => {
                            Some(serde_json::to_value(spec).unwrap())
                        }
                        _ => None,
                    });
                    let fields = got.map(|g| json!({"tool_filter": g["tool_filter"], "is_override_tool_filter": g["is_override_tool_filter"]}));
                    if fields.as_ref() != Some(spec) {
                        p.push(format!("spec {fields:?}"));
                    }
                }
                if let Some(v) = expect["version"].as_u64()
                    && next.version != v
                {
                    p.push(format!("version {}", next.version));
                }
                state = next;
            }
        }
        check_statuses(&state, at, expect, &mut p);
        problems.extend(
            p.into_iter()
                .map(|x| format!("event {k} ({}): {x}", event.name())),
        );
    }
    for check in s["checks"].as_array().into_iter().flatten() {
        let at: Timestamp = check["at"].as_str().unwrap().parse().unwrap();
        check_statuses(&state, at, check, &mut problems);
    }
    // The state survives a database round trip.
    let stored = serde_json::to_string(&state).unwrap();
    if serde_json::from_str::<SetupState>(&stored).unwrap() != state {
        problems.push("state does not round-trip".to_owned());
    }
    problems
}

#[test]
fn vectors_scenarios() {
    let doc: Value = serde_json::from_str(&read("setup/scenarios.json")).unwrap();
    let all = doc["scenarios"].as_array().unwrap();
    let failures: Vec<String> = all
        .iter()
        .flat_map(|s| {
            run_scenario(s)
                .into_iter()
                .map(move |p| format!("{}: {p}", s["name"]))
        })
        .collect();
    assert!(
        failures.is_empty(),
        "{} problems in {} scenarios:\n{}",
        failures.len(),
        all.len(),
        failures.join("\n")
    );
}

// ---------------------------------------------------------------------------
// State-machine test: random event sequences with random clock jumps, checked
// after every step against a small reference model.

mod machine {
    use proptest::prelude::*;
    use proptest_state_machine::{ReferenceStateMachine, StateMachineTest, prop_state_machine};
    use switchboard::model::enums::SetupSessionStatus;
    use switchboard::model::error::ApiError;
    use switchboard::model::id::*;
    use switchboard::model::{Timestamp, decode};
    use switchboard::setup::*;

    const START: i64 = 1_767_261_600_000; // 2026-01-01T10:00:00Z
    const LIFETIME: i64 = 30 * 60 * 1000;

    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    enum RChild {
        Pending,
        Completed { awaiting_review: bool },
        Failed,
        Expired,
    }

    #[derive(Debug, Clone, PartialEq, Eq)]
    struct RStep {
        child: Option<(u32, RChild)>,
        configured: bool,
    }

    /// The reference: what the spec says, without effects or rendering.
    #[derive(Debug, Clone)]
    pub struct Ref {
        now: i64,
        review: bool,
        steps: Vec<RStep>,
        ended: Option<Ended>,
        expiry_recorded: bool,
        next_child: u32,
    }

    impl Ref {
        fn status(&self) -> SetupSessionStatus {
            match self.ended {
                Some(Ended::Deleted) => SetupSessionStatus::Deleted,
                Some(Ended::Archived) => SetupSessionStatus::Archived,
                None if self.steps.iter().all(|s| s.configured) => SetupSessionStatus::Successful,
                None if self.now >= START + LIFETIME => SetupSessionStatus::Expired,
                None => SetupSessionStatus::Pending,
            }
        }
    }

    #[derive(Debug, Clone)]
    pub enum Op {
        Advance(i64),
        /// Jump to `expires_at` plus this offset (-1, 0 or 1 ms), if that is ahead.
        NearExpiry(i64),
        Start(usize),
        Complete(usize, bool),
        Fail(usize),
        ExpireChild(usize),
        Confirm(usize),
        Created(usize),
        /// Deliver the previous step event again.
        Redeliver,
        Archive,
        Delete,
        Tick,
    }

    pub struct Model;

    impl ReferenceStateMachine for Model {
        type State = Ref;
        type Transition = Op;

        fn init_state() -> BoxedStrategy<Ref> {
            (1usize..4, any::<bool>())
                .prop_map(|(n, review)| Ref {
                    now: START,
                    review,
                    steps: vec![
                        RStep {
                            child: None,
                            configured: false
                        };
                        n
                    ],
                    ended: None,
                    expiry_recorded: false,
                    next_child: 1,
                })
                .boxed()
        }

        fn transitions(state: &Ref) -> BoxedStrategy<Op> {
            let n = state.steps.len();
            prop_oneof![
                2 => (0i64..12 * 60 * 1000).prop_map(Op::Advance),
                1 => (-1i64..=1).prop_map(Op::NearExpiry),
                3 => (0..n).prop_map(Op::Start),
                3 => ((0..n), any::<bool>()).prop_map(|(i, e)| Op::Complete(i, e)),
                1 => (0..n).prop_map(Op::Fail),
                1 => (0..n).prop_map(Op::ExpireChild),
                1 => (0..n).prop_map(Op::Confirm),
                3 => (0..n).prop_map(Op::Created),
                1 => Just(Op::Redeliver),
                1 => Just(Op::Archive),
                1 => Just(Op::Delete),
                1 => Just(Op::Tick),
            ]
            .boxed()
        }

        fn apply(mut s: Ref, op: &Op) -> Ref {
            let pending = s.status() == SetupSessionStatus::Pending;
            match *op {
                Op::Advance(d) => s.now += d,
                Op::NearExpiry(d) => s.now = s.now.max(START + LIFETIME + d),
                Op::Archive if s.ended.is_none() => s.ended = Some(Ended::Archived),
                Op::Delete => s.ended = Some(Ended::Deleted),
                Op::Tick if s.status() == SetupSessionStatus::Expired => s.expiry_recorded = true,
                Op::Start(i) if pending && !s.steps[i].configured => {
                    if matches!(
                        s.steps[i].child,
                        None | Some((_, RChild::Failed | RChild::Expired))
                    ) {
                        s.steps[i].child = Some((s.next_child, RChild::Pending));
                    }
                    s.next_child += 1;
                }
                Op::Complete(i, explicit) if pending && !s.steps[i].configured => {
                    if let Some((_, c @ RChild::Pending)) = &mut s.steps[i].child {
                        *c = RChild::Completed {
                            awaiting_review: s.review && !explicit,
                        };
                    }
                }
                Op::Fail(i) | Op::ExpireChild(i) if pending && !s.steps[i].configured => {
                    if let Some((_, c @ RChild::Pending)) = &mut s.steps[i].child {
                        *c = if matches!(op, Op::Fail(_)) {
                            RChild::Failed
                        } else {
                            RChild::Expired
                        };
                    }
                }
                Op::Confirm(i) if pending && !s.steps[i].configured => {
                    if let Some((_, RChild::Completed { awaiting_review })) = &mut s.steps[i].child {
                        *awaiting_review = false;
                    }
                }
                Op::Created(i) if pending => {
                    if matches!(
                        s.steps[i].child,
                        Some((
                            _,
                            RChild::Completed {
                                awaiting_review: false
                            }
                        ))
                    ) {
                        s.steps[i].configured = true;
                    }
                }
                _ => {}
            }
            s
        }
    }

    pub struct Sut {
        state: SetupState,
        now: i64,
        last: Option<Event>,
    }

    fn t(ms: i64) -> Timestamp {
        Timestamp::from_millis(ms).unwrap()
    }

    fn step_id(i: usize) -> IntegrationSetupSessionStepId {
        format!("isst_{i}").parse().unwrap()
    }

    fn child_id(n: u32) -> ProviderSetupSessionId {
        format!("pas_{n}").parse().unwrap()
    }

    impl StateMachineTest for Sut {
        type SystemUnderTest = Sut;
        type Reference = Model;

        fn init_test(r: &Ref) -> Sut {
            let providers: Vec<IntegrationProviderInfo> = (0..r.steps.len())
                .map(|i| {
                    super::provider_info(&serde_json::json!({"id": format!("inp_{i}"), "active": true,
                        "created_at": t(START + i as i64).to_string(), "name": "P", "slug": "p"}))
                })
                .collect();
            let rules = IntegrationRules {
                active: true,
                custom_tool_filters: true,
                override_tool_filters: false,
            };
            let body = decode::from_value(&serde_json::json!({"integration_id": "int_1", "name": "A",
                "configuration": {"tool_filters": {"enabled": r.review}}}))
            .unwrap();
            let ids = NewIds {
                session: IntegrationSetupSessionId::from_static("iss_1"),
                instance: IntegrationInstanceId::from_static("ini_1"),
                steps: (0..r.steps.len()).map(step_id).collect(),
            };
            let (state, _) = create(&body, rules, &providers, ids, t(START), Policy::default()).unwrap();
            Sut {
                state,
                now: START,
                last: None,
            }
        }

        fn apply(mut sut: Sut, r: &Ref, op: Op) -> Sut {
            let current_child = |i: usize| {
                sut.state.steps[i]
                    .child
                    .as_ref()
                    .map_or_else(|| child_id(0), |c| c.id.clone())
            };
            let event = match op {
                Op::Advance(_) | Op::NearExpiry(_) => {
                    sut.now = r.now;
                    None
                }
                // The reference already counted this start: its id is `next_child - 1`.
                Op::Start(i) => Some(Event::ChildStarted {
                    step: step_id(i),
                    child: child_id(r.next_child - 1),
                }),
                Op::Complete(i, explicit) => Some(Event::ChildCompleted {
                    step: step_id(i),
                    child: current_child(i),
                    completion: Box::new(Completion {
                        explicit,
                        ..Completion::default()
                    }),
                }),
                Op::Fail(i) => Some(Event::ChildFailed {
                    step: step_id(i),
                    child: current_child(i),
                }),
                Op::ExpireChild(i) => Some(Event::ChildExpired {
                    step: step_id(i),
                    child: current_child(i),
                }),
                Op::Confirm(i) => Some(Event::ToolsConfirmed { step: step_id(i) }),
                Op::Created(i) => Some(Event::InstanceProviderCreated {
                    step: step_id(i),
                    instance_provider: format!("iip_{i}").parse().unwrap(),
                }),
                Op::Redeliver => sut.last.clone(),
                Op::Archive => Some(Event::Archive),
                Op::Delete => Some(Event::Delete),
                Op::Tick => Some(Event::Tick),
            };
            if let Some(event) = event {
                let before = sut.state.clone();
                let was_finished = session_status(&before, t(sut.now)) != SetupSessionStatus::Pending;
                match transition(&before, before.version, &event, t(sut.now)) {
                    Ok((next, effects)) => {
                        let changed = next != before;
                        // The version grows by one per change and never on a no-op.
                        assert_eq!(next.version, before.version + u64::from(changed), "{event:?}");
                        assert!(changed || effects.is_empty());
                        // Finished sessions accept no step changes.
                        if was_finished && changed {
                            assert!(
                                matches!(event, Event::Archive | Event::Delete | Event::Tick),
                                "{event:?} changed a finished session"
                            );
                        }
                        sut.state = next;
                    }
                    Err(e) => assert!(e.error_body().status >= 400),
                }
                if !matches!(event, Event::Archive | Event::Delete | Event::Tick) {
                    sut.last = Some(event);
                }
                // A stale version is always a conflict.
                let stale = transition(&sut.state, sut.state.version + 1, &Event::Tick, t(sut.now));
                assert!(matches!(stale, Err(Error::Conflict { .. })));
            }
            sut
        }

        fn check_invariants(sut: &Sut, r: &Ref) {
            let now = t(sut.now);
            let status = session_status(&sut.state, now);
            assert_eq!(status, r.status(), "session status");
            // `successful` exactly when there is a step and every step is configured.
            let all =
                !sut.state.steps.is_empty() && sut.state.steps.iter().all(|s| s.instance_provider.is_some());
            assert_eq!(
                status == SetupSessionStatus::Successful,
                all && sut.state.ended.is_none()
            );
            // A pending session reads expired exactly when now >= expires_at.
            if sut.state.ended.is_none() && !all {
                assert_eq!(status == SetupSessionStatus::Expired, now >= sut.state.expires_at);
            }
            // Step indices are 0..n with no gaps.
            assert!(
                sut.state
                    .steps
                    .iter()
                    .enumerate()
                    .all(|(i, s)| s.index as usize == i)
            );
            for (s, rs) in sut.state.steps.iter().zip(&r.steps) {
                assert_eq!(s.instance_provider.is_some(), rs.configured);
            }
            // Rendering never panics and always decodes back through the model.
            let json = serde_json::to_string(&render(
                &sut.state,
                now,
                "https://setup.example.com",
                &super::client_secret(&sut.state),
            ))
            .unwrap();
            decode::from_str::<switchboard::model::IntegrationSetupSession>(&json).unwrap();
        }
    }

    prop_state_machine! {
        #![proptest_config(ProptestConfig { cases: 2000, failure_persistence: None, ..ProptestConfig::default() })]
        #[test]
        fn lifecycle_matches_the_reference_model(sequential 1..40 => Sut);
    }
}

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
          "url": "https://setup.example.com/integration-setup-session/iss_0mhx7k2abSeSsIoNaBcDe/isst_0mhx7k2abStEpGiThUb?client_secret=VOUeldFvwf0dqT5C1kTUh2uQBxzQ8teyZ6SmlRO4Pnf"
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
          "url": "https://setup.example.com/integration-setup-session/iss_0mhx7k2abSeSsIoNaBcDe/isst_0mhx7k2abStEpSlAcKx?client_secret=VOUeldFvwf0dqT5C1kTUh2uQBxzQ8teyZ6SmlRO4Pnf"
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
          "url": "https://setup.example.com/integration-setup-session/iss_0mhx7k2abSeSsIoNaBcDe/isst_0mhx7k2abStEpLiNeAr?client_secret=VOUeldFvwf0dqT5C1kTUh2uQBxzQ8teyZ6SmlRO4Pnf"
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

/// The client secret of `state` under a fixed test key.
fn client_secret(state: &SetupState) -> switchboard::setup::secret::ClientSecret {
    let key = switchboard::setup::secret::ServerKey::from_bytes([9; 32]);
    switchboard::setup::secret::ClientSecret::derive(&key, &state.id)
}
