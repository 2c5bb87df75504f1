//! Free-form JSON carried by objects: metadata maps and schema wrappers.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::tags;

/// How deeply metadata may nest (objects and arrays), by default.
pub const MAX_METADATA_DEPTH: usize = 32;

/// A `metadata` (or `private_metadata`) object: free JSON. Request bodies
/// take at most [`MAX_METADATA_DEPTH`] levels (refused past it, naming the
/// depth); a response's metadata is read whatever its depth (within
/// serde_json's own nesting limit), since the service may store deeper.
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

    /// Wraps a map, checking the request nesting limit.
    pub fn from_map(map: Map<String, Value>) -> Result<Self, crate::Error> {
        let m = Metadata(map);
        m.check_request_depth()?;
        Ok(m)
    }

    /// How deeply it nests: 1 for a flat object.
    pub fn depth(&self) -> usize {
        // serde_json reads at most 128 levels; nothing in memory is deeper.
        crate::codec::json_map_depth(&self.0, usize::MAX)
    }

    /// Whether a request body may carry it: at most [`MAX_METADATA_DEPTH`] levels.
    pub fn check_request_depth(&self) -> Result<(), crate::Error> {
        let depth = self.depth();
        if depth > MAX_METADATA_DEPTH {
            return Err(crate::Error::metadata_too_deep(depth));
        }
        Ok(())
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
        Ok(Metadata(Map::<String, Value>::deserialize(d)?))
    }
}

/// `deserialize_with` for a request body's metadata: the nesting limit applies.
pub(crate) fn request_metadata<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<Metadata>, D::Error> {
    let m = Option::<Metadata>::deserialize(d)?;
    if let Some(m) = &m {
        m.check_request_depth().map_err(serde::de::Error::custom)?;
    }
    Ok(m)
}

/// [`request_metadata`] for a PATCH body's metadata.
pub(crate) fn request_metadata_patch<'de, D: serde::Deserializer<'de>>(
    d: D,
) -> Result<crate::patch::Patch<Metadata>, D::Error> {
    let m = crate::patch::Patch::<Metadata>::deserialize(d)?;
    if let crate::patch::Patch::Value(m) = &m {
        m.check_request_depth().map_err(serde::de::Error::custom)?;
    }
    Ok(m)
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
///
/// The schema is kept as the JSON text it arrived as ([`RawJson`]): catalog
/// objects carry thousands of schemas that are passed through far more
/// often than they are read, so they are checked to be JSON when decoded
/// and parsed only when used ([`JsonSchemaWrapper::schema_value`]).
///
/// ```
/// use switchboard_model::json::JsonSchemaWrapper;
///
/// let w: JsonSchemaWrapper =
///     serde_json::from_str(r#"{"type": "json_schema", "schema": {"type": "object"}}"#)?;
/// assert_eq!(w.schema.get(), r#"{"type": "object"}"#);
/// assert_eq!(w.schema_value()?, serde_json::json!({"type": "object"}));
/// assert_eq!(w, JsonSchemaWrapper::new(&serde_json::json!({"type": "object"})));
/// Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "proptest", derive(proptest_derive::Arbitrary))]
pub struct JsonSchemaWrapper {
    /// Always `json_schema`.
    #[serde(rename = "type")]
    pub kind: tags::JsonSchema,
    /// The schema itself, as JSON text.
    #[cfg_attr(feature = "proptest", proptest(strategy = "crate::arbitrary::raw_json()"))]
    pub schema: RawJson,
}

impl JsonSchemaWrapper {
    /// Wraps a schema.
    pub fn new(schema: &Value) -> Self {
        JsonSchemaWrapper {
            kind: tags::JsonSchema,
            schema: RawJson::from_value(schema),
        }
    }

    /// The schema parsed into a [`Value`].
    pub fn schema_value(&self) -> Result<Value, serde_json::Error> {
        self.schema.to_value()
    }
}

/// A JSON value kept as its text: decoding checks that it is JSON (within
/// serde_json's nesting limit) without building it, encoding writes it back
/// unchanged. Two values are equal when they parse to equal [`Value`]s, so
/// spacing does not count.
#[derive(Debug, Clone, Serialize)]
#[serde(transparent)]
pub struct RawJson(Box<serde_json::value::RawValue>);

/// How deeply a [`RawJson`] may nest: serde_json's own limit for a
/// [`Value`], so that every kept text parses.
pub const MAX_RAW_JSON_DEPTH: usize = 128;

impl<'de> Deserialize<'de> for RawJson {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let raw = Box::<serde_json::value::RawValue>::deserialize(d)?;
        let depth = crate::codec::json_text_depth(raw.get());
        if depth > MAX_RAW_JSON_DEPTH {
            return Err(serde::de::Error::custom(format_args!(
                "nested {depth} levels deep, more than the limit of {MAX_RAW_JSON_DEPTH}"
            )));
        }
        Ok(RawJson(raw))
    }
}

impl RawJson {
    /// The compact text of a value.
    pub fn from_value(value: &Value) -> Self {
        // A `Value` always prints as JSON; the fallback cannot be reached.
        serde_json::value::to_raw_value(value)
            .map(RawJson)
            .unwrap_or_else(|_| Self::null())
    }

    /// `null`.
    pub fn null() -> Self {
        RawJson(serde_json::value::RawValue::NULL.to_owned())
    }

    /// The JSON text, as it arrived.
    pub fn get(&self) -> &str {
        self.0.get()
    }

    /// The value, parsed.
    pub fn to_value(&self) -> Result<Value, serde_json::Error> {
        serde_json::from_str(self.0.get())
    }
}

impl PartialEq for RawJson {
    fn eq(&self, other: &Self) -> bool {
        self.get() == other.get() || matches!((self.to_value(), other.to_value()), (Ok(a), Ok(b)) if a == b)
    }
}

impl Eq for RawJson {}
