//! The reference model of the state-machine test: what the contract (§4.3)
//! says of each event, as plain data.

use switchboard::model::Timestamp;
use switchboard::model::enums::{SetupSessionStatus, SetupStepStatus};
use switchboard::model::id::*;
use switchboard::setup::*;

pub const START: i64 = 1_767_261_600_000; // 2026-01-01T10:00:00Z
pub const LIFETIME: i64 = 30 * 60 * 1000;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RChild {
    Pending,
    Completed { explicit: bool },
    Failed,
    Expired,
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct RStep {
    /// Every child, the current one last.
    pub children: Vec<(u32, RChild)>,
    pub confirmed: bool,
    /// The instance provider, by the step number in its id.
    pub configured: Option<usize>,
}

impl RStep {
    pub fn current(&self) -> Option<(u32, RChild)> {
        self.children.last().copied()
    }
}

/// What an event must do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Expect {
    Change,
    NoChange,
    Refused(ErrorKind),
}

/// The reference: what the contract says, without effects or rendering.
#[derive(Debug, Clone)]
pub struct Ref {
    pub now: i64,
    pub review: bool,
    pub steps: Vec<RStep>,
    pub ended: Option<Ended>,
    pub expiry_recorded: bool,
    pub next_child: u32,
    /// The last step event sent, for redelivery.
    pub last_step_event: Option<Event>,
    /// The event of the latest op, and what must come of it.
    pub event: Option<(Event, Expect)>,
}

pub fn t(ms: i64) -> Timestamp {
    Timestamp::from_millis(ms).unwrap()
}

pub fn step_id(i: usize) -> IntegrationSetupSessionStepId {
    format!("isst_{i}").parse().unwrap()
}

pub fn child_id(n: u32) -> ProviderSetupSessionId {
    format!("pas_{n}").parse().unwrap()
}

pub fn provider_id(j: usize) -> IntegrationInstanceProviderId {
    format!("iip_{j}").parse().unwrap()
}

pub fn child_number(id: &ProviderSetupSessionId) -> u32 {
    id.as_str()["pas_".len()..].parse().unwrap()
}

pub fn step_index(id: &IntegrationSetupSessionStepId) -> usize {
    id.as_str()["isst_".len()..].parse().unwrap()
}

impl Ref {
    pub fn status(&self) -> SetupSessionStatus {
        match self.ended {
            Some(Ended::Deleted) => SetupSessionStatus::Deleted,
            Some(Ended::Archived) => SetupSessionStatus::Archived,
            None if self.steps.iter().all(|s| s.configured.is_some()) => SetupSessionStatus::Successful,
            None if self.now >= START + LIFETIME => SetupSessionStatus::Expired,
            None => SetupSessionStatus::Pending,
        }
    }

    pub fn step_status(&self, s: &RStep) -> SetupStepStatus {
        match self.ended {
            Some(Ended::Deleted) => return SetupStepStatus::Deleted,
            Some(Ended::Archived) if s.configured.is_none() => return SetupStepStatus::Archived,
            _ => {}
        }
        if s.configured.is_some() {
            return SetupStepStatus::Configured;
        }
        match s.current() {
            // Pending until a child starts, whatever the session's status.
            None => SetupStepStatus::Pending,
            Some((_, RChild::Pending)) if self.now >= START + LIFETIME => SetupStepStatus::Expired,
            Some((_, RChild::Pending)) => SetupStepStatus::Pending,
            Some((_, RChild::Completed { .. })) => SetupStepStatus::Completed,
            Some((_, RChild::Failed)) => SetupStepStatus::Failed,
            Some((_, RChild::Expired)) => SetupStepStatus::Expired,
        }
    }

    fn awaits_review(&self, s: &RStep) -> bool {
        matches!(s.current(), Some((_, RChild::Completed { explicit: false }))) && self.review
    }

    /// The step that holds child `n`, if any.
    fn child_owner(&self, n: u32) -> Option<usize> {
        self.steps
            .iter()
            .position(|s| s.children.iter().any(|(m, _)| *m == n))
    }

    /// What `e` must do in this state, and the state after it.
    pub fn decide(&mut self, e: &Event) -> Expect {
        use Expect::*;
        let status = self.status();
        match e {
            Event::Archive => match self.ended {
                Some(Ended::Archived) => return NoChange,
                Some(Ended::Deleted) => return Refused(ErrorKind::Finished),
                None => {
                    self.ended = Some(Ended::Archived);
                    return Change;
                }
            },
            Event::Delete => {
                if self.ended == Some(Ended::Deleted) {
                    return NoChange;
                }
                self.ended = Some(Ended::Deleted);
                return Change;
            }
            Event::Tick => {
                if status == SetupSessionStatus::Expired && !self.expiry_recorded {
                    self.expiry_recorded = true;
                    return Change;
                }
                return NoChange;
            }
            _ => {}
        }
        // Every other event names its step.
        let Some(step) = e.step().map(step_index) else {
            return NoChange;
        };
        let s = self.steps[step].clone();
        let current = s.current();
        let is_current = |c: &ProviderSetupSessionId| current.is_some_and(|(n, _)| n == child_number(c));
        // A redelivery changes nothing, whatever the session's status.
        let redelivered = match e {
            Event::ChildStarted { child, .. } => s.children.iter().any(|(n, _)| *n == child_number(child)),
            Event::ChildCompleted {
                child, completion, ..
            } => {
                is_current(child)
                    && current.map(|c| c.1)
                        == Some(RChild::Completed {
                            explicit: completion.explicit,
                        })
            }
            Event::ChildFailed { child, .. } => {
                (s.children.iter()).any(|&(n, c)| n == child_number(child) && c == RChild::Failed)
            }
            Event::ChildExpired { child, .. } => {
                (s.children.iter()).any(|&(n, c)| n == child_number(child) && c == RChild::Expired)
            }
            Event::ToolsConfirmed { .. } => s.confirmed || s.configured.is_some(),
            Event::InstanceProviderCreated {
                instance_provider, ..
            } => s.configured.is_some_and(|j| provider_id(j) == *instance_provider),
            _ => false,
        };
        if redelivered {
            return NoChange;
        }
        // A finished session takes no step change, but for the instance
        // provider it asked for before it expired.
        let follow_up = matches!(e, Event::InstanceProviderCreated { .. })
            && matches!(current, Some((_, RChild::Completed { .. })))
            && s.configured.is_none()
            && (!self.awaits_review(&s) || s.confirmed);
        if status != SetupSessionStatus::Pending && !(status == SetupSessionStatus::Expired && follow_up) {
            return Refused(ErrorKind::Finished);
        }
        let not_allowed = Refused(ErrorKind::NotAllowed);
        if s.configured.is_some() {
            return not_allowed;
        }
        let review = self.review;
        let me = &mut self.steps[step];
        match e {
            Event::ChildStarted { child, .. } => {
                if matches!(current, Some((_, RChild::Pending | RChild::Completed { .. }))) {
                    return not_allowed;
                }
                let n = child_number(child);
                if self.child_owner(n).is_some_and(|j| j != step) {
                    return Refused(ErrorKind::DuplicateId);
                }
                self.steps[step].children.push((n, RChild::Pending));
            }
            Event::ChildCompleted {
                child, completion, ..
            } => {
                if !is_current(child) || current.map(|c| c.1) != Some(RChild::Pending) {
                    return not_allowed;
                }
                if let Some(last) = me.children.last_mut() {
                    last.1 = RChild::Completed {
                        explicit: completion.explicit,
                    };
                }
            }
            Event::ChildFailed { child, .. } | Event::ChildExpired { child, .. } => {
                if !is_current(child) || current.map(|c| c.1) != Some(RChild::Pending) {
                    return not_allowed;
                }
                if let Some(last) = me.children.last_mut() {
                    last.1 = if matches!(e, Event::ChildFailed { .. }) {
                        RChild::Failed
                    } else {
                        RChild::Expired
                    };
                }
            }
            Event::ToolsConfirmed { .. } => {
                if !matches!(current, Some((_, RChild::Completed { explicit: false }))) || !review {
                    return not_allowed;
                }
                me.confirmed = true;
            }
            Event::InstanceProviderCreated {
                instance_provider, ..
            } => {
                if !matches!(current, Some((_, RChild::Completed { .. }))) {
                    return not_allowed;
                }
                if self.awaits_review(&s) && !s.confirmed {
                    return not_allowed;
                }
                let j: usize = instance_provider.as_str()["iip_".len()..].parse().unwrap();
                if (self.steps.iter().enumerate()).any(|(k, o)| k != step && o.configured == Some(j)) {
                    return Refused(ErrorKind::DuplicateId);
                }
                self.steps[step].configured = Some(j);
            }
            _ => {}
        }
        Change
    }
}
