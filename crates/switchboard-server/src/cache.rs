//! Bounded caches in front of the store: rendered `provider.tools` answers,
//! and templates as last written or read. Both assume this server is the
//! database's only writer (one process per SQLite file); every write this
//! server makes to a template or one of its providers drops the template's
//! entries. The least recently used entry goes when a cache is full.

use std::collections::HashMap;
use std::fmt::Write;
use std::hash::Hash;
use std::sync::{Arc, Mutex};

use switchboard_model::SessionTemplate;
use switchboard_model::id::SessionTemplateId;
use switchboard_store::Tenant;

/// Entries with the tick of their last use, and the clock.
type Entries<K, V> = (HashMap<K, (V, u64)>, u64);

/// A bounded map that forgets the least recently used entry: at most
/// `capacity` entries, weighing at most `budget` together.
#[derive(Debug)]
pub(crate) struct Lru<K, V> {
    inner: Mutex<Entries<K, V>>,
    capacity: usize,
    budget: usize,
    weigh: fn(&V) -> usize,
}

impl<K: Hash + Eq + Clone, V: Clone> Lru<K, V> {
    pub(crate) fn new(capacity: usize) -> Self {
        Lru::with_budget(capacity, usize::MAX, |_| 0)
    }

    /// A cache whose entries also weigh (`weigh`) at most `budget` together;
    /// an entry heavier than the budget is not kept.
    pub(crate) fn with_budget(capacity: usize, budget: usize, weigh: fn(&V) -> usize) -> Self {
        Lru {
            inner: Mutex::new((HashMap::new(), 0)),
            capacity,
            budget,
            weigh,
        }
    }

    pub(crate) fn get(&self, key: &K) -> Option<V> {
        let mut guard = self.inner.lock().unwrap_or_else(|e| e.into_inner());
        let (map, tick) = &mut *guard;
        *tick += 1;
        let entry = map.get_mut(key)?;
        entry.1 = *tick;
        Some(entry.0.clone())
    }

    pub(crate) fn put(&self, key: K, value: V) {
        let weight = (self.weigh)(&value);
        if weight > self.budget {
            return;
        }
        let mut guard = self.inner.lock().unwrap_or_else(|e| e.into_inner());
        let (map, tick) = &mut *guard;
        *tick += 1;
        map.remove(&key);
        let mut total: usize = map.values().map(|(v, _)| (self.weigh)(v)).sum();
        while map.len() >= self.capacity || total + weight > self.budget {
            let Some(oldest) = map
                .iter()
                .min_by_key(|(_, (_, used))| *used)
                .map(|(k, _)| k.clone())
            else {
                break;
            };
            if let Some((v, _)) = map.remove(&oldest) {
                total -= (self.weigh)(&v);
            }
        }
        map.insert(key, (value, *tick));
    }

    pub(crate) fn remove(&self, key: &K) {
        self.inner.lock().unwrap_or_else(|e| e.into_inner()).0.remove(key);
    }
}

/// Templates by instance and id.
pub(crate) type TemplateKey = (String, SessionTemplateId);

pub(crate) fn template_key(tenant: &Tenant, id: &SessionTemplateId) -> TemplateKey {
    (tenant.name().to_owned(), id.to_canonical())
}

/// The template cache.
pub(crate) type Templates = Lru<TemplateKey, Arc<SessionTemplate>>;

/// How many templates are kept.
pub(crate) const TEMPLATES: usize = 10_000;

/// How many tools answers are kept, and their bytes together.
pub(crate) const TOOLS: usize = 256;
pub(crate) const TOOLS_BYTES: usize = 64 * 1024 * 1024;

/// Everything a tools answer depends on, as one key.
pub(crate) fn tools_key(tenant: &Tenant, t: &SessionTemplate, catalog_generation: u64) -> String {
    let mut k = format!(
        "{}|{}|{}|{}|{catalog_generation}",
        tenant.name(),
        t.id,
        t.status,
        t.updated_at.as_millis()
    );
    for p in &t.providers {
        let _ = write!(k, "|{}:{}:{}", p.id, p.status, p.updated_at.as_millis());
    }
    k
}
