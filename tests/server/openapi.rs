//! `GET /openapi.json`: every route described, and every answer the server
//! sends valid against the schema the document gives for it.

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use super::*;

/// Every operation the router serves, as (method, path template).
const ROUTES: &[(&str, &str)] = &[
    ("get", "/session-templates"),
    ("post", "/session-templates"),
    ("get", "/session-templates/{id}"),
    ("patch", "/session-templates/{id}"),
    ("delete", "/session-templates/{id}"),
    ("get", "/session-templates/{id}/tools"),
    ("get", "/session-template-providers"),
    ("post", "/session-template-providers"),
    ("get", "/session-template-providers/{id}"),
    ("patch", "/session-template-providers/{id}"),
    ("delete", "/session-template-providers/{id}"),
    ("get", "/integration-setup-sessions"),
    ("post", "/integration-setup-sessions"),
    ("get", "/integration-setup-sessions/{id}"),
];

async fn document(s: &Server) -> Value {
    // No key needed: the document holds no secret.
    let res = s
        .client
        .get(format!("{}/openapi.json", s.base))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    res.json().await.unwrap()
}

/// Makes every object schema refuse keys it does not list, so that a field
/// the server sends and the document does not describe fails validation.
fn closed(v: &mut Value) {
    match v {
        Value::Object(m) => {
            if m.contains_key("properties") && !m.contains_key("additionalProperties") {
                m.insert("additionalProperties".to_owned(), Value::Bool(false));
            }
            m.values_mut().for_each(closed);
        }
        Value::Array(a) => a.iter_mut().for_each(closed),
        _ => {}
    }
}

/// Checks `answer` against the document's schema for `method path` and `status`.
fn check(doc: &Value, method: &str, path: &str, status: StatusCode, answer: &Value) {
    let errors = violations(doc, method, path, status, answer);
    assert!(
        errors.is_empty(),
        "{method} {path} {status}: {errors:#?}\n{answer:#}"
    );
}

/// What is wrong with `answer` by the document's schema for `method path` and `status`.
fn violations(doc: &Value, method: &str, path: &str, status: StatusCode, answer: &Value) -> Vec<String> {
    let key = if status == StatusCode::OK {
        "200"
    } else {
        "default"
    };
    let op = &doc["paths"][path][method];
    assert!(op.is_object(), "{method} {path} is not in the document");
    let schema = &op["responses"][key]["content"]["application/json"]["schema"];
    assert!(schema.is_object(), "{method} {path} {key}: no schema");
    // What the server sends is described in full: no undescribed key.
    against(doc, schema, answer, true)
}

/// What is wrong with the request `body` by the document's request schema
/// (left open: request decoders ignore keys they do not know).
fn body_violations(doc: &Value, method: &str, path: &str, body: &Value) -> Vec<String> {
    let schema = &doc["paths"][path][method]["requestBody"]["content"]["application/json"]["schema"];
    assert!(schema.is_object(), "{method} {path}: no request schema");
    against(doc, schema, body, false)
}

fn against(doc: &Value, schema: &Value, instance: &Value, close: bool) -> Vec<String> {
    let mut root = schema.clone();
    root["components"] = doc["components"].clone();
    if close {
        closed(&mut root);
    }
    let validator = jsonschema::options()
        .with_draft(jsonschema::Draft::Draft202012)
        .should_validate_formats(true)
        .build(&root)
        .unwrap_or_else(|e| panic!("{e}"));
    validator
        .iter_errors(instance)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect()
}

#[tokio::test]
async fn the_document_describes_every_route_and_each_answers() {
    let s = Server::start().await;
    let doc = document(&s).await;
    assert_eq!(doc["openapi"], "3.1.0");
    let mut described: Vec<(String, String)> = doc["paths"]
        .as_object()
        .unwrap()
        .iter()
        .flat_map(|(path, item)| {
            item.as_object()
                .unwrap()
                .keys()
                .map(move |m| (m.clone(), path.clone()))
        })
        .collect();
    described.sort();
    let mut expected: Vec<(String, String)> = ROUTES
        .iter()
        .map(|(m, p)| ((*m).to_owned(), (*p).to_owned()))
        .collect();
    expected.sort();
    assert_eq!(described, expected);
    // Each described operation is served: an unknown object is the resource's
    // own 404 (with its entity) or a body error, never "no such route" or 405.
    for (method, path) in ROUTES {
        let concrete = path.replace("{id}", "stm_Unknown1");
        let m = Method::from_bytes(method.to_uppercase().as_bytes()).unwrap();
        let body = matches!(*method, "post" | "patch").then(|| json!({}));
        let (status, answer) = s.call(m, &concrete, body).await;
        assert!(
            status != StatusCode::METHOD_NOT_ALLOWED
                && answer["message"].as_str().is_none_or(|t| !t.contains("route")),
            "{method} {path}: {status} {answer}"
        );
        check(&doc, method, path, status, &answer);
    }
    // Every named schema is a JSON Schema 2020-12 that compiles.
    for (name, schema) in doc["components"]["schemas"].as_object().unwrap() {
        let mut root = schema.clone();
        root["components"] = doc["components"].clone();
        jsonschema::options()
            .with_draft(jsonschema::Draft::Draft202012)
            .build(&root)
            .unwrap_or_else(|e| panic!("{name}: {e}"));
    }
    s.stop().await;
}

#[tokio::test]
async fn every_answer_matches_the_documents_schema() {
    let s = Server::start().await;
    let doc = document(&s).await;
    let run = async |method: Method, path: &str, template: &str, body: Option<Value>| {
        let m = method.as_str().to_lowercase();
        let (status, answer) = s.call(method, path, body.clone()).await;
        check(&doc, &m, template, status, &answer);
        // A body the server takes is one the document accepts.
        if let (Some(body), StatusCode::OK) = (&body, status) {
            let found = body_violations(&doc, &m, template, body);
            assert!(found.is_empty(), "{m} {template}: {found:#?}");
        }
        (status, answer)
    };
    // The request schemas take what the decoders take, and bite: one provider
    // as an object is accepted (the seeds send it so); the seed's placeholder
    // ids and rule type are not.
    let one = json!({"name": "x", "providers": {"provider_config_id": SLACK_CONFIG}});
    assert_eq!(
        body_violations(&doc, "post", "/session-templates", &one),
        Vec::<String>::new()
    );
    let seed: Value =
        serde_json::from_str(&crate::support::read("objects/seed/session-template.create.json")).unwrap();
    assert!(!body_violations(&doc, "post", "/session-templates", &seed).is_empty());
    let (status, t) = run(
        Method::POST,
        "/session-templates",
        "/session-templates",
        Some(json!({"name": "Work", "metadata": {"team": "core"}, "private_metadata": {"secret": "x"},
            "providers": [{"provider_deployment_id": GITHUB_DEPLOYMENT, "provider_auth_config_id": GITHUB_AUTH,
                           "tool_filters": [{"type": "tool_regex", "pattern": "^list_"}]},
                          {"provider_config_id": SLACK_CONFIG}]})),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{t}");
    // The check bites: a key the document does not describe, another kind's
    // id, a timestamp not in canonical form, a missing list.
    for (pointer, change) in [
        ("", json!({"surprise": 1})),
        ("/id", json!("stp_1")),
        ("/created_at", json!("2026-01-01T00:00:00Z")),
        ("/providers", Value::Null),
    ] {
        let mut wrong = t.clone();
        match (pointer, change) {
            ("", Value::Object(extra)) => wrong.as_object_mut().unwrap().extend(extra),
            (at, v) => *wrong.pointer_mut(at).unwrap() = v,
        }
        let found = violations(&doc, "post", "/session-templates", StatusCode::OK, &wrong);
        assert_eq!(found.len(), 1, "{pointer}: {found:?}");
    }
    let id = t["id"].as_str().unwrap();
    let one = format!("/session-templates/{id}");
    run(Method::GET, &one, "/session-templates/{id}", None).await;
    run(
        Method::GET,
        &format!("{one}/tools"),
        "/session-templates/{id}/tools",
        None,
    )
    .await;
    run(
        Method::GET,
        "/session-templates?limit=1",
        "/session-templates",
        None,
    )
    .await;
    run(
        Method::PATCH,
        &one,
        "/session-templates/{id}",
        Some(json!({"description": "d"})),
    )
    .await;
    let (_, p) = run(
        Method::POST,
        "/session-template-providers",
        "/session-template-providers",
        Some(
            json!({"session_template_id": id, "provider_config_id": LINEAR_CONFIG,
                    "tool_filters": {"type": "tool_keys", "keys": ["list_issues"]}}),
        ),
    )
    .await;
    let pid = p["id"].as_str().unwrap_or_else(|| panic!("{p}"));
    let one_p = format!("/session-template-providers/{pid}");
    run(Method::GET, &one_p, "/session-template-providers/{id}", None).await;
    run(
        Method::PATCH,
        &one_p,
        "/session-template-providers/{id}",
        Some(json!({"tool_filters": null})),
    )
    .await;
    run(
        Method::GET,
        &format!("/session-template-providers?session_template_id={id}"),
        "/session-template-providers",
        None,
    )
    .await;
    run(Method::DELETE, &one_p, "/session-template-providers/{id}", None).await;
    run(Method::DELETE, &one, "/session-templates/{id}", None).await;
    let (status, session) = run(
        Method::POST,
        "/integration-setup-sessions",
        "/integration-setup-sessions",
        Some(json!({"integration_id": "int_DevTools2mNpQrStU", "name": "Acme", "expires_at": "2099-01-01T00:00:00.000Z",
                    "redirect_url": "https://acme.example/done", "configuration": {"ui": {"layout": "side"}}})),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{session}");
    let sid = session["id"].as_str().unwrap();
    run(
        Method::GET,
        &format!("/integration-setup-sessions/{sid}"),
        "/integration-setup-sessions/{id}",
        None,
    )
    .await;
    run(
        Method::GET,
        "/integration-setup-sessions",
        "/integration-setup-sessions",
        None,
    )
    .await;
    // Errors: each is the error body the document gives as `default`.
    let (status, _) = run(
        Method::POST,
        "/session-templates",
        "/session-templates",
        Some(json!({"name": 5})),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    let (status, _) = run(
        Method::PATCH,
        &one,
        "/session-templates/{id}",
        Some(json!({"name": "x"})),
    )
    .await;
    assert_eq!(status, StatusCode::GONE);
    s.stop().await;
}

/// The server's own rejections (not JSON, a body too large, a wrong method)
/// are error bodies the document describes: their codes are in its `ErrorCode`.
#[tokio::test]
async fn the_servers_own_rejections_match_the_document() {
    let s = Server::start().await;
    let doc = document(&s).await;
    let not_json = reqwest::Client::new()
        .post(format!("{}/session-templates", s.base))
        .bearer_auth(&s.key)
        .header("content-type", "application/x-www-form-urlencoded")
        .body("name=x")
        .send()
        .await
        .unwrap();
    let status = not_json.status();
    let body: Value = not_json.json().await.unwrap();
    assert_eq!(body["code"], "unsupported_media_type", "{body}");
    check(&doc, "post", "/session-templates", status, &body);
    let wrong = reqwest::Client::new()
        .put(format!("{}/session-templates", s.base))
        .bearer_auth(&s.key)
        .send()
        .await
        .unwrap();
    let status = wrong.status();
    let body: Value = wrong.json().await.unwrap();
    assert_eq!(body["code"], "method_not_allowed");
    check(&doc, "get", "/session-templates", status, &body);
}
