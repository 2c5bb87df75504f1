//! Regex rules: JavaScript semantics on a linear-time engine.
//!
//! The service tests patterns as `new RegExp(pattern, "i").test(key)`: a
//! case-insensitive, unanchored search. This module translates a pattern to
//! the `regex` crate's syntax with JavaScript's meaning (without the `u`
//! flag, `\d`, `\w` and `\b` are ASCII-only) and refuses what a linear-time
//! engine cannot run, with a message that says so.
//!
//! ```
//! use switchboard_toolset::pattern::{translate, PatternReason};
//!
//! assert_eq!(translate(r"^l_\d+")?, r"^[Ll]_[0-9]+");
//! let err = translate(r"^(?=a)").unwrap_err();
//! assert_eq!(err.pattern_reason(), Some(&PatternReason::LookAround));
//! assert_eq!(
//!     err.to_string(),
//!     "pattern `^(?=a)`: look-around (`(?=`, `(?!`, `(?<=`, `(?<!`) cannot run in linear time and is not supported"
//! );
//! assert_eq!(translate(r"(a)\1").unwrap_err().pattern_reason(), Some(&PatternReason::Backreference));
//! Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use regex_automata::nfa::thompson::{self, WhichCaptures};
use regex_automata::{Input, MatchKind, meta};

pub use switchboard_model::pattern::{
    MAX_COMPILED_SIZE, MAX_DFA_SIZE, MAX_FILTER_COMPILED_SIZE, MAX_TEMPLATE_COMPILED_SIZE, PatternReason,
};

/// Translates a JavaScript pattern into `regex` syntax with the same meaning
/// (the model's [`switchboard_model::pattern::translate`], with this crate's error).
pub fn translate(js: &str) -> Result<String, crate::Error> {
    translate_reason(js).map_err(|reason| crate::Error::pattern(Vec::new(), js, reason))
}

/// [`translate`], with the bare reason.
pub(crate) fn translate_reason(js: &str) -> Result<String, PatternReason> {
    switchboard_model::pattern::translate(js)
}

/// Translated patterns compiled into one matcher: unanchored, size-limited,
/// reporting every pattern that matches. The translation spells out
/// JavaScript's case variants, so the engine's own (Unicode) case folding
/// stays off. Literal prefilters are off too: a match key is at most 2 KiB,
/// too short for a prefilter to pay for its construction (which, for
/// case-variant literals, cost more than the whole rest of a filter).
#[derive(Debug, Clone)]
pub(crate) struct PatternSet {
    regex: meta::Regex,
}

impl PatternSet {
    /// Compiles the patterns together within [`MAX_FILTER_COMPILED_SIZE`].
    pub(crate) fn new(patterns: &[String]) -> Result<Self, PatternReason> {
        let config = meta::Config::new()
            .match_kind(MatchKind::All)
            .which_captures(WhichCaptures::None)
            .auto_prefilter(false)
            .nfa_size_limit(Some(MAX_FILTER_COMPILED_SIZE))
            .onepass_size_limit(Some(MAX_FILTER_COMPILED_SIZE))
            .hybrid_cache_capacity(MAX_DFA_SIZE);
        meta::Builder::new()
            .configure(config)
            .build_many(patterns)
            .map(|regex| PatternSet { regex })
            .map_err(|e| match e.size_limit() {
                Some(_) => PatternReason::FilterTooBig,
                None => PatternReason::Syntax(first_line(&e.to_string())),
            })
    }

    /// The compiled program's size in bytes (search caches aside).
    pub(crate) fn compiled_size(&self) -> usize {
        self.regex.memory_usage()
    }

    /// The lowest index of the patterns that match somewhere in `haystack`.
    pub(crate) fn first_match(&self, haystack: &str) -> Option<usize> {
        // As JavaScript sees it: an astral character is two code units.
        let haystack = switchboard_model::pattern::code_units(haystack);
        // Most keys match no pattern: answer those without the set's allocation.
        let input = Input::new(haystack.as_ref());
        if !self.regex.is_match(input.clone()) {
            return None;
        }
        if self.regex.pattern_len() == 1 {
            return Some(0);
        }
        let mut set = regex_automata::PatternSet::new(self.regex.pattern_len());
        self.regex.which_overlapping_matches(&input, &mut set);
        set.iter().next().map(|p| p.as_usize())
    }
}

/// Checks one translated pattern on its own (for a precise error and the
/// size limit): its compiled program must fit [`MAX_COMPILED_SIZE`].
pub(crate) fn check_one(pattern: &str) -> Result<(), PatternReason> {
    let config = thompson::Config::new()
        .nfa_size_limit(Some(MAX_COMPILED_SIZE))
        .which_captures(WhichCaptures::None);
    thompson::Compiler::new()
        .configure(config)
        .build(pattern)
        .map(|_| ())
        .map_err(|e| match e.size_limit() {
            Some(_) => PatternReason::TooBig,
            None => PatternReason::Syntax(first_line(&e.to_string())),
        })
}

/// The engine's messages draw the pattern over several lines; keep the gist.
fn first_line(message: &str) -> String {
    message
        .lines()
        .rev()
        .find(|l| l.starts_with("error: "))
        .map(|l| l.trim_start_matches("error: ").to_owned())
        .unwrap_or_else(|| message.lines().next().unwrap_or_default().to_owned())
}
