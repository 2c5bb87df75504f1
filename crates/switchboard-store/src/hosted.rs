//! What the hosted setup pages store (contract §9): auth configs with sealed
//! credentials, filled-in configs, and each child's progress through the
//! pages. Every choice is written once: a double submit, a reload or a
//! second tab finds it made and changes nothing.
//!
//! The store never sees a credential in the clear: the server seals it
//! (AEAD) before it arrives here, under a key the database does not hold.

use switchboard_model::Timestamp;
use switchboard_model::id::{
    IntegrationSetupSessionId, IntegrationSetupSessionStepId, ProviderAuthConfigId, ProviderConfigId,
    ProviderId, ProviderSetupSessionId,
};
use switchboard_setup::SetupState;

mod rows;

use rows::{AuthRow, ConfigRow, OAuthRow, auth_record, config_record};

use crate::backend::{on_conn, on_pool, query, query_as};
use crate::{Store, StoreError, Tenant};

const ENTITY: &str = "integration.setup_session";

/// An auth config an end user made, without its credentials.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuthConfigRecord {
    /// Its id.
    pub id: ProviderAuthConfigId,
    /// The provider.
    pub provider_id: ProviderId,
    /// The auth method's key (`oauth`, `api_key`).
    pub auth_method: String,
    /// The scopes granted; `None` when the method has none to tell.
    pub granted_scopes: Option<Vec<String>>,
    /// Its name.
    pub name: String,
    /// When it was made.
    pub created_at: Timestamp,
}

/// A new auth config and its sealed credentials.
#[derive(Debug, Clone)]
pub struct NewAuthConfig {
    /// What is shown of it.
    pub record: AuthConfigRecord,
    /// The credentials, sealed by the caller.
    pub sealed: String,
}

/// A config an end user filled in.
#[derive(Debug, Clone, PartialEq)]
pub struct ConfigRecord {
    /// Its id.
    pub id: ProviderConfigId,
    /// The provider.
    pub provider_id: ProviderId,
    /// Its name.
    pub name: String,
    /// The values.
    pub value: serde_json::Value,
    /// When it was made.
    pub created_at: Timestamp,
}

/// How far a child got on the pages.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Progress {
    /// The auth config chosen or made.
    pub auth_config: Option<ProviderAuthConfigId>,
    /// The config chosen or made.
    pub config: Option<ProviderConfigId>,
}

/// A pending OAuth sign-in, taken by its `state` (once).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OAuthPending {
    /// The instance.
    pub tenant: Tenant,
    /// The session.
    pub session: IntegrationSetupSessionId,
    /// The step.
    pub step: IntegrationSetupSessionStepId,
    /// The child the sign-in belongs to.
    pub child: ProviderSetupSessionId,
    /// The sealed PKCE verifier.
    pub sealed_verifier: String,
    /// When the sign-in stops being accepted (the session's expiry).
    pub expires_at: Timestamp,
}

/// Where a child's progress row is: its session and step.
#[derive(Debug, Clone, Copy)]
pub struct ChildOf<'a> {
    /// The session.
    pub session: &'a IntegrationSetupSessionId,
    /// The step.
    pub step: &'a IntegrationSetupSessionStepId,
    /// The child.
    pub child: &'a ProviderSetupSessionId,
}

fn parse<T: std::str::FromStr>(text: &str, what: &str) -> Result<T, StoreError> {
    text.parse()
        .map_err(|_| StoreError::corrupt("hosted setup row", text, format!("not a {what} id")))
}

const AUTH_COLUMNS: &str = "id, provider_id, auth_method, granted_scopes, name, created_at";

/// Makes the child's progress row if it has none, in transaction `$tx` (a
/// macro: compiled once per backend, in the caller's body).
macro_rules! ensure_progress {
    ($tx:expr, $named:expr, $tenant:expr, $at:expr) => {{
        let at: ChildOf<'_> = $at;
        query(
            "INSERT INTO setup_progress (child_id, instance_id, session_id, step_id) VALUES ($1, $2, $3, $4) \
             ON CONFLICT (child_id) DO NOTHING",
            $named,
        )
        .bind(at.child.as_str())
        .bind($tenant.id)
        .bind(at.session.to_canonical().as_str())
        .bind(at.step.as_str())
        .execute(&mut *$tx)
        .await?;
    }};
}

impl Store {
    /// A session by id alone, with its instance: the hosted pages know no
    /// API key, only the session id and the client secret the caller checks.
    pub async fn setup_session_by_id(
        &self,
        id: &IntegrationSetupSessionId,
    ) -> Result<Option<(Tenant, SetupState)>, StoreError> {
        let id = id.to_canonical();
        let rows: Vec<(i64, String, String)> = on_conn!(self, |c| {
            Ok(query_as(
                "SELECT i.id, i.name, s.state FROM setup_sessions s JOIN instances i ON i.id = s.instance_id \
                 WHERE s.id = $1 LIMIT 2",
                self.named,
            )
            .bind(id.as_str())
            .fetch_all(&mut *c)
            .await?)
        })?;
        // Ids are random; two instances holding one id would be a defect, and neither opens.
        let [(tenant, name, state)] = rows.as_slice() else {
            return Ok(None);
        };
        let state = serde_json::from_str(state).map_err(|e| StoreError::corrupt(ENTITY, id.as_str(), e))?;
        Ok(Some((
            Tenant {
                id: *tenant,
                name: name.as_str().into(),
            },
            state,
        )))
    }

    /// A child's progress (nothing chosen when it has no row yet).
    pub async fn progress(&self, child: &ProviderSetupSessionId) -> Result<Progress, StoreError> {
        let row: Option<(Option<String>, Option<String>)> = on_conn!(self, |c| {
            Ok(query_as(
                "SELECT auth_config_id, config_id FROM setup_progress WHERE child_id = $1",
                self.named,
            )
            .bind(child.as_str())
            .fetch_optional(&mut *c)
            .await?)
        })?;
        let Some((auth, config)) = row else {
            return Ok(Progress::default());
        };
        Ok(Progress {
            auth_config: auth.map(|a| parse(&a, "auth config")).transpose()?,
            config: config.map(|c| parse(&c, "config")).transpose()?,
        })
    }

    /// Records the child's auth config: `new` is stored with it when given,
    /// else `id` names an existing one. Only the first choice counts: `false`
    /// (and nothing stored) when the child already has one.
    pub async fn choose_auth_config(
        &self,
        tenant: &Tenant,
        at: ChildOf<'_>,
        id: &ProviderAuthConfigId,
        new: Option<&NewAuthConfig>,
    ) -> Result<bool, StoreError> {
        on_pool!(self, |pool| {
            let mut tx = pool.begin().await?;
            ensure_progress!(tx, self.named, tenant, at);
            let done = query(
                "UPDATE setup_progress SET auth_config_id = $1, oauth_state = NULL, oauth_sealed = NULL \
                 WHERE child_id = $2 AND auth_config_id IS NULL",
                self.named,
            )
            .bind(id.as_str())
            .bind(at.child.as_str())
            .execute(&mut *tx)
            .await?;
            if done.rows_affected() != 1 {
                return Ok(false);
            }
            if let Some(new) = new {
                let r = &new.record;
                query(
                    "INSERT INTO auth_configs (instance_id, id, provider_id, session_id, auth_method, \
                     granted_scopes, name, sealed, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
                    self.named,
                )
                .bind(tenant.id)
                .bind(r.id.as_str())
                .bind(r.provider_id.as_str())
                .bind(at.session.to_canonical().as_str())
                .bind(&r.auth_method)
                .bind(
                    r.granted_scopes
                        .as_ref()
                        .map(|s| serde_json::Value::from(s.clone()).to_string()),
                )
                .bind(&r.name)
                .bind(&new.sealed)
                .bind(r.created_at.as_millis())
                .execute(&mut *tx)
                .await?;
            }
            tx.commit().await?;
            Ok(true)
        })
    }

    /// Records the child's config: `new` is stored with it when given, else
    /// `id` names an existing one. Only the first choice counts.
    pub async fn choose_config(
        &self,
        tenant: &Tenant,
        at: ChildOf<'_>,
        id: &ProviderConfigId,
        new: Option<&ConfigRecord>,
    ) -> Result<bool, StoreError> {
        on_pool!(self, |pool| {
            let mut tx = pool.begin().await?;
            ensure_progress!(tx, self.named, tenant, at);
            let done = query(
                "UPDATE setup_progress SET config_id = $1 WHERE child_id = $2 AND config_id IS NULL",
                self.named,
            )
            .bind(id.as_str())
            .bind(at.child.as_str())
            .execute(&mut *tx)
            .await?;
            if done.rows_affected() != 1 {
                return Ok(false);
            }
            if let Some(c) = new {
                query(
                    "INSERT INTO provider_configs (instance_id, id, provider_id, session_id, name, value, \
                     created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)",
                    self.named,
                )
                .bind(tenant.id)
                .bind(c.id.as_str())
                .bind(c.provider_id.as_str())
                .bind(at.session.to_canonical().as_str())
                .bind(&c.name)
                .bind(c.value.to_string())
                .bind(c.created_at.as_millis())
                .execute(&mut *tx)
                .await?;
            }
            tx.commit().await?;
            Ok(true)
        })
    }

    /// Starts an OAuth sign-in for the child: `state_hash` (the SHA-256 of
    /// the `state` sent to the provider) and the sealed PKCE verifier replace
    /// any sign-in begun before. `false` when the child already has its auth config.
    pub async fn begin_oauth(
        &self,
        tenant: &Tenant,
        at: ChildOf<'_>,
        state_hash: &str,
        sealed_verifier: &str,
        expires_at: Timestamp,
    ) -> Result<bool, StoreError> {
        on_pool!(self, |pool| {
            let mut tx = pool.begin().await?;
            ensure_progress!(tx, self.named, tenant, at);
            let done = query(
                "UPDATE setup_progress SET oauth_state = $1, oauth_sealed = $2, oauth_expires_at = $3 \
                 WHERE child_id = $4 AND auth_config_id IS NULL",
                self.named,
            )
            .bind(state_hash)
            .bind(sealed_verifier)
            .bind(expires_at.as_millis())
            .bind(at.child.as_str())
            .execute(&mut *tx)
            .await?;
            tx.commit().await?;
            Ok(done.rows_affected() == 1)
        })
    }

    /// Takes the pending sign-in whose `state` hashes to `state_hash`: at
    /// most once (a reload of the callback finds nothing).
    pub async fn take_oauth(&self, state_hash: &str) -> Result<Option<OAuthPending>, StoreError> {
        let taken: Option<OAuthRow> = on_conn!(self, |c| {
            let row: Option<OAuthRow> = query_as(
                "SELECT p.instance_id, i.name, p.session_id, p.step_id, p.child_id, p.oauth_sealed, \
                 p.oauth_expires_at FROM setup_progress p JOIN instances i ON i.id = p.instance_id \
                 WHERE p.oauth_state = $1",
                self.named,
            )
            .bind(state_hash)
            .fetch_optional(&mut *c)
            .await?;
            let Some(row) = row else { return Ok(None) };
            // Taken by whoever clears it first: a second, racing callback clears nothing.
            let cleared = query(
                "UPDATE setup_progress SET oauth_state = NULL, oauth_sealed = NULL \
                 WHERE child_id = $1 AND oauth_state = $2",
                self.named,
            )
            .bind(&row.4)
            .bind(state_hash)
            .execute(&mut *c)
            .await?;
            Ok((cleared.rows_affected() == 1).then_some(row))
        })?;
        let Some((instance, name, session, step, child, sealed, expires)) = taken else {
            return Ok(None);
        };
        Ok(Some(OAuthPending {
            tenant: Tenant {
                id: instance,
                name: name.into(),
            },
            session: parse(&session, "session")?,
            step: parse(&step, "step")?,
            sealed_verifier: sealed.unwrap_or_default(),
            expires_at: Timestamp::from_millis(expires.unwrap_or(0))
                .ok_or_else(|| StoreError::corrupt("setup progress", &child, "expiry out of range"))?,
            child: parse(&child, "child")?,
        }))
    }

    /// The auth configs end users of `tenant` made for `provider`, oldest first.
    pub async fn auth_configs_of(
        &self,
        tenant: &Tenant,
        provider: &ProviderId,
    ) -> Result<Vec<AuthConfigRecord>, StoreError> {
        let sql = format!(
            "SELECT {AUTH_COLUMNS} FROM auth_configs WHERE instance_id = $1 AND provider_id = $2 \
             ORDER BY created_at, id LIMIT 100"
        );
        let rows: Vec<AuthRow> = on_conn!(self, |c| {
            Ok(query_as(&sql, self.named)
                .bind(tenant.id)
                .bind(provider.as_str())
                .fetch_all(&mut *c)
                .await?)
        })?;
        rows.into_iter().map(auth_record).collect()
    }

    /// One auth config of `tenant`, without its credentials.
    pub async fn auth_config(
        &self,
        tenant: &Tenant,
        id: &ProviderAuthConfigId,
    ) -> Result<Option<AuthConfigRecord>, StoreError> {
        let sql = format!("SELECT {AUTH_COLUMNS} FROM auth_configs WHERE instance_id = $1 AND id = $2");
        let row: Option<AuthRow> = on_conn!(self, |c| {
            Ok(query_as(&sql, self.named)
                .bind(tenant.id)
                .bind(id.as_str())
                .fetch_optional(&mut *c)
                .await?)
        })?;
        row.map(auth_record).transpose()
    }

    /// The configs end users of `tenant` filled in for `provider`, oldest first.
    pub async fn configs_of(
        &self,
        tenant: &Tenant,
        provider: &ProviderId,
    ) -> Result<Vec<ConfigRecord>, StoreError> {
        let rows: Vec<ConfigRow> = on_conn!(self, |c| {
            Ok(query_as(
                "SELECT id, provider_id, name, value, created_at FROM provider_configs \
                 WHERE instance_id = $1 AND provider_id = $2 ORDER BY created_at, id LIMIT 100",
                self.named,
            )
            .bind(tenant.id)
            .bind(provider.as_str())
            .fetch_all(&mut *c)
            .await?)
        })?;
        rows.into_iter().map(config_record).collect()
    }

    /// Every sealed credential (auth configs), for re-sealing under a new key.
    pub async fn sealed_values(&self) -> Result<Vec<(Sealed, String)>, StoreError> {
        let rows: Vec<(i64, String, String, String, String)> = on_conn!(self, |c| {
            Ok(query_as(
                "SELECT instance_id, id, session_id, provider_id, sealed FROM auth_configs ORDER BY instance_id, id",
                self.named,
            )
            .fetch_all(&mut *c)
            .await?)
        })?;
        Ok(rows
            .into_iter()
            .map(|(instance, id, session, provider, sealed)| {
                (
                    Sealed {
                        instance,
                        id,
                        session,
                        provider,
                    },
                    sealed,
                )
            })
            .collect())
    }

    /// Replaces one auth config's sealed credentials, if they are still `old`.
    pub async fn reseal(&self, at: &Sealed, old: &str, new: &str) -> Result<bool, StoreError> {
        on_conn!(self, |c| {
            let done = query(
                "UPDATE auth_configs SET sealed = $1 WHERE instance_id = $2 AND id = $3 AND sealed = $4",
                self.named,
            )
            .bind(new)
            .bind(at.instance)
            .bind(&at.id)
            .bind(old)
            .execute(&mut *c)
            .await?;
            Ok(done.rows_affected() == 1)
        })
    }

    /// Drops every pending OAuth sign-in (their verifiers are sealed under
    /// the key being retired; an end user mid-sign-in starts again).
    pub async fn drop_pending_sign_ins(&self) -> Result<u64, StoreError> {
        on_conn!(self, |c| {
            let done = query(
                "UPDATE setup_progress SET oauth_state = NULL, oauth_sealed = NULL WHERE oauth_sealed IS NOT NULL",
                self.named,
            )
            .execute(&mut *c)
            .await?;
            Ok(done.rows_affected())
        })
    }
}

/// Where a sealed credential lives, and what it is bound to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sealed {
    /// The instance.
    pub instance: i64,
    /// The auth config's id.
    pub id: String,
    /// The session it was made in (canonical id): associated data.
    pub session: String,
    /// The provider: associated data.
    pub provider: String,
}
