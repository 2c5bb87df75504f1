//! The API reference pages' own requests, sent as written: data-driven
//! from `testdata/seeds/requests.json`.

use reqwest::{Method, StatusCode};
use serde::Deserialize;
use serde_json::{Value, json};

use super::*;
use crate::support::read;

/// One request of the reference pages and the answer the contract gives.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct SeedCase {
    name: String,
    method: String,
    path: String,
    /// A body file under `testdata/`.
    #[serde(default)]
    body: Option<String>,
    status: u16,
    /// Whether the answer is a list page (`items` and `pagination`).
    #[serde(default)]
    list: bool,
    /// `code` of an error answer.
    #[serde(default)]
    code: Option<String>,
    #[serde(default)]
    entity: Option<String>,
    #[serde(default)]
    id: Option<String>,
    /// Every `errors[].path` of an `invalid_data` answer, in order.
    #[serde(default)]
    error_paths: Vec<Value>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct SeedFile {
    #[allow(dead_code)]
    about: String,
    cases: Vec<SeedCase>,
}

#[tokio::test]
async fn the_reference_pages_requests_get_the_contracts_answers() {
    let file: SeedFile = serde_json::from_str(&read("seeds/requests.json")).unwrap();
    assert_eq!(file.cases.len(), 9, "one case per curl request of the seeds");
    crate::support::pin_count("seeds/requests.json", file.cases.len());
    let s = Server::start().await;
    for case in &file.cases {
        let method = Method::from_bytes(case.method.as_bytes()).unwrap();
        // The body's bytes as written, key order and all.
        let mut req = s
            .client
            .request(method, format!("{}{}", s.base, case.path))
            .bearer_auth(&s.key);
        if let Some(file) = &case.body {
            req = req.header("content-type", "application/json").body(read(file));
        }
        let res = req.send().await.unwrap();
        let status = res.status();
        let answer: Value = res.json().await.unwrap();
        let at = &case.name;
        assert_eq!(
            status,
            StatusCode::from_u16(case.status).unwrap(),
            "{at}: {answer}"
        );
        let field = |k: &str| answer.get(k).and_then(Value::as_str).map(str::to_owned);
        if case.list {
            assert!(
                answer["items"].is_array() && answer["pagination"].is_object(),
                "{at}: {answer}"
            );
        }
        if case.code.is_some() {
            assert_eq!(field("code"), case.code, "{at}: {answer}");
            if case.entity.is_some() {
                assert_eq!(field("entity"), case.entity, "{at}: {answer}");
                assert_eq!(field("id"), case.id, "{at}: {answer}");
            }
        }
        let paths: Vec<Value> = answer["errors"]
            .as_array()
            .map(|e| e.iter().map(|e| e["path"].clone()).collect())
            .unwrap_or_default();
        assert_eq!(paths, case.error_paths, "{at}: {answer}");
    }
    s.stop().await;
}

#[tokio::test]
async fn the_placeholder_rule_type_is_refused_naming_the_accepted_types() {
    let s = Server::start().await;
    let seed: Value = serde_json::from_str(&read("objects/seed/session-template.create.json")).unwrap();
    let (_, body) = s
        .call(Method::POST, "/session-templates", Some(seed.clone()))
        .await;
    let rule = body["errors"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["path"] == json!(["providers", "tool_filters", "type"]))
        .unwrap_or_else(|| panic!("no rule type error: {body}"))
        .clone();
    insta::assert_json_snapshot!(rule, @r#"
    {
      "code": "invalid_enum_value",
      "message": "unknown rule type `example_type`, expected one of `allow_all`, `filter`, `v1.allow_all`, `v1.filter`, `tool_keys`, `tool_regex`, `prompt_keys`, `prompt_regex`, `resource_regex`, `resource_uris`",
      "path": [
        "providers",
        "tool_filters",
        "type"
      ]
    }
    "#);
    // With real ids, the rule type is the only problem left.
    let mut real = seed;
    real["providers"]["provider_deployment_id"] = json!(GITHUB_DEPLOYMENT);
    real["providers"]["provider_auth_config_id"] = json!(GITHUB_AUTH);
    real["providers"]
        .as_object_mut()
        .unwrap()
        .remove("provider_config_id");
    let (status, body) = s.call(Method::POST, "/session-templates", Some(real)).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(body["errors"].as_array().map(Vec::len), Some(1), "{body}");
    assert_eq!(body["errors"][0], rule);
    s.stop().await;
}
