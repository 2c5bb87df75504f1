//! Every complete fixture decodes and re-encodes to the same JSON.

use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;
use switchboard::model::objects::TemplateAuthConfig;
use switchboard::model::{ErrorBody, IntegrationSetupSession, List, ProviderTools, SessionTemplate, decode};

use crate::support::{key_paths, read};

fn round_trip<T: DeserializeOwned + Serialize>(rel: &str) -> Value {
    let text = read(rel);
    let decoded: T = decode::from_str(&text).unwrap_or_else(|e| panic!("{rel}: {e}"));
    serde_json::to_value(&decoded).unwrap()
}

fn assert_exact_round_trip<T: DeserializeOwned + Serialize>(rel: &str) {
    let input: Value = serde_json::from_str(&read(rel)).unwrap();
    assert_eq!(round_trip::<T>(rel), input, "{rel}");
}

#[test]
fn session_template_round_trips() {
    assert_exact_round_trip::<SessionTemplate>("objects/session-template.json");
}

#[test]
fn session_template_list_round_trips() {
    assert_exact_round_trip::<List<SessionTemplate>>("objects/session-template-list.json");
}

#[test]
fn provider_tools_round_trip() {
    assert_exact_round_trip::<ProviderTools>("objects/session-template-tools.json");
}

#[test]
fn setup_session_round_trips() {
    assert_exact_round_trip::<IntegrationSetupSession>("objects/integration-setup-session.json");
}

#[test]
fn error_body_round_trips() {
    assert_exact_round_trip::<ErrorBody>("objects/error-invalid-data.json");
}

#[test]
fn legacy_typename_error_body_decodes_and_encodes_object() {
    let json = r#"{"__typename": "error", "ok": false, "status": 404, "code": "not_found",
                   "message": "Not found", "entity": "session.template", "id": "stm_1"}"#;
    let body: ErrorBody = decode::from_str(json).unwrap();
    let out = serde_json::to_value(&body).unwrap();
    assert_eq!(out["object"], "error");
    assert!(out.get("__typename").is_none());
    assert_eq!(body.code.status(), 404);
}

#[test]
fn seed_session_template_decodes_as_given() {
    let t: SessionTemplate = decode::from_str(&read("objects/seed/session-template.json")).unwrap();
    assert_eq!(t.providers.len(), 2);
    assert_eq!(t.providers[0].auth_config, Some(TemplateAuthConfig::Abridged));
    // `is_default` is missing in the seed: false.
    assert!(!t.providers[0].deployment.is_default);
    // The seed's allow-all filter has no `ignore_parent_filters`: false.
    assert!(!t.providers[0].tool_filter.ignore_parent_filters());
}

/// The seed-shape fixture gives auth configs the id of a config (`pcf_`), as
/// the seed's example does. A response is liberal: it decodes as given, the
/// id kept exactly as written; strict mode reports it, naming the path.
#[test]
fn seed_shape_fixture_with_config_id_as_auth_config_id_decodes_as_given() {
    let text = read("objects/integration-setup-session.seed-shape.json");
    let session: IntegrationSetupSession = decode::from_str(&text).unwrap();
    let auth = session.integration_instance.providers[0]
        .auth_config
        .as_ref()
        .unwrap();
    assert!(auth.id.as_str().starts_with("pcf_") && auth.id.is_foreign());
    let out = serde_json::to_value(&session).unwrap();
    assert_eq!(
        out["integration_instance"]["providers"][0]["auth_config"]["id"],
        auth.id.as_str()
    );
    let err = decode::from_str_strict::<IntegrationSetupSession>(&text).unwrap_err();
    insta::assert_snapshot!(err, @"integration_instance.providers[0].auth_config.id: expected a provider auth config id (prefix `pac_`), found a provider config id (prefix `pcf_`)");
}

/// Ids from callers stay strict, in every mode: a request body's id of another kind is refused.
#[test]
fn caller_ids_stay_strict() {
    use switchboard::model::request::{
        CreateIntegrationSetupSession, CreateSessionTemplate, CreateSessionTemplateProvider,
    };
    let err =
        decode::from_str::<CreateIntegrationSetupSession>(r#"{"integration_id": "pro_1", "name": "a"}"#)
            .unwrap_err();
    assert_eq!(err.path_string(), "integration_id");
    let err = decode::from_str::<CreateSessionTemplate>(
        r#"{"name": "a", "providers": [{"provider_config_id": "pac_1"}]}"#,
    )
    .unwrap_err();
    assert_eq!(err.path_string(), "providers[0].provider_config_id");
    let err = decode::from_str::<CreateSessionTemplateProvider>(
        r#"{"session_template_id": "pro_1", "provider_deployment_id": "pde_1"}"#,
    )
    .unwrap_err();
    assert_eq!(err.path_string(), "session_template_id");
    let err = decode::from_str::<CreateIntegrationSetupSession>(
        r#"{"integration_id": "int_1", "name": "a", "identity_id": "iac_1"}"#,
    )
    .unwrap_err();
    assert_eq!(err.path_string(), "identity_id");
    // A malformed body is an error even in a response.
    let err = decode::from_str::<switchboard::model::SessionTemplate>(r#"{"object": "session.template", "id": "stm_a-b", "status": "active", "name": "x", "description": null, "metadata": null, "providers": [], "created_at": "2026-01-01T00:00:00Z", "updated_at": "2026-01-01T00:00:00Z"}"#).unwrap_err();
    assert_eq!(err.path_string(), "id");
}

/// With the auth config ids corrected, the seed shape decodes and encodes to
/// the canonical form (reviewed in `testdata`): `is_default` written out,
/// `ignore_parent_filters` added to filters, the empty `configuration` expanded.
#[test]
fn seed_shape_fixture_encodes_to_its_canonical_form() {
    let out =
        round_trip::<IntegrationSetupSession>("objects/integration-setup-session.seed-shape.fixed.json");
    let expected: Value = serde_json::from_str(&read(
        "objects/integration-setup-session.seed-shape.canonical.json",
    ))
    .unwrap();
    assert_eq!(out, expected);

    // Nothing is lost: every key path of the input is in the output, and the canonical form decodes to the same value.
    let input: Value =
        serde_json::from_str(&read("objects/integration-setup-session.seed-shape.fixed.json")).unwrap();
    let have = key_paths(&out);
    for p in key_paths(&input) {
        assert!(have.contains(&p), "lost {p}");
    }
    assert_exact_round_trip::<IntegrationSetupSession>(
        "objects/integration-setup-session.seed-shape.canonical.json",
    );
}

#[test]
fn every_key_path_of_the_abridged_seed_is_in_the_decoded_seed_shape() {
    let out =
        round_trip::<IntegrationSetupSession>("objects/integration-setup-session.seed-shape.fixed.json");
    let seed: Value =
        serde_json::from_str(&read("objects/seed/integration-setup-session.abridged.json")).unwrap();
    let have = key_paths(&out);
    let paths = key_paths(&seed);
    assert!(paths.len() > 100);
    for p in paths {
        assert!(have.contains(&p), "missing {p}");
    }
}

#[test]
fn unknown_keys_and_status_values_survive() {
    let mut v: Value = serde_json::from_str(&read("objects/session-template.json")).unwrap();
    v["__typename"] = "SessionTemplate".into();
    v["status"] = "paused".into();
    v["providers"][0]["status"] = "frozen".into();
    let t: SessionTemplate = decode::from_value(&v).unwrap();
    let out = serde_json::to_value(&t).unwrap();
    assert_eq!(out["status"], "paused");
    assert_eq!(out["providers"][0]["status"], "frozen");
    assert!(out.get("__typename").is_none());
}

#[test]
fn live_service_template_fields_keep_absent_and_null_apart() {
    let mut v: Value = serde_json::from_str(&read("objects/session-template.json")).unwrap();
    v["integration_instance_id"] = Value::Null;
    v["identity_id"] = "idn_1abc".into();
    let t: SessionTemplate = decode::from_value(&v).unwrap();
    assert_eq!(serde_json::to_value(&t).unwrap(), v);
}

#[test]
fn decoding_a_setup_session_as_a_template_names_both_objects() {
    let err =
        decode::from_str::<SessionTemplate>(&read("objects/integration-setup-session.json")).unwrap_err();
    insta::assert_snapshot!(err, @r#"object: expected object "session.template", found "integration.setup_session""#);
}

#[test]
fn a_schema_is_kept_as_its_text_and_compared_by_value() {
    use switchboard::model::json::JsonSchemaWrapper;
    let spaced = r#"{"type": "json_schema", "schema": {"type": "object", "required": ["a"]}}"#;
    let w: JsonSchemaWrapper = switchboard::model::decode::from_str(spaced).unwrap();
    // Written back as it came, not rebuilt (numbers and key order included).
    assert_eq!(w.schema.get(), r#"{"type": "object", "required": ["a"]}"#);
    let compact: JsonSchemaWrapper =
        serde_json::from_str(r#"{"type":"json_schema","schema":{"required":["a"],"type":"object"}}"#)
            .unwrap();
    assert_eq!(w, compact);
    assert_eq!(w.schema_value().unwrap()["required"][0], "a");
    // Not JSON, or nested past serde_json's limit: refused when decoded, not when used.
    let broken = r#"{"type": "json_schema", "schema": {"type": }}"#;
    assert!(serde_json::from_str::<JsonSchemaWrapper>(broken).is_err());
    let deep = format!(
        r#"{{"type": "json_schema", "schema": {}{}}}"#,
        "[".repeat(200),
        "]".repeat(200)
    );
    let err = switchboard::model::decode::from_str::<JsonSchemaWrapper>(&deep).unwrap_err();
    insta::assert_snapshot!(err, @"schema: nested 200 levels deep, more than the limit of 128");
}
