//! Property tests of the toolset.

use proptest::prelude::*;
use switchboard::model::filter::{Rule, ToolFilter};
use switchboard::toolset::{
    Access, Capability, Chain, CollisionPolicy, CompiledFilter, Kind, Level, ProviderEntry, ResolveOptions,
    decide, prefixed_name, resolve,
};

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
        budget in CollisionPolicy::MIN_BUDGET..80,
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
            prop_assert_eq!(r.route(switchboard::toolset::capability::Kind::Tool, &e.name), Some((e.provider, e.capability)));
            let cap = &entries[e.provider].capabilities[e.capability];
            prop_assert_eq!(&e.name, &prefixed_name(&entries[e.provider].name, &cap.key, budget));
        }
    }

    #[test]
    fn translated_patterns_never_panic(pattern in "[a-z()\\[\\]^$?*+.|\\\\{}0-9<=!:-]{0,24}") {
        let _ = CompiledFilter::compile(&ToolFilter::from_rules(vec![Rule::ToolRegex { pattern }]), &[]);
    }
}

proptest! {
    /// Any text at all: the parser answers (a translation or a reason), never
    /// panics, and a translation always compiles or is refused for its size.
    #[test]
    fn any_text_translates_or_is_refused(pattern in "\\PC{0,32}|[\\\\(){}\\[\\]^$.*+?|a-cA-C0-9<>=!:,kpuxc-]{0,24}") {
        if let Ok(t) = switchboard::model::pattern::translate(&pattern) {
            let compiled = CompiledFilter::compile(&ToolFilter::from_rules(vec![Rule::ToolRegex { pattern: pattern.clone() }]), &[]);
            if let Err(e) = compiled {
                prop_assert!(
                    matches!(e.pattern_reason(), Some(switchboard::toolset::pattern::PatternReason::TooBig)),
                    "{pattern:?} translated to {t:?} but did not compile: {e}"
                );
            }
        }
    }
}
