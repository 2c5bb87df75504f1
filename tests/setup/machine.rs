//! State-machine test: random event sequences with random clock jumps, checked
//! after every step against a small reference model of the contract (§4.3).
//! The reference makes each event and says what must come of it: a change,
//! no change (a redelivery), or a refusal of one kind.

use proptest::prelude::*;
use proptest_state_machine::{ReferenceStateMachine, StateMachineTest, prop_state_machine};
use switchboard::model::decode;
use switchboard::model::enums::SetupSessionStatus;
use switchboard::model::id::*;
use switchboard::setup::*;

use super::reference::*;

#[derive(Debug, Clone)]
pub enum Op {
    Advance(i64),
    /// Jump to `expires_at` plus this offset (-1, 0 or 1 ms), if that is ahead.
    NearExpiry(i64),
    Start(usize),
    /// Start step `.0` with a child step `.1` already has (or a new one).
    StartTaken(usize, usize),
    Complete(usize, bool),
    Fail(usize),
    ExpireChild(usize),
    /// A failure reported again for the step's first child.
    FailFirst(usize),
    Confirm(usize),
    /// Step `.0`'s instance provider, with the id made for step `.1`.
    Created(usize, usize),
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
                steps: vec![RStep::default(); n],
                ended: None,
                expiry_recorded: false,
                next_child: 1,
                last_step_event: None,
                event: None,
            })
            .boxed()
    }

    fn transitions(state: &Ref) -> BoxedStrategy<Op> {
        let n = state.steps.len();
        prop_oneof![
            2 => (0i64..12 * 60 * 1000).prop_map(Op::Advance),
            1 => (-1i64..=1).prop_map(Op::NearExpiry),
            3 => (0..n).prop_map(Op::Start),
            1 => ((0..n), (0..n)).prop_map(|(i, j)| Op::StartTaken(i, j)),
            3 => ((0..n), any::<bool>()).prop_map(|(i, e)| Op::Complete(i, e)),
            1 => (0..n).prop_map(Op::Fail),
            1 => (0..n).prop_map(Op::ExpireChild),
            1 => (0..n).prop_map(Op::FailFirst),
            1 => (0..n).prop_map(Op::Confirm),
            3 => (0..n).prop_map(|i| Op::Created(i, i)),
            1 => ((0..n), (0..n)).prop_map(|(i, j)| Op::Created(i, j)),
            1 => Just(Op::Redeliver),
            1 => Just(Op::Archive),
            1 => Just(Op::Delete),
            1 => Just(Op::Tick),
        ]
        .boxed()
    }

    fn apply(mut s: Ref, op: &Op) -> Ref {
        let current = |s: &Ref, i: usize| child_id(s.steps[i].current().map_or(0, |c| c.0));
        let event = match *op {
            Op::Advance(d) => {
                s.now += d;
                None
            }
            Op::NearExpiry(d) => {
                s.now = s.now.max(START + LIFETIME + d);
                None
            }
            Op::Start(i) => {
                s.next_child += 1;
                Some(Event::ChildStarted {
                    step: step_id(i),
                    child: child_id(s.next_child - 1),
                })
            }
            Op::StartTaken(i, j) => Some(Event::ChildStarted {
                step: step_id(i),
                child: child_id(s.steps[j].children.first().map_or(999, |c| c.0)),
            }),
            Op::Complete(i, explicit) => Some(Event::ChildCompleted {
                step: step_id(i),
                child: current(&s, i),
                completion: Box::new(Completion {
                    explicit,
                    ..Completion::default()
                }),
            }),
            Op::Fail(i) => Some(Event::ChildFailed {
                step: step_id(i),
                child: current(&s, i),
            }),
            Op::FailFirst(i) => Some(Event::ChildFailed {
                step: step_id(i),
                child: child_id(s.steps[i].children.first().map_or(0, |c| c.0)),
            }),
            Op::ExpireChild(i) => Some(Event::ChildExpired {
                step: step_id(i),
                child: current(&s, i),
            }),
            Op::Confirm(i) => Some(Event::ToolsConfirmed { step: step_id(i) }),
            Op::Created(i, j) => Some(Event::InstanceProviderCreated {
                step: step_id(i),
                instance_provider: provider_id(j),
            }),
            Op::Redeliver => s.last_step_event.clone(),
            Op::Archive => Some(Event::Archive),
            Op::Delete => Some(Event::Delete),
            Op::Tick => Some(Event::Tick),
        };
        s.event = event.map(|e| {
            let expect = s.decide(&e);
            if !matches!(e, Event::Archive | Event::Delete | Event::Tick) {
                s.last_step_event = Some(e.clone());
            }
            (e, expect)
        });
        s
    }
}

pub struct Sut {
    state: SetupState,
    now: i64,
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
        Sut { state, now: START }
    }

    fn apply(mut sut: Sut, r: &Ref, _op: Op) -> Sut {
        sut.now = r.now;
        if let Some((event, expect)) = &r.event {
            let before = sut.state.clone();
            let outcome = transition(&before, before.version, event, t(sut.now));
            match (expect, outcome) {
                (Expect::Change, Ok((next, _))) => {
                    assert_eq!(next.version, before.version + 1, "{event:?}");
                    sut.state = next;
                }
                (Expect::NoChange, Ok((next, effects))) => {
                    assert_eq!(next, before, "{event:?} must change nothing");
                    assert!(effects.is_empty(), "{event:?}");
                }
                (Expect::Refused(kind), Err(e)) => assert_eq!(e.kind(), *kind, "{event:?}: {e}"),
                (expect, outcome) => panic!("{event:?}: expected {expect:?}, got {outcome:?}"),
            }
            // A stale version is always a conflict.
            let stale = transition(&sut.state, sut.state.version + 1, &Event::Tick, t(sut.now));
            assert_eq!(stale.map(|_| ()).unwrap_err().kind(), ErrorKind::Conflict);
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
        // Step indices are 0..n with no gaps.
        assert!(
            sut.state
                .steps
                .iter()
                .enumerate()
                .all(|(i, s)| s.index as usize == i)
        );
        for (s, rs) in sut.state.steps.iter().zip(&r.steps) {
            assert_eq!(
                step_status(&sut.state, s, now),
                r.step_status(rs),
                "step {}",
                s.id
            );
            assert_eq!(
                s.instance_provider.as_ref().map(|p| p.id.clone()),
                rs.configured.map(provider_id)
            );
        }
        // A stored state reads back the same, and goes on the same.
        let stored: SetupState = serde_json::from_str(&serde_json::to_string(&sut.state).unwrap()).unwrap();
        assert_eq!(stored, sut.state);
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
