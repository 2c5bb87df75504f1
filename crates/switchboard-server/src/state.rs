//! What every handler shares.

use std::sync::{Arc, Mutex, RwLock};
use std::time::Duration;

use switchboard_model::Timestamp;
use switchboard_model::catalog::{Catalog, CatalogIndex};
use switchboard_model::id::{Id, IdGenerator};
use switchboard_store::{Store, StoreError};

use crate::{Failure, Settings, cache, check_filters, limit};

/// What every handler shares: the store, the catalog, the id generator.
#[derive(Debug, Clone)]
pub struct AppState(Arc<Inner>);

#[derive(Debug)]
struct Inner {
    store: Store,
    catalog: RwLock<Arc<CatalogIndex>>,
    ids: Mutex<IdGenerator>,
    server_key: switchboard_setup::secret::ServerKey,
    catalog_generation: std::sync::atomic::AtomicU64,
    tools: cache::Tools,
    templates: cache::Templates,
    revision_checks: Arc<cache::RevisionChecks>,
    /// Keys seen to be valid, by hash (keys are never revoked through the
    /// API; a bounded map, emptied when full). Unknown keys are not kept.
    keys: Mutex<std::collections::HashMap<String, switchboard_store::Tenant>>,
    limiter: Option<limit::RateLimiter>,
    /// The OpenAPI document, built on first request.
    openapi: std::sync::OnceLock<axum::body::Bytes>,
    /// Seals credentials before they are stored.
    sealer: crate::seal::Sealer,
    /// Validates what end users type on the setup pages.
    validator: switchboard_schema::Validator,
    /// The HTTP client of OAuth token exchanges.
    oauth_http: crate::hosted::OAuthHttp,
    /// Requests, latencies, pool and database errors, for `/metrics`.
    metrics: crate::ops::Metrics,
    settings: Settings,
}

/// What the caches hold ([`AppState::cache_usage`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CacheUsage {
    /// Templates kept.
    pub templates: usize,
    /// `provider.tools` answers kept.
    pub tools: usize,
    /// Their bytes together.
    pub tools_bytes: usize,
}

/// Why the server cannot start.
#[derive(Debug, thiserror::Error)]
pub enum StartError {
    /// The store failed.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The stored or given catalog is inconsistent.
    #[error("catalog: {0}")]
    Catalog(#[from] switchboard_model::Error),
    /// A catalog filter does not compile.
    #[error("catalog: {0}")]
    Filter(#[from] switchboard_toolset::Error),
    /// The listener failed.
    #[error(transparent)]
    Io(#[from] std::io::Error),
    /// The server key is unusable.
    #[error("{0}")]
    Key(&'static str),
    /// The operating system's random generator failed.
    #[error("the system's random generator failed: {0}")]
    Random(String),
}

/// A new server key (64 hex digits) from `fill`, the operating system's
/// random generator in the server: a generator that fails is an error, never
/// a key of zeros.
#[doc(hidden)]
pub fn new_server_key(
    fill: impl FnOnce(&mut [u8; 32]) -> Result<(), getrandom::Error>,
) -> Result<String, StartError> {
    let mut bytes = [0u8; 32];
    fill(&mut bytes).map_err(|e| StartError::Random(e.to_string()))?;
    Ok(hex::encode(bytes))
}

fn parse_key(text: &str) -> Option<switchboard_setup::secret::ServerKey> {
    let mut bytes = [0u8; 32];
    hex::decode_to_slice(text, &mut bytes).ok()?;
    Some(switchboard_setup::secret::ServerKey::from_bytes(bytes))
}

impl AppState {
    /// The state over `store`, with the catalog it holds.
    pub async fn new(store: Store, settings: Settings) -> Result<AppState, StartError> {
        let catalog = store.catalog().await?.index()?;
        // Made before it is known whether one is stored: a failing generator
        // stops the start here instead of storing a predictable key for good.
        let fresh = new_server_key(|b| getrandom::fill(b))?;
        let key = store.server_secret("setup_page_key", || fresh).await?;
        let server_key = parse_key(&key)
            .ok_or_else(|| StartError::Key("the stored setup page key is not 64 hex digits"))?;
        let sealer = match &settings.credential_key {
            Some(sealer) => sealer.clone(),
            None => crate::seal::Sealer::new(
                crate::seal::CredentialKey::generate().map_err(|e| StartError::Random(e.to_string()))?,
                None,
            ),
        };
        Ok(AppState(Arc::new(Inner {
            sealer,
            validator: switchboard_schema::Validator::default(),
            oauth_http: crate::hosted::OAuthHttp::new(),
            metrics: crate::ops::Metrics::new(),
            store,
            catalog: RwLock::new(Arc::new(catalog)),
            ids: Mutex::new(IdGenerator::new()),
            server_key,
            catalog_generation: std::sync::atomic::AtomicU64::new(0),
            tools: cache::Tools::new(settings.tools_cache_entries, settings.tools_cache_bytes),
            templates: cache::Templates::new(settings.template_cache_entries),
            revision_checks: Arc::default(),
            keys: Mutex::new(std::collections::HashMap::new()),
            limiter: settings
                .rate_limit
                .filter(|n| *n > 0)
                .map(|n| limit::RateLimiter::new(n, Duration::from_secs(60), limit::MAX_BUCKETS)),
            openapi: std::sync::OnceLock::new(),
            settings,
        })))
    }

    /// Checks `catalog` (references, and every filter compiles), stores it
    /// and serves it from now on.
    pub async fn load_catalog(
        &self,
        catalog: Catalog,
    ) -> Result<switchboard_store::CatalogChange, StartError> {
        check_filters(&catalog)?;
        let index = catalog.clone().index()?;
        let change = self.0.store.save_catalog(&catalog).await?;
        let mut served = self.0.catalog.write().unwrap_or_else(|e| e.into_inner());
        *served = Arc::new(index);
        self.0
            .catalog_generation
            .fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        drop(served);
        Ok(change)
    }

    /// The store.
    pub fn store(&self) -> &Store {
        &self.0.store
    }

    /// The catalog being served.
    pub fn catalog(&self) -> Arc<CatalogIndex> {
        self.0.catalog.read().unwrap_or_else(|e| e.into_inner()).clone()
    }

    /// The catalog and its generation, read together.
    pub(crate) fn catalog_with_generation(&self) -> (Arc<CatalogIndex>, u64) {
        let served = self.0.catalog.read().unwrap_or_else(|e| e.into_inner());
        let generation = self
            .0
            .catalog_generation
            .load(std::sync::atomic::Ordering::SeqCst);
        (served.clone(), generation)
    }

    pub(crate) fn rate_limiter(&self) -> Option<&limit::RateLimiter> {
        self.0.limiter.as_ref()
    }

    pub(crate) fn known_key(&self, hash: &str) -> Option<switchboard_store::Tenant> {
        self.0
            .keys
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .get(hash)
            .cloned()
    }

    pub(crate) fn remember_key(&self, hash: String, tenant: switchboard_store::Tenant) {
        let mut keys = self.0.keys.lock().unwrap_or_else(|e| e.into_inner());
        if keys.len() >= 10_000 {
            keys.clear();
        }
        keys.insert(hash, tenant);
    }

    pub(crate) fn tools_cache(&self) -> &cache::Tools {
        &self.0.tools
    }

    pub(crate) fn revision_checks(&self) -> &Arc<cache::RevisionChecks> {
        &self.0.revision_checks
    }

    pub(crate) fn templates(&self) -> &cache::Templates {
        &self.0.templates
    }

    /// What the caches hold: templates, tools answers, and the tools
    /// answers' bytes together (each within its bound in [`Settings`]).
    pub fn cache_usage(&self) -> CacheUsage {
        let (tools, tools_bytes) = self.0.tools.usage();
        CacheUsage {
            templates: self.0.templates.len(),
            tools,
            tools_bytes,
        }
    }

    pub(crate) fn settings(&self) -> &Settings {
        &self.0.settings
    }

    pub(crate) fn server_key(&self) -> &switchboard_setup::secret::ServerKey {
        &self.0.server_key
    }

    /// The sealer of credentials.
    pub fn sealer(&self) -> &crate::seal::Sealer {
        &self.0.sealer
    }

    pub(crate) fn validator(&self) -> &switchboard_schema::Validator {
        &self.0.validator
    }

    pub(crate) fn metrics(&self) -> &crate::ops::Metrics {
        &self.0.metrics
    }

    pub(crate) fn oauth_http(&self) -> &crate::hosted::OAuthHttp {
        &self.0.oauth_http
    }

    pub(crate) fn public_url(&self) -> &str {
        &self.0.settings.public_url
    }

    /// The OpenAPI document's bytes (built once).
    pub(crate) fn openapi(&self) -> axum::body::Bytes {
        self.0
            .openapi
            .get_or_init(|| crate::openapi::document(self.public_url()).to_string().into())
            .clone()
    }

    /// Random bits for ids (the operating system's generator).
    pub(crate) fn random(&self) -> Result<u128, Failure> {
        random_u128().map_err(|e| Failure::internal(&e))
    }

    pub(crate) fn body_limit(&self) -> usize {
        self.0.settings.body_limit
    }

    /// The time of this request (read once per request, passed down).
    pub(crate) fn now(&self) -> Timestamp {
        self.0.settings.clock.now()
    }

    /// A new id of kind `I`, ordered after every id this server made before.
    pub(crate) fn new_id<I: Id>(&self, now: Timestamp) -> Result<I, Failure> {
        let random = random_u128().map_err(|e| Failure::internal(&e))?;
        let mut ids = self.0.ids.lock().unwrap_or_else(|e| e.into_inner());
        Ok(ids.next(now, random)?)
    }
}

fn random_u128() -> Result<u128, getrandom::Error> {
    let mut bytes = [0u8; 16];
    getrandom::fill(&mut bytes)?;
    Ok(u128::from_le_bytes(bytes))
}
