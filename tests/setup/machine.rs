//! State-machine test: random event sequences with random clock jumps, checked
//! after every step against a small reference model.

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
