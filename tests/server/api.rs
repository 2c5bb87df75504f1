//! Templates, template providers and tools, as a client sees them.

use reqwest::{Method, StatusCode};
use serde_json::json;

use super::*;

#[tokio::test]
async fn a_template_is_created_read_updated_archived_and_listed() {
    let s = Server::start().await;
    let t = s
        .create_template(
            "Engineering",
            json!([{"provider_deployment_id": GITHUB_DEPLOYMENT, "provider_auth_config_id": GITHUB_AUTH,
                    "tool_filters": [{"type": "tool_keys", "keys": ["list_issues"]}]},
                   {"provider_config_id": LINEAR_CONFIG}]),
        )
        .await;
    let id = t["id"].as_str().unwrap();
    assert!(id.starts_with("stm_"));
    assert_eq!(t["providers"].as_array().unwrap().len(), 2);
    // Defaults filled in: the deployment's default config; the config's deployment.
    assert_eq!(t["providers"][0]["config"]["id"], "pcf_GhDefault2bCdE");
    assert_eq!(t["providers"][1]["deployment"]["id"], "pde_LnCloud5eFgHjKmN");
    assert_eq!(t["providers"][1]["auth_config"], serde_json::Value::Null);
    assert_eq!(
        t["providers"][0]["tool_filter"]["filters"][0]["keys"],
        json!(["list_issues"])
    );

    let (status, got) = s
        .call(Method::GET, &format!("/session-templates/{id}"), None)
        .await;
    assert_eq!((status, &got), (StatusCode::OK, &t));

    let (status, patched) = s
        .call(
            Method::PATCH,
            &format!("/session-templates/{id}"),
            Some(json!({"name": " Eng ", "description": null, "metadata": {"team": "eng"}})),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{patched}");
    assert_eq!(
        (patched["name"].as_str(), &patched["metadata"]),
        (Some("Eng"), &json!({"team": "eng"}))
    );

    let (status, archived) = s
        .call(Method::DELETE, &format!("/session-templates/{id}"), None)
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(archived["status"], "archived");
    assert_eq!(archived["providers"], json!([]));
    // Archiving again returns it unchanged; changing it is gone.
    let (status, again) = s
        .call(Method::DELETE, &format!("/session-templates/{id}"), None)
        .await;
    assert_eq!((status, &again), (StatusCode::OK, &archived));
    let (status, gone) = s
        .call(
            Method::PATCH,
            &format!("/session-templates/{id}"),
            Some(json!({"name": "x"})),
        )
        .await;
    assert_eq!((status, gone["code"].as_str()), (StatusCode::GONE, Some("gone")));
    // Its providers were archived with it, in the same write.
    let p = t["providers"][0]["id"].as_str().unwrap();
    let (_, provider) = s
        .call(Method::GET, &format!("/session-template-providers/{p}"), None)
        .await;
    assert_eq!(provider["status"], "archived");

    // Archived templates are listed only when asked for.
    let (_, list) = s.call(Method::GET, "/session-templates", None).await;
    assert_eq!(ids(&list), Vec::<String>::new());
    let (_, list) = s
        .call(Method::GET, "/session-templates?status=archived", None)
        .await;
    assert_eq!(ids(&list), vec![id.to_owned()]);
    s.stop().await;
}

#[tokio::test]
async fn lists_are_keyset_pages_with_filters_in_both_orders() {
    let s = Server::start().await;
    let mut made = Vec::new();
    for i in 0..5 {
        let providers = if i % 2 == 0 {
            json!([{"provider_deployment_id": GITHUB_DEPLOYMENT}])
        } else {
            json!([{"provider_config_id": SLACK_CONFIG}])
        };
        made.push(
            s.create_template(&format!("t{i}"), providers).await["id"]
                .as_str()
                .unwrap()
                .to_owned(),
        );
    }
    let (_, first) = s.call(Method::GET, "/session-templates?limit=2", None).await;
    assert_eq!(ids(&first), made[..2]);
    assert_eq!(
        first["pagination"],
        json!({"has_more_before": false, "has_more_after": true})
    );
    let (_, next) = s
        .call(
            Method::GET,
            &format!("/session-templates?limit=2&after={}", made[1]),
            None,
        )
        .await;
    assert_eq!(ids(&next), made[2..4]);
    assert_eq!(
        next["pagination"],
        json!({"has_more_before": true, "has_more_after": true})
    );
    let (_, back) = s
        .call(
            Method::GET,
            &format!("/session-templates?limit=2&before={}", made[2]),
            None,
        )
        .await;
    assert_eq!(ids(&back), made[..2]);
    // A cursor is the same position, opaque; a broken one is a 400 at `cursor`.
    use switchboard::query::cursor::{Cursor, Direction};
    let cursor = Cursor {
        direction: Direction::After,
        id: made[1].as_str().into(),
        binding: None,
    }
    .encode();
    let (_, by_cursor) = s
        .call(
            Method::GET,
            &format!("/session-templates?limit=2&cursor={cursor}"),
            None,
        )
        .await;
    assert_eq!(ids(&by_cursor), made[2..4]);
    let (status, bad) = s
        .call(Method::GET, "/session-templates?cursor=cur_!!", None)
        .await;
    assert_eq!(
        (status, &bad["errors"][0]["path"]),
        (StatusCode::BAD_REQUEST, &json!(["cursor"])),
        "{bad}"
    );
    // Date ranges are WHERE terms too.
    let (_, old) = s
        .call(
            Method::GET,
            "/session-templates?updated_at[lt]=2000-01-01T00:00:00.000Z",
            None,
        )
        .await;
    assert_eq!(ids(&old), Vec::<String>::new());
    let (_, recent) = s
        .call(
            Method::GET,
            "/session-templates?created_at[gte]=2000-01-01T00:00:00.000Z",
            None,
        )
        .await;
    assert_eq!(ids(&recent), made);
    // The Python SDK writes the limit as a float.
    let (_, desc) = s
        .call(Method::GET, "/session-templates?limit=10.0&order=desc", None)
        .await;
    let mut reversed = made.clone();
    reversed.reverse();
    assert_eq!(ids(&desc), reversed);
    // A filter is a WHERE term: the page holds only matching templates.
    let (_, slack) = s
        .call(
            Method::GET,
            "/session-templates?provider_id=pro_Sl3pXc8vNq5ZyK1d&limit=1",
            None,
        )
        .await;
    assert_eq!(ids(&slack), made[1..2]);
    assert_eq!(slack["pagination"]["has_more_after"], true);
    let (_, by_id) = s
        .call(
            Method::GET,
            &format!("/session-templates?id[0]={}&id[1]={}", made[0], made[4]),
            None,
        )
        .await;
    assert_eq!(ids(&by_id), vec![made[0].clone(), made[4].clone()]);
    let (_, providers) = s
        .call(
            Method::GET,
            &format!("/session-template-providers?session_template_id={}", made[3]),
            None,
        )
        .await;
    assert_eq!(providers["items"].as_array().unwrap().len(), 1);
    assert_eq!(providers["items"][0]["session_template_id"], made[3].as_str());
    s.stop().await;
}

#[tokio::test]
async fn template_providers_are_added_filtered_and_archived() {
    let s = Server::start().await;
    let t = s.create_template("t", json!([])).await;
    let tid = t["id"].as_str().unwrap();
    let (status, p) = s
        .call(
            Method::POST,
            "/session-template-providers",
            Some(
                json!({"session_template_id": tid, "provider_config_id": LINEAR_CONFIG,
                        "tool_filters": {"tool_keys": ["list_issues", "get_issue"]},
                        "provider_config_vault_id": "ignored"}),
            ),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{p}");
    let pid = p["id"].as_str().unwrap();
    let (_, tools) = s
        .call(Method::GET, &format!("/session-templates/{tid}/tools"), None)
        .await;
    let keys: Vec<&str> = tools["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["key"].as_str().unwrap())
        .collect();
    assert_eq!(
        (tools["object"].as_str(), keys),
        (Some("provider.tools"), vec!["list_issues", "get_issue"])
    );

    let (status, patched) = s
        .call(
            Method::PATCH,
            &format!("/session-template-providers/{pid}"),
            Some(json!({"tool_filters": null})),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(patched["tool_filter"]["type"], "allow_all");
    let (_, tools) = s
        .call(Method::GET, &format!("/session-templates/{tid}/tools"), None)
        .await;
    // The deployment's own filter still applies: seven of Linear's eight tools.
    assert_eq!(tools["items"].as_array().unwrap().len(), 7);

    let (status, archived) = s
        .call(
            Method::DELETE,
            &format!("/session-template-providers/{pid}"),
            None,
        )
        .await;
    assert_eq!(
        (status, archived["status"].as_str()),
        (StatusCode::OK, Some("archived"))
    );
    let (status, _) = s
        .call(
            Method::PATCH,
            &format!("/session-template-providers/{pid}"),
            Some(json!({"tool_filters": null})),
        )
        .await;
    assert_eq!(status, StatusCode::GONE);
    let (_, t) = s
        .call(Method::GET, &format!("/session-templates/{tid}"), None)
        .await;
    assert_eq!(t["providers"], json!([]));
    s.stop().await;
}

#[tokio::test]
async fn another_instances_objects_do_not_exist() {
    let s = Server::start().await;
    let t = s
        .create_template("mine", json!([{"provider_deployment_id": GITHUB_DEPLOYMENT}]))
        .await;
    let id = t["id"].as_str().unwrap();
    for path in [
        format!("/session-templates/{id}"),
        format!("/session-templates/{id}/tools"),
    ] {
        let (status, body) = s.call_as(&s.other_key, Method::GET, &path, None).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{path}");
        assert_eq!(
            (body["entity"].as_str(), body["id"].as_str()),
            (Some("session.template"), Some(id))
        );
    }
    let (_, list) = s
        .call_as(&s.other_key, Method::GET, "/session-templates", None)
        .await;
    assert_eq!(ids(&list), Vec::<String>::new());
    let (status, body) = s
        .call_as("metorial_sk_unknown", Method::GET, "/session-templates", None)
        .await;
    assert_eq!(
        (status, body["code"].as_str()),
        (StatusCode::UNAUTHORIZED, Some("unauthorized"))
    );
    s.stop().await;
}

#[tokio::test]
async fn entries_are_resolved_against_the_catalog() {
    let s = Server::start().await;
    let post = |providers: serde_json::Value| {
        s.call(
            Method::POST,
            "/session-templates",
            Some(json!({"name": "x", "providers": providers})),
        )
    };
    // Ids of two providers: 400 naming the field.
    let (status, body) =
        post(json!([{"provider_deployment_id": GITHUB_DEPLOYMENT, "provider_config_id": LINEAR_CONFIG}]))
            .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(
        body["errors"][0]["path"],
        json!(["providers", 0, "provider_config_id"])
    );
    assert_eq!(body["errors"][0]["code"], "provider_mismatch");
    // An unknown id: 404 with its entity and id.
    let (status, body) = post(json!([{"provider_deployment_id": "pde_Nope1234"}])).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(
        (body["entity"].as_str(), body["id"].as_str()),
        (Some("provider.deployment"), Some("pde_Nope1234"))
    );
    // Another kind's id where a deployment id goes: refused, naming the field.
    let (status, body) = post(json!([{"provider_deployment_id": GITHUB_AUTH}])).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(
        body["errors"][0]["path"],
        json!(["providers", 0, "provider_deployment_id"])
    );
    // A refused pattern is 400 at the rule's path, on write.
    let (status, body) = post(json!([{"provider_deployment_id": GITHUB_DEPLOYMENT,
                                       "tool_filters": [{"type": "tool_regex", "pattern": "^(?=a)"}]}]))
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(
        body["errors"][0]["path"],
        json!(["providers", 0, "tool_filters", 0, "pattern"])
    );
    s.stop().await;
}

#[tokio::test]
async fn the_catalog_loads_idempotently() {
    let store = Store::open("sqlite::memory:").await.unwrap();
    let state = AppState::new(store, Settings::default()).await.unwrap();
    let catalog: Catalog = switchboard_model::decode::from_str(CATALOG).unwrap();
    let first = state.load_catalog(catalog.clone()).await.unwrap();
    assert!(first.added > 10 && first.updated == 0, "{first:?}");
    let second = state.load_catalog(catalog.clone()).await.unwrap();
    assert_eq!(
        (second.added, second.updated, second.removed, second.unchanged),
        (0, 0, 0, first.added)
    );
    let mut changed = catalog;
    changed.deployments[0].name = Some("GitHub Enterprise".to_owned());
    changed.integrations.pop();
    let third = state.load_catalog(changed).await.unwrap();
    assert_eq!((third.added, third.updated, third.removed), (0, 1, 1));
    assert_eq!(
        state
            .catalog()
            .deployment(&GITHUB_DEPLOYMENT.parse().unwrap())
            .unwrap()
            .name
            .as_deref(),
        Some("GitHub Enterprise")
    );
}

#[tokio::test]
async fn an_idempotency_key_replays_the_first_answer() {
    let s = Server::start().await;
    let post = |key: &'static str, idem: &str, body: serde_json::Value| {
        s.client
            .post(format!("{}/session-templates", s.base))
            .bearer_auth(key)
            .header("idempotency-key", idem)
            .json(&body)
            .send()
    };
    let key: &'static str = Box::leak(s.key.clone().into_boxed_str());
    let other: &'static str = Box::leak(s.other_key.clone().into_boxed_str());
    let body = json!({"name": "once", "providers": [{"provider_config_id": LINEAR_CONFIG}]});
    let first = post(key, "k1", body.clone()).await.unwrap();
    assert_eq!(first.status(), StatusCode::OK);
    let first: serde_json::Value = first.json().await.unwrap();
    let again = post(key, "k1", body.clone()).await.unwrap();
    assert_eq!(again.status(), StatusCode::OK);
    assert_eq!(again.headers()["idempotent-replayed"], "true");
    assert_eq!(again.json::<serde_json::Value>().await.unwrap(), first);
    let (_, list) = s.call(Method::GET, "/session-templates", None).await;
    assert_eq!(ids(&list).len(), 1, "the repeat created nothing");
    // The same key with another body is refused.
    let other_body = post(key, "k1", json!({"name": "twice"})).await.unwrap();
    assert_eq!(other_body.status(), StatusCode::BAD_REQUEST);
    // A 4xx stores nothing: the corrected request runs under the same key.
    let bad = post(key, "k2", json!({"name": ""})).await.unwrap();
    assert_eq!(bad.status(), StatusCode::BAD_REQUEST);
    let fixed = post(key, "k2", json!({"name": "fixed"})).await.unwrap();
    assert_eq!(fixed.status(), StatusCode::OK);
    assert!(!fixed.headers().contains_key("idempotent-replayed"));
    // Keys belong to an instance: another one's `k1` is its own.
    let theirs = post(other, "k1", body).await.unwrap();
    assert_eq!(theirs.status(), StatusCode::OK);
    assert!(!theirs.headers().contains_key("idempotent-replayed"));
    let long = post(key, &"x".repeat(256), json!({"name": "x"})).await.unwrap();
    assert_eq!(long.status(), StatusCode::BAD_REQUEST);
    s.stop().await;
}

#[tokio::test]
async fn template_rules_hold_over_http() {
    let s = Server::start().await;
    let t = s
        .create_template("t", json!([{"provider_config_id": LINEAR_CONFIG}]))
        .await;
    let id = t["id"].as_str().unwrap();
    let created = t["created_at"].as_str().unwrap();
    // Date filters, inclusive and exclusive.
    let (_, list) = s
        .call(
            Method::GET,
            &format!("/session-templates?created_at[gte]={created}"),
            None,
        )
        .await;
    assert_eq!(ids(&list), vec![id.to_owned()]);
    let (_, list) = s
        .call(
            Method::GET,
            &format!("/session-templates?created_at[gt]={created}"),
            None,
        )
        .await;
    assert_eq!(ids(&list), Vec::<String>::new());
    // More than 100 providers in a body is refused, naming the field.
    let many: Vec<serde_json::Value> = (0..101)
        .map(|_| json!({"provider_config_id": LINEAR_CONFIG}))
        .collect();
    let (status, body) = s
        .call(
            Method::POST,
            "/session-templates",
            Some(json!({"name": "many", "providers": many})),
        )
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(body["errors"][0]["path"][0], "providers", "{body}");
    // Nothing is added to an archived template.
    s.call(Method::DELETE, &format!("/session-templates/{id}"), None)
        .await;
    let (status, body) = s
        .call(
            Method::POST,
            "/session-template-providers",
            Some(json!({"session_template_id": id, "provider_config_id": LINEAR_CONFIG})),
        )
        .await;
    assert_eq!(
        (status, body["code"].as_str()),
        (StatusCode::BAD_REQUEST, Some("use_after_delete"))
    );
    // A path id of another kind cannot exist.
    let (status, body) = s
        .call(Method::GET, "/session-templates/pro_Gh7kQm2xVb9TnR4w", None)
        .await;
    assert_eq!(
        (status, body["entity"].as_str()),
        (StatusCode::NOT_FOUND, Some("session.template"))
    );
    // An alias of the template's own kind is the same template.
    let alias = id.replacen("stm_", "set_", 1);
    let (status, got) = s
        .call(Method::GET, &format!("/session-templates/{alias}"), None)
        .await;
    assert_eq!((status, got["id"].as_str()), (StatusCode::OK, Some(id)));
    s.stop().await;
}
