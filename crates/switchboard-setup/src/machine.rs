//! Create, the one transition function, and the statuses derived at any `now`.

use switchboard_model::Timestamp;
use switchboard_model::enums::{IntegrationInstanceStatus, SetupSessionStatus, SetupStepStatus};
use switchboard_model::id::{
    IdGenerator, IntegrationInstanceId, IntegrationSetupSessionId, IntegrationSetupSessionStepId,
};
use switchboard_model::request::CreateIntegrationSetupSession;

use crate::error::Error;
use crate::state::*;
use crate::steps::{apply_step, follows_up_before_expiry, redelivered};

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
            replaced: Vec::new(),
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
        ids: crate::index::IdIndex::default(),
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

/// A step's status at `now` (contract §4.3): `pending` until its first child
/// starts, even once the session has expired (the session's own status says
/// that); then its child's, a pending child past the expiry reading `expired`.
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
///
/// This is [`apply`] on a copy; a caller that owns the state and does not
/// need the old one should call [`apply`], whose cost per event does not
/// grow with the number of steps.
pub fn transition(
    state: &SetupState,
    expected_version: u64,
    event: &Event,
    now: Timestamp,
) -> Result<(SetupState, Vec<Effect>), Error> {
    let mut next = state.clone();
    let effects = apply(&mut next, expected_version, event, now)?;
    Ok((next, effects))
}

/// Applies `event` at `now` to `state` in place, if `state` is at
/// `expected_version`: version + 1 and the effects to carry out, or no change
/// and no effects for an event already applied. On an error `state` is left
/// exactly as it was: every check runs before anything changes, and a step
/// event changes a copy of its one step that replaces the original at the end.
pub fn apply(
    state: &mut SetupState,
    expected_version: u64,
    event: &Event,
    now: Timestamp,
) -> Result<Vec<Effect>, Error> {
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
    let mut effects = Vec::new();
    let mut touched = None;
    let status = session_status(state, now);
    let finished = |event: &Event| Error::Finished {
        status: status_name(&status),
        event: event.name(),
    };
    match event {
        Event::Archive => match state.ended {
            Some(Ended::Archived) => return Ok(effects),
            Some(Ended::Deleted) => return Err(finished(event)),
            None => state.ended = Some(Ended::Archived),
        },
        Event::Delete => match state.ended {
            Some(Ended::Deleted) => return Ok(effects),
            _ => state.ended = Some(Ended::Deleted),
        },
        Event::Tick => {
            if status != SetupSessionStatus::Expired || state.expiry_recorded {
                return Ok(effects);
            }
            state.expiry_recorded = true;
            effects.push(Effect::Record {
                event: Recorded::Expired,
            });
        }
        step_event => {
            // Every event but `expired` names its step (matched above).
            let Some(step_id) = step_event.step() else {
                return Ok(effects);
            };
            let i = find_step(state, step_id).ok_or_else(|| Error::UnknownStep(step_id.clone()))?;
            state.ids.refresh(&state.steps, state.version);
            // A redelivered webhook changes nothing (webhooks come at least once).
            if redelivered(state, i, step_event) {
                return Ok(effects);
            }
            // A finished session takes no step changes, but for the follow-up
            // of an effect it asked for before it expired.
            if status != SetupSessionStatus::Pending
                && !(status == SetupSessionStatus::Expired
                    && follows_up_before_expiry(state, &state.steps[i], step_event))
            {
                return Err(finished(step_event));
            }
            // The copy leaves the step's history behind (it only grows):
            // what the event adds to it is appended when the copy lands.
            let history = std::mem::take(&mut state.steps[i].replaced);
            let mut step = state.steps[i].clone();
            state.steps[i].replaced = history;
            apply_step(state, &mut step, i, step_event, now, &mut effects)?;
            step.updated_at = now;
            let added = std::mem::replace(&mut step.replaced, std::mem::take(&mut state.steps[i].replaced));
            step.replaced.extend(added);
            state.steps[i] = step;
            touched = Some(i);
        }
    }
    if !state.completion_recorded && all_configured(state) && state.ended.is_none() {
        state.completion_recorded = true;
        effects.push(Effect::Record {
            event: Recorded::Completed,
        });
        effects.push(Effect::ActivateInstance {
            instance: state.instance_id.clone(),
        });
    }
    state.version += 1;
    state.updated_at = now;
    match touched {
        Some(i) => state.ids.record(&state.steps[i], i, state.version),
        None => state.ids.carry(state.version),
    }
    Ok(effects)
}

/// The index of the step `id`: a binary search first (generated step ids sort
/// in step order, so an event costs the same with 20 steps or 2,000), then a
/// scan for ids that a caller supplied in another order.
fn find_step(state: &SetupState, id: &IntegrationSetupSessionStepId) -> Option<usize> {
    match state.steps.binary_search_by(|s| s.id.cmp(id)) {
        Ok(i) => Some(i),
        Err(_) => state.steps.iter().position(|s| &s.id == id),
    }
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
