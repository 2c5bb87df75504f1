//! The `switchboard` command: the library's functions over JSON.
//!
//! The binary is a thin wrapper over [`run`], so the whole command can be
//! tested in-process. Exit codes: 0 ok; 2 invalid input (the API error body
//! on stdout); 1 anything else (a message on stderr).
//!
//! ```
//! let out = switchboard_cli::run(
//!     ["switchboard", "check", "provider.tools", "-"],
//!     br#"{"object": "provider.tools", "items": []}"#,
//! );
//! assert_eq!(out.code, 0);
//! assert_eq!(out.stdout, "{\n  \"object\": \"provider.tools\",\n  \"items\": []\n}\n");
//! ```

use clap::{Parser, Subcommand};
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
#[derive(Debug, Parser)]
#[command(name = "switchboard", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Decode JSON as KIND and print its canonical encoding.
    #[command(after_help = CHECK_HELP)]
    Check {
        /// What the JSON is: an `object` value, `list:<object>`, or `request:<body>`.
        kind: String,
        /// The JSON file; standard input when absent or `-`.
        file: Option<String>,
        /// Reject keys the kind does not know (request bodies: the service ignores them).
        #[arg(long)]
        strict: bool,
    },
    /// Compute a template's effective tool set from its providers' filters and catalogs.
    #[command(after_help = TOOLS_HELP)]
    Tools {
        /// The input document (see below); standard input when `-`.
        input: String,
        /// Also print every capability's decision and the lint warnings.
        #[arg(long)]
        explain: bool,
        /// How to settle two providers exposing the same name.
        #[arg(long, value_enum, default_value_t = Policy::FirstWins)]
        policy: Policy,
        /// The longest exposed name under `--policy prefix`.
        #[arg(long, default_value_t = switchboard_toolset::CollisionPolicy::DEFAULT_BUDGET)]
        budget: usize,
        /// Keep only each provider's first N capabilities (the live service keeps 100).
        #[arg(long)]
        cap: Option<usize>,
        /// `json` (default), or `table` for people: key, provider, allowed, reason.
        #[arg(long, value_enum, default_value_t = Format::Json)]
        format: Format,
    },
    /// Run a setup session scenario: create, apply a timeline of events, render.
    #[command(after_help = SETUP_HELP)]
    Setup {
        /// The scenario document; standard input when `-`.
        scenario: String,
        /// Show the session as it stood at this time: only earlier events apply.
        #[arg(long)]
        at: Option<String>,
    },
    /// Validate a JSON value against a JSON Schema (bare or in its `json_schema` wrapper).
    #[command(after_help = VALIDATE_HELP)]
    Validate {
        /// The schema file; standard input when `-`.
        schema: String,
        /// The value file; standard input when `-` (not both).
        instance: String,
    },
    /// Decode a list query string into typed parameters (or, with --encode, the reverse).
    #[command(after_help = QUERY_HELP)]
    Query {
        /// `session-templates`, `session-template-providers` or `integration-setup-sessions`.
        resource: String,
        /// The raw query string; with --encode, the JSON form (`-` reads standard input).
        input: String,
        /// Turn the JSON form into a query string as the Node client writes it.
        #[arg(long)]
        encode: bool,
        /// Reject parameters the list does not know (the service ignores them).
        #[arg(long)]
        strict: bool,
    },
}

/// `--format` values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum Format {
    /// JSON on stdout.
    Json,
    /// An aligned table for people.
    Table,
}

/// `--policy` values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum Policy {
    /// The first provider (by template provider id) keeps a name.
    FirstWins,
    /// Every name becomes `provider__key`, within `--budget` bytes.
    Prefix,
    /// A collision is an error listing every one.
    Error,
}

const TOOLS_HELP: &str = "\
Input: one JSON document.
  {\"providers\": [{
     \"name\": \"github\",                              short name, used by --policy prefix
     \"template_provider_id\": \"stp_...\",             providers resolve in id order
     \"filters\": {\"config\": F, \"auth_config\": F, \"deployment\": F, \"template_provider\": F},
     \"auth_method\": \"oauth2\",
     \"granted_scopes\": {\"credentials\": [...], \"auth_config\": [...]},
     \"tools\": [{\"tool\": <provider.tool>, \"callable_id\", \"mcp_name\",
                \"required_scopes\": [[\"repo\", \"public_repo\"]], \"auth_methods\": [\"oauth2\"]}],
     \"prompts\": [\"summarize\"], \"resource_templates\": [\"github://{owner}/{repo}\"]}]}
  F is a tool filter in any shape the API accepts: a rule, a list of rules,
  {\"type\": \"allow_all\"}, {\"type\": \"filter\", \"filters\": [...], \"ignore_parent_filters\": true}.
  Only name, template_provider_id and each tool's `tool` are required.

Output: the `provider.tools` object; with --explain,
  {\"tools\": <provider.tools>, \"decisions\": [{provider, kind, key, name, allowed, reason}], \"warnings\": [...]}

Example:
  switchboard tools examples/template-tools.json --explain
  switchboard tools examples/template-tools.json --explain --format table";

const SETUP_HELP: &str = "\
Scenario: one JSON document.
  {\"base_url\": \"https://setup.example.com\",
   \"integration\": {\"id\": \"int_1\", \"active\": true, \"custom_tool_filters\": true,
                   \"override_tool_filters\": false, \"providers\": [P, ...]},
   \"ids\": {\"session\": \"iss_1\", \"instance\": \"ini_1\", \"steps\": [\"isst_1\", ...]},
   \"create\": <POST /integration-setup-sessions body>,
   \"now\": \"2026-01-01T10:00:00.000Z\",
   \"timeline\": [{\"at\": T, \"event\": {\"type\": \"child_started\", \"step\": \"isst_1\", \"child\": \"pas_1\"}}, ...]}
  P = {\"id\": \"inp_...\", \"active\": true, \"created_at\": T, \"provider\": <provider#preview>,
       \"snapshot\": <integration.provider#snapshot>}; one step id per active provider.
  Event types: child_started, child_completed (+ completion: {config, auth_config,
  tool_filter, explicit}), child_failed, child_expired, tools_confirmed,
  instance_provider_created (+ instance_provider), archive, delete, tick.

Output: {\"session\": <integration.setup_session>, \"created\": [effects], \"timeline\": [{at, event, version, effects}]}

Example:
  switchboard setup examples/setup-scenario.json --at 2026-01-01T10:45:00.000Z";

const VALIDATE_HELP: &str = "\
Prints {\"valid\": true} and exits 0, or the invalid_data error body with every
violation (path, failing keyword as code, message) and exits 2. Remote $refs are
never fetched; the draft comes from $schema (2020-12 when absent).

Example:
  echo '{\"repo\": 7}' | switchboard validate schema.json -";

const QUERY_HELP: &str = "\
Output (and --encode input):
  {\"limit\":20,\"order\":\"asc\",\"after\":null,\"before\":null,\"filters\":{...}}
  `after`/`before` come from whichever of after, before, cursor won; `filters` holds
  the filters given: lists as arrays of strings, date ranges as {\"gt\",\"gte\",\"lt\",\"lte\"}.

Examples:
  switchboard query session-templates 'status[]=active&status[]=archived&limit=5'
  switchboard query integration-setup-sessions 'created_at%5Bgt%5D=2026-01-01T00:00:00.000Z'
  switchboard query --encode session-templates '{\"filters\":{\"status\":[\"active\"]}}'";

const CHECK_HELP: &str = "\
Kinds:
  session.template  session.template.provider  integration.setup_session
  integration.setup_session.step  integration.instance  integration.instance.provider
  provider.tool  provider.tools  error
  list:<any object kind above>
  request:create_session_template  request:update_session_template
  request:create_session_template_provider  request:update_session_template_provider
  request:create_integration_setup_session

Example:
  switchboard check integration.setup_session examples/integration-setup-session.json";

/// Every kind `check` accepts, for the error message.
const OBJECT_KINDS: &[&str] = &[
    "session.template",
    "session.template.provider",
    "integration.setup_session",
    "integration.setup_session.step",
    "integration.instance",
    "integration.instance.provider",
    "provider.tool",
    "provider.tools",
    "error",
];
const REQUEST_KINDS: &[&str] = &[
    "request:create_session_template",
    "request:update_session_template",
    "request:create_session_template_provider",
    "request:update_session_template_provider",
    "request:create_integration_setup_session",
];

/// How a command ended.
enum Failure {
    /// Invalid input: print the error body on stdout, exit 2.
    Invalid(Box<ErrorBody>),
    /// Anything else: print on stderr, exit 1.
    Other(String),
}

/// What a run of the command produced.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outcome {
    /// The exit code: 0 ok, 2 invalid input, 1 anything else.
    pub code: u8,
    /// What goes to standard output.
    pub stdout: String,
    /// What goes to standard error.
    pub stderr: String,
}

/// Runs the command with `args` (the first is the program name) and `stdin`
/// as standard input.
pub fn run<I, T>(args: I, stdin: &[u8]) -> Outcome
where
    I: IntoIterator<Item = T>,
    T: Into<std::ffi::OsString> + Clone,
{
    let cli = match Cli::try_parse_from(args) {
        Ok(cli) => cli,
        Err(e) => {
            let text = e.render().to_string();
            let code = if e.use_stderr() { 1 } else { 0 };
            return if code == 0 {
                Outcome {
                    code,
                    stdout: text,
                    stderr: String::new(),
                }
            } else {
                Outcome {
                    code,
                    stdout: String::new(),
                    stderr: text,
                }
            };
        }
    };
    let result = match cli.command {
        Command::Check { kind, file, strict } => check(&kind, file.as_deref(), strict, stdin),
        Command::Query {
            resource,
            input,
            encode,
            strict,
        } => query(&resource, &input, encode, strict, stdin),
        Command::Tools {
            input,
            explain,
            policy,
            budget,
            cap,
            format,
        } => tools(&input, explain, policy, budget, cap, format, stdin),
        Command::Setup { scenario, at } => setup(&scenario, at.as_deref(), stdin),
        Command::Validate { schema, instance } => validate(&schema, &instance, stdin),
    };
    match result {
        Ok(out) => Outcome {
            code: 0,
            stdout: out + "\n",
            stderr: String::new(),
        },
        Err(Failure::Invalid(body)) => Outcome {
            code: 2,
            stdout: to_json(&body) + "\n",
            stderr: String::new(),
        },
        Err(Failure::Other(msg)) => Outcome {
            code: 1,
            stdout: String::new(),
            stderr: format!("switchboard: {msg}\n"),
        },
    }
}

fn to_json<T: Serialize>(v: &T) -> String {
    // Model types always serialise: their keys are strings and their numbers finite.
    serde_json::to_string_pretty(v).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"))
}

fn read_input(file: Option<&str>, stdin: &[u8]) -> Result<Vec<u8>, Failure> {
    match file {
        None | Some("-") => Ok(stdin.to_vec()),
        Some(path) => std::fs::read(path).map_err(|e| Failure::Other(format!("cannot read {path}: {e}"))),
    }
}

fn recode<T: DeserializeOwned + Serialize>(bytes: &[u8], unknown: UnknownKeys) -> Result<String, Failure> {
    let value: T =
        decode::from_slice_with(bytes, unknown).map_err(|e| Failure::Invalid(Box::new(e.error_body())))?;
    Ok(to_json(&value))
}

fn check(kind: &str, file: Option<&str>, strict: bool, stdin: &[u8]) -> Result<String, Failure> {
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

/// Whether these arguments read standard input (a file argument that is absent or `-`),
/// so the binary reads it only then.
pub fn wants_stdin(args: &[std::ffi::OsString]) -> bool {
    match Cli::try_parse_from(args) {
        Ok(cli) => match cli.command {
            Command::Check { file, .. } => matches!(file.as_deref(), None | Some("-")),
            Command::Query { input, .. }
            | Command::Tools { input, .. }
            | Command::Setup { scenario: input, .. } => input == "-",
            Command::Validate { schema, instance } => schema == "-" || instance == "-",
        },
        Err(_) => false,
    }
}

fn query(resource: &str, input: &str, encode: bool, strict: bool, stdin: &[u8]) -> Result<String, Failure> {
    use switchboard_query::{IntegrationSetupSessions, SessionTemplateProviders, SessionTemplates};
    let input = if input == "-" {
        String::from_utf8(stdin.to_vec())
            .map_err(|_| Failure::Other("standard input is not UTF-8".to_owned()))?
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
fn tools(
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
    let providers = doc
        .to_entries()
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
    let tools = resolution.provider_tools();
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

fn setup(scenario: &str, at: Option<&str>, stdin: &[u8]) -> Result<String, Failure> {
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

fn validate(schema: &str, instance: &str, stdin: &[u8]) -> Result<String, Failure> {
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
fn table<const N: usize>(header: [&str; N], rows: &[[String; N]]) -> String {
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
