//! HTML forms from JSON Schemas, and posted form values back to typed JSON.
//!
//! [`Form::from_schema`] turns an object schema into fields: strings (with
//! `format` `email`/`uri` as input types, `maxLength` over 200 as a text
//! area), `writeOnly` or `format: password` as password fields, `enum` and
//! `oneOf` of `const`s as selects, booleans, numbers and integers with their
//! bounds, `default`, `title` (or the key, humanised) as the label,
//! `description` as help text, required marks, nested objects as fieldsets
//! and arrays of scalars as repeatable fields. A schema it cannot render as
//! fields becomes one JSON text area validated against the whole schema:
//! never a silent omission.
//!
//! [`Form::read`] converts posted values back by the schema (a number field
//! posts a number), checks required fields, validates the result against the
//! whole schema and puts every problem next to its field.
//!
//! ```
//! use serde_json::json;
//! use switchboard_schema::Validator;
//! use switchboard_schema::form::{Control, Form};
//!
//! let schema = r#"{"type": "object", "required": ["api_key"], "properties": {
//!     "api_key": {"type": "string", "minLength": 20, "writeOnly": true},
//!     "team": {"type": "string", "title": "Team key"},
//!     "limit": {"type": "integer", "minimum": 1, "default": 10}}}"#;
//! let form = Form::from_schema_text(schema);
//! assert!(matches!(form.items()[0].control, Control::Password));
//! assert_eq!(form.items()[1].label, "Team key");
//! assert_eq!(form.items()[2].label, "Limit");
//!
//! let validator = Validator::default();
//! let posted = [("api_key", "short"), ("team", "ENG"), ("limit", "5")];
//! let refused = form.read(&validator, posted).unwrap_err();
//! assert_eq!(refused.errors_of("api_key").count(), 1);
//! // What was typed comes back for the page, except secrets.
//! assert_eq!(refused.values_of("team"), ["ENG"]);
//! assert!(refused.values_of("api_key").is_empty());
//!
//! let posted = [("api_key", "lin_api_0123456789abcdef"), ("team", "ENG"), ("limit", "5")];
//! let value = form.read(&validator, posted).unwrap();
//! assert_eq!(value, json!({"api_key": "lin_api_0123456789abcdef", "team": "ENG", "limit": 5}));
//! ```

use std::collections::BTreeMap;

use serde_json::{Map, Number, Value};
use switchboard_model::error::PathSegment;

use crate::{SchemaError, Validator};

mod build;

/// The name of the one text area of a form rendered as JSON.
pub const JSON_FIELD: &str = "__json";

/// The most fields one form renders; a schema with more is one JSON text area.
pub const MAX_FIELDS: usize = 200;

/// The deepest nesting of fieldsets; deeper schemas are one JSON text area.
pub const MAX_DEPTH: usize = 4;

/// The most values a repeatable field takes.
pub const MAX_REPEAT: usize = 100;

/// A form: what to render, in order, and how to read what comes back.
#[derive(Debug, Clone, PartialEq)]
pub struct Form {
    items: Vec<Item>,
    schema: Value,
    json: bool,
}

/// One thing on the form, in document order. Fieldsets open and close around
/// their fields, so a template renders the form with one loop.
#[derive(Debug, Clone, PartialEq)]
pub struct Item {
    /// The field's name in the posted form: property keys joined with `.`.
    pub name: String,
    /// Its label: `title`, else the key humanised.
    pub label: String,
    /// `description`, as help text.
    pub help: Option<String>,
    /// Whether the schema requires it.
    pub required: bool,
    /// What to render.
    pub control: Control,
    /// The initial values (from `default`), as the form posts them.
    pub initial: Vec<String>,
}

/// How a field is rendered and read.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum Control {
    /// `<input>` of this type (`text`, `email`, `url`).
    Text {
        /// The input type.
        input: &'static str,
    },
    /// `<textarea>` for long strings.
    TextArea,
    /// `<input type="password">`: never rendered back with a value.
    Password,
    /// A number; `integer` posts whole numbers only.
    Number {
        /// Whether only whole numbers are accepted.
        integer: bool,
        /// `minimum`, as written.
        min: Option<String>,
        /// `maximum`, as written.
        max: Option<String>,
    },
    /// A checkbox.
    Checkbox,
    /// `<select>`: the options' labels; the form posts an option's index.
    Select {
        /// One label per option, in order.
        options: Vec<String>,
        /// The values the options stand for.
        values: Vec<Value>,
    },
    /// A repeatable scalar field: one input per value, and one empty.
    Repeat {
        /// How each value is read.
        item: Box<Control>,
    },
    /// The start of a nested object's fieldset (its label is the legend).
    FieldsetStart,
    /// The end of the fieldset opened last.
    FieldsetEnd,
    /// A JSON text area for the whole value.
    Json,
}

impl Control {
    /// The HTML input type of a control rendered as `<input>`.
    pub fn input_type(&self) -> &'static str {
        match self {
            Control::Text { input } => input,
            Control::Password => "password",
            Control::Number { .. } => "number",
            Control::Checkbox => "checkbox",
            Control::Repeat { item } => item.input_type(),
            _ => "text",
        }
    }
}

/// A posted form that does not fit: every problem by field, and what was
/// typed (secrets left out) to render the form again.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Refused {
    /// Problems by field name; `""` for the form as a whole.
    pub errors: BTreeMap<String, Vec<String>>,
    /// Posted values by field name, password fields left out.
    pub values: BTreeMap<String, Vec<String>>,
}

impl Refused {
    /// The problems of one field.
    pub fn errors_of<'a>(&'a self, name: &str) -> impl Iterator<Item = &'a str> {
        self.errors.get(name).into_iter().flatten().map(String::as_str)
    }

    /// What was posted for one field (nothing for a password field).
    pub fn values_of(&self, name: &str) -> &[String] {
        self.values.get(name).map_or(&[], Vec::as_slice)
    }

    fn add(&mut self, name: &str, message: impl Into<String>) {
        self.errors
            .entry(name.to_owned())
            .or_default()
            .push(message.into());
    }
}

impl Form {
    /// The form of `schema` (a bare schema or the `{"type": "json_schema",
    /// "schema"}` wrapper).
    ///
    /// `serde_json` keeps an object's keys sorted, so the fields come in key
    /// order; [`Form::from_schema_text`] keeps the schema's own order.
    pub fn from_schema(schema: &Value) -> Form {
        Form::build(schema, None)
    }

    /// The form of a schema given as JSON text, its fields in the order the
    /// text declares them. Text that is not JSON gives the one-text-area form
    /// of an empty schema (anything).
    pub fn from_schema_text(text: &str) -> Form {
        let value: Value = serde_json::from_str(text).unwrap_or_else(|_| Value::Object(Map::new()));
        let order: Option<build::Order> = serde_json::from_str(text).ok();
        // The wrapper's order is one level down.
        let order = match (&value, order) {
            (Value::Object(m), Some(o)) if m.get("type") == Some(&Value::from("json_schema")) => {
                o.0.into_iter().find(|(k, _)| k == "schema").map(|(_, o)| o)
            }
            (_, o) => o,
        };
        Form::build(&value, order.as_ref())
    }

    fn build(schema: &Value, order: Option<&build::Order>) -> Form {
        let schema = crate::report::unwrap_schema(schema).clone();
        match build::fields(&schema, order) {
            Some(items) => Form {
                items,
                schema,
                json: false,
            },
            None => Form {
                items: vec![Item {
                    name: JSON_FIELD.to_owned(),
                    label: "Value (JSON)".to_owned(),
                    help: schema
                        .get("description")
                        .and_then(Value::as_str)
                        .map(str::to_owned),
                    required: true,
                    control: Control::Json,
                    initial: schema
                        .get("default")
                        .map(|d| vec![serde_json::to_string_pretty(d).unwrap_or_default()])
                        .unwrap_or_default(),
                }],
                schema,
                json: true,
            },
        }
    }

    /// The form with every text field a password field: for credentials
    /// (an auth method's input), where nothing typed is ever shown again.
    pub fn secret(mut self) -> Form {
        for item in &mut self.items {
            let secret = match &mut item.control {
                Control::Text { .. } | Control::TextArea => true,
                Control::Repeat { item } if matches!(**item, Control::Text { .. } | Control::TextArea) => {
                    **item = Control::Password;
                    false
                }
                _ => false,
            };
            if secret {
                item.control = Control::Password;
                item.initial.clear();
            }
        }
        self
    }

    /// What to render, in order.
    pub fn items(&self) -> &[Item] {
        &self.items
    }

    /// Whether the schema is rendered as one JSON text area.
    pub fn is_json(&self) -> bool {
        self.json
    }

    /// Whether the form has no fields to fill (an object schema without properties).
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// Reads posted `(name, value)` pairs into a value of the schema.
    pub fn read<'a>(
        &self,
        validator: &Validator,
        posted: impl IntoIterator<Item = (&'a str, &'a str)>,
    ) -> Result<Value, Refused> {
        let mut by_name: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
        for (name, value) in posted {
            by_name.entry(name).or_default().push(value);
        }
        let mut refused = Refused::default();
        for item in &self.items {
            if matches!(item.control, Control::Password) {
                continue;
            }
            if let Some(values) = by_name.get(item.name.as_str()) {
                let kept: Vec<String> = values
                    .iter()
                    .filter(|v| !v.is_empty())
                    .take(MAX_REPEAT)
                    .map(|v| (*v).to_owned())
                    .collect();
                refused.values.insert(item.name.clone(), kept);
            }
        }
        let value = if self.json {
            let text = by_name
                .get(JSON_FIELD)
                .and_then(|v| v.first())
                .copied()
                .unwrap_or("");
            match serde_json::from_str::<Value>(text) {
                Ok(v) => v,
                Err(e) => {
                    refused.add(JSON_FIELD, format!("This is not JSON: {e}."));
                    return Err(refused);
                }
            }
        } else {
            let mut root = Map::new();
            let mut stack: Vec<(String, Map<String, Value>, bool)> = Vec::new();
            for item in &self.items {
                let key = item.name.rsplit('.').next().unwrap_or(&item.name).to_owned();
                match &item.control {
                    Control::FieldsetStart => {
                        stack.push((key, std::mem::take(&mut root), item.required));
                        continue;
                    }
                    Control::FieldsetEnd => {
                        if let Some((key, parent, required)) = stack.pop() {
                            let inner = std::mem::replace(&mut root, parent);
                            if required || !inner.is_empty() {
                                root.insert(key, Value::Object(inner));
                            }
                        }
                        continue;
                    }
                    _ => {}
                }
                let values = by_name.get(item.name.as_str()).map_or(&[][..], Vec::as_slice);
                match convert(&item.control, values) {
                    Ok(Some(v)) => {
                        root.insert(key, v);
                    }
                    Ok(None) if item.required => refused.add(&item.name, "This field is required."),
                    Ok(None) => {}
                    Err(message) => refused.add(&item.name, message),
                }
            }
            Value::Object(root)
        };
        if let Err(e) = validator.validate(&self.schema, &value) {
            match e {
                SchemaError::Invalid(errors) => {
                    for f in errors {
                        // A missing required field was reported next to it already.
                        if f.code == "required" && !refused.errors.is_empty() {
                            continue;
                        }
                        let name = self.field_of(&f.path);
                        if refused.errors.contains_key(&name) {
                            continue;
                        }
                        refused.add(&name, sentence(&f.message));
                    }
                }
                other => refused.add("", sentence(&other.to_string())),
            }
        }
        if refused.errors.is_empty() {
            Ok(value)
        } else {
            Err(refused)
        }
    }

    /// The field an instance path falls in: the longest field name that is
    /// a prefix of it (`""`, the form as a whole, when none is).
    fn field_of(&self, path: &[PathSegment]) -> String {
        if self.json {
            return JSON_FIELD.to_owned();
        }
        let mut name = String::new();
        let mut best = String::new();
        for seg in path {
            let PathSegment::Key(k) = seg else { break };
            if !name.is_empty() {
                name.push('.');
            }
            name.push_str(k);
            if self
                .items
                .iter()
                .any(|i| i.name == name && i.control != Control::FieldsetEnd)
            {
                best.clone_from(&name);
            }
        }
        best
    }
}

/// A validator's message as a sentence for a page: capitalised, with a stop.
fn sentence(message: &str) -> String {
    let mut out = String::with_capacity(message.len() + 1);
    let mut chars = message.trim().chars();
    if let Some(c) = chars.next() {
        out.extend(c.to_uppercase());
        out.extend(chars);
    }
    if !out.ends_with('.') {
        out.push('.');
    }
    out
}

/// The value of one field from what was posted for it; `None` when empty.
fn convert(control: &Control, values: &[&str]) -> Result<Option<Value>, String> {
    let first = values.first().copied().unwrap_or("");
    match control {
        Control::Checkbox => Ok(Some(Value::Bool(values.contains(&"true")))),
        Control::Repeat { item } => {
            let filled: Vec<&str> = values.iter().copied().filter(|v| !v.trim().is_empty()).collect();
            if filled.len() > MAX_REPEAT {
                return Err(format!("At most {MAX_REPEAT} values are accepted."));
            }
            let mut out = Vec::with_capacity(filled.len());
            for v in filled {
                if let Some(v) = convert(item, &[v])? {
                    out.push(v);
                }
            }
            Ok((!out.is_empty()).then_some(Value::Array(out)))
        }
        _ if first.is_empty() => Ok(None),
        Control::Number { integer: true, .. } => first
            .trim()
            .parse::<i64>()
            .map(|n| Some(Value::Number(n.into())))
            .map_err(|_| "Enter a whole number.".to_owned()),
        Control::Number { integer: false, .. } => first
            .trim()
            .parse::<f64>()
            .ok()
            .and_then(|f| {
                if f.fract() == 0.0 && f.abs() < 9e15 {
                    Some(Number::from(f as i64))
                } else {
                    Number::from_f64(f)
                }
            })
            .map(|n| Some(Value::Number(n)))
            .ok_or_else(|| "Enter a number.".to_owned()),
        Control::Select { values: options, .. } => first
            .parse::<usize>()
            .ok()
            .and_then(|i| options.get(i))
            .map(|v| Some(v.clone()))
            .ok_or_else(|| "Choose one of the options.".to_owned()),
        Control::Json => serde_json::from_str(first)
            .map(Some)
            .map_err(|e| format!("This is not JSON: {e}.")),
        _ => Ok(Some(Value::String(first.to_owned()))),
    }
}
