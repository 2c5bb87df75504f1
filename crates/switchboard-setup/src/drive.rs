//! Carrying out effects: which follow-up event each effect produces, and the
//! catalog's integration as the providers a session is created over.
//!
//! ```
//! use switchboard_model::catalog::Catalog;
//! use switchboard_model::{decode, Timestamp};
//! use switchboard_setup::{create, drive, NewIds, Policy};
//!
//! let catalog = decode::from_str::<Catalog>(include_str!("../../../examples/catalog.json"))?.index()?;
//! let integration = catalog.integration(&"int_DevTools2mNpQrStU".parse()?).unwrap();
//! let (rules, providers) = drive::integration_providers(integration, &catalog);
//! let now: Timestamp = "2026-06-01T00:00:00.000Z".parse()?;
//! let mut seed = 1u128;
//! let mut random = || { seed = seed.wrapping_mul(0x5851_f42d_4c95_7f2d).wrapping_add(7); seed };
//! let ids = NewIds::for_providers(&providers, now, &mut random)?;
//! let body = decode::from_str(r#"{"integration_id": "int_DevTools2mNpQrStU", "name": "Acme"}"#)?;
//! let (mut state, effects) = create(&body, rules, &providers, ids, now, Policy::default())?;
//! let done = drive::settle(&mut state, effects, now, &mut random)?;
//! // Each step's child provider setup session has started.
//! assert!(state.steps.iter().all(|s| s.child.is_some()));
//! // `created`; then per step: start the child, record `provider_started`.
//! assert_eq!(done.len(), 5);
//! Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use switchboard_model::catalog::{CatalogIndex, Integration};
use switchboard_model::enums::ResourceStatus;
use switchboard_model::id::{
    IntegrationInstanceProviderId, IntegrationProviderVersionId, ProviderSetupSessionId,
};
use switchboard_model::objects::{IntegrationProviderSnapshot, IntegrationProviderVersionRef};
use switchboard_model::{IntegrationRules, Timestamp, tags};

use crate::error::Error;
use crate::machine::apply;
use crate::state::{Effect, Event, IntegrationProviderInfo, SetupState};

/// The event that reports `effect` carried out, with the id it made from
/// `random`; `None` for effects nothing follows (activating the instance,
/// recording an event).
pub fn follow_up(
    effect: &Effect,
    now: Timestamp,
    random: u128,
) -> Result<Option<Event>, switchboard_model::Error> {
    Ok(match effect {
        Effect::StartChild { step, .. } => Some(Event::ChildStarted {
            step: step.clone(),
            child: ProviderSetupSessionId::generate(now, random)?,
        }),
        Effect::CreateInstanceProvider { step, .. } => Some(Event::InstanceProviderCreated {
            step: step.clone(),
            instance_provider: IntegrationInstanceProviderId::generate(now, random)?,
        }),
        Effect::ActivateInstance { .. } | Effect::Record { .. } => None,
    })
}

/// Carries out `effects` on `state` at `now`: each effect's follow-up event
/// is applied in turn (and the effects it yields after it), until none are
/// left. Returns every effect carried out, in order, for the caller to record.
pub fn settle(
    state: &mut SetupState,
    effects: Vec<Effect>,
    now: Timestamp,
    mut random: impl FnMut() -> u128,
) -> Result<Vec<Effect>, Error> {
    let mut queue: std::collections::VecDeque<Effect> = effects.into();
    let mut done = Vec::new();
    // Each follow-up settles one step; a bound keeps a defect from looping.
    let bound = 4 * (state.steps.len() + 4);
    while let Some(effect) = queue.pop_front() {
        if done.len() > bound {
            break;
        }
        let event = follow_up(&effect, now, random())?;
        done.push(effect);
        if let Some(event) = event {
            let version = state.version;
            queue.extend(apply(state, version, &event, now)?);
        }
    }
    Ok(done)
}

/// What a session over `integration` needs: its rules and its providers,
/// each with the snapshot an instance provider embeds (the deployment's
/// default config, the provider's first auth method). Providers the catalog
/// lacks are left out.
pub fn integration_providers(
    integration: &Integration,
    catalog: &CatalogIndex,
) -> (IntegrationRules, Vec<IntegrationProviderInfo>) {
    let rules = IntegrationRules {
        active: true,
        custom_tool_filters: integration.allow_custom_tool_filters,
        override_tool_filters: false,
    };
    let providers = integration
        .providers
        .iter()
        .filter_map(|p| {
            let provider = catalog.provider(&p.provider_id)?.clone();
            let deployment = catalog.deployment(&p.deployment_id);
            let config = deployment
                .and_then(|d| catalog.config_of_deployment(d))
                .map(|c| c.preview());
            let version = catalog.current_version(&p.provider_id);
            // The catalog has no integration provider versions of its own: the
            // integration provider's id names its one version.
            let version_id = format!(
                "{}_{}",
                IntegrationProviderVersionId::PREFIX,
                p.id.as_str().split_once('_')?.1
            );
            let snapshot = IntegrationProviderSnapshot {
                object: tags::IntegrationProviderSnapshot,
                id: p.id.clone(),
                provider_version: IntegrationProviderVersionRef {
                    object: tags::IntegrationProviderVersion,
                    id: version_id.parse().ok()?,
                    index: 1,
                },
                status: ResourceStatus::Active,
                name: Some(provider.name.clone()),
                description: None,
                metadata: None,
                tool_filter: Some(p.tool_filter.clone()),
                provider_id: p.provider_id.clone(),
                deployment_id: p.deployment_id.clone(),
                auth_method_id: version.and_then(|v| v.auth_methods.first()).map(|m| m.id.clone()),
                auth_credentials_id: None,
                config,
                provider: None,
                deployment: None,
                auth_method: None,
                auth_credentials: None,
                created_at: integration.created_at,
                updated_at: integration.updated_at,
                archived_at: None,
            };
            Some(IntegrationProviderInfo {
                id: p.id.clone(),
                active: true,
                created_at: integration.created_at,
                provider,
                snapshot,
            })
        })
        .collect();
    (rules, providers)
}
