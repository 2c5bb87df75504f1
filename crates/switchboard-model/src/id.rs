//! Prefixed object ids (`pro_5gHjKlMnPqRsTuVw`), one type per kind.
//!
//! Every id is `prefix_` + body. The body is any non-empty run of
//! `[0-9A-Za-z]` (documentation examples use short bodies); ids this crate
//! generates have the 22-character, time-sortable body of the live service:
//! 9 base-36 digits of the creation time in milliseconds, then 13 random
//! base-62 characters.
//!
//! An id keeps the exact text it was parsed from, so aliases (`set_` for a
//! session template) encode back unchanged. Ids compare, order and hash by
//! their canonical form: `set_X == stm_X`, and lists sort the same whichever
//! prefix a client wrote.
//!
//! ```
//! use switchboard_model::id::{ProviderId, SessionTemplateId};
//!
//! let id: SessionTemplateId = "set_2bCdEfGhJkLmNpQr".parse()?;
//! assert_eq!(id.prefix(), "set");
//! assert_eq!(id.to_canonical().as_str(), "stm_2bCdEfGhJkLmNpQr");
//! assert_eq!(id, id.to_canonical()); // the same id, whichever prefix
//!
//! let err = "pro_5gHjKlMnPqRsTuVw".parse::<SessionTemplateId>().unwrap_err();
//! assert_eq!(
//!     err.to_string(),
//!     "expected a session template id (prefix `stm_` or `set_`), found a provider id (prefix `pro_`)"
//! );
//! # let _ = ProviderId::from_static("pro_x");
//! Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use std::fmt;

use crate::error::Error;
use crate::timestamp::Timestamp;

/// The longest id body accepted (the live service uses 22 characters).
pub const MAX_BODY_LEN: usize = 64;

/// Length of a generated id body.
pub const GENERATED_BODY_LEN: usize = 22;

mod check;
mod generate;
mod text;

pub(crate) use check::IdProblem;
use check::{validate, validate_liberal};
use generate::generate_body;
pub use generate::{IdGenerator, RANDOM_SPACE};
use text::IdText;

thread_local! {
    static STRICT_IDS: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Whether ids being decoded on this thread must carry their own kind's prefix.
pub(crate) fn strict_ids() -> bool {
    STRICT_IDS.with(std::cell::Cell::get)
}

/// Runs `f` with strict ids: a prefix of another kind is an error, as for
/// every id a caller sends. The decoders' strict mode uses it.
pub(crate) fn with_strict_ids<R>(f: impl FnOnce() -> R) -> R {
    /// Puts the flag back however `f` ends.
    struct Restore(bool);
    impl Drop for Restore {
        fn drop(&mut self) {
            STRICT_IDS.with(|s| s.set(self.0));
        }
    }
    let _restore = Restore(STRICT_IDS.with(|s| s.replace(true)));
    f()
}

thread_local! {
    static REQUEST_VALUES: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Whether the value being decoded on this thread comes from a caller's
/// request body: open enums declared `as "name"` then refuse unknown values.
pub(crate) fn request_values() -> bool {
    REQUEST_VALUES.with(std::cell::Cell::get)
}

/// Runs `f` as the decoding of a caller's values: strict ids, and known
/// values only for open enums that a request may not extend.
pub(crate) fn with_request_values<R>(f: impl FnOnce() -> R) -> R {
    struct Restore(bool);
    impl Drop for Restore {
        fn drop(&mut self) {
            REQUEST_VALUES.with(|s| s.set(self.0));
        }
    }
    let _restore = Restore(REQUEST_VALUES.with(|s| s.replace(true)));
    with_strict_ids(f)
}

/// `#[serde(deserialize_with = "…")]` for an id a caller sends (request
/// bodies): its own kind's prefix or an alias, whatever the decoding mode.
pub fn strict<'de, D: serde::Deserializer<'de>, I: Id>(d: D) -> Result<I, D::Error> {
    use serde::Deserialize;
    let text = String::deserialize(d)?;
    text.parse::<I>().map_err(serde::de::Error::custom)
}

/// [`strict`] for an optional id (`null` or absent is `None`).
pub fn strict_opt<'de, D: serde::Deserializer<'de>, I: Id>(d: D) -> Result<Option<I>, D::Error> {
    use serde::Deserialize;
    match Option::<String>::deserialize(d)? {
        None => Ok(None),
        Some(text) => text.parse::<I>().map(Some).map_err(serde::de::Error::custom),
    }
}

/// A value with a canonical form that means the same: an id with its
/// canonical prefix (`set_X` becomes `stm_X`); a closed enum value is its own.
/// Query decoding canonicalises every value that comes from a caller.
pub trait Canonical: Sized + std::str::FromStr<Err = Error> {
    /// The canonical form.
    fn into_canonical(self) -> Self;

    /// Parses `text` straight into the canonical form.
    fn parse_canonical(text: &str) -> Result<Self, Error> {
        text.parse().map(Self::into_canonical)
    }
}

/// What every id type offers, for code generic over the kind (a store's
/// keyset pages, a list query's positions).
pub trait Id:
    Clone
    + Eq
    + Ord
    + std::hash::Hash
    + fmt::Debug
    + fmt::Display
    + std::str::FromStr<Err = Error>
    + AsRef<str>
    + Canonical
{
    /// The kind's name, as used in error messages.
    const KIND: &'static str;
    /// The canonical prefix, without the underscore.
    const PREFIX: &'static str;
    /// The whole id text, as written.
    fn as_str(&self) -> &str;
    /// The same id with the canonical prefix.
    fn to_canonical(&self) -> Self;
    /// Whether the prefix belongs to another kind or to none known (only a
    /// response may carry such an id; a caller's id never may).
    fn is_foreign(&self) -> bool;
    /// A new id: the creation time, then 13 base-62 characters from `random`.
    fn generate(created_at: Timestamp, random: u128) -> Result<Self, Error>;
}

macro_rules! define_ids {
    ($(
        $(#[$meta:meta])*
        $name:ident => $kind:literal, $prefix:literal $(, aliases = [$($alias:literal),*])?;
    )*) => {
        /// Every kind's canonical prefix and aliases: `(kind, prefix, aliases)`.
        pub const PREFIXES: &[(&str, &str, &[&str])] = &[
            $(($kind, $prefix, &[$($($alias),*)?]),)*
        ];

        $(
            $(#[$meta])*
            #[doc = concat!("\n\nPrefix `", $prefix, "_`", $($(" (alias `", $alias, "_`)",)*)? ".")]
            #[derive(Clone)]
            pub struct $name(IdText);

            // Liberal on responses: a well-formed id with another kind's prefix
            // is kept as written; strict when the decoder asks (strict mode,
            // and every id a caller sends, through `id::strict`).
            impl<'de> serde::Deserialize<'de> for $name {
                fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                    let text = String::deserialize(d)?;
                    if strict_ids() {
                        Self::try_from(text).map_err(serde::de::Error::custom)
                    } else {
                        validate_liberal(&text, Self::KIND, Self::PREFIX, Self::ALIASES)
                            .map_err(|p| serde::de::Error::custom(Error::from(p)))?;
                        Ok(Self(IdText::from_string(text)))
                    }
                }
            }

            // Equality, order and hashing use the canonical form: every id of
            // one type has that type's prefix or one of its aliases, so the
            // canonical form differs only by the body, and `set_X == stm_X`.
            impl PartialEq for $name {
                fn eq(&self, other: &Self) -> bool {
                    self.0.parts(Self::PREFIX, Self::ALIASES) == other.0.parts(Self::PREFIX, Self::ALIASES)
                }
            }

            impl Eq for $name {}

            impl std::hash::Hash for $name {
                fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
                    self.0.parts(Self::PREFIX, Self::ALIASES).hash(state);
                }
            }

            impl PartialOrd for $name {
                fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
                    Some(self.cmp(other))
                }
            }

            impl Ord for $name {
                fn cmp(&self, other: &Self) -> std::cmp::Ordering {
                    self.0.parts(Self::PREFIX, Self::ALIASES).cmp(&other.0.parts(Self::PREFIX, Self::ALIASES))
                }
            }

            impl Canonical for $name {
                fn into_canonical(self) -> Self {
                    if self.prefix() == Self::PREFIX || self.is_foreign() { self } else { self.to_canonical() }
                }

                fn parse_canonical(text: &str) -> Result<Self, Error> {
                    let sep = validate(text, Self::KIND, Self::PREFIX, Self::ALIASES)?;
                    if sep == Self::PREFIX.len() {
                        // The canonical prefix (an alias of the same length would differ).
                        if text.as_bytes()[..sep] == *Self::PREFIX.as_bytes() {
                            return Ok(Self(IdText::new(text)));
                        }
                    }
                    Ok(Self(IdText::joined(Self::PREFIX, &text[sep + 1..])))
                }
            }

            impl Id for $name {
                const KIND: &'static str = $kind;
                const PREFIX: &'static str = $prefix;
                fn as_str(&self) -> &str {
                    self.0.as_str()
                }
                fn to_canonical(&self) -> Self {
                    $name::to_canonical(self)
                }
                fn is_foreign(&self) -> bool {
                    $name::is_foreign(self)
                }
                fn generate(created_at: Timestamp, random: u128) -> Result<Self, Error> {
                    $name::generate(created_at, random)
                }
            }

            impl serde::Serialize for $name {
                fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                    s.serialize_str(self.0.as_str())
                }
            }

            impl $name {
                /// The kind's name, as used in error messages.
                pub const KIND: &'static str = $kind;
                /// The canonical prefix, without the underscore.
                pub const PREFIX: &'static str = $prefix;
                /// Prefixes also accepted on input, without the underscore.
                pub const ALIASES: &'static [&'static str] = &[$($($alias),*)?];

                /// Parses and validates an id.
                pub fn parse(text: &str) -> Result<Self, Error> {
                    validate(text, Self::KIND, Self::PREFIX, Self::ALIASES)?;
                    Ok(Self(IdText::new(text)))
                }

                /// Parses an id known at compile time.
                ///
                /// # Panics
                ///
                /// If `text` is not a valid id of this kind; meant for constants in tests and examples.
                #[track_caller]
                pub fn from_static(text: &'static str) -> Self {
                    match Self::parse(text) {
                        Ok(id) => id,
                        Err(e) => panic!("{e}"),
                    }
                }

                /// Generates a new id with the canonical prefix: the creation time
                /// (9 base-36 digits of milliseconds) then 13 base-62 characters
                /// taken from `random`. The caller supplies both, so ids are
                /// reproducible in tests.
                pub fn generate(created_at: Timestamp, random: u128) -> Result<Self, Error> {
                    let body = generate_body(created_at, random)?;
                    Ok(Self(IdText::joined(Self::PREFIX, &body)))
                }

                /// The whole id text.
                pub fn as_str(&self) -> &str {
                    self.0.as_str()
                }

                /// The prefix as written, without the underscore (may be an alias).
                pub fn prefix(&self) -> &str {
                    let text = self.0.as_str();
                    let sep = text.find('_').unwrap_or(0);
                    &text[..sep]
                }

                /// The body after the underscore.
                pub fn body(&self) -> &str {
                    let text = self.0.as_str();
                    let sep = text.find('_').map_or(0, |i| i + 1);
                    &text[sep..]
                }

                /// Whether the prefix belongs to another kind (or to none known): only
                /// ids decoded from a response can be so; strict decoding refuses them.
                pub fn is_foreign(&self) -> bool {
                    let p = self.prefix();
                    p != Self::PREFIX && !Self::ALIASES.contains(&p)
                }

                /// The same id with the canonical prefix (a foreign prefix is kept as written).
                pub fn to_canonical(&self) -> Self {
                    if self.prefix() == Self::PREFIX || self.is_foreign() {
                        self.clone()
                    } else {
                        Self(IdText::joined(Self::PREFIX, self.body()))
                    }
                }
            }

            impl fmt::Display for $name {
                fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                    f.write_str(self.0.as_str())
                }
            }

            impl fmt::Debug for $name {
                fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                    write!(f, "{}({:?})", stringify!($name), self.0.as_str())
                }
            }

            impl std::str::FromStr for $name {
                type Err = Error;
                fn from_str(s: &str) -> Result<Self, Error> {
                    Self::parse(s)
                }
            }

            impl TryFrom<String> for $name {
                type Error = Error;
                fn try_from(s: String) -> Result<Self, Error> {
                    validate(&s, Self::KIND, Self::PREFIX, Self::ALIASES)?;
                    Ok(Self(IdText::from_string(s)))
                }
            }

            impl From<$name> for String {
                fn from(id: $name) -> String {
                    id.0.into_string()
                }
            }

            impl AsRef<str> for $name {
                fn as_ref(&self) -> &str {
                    self.0.as_str()
                }
            }

            #[cfg(feature = "proptest")]
            impl proptest::arbitrary::Arbitrary for $name {
                type Parameters = ();
                type Strategy = proptest::strategy::BoxedStrategy<Self>;
                fn arbitrary_with(_: ()) -> Self::Strategy {
                    use proptest::prelude::*;
                    let prefixes: Vec<&'static str> =
                        std::iter::once(Self::PREFIX).chain(Self::ALIASES.iter().copied()).collect();
                    (proptest::sample::select(prefixes), "[0-9A-Za-z]{1,22}")
                        .prop_map(|(p, body)| Self(IdText::joined(p, &body)))
                        .boxed()
                }
            }
        )*
    };
}

define_ids! {
    /// A provider: an integration in the catalog (GitHub, Slack, ...).
    ProviderId => "provider", "pro";
    /// A release of a provider.
    ProviderVersionId => "provider version", "prv";
    /// A running instance of a provider.
    ProviderDeploymentId => "provider deployment", "pde", aliases = ["pdp"];
    /// Configuration values for a deployment.
    ProviderConfigId => "provider config", "pcf";
    /// A vault of provider configs.
    ProviderConfigVaultId => "provider config vault", "pcvt";
    /// A user's authentication for a provider.
    ProviderAuthConfigId => "provider auth config", "pac";
    /// Auth credentials, such as an OAuth client.
    ProviderAuthCredentialsId => "provider auth credentials", "par";
    /// An auth method of a provider (oauth, token, custom).
    ProviderAuthMethodId => "provider auth method", "pam";
    /// A scope of an OAuth auth method.
    ProviderAuthMethodScopeId => "provider auth method scope", "pams", aliases = ["pamsco"];
    /// A provider specification.
    ProviderSpecificationId => "provider specification", "psp";
    /// A tool of a provider.
    ProviderToolId => "provider tool", "pto";
    /// A provider setup session: the hosted flow for one provider.
    ProviderSetupSessionId => "provider setup session", "pas";
    /// A provider group.
    ProviderGroupId => "provider group", "pgr";
    /// A provider collection.
    ProviderCollectionId => "provider collection", "pco";
    /// A provider category.
    ProviderCategoryId => "provider category", "pca";
    /// A session template.
    SessionTemplateId => "session template", "stm", aliases = ["set"];
    /// A provider of a session template.
    SessionTemplateProviderId => "session template provider", "stp";
    /// A session.
    SessionId => "session", "ses";
    /// A provider of a session.
    SessionProviderId => "session provider", "spr", aliases = ["spv"];
    /// An integration: a product-level bundle of providers.
    IntegrationId => "integration", "int";
    /// A provider of an integration.
    IntegrationProviderId => "integration provider", "inp";
    /// A version of an integration provider.
    IntegrationProviderVersionId => "integration provider version", "ipv";
    /// An integration instance: one end user's configured copy.
    IntegrationInstanceId => "integration instance", "ini";
    /// A provider of an integration instance.
    IntegrationInstanceProviderId => "integration instance provider", "iip";
    /// An integration setup session.
    IntegrationSetupSessionId => "integration setup session", "iss";
    /// A step of an integration setup session.
    IntegrationSetupSessionStepId => "integration setup session step", "isst";
    /// An identity.
    IdentityId => "identity", "idn";
    /// An identity actor.
    IdentityActorId => "identity actor", "iac";
}

/// The kind whose canonical prefix or alias is `prefix` (without the underscore).
pub fn kind_of_prefix(prefix: &str) -> Option<&'static str> {
    PREFIXES
        .iter()
        .find(|(_, p, aliases)| *p == prefix || aliases.contains(&prefix))
        .map(|(kind, _, _)| *kind)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_ids_sort_by_creation_time() {
        let t1 = Timestamp::from_millis(1_757_932_200_000).unwrap();
        let t2 = Timestamp::from_millis(1_757_932_200_001).unwrap();
        let a = ProviderId::generate(t1, u128::MAX).unwrap();
        let b = ProviderId::generate(t2, 0).unwrap();
        assert_eq!(a.body().len(), GENERATED_BODY_LEN);
        assert!(a < b, "{a} < {b}");
        // 1_757_932_200_001 in base 36, checked independently.
        assert_eq!(&b.body()[..9], "0mfkzfyo1");
    }

    #[test]
    fn prefixes_are_unique() {
        let mut all: Vec<&str> = PREFIXES
            .iter()
            .flat_map(|(_, p, a)| std::iter::once(*p).chain(a.iter().copied()))
            .collect();
        let n = all.len();
        all.sort_unstable();
        all.dedup();
        assert_eq!(all.len(), n);
    }
}
