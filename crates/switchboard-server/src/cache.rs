//! Bounded caches in front of the store: templates as last read, and
//! rendered `provider.tools` answers. Every write this server makes to a
//! template or one of its providers drops the template's entry. Over a
//! database other processes write too (PostgreSQL: any number of replicas),
//! a cached template is used only after one indexed read of its revision
//! (which every write to the template or its providers raises, in the same
//! transaction) finds it unchanged: a read after an acknowledged write, on
//! any replica, sees the write. Checks of one template are shared
//! ([`RevisionChecks`]): a write is acknowledged 1 ms after its commit, so a
//! check whose query started less than that before a request arrived still
//! saw every write acknowledged before it; a hot template's readers take the
//! last such check and do not wait. (`LISTEN`/`NOTIFY` would save that read
//! but arrives after the write's acknowledgement, so a client could read the
//! old copy on another replica; it also rules out poolers in transaction
//! mode.)
//! Over SQLite (one process per database file) the entry is used as it is.
//! The least recently used entry goes when a cache is full (O(1)).
//!
//! - A template read from the store is kept only if no write was forgotten
//!   between the start of the read and the store into the cache: the check
//!   and the store happen under the lock that a write's forget also takes,
//!   so a stale template can never be cached.
//! - A tools answer is keyed by the SHA-256 of the template's wire JSON (its
//!   status and its active providers, filters and all) and the catalog's
//!   generation: any change to what the answer depends on is another key,
//!   however close in time two writes are.

use std::collections::HashMap;
use std::num::NonZeroUsize;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use lru::LruCache;
use sha2::{Digest, Sha256};
use switchboard_model::SessionTemplate;
use switchboard_model::id::SessionTemplateId;
use switchboard_store::{Revision, Store, Tenant};

/// Templates by instance and id.
pub(crate) type TemplateKey = (Tenant, SessionTemplateId);

pub(crate) fn template_key(tenant: &Tenant, id: &SessionTemplateId) -> TemplateKey {
    (tenant.clone(), id.to_canonical())
}

/// A template, its wire JSON (the answer of a GET, encoded once) and that
/// JSON's digest, and the revision it was read at.
#[derive(Debug)]
pub(crate) struct Cached {
    pub(crate) template: SessionTemplate,
    pub(crate) json: axum::body::Bytes,
    pub(crate) digest: [u8; 32],
    pub(crate) revision: Revision,
}

impl Cached {
    pub(crate) fn new(template: SessionTemplate, revision: Revision) -> Cached {
        // Model objects always encode (string keys, finite numbers).
        let json = serde_json::to_vec(&template).unwrap_or_default();
        Cached {
            template,
            digest: Sha256::digest(&json).into(),
            json: json.into(),
            revision,
        }
    }
}

/// How long a template write waits, after its commit returned, before it is
/// acknowledged (over a shared database only): the "commit wait" that lets
/// [`RevisionChecks`] answer from a check started shortly before a request.
pub(crate) const COMMIT_WAIT: Duration = Duration::from_millis(1);

/// A revision check serves the requests that arrive less than this after its
/// query started: less than [`COMMIT_WAIT`], with a margin for two machines'
/// clocks running at slightly different rates.
pub(crate) const FRESH: Duration = Duration::from_micros(900);

const _: () = assert!(
    FRESH.as_nanos() < COMMIT_WAIT.as_nanos(),
    "a check must not outlive the commit wait"
);

/// A hot template's check is run again once the last one is this old, so
/// that its readers find a fresh one instead of waiting.
const REFRESH: Duration = Duration::from_micros(450);

/// Revision checks of cached templates, shared by the requests of each
/// template. Why a check that started before a request arrived may answer
/// it: a write is acknowledged only [`COMMIT_WAIT`] after its commit
/// returned. A request that arrives after the acknowledgement, at `t`,
/// takes only a check whose query started after `t - FRESH`, so after the
/// commit had returned: its snapshot holds the write. Both durations are
/// each measured on one machine's monotonic clock; no two clocks are
/// compared. So a hot template's readers do not wait for a query: one
/// finished less than [`FRESH`] ago answers at once, and one is started
/// again in the background after [`REFRESH`]; otherwise a reader joins a
/// query in flight that started recently enough, or starts one. A query
/// that fails is never kept: its waiters read the store themselves.
#[derive(Debug, Default)]
pub(crate) struct RevisionChecks {
    slots: Mutex<HashMap<TemplateKey, Slot>>,
}

#[derive(Debug, Default)]
struct Slot {
    /// The newest finished check: when its query started, and what it read.
    done: Option<(Instant, Option<Revision>)>,
    /// The newest check in flight: when it started, and its waiters' batch.
    running: Option<(Instant, Arc<Batch>)>,
}

/// What a revision check found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Checked {
    /// The template's revision now (`None`: no such template).
    Now(Option<Revision>),
    /// The query failed: each waiter reads the store itself, and meets the error.
    Failed,
}

/// One query's answer, shared by the requests waiting for it.
#[derive(Debug, Default)]
struct Batch {
    answer: std::sync::OnceLock<Checked>,
    done: tokio::sync::Notify,
}

impl Batch {
    async fn wait(&self) -> Checked {
        loop {
            let notified = self.done.notified();
            tokio::pin!(notified);
            notified.as_mut().enable();
            if let Some(answer) = self.answer.get() {
                return *answer;
            }
            notified.await;
        }
    }

    fn finish(&self, answer: Checked) {
        let _ = self.answer.set(answer);
        self.done.notify_waiters();
    }
}

/// What a request does about its check.
enum Step {
    Answer(Option<Revision>),
    Wait(Arc<Batch>),
}

impl RevisionChecks {
    /// The template's revision, read by a query that started less than
    /// [`FRESH`] before this call (see the type's docs). Queries run in
    /// tasks of their own, so a request that goes away cannot leave others
    /// waiting.
    pub(crate) async fn check(
        self: &Arc<Self>,
        store: &Store,
        tenant: &Tenant,
        id: &SessionTemplateId,
    ) -> Checked {
        self.check_arrived(store, tenant, id, Instant::now()).await
    }

    /// [`check`](Self::check) for a request that arrived at `arrived`: a
    /// query it starts counts as started then (no later than it does).
    async fn check_arrived(
        self: &Arc<Self>,
        store: &Store,
        tenant: &Tenant,
        id: &SessionTemplateId,
        arrived: Instant,
    ) -> Checked {
        let key = template_key(tenant, id);
        let step = {
            let mut slots = self.slots.lock().unwrap_or_else(|e| e.into_inner());
            let slot = slots.entry(key.clone()).or_default();
            let recent = |started: Instant| arrived.saturating_duration_since(started) < FRESH;
            match (slot.done, &slot.running) {
                (Some((started, revision)), running) if recent(started) => {
                    if running.is_none() && arrived.saturating_duration_since(started) >= REFRESH {
                        slot.running = Some(self.start(key, store, tenant, id, arrived));
                    }
                    Step::Answer(revision)
                }
                (_, Some((started, batch))) if recent(*started) => Step::Wait(batch.clone()),
                _ => {
                    let (started, batch) = self.start(key, store, tenant, id, arrived);
                    slot.running = Some((started, batch.clone()));
                    Step::Wait(batch)
                }
            }
        };
        match step {
            Step::Answer(revision) => Checked::Now(revision),
            Step::Wait(batch) => batch.wait().await,
        }
    }

    /// Starts a query (the caller holds the lock and records it as running).
    fn start(
        self: &Arc<Self>,
        key: TemplateKey,
        store: &Store,
        tenant: &Tenant,
        id: &SessionTemplateId,
        started: Instant,
    ) -> (Instant, Arc<Batch>) {
        let batch = Arc::new(Batch::default());
        let (checks, store, tenant, id, run) = (
            self.clone(),
            store.clone(),
            tenant.clone(),
            id.clone(),
            batch.clone(),
        );
        tokio::spawn(async move {
            let answer = match store.template_revision(&tenant, &id).await {
                Ok(now) => Checked::Now(now),
                Err(_) => Checked::Failed,
            };
            checks.finish(&key, started, &run, answer);
            run.finish(answer);
        });
        (started, batch)
    }

    /// Records a finished query: the newest answer is kept, and slots
    /// whose answers are too old to serve anyone go when there are many.
    fn finish(&self, key: &TemplateKey, started: Instant, batch: &Arc<Batch>, answer: Checked) {
        let mut slots = self.slots.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(slot) = slots.get_mut(key) {
            if slot.running.as_ref().is_some_and(|(_, b)| Arc::ptr_eq(b, batch)) {
                slot.running = None;
            }
            if let Checked::Now(revision) = answer
                && slot.done.is_none_or(|(newest, _)| newest < started)
            {
                slot.done = Some((started, revision));
            }
        }
        if slots.len() > 2 * TEMPLATES {
            let now = Instant::now();
            slots.retain(|_, s| {
                s.running.is_some()
                    || s.done
                        .is_some_and(|(at, _)| now.saturating_duration_since(at) < FRESH)
            });
        }
    }
}

/// How many templates are kept.
pub(crate) const TEMPLATES: usize = 10_000;

/// How many tools answers are kept, and their bytes together.
pub(crate) const TOOLS: usize = 256;
pub(crate) const TOOLS_BYTES: usize = 64 * 1024 * 1024;

fn capacity(n: usize) -> NonZeroUsize {
    NonZeroUsize::new(n).unwrap_or(NonZeroUsize::MIN)
}

/// The template cache, and the count of forgotten writes.
#[derive(Debug)]
pub(crate) struct Templates {
    inner: Mutex<(LruCache<TemplateKey, Arc<Cached>>, u64)>,
}

impl Templates {
    pub(crate) fn new(n: usize) -> Self {
        Templates {
            inner: Mutex::new((LruCache::new(capacity(n)), 0)),
        }
    }

    pub(crate) fn get(&self, key: &TemplateKey) -> Option<Arc<Cached>> {
        self.inner
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .0
            .get(key)
            .cloned()
    }

    /// The count of forgotten writes: read it before reading the store.
    pub(crate) fn generation(&self) -> u64 {
        self.inner.lock().unwrap_or_else(|e| e.into_inner()).1
    }

    /// Keeps `value` if no write was forgotten since `generation` was read.
    pub(crate) fn put_if_unchanged(&self, key: TemplateKey, value: Arc<Cached>, generation: u64) {
        let mut guard = self.inner.lock().unwrap_or_else(|e| e.into_inner());
        if guard.1 == generation {
            guard.0.put(key, value);
        }
    }

    /// After a write: drops `key` and counts the write, in one step.
    pub(crate) fn forget(&self, key: &TemplateKey) {
        let mut guard = self.inner.lock().unwrap_or_else(|e| e.into_inner());
        guard.1 += 1;
        guard.0.pop(key);
    }

    pub(crate) fn len(&self) -> usize {
        self.inner.lock().unwrap_or_else(|e| e.into_inner()).0.len()
    }
}

/// Everything a tools answer depends on: the instance, the template's
/// content, the catalog's generation.
pub(crate) type ToolsKey = (String, [u8; 32], u64);

pub(crate) fn tools_key(tenant: &Tenant, t: &Cached, catalog_generation: u64) -> ToolsKey {
    (tenant.name().to_owned(), t.digest, catalog_generation)
}

/// Rendered tools answers: at most `capacity` entries of at most `budget`
/// bytes together; an answer larger than the budget is not kept.
#[derive(Debug)]
pub(crate) struct Tools {
    inner: Mutex<(LruCache<ToolsKey, axum::body::Bytes>, usize)>,
    budget: usize,
}

impl Tools {
    pub(crate) fn new(n: usize, budget: usize) -> Self {
        Tools {
            inner: Mutex::new((LruCache::new(capacity(n)), 0)),
            budget,
        }
    }

    pub(crate) fn get(&self, key: &ToolsKey) -> Option<axum::body::Bytes> {
        self.inner
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .0
            .get(key)
            .cloned()
    }

    pub(crate) fn put(&self, key: ToolsKey, value: axum::body::Bytes) {
        if value.len() > self.budget {
            return;
        }
        let mut guard = self.inner.lock().unwrap_or_else(|e| e.into_inner());
        let (map, total) = &mut *guard;
        if let Some(old) = map.pop(&key) {
            *total -= old.len();
        }
        while map.len() >= map.cap().get() || *total + value.len() > self.budget {
            match map.pop_lru() {
                Some((_, old)) => *total -= old.len(),
                None => break,
            }
        }
        *total += value.len();
        map.put(key, value);
    }

    /// Entries and their bytes together.
    pub(crate) fn usage(&self) -> (usize, usize) {
        let guard = self.inner.lock().unwrap_or_else(|e| e.into_inner());
        (guard.0.len(), guard.1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEMPLATE: &str = r#"{"object": "session.template", "id": "stm_Example7sTuVwXyZ", "status": "active",
        "name": "one", "description": null, "metadata": {}, "providers": [],
        "created_at": "2026-03-02T16:20:00.000Z", "updated_at": "2026-03-02T16:20:00.000Z"}"#;

    /// The rule the shared checks rest on: a check answers the requests
    /// that arrive less than [`FRESH`] after it started, and no later one
    /// (which then sees a write committed meanwhile).
    #[tokio::test]
    async fn a_check_answers_the_requests_of_the_next_fresh_window_and_no_later_one() {
        let now = "2026-03-02T16:20:00.000Z".parse().unwrap();
        let store = Store::open("sqlite::memory:").await.unwrap();
        let tenant = store.ensure_instance("acme", now).await.unwrap();
        let t: SessionTemplate = switchboard_model::decode::from_str(TEMPLATE).unwrap();
        store.insert_template(&tenant, &t).await.unwrap();
        let checks = Arc::new(RevisionChecks::default());
        let mut current = t.clone();
        for round in 0..3 {
            let started = Instant::now() + FRESH * 2 * round;
            let Checked::Now(before) = checks.check_arrived(&store, &tenant, &t.id, started).await else {
                panic!("the check failed");
            };
            let mut changed = current.clone();
            changed.name = format!("round {round}");
            store
                .update_template(&tenant, &changed, &current, &[])
                .await
                .unwrap();
            current = changed;
            let inside = started + FRESH - Duration::from_micros(1);
            let shared = checks.check_arrived(&store, &tenant, &t.id, inside).await;
            assert_eq!(shared, Checked::Now(before), "round {round}: inside the window");
            let after = checks
                .check_arrived(&store, &tenant, &t.id, started + FRESH)
                .await;
            assert!(
                matches!(after, Checked::Now(Some(_))) && after != Checked::Now(before),
                "round {round}: a request at the window's end read from before the write: {after:?}"
            );
        }
    }
}
