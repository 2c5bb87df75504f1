//! The `switchboard` command: the library's functions over JSON.
//!
//! Exit codes: 0 ok; 2 invalid input (the API error body on stdout);
//! 1 anything else (a message on stderr).

use std::io::Read;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use serde::Serialize;
use serde::de::DeserializeOwned;
use switchboard_model::decode::{self, UnknownKeys};
use switchboard_model::error::ApiError;
use switchboard_model::objects::{InstanceProvider, SetupSessionStep};
use switchboard_model::request::{
    CreateIntegrationSetupSession, CreateSessionTemplate, CreateSessionTemplateProvider, UpdateSessionTemplate,
    UpdateSessionTemplateProvider,
};
use switchboard_model::{
    ErrorBody, IntegrationInstance, IntegrationSetupSession, List, ProviderTool, ProviderTools, SessionTemplate,
    SessionTemplateProvider,
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
}

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
    Invalid(ErrorBody),
    /// Anything else: print on stderr, exit 1.
    Other(String),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Check { kind, file, strict } => check(&kind, file.as_deref(), strict),
    };
    match result {
        Ok(out) => {
            println!("{out}");
            ExitCode::SUCCESS
        }
        Err(Failure::Invalid(body)) => {
            println!("{}", to_json(&body));
            ExitCode::from(2)
        }
        Err(Failure::Other(msg)) => {
            eprintln!("switchboard: {msg}");
            ExitCode::from(1)
        }
    }
}

fn to_json<T: Serialize>(v: &T) -> String {
    // Model types always serialise: their keys are strings and their numbers finite.
    serde_json::to_string_pretty(v).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"))
}

fn read_input(file: Option<&str>) -> Result<Vec<u8>, Failure> {
    match file {
        None | Some("-") => {
            let mut buf = Vec::new();
            std::io::stdin()
                .read_to_end(&mut buf)
                .map_err(|e| Failure::Other(format!("cannot read standard input: {e}")))?;
            Ok(buf)
        }
        Some(path) => std::fs::read(path).map_err(|e| Failure::Other(format!("cannot read {path}: {e}"))),
    }
}

fn recode<T: DeserializeOwned + Serialize>(bytes: &[u8], unknown: UnknownKeys) -> Result<String, Failure> {
    let value: T = decode::from_slice_with(bytes, unknown).map_err(|e| Failure::Invalid(e.error_body()))?;
    Ok(to_json(&value))
}

fn check(kind: &str, file: Option<&str>, strict: bool) -> Result<String, Failure> {
    let unknown = if strict { UnknownKeys::Reject } else { UnknownKeys::Ignore };
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
            return Err(Failure::Invalid(body));
        }
    };
    let bytes = read_input(file)?;
    recode_fn(&bytes, unknown)
}
