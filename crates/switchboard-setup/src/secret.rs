//! The client secret of a hosted setup page (contract §9): a bearer token in
//! the session's URL, derived from a server key and the session id, so that
//! nothing secret is stored with the session and the URL can be rendered on
//! every read. Rotating the server key invalidates every open link.
//!
//! ```
//! use switchboard_model::id::IntegrationSetupSessionId;
//! use switchboard_setup::secret::{ClientSecret, ServerKey};
//!
//! // The caller supplies the randomness (a server reads it from the OS once).
//! let key = ServerKey::from_bytes([7; 32]);
//! let session = IntegrationSetupSessionId::from_static("iss_1");
//! let secret = ClientSecret::derive(&key, &session);
//! assert_eq!(secret.as_str().len(), ClientSecret::LEN);
//! assert!(secret.verify(&key, &session));
//! assert!(ClientSecret::check(&key, &session, secret.as_str()));
//! assert!(!ClientSecret::check(&key, &session, "guess"));
//! // Neither value shows itself in logs.
//! assert_eq!(format!("{key:?} {secret:?}"), "ServerKey(..) ClientSecret(..)");
//! ```

use std::fmt;

use hmac::{KeyInit, Mac};
use sha2::Sha256;
use subtle::ConstantTimeEq;
use switchboard_model::codec::BASE62_ALPHABET;
use switchboard_model::id::IntegrationSetupSessionId;

/// The server's key for client secrets: 32 bytes from the caller's randomness.
#[derive(Clone)]
pub struct ServerKey([u8; 32]);

impl ServerKey {
    /// A key from 32 random bytes.
    pub fn from_bytes(bytes: [u8; 32]) -> ServerKey {
        ServerKey(bytes)
    }

    /// The key's bytes, to store it.
    pub fn as_bytes(&self) -> &[u8; 32] {
        &self.0
    }
}

impl fmt::Debug for ServerKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("ServerKey(..)")
    }
}

/// A session's client secret: 43 base62 characters (256 bits) of
/// HMAC-SHA256(server key, session id).
#[derive(Clone)]
pub struct ClientSecret(String);

impl ClientSecret {
    /// The length of every client secret, in characters.
    pub const LEN: usize = 43;

    /// The secret of `session` under `key`.
    pub fn derive(key: &ServerKey, session: &IntegrationSetupSessionId) -> ClientSecret {
        // A key of any length is valid for HMAC; `new_from_slice` cannot fail here.
        let mut mac = match <hmac::Hmac<Sha256> as KeyInit>::new_from_slice(&key.0) {
            Ok(mac) => mac,
            Err(_) => unreachable_hmac(),
        };
        // The canonical id, so that an alias in a URL opens the same page.
        mac.update(session.to_canonical().as_str().as_bytes());
        let tag: [u8; 32] = mac.finalize().into_bytes().into();
        ClientSecret(fixed_base62(&tag))
    }

    /// The secret as text, for the URL.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Whether this is the secret of `session` under `key` (constant time).
    pub fn verify(&self, key: &ServerKey, session: &IntegrationSetupSessionId) -> bool {
        ClientSecret::check(key, session, &self.0)
    }

    /// Whether `candidate` (from a URL) is the secret of `session` under
    /// `key`, compared in constant time.
    pub fn check(key: &ServerKey, session: &IntegrationSetupSessionId, candidate: &str) -> bool {
        let expected = ClientSecret::derive(key, session);
        bool::from(expected.0.as_bytes().ct_eq(candidate.as_bytes()))
    }
}

impl fmt::Debug for ClientSecret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("ClientSecret(..)")
    }
}

#[cold]
fn unreachable_hmac() -> ! {
    // HMAC accepts keys of every length; this documents the one impossible branch.
    panic!("HMAC-SHA256 refused a 32-byte key")
}

/// 32 bytes as exactly [`ClientSecret::LEN`] base62 digits (left-padded with `0`).
fn fixed_base62(bytes: &[u8; 32]) -> String {
    let text = switchboard_model::codec::to_base62(bytes);
    let pad = ClientSecret::LEN.saturating_sub(text.len());
    let mut out = String::with_capacity(ClientSecret::LEN);
    out.extend(std::iter::repeat_n(char::from(BASE62_ALPHABET[0]), pad));
    out.push_str(&text);
    out
}
