//! Regex rules' patterns (contract §5.4, §5.8): JavaScript's meaning on a
//! linear-time engine. [`translate`] turns a JavaScript pattern into the
//! `regex` crate's syntax with the same meaning (without the `u` flag, `\d`,
//! `\w` and `\b` are ASCII-only), and refuses what a linear-time engine
//! cannot run, with a reason that says so.
//!
//! ```
//! use switchboard_model::pattern::{translate, PatternReason};
//!
//! // Case variants are spelt out: the result is matched case-sensitively.
//! assert_eq!(translate(r"^l\d")?, r"^[Ll][0-9]");
//! assert_eq!(translate(r"^(?=a)"), Err(PatternReason::LookAround));
//! assert_eq!(translate(r"(a)\1"), Err(PatternReason::Backreference));
//! Ok::<(), Box<dyn std::error::Error>>(())
//! ```

/// Compiled size limit of one rule's regex, in bytes.
pub const MAX_COMPILED_SIZE: usize = 64 * 1024;

/// Compiled size limit of all of one filter's patterns together, in bytes.
pub const MAX_FILTER_COMPILED_SIZE: usize = 1024 * 1024;

/// Compiled size limit of all the distinct filters of one template (its
/// providers' four levels), in bytes.
pub const MAX_TEMPLATE_COMPILED_SIZE: usize = 16 * 1024 * 1024;

/// The lazy DFA's cache for one filter's patterns, in bytes; past it the
/// engine falls back to a slower, still linear, simulation.
pub const MAX_DFA_SIZE: usize = 2 * 1024 * 1024;

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
    /// Not a pattern JavaScript accepts, or one the regex engine refused.
    #[error("invalid pattern: {0}")]
    Syntax(String),
    /// The compiled program is larger than [`MAX_COMPILED_SIZE`].
    #[error("the pattern compiles to more than the limit of {MAX_COMPILED_SIZE} bytes")]
    TooBig,
    /// The filter's patterns together compile to more than [`MAX_FILTER_COMPILED_SIZE`].
    #[error(
        "the filter's patterns together compile to more than the limit of {MAX_FILTER_COMPILED_SIZE} bytes"
    )]
    FilterTooBig,
    /// The template's filters together compile to more than [`MAX_TEMPLATE_COMPILED_SIZE`].
    #[error(
        "the template's filters together compile to more than the limit of {MAX_TEMPLATE_COMPILED_SIZE} bytes"
    )]
    TemplateTooBig,
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

/// A text as JavaScript patterns see it (one character per UTF-16 code
/// unit): what a translated pattern is matched against.
pub use switchboard_jsregex::code_units;

impl From<switchboard_jsregex::Refusal> for PatternReason {
    fn from(r: switchboard_jsregex::Refusal) -> PatternReason {
        use switchboard_jsregex::Refusal;
        match r {
            Refusal::LookAround => PatternReason::LookAround,
            Refusal::Backreference => PatternReason::Backreference,
            Refusal::TrailingBackslash => PatternReason::TrailingBackslash,
            Refusal::TooBig(_) => PatternReason::TooBig,
            other => PatternReason::Syntax(match other {
                Refusal::Syntax(text) => text,
                other => other.to_string(),
            }),
        }
    }
}

/// Translates a JavaScript pattern (as `new RegExp(pattern, "i")` reads it)
/// into `regex` syntax with the same meaning on a case-sensitive engine, or
/// says why it cannot run in linear time or is not a pattern at all: the
/// [`switchboard_jsregex::translate`] of the crate of its own, with this
/// crate's reason. Request decoders call it, so a refused pattern is a 400
/// when the filter is written, not when a tool set is computed.
pub fn translate(js: &str) -> Result<String, PatternReason> {
    switchboard_jsregex::translate(js).map_err(PatternReason::from)
}
