//! How the server runs: [`Settings`], every limit on by default, and the
//! [`Clock`] requests read.

use std::time::Duration;

use crate::{cache, transport};

/// How the server runs: every limit is on by default.
#[derive(Debug, Clone)]
pub struct Settings {
    /// Largest request body, in bytes (1 MiB by default).
    pub body_limit: usize,
    /// The server's public base URL (for setup-session links).
    pub public_url: String,
    /// Requests per caller per minute (`None`: no limit); 1,200 by default.
    /// A caller is a key this server has verified, else a client address.
    pub rate_limit: Option<u32>,
    /// Time for a request's head to arrive, from the connection's start or
    /// the end of the previous answer (10 s by default).
    pub header_read_timeout: Duration,
    /// Proxies (load balancers) whose `X-Forwarded-For` is believed: when
    /// the connection's peer is in one of these ranges, the client address
    /// the rate limiter counts is the right-most address of the header that
    /// is not itself a trusted proxy. Empty by default: the peer is the client.
    pub trusted_proxies: Vec<ipnet::IpNet>,
    /// Time for a request's body to arrive once its head has (30 s by
    /// default); later is `408 request_timeout`.
    pub body_read_timeout: Duration,
    /// A connection with no request in flight for this long is closed
    /// (5 s by default).
    pub keep_alive_timeout: Duration,
    /// Connections open at once; more wait to be accepted (1,024 by default).
    pub max_connections: usize,
    /// Header fields in one request (100 by default); more is `431`.
    pub max_headers: usize,
    /// Bytes of one request's head, request line included (64 KiB by
    /// default); more is `431`.
    pub max_header_bytes: usize,
    /// After shutdown begins, how long requests in flight may take before
    /// their connections are cut (10 s by default).
    pub shutdown_grace: Duration,
    /// Templates kept in memory (10,000 by default).
    pub template_cache_entries: usize,
    /// `provider.tools` answers kept in memory (256 by default) ...
    pub tools_cache_entries: usize,
    /// ... and their bytes together (64 MiB by default).
    pub tools_cache_bytes: usize,
    /// Where a request reads the time (the system clock by default).
    pub clock: Clock,
    /// The key credentials are sealed with (contract §9). `None`: a key
    /// made at start and held in memory only, which suits an in-memory
    /// database; a server over a file must be given its key (`serve` reads
    /// it from the environment or a key file).
    pub credential_key: Option<crate::seal::Sealer>,
}

/// The time source requests read once each ([`Settings::clock`]): the
/// system clock, or a function (a test's controlled clock).
#[derive(Clone, Default)]
pub struct Clock(Option<std::sync::Arc<dyn Fn() -> switchboard_model::Timestamp + Send + Sync>>);

impl Clock {
    /// A clock that reads `f`.
    pub fn from_fn(f: impl Fn() -> switchboard_model::Timestamp + Send + Sync + 'static) -> Clock {
        Clock(Some(std::sync::Arc::new(f)))
    }

    /// The time now.
    pub fn now(&self) -> switchboard_model::Timestamp {
        match &self.0 {
            Some(f) => f(),
            None => crate::now(),
        }
    }
}

impl std::fmt::Debug for Clock {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(if self.0.is_some() {
            "Clock(custom)"
        } else {
            "Clock(system)"
        })
    }
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            body_limit: 1024 * 1024,
            public_url: "http://127.0.0.1:4300".to_owned(),
            rate_limit: Some(1200),
            header_read_timeout: Duration::from_secs(10),
            keep_alive_timeout: Duration::from_secs(5),
            body_read_timeout: Duration::from_secs(30),
            trusted_proxies: Vec::new(),
            max_connections: 1024,
            max_headers: transport::DEFAULT_MAX_HEADERS,
            max_header_bytes: 64 * 1024,
            shutdown_grace: Duration::from_secs(10),
            template_cache_entries: cache::TEMPLATES,
            tools_cache_entries: cache::TOOLS,
            tools_cache_bytes: cache::TOOLS_BYTES,
            clock: Clock::default(),
            credential_key: None,
        }
    }
}
