//! What each page shows, made from the session's state at `now`: the
//! stage a step is at, the overview's lines, a schema form's fields, the
//! tools on review. No I/O here.

use switchboard_model::Timestamp;
use switchboard_model::catalog::CatalogIndex;
use switchboard_model::enums::{SetupSessionStatus, SetupStepStatus};
use switchboard_model::objects::AuthMethod;
use switchboard_schema::form::{Control, Form, Refused};
use switchboard_setup::{ChildStatus, SetupState, Step, session_status, step_status};
use switchboard_store::Progress;

use super::pages::{FieldView, OptionView};

/// Where a step is, for its page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Stage {
    /// The session accepts no change (successful, expired, archived).
    Closed,
    /// The step has its instance provider.
    Configured,
    /// No child has started: opening the step starts one.
    Start,
    /// The child failed or expired: it can be replaced.
    Replace,
    /// Sign in or enter credentials.
    Auth,
    /// Pick or fill in a config.
    Config,
    /// Review the tools (when the session enables it).
    Tools,
    /// The child completed elsewhere and waits for the tools to be confirmed.
    Confirm,
}

impl Stage {
    pub(crate) fn words(self) -> &'static str {
        match self {
            Stage::Closed => "closed",
            Stage::Configured => "done",
            Stage::Start | Stage::Replace => "start",
            Stage::Auth => "sign in",
            Stage::Config => "settings",
            Stage::Tools | Stage::Confirm => "tools",
        }
    }
}

/// The auth method a step's provider signs in with (the integration
/// provider's, else the provider version's first).
pub(crate) fn auth_method<'c>(catalog: &'c CatalogIndex, step: &Step) -> Option<&'c AuthMethod> {
    let snapshot = &step.integration_provider.snapshot;
    let version = catalog.current_version(&snapshot.provider_id)?;
    match &snapshot.auth_method_id {
        Some(id) => version.auth_methods.iter().find(|m| &m.id == id),
        None => version.auth_methods.first(),
    }
}

/// The stage of `step` at `now`, given its child's progress.
pub(crate) fn stage(
    state: &SetupState,
    step: &Step,
    progress: &Progress,
    has_auth: bool,
    now: Timestamp,
) -> Stage {
    if session_status(state, now) != SetupSessionStatus::Pending {
        return if step.instance_provider.is_some() {
            Stage::Configured
        } else {
            Stage::Closed
        };
    }
    if step.instance_provider.is_some() {
        return Stage::Configured;
    }
    let Some(child) = &step.child else {
        return Stage::Start;
    };
    match child.status {
        ChildStatus::Failed | ChildStatus::Expired => Stage::Replace,
        ChildStatus::Completed => Stage::Confirm,
        ChildStatus::Pending if has_auth && progress.auth_config.is_none() => Stage::Auth,
        ChildStatus::Pending if progress.config.is_none() => Stage::Config,
        ChildStatus::Pending => Stage::Tools,
    }
}

/// A step's status in words, and what to do next.
pub(crate) fn step_words(
    state: &SetupState,
    step: &Step,
    now: Timestamp,
) -> (&'static str, &'static str, &'static str) {
    let status = step_status(state, step, now);
    let (word, next) = match status {
        SetupStepStatus::Configured => ("Connected", "Nothing more to do here."),
        SetupStepStatus::Completed => ("Almost done", "Confirm which tools it may use."),
        SetupStepStatus::Failed => ("Failed", "Try again to connect it."),
        SetupStepStatus::Expired => ("Expired", "This step can no longer be completed."),
        SetupStepStatus::Archived => ("Closed", "This setup was closed."),
        SetupStepStatus::Deleted => ("Closed", "This setup was deleted."),
        _ if session_status(state, now) != SetupSessionStatus::Pending => {
            ("Not connected", "This setup has ended.")
        }
        _ => ("Not connected yet", "Sign in and choose its settings."),
    };
    (status.as_str_static(), word, next)
}

trait StaticStr {
    fn as_str_static(&self) -> &'static str;
}

impl StaticStr for SetupStepStatus {
    fn as_str_static(&self) -> &'static str {
        match self {
            SetupStepStatus::Configured => "configured",
            SetupStepStatus::Completed => "completed",
            SetupStepStatus::Failed => "failed",
            SetupStepStatus::Expired => "expired",
            SetupStepStatus::Archived => "archived",
            SetupStepStatus::Deleted => "deleted",
            _ => "pending",
        }
    }
}

/// The session's status for the page: its wire name and a sentence.
pub(crate) fn session_words(state: &SetupState, now: Timestamp) -> (&'static str, &'static str) {
    match session_status(state, now) {
        SetupSessionStatus::Successful => ("successful", "All set: every account is connected."),
        SetupSessionStatus::Expired => ("expired", "This setup link has expired. Ask for a new one."),
        SetupSessionStatus::Archived => ("archived", "This setup was closed by its owner."),
        SetupSessionStatus::Deleted => ("deleted", "This setup was deleted by its owner."),
        _ => ("pending", "Connect each account below."),
    }
}

/// "23 minutes left", while the session is pending.
pub(crate) fn time_left(state: &SetupState, now: Timestamp) -> Option<String> {
    if session_status(state, now) != SetupSessionStatus::Pending {
        return None;
    }
    let minutes = (state.expires_at.as_millis() - now.as_millis()).max(0) / 60_000;
    Some(match minutes {
        0 => "Less than a minute left to finish.".to_owned(),
        1 => "1 minute left to finish.".to_owned(),
        m if m < 120 => format!("{m} minutes left to finish."),
        m => format!("{} hours left to finish.", m / 60),
    })
}

/// A provider's initial, for its badge.
pub(crate) fn initial(name: &str) -> String {
    name.chars()
        .find(|c| c.is_alphanumeric())
        .map_or_else(|| "?".to_owned(), |c| c.to_uppercase().collect())
}

/// The layout class of the session's `configuration.ui.layout`.
pub(crate) fn layout(state: &SetupState) -> &'static str {
    match state.configuration.ui.layout.as_str() {
        "side" => "side",
        "light" => "light",
        _ => "box",
    }
}

/// The fields of `form`, filled with `refused`'s values and errors, else the defaults.
pub(crate) fn fields(form: &Form, refused: Option<&Refused>) -> Vec<FieldView> {
    form.items()
        .iter()
        .map(|item| {
            let id = format!("f-{}", item.name.replace(['.', ' '], "-"));
            let values: Vec<String> = match refused {
                Some(r) => r.values_of(&item.name).to_vec(),
                None => item.initial.clone(),
            };
            let errors: Vec<String> = refused
                .map(|r| r.errors_of(&item.name).map(str::to_owned).collect())
                .unwrap_or_default();
            let mut described = Vec::new();
            if item.help.is_some() {
                described.push(format!("{id}-help"));
            }
            for i in 1..=errors.len() {
                described.push(format!("{id}-error-{i}"));
            }
            let (kind, options, min, max, step) = match &item.control {
                Control::FieldsetStart => ("fieldset_start", Vec::new(), None, None, None),
                Control::FieldsetEnd => ("fieldset_end", Vec::new(), None, None, None),
                Control::Checkbox => ("checkbox", Vec::new(), None, None, None),
                Control::TextArea | Control::Json => ("textarea", Vec::new(), None, None, None),
                Control::Repeat { .. } => ("repeat", Vec::new(), None, None, None),
                Control::Select { options, .. } => (
                    "select",
                    options
                        .iter()
                        .enumerate()
                        .map(|(i, label)| OptionView {
                            value: i.to_string(),
                            label: label.clone(),
                            selected: values.first().is_some_and(|v| v == &i.to_string()),
                        })
                        .collect(),
                    None,
                    None,
                    None,
                ),
                Control::Number { integer, min, max } => (
                    "input",
                    Vec::new(),
                    min.clone(),
                    max.clone(),
                    Some(if *integer { "1" } else { "any" }),
                ),
                _ => ("input", Vec::new(), None, None, None),
            };
            let mut repeat_values = values.clone();
            if kind == "repeat" {
                repeat_values.push(String::new());
            }
            FieldView {
                id,
                name: item.name.clone(),
                label: item.label.clone(),
                help: item.help.clone(),
                required: item.required,
                kind,
                input_type: item.control.input_type(),
                value: values.first().cloned().unwrap_or_default(),
                checked: values.iter().any(|v| v == "true"),
                values: repeat_values,
                options,
                errors,
                min,
                max,
                step,
                rows: if matches!(item.control, Control::Json) {
                    10
                } else {
                    4
                },
                described: described.join(" "),
            }
        })
        .collect()
}
