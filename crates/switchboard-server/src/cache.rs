//! Rendered `provider.tools` answers, kept while nothing they depend on
//! changes: the template, each of its providers (their `updated_at` moves
//! with every change, filters included) and the catalog (a generation count
//! that every load moves). Bounded; the least recently used answer goes.

use std::collections::HashMap;
use std::fmt::Write;
use std::sync::Mutex;

use axum::body::Bytes;
use switchboard_model::SessionTemplate;
use switchboard_store::Tenant;

/// How many answers are kept.
pub(crate) const CAPACITY: usize = 256;

#[derive(Debug, Default)]
pub(crate) struct ToolsCache {
    inner: Mutex<Inner>,
}

#[derive(Debug, Default)]
struct Inner {
    answers: HashMap<String, (Bytes, u64)>,
    tick: u64,
}

/// Everything the answer depends on, as one key.
pub(crate) fn key(tenant: &Tenant, t: &SessionTemplate, catalog_generation: u64) -> String {
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

impl ToolsCache {
    pub(crate) fn get(&self, key: &str) -> Option<Bytes> {
        let mut inner = self.inner.lock().unwrap_or_else(|e| e.into_inner());
        inner.tick += 1;
        let tick = inner.tick;
        let entry = inner.answers.get_mut(key)?;
        entry.1 = tick;
        Some(entry.0.clone())
    }

    pub(crate) fn put(&self, key: String, answer: Bytes) {
        let mut inner = self.inner.lock().unwrap_or_else(|e| e.into_inner());
        inner.tick += 1;
        let tick = inner.tick;
        if inner.answers.len() >= CAPACITY
            && let Some(oldest) = inner
                .answers
                .iter()
                .min_by_key(|(_, (_, used))| *used)
                .map(|(k, _)| k.clone())
        {
            inner.answers.remove(&oldest);
        }
        inner.answers.insert(key, (answer, tick));
    }
}
