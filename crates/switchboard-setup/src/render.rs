//! The state at a given `now` as the model's `integration.setup_session`.

use switchboard_model::enums::ResourceStatus;
use switchboard_model::objects::{
    InstanceProvider, IntegrationInstance, IntegrationSetupSession, SetupSessionStep,
};
use switchboard_model::{Timestamp, tags};

use crate::machine::{instance_status, session_status, step_status};
use crate::secret::ClientSecret;
use crate::state::SetupState;

/// Renders the session as seen at `now`. `base_url` is the hosted page's
/// origin (`https://setup.example.com`); page URLs carry `secret`, which the
/// caller derives ([`ClientSecret::derive`]): the state never holds it.
pub fn render(
    state: &SetupState,
    now: Timestamp,
    base_url: &str,
    secret: &ClientSecret,
) -> IntegrationSetupSession {
    let base = base_url.trim_end_matches('/');
    let secret = secret.as_str();
    let steps = state
        .steps
        .iter()
        .map(|s| SetupSessionStep {
            object: tags::SetupSessionStep,
            id: s.id.clone(),
            index: Some(s.index),
            status: step_status(state, s, now),
            url: format!(
                "{base}/integration-setup-session/{}/steps/{}?client_secret={secret}",
                state.id, s.id
            ),
            integration_provider_id: s.integration_provider.id.clone(),
            provider: s.integration_provider.provider.clone(),
            provider_setup_session_id: s.child.as_ref().map(|c| c.id.clone()),
            integration_instance_provider_id: s.instance_provider.as_ref().map(|r| r.id.clone()),
            created_at: s.created_at,
            updated_at: s.updated_at,
        })
        .collect();
    let providers = state
        .steps
        .iter()
        .filter_map(|s| {
            let r = s.instance_provider.as_ref()?;
            Some(InstanceProvider {
                object: tags::InstanceProvider,
                id: r.id.clone(),
                status: ResourceStatus::Active,
                name: Some(s.integration_provider.provider.name.clone()),
                description: None,
                metadata: None,
                integration_id: state.integration_id.clone(),
                integration_instance_id: state.instance_id.clone(),
                tool_filter: r.spec.tool_filter.clone(),
                is_override_tool_filter: r.spec.is_override_tool_filter,
                provider: s.integration_provider.provider.clone(),
                integration_provider: s.integration_provider.snapshot.clone(),
                config: r.spec.config.clone(),
                auth_config: r.spec.auth_config.clone(),
                created_at: r.created_at,
                updated_at: r.created_at,
                archived_at: None,
            })
        })
        .collect();
    IntegrationSetupSession {
        object: tags::SetupSession,
        id: state.id.clone(),
        status: session_status(state, now),
        url: format!(
            "{base}/integration-setup-session/{}?client_secret={secret}",
            state.id
        ),
        name: Some(state.name.clone()),
        description: state.description.clone(),
        metadata: state.metadata.clone(),
        configuration: Some(state.configuration.clone()),
        redirect_url: state.redirect_url.clone(),
        integration_id: state.integration_id.clone(),
        integration_instance_id: state.instance_id.clone(),
        integration_instance: IntegrationInstance {
            object: tags::IntegrationInstance,
            id: state.instance_id.clone(),
            status: instance_status(state),
            name: Some(state.name.clone()),
            description: state.description.clone(),
            metadata: state.metadata.clone(),
            integration_id: state.integration_id.clone(),
            identity_actor_id: state.identity_actor_id.clone(),
            identity_id: state.identity_id.clone(),
            implementation: None,
            providers,
            created_at: state.created_at,
            updated_at: state.updated_at,
            archived_at: None,
        },
        steps,
        created_at: state.created_at,
        updated_at: state.updated_at,
        expires_at: state.expires_at,
    }
}
