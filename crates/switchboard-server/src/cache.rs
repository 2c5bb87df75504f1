//! Bounded caches in front of the store: templates as last read, and
//! rendered `provider.tools` answers. Every write this server makes to a
//! template or one of its providers drops the template's entry. Over a
//! database other processes write too (PostgreSQL: any number of replicas),
//! a cached template is used only after one indexed read of its revision
//! (which every write to the template or its providers raises, in the same
//! transaction) finds it unchanged: a read after an acknowledged write, on
//! any replica, sees the write. Checks of one template are batched
//! ([`RevisionChecks`]): one query per round trip serves every request
//! that arrived while the previous one ran. (`LISTEN`/`NOTIFY` would save that read but
//! arrives after the write's acknowledgement, so a client could read the old
//! copy on another replica; it also rules out poolers in transaction mode.)
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

use lru::LruCache;
use sha2::{Digest, Sha256};
use switchboard_model::SessionTemplate;
use switchboard_model::id::SessionTemplateId;
use switchboard_store::{Revision, Store, Tenant};

/// Templates by instance and id.
pub(crate) type TemplateKey = (String, SessionTemplateId);

pub(crate) fn template_key(tenant: &Tenant, id: &SessionTemplateId) -> TemplateKey {
    (tenant.name().to_owned(), id.to_canonical())
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

/// Revision checks of cached templates, batched per template: at most one
/// query per template is in flight, and every request that arrives while
/// one runs shares the next. A request joins only a batch whose query has
/// not started, so the answer it gets was read after it arrived: a write
/// acknowledged before the request is seen (the point of the check), while
/// a hot template costs one query per round trip, not one per request.
#[derive(Debug, Default)]
pub(crate) struct RevisionChecks {
    slots: Mutex<HashMap<TemplateKey, Slot>>,
}

#[derive(Debug, Default)]
struct Slot {
    /// The batch still taking requests (its query has not started).
    open: Option<Arc<Batch>>,
    /// The batch started last: the next one starts after it finishes.
    last: Option<Arc<Batch>>,
}

/// What a revision check found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Checked {
    /// The template's revision now (`None`: no such template).
    Now(Option<Revision>),
    /// The query failed: each waiter reads the store itself, and meets the error.
    Failed,
}

/// One query's answer, shared by the requests of its batch.
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

impl RevisionChecks {
    /// The template's revision as stored after this call began. The query
    /// runs in a task of its own, so a request that goes away cannot leave
    /// the others of its batch waiting.
    pub(crate) async fn check(
        self: &Arc<Self>,
        store: &Store,
        tenant: &Tenant,
        id: &SessionTemplateId,
    ) -> Checked {
        let key = template_key(tenant, id);
        let batch = {
            let mut slots = self.slots.lock().unwrap_or_else(|e| e.into_inner());
            let slot = slots.entry(key.clone()).or_default();
            match &slot.open {
                Some(open) => open.clone(),
                None => {
                    let batch = Arc::new(Batch::default());
                    let before = slot.last.replace(batch.clone());
                    slot.open = Some(batch.clone());
                    let (checks, store, tenant, id) =
                        (self.clone(), store.clone(), tenant.clone(), id.clone());
                    let run = batch.clone();
                    tokio::spawn(async move {
                        if let Some(before) = before {
                            before.wait().await;
                        }
                        checks.close(&key, &run);
                        let answer = match store.template_revision(&tenant, &id).await {
                            Ok(now) => Checked::Now(now),
                            Err(_) => Checked::Failed,
                        };
                        run.finish(answer);
                        checks.forget(&key, &run);
                    });
                    batch
                }
            }
        };
        batch.wait().await
    }

    /// Stops `batch` taking requests: its query is about to start.
    fn close(&self, key: &TemplateKey, batch: &Arc<Batch>) {
        let mut slots = self.slots.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(slot) = slots.get_mut(key)
            && slot.open.as_ref().is_some_and(|o| Arc::ptr_eq(o, batch))
        {
            slot.open = None;
        }
    }

    /// Drops the template's slot once `batch`, its last, has finished.
    fn forget(&self, key: &TemplateKey, batch: &Arc<Batch>) {
        let mut slots = self.slots.lock().unwrap_or_else(|e| e.into_inner());
        if slots
            .get(key)
            .is_some_and(|s| s.open.is_none() && s.last.as_ref().is_some_and(|l| Arc::ptr_eq(l, batch)))
        {
            slots.remove(key);
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
