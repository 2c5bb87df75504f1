//! Decoding tool filters. One streaming visitor collects the keys any
//! accepted shape uses, deserialising each value through the caller's
//! deserializer so that error paths stay exact and unknown keys are seen as
//! ignored.

use std::fmt;

use serde::de::{self, DeserializeSeed, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde::{Deserialize, Deserializer};

use super::*;
use crate::enums::list_values;

/// A `type` value checked against a list while it is read, so that the error's path ends in `type`.
struct TypeSeed(&'static [&'static str]);

impl<'de> DeserializeSeed<'de> for TypeSeed {
    type Value = &'static str;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<&'static str, D::Error> {
        let text = String::deserialize(d)?;
        match self.0.iter().find(|t| **t == text) {
            Some(t) => Ok(t),
            None => Err(de::Error::custom(format_args!(
                "unknown rule type `{}`, expected one of {}",
                crate::error::shorten(&text),
                list_values(self.0)
            ))),
        }
    }
}

/// A list of strings with at most [`MAX_RULE_ITEMS`] entries.
struct ItemsSeed;

impl<'de> DeserializeSeed<'de> for ItemsSeed {
    type Value = Vec<String>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Vec<String>, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Vec<String>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, "an array of at most {MAX_RULE_ITEMS} strings")
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Vec<String>, A::Error> {
                let mut out = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(64));
                while let Some(s) = seq.next_element::<String>()? {
                    if out.len() == MAX_RULE_ITEMS {
                        return Err(de::Error::custom(format_args!(
                            "a rule lists more than the limit of {MAX_RULE_ITEMS} items"
                        )));
                    }
                    out.push(s);
                }
                Ok(out)
            }
        }
        d.deserialize_seq(V)
    }
}

/// What a rule's patterns must pass while they are read.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Patterns {
    /// Responses: whatever the service stored (its JavaScript engine runs
    /// look-around), within the length limit.
    Stored,
    /// Requests: a pattern this platform can run in linear time, checked when
    /// the filter is written (contract §5.8).
    Written,
}

/// A regex pattern of at most [`MAX_PATTERN_LEN`] bytes; in a request, one
/// that [`crate::pattern::translate`] accepts.
struct PatternSeed(Patterns);

impl<'de> DeserializeSeed<'de> for PatternSeed {
    type Value = String;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<String, D::Error> {
        let s = String::deserialize(d)?;
        if s.len() > MAX_PATTERN_LEN {
            return Err(de::Error::custom(format_args!(
                "pattern is {} bytes, more than the limit of {MAX_PATTERN_LEN}",
                s.len()
            )));
        }
        if self.0 == Patterns::Written
            && let Err(reason) = crate::pattern::translate(&s)
        {
            return Err(de::Error::custom(format_args!(
                "pattern `{}`: {reason}",
                crate::error::shorten(&s)
            )));
        }
        Ok(s)
    }
}

/// A list of rules with at most [`MAX_RULES`] entries.
struct RulesSeed(Patterns);

impl<'de> DeserializeSeed<'de> for RulesSeed {
    type Value = Vec<Rule>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Vec<Rule>, D::Error> {
        d.deserialize_seq(RulesVisitor(self.0))
    }
}

/// One rule, its patterns checked as the seed says.
struct RuleSeed(Patterns);

impl<'de> DeserializeSeed<'de> for RuleSeed {
    type Value = Rule;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Rule, D::Error> {
        d.deserialize_map(RuleVisitor(self.0))
    }
}

struct RuleVisitor(Patterns);

impl<'de> Visitor<'de> for RuleVisitor {
    type Value = Rule;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a rule object such as {\"type\": \"tool_keys\", \"keys\": [...]}")
    }
    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Rule, A::Error> {
        RawFilter::read(map, RULE_TYPES, false, self.0)?.rule()
    }
}

struct RulesVisitor(Patterns);

impl<'de> Visitor<'de> for RulesVisitor {
    type Value = Vec<Rule>;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "an array of at most {MAX_RULES} rules")
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Vec<Rule>, A::Error> {
        let mut out = Vec::new();
        while let Some(rule) = seq.next_element_seed(RuleSeed(self.0))? {
            if out.len() == MAX_RULES {
                return Err(de::Error::custom(format_args!(
                    "a filter has more than the limit of {MAX_RULES} rules"
                )));
            }
            out.push(rule);
        }
        Ok(out)
    }
}

/// The keys of any accepted filter or rule shape.
#[derive(Default)]
struct RawFilter {
    kind: Option<&'static str>,
    keys: Option<Vec<String>>,
    pattern: Option<String>,
    uris: Option<Vec<String>>,
    filters: Option<Vec<Rule>>,
    ignore_parent_filters: Option<bool>,
    legacy_tool_keys: Option<Vec<String>>,
}

/// A second value for a key already read: an error at that key's path.
struct Duplicate<'k>(&'k str);

impl<'de> DeserializeSeed<'de> for Duplicate<'_> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        IgnoredAny::deserialize(d)?;
        Err(de::Error::custom(format_args!(
            "duplicate key `{}` in a rule",
            self.0
        )))
    }
}

/// Whether a rule of `kind` has a field `key` (`None`: any, the kind is not known yet).
fn belongs(kind: Option<&str>, key: &str) -> bool {
    match (kind, key) {
        (None, _) => true,
        (Some("tool_keys" | "prompt_keys"), "keys") => true,
        (Some("resource_uris"), "uris") => true,
        (Some("tool_regex" | "prompt_regex" | "resource_regex"), "pattern") => true,
        // Whole filters (`allow_all`, `filter`) have none of a rule's fields.
        _ => false,
    }
}

impl RawFilter {
    /// Reads every key of a filter or rule object. A key given twice is an
    /// error at that key. A rule's field that does not belong to its type
    /// (`keys` on a `tool_regex`) is passed over as unknown, so strict mode
    /// reports it, when `type` comes first, as every encoder writes it.
    fn read<'de, A: MapAccess<'de>>(
        mut map: A,
        types: &'static [&'static str],
        whole_filter: bool,
        patterns: Patterns,
    ) -> Result<RawFilter, A::Error> {
        let mut raw = RawFilter::default();
        while let Some(key) = map.next_key::<String>()? {
            let seen = match key.as_str() {
                "type" => raw.kind.is_some(),
                "keys" => raw.keys.is_some(),
                "uris" => raw.uris.is_some(),
                "pattern" => raw.pattern.is_some(),
                "filters" => raw.filters.is_some(),
                "tool_keys" => raw.legacy_tool_keys.is_some(),
                _ => false,
            };
            if seen {
                map.next_value_seed(Duplicate(&key))?;
                continue;
            }
            match key.as_str() {
                "type" => raw.kind = Some(map.next_value_seed(TypeSeed(types))?),
                "keys" | "uris" | "pattern" if !belongs(raw.kind, &key) => {
                    map.next_value::<IgnoredAny>()?;
                }
                "keys" => raw.keys = Some(map.next_value_seed(ItemsSeed)?),
                "uris" => raw.uris = Some(map.next_value_seed(ItemsSeed)?),
                "pattern" => raw.pattern = Some(map.next_value_seed(PatternSeed(patterns))?),
                "filters" if whole_filter => raw.filters = Some(map.next_value_seed(RulesSeed(patterns))?),
                "ignore_parent_filters" if whole_filter => {
                    raw.ignore_parent_filters = map.next_value::<Option<bool>>()?
                }
                "tool_keys" if whole_filter => raw.legacy_tool_keys = Some(map.next_value_seed(ItemsSeed)?),
                _ => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok(raw)
    }

    /// The rule these keys describe; `type` is required.
    fn rule<E: de::Error>(self) -> Result<Rule, E> {
        let Some(kind) = self.kind else {
            return Err(E::custom(format_args!(
                "missing field `type`, expected one of {}",
                list_values(RULE_TYPES)
            )));
        };
        self.into_rule(kind)
    }

    fn into_rule<E: de::Error>(self, kind: &'static str) -> Result<Rule, E> {
        fn need<T, E: de::Error>(v: Option<T>, kind: &str, field: &str) -> Result<T, E> {
            v.ok_or_else(|| E::custom(format_args!("missing field `{field}` of a `{kind}` rule")))
        }
        Ok(match kind {
            "tool_keys" => Rule::ToolKeys {
                keys: need(self.keys, kind, "keys")?,
            },
            "prompt_keys" => Rule::PromptKeys {
                keys: need(self.keys, kind, "keys")?,
            },
            "resource_uris" => Rule::ResourceUris {
                uris: need(self.uris, kind, "uris")?,
            },
            "tool_regex" => Rule::ToolRegex {
                pattern: need(self.pattern, kind, "pattern")?,
            },
            "prompt_regex" => Rule::PromptRegex {
                pattern: need(self.pattern, kind, "pattern")?,
            },
            "resource_regex" => Rule::ResourceRegex {
                pattern: need(self.pattern, kind, "pattern")?,
            },
            other => {
                return Err(E::custom(format_args!(
                    "unknown rule type `{other}`, expected one of {}",
                    list_values(RULE_TYPES)
                )));
            }
        })
    }
}

impl<'de> Deserialize<'de> for Rule {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Rule, D::Error> {
        d.deserialize_map(RuleVisitor(Patterns::Stored))
    }
}

impl<'de> Deserialize<'de> for ToolFilter {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<ToolFilter, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = ToolFilter;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a tool filter object or an array of rules")
            }
            fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<ToolFilter, A::Error> {
                Ok(ToolFilter::from_rules(
                    RulesVisitor(Patterns::Stored).visit_seq(seq)?,
                ))
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<ToolFilter, A::Error> {
                let raw = RawFilter::read(map, FILTER_TYPES, true, Patterns::Stored)?;
                let ignore_parent_filters = raw.ignore_parent_filters.unwrap_or(false);
                match raw.kind {
                    Some("allow_all" | "v1.allow_all") => Ok(ToolFilter::AllowAll {
                        ignore_parent_filters,
                    }),
                    Some("filter" | "v1.filter") => Ok(ToolFilter::Filter {
                        filters: raw.filters.ok_or_else(|| {
                            de::Error::custom("missing field `filters` of a `filter` tool filter")
                        })?,
                        ignore_parent_filters,
                    }),
                    Some(kind) => Ok(ToolFilter::Filter {
                        filters: vec![raw.into_rule(kind)?],
                        ignore_parent_filters,
                    }),
                    None => match raw.legacy_tool_keys {
                        Some(keys) => Ok(ToolFilter::Filter {
                            filters: vec![Rule::ToolKeys { keys }],
                            ignore_parent_filters,
                        }),
                        None => Err(de::Error::custom(format_args!(
                            "missing field `type`, expected one of {}",
                            list_values(FILTER_TYPES)
                        ))),
                    },
                }
            }
        }
        d.deserialize_any(V)
    }
}

impl<'de> Deserialize<'de> for ToolFiltersInput {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<ToolFiltersInput, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = ToolFiltersInput;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a rule, an array of rules, or null")
            }
            fn visit_unit<E: de::Error>(self) -> Result<ToolFiltersInput, E> {
                Ok(ToolFiltersInput::default())
            }
            fn visit_none<E: de::Error>(self) -> Result<ToolFiltersInput, E> {
                Ok(ToolFiltersInput::default())
            }
            fn visit_some<D2: Deserializer<'de>>(self, d: D2) -> Result<ToolFiltersInput, D2::Error> {
                d.deserialize_any(self)
            }
            fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<ToolFiltersInput, A::Error> {
                ToolFiltersInput::new(RulesVisitor(Patterns::Written).visit_seq(seq)?)
                    .map_err(de::Error::custom)
            }
            /// One rule, the Node SDK's `{"tool_keys": [...]}`, or a whole
            /// filter in its output form (contract §8).
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<ToolFiltersInput, A::Error> {
                let raw = RawFilter::read(map, FILTER_TYPES, true, Patterns::Written)?;
                // Kept, never dropped: the output form may cut off the parents.
                let ignore_parent_filters = raw.ignore_parent_filters.unwrap_or(false);
                let rules = match raw.kind {
                    Some("allow_all" | "v1.allow_all") => Vec::new(),
                    Some("filter" | "v1.filter") => raw.filters.ok_or_else(|| {
                        de::Error::custom("missing field `filters` of a `filter` tool filter")
                    })?,
                    Some(kind) => vec![raw.into_rule(kind)?],
                    None => match raw.legacy_tool_keys {
                        Some(keys) => vec![Rule::ToolKeys { keys }],
                        None => vec![raw.rule()?],
                    },
                };
                Ok(ToolFiltersInput::new(rules)
                    .map_err(de::Error::custom)?
                    .with_ignore_parent_filters(ignore_parent_filters))
            }
        }
        d.deserialize_any(V)
    }
}
