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

mod commands;
mod credential_key;
mod demo;

/// The demo's OAuth provider, for tests: its routes, and the credentials it
/// adds to a catalog's OAuth providers.
#[doc(hidden)]
pub mod demo_oauth {
    pub use crate::demo::{add_credentials, routes};
}
mod help;
mod logs;
mod serve;

use commands::{check, query, setup, tools, validate};
use help::*;
use switchboard_model::ErrorBody;

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
    /// Serve the HTTP API (contract §8) until Ctrl-C or SIGTERM.
    #[command(after_help = serve::SERVE_HELP)]
    Serve(serve::ServeArgs),
    /// Bring a database's schema up to date, once (for replicas started
    /// with `serve --no-migration-lock`).
    #[command(after_help = serve::MIGRATE_HELP)]
    Migrate(serve::MigrateArgs),
    /// Manage API keys.
    Keys {
        /// What to do.
        #[command(subcommand)]
        action: serve::KeysAction,
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
        Command::Serve(args) => serve::serve(&args).map_err(Failure::Other),
        Command::Keys { action } => serve::keys(&action).map_err(Failure::Other),
        Command::Migrate(args) => serve::migrate(&args).map_err(Failure::Other),
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

pub(crate) fn to_json<T: Serialize>(v: &T) -> String {
    // Model types always serialise: their keys are strings and their numbers finite.
    serde_json::to_string_pretty(v).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"))
}

pub(crate) fn read_input(file: Option<&str>, stdin: &[u8]) -> Result<Vec<u8>, Failure> {
    match file {
        None | Some("-") => Ok(stdin.to_vec()),
        Some(path) => std::fs::read(path).map_err(|e| Failure::Other(format!("cannot read {path}: {e}"))),
    }
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
            Command::Serve(_) | Command::Keys { .. } | Command::Migrate(_) => false,
        },
        Err(_) => false,
    }
}
