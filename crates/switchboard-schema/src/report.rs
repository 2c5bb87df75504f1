//! Small pieces that turn schemas and jsonschema's output into the workspace's terms.

use serde_json::Value;

/// The schema inside the model's wrapper, or the value itself.
pub(crate) fn unwrap_schema(schema: &Value) -> &Value {
    match schema {
        Value::Object(m)
            if m.get("type") == Some(&Value::from("json_schema")) && m.contains_key("schema") =>
        {
            &m["schema"]
        }
        other => other,
    }
}

/// jsonschema's messages start with a capital (`Additional properties are not
/// allowed`); every message of the workspace starts in lower case.
pub(crate) fn lowercase_first(message: &str) -> String {
    let mut chars = message.chars();
    match chars.next() {
        Some(c) if c.is_uppercase() && !chars.clone().next().is_some_and(char::is_uppercase) => {
            c.to_lowercase().chain(chars).collect()
        }
        _ => message.to_owned(),
    }
}

pub(crate) fn pointer_of(path: &jsonschema::paths::Location) -> String {
    path.as_str().to_owned()
}

pub(crate) fn json_type(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(n) if n.is_i64() || n.is_u64() => "integer",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

/// A violation's message without the value it is about: jsonschema starts
/// most messages with the instance (`"sk_live_..." is not of type "integer"`),
/// and a value may be a token the user typed into an auth form. The path says
/// where the value is; the message says only what is wrong with it, lowercase
/// and at most 256 bytes.
pub(crate) fn without_value(message: &str, instance: &Value) -> String {
    let shown = instance.to_string();
    let message = match message.strip_prefix(shown.as_str()) {
        Some(rest) if !shown.is_empty() => format!("the value{rest}"),
        _ => lowercase_first(message),
    };
    switchboard_model::error::shorten_to(&message, 256)
}
