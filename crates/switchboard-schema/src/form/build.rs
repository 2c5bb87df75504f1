//! From a schema to the items of a form; `None` when some part cannot be
//! rendered as fields (the form is then one JSON text area).

use serde_json::Value;

use super::{Control, Item, MAX_DEPTH, MAX_FIELDS};

/// The items of an object schema, or `None`.
pub(super) fn fields(schema: &Value, order: Option<&Order>) -> Option<Vec<Item>> {
    let mut items = Vec::new();
    object(schema, order, "", 0, &mut items)?;
    (items.len() <= MAX_FIELDS).then_some(items)
}

/// The keywords a field may carry that the generator honours or that only
/// annotate; anything else (`anyOf`, `$ref`, `if`, `patternProperties`...)
/// would be lost on a form, so it turns the form into JSON.
const KNOWN: &[&str] = &[
    "type",
    "title",
    "description",
    "default",
    "format",
    "minLength",
    "maxLength",
    "pattern",
    "minimum",
    "maximum",
    "exclusiveMinimum",
    "exclusiveMaximum",
    "multipleOf",
    "enum",
    "oneOf",
    "const",
    "writeOnly",
    "readOnly",
    "examples",
    "properties",
    "required",
    "additionalProperties",
    "items",
    "minItems",
    "maxItems",
    "uniqueItems",
    "$schema",
    "$id",
    "$comment",
    "deprecated",
];

fn object(
    schema: &Value,
    order: Option<&Order>,
    prefix: &str,
    depth: usize,
    items: &mut Vec<Item>,
) -> Option<()> {
    let map = schema.as_object()?;
    if map.get("type").and_then(Value::as_str) != Some("object") || depth > MAX_DEPTH {
        return None;
    }
    if map.keys().any(|k| !KNOWN.contains(&k.as_str())) {
        return None;
    }
    let required: Vec<&str> = match map.get("required") {
        None => Vec::new(),
        Some(r) => r.as_array()?.iter().map(Value::as_str).collect::<Option<_>>()?,
    };
    let empty = serde_json::Map::new();
    let properties = match map.get("properties") {
        None => &empty,
        Some(p) => p.as_object()?,
    };
    // A required key with no property to render could never be filled in.
    if required.iter().any(|r| !properties.contains_key(*r)) {
        return None;
    }
    // The schema's own order where the text was given, else sorted.
    let order = order.and_then(|o| o.child("properties"));
    let mut keys: Vec<&str> = order.map(|o| o.keys().collect()).unwrap_or_default();
    if keys.len() != properties.len() || keys.iter().any(|k| !properties.contains_key(*k)) {
        keys = properties.keys().map(String::as_str).collect();
    }
    for key in keys {
        let prop = &properties[key];
        let key = &key.to_owned();
        if items.len() > MAX_FIELDS {
            return None;
        }
        let name = if prefix.is_empty() {
            key.clone()
        } else {
            format!("{prefix}.{key}")
        };
        let sub = order.and_then(|o| o.child(key));
        field(
            key,
            &name,
            prop,
            sub,
            required.contains(&key.as_str()),
            depth,
            items,
        )?;
    }
    Some(())
}

fn field(
    key: &str,
    name: &str,
    prop: &Value,
    order: Option<&Order>,
    required: bool,
    depth: usize,
    items: &mut Vec<Item>,
) -> Option<()> {
    let map = prop.as_object()?;
    if map.keys().any(|k| !KNOWN.contains(&k.as_str())) {
        return None;
    }
    let label = map
        .get("title")
        .and_then(Value::as_str)
        .map_or_else(|| humanise(key), str::to_owned);
    let help = map.get("description").and_then(Value::as_str).map(str::to_owned);
    let default = map.get("default");
    let item = |control: Control, initial: Vec<String>| Item {
        name: name.to_owned(),
        label: label.clone(),
        help: help.clone(),
        required,
        control,
        initial,
    };
    if let Some((labels, values)) = choices(map) {
        let initial = default
            .and_then(|d| values.iter().position(|v| v == d))
            .map(|i| vec![i.to_string()])
            .unwrap_or_default();
        items.push(item(
            Control::Select {
                options: labels,
                values,
            },
            initial,
        ));
        return Some(());
    }
    let ty = map.get("type").and_then(Value::as_str)?;
    match ty {
        "object" => {
            items.push(item(Control::FieldsetStart, Vec::new()));
            object(prop, order, name, depth + 1, items)?;
            items.push(item(Control::FieldsetEnd, Vec::new()));
        }
        "array" => {
            let inner = map.get("items")?;
            let inner_map = inner.as_object()?;
            if inner_map.keys().any(|k| !KNOWN.contains(&k.as_str())) || choices(inner_map).is_some() {
                return None;
            }
            let control = scalar(inner_map)?;
            if matches!(control, Control::Checkbox) {
                return None;
            }
            let initial = default
                .and_then(Value::as_array)
                .map(|a| a.iter().map(text_of).collect())
                .unwrap_or_default();
            items.push(item(
                Control::Repeat {
                    item: Box::new(control),
                },
                initial,
            ));
        }
        _ => {
            let control = scalar(map)?;
            let initial = match (&control, default) {
                (Control::Password, _) | (_, None) => Vec::new(),
                (Control::Checkbox, Some(d)) if d != &Value::Bool(true) => Vec::new(),
                (_, Some(d)) => vec![text_of(d)],
            };
            items.push(item(control, initial));
        }
    }
    Some(())
}

/// The control of a scalar schema.
fn scalar(map: &serde_json::Map<String, Value>) -> Option<Control> {
    let format = map.get("format").and_then(Value::as_str);
    Some(match map.get("type").and_then(Value::as_str)? {
        "string" if map.get("writeOnly") == Some(&Value::Bool(true)) || format == Some("password") => {
            Control::Password
        }
        "string"
            if map
                .get("maxLength")
                .and_then(Value::as_u64)
                .is_some_and(|n| n > 200) =>
        {
            Control::TextArea
        }
        "string" => Control::Text {
            input: match format {
                Some("email") => "email",
                Some("uri") | Some("url") => "url",
                _ => "text",
            },
        },
        "boolean" => Control::Checkbox,
        t @ ("number" | "integer") => Control::Number {
            integer: t == "integer",
            min: map.get("minimum").map(text_of),
            max: map.get("maximum").map(text_of),
        },
        _ => return None,
    })
}

/// `enum` of scalars, or `oneOf` of `const`s (with their `title`s): labels and values.
fn choices(map: &serde_json::Map<String, Value>) -> Option<(Vec<String>, Vec<Value>)> {
    if let Some(e) = map.get("enum") {
        let values = e.as_array()?.clone();
        if values.is_empty() || values.iter().any(|v| v.is_object() || v.is_array()) {
            return None;
        }
        return Some((values.iter().map(text_of).collect(), values));
    }
    let one_of = map.get("oneOf")?.as_array()?;
    let mut labels = Vec::with_capacity(one_of.len());
    let mut values = Vec::with_capacity(one_of.len());
    for option in one_of {
        let value = option.get("const")?;
        labels.push(
            option
                .get("title")
                .and_then(Value::as_str)
                .map_or_else(|| text_of(value), str::to_owned),
        );
        values.push(value.clone());
    }
    (!values.is_empty()).then_some((labels, values))
}

/// A scalar as the form shows it: strings bare, the rest as JSON.
fn text_of(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// `api_key` -> `Api key`, `defaultOwner` -> `Default owner`.
pub(super) fn humanise(key: &str) -> String {
    let mut words = String::with_capacity(key.len() + 4);
    let mut prev_lower = false;
    for c in key.chars() {
        if c == '_' || c == '-' || c == ' ' {
            if !words.ends_with(' ') && !words.is_empty() {
                words.push(' ');
            }
            prev_lower = false;
            continue;
        }
        if c.is_uppercase() && prev_lower {
            words.push(' ');
        }
        prev_lower = c.is_lowercase() || c.is_ascii_digit();
        words.extend(c.to_lowercase());
    }
    let words = words.trim_end();
    let mut chars = words.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => key.to_owned(),
    }
}

/// The key order of every object in a JSON text (a `serde_json::Value`
/// keeps keys sorted; a form keeps the schema's order).
#[derive(Debug, Clone, Default, PartialEq)]
pub(super) struct Order(pub(super) Vec<(String, Order)>);

impl Order {
    fn child(&self, key: &str) -> Option<&Order> {
        self.0.iter().find(|(k, _)| k == key).map(|(_, o)| o)
    }

    fn keys(&self) -> impl Iterator<Item = &str> {
        self.0.iter().map(|(k, _)| k.as_str())
    }
}

impl<'de> serde::Deserialize<'de> for Order {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> serde::de::Visitor<'de> for V {
            type Value = Order;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("JSON")
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(self, mut m: A) -> Result<Order, A::Error> {
                let mut keys = Vec::new();
                while let Some(k) = m.next_key::<String>()? {
                    keys.push((k, m.next_value::<Order>()?));
                }
                Ok(Order(keys))
            }
            fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut s: A) -> Result<Order, A::Error> {
                while s.next_element::<serde::de::IgnoredAny>()?.is_some() {}
                Ok(Order::default())
            }
            fn visit_bool<E>(self, _: bool) -> Result<Order, E> {
                Ok(Order::default())
            }
            fn visit_i64<E>(self, _: i64) -> Result<Order, E> {
                Ok(Order::default())
            }
            fn visit_u64<E>(self, _: u64) -> Result<Order, E> {
                Ok(Order::default())
            }
            fn visit_f64<E>(self, _: f64) -> Result<Order, E> {
                Ok(Order::default())
            }
            fn visit_str<E>(self, _: &str) -> Result<Order, E> {
                Ok(Order::default())
            }
            fn visit_unit<E>(self) -> Result<Order, E> {
                Ok(Order::default())
            }
        }
        d.deserialize_any(V)
    }
}
