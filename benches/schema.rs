//! Validating a realistic tool-argument object 10,000 times with the cached
//! validator, side by side with compiling the schema for every call.

// `criterion_group!` defines an undocumented public function.
#![allow(missing_docs)]

use std::hint::black_box;

use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use serde_json::json;
use switchboard::schema::Validator;

fn schema() -> serde_json::Value {
    json!({"type": "json_schema", "schema": {
        "type": "object",
        "required": ["repo", "title"],
        "additionalProperties": false,
        "properties": {
            "repo": {"type": "string", "pattern": "^[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+$"},
            "title": {"type": "string", "minLength": 1, "maxLength": 256},
            "body": {"type": "string"},
            "labels": {"type": "array", "items": {"type": "string"}, "maxItems": 20, "uniqueItems": true},
            "assignees": {"type": "array", "items": {"type": "string"}},
            "milestone": {"type": ["integer", "null"], "minimum": 1},
            "priority": {"enum": ["low", "medium", "high"]}
        }
    }})
}

fn arguments() -> serde_json::Value {
    json!({"repo": "acme/api", "title": "Crash on empty cursor", "body": "Steps to reproduce...",
           "labels": ["bug", "p1"], "assignees": ["octocat"], "milestone": 3, "priority": "high"})
}

fn validate_10k(c: &mut Criterion) {
    let (schema, args) = (schema(), arguments());
    let cached = Validator::default();
    cached.validate(&schema, &args).unwrap();
    let mut g = c.benchmark_group("validate_10k_tool_calls");
    g.sample_size(10);
    g.bench_function(BenchmarkId::new("baseline", "compile every call"), |b| {
        b.iter(|| {
            for _ in 0..10_000 {
                let v = jsonschema::validator_for(&schema["schema"]).unwrap();
                black_box(v.is_valid(black_box(&args)));
            }
        })
    });
    g.bench_function(BenchmarkId::new("cached", "Validator::validate"), |b| {
        b.iter(|| {
            for _ in 0..10_000 {
                cached.validate(black_box(&schema), black_box(&args)).unwrap();
            }
        })
    });
    g.finish();
}

criterion_group!(benches, validate_10k);
criterion_main!(benches);
