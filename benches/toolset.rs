//! The effective tool set: the compiled resolver side by side with a baseline
//! that applies the spec literally (builds each regex at each check, scans key
//! lists); scaling with the number of capabilities; and a pathological pattern
//! against long keys (linear time by construction).

// `criterion_group!` defines an undocumented public function.
#![allow(missing_docs)]

use std::hint::black_box;

use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use switchboard::model::filter::{Rule, ToolFilter};
use switchboard::toolset::{
    Access, Capability, Chain, CompiledFilter, Level, ProviderEntry, ResolveOptions, resolve,
};

const LEVELS: [Level; 4] = [
    Level::Config,
    Level::AuthConfig,
    Level::Deployment,
    Level::TemplateProvider,
];

/// Four levels mixing key and regex rules; about two thirds of the tools pass.
fn level_rules(p: usize, level: usize) -> Vec<Rule> {
    let keys: Vec<String> = (0..40)
        .map(|i| format!("p{p}_tool_{:03}", i * 2 + level % 2))
        .collect();
    vec![
        Rule::ToolKeys { keys },
        Rule::ToolRegex {
            pattern: format!("^p{p}_tool_0[0-{}]", 5 + level),
        },
        Rule::ToolRegex {
            pattern: "_(1[0-9]{2}|[2-9][0-9])$".to_owned(),
        },
        Rule::PromptKeys {
            keys: vec!["summarize".to_owned()],
        },
    ]
}

fn providers(n: usize, caps: usize) -> (Vec<ProviderEntry>, Vec<Vec<Vec<Rule>>>) {
    let mut entries = Vec::new();
    let mut raw = Vec::new();
    for p in 0..n {
        let rules: Vec<Vec<Rule>> = (0..4).map(|l| level_rules(p, l)).collect();
        let chain = Chain::new(
            rules
                .iter()
                .zip(LEVELS)
                .map(|(r, l)| {
                    (
                        l,
                        CompiledFilter::compile(&ToolFilter::from_rules(r.clone()), &[]).unwrap(),
                    )
                })
                .collect(),
        );
        let capabilities = (0..caps).map(|i| {
            let mut c = Capability::tool(format!("p{p}_tool_{i:03}"));
            c.mcp_name = Some(format!("provider{p}.tool{i}"));
            c
        });
        entries.push(ProviderEntry {
            name: format!("p{p}"),
            chain,
            access: Access::default(),
            capabilities: capabilities.collect(),
        });
        raw.push(rules);
    }
    (entries, raw)
}

/// The spec applied literally: every check walks every level's rules, scanning
/// key lists and building each regex anew.
fn literal(entries: &[ProviderEntry], rules: &[Vec<Vec<Rule>>]) -> usize {
    let mut seen = std::collections::HashSet::new();
    let mut allowed = 0;
    for (p, entry) in entries.iter().enumerate() {
        for cap in &entry.capabilities {
            let keys = cap.match_keys();
            let pass = rules[p].iter().all(|level| {
                let applicable: Vec<&Rule> = level
                    .iter()
                    .filter(|r| matches!(r, Rule::ToolKeys { .. } | Rule::ToolRegex { .. }))
                    .collect();
                applicable.is_empty()
                    || applicable.iter().any(|r| match r {
                        Rule::ToolKeys { keys: list } => keys.iter().any(|k| list.iter().any(|l| l == k)),
                        Rule::ToolRegex { pattern } => {
                            let re = regex::RegexBuilder::new(pattern)
                                .case_insensitive(true)
                                .build()
                                .unwrap();
                            keys.iter().any(|k| re.is_match(k))
                        }
                        _ => false,
                    })
            });
            if pass && seen.insert(cap.key.clone()) {
                allowed += 1;
            }
        }
    }
    allowed
}

fn resolver_vs_literal(c: &mut Criterion) {
    let (entries, rules) = providers(100, 100);
    let compiled = resolve(&entries, &ResolveOptions::default())
        .unwrap()
        .allowed()
        .count();
    assert_eq!(compiled, literal(&entries, &rules), "both sides must agree");
    let mut g = c.benchmark_group("resolve_100x100");
    g.sample_size(10);
    g.bench_function(BenchmarkId::new("baseline", "literal spec"), |b| {
        b.iter(|| literal(black_box(&entries), &rules))
    });
    g.bench_function(BenchmarkId::new("compiled", "resolve"), |b| {
        b.iter(|| {
            resolve(black_box(&entries), &ResolveOptions::default())
                .unwrap()
                .entries
                .len()
        })
    });
    g.finish();
}

fn scaling(c: &mut Criterion) {
    let (small, _) = providers(100, 100);
    let (large, _) = providers(100, 1000);
    let mut g = c.benchmark_group("resolve_scaling");
    g.sample_size(20);
    g.bench_function(BenchmarkId::new("baseline", "100 x 100"), |b| {
        b.iter(|| {
            resolve(black_box(&small), &ResolveOptions::default())
                .unwrap()
                .entries
                .len()
        })
    });
    g.bench_function(BenchmarkId::new("10x", "100 x 1000"), |b| {
        b.iter(|| {
            resolve(black_box(&large), &ResolveOptions::default())
                .unwrap()
                .entries
                .len()
        })
    });
    g.finish();
}

fn pathological(c: &mut Criterion) {
    let filter = CompiledFilter::compile(
        &ToolFilter::from_rules(vec![Rule::ToolRegex {
            pattern: "(a+)+$".to_owned(),
        }]),
        &[],
    )
    .unwrap();
    // All `a`s then a `!`: exponential for a backtracking engine, linear here.
    let key = |n: usize| Capability::tool(format!("{}!", "a".repeat(n)));
    let (k10, k100) = (key(10_000), key(100_000));
    let mut g = c.benchmark_group("pathological_regex");
    g.bench_function(BenchmarkId::new("baseline", "10 KB key"), |b| {
        b.iter(|| filter.evaluate(black_box(&k10)))
    });
    g.bench_function(BenchmarkId::new("10x", "100 KB key"), |b| {
        b.iter(|| filter.evaluate(black_box(&k100)))
    });
    g.finish();
}

/// The worst filter the limits let through, for a key as long as a name may
/// be (256 bytes): as many rules as one filter's compiled-size limit admits
/// of `[ab]*a[ab]{n}c` ("an `a` n places before a final `c`"), whose
/// deterministic automaton has 2^n states, so the engine falls back to its
/// linear simulation; the key (random `a`/`b`, then `c`) defeats every
/// literal shortcut. Beside one plain rule on the same key.
fn worst_case(c: &mut Criterion) {
    let pattern = |n: usize| format!("[ab]*a[ab]{{{n}}}c");
    let compiles = |n: usize, rules: usize| {
        CompiledFilter::compile(
            &ToolFilter::from_rules(vec![Rule::ToolRegex { pattern: pattern(n) }; rules]),
            &[],
        )
        .is_ok()
    };
    let n = 250; // the key must be able to match: n + 2 <= 256
    assert!(compiles(n, 1), "one rule of n = {n} compiles");
    let mut rules = 100;
    while rules > 1 && !compiles(n, rules) {
        rules -= 1;
    }
    let heavy = CompiledFilter::compile(
        &ToolFilter::from_rules(
            (0..rules)
                .map(|i| Rule::ToolRegex {
                    pattern: pattern(n - i),
                })
                .collect(),
        ),
        &[],
    )
    .unwrap();
    let light = CompiledFilter::compile(
        &ToolFilter::from_rules(vec![Rule::ToolRegex {
            pattern: "^list_".to_owned(),
        }]),
        &[],
    )
    .unwrap();
    let mut x: u32 = 12345;
    let body: String = (0..255)
        .map(|_| {
            x = x.wrapping_mul(1_103_515_245).wrapping_add(12_345);
            if x >> 16 & 1 == 0 { 'a' } else { 'b' }
        })
        .collect();
    let key = Capability::tool(format!("{body}c"));
    eprintln!(
        "worst case: {rules} rules of [ab]*a[ab]{{n}}c, n from {} to {n}, key of {} bytes",
        n + 1 - rules,
        key.key.len()
    );
    let mut g = c.benchmark_group("worst_case_filter");
    g.bench_function(
        BenchmarkId::new("baseline", "one plain rule, 256-byte key"),
        |b| b.iter(|| light.evaluate(black_box(&key))),
    );
    g.bench_function(
        BenchmarkId::new("heaviest", "the limits reached, 256-byte key"),
        |b| b.iter(|| heavy.evaluate(black_box(&key))),
    );
    g.finish();
}

criterion_group!(benches, resolver_vs_literal, scaling, pathological, worst_case);
criterion_main!(benches);
