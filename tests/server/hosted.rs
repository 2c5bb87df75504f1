//! The hosted setup pages over real HTTP (contract §9): every bad input has
//! a test named after it. The walk in a real browser is in `browser`.

use reqwest::header::HeaderMap;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use super::Server;
use crate::oauth_provider::Provider;

mod demo;
mod limits;
mod oauth;
mod steps;

/// A page as a browser without JavaScript gets it (no redirects followed).
pub(crate) struct Page {
    pub(crate) status: StatusCode,
    pub(crate) headers: HeaderMap,
    pub(crate) body: String,
}

impl Page {
    pub(crate) fn location(&self) -> &str {
        self.headers
            .get("location")
            .and_then(|v| v.to_str().ok())
            .unwrap_or_else(|| panic!("no Location ({}): {}", self.status, self.body))
    }

    /// The action and form token of the form posting to `verb`.
    pub(crate) fn form(&self, verb: &str) -> (String, String) {
        self.form_at(&format!("/{verb}?client_secret="))
    }

    /// The action and form token of the first form whose action contains `needle`.
    pub(crate) fn form_at(&self, needle: &str) -> (String, String) {
        let verb = needle;
        let at = self
            .body
            .find(needle)
            .unwrap_or_else(|| panic!("no {verb} form in:\n{}", self.body));
        let start = self.body[..at].rfind("action=\"").unwrap() + "action=\"".len();
        let end = at + self.body[at..].find('"').unwrap();
        let token_at =
            end + self.body[end..].find("name=\"csrf\" value=\"").unwrap() + "name=\"csrf\" value=\"".len();
        let token_end = token_at + self.body[token_at..].find('"').unwrap();
        (
            self.body[start..end].replace("&amp;", "&"),
            self.body[token_at..token_end].to_owned(),
        )
    }

    /// The first `href` of the element with this id.
    pub(crate) fn link(&self, id: &str) -> String {
        let at =
            self.body.find(&format!("id=\"{id}\" href=\"")).unwrap() + format!("id=\"{id}\" href=\"").len();
        let end = at + self.body[at..].find('"').unwrap();
        self.body[at..end].replace("&amp;", "&")
    }
}

/// A browser-like client: no redirects followed, no API key.
pub(crate) struct Browser {
    pub(crate) base: String,
    client: reqwest::Client,
}

impl Browser {
    pub(crate) fn new(base: &str) -> Browser {
        Browser {
            base: base.to_owned(),
            client: reqwest::Client::builder()
                .redirect(reqwest::redirect::Policy::none())
                .build()
                .unwrap(),
        }
    }

    fn absolute(&self, url: &str) -> String {
        if url.starts_with("http") {
            url.to_owned()
        } else {
            format!("{}{url}", self.base)
        }
    }

    pub(crate) async fn get(&self, url: &str) -> Page {
        let res = self.client.get(self.absolute(url)).send().await.unwrap();
        Page {
            status: res.status(),
            headers: res.headers().clone(),
            body: res.text().await.unwrap(),
        }
    }

    pub(crate) async fn post(&self, url: &str, pairs: &[(&str, &str)]) -> Page {
        let res = self
            .client
            .post(self.absolute(url))
            .form(pairs)
            .send()
            .await
            .unwrap();
        Page {
            status: res.status(),
            headers: res.headers().clone(),
            body: res.text().await.unwrap(),
        }
    }

    /// Posts the form to `verb` on `page` with `fields` and its token.
    pub(crate) async fn submit(&self, page: &Page, verb: &str, fields: &[(&str, &str)]) -> Page {
        let (action, token) = page.form(verb);
        let mut pairs = vec![("csrf", token.as_str())];
        pairs.extend_from_slice(fields);
        self.post(&action, &pairs).await
    }
}

const DEV_TOOLS: &str = "int_DevTools2mNpQrStU";
pub(crate) const LINEAR_KEY: &str = "lin_api_0123456789abcdefXYZ";

/// A session over the developer-tools integration (GitHub by OAuth, Linear by key).
pub(crate) async fn session(server: &Server, extra: Value) -> Value {
    let mut body = json!({"integration_id": DEV_TOOLS, "name": "Acme tools", "redirect_url": "https://app.example.com/done?from=test"});
    for (k, v) in extra.as_object().unwrap() {
        body[k] = v.clone();
    }
    let (status, s) = server
        .call(Method::POST, "/integration-setup-sessions", Some(body))
        .await;
    assert_eq!(status, StatusCode::OK, "{s}");
    s
}

pub(crate) fn path_of(url: &str) -> String {
    let u = url::Url::parse(url).unwrap();
    format!("{}?{}", u.path(), u.query().unwrap_or(""))
}

/// The step page of step `i`, after opening it from the overview.
pub(crate) async fn open_step(b: &Browser, s: &Value, i: usize) -> Page {
    let overview = b.get(&path_of(s["url"].as_str().unwrap())).await;
    assert_eq!(overview.status, StatusCode::OK);
    let step_url = path_of(s["steps"][i]["url"].as_str().unwrap());
    let step_path = step_url.split('?').next().unwrap();
    let (action, token) = overview.form_at(&format!("{step_path}/open?client_secret="));
    let opened = b.post(&action, &[("csrf", &token)]).await;
    assert_eq!(opened.status, StatusCode::SEE_OTHER, "{}", opened.body);
    b.get(opened.location()).await
}

/// The auth configs end users of the first instance made for `provider`.
pub(crate) async fn auth_configs_made(
    server: &Server,
    provider: &str,
) -> Vec<switchboard_store::AuthConfigRecord> {
    let tenant = server
        .state
        .store()
        .ensure_instance("acme", super::now())
        .await
        .unwrap();
    server
        .state
        .store()
        .auth_configs_of(&tenant, &provider.parse().unwrap())
        .await
        .unwrap()
}

pub(crate) async fn server_with_provider() -> (Server, Provider) {
    let server = Server::start().await;
    let provider = Provider::start().await;
    server.state.load_catalog(provider.catalog()).await.unwrap();
    (server, provider)
}

/// Walks Linear's step (token form, then the default config).
pub(crate) async fn connect_linear(b: &Browser, s: &Value) -> Page {
    let auth = open_step(b, s, 1).await;
    let saved = b.submit(&auth, "auth", &[("api_key", LINEAR_KEY)]).await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    let config = b.get(saved.location()).await;
    b.submit(&config, "config", &[("team", "ENG")]).await
}

#[tokio::test]
async fn a_wrong_secret_no_secret_and_an_unknown_id_answer_the_same_404_page() {
    let server = Server::start().await;
    let s = session(&server, json!({})).await;
    let b = Browser::new(&server.base);
    let url = path_of(s["url"].as_str().unwrap());
    let good = b.get(&url).await;
    assert_eq!(good.status, StatusCode::OK);
    let path = url.split('?').next().unwrap();
    let wrong = b
        .get(&format!(
            "{path}?client_secret=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"
        ))
        .await;
    let none = b.get(path).await;
    let unknown = b
        .get("/integration-setup-session/iss_0mxbe22rwzc9tVAu8CfE2t?client_secret=x")
        .await;
    let junk = b.get("/integration-setup-session/%FF%00?client_secret=x").await;
    for p in [&wrong, &none, &unknown, &junk] {
        assert_eq!(p.status, StatusCode::NOT_FOUND);
        assert_eq!(p.body, wrong.body);
        assert_eq!(p.headers["content-type"], "text/html; charset=utf-8");
    }
    // Another session's secret does not open this one.
    let other = session(&server, json!({})).await;
    let other_secret = other["url"]
        .as_str()
        .unwrap()
        .split("client_secret=")
        .nth(1)
        .unwrap();
    assert_eq!(
        b.get(&format!("{path}?client_secret={other_secret}")).await.body,
        wrong.body
    );
}

#[tokio::test]
async fn an_api_key_never_opens_a_page_and_the_secret_never_opens_the_api() {
    let server = Server::start().await;
    let s = session(&server, json!({})).await;
    let path = path_of(s["url"].as_str().unwrap())
        .split('?')
        .next()
        .unwrap()
        .to_owned();
    let with_key = reqwest::Client::new()
        .get(format!("{}{path}", server.base))
        .bearer_auth(&server.key)
        .send()
        .await
        .unwrap();
    assert_eq!(with_key.status(), StatusCode::NOT_FOUND);
    let secret = s["url"]
        .as_str()
        .unwrap()
        .split("client_secret=")
        .nth(1)
        .unwrap()
        .to_owned();
    let (status, body) = server
        .call_as(
            &secret,
            Method::GET,
            &format!("/integration-setup-sessions/{}", s["id"].as_str().unwrap()),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "{body}");
}

#[tokio::test]
async fn every_page_sends_no_store_no_referrer_nosniff_and_a_strict_policy() {
    let (server, provider) = server_with_provider().await;
    let s = session(&server, json!({})).await;
    let b = Browser::new(&server.base);
    let overview = b.get(&path_of(s["url"].as_str().unwrap())).await;
    let github = open_step(&b, &s, 0).await;
    let missing = b.get("/integration-setup-session/iss_x").await;
    for p in [&overview, &github, &missing] {
        assert_eq!(p.headers["cache-control"], "no-store");
        assert_eq!(p.headers["referrer-policy"], "no-referrer");
        assert_eq!(p.headers["x-content-type-options"], "nosniff");
        let csp = p.headers["content-security-policy"].to_str().unwrap();
        assert!(
            csp.contains("default-src 'none'") && csp.contains("frame-ancestors 'none'"),
            "{csp}"
        );
        assert!(!csp.contains("script-src") && !csp.contains("unsafe"), "{csp}");
        assert!(!p.body.contains("<script"), "no script on a page");
    }
    // The sign-in page may post to the provider's origin, and only there.
    let csp = github.headers["content-security-policy"].to_str().unwrap();
    assert!(
        csp.ends_with(&format!("form-action 'self' {}", provider.base)),
        "{csp}"
    );
    assert!(
        overview.headers["content-security-policy"]
            .to_str()
            .unwrap()
            .ends_with("form-action 'self'")
    );
}

#[tokio::test]
async fn a_post_without_the_form_token_or_with_another_sessions_is_refused() {
    let (server, _provider) = server_with_provider().await;
    let s = session(&server, json!({})).await;
    let other = session(&server, json!({})).await;
    let b = Browser::new(&server.base);
    let auth = open_step(&b, &s, 1).await;
    let other_auth = open_step(&b, &other, 1).await;
    let (action, _) = auth.form("auth");
    let (_, other_token) = other_auth.form("auth");
    // Another step's token of the same session does not fit either.
    let github = open_step(&b, &s, 0).await;
    let (_, github_token) = github.form("oauth");
    for token in [
        None,
        Some(other_token.as_str()),
        Some(github_token.as_str()),
        Some("0000"),
    ] {
        let mut pairs = vec![("api_key", LINEAR_KEY)];
        if let Some(t) = token {
            pairs.push(("csrf", t));
        }
        let refused = b.post(&action, &pairs).await;
        assert_eq!(refused.status, StatusCode::FORBIDDEN);
        assert!(
            refused.body.contains("This form was not accepted"),
            "{}",
            refused.body
        );
    }
    // Nothing was stored: the step still asks for its key.
    assert!(
        b.get(&path_of(s["steps"][1]["url"].as_str().unwrap()))
            .await
            .body
            .contains("name=\"api_key\"")
    );
}

#[tokio::test]
async fn an_invalid_token_form_shows_the_error_next_to_the_field_and_keeps_no_secret() {
    let server = Server::start().await;
    let s = session(&server, json!({})).await;
    let b = Browser::new(&server.base);
    let auth = open_step(&b, &s, 1).await;
    let refused = b.submit(&auth, "auth", &[("api_key", "too-short")]).await;
    assert_eq!(refused.status, StatusCode::OK);
    let field = refused.body.find("id=\"f-api_key\"").unwrap();
    let error = refused.body.find("id=\"f-api_key-error-1\"").unwrap();
    assert!(error > field, "the error follows its field");
    assert!(
        refused.body[error..].contains("shorter than 20 characters"),
        "{}",
        &refused.body[error..]
    );
    assert!(refused.body.contains("aria-invalid=\"true\""));
    assert!(
        !refused.body.contains("too-short"),
        "a secret is not rendered back:\n{}",
        refused.body
    );
    let missing = b.submit(&auth, "auth", &[("api_key", "")]).await;
    assert!(
        missing.body.contains("This field is required."),
        "{}",
        missing.body
    );
}

#[tokio::test]
async fn an_invalid_config_form_keeps_the_values_typed() {
    let server = Server::start().await;
    let s = session(&server, json!({})).await;
    let b = Browser::new(&server.base);
    let auth = open_step(&b, &s, 1).await;
    let config = b
        .get(
            b.submit(&auth, "auth", &[("api_key", LINEAR_KEY)])
                .await
                .location(),
        )
        .await;
    let refused = b.submit(&config, "config", &[("team", "engineering")]).await;
    assert_eq!(refused.status, StatusCode::OK);
    assert!(
        refused.body.contains("value=\"engineering\""),
        "the value is kept"
    );
    assert!(refused.body.contains("id=\"f-team-error-1\""), "{}", refused.body);
}

#[tokio::test]
async fn the_typed_credential_is_sealed_in_the_database_and_shown_nowhere() {
    let server = Server::start().await;
    let s = session(&server, json!({})).await;
    let b = Browser::new(&server.base);
    let done = connect_linear(&b, &s).await;
    assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.body);
    // Nowhere in the database file (its WAL included) ...
    server.state.store().close().await;
    for suffix in ["", "-wal"] {
        let mut p = server.db.clone().into_os_string();
        p.push(suffix);
        if let Ok(bytes) = std::fs::read(&p) {
            assert!(
                !bytes
                    .windows(LINEAR_KEY.len())
                    .any(|w| w == LINEAR_KEY.as_bytes()),
                "{suffix}"
            );
        }
    }
}

#[tokio::test]
async fn the_credential_is_shown_by_no_route() {
    let server = Server::start().await;
    let s = session(&server, json!({})).await;
    let b = Browser::new(&server.base);
    connect_linear(&b, &s).await;
    let id = s["id"].as_str().unwrap();
    let (_, api) = server
        .call(Method::GET, &format!("/integration-setup-sessions/{id}"), None)
        .await;
    let (_, list) = server
        .call(Method::GET, "/integration-setup-sessions", None)
        .await;
    let overview = b.get(&path_of(s["url"].as_str().unwrap())).await;
    let step = b.get(&path_of(s["steps"][1]["url"].as_str().unwrap())).await;
    for text in [api.to_string(), list.to_string(), overview.body, step.body] {
        assert!(!text.contains(LINEAR_KEY));
    }
    let provider = &api["integration_instance"]["providers"][0];
    assert_eq!(provider["config"]["provider_id"], "pro_Ln6tBw4mJr2HsF9e", "{api}");
    assert!(
        provider["auth_config"]["id"]
            .as_str()
            .unwrap()
            .starts_with("pac_")
    );
}

#[tokio::test]
async fn a_double_submit_creates_one_auth_config_and_one_instance_provider() {
    let server = Server::start().await;
    let s = session(&server, json!({})).await;
    let b = Browser::new(&server.base);
    let auth = open_step(&b, &s, 1).await;
    let first = b.submit(&auth, "auth", &[("api_key", LINEAR_KEY)]).await;
    let second = b
        .submit(&auth, "auth", &[("api_key", "lin_api_another_key_0000000")])
        .await;
    assert_eq!(
        (first.status, second.status),
        (StatusCode::SEE_OTHER, StatusCode::SEE_OTHER)
    );
    let config = b.get(first.location()).await;
    let (a, c) = (
        b.submit(&config, "config", &[("team", "ENG")]).await,
        b.submit(&config, "config", &[("team", "OPS")]).await,
    );
    assert_eq!(
        (a.status, c.status),
        (StatusCode::SEE_OTHER, StatusCode::SEE_OTHER)
    );
    let tenant = server
        .state
        .store()
        .ensure_instance("acme", super::now())
        .await
        .unwrap();
    let provider = "pro_Ln6tBw4mJr2HsF9e".parse().unwrap();
    assert_eq!(
        server
            .state
            .store()
            .auth_configs_of(&tenant, &provider)
            .await
            .unwrap()
            .len(),
        1
    );
    let configs = server.state.store().configs_of(&tenant, &provider).await.unwrap();
    assert_eq!(configs.len(), 1);
    assert_eq!(configs[0].value, json!({"team": "ENG"}));
    let id = s["id"].as_str().unwrap();
    let (_, api) = server
        .call(Method::GET, &format!("/integration-setup-sessions/{id}"), None)
        .await;
    assert_eq!(
        api["integration_instance"]["providers"].as_array().unwrap().len(),
        1,
        "{api}"
    );
}
