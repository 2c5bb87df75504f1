//! Bounded caches in front of the store: templates as last written or read,
//! and rendered `provider.tools` answers. Both assume this server is the
//! database's only writer (one process per SQLite file); every write this
//! server makes to a template or one of its providers drops the template's
//! entry. The least recently used entry goes when a cache is full (O(1)).
//!
//! - A template read from the store is kept only if no write was forgotten
//!   between the start of the read and the store into the cache: the check
//!   and the store happen under the lock that a write's forget also takes,
//!   so a stale template can never be cached.
//! - A tools answer is keyed by the SHA-256 of the template's wire JSON (its
//!   status and its active providers, filters and all) and the catalog's
//!   generation: any change to what the answer depends on is another key,
//!   however close in time two writes are.

use std::num::NonZeroUsize;
use std::sync::{Arc, Mutex};

use lru::LruCache;
use sha2::{Digest, Sha256};
use switchboard_model::SessionTemplate;
use switchboard_model::id::SessionTemplateId;
use switchboard_store::Tenant;

/// Templates by instance and id.
pub(crate) type TemplateKey = (String, SessionTemplateId);

pub(crate) fn template_key(tenant: &Tenant, id: &SessionTemplateId) -> TemplateKey {
    (tenant.name().to_owned(), id.to_canonical())
}

/// A template with the digest of its wire JSON.
#[derive(Debug)]
pub(crate) struct Cached {
    pub(crate) template: SessionTemplate,
    pub(crate) digest: [u8; 32],
}

impl Cached {
    pub(crate) fn new(template: SessionTemplate) -> Cached {
        // Model objects always encode (string keys, finite numbers).
        let json = serde_json::to_vec(&template).unwrap_or_default();
        Cached {
            template,
            digest: Sha256::digest(&json).into(),
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
