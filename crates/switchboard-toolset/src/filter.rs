//! One filter, compiled once: key rules hashed, regex rules grouped per kind
//! into one `RegexSet`, so evaluating a capability is a few hash lookups and
//! at most one linear-time regex scan per match key.

use std::collections::HashMap;

use switchboard_model::error::PathSegment;
use switchboard_model::filter::{Rule, ToolFilter};

use crate::pattern;
use crate::{Capability, Error, Kind};

/// Why a filter passed a capability.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pass {
    /// The filter is allow-all.
    AllowAll,
    /// No rule of the filter applies to the capability's kind.
    NoRuleForKind,
    /// The rule at this index matched.
    Rule(usize),
}

/// Key rules of one kind: key to the index of the first rule that lists it.
type KeyRules = HashMap<String, usize>;

/// Regex rules of one kind: the set and, per pattern, its rule index.
#[derive(Debug, Clone)]
struct RegexRules {
    set: pattern::PatternSet,
    rule_of: Vec<usize>,
}

/// A filter ready to evaluate.
#[derive(Debug, Clone)]
pub struct CompiledFilter {
    source: ToolFilter,
    allow_all: bool,
    tool_keys: KeyRules,
    tool_regex: Option<RegexRules>,
    prompt_keys: KeyRules,
    prompt_regex: Option<RegexRules>,
    resource_regex: Option<RegexRules>,
    resource_uris: KeyRules,
    /// Which key rules exist, even with no keys: an empty `tool_keys` rule is
    /// an applicable rule that matches nothing (contract §5.5), not no rule.
    has_tool_keys: bool,
    has_prompt_keys: bool,
    has_resource_uris: bool,
}

impl CompiledFilter {
    /// Compiles `filter`. A bad pattern is an error whose path is `path` + the
    /// rule's index + `pattern` (`["tool_filters", 2, "pattern"]`).
    pub fn compile(filter: &ToolFilter, path: &[PathSegment]) -> Result<Self, Error> {
        let mut c = CompiledFilter {
            source: filter.clone(),
            allow_all: filter.rules().is_none(),
            tool_keys: HashMap::new(),
            tool_regex: None,
            prompt_keys: HashMap::new(),
            prompt_regex: None,
            resource_regex: None,
            resource_uris: HashMap::new(),
            has_tool_keys: false,
            has_prompt_keys: false,
            has_resource_uris: false,
        };
        let rules = filter.rules().unwrap_or_default();
        let mut tool_re = Vec::new();
        let mut prompt_re = Vec::new();
        let mut resource_re = Vec::new();
        for (i, rule) in rules.iter().enumerate() {
            let keys = |map: &mut KeyRules, keys: &[String]| {
                for k in keys {
                    map.entry(k.clone()).or_insert(i);
                }
            };
            match rule {
                Rule::ToolKeys { keys: k } => {
                    c.has_tool_keys = true;
                    keys(&mut c.tool_keys, k);
                }
                Rule::PromptKeys { keys: k } => {
                    c.has_prompt_keys = true;
                    keys(&mut c.prompt_keys, k);
                }
                Rule::ResourceUris { uris } => {
                    c.has_resource_uris = true;
                    keys(&mut c.resource_uris, uris);
                }
                Rule::ToolRegex { pattern }
                | Rule::PromptRegex { pattern }
                | Rule::ResourceRegex { pattern } => {
                    let translated = pattern::translate_reason(pattern)
                        .and_then(|t| pattern::check_one(&t).map(|()| t))
                        .map_err(|error| Error::rule_pattern(path, i, pattern, error))?;
                    let target = match rule {
                        Rule::ToolRegex { .. } => &mut tool_re,
                        Rule::PromptRegex { .. } => &mut prompt_re,
                        _ => &mut resource_re,
                    };
                    target.push((translated, i));
                }
            }
        }
        let build = |list: Vec<(String, usize)>| -> Result<Option<RegexRules>, Error> {
            if list.is_empty() {
                return Ok(None);
            }
            let (patterns, rule_of): (Vec<String>, Vec<usize>) = list.into_iter().unzip();
            let set = pattern::PatternSet::new(&patterns).map_err(|error| {
                // Each pattern compiled alone; only their union can be too big.
                let first = rule_of[0];
                Error::rule_pattern(path, first, rules[first].pattern().unwrap_or_default(), error)
            })?;
            Ok(Some(RegexRules { set, rule_of }))
        };
        c.tool_regex = build(tool_re)?;
        c.prompt_regex = build(prompt_re)?;
        c.resource_regex = build(resource_re)?;
        Ok(c)
    }

    /// The size of the compiled regex programs in bytes (0 without regex rules).
    pub fn compiled_size(&self) -> usize {
        [&self.tool_regex, &self.prompt_regex, &self.resource_regex]
            .into_iter()
            .flatten()
            .map(|r| r.set.compiled_size())
            .sum()
    }

    /// The filter as given.
    pub fn source(&self) -> &ToolFilter {
        &self.source
    }

    /// Whether this level cuts off the levels above it.
    pub fn ignore_parent_filters(&self) -> bool {
        self.source.ignore_parent_filters()
    }

    /// Whether any rule applies to `kind`.
    pub fn applies_to(&self, kind: Kind) -> bool {
        match kind {
            Kind::Tool => self.has_tool_keys || self.tool_regex.is_some(),
            Kind::Prompt => self.has_prompt_keys || self.prompt_regex.is_some(),
            Kind::ResourceTemplate => self.resource_regex.is_some(),
            Kind::ResourceRead => self.resource_regex.is_some() || self.has_resource_uris,
            Kind::Utility => false,
        }
    }

    /// Evaluates one capability: the reason it passes, or `None` if this filter
    /// denies it. (Protocol utilities are denied by [`crate::decide`], not here.)
    pub fn evaluate(&self, cap: &Capability) -> Option<Pass> {
        if self.allow_all {
            return Some(Pass::AllowAll);
        }
        if !self.applies_to(cap.kind) {
            return Some(Pass::NoRuleForKind);
        }
        let hit = |keys: &KeyRules, re: &Option<RegexRules>, candidates: &[&str]| -> Option<usize> {
            let by_key = candidates.iter().filter_map(|k| keys.get(*k)).min().copied();
            let by_re = re.as_ref().and_then(|r| {
                candidates
                    .iter()
                    .filter_map(|k| r.set.first_match(k).map(|p| r.rule_of[p]))
                    .min()
            });
            match (by_key, by_re) {
                (Some(a), Some(b)) => Some(a.min(b)),
                (a, b) => a.or(b),
            }
        };
        let rule = match cap.kind {
            Kind::Tool => hit(&self.tool_keys, &self.tool_regex, &cap.match_keys()),
            Kind::Prompt => hit(&self.prompt_keys, &self.prompt_regex, &[cap.key.as_str()]),
            Kind::ResourceTemplate => hit(&HashMap::new(), &self.resource_regex, &[cap.key.as_str()]),
            Kind::ResourceRead => hit(&self.resource_uris, &self.resource_regex, &[cap.key.as_str()]),
            Kind::Utility => None,
        };
        rule.map(Pass::Rule)
    }
}

/// Compiled filters by content: each distinct filter compiles once, however
/// many levels, providers or explanations use it. A changed filter is another
/// key, so nothing is ever stale.
///
/// ```
/// use switchboard_model::filter::{Rule, ToolFilter};
/// use switchboard_toolset::filter::FilterCache;
///
/// let mut cache = FilterCache::default();
/// let f = ToolFilter::from_rules(vec![Rule::ToolRegex { pattern: "^list_".into() }]);
/// let a = cache.compile(&f, &[])?;
/// let b = cache.compile(&f, &[])?;
/// assert_eq!(cache.len(), 1);
/// assert_eq!(a.source(), b.source());
/// Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Default)]
pub struct FilterCache {
    compiled: HashMap<ToolFilter, CompiledFilter>,
    compiled_size: usize,
}

impl FilterCache {
    /// The compiled form of `filter`, compiling it on first sight. Errors name
    /// `path` as [`CompiledFilter::compile`] does and are not cached.
    pub fn compile(&mut self, filter: &ToolFilter, path: &[PathSegment]) -> Result<CompiledFilter, Error> {
        if let Some(c) = self.compiled.get(filter) {
            return Ok(c.clone());
        }
        let c = CompiledFilter::compile(filter, path)?;
        let size = self.compiled_size + c.compiled_size();
        if size > pattern::MAX_TEMPLATE_COMPILED_SIZE {
            // Only regex rules compile to anything: the filter has one.
            let rules = filter.rules().unwrap_or_default();
            let (i, p) = (rules.iter().enumerate())
                .find_map(|(i, r)| r.pattern().map(|p| (i, p)))
                .unwrap_or_default();
            return Err(Error::rule_pattern(
                path,
                i,
                p,
                pattern::PatternReason::TemplateTooBig,
            ));
        }
        self.compiled_size = size;
        self.compiled.insert(filter.clone(), c.clone());
        Ok(c)
    }

    /// The compiled size of the distinct filters so far, in bytes; at most
    /// [`pattern::MAX_TEMPLATE_COMPILED_SIZE`]: use one cache per template.
    pub fn compiled_size(&self) -> usize {
        self.compiled_size
    }

    /// How many distinct filters are compiled.
    pub fn len(&self) -> usize {
        self.compiled.len()
    }

    /// Whether nothing is compiled yet.
    pub fn is_empty(&self) -> bool {
        self.compiled.is_empty()
    }
}
