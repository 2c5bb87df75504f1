//! Strategies shared by the `Arbitrary` implementations (feature `proptest`).
//!
//! Every public model type implements [`proptest::arbitrary::Arbitrary`] and
//! generates only valid values, so `any::<SessionTemplate>()` is a ready
//! generator for harnesses. These helpers are public for building more.

use proptest::prelude::*;
use serde_json::{Map, Value};

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

/// A regex pattern of printable ASCII (not necessarily a valid regex: the
/// model does not compile patterns).
pub fn pattern() -> BoxedStrategy<String> {
    "[ -~]{0,24}".boxed()
}

/// An optional trimmed description (what request decoding produces).
pub fn trimmed_text() -> BoxedStrategy<Option<String>> {
    proptest::option::of("([A-Za-z0-9][A-Za-z0-9 ]{0,16})?[A-Za-z0-9]|").boxed()
}
