//! Forms from JSON Schema (`testdata/schema/forms.json`): the fields a
//! schema gives, and what posted values read back to.

use std::collections::BTreeMap;

use serde::Deserialize;
use serde_json::Value;
use switchboard::schema::Validator;
use switchboard::schema::form::{Control, Form};

use crate::support::{cases, report};

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Case {
    name: String,
    /// Kept as written: a form keeps the schema's key order.
    schema: Box<serde_json::value::RawValue>,
    /// Whether the form is one JSON text area.
    #[serde(default)]
    json: bool,
    /// `[name, kind, label, required]`, in order.
    fields: Vec<(String, String, String, bool)>,
    posts: Vec<Post>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Post {
    fields: Vec<(String, String)>,
    /// The value read, when the post is accepted.
    #[serde(default)]
    value: Option<Value>,
    /// When refused: a text each named field's first problem contains.
    #[serde(default)]
    errors: BTreeMap<String, String>,
    /// When refused: what is given back to render the form again.
    #[serde(default)]
    kept: BTreeMap<String, Vec<String>>,
}

fn kind(c: &Control) -> &'static str {
    match c {
        Control::Text { input } => input,
        Control::TextArea => "textarea",
        Control::Password => "password",
        Control::Number { integer: true, .. } => "integer",
        Control::Number { integer: false, .. } => "number",
        Control::Checkbox => "checkbox",
        Control::Select { .. } => "select",
        Control::Repeat { .. } => "repeat",
        Control::FieldsetStart => "fieldset",
        Control::FieldsetEnd => "end",
        Control::Json => "json",
        _ => "other",
    }
}

#[test]
fn forms_from_schemas_read_posted_values_back_by_the_schema() {
    let all: Vec<Case> = cases("schema/forms.json");
    let validator = Validator::default();
    let mut failures = Vec::new();
    for case in &all {
        let form = Form::from_schema_text(case.schema.get());
        let fields: Vec<(String, String, String, bool)> = form
            .items()
            .iter()
            .map(|i| {
                (
                    i.name.clone(),
                    kind(&i.control).to_owned(),
                    i.label.clone(),
                    i.required,
                )
            })
            .collect();
        if fields != case.fields || form.is_json() != case.json {
            failures.push(format!(
                "{}: fields {fields:?}, json {}",
                case.name,
                form.is_json()
            ));
            continue;
        }
        for (n, post) in case.posts.iter().enumerate() {
            let pairs = post.fields.iter().map(|(k, v)| (k.as_str(), v.as_str()));
            match (form.read(&validator, pairs), &post.value) {
                (Ok(v), Some(expected)) if &v == expected => {}
                (Err(refused), None) => {
                    let wrong: Vec<String> = post
                        .errors
                        .iter()
                        .filter(|(f, text)| {
                            !refused
                                .errors_of(f)
                                .next()
                                .is_some_and(|e| e.contains(text.as_str()))
                        })
                        .map(|(f, text)| format!("{f}: wanted {text:?}"))
                        .collect();
                    let unexpected = refused.errors.keys().any(|f| !post.errors.contains_key(f));
                    let kept_ok = post
                        .kept
                        .iter()
                        .all(|(f, v)| refused.values_of(f) == v.as_slice());
                    if !wrong.is_empty() || unexpected || !kept_ok {
                        failures.push(format!("{} post {n}: {wrong:?}; got {refused:?}", case.name));
                    }
                }
                (got, _) => failures.push(format!("{} post {n}: got {got:?}", case.name)),
            }
        }
    }
    report(&failures, all.len());
}

#[test]
fn password_fields_never_come_back_and_an_auth_form_is_all_secret() {
    let schema = r#"{"type": "object", "required": ["api_key"], "properties": {
        "api_key": {"type": "string", "minLength": 20}, "workspace": {"type": "string"}}}"#;
    let form = Form::from_schema_text(schema).secret();
    assert!(
        form.items()
            .iter()
            .all(|i| matches!(i.control, Control::Password))
    );
    let refused = form
        .read(
            &Validator::default(),
            [("api_key", "short"), ("workspace", "acme")],
        )
        .unwrap_err();
    assert!(refused.values.is_empty(), "{refused:?}");
    insta::assert_debug_snapshot!(refused.errors, @r#"
    {
        "api_key": [
            "The value is shorter than 20 characters.",
        ],
    }
    "#);
}
