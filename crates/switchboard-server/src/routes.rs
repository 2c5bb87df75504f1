//! The handlers: decode, call the logic crates and the store, render.

use std::sync::Arc;

use axum::extract::{Path, State};
use axum::response::Response;
use switchboard_model::catalog::CatalogIndex;
use switchboard_model::enums::SessionTemplateStatus;
use switchboard_model::error::PathSegment;
use switchboard_model::id::{SessionTemplateId, SessionTemplateProviderId};
use switchboard_model::request::{
    CreateSessionTemplate, CreateSessionTemplateProvider, TemplateProviderInput, UpdateSessionTemplate,
    UpdateSessionTemplateProvider,
};
use switchboard_model::{SessionTemplate, SessionTemplateProvider, Timestamp};
use switchboard_query::{ListQuery, SessionTemplateProviders, SessionTemplates};
use switchboard_toolset::filter::FilterCache;
use switchboard_toolset::{ResolveOptions, resolve};

use crate::AppState;
use crate::cache::{Cached, template_key};
use crate::error::{Failure, json, json_bytes};
use crate::extract::{Auth, Body, path_id};

const TEMPLATE: &str = "session.template";
const PROVIDER: &str = "session.template.provider";

type Answer = Result<Response, Failure>;

/// Builds the template provider of `entry` for `template`; errors name the
/// entry's fields under `at`.
fn build_provider(
    state: &AppState,
    catalog: &CatalogIndex,
    template: &SessionTemplateId,
    entry: &TemplateProviderInput,
    at: &[PathSegment],
    now: Timestamp,
) -> Result<SessionTemplateProvider, Failure> {
    let resolved = catalog.resolve_entry(entry, at)?;
    check_filter(
        &entry.tool_filters().to_tool_filter(),
        &[at, &["tool_filters".into()]].concat(),
    )?;
    Ok(resolved.into_template_provider(state.new_id(now)?, template.clone(), entry, now))
}

/// A filter is compiled when it is written, with the limits the resolver
/// uses (contract §5.8): a pattern over a size limit is a `400` at its rule
/// now, not on every later read of the tools.
fn check_filter(filter: &switchboard_model::filter::ToolFilter, at: &[PathSegment]) -> Result<(), Failure> {
    switchboard_toolset::CompiledFilter::compile(filter, at)?;
    Ok(())
}

async fn template_or_404(state: &AppState, auth: &Auth, id: &str) -> Result<Arc<Cached>, Failure> {
    let id: SessionTemplateId = path_id(id, TEMPLATE)?;
    let key = template_key(&auth.0, &id);
    if let Some(t) = state.templates().get(&key) {
        // Another replica may have written it since (see `cache`).
        if !state.store().is_shared() {
            return Ok(t);
        }
        let now = match state.revision_checks().check(state.store(), &auth.0, &id).await {
            crate::cache::Checked::Now(now) => now,
            // The batch's query failed: this request's own read says how.
            crate::cache::Checked::Failed => state.store().template_revision(&auth.0, &id).await?,
        };
        if now == Some(t.revision) {
            return Ok(t);
        }
    }
    // Kept only if no write was forgotten since the read began (see `forget`).
    let generation = state.templates().generation();
    let (t, revision) = state
        .store()
        .template_with_revision(&auth.0, &id)
        .await?
        .ok_or_else(|| Failure::not_found(TEMPLATE, id.as_str()))?;
    let t = Arc::new(Cached::new(t, revision));
    state.templates().put_if_unchanged(key, t.clone(), generation);
    Ok(t)
}

/// After a write to a template or one of its providers has committed:
/// forgets the template and counts the write, so a read that overlapped it
/// is not kept; then, over a database other replicas share, waits
/// [`COMMIT_WAIT`](crate::cache::COMMIT_WAIT) before the write is
/// acknowledged, which is what lets their revision checks be shared (see
/// [`RevisionChecks`](crate::cache::RevisionChecks)).
async fn forget(state: &AppState, auth: &Auth, id: &SessionTemplateId) {
    let committed = tokio::time::Instant::now();
    state.templates().forget(&template_key(&auth.0, id));
    if state.store().is_shared() {
        tokio::time::sleep_until(committed + crate::cache::COMMIT_WAIT).await;
    }
}

async fn provider_or_404(
    state: &AppState,
    auth: &Auth,
    id: &str,
) -> Result<SessionTemplateProvider, Failure> {
    let id: SessionTemplateProviderId = path_id(id, PROVIDER)?;
    state
        .store()
        .template_provider(&auth.0, &id)
        .await?
        .filter(|p| p.status != SessionTemplateStatus::Deleted)
        .ok_or_else(|| Failure::not_found(PROVIDER, id.as_str()))
}

/// `GET /session-templates`
pub(crate) async fn list_templates(
    State(s): State<AppState>,
    auth: Auth,
    q: ListQuery<SessionTemplates>,
) -> Answer {
    Ok(json(&s.store().list_templates(&auth.0, &q).await?))
}

/// `POST /session-templates`
pub(crate) async fn create_template(
    State(s): State<AppState>,
    auth: Auth,
    Body(body): Body<CreateSessionTemplate>,
) -> Answer {
    let now = s.now();
    let id: SessionTemplateId = s.new_id(now)?;
    let catalog = s.catalog();
    let providers = body
        .providers
        .iter()
        .enumerate()
        .map(|(i, entry)| build_provider(&s, &catalog, &id, entry, &["providers".into(), i.into()], now))
        .collect::<Result<Vec<_>, _>>()?;
    let template = SessionTemplate::create(id, body, providers, now);
    s.store().insert_template(&auth.0, &template).await?;
    Ok(json(&template))
}

/// `GET /session-templates/{id}`
pub(crate) async fn get_template(State(s): State<AppState>, auth: Auth, Path(id): Path<String>) -> Answer {
    Ok(json_bytes(template_or_404(&s, &auth, &id).await?.json.clone()))
}

/// `PATCH /session-templates/{id}`
pub(crate) async fn update_template(
    State(s): State<AppState>,
    auth: Auth,
    Path(id): Path<String>,
    Body(body): Body<UpdateSessionTemplate>,
) -> Answer {
    let cached = template_or_404(&s, &auth, &id).await?;
    let read = &cached.template;
    let mut t = read.clone();
    t.apply_update(body, s.now())?;
    s.store().update_template(&auth.0, &t, read, &[]).await?;
    forget(&s, &auth, &t.id).await;
    Ok(json(&t))
}

/// `DELETE /session-templates/{id}`: archives the template and its providers.
pub(crate) async fn delete_template(State(s): State<AppState>, auth: Auth, Path(id): Path<String>) -> Answer {
    let cached = template_or_404(&s, &auth, &id).await?;
    let read = &cached.template;
    if read.status == SessionTemplateStatus::Archived {
        return Ok(json(read));
    }
    let mut t = read.clone();
    let archived_providers = t.archive(s.now())?;
    s.store()
        .update_template(&auth.0, &t, read, &archived_providers)
        .await?;
    forget(&s, &auth, &t.id).await;
    Ok(json(&t))
}

/// `GET /session-templates/{id}/tools`
pub(crate) async fn template_tools(State(s): State<AppState>, auth: Auth, Path(id): Path<String>) -> Answer {
    let t = template_or_404(&s, &auth, &id).await?;
    let (catalog, generation) = s.catalog_with_generation();
    let key = crate::cache::tools_key(&auth.0, &t, generation);
    if let Some(answer) = s.tools_cache().get(&key) {
        return Ok(json_bytes(answer));
    }
    let entries = switchboard_toolset::template::entries(&t.template, &catalog, &mut FilterCache::default())?;
    let resolution = resolve(&entries, &ResolveOptions::default())?;
    let answer = axum::body::Bytes::from(
        serde_json::to_vec(&resolution.provider_tools_view()).map_err(|e| Failure::internal(&e))?,
    );
    s.tools_cache().put(key, answer.clone());
    Ok(json_bytes(answer))
}

/// `GET /session-template-providers`
pub(crate) async fn list_providers(
    State(s): State<AppState>,
    auth: Auth,
    q: ListQuery<SessionTemplateProviders>,
) -> Answer {
    Ok(json(&s.store().list_template_providers(&auth.0, &q).await?))
}

/// `POST /session-template-providers`
pub(crate) async fn create_provider(
    State(s): State<AppState>,
    auth: Auth,
    Body(body): Body<CreateSessionTemplateProvider>,
) -> Answer {
    let cached = template_or_404(&s, &auth, body.session_template_id.as_str()).await?;
    let template = &cached.template;
    template.ensure_can_add_providers(1)?;
    let now = s.now();
    let catalog = s.catalog();
    let provider = build_provider(&s, &catalog, &template.id, &body.provider, &[], now)?;
    s.store().insert_template_provider(&auth.0, &provider).await?;
    forget(&s, &auth, &template.id).await;
    Ok(json(&provider))
}

/// `GET /session-template-providers/{id}`
pub(crate) async fn get_provider(State(s): State<AppState>, auth: Auth, Path(id): Path<String>) -> Answer {
    Ok(json(&provider_or_404(&s, &auth, &id).await?))
}

/// `PATCH /session-template-providers/{id}`: only `tool_filters`.
pub(crate) async fn update_provider(
    State(s): State<AppState>,
    auth: Auth,
    Path(id): Path<String>,
    Body(body): Body<UpdateSessionTemplateProvider>,
) -> Answer {
    let read = provider_or_404(&s, &auth, &id).await?;
    let mut p = read.clone();
    p.apply_update(body, s.now())?;
    check_filter(&p.tool_filter, &["tool_filters".into()])?;
    s.store().update_template_provider(&auth.0, &p, &read).await?;
    forget(&s, &auth, &p.session_template_id).await;
    Ok(json(&p))
}

/// `DELETE /session-template-providers/{id}`: archives the provider.
pub(crate) async fn delete_provider(State(s): State<AppState>, auth: Auth, Path(id): Path<String>) -> Answer {
    let read = provider_or_404(&s, &auth, &id).await?;
    let mut p = read.clone();
    if p.status == SessionTemplateStatus::Active {
        p.archive(s.now());
        s.store().update_template_provider(&auth.0, &p, &read).await?;
        forget(&s, &auth, &p.session_template_id).await;
    }
    Ok(json(&p))
}
