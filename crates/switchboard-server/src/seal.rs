//! Credentials at rest (contract §9): XChaCha20-Poly1305 under a key that
//! lives outside the database, with the session and provider ids as
//! associated data, so a sealed value moved to another row does not open.
//!
//! A sealed value is `<key id>.<hex of nonce and ciphertext>`; the key id is
//! the first 8 hex digits of the key's SHA-256. A second, old key still
//! opens what it sealed, so a key can be rotated: start with the new key and
//! the old one, re-seal every value (`switchboard rotate-key`), drop the old.
//!
//! ```
//! use switchboard_server::seal::{CredentialKey, Sealer};
//!
//! let key = CredentialKey::from_hex(&"07".repeat(32)).unwrap();
//! let sealer = Sealer::new(key, None);
//! let sealed = sealer.seal(b"lin_api_secret", b"iss_1\0pro_1").unwrap();
//! assert!(!sealed.contains("lin_api_secret"));
//! assert_eq!(sealer.open(&sealed, b"iss_1\0pro_1").unwrap(), b"lin_api_secret");
//! // Other associated data (another row) does not open it.
//! assert!(sealer.open(&sealed, b"iss_2\0pro_1").is_err());
//! // Neither shows itself in a log.
//! assert_eq!(format!("{sealer:?}"), format!("Sealer {{ key: {}, old: None }}", sealer.key_id()));
//! ```

use std::fmt;

use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use sha2::{Digest, Sha256};

/// A 32-byte credential key.
#[derive(Clone)]
pub struct CredentialKey([u8; 32]);

impl CredentialKey {
    /// A key from 32 bytes.
    pub fn from_bytes(bytes: [u8; 32]) -> CredentialKey {
        CredentialKey(bytes)
    }

    /// A key from 64 hex digits (surrounding whitespace ignored).
    pub fn from_hex(text: &str) -> Option<CredentialKey> {
        let text = text.trim();
        if text.len() != 64 {
            return None;
        }
        let mut bytes = [0u8; 32];
        hex::decode_to_slice(text, &mut bytes).ok()?;
        Some(CredentialKey(bytes))
    }

    /// A new key from the operating system's generator; an error, never a
    /// predictable key, when it fails.
    pub fn generate() -> Result<CredentialKey, getrandom::Error> {
        CredentialKey::generate_with(|b| getrandom::fill(b))
    }

    /// A new key from `fill` (the operating system's generator in
    /// [`CredentialKey::generate`]): a generator that fails is an error.
    pub fn generate_with(
        fill: impl FnOnce(&mut [u8; 32]) -> Result<(), getrandom::Error>,
    ) -> Result<CredentialKey, getrandom::Error> {
        let mut bytes = [0u8; 32];
        fill(&mut bytes)?;
        Ok(CredentialKey(bytes))
    }

    /// The key as 64 hex digits, to write it to a key file.
    pub fn to_hex(&self) -> String {
        hex::encode(self.0)
    }

    /// The key's id: the first 8 hex digits of its SHA-256.
    pub fn id(&self) -> String {
        hex::encode(&Sha256::digest(self.0)[..4])
    }
}

impl fmt::Debug for CredentialKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "CredentialKey({})", self.id())
    }
}

/// Why a sealed value does not open.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum SealError {
    /// It was sealed under a key this server does not have.
    #[error("sealed under key {0}, which this server does not have")]
    UnknownKey(String),
    /// It is not a sealed value, or it was changed, or it belongs elsewhere.
    #[error("the sealed value does not open (altered, or sealed for another row)")]
    Invalid,
    /// The random generator failed (no nonce).
    #[error("the system's random generator failed: {0}")]
    Random(String),
}

/// Seals with the current key; opens with the current or the old one.
#[derive(Clone)]
pub struct Sealer {
    current: (String, XChaCha20Poly1305),
    old: Option<(String, XChaCha20Poly1305)>,
}

impl fmt::Debug for Sealer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Sealer")
            .field("key", &format_args!("{}", self.current.0))
            .field("old", &self.old.as_ref().map(|(id, _)| id))
            .finish()
    }
}

const NONCE: usize = 24;

impl Sealer {
    /// A sealer with `current`, and `old` to open values sealed before a rotation.
    pub fn new(current: CredentialKey, old: Option<CredentialKey>) -> Sealer {
        let cipher = |k: CredentialKey| (k.id(), XChaCha20Poly1305::new(&k.0.into()));
        Sealer {
            current: cipher(current),
            old: old.map(cipher),
        }
    }

    /// The current key's id.
    pub fn key_id(&self) -> &str {
        &self.current.0
    }

    /// Seals `plaintext` bound to `aad`, under a fresh random nonce.
    pub fn seal(&self, plaintext: &[u8], aad: &[u8]) -> Result<String, SealError> {
        let mut nonce = [0u8; NONCE];
        getrandom::fill(&mut nonce).map_err(|e| SealError::Random(e.to_string()))?;
        let ct = self
            .current
            .1
            .encrypt(&XNonce::from(nonce), Payload { msg: plaintext, aad })
            .map_err(|_| SealError::Invalid)?;
        let mut out = String::with_capacity(9 + 2 * (NONCE + ct.len()));
        out.push_str(&self.current.0);
        out.push('.');
        out.push_str(&hex::encode(nonce));
        out.push_str(&hex::encode(&ct));
        Ok(out)
    }

    /// Opens a sealed value bound to `aad`.
    pub fn open(&self, sealed: &str, aad: &[u8]) -> Result<Vec<u8>, SealError> {
        let (id, body) = sealed.split_once('.').ok_or(SealError::Invalid)?;
        let cipher = if id == self.current.0 {
            &self.current.1
        } else {
            match &self.old {
                Some((old, c)) if old == id => c,
                _ => return Err(SealError::UnknownKey(id.to_owned())),
            }
        };
        let bytes = hex::decode(body).map_err(|_| SealError::Invalid)?;
        if bytes.len() < NONCE {
            return Err(SealError::Invalid);
        }
        let (nonce, ct) = bytes.split_at(NONCE);
        let nonce: [u8; NONCE] = nonce.try_into().map_err(|_| SealError::Invalid)?;
        cipher
            .decrypt(&XNonce::from(nonce), Payload { msg: ct, aad })
            .map_err(|_| SealError::Invalid)
    }

    /// Whether `sealed` is under the current key (nothing to re-seal).
    pub fn is_current(&self, sealed: &str) -> bool {
        sealed.split_once('.').is_some_and(|(id, _)| id == self.current.0)
    }
}

/// The associated data of a credential: the session's canonical id and the provider id.
pub fn aad(session: &str, provider: &str) -> Vec<u8> {
    let mut aad = Vec::with_capacity(session.len() + provider.len() + 1);
    aad.extend_from_slice(session.as_bytes());
    aad.push(0);
    aad.extend_from_slice(provider.as_bytes());
    aad
}
