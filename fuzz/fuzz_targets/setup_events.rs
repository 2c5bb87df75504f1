//! Scenario decoding plus event application: the bundled scenario with the
//! fuzzer's events appended; never panics, versions only grow, rendering decodes.
#![no_main]

use libfuzzer_sys::fuzz_target;
use switchboard::model::decode;
use switchboard::setup::scenario::Scenario;
use switchboard::setup::{Event, SetupState, render, transition};

const EXAMPLE: &str = include_str!("../../examples/setup-scenario.json");

fuzz_target!(|data: &[u8]| {
    // Whole scenarios from the fuzzer.
    if let Ok(s) = decode::from_slice::<Scenario>(data) {
        let _ = s.run();
    }
    // Events from the fuzzer against a real session.
    let Ok(events) = decode::from_slice::<Vec<(i64, Event)>>(data) else { return };
    let mut scenario: Scenario = decode::from_str(EXAMPLE).unwrap();
    scenario.timeline.truncate(5);
    let Ok(outcome) = scenario.run() else { return };
    let mut state = outcome.state;
    let mut now = outcome.last_at;
    for (jump, event) in events {
        now = now.checked_add_millis(jump.rem_euclid(3_600_000)).unwrap_or(now);
        let version = state.version;
        if let Ok((next, _)) = transition(&state, version, &event, now) {
            assert!(next.version == version || next.version == version + 1);
            state = next;
        }
        let text = serde_json::to_string(&render(&state, now, "https://setup.example.com", &client_secret(&state))).unwrap();
        decode::from_str::<switchboard::model::IntegrationSetupSession>(&text).expect("rendering decodes");
    }
});

/// The client secret of `state` under a fixed test key.
fn client_secret(state: &SetupState) -> switchboard::setup::secret::ClientSecret {
    let key = switchboard::setup::secret::ServerKey::from_bytes([9; 32]);
    switchboard::setup::secret::ClientSecret::derive(&key, &state.id)
}
