//! Strategies shared by the `Arbitrary` implementations (feature `proptest`).
//!
//! Every public model type implements [`proptest::arbitrary::Arbitrary`] and
//! generates only valid values, so `any::<SessionTemplate>()` is a ready
//! generator for harnesses. These helpers are public for building more.

use proptest::prelude::*;
use serde_json::{Map, Value};

/// A small JSON value kept as text (see [`json_value`]).
pub fn raw_json() -> BoxedStrategy<crate::json::RawJson> {
    json_value()
        .prop_map(|v| crate::json::RawJson::from_value(&v))
        .boxed()
}

/// A small JSON value: scalars, and arrays or objects nested at most three levels.
pub fn json_value() -> BoxedStrategy<Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        // Quarters print and parse exactly, so round trips compare equal.
        any::<i32>().prop_map(|i| Value::from(f64::from(i) / 4.0)),
        "[ -~]{0,12}".prop_map(Value::String),
    ];
    leaf.prop_recursive(3, 16, 4, |inner| {
        prop_oneof![
            proptest::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            proptest::collection::btree_map("[a-z_]{1,8}", inner, 0..4)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
    .boxed()
}

/// A small JSON object.
pub fn json_object() -> BoxedStrategy<Map<String, Value>> {
    proptest::collection::btree_map("[a-z_]{1,8}", json_value(), 0..3)
        .prop_map(|m| m.into_iter().collect())
        .boxed()
}

/// Zero to three values of any type.
pub fn small_vec<T: Arbitrary + 'static>() -> BoxedStrategy<Vec<T>> {
    proptest::collection::vec(any::<T>(), 0..3).boxed()
}

/// Keys or URIs for a rule.
pub fn keys() -> BoxedStrategy<Vec<String>> {
    proptest::collection::vec("[a-z_:/.]{1,16}", 0..4).boxed()
}

/// A regex pattern that JavaScript and the toolset's linear-time engine both
/// accept: literals, escapes (`\d`, `\w`, `\.`), classes, `.`, groups with
/// alternation, quantifiers, and optional anchors. Never look-around or a
/// back-reference, so every generated filter compiles.
pub fn pattern() -> BoxedStrategy<String> {
    let atom = prop_oneof![
        "[a-z0-9_]{1,3}",
        Just(r"\d".to_owned()),
        Just(r"\w".to_owned()),
        Just(r"\.".to_owned()),
        Just(".".to_owned()),
        Just("[a-z]".to_owned()),
        Just("[^_]".to_owned()),
        ("[a-z]{1,3}", "[a-z]{1,3}").prop_map(|(a, b)| format!("({a}|{b})")),
    ];
    let quantifier = prop_oneof![
        3 => Just(""),
        1 => Just("*"),
        1 => Just("+"),
        1 => Just("?"),
        1 => Just("{1,3}"),
    ];
    let piece = (atom, quantifier).prop_map(|(a, q)| format!("{a}{q}"));
    (
        any::<bool>(),
        proptest::collection::vec(piece, 1..4),
        any::<bool>(),
    )
        .prop_map(|(start, pieces, end)| {
            format!(
                "{}{}{}",
                if start { "^" } else { "" },
                pieces.concat(),
                if end { "$" } else { "" }
            )
        })
        .boxed()
}

/// An optional trimmed description (what request decoding produces).
pub fn trimmed_text() -> BoxedStrategy<Option<String>> {
    proptest::option::of("([A-Za-z0-9][A-Za-z0-9 ]{0,16})?[A-Za-z0-9]|").boxed()
}

/// An optional `redirect_url`: an absolute `http` or `https` URL.
pub fn redirect_url() -> BoxedStrategy<Option<String>> {
    proptest::option::of(
        "https?://[a-z]{1,8}\\.example(:[1-9][0-9]{0,3})?(/[A-Za-z0-9._~-]{0,12}){0,3}(\\?[a-z]=[0-9]{1,3})?",
    )
    .boxed()
}

/// A create body's `configuration`: what a caller may send (known layouts).
pub(crate) fn request_configuration() -> impl Strategy<Value = Option<crate::objects::SetupConfiguration>> {
    proptest::option::of(any::<crate::objects::SetupConfiguration>().prop_map(|mut c| {
        if c.ui.layout.is_other() {
            c.ui.layout = crate::enums::Layout::default();
        }
        c
    }))
}
