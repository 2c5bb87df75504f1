//! Decisions of the contract the wire model once got wrong: strict on what
//! a caller sends, liberal on what a service answers, and never silent.

use serde_json::{Value, json};
use switchboard::model::decode;
use switchboard::model::enums::Layout;
use switchboard::model::request::{CreateIntegrationSetupSession, CreateSessionTemplate};
use switchboard::model::{IntegrationSetupSession, SessionTemplate, Timestamp};

use crate::support::read;

fn session_with(edit: impl FnOnce(&mut Value)) -> String {
    let mut v: Value = serde_json::from_str(&read("objects/integration-setup-session.json")).unwrap();
    edit(&mut v);
    v.to_string()
}

/// `{"a": {"a": ... {}}}`, `levels` objects deep.
fn nested(levels: usize) -> Value {
    (1..levels).fold(json!({}), |inner, _| json!({ "a": inner }))
}

#[test]
fn caller_ids_of_the_wrong_kind_in_provider_search_are_refused() {
    let body = |search: Value| {
        json!({"integration_id": "int_1", "name": "n", "configuration": {"provider_search": search}})
            .to_string()
    };
    let messages: Vec<String> = [
        json!({"groups": {"group_id": "pro_a"}}),
        json!({"collections": [{"collection_id": "pgr_a"}]}),
        json!({"categories": {"category_id": "stm_a"}}),
    ]
    .into_iter()
    .map(|search| {
        decode::from_str::<CreateIntegrationSetupSession>(&body(search))
            .unwrap_err()
            .to_string()
    })
    .collect();
    insta::assert_debug_snapshot!(messages, @r#"
    [
        "configuration.provider_search.groups.group_id: expected a provider group id (prefix `pgr_`), found a provider id (prefix `pro_`)",
        "configuration.provider_search.collections[0].collection_id: expected a provider collection id (prefix `pco_`), found a provider group id (prefix `pgr_`)",
        "configuration.provider_search.categories.category_id: expected a provider category id (prefix `pca_`), found a session template id (prefix `stm_`)",
    ]
    "#);
    // Their own kind is accepted, and a response keeps another kind as written.
    decode::from_str::<CreateIntegrationSetupSession>(&body(json!({"groups": {"group_id": "pgr_a"}})))
        .unwrap();
    let response =
        session_with(|v| v["configuration"]["provider_search"]["groups"] = json!([{"group_id": "pro_a"}]));
    decode::from_str::<IntegrationSetupSession>(&response).unwrap();
}

#[test]
fn a_layout_this_version_does_not_know_is_kept_in_a_response_and_refused_in_a_request() {
    let response = session_with(|v| v["configuration"]["ui"]["layout"] = json!("wide"));
    let s: IntegrationSetupSession = decode::from_str(&response).unwrap();
    let layout = s.configuration.as_ref().unwrap().ui.layout.clone();
    assert_eq!(layout.as_str(), "wide");
    assert!(layout.is_other());
    // It encodes as it came, and strict mode (for responses) keeps it too.
    assert!(serde_json::to_string(&s).unwrap().contains(r#""layout":"wide""#));
    decode::from_str_strict::<IntegrationSetupSession>(&response).unwrap();
    let request = r#"{"integration_id": "int_1", "name": "n", "configuration": {"ui": {"layout": "wide"}}}"#;
    let e = decode::from_str::<CreateIntegrationSetupSession>(request).unwrap_err();
    insta::assert_snapshot!(e, @"configuration.ui.layout: unknown layout `wide`, expected one of `box`, `side`, `light`");
    let ok = r#"{"integration_id": "int_1", "name": "n", "configuration": {"ui": {"layout": "side"}}}"#;
    let body: CreateIntegrationSetupSession = decode::from_str(ok).unwrap();
    assert_eq!(body.configuration.unwrap().ui.layout, Layout::Side);
}

#[test]
fn metadata_deeper_than_the_request_limit_decodes_in_a_response_and_is_refused_naming_its_depth() {
    let mut template: Value = serde_json::from_str(&read("objects/session-template.json")).unwrap();
    template["metadata"] = nested(100);
    let t: SessionTemplate = decode::from_str(&template.to_string()).unwrap();
    assert_eq!(t.metadata.unwrap().depth(), 100);
    let request = json!({"name": "n", "metadata": nested(100)}).to_string();
    let e = decode::from_str::<CreateSessionTemplate>(&request).unwrap_err();
    insta::assert_snapshot!(e, @"metadata: metadata nests 100 levels deep, more than the limit of 32");
    let at_limit = json!({"name": "n", "metadata": nested(32)}).to_string();
    decode::from_str::<CreateSessionTemplate>(&at_limit).unwrap();
}

#[test]
fn a_javascript_year_past_9999_is_refused_saying_why() {
    for text in ["+010000-01-01T00:00:00.000Z", "-000001-01-01T00:00:00.000Z"] {
        let e = text.parse::<Timestamp>().unwrap_err();
        assert!(e.to_string().contains("JavaScript's form"), "{e}");
    }
    let e = "+010000-01-01T00:00:00.000Z".parse::<Timestamp>().unwrap_err();
    insta::assert_snapshot!(e, @"`+010000-01-01T00:00:00.000Z` is JavaScript's form for a year past 9999 or before 0000; these timestamps hold the years 0000 to 9999");
}

#[test]
fn sub_millisecond_digits_are_cut_to_milliseconds_or_refused_in_strict_mode() {
    let response = session_with(|v| v["created_at"] = json!("2026-01-01T10:00:00.123456Z"));
    let s: IntegrationSetupSession = decode::from_str(&response).unwrap();
    assert_eq!(s.created_at.as_str(), "2026-01-01T10:00:00.123Z");
    let e = decode::from_str_strict::<IntegrationSetupSession>(&response).unwrap_err();
    insta::assert_snapshot!(e, @"created_at: `2026-01-01T10:00:00.123456Z` has 6 fractional digits; these timestamps keep milliseconds, so strict mode refuses more than 3 rather than cut them");
    // Three digits or fewer are exact, so strict mode takes them.
    let exact = session_with(|v| v["created_at"] = json!("2026-01-01T10:00:00.1Z"));
    decode::from_str_strict::<IntegrationSetupSession>(&exact).unwrap();
}
