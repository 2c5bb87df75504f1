#![doc = include_str!("../README.md")]
#![cfg_attr(docsrs, feature(doc_cfg))]

mod charset;
mod js;

/// Where surrogate code units stand in a transcoded text: the code unit
/// `0xD800 + n` is the character `STAND_IN + n` (in plane 15, whose own
/// characters a transcoding splits into stand-ins like any astral one).
pub const STAND_IN: u32 = 0xF_0000;

/// A text as JavaScript sees it without `u`, one character per UTF-16 code
/// unit: a character outside the Basic Multilingual Plane becomes its two
/// surrogates' stand-ins ([`STAND_IN`]); every other character stays.
/// Translated patterns match transcoded texts; [`JsRegex::is_match`]
/// transcodes for you. A text of the Basic Multilingual Plane is borrowed.
///
/// ```
/// use switchboard_jsregex::code_units;
///
/// assert_eq!(code_units("plain"), "plain");
/// assert_eq!(code_units("😀").chars().count(), 2);
/// ```
pub fn code_units(text: &str) -> std::borrow::Cow<'_, str> {
    // Four-byte UTF-8 sequences (lead bytes 0xF0 and up) are the astral ones.
    if !text.bytes().any(|b| b >= 0xF0) {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 4);
    for c in text.chars() {
        match (c as u32).checked_sub(0x1_0000) {
            Some(v) => {
                for unit in [v >> 10, 0x400 + (v & 0x3FF)] {
                    // Stand-ins are plane 15 characters: always valid.
                    out.extend(char::from_u32(STAND_IN + unit));
                }
            }
            None => out.push(c),
        }
    }
    std::borrow::Cow::Owned(out)
}

/// The compiled size limit of one [`JsRegex`] by default, in bytes.
pub const DEFAULT_SIZE_LIMIT: usize = 64 * 1024;

/// Why a pattern cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Refusal {
    /// `(?=`, `(?!`, `(?<=`, `(?<!`.
    #[error("look-around (`(?=`, `(?!`, `(?<=`, `(?<!`) cannot run in linear time and is not supported")]
    LookAround,
    /// `\1`, `\k<name>`.
    #[error("back-references (`\\1`, `\\k<name>`) cannot run in linear time and are not supported")]
    Backreference,
    /// The pattern ends in a lone `\`.
    #[error("the pattern ends with a lone `\\`")]
    TrailingBackslash,
    /// Not a pattern JavaScript accepts, or one the engine refused.
    #[error("invalid pattern: {0}")]
    Syntax(String),
    /// The compiled program is larger than the size limit (in bytes).
    #[error("the pattern compiles to more than the limit of {0} bytes")]
    TooBig(usize),
}

/// Translates a JavaScript pattern (as `new RegExp(pattern, "i")` reads it)
/// into the `regex` crate's syntax with the same meaning on a
/// case-sensitive, Unicode engine, or says why it cannot run in linear time
/// or is not a pattern at all.
///
/// "The same meaning" covers JavaScript's case folding without `u` (every
/// literal and class is written out with its case variants, and a
/// non-ASCII character never matches an ASCII one: `s` is not `ſ`), ASCII
/// `\d \w \b`, JavaScript's `\s` and `.`, and Annex B's lenient syntax
/// (`\p{L}` is the text `p{L}`, `a{` a literal, `\1` with no group an octal
/// escape).
///
/// ```
/// // `a` with its case variant; `\s` as JavaScript's white space.
/// assert_eq!(
///     switchboard_jsregex::translate(r"^a\s")?,
///     r"^[Aa][\x{9}-\x{D}\x{20}\x{A0}\x{1680}\x{2000}-\x{200A}\x{2028}-\x{2029}\x{202F}\x{205F}\x{3000}\x{FEFF}]"
/// );
/// # Ok::<(), switchboard_jsregex::Refusal>(())
/// ```
pub fn translate(pattern: &str) -> Result<String, Refusal> {
    js::translate(pattern)
}

/// A JavaScript pattern compiled for `test`: a case-insensitive, unanchored
/// search whose time is linear in the text.
#[derive(Debug, Clone)]
pub struct JsRegex {
    pattern: String,
    regex: regex::Regex,
}

impl JsRegex {
    /// Compiles `pattern` within [`DEFAULT_SIZE_LIMIT`].
    pub fn new(pattern: &str) -> Result<JsRegex, Refusal> {
        JsRegex::with_size_limit(pattern, DEFAULT_SIZE_LIMIT)
    }

    /// Compiles `pattern`; a program over `limit` bytes is [`Refusal::TooBig`].
    pub fn with_size_limit(pattern: &str, limit: usize) -> Result<JsRegex, Refusal> {
        let translated = translate(pattern)?;
        let regex = regex::RegexBuilder::new(&translated)
            .size_limit(limit)
            .build()
            .map_err(|e| match e {
                regex::Error::CompiledTooBig(_) => Refusal::TooBig(limit),
                other => Refusal::Syntax(other.to_string()),
            })?;
        Ok(JsRegex {
            pattern: pattern.to_owned(),
            regex,
        })
    }

    /// `new RegExp(pattern, "i").test(text)`.
    pub fn is_match(&self, text: &str) -> bool {
        self.regex.is_match(&code_units(text))
    }

    /// The JavaScript pattern, as given.
    pub fn as_str(&self) -> &str {
        &self.pattern
    }

    /// The pattern in the `regex` crate's syntax (see [`translate`]), for
    /// texts transcoded by [`code_units`].
    pub fn translated(&self) -> &str {
        self.regex.as_str()
    }
}
