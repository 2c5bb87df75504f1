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

pub use switchboard_model::pattern::{
    MAX_COMPILED_SIZE, MAX_DFA_SIZE, MAX_FILTER_COMPILED_SIZE, PatternReason,
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

/// Compiles translated patterns into one set: unanchored, size-limited. The
/// translation spells out JavaScript's case variants, so the engine's own
/// (Unicode) case folding stays off.
pub(crate) fn compile_set(patterns: &[String]) -> Result<regex::RegexSet, PatternReason> {
    regex::RegexSetBuilder::new(patterns)
        .size_limit(MAX_FILTER_COMPILED_SIZE)
        .dfa_size_limit(MAX_DFA_SIZE)
        .build()
        .map_err(|e| match e {
            regex::Error::CompiledTooBig(_) => PatternReason::FilterTooBig,
            other => PatternReason::Syntax(first_line(&other.to_string())),
        })
}

/// Checks one translated pattern on its own (for a precise error and the size limit).
pub(crate) fn check_one(pattern: &str) -> Result<(), PatternReason> {
    regex::RegexBuilder::new(pattern)
        .size_limit(MAX_COMPILED_SIZE)
        .build()
        .map(|_| ())
        .map_err(|e| match e {
            regex::Error::CompiledTooBig(_) => PatternReason::TooBig,
            other => PatternReason::Syntax(first_line(&other.to_string())),
        })
}

/// The regex crate's messages draw the pattern over several lines; keep the gist.
fn first_line(message: &str) -> String {
    message
        .lines()
        .rev()
        .find(|l| l.starts_with("error: "))
        .map(|l| l.trim_start_matches("error: ").to_owned())
        .unwrap_or_else(|| message.lines().next().unwrap_or_default().to_owned())
}
