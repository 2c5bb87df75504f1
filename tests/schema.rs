//! `switchboard-schema`: no network, drafts, every violation, limits, cache.

use serde_json::json;
use switchboard::model::error::ApiError;
use switchboard::model::{ProviderTools, decode};
use switchboard::schema::{Limits, SchemaError, Validator};

use crate::support::read;

mod forms;

#[test]
fn a_remote_ref_is_an_error_not_a_request() {
    let v = Validator::default();
    let e = v
        .compile(&json!({"$ref": "https://example.com/schemas/repo.json"}))
        .unwrap_err();
    assert!(matches!(e, SchemaError::RemoteRef(_)), "{e}");
}

#[test]
fn local_refs_and_defs_work() {
    let v = Validator::default();
    let schema = json!({"$defs": {"repo": {"type": "string", "pattern": "^[a-z]+/[a-z]+$"}},
                        "type": "object", "properties": {"repo": {"$ref": "#/$defs/repo"}}});
    v.validate(&schema, &json!({"repo": "acme/api"})).unwrap();
    assert!(v.validate(&schema, &json!({"repo": "ACME"})).is_err());
}

#[test]
fn the_draft_comes_from_dollar_schema() {
    let v = Validator::default();
    // In draft 4, `exclusiveMaximum` is a boolean; in 2020-12 a number.
    let draft4 =
        json!({"$schema": "http://json-schema.org/draft-04/schema#", "maximum": 5, "exclusiveMaximum": true});
    assert!(v.validate(&draft4, &json!(5)).is_err());
    assert!(v.validate(&draft4, &json!(4)).is_ok());
    let default = json!({"exclusiveMaximum": 5});
    assert!(v.validate(&default, &json!(5)).is_err());
}

#[test]
fn every_violation_is_reported_with_its_path() {
    let v = Validator::default();
    let schema = json!({"type": "object", "required": ["title"], "additionalProperties": false,
        "properties": {"labels": {"type": "array", "items": {"type": "string"}}, "priority": {"enum": ["low", "high"]}}});
    let e = v
        .validate(
            &schema,
            &json!({"labels": ["bug", 3], "priority": "urgent", "extra": true}),
        )
        .unwrap_err();
    insta::assert_snapshot!(serde_json::to_string_pretty(&e.error_body()).unwrap(), @r#"
    {
      "object": "error",
      "ok": false,
      "status": 400,
      "code": "invalid_data",
      "message": "The provided data is invalid.",
      "entity": "body",
      "errors": [
        {
          "code": "type",
          "message": "the value is not of type \"string\"",
          "path": [
            "labels",
            1
          ],
          "expected": "string",
          "received": "integer"
        },
        {
          "code": "enum",
          "message": "the value is not one of \"low\" or \"high\"",
          "path": [
            "priority"
          ]
        },
        {
          "code": "additionalProperties",
          "message": "additional properties are not allowed ('extra' was unexpected)",
          "path": []
        },
        {
          "code": "required",
          "message": "\"title\" is a required property",
          "path": []
        }
      ]
    }
    "#);
}

#[test]
fn the_number_of_reported_violations_is_limited_and_says_so() {
    let v = Validator::new(Limits {
        max_errors: 3,
        ..Limits::default()
    });
    let e = v
        .validate(
            &json!({"type": "array", "items": {"type": "string"}}),
            &json!([1, 2, 3, 4, 5, 6]),
        )
        .unwrap_err();
    let errors = e.error_body().errors.unwrap();
    assert_eq!(errors.len(), 4);
    assert_eq!(errors[3].code, "too_many_errors");
    insta::assert_snapshot!(errors[3].message, @"more than 3 violations; the first 3 are listed");
    // Exactly at the limit, nothing is added.
    let e = v
        .validate(
            &json!({"type": "array", "items": {"type": "string"}}),
            &json!([1, 2, 3]),
        )
        .unwrap_err();
    assert_eq!(e.error_body().errors.unwrap().len(), 3);
}

#[test]
fn schema_and_instance_limits() {
    let v = Validator::new(Limits {
        max_schema_depth: 4,
        max_instance_depth: 3,
        max_schema_bytes: 200,
        ..Limits::default()
    });
    let deep = json!({"properties": {"a": {"properties": {"b": {"properties": {"c": {"type": "string"}}}}}}});
    insta::assert_snapshot!(v.compile(&deep).unwrap_err(), @"the schema nests more than the limit of 4 levels");
    let big = json!({"enum": (0..100).collect::<Vec<_>>()});
    insta::assert_snapshot!(v.compile(&big).unwrap_err(), @"the schema is 300 bytes, more than the limit of 200");
    insta::assert_snapshot!(v.validate(&json!({}), &json!([[[[1]]]])).unwrap_err(), @"the value nests more than the limit of 3 levels");
}

#[test]
fn the_cache_is_keyed_by_content_and_bounded() {
    let v = Validator::new(Limits {
        cache_size: 2,
        ..Limits::default()
    });
    let a1: serde_json::Value = serde_json::from_str(r#"{"type": "string", "minLength": 1}"#).unwrap();
    let a2: serde_json::Value = serde_json::from_str(r#"{"minLength": 1, "type": "string"}"#).unwrap();
    let c1 = v.compile(&a1).unwrap();
    let c2 = v.compile(&json!({"type": "json_schema", "schema": a2})).unwrap();
    assert!(
        std::sync::Arc::ptr_eq(&c1, &c2),
        "same content, wrapped or not, in any key order"
    );
    v.compile(&json!({"type": "integer"})).unwrap();
    v.compile(&json!({"type": "boolean"})).unwrap();
    assert_eq!(v.cached(), 2);
}

#[test]
fn one_validator_serves_many_threads() {
    let v = std::sync::Arc::new(Validator::default());
    let handles: Vec<_> = (0..4)
        .map(|i| {
            let v = std::sync::Arc::clone(&v);
            std::thread::spawn(move || {
                for n in 0..50 {
                    let maximum = n % 5;
                    let schema = json!({"type": "integer", "maximum": maximum});
                    let answer = v.validate(&schema, &json!(i));
                    assert_eq!(
                        answer.is_ok(),
                        i <= maximum,
                        "{i} against maximum {maximum}: {answer:?}"
                    );
                }
            })
        })
        .collect();
    for h in handles {
        h.join().unwrap();
    }
    assert_eq!(v.cached(), 5);
}

#[test]
fn tool_arguments_against_the_fixture_tool() {
    let tools: ProviderTools = decode::from_str(&read("objects/session-template-tools.json")).unwrap();
    let tool = &tools.items[0];
    let v = Validator::default();
    v.validate_tool_arguments(tool, &json!({"repo": "acme/api", "title": "Bug"}))
        .unwrap();
    let e = v.validate_tool_arguments(tool, &json!({"repo": 7})).unwrap_err();
    insta::assert_snapshot!(e, @r#"(root): "title" is a required property; repo: the value is not of type "string""#);
    // No output schema: any result passes.
    v.validate_tool_result(tool, &json!({"anything": true})).unwrap();
}

#[test]
fn a_violation_never_quotes_the_value() {
    // A token typed into an auth form must not come back in the error.
    let v = Validator::default();
    let schema = json!({"type": "object", "properties": {"token": {"type": "string", "pattern": "^tok_"}, "n": {"type": "integer"}}});
    let e = v
        .validate(
            &schema,
            &json!({"token": "sk_live_SECRET", "n": "sk_live_SECRET2"}),
        )
        .unwrap_err();
    let text = serde_json::to_string(&e.error_body()).unwrap();
    assert!(!text.contains("SECRET"), "{text}");
    insta::assert_snapshot!(e, @r#"n: the value is not of type "integer"; token: the value does not match "^tok_""#);
}

#[test]
fn a_missing_local_ref_and_an_unknown_draft_say_so() {
    let v = Validator::default();
    let missing = v.compile(&json!({"$ref": "#/$defs/nope"})).unwrap_err();
    assert_eq!(missing.kind(), switchboard::schema::ErrorKind::MissingRef);
    assert!(
        missing
            .to_string()
            .starts_with("a local `$ref` points at nothing"),
        "{missing}"
    );
    let draft = v
        .compile(&json!({"$schema": "https://example.com/my-draft", "type": "object"}))
        .unwrap_err();
    assert_eq!(draft.kind(), switchboard::schema::ErrorKind::UnknownDraft);
    let remote = v
        .compile(&json!({"$ref": "https://example.com/s.json"}))
        .unwrap_err();
    assert_eq!(remote.kind(), switchboard::schema::ErrorKind::RemoteRef);
}

/// 24 levels of `anyOf`, each with two `$ref`s to the next, would check one
/// value against 2^24 subschemas: refused when compiled, naming where.
#[test]
fn a_schema_whose_work_doubles_per_level_is_refused_when_compiled() {
    let v = Validator::default();
    let fan = |levels: usize| {
        let mut defs = serde_json::Map::new();
        for i in 0..levels {
            let next = format!("#/$defs/l{}", i + 1);
            defs.insert(
                format!("l{i}"),
                json!({"anyOf": [{"$ref": next}, {"$ref": next}]}),
            );
        }
        defs.insert(format!("l{levels}"), json!({"type": "string"}));
        json!({"$defs": defs, "$ref": "#/$defs/l0"})
    };
    let err = v.compile(&fan(24)).unwrap_err();
    assert_eq!(err.kind(), switchboard::schema::ErrorKind::Limit);
    assert!(err.to_string().contains("more than 4096 subschemas"), "{err}");
    // A shallow fan is fine, and its errors stay few.
    let e = v.validate(&fan(8), &json!(5)).unwrap_err();
    assert!(e.error_body().errors.unwrap().len() <= 101);
    // An in-place cycle never ends: refused too.
    let cycle =
        json!({"$defs": {"a": {"anyOf": [{"$ref": "#/$defs/a"}, {"type": "string"}]}}, "$ref": "#/$defs/a"});
    assert_eq!(
        v.compile(&cycle).unwrap_err().kind(),
        switchboard::schema::ErrorKind::Limit
    );
    // Recursion through the value (a tree) is not in place: accepted.
    let tree = json!({"$defs": {"node": {"type": "object", "properties": {"children": {"type": "array", "items": {"$ref": "#/$defs/node"}}}}}, "$ref": "#/$defs/node"});
    assert!(
        v.validate(&tree, &json!({"children": [{"children": []}]}))
            .is_ok()
    );
}

/// Keywords apply per draft: `dependencies` is a draft-7 keyword that 2020-12
/// does not define, so there it is ignored, as the specification says.
#[test]
fn keywords_apply_per_draft() {
    let v = Validator::default();
    let instance = json!({"a": 1});
    let deps = json!({"a": ["b"]});
    let d2020 = json!({"$schema": "https://json-schema.org/draft/2020-12/schema", "dependencies": deps});
    let d7 = json!({"$schema": "http://json-schema.org/draft-07/schema#", "dependencies": deps});
    let none = json!({"dependencies": deps}); // no `$schema`: 2020-12
    assert!(v.validate(&d2020, &instance).is_ok());
    assert!(v.validate(&none, &instance).is_ok());
    assert!(v.validate(&d7, &instance).is_err());
    // And 2020-12's own form does apply.
    let required = json!({"dependentRequired": {"a": ["b"]}});
    assert!(v.validate(&required, &instance).is_err());
}

#[test]
fn the_bundled_catalog_fits_its_documented_schema() {
    let schema: serde_json::Value =
        serde_json::from_str(include_str!("../docs/catalog.schema.json")).unwrap();
    let catalog: serde_json::Value = serde_json::from_str(include_str!("../examples/catalog.json")).unwrap();
    let v = Validator::default();
    v.validate(&schema, &catalog).unwrap();
    // The schema says what the decoder says: an unknown key is refused by both.
    let mut typo = catalog.clone();
    typo["deployment"] = json!([]);
    assert!(v.validate(&schema, &typo).is_err());
    assert!(decode::from_str::<switchboard::model::catalog::Catalog>(&typo.to_string()).is_err());
    // OAuth clients: what the decoder takes, the schema takes.
    let mut with_client = catalog.clone();
    with_client["auth_credentials"] = json!([{"id": "par_Gh1", "provider_id": "pro_Gh7kQm2xVb9TnR4w",
        "authorization_endpoint": "https://github.com/login/oauth/authorize",
        "token_endpoint": "https://github.com/login/oauth/access_token", "client_id": "Iv1.abc",
        "client_secret_env": "GITHUB_CLIENT_SECRET",
        "created_at": "2026-01-05T09:00:00.000Z", "updated_at": "2026-01-05T09:00:00.000Z"}]);
    v.validate(&schema, &with_client).unwrap();
    decode::from_str::<switchboard::model::catalog::Catalog>(&with_client.to_string())
        .unwrap()
        .index()
        .unwrap();
    // An endpoint that is not an http(s) URL is refused where it stands.
    let mut bad = with_client.clone();
    bad["auth_credentials"][0]["token_endpoint"] = json!("javascript:alert(1)");
    let err = decode::from_str::<switchboard::model::catalog::Catalog>(&bad.to_string())
        .unwrap()
        .index()
        .unwrap_err();
    insta::assert_snapshot!(err.to_string(), @"auth_credentials[0].token_endpoint: not an absolute http or https URL");
    // A client secret in the catalog is refused by both.
    with_client["auth_credentials"][0]["client_secret"] = json!("s3cret");
    assert!(v.validate(&schema, &with_client).is_err());
    assert!(decode::from_str::<switchboard::model::catalog::Catalog>(&with_client.to_string()).is_err());
}
