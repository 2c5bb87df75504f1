//! The pages' handlers: decode, call the state machine or the store, render.

use axum::body::Bytes;
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use serde_json::Value;
use switchboard_model::Timestamp;
use switchboard_model::enums::SetupSessionStatus;
use switchboard_model::filter::{Rule, ToolFilter};
use switchboard_model::id::{IntegrationSetupSessionStepId, ProviderAuthConfigId, ProviderConfigId};
use switchboard_model::objects::{AuthConfigPreview, ConfigPreview};
use switchboard_model::tags;
use switchboard_schema::form::{Form, Refused};
use switchboard_setup::{Completion, Event, SetupState, drive, session_status, transition};
use switchboard_store::{ChildOf, ConfigRecord, NewAuthConfig, Progress, StoreError};
use switchboard_toolset::{Access, Capability, Chain, CompiledFilter, Level, decide};

use super::pages::{self, Action, Choices, FormView, Link, OAuthButton, OptionView, StepPage, ToolView, ToolsView};
use super::view::{self, Stage};
use super::{Opened, Secret, St, StepPath, field, form_pairs, form_token, open, page_url, see_other, token_ok};
use crate::AppState;
use crate::seal::aad;

type Page = Result<Response, Response>;

/// `GET /integration-setup-session/{id}`
pub(crate) async fn overview(st: St, path: Result<axum::extract::Path<String>, axum::extract::rejection::PathRejection>, q: Secret) -> Response {
    let s = st.0;
    let Ok(path) = path else { return super::not_found() };
    let o = match open(&s, &path.0, &q).await {
        Ok(o) => o,
        Err(r) => return r,
    };
    let now = s.now();
    let state = &o.state;
    let (status, words) = view::session_words(state, now);
    let pending = status == "pending";
    let steps = state
        .steps
        .iter()
        .map(|step| {
            let (st_name, st_words, next) = view::step_words(state, step, now);
            let url = page_url(state, &o.secret, Some(&step.id));
            let label = match st_name {
                "failed" | "expired" => "Try again",
                "completed" => "Review tools",
                _ => "Connect",
            };
            pages::StepLine {
                provider: step.integration_provider.provider.name.clone(),
                initial: view::initial(&step.integration_provider.provider.name),
                status: st_name,
                status_words: st_words,
                next: next.to_owned(),
                action: (pending && step.instance_provider.is_none()).then(|| Action {
                    action: url.replacen('?', "/open?", 1),
                    token: form_token(&s, &state.id, &step.id),
                    label: label.to_owned(),
                }),
            }
        })
        .collect();
    pages::html(
        StatusCode::OK,
        &pages::Overview {
            title: format!("{}: connect your accounts", state.name),
            layout: view::layout(state),
            name: state.name.clone(),
            description: state.description.clone(),
            status,
            status_words: words.to_owned(),
            time_left: view::time_left(state, now),
            finish: finish_link(state, now),
            steps,
        },
    )
}

/// The link back to the caller's `redirect_url`, with `setup_session_id`
/// and `status` added to the query it had, once the session is finished.
pub(crate) fn finish_link(state: &SetupState, now: Timestamp) -> Option<Link> {
    let status = session_status(state, now);
    if status == SetupSessionStatus::Pending {
        return None;
    }
    let mut url = url::Url::parse(state.redirect_url.as_deref()?).ok()?;
    url.query_pairs_mut()
        .append_pair("setup_session_id", state.id.as_str())
        .append_pair("status", view::session_words(state, now).0);
    Some(Link {
        href: url.to_string(),
        label: "Continue".to_owned(),
    })
}

/// `GET /integration-setup-session/{id}/steps/{step}`
pub(crate) async fn step_page(st: St, path: StepPath, q: Secret) -> Response {
    let s = st.0;
    let Ok(path) = path else { return super::not_found() };
    let (id, step) = path.0;
    let o = match open(&s, &id, &q).await {
        Ok(o) => o,
        Err(r) => return r,
    };
    let Some(i) = step_index(&o.state, &step) else {
        return super::not_found();
    };
    render_step(&s, &o, i, Vec::new(), None).await.unwrap_or_else(|r| r)
}

fn step_index(state: &SetupState, step: &str) -> Option<usize> {
    let id: IntegrationSetupSessionStepId = step.parse().ok()?;
    state.steps.iter().position(|s| s.id == id)
}

/// Which form a refused post belongs to, with what was refused.
pub(crate) enum Refusal {
    Auth(Refused),
    Config(Refused),
    Tools(String),
}

/// Renders step `i` at its stage, with `notices` and a refused form.
pub(crate) async fn render_step(
    s: &AppState,
    o: &Opened,
    i: usize,
    notices: Vec<String>,
    refusal: Option<Refusal>,
) -> Page {
    let now = s.now();
    let state = &o.state;
    let step = &state.steps[i];
    let catalog = s.catalog();
    let method = view::auth_method(&catalog, step);
    let progress = match &step.child {
        Some(c) => s.store().progress(&c.id).await.map_err(|e| pages::failure(&e))?,
        None => Progress::default(),
    };
    let stage = view::stage(state, step, &progress, method.is_some(), now);
    let provider = step.integration_provider.provider.name.clone();
    let token = form_token(s, &state.id, &step.id);
    let base = page_url(state, &o.secret, Some(&step.id));
    let action = |verb: &str| base.replacen('?', &format!("/{verb}?"), 1);
    let mut page = StepPage {
        title: format!("{provider}: {}", state.name),
        layout: view::layout(state),
        back: page_url(state, &o.secret, None),
        number: i + 1,
        total: state.steps.len(),
        stage_words: stage.words(),
        initial: view::initial(&provider),
        provider: provider.clone(),
        notices,
        oauth: None,
        form: None,
        choices: None,
        tools: None,
        link: None,
    };
    let mut csp_origin = None;
    match stage {
        Stage::Closed => page.notices.push(view::session_words(state, now).1.to_owned()),
        Stage::Configured => {
            page.notices.push(format!("{provider} is connected."));
            page.link = Some(Link {
                href: page.back.clone(),
                label: "Back to all accounts".to_owned(),
            });
        }
        Stage::Start | Stage::Replace => {
            if stage == Stage::Replace {
                page.notices.push("The last attempt did not finish. Start again to connect.".to_owned());
            }
            page.choices = None;
            page.oauth = Some(OAuthButton {
                action: action("open"),
                token: token.clone(),
                explain: format!("Connect {provider} to continue."),
                scopes: Vec::new(),
                label: "Start".to_owned(),
            });
        }
        Stage::Auth => {
            let method = method.ok_or_else(|| pages::failure(&"no auth method"))?;
            let existing = existing_auth(s, o, step).await?;
            if !existing.is_empty() {
                page.choices = Some(Choices {
                    action: action("auth"),
                    token: token.clone(),
                    heading: "Or use an account already connected".to_owned(),
                    options: existing,
                    submit: "Use this account".to_owned(),
                });
            }
            if method.kind.as_str() == "oauth" {
                let creds = catalog.oauth_credentials(&step.integration_provider.snapshot.provider_id);
                match creds {
                    Some(c) => {
                        csp_origin = url::Url::parse(&c.authorization_endpoint)
                            .ok()
                            .map(|u| u.origin().ascii_serialization());
                        page.oauth = Some(OAuthButton {
                            action: action("oauth"),
                            token: token.clone(),
                            explain: format!("You will sign in on {provider}'s own page, then come back here."),
                            scopes: method
                                .scopes
                                .iter()
                                .map(|sc| sc.description.clone().unwrap_or_else(|| sc.scope.clone()))
                                .collect(),
                            label: format!("Sign in with {provider}"),
                        });
                    }
                    None => page
                        .notices
                        .push(format!("{provider} sign-in is not set up on this server; use a connected account.")),
                }
            } else {
                let form = auth_form(method);
                let refused = match &refusal {
                    Some(Refusal::Auth(r)) => Some(r),
                    _ => None,
                };
                page.form = Some(FormView {
                    action: action("auth"),
                    token: token.clone(),
                    heading: method.name.clone(),
                    errors: refused.map(|r| r.errors_of("").map(str::to_owned).collect()).unwrap_or_default(),
                    fields: view::fields(&form, refused),
                    submit: "Save and continue".to_owned(),
                });
            }
        }
        Stage::Config => {
            let existing = existing_configs(s, o, step).await?;
            let version = catalog.current_version(&step.integration_provider.snapshot.provider_id);
            if let Some(schema) = version.and_then(|v| v.config_schema.as_ref()) {
                let form = Form::from_schema_text(schema.schema.get());
                let refused = match &refusal {
                    Some(Refusal::Config(r)) => Some(r),
                    _ => None,
                };
                page.form = Some(FormView {
                    action: action("config"),
                    token: token.clone(),
                    heading: "Settings".to_owned(),
                    errors: refused.map(|r| r.errors_of("").map(str::to_owned).collect()).unwrap_or_default(),
                    fields: view::fields(&form, refused),
                    submit: "Save settings".to_owned(),
                });
            }
            if !existing.is_empty() {
                page.choices = Some(Choices {
                    action: action("config"),
                    token: token.clone(),
                    heading: if page.form.is_some() {
                        "Or use existing settings".to_owned()
                    } else {
                        "Choose settings".to_owned()
                    },
                    options: existing,
                    submit: "Use these settings".to_owned(),
                });
            }
        }
        Stage::Tools | Stage::Confirm => {
            let errors = match refusal {
                Some(Refusal::Tools(e)) => vec![e],
                _ => Vec::new(),
            };
            page.tools = Some(ToolsView {
                action: action("tools"),
                token: token.clone(),
                errors,
                tools: tools_of(s, o, i, &progress).await?,
            });
        }
    }
    let mut r = pages::html(StatusCode::OK, &page);
    if let Some(origin) = csp_origin
        && let Ok(v) = axum::http::HeaderValue::from_str(&super::csp(Some(&origin)))
    {
        r.headers_mut().insert(axum::http::header::CONTENT_SECURITY_POLICY, v);
    }
    Ok(r)
}

/// The form of an auth method's `input_schema` (none: a single token field).
fn auth_form(method: &switchboard_model::objects::AuthMethod) -> Form {
    // Everything typed into an auth form is a credential: never shown again.
    let form = match &method.input_schema {
        Some(schema) => Form::from_schema_text(schema.schema.get()),
        None => Form::from_schema_text(
            r#"{"type": "object", "required": ["token"], "properties": {"token": {"type": "string", "writeOnly": true, "title": "Token"}}}"#,
        ),
    };
    form.secret()
}

async fn existing_auth(s: &AppState, o: &Opened, step: &switchboard_setup::Step) -> Result<Vec<OptionView>, Response> {
    let provider = &step.integration_provider.snapshot.provider_id;
    let catalog = s.catalog();
    let mut out: Vec<OptionView> = catalog
        .catalog()
        .auth_configs
        .iter()
        .filter(|a| &a.provider_id == provider)
        .map(|a| OptionView {
            value: a.id.to_string(),
            label: a.name.clone().unwrap_or_else(|| a.id.to_string()),
            selected: false,
        })
        .collect();
    let stored = s.store().auth_configs_of(&o.tenant, provider).await.map_err(|e| pages::failure(&e))?;
    out.extend(stored.into_iter().map(|a| OptionView {
        value: a.id.to_string(),
        label: a.name,
        selected: false,
    }));
    Ok(out)
}

async fn existing_configs(s: &AppState, o: &Opened, step: &switchboard_setup::Step) -> Result<Vec<OptionView>, Response> {
    let snapshot = &step.integration_provider.snapshot;
    let catalog = s.catalog();
    let mut out: Vec<OptionView> = catalog
        .catalog()
        .configs
        .iter()
        .filter(|c| c.provider_id == snapshot.provider_id && c.deployment_id.as_ref().is_none_or(|d| d == &snapshot.deployment_id))
        .map(|c| OptionView {
            value: c.id.to_string(),
            label: match &c.description {
                Some(d) => format!("{}: {d}", c.name.as_deref().unwrap_or(c.id.as_str())),
                None => c.name.clone().unwrap_or_else(|| c.id.to_string()),
            },
            selected: false,
        })
        .collect();
    let stored = s.store().configs_of(&o.tenant, &snapshot.provider_id).await.map_err(|e| pages::failure(&e))?;
    out.extend(stored.into_iter().map(|c| OptionView {
        value: c.id.to_string(),
        label: c.name,
        selected: false,
    }));
    Ok(out)
}

/// The provider's tools with the toolset's decision for each, given the
/// integration provider's filter, the chosen config's and the auth config's scopes.
async fn tools_of(s: &AppState, o: &Opened, i: usize, progress: &Progress) -> Result<Vec<ToolView>, Response> {
    let step = &o.state.steps[i];
    let snapshot = &step.integration_provider.snapshot;
    let catalog = s.catalog();
    let Some(version) = catalog.current_version(&snapshot.provider_id) else {
        return Ok(Vec::new());
    };
    let mut levels = Vec::new();
    if let Some(f) = &snapshot.tool_filter
        && let Ok(c) = CompiledFilter::compile(f, &[])
    {
        levels.push((Level::IntegrationProvider, c));
    }
    let config = progress.config.as_ref().or(step.child.as_ref().and_then(|c| c.completion.as_ref()?.config.as_ref().map(|c| &c.id)));
    if let Some(c) = config.and_then(|id| catalog.config(id))
        && let Ok(f) = CompiledFilter::compile(&c.tool_filter, &[])
    {
        levels.push((Level::Config, f));
    }
    let chain = Chain::new(levels);
    let access = match &progress.auth_config {
        Some(id) => match catalog.auth_config(id) {
            Some(a) => Access::from_known(None, a.granted_scopes.as_deref(), a.auth_method.as_deref()),
            None => match s.store().auth_config(&o.tenant, id).await.map_err(|e| pages::failure(&e))? {
                Some(r) => Access::from_known(None, r.granted_scopes.as_deref(), Some(&r.auth_method)),
                None => Access::default(),
            },
        },
        None => Access::default(),
    };
    Ok(version
        .tools
        .iter()
        .map(|t| {
            let mut cap = Capability::from_tool(t.tool.clone());
            cap.required_scopes.clone_from(&t.required_scopes);
            cap.auth_methods.clone_from(&t.auth_methods);
            let d = decide(&chain, &access, &cap);
            ToolView {
                key: t.tool.key.clone(),
                name: t.tool.name.clone(),
                description: t.tool.description.clone(),
                allowed: d.is_allowed(),
                why: capitalised(&d.to_string()),
            }
        })
        .collect())
}

fn capitalised(s: &str) -> String {
    let mut c = s.chars();
    c.next().map(|f| f.to_uppercase().chain(c).collect()).unwrap_or_default()
}

/// A POST's session, step and fields, its form token checked.
pub(crate) async fn posted(s: &AppState, path: StepPath, q: Secret, headers: &HeaderMap, body: &Bytes) -> Result<(Opened, usize, Vec<(String, String)>), Response> {
    let (id, step) = path.map_err(|_| super::not_found())?.0;
    let o = open(s, &id, &q).await?;
    let i = step_index(&o.state, &step).ok_or_else(super::not_found)?;
    let pairs = if super::is_form(headers) { form_pairs(body) } else { Vec::new() };
    if !token_ok(s, &o.state.id, &o.state.steps[i].id, field(&pairs, "csrf")) {
        return Err(pages::forbidden_form(Some(Link {
            href: page_url(&o.state, &o.secret, Some(&o.state.steps[i].id)),
            label: "Open the step again".to_owned(),
        })));
    }
    Ok((o, i, pairs))
}

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
        let Some(event) = make(&o.state) else { return Ok(()) };
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
        match s.store().save_setup_session(&o.tenant, &next, o.state.version).await {
            Ok(()) => {
                o.state = next;
                return Ok(());
            }
            Err(StoreError::Conflict { .. }) => {
                match s.store().setup_session_by_id(&o.state.id).await {
                    Ok(Some((_, fresh))) => o.state = fresh,
                    Ok(None) => return Err(super::not_found()),
                    Err(e) => return Err(pages::failure(&e)),
                }
            }
            Err(e) => return Err(pages::failure(&e)),
        }
    }
    Ok(())
}

/// `POST .../steps/{step}/open`: starts the step's child, or replaces a failed or expired one.
pub(crate) async fn open_step(st: St, path: StepPath, q: Secret, headers: HeaderMap, body: Bytes) -> Response {
    let s = st.0;
    let (mut o, i, _) = match posted(&s, path, q, &headers, &body).await {
        Ok(p) => p,
        Err(r) => return r,
    };
    let step_id = o.state.steps[i].id.clone();
    let now = s.now();
    if session_status(&o.state, now) == SetupSessionStatus::Pending {
        let child: switchboard_model::id::ProviderSetupSessionId = match s.new_id(now) {
            Ok(c) => c,
            Err(_) => return pages::failure(&"no id"),
        };
        let made = change(&s, &mut o, |state| {
            let step = state.steps.iter().find(|st| st.id == step_id)?;
            let restart = step.child.as_ref().is_none_or(|c| matches!(c.status, switchboard_setup::ChildStatus::Failed | switchboard_setup::ChildStatus::Expired));
            (restart && step.instance_provider.is_none()).then(|| Event::ChildStarted {
                step: step_id.clone(),
                child: child.clone(),
            })
        })
        .await;
        if let Err(r) = made {
            return r;
        }
    }
    see_other(&page_url(&o.state, &o.secret, Some(&step_id)))
}

/// `POST .../steps/{step}/auth`: an existing auth config, or the auth form.
pub(crate) async fn submit_auth(st: St, path: StepPath, q: Secret, headers: HeaderMap, body: Bytes) -> Response {
    let s = st.0;
    let (o, i, pairs) = match posted(&s, path, q, &headers, &body).await {
        Ok(p) => p,
        Err(r) => return r,
    };
    submit_auth_in(&s, o, i, pairs).await.unwrap_or_else(|r| r)
}

async fn submit_auth_in(s: &AppState, o: Opened, i: usize, pairs: Vec<(String, String)>) -> Page {
    let now = s.now();
    let step = &o.state.steps[i];
    let back = see_other(&page_url(&o.state, &o.secret, Some(&step.id)));
    let catalog = s.catalog();
    let (Some(child), Some(method)) = (step.child.as_ref(), view::auth_method(&catalog, step)) else {
        return Ok(back);
    };
    let progress = s.store().progress(&child.id).await.map_err(|e| pages::failure(&e))?;
    if view::stage(&o.state, step, &progress, true, now) != Stage::Auth {
        return Ok(back);
    }
    let at = ChildOf {
        session: &o.state.id,
        step: &step.id,
        child: &child.id,
    };
    let provider = &step.integration_provider.snapshot.provider_id;
    if let Some(existing) = field(&pairs, "existing") {
        let offered = existing_auth(s, &o, step).await?;
        let Some(id) = existing.parse::<ProviderAuthConfigId>().ok().filter(|_| offered.iter().any(|x| x.value == existing)) else {
            return render_step(s, &o, i, vec!["Choose one of the accounts listed.".to_owned()], None).await;
        };
        s.store().choose_auth_config(&o.tenant, at, &id, None).await.map_err(|e| pages::failure(&e))?;
        return Ok(back);
    }
    if method.kind.as_str() == "oauth" {
        return Ok(back);
    }
    let form = auth_form(method);
    let posted = pairs.iter().filter(|(k, _)| k != "csrf").map(|(k, v)| (k.as_str(), v.as_str()));
    let value = match form.read(s.validator(), posted) {
        Ok(v) => v,
        Err(refused) => return render_step(s, &o, i, Vec::new(), Some(Refusal::Auth(refused))).await,
    };
    let id: ProviderAuthConfigId = s.new_id(now).map_err(|_| pages::failure(&"no id"))?;
    let plain = serde_json::to_vec(&value).unwrap_or_default();
    let sealed = s
        .sealer()
        .seal(&plain, &aad(o.state.id.to_canonical().as_str(), provider.as_str()))
        .map_err(|e| pages::failure(&e))?;
    let new = NewAuthConfig {
        record: switchboard_store::AuthConfigRecord {
            id: id.clone(),
            provider_id: provider.clone(),
            auth_method: method.key.clone(),
            granted_scopes: None,
            name: format!("{} ({})", method.name, o.state.name),
            created_at: now,
        },
        sealed,
    };
    s.store().choose_auth_config(&o.tenant, at, &id, Some(&new)).await.map_err(|e| pages::failure(&e))?;
    Ok(back)
}

/// `POST .../steps/{step}/config`: an existing config, or the config form.
pub(crate) async fn submit_config(st: St, path: StepPath, q: Secret, headers: HeaderMap, body: Bytes) -> Response {
    let s = st.0;
    let (o, i, pairs) = match posted(&s, path, q, &headers, &body).await {
        Ok(p) => p,
        Err(r) => return r,
    };
    submit_config_in(&s, o, i, pairs).await.unwrap_or_else(|r| r)
}

async fn submit_config_in(s: &AppState, mut o: Opened, i: usize, pairs: Vec<(String, String)>) -> Page {
    let now = s.now();
    let step = o.state.steps[i].clone();
    let catalog = s.catalog();
    let Some(child) = step.child.as_ref() else {
        return Ok(see_other(&page_url(&o.state, &o.secret, Some(&step.id))));
    };
    let has_auth = view::auth_method(&catalog, &step).is_some();
    let progress = s.store().progress(&child.id).await.map_err(|e| pages::failure(&e))?;
    if view::stage(&o.state, &step, &progress, has_auth, now) != Stage::Config {
        return Ok(see_other(&page_url(&o.state, &o.secret, Some(&step.id))));
    }
    let at = ChildOf {
        session: &o.state.id,
        step: &step.id,
        child: &child.id,
    };
    let provider = &step.integration_provider.snapshot.provider_id;
    let chosen = if let Some(existing) = field(&pairs, "existing") {
        let offered = existing_configs(s, &o, &step).await?;
        let Some(id) = existing.parse::<ProviderConfigId>().ok().filter(|_| offered.iter().any(|x| x.value == existing)) else {
            return render_step(s, &o, i, vec!["Choose one of the settings listed.".to_owned()], None).await;
        };
        s.store().choose_config(&o.tenant, at, &id, None).await.map_err(|e| pages::failure(&e))?;
        id
    } else {
        let Some(schema) = catalog.current_version(provider).and_then(|v| v.config_schema.as_ref()) else {
            return render_step(s, &o, i, vec!["Choose one of the settings listed.".to_owned()], None).await;
        };
        let form = Form::from_schema_text(schema.schema.get());
        let posted = pairs.iter().filter(|(k, _)| k != "csrf").map(|(k, v)| (k.as_str(), v.as_str()));
        let value: Value = match form.read(s.validator(), posted) {
            Ok(v) => v,
            Err(refused) => return render_step(s, &o, i, Vec::new(), Some(Refusal::Config(refused))).await,
        };
        let id: ProviderConfigId = s.new_id(now).map_err(|_| pages::failure(&"no id"))?;
        let record = ConfigRecord {
            id: id.clone(),
            provider_id: provider.clone(),
            name: format!("Settings for {}", o.state.name),
            value,
            created_at: now,
        };
        s.store().choose_config(&o.tenant, at, &id, Some(&record)).await.map_err(|e| pages::failure(&e))?;
        id
    };
    let _ = chosen;
    // Without tool review the child completes now; with it, the tools page comes next.
    if !o.state.configuration.tool_filters.enabled {
        complete(s, &mut o, i, None).await?;
        return Ok(after_step(&o, now));
    }
    Ok(see_other(&page_url(&o.state, &o.secret, Some(&step.id))))
}

/// `POST .../steps/{step}/tools`: the tools ticked become the instance provider's filter.
pub(crate) async fn submit_tools(st: St, path: StepPath, q: Secret, headers: HeaderMap, body: Bytes) -> Response {
    let s = st.0;
    let (o, i, pairs) = match posted(&s, path, q, &headers, &body).await {
        Ok(p) => p,
        Err(r) => return r,
    };
    submit_tools_in(&s, o, i, pairs).await.unwrap_or_else(|r| r)
}

async fn submit_tools_in(s: &AppState, mut o: Opened, i: usize, pairs: Vec<(String, String)>) -> Page {
    let now = s.now();
    let step = o.state.steps[i].clone();
    let Some(child) = step.child.as_ref() else {
        return Ok(see_other(&page_url(&o.state, &o.secret, Some(&step.id))));
    };
    let progress = s.store().progress(&child.id).await.map_err(|e| pages::failure(&e))?;
    let stage = view::stage(&o.state, &step, &progress, view::auth_method(&s.catalog(), &step).is_some(), now);
    if !matches!(stage, Stage::Tools | Stage::Confirm) {
        return Ok(see_other(&page_url(&o.state, &o.secret, Some(&step.id))));
    }
    let offered = tools_of(s, &o, i, &progress).await?;
    let ticked: Vec<String> = pairs
        .iter()
        .filter(|(k, v)| k == "tool" && offered.iter().any(|t| t.allowed && &t.key == v))
        .map(|(_, v)| v.clone())
        .collect();
    if ticked.is_empty() {
        return render_step(s, &o, i, Vec::new(), Some(Refusal::Tools("Choose at least one tool.".to_owned()))).await;
    }
    let filter = if offered.iter().filter(|t| t.allowed).count() == ticked.len() {
        None
    } else {
        Some(ToolFilter::Filter {
            filters: vec![Rule::ToolKeys { keys: ticked }],
            ignore_parent_filters: false,
        })
    };
    if stage == Stage::Confirm {
        let step_id = step.id.clone();
        change(s, &mut o, |_| Some(Event::ToolsConfirmed { step: step_id.clone() })).await?;
    } else {
        complete(s, &mut o, i, Some(filter.unwrap_or(ToolFilter::AllowAll { ignore_parent_filters: false }))).await?;
    }
    Ok(after_step(&o, now))
}

/// Completes step `i`'s child with what the user chose on the pages.
async fn complete(s: &AppState, o: &mut Opened, i: usize, tool_filter: Option<ToolFilter>) -> Result<(), Response> {
    let step = o.state.steps[i].clone();
    let Some(child) = step.child.clone() else { return Ok(()) };
    let progress = s.store().progress(&child.id).await.map_err(|e| pages::failure(&e))?;
    let catalog = s.catalog();
    let auth_config = match &progress.auth_config {
        Some(id) => match catalog.auth_config(id) {
            Some(a) => Some(a.preview()),
            None => s.store().auth_config(&o.tenant, id).await.map_err(|e| pages::failure(&e))?.map(|r| AuthConfigPreview {
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

/// Where the user goes after a step: the caller's `redirect_url` once the
/// session is successful, else the overview.
fn after_step(o: &Opened, now: Timestamp) -> Response {
    match finish_link(&o.state, now) {
        Some(link) if session_status(&o.state, now) == SetupSessionStatus::Successful => see_other(&link.href),
        _ => see_other(&page_url(&o.state, &o.secret, None)),
    }
}
