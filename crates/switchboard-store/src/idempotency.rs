//! Idempotency keys: claim, finish, release (contract §8). The store keeps
//! the answers; which answers are kept and for how long is the caller's.

use switchboard_model::Timestamp;

use crate::backend::{on_conn, on_pool, query, query_as};
use crate::{Store, StoreError, Tenant};

/// What a claim found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Claim {
    /// The key is the caller's: run the request, then finish or release it.
    Run,
    /// The request already ran: here is its answer.
    Replay {
        /// The HTTP status.
        status: u16,
        /// The body.
        body: String,
    },
    /// The key was used with another request.
    Mismatch,
    /// The first request with this key is still running.
    InProgress,
}

impl Store {
    /// Claims `key` for a request whose content hashes to `request_hash`.
    /// Keys older than `forget_before` are dropped first; a running claim
    /// locked before `stale_before` is taken over (its request died).
    pub async fn claim_idempotency_key(
        &self,
        tenant: &Tenant,
        key: &str,
        request_hash: &str,
        now: Timestamp,
        stale_before: Timestamp,
        forget_before: Timestamp,
    ) -> Result<Claim, StoreError> {
        on_pool!(self, |pool| {
            let mut tx = pool.begin().await?;
            query("DELETE FROM idempotency_keys WHERE created_at < $1", self.named)
                .bind(forget_before.as_millis())
                .execute(&mut *tx)
                .await?;
            // A racing claim of the same key waits here for the first to
            // commit, then inserts nothing and reads what the first stored.
            let inserted = query(
                "INSERT INTO idempotency_keys (instance_id, key, request_hash, status, body, locked_at, created_at) \
                 VALUES ($1, $2, $3, NULL, NULL, $4, $4) ON CONFLICT (instance_id, key) DO NOTHING",
                self.named,
            )
            .bind(tenant.id)
            .bind(key)
            .bind(request_hash)
            .bind(now.as_millis())
            .execute(&mut *tx)
            .await?
            .rows_affected();
            let claim = if inserted == 1 {
                Claim::Run
            } else {
                let (hash, status, body, locked_at): (String, Option<i64>, Option<String>, i64) = query_as(
                    "SELECT request_hash, status, body, locked_at FROM idempotency_keys \
                     WHERE instance_id = $1 AND key = $2",
                    self.named,
                )
                .bind(tenant.id)
                .bind(key)
                .fetch_one(&mut *tx)
                .await?;
                match (hash == request_hash, status) {
                    (false, _) => Claim::Mismatch,
                    (true, Some(status)) => Claim::Replay {
                        status: u16::try_from(status).unwrap_or(500),
                        body: body.unwrap_or_default(),
                    },
                    (true, None) if locked_at < stale_before.as_millis() => {
                        // Taken over by whoever moves `locked_at` first.
                        let taken = query(
                            "UPDATE idempotency_keys SET locked_at = $1 \
                             WHERE instance_id = $2 AND key = $3 AND locked_at = $4 AND status IS NULL",
                            self.named,
                        )
                        .bind(now.as_millis())
                        .bind(tenant.id)
                        .bind(key)
                        .bind(locked_at)
                        .execute(&mut *tx)
                        .await?
                        .rows_affected();
                        if taken == 1 { Claim::Run } else { Claim::InProgress }
                    }
                    (true, None) => Claim::InProgress,
                }
            };
            tx.commit().await?;
            Ok(claim)
        })
    }

    /// Stores the answer of the request that claimed `key`.
    pub async fn finish_idempotency_key(
        &self,
        tenant: &Tenant,
        key: &str,
        status: u16,
        body: &str,
    ) -> Result<(), StoreError> {
        on_conn!(self, |c| {
            query(
                "UPDATE idempotency_keys SET status = $1, body = $2 WHERE instance_id = $3 AND key = $4",
                self.named,
            )
            .bind(i64::from(status))
            .bind(body)
            .bind(tenant.id)
            .bind(key)
            .execute(&mut *c)
            .await?;
            Ok(())
        })
    }

    /// Gives `key` up without storing an answer (the caller may retry with it).
    pub async fn release_idempotency_key(&self, tenant: &Tenant, key: &str) -> Result<(), StoreError> {
        on_conn!(self, |c| {
            query(
                "DELETE FROM idempotency_keys WHERE instance_id = $1 AND key = $2",
                self.named,
            )
            .bind(tenant.id)
            .bind(key)
            .execute(&mut *c)
            .await?;
            Ok(())
        })
    }
}
