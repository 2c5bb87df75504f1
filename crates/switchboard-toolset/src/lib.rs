//! The effective tool set (SPEC §5): which tools, prompts and resource
//! templates an AI client gets through a session template or an integration
//! instance, and why each one is allowed or denied.
//!
//! Each level's filter is compiled once ([`CompiledFilter`]); a [`Chain`]
//! joins the levels (AND across levels, the lowest `ignore_parent_filters`
//! cutting off everything above it); [`Access`] adds OAuth scopes and the
//! auth method; [`resolve`] merges providers in a deterministic order and
//! settles key collisions by a [`CollisionPolicy`].
//!
//! ```
//! use switchboard_model::filter::{Rule, ToolFilter};
//! use switchboard_toolset::{resolve, Access, Capability, Chain, CompiledFilter, Level, ProviderEntry, ResolveOptions};
//!
//! let filter = |rules| CompiledFilter::compile(&ToolFilter::from_rules(rules), &[]).unwrap();
//! // The deployment allows reads; the template provider adds `create_issue` but only by key.
//! let chain = Chain::new(vec![
//!     (Level::Deployment, filter(vec![Rule::ToolRegex { pattern: "^(list|get)_".into() }, Rule::ToolKeys { keys: vec!["create_issue".into()] }])),
//!     (Level::TemplateProvider, filter(vec![Rule::ToolKeys { keys: vec!["list_issues".into(), "create_issue".into()] }])),
//! ]);
//! let github = ProviderEntry {
//!     name: "github".into(),
//!     chain,
//!     access: Access::default(),
//!     capabilities: vec![Capability::tool("list_issues"), Capability::tool("create_issue"), Capability::tool("get_repo")],
//! };
//! let result = resolve(&[github], &ResolveOptions::default())?;
//! let allowed: Vec<&str> = result.allowed().map(|e| e.name.as_str()).collect();
//! assert_eq!(allowed, ["list_issues", "create_issue"]);
//! assert_eq!(
//!     result.entries[2].decision.to_string(),
//!     "denied by the template provider's filter: no tool rule matches"
//! );
//! Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use std::collections::{HashMap, HashSet};
use std::fmt;

pub(crate) use switchboard_model::error::shorten;
use switchboard_model::error::{ApiError, ErrorBody, FieldError, PathSegment};
use switchboard_model::{ProviderTool, ProviderTools};

pub mod filter;
pub mod input;
pub mod pattern;

pub use filter::{CompiledFilter, Pass};
use pattern::PatternError;

/// What a capability is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Kind {
    /// A callable tool (`tool.callable`, `mcp.tool`).
    Tool,
    /// An MCP prompt.
    Prompt,
    /// An MCP resource template (matched on its URI template).
    ResourceTemplate,
    /// Listing or reading a resource (matched on its URI).
    ResourceRead,
    /// A protocol utility (`logging/setLevel`, `completion/complete`): always denied.
    Utility,
}

impl Kind {
    fn noun(self) -> &'static str {
        match self {
            Kind::Tool => "tool",
            Kind::Prompt => "prompt",
            Kind::ResourceTemplate => "resource template",
            Kind::ResourceRead => "resource",
            Kind::Utility => "protocol utility",
        }
    }
}

/// One capability of a provider version.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Capability {
    /// Its kind.
    pub kind: Kind,
    /// The tool key, prompt name, URI template, URI or method.
    pub key: String,
    /// A tool's id (`pto_...`).
    pub id: Option<String>,
    /// A tool's callable id.
    pub callable_id: Option<String>,
    /// A tool's MCP name.
    pub mcp_name: Option<String>,
    /// Required OAuth scopes: every group needs one of its scopes.
    pub required_scopes: Vec<Vec<String>>,
    /// Auth-method keys the capability works with; empty means any.
    pub auth_methods: Vec<String>,
    /// A tool's wire object, for the `provider.tools` output.
    pub tool: Option<Box<ProviderTool>>,
}

impl Capability {
    /// A capability of `kind` with only its key.
    pub fn new(kind: Kind, key: impl Into<String>) -> Self {
        Capability {
            kind,
            key: key.into(),
            id: None,
            callable_id: None,
            mcp_name: None,
            required_scopes: Vec::new(),
            auth_methods: Vec::new(),
            tool: None,
        }
    }

    /// A tool from its wire object: key, id and (for the output) the object itself.
    pub fn from_tool(tool: ProviderTool) -> Self {
        let mut c = Capability::tool(tool.key.clone());
        c.id = Some(tool.id.to_string());
        c.tool = Some(Box::new(tool));
        c
    }

    /// A tool with only its key.
    pub fn tool(key: impl Into<String>) -> Self {
        Capability::new(Kind::Tool, key)
    }

    /// The keys tool rules match: key, id, callable id, MCP name.
    pub fn match_keys(&self) -> Vec<&str> {
        let mut keys = vec![self.key.as_str()];
        keys.extend(
            [&self.id, &self.callable_id, &self.mcp_name]
                .into_iter()
                .flatten()
                .map(String::as_str),
        );
        keys
    }
}

/// A level of the filter chain, parent to child.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Level {
    /// The provider config.
    Config,
    /// The auth config.
    AuthConfig,
    /// The deployment.
    Deployment,
    /// The session template provider (or session provider).
    TemplateProvider,
    /// The integration provider.
    IntegrationProvider,
    /// The integration instance provider.
    InstanceProvider,
}

impl fmt::Display for Level {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Level::Config => "config",
            Level::AuthConfig => "auth config",
            Level::Deployment => "deployment",
            Level::TemplateProvider => "template provider",
            Level::IntegrationProvider => "integration provider",
            Level::InstanceProvider => "instance provider",
        })
    }
}

/// A filter that cannot be compiled.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ToolsetError {
    path: Vec<PathSegment>,
    message: String,
}

impl ToolsetError {
    pub(crate) fn pattern(prefix: &[PathSegment], rule: usize, pattern: &str, error: &PatternError) -> Self {
        let mut path = prefix.to_vec();
        path.push(PathSegment::from(rule));
        path.push(PathSegment::from("pattern"));
        ToolsetError {
            path,
            message: format!("rule {rule}: {}", error.describe(pattern)),
        }
    }

    /// Where the offending rule is.
    pub fn path(&self) -> &[PathSegment] {
        &self.path
    }
}

impl fmt::Display for ToolsetError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}: {}",
            switchboard_model::error::DisplayPath(&self.path),
            self.message
        )
    }
}

impl std::error::Error for ToolsetError {}

impl ApiError for ToolsetError {
    fn error_body(&self) -> ErrorBody {
        ErrorBody::invalid_data(
            "body",
            vec![FieldError::new(
                "invalid_pattern",
                self.message.clone(),
                self.path.clone(),
            )],
        )
    }
}

/// The filters that apply, parent to child, after the cut-off.
#[derive(Debug, Clone, Default)]
pub struct Chain {
    levels: Vec<(Level, CompiledFilter)>,
}

impl Chain {
    /// A chain of levels given parent to child. If a level has
    /// `ignore_parent_filters`, the lowest such level cuts off every level above it.
    pub fn new(mut levels: Vec<(Level, CompiledFilter)>) -> Self {
        if let Some(cut) = levels.iter().rposition(|(_, f)| f.ignore_parent_filters()) {
            levels.drain(..cut);
        }
        Chain { levels }
    }

    /// The chain of an integration instance provider: the integration provider's
    /// filter, then, if the integration allows custom tool filters, the instance
    /// provider's; an override replaces the chain only if the integration allows overriding.
    pub fn integration(
        integration_provider: CompiledFilter,
        instance_provider: Option<CompiledFilter>,
        is_override: bool,
        settings: IntegrationSettings,
    ) -> Self {
        let mut levels = vec![(Level::IntegrationProvider, integration_provider)];
        if let Some(f) = instance_provider.filter(|_| settings.custom_tool_filters) {
            if is_override && settings.override_tool_filters {
                levels.clear();
            }
            levels.push((Level::InstanceProvider, f));
        }
        Chain { levels }
    }

    /// The levels in force, parent to child.
    pub fn levels(&self) -> impl Iterator<Item = (Level, &CompiledFilter)> {
        self.levels.iter().map(|(l, f)| (*l, f))
    }

    /// Every level must pass; the first that denies is returned.
    pub fn evaluate(&self, cap: &Capability) -> Result<Vec<(Level, Pass)>, Level> {
        self.levels
            .iter()
            .map(|(level, f)| f.evaluate(cap).map(|p| (*level, p)).ok_or(*level))
            .collect()
    }
}

/// What an integration allows its instances.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct IntegrationSettings {
    /// Instance providers may carry their own filters.
    pub custom_tool_filters: bool,
    /// An instance provider's filter may replace the integration provider's.
    pub override_tool_filters: bool,
}

/// Scopes granted and the active auth method.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Access {
    /// The granted scopes; `None` when unknown (scopes then do not restrict).
    pub granted_scopes: Option<HashSet<String>>,
    /// The active auth method's key.
    pub auth_method: Option<String>,
}

impl Access {
    /// Granted scopes are the credentials' if non-empty, else the auth config's, else unknown.
    pub fn from_sources(credentials: &[String], auth_config: &[String], auth_method: Option<&str>) -> Self {
        let source = if !credentials.is_empty() {
            credentials
        } else {
            auth_config
        };
        Access {
            granted_scopes: (!source.is_empty()).then(|| source.iter().cloned().collect()),
            auth_method: auth_method.map(str::to_owned),
        }
    }

    /// The required scope groups that no granted scope satisfies.
    pub fn missing_scopes<'c>(&self, cap: &'c Capability) -> Vec<&'c [String]> {
        let Some(granted) = &self.granted_scopes else {
            return Vec::new();
        };
        cap.required_scopes
            .iter()
            .filter(|group| !group.is_empty() && !group.iter().any(|s| granted.contains(s)))
            .map(Vec::as_slice)
            .collect()
    }

    /// Whether the capability works with the active auth method.
    pub fn auth_method_ok(&self, cap: &Capability) -> bool {
        cap.auth_methods.is_empty()
            || self
                .auth_method
                .as_ref()
                .is_some_and(|m| cap.auth_methods.contains(m))
    }
}

/// Why a capability is in or out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Decision {
    /// Allowed; each level's reason, parent to child.
    Allowed(Vec<(Level, Pass)>),
    /// A protocol utility: always denied.
    Utility,
    /// Denied by a level's filter.
    Filter {
        /// The level.
        level: Level,
        /// The capability's kind.
        kind: Kind,
    },
    /// Required scope groups not granted.
    Scopes(Vec<Vec<String>>),
    /// The active auth method is not one the capability works with.
    AuthMethod {
        /// The methods it works with.
        required: Vec<String>,
        /// The active method.
        active: Option<String>,
    },
    /// An earlier provider already exposes the same name.
    Shadowed {
        /// The provider whose capability won.
        by: String,
    },
}

impl Decision {
    /// Whether the capability is exposed.
    pub fn is_allowed(&self) -> bool {
        matches!(self, Decision::Allowed(_))
    }
}

impl fmt::Display for Decision {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Decision::Allowed(levels) if levels.is_empty() => f.write_str("allowed: no filter applies"),
            Decision::Allowed(levels) => {
                f.write_str("allowed: ")?;
                for (i, (level, pass)) in levels.iter().enumerate() {
                    if i > 0 {
                        f.write_str(", ")?;
                    }
                    match pass {
                        Pass::AllowAll => write!(f, "{level} allows all")?,
                        Pass::NoRuleForKind => write!(f, "{level} has no rule for this kind")?,
                        Pass::Rule(i) => write!(f, "{level} rule {i} matches")?,
                    }
                }
                Ok(())
            }
            Decision::Utility => f.write_str("denied: protocol utilities are never exposed"),
            Decision::Filter { level, kind } => {
                write!(
                    f,
                    "denied by the {level}'s filter: no {} rule matches",
                    kind.noun()
                )
            }
            Decision::Scopes(missing) => {
                let groups: Vec<String> = missing.iter().map(|g| g.join(" or ")).collect();
                write!(f, "denied: missing scopes {}", groups.join(" and "))
            }
            Decision::AuthMethod { required, active } => write!(
                f,
                "denied: works with auth methods {}, the active one is {}",
                required.join(", "),
                active.as_deref().unwrap_or("none")
            ),
            Decision::Shadowed { by } => write!(f, "denied: shadowed by the same name from provider `{by}`"),
        }
    }
}

/// Decides one capability against a chain and access (no collisions).
pub fn decide(chain: &Chain, access: &Access, cap: &Capability) -> Decision {
    if cap.kind == Kind::Utility {
        return Decision::Utility;
    }
    let levels = match chain.evaluate(cap) {
        Ok(levels) => levels,
        Err(level) => {
            return Decision::Filter {
                level,
                kind: cap.kind,
            };
        }
    };
    let missing = access.missing_scopes(cap);
    if !missing.is_empty() {
        return Decision::Scopes(missing.into_iter().map(<[String]>::to_vec).collect());
    }
    if !access.auth_method_ok(cap) {
        return Decision::AuthMethod {
            required: cap.auth_methods.clone(),
            active: access.auth_method.clone(),
        };
    }
    Decision::Allowed(levels)
}

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

    /// [`CollisionPolicy::Prefix`] with the default budget of 64 bytes.
    pub fn prefix() -> Self {
        CollisionPolicy::Prefix {
            budget: Self::DEFAULT_BUDGET,
        }
    }
}

/// Options of [`resolve`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ResolveOptions {
    /// Collisions.
    pub policy: CollisionPolicy,
    /// Keep only each provider's first N capabilities, as the live service does
    /// with 100. `None` (the default) keeps all.
    pub per_provider_cap: Option<usize>,
}

/// A name two or more providers expose, under [`CollisionPolicy::Error`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Collision {
    /// The name.
    pub name: String,
    /// The providers exposing it, in order.
    pub providers: Vec<String>,
}

/// Every collision, under [`CollisionPolicy::Error`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{} name collision(s): {}", .0.len(), .0.iter().map(|c| format!("`{}` from {}", c.name, c.providers.join(", "))).collect::<Vec<_>>().join("; "))]
pub struct CollisionError(pub Vec<Collision>);

impl ApiError for CollisionError {
    fn error_body(&self) -> ErrorBody {
        ErrorBody::new(switchboard_model::error::ErrorCode::Conflict).with_message(self.to_string())
    }
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

/// The outcome of [`resolve`]: every capability, in order, with its decision.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Resolution {
    /// Every capability of every provider (within the cap), providers in input order.
    pub entries: Vec<Resolved>,
    routes: HashMap<String, (usize, usize)>,
}

impl Resolution {
    /// The exposed capabilities, in order.
    pub fn allowed(&self) -> impl Iterator<Item = &Resolved> {
        self.entries.iter().filter(|e| e.decision.is_allowed())
    }

    /// The provider and capability index behind an exposed name.
    pub fn route(&self, name: &str) -> Option<(usize, usize)> {
        self.routes.get(name).copied()
    }

    /// The `provider.tools` object: every exposed tool that carries its wire
    /// object, in order, its `key` set to the exposed name.
    pub fn provider_tools(&self, providers: &[ProviderEntry]) -> ProviderTools {
        let items = self
            .allowed()
            .filter_map(|e| {
                let cap = &providers[e.provider].capabilities[e.capability];
                (cap.kind == Kind::Tool).then_some(())?;
                let mut tool = (**cap.tool.as_ref()?).clone();
                tool.key.clone_from(&e.name);
                Some(tool)
            })
            .collect();
        ProviderTools {
            items,
            ..ProviderTools::default()
        }
    }

    /// The check before a call of `kind` named `name`: the provider and
    /// capability it routes to, or why it is refused.
    pub fn check(
        &self,
        kind: Kind,
        name: &str,
        providers: &[ProviderEntry],
    ) -> Result<(usize, usize), CallDenied> {
        if let Some((p, c)) = self.route(name)
            && providers[p].capabilities[c].kind == kind
        {
            return Ok((p, c));
        }
        let known = self
            .entries
            .iter()
            .find(|e| e.name == name && providers[e.provider].capabilities[e.capability].kind == kind);
        Err(match known {
            Some(e) => CallDenied::Denied {
                name: name.to_owned(),
                decision: e.decision.clone(),
            },
            None => CallDenied::Unknown {
                kind,
                name: name.to_owned(),
            },
        })
    }

    /// [`Resolution::check`] for a tool call.
    pub fn check_tool(&self, name: &str, providers: &[ProviderEntry]) -> Result<(usize, usize), CallDenied> {
        self.check(Kind::Tool, name, providers)
    }

    /// [`Resolution::check`] for a prompt fetch.
    pub fn check_prompt(
        &self,
        name: &str,
        providers: &[ProviderEntry],
    ) -> Result<(usize, usize), CallDenied> {
        self.check(Kind::Prompt, name, providers)
    }
}

/// Checks a resource read of `uri` through `provider`: URIs are not listed
/// ahead of time, so the read is decided when it happens.
pub fn check_resource(provider: &ProviderEntry, uri: &str) -> Result<(), CallDenied> {
    let decision = decide(
        &provider.chain,
        &provider.access,
        &Capability::new(Kind::ResourceRead, uri),
    );
    if decision.is_allowed() {
        Ok(())
    } else {
        Err(CallDenied::Denied {
            name: uri.to_owned(),
            decision,
        })
    }
}

/// Why a call is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CallDenied {
    /// Nothing of that kind has that name.
    #[error("no {} named `{name}`", kind.noun())]
    Unknown {
        /// The kind asked for.
        kind: Kind,
        /// The name.
        name: String,
    },
    /// It exists and is not exposed.
    #[error("`{name}` is {decision}")]
    Denied {
        /// The name.
        name: String,
        /// Why.
        decision: Decision,
    },
}

impl ApiError for CallDenied {
    fn error_body(&self) -> ErrorBody {
        match self {
            CallDenied::Unknown { name, .. } => {
                ErrorBody::not_found("provider.tool", name).with_message(self.to_string())
            }
            CallDenied::Denied { .. } => {
                ErrorBody::new(switchboard_model::error::ErrorCode::Forbidden).with_message(self.to_string())
            }
        }
    }
}

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
                    "{provider}: rule {rule} of the {level}'s filter matches nothing in the catalog"
                )
            }
            Warning::NoToolsLeft { provider } => write!(f, "{provider}: the filters leave no tools"),
            Warning::ResourceRuleWithoutResources {
                provider,
                level,
                rule,
            } => write!(
                f,
                "{provider}: rule {rule} of the {level}'s filter is `resource_uris`, but the provider lists only tools"
            ),
        }
    }
}

/// Lints each provider's filters against its catalog.
pub fn lint(providers: &[ProviderEntry]) -> Vec<Warning> {
    use switchboard_model::filter::{Rule, ToolFilter};
    let mut out = Vec::new();
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
                let Ok(single) = CompiledFilter::compile(&ToolFilter::from_rules(vec![rule.clone()]), &[])
                else {
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

/// Resolves providers, given in order (template providers sorted by id), into
/// the effective set.
pub fn resolve(providers: &[ProviderEntry], options: &ResolveOptions) -> Result<Resolution, CollisionError> {
    let mut out = Resolution::default();
    let mut owner: HashMap<String, usize> = HashMap::new();
    let mut collisions: Vec<Collision> = Vec::new();
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
            if decision.is_allowed() {
                match owner.get(&name) {
                    Some(&first) => match options.policy {
                        CollisionPolicy::Error => match collisions.iter_mut().find(|x| x.name == name) {
                            Some(x) => x.providers.push(entry.name.clone()),
                            None => collisions.push(Collision {
                                name: name.clone(),
                                providers: vec![providers[first].name.clone(), entry.name.clone()],
                            }),
                        },
                        _ => {
                            decision = Decision::Shadowed {
                                by: providers[first].name.clone(),
                            };
                        }
                    },
                    None => {
                        owner.insert(name.clone(), p);
                        out.routes.insert(name.clone(), (p, c));
                    }
                }
            }
            out.entries.push(Resolved {
                provider: p,
                capability: c,
                name,
                decision,
            });
        }
    }
    if collisions.is_empty() {
        Ok(out)
    } else {
        Err(CollisionError(collisions))
    }
}

/// `provider__key`, or, past `budget` bytes, a truncated form ending in a
/// stable 8-hex-digit hash of the full name, so distinct inputs stay distinct.
pub fn prefixed_name(provider: &str, key: &str, budget: usize) -> String {
    let full = format!("{provider}__{key}");
    if full.len() <= budget {
        return full;
    }
    let mut h: u32 = 0x811c_9dc5;
    for b in full.bytes() {
        h ^= u32::from(b);
        h = h.wrapping_mul(0x0100_0193);
    }
    let suffix = format!("_{h:08x}");
    let mut keep = budget.saturating_sub(suffix.len());
    while !full.is_char_boundary(keep) {
        keep -= 1;
    }
    format!("{}{suffix}", &full[..keep])
}
