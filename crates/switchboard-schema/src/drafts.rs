//! Keywords apply per draft. The validator keeps some keywords of older
//! drafts in newer ones for convenience; the specifications say a keyword a
//! draft does not define is ignored. Here: `dependencies` (draft 7 and
//! before) is ignored under 2019-09 and 2020-12, where `dependentRequired`
//! and `dependentSchemas` replaced it.

use std::borrow::Cow;

use serde_json::Value;

/// Keywords whose value is a map of subschemas.
const SCHEMA_MAPS: &[&str] = &[
    "properties",
    "patternProperties",
    "$defs",
    "definitions",
    "dependentSchemas",
];
/// Keywords whose value is a list of subschemas.
const SCHEMA_LISTS: &[&str] = &["allOf", "anyOf", "oneOf", "prefixItems", "items"];
/// Keywords whose value is one subschema.
const SCHEMA_ONE: &[&str] = &[
    "not",
    "if",
    "then",
    "else",
    "items",
    "additionalProperties",
    "additionalItems",
    "contains",
    "propertyNames",
    "unevaluatedItems",
    "unevaluatedProperties",
    "contentSchema",
];

/// `schema` as its draft reads it: without `dependencies` under 2019-09 or
/// 2020-12 (the default when `$schema` is absent). Borrowed when nothing changes.
pub(crate) fn as_drafted<'s>(schema: &'s Value, text: &str) -> Cow<'s, Value> {
    let modern = match schema.get("$schema").and_then(Value::as_str) {
        None => true,
        Some(uri) => uri.contains("2020-12") || uri.contains("2019-09"),
    };
    if !modern || !text.contains("\"dependencies\"") {
        return Cow::Borrowed(schema);
    }
    let mut owned = schema.clone();
    strip(&mut owned);
    Cow::Owned(owned)
}

/// Removes `dependencies` from a schema object and every subschema under it.
fn strip(node: &mut Value) {
    let Value::Object(map) = node else { return };
    map.remove("dependencies");
    for (key, value) in map.iter_mut() {
        let key = key.as_str();
        if SCHEMA_MAPS.contains(&key) {
            if let Value::Object(children) = value {
                children.values_mut().for_each(strip);
            }
        } else if SCHEMA_LISTS.contains(&key) && value.is_array() {
            if let Value::Array(items) = value {
                items.iter_mut().for_each(strip);
            }
        } else if SCHEMA_ONE.contains(&key) {
            strip(value);
        }
    }
}
