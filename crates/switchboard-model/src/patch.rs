//! [`Patch<T>`]: a key that may be absent, `null`, or a value, kept apart.
//!
//! In a PATCH body, absent means "leave unchanged" and `null` means "clear or
//! reset". Use it with `#[serde(default, skip_serializing_if = "Patch::is_absent")]`.
//!
//! ```
//! use serde::Deserialize;
//! use switchboard_model::Patch;
//!
//! #[derive(Deserialize)]
//! struct Body {
//!     #[serde(default)]
//!     description: Patch<String>,
//! }
//!
//! let absent: Body = serde_json::from_str("{}")?;
//! let null: Body = serde_json::from_str(r#"{"description": null}"#)?;
//! let value: Body = serde_json::from_str(r#"{"description": "x"}"#)?;
//! assert_eq!(absent.description, Patch::Absent);
//! assert_eq!(null.description, Patch::Null);
//! assert_eq!(value.description, Patch::Value("x".to_owned()));
//! Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A key that is absent, `null`, or holds a value.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "proptest", derive(proptest_derive::Arbitrary))]
pub enum Patch<T> {
    /// The key is not there: leave unchanged.
    #[default]
    Absent,
    /// The key is `null`: clear or reset.
    Null,
    /// The key holds a value: replace.
    Value(T),
}

impl<T> Patch<T> {
    /// Whether the key is absent (for `skip_serializing_if`).
    pub fn is_absent(&self) -> bool {
        matches!(self, Patch::Absent)
    }

    /// The value, if there is one.
    pub fn value(&self) -> Option<&T> {
        match self {
            Patch::Value(v) => Some(v),
            _ => None,
        }
    }

    /// Applies the patch to a nullable field: absent keeps it, null clears it, a value replaces it.
    pub fn apply_to(self, field: &mut Option<T>) {
        match self {
            Patch::Absent => {}
            Patch::Null => *field = None,
            Patch::Value(v) => *field = Some(v),
        }
    }

    /// Maps the value, keeping absent and null.
    pub fn map_value<U>(self, f: impl FnOnce(T) -> U) -> Patch<U> {
        match self {
            Patch::Absent => Patch::Absent,
            Patch::Null => Patch::Null,
            Patch::Value(v) => Patch::Value(f(v)),
        }
    }

    /// The value by value; absent and null both give `None`.
    pub fn into_option(self) -> Option<T> {
        match self {
            Patch::Value(v) => Some(v),
            _ => None,
        }
    }
}

impl<T: Serialize> Serialize for Patch<T> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Patch::Value(v) => v.serialize(s),
            Patch::Absent | Patch::Null => s.serialize_none(),
        }
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Patch<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Ok(match Option::<T>::deserialize(d)? {
            Some(v) => Patch::Value(v),
            None => Patch::Null,
        })
    }
}
