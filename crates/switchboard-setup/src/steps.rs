//! The rules of one step: which events apply to it and what they change.

use switchboard_model::Timestamp;
use switchboard_model::filter::ToolFilter;

use crate::error::Error;
use crate::state::*;

/// Whether the event was already applied to step `i` (a redelivery): about
/// its current child, or a child it replaced, in the state it ended in. The
/// id index (current) answers whether the step ever had a child, so only a
/// redelivery about a replaced child reads the step's history.
pub(crate) fn redelivered(state: &SetupState, i: usize, e: &Event) -> bool {
    let step = &state.steps[i];
    let child = step.child.as_ref();
    let same_child = |id| child.is_some_and(|c| &c.id == id);
    let replaced = |id| {
        (state.ids.child(id) == Some(i))
            .then(|| step.replaced.iter().rev().find(|r| &r.id == id).map(|r| r.status))
            .flatten()
    };
    match e {
        Event::ChildStarted { child: id, .. } => state.ids.child(id) == Some(i),
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
        Event::ChildFailed { child: id, .. } if same_child(id) => {
            child.is_some_and(|c| c.status == ChildStatus::Failed)
        }
        Event::ChildFailed { child: id, .. } => replaced(id) == Some(ChildStatus::Failed),
        Event::ChildExpired { child: id, .. } if same_child(id) => {
            child.is_some_and(|c| c.status == ChildStatus::Expired)
        }
        Event::ChildExpired { child: id, .. } => replaced(id) == Some(ChildStatus::Expired),
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

/// Whether `e` is the follow-up of an effect the session asked for before it
/// expired: the instance provider of a step whose child completed (and whose
/// tools were confirmed, where they await review). The work was committed to
/// in time, so it is still taken after the expiry (contract §4.3).
pub(crate) fn follows_up_before_expiry(state: &SetupState, step: &Step, e: &Event) -> bool {
    let Event::InstanceProviderCreated { .. } = e else {
        return false;
    };
    let Some(completion) = step.child.as_ref().and_then(|c| c.completion.as_ref()) else {
        return false;
    };
    step.instance_provider.is_none() && (!awaits_review(state, completion) || step.tools_confirmed)
}

pub(crate) fn apply_step(
    state: &SetupState,
    next: &mut Step,
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
            duplicate(state, i, "child", child.as_str(), state.ids.child(child))?;
            if step.replaced.len() + usize::from(step.child.is_some()) >= MAX_CHILDREN_PER_STEP {
                return Err(refuse(&format!(
                    "it has had {MAX_CHILDREN_PER_STEP} children, the most one step may have"
                )));
            }
            if let Some(old) = next.child.take() {
                next.replaced.push(ReplacedChild {
                    id: old.id,
                    status: old.status,
                });
            }
            next.child = Some(Child {
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
            if let Some(c) = next.child.as_mut() {
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
            if let Some(c) = next.child.as_mut() {
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
            next.tools_confirmed = true;
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
            duplicate(
                state,
                i,
                "instance provider",
                instance_provider.as_str(),
                state.ids.instance_provider(instance_provider),
            )?;
            next.instance_provider = Some(InstanceProviderRecord {
                id: instance_provider.clone(),
                spec: spec(state, step, completion),
                created_at: now,
            });
        }
        Event::Archive | Event::Delete | Event::Tick => {}
    }
    Ok(())
}

/// An id that step `held_by` holds cannot go to step `i` too.
fn duplicate(
    state: &SetupState,
    i: usize,
    what: &'static str,
    id: &str,
    held_by: Option<usize>,
) -> Result<(), Error> {
    match held_by {
        Some(j) if j != i => Err(Error::DuplicateId {
            what,
            id: id.to_owned(),
            step: state.steps[i].id.clone(),
            other: state.steps[j].id.clone(),
        }),
        _ => Ok(()),
    }
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
