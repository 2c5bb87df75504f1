//! The pages' GET handlers: decode, read, render.

use axum::http::StatusCode;
use axum::response::Response;
use switchboard_model::Timestamp;
use switchboard_model::enums::SetupSessionStatus;
use switchboard_model::id::IntegrationSetupSessionStepId;
use switchboard_schema::form::{Form, Refused};
use switchboard_setup::{SetupState, session_status};
use switchboard_store::Progress;
use switchboard_toolset::{Access, Capability, Chain, CompiledFilter, Level, decide};

use super::pages::{
    self, Action, Choices, FormView, Link, OAuthButton, OptionView, StepPage, ToolView, ToolsView,
};
use super::view::{self, Stage};
use super::{Opened, Secret, St, StepPath, form_token, open, page_url};
use crate::AppState;

type Page = Result<Response, Response>;
/// `GET /integration-setup-session/{id}`
pub(crate) async fn overview(
    st: St,
    path: Result<axum::extract::Path<String>, axum::extract::rejection::PathRejection>,
    q: Secret,
) -> Response {
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
            refresh: q
                .finished
                .then(|| finish_link(state, now))
                .flatten()
                .filter(|_| status == "successful")
                .map(|l| l.href),
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
    render_step(&s, &o, i, Vec::new(), None)
        .await
        .unwrap_or_else(|r| r)
}

pub(crate) fn step_index(state: &SetupState, step: &str) -> Option<usize> {
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
                page.notices
                    .push("The last attempt did not finish. Start again to connect.".to_owned());
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
                            explain: format!(
                                "You will sign in on {provider}'s own page, then come back here."
                            ),
                            scopes: method
                                .scopes
                                .iter()
                                .map(|sc| sc.description.clone().unwrap_or_else(|| sc.scope.clone()))
                                .collect(),
                            label: format!("Sign in with {provider}"),
                        });
                    }
                    None => page.notices.push(format!(
                        "{provider} sign-in is not set up on this server; use a connected account."
                    )),
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
                    errors: refused
                        .map(|r| r.errors_of("").map(str::to_owned).collect())
                        .unwrap_or_default(),
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
                    errors: refused
                        .map(|r| r.errors_of("").map(str::to_owned).collect())
                        .unwrap_or_default(),
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
        r.headers_mut()
            .insert(axum::http::header::CONTENT_SECURITY_POLICY, v);
    }
    Ok(r)
}

/// The form of an auth method's `input_schema` (none: a single token field).
pub(crate) fn auth_form(method: &switchboard_model::objects::AuthMethod) -> Form {
    // Everything typed into an auth form is a credential: never shown again.
    let form = match &method.input_schema {
        Some(schema) => Form::from_schema_text(schema.schema.get()),
        None => Form::from_schema_text(
            r#"{"type": "object", "required": ["token"], "properties": {"token": {"type": "string", "writeOnly": true, "title": "Token"}}}"#,
        ),
    };
    form.secret()
}

pub(crate) async fn existing_auth(
    s: &AppState,
    o: &Opened,
    step: &switchboard_setup::Step,
) -> Result<Vec<OptionView>, Response> {
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
    let stored = s
        .store()
        .auth_configs_of(&o.tenant, provider)
        .await
        .map_err(|e| pages::failure(&e))?;
    out.extend(stored.into_iter().map(|a| OptionView {
        value: a.id.to_string(),
        label: a.name,
        selected: false,
    }));
    Ok(out)
}

pub(crate) async fn existing_configs(
    s: &AppState,
    o: &Opened,
    step: &switchboard_setup::Step,
) -> Result<Vec<OptionView>, Response> {
    let snapshot = &step.integration_provider.snapshot;
    let catalog = s.catalog();
    let mut out: Vec<OptionView> = catalog
        .catalog()
        .configs
        .iter()
        .filter(|c| {
            c.provider_id == snapshot.provider_id
                && c.deployment_id
                    .as_ref()
                    .is_none_or(|d| d == &snapshot.deployment_id)
        })
        .map(|c| OptionView {
            value: c.id.to_string(),
            label: match &c.description {
                Some(d) => format!("{}: {d}", c.name.as_deref().unwrap_or(c.id.as_str())),
                None => c.name.clone().unwrap_or_else(|| c.id.to_string()),
            },
            selected: false,
        })
        .collect();
    let stored = s
        .store()
        .configs_of(&o.tenant, &snapshot.provider_id)
        .await
        .map_err(|e| pages::failure(&e))?;
    out.extend(stored.into_iter().map(|c| OptionView {
        value: c.id.to_string(),
        label: c.name,
        selected: false,
    }));
    Ok(out)
}

/// The provider's tools with the toolset's decision for each, given the
/// integration provider's filter, the chosen config's and the auth config's scopes.
pub(crate) async fn tools_of(
    s: &AppState,
    o: &Opened,
    i: usize,
    progress: &Progress,
) -> Result<Vec<ToolView>, Response> {
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
    let config = progress.config.as_ref().or(step
        .child
        .as_ref()
        .and_then(|c| c.completion.as_ref()?.config.as_ref().map(|c| &c.id)));
    if let Some(c) = config.and_then(|id| catalog.config(id))
        && let Ok(f) = CompiledFilter::compile(&c.tool_filter, &[])
    {
        levels.push((Level::Config, f));
    }
    let chain = Chain::new(levels);
    let access = match &progress.auth_config {
        Some(id) => match catalog.auth_config(id) {
            Some(a) => Access::from_known(None, a.granted_scopes.as_deref(), a.auth_method.as_deref()),
            None => match s
                .store()
                .auth_config(&o.tenant, id)
                .await
                .map_err(|e| pages::failure(&e))?
            {
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
    c.next()
        .map(|f| f.to_uppercase().chain(c).collect())
        .unwrap_or_default()
}
