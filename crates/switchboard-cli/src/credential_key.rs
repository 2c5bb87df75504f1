//! Where the credential key comes from (contract §9): never the database.
//!
//! - `SWITCHBOARD_CREDENTIAL_KEY` (64 hex digits), else the key file
//!   (`--credential-key-file`, by default `<database file>.key`), created
//!   with mode 0600 on first start;
//! - `SWITCHBOARD_CREDENTIAL_KEY_OLD` or `--old-credential-key-file`: the
//!   key before a rotation, which still opens what it sealed;
//! - an in-memory database gets a key made at start and held in memory;
//! - a PostgreSQL database (any number of replicas) must be given its key,
//!   the same on every replica: the environment, or a key file that exists.
//!
//! `switchboard rotate-key` re-seals every stored credential under the current key.

use std::io::Write;
use std::path::{Path, PathBuf};

use switchboard_server::seal::{CredentialKey, Sealer};
use switchboard_store::Store;

/// The environment variable of the current key.
pub(crate) const ENV: &str = "SWITCHBOARD_CREDENTIAL_KEY";
/// The environment variable of the old key.
pub(crate) const ENV_OLD: &str = "SWITCHBOARD_CREDENTIAL_KEY_OLD";

/// The key file next to a SQLite database file; `None` for an in-memory one.
pub(crate) fn default_file(database: &str) -> Option<PathBuf> {
    if database.contains(":memory:") {
        return None;
    }
    let path = database
        .strip_prefix("sqlite://")
        .or_else(|| database.strip_prefix("sqlite:"))?;
    let path = path.split('?').next().unwrap_or(path);
    Some(PathBuf::from(format!("{path}.key")))
}

fn from_env(var: &str) -> Result<Option<CredentialKey>, String> {
    match std::env::var(var) {
        Ok(text) => CredentialKey::from_hex(&text)
            .map(Some)
            .ok_or_else(|| format!("{var} is not 64 hex digits (32 bytes)")),
        Err(_) => Ok(None),
    }
}

fn read_file(path: &Path) -> Result<CredentialKey, String> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| format!("cannot read the key file {}: {e}", path.display()))?;
    CredentialKey::from_hex(&text)
        .ok_or_else(|| format!("the key file {} does not hold 64 hex digits", path.display()))
}

/// Reads the key file, or creates it (mode 0600) with a new key.
fn read_or_create(path: &Path) -> Result<CredentialKey, String> {
    if path.exists() {
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            if let Ok(meta) = std::fs::metadata(path)
                && meta.permissions().mode() & 0o077 != 0
            {
                tracing::warn!(file = %path.display(), "the credential key file is readable by others; chmod 600 it");
            }
        }
        return read_file(path);
    }
    // A generator that fails stops the start: never a predictable key.
    let key = CredentialKey::generate().map_err(|e| format!("the system's random generator failed: {e}"))?;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut file = options
        .open(path)
        .map_err(|e| format!("cannot create the key file {}: {e}", path.display()))?;
    writeln!(file, "{}", key.to_hex())
        .map_err(|e| format!("cannot write the key file {}: {e}", path.display()))?;
    tracing::info!(file = %path.display(), key = %key.id(), "created a credential key file (keep it apart from the database)");
    Ok(key)
}

/// The sealer for `database`: `None` for an in-memory one without a key given
/// (the server makes one for the process).
pub(crate) fn sealer(
    database: &str,
    file: Option<&Path>,
    old_file: Option<&Path>,
) -> Result<Option<Sealer>, String> {
    let shared = matches!(
        switchboard_store::Backend::of_url(database),
        Some(switchboard_store::Backend::Postgres)
    );
    let current = match from_env(ENV)? {
        Some(k) => Some(k),
        // Every replica over one database needs the same key: one made
        // here would open nothing another replica sealed.
        None if shared => Some(read_file(file.ok_or(
            "a PostgreSQL database needs its credential key, the same on every replica: set \
             SWITCHBOARD_CREDENTIAL_KEY (64 hex digits) or --credential-key-file",
        )?)?),
        None => match file.map(Path::to_path_buf).or_else(|| default_file(database)) {
            Some(path) => Some(read_or_create(&path)?),
            None => None,
        },
    };
    let old = match from_env(ENV_OLD)? {
        Some(k) => Some(k),
        None => old_file.map(read_file).transpose()?,
    };
    Ok(current.map(|k| Sealer::new(k, old)))
}

/// `switchboard rotate-key`: re-seals every stored credential under the current key.
pub(crate) async fn rotate(store: &Store, sealer: &Sealer) -> Result<String, String> {
    let values = store.sealed_values().await.map_err(|e| e.to_string())?;
    let (mut done, mut current, mut lost) = (0usize, 0usize, 0usize);
    for (at, sealed) in &values {
        if sealer.is_current(sealed) {
            current += 1;
            continue;
        }
        let aad = switchboard_server::seal::aad(&at.session, &at.provider);
        let plain = match sealer.open(sealed, &aad) {
            Ok(p) => p,
            Err(e) => {
                lost += 1;
                tracing::error!(cause = %e, "a sealed value does not open; it is left as it is");
                continue;
            }
        };
        let fresh = sealer.seal(&plain, &aad).map_err(|e| e.to_string())?;
        if store
            .reseal(at, sealed, &fresh)
            .await
            .map_err(|e| e.to_string())?
        {
            done += 1;
        }
    }
    let dropped = store.drop_pending_sign_ins().await.map_err(|e| e.to_string())?;
    if dropped > 0 {
        tracing::info!(
            dropped,
            "pending OAuth sign-ins dropped (their end users sign in again)"
        );
    }
    if lost > 0 {
        return Err(format!(
            "re-sealed {done}, {current} already under key {}; {lost} did not open (is the old key given?)",
            sealer.key_id()
        ));
    }
    Ok(format!(
        "re-sealed {done} credentials under key {}; {current} already were",
        sealer.key_id()
    ))
}
