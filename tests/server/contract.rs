//! Decisions of the contract the server once got wrong, over HTTP, each
//! named after what broke.

use reqwest::{Method, StatusCode};

use super::*;

#[tokio::test]
async fn a_pattern_over_the_compiled_size_limit_is_refused_when_written() {
    let s = Server::start().await;
    let huge = json!([{"type": "tool_regex", "pattern": "\\w{1000}"}]);
    let (status, body) = s
        .call(
            Method::POST,
            "/session-templates",
            Some(json!({"name": "t", "providers": [{"provider_config_id": LINEAR_CONFIG, "tool_filters": huge}]})),
        )
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    assert_eq!(body["code"], "invalid_data");
    assert_eq!(
        body["errors"][0]["path"],
        json!(["providers", 0, "tool_filters", 0, "pattern"])
    );
    insta::assert_snapshot!(body["errors"][0]["message"].as_str().unwrap(), @r"rule 0: pattern `\w{1000}`: the pattern compiles to more than the limit of 65536 bytes");

    let t = s
        .create_template("t", json!([{"provider_config_id": LINEAR_CONFIG}]))
        .await;
    let tid = t["id"].as_str().unwrap();
    let pid = t["providers"][0]["id"].as_str().unwrap();
    let (status, body) = s
        .call(
            Method::POST,
            "/session-template-providers",
            Some(
                json!({"session_template_id": tid, "provider_config_id": SLACK_CONFIG, "tool_filters": huge}),
            ),
        )
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    assert_eq!(body["errors"][0]["path"], json!(["tool_filters", 0, "pattern"]));
    let (status, body) = s
        .call(
            Method::PATCH,
            &format!("/session-template-providers/{pid}"),
            Some(json!({"tool_filters": huge})),
        )
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    assert_eq!(body["errors"][0]["path"], json!(["tool_filters", 0, "pattern"]));
    // Nothing was stored: the template's tools still answer.
    let (status, tools) = s
        .call(Method::GET, &format!("/session-templates/{tid}/tools"), None)
        .await;
    assert_eq!(status, StatusCode::OK, "{tools}");
    s.stop().await;
}

#[tokio::test]
async fn ignore_parent_filters_survives_a_provider_update() {
    let s = Server::start().await;
    let t = s
        .create_template("t", json!([{"provider_deployment_id": GITHUB_DEPLOYMENT}]))
        .await;
    let tid = t["id"].as_str().unwrap();
    let pid = t["providers"][0]["id"].as_str().unwrap();
    let tools = async || s.tool_keys(tid).await;
    // The deployment's own filter hides `delete_repository`.
    assert!(!tools().await.contains(&"delete_repository".to_owned()));
    let cut_off = json!({"type": "allow_all", "ignore_parent_filters": true});
    let (status, p) = s
        .call(
            Method::PATCH,
            &format!("/session-template-providers/{pid}"),
            Some(json!({"tool_filters": cut_off})),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{p}");
    assert_eq!(p["tool_filter"], cut_off);
    let (_, read) = s
        .call(Method::GET, &format!("/session-template-providers/{pid}"), None)
        .await;
    assert_eq!(read["tool_filter"], cut_off);
    assert!(
        tools().await.contains(&"delete_repository".to_owned()),
        "the provider's level cuts off the deployment's filter"
    );
    // A create keeps it too.
    let (status, p) = s
        .call(
            Method::POST,
            "/session-template-providers",
            Some(
                json!({"session_template_id": tid, "provider_config_id": LINEAR_CONFIG,
                        "tool_filters": {"type": "filter", "ignore_parent_filters": true,
                                         "filters": [{"type": "tool_keys", "keys": ["post_message"]}]}}),
            ),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{p}");
    assert_eq!(p["tool_filter"]["ignore_parent_filters"], true);
    s.stop().await;
}
