//! `switchboard-toolset`: data-driven vectors in `testdata/toolset/`,
//! property tests and explanation texts.

use proptest::prelude::*;
use serde_json::Value;
use switchboard::model::decode;
use switchboard::model::error::{ApiError, PathSegment};
use switchboard::model::filter::{Rule, ToolFilter};
use switchboard::toolset::{
    Access, Capability, Chain, CollisionPolicy, CompiledFilter, Decision, IntegrationRules, Kind, Level,
    ProviderEntry, ResolveOptions, decide, prefixed_name, resolve,
};

use crate::support::read;

fn cases(file: &str) -> Vec<Value> {
    let doc: Value = serde_json::from_str(&read(&format!("toolset/{file}.json"))).unwrap();
    doc["cases"].as_array().unwrap().clone()
}

fn strings(v: &Value) -> Vec<String> {
    v.as_array()
        .map(|a| a.iter().map(|s| s.as_str().unwrap().to_owned()).collect())
        .unwrap_or_default()
}

fn capability(v: &Value) -> Capability {
    let kind = match v["kind"].as_str().unwrap() {
        "tool" => Kind::Tool,
        "prompt" => Kind::Prompt,
        "resource_template" => Kind::ResourceTemplate,
        "resource_read" => Kind::ResourceRead,
        "utility" => Kind::Utility,
        other => panic!("kind {other}"),
    };
    let mut c = Capability::new(kind, v["key"].as_str().unwrap());
    c.id = v["id"].as_str().map(str::to_owned);
    c.callable_id = v["callable_id"].as_str().map(str::to_owned);
    c.mcp_name = v["mcp_name"].as_str().map(str::to_owned);
    c.required_scopes = v["scopes"]
        .as_array()
        .map(|g| g.iter().map(strings).collect())
        .unwrap_or_default();
    c.auth_methods = strings(&v["auth_methods"]);
    c
}

fn level(name: &str) -> Level {
    match name {
        "config" => Level::Config,
        "auth_config" => Level::AuthConfig,
        "deployment" => Level::Deployment,
        "template_provider" => Level::TemplateProvider,
        "integration_provider" => Level::IntegrationProvider,
        "instance_provider" => Level::InstanceProvider,
        other => panic!("level {other}"),
    }
}

fn compile(filter: &Value) -> CompiledFilter {
    let f: ToolFilter = decode::from_value(filter).unwrap();
    CompiledFilter::compile(&f, &[PathSegment::from("tool_filters")]).unwrap()
}

fn chain(levels: &Value) -> Chain {
    Chain::new(
        levels
            .as_array()
            .map(|ls| {
                ls.iter()
                    .map(|l| (level(l[0].as_str().unwrap()), compile(&l[1])))
                    .collect()
            })
            .unwrap_or_default(),
    )
}

fn access(v: &Value) -> Access {
    Access::from_sources(
        &strings(&v["credentials_scopes"]),
        &strings(&v["auth_config_scopes"]),
        v["auth_method"].as_str(),
    )
}

/// `allowed`, `denied:<level>`, `denied:scopes`, `denied:auth_method`, `denied:utility`.
fn outcome(d: &Decision) -> String {
    match d {
        Decision::Allowed(_) => "allowed".to_owned(),
        Decision::Utility => "denied:utility".to_owned(),
        Decision::Filter { level, .. } => format!("denied:{}", level.to_string().replace(' ', "_")),
        Decision::Scopes(_) => "denied:scopes".to_owned(),
        Decision::AuthMethod { .. } => "denied:auth_method".to_owned(),
        Decision::Shadowed { .. } => "denied:shadowed".to_owned(),
    }
}

fn report(failures: &[String], total: usize) {
    assert!(
        failures.is_empty(),
        "{} of {total} cases failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn vectors_rules_chain_scopes_auth() {
    let all = cases("rules");
    let mut failures = Vec::new();
    for c in &all {
        let d = decide(
            &chain(&c["levels"]),
            &access(&c["access"]),
            &capability(&c["capability"]),
        );
        if outcome(&d) != c["expect"] {
            failures.push(format!(
                "{}: got {} ({d}), want {}",
                c["name"],
                outcome(&d),
                c["expect"]
            ));
        }
    }
    report(&failures, all.len());
}

#[test]
fn vectors_integration_chains() {
    let all = cases("integration");
    let mut failures = Vec::new();
    for c in &all {
        let i = &c["integration"];
        let chain = Chain::integration(
            compile(&i["provider"]),
            (!i["instance"].is_null()).then(|| compile(&i["instance"])),
            i["is_override"].as_bool().unwrap_or(false),
            IntegrationRules {
                custom_tool_filters: i["custom"].as_bool().unwrap_or(false),
                override_tool_filters: i["override"].as_bool().unwrap_or(false),
                ..IntegrationRules::default()
            },
        );
        let d = decide(&chain, &Access::default(), &capability(&c["capability"]));
        if outcome(&d) != c["expect"] {
            failures.push(format!(
                "{}: got {} ({d}), want {}",
                c["name"],
                outcome(&d),
                c["expect"]
            ));
        }
    }
    report(&failures, all.len());
}

#[test]
fn vectors_resolve() {
    let all = cases("resolve");
    let mut failures = Vec::new();
    for c in &all {
        let providers: Vec<ProviderEntry> = c["providers"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| ProviderEntry {
                name: p["name"].as_str().unwrap().to_owned(),
                chain: chain(&p["levels"]),
                access: access(&p["access"]),
                capabilities: p["capabilities"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(capability)
                    .collect(),
            })
            .collect();
        let policy = match c["policy"].as_str().unwrap() {
            "first-wins" => CollisionPolicy::FirstWins,
            "prefix" => CollisionPolicy::Prefix {
                budget: c["budget"].as_u64().unwrap_or(64) as usize,
            },
            _ => CollisionPolicy::Error,
        };
        let options = ResolveOptions {
            policy,
            per_provider_cap: c["cap"].as_u64().map(|n| n as usize),
        };
        let mut problems = Vec::new();
        match resolve(&providers, &options) {
            Err(e) => {
                if c["expect_error"].as_str() != Some(&e.to_string()) {
                    problems.push(format!("error {e}"));
                }
            }
            Ok(r) => {
                let names: Vec<String> = r.allowed().map(|e| e.name.clone()).collect();
                if let Some(want) = c.get("expect_names")
                    && strings(want) != names
                {
                    problems.push(format!("names {names:?}"));
                }
                if let Some(n) = c["expect_count"].as_u64()
                    && names.len() as u64 != n
                {
                    problems.push(format!("count {}", names.len()));
                }
                if let Some(lengths) = c["expect_name_lengths"].as_array() {
                    let got: Vec<u64> = names.iter().map(|n| n.len() as u64).collect();
                    if got != lengths.iter().map(|l| l.as_u64().unwrap()).collect::<Vec<_>>() {
                        problems.push(format!("lengths {got:?}"));
                    }
                }
                for s in c["expect_shadowed"].as_array().into_iter().flatten() {
                    let (p, key, by) = (
                        s[0].as_str().unwrap(),
                        s[1].as_str().unwrap(),
                        s[2].as_str().unwrap(),
                    );
                    let hit = r.entries.iter().any(|e| {
                        providers[e.provider].name == p
                            && e.name == key
                            && e.decision == Decision::Shadowed { by: by.to_owned() }
                    });
                    if !hit {
                        problems.push(format!("{p}/{key} not shadowed by {by}"));
                    }
                }
                for (name, at) in c["expect_route"].as_object().into_iter().flatten() {
                    let want = (at[0].as_u64().unwrap() as usize, at[1].as_u64().unwrap() as usize);
                    if r.route(name) != Some(want) {
                        problems.push(format!("route {name} -> {:?}", r.route(name)));
                    }
                }
                if c.get("expect_error").is_some() {
                    problems.push("expected an error".to_owned());
                }
            }
        }
        if !problems.is_empty() {
            failures.push(format!("{}: {}", c["name"], problems.join("; ")));
        }
    }
    report(&failures, all.len());
}

#[test]
fn vectors_compile_errors() {
    let all = cases("compile_errors");
    let mut failures = Vec::new();
    for c in &all {
        let f: ToolFilter = decode::from_value(&c["filter"]).unwrap();
        match CompiledFilter::compile(&f, &[PathSegment::from("tool_filters")]) {
            Ok(_) => failures.push(format!("{}: compiled", c["name"])),
            Err(e) => {
                let body = e.error_body();
                let path = serde_json::to_value(&body.errors.as_ref().unwrap()[0].path).unwrap();
                if path != c["path"] || !e.to_string().contains(c["contains"].as_str().unwrap()) {
                    failures.push(format!("{}: {e} at {path}", c["name"]));
                }
            }
        }
    }
    report(&failures, all.len());
}

#[test]
fn explanations_and_errors_read_well() {
    let f = |rules| CompiledFilter::compile(&ToolFilter::from_rules(rules), &[]).unwrap();
    let chain = Chain::new(vec![
        (
            Level::Deployment,
            f(vec![Rule::PromptKeys {
                keys: vec!["p".into()],
            }]),
        ),
        (
            Level::TemplateProvider,
            f(vec![Rule::ToolRegex {
                pattern: "^list_".into(),
            }]),
        ),
    ]);
    let access = Access::from_sources(&["repo".into()], &[], Some("oauth2"));
    let mut scoped = Capability::tool("list_orgs");
    scoped.required_scopes = vec![vec!["read:org".into(), "admin:org".into()], vec!["repo".into()]];
    let mut token_only = Capability::tool("list_keys");
    token_only.auth_methods = vec!["token".into()];
    let lines: Vec<String> = [
        Capability::tool("list_repos"),
        Capability::tool("delete_repo"),
        scoped,
        token_only,
        Capability::new(Kind::Utility, "logging/setLevel"),
    ]
    .iter()
    .map(|c| format!("{}: {}", c.key, decide(&chain, &access, c)))
    .collect();
    insta::assert_snapshot!(lines.join("\n"), @"
    list_repos: allowed: deployment has no rule for this kind, template provider rule 0 matches
    delete_repo: denied by the template provider's filter: no tool rule matches
    list_orgs: denied: missing scopes read:org or admin:org
    list_keys: denied: works with auth methods token, the active one is oauth2
    logging/setLevel: denied: protocol utilities are never exposed
    ");
    let bad = ToolFilter::from_rules(vec![
        Rule::ToolKeys { keys: vec![] },
        Rule::ToolRegex {
            pattern: "a(?<=b)".into(),
        },
    ]);
    let e = CompiledFilter::compile(&bad, &[PathSegment::from("tool_filters")]).unwrap_err();
    insta::assert_snapshot!(e, @"tool_filters[1].pattern: rule 1: pattern `a(?<=b)`: look-around (`(?=`, `(?!`, `(?<=`, `(?<!`) cannot run in linear time and is not supported");
    insta::assert_snapshot!(serde_json::to_string(&e.error_body()).unwrap(), @r#"{"object":"error","ok":false,"status":400,"code":"invalid_data","message":"The provided data is invalid.","entity":"body","errors":[{"code":"invalid_pattern","message":"rule 1: pattern `a(?<=b)`: look-around (`(?=`, `(?!`, `(?<=`, `(?<!`) cannot run in linear time and is not supported","path":["tool_filters",1,"pattern"]}]}"#);
}

// ---------------------------------------------------------------------------
// Property tests

fn any_rule() -> impl Strategy<Value = Rule> {
    let key = prop::sample::select(vec![
        "list_a",
        "list_b",
        "get_c",
        "send",
        "p1",
        "p2",
        "file:///a",
        "file:///b",
    ]);
    let pattern = prop::sample::select(vec!["^list_", "_b$", "get", "^p", "file", "^x$", "\\d"]);
    prop_oneof![
        prop::collection::vec(key.clone(), 0..3).prop_map(|k| Rule::ToolKeys {
            keys: k.into_iter().map(str::to_owned).collect()
        }),
        pattern.clone().prop_map(|p| Rule::ToolRegex {
            pattern: p.to_owned()
        }),
        prop::collection::vec(key.clone(), 0..3).prop_map(|k| Rule::PromptKeys {
            keys: k.into_iter().map(str::to_owned).collect()
        }),
        pattern.clone().prop_map(|p| Rule::PromptRegex {
            pattern: p.to_owned()
        }),
        pattern.prop_map(|p| Rule::ResourceRegex {
            pattern: p.to_owned()
        }),
        prop::collection::vec(key, 0..3).prop_map(|k| Rule::ResourceUris {
            uris: k.into_iter().map(str::to_owned).collect()
        }),
    ]
}

fn any_filter() -> impl Strategy<Value = ToolFilter> {
    (
        prop::option::of(prop::collection::vec(any_rule(), 0..4)),
        any::<bool>(),
    )
        .prop_map(|(rules, ignore)| match rules {
            None => ToolFilter::AllowAll {
                ignore_parent_filters: ignore,
            },
            Some(filters) => ToolFilter::Filter {
                filters,
                ignore_parent_filters: ignore,
            },
        })
}

fn any_capability() -> impl Strategy<Value = Capability> {
    let kind = prop::sample::select(vec![
        Kind::Tool,
        Kind::Prompt,
        Kind::ResourceTemplate,
        Kind::ResourceRead,
        Kind::Utility,
    ]);
    let key = prop::sample::select(vec![
        "list_a",
        "list_b",
        "get_c",
        "send",
        "p1",
        "p2",
        "file:///a",
        "file:///b",
        "x",
    ]);
    (kind, key).prop_map(|(k, key)| Capability::new(k, key))
}

const LEVELS: [Level; 4] = [
    Level::Config,
    Level::AuthConfig,
    Level::Deployment,
    Level::TemplateProvider,
];

proptest! {
    #[test]
    fn nothing_allowed_is_denied_by_a_level_in_force(filters in prop::collection::vec(any_filter(), 0..4), cap in any_capability()) {
        let compiled: Vec<(Level, CompiledFilter)> =
            filters.iter().zip(LEVELS).map(|(f, l)| (l, CompiledFilter::compile(f, &[]).unwrap())).collect();
        let chain = Chain::new(compiled);
        if decide(&chain, &Access::default(), &cap).is_allowed() {
            prop_assert!(cap.kind != Kind::Utility);
            for (_, f) in chain.levels() {
                prop_assert!(f.evaluate(&cap).is_some());
            }
        }
    }

    #[test]
    fn adding_a_rule_never_removes_items(rules in prop::collection::vec(any_rule(), 1..4), extra in any_rule(), cap in any_capability()) {
        let before = CompiledFilter::compile(&ToolFilter::from_rules(rules.clone()), &[]).unwrap();
        let mut more = rules;
        more.push(extra);
        let after = CompiledFilter::compile(&ToolFilter::from_rules(more), &[]).unwrap();
        // A rule of a new kind may start restricting that kind; within kinds it only adds.
        if before.evaluate(&cap).is_some() && before.applies_to(cap.kind) {
            prop_assert!(after.evaluate(&cap).is_some());
        }
    }

    #[test]
    fn adding_a_level_never_adds_items(filters in prop::collection::vec(any_filter(), 1..4), extra in any_filter(), cap in any_capability()) {
        // Levels without cut-offs, so the new child level joins the chain.
        let plain = |f: &ToolFilter| match f.clone() {
            ToolFilter::AllowAll { .. } => ToolFilter::allow_all(),
            ToolFilter::Filter { filters, .. } => ToolFilter::Filter { filters, ignore_parent_filters: false },
        };
        let compiled: Vec<(Level, CompiledFilter)> =
            filters.iter().zip(LEVELS).map(|(f, l)| (l, CompiledFilter::compile(&plain(f), &[]).unwrap())).collect();
        let mut longer = compiled.clone();
        longer.push((Level::TemplateProvider, CompiledFilter::compile(&plain(&extra), &[]).unwrap()));
        let (a, b) = (Chain::new(compiled), Chain::new(longer));
        if decide(&b, &Access::default(), &cap).is_allowed() {
            prop_assert!(decide(&a, &Access::default(), &cap).is_allowed());
        }
    }

    #[test]
    fn prefix_names_are_unique_within_budget_and_route_back(
        providers in prop::collection::vec(("[a-z]{1,12}", prop::collection::vec("[a-z_]{1,40}", 1..6)), 1..5),
        budget in 16usize..80,
    ) {
        let entries: Vec<ProviderEntry> = providers
            .iter()
            .map(|(name, keys)| ProviderEntry {
                name: name.clone(),
                capabilities: keys.iter().map(Capability::tool).collect(),
                ..ProviderEntry::default()
            })
            .collect();
        let r = resolve(&entries, &ResolveOptions { policy: CollisionPolicy::Prefix { budget }, per_provider_cap: None }).unwrap();
        let mut seen = std::collections::HashSet::new();
        for e in r.allowed() {
            prop_assert!(e.name.len() <= budget, "{} > {}", e.name, budget);
            prop_assert!(seen.insert(e.name.clone()), "duplicate {}", e.name);
            prop_assert_eq!(r.route(&e.name), Some((e.provider, e.capability)));
            let cap = &entries[e.provider].capabilities[e.capability];
            prop_assert_eq!(&e.name, &prefixed_name(&entries[e.provider].name, &cap.key, budget));
        }
    }

    #[test]
    fn translated_patterns_never_panic(pattern in "[a-z()\\[\\]^$?*+.|\\\\{}0-9<=!:-]{0,24}") {
        let _ = CompiledFilter::compile(&ToolFilter::from_rules(vec![Rule::ToolRegex { pattern }]), &[]);
    }
}

// ---------------------------------------------------------------------------
// The input document, the wire output, per-call checks and lint.

fn example() -> (switchboard::toolset::input::ToolsetInput, Vec<ProviderEntry>) {
    let doc: switchboard::toolset::input::ToolsetInput = decode::from_str(
        &std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/examples/template-tools.json"
        ))
        .unwrap(),
    )
    .unwrap();
    let entries = doc.to_entries().unwrap();
    (doc, entries)
}

#[test]
fn the_example_resolves_in_template_provider_order() {
    let (_, providers) = example();
    let names: Vec<&str> = providers.iter().map(|p| p.name.as_str()).collect();
    assert_eq!(names, ["github", "slack", "linear"]); // stp_...Rs < stp_...Rt < stp_4...
    let r = resolve(&providers, &ResolveOptions::default()).unwrap();
    let tools = r.provider_tools();
    let keys: Vec<&str> = tools.items.iter().map(|t| t.key.as_str()).collect();
    assert_eq!(
        keys,
        [
            "list_issues",
            "create_issue",
            "search",
            "list_channels",
            "send_message"
        ]
    );
    // The wire object decodes back through the model.
    let text = serde_json::to_string(&tools).unwrap();
    assert_eq!(
        decode::from_str::<switchboard::model::ProviderTools>(&text).unwrap(),
        tools
    );
}

#[test]
fn prefix_policy_renames_in_the_wire_output_and_routes_back() {
    let (_, providers) = example();
    let r = resolve(
        &providers,
        &ResolveOptions {
            policy: CollisionPolicy::Prefix { budget: 64 },
            per_provider_cap: None,
        },
    )
    .unwrap();
    let keys: Vec<String> = r.provider_tools().items.into_iter().map(|t| t.key).collect();
    assert!(
        keys.contains(&"linear__create_issue".to_owned())
            && keys.contains(&"github__create_issue".to_owned()),
        "{keys:?}"
    );
    let (p, c) = r.route("linear__create_issue").unwrap();
    assert_eq!(
        (
            providers[p].name.as_str(),
            providers[p].capabilities[c].key.as_str()
        ),
        ("linear", "create_issue")
    );
}

#[test]
fn per_call_checks() {
    let (_, providers) = example();
    let r = resolve(&providers, &ResolveOptions::default()).unwrap();
    let (p, _) = r.check_tool("send_message").unwrap();
    assert_eq!(providers[p].name, "slack");
    let denied = r.check_tool("delete_repo").unwrap_err();
    insta::assert_snapshot!(denied, @"`delete_repo` is denied by the config's filter: no tool rule matches");
    assert_eq!(denied.error_body().status, 403);
    let unknown = r.check_tool("summarize_pr").unwrap_err(); // a prompt, not a tool
    insta::assert_snapshot!(unknown, @"no tool named `summarize_pr`");
    assert_eq!(unknown.error_body().status, 404);
    assert!(r.check_prompt("summarize_pr").is_ok());
    // Resource reads are decided when they happen.
    let gh = &providers[0];
    assert!(switchboard::toolset::check_resource(gh, "github://o/r/issues/1").is_ok());
}

#[test]
fn lint_warns_about_likely_mistakes() {
    let doc: switchboard::toolset::input::ToolsetInput = decode::from_value(&serde_json::json!({"providers": [{
        "name": "notes", "template_provider_id": "stp_1",
        "filters": {"deployment": [{"type": "tool_keys", "keys": ["nope"]}, {"type": "resource_uris", "uris": ["file:///a"]}]},
        "tools": [{"tool": {"object": "provider.tool", "id": "pto_1", "key": "read_note", "name": "Read", "description": null,
            "input_schema": null, "output_schema": null, "tags": null, "specification_id": "psp_1", "provider_id": "pro_1",
            "created_at": "2026-01-01T00:00:00Z", "updated_at": "2026-01-01T00:00:00Z"}}]
    }]}))
    .unwrap();
    let warnings: Vec<String> = switchboard::toolset::lint(&doc.to_entries().unwrap())
        .iter()
        .map(ToString::to_string)
        .collect();
    insta::assert_snapshot!(warnings.join("\n"), @"
    notes: rule 0 of the deployment's filter matches nothing in the catalog
    notes: rule 1 of the deployment's filter is `resource_uris`, but the provider lists only tools
    notes: the filters leave no tools
    ");
}

#[test]
fn input_errors_point_into_the_document() {
    let bad_pattern = serde_json::json!({"providers": [{"name": "a", "template_provider_id": "stp_1",
        "filters": {"deployment": [{"type": "tool_keys", "keys": []}, {"type": "tool_regex", "pattern": "(a)\\1"}]}}]});
    let doc: switchboard::toolset::input::ToolsetInput = decode::from_value(&bad_pattern).unwrap();
    let e = doc.to_entries().unwrap_err();
    assert_eq!(
        serde_json::to_value(e.path()).unwrap(),
        serde_json::json!(["providers", 0, "filters", "deployment", 1, "pattern"])
    );
    let typo =
        serde_json::json!({"providers": [{"name": "a", "template_provider_id": "stp_1", "filter": {}}]});
    let e = decode::from_value::<switchboard::toolset::input::ToolsetInput>(&typo).unwrap_err();
    insta::assert_snapshot!(e, @"providers[0].filter: unknown field `filter`, expected one of `name`, `template_provider_id`, `filters`, `auth_method`, `granted_scopes`, `tools`, `prompts`, `resource_templates`");
}
