//! `switchboard-setup`: scenario vectors in `testdata/setup/`, a state-machine
//! property test against a reference model, and rendered texts.

use serde::Deserialize;
use serde_json::{Value, json};
use switchboard::model::error::ApiError;
use switchboard::model::id::*;
use switchboard::model::objects::{IntegrationProviderSnapshot, ProviderPreview};
use switchboard::model::{Timestamp, decode};
use switchboard::setup::scenario::Scenario;
use switchboard::setup::*;

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

/// One vector: a scenario document (what `switchboard setup` runs) plus what
/// must come of it. `expect[i]` goes with the scenario's `timeline[i]`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Case {
    name: String,
    scenario: Scenario,
    max_lifetime_minutes: Option<i64>,
    /// The create must fail with this error code.
    create_error: Option<String>,
    expect_create: Option<ExpectCreate>,
    #[serde(default)]
    expect: Vec<ExpectEvent>,
    #[serde(default)]
    checks: Vec<Check>,
}

/// The statuses an expectation may name, at its time.
#[derive(Debug, Default)]
struct Statuses<'a> {
    status: Option<&'a str>,
    steps: Option<&'a [String]>,
    instance: Option<&'a str>,
}

macro_rules! statuses {
    ($x:expr) => {
        Statuses {
            status: $x.status.as_deref(),
            steps: $x.steps.as_deref(),
            instance: $x.instance.as_deref(),
        }
    };
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ExpectCreate {
    effects: Option<Vec<String>>,
    expires_at: Option<Timestamp>,
    step_providers: Option<Vec<String>>,
    tool_filters_enabled: Option<bool>,
    status: Option<String>,
    steps: Option<Vec<String>>,
    instance: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ExpectEvent {
    /// Apply the event against the previous version (a stale write).
    #[serde(default)]
    stale: bool,
    /// The event must fail with this error code.
    error: Option<String>,
    /// Nothing changes and nothing is done.
    #[serde(default)]
    noop: bool,
    effects: Option<Vec<String>>,
    /// `tool_filter` and `is_override_tool_filter` of the instance provider to create.
    spec: Option<Value>,
    version: Option<u64>,
    status: Option<String>,
    steps: Option<Vec<String>>,
    instance: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Check {
    at: Timestamp,
    status: Option<String>,
    steps: Option<Vec<String>>,
    instance: Option<String>,
}

fn check_statuses(state: &SetupState, at: Timestamp, expect: &Statuses<'_>, problems: &mut Vec<String>) {
    if let Some(s) = expect.status
        && session_status(state, at).as_str() != s
    {
        problems.push(format!("status {} != {s}", session_status(state, at)));
    }
    if let Some(want) = expect.steps {
        let got: Vec<String> = state
            .steps
            .iter()
            .map(|s| step_status(state, s, at).to_string())
            .collect();
        if got != want {
            problems.push(format!("steps {got:?}"));
        }
    }
    if let Some(i) = expect.instance
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

fn effect_names(effects: &[Effect]) -> Vec<String> {
    effects.iter().map(effect_name).collect()
}

fn run_case(case: &Case) -> Vec<String> {
    let mut problems = Vec::new();
    let s = &case.scenario;
    if case.expect.len() != s.timeline.len() {
        return vec![format!(
            "{} expectations for {} events",
            case.expect.len(),
            s.timeline.len()
        )];
    }
    let rules = IntegrationRules {
        active: s.integration.active,
        custom_tool_filters: s.integration.custom_tool_filters,
        override_tool_filters: s.integration.override_tool_filters,
    };
    let policy = Policy {
        max_lifetime_millis: case.max_lifetime_minutes.map(|m| m * 60_000),
    };
    let created = create(
        &s.create,
        rules,
        &s.integration.providers,
        s.ids.clone(),
        s.now,
        policy,
    );
    let (mut state, effects) = match (created, &case.create_error) {
        (Err(e), want) => {
            if want.as_deref() != Some(e.error_body().code.as_str()) {
                problems.push(format!("create failed: {e} ({})", e.error_body().code));
            }
            return problems;
        }
        (Ok(_), Some(_)) => return vec!["create should have failed".to_owned()],
        (Ok(x), None) => x,
    };
    if let Some(c) = &case.expect_create {
        if let Some(want) = &c.effects
            && effect_names(&effects) != *want
        {
            problems.push(format!("create effects {:?}", effect_names(&effects)));
        }
        if let Some(t) = c.expires_at
            && state.expires_at != t
        {
            problems.push(format!("expires_at {}", state.expires_at));
        }
        if let Some(want) = &c.step_providers {
            let got: Vec<&str> = state
                .steps
                .iter()
                .map(|st| st.integration_provider.id.as_str())
                .collect();
            if got != *want {
                problems.push(format!("step providers {got:?}"));
            }
        }
        if let Some(b) = c.tool_filters_enabled
            && state.configuration.tool_filters.enabled != b
        {
            problems.push("tool_filters.enabled".to_owned());
        }
        check_statuses(&state, s.now, &statuses!(c), &mut problems);
    }
    for (k, (timed, expect)) in s.timeline.iter().zip(&case.expect).enumerate() {
        let version = if expect.stale {
            state.version - 1
        } else {
            state.version
        };
        let mut p = Vec::new();
        match transition(&state, version, &timed.event, timed.at) {
            Err(e) => {
                if expect.error.as_deref() != Some(e.error_body().code.as_str()) {
                    p.push(format!("error {e} ({})", e.error_body().code));
                }
            }
            Ok((next, effects)) => {
                if let Some(code) = &expect.error {
                    p.push(format!("expected error {code}"));
                }
                if expect.noop && (next != state || !effects.is_empty()) {
                    p.push("expected no change".to_owned());
                }
                if !expect.noop && next.version != state.version + 1 {
                    p.push(format!("version {} after {}", next.version, state.version));
                }
                if let Some(want) = &expect.effects
                    && effect_names(&effects) != *want
                {
                    p.push(format!("effects {:?}", effect_names(&effects)));
                }
                if let Some(spec) = &expect.spec {
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
                if let Some(v) = expect.version
                    && next.version != v
                {
                    p.push(format!("version {}", next.version));
                }
                state = next;
            }
        }
        check_statuses(&state, timed.at, &statuses!(expect), &mut p);
        problems.extend(
            p.into_iter()
                .map(|x| format!("event {k} ({}): {x}", timed.event.name())),
        );
    }
    for check in &case.checks {
        check_statuses(&state, check.at, &statuses!(check), &mut problems);
    }
    // The state survives a database round trip.
    let stored = serde_json::to_string(&state).unwrap();
    if serde_json::from_str::<SetupState>(&stored).unwrap() != state {
        problems.push("state does not round-trip".to_owned());
    }
    problems
}

#[test]
fn an_id_on_two_steps_is_refused_naming_both() {
    let all: Vec<Case> = crate::support::cases("setup/scenarios.json");
    let messages: Vec<String> = [
        "one child on two steps is refused",
        "one instance provider on two steps is refused",
    ]
    .iter()
    .map(|name| {
        let case = all.iter().find(|c| c.name == *name).unwrap();
        let e = case.scenario.run().unwrap_err();
        assert_eq!(e.kind(), switchboard::setup::ErrorKind::DuplicateId);
        e.to_string()
    })
    .collect();
    insta::assert_debug_snapshot!(messages, @r#"
    [
        "timeline[1] (child_started): child `pas_a` belongs to step isst_1; step isst_2 cannot have it too",
        "timeline[5] (instance_provider_created): instance provider `iip_1` belongs to step isst_1; step isst_2 cannot have it too",
    ]
    "#);
}

#[test]
fn vectors_scenarios() {
    let all: Vec<Case> = crate::support::cases("setup/scenarios.json");
    let failures: Vec<String> = all
        .iter()
        .flat_map(|c| run_case(c).into_iter().map(move |p| format!("{:?}: {p}", c.name)))
        .collect();
    crate::support::report(&failures, all.len());
}

mod api;
mod machine;
mod reference;

/// The client secret of `state` under a fixed test key.
fn client_secret(state: &SetupState) -> switchboard::setup::secret::ClientSecret {
    let key = switchboard::setup::secret::ServerKey::from_bytes([9; 32]);
    switchboard::setup::secret::ClientSecret::derive(&key, &state.id)
}
