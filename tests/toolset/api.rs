//! The toolset's API: explanations, the example, policies, per-call checks, lint, input errors.

use switchboard::model::decode;
use switchboard::model::error::{ApiError, PathSegment};
use switchboard::model::filter::{Rule, ToolFilter};
use switchboard::toolset::{
    Access, Capability, Chain, CollisionPolicy, CompiledFilter, Kind, Level, ProviderEntry, ResolveOptions,
    decide, prefixed_name, resolve,
};

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
    // The borrowed view writes the same JSON, renamed tools included.
    assert_eq!(
        serde_json::to_value(r.provider_tools_view()).unwrap(),
        serde_json::to_value(r.provider_tools()).unwrap()
    );
    let (p, c) = r.route(Kind::Tool, "linear__create_issue").unwrap();
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
    insta::assert_snapshot!(e, @"providers[0].filter: unknown field `filter`, expected one of `name`, `template_provider_id`, `filters`, `auth_method`, `granted_scopes`, `tools`, `prompts`, `resource_templates`, `resource_reads`, `utilities`");
}

/// An empty key list is an applicable rule that matches nothing: it must not
/// open an allow-list to every tool (contract §5.5).
#[test]
fn an_empty_key_rule_denies_instead_of_allowing_everything() {
    use switchboard::model::request::CreateSessionTemplate;
    // The request path: the body keeps the rule as written.
    let body: CreateSessionTemplate = decode::from_str(
        r#"{"name": "t", "providers": [{"provider_deployment_id": "pde_1",
            "tool_filters": [{"type": "tool_keys", "keys": []}, {"type": "prompt_keys", "keys": ["p"]}]}]}"#,
    )
    .unwrap();
    let input = body.providers[0].tool_filters();
    let filter = ToolFilter::from_rules(input.rules().to_vec());
    let compiled = CompiledFilter::compile(&filter, &[]).unwrap();
    assert!(compiled.applies_to(Kind::Tool));
    assert_eq!(compiled.evaluate(&Capability::tool("anything")), None);
    // The resolver: nothing gets through the template provider's level.
    let providers = [ProviderEntry {
        name: "p".into(),
        chain: Chain::new(vec![(Level::TemplateProvider, compiled)]),
        capabilities: vec![Capability::tool("a"), Capability::tool("b")],
        ..ProviderEntry::default()
    }];
    let r = resolve(&providers, &ResolveOptions::default()).unwrap();
    assert_eq!(r.allowed().count(), 0);
    insta::assert_snapshot!(r.entries[0].decision, @"denied by the template provider's filter: no tool rule matches");
    // The same for prompts and resource URIs.
    for (rule, kind, key) in [
        (Rule::PromptKeys { keys: vec![] }, Kind::Prompt, "summarize"),
        (
            Rule::ResourceUris { uris: vec![] },
            Kind::ResourceRead,
            "file:///a.txt",
        ),
    ] {
        let f = CompiledFilter::compile(&ToolFilter::from_rules(vec![rule]), &[]).unwrap();
        assert_eq!(f.evaluate(&Capability::new(kind, key)), None, "{kind}");
    }
}

#[test]
fn a_prefix_budget_below_the_minimum_is_an_error() {
    let providers = [ProviderEntry {
        name: "github".into(),
        capabilities: vec![Capability::tool("list_issues")],
        ..ProviderEntry::default()
    }];
    let options = |budget| ResolveOptions {
        policy: CollisionPolicy::Prefix { budget },
        per_provider_cap: None,
    };
    let err = resolve(&providers, &options(CollisionPolicy::MIN_BUDGET - 1)).unwrap_err();
    assert_eq!(err.kind(), switchboard::toolset::ErrorKind::InvalidOptions);
    insta::assert_snapshot!(err, @"a name budget of 23 bytes is below the minimum of 24");
    assert!(resolve(&providers, &options(CollisionPolicy::MIN_BUDGET)).is_ok());
}

#[test]
fn prefixed_names_carry_a_64_bit_hash() {
    let name = prefixed_name("github", &"x".repeat(100), 40);
    assert_eq!(name.len(), 40);
    let suffix = &name[name.len() - 17..];
    assert!(
        suffix.starts_with('_') && suffix[1..].bytes().all(|b| b.is_ascii_hexdigit()),
        "{name}"
    );
}

#[test]
fn the_error_policy_collects_many_collisions_in_linear_time() {
    // 2,000 providers exposing the same 50 keys: every collision listed once per name.
    let providers: Vec<ProviderEntry> = (0..2_000)
        .map(|p| ProviderEntry {
            name: format!("p{p}"),
            capabilities: (0..50).map(|k| Capability::tool(format!("k{k}"))).collect(),
            ..ProviderEntry::default()
        })
        .collect();
    let err = resolve(
        &providers,
        &ResolveOptions {
            policy: CollisionPolicy::Error,
            per_provider_cap: None,
        },
    )
    .unwrap_err();
    assert_eq!(err.collisions_found().len(), 50);
    assert!(err.collisions_found().iter().all(|c| c.providers.len() == 2_000));
}

/// The `switchboard tools` document says everything the library can: utilities
/// (always denied), resource reads (exact URIs), and scopes known to be empty.
#[test]
fn the_tools_document_expresses_utilities_reads_and_known_empty_scopes() {
    use switchboard::toolset::input::ToolsetInput;
    let tool = |key: &str| {
        format!(
            r#"{{"tool": {{"object": "provider.tool", "id": "pto_1", "key": "{key}", "name": "x", "description": null,
            "capabilities": {{}}, "constraints": [], "instructions": [], "input_schema": null, "output_schema": null,
            "tags": null, "specification_id": "psp_1", "provider_id": "pro_1", "created_at": "2026-01-01T00:00:00.000Z",
            "updated_at": "2026-01-01T00:00:00.000Z"}}, "required_scopes": [["repo"]]}}"#
        )
    };
    let doc = |scopes: &str| {
        format!(
            r#"{{"providers": [{{"name": "gh", "template_provider_id": "stp_1",
            "filters": {{"template_provider": {{"type": "resource_uris", "uris": ["gh://a"]}}}},
            "granted_scopes": {scopes}, "tools": [{}],
            "resource_reads": ["gh://a", "gh://b"], "utilities": ["logging/setLevel"]}}]}}"#,
            tool("list")
        )
    };
    let decisions = |scopes: &str| -> Vec<String> {
        let input: ToolsetInput = decode::from_str(&doc(scopes)).unwrap();
        let entries = input.to_entries().unwrap();
        let r = resolve(&entries, &ResolveOptions::default()).unwrap();
        r.entries
            .iter()
            .map(|e| format!("{} {}", e.name, e.decision.is_allowed()))
            .collect()
    };
    // Unknown scopes do not restrict; a read is decided by its exact URI; a utility is never exposed.
    assert_eq!(
        decisions("{}"),
        [
            "list true",
            "gh://a true",
            "gh://b false",
            "logging/setLevel false"
        ]
    );
    // Scopes known to be empty grant nothing.
    assert_eq!(
        decisions(r#"{"credentials": [], "auth_config": []}"#)[0],
        "list false"
    );
    // Credentials with no scopes never decide: with no auth config's, nothing is known.
    assert_eq!(decisions(r#"{"credentials": []}"#)[0], "list true");
    assert_eq!(
        decisions(r#"{"credentials": [], "auth_config": null}"#)[0],
        "list true"
    );
    assert_eq!(
        decisions(r#"{"credentials": null, "auth_config": null}"#)[0],
        "list true"
    );
    assert_eq!(
        decisions(r#"{"credentials": [], "auth_config": ["repo"]}"#)[0],
        "list true"
    );
}

#[test]
fn match_keys_and_documents_are_bounded() {
    use switchboard::toolset::input::ToolsetInput;
    // A key over 256 bytes in the document: an error at its path.
    let long = "k".repeat(257);
    let doc = format!(
        r#"{{"providers": [{{"name": "p", "template_provider_id": "stp_1", "prompts": ["ok", "{long}"]}}]}}"#
    );
    let input: ToolsetInput = decode::from_str(&doc).unwrap();
    let err = input.to_entries().unwrap_err();
    assert_eq!(err.kind(), switchboard::toolset::ErrorKind::Limit);
    insta::assert_snapshot!(err, @"providers[0].prompts[1]: 257 bytes, more than the limit of 256 for a matched name");
    // The same through the library: resolve refuses an overlong capability.
    let providers = [ProviderEntry {
        name: "p".into(),
        capabilities: vec![Capability::tool(long.clone())],
        ..ProviderEntry::default()
    }];
    assert!(resolve(&providers, &ResolveOptions::default()).is_err());
    // A resource read over 2 KiB is refused before any regex runs.
    let err = switchboard::toolset::check_resource(&providers[0], &"u".repeat(2049)).unwrap_err();
    assert_eq!(err.kind(), switchboard::toolset::ErrorKind::Limit);
    // More than 100 providers in one document, like a template: refused.
    let many: Vec<String> = (0..101)
        .map(|i| format!(r#"{{"name": "p{i}", "template_provider_id": "stp_{i}"}}"#))
        .collect();
    let err =
        decode::from_str::<ToolsetInput>(&format!(r#"{{"providers": [{}]}}"#, many.join(","))).unwrap_err();
    insta::assert_snapshot!(err, @"providers: 101 providers, more than the limit of 100");
}

#[test]
fn each_distinct_filter_compiles_once() {
    use switchboard::toolset::filter::FilterCache;
    let mut cache = FilterCache::default();
    let f = ToolFilter::from_rules(vec![Rule::ToolRegex { pattern: "^a".into() }]);
    let g = ToolFilter::from_rules(vec![Rule::ToolRegex { pattern: "^b".into() }]);
    for _ in 0..10 {
        cache.compile(&f, &[]).unwrap();
        cache.compile(&g, &[]).unwrap();
    }
    assert_eq!(cache.len(), 2);
    // A refused filter is an error every time and is not kept.
    let bad = ToolFilter::from_rules(vec![Rule::ToolRegex {
        pattern: "(?=a)".into(),
    }]);
    assert!(cache.compile(&bad, &[]).is_err() && cache.compile(&bad, &[]).is_err());
    assert_eq!(cache.len(), 2);
}

#[test]
fn moving_the_document_into_entries_gives_the_same_entries() {
    use switchboard::toolset::input::ToolsetInput;
    let text = std::fs::read_to_string(format!(
        "{}/examples/template-tools.json",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap();
    let doc: ToolsetInput = decode::from_str(&text).unwrap();
    let copied = doc.to_entries().unwrap();
    let moved = doc.into_entries().unwrap();
    let names = |e: &[ProviderEntry]| {
        let r = resolve(e, &ResolveOptions::default()).unwrap();
        serde_json::to_string(&r.provider_tools()).unwrap()
    };
    assert_eq!(names(&copied), names(&moved));
    // Limits hold on either path.
    let long = format!(
        r#"{{"providers": [{{"name": "p", "template_provider_id": "stp_1", "tools": [{{"tool": {{"object": "provider.tool", "id": "pto_1", "key": "{}", "name": "x", "description": null, "capabilities": {{}}, "constraints": [], "instructions": [], "input_schema": null, "output_schema": null, "tags": null, "specification_id": "psp_1", "provider_id": "pro_1", "created_at": "2026-01-01T00:00:00.000Z", "updated_at": "2026-01-01T00:00:00.000Z"}}}}]}}]}}"#,
        "k".repeat(300)
    );
    let doc: ToolsetInput = decode::from_str(&long).unwrap();
    let a = doc.to_entries().unwrap_err().to_string();
    let b = doc.into_entries().unwrap_err().to_string();
    assert_eq!(a, b);
    assert!(a.starts_with("providers[0].tools[0].tool.key: 300 bytes"), "{a}");
}

#[test]
fn a_template_of_heavy_filters_is_refused_past_its_compiled_size() {
    use switchboard::toolset::filter::FilterCache;
    use switchboard::toolset::pattern::{MAX_TEMPLATE_COMPILED_SIZE, PatternReason};
    // Distinct filters, each within the per-filter limit, together past the template's.
    let heavy = |n: usize| {
        ToolFilter::from_rules(
            (0..8)
                .map(|r| Rule::ToolRegex {
                    pattern: format!("^{n}_{r}[ab]{{400}}c"),
                })
                .collect(),
        )
    };
    let mut cache = FilterCache::default();
    let mut refused = None;
    for n in 0..400 {
        let path = [PathSegment::from("providers"), PathSegment::from(n)];
        match cache.compile(&heavy(n), &path) {
            Ok(f) => assert!(f.compiled_size() > 0),
            Err(e) => {
                refused = Some((n, e));
                break;
            }
        }
    }
    let (n, e) = refused.expect("the template limit was never reached");
    assert!(n > 1, "one filter alone reached the template limit");
    assert!(cache.compiled_size() <= MAX_TEMPLATE_COMPILED_SIZE);
    assert_eq!(e.pattern_reason(), Some(&PatternReason::TemplateTooBig));
    let body = e.error_body();
    assert_eq!(body.status, 400);
    assert_eq!(
        body.errors.unwrap()[0].path,
        vec![
            PathSegment::from("providers"),
            PathSegment::from(n),
            PathSegment::from(0),
            PathSegment::from("pattern")
        ]
    );
    insta::assert_snapshot!(e.to_string().split(": ").last().unwrap(), @"the template's filters together compile to more than the limit of 16777216 bytes");
    // A filter already compiled costs nothing more.
    let before = cache.compiled_size();
    cache.compile(&heavy(0), &[]).unwrap();
    assert_eq!(cache.compiled_size(), before);
}
