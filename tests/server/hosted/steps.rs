//! Steps whose child ended elsewhere, and the session's layout.

use reqwest::{Method, StatusCode};
use serde_json::json;
use switchboard_setup::{Event, transition};

use super::{Browser, Server, path_of, session};

#[tokio::test]
async fn a_failed_child_is_replaced_from_the_overview() {
    let server = Server::start().await;
    let s = session(&server, json!({"configuration": {"ui": {"layout": "side"}}})).await;
    // The child fails elsewhere (a webhook, say): written behind the pages' back.
    let store = server.state.store();
    let id = s["id"].as_str().unwrap().parse().unwrap();
    let (tenant, state) = store.setup_session_by_id(&id).await.unwrap().unwrap();
    let step = &state.steps[1];
    let old_child = step.child.clone().unwrap().id;
    let failed = Event::ChildFailed {
        step: step.id.clone(),
        child: old_child.clone(),
    };
    let (next, _) = transition(&state, state.version, &failed, state.updated_at).unwrap();
    store
        .save_setup_session(&tenant, &next, state.version)
        .await
        .unwrap();

    let b = Browser::new(&server.base);
    let overview = b.get(&path_of(s["url"].as_str().unwrap())).await;
    assert!(
        overview.body.contains("<body class=\"layout-side\">"),
        "the session's layout"
    );
    assert!(overview.body.contains(">Failed</span>") && overview.body.contains(">Try again</button>"));
    let step_path = path_of(s["steps"][1]["url"].as_str().unwrap())
        .split('?')
        .next()
        .unwrap()
        .to_owned();
    let (action, token) = overview.form_at(&format!("{step_path}/open?client_secret="));
    let opened = b.post(&action, &[("csrf", &token)]).await;
    assert_eq!(opened.status, StatusCode::SEE_OTHER);
    let page = b.get(opened.location()).await;
    assert!(
        page.body.contains("name=\"api_key\""),
        "the new child starts at sign-in"
    );
    let (_, api) = server
        .call(Method::GET, &format!("/integration-setup-sessions/{id}"), None)
        .await;
    assert_eq!(api["steps"][1]["status"], "pending", "{api}");
    let new_child = api["steps"][1]["provider_setup_session_id"].as_str().unwrap();
    assert_ne!(new_child, old_child.as_str());
    // Opening again changes nothing: the new child is pending, not failed.
    let again = b.post(&action, &[("csrf", &token)]).await;
    assert_eq!(again.status, StatusCode::SEE_OTHER);
    let (_, after) = server
        .call(Method::GET, &format!("/integration-setup-sessions/{id}"), None)
        .await;
    assert_eq!(after["steps"][1]["provider_setup_session_id"], new_child);
}
