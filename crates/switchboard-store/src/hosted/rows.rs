//! Rows of the hosted tables, read back into records.

use switchboard_model::Timestamp;

use super::{AuthConfigRecord, ConfigRecord, parse};
use crate::StoreError;

/// An auth config's row: id, provider, method, granted scopes (JSON), name, creation.
pub(super) type AuthRow = (String, String, String, Option<String>, String, i64);
/// A config's row: id, provider, name, value (JSON), creation.
pub(super) type ConfigRow = (String, String, String, String, i64);
/// A pending sign-in's row: instance, its name, session, step, child, sealed verifier, expiry.
pub(super) type OAuthRow = (i64, String, String, String, String, Option<String>, Option<i64>);

pub(super) fn auth_record(
    (id, provider, method, scopes, name, created): AuthRow,
) -> Result<AuthConfigRecord, StoreError> {
    Ok(AuthConfigRecord {
        provider_id: parse(&provider, "provider")?,
        auth_method: method,
        granted_scopes: scopes
            .map(|s| serde_json::from_str(&s).map_err(|e| StoreError::corrupt("auth config", &id, e)))
            .transpose()?,
        name,
        created_at: Timestamp::from_millis(created)
            .ok_or_else(|| StoreError::corrupt("auth config", &id, "time out of range"))?,
        id: parse(&id, "auth config")?,
    })
}

pub(super) fn config_record(
    (id, provider, name, value, created): ConfigRow,
) -> Result<ConfigRecord, StoreError> {
    Ok(ConfigRecord {
        provider_id: parse(&provider, "provider")?,
        name,
        value: serde_json::from_str(&value).map_err(|e| StoreError::corrupt("config", &id, e))?,
        created_at: Timestamp::from_millis(created)
            .ok_or_else(|| StoreError::corrupt("config", &id, "time out of range"))?,
        id: parse(&id, "config")?,
    })
}
