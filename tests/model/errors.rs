//! Error texts, reviewed as inline snapshots, and their error bodies.

use switchboard::model::error::ApiError;
use switchboard::model::request::{CreateIntegrationSetupSession, CreateSessionTemplate};
use switchboard::model::{ProviderTool, SessionTemplate, Timestamp, decode};

use crate::support::read;

fn body_json(e: &impl ApiError) -> String {
    serde_json::to_string_pretty(&e.error_body()).unwrap()
}

#[test]
fn wrong_id_prefix() {
    let json =
        read("objects/session-template.json").replace("\"stp_3cDeFgHjKlMnPqRs\"", "\"pro_3cDeFgHjKlMnPqRs\"");
    // A response keeps a foreign prefix as written; strict mode reports it.
    assert!(
        decode::from_str::<SessionTemplate>(&json).unwrap().providers[0]
            .id
            .is_foreign()
    );
    let err = decode::from_str_strict::<SessionTemplate>(&json).unwrap_err();
    insta::assert_snapshot!(err, @"providers[0].id: expected a session template provider id (prefix `stp_`), found a provider id (prefix `pro_`)");
    insta::assert_snapshot!(body_json(&err), @r#"
    {
      "object": "error",
      "ok": false,
      "status": 400,
      "code": "invalid_data",
      "message": "The provided data is invalid.",
      "entity": "body",
      "errors": [
        {
          "code": "invalid_value",
          "message": "expected a session template provider id (prefix `stp_`), found a provider id (prefix `pro_`)",
          "path": [
            "providers",
            0,
            "id"
          ]
        }
      ]
    }
    "#);
}

#[test]
fn unknown_prefix_and_bad_body() {
    let e1 = "zzz_1".parse::<switchboard::model::id::ProviderId>().unwrap_err();
    let e2 = "pro_ab-c"
        .parse::<switchboard::model::id::ProviderId>()
        .unwrap_err();
    let e3 = "pro_".parse::<switchboard::model::id::ProviderId>().unwrap_err();
    let e4 = "example_provider_id"
        .parse::<switchboard::model::id::ProviderId>()
        .unwrap_err();
    let e5 = "abc".parse::<switchboard::model::id::ProviderId>().unwrap_err();
    insta::assert_snapshot!(format!("{e1}\n{e2}\n{e3}\n{e4}\n{e5}"), @"
    expected a provider id (prefix `pro_`), found unknown prefix `zzz_`
    provider id `pro_ab-c` has '-' at byte 6; an id body is only letters and digits
    provider id `pro_` has an empty body after the prefix
    expected a provider id (prefix `pro_`), found unknown prefix `example_`
    expected a provider id (prefix `pro_`), found `abc` which has no prefix
    ");
}

#[test]
fn malformed_timestamp() {
    let json =
        read("objects/session-template-tools.json").replace("2025-09-15T10:30:00.000Z", "2025-09-15 10:30");
    let err = decode::from_str::<switchboard::model::ProviderTools>(&json).unwrap_err();
    insta::assert_snapshot!(err, @"items[0].created_at: `2025-09-15 10:30` is not an RFC 3339 timestamp such as `2025-09-15T10:30:00.000Z`");
    let e = "2026-01-01T00:00:00.000 02:00".parse::<Timestamp>().unwrap_err();
    insta::assert_snapshot!(e, @"`2026-01-01T00:00:00.000 02:00` is not an RFC 3339 timestamp such as `2025-09-15T10:30:00.000Z`; a `+` in a query string decodes to a space: encode it as `%2B`");
    let e = "9999-12-31T23:59:59.000-01:00".parse::<Timestamp>().unwrap_err();
    insta::assert_snapshot!(e, @"`9999-12-31T23:59:59.000-01:00` is outside the years 0000 to 9999 in UTC");
}

#[test]
fn missing_required_key() {
    let mut v: serde_json::Value =
        serde_json::from_str(&read("objects/session-template-tools.json")).unwrap();
    v["items"][0].as_object_mut().unwrap().remove("key");
    let err = decode::from_value::<switchboard::model::ProviderTools>(&v).unwrap_err();
    insta::assert_snapshot!(err, @"items[0].key: missing required key `key`");
    insta::assert_snapshot!(body_json(&err), @r#"
    {
      "object": "error",
      "ok": false,
      "status": 400,
      "code": "invalid_data",
      "message": "The provided data is invalid.",
      "entity": "body",
      "errors": [
        {
          "code": "missing_field",
          "message": "missing required key `key`",
          "path": [
            "items",
            0,
            "key"
          ],
          "received": "undefined"
        }
      ]
    }
    "#);
}

#[test]
fn wrong_json_type_names_expected_and_received() {
    let mut v: serde_json::Value =
        serde_json::from_str(&read("objects/session-template-tools.json")).unwrap();
    v["items"][0]["constraints"] = "none".into();
    let err = decode::from_value::<switchboard::model::ProviderTools>(&v).unwrap_err();
    let e = &err.errors()[0];
    assert_eq!(
        (e.code.as_str(), e.expected.as_deref(), e.received.as_deref()),
        ("invalid_type", Some("a sequence"), Some("string"))
    );
    let tool = decode::from_str::<ProviderTool>("[]").unwrap_err();
    insta::assert_snapshot!(tool, @"(root): expected an object, received array");
}

#[test]
fn unknown_rule_type() {
    let err = decode::from_str::<CreateSessionTemplate>(
        r#"{"name": "a", "providers": [{"provider_config_id": "pcf_1", "tool_filters": [{"type": "tool_keys", "keys": []}, {"type": "allow", "keys": ["x"]}]}]}"#,
    )
    .unwrap_err();
    insta::assert_snapshot!(err, @"providers[0].tool_filters[1].type: unknown rule type `allow`, expected one of `tool_keys`, `tool_regex`, `prompt_keys`, `prompt_regex`, `resource_regex`, `resource_uris`");
    insta::assert_snapshot!(body_json(&err), @r#"
    {
      "object": "error",
      "ok": false,
      "status": 400,
      "code": "invalid_data",
      "message": "The provided data is invalid.",
      "entity": "body",
      "errors": [
        {
          "code": "invalid_enum_value",
          "message": "unknown rule type `allow`, expected one of `tool_keys`, `tool_regex`, `prompt_keys`, `prompt_regex`, `resource_regex`, `resource_uris`",
          "path": [
            "providers",
            0,
            "tool_filters",
            1,
            "type"
          ]
        }
      ]
    }
    "#);
}

#[test]
fn the_seed_create_example_is_refused_at_its_first_placeholder() {
    let err = decode::from_str::<CreateSessionTemplate>(&read("objects/seed/session-template.create.json"))
        .unwrap_err();
    insta::assert_snapshot!(err, @"providers.provider_deployment_id: expected a provider deployment id (prefix `pde_` or `pdp_`), found unknown prefix `example_`");
    let err = decode::from_str::<CreateIntegrationSetupSession>(&read(
        "objects/seed/integration-setup-session.create.json",
    ))
    .unwrap_err();
    insta::assert_snapshot!(err, @"integration_id: expected an integration id (prefix `int_`), found unknown prefix `example_`");
}

#[test]
fn unknown_request_enum_value() {
    let err = decode::from_str::<CreateIntegrationSetupSession>(
        r#"{"integration_id": "int_1", "name": "x", "configuration": {"ui": {"layout": "grid"}}}"#,
    )
    .unwrap_err();
    insta::assert_snapshot!(err, @"configuration.ui.layout: unknown layout `grid`, expected one of `box`, `side`, `light`");
}

#[test]
fn rule_limits() {
    let many: Vec<String> = (0..1001).map(|i| format!("\"k{i}\"")).collect();
    let json = format!(
        r#"{{"name": "a", "providers": {{"provider_config_id": "pcf_1", "tool_filters": {{"type": "tool_keys", "keys": [{}]}}}}}}"#,
        many.join(",")
    );
    let err = decode::from_str::<CreateSessionTemplate>(&json).unwrap_err();
    insta::assert_snapshot!(err, @"providers.tool_filters.keys: a rule lists more than the limit of 1000 items");
    let long = "a".repeat(1025);
    let json = format!(
        r#"{{"name": "a", "providers": {{"provider_config_id": "pcf_1", "tool_filters": {{"type": "tool_regex", "pattern": "{long}"}}}}}}"#
    );
    let err = decode::from_str::<CreateSessionTemplate>(&json).unwrap_err();
    insta::assert_snapshot!(err, @"providers.tool_filters.pattern: pattern is 1025 bytes, more than the limit of 1024");
    let json = format!(
        r#"{{"name": "a", "metadata": {}{}}}"#,
        "{\"a\":".repeat(33),
        "1".to_owned() + &"}".repeat(33)
    );
    let err = decode::from_str::<CreateSessionTemplate>(&json).unwrap_err();
    insta::assert_snapshot!(err, @"metadata: metadata nests 33 levels deep, more than the limit of 32");
}

#[test]
fn syntax_errors_and_trailing_data() {
    let err = decode::from_str::<CreateSessionTemplate>(r#"{"name": "a",}"#).unwrap_err();
    insta::assert_snapshot!(err, @"(root): trailing comma at line 1 column 14");
    let err = decode::from_str::<CreateSessionTemplate>(r#"{"name": "a"} {}"#).unwrap_err();
    insta::assert_snapshot!(err, @"(root): trailing characters at line 1 column 15");
    assert_eq!(err.errors()[0].code, "invalid_json");
}

/// Every public error type of every crate becomes the API's error body: a
/// server turning any of them into a response writes no body by hand.
#[test]
fn every_public_error_is_an_api_error() {
    fn body<E: switchboard::model::ApiError>(e: &E) -> switchboard::model::ErrorBody {
        e.error_body()
    }
    let model = "x".parse::<switchboard::model::id::ProviderId>().unwrap_err();
    let query =
        switchboard::query::ListQuery::<switchboard::query::SessionTemplates>::decode("limit=x").unwrap_err();
    let toolset = switchboard::toolset::pattern::translate("(?=a)").unwrap_err();
    let reason = toolset.pattern_reason().cloned().unwrap();
    let setup = switchboard::setup::Error::Conflict {
        expected: 1,
        current: 2,
    };
    let schema = switchboard::schema::Validator::default()
        .compile(&serde_json::json!({"$ref": "https://example.com/s.json"}))
        .unwrap_err();
    let statuses = [
        body(&model).status,
        body(&query).status,
        body(&toolset).status,
        body(&reason).status,
        body(&setup).status,
        body(&schema).status,
    ];
    assert_eq!(statuses, [400, 400, 400, 400, 409, 400]);
    // Each has a kind to match on.
    assert_eq!(model.kind(), switchboard::model::ErrorKind::InvalidId);
    assert_eq!(query.kind(), switchboard::query::ErrorKind::Invalid);
    assert_eq!(toolset.kind(), switchboard::toolset::ErrorKind::InvalidPattern);
    assert_eq!(setup.kind(), switchboard::setup::ErrorKind::Conflict);
    assert_eq!(schema.kind(), switchboard::schema::ErrorKind::RemoteRef);
}

/// Messages are lowercase: every crate's `Display`, including the cursor
/// error whose body keeps the live service's capitalised message.
#[test]
fn messages_are_lowercase() {
    let cursor = switchboard::query::ListQuery::<switchboard::query::SessionTemplates>::decode("cursor=nope")
        .unwrap_err();
    assert!(cursor.to_string().starts_with("invalid cursor format"));
    assert_eq!(
        switchboard::model::ApiError::error_body(&cursor).message,
        "Invalid cursor format"
    );
    let schema = switchboard::schema::Validator::default()
        .validate(
            &serde_json::json!({"additionalProperties": false}),
            &serde_json::json!({"a": 1}),
        )
        .unwrap_err();
    let first = schema.to_string().chars().find(|c| c.is_alphabetic()).unwrap();
    assert!(first.is_lowercase(), "{schema}");
}

#[test]
fn private_metadata_values_never_appear_in_an_error() {
    use switchboard::model::request::CreateIntegrationSetupSession;
    for body in [
        r#"{"integration_id": "int_1", "name": "a", "private_metadata": "sk_live_SECRET"}"#,
        r#"{"integration_id": "int_1", "name": "a", "private_metadata": ["sk_live_SECRET"]}"#,
        r#"{"integration_id": "int_1", "name": "a", "private_metadata": 4242424242}"#,
    ] {
        let err = switchboard::model::decode::from_str::<CreateIntegrationSetupSession>(body).unwrap_err();
        let text = format!("{err} {}", serde_json::to_string(&err.error_body()).unwrap());
        assert!(!text.contains("SECRET") && !text.contains("4242424242"), "{text}");
        assert_eq!(
            err.errors()[0].path,
            vec![switchboard::model::error::PathSegment::from("private_metadata")]
        );
    }
    // Type errors name types, not values, everywhere.
    let err = switchboard::model::decode::from_str::<CreateIntegrationSetupSession>(
        r#"{"integration_id": "int_1", "name": "a", "metadata": "a value"}"#,
    )
    .unwrap_err();
    insta::assert_snapshot!(err, @"metadata: expected a map, received string");
}

#[test]
fn a_megabyte_of_input_makes_a_small_error_body() {
    use switchboard::model::request::CreateSessionTemplate;
    // A huge value in an enum position, and a hundred thousand unknown keys.
    let huge = "x".repeat(1 << 20);
    let body = format!(r#"{{"name": "a", "providers": [{{"provider_deployment_id": "{huge}"}}]}}"#);
    let err = switchboard::model::decode::from_str::<CreateSessionTemplate>(&body).unwrap_err();
    assert!(serde_json::to_string(&err.error_body()).unwrap().len() < 2_000);
    let mut many = String::from(r#"{"name": "a""#);
    for i in 0..100_000 {
        many.push_str(&format!(r#", "k{i}": 1"#));
    }
    many.push_str(&format!(r#", "{huge}": 1}}"#));
    let err = switchboard::model::decode::from_str_strict::<CreateSessionTemplate>(&many).unwrap_err();
    let errors = err.errors();
    assert_eq!(errors.len(), 101);
    assert_eq!(errors[100].code, "too_many_errors");
    assert!(serde_json::to_string(&err.error_body()).unwrap().len() < 64 * 1024);
}

#[test]
fn nesting_past_the_json_limit_is_too_deep() {
    use switchboard::model::request::CreateSessionTemplate;
    let body = format!(
        r#"{{"name": "a", "metadata": {}1{}}}"#,
        r#"{"a":"#.repeat(200),
        "}".repeat(200)
    );
    let err = switchboard::model::decode::from_str::<CreateSessionTemplate>(&body).unwrap_err();
    let e = &err.errors()[0];
    assert_eq!(e.code, "too_deep");
    insta::assert_snapshot!(e.message, @"the document nests more than 128 levels");
}

/// serde's derive would read a struct from an array by field order; the wire
/// has no such shape, at any depth, in any mode, in any document.
#[test]
fn a_json_array_is_never_an_object() {
    use switchboard::model::decode;
    use switchboard::model::request::{CreateSessionTemplate, UpdateSessionTemplate};
    let update = r#"["hacked", "desc", {"a": 1}]"#;
    for strict in [false, true] {
        let err = if strict {
            decode::from_str_strict::<UpdateSessionTemplate>(update).unwrap_err()
        } else {
            decode::from_str::<UpdateSessionTemplate>(update).unwrap_err()
        };
        assert_eq!(
            err.to_string(),
            "(root): expected an object, received array",
            "strict: {strict}"
        );
    }
    // Nested: a provider entry given as an array.
    let err = decode::from_str::<CreateSessionTemplate>(
        r#"{"name": "a", "providers": [["pde_1", null, null, []]]}"#,
    )
    .unwrap_err();
    insta::assert_snapshot!(err, @"providers[0]: expected an object, received array");
    // Through `from_value` too.
    let err = decode::from_value::<UpdateSessionTemplate>(&serde_json::json!(["x"])).unwrap_err();
    assert_eq!(err.errors()[0].code, "invalid_type");
    // The command's documents: a scenario and a tools document.
    for (args, doc) in [
        (
            &["switchboard", "setup", "-"][..],
            r#"[{"id": "int_1"}, [], {}, "2026-01-01T00:00:00Z", []]"#,
        ),
        (
            &["switchboard", "tools", "-"][..],
            r#"{"providers": [["slack", "stp_1"]]}"#,
        ),
    ] {
        let out = switchboard_cli::run(args.iter().copied(), doc.as_bytes());
        assert_eq!(out.code, 2, "{args:?}: {}", out.stdout);
        assert!(
            out.stdout.contains("expected an object, received array"),
            "{}",
            out.stdout
        );
    }
}

#[test]
fn a_rule_with_a_key_given_twice_is_an_error_at_that_key() {
    use switchboard::model::decode;
    use switchboard::model::request::CreateSessionTemplate;
    for (body, path) in [
        (
            r#"{"type": "tool_keys", "keys": ["a"], "keys": ["b"]}"#,
            "providers[0].tool_filters.keys",
        ),
        (
            r#"{"type": "tool_keys", "type": "tool_regex", "keys": ["a"]}"#,
            "providers[0].tool_filters.type",
        ),
    ] {
        let doc = format!(
            r#"{{"name": "a", "providers": [{{"provider_deployment_id": "pde_1", "tool_filters": {body}}}]}}"#
        );
        let err = decode::from_str::<CreateSessionTemplate>(&doc).unwrap_err();
        assert_eq!(err.path_string(), path, "{err}");
        assert!(err.to_string().contains("duplicate key"), "{err}");
    }
}

#[test]
fn strict_mode_reports_a_field_that_does_not_belong_to_the_rule_type() {
    use switchboard::model::decode;
    use switchboard::model::request::CreateSessionTemplate;
    let doc = r#"{"name": "a", "providers": [{"provider_deployment_id": "pde_1",
        "tool_filters": {"type": "tool_regex", "pattern": "^a", "keys": ["x"]}}]}"#;
    // Lenient: passed over, as the live service does.
    let body = decode::from_str::<CreateSessionTemplate>(doc).unwrap();
    assert_eq!(
        body.providers[0].tool_filters().rules(),
        [switchboard::model::filter::Rule::ToolRegex { pattern: "^a".into() }]
    );
    // Strict: reported with its path.
    let err = decode::from_str_strict::<CreateSessionTemplate>(doc).unwrap_err();
    insta::assert_snapshot!(err, @"providers[0].tool_filters.keys: unknown key `keys`");
}

/// A pattern that cannot run in linear time is refused by the request
/// decoders themselves, at the rule's path, so a server refuses it on write;
/// a response keeps whatever the service stored.
#[test]
fn filters_are_checked_when_written() {
    use switchboard::model::decode;
    use switchboard::model::filter::ToolFilter;
    use switchboard::model::request::{CreateSessionTemplate, UpdateSessionTemplateProvider};
    for (pattern, reason) in [
        (r"^(?=a)", "look-around"),
        (r"(a)\\1", "back-references"),
        (r"abc\\", "lone"),
    ] {
        let doc = format!(
            r#"{{"name": "a", "providers": [{{"provider_deployment_id": "pde_1",
                "tool_filters": [{{"type": "tool_keys", "keys": ["x"]}}, {{"type": "tool_regex", "pattern": "{pattern}"}}]}}]}}"#
        );
        let err = decode::from_str::<CreateSessionTemplate>(&doc).unwrap_err();
        let e = &err.errors()[0];
        assert_eq!(e.code, "invalid_pattern", "{pattern}");
        assert_eq!(err.path_string(), "providers[0].tool_filters[1].pattern");
        assert!(e.message.contains(reason), "{}", e.message);
    }
    let err = decode::from_str::<UpdateSessionTemplateProvider>(
        r#"{"tool_filters": {"type": "prompt_regex", "pattern": "(?<!x)y"}}"#,
    )
    .unwrap_err();
    insta::assert_snapshot!(err, @"tool_filters.pattern: pattern `(?<!x)y`: look-around (`(?=`, `(?!`, `(?<=`, `(?<!`) cannot run in linear time and is not supported");
    // The output form decodes what the service stored.
    let stored: ToolFilter =
        decode::from_str(r#"{"type": "filter", "filters": [{"type": "tool_regex", "pattern": "^(?=a)"}]}"#)
            .unwrap();
    assert_eq!(stored.rules().unwrap().len(), 1);
}
