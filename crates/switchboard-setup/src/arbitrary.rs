//! Strategies for setup sessions (feature `proptest`). A generated
//! [`SetupState`] is one the crate itself produced: [`create`] over one to
//! three providers, then a random run of events through [`transition`]
//! (refused events leave the state as it was). A generated [`Event`] is any
//! well-formed event; most name steps and children of the states generated
//! here (`isst_1`..`isst_3`, `pas_<step>x<n>`).

use proptest::prelude::*;
use serde_json::json;
use switchboard_model::filter::ToolFilter;
use switchboard_model::id::{
    IntegrationInstanceId, IntegrationInstanceProviderId, IntegrationSetupSessionId,
    IntegrationSetupSessionStepId, ProviderSetupSessionId,
};
use switchboard_model::request::CreateIntegrationSetupSession;
use switchboard_model::{Timestamp, decode};

use crate::{
    Completion, Event, IntegrationProviderInfo, IntegrationRules, NewIds, Policy, SetupState, create,
    transition,
};

/// 2026-01-01T10:00:00.000Z, when generated sessions are created.
const START: i64 = 1_767_261_600_000;

fn step(i: usize) -> IntegrationSetupSessionStepId {
    IntegrationSetupSessionStepId::parse(&format!("isst_{}", i + 1)).unwrap_or_else(|_| unreachable_id())
}

fn child(step: usize, n: u32) -> ProviderSetupSessionId {
    ProviderSetupSessionId::parse(&format!("pas_{}x{n}", step + 1)).unwrap_or_else(|_| unreachable_id())
}

#[cold]
fn unreachable_id() -> ! {
    panic!("a generated id literal is malformed")
}

/// An integration provider `inp_<n>`, created `n` milliseconds after [`START`].
fn provider(n: usize) -> Option<IntegrationProviderInfo> {
    let t = Timestamp::from_millis(START + n as i64)?.to_string();
    let value = json!({
        "id": format!("inp_{n}"), "active": true, "created_at": t,
        "provider": {"id": format!("pro_{n}"), "name": format!("Provider {n}"), "description": null,
                     "slug": format!("p{n}"), "created_at": t, "updated_at": t},
        "snapshot": {"id": format!("inp_{n}"), "provider_version": {"id": "ipv_1", "index": 1},
                     "status": "active", "name": null, "description": null, "metadata": null, "tool_filter": null,
                     "provider_id": format!("pro_{n}"), "deployment_id": "pde_1", "auth_method_id": null,
                     "auth_credentials_id": null, "config": null, "created_at": t, "updated_at": t, "archived_at": null}
    });
    decode::from_value(&value).ok()
}

/// One event of a generated run: `(what, step, explicit, milliseconds later)`.
type Move = (u8, usize, bool, i64);

fn event_of(m: Move, steps: usize, children: &mut [u32], ip: &mut u32) -> Event {
    let (what, s, explicit, _) = m;
    let s = s % steps;
    match what {
        0 | 1 => {
            children[s] += 1;
            Event::ChildStarted {
                step: step(s),
                child: child(s, children[s]),
            }
        }
        2 | 3 => Event::ChildCompleted {
            step: step(s),
            child: child(s, children[s]),
            completion: Box::new(Completion {
                explicit,
                tool_filter: explicit.then(ToolFilter::default),
                ..Completion::default()
            }),
        },
        4 => Event::ChildFailed {
            step: step(s),
            child: child(s, children[s]),
        },
        5 => Event::ChildExpired {
            step: step(s),
            child: child(s, children[s]),
        },
        6 => Event::ToolsConfirmed { step: step(s) },
        7 | 8 => {
            *ip += 1;
            Event::InstanceProviderCreated {
                step: step(s),
                instance_provider: IntegrationInstanceProviderId::parse(&format!("iip_{ip}"))
                    .unwrap_or_else(|_| unreachable_id()),
            }
        }
        9 => Event::Archive,
        10 => Event::Delete,
        _ => Event::Tick,
    }
}

/// A state the crate produced: see the module's documentation.
pub fn state() -> BoxedStrategy<SetupState> {
    (
        1usize..=3,
        any::<[bool; 3]>(),
        proptest::collection::vec((0u8..14, 0usize..3, any::<bool>(), 0i64..400_000), 0..16),
    )
        .prop_filter_map("a generated session is created", |(n, flags, moves)| {
            let [custom, overriding, review] = flags;
            let providers: Vec<IntegrationProviderInfo> = (1..=n).map(provider).collect::<Option<_>>()?;
            let rules = IntegrationRules {
                active: true,
                custom_tool_filters: custom,
                override_tool_filters: overriding,
            };
            let body: CreateIntegrationSetupSession = decode::from_value(&json!({
                "integration_id": "int_1", "name": "Generated",
                "configuration": {"tool_filters": {"enabled": review}}
            }))
            .ok()?;
            let ids = NewIds {
                session: IntegrationSetupSessionId::parse("iss_1").ok()?,
                instance: IntegrationInstanceId::parse("ini_1").ok()?,
                steps: (0..n).map(step).collect(),
            };
            let mut now = Timestamp::from_millis(START)?;
            let (mut state, _) = create(&body, rules, &providers, ids, now, Policy::default()).ok()?;
            let mut children = vec![0u32; n];
            let mut ip = 0;
            for m in moves {
                now = now.checked_add_millis(m.3)?;
                let event = event_of(m, n, &mut children, &mut ip);
                if let Ok((next, _)) = transition(&state, state.version, &event, now) {
                    state = next;
                }
            }
            Some(state)
        })
        .boxed()
}

impl Arbitrary for SetupState {
    type Parameters = ();
    type Strategy = BoxedStrategy<Self>;
    fn arbitrary_with(_: ()) -> Self::Strategy {
        state()
    }
}

impl Arbitrary for Event {
    type Parameters = ();
    type Strategy = BoxedStrategy<Self>;
    fn arbitrary_with(_: ()) -> Self::Strategy {
        (0u8..14, 0usize..3, any::<bool>(), 0u32..3)
            .prop_map(|(what, s, explicit, n)| {
                let mut children = [n; 3];
                let mut ip = n;
                if what < 2 {
                    children[s] = n.saturating_sub(1);
                }
                event_of((what, s, explicit, 0), 3, &mut children, &mut ip)
            })
            .boxed()
    }
}
