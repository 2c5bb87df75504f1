//! Integration setup sessions: created with the setup crate, their effects
//! carried out, rendered at the request's `now`.

use axum::extract::{Path, State};
use axum::response::Response;
use switchboard_model::List as Page;
use switchboard_model::id::IntegrationSetupSessionId;
use switchboard_model::request::CreateIntegrationSetupSession;
use switchboard_model::{IntegrationSetupSession, Timestamp};
use switchboard_query::{IntegrationSetupSessions, ListQuery};
use switchboard_setup::secret::ClientSecret;
use switchboard_setup::{NewIds, Policy, SetupState, create, drive, render};

use crate::AppState;
use crate::error::{Failure, json};
use crate::extract::{Auth, Body, path_id};

const ENTITY: &str = "integration.setup_session";

type Answer = Result<Response, Failure>;

fn rendered(s: &AppState, state: &SetupState, now: Timestamp) -> IntegrationSetupSession {
    let secret = ClientSecret::derive(s.server_key(), &state.id);
    render(state, now, s.public_url(), &secret)
}

/// `POST /integration-setup-sessions`
pub(crate) async fn create_session(
    State(s): State<AppState>,
    auth: Auth,
    Body(body): Body<CreateIntegrationSetupSession>,
) -> Answer {
    Ok(json(&s.create_setup_session(&auth.0, &body).await?))
}

impl AppState {
    /// Creates a setup session for `tenant` (contract §4.1): the session
    /// and its steps from the catalog's integration, each step's child
    /// started, stored; returns it as the API renders it.
    pub async fn create_setup_session(
        &self,
        tenant: &switchboard_store::Tenant,
        body: &CreateIntegrationSetupSession,
    ) -> Result<IntegrationSetupSession, Failure> {
        let s = self;
        let now = s.now();
        let catalog = s.catalog();
        let integration = catalog
            .integration(&body.integration_id)
            .ok_or_else(|| Failure::not_found("integration", body.integration_id.as_str()))?;
        let (rules, providers) = drive::integration_providers(integration, &catalog);
        let mut failed = None;
        let mut random = || {
            s.random().unwrap_or_else(|e| {
                failed = Some(e);
                0
            })
        };
        let ids = NewIds::for_providers(&providers, now, &mut random)?;
        let (mut state, effects) = create(body, rules, &providers, ids, now, Policy::default())?;
        drive::settle(&mut state, effects, now, &mut random)?;
        if let Some(e) = failed {
            return Err(e);
        }
        s.store().insert_setup_session(tenant, &state).await?;
        Ok(rendered(s, &state, now))
    }
}

/// `GET /integration-setup-sessions`
pub(crate) async fn list_sessions(
    State(s): State<AppState>,
    auth: Auth,
    q: ListQuery<IntegrationSetupSessions>,
) -> Answer {
    let now = s.now();
    let page = s.store().list_setup_sessions(&auth.0, &q, now).await?;
    let rendered = Page {
        items: page.items.iter().map(|state| rendered(&s, state, now)).collect(),
        pagination: page.pagination,
    };
    Ok(json(&rendered))
}

/// `GET /integration-setup-sessions/{id}`
pub(crate) async fn get_session(State(s): State<AppState>, auth: Auth, Path(id): Path<String>) -> Answer {
    let id: IntegrationSetupSessionId = path_id(&id, ENTITY)?;
    let state = s
        .store()
        .setup_session(&auth.0, &id)
        .await?
        .ok_or_else(|| Failure::not_found(ENTITY, id.as_str()))?;
    Ok(json(&rendered(&s, &state, s.now())))
}
