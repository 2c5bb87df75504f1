//! The pages' POST handlers: decode, check the form token, change through
//! the store or the state machine, answer with a redirect (or the form again).

use axum::body::Bytes;
use axum::http::HeaderMap;
use axum::response::Response;
use serde_json::Value;
use switchboard_model::Timestamp;
use switchboard_model::enums::SetupSessionStatus;
use switchboard_model::filter::{Rule, ToolFilter};
use switchboard_model::id::{ProviderAuthConfigId, ProviderConfigId};
use switchboard_schema::form::Form;
use switchboard_setup::{Event, session_status};
use switchboard_store::{ChildOf, ConfigRecord, NewAuthConfig};

use super::apply::{change, complete};
use super::flow::{Refusal, auth_form, existing_auth, existing_configs, render_step, step_index, tools_of};
use super::pages::{self, Link, OptionView};
use super::view::{self, Stage};
use super::{Opened, Secret, St, StepPath, field, form_pairs, open, page_url, see_other, token_ok};
use crate::AppState;
use crate::seal::aad;

type Page = Result<Response, Response>;
/// A POST's session, step and fields, its form token checked.
pub(crate) async fn posted(
    s: &AppState,
    path: StepPath,
    q: Secret,
    headers: &HeaderMap,
    body: &Bytes,
) -> Result<(Opened, usize, Vec<(String, String)>), Response> {
    let (id, step) = path.map_err(|_| super::not_found())?.0;
    let o = open(s, &id, &q).await?;
    let i = step_index(&o.state, &step).ok_or_else(super::not_found)?;
    let pairs = if super::is_form(headers) {
        form_pairs(body).ok_or_else(|| {
            pages::message(
                axum::http::StatusCode::PAYLOAD_TOO_LARGE,
                "This form has too many fields",
                &[&format!(
                    "A form may post at most {} fields. Nothing was changed.",
                    super::MAX_FIELDS
                )],
                None,
            )
        })?
    } else {
        Vec::new()
    };
    if !token_ok(s, &o.state.id, &o.state.steps[i].id, field(&pairs, "csrf")) {
        return Err(pages::forbidden_form(Some(Link {
            href: page_url(&o.state, &o.secret, Some(&o.state.steps[i].id)),
            label: "Open the step again".to_owned(),
        })));
    }
    Ok((o, i, pairs))
}

/// `POST .../steps/{step}/open`: starts the step's child, or replaces a failed or expired one.
pub(crate) async fn open_step(
    st: St,
    path: StepPath,
    q: Secret,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
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
            let restart = step.child.as_ref().is_none_or(|c| {
                matches!(
                    c.status,
                    switchboard_setup::ChildStatus::Failed | switchboard_setup::ChildStatus::Expired
                )
            });
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
pub(crate) async fn submit_auth(
    st: St,
    path: StepPath,
    q: Secret,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
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
    let progress = s
        .store()
        .progress(&child.id)
        .await
        .map_err(|e| pages::failure(&e))?;
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
        let Some(id) = offered_id::<ProviderAuthConfigId>(existing, &offered) else {
            return render_step(
                s,
                &o,
                i,
                vec!["Choose one of the accounts listed.".to_owned()],
                None,
            )
            .await;
        };
        s.store()
            .choose_auth_config(&o.tenant, at, &id, None)
            .await
            .map_err(|e| pages::failure(&e))?;
        return Ok(back);
    }
    if method.kind.as_str() == "oauth" {
        return Ok(back);
    }
    let form = auth_form(method);
    let posted = pairs
        .iter()
        .filter(|(k, _)| k != "csrf")
        .map(|(k, v)| (k.as_str(), v.as_str()));
    let value = match form.read(s.validator(), posted) {
        Ok(v) => v,
        Err(refused) => return render_step(s, &o, i, Vec::new(), Some(Refusal::Auth(refused))).await,
    };
    let id: ProviderAuthConfigId = s.new_id(now).map_err(|_| pages::failure(&"no id"))?;
    let plain = serde_json::to_vec(&value).unwrap_or_default();
    let sealed = s
        .sealer()
        .seal(
            &plain,
            &aad(o.state.id.to_canonical().as_str(), provider.as_str()),
        )
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
    s.store()
        .choose_auth_config(&o.tenant, at, &id, Some(&new))
        .await
        .map_err(|e| pages::failure(&e))?;
    Ok(back)
}

/// `POST .../steps/{step}/config`: an existing config, or the config form.
pub(crate) async fn submit_config(
    st: St,
    path: StepPath,
    q: Secret,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
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
    let progress = s
        .store()
        .progress(&child.id)
        .await
        .map_err(|e| pages::failure(&e))?;
    if view::stage(&o.state, &step, &progress, has_auth, now) != Stage::Config {
        return Ok(see_other(&page_url(&o.state, &o.secret, Some(&step.id))));
    }
    let at = ChildOf {
        session: &o.state.id,
        step: &step.id,
        child: &child.id,
    };
    let provider = &step.integration_provider.snapshot.provider_id;
    if let Some(existing) = field(&pairs, "existing") {
        let offered = existing_configs(s, &o, &step).await?;
        let Some(id) = offered_id::<ProviderConfigId>(existing, &offered) else {
            return render_step(
                s,
                &o,
                i,
                vec!["Choose one of the settings listed.".to_owned()],
                None,
            )
            .await;
        };
        s.store()
            .choose_config(&o.tenant, at, &id, None)
            .await
            .map_err(|e| pages::failure(&e))?;
    } else {
        let Some(schema) = catalog
            .current_version(provider)
            .and_then(|v| v.config_schema.as_ref())
        else {
            return render_step(
                s,
                &o,
                i,
                vec!["Choose one of the settings listed.".to_owned()],
                None,
            )
            .await;
        };
        let form = Form::from_schema_text(schema.schema.get());
        let posted = pairs
            .iter()
            .filter(|(k, _)| k != "csrf")
            .map(|(k, v)| (k.as_str(), v.as_str()));
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
        s.store()
            .choose_config(&o.tenant, at, &id, Some(&record))
            .await
            .map_err(|e| pages::failure(&e))?;
    }
    // Without tool review the child completes now; with it, the tools page comes next.
    if !o.state.configuration.tool_filters.enabled {
        complete(s, &mut o, i, None).await?;
        return Ok(after_step(&o, now));
    }
    Ok(see_other(&page_url(&o.state, &o.secret, Some(&step.id))))
}

/// The id an `existing=...` post chose, if it is one of the options offered.
fn offered_id<I: std::str::FromStr>(existing: &str, offered: &[OptionView]) -> Option<I> {
    offered
        .iter()
        .any(|x| x.value == existing)
        .then(|| existing.parse().ok())
        .flatten()
}

/// `POST .../steps/{step}/tools`: the tools ticked become the instance provider's filter.
pub(crate) async fn submit_tools(
    st: St,
    path: StepPath,
    q: Secret,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
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
    let progress = s
        .store()
        .progress(&child.id)
        .await
        .map_err(|e| pages::failure(&e))?;
    let stage = view::stage(
        &o.state,
        &step,
        &progress,
        view::auth_method(&s.catalog(), &step).is_some(),
        now,
    );
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
        return render_step(
            s,
            &o,
            i,
            Vec::new(),
            Some(Refusal::Tools("Choose at least one tool.".to_owned())),
        )
        .await;
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
        change(s, &mut o, |_| {
            Some(Event::ToolsConfirmed {
                step: step_id.clone(),
            })
        })
        .await?;
    } else {
        complete(
            s,
            &mut o,
            i,
            Some(filter.unwrap_or(ToolFilter::AllowAll {
                ignore_parent_filters: false,
            })),
        )
        .await?;
    }
    Ok(after_step(&o, now))
}

/// Where the user goes after a step: the overview, which sends the browser
/// on to the caller's `redirect_url` (with `setup_session_id` and `status`)
/// once the session is successful. A redirect straight from the form's POST
/// would need the caller's origin in the page's `form-action`.
fn after_step(o: &Opened, now: Timestamp) -> Response {
    let overview = page_url(&o.state, &o.secret, None);
    if session_status(&o.state, now) == SetupSessionStatus::Successful && o.state.redirect_url.is_some() {
        see_other(&format!("{overview}&finished=1"))
    } else {
        see_other(&overview)
    }
}
