//! Secret API keys: shown once, stored as hashes.

use sha2::{Digest, Sha256};
use switchboard_model::codec::to_base62;

/// The prefix of every secret key.
pub const SECRET_KEY_PREFIX: &str = "metorial_sk_";

/// A secret key, as its creator sees it once. `Debug` never shows it.
#[derive(Clone, PartialEq, Eq)]
pub struct ApiKey {
    secret: String,
}

impl ApiKey {
    /// The key made of 32 random bytes (from the operating system's
    /// generator): `metorial_sk_` and 43 base62 characters.
    pub fn from_random(random: [u8; 32]) -> ApiKey {
        ApiKey {
            secret: format!("{SECRET_KEY_PREFIX}{}", to_base62(&random)),
        }
    }

    /// What the store keeps of a secret: its SHA-256 in hex (also a safe
    /// key for a cache of known keys, which then holds no secret).
    pub fn hash_of(secret: &str) -> String {
        hash(secret)
    }

    /// The secret text, to show its creator once.
    pub fn secret(&self) -> &str {
        &self.secret
    }
}

impl std::fmt::Debug for ApiKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ApiKey(<redacted>)")
    }
}

/// What the store keeps of a key: its SHA-256, in hex. A key is 256 random
/// bits, so a fast hash is enough (there is nothing to guess).
pub(crate) fn hash(secret: &str) -> String {
    hex::encode(Sha256::digest(secret.as_bytes()))
}
