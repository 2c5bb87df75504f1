//! Regex rules' patterns (contract §5.4, §5.8): JavaScript's meaning on a
//! linear-time engine. [`translate`] turns a JavaScript pattern into the
//! `regex` crate's syntax with the same meaning (without the `u` flag, `\d`,
//! `\w` and `\b` are ASCII-only), and refuses what a linear-time engine
//! cannot run, with a reason that says so.
//!
//! ```
//! use switchboard_model::pattern::{translate, PatternReason};
//!
//! assert_eq!(translate(r"^list_\d+")?, r"^list_[0-9]+");
//! assert_eq!(translate(r"^(?=a)"), Err(PatternReason::LookAround));
//! assert_eq!(translate(r"(a)\1"), Err(PatternReason::Backreference));
//! Ok::<(), Box<dyn std::error::Error>>(())
//! ```

/// Compiled size limit of one rule's regex, in bytes.
pub const MAX_COMPILED_SIZE: usize = 256 * 1024;

/// Why a pattern cannot be used. The toolset's `InvalidPattern` error carries
/// one; the last two come from compiling it.
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

impl crate::ApiError for PatternReason {
    /// `invalid_data` with one `invalid_pattern` error at the root; a
    /// decoding error carries the rule's path instead.
    fn error_body(&self) -> crate::ErrorBody {
        crate::ErrorBody::invalid_data(
            "body",
            vec![crate::error::FieldError::new(
                "invalid_pattern",
                self.to_string(),
                Vec::new(),
            )],
        )
    }
}

/// Translates a JavaScript pattern (as `new RegExp(pattern, "i")` reads it)
/// into `regex` syntax with the same meaning, or says why it cannot run in
/// linear time. Request decoders call it, so a refused pattern is a 400 when
/// the filter is written, not when a tool set is computed.
pub fn translate(js: &str) -> Result<String, PatternReason> {
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
