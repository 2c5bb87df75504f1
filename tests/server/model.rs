//! Model-based test of the API: random sequences of calls (creates, bad
//! bodies, renames, archives, providers added and removed, list pages with
//! random filters and positions, setup sessions, other tenants' ids,
//! replayed idempotency keys) against a running server and against a small
//! reference model here; every answer is compared with the model's
//! prediction. Failures shrink to a minimal sequence, which proptest keeps
//! as a regression case. Runs on SQLite and, with a test cluster, on PostgreSQL.

use proptest::prelude::*;
use proptest_state_machine::{ReferenceStateMachine, StateMachineTest, prop_state_machine};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use switchboard_server::Settings;

use super::{GITHUB_DEPLOYMENT, LINEAR_CONFIG, SLACK_CONFIG, Server, ids, post_raw};

/// The provider entries a template is made of, by index.
fn entry(i: usize) -> Value {
    match i % 3 {
        0 => json!({"provider_deployment_id": GITHUB_DEPLOYMENT}),
        1 => json!({"provider_config_id": LINEAR_CONFIG}),
        _ => json!({"provider_config_id": SLACK_CONFIG}),
    }
}

#[derive(Debug, Clone)]
pub enum Op {
    /// Entries by bitmask (bit i: entry i); `bad`: an invalid body instead.
    Create {
        entries: u8,
        bad: bool,
        idempotent: bool,
    },
    /// The last idempotent create, sent again with its key.
    Replay,
    Rename {
        t: usize,
        name: u8,
    },
    Archive {
        t: usize,
    },
    AddProvider {
        t: usize,
        entry: usize,
    },
    RemoveProvider {
        t: usize,
        p: usize,
    },
    /// `status`: 0 none, 1 active, 2 archived, 3 both.
    List {
        status: u8,
        limit: u8,
        after: Option<usize>,
        desc: bool,
    },
    /// Read a template, as its own tenant or as the other one.
    Get {
        t: usize,
        other: bool,
    },
    CreateSession,
}

#[derive(Debug, Clone)]
pub struct RefTemplate {
    name: String,
    archived: bool,
    /// Each provider ever added, in order: still active?
    providers: Vec<bool>,
}

#[derive(Debug, Clone, Default)]
pub struct Ref {
    templates: Vec<RefTemplate>,
    /// The template the last idempotent create made, if any.
    last_idempotent: Option<usize>,
    sessions: usize,
}

impl Ref {
    fn active_providers(&self, t: usize) -> usize {
        self.templates[t].providers.iter().filter(|a| **a).count()
    }
}

pub struct Model;

/// An index into the templates, sometimes one past them (a template that
/// does not exist).
fn template_index(r: &Ref) -> BoxedStrategy<usize> {
    (0..r.templates.len() + 1).boxed()
}

impl ReferenceStateMachine for Model {
    type State = Ref;
    type Transition = Op;

    fn init_state() -> BoxedStrategy<Ref> {
        Just(Ref::default()).boxed()
    }

    fn transitions(r: &Ref) -> BoxedStrategy<Op> {
        let t = template_index(r);
        prop_oneof![
            4 => (0u8..8, prop::bool::weighted(0.2), any::<bool>())
                .prop_map(|(entries, bad, idempotent)| Op::Create { entries, bad, idempotent }),
            1 => Just(Op::Replay),
            2 => (t.clone(), any::<u8>()).prop_map(|(t, name)| Op::Rename { t, name }),
            1 => t.clone().prop_map(|t| Op::Archive { t }),
            2 => (t.clone(), 0usize..3).prop_map(|(t, entry)| Op::AddProvider { t, entry }),
            2 => (t.clone(), 0usize..4).prop_map(|(t, p)| Op::RemoveProvider { t, p }),
            3 => (0u8..4, 1u8..5, prop::option::of(t.clone()), any::<bool>())
                .prop_map(|(status, limit, after, desc)| Op::List { status, limit, after, desc }),
            2 => (t, any::<bool>()).prop_map(|(t, other)| Op::Get { t, other }),
            1 => Just(Op::CreateSession),
        ]
        .boxed()
    }

    fn apply(mut r: Ref, op: &Op) -> Ref {
        match *op {
            Op::Create {
                entries,
                bad: false,
                idempotent,
            } => {
                r.templates.push(RefTemplate {
                    name: "created".to_owned(),
                    archived: false,
                    providers: (0..3).filter(|i| entries & (1 << i) != 0).map(|_| true).collect(),
                });
                if idempotent {
                    r.last_idempotent = Some(r.templates.len() - 1);
                }
            }
            Op::Rename { t, name } if t < r.templates.len() && !r.templates[t].archived => {
                r.templates[t].name = format!("name {name}");
            }
            Op::Archive { t } if t < r.templates.len() => {
                let template = &mut r.templates[t];
                template.archived = true;
                template.providers.iter_mut().for_each(|a| *a = false);
            }
            Op::AddProvider { t, .. }
                if t < r.templates.len() && !r.templates[t].archived && r.active_providers(t) < 100 =>
            {
                r.templates[t].providers.push(true);
            }
            Op::RemoveProvider { t, p } if t < r.templates.len() && p < r.templates[t].providers.len() => {
                r.templates[t].providers[p] = false;
            }
            Op::CreateSession => r.sessions += 1,
            _ => {}
        }
        r
    }
}

/// The system under test: a server, its runtime, and the ids it gave.
pub struct Api {
    rt: tokio::runtime::Runtime,
    server: Option<Server>,
    templates: Vec<String>,
    /// Each template's provider ids, in the order added.
    providers: Vec<Vec<String>>,
    idempotency: u32,
    last_idempotent: Option<(String, Vec<u8>)>,
}

/// A well-formed template id that names nothing.
const MISSING: &str = "stm_0000000000000000000000";

impl Api {
    fn server(&self) -> &Server {
        self.server.as_ref().expect("started")
    }

    fn template_id(&self, t: usize) -> &str {
        self.templates.get(t).map_or(MISSING, String::as_str)
    }

    fn call(&self, method: Method, path: &str, body: Option<Value>) -> (StatusCode, Value) {
        self.rt.block_on(self.server().call(method, path, body))
    }

    fn start(postgres: bool) -> Option<Api> {
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .unwrap();
        let settings = Settings {
            rate_limit: None,
            ..Settings::default()
        };
        let server = if postgres {
            let Some(url) = rt.block_on(crate::support::postgres::fresh_database()) else {
                crate::support::postgres::skipped("the_api_answers_as_the_reference_model_on_postgres");
                return None;
            };
            rt.block_on(Server::start_on(&url, settings))
        } else {
            rt.block_on(Server::start_with(settings))
        };
        Some(Api {
            rt,
            server: Some(server),
            templates: Vec::new(),
            providers: Vec::new(),
            idempotency: 0,
            last_idempotent: None,
        })
    }

    /// Checks one answer against the model's state after the operation.
    fn step(&mut self, r: &Ref, op: &Op) {
        match *op {
            Op::Create {
                entries,
                bad,
                idempotent,
            } => {
                let providers: Vec<Value> = (0..3).filter(|i| entries & (1 << i) != 0).map(entry).collect();
                let body = if bad {
                    json!({"name": "", "providers": [{}]})
                } else {
                    json!({"name": "created", "providers": providers})
                };
                let bytes = serde_json::to_vec(&body).unwrap();
                let key = idempotent.then(|| {
                    self.idempotency += 1;
                    format!("model-{}", self.idempotency)
                });
                let res = self.rt.block_on(post_raw(
                    self.server(),
                    "/session-templates",
                    key.as_deref(),
                    bytes.clone(),
                ));
                let status = res.status();
                let answer: Value = self.rt.block_on(res.json()).unwrap();
                if bad {
                    assert_eq!(status, StatusCode::BAD_REQUEST, "{answer}");
                    assert_eq!(answer["code"], "invalid_data");
                    return;
                }
                assert_eq!(status, StatusCode::OK, "{answer}");
                self.templates.push(answer["id"].as_str().unwrap().to_owned());
                self.providers.push(
                    answer["providers"]
                        .as_array()
                        .unwrap()
                        .iter()
                        .map(|p| p["id"].as_str().unwrap().to_owned())
                        .collect(),
                );
                if let Some(key) = key {
                    self.last_idempotent = Some((key, bytes));
                }
            }
            Op::Replay => {
                let Some((key, bytes)) = self.last_idempotent.clone() else {
                    return;
                };
                let res = self
                    .rt
                    .block_on(post_raw(self.server(), "/session-templates", Some(&key), bytes));
                assert_eq!(res.status(), StatusCode::OK);
                assert_eq!(res.headers()["idempotent-replayed"], "true");
                let answer: Value = self.rt.block_on(res.json()).unwrap();
                let t = r.last_idempotent.expect("the model knows the replayed create");
                assert_eq!(answer["id"], self.templates[t], "a replay makes nothing new");
            }
            Op::Rename { t, name } => {
                let path = format!("/session-templates/{}", self.template_id(t));
                let (status, answer) = self.call(
                    Method::PATCH,
                    &path,
                    Some(json!({"name": format!("name {name}")})),
                );
                match r.templates.get(t) {
                    None => assert_eq!(status, StatusCode::NOT_FOUND, "{answer}"),
                    Some(rt) if rt.archived => assert_eq!(status, StatusCode::GONE, "{answer}"),
                    Some(rt) => {
                        assert_eq!(status, StatusCode::OK, "{answer}");
                        assert_eq!(answer["name"], rt.name.as_str());
                    }
                }
            }
            Op::Archive { t } => {
                let path = format!("/session-templates/{}", self.template_id(t));
                let (status, answer) = self.call(Method::DELETE, &path, None);
                match r.templates.get(t) {
                    None => assert_eq!(status, StatusCode::NOT_FOUND, "{answer}"),
                    Some(_) => {
                        assert_eq!(status, StatusCode::OK, "{answer}");
                        assert_eq!(answer["status"], "archived");
                        assert_eq!(answer["providers"], json!([]));
                    }
                }
            }
            Op::AddProvider { t, entry: e } => {
                let mut body = entry(e);
                body["session_template_id"] = json!(self.template_id(t));
                let (status, answer) = self.call(Method::POST, "/session-template-providers", Some(body));
                match r.templates.get(t) {
                    None => assert_eq!(status, StatusCode::NOT_FOUND, "{answer}"),
                    Some(rt) if rt.archived => {
                        assert_eq!(
                            (status, answer["code"].as_str()),
                            (StatusCode::BAD_REQUEST, Some("use_after_delete"))
                        );
                    }
                    Some(_) => {
                        assert_eq!(status, StatusCode::OK, "{answer}");
                        self.providers[t].push(answer["id"].as_str().unwrap().to_owned());
                    }
                }
            }
            Op::RemoveProvider { t, p } => {
                let Some(id) = self.providers.get(t).and_then(|ps| ps.get(p)).cloned() else {
                    let (status, _) = self.call(
                        Method::DELETE,
                        "/session-template-providers/stp_0000000000000000000000",
                        None,
                    );
                    assert_eq!(status, StatusCode::NOT_FOUND);
                    return;
                };
                let (status, answer) =
                    self.call(Method::DELETE, &format!("/session-template-providers/{id}"), None);
                assert_eq!(
                    (status, answer["status"].as_str()),
                    (StatusCode::OK, Some("archived")),
                    "{answer}"
                );
            }
            Op::List {
                status,
                limit,
                after,
                desc,
            } => {
                let mut path = format!(
                    "/session-templates?limit={limit}&order={}",
                    if desc { "desc" } else { "asc" }
                );
                match status {
                    1 => path.push_str("&status=active"),
                    2 => path.push_str("&status=archived"),
                    3 => path.push_str("&status=active&status=archived"),
                    _ => {}
                }
                if let Some(a) = after {
                    path.push_str(&format!("&after={}", self.template_id(a)));
                }
                let (code, page) = self.call(Method::GET, &path, None);
                assert_eq!(code, StatusCode::OK, "{page}");
                // The model's answer: templates in creation order (ids are
                // time-ordered), filtered, ordered, after the given id, cut.
                let wanted = |t: &RefTemplate| match status {
                    2 => t.archived,
                    3 => true,
                    _ => !t.archived,
                };
                let mut all: Vec<usize> = (0..r.templates.len())
                    .filter(|i| wanted(&r.templates[*i]))
                    .collect();
                if desc {
                    all.reverse();
                }
                let bound = after.map(|a| self.template_id(a).to_owned());
                let rest: Vec<usize> = match &bound {
                    None => all,
                    Some(b) => all
                        .into_iter()
                        .filter(|i| {
                            if desc {
                                self.templates[*i] < *b
                            } else {
                                self.templates[*i] > *b
                            }
                        })
                        .collect(),
                };
                let expect: Vec<String> = rest
                    .iter()
                    .take(usize::from(limit))
                    .map(|i| self.templates[*i].clone())
                    .collect();
                assert_eq!(ids(&page), expect, "{path}");
                assert_eq!(
                    page["pagination"]["has_more_after"],
                    rest.len() > usize::from(limit),
                    "{path}"
                );
                for item in page["items"].as_array().unwrap() {
                    let i = self
                        .templates
                        .iter()
                        .position(|id| item["id"] == id.as_str())
                        .unwrap();
                    assert_eq!(
                        item["providers"].as_array().unwrap().len(),
                        r.active_providers(i),
                        "{item}"
                    );
                    assert_eq!(item["name"], r.templates[i].name.as_str());
                }
            }
            Op::Get { t, other } => {
                let path = format!("/session-templates/{}", self.template_id(t));
                let s = self.server();
                let key = if other { &s.other_key } else { &s.key };
                let (status, answer) = self.rt.block_on(s.call_as(key, Method::GET, &path, None));
                match r.templates.get(t) {
                    Some(rt) if !other => {
                        assert_eq!(status, StatusCode::OK, "{answer}");
                        assert_eq!(answer["name"], rt.name.as_str());
                        assert_eq!(answer["status"], if rt.archived { "archived" } else { "active" });
                        assert_eq!(
                            answer["providers"].as_array().unwrap().len(),
                            r.active_providers(t)
                        );
                    }
                    // Another instance's template, or none: the same 404.
                    _ => assert_eq!(status, StatusCode::NOT_FOUND, "{answer}"),
                }
            }
            Op::CreateSession => {
                let (status, answer) = self.call(
                    Method::POST,
                    "/integration-setup-sessions",
                    Some(json!({"integration_id": "int_DevTools2mNpQrStU", "name": "Acme"})),
                );
                assert_eq!(status, StatusCode::OK, "{answer}");
                let (_, list) = self.call(Method::GET, "/integration-setup-sessions?limit=100", None);
                assert_eq!(ids(&list).len(), r.sessions);
            }
        }
    }
}

/// The API over SQLite (`POSTGRES` false) or a fresh PostgreSQL database.
pub struct ApiTest<const POSTGRES: bool>;

impl<const POSTGRES: bool> StateMachineTest for ApiTest<POSTGRES> {
    type SystemUnderTest = Option<Api>;
    type Reference = Model;

    fn init_test(_: &Ref) -> Option<Api> {
        Api::start(POSTGRES)
    }

    fn apply(mut sut: Option<Api>, r: &Ref, op: Op) -> Option<Api> {
        if let Some(api) = sut.as_mut() {
            api.step(r, &op);
        }
        sut
    }

    fn teardown(sut: Option<Api>, _: Ref) {
        if let Some(mut api) = sut {
            let server = api.server.take();
            if let Some(s) = server {
                api.rt.block_on(s.stop());
            }
        }
    }
}

type OnSqlite = ApiTest<false>;
type OnPostgres = ApiTest<true>;

prop_state_machine! {
    #![proptest_config(ProptestConfig { cases: 24, max_shrink_iters: 2000, ..ProptestConfig::default() })]
    #[test]
    fn the_api_answers_as_the_reference_model_on_sqlite(sequential 1..30 => OnSqlite);
}

prop_state_machine! {
    #![proptest_config(ProptestConfig { cases: 16, max_shrink_iters: 2000, ..ProptestConfig::default() })]
    #[test]
    fn the_api_answers_as_the_reference_model_on_postgres(sequential 1..30 => OnPostgres);
}
