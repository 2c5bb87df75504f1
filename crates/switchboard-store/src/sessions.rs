//! Integration setup sessions: the setup crate's state, written with
//! compare-and-swap on its version.

use switchboard_model::enums::{SetupSessionListStatus, SetupSessionStatus};
use switchboard_model::id::IntegrationSetupSessionId;
use switchboard_model::{List, Timestamp};
use switchboard_query::page::PageRequest;
use switchboard_query::{IntegrationSetupSessions, ListQuery};
use switchboard_setup::{Ended, SetupState, session_status};

use crate::backend::{on_conn, query, query_as};
use crate::sql::{Arg, Where};
use crate::{Store, StoreError, Tenant};

const ENTITY: &str = "integration.setup_session";

fn ended(state: &SetupState) -> Option<&'static str> {
    state.ended.map(|e| match e {
        Ended::Archived => "archived",
        Ended::Deleted => "deleted",
    })
}

/// Whether every step is configured: the session is successful for good.
fn completed(state: &SetupState) -> bool {
    state.ended.is_none() && session_status(state, state.created_at) == SetupSessionStatus::Successful
}

fn encode(state: &SetupState) -> String {
    // The state always encodes: string keys, finite numbers.
    serde_json::to_string(state).unwrap_or_default()
}

impl Store {
    /// Stores a new session.
    pub async fn insert_setup_session(&self, tenant: &Tenant, state: &SetupState) -> Result<(), StoreError> {
        on_conn!(self, |c| {
            query(
                "INSERT INTO setup_sessions (instance_id, id, integration_id, integration_instance_id, version, \
                 ended, completed, expires_at, created_at, updated_at, state) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
                self.named,
            )
            .bind(tenant.id)
            .bind(state.id.to_canonical().as_str())
            .bind(state.integration_id.as_str())
            .bind(state.instance_id.as_str())
            .bind(state.version as i64)
            .bind(ended(state))
            .bind(i64::from(completed(state)))
            .bind(state.expires_at.as_millis())
            .bind(state.created_at.as_millis())
            .bind(state.updated_at.as_millis())
            .bind(encode(state))
            .execute(&mut *c)
            .await?;
            Ok(())
        })
    }

    /// Writes `state` if the stored session is still at `expected_version`;
    /// otherwise a [`StoreError::Conflict`]: read it again and retry.
    pub async fn save_setup_session(
        &self,
        tenant: &Tenant,
        state: &SetupState,
        expected_version: u64,
    ) -> Result<(), StoreError> {
        let done = on_conn!(self, |c| {
            Ok(query(
                "UPDATE setup_sessions SET version = $1, ended = $2, completed = $3, expires_at = $4, \
                 updated_at = $5, state = $6 WHERE instance_id = $7 AND id = $8 AND version = $9",
                self.named,
            )
            .bind(state.version as i64)
            .bind(ended(state))
            .bind(i64::from(completed(state)))
            .bind(state.expires_at.as_millis())
            .bind(state.updated_at.as_millis())
            .bind(encode(state))
            .bind(tenant.id)
            .bind(state.id.to_canonical().as_str())
            .bind(expected_version as i64)
            .execute(&mut *c)
            .await?
            .rows_affected())
        })?;
        if done == 1 {
            Ok(())
        } else {
            Err(StoreError::Conflict {
                entity: ENTITY,
                id: state.id.as_str().to_owned(),
            })
        }
    }

    /// A session's state (its `private_metadata` included: render it with
    /// the setup crate, which leaves it out).
    pub async fn setup_session(
        &self,
        tenant: &Tenant,
        id: &IntegrationSetupSessionId,
    ) -> Result<Option<SetupState>, StoreError> {
        let id = id.to_canonical();
        let row: Option<(String,)> = on_conn!(self, |c| {
            Ok(query_as(
                "SELECT state FROM setup_sessions WHERE instance_id = $1 AND id = $2",
                self.named,
            )
            .bind(tenant.id)
            .bind(id.as_str())
            .fetch_optional(&mut *c)
            .await?)
        })?;
        row.map(|(state,)| {
            serde_json::from_str(&state).map_err(|e| StoreError::corrupt(ENTITY, id.as_str(), e))
        })
        .transpose()
    }

    /// A page of sessions as they stand at `now` (`expired` and `pending`
    /// depend on it); archived ones only when asked for, deleted ones never.
    pub async fn list_setup_sessions(
        &self,
        tenant: &Tenant,
        q: &ListQuery<IntegrationSetupSessions>,
        now: Timestamp,
    ) -> Result<List<SetupState>, StoreError> {
        let f = &q.filter;
        let mut w = Where::default();
        w.eq("instance_id", Arg::Int(tenant.id));
        if f.status.is_empty() {
            w.and("ended IS NULL".to_owned());
        } else {
            let mut any = Vec::new();
            for status in &f.status {
                any.push(match status {
                    SetupSessionListStatus::Pending => {
                        let p = w.param(Arg::Int(now.as_millis()));
                        format!("(ended IS NULL AND completed = 0 AND expires_at > {p})")
                    }
                    SetupSessionListStatus::Successful => "(ended IS NULL AND completed = 1)".to_owned(),
                    SetupSessionListStatus::Expired => {
                        let p = w.param(Arg::Int(now.as_millis()));
                        format!("(ended IS NULL AND completed = 0 AND expires_at <= {p})")
                    }
                    SetupSessionListStatus::Archived => "(ended = 'archived')".to_owned(),
                    // Deleted sessions are never listed.
                    _ => "(1 = 0)".to_owned(),
                });
            }
            w.and(format!("({})", any.join(" OR ")));
        }
        w.any_of("id", &f.id);
        w.any_of("integration_id", &f.integration_id);
        w.any_of("integration_instance_id", &f.integration_instance_id);
        w.range("created_at", f.created_at.as_ref());
        w.range("updated_at", f.updated_at.as_ref());
        let page = PageRequest::from(q);
        self.page_of(ENTITY, "setup_sessions", "id", "state", w, &page)
            .await
    }
}
