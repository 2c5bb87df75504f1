//! The setup-session lifecycle: 10,000 events applied to a 20-step session
//! (events per second), and one render beside encoding the same object with
//! serde alone.

// `criterion_group!` defines an undocumented public function.
#![allow(missing_docs)]

use std::hint::black_box;

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use switchboard::model::decode;
use switchboard::model::id::{IntegrationInstanceId, IntegrationSetupSessionId, ProviderSetupSessionId};
use switchboard::setup::scenario::Scenario;
use switchboard::setup::{
    Event, IntegrationProviderInfo, IntegrationRules, NewIds, Policy, SetupState, apply, create, render,
    transition,
};

const EXAMPLE: &str = include_str!("../examples/setup-scenario.json");
const STEPS: usize = 20;
const EVENTS: usize = 10_000;

/// A pending 20-step session built from the example's first provider.
fn session() -> SetupState {
    session_of(STEPS)
}

/// A pending session of `steps` steps built from the example's first provider.
fn session_of(steps: usize) -> SetupState {
    let example: Scenario = decode::from_str(EXAMPLE).unwrap();
    let template = &example.integration.providers[0];
    let providers: Vec<IntegrationProviderInfo> = (0..steps)
        .map(|i| {
            let mut p = template.clone();
            p.id = format!("inp_bench{i:04}").parse().unwrap();
            p.created_at = p.created_at.checked_add_millis(i as i64).unwrap();
            p
        })
        .collect();
    let ids = NewIds {
        session: IntegrationSetupSessionId::from_static("iss_bench"),
        instance: IntegrationInstanceId::from_static("ini_bench"),
        steps: (0..steps)
            .map(|i| format!("isst_bench{i:04}").parse().unwrap())
            .collect(),
    };
    let rules = IntegrationRules {
        active: true,
        custom_tool_filters: true,
        override_tool_filters: false,
    };
    create(
        &example.create,
        rules,
        &providers,
        ids,
        example.now,
        Policy::default(),
    )
    .unwrap()
    .0
}

/// Start and fail children round-robin across the steps: every event changes the state.
fn events(state: &SetupState) -> Vec<Event> {
    let steps = state.steps.len();
    (0..EVENTS)
        .map(|n| {
            let step = state.steps[(n / 2) % steps].id.clone();
            let child: ProviderSetupSessionId = format!("pas_bench{}", n / 2).parse().unwrap();
            if n % 2 == 0 {
                Event::ChildStarted { step, child }
            } else {
                Event::ChildFailed { step, child }
            }
        })
        .collect()
}

fn apply_events(c: &mut Criterion) {
    let start = session();
    let events = events(&start);
    let now = start.created_at.checked_add_millis(60_000).unwrap();
    let mut g = c.benchmark_group("setup_events");
    g.throughput(Throughput::Elements(EVENTS as u64));
    g.sample_size(20);
    g.bench_function(BenchmarkId::new("transition", "10,000 events, 20 steps"), |b| {
        b.iter(|| {
            let mut state = start.clone();
            for e in &events {
                state = transition(&state, state.version, black_box(e), now).unwrap().0;
            }
            state.version
        })
    });
    g.finish();
}

fn render_vs_encode(c: &mut Criterion) {
    let state = session();
    let now = state.created_at.checked_add_millis(60_000).unwrap();
    let key = client_secret(&state);
    let rendered = render(&state, now, "https://setup.example.com", &key);
    let mut g = c.benchmark_group("setup_render");
    g.bench_function(BenchmarkId::new("baseline", "serde encode"), |b| {
        b.iter(|| serde_json::to_vec(black_box(&rendered)).unwrap())
    });
    g.bench_function(BenchmarkId::new("render", "state to object"), |b| {
        b.iter(|| render(black_box(&state), now, "https://setup.example.com", &key))
    });
    g.finish();
}

/// `apply` in place: the cost of an event with 2,000 steps beside its cost with 20.
fn apply_in_place(c: &mut Criterion) {
    let mut g = c.benchmark_group("setup_apply_per_event");
    g.throughput(Throughput::Elements(EVENTS as u64));
    g.sample_size(20);
    for steps in [20, 2_000] {
        let start = session_of(steps);
        let events = events(&start);
        let now = start.created_at.checked_add_millis(60_000).unwrap();
        g.bench_function(
            BenchmarkId::new("apply", format!("10,000 events, {steps} steps")),
            |b| {
                b.iter(|| {
                    let mut state = start.clone();
                    for e in &events {
                        let version = state.version;
                        apply(&mut state, version, black_box(e), now).unwrap();
                    }
                    state.version
                })
            },
        );
    }
    g.finish();
}

criterion_group!(benches, apply_events, apply_in_place, render_vs_encode);
criterion_main!(benches);

/// The client secret of `state` under a fixed test key.
fn client_secret(state: &SetupState) -> switchboard::setup::secret::ClientSecret {
    let key = switchboard::setup::secret::ServerKey::from_bytes([9; 32]);
    switchboard::setup::secret::ClientSecret::derive(&key, &state.id)
}
