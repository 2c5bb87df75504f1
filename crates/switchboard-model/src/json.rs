//! Free-form JSON carried by objects: metadata maps and schema wrappers.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::tags;

/// How deeply metadata may nest (objects and arrays), by default.
pub const MAX_METADATA_DEPTH: usize = 32;

/// A `metadata` (or `private_metadata`) object: free JSON, nested at most
/// [`MAX_METADATA_DEPTH`] levels.
///
/// ```
/// use switchboard_model::Metadata;
///
/// let m: Metadata = serde_json::from_str(r#"{"customer": "acme"}"#)?;
/// assert_eq!(m.as_map()["customer"], "acme");
/// assert!(serde_json::from_str::<Metadata>("[1]").is_err());
/// Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[serde(transparent)]
pub struct Metadata(Map<String, Value>);

impl Metadata {
    /// An empty object.
    pub fn new() -> Self {
        Metadata(Map::new())
    }

    /// Wraps a map, checking the nesting limit.
    pub fn from_map(map: Map<String, Value>) -> Result<Self, crate::Error> {
        let depth = crate::codec::json_map_depth(&map, MAX_METADATA_DEPTH + 1);
        if depth > MAX_METADATA_DEPTH {
            return Err(crate::Error::metadata_too_deep(depth));
        }
        Ok(Metadata(map))
    }

    /// The map.
    pub fn as_map(&self) -> &Map<String, Value> {
        &self.0
    }

    /// The map, by value.
    pub fn into_map(self) -> Map<String, Value> {
        self.0
    }
}

impl<'de> Deserialize<'de> for Metadata {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let map = Map::<String, Value>::deserialize(d)?;
        Metadata::from_map(map).map_err(serde::de::Error::custom)
    }
}

#[cfg(feature = "proptest")]
impl proptest::arbitrary::Arbitrary for Metadata {
    type Parameters = ();
    type Strategy = proptest::strategy::BoxedStrategy<Self>;
    fn arbitrary_with(_: ()) -> Self::Strategy {
        use proptest::prelude::*;
        proptest::collection::btree_map("[a-z_]{1,8}", crate::arbitrary::json_value(), 0..4)
            .prop_map(|m| Metadata(m.into_iter().collect()))
            .boxed()
    }
}

/// A JSON Schema in the wire's wrapper: `{"type": "json_schema", "schema": {...}}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "proptest", derive(proptest_derive::Arbitrary))]
pub struct JsonSchemaWrapper {
    /// Always `json_schema`.
    #[serde(rename = "type")]
    pub kind: tags::JsonSchema,
    /// The schema itself.
    #[cfg_attr(feature = "proptest", proptest(strategy = "crate::arbitrary::json_value()"))]
    pub schema: Value,
}

impl JsonSchemaWrapper {
    /// Wraps a schema.
    pub fn new(schema: Value) -> Self {
        JsonSchemaWrapper {
            kind: tags::JsonSchema,
            schema,
        }
    }
}
