//! Likely mistakes in a provider's filters, measured against its catalog.

use std::fmt;

use crate::capability::{Kind, Level};
use crate::decision::decide;
use crate::resolve::ProviderEntry;

/// A warning about a filter against a catalog: not an error, a likely mistake.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Warning {
    /// A rule matches no capability of the provider.
    RuleMatchesNothing {
        /// The provider.
        provider: String,
        /// The level.
        level: Level,
        /// The rule's index.
        rule: usize,
    },
    /// The chain leaves the provider with no tools although it has some.
    NoToolsLeft {
        /// The provider.
        provider: String,
    },
    /// A `resource_uris` rule on a provider that lists only tools.
    ResourceRuleWithoutResources {
        /// The provider.
        provider: String,
        /// The level.
        level: Level,
        /// The rule's index.
        rule: usize,
    },
}

impl fmt::Display for Warning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Warning::RuleMatchesNothing {
                provider,
                level,
                rule,
            } => {
                write!(
                    f,
                    "{provider}: rule {rule} of the {}'s filter matches nothing in the catalog",
                    level.noun()
                )
            }
            Warning::NoToolsLeft { provider } => write!(f, "{provider}: the filters leave no tools"),
            Warning::ResourceRuleWithoutResources {
                provider,
                level,
                rule,
            } => write!(
                f,
                "{provider}: rule {rule} of the {}'s filter is `resource_uris`, but the provider lists only tools",
                level.noun()
            ),
        }
    }
}

/// Lints each provider's filters against its catalog.
pub fn lint(providers: &[ProviderEntry]) -> Vec<Warning> {
    use switchboard_model::filter::{Rule, ToolFilter};
    let mut out = Vec::new();
    // Each distinct rule compiles once, however many providers share it.
    let mut cache = crate::filter::FilterCache::default();
    for p in providers {
        let only_tools = p.capabilities.iter().all(|c| c.kind == Kind::Tool);
        for (level, f) in p.chain.levels() {
            for (i, rule) in f.source().rules().unwrap_or_default().iter().enumerate() {
                if only_tools && matches!(rule, Rule::ResourceUris { .. }) {
                    out.push(Warning::ResourceRuleWithoutResources {
                        provider: p.name.clone(),
                        level,
                        rule: i,
                    });
                    continue;
                }
                // The rule alone, as a filter: does it pass any capability of a kind it applies to?
                let Ok(single) = cache.compile(&ToolFilter::from_rules(vec![rule.clone()]), &[]) else {
                    continue;
                };
                let matches = p
                    .capabilities
                    .iter()
                    .any(|c| single.applies_to(c.kind) && single.evaluate(c).is_some());
                if !matches {
                    out.push(Warning::RuleMatchesNothing {
                        provider: p.name.clone(),
                        level,
                        rule: i,
                    });
                }
            }
        }
        let has_tools = p.capabilities.iter().any(|c| c.kind == Kind::Tool);
        let any_left = p
            .capabilities
            .iter()
            .any(|c| c.kind == Kind::Tool && decide(&p.chain, &p.access, c).is_allowed());
        if has_tools && !any_left {
            out.push(Warning::NoToolsLeft {
                provider: p.name.clone(),
            });
        }
    }
    out
}
