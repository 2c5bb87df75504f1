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

pub(crate) const MIGRATE_HELP: &str = "\
Examples:
  switchboard migrate --database postgres://switchboard@db.internal/switchboard
  switchboard migrate --no-lock --database postgres://root@cockroach:26257/switchboard

`serve` migrates at start under a PostgreSQL advisory lock, so replicas that
start together migrate once. Where the engine has no session advisory locks
(CockroachDB, YugabyteDB) or the replicas reach the database through a pooler
in transaction mode, run this once with a direct connection, then start every
replica with `serve --no-migration-lock` (it checks the schema and refuses to
start on another version).";

/// `serve` options.
#[derive(Debug, Clone, clap::Args)]
pub(crate) struct ServeArgs {
    /// The address to listen on.
    #[arg(long, default_value = "127.0.0.1:4300")]
    listen: String,
    /// The database: `sqlite://path`, `sqlite::memory:`, or
    /// `postgres://user:password@host:port/database` (any number of
    /// replicas over one; add `?statement-cache-capacity=0` behind PgBouncer
    /// in transaction mode).
    #[arg(long, default_value = "sqlite://switchboard.db")]
    database: String,
    /// Do not migrate at start, only check that the schema is this build's:
    /// for engines without session advisory locks and for poolers in
    /// transaction mode (run `switchboard migrate` first).
    #[arg(long)]
    no_migration_lock: bool,
    /// The most database connections this process opens.
    #[arg(long, default_value_t = 8, value_parser = clap::value_parser!(u32).range(1..=1000))]
    database_pool: u32,
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
    /// A proxy range (CIDR, repeatable) whose `X-Forwarded-For` is believed
    /// for the client address the rate limiter counts.
    #[arg(long = "trusted-proxy", value_parser = cidr)]
    trusted_proxies: Vec<ipnet::IpNet>,
    /// Seconds a request's body may take to arrive once its head has (then `408`).
    #[arg(long, default_value = "30", value_parser = seconds)]
    body_read_timeout: std::time::Duration,
    /// Seconds a connection may stay open with no request in flight.
    #[arg(long, default_value = "5", value_parser = seconds)]
    keep_alive_timeout: std::time::Duration,
    /// Connections open at once; more wait to be accepted.
    #[arg(long, default_value_t = 1024, value_parser = clap::value_parser!(u32).range(1..))]
    max_connections: u32,
    /// Seconds requests in flight may take after SIGTERM or Ctrl-C before their connections are cut.
    #[arg(long, default_value = "10", value_parser = seconds)]
    shutdown_grace: std::time::Duration,
    /// Log lines as text (the default) or JSON, one object per line (with the
    /// request id, route, status and latency).
    #[arg(long, value_enum, default_value_t = LogFormat::Text)]
    log_format: LogFormat,
    /// Seconds a request waits for the database before it fails with `503`.
    #[arg(long, default_value = "5", value_parser = seconds)]
    database_timeout: std::time::Duration,
    /// The file of the key credentials are sealed with (created, mode 0600, on first start);
    /// default `<database file>.key`. `SWITCHBOARD_CREDENTIAL_KEY` (64 hex digits) overrides it.
    #[arg(long)]
    credential_key_file: Option<std::path::PathBuf>,
    /// The key before a rotation, which still opens what it sealed
    /// (or `SWITCHBOARD_CREDENTIAL_KEY_OLD`); see `switchboard keys rotate`.
    #[arg(long)]
    old_credential_key_file: Option<std::path::PathBuf>,
}

/// How log lines are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub(crate) enum LogFormat {
    /// Human-readable lines (colour only on a terminal).
    Text,
    /// One JSON object per line, for log shippers.
    Json,
}

/// `switchboard migrate` options.
#[derive(Debug, Clone, clap::Args)]
pub(crate) struct MigrateArgs {
    /// The database (as `serve --database`).
    #[arg(long)]
    database: String,
    /// Without the migration lock (a PostgreSQL session advisory lock): for
    /// engines that have none, and when no other process migrates at the same time.
    #[arg(long)]
    no_lock: bool,
}

/// `switchboard migrate`: brings the database's schema up to date, once,
/// for replicas started with `--no-migration-lock`.
pub(crate) fn migrate(args: &MigrateArgs) -> Result<String, String> {
    runtime()?.block_on(async {
        let applied = Store::migrate(&args.database, !args.no_lock)
            .await
            .map_err(|e| format!("{}: {e}", redact(&args.database)))?;
        Ok(match applied.as_slice() {
            [] => "the schema was already up to date".to_owned(),
            versions => format!(
                "applied {} migration(s): {}",
                versions.len(),
                versions.iter().map(i64::to_string).collect::<Vec<_>>().join(", ")
            ),
        })
    })
}

/// `url` with its password (if any) replaced by `***`, for messages and logs.
pub(crate) fn redact(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_owned();
    };
    let authority_end = rest.find(['/', '?']).unwrap_or(rest.len());
    let (authority, path) = rest.split_at(authority_end);
    match authority.rsplit_once('@') {
        Some((userinfo, host)) => {
            let user = userinfo.split_once(':').map_or(userinfo, |(u, _)| u);
            let hidden = if userinfo.contains(':') { ":***" } else { "" };
            format!("{scheme}://{user}{hidden}@{host}{path}")
        }
        None => url.to_owned(),
    }
}

/// A CIDR range (`10.0.0.0/8`, `fd00::/8`) or one address.
fn cidr(text: &str) -> Result<ipnet::IpNet, String> {
    let text = text.trim();
    text.parse::<ipnet::IpNet>()
        .or_else(|_| text.parse::<std::net::IpAddr>().map(ipnet::IpNet::from))
        .map_err(|_| format!("`{text}` is not an address or a CIDR range (`10.0.0.0/8`)"))
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
    /// Re-seal every stored credential under the current credential key
    /// (start with the new key as current and the old one as old).
    Rotate {
        /// The database.
        #[arg(long)]
        database: String,
        /// The new key's file (or `SWITCHBOARD_CREDENTIAL_KEY`); created if missing.
        #[arg(long)]
        credential_key_file: Option<std::path::PathBuf>,
        /// The old key's file (or `SWITCHBOARD_CREDENTIAL_KEY_OLD`).
        #[arg(long)]
        old_credential_key_file: Option<std::path::PathBuf>,
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
    let (database, instance) = match action {
        KeysAction::Create { database, instance } => (database, instance),
        KeysAction::Rotate {
            database,
            credential_key_file,
            old_credential_key_file,
        } => {
            let sealer = crate::credential_key::sealer(
                database,
                credential_key_file.as_deref(),
                old_credential_key_file.as_deref(),
            )?
            .ok_or("an in-memory database has no stored credentials to re-seal")?;
            return runtime()?.block_on(async {
                let store = Store::open(database).await.map_err(|e| e.to_string())?;
                let out = crate::credential_key::rotate(&store, &sealer).await;
                store.close().await;
                out
            });
        }
    };
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
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    // Lines go to standard error in batches, from a thread of their own
    // (see `logs`); what is left is written when `serve` returns.
    let (writer, _flush) =
        crate::logs::start(std::io::stderr()).map_err(|e| format!("cannot start the log writer: {e}"))?;
    let logs = tracing_subscriber::fmt()
        .with_writer(writer)
        .with_env_filter(filter);
    let _ = match args.log_format {
        // Colour only on a terminal: a log file or a container log gets plain text.
        LogFormat::Text => logs
            .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
            .try_init(),
        LogFormat::Json => logs
            .json()
            .flatten_event(true)
            .with_current_span(false)
            .try_init(),
    };
    runtime()?.block_on(async {
        let database = if args.demo {
            "sqlite::memory:"
        } else {
            args.database.as_str()
        };
        let mut options = switchboard_store::Options::default();
        options.timeout = args.database_timeout;
        options.max_connections = args.database_pool;
        if args.no_migration_lock {
            options.migrate = switchboard_store::Migrate::Check;
        }
        let store = Store::open_with(database, &options)
            .await
            .map_err(|e| format!("{}: {e}", redact(database)))?;
        let listener = tokio::net::TcpListener::bind(&args.listen)
            .await
            .map_err(|e| format!("cannot listen on {}: {e}", args.listen))?;
        let address = listener.local_addr().map_err(|e| e.to_string())?;
        let public_url = args
            .public_url
            .clone()
            .unwrap_or_else(|| format!("http://{address}"));
        let settings = Settings {
            public_url: public_url.clone(),
            credential_key: crate::credential_key::sealer(
                database,
                args.credential_key_file.as_deref(),
                args.old_credential_key_file.as_deref(),
            )?,
            rate_limit: Some(args.rate_limit).filter(|n| *n > 0),
            header_read_timeout: args.header_read_timeout,
            keep_alive_timeout: args.keep_alive_timeout,
            body_read_timeout: args.body_read_timeout,
            trusted_proxies: args.trusted_proxies.clone(),
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
        if let Some(mut catalog) = catalog {
            if args.demo {
                crate::demo::add_credentials(&mut catalog, &public_url);
            }
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
        let mut extra = axum::Router::new();
        if args.demo {
            let (tenant, key) = instance_key(&store, "demo").await?;
            let session = demo_session(&state, &tenant).await?;
            let _ = writeln!(out, "{}", demo_text(&address.to_string(), key.secret(), &session));
            extra = crate::demo::routes();
        }
        let _ = writeln!(out, "listening on http://{address}");
        let _ = out.flush();
        let router = switchboard_server::router_with(state.clone(), extra);
        switchboard_server::serve_router(listener, router, &state, shutdown())
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

/// A ready-made setup session over the bundled "Developer tools" integration
/// (GitHub by OAuth against the demo's own sign-in page, Linear by API key),
/// with tool review on: its link is printed for a person to complete.
async fn demo_session(state: &AppState, tenant: &switchboard_store::Tenant) -> Result<String, String> {
    // A day to try it, not the default half hour.
    let expires = switchboard_model::Timestamp::from_millis(now().as_millis() + 24 * 3_600_000)
        .ok_or("the clock is out of range")?;
    let body = switchboard_model::decode::from_str(&format!(
        r#"{{"integration_id": "int_DevTools2mNpQrStU", "name": "Demo: connect your developer tools",
            "description": "GitHub signs in on the demo's own page; Linear takes any key of 20 characters or more.",
            "expires_at": "{expires}", "configuration": {{"tool_filters": {{"enabled": true}}}}}}"#
    ))
    .map_err(|e| e.to_string())?;
    let session = state
        .create_setup_session(tenant, &body)
        .await
        .map_err(|e| e.0.message.clone())?;
    Ok(session.url)
}

fn demo_text(address: &str, key: &str, session_url: &str) -> String {
    format!(
        "switchboard demo: an in-memory database with the bundled catalog (examples/catalog.json).\n\
         Open this setup session in a browser and connect both accounts (the OAuth sign-in is a demo page):\n\
         {session_url}\n\n\
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
