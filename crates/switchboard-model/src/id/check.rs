//! Validating an id's text against its kind: prefix, alias, body.

use super::{MAX_BODY_LEN, kind_of_prefix};
use crate::error::shorten;
use crate::timestamp::Timestamp;

/// Why a string is not an id of the expected kind: the detail inside an
/// [`ErrorKind::InvalidId`](crate::error::ErrorKind::InvalidId) error.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub(crate) enum IdProblem {
    /// The text has no `_` separating a prefix from a body.
    #[error("expected {} id (prefix `{expected}_`), found `{found}` which has no prefix", article(.kind))]
    MissingPrefix {
        /// The kind that was expected.
        kind: &'static str,
        /// Its canonical prefix, without the underscore.
        expected: &'static str,
        /// The offending text (shortened when long).
        found: String,
    },
    /// The prefix belongs to another kind, or to none.
    #[error("expected {} id (prefix {}), found {}", article(.kind), describe_prefixes(.expected, .aliases), describe_found(.found))]
    WrongPrefix {
        /// The kind that was expected.
        kind: &'static str,
        /// Its canonical prefix.
        expected: &'static str,
        /// Its accepted aliases.
        aliases: &'static [&'static str],
        /// The prefix that was found.
        found: String,
    },
    /// Nothing follows the prefix.
    #[error("{kind} id `{found}` has an empty body after the prefix")]
    EmptyBody {
        /// The kind that was expected.
        kind: &'static str,
        /// The offending text.
        found: String,
    },
    /// The body holds a character outside `[0-9A-Za-z]`.
    #[error("{kind} id `{found}` has {ch:?} at byte {index}; an id body is only letters and digits")]
    InvalidChar {
        /// The kind that was expected.
        kind: &'static str,
        /// The offending text (shortened when long).
        found: String,
        /// The first invalid character.
        ch: char,
        /// Its byte offset in the whole id.
        index: usize,
    },
    /// The body is longer than [`MAX_BODY_LEN`].
    #[error("{kind} id is {len} characters after the prefix, more than the limit of {MAX_BODY_LEN}")]
    TooLong {
        /// The kind that was expected.
        kind: &'static str,
        /// The body length found.
        len: usize,
    },
    /// A generated id needs a creation time from 1970 on that fits 9 base-36 digits.
    #[error("cannot generate an id for {0}: the time must be between 1970 and 5188")]
    TimeOutOfRange(Timestamp),
}

fn describe_prefixes(expected: &str, aliases: &[&str]) -> String {
    let mut s = format!("`{expected}_`");
    for a in aliases {
        s.push_str(&format!(" or `{a}_`"));
    }
    s
}

/// `a provider`, `an integration`.
fn article(kind: &str) -> String {
    let an = kind.starts_with(['a', 'e', 'i', 'o', 'u']);
    format!("{} {kind}", if an { "an" } else { "a" })
}

fn describe_found(found: &str) -> String {
    match kind_of_prefix(found) {
        Some(kind) => format!("{} id (prefix `{found}_`)", article(kind)),
        None => format!("unknown prefix `{found}_`"),
    }
}

/// Whether each byte is an ASCII letter or digit.
static ALNUM: [bool; 256] = {
    let mut t = [false; 256];
    let mut c = 0;
    while c < 256 {
        t[c] = (c as u8).is_ascii_alphanumeric();
        c += 1;
    }
    t
};

/// Whether every byte is an ASCII letter or digit: eight bytes at a time,
/// then the rest through [`ALNUM`].
fn all_alnum(b: &[u8]) -> bool {
    const LO: u64 = 0x0101_0101_0101_0101;
    const HI: u64 = 0x8080_8080_8080_8080;
    let mut words = b.chunks_exact(8);
    for chunk in &mut words {
        let w = crate::codec::word_le(chunk, 0);
        if w & HI != 0 {
            return false;
        }
        // With every byte below 0x80, adding at most 0x50 to each never
        // carries into the next: the high bit says `byte >= c` (or `> c`).
        let at_least = |c: u8| w + LO * u64::from(0x80 - c);
        let above = |c: u8| w + LO * u64::from(0x7f - c);
        let digit = at_least(b'0') & !above(b'9');
        let upper = at_least(b'A') & !above(b'Z');
        let lower = at_least(b'a') & !above(b'z');
        if (digit | upper | lower) & HI != HI {
            return false;
        }
    }
    words.remainder().iter().all(|&c| ALNUM[usize::from(c)])
}

/// Checks `text` against a kind's prefixes and body rules; returns the prefix length.
pub(crate) fn validate(
    text: &str,
    kind: &'static str,
    prefix: &'static str,
    aliases: &'static [&'static str],
) -> Result<usize, IdProblem> {
    let b = text.as_bytes();
    // Fast path: the canonical prefix, then a body of letters and digits. The
    // prefix (three or four bytes) is compared in a loop, not by `memcmp`.
    if b.len() > prefix.len() + 1
        && b.len() <= prefix.len() + 1 + MAX_BODY_LEN
        && b[prefix.len()] == b'_'
        && prefix.bytes().zip(b).all(|(p, &c)| p == c)
        && all_alnum(&b[prefix.len() + 1..])
    {
        return Ok(prefix.len());
    }
    let Some(sep) = text.find('_') else {
        return Err(IdProblem::MissingPrefix {
            kind,
            expected: prefix,
            found: shorten(text),
        });
    };
    let found_prefix = &text[..sep];
    if found_prefix != prefix && !aliases.contains(&found_prefix) {
        return Err(IdProblem::WrongPrefix {
            kind,
            expected: prefix,
            aliases,
            found: shorten(found_prefix),
        });
    }
    check_body(text, sep, kind)?;
    Ok(sep)
}

/// Like [`validate`], but a well-formed prefix of another kind (or of none
/// known yet) is accepted: for ids the service sends. The body rules hold.
pub(crate) fn validate_liberal(
    text: &str,
    kind: &'static str,
    prefix: &'static str,
    aliases: &'static [&'static str],
) -> Result<usize, IdProblem> {
    match validate(text, kind, prefix, aliases) {
        Err(IdProblem::WrongPrefix { .. }) => {
            let sep = text.find('_').unwrap_or(0);
            if sep == 0 || !text[..sep].bytes().all(|c| c.is_ascii_alphanumeric()) {
                return validate(text, kind, prefix, aliases);
            }
            check_body(text, sep, kind)?;
            Ok(sep)
        }
        other => other,
    }
}

/// The body rules: not empty, letters and digits, at most [`MAX_BODY_LEN`].
fn check_body(text: &str, sep: usize, kind: &'static str) -> Result<(), IdProblem> {
    let body = &text[sep + 1..];
    if body.is_empty() {
        return Err(IdProblem::EmptyBody {
            kind,
            found: shorten(text),
        });
    }
    if let Some(i) = body.bytes().position(|c| !c.is_ascii_alphanumeric()) {
        return Err(IdProblem::InvalidChar {
            kind,
            found: shorten(text),
            ch: body[i..].chars().next().unwrap_or('?'),
            index: sep + 1 + i,
        });
    }
    if body.len() > MAX_BODY_LEN {
        return Err(IdProblem::TooLong {
            kind,
            len: body.len(),
        });
    }
    Ok(())
}
