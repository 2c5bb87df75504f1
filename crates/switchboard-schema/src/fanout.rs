//! A bound on the work one value costs. Keywords that apply in place (`allOf`,
//! `anyOf`, `oneOf`, `not`, `if`/`then`/`else`, `dependentSchemas`, `$ref`)
//! evaluate their subschemas against the same value, so a schema of a few
//! kilobytes (24 levels of `anyOf` with two `$ref`s each) can ask for 2^24
//! evaluations, and their errors, per value. This module counts, for every
//! subschema, how many evaluations one value triggers in place, and refuses
//! the schema at compile time when any count passes the limit. Keywords that
//! descend into the value (`properties`, `items`, ...) start a new count for
//! each child value, so validation costs at most the limit per value: bounded
//! by the size of the input.

use std::collections::HashMap;

use serde_json::Value;

/// Keywords whose subschemas apply to the same value.
const IN_PLACE_LISTS: &[&str] = &["allOf", "anyOf", "oneOf"];
const IN_PLACE_ONE: &[&str] = &["not", "if", "then", "else"];
const IN_PLACE_MAPS: &[&str] = &["dependentSchemas", "dependencies"];

/// The first subschema (as a JSON pointer) whose in-place expansion passes
/// `limit`, if any.
pub(crate) fn over_limit(root: &Value, limit: usize) -> Option<String> {
    let mut counter = Counter {
        root,
        limit,
        memo: HashMap::new(),
    };
    let mut stack = vec![(root, String::new())];
    while let Some((node, pointer)) = stack.pop() {
        if let Value::Object(map) = node {
            if counter.count(node, &pointer) > limit {
                return Some(if pointer.is_empty() {
                    "/".to_owned()
                } else {
                    pointer
                });
            }
            for (k, v) in map {
                stack.push((v, format!("{pointer}/{}", escape(k))));
            }
        } else if let Value::Array(items) = node {
            for (i, v) in items.iter().enumerate() {
                stack.push((v, format!("{pointer}/{i}")));
            }
        }
    }
    None
}

fn escape(key: &str) -> String {
    key.replace('~', "~0").replace('/', "~1")
}

/// `None` while a pointer is being counted: a cycle of in-place references
/// never ends, so it counts as over the limit.
struct Counter<'a> {
    root: &'a Value,
    limit: usize,
    memo: HashMap<String, Option<usize>>,
}

impl<'a> Counter<'a> {
    /// Evaluations of `node` and everything it applies in place, capped at `limit + 1`.
    fn count(&mut self, node: &'a Value, pointer: &str) -> usize {
        let cap = self.limit + 1;
        match self.memo.get(pointer) {
            Some(Some(n)) => return *n,
            Some(None) => return cap,
            None => {}
        }
        self.memo.insert(pointer.to_owned(), None);
        let mut total = 1usize;
        if let Value::Object(map) = node {
            let mut add = |this: &mut Self, child: &'a Value, child_pointer: String| {
                total = total.saturating_add(this.count(child, &child_pointer)).min(cap);
            };
            for key in IN_PLACE_LISTS {
                if let Some(Value::Array(items)) = map.get(*key) {
                    for (i, item) in items.iter().enumerate() {
                        add(self, item, format!("{pointer}/{key}/{i}"));
                    }
                }
            }
            for key in IN_PLACE_ONE {
                if let Some(child) = map.get(*key) {
                    add(self, child, format!("{pointer}/{key}"));
                }
            }
            for key in IN_PLACE_MAPS {
                if let Some(Value::Object(children)) = map.get(*key) {
                    for (name, child) in children {
                        if child.is_object() {
                            add(self, child, format!("{pointer}/{key}/{}", escape(name)));
                        }
                    }
                }
            }
            for key in ["$ref", "$dynamicRef", "$recursiveRef"] {
                if let Some(Value::String(target)) = map.get(key)
                    && let Some(local) = target.strip_prefix('#')
                    && let Some(child) = resolve(self.root, local)
                {
                    add(self, child, local.to_owned());
                }
            }
        }
        self.memo.insert(pointer.to_owned(), Some(total));
        total
    }
}

/// A local JSON pointer (`/$defs/a`, or empty for the root). A pointer that
/// does not resolve here is left to the validator, which reports it.
fn resolve<'v>(root: &'v Value, pointer: &str) -> Option<&'v Value> {
    if pointer.is_empty() {
        Some(root)
    } else {
        root.pointer(pointer)
    }
}
