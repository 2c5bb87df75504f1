//! Tool filters on the wire (contract §5.1-5.3): the six rules, the request-side
//! input form (`tool_filters`) and the response-side output form (`tool_filter`).
//!
//! Decoding the output form is lenient: it accepts every shape the service
//! has stored over time. Encoding writes the canonical form only.
//!
//! ```
//! use switchboard_model::filter::{Rule, ToolFilter};
//!
//! // An older stored shape...
//! let f: ToolFilter = serde_json::from_str(r#"{"type": "v1.filter", "filters": [{"type": "tool_keys", "keys": ["add"]}]}"#)?;
//! assert_eq!(f.rules(), Some(&[Rule::ToolKeys { keys: vec!["add".into()] }][..]));
//! // ...encodes in the canonical form.
//! assert_eq!(
//!     serde_json::to_string(&f)?,
//!     r#"{"type":"filter","filters":[{"type":"tool_keys","keys":["add"]}],"ignore_parent_filters":false}"#
//! );
//! Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use serde::Serialize;

/// How many keys or uris one rule may list.
pub const MAX_RULE_ITEMS: usize = 1_000;
/// How many rules one filter may hold.
pub const MAX_RULES: usize = 100;
/// The longest regex pattern, in bytes.
pub const MAX_PATTERN_LEN: usize = 1_024;

/// The six rule types, in wire form.
pub const RULE_TYPES: &[&str] = &[
    "tool_keys",
    "tool_regex",
    "prompt_keys",
    "prompt_regex",
    "resource_regex",
    "resource_uris",
];

/// Every `type` the lenient output decoder accepts.
const FILTER_TYPES: &[&str] = &[
    "allow_all",
    "filter",
    "v1.allow_all",
    "v1.filter",
    "tool_keys",
    "tool_regex",
    "prompt_keys",
    "prompt_regex",
    "resource_regex",
    "resource_uris",
];

/// One rule of a filter.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "proptest", derive(proptest_derive::Arbitrary))]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Rule {
    /// Tools whose key, id, callable id or MCP name equals one of `keys`.
    ToolKeys {
        /// The keys.
        #[cfg_attr(feature = "proptest", proptest(strategy = "crate::arbitrary::keys()"))]
        keys: Vec<String>,
    },
    /// Tools with a match key in which `pattern` is found (case-insensitive).
    ToolRegex {
        /// The pattern.
        #[cfg_attr(feature = "proptest", proptest(strategy = "crate::arbitrary::pattern()"))]
        pattern: String,
    },
    /// Prompts whose MCP name equals one of `keys`.
    PromptKeys {
        /// The prompt names.
        #[cfg_attr(feature = "proptest", proptest(strategy = "crate::arbitrary::keys()"))]
        keys: Vec<String>,
    },
    /// Prompts whose MCP name contains a match of `pattern`.
    PromptRegex {
        /// The pattern.
        #[cfg_attr(feature = "proptest", proptest(strategy = "crate::arbitrary::pattern()"))]
        pattern: String,
    },
    /// Resource templates (by URI template) and resource reads (by URI) matching `pattern`.
    ResourceRegex {
        /// The pattern.
        #[cfg_attr(feature = "proptest", proptest(strategy = "crate::arbitrary::pattern()"))]
        pattern: String,
    },
    /// Resource reads of exactly these URIs.
    ResourceUris {
        /// The URIs.
        #[cfg_attr(feature = "proptest", proptest(strategy = "crate::arbitrary::keys()"))]
        uris: Vec<String>,
    },
}

impl Rule {
    /// The wire `type`.
    pub fn type_name(&self) -> &'static str {
        match self {
            Rule::ToolKeys { .. } => "tool_keys",
            Rule::ToolRegex { .. } => "tool_regex",
            Rule::PromptKeys { .. } => "prompt_keys",
            Rule::PromptRegex { .. } => "prompt_regex",
            Rule::ResourceRegex { .. } => "resource_regex",
            Rule::ResourceUris { .. } => "resource_uris",
        }
    }

    /// The pattern of a regex rule.
    pub fn pattern(&self) -> Option<&str> {
        match self {
            Rule::ToolRegex { pattern } | Rule::PromptRegex { pattern } | Rule::ResourceRegex { pattern } => {
                Some(pattern)
            }
            _ => None,
        }
    }
}

/// The canonical output form of a filter (`tool_filter` in responses).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "proptest", derive(proptest_derive::Arbitrary))]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ToolFilter {
    /// Everything passes.
    AllowAll {
        /// Whether this level cuts off the filters of the levels above it.
        ignore_parent_filters: bool,
    },
    /// An item passes if no rule applies to its kind, or if one applicable rule matches.
    Filter {
        /// The rules (OR within the filter).
        #[cfg_attr(
            feature = "proptest",
            proptest(strategy = "proptest::collection::vec(proptest::arbitrary::any::<Rule>(), 0..4)")
        )]
        filters: Vec<Rule>,
        /// Whether this level cuts off the filters of the levels above it.
        ignore_parent_filters: bool,
    },
}

impl Default for ToolFilter {
    fn default() -> Self {
        ToolFilter::AllowAll {
            ignore_parent_filters: false,
        }
    }
}

impl ToolFilter {
    /// Allow-all, not cutting off parents.
    pub fn allow_all() -> Self {
        ToolFilter::default()
    }

    /// A filter of these rules, not cutting off parents; no rules means allow-all.
    pub fn from_rules(rules: Vec<Rule>) -> Self {
        if rules.is_empty() {
            ToolFilter::allow_all()
        } else {
            ToolFilter::Filter {
                filters: rules,
                ignore_parent_filters: false,
            }
        }
    }

    /// The rules, or `None` for allow-all.
    pub fn rules(&self) -> Option<&[Rule]> {
        match self {
            ToolFilter::AllowAll { .. } => None,
            ToolFilter::Filter { filters, .. } => Some(filters),
        }
    }

    /// Whether this level cuts off the levels above it.
    pub fn ignore_parent_filters(&self) -> bool {
        match self {
            ToolFilter::AllowAll {
                ignore_parent_filters,
            }
            | ToolFilter::Filter {
                ignore_parent_filters,
                ..
            } => *ignore_parent_filters,
        }
    }
}

/// The input form of a filter (`tool_filters` in request bodies), normalised:
/// one rule becomes a one-element list; `null`, absent and `[]` are allow-all
/// (no rules). A filter given in its output form keeps its
/// `ignore_parent_filters` (contract §5.6: the lowest level that sets it cuts
/// off the levels above). Encodes as an array of rules, or in the output form
/// when `ignore_parent_filters` is set, so that it survives a round trip.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "proptest", derive(proptest_derive::Arbitrary))]
pub struct ToolFiltersInput {
    #[cfg_attr(
        feature = "proptest",
        proptest(strategy = "proptest::collection::vec(proptest::arbitrary::any::<Rule>(), 0..4)")
    )]
    rules: Vec<Rule>,
    ignore_parent_filters: bool,
}

impl ToolFiltersInput {
    /// From a list of rules; fails over [`MAX_RULES`].
    pub fn new(rules: Vec<Rule>) -> Result<Self, String> {
        if rules.len() > MAX_RULES {
            return Err(too_many_rules(rules.len()));
        }
        Ok(ToolFiltersInput {
            rules,
            ignore_parent_filters: false,
        })
    }

    /// The same filter, cutting off the levels above it or not.
    pub fn with_ignore_parent_filters(mut self, ignore: bool) -> Self {
        self.ignore_parent_filters = ignore;
        self
    }

    /// The rules; empty means allow-all.
    pub fn rules(&self) -> &[Rule] {
        &self.rules
    }

    /// Whether this is allow-all (no rules).
    pub fn is_allow_all(&self) -> bool {
        self.rules.is_empty()
    }

    /// Whether this level cuts off the levels above it.
    pub fn ignore_parent_filters(&self) -> bool {
        self.ignore_parent_filters
    }

    /// Whether this is what an absent `tool_filters` means: allow-all, not
    /// cutting off the levels above (an encoder may leave it out).
    pub fn is_default(&self) -> bool {
        self.rules.is_empty() && !self.ignore_parent_filters
    }

    /// The stored (output) form.
    pub fn to_tool_filter(&self) -> ToolFilter {
        match ToolFilter::from_rules(self.rules.clone()) {
            ToolFilter::AllowAll { .. } => ToolFilter::AllowAll {
                ignore_parent_filters: self.ignore_parent_filters,
            },
            ToolFilter::Filter { filters, .. } => ToolFilter::Filter {
                filters,
                ignore_parent_filters: self.ignore_parent_filters,
            },
        }
    }
}

impl Serialize for ToolFiltersInput {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        if self.ignore_parent_filters {
            self.to_tool_filter().serialize(s)
        } else {
            self.rules.serialize(s)
        }
    }
}

fn too_many_rules(n: usize) -> String {
    format!("a filter has {n} rules, more than the limit of {MAX_RULES}")
}

mod decode;
