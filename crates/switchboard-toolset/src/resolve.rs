//! The effective set: providers merged in order, collisions settled by a policy.

use std::borrow::Cow;
use std::collections::HashMap;

use switchboard_model::error::PathSegment;
use switchboard_model::{ProviderTool, ProviderTools, tags};

use crate::capability::{Capability, Kind};
use crate::chain::{Access, Chain};
use crate::decision::{Decision, decide};
use crate::error::Error;

/// One provider of a template (or session, or instance), ready to resolve.
#[derive(Debug, Clone, Default)]
pub struct ProviderEntry {
    /// A short name (the provider's slug), used for prefixes and explanations.
    pub name: String,
    /// Its filter chain.
    pub chain: Chain,
    /// Its scopes and auth method.
    pub access: Access,
    /// Its current version's capabilities, in version order.
    pub capabilities: Vec<Capability>,
}

/// How to settle two providers exposing the same name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum CollisionPolicy {
    /// The first provider keeps the name; later ones are shadowed (the live service).
    #[default]
    FirstWins,
    /// Every exposed name becomes `provider__key`, kept within `budget` bytes by
    /// a short stable hash suffix; [`Resolution::route`] maps names back.
    Prefix {
        /// The longest name, in bytes (default 64).
        budget: usize,
    },
    /// Any collision is an error listing all of them.
    Error,
}

impl CollisionPolicy {
    /// The default name budget of [`CollisionPolicy::Prefix`].
    pub const DEFAULT_BUDGET: usize = 64;

    /// The smallest budget: a shortened name keeps at least 7 bytes of the
    /// original before its 17-byte hash suffix. Less is an error.
    pub const MIN_BUDGET: usize = 24;

    /// [`CollisionPolicy::Prefix`] with the default budget of 64 bytes.
    pub fn prefix() -> Self {
        CollisionPolicy::Prefix {
            budget: Self::DEFAULT_BUDGET,
        }
    }
}

/// Options of [`resolve()`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ResolveOptions {
    /// Collisions.
    pub policy: CollisionPolicy,
    /// Keep only each provider's first N capabilities, as the live service does
    /// with 100. `None` (the default) keeps all.
    pub per_provider_cap: Option<usize>,
}

/// A name of one kind two or more providers expose, under
/// [`CollisionPolicy::Error`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Collision {
    /// The kind the name is taken in.
    pub kind: Kind,
    /// The name.
    pub name: String,
    /// The providers exposing it, in order.
    pub providers: Vec<String>,
}

/// One capability's outcome.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Resolved {
    /// Index of the provider in the input.
    pub provider: usize,
    /// Index of the capability in the provider's list.
    pub capability: usize,
    /// The name a client sees (the key, or the prefixed name).
    pub name: String,
    /// Why it is in or out.
    pub decision: Decision,
}

/// The outcome of [`resolve()`]: every capability, in order, with its decision.
/// It borrows the providers it was resolved from, so lookups cannot be made
/// against another slice.
#[derive(Debug, Clone)]
pub struct Resolution<'a> {
    /// Every capability of every provider (within the cap), providers in input order.
    pub entries: Vec<Resolved>,
    providers: &'a [ProviderEntry],
    routes: HashMap<(Kind, String), (usize, usize)>,
}

impl<'a> Resolution<'a> {
    /// The providers resolved.
    pub fn providers(&self) -> &'a [ProviderEntry] {
        self.providers
    }

    /// The exposed capabilities, in order.
    pub fn allowed(&self) -> impl Iterator<Item = &Resolved> {
        self.entries.iter().filter(|e| e.decision.is_allowed())
    }

    /// The capability behind an entry.
    pub fn capability(&self, entry: &Resolved) -> &'a Capability {
        &self.providers[entry.provider].capabilities[entry.capability]
    }

    /// The provider and capability index behind an exposed name of `kind`
    /// (names are taken per kind: a prompt and a tool may share one).
    pub fn route(&self, kind: Kind, name: &str) -> Option<(usize, usize)> {
        self.routes.get(&(kind, name.to_owned())).copied()
    }

    /// The `provider.tools` object: every exposed tool that carries its wire
    /// object, in order, its `key` set to the exposed name.
    pub fn provider_tools(&self) -> ProviderTools {
        ProviderTools {
            items: self.exposed_tools().map(Cow::into_owned).collect(),
            ..ProviderTools::default()
        }
    }

    /// [`Resolution::provider_tools`] without copying: it serialises to the
    /// same JSON, borrowing each tool whose exposed name is its key (a copy
    /// is made only of a tool a collision policy renamed).
    pub fn provider_tools_view(&self) -> ProviderToolsView<'a> {
        ProviderToolsView {
            object: tags::ProviderTools,
            items: self.exposed_tools().collect(),
        }
    }

    /// Every exposed tool's wire object, in order, its `key` the exposed name.
    fn exposed_tools(&self) -> impl Iterator<Item = Cow<'a, ProviderTool>> + '_ {
        self.allowed().filter_map(|e| {
            let cap = self.capability(e);
            (cap.kind == Kind::Tool).then_some(())?;
            let tool: &'a ProviderTool = cap.tool.as_deref()?;
            if tool.key == e.name {
                return Some(Cow::Borrowed(tool));
            }
            let mut tool = tool.clone();
            tool.key.clone_from(&e.name);
            Some(Cow::Owned(tool))
        })
    }
}

/// A borrowed `provider.tools` object (see [`Resolution::provider_tools_view`]).
#[derive(Debug, Clone, serde::Serialize)]
pub struct ProviderToolsView<'a> {
    /// Always `provider.tools`.
    pub object: tags::ProviderTools,
    /// The exposed tools, in order.
    pub items: Vec<Cow<'a, ProviderTool>>,
}

/// Resolves providers, given in order (template providers sorted by id), into
/// the effective set.
pub fn resolve<'a>(
    providers: &'a [ProviderEntry],
    options: &ResolveOptions,
) -> Result<Resolution<'a>, Error> {
    let mut out = Resolution {
        entries: Vec::new(),
        providers,
        routes: HashMap::new(),
    };
    if let CollisionPolicy::Prefix { budget } = options.policy
        && budget < CollisionPolicy::MIN_BUDGET
    {
        return Err(Error::budget_too_small(budget));
    }
    for (p, entry) in providers.iter().enumerate() {
        for (c, cap) in entry.capabilities.iter().enumerate() {
            if let Some((field, len)) = cap.overlong_key() {
                let path = vec![
                    PathSegment::from("providers"),
                    PathSegment::from(p),
                    PathSegment::from("capabilities"),
                    PathSegment::from(c),
                    PathSegment::from(field),
                ];
                return Err(Error::key_too_long(path, len, cap.max_key_len()));
            }
        }
    }
    // Names are taken per kind: tools collide with tools, prompts with
    // prompts, resource templates with resource templates.
    let mut owner: HashMap<(Kind, String), usize> = HashMap::new();
    let mut collisions: Vec<Collision> = Vec::new();
    // Where each colliding name sits in `collisions`: no linear scan per collision.
    let mut collision_at: HashMap<(Kind, String), usize> = HashMap::new();
    for (p, entry) in providers.iter().enumerate() {
        let caps = &entry.capabilities[..options
            .per_provider_cap
            .unwrap_or(usize::MAX)
            .min(entry.capabilities.len())];
        for (c, cap) in caps.iter().enumerate() {
            let mut decision = decide(&entry.chain, &entry.access, cap);
            let name = match options.policy {
                CollisionPolicy::Prefix { budget } => prefixed_name(&entry.name, &cap.key, budget),
                _ => cap.key.clone(),
            };
            let taken = (cap.kind, name);
            if decision.is_allowed() {
                match owner.get(&taken) {
                    Some(&first) => match options.policy {
                        CollisionPolicy::Error => match collision_at.get(&taken) {
                            Some(&k) => collisions[k].providers.push(entry.name.clone()),
                            None => {
                                collision_at.insert(taken.clone(), collisions.len());
                                collisions.push(Collision {
                                    kind: cap.kind,
                                    name: taken.1.clone(),
                                    providers: vec![providers[first].name.clone(), entry.name.clone()],
                                });
                            }
                        },
                        // Two different full names that shorten to one exposed name:
                        // never expose both under it, and never hide one silently.
                        CollisionPolicy::Prefix { .. }
                            if {
                                let (fp, fc) = out.routes.get(&taken).copied().unwrap_or((first, 0));
                                let other = &providers[fp].capabilities[fc].key;
                                providers[fp].name != entry.name || *other != cap.key
                            } =>
                        {
                            collisions.push(Collision {
                                kind: cap.kind,
                                name: taken.1.clone(),
                                providers: vec![providers[first].name.clone(), entry.name.clone()],
                            });
                        }
                        _ => {
                            decision = Decision::Shadowed {
                                by: providers[first].name.clone(),
                            };
                        }
                    },
                    None => {
                        owner.insert(taken.clone(), p);
                        out.routes.insert(taken.clone(), (p, c));
                    }
                }
            }
            out.entries.push(Resolved {
                provider: p,
                capability: c,
                name: taken.1,
                decision,
            });
        }
    }
    if collisions.is_empty() {
        Ok(out)
    } else {
        Err(Error::collisions(collisions))
    }
}

/// `provider__key`, or, past `budget` bytes, a truncated form ending in a
/// stable 16-hex-digit (64-bit) hash of the full name, so distinct inputs stay
/// distinct; [`resolve`] refuses the astronomically rare case where two still
/// meet rather than expose both under one name.
pub fn prefixed_name(provider: &str, key: &str, budget: usize) -> String {
    let full = format!("{provider}__{key}");
    if full.len() <= budget {
        return full;
    }
    let h = switchboard_model::codec::fnv1a_64(full.as_bytes());
    let suffix = format!("_{h:016x}");
    let mut keep = budget.saturating_sub(suffix.len());
    while !full.is_char_boundary(keep) {
        keep -= 1;
    }
    format!("{}{suffix}", &full[..keep])
}
