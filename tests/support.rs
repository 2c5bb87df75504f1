//! Helpers shared by the test modules.

use std::path::PathBuf;

use serde::Deserialize;
use serde::de::DeserializeOwned;

/// The absolute path of a file under `testdata/`.
pub fn testdata(rel: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("testdata")
        .join(rel)
}

/// The text of a file under `testdata/`.
pub fn read(rel: &str) -> String {
    let path = testdata(rel);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Every key path of a JSON document, with array indices, as `a.b[0].c`.
pub fn key_paths(v: &serde_json::Value) -> Vec<String> {
    fn walk(v: &serde_json::Value, prefix: &str, out: &mut Vec<String>) {
        match v {
            serde_json::Value::Object(m) => {
                for (k, child) in m {
                    let p = if prefix.is_empty() {
                        k.clone()
                    } else {
                        format!("{prefix}.{k}")
                    };
                    out.push(p.clone());
                    walk(child, &p, out);
                }
            }
            serde_json::Value::Array(a) => {
                for (i, child) in a.iter().enumerate() {
                    let p = format!("{prefix}[{i}]");
                    out.push(p.clone());
                    walk(child, &p, out);
                }
            }
            _ => {}
        }
    }
    let mut out = Vec::new();
    walk(v, "", &mut out);
    out
}

/// A vector file: `{"cases": [...]}`, each case read through its typed
/// struct, so a misspelt key fails the run instead of asserting nothing.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Vectors<C> {
    cases: Vec<C>,
}

/// Every vector file with the fewest cases it may hold: a file emptied or
/// cut short by mistake fails its test instead of passing on nothing.
/// Raise a count when cases are added.
pub const MIN_CASES: &[(&str, usize)] = &[
    ("query/dates.json", 14),
    ("query/encode.json", 8),
    ("query/encodings.json", 24),
    ("query/filters.json", 27),
    ("query/limits.json", 8),
    ("query/pagination.json", 35),
    ("schema/forms.json", 12),
    ("seeds/requests.json", 9),
    ("setup/scenarios.json", 49),
    ("toolset/compile_errors.json", 8),
    ("toolset/integration.json", 6),
    ("toolset/js_patterns.json", 237),
    ("toolset/resolve.json", 9),
    ("toolset/rules.json", 61),
];

/// Fails unless `rel` holds at least its pinned count of cases.
pub fn pin_count(rel: &str, count: usize) {
    let min = MIN_CASES
        .iter()
        .find(|(file, _)| *file == rel)
        .unwrap_or_else(|| panic!("testdata/{rel} has no pinned case count in support::MIN_CASES"))
        .1;
    assert!(
        count >= min,
        "testdata/{rel} has {count} cases; at least {min} are pinned"
    );
}

/// The cases of `testdata/<rel>`, at least as many as [`MIN_CASES`] pins.
pub fn cases<C: DeserializeOwned>(rel: &str) -> Vec<C> {
    let doc: Vectors<C> = serde_json::from_str(&read(rel)).unwrap_or_else(|e| panic!("testdata/{rel}: {e}"));
    pin_count(rel, doc.cases.len());
    doc.cases
}

/// Fails with every failure listed, if there is any.
pub fn report(failures: &[String], total: usize) {
    assert!(
        failures.is_empty(),
        "{} of {total} cases failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

pub mod postgres;
