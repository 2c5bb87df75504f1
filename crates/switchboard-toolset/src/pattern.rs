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
//! assert_eq!(translate(r"^list_\d+")?, r"^list_[0-9]+");
//! let err = translate(r"^(?=a)").unwrap_err();
//! assert_eq!(err.pattern_reason(), Some(&PatternReason::LookAround));
//! assert_eq!(
//!     err.to_string(),
//!     "pattern `^(?=a)`: look-around (`(?=`, `(?!`, `(?<=`, `(?<!`) cannot run in linear time and is not supported"
//! );
//! assert_eq!(translate(r"(a)\1").unwrap_err().pattern_reason(), Some(&PatternReason::Backreference));
//! Ok::<(), Box<dyn std::error::Error>>(())
//! ```

/// Compiled size limit of one rule's regex, in bytes.
pub const MAX_COMPILED_SIZE: usize = 256 * 1024;

/// Why a pattern cannot be used: the reason inside a
/// [`crate::ErrorKind::InvalidPattern`] error.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PatternReason {
    /// `(?=`, `(?!`, `(?<=`, `(?<!`.
    #[error("look-around (`(?=`, `(?!`, `(?<=`, `(?<!`) cannot run in linear time and is not supported")]
    LookAround,
    /// `\1`, `\k<name>`.
    #[error("back-references (`\\1`, `\\k<name>`) cannot run in linear time and are not supported")]
    Backreference,
    /// The pattern ends in a lone `\`.
    #[error("the pattern ends with a lone `\\`")]
    TrailingBackslash,
    /// The regex engine refused the translated pattern.
    #[error("invalid pattern: {0}")]
    Syntax(String),
    /// The compiled program is larger than [`MAX_COMPILED_SIZE`].
    #[error("the pattern compiles to more than the limit of {MAX_COMPILED_SIZE} bytes")]
    TooBig,
}

impl switchboard_model::ApiError for PatternReason {
    /// `invalid_data` with one `invalid_pattern` error at the root; an
    /// [`crate::Error`] of kind `InvalidPattern` carries the rule's path.
    fn error_body(&self) -> switchboard_model::ErrorBody {
        switchboard_model::ErrorBody::invalid_data(
            "body",
            vec![switchboard_model::error::FieldError::new(
                "invalid_pattern",
                self.to_string(),
                Vec::new(),
            )],
        )
    }
}

/// Translates a JavaScript pattern into `regex` syntax with the same meaning.
pub fn translate(js: &str) -> Result<String, crate::Error> {
    translate_reason(js).map_err(|reason| crate::Error::pattern(Vec::new(), js, reason))
}

/// [`translate`], with the bare reason.
pub(crate) fn translate_reason(js: &str) -> Result<String, PatternReason> {
    let mut out = String::with_capacity(js.len() + 8);
    let mut chars = js.chars().peekable();
    let mut in_class = false;
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                let Some(e) = chars.next() else {
                    return Err(PatternReason::TrailingBackslash);
                };
                match e {
                    'd' if in_class => out.push_str("0-9"),
                    'w' if in_class => out.push_str("0-9A-Za-z_"),
                    'D' if in_class => out.push_str("[^0-9]"),
                    'W' if in_class => out.push_str("[^0-9A-Za-z_]"),
                    'd' => out.push_str("[0-9]"),
                    'w' => out.push_str("[0-9A-Za-z_]"),
                    'D' => out.push_str("[^0-9]"),
                    'W' => out.push_str("[^0-9A-Za-z_]"),
                    'b' if in_class => out.push_str("\\x08"), // backspace inside a JS class
                    'b' => out.push_str("(?-u:\\b)"),
                    'B' => out.push_str("(?-u:\\B)"),
                    '1'..='9' if !in_class => return Err(PatternReason::Backreference),
                    'k' if chars.peek() == Some(&'<') => return Err(PatternReason::Backreference),
                    // Escaped punctuation means the character itself.
                    p if p.is_ascii_punctuation() => {
                        out.push('\\');
                        out.push(p);
                    }
                    other => {
                        out.push('\\');
                        out.push(other);
                    }
                }
            }
            '[' if !in_class => {
                in_class = true;
                out.push('[');
                // `[]` matches nothing and `[^]` anything in JavaScript.
                if chars.peek() == Some(&'^') {
                    chars.next();
                    if chars.peek() == Some(&']') {
                        chars.next();
                        in_class = false;
                        out.pop();
                        out.push_str("(?s:.)");
                        continue;
                    }
                    out.push('^');
                }
                if chars.peek() == Some(&']') {
                    chars.next();
                    in_class = false;
                    out.pop();
                    out.push_str("[^\\x00-\\x{10FFFF}]");
                }
            }
            '[' => out.push_str("\\["),
            ']' if in_class => {
                in_class = false;
                out.push(']');
            }
            '(' if !in_class && chars.peek() == Some(&'?') => {
                let rest: String = chars.clone().take(3).collect();
                if rest.starts_with("?=")
                    || rest.starts_with("?!")
                    || rest.starts_with("?<=")
                    || rest.starts_with("?<!")
                {
                    return Err(PatternReason::LookAround);
                }
                out.push('(');
            }
            other => out.push(other),
        }
    }
    Ok(out)
}

/// Compiles translated patterns into one set: case-insensitive, unanchored, size-limited.
pub(crate) fn compile_set(patterns: &[String]) -> Result<regex::RegexSet, PatternReason> {
    regex::RegexSetBuilder::new(patterns)
        .case_insensitive(true)
        .size_limit(MAX_COMPILED_SIZE * patterns.len().max(1))
        .dfa_size_limit(MAX_COMPILED_SIZE * 4)
        .build()
        .map_err(|e| match e {
            regex::Error::CompiledTooBig(_) => PatternReason::TooBig,
            other => PatternReason::Syntax(first_line(&other.to_string())),
        })
}

/// Checks one translated pattern on its own (for a precise error and the size limit).
pub(crate) fn check_one(pattern: &str) -> Result<(), PatternReason> {
    regex::RegexBuilder::new(pattern)
        .case_insensitive(true)
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
