//! Deserialises a JSON array, or a single object as a one-element list.
//!
//! Streams through the caller's deserializer (no buffering), so error paths
//! and unknown-key reports stay exact.

use std::fmt;
use std::marker::PhantomData;

use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};

/// `deserialize_with` target: an array of `T`, or one `T` given as an object.
pub fn deserialize<'de, D, T>(d: D) -> Result<Vec<T>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    d.deserialize_any(OneOrMany {
        max: usize::MAX,
        what: "items",
        _t: PhantomData,
    })
}

/// Like [`deserialize`], failing past `max` entries with a message naming `what`.
pub(crate) fn deserialize_at_most<'de, D, T>(d: D, max: usize, what: &'static str) -> Result<Vec<T>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    d.deserialize_any(OneOrMany {
        max,
        what,
        _t: PhantomData,
    })
}

struct OneOrMany<T> {
    max: usize,
    what: &'static str,
    _t: PhantomData<T>,
}

impl<'de, T: Deserialize<'de>> Visitor<'de> for OneOrMany<T> {
    type Value = Vec<T>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an array or a single object")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Vec<T>, A::Error> {
        let mut out = Vec::new();
        while let Some(item) = seq.next_element()? {
            if out.len() == self.max {
                return Err(de::Error::custom(format_args!(
                    "more than the limit of {} {}",
                    self.max, self.what
                )));
            }
            out.push(item);
        }
        Ok(out)
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Vec<T>, A::Error> {
        Ok(vec![T::deserialize(de::value::MapAccessDeserializer::new(map))?])
    }
}
