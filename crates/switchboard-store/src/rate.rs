//! Rate-limit buckets in the database, so that any number of processes
//! together allow one bucket's rate (contract §8): the generic cell rate
//! algorithm, one atomic upsert per request.

use crate::backend::{on_conn, query_as};
use crate::{Store, StoreError};

/// One request counted against a bucket: whether it may run, and the
/// bucket's theoretical arrival time after it (in the caller's time unit).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RateCount {
    /// The request may run.
    pub allowed: bool,
    /// When the bucket is full again: `now` plus one interval per request
    /// still counted.
    pub tat: i64,
}

impl Store {
    /// Counts one request against `bucket` at `now`: allowed while the
    /// bucket's arrival time is at most `burst` ahead of `now`, and then
    /// moved `interval` later (from `now` if it was behind). Times are in
    /// any one unit the caller keeps (the server uses microseconds since
    /// the Unix epoch). One statement: racing processes serialize on the
    /// bucket's row, and none counts a request twice or not at all.
    pub async fn count_request(
        &self,
        bucket: &str,
        now: i64,
        interval: i64,
        burst: i64,
    ) -> Result<RateCount, StoreError> {
        let (tat, allowed): (i64, i64) = on_conn!(self, |c| {
            Ok(query_as(
                "INSERT INTO rate_limits (bucket, tat, allowed) VALUES ($1, $2 + $3, 1) \
                 ON CONFLICT (bucket) DO UPDATE SET \
                 allowed = CASE WHEN (CASE WHEN rate_limits.tat > $2 THEN rate_limits.tat ELSE $2 END) - $2 <= $4 \
                 THEN 1 ELSE 0 END, \
                 tat = CASE WHEN (CASE WHEN rate_limits.tat > $2 THEN rate_limits.tat ELSE $2 END) - $2 <= $4 \
                 THEN (CASE WHEN rate_limits.tat > $2 THEN rate_limits.tat ELSE $2 END) + $3 ELSE rate_limits.tat END \
                 RETURNING tat, allowed",
                self.named,
            )
            .bind(bucket)
            .bind(now)
            .bind(interval)
            .bind(burst)
            .fetch_one(&mut *c)
            .await?)
        })?;
        Ok(RateCount {
            allowed: allowed == 1,
            tat,
        })
    }
}
