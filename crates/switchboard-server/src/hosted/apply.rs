//! Changes through the setup state machine, with the stored version.

use axum::response::Response;
use switchboard_model::filter::ToolFilter;
use switchboard_model::objects::{AuthConfigPreview, ConfigPreview};
use switchboard_model::tags;
use switchboard_setup::{Completion, Event, SetupState, drive, transition};
use switchboard_store::StoreError;

use super::Opened;
use super::pages::{self};
use crate::AppState;

/// Applies the event `make` builds from the stored state (none: nothing to
/// do), carries out its effects, and writes it with the version it was read
/// at; on a conflict (another tab, another replica) reads again, at most three times.
pub(crate) async fn change(
    s: &AppState,
    o: &mut Opened,
    make: impl Fn(&SetupState) -> Option<Event>,
) -> Result<(), Response> {
    for _ in 0..3 {
        let now = s.now();
        let Some(event) = make(&o.state) else {
            return Ok(());
        };
        let (mut next, effects) = match transition(&o.state, o.state.version, &event, now) {
            Ok(t) => t,
            // Not allowed in this state (a double submit, a finished session): the page shows where things are.
            Err(_) => return Ok(()),
        };
        let mut failed = None;
        let random = || {
            s.random().unwrap_or_else(|e| {
                failed = Some(e);
                0
            })
        };
        if drive::settle(&mut next, effects, now, random).is_err() {
            return Ok(());
        }
        if failed.is_some() {
            return Err(pages::failure(&"the random generator failed"));
        }
        match s
            .store()
            .save_setup_session(&o.tenant, &next, o.state.version)
            .await
        {
            Ok(()) => {
                o.state = next;
                return Ok(());
            }
            Err(StoreError::Conflict { .. }) => match s.store().setup_session_by_id(&o.state.id).await {
                Ok(Some((_, fresh))) => o.state = fresh,
                Ok(None) => return Err(super::not_found()),
                Err(e) => return Err(pages::failure(&e)),
            },
            Err(e) => return Err(pages::failure(&e)),
        }
    }
    Ok(())
}

/// Completes step `i`'s child with what the user chose on the pages.
pub(crate) async fn complete(
    s: &AppState,
    o: &mut Opened,
    i: usize,
    tool_filter: Option<ToolFilter>,
) -> Result<(), Response> {
    let step = o.state.steps[i].clone();
    let Some(child) = step.child.clone() else {
        return Ok(());
    };
    let progress = s
        .store()
        .progress(&child.id)
        .await
        .map_err(|e| pages::failure(&e))?;
    let catalog = s.catalog();
    let auth_config = match &progress.auth_config {
        Some(id) => match catalog.auth_config(id) {
            Some(a) => Some(a.preview()),
            None => s
                .store()
                .auth_config(&o.tenant, id)
                .await
                .map_err(|e| pages::failure(&e))?
                .map(|r| AuthConfigPreview {
                    object: tags::AuthConfigPreview,
                    id: r.id,
                    is_default: false,
                    name: Some(r.name),
                    description: None,
                    metadata: None,
                    provider_id: r.provider_id,
                    created_at: r.created_at,
                    updated_at: r.created_at,
                }),
        },
        None => None,
    };
    let config = match &progress.config {
        Some(id) => match catalog.config(id) {
            Some(c) => Some(c.preview()),
            None => s
                .store()
                .configs_of(&o.tenant, &step.integration_provider.snapshot.provider_id)
                .await
                .map_err(|e| pages::failure(&e))?
                .into_iter()
                .find(|c| &c.id == id)
                .map(|r| ConfigPreview {
                    object: tags::ConfigPreview,
                    id: r.id,
                    is_default: false,
                    name: Some(r.name),
                    description: None,
                    metadata: None,
                    provider_id: r.provider_id,
                    created_at: r.created_at,
                    updated_at: r.created_at,
                }),
        },
        None => None,
    };
    let completion = Completion {
        config,
        auth_config,
        tool_filter,
        explicit: true,
    };
    let step_id = step.id.clone();
    change(s, o, |_| {
        Some(Event::ChildCompleted {
            step: step_id.clone(),
            child: child.id.clone(),
            completion: Box::new(completion.clone()),
        })
    })
    .await
}
