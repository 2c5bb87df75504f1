//! The JavaScript pattern crate alone, against Node's own answers
//! (`testdata/toolset/js_patterns.json`, from `scripts/js-regex-vectors.mjs`).

use serde::Deserialize;
use switchboard_jsregex::{JsRegex, Refusal};

use crate::support::{pin_count, read, report};

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Vectors {
    engine: String,
    cases: Vec<Case>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Case {
    pattern: String,
    key: String,
    /// `true`, `false`, or `"syntax_error"`.
    expect: serde_json::Value,
}

#[test]
fn js_regex_tests_as_node_does() {
    let doc: Vectors = serde_json::from_str(&read("toolset/js_patterns.json")).unwrap();
    assert!(doc.engine.starts_with("node "), "{}", doc.engine);
    pin_count("toolset/js_patterns.json", doc.cases.len());
    let mut failures = Vec::new();
    let mut refused = 0;
    for c in &doc.cases {
        let got = match JsRegex::new(&c.pattern) {
            Ok(re) => serde_json::json!(re.is_match(&c.key)),
            // Refused on purpose: JavaScript runs these, not in linear time.
            Err(Refusal::LookAround | Refusal::Backreference) => {
                refused += 1;
                continue;
            }
            Err(_) => serde_json::json!("syntax_error"),
        };
        if got != c.expect {
            failures.push(format!(
                "/{}/i on {:?}: got {got}, node says {}",
                c.pattern, c.key, c.expect
            ));
        }
    }
    // The same six as the resolver's test pins by name.
    assert_eq!(refused, 6);
    report(&failures, doc.cases.len());
}
