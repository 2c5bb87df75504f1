//! Create, the one transition function, and the statuses derived at any `now`.

use switchboard_model::Timestamp;
use switchboard_model::enums::{IntegrationInstanceStatus, SetupSessionStatus, SetupStepStatus};
use switchboard_model::filter::ToolFilter;
use switchboard_model::id::{
    IdGenerator, IntegrationInstanceId, IntegrationSetupSessionId, IntegrationSetupSessionStepId,
};
use switchboard_model::request::CreateIntegrationSetupSession;

use crate::state::*;

/// Default lifetime of a session: 30 minutes.
pub const DEFAULT_LIFETIME_MILLIS: i64 = 30 * 60 * 1000;

/// Settings of [`create`].
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Policy {
    /// The latest `expires_at` allowed, as milliseconds after `now`; none by default.
    pub max_lifetime_millis: Option<i64>,
}

/// The ids a new session needs. The caller supplies them, or the randomness
/// for [`NewIds::generate`] (no randomness here).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewIds {
    /// The session.
    pub session: IntegrationSetupSessionId,
    /// The draft instance.
    pub instance: IntegrationInstanceId,
    /// One per active integration provider, in creation order.
    pub steps: Vec<IntegrationSetupSessionStepId>,
}

impl NewIds {
    /// Ids for a session over `providers` (one step per active one), made at
    /// `now` by one monotonic [`IdGenerator`], so they sort in creation order
    /// whatever `random` returns.
    ///
    /// ```
    /// use switchboard_model::Timestamp;
    /// use switchboard_setup::NewIds;
    ///
    /// let now: Timestamp = "2026-01-01T00:00:00.000Z".parse()?;
    /// let mut seed = 7u128;
    /// let ids = NewIds::generate(3, now, || { seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1); seed })?;
    /// assert_eq!(ids.steps.len(), 3);
    /// assert!(ids.steps.windows(2).all(|w| w[0] < w[1]));
    /// Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn generate(
        steps: usize,
        now: Timestamp,
        mut random: impl FnMut() -> u128,
    ) -> Result<NewIds, switchboard_model::Error> {
        let mut ids = IdGenerator::new();
        Ok(NewIds {
            session: ids.next(now, random())?,
            instance: ids.next(now, random())?,
            steps: (0..steps)
                .map(|_| ids.next(now, random()))
                .collect::<Result<_, _>>()?,
        })
    }

    /// [`NewIds::generate`] with one step per active provider of `providers`.
    pub fn for_providers(
        providers: &[IntegrationProviderInfo],
        now: Timestamp,
        random: impl FnMut() -> u128,
    ) -> Result<NewIds, switchboard_model::Error> {
        NewIds::generate(providers.iter().filter(|p| p.active).count(), now, random)
    }
}

/// Creates a session (contract §4.1): validates, normalises the configuration,
/// builds one step per active provider in creation order, and returns the
/// `created` record and a `start_child` effect per step.
pub fn create(
    body: &CreateIntegrationSetupSession,
    rules: IntegrationRules,
    providers: &[IntegrationProviderInfo],
    ids: NewIds,
    now: Timestamp,
    policy: Policy,
) -> Result<(SetupState, Vec<Effect>), Error> {
    if !rules.active {
        return Err(Error::IntegrationInactive(body.integration_id.clone()));
    }
    let mut active: Vec<&IntegrationProviderInfo> = providers.iter().filter(|p| p.active).collect();
    if active.is_empty() {
        return Err(Error::NoProviders(body.integration_id.clone()));
    }
    active.sort_by(|a, b| (a.created_at, &a.id).cmp(&(b.created_at, &b.id)));
    let expires_at = match body.expires_at {
        Some(t) if t <= now => return Err(Error::ExpiryInPast { expires_at: t, now }),
        Some(t) => t,
        None => now
            .checked_add_millis(DEFAULT_LIFETIME_MILLIS)
            .ok_or(Error::ExpiryOverflow { now })?,
    };
    if let Some(limit) = policy.max_lifetime_millis.and_then(|m| now.checked_add_millis(m))
        && expires_at > limit
    {
        return Err(Error::ExpiryTooLate { expires_at, limit });
    }
    if ids.steps.len() != active.len() {
        return Err(Error::StepIds {
            given: ids.steps.len(),
            needed: active.len(),
        });
    }
    let mut configuration = body.configuration.clone().unwrap_or_default();
    configuration.tool_filters.enabled &= rules.custom_tool_filters;
    let steps: Vec<Step> = active
        .into_iter()
        .zip(ids.steps)
        .enumerate()
        .map(|(i, (p, id))| Step {
            id,
            index: i as u32,
            integration_provider: p.clone(),
            child: None,
            tools_confirmed: false,
            instance_provider: None,
            created_at: now,
            updated_at: now,
        })
        .collect();
    let mut effects = vec![Effect::Record {
        event: Recorded::Created,
    }];
    effects.extend(steps.iter().map(|s| Effect::StartChild {
        step: s.id.clone(),
        expires_at,
    }));
    let state = SetupState {
        version: 1,
        id: ids.session,
        name: body.name.as_str().to_owned(),
        description: body.description.clone(),
        metadata: body.metadata.clone(),
        private_metadata: body.private_metadata.clone(),
        configuration,
        redirect_url: body.redirect_url.clone(),
        integration_id: body.integration_id.clone(),
        rules,
        instance_id: ids.instance,
        identity_actor_id: body.identity_actor_id.clone(),
        identity_id: body.identity_id.clone(),
        steps,
        ended: None,
        expiry_recorded: false,
        completion_recorded: false,
        created_at: now,
        updated_at: now,
        expires_at,
    };
    Ok((state, effects))
}

/// The session status at `now`: `expired` as soon as `expires_at <= now`
/// while pending, even if nothing was stored.
pub fn session_status(state: &SetupState, now: Timestamp) -> SetupSessionStatus {
    match state.ended {
        Some(Ended::Deleted) => SetupSessionStatus::Deleted,
        Some(Ended::Archived) => SetupSessionStatus::Archived,
        None if all_configured(state) => SetupSessionStatus::Successful,
        None if now >= state.expires_at => SetupSessionStatus::Expired,
        None => SetupSessionStatus::Pending,
    }
}

fn all_configured(state: &SetupState) -> bool {
    !state.steps.is_empty() && state.steps.iter().all(|s| s.instance_provider.is_some())
}

/// A step's status at `now` (contract §4.3).
pub fn step_status(state: &SetupState, step: &Step, now: Timestamp) -> SetupStepStatus {
    match state.ended {
        Some(Ended::Deleted) => return SetupStepStatus::Deleted,
        Some(Ended::Archived) if step.instance_provider.is_none() => return SetupStepStatus::Archived,
        _ => {}
    }
    if step.instance_provider.is_some() {
        return SetupStepStatus::Configured;
    }
    match &step.child {
        None if now >= state.expires_at => SetupStepStatus::Expired,
        None => SetupStepStatus::Pending,
        Some(c) => match c.status {
            ChildStatus::Pending if now >= state.expires_at => SetupStepStatus::Expired,
            ChildStatus::Pending => SetupStepStatus::Pending,
            ChildStatus::Completed => SetupStepStatus::Completed,
            ChildStatus::Failed => SetupStepStatus::Failed,
            ChildStatus::Expired => SetupStepStatus::Expired,
        },
    }
}

/// The instance's status: active once every step has its instance provider.
pub fn instance_status(state: &SetupState) -> IntegrationInstanceStatus {
    if all_configured(state) {
        IntegrationInstanceStatus::Active
    } else {
        IntegrationInstanceStatus::Draft
    }
}

/// Applies `event` at `now` to the state at `expected_version`. Returns the
/// new state (version + 1) and the effects, or, for an event already applied
/// (a redelivered webhook), the same state and no effects.
pub fn transition(
    state: &SetupState,
    expected_version: u64,
    event: &Event,
    now: Timestamp,
) -> Result<(SetupState, Vec<Effect>), Error> {
    if expected_version != state.version {
        return Err(Error::Conflict {
            expected: expected_version,
            current: state.version,
        });
    }
    // A late event dated before the last change must not rewrite history (an
    // expired session revived by an earlier `child_completed`, say).
    if now < state.updated_at {
        return Err(Error::OutOfOrder {
            at: now,
            last: state.updated_at,
        });
    }
    let mut next = state.clone();
    let mut effects = Vec::new();
    let status = session_status(state, now);
    let finished = |event: &Event| Error::Finished {
        status: status_name(&status),
        event: event.name(),
    };
    match event {
        Event::Archive => match state.ended {
            Some(Ended::Archived) => return Ok((state.clone(), effects)),
            Some(Ended::Deleted) => return Err(finished(event)),
            None => next.ended = Some(Ended::Archived),
        },
        Event::Delete => match state.ended {
            Some(Ended::Deleted) => return Ok((state.clone(), effects)),
            _ => next.ended = Some(Ended::Deleted),
        },
        Event::Tick => {
            if status != SetupSessionStatus::Expired || state.expiry_recorded {
                return Ok((state.clone(), effects));
            }
            next.expiry_recorded = true;
            effects.push(Effect::Record {
                event: Recorded::Expired,
            });
        }
        step_event => {
            // Every event but `expired` names its step (matched above).
            let Some(step_id) = step_of(step_event) else {
                return Ok((state.clone(), Vec::new()));
            };
            let i = state
                .steps
                .iter()
                .position(|s| &s.id == step_id)
                .ok_or_else(|| Error::UnknownStep(step_id.clone()))?;
            // A redelivered webhook changes nothing.
            if redelivered(&state.steps[i], step_event) {
                return Ok((state.clone(), Vec::new()));
            }
            if status != SetupSessionStatus::Pending {
                return Err(finished(step_event));
            }
            apply_step(state, &mut next, i, step_event, now, &mut effects)?;
            next.steps[i].updated_at = now;
        }
    }
    if !next.completion_recorded && all_configured(&next) && next.ended.is_none() {
        next.completion_recorded = true;
        effects.push(Effect::Record {
            event: Recorded::Completed,
        });
        effects.push(Effect::ActivateInstance {
            instance: next.instance_id.clone(),
        });
    }
    next.version += 1;
    next.updated_at = now;
    Ok((next, effects))
}

fn status_name(s: &SetupSessionStatus) -> &'static str {
    match s {
        SetupSessionStatus::Pending => "pending",
        SetupSessionStatus::Successful => "successful",
        SetupSessionStatus::Expired => "expired",
        SetupSessionStatus::Archived => "archived",
        SetupSessionStatus::Deleted => "deleted",
        SetupSessionStatus::Other(_) => "finished",
    }
}

/// The step an event is about; `None` for session-level events.
fn step_of(e: &Event) -> Option<&IntegrationSetupSessionStepId> {
    match e {
        Event::ChildStarted { step, .. }
        | Event::ChildCompleted { step, .. }
        | Event::ChildFailed { step, .. }
        | Event::ChildExpired { step, .. }
        | Event::ToolsConfirmed { step }
        | Event::InstanceProviderCreated { step, .. } => Some(step),
        Event::Archive | Event::Delete | Event::Tick => None,
    }
}

/// Whether the event was already applied to the step (a redelivery).
fn redelivered(step: &Step, e: &Event) -> bool {
    let child = step.child.as_ref();
    let same_child = |id| child.is_some_and(|c| &c.id == id);
    match e {
        Event::ChildStarted { child: id, .. } => same_child(id),
        Event::ChildCompleted {
            child: id,
            completion,
            ..
        } => {
            same_child(id)
                && child.is_some_and(|c| {
                    c.status == ChildStatus::Completed && c.completion.as_ref() == Some(completion)
                })
        }
        Event::ChildFailed { child: id, .. } => {
            same_child(id) && child.is_some_and(|c| c.status == ChildStatus::Failed)
        }
        Event::ChildExpired { child: id, .. } => {
            same_child(id) && child.is_some_and(|c| c.status == ChildStatus::Expired)
        }
        Event::ToolsConfirmed { .. } => step.tools_confirmed || step.instance_provider.is_some(),
        Event::InstanceProviderCreated {
            instance_provider, ..
        } => step
            .instance_provider
            .as_ref()
            .is_some_and(|r| &r.id == instance_provider),
        _ => false,
    }
}

fn apply_step(
    state: &SetupState,
    next: &mut SetupState,
    i: usize,
    e: &Event,
    now: Timestamp,
    effects: &mut Vec<Effect>,
) -> Result<(), Error> {
    let step = &state.steps[i];
    let refuse = |why: &str| Error::NotAllowed {
        event: e.name(),
        step: step.id.clone(),
        state: why.to_owned(),
    };
    if step.instance_provider.is_some() {
        return Err(refuse("it is configured"));
    }
    let current = |id| step.child.as_ref().filter(|c| &c.id == id);
    match e {
        Event::ChildStarted { child, .. } => {
            // A first child, or a replacement after failure or expiry.
            if let Some(c) = &step.child
                && !matches!(c.status, ChildStatus::Failed | ChildStatus::Expired)
            {
                return Err(refuse("its child has not failed or expired"));
            }
            next.steps[i].child = Some(Child {
                id: child.clone(),
                status: ChildStatus::Pending,
                completion: None,
            });
            effects.push(Effect::Record {
                event: Recorded::ProviderStarted,
            });
        }
        Event::ChildCompleted {
            child, completion, ..
        } => {
            if current(child).is_none_or(|c| c.status != ChildStatus::Pending) {
                return Err(refuse("that child is not its pending child"));
            }
            if let Some(c) = next.steps[i].child.as_mut() {
                c.status = ChildStatus::Completed;
                c.completion = Some((**completion).clone());
            }
            // With tool review, a user who did not choose explicitly confirms first.
            if !awaits_review(state, completion) {
                ask_instance_provider(state, step, completion, effects);
            }
        }
        Event::ChildFailed { child, .. } | Event::ChildExpired { child, .. } => {
            if current(child).is_none_or(|c| c.status != ChildStatus::Pending) {
                return Err(refuse("that child is not its pending child"));
            }
            if let Some(c) = next.steps[i].child.as_mut() {
                c.status = if matches!(e, Event::ChildFailed { .. }) {
                    ChildStatus::Failed
                } else {
                    ChildStatus::Expired
                };
            }
        }
        Event::ToolsConfirmed { .. } => {
            let Some(completion) = step.child.as_ref().and_then(|c| c.completion.as_ref()) else {
                return Err(refuse("its child has not completed"));
            };
            if !awaits_review(state, completion) {
                return Err(refuse("its tools are not awaiting review"));
            }
            next.steps[i].tools_confirmed = true;
            ask_instance_provider(state, step, completion, effects);
        }
        Event::InstanceProviderCreated {
            instance_provider, ..
        } => {
            let Some(completion) = step.child.as_ref().and_then(|c| c.completion.as_ref()) else {
                return Err(refuse("its child has not completed"));
            };
            if awaits_review(state, completion) && !step.tools_confirmed {
                return Err(refuse("its tools await the user's confirmation"));
            }
            next.steps[i].instance_provider = Some(InstanceProviderRecord {
                id: instance_provider.clone(),
                spec: spec(state, step, completion),
                created_at: now,
            });
        }
        Event::Archive | Event::Delete | Event::Tick => {}
    }
    Ok(())
}

/// With tool review on, a completion the user did not choose explicitly waits for confirmation.
fn awaits_review(state: &SetupState, completion: &Completion) -> bool {
    state.configuration.tool_filters.enabled && !completion.explicit
}

fn ask_instance_provider(
    state: &SetupState,
    step: &Step,
    completion: &Completion,
    effects: &mut Vec<Effect>,
) {
    effects.push(Effect::CreateInstanceProvider {
        step: step.id.clone(),
        spec: Box::new(spec(state, step, completion)),
    });
    effects.push(Effect::Record {
        event: Recorded::ProviderCompleted,
    });
}

/// What the instance provider gets (contract §4.3): the child's config or the
/// integration provider's; the child's auth config; the chosen filter only
/// when custom filters are allowed, its cut-off only when overriding is.
fn spec(state: &SetupState, step: &Step, completion: &Completion) -> InstanceProviderSpec {
    let rules = state.rules;
    let tool_filter = completion
        .tool_filter
        .clone()
        .filter(|_| rules.custom_tool_filters)
        .map(|f| {
            if rules.override_tool_filters {
                f
            } else {
                match f {
                    ToolFilter::AllowAll { .. } => ToolFilter::AllowAll {
                        ignore_parent_filters: false,
                    },
                    ToolFilter::Filter { filters, .. } => ToolFilter::Filter {
                        filters,
                        ignore_parent_filters: false,
                    },
                }
            }
        });
    let is_override_tool_filter = tool_filter
        .as_ref()
        .is_some_and(ToolFilter::ignore_parent_filters);
    InstanceProviderSpec {
        config: completion
            .config
            .clone()
            .or_else(|| step.integration_provider.snapshot.config.clone()),
        auth_config: completion.auth_config.clone(),
        tool_filter,
        is_override_tool_filter,
    }
}
