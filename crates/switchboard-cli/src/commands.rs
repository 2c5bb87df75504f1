//! The subcommands: each reads its input, calls the libraries and renders the result.

use serde::Serialize;
use serde::de::DeserializeOwned;
use switchboard_model::decode::{self, UnknownKeys};
use switchboard_model::error::ApiError;
use switchboard_model::objects::{InstanceProvider, SetupSessionStep};
use switchboard_model::request::{
    CreateIntegrationSetupSession, CreateSessionTemplate, CreateSessionTemplateProvider,
    UpdateSessionTemplate, UpdateSessionTemplateProvider,
};
use switchboard_model::{
    ErrorBody, IntegrationInstance, IntegrationSetupSession, List, ProviderTool, ProviderTools,
    SessionTemplate, SessionTemplateProvider,
};

/// Work with the switchboard domain from the command line.
use crate::help::*;
use crate::{Failure, Format, Policy, read_input, to_json};

fn recode<T: DeserializeOwned + Serialize>(bytes: &[u8], unknown: UnknownKeys) -> Result<String, Failure> {
    let value: T = decode::from_slice_collecting(bytes, unknown)
        .map_err(|e| Failure::Invalid(Box::new(e.error_body())))?;
    Ok(to_json(&value))
}

pub(crate) fn check(kind: &str, file: Option<&str>, strict: bool, stdin: &[u8]) -> Result<String, Failure> {
    let unknown = if strict {
        UnknownKeys::Reject
    } else {
        UnknownKeys::Ignore
    };
    let recode_fn: fn(&[u8], UnknownKeys) -> Result<String, Failure> = match kind {
        "session.template" => recode::<SessionTemplate>,
        "session.template.provider" => recode::<SessionTemplateProvider>,
        "integration.setup_session" => recode::<IntegrationSetupSession>,
        "integration.setup_session.step" => recode::<SetupSessionStep>,
        "integration.instance" => recode::<IntegrationInstance>,
        "integration.instance.provider" => recode::<InstanceProvider>,
        "provider.tool" => recode::<ProviderTool>,
        "provider.tools" => recode::<ProviderTools>,
        "error" => recode::<ErrorBody>,
        "list:session.template" => recode::<List<SessionTemplate>>,
        "list:session.template.provider" => recode::<List<SessionTemplateProvider>>,
        "list:integration.setup_session" => recode::<List<IntegrationSetupSession>>,
        "list:integration.setup_session.step" => recode::<List<SetupSessionStep>>,
        "list:integration.instance" => recode::<List<IntegrationInstance>>,
        "list:integration.instance.provider" => recode::<List<InstanceProvider>>,
        "list:provider.tool" => recode::<List<ProviderTool>>,
        "list:provider.tools" => recode::<List<ProviderTools>>,
        "list:error" => recode::<List<ErrorBody>>,
        "request:create_session_template" => recode::<CreateSessionTemplate>,
        "request:update_session_template" => recode::<UpdateSessionTemplate>,
        "request:create_session_template_provider" => recode::<CreateSessionTemplateProvider>,
        "request:update_session_template_provider" => recode::<UpdateSessionTemplateProvider>,
        "request:create_integration_setup_session" => recode::<CreateIntegrationSetupSession>,
        other => {
            let mut valid: Vec<String> = OBJECT_KINDS.iter().map(|k| (*k).to_owned()).collect();
            valid.extend(OBJECT_KINDS.iter().map(|k| format!("list:{k}")));
            valid.extend(REQUEST_KINDS.iter().map(|k| (*k).to_owned()));
            let body = ErrorBody::bad_request(format!(
                "unknown kind `{other}`, expected one of: {}",
                valid.join(", ")
            ));
            return Err(Failure::Invalid(Box::new(body)));
        }
    };
    let bytes = read_input(file, stdin)?;
    recode_fn(&bytes, unknown)
}

pub(crate) fn query(
    resource: &str,
    input: &str,
    encode: bool,
    strict: bool,
    stdin: &[u8],
) -> Result<String, Failure> {
    use switchboard_query::{IntegrationSetupSessions, SessionTemplateProviders, SessionTemplates};
    let input = if input == "-" {
        String::from_utf8(stdin.to_vec()).map_err(|e| {
            Failure::Invalid(Box::new(ErrorBody::invalid_data(
                "input",
                vec![switchboard_model::error::FieldError::new(
                    "invalid_utf8",
                    format!(
                        "standard input is not UTF-8 (byte {})",
                        e.utf8_error().valid_up_to()
                    ),
                    Vec::new(),
                )],
            )))
        })?
    } else {
        input.to_owned()
    };
    match resource {
        "session-templates" => run_query::<SessionTemplates>(&input, encode, strict),
        "session-template-providers" => run_query::<SessionTemplateProviders>(&input, encode, strict),
        "integration-setup-sessions" => run_query::<IntegrationSetupSessions>(&input, encode, strict),
        other => Err(Failure::Invalid(Box::new(ErrorBody::bad_request(format!(
            "unknown resource `{other}`, expected one of: session-templates, session-template-providers, integration-setup-sessions"
        ))))),
    }
}

fn run_query<R: switchboard_query::Resource>(
    input: &str,
    encode: bool,
    strict: bool,
) -> Result<String, Failure> {
    use switchboard_query::{DecodeOptions, ListQuery, UnknownParams};
    let invalid = |e: switchboard_query::QueryError| Failure::Invalid(Box::new(e.error_body()));
    if encode {
        let json: serde_json::Value =
            decode::from_str(input).map_err(|e| Failure::Invalid(Box::new(e.error_body())))?;
        return Ok(ListQuery::<R>::from_json(&json).map_err(invalid)?.encode());
    }
    let options = DecodeOptions {
        unknown: if strict {
            UnknownParams::Reject
        } else {
            UnknownParams::Ignore
        },
        ..DecodeOptions::default()
    };
    let q = ListQuery::<R>::decode_with(input, &options).map_err(invalid)?;
    Ok(serde_json::to_string(&q).unwrap_or_default())
}

#[allow(clippy::too_many_arguments)]
pub(crate) fn tools(
    input: &str,
    explain: bool,
    policy: Policy,
    budget: usize,
    cap: Option<usize>,
    format: Format,
    stdin: &[u8],
) -> Result<String, Failure> {
    use switchboard_toolset::input::ToolsetInput;
    use switchboard_toolset::{CollisionPolicy, ResolveOptions, lint, resolve};
    let bytes = read_input(Some(input), stdin)?;
    let doc: ToolsetInput =
        decode::from_slice(&bytes).map_err(|e| Failure::Invalid(Box::new(e.error_body())))?;
    // Nothing borrows from the text: free it before the output is built.
    drop(bytes);
    // The document is not needed after this: its tools move into the entries.
    let providers = doc
        .into_entries()
        .map_err(|e| Failure::Invalid(Box::new(e.error_body())))?;
    let options = ResolveOptions {
        policy: match policy {
            Policy::FirstWins => CollisionPolicy::FirstWins,
            Policy::Prefix => CollisionPolicy::Prefix { budget },
            Policy::Error => CollisionPolicy::Error,
        },
        per_provider_cap: cap,
    };
    let resolution = resolve(&providers, &options).map_err(|e| Failure::Invalid(Box::new(e.error_body())))?;
    let tools = resolution.provider_tools_view();
    if format == Format::Table {
        let rows: Vec<[String; 4]> = resolution
            .entries
            .iter()
            .filter(|e| explain || e.decision.is_allowed())
            .map(|e| {
                [
                    e.name.clone(),
                    providers[e.provider].name.clone(),
                    if e.decision.is_allowed() { "yes" } else { "no" }.to_owned(),
                    e.decision.to_string(),
                ]
            })
            .collect();
        return Ok(table(["KEY", "PROVIDER", "ALLOWED", "REASON"], &rows));
    }
    if !explain {
        return Ok(to_json(&tools));
    }
    let decisions: Vec<serde_json::Value> = resolution
        .entries
        .iter()
        .map(|e| {
            let c = &providers[e.provider].capabilities[e.capability];
            let kind = c.kind.as_str();
            serde_json::json!({
                "provider": providers[e.provider].name,
                "kind": kind,
                "key": c.key,
                "name": e.name,
                "allowed": e.decision.is_allowed(),
                "reason": e.decision.to_string(),
            })
        })
        .collect();
    let warnings: Vec<String> = lint(&providers).iter().map(ToString::to_string).collect();
    Ok(to_json(
        &serde_json::json!({"tools": tools, "decisions": decisions, "warnings": warnings}),
    ))
}

pub(crate) fn setup(scenario: &str, at: Option<&str>, stdin: &[u8]) -> Result<String, Failure> {
    use switchboard_model::Timestamp;
    use switchboard_model::error::{FieldError, PathSegment};
    use switchboard_setup::scenario::Scenario;
    let invalid = |body: ErrorBody| Failure::Invalid(Box::new(body));
    let bytes = read_input(Some(scenario), stdin)?;
    let doc: Scenario = decode::from_slice(&bytes).map_err(|e| invalid(e.error_body()))?;
    let at = match at {
        None => None,
        Some(text) => Some(Timestamp::parse(text).map_err(|e| {
            invalid(ErrorBody::invalid_data(
                "arguments",
                vec![FieldError::new(
                    "invalid_date",
                    e.to_string(),
                    vec![PathSegment::from("--at")],
                )],
            ))
        })?),
    };
    let outcome = doc.run_until(at).map_err(|e| invalid(e.error_body()))?;
    let session = doc.render(&outcome, at.unwrap_or(outcome.last_at));
    Ok(to_json(&serde_json::json!({
        "session": session,
        "created": outcome.created,
        "timeline": outcome.applied,
    })))
}

pub(crate) fn validate(schema: &str, instance: &str, stdin: &[u8]) -> Result<String, Failure> {
    if schema == "-" && instance == "-" {
        return Err(Failure::Other(
            "only one of SCHEMA and INSTANCE can be standard input".to_owned(),
        ));
    }
    let read_json = |name: &str| -> Result<serde_json::Value, Failure> {
        let bytes = read_input(Some(name), stdin)?;
        decode::from_slice(&bytes).map_err(|e| Failure::Invalid(Box::new(e.error_body())))
    };
    let (schema, instance) = (read_json(schema)?, read_json(instance)?);
    switchboard_schema::Validator::default()
        .validate(&schema, &instance)
        .map_err(|e| Failure::Invalid(Box::new(e.error_body())))?;
    Ok("{\"valid\": true}".to_owned())
}

/// An aligned plain-text table; the last column is not padded.
/// A cell as the terminal shows it: control characters (a newline that would
/// forge a row, an escape that would drive the terminal) written as `\u{..}`.
fn printable(cell: &str) -> String {
    if !cell.chars().any(char::is_control) {
        return cell.to_owned();
    }
    cell.chars()
        .map(|c| {
            if c.is_control() {
                c.escape_unicode().to_string()
            } else {
                c.to_string()
            }
        })
        .collect()
}

fn table<const N: usize>(header: [&str; N], rows: &[[String; N]]) -> String {
    let rows: Vec<[String; N]> = rows.iter().map(|r| r.each_ref().map(|c| printable(c))).collect();
    let rows = &rows[..];
    let mut widths = header.map(str::len);
    for row in rows {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(cell.chars().count());
        }
    }
    let line = |cells: Vec<&str>| {
        let mut out = String::new();
        for (i, cell) in cells.iter().enumerate() {
            if i + 1 == N {
                out.push_str(cell);
            } else {
                out.push_str(&format!("{cell:<width$}  ", width = widths[i]));
            }
        }
        out.trim_end().to_owned()
    };
    let mut lines = vec![line(header.to_vec())];
    lines.extend(rows.iter().map(|r| line(r.iter().map(String::as_str).collect())));
    lines.join("\n")
}
