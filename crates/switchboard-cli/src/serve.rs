//! `switchboard serve` and `switchboard keys create`: the HTTP API over a
//! store, and the keys that open it.

use std::io::Write;

use switchboard_model::catalog::Catalog;
use switchboard_server::{AppState, Settings, now};
use switchboard_store::{ApiKey, Store};

/// The catalog bundled for `serve --demo`.
const EXAMPLE_CATALOG: &str = include_str!("../../../examples/catalog.json");

pub(crate) const SERVE_HELP: &str = "\
Examples:
  switchboard serve --demo
  switchboard serve --database sqlite://switchboard.db --catalog examples/catalog.json
  switchboard keys create --database sqlite://switchboard.db --instance acme

The address is printed once the server listens. `--demo` runs on an in-memory
database with the bundled catalog and prints a fresh API key with requests to
paste. Logs go to standard error (`RUST_LOG=debug` for more).";

/// `serve` options.
#[derive(Debug, Clone, clap::Args)]
pub(crate) struct ServeArgs {
    /// The address to listen on.
    #[arg(long, default_value = "127.0.0.1:4300")]
    listen: String,
    /// The database (`sqlite://path`, `sqlite::memory:`).
    #[arg(long, default_value = "sqlite://switchboard.db")]
    database: String,
    /// A catalog file to load at start (idempotent).
    #[arg(long)]
    catalog: Option<String>,
    /// The public base URL of this server (for setup-session links).
    #[arg(long)]
    public_url: Option<String>,
    /// In-memory database, the bundled catalog, a fresh key printed with example requests.
    #[arg(long)]
    demo: bool,
    /// Requests per minute per caller (a verified API key, else a client address); 0 turns the limit off.
    #[arg(long, default_value_t = 1200)]
    rate_limit: u32,
    /// Seconds for a request's head to arrive (from the connection's start or the previous answer).
    #[arg(long, default_value = "10", value_parser = seconds)]
    header_read_timeout: std::time::Duration,
    /// Seconds a connection may stay open with no request in flight.
    #[arg(long, default_value = "5", value_parser = seconds)]
    keep_alive_timeout: std::time::Duration,
    /// Connections open at once; more wait to be accepted.
    #[arg(long, default_value_t = 1024, value_parser = clap::value_parser!(u32).range(1..))]
    max_connections: u32,
    /// Seconds requests in flight may take after SIGTERM or Ctrl-C before their connections are cut.
    #[arg(long, default_value = "10", value_parser = seconds)]
    shutdown_grace: std::time::Duration,
}

/// A duration in seconds, `0.001` to `3600` (fractions allowed).
fn seconds(text: &str) -> Result<std::time::Duration, String> {
    let secs: f64 = text
        .trim()
        .parse()
        .map_err(|_| format!("`{text}` is not a number of seconds"))?;
    if !(0.001..=3600.0).contains(&secs) {
        return Err(format!("`{text}` is outside 0.001 to 3600 seconds"));
    }
    Ok(std::time::Duration::from_secs_f64(secs))
}

/// `keys` subcommands.
#[derive(Debug, Clone, clap::Subcommand)]
pub(crate) enum KeysAction {
    /// Create a secret key (printed once, alone on the last line); creates the instance if needed.
    Create {
        /// The database.
        #[arg(long)]
        database: String,
        /// The instance (tenant) the key opens.
        #[arg(long, default_value = "default")]
        instance: String,
    },
}

fn runtime() -> Result<tokio::runtime::Runtime, String> {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| format!("cannot start the runtime: {e}"))
}

fn new_key() -> Result<ApiKey, String> {
    let mut random = [0u8; 32];
    getrandom::fill(&mut random).map_err(|e| format!("no random numbers: {e}"))?;
    Ok(ApiKey::from_random(random))
}

/// The instance named `name` (created if needed) and a new key for it.
async fn instance_key(store: &Store, name: &str) -> Result<(switchboard_store::Tenant, ApiKey), String> {
    let tenant = store
        .ensure_instance(name, now())
        .await
        .map_err(|e| e.to_string())?;
    let key = new_key()?;
    store
        .add_key(&tenant, &key, now())
        .await
        .map_err(|e| e.to_string())?;
    Ok((tenant, key))
}

fn read_catalog(path: &str) -> Result<Catalog, String> {
    let bytes = std::fs::read(path).map_err(|e| format!("cannot read {path}: {e}"))?;
    switchboard_model::decode::from_slice(&bytes).map_err(|e| format!("{path}: {e}"))
}

pub(crate) fn keys(action: &KeysAction) -> Result<String, String> {
    let KeysAction::Create { database, instance } = action;
    runtime()?.block_on(async {
        let store = Store::open(database).await.map_err(|e| e.to_string())?;
        let (tenant, key) = instance_key(&store, instance).await?;
        store.close().await;
        Ok(format!(
            "created a key for instance `{}`; it is shown only now:\n{}",
            tenant.name(),
            key.secret()
        ))
    })
}

pub(crate) fn serve(args: &ServeArgs) -> Result<String, String> {
    let _ = tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        // Colour only on a terminal: a log file or a container log gets plain text.
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info")),
        )
        .try_init();
    runtime()?.block_on(async {
        let database = if args.demo {
            "sqlite::memory:"
        } else {
            args.database.as_str()
        };
        let store = Store::open(database)
            .await
            .map_err(|e| format!("{database}: {e}"))?;
        let listener = tokio::net::TcpListener::bind(&args.listen)
            .await
            .map_err(|e| format!("cannot listen on {}: {e}", args.listen))?;
        let address = listener.local_addr().map_err(|e| e.to_string())?;
        let settings = Settings {
            public_url: args
                .public_url
                .clone()
                .unwrap_or_else(|| format!("http://{address}")),
            rate_limit: Some(args.rate_limit).filter(|n| *n > 0),
            header_read_timeout: args.header_read_timeout,
            keep_alive_timeout: args.keep_alive_timeout,
            max_connections: args.max_connections as usize,
            shutdown_grace: args.shutdown_grace,
            ..Settings::default()
        };
        let state = AppState::new(store.clone(), settings)
            .await
            .map_err(|e| e.to_string())?;
        let catalog = match (&args.catalog, args.demo) {
            (Some(path), _) => Some(read_catalog(path)?),
            (None, true) => {
                Some(switchboard_model::decode::from_str(EXAMPLE_CATALOG).map_err(|e| e.to_string())?)
            }
            (None, false) => None,
        };
        if let Some(catalog) = catalog {
            let change = state.load_catalog(catalog).await.map_err(|e| e.to_string())?;
            tracing::info!(
                added = change.added,
                updated = change.updated,
                removed = change.removed,
                unchanged = change.unchanged,
                "catalog loaded"
            );
        }
        let mut out = std::io::stdout();
        if args.demo {
            let (_, key) = instance_key(&store, "demo").await?;
            let _ = writeln!(out, "{}", demo_text(&address.to_string(), key.secret()));
        }
        let _ = writeln!(out, "listening on http://{address}");
        let _ = out.flush();
        switchboard_server::serve(listener, state, shutdown())
            .await
            .map_err(|e| e.to_string())?;
        store.close().await;
        Ok("stopped".to_owned())
    })
}

/// Ctrl-C or SIGTERM.
async fn shutdown() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = term => {},
    }
    tracing::info!("shutdown requested");
}

fn demo_text(address: &str, key: &str) -> String {
    format!(
        "switchboard demo: an in-memory database with the bundled catalog (examples/catalog.json).\n\
         API key (instance `demo`): {key}\n\n\
         Try:\n\
         curl -s http://{address}/session-templates -H 'Authorization: Bearer {key}' -H 'Content-Type: application/json' \\\n  \
         -d '{{\"name\": \"Engineering assistant\", \"providers\": [{{\"provider_deployment_id\": \"pde_GhCloud1aBcDeFgH\", \"provider_auth_config_id\": \"pac_GhOauth8hJkLmNp\"}}]}}'\n\
         curl -s http://{address}/session-templates -H 'Authorization: Bearer {key}'\n\n\
         Python (pip install metorial==2.6.0):\n\
         from metorial import Metorial\n\
         client = Metorial(api_key=\"{key}\", api_host=\"http://{address}\")\n"
    )
}
