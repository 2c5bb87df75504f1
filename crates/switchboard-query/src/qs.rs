//! Phase 1: split a query string the way the `qs` library reads it by default.
//!
//! `status=a&status=b`, `status[]=a&status[]=b`, `status[0]=a&status[1]=b`
//! and `status%5B0%5D=a&status%5B1%5D=b` all give the parameter `status`
//! with two entries. `+` decodes to a space; a malformed `%` escape is kept
//! as written (as `qs` does). Values borrow from the input where no decoding
//! was needed.

use std::borrow::Cow;

use switchboard_model::error::PathSegment;
pub(crate) use switchboard_model::error::shorten;

use crate::{Limits, QueryError};

/// What follows a parameter's name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Sub<'a> {
    /// `name=v`
    None,
    /// `name[]=v`
    Push,
    /// `name[3]=v`
    Index(u32),
    /// `name[gt]=v`
    Key(Cow<'a, str>),
}

/// One `name...=value` piece.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry<'a> {
    /// The part after the name.
    pub sub: Sub<'a>,
    /// The value as written (still percent-encoded); see [`Entry::value`].
    pub raw_value: &'a str,
}

impl<'a> Entry<'a> {
    /// The decoded value.
    pub fn value(&self) -> Cow<'a, str> {
        percent_decode(self.raw_value)
    }
}

/// All entries of one parameter name, in the order given.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Param<'a> {
    /// The decoded name (`created_at`).
    pub name: Cow<'a, str>,
    /// Its entries.
    pub entries: Vec<Entry<'a>>,
}

/// A query string split into parameters, in order of first appearance.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RawQuery<'a> {
    /// The parameters.
    pub params: Vec<Param<'a>>,
}

impl<'a> RawQuery<'a> {
    /// Splits `query` (with or without a leading `?`), enforcing `limits`.
    pub fn parse(query: &'a str, limits: &Limits) -> Result<RawQuery<'a>, QueryError> {
        let mut raw = RawQuery::default();
        for_each_piece(query, limits, |name, sub, raw_value, _| {
            match raw.params.iter().position(|p| p.name == name) {
                Some(i) => raw.params[i].entries.push(Entry { sub, raw_value }),
                None if raw.params.len() == limits.max_params => return Err(too_many_params(limits)),
                None => raw.params.push(Param {
                    name,
                    entries: vec![Entry { sub, raw_value }],
                }),
            }
            Ok(())
        })?;
        Ok(raw)
    }
}

pub(crate) fn too_many_params(limits: &Limits) -> QueryError {
    QueryError::invalid(
        "too_big",
        format!(
            "the query has more than the limit of {} parameters",
            limits.max_params
        ),
        vec![],
    )
}

/// The index of the first byte of `set` in `b[from..to]`, or `to`. Eight
/// bytes at a time: for each wanted byte, `haszero(word ^ broadcast(byte))`
/// flags a match; the lowest flag is exact (higher ones may be false, so only
/// the lowest is used).
#[inline(always)]
fn find<const N: usize>(b: &[u8], from: usize, to: usize, set: [u8; N]) -> usize {
    const LO: u64 = 0x0101_0101_0101_0101;
    const HI: u64 = 0x8080_8080_8080_8080;
    let zero = |x: u64| x.wrapping_sub(LO) & !x & HI;
    let mut i = from;
    while i < to && i + 8 <= b.len() {
        let w = switchboard_model::codec::word_le(b, i);
        let found = set.iter().fold(0, |f, &c| f | zero(w ^ (LO * u64::from(c))));
        if found != 0 {
            // The lowest flag of each term is exact, so the lowest of the union is.
            return (i + (found.trailing_zeros() / 8) as usize).min(to);
        }
        i += 8;
    }
    while i < to {
        if set.contains(&b[i]) {
            return i;
        }
        i += 1;
    }
    to
}

/// Where one non-empty `&`-separated piece of a query lies, as the tokenizer
/// sees it: byte offsets into the query (after any leading `?`).
#[doc(hidden)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Piece {
    /// The first byte.
    pub start: usize,
    /// The end of the key: the `=` that splits (`qs`: the first `=` right
    /// after a `]`, else the first `=`), or `end` if there is none.
    pub key_end: usize,
    /// The first byte of the value (`end` if there is no `=`).
    pub value_start: usize,
    /// One past the last byte: the `&`, or the end of the query.
    pub end: usize,
    /// The first `[`, `%` or `+` of the key, or `key_end`.
    pub first_special: usize,
    /// Whether the value holds a `%` or `+`.
    pub value_needs_decoding: bool,
}

/// Every non-empty piece of `query` (the tokenizer's view, for tests).
#[doc(hidden)]
pub fn pieces(query: &str) -> Vec<Piece> {
    let mut out = Vec::new();
    let _ = scan::<()>(query.as_bytes(), |p| {
        out.push(p);
        Ok(())
    });
    out
}

/// Calls `each` for every non-empty piece of `b`, in order.
///
/// A piece is found by stopping only at `&` and `=`; then one scan of the key
/// finds its first `[`, `%` or `+`, and one of the value whether it holds
/// anything to decode. Percent escapes are never stops, and plain keys and
/// values are never scanned again.
#[inline(always)]
fn scan<E>(b: &[u8], mut each: impl FnMut(Piece) -> Result<(), E>) -> Result<(), E> {
    let mut i = 0;
    while i < b.len() {
        let start = i;
        let mut first_eq = None;
        let mut bracket_eq = None;
        loop {
            i = find(b, i, b.len(), [b'&', b'=']);
            if i == b.len() || b[i] == b'&' {
                break;
            }
            first_eq.get_or_insert(i);
            if bracket_eq.is_none() && i > start && b[i - 1] == b']' {
                bracket_eq = Some(i);
            }
            i += 1;
        }
        let end = i;
        i += 1; // past the `&`
        if end == start {
            continue;
        }
        let (key_end, value_start) = match bracket_eq.or(first_eq) {
            Some(at) => (at, at + 1),
            None => (end, end),
        };
        each(Piece {
            start,
            key_end,
            value_start,
            end,
            first_special: find(b, start, key_end, [b'[', b'%', b'+']),
            value_needs_decoding: find(b, value_start, end, [b'%', b'+']) < end,
        })?;
    }
    Ok(())
}

/// Calls `each(name, sub, raw_value, value_needs_decoding)` for every
/// non-empty piece of `query` ([`scan`]), in order, enforcing the length and
/// depth limits.
pub(crate) fn for_each_piece<'a, E: From<QueryError>>(
    query: &'a str,
    limits: &Limits,
    mut each: impl FnMut(Cow<'a, str>, Sub<'a>, &'a str, bool) -> Result<(), E>,
) -> Result<(), E> {
    if query.len() > limits.max_query_len {
        return Err(E::from(QueryError::invalid(
            "too_big",
            format!(
                "the query string is {} bytes, more than the limit of {}",
                query.len(),
                limits.max_query_len
            ),
            vec![],
        )));
    }
    let query = query.strip_prefix('?').unwrap_or(query);
    scan(query.as_bytes(), |p| {
        let key = &query[p.start..p.key_end];
        let (name, sub) = if p.first_special < p.key_end {
            split_brackets(key, p.first_special - p.start, limits).map_err(E::from)?
        } else {
            (Cow::Borrowed(key), Sub::None)
        };
        each(name, sub, &query[p.value_start..p.end], p.value_needs_decoding)
    })
}

/// A bracket in a raw key: `[` or `]`, literal or percent-encoded; its length.
fn bracket_at(b: &[u8], i: usize) -> Option<(u8, usize)> {
    match b[i] {
        c @ (b'[' | b']') => Some((c, 1)),
        b'%' if i + 2 < b.len() && b[i + 1] == b'5' => match b[i + 2] {
            b'B' | b'b' => Some((b'[', 3)),
            b'D' | b'd' => Some((b']', 3)),
            _ => None,
        },
        _ => None,
    }
}

/// Splits a raw key such as `created_at[gt]` or `status%5B0%5D` (whose first
/// `[`, `%` or `+` is at `from`) into its
/// decoded name and what follows. A key whose brackets do not form
/// `name[x]`...`[y]` is a plain name, as in `qs`.
fn split_brackets<'a>(
    key: &'a str,
    from: usize,
    limits: &Limits,
) -> Result<(Cow<'a, str>, Sub<'a>), QueryError> {
    let b = key.as_bytes();
    // Common forms first: `name[x]` and `name%5Bx%5D` with a plain name and inner part.
    let simple = match (&b[from..], b.last()) {
        ([b'[', ..], Some(b']')) => Some((1, 1)),
        ([b'%', b'5', b'B' | b'b', ..], _)
            if b.len() >= from + 6
                && b[b.len() - 3] == b'%'
                && b[b.len() - 2] == b'5'
                && matches!(b[b.len() - 1], b'D' | b'd') =>
        {
            Some((3, 3))
        }
        _ => None,
    };
    if let Some((open_len, close_len)) = simple
        && from > 0
        && from + open_len <= b.len() - close_len
    {
        // `from` is the first `[`, `%` or `+`, so the name before it needs no decoding.
        let inner = &b[from + open_len..b.len() - close_len];
        if !inner.iter().any(|&c| matches!(c, b'[' | b']' | b'%' | b'+')) && 2 <= limits.max_depth {
            let inner = &key[from + open_len..b.len() - close_len];
            return Ok((Cow::Borrowed(&key[..from]), classify_inner(inner)));
        }
    }
    let plain = || Ok((percent_decode(key), Sub::None));
    // The name runs to the first bracket of any kind (none lies before `from`).
    let Some((open, c)) = (from..b.len()).find_map(|i| bracket_at(b, i).map(|(c, _)| (i, c))) else {
        return plain();
    };
    if c != b'[' || open == 0 {
        return plain();
    }
    // Then `[x]` groups back to back up to the end of the key.
    let mut groups = 0usize;
    let mut first_inner = (0, 0);
    // The groups within the depth limit, for the error's path.
    let mut kept: Vec<(usize, usize)> = Vec::new();
    let mut i = open;
    while i < b.len() {
        let Some((b'[', len_open)) = bracket_at(b, i) else {
            return plain();
        };
        let inner_start = i + len_open;
        let mut j = inner_start;
        let close = loop {
            if j >= b.len() {
                return plain();
            }
            match bracket_at(b, j) {
                Some((b']', len_close)) => break (j, len_close),
                Some(_) => return plain(),
                None => j += 1,
            }
        };
        if groups == 0 {
            first_inner = (inner_start, close.0);
        }
        if 1 + groups < limits.max_depth {
            kept.push((inner_start, close.0));
        }
        groups += 1;
        i = close.0 + close.1;
    }
    let depth = 1 + groups;
    let name = percent_decode(&key[..open]);
    if depth > limits.max_depth {
        // The error sits at the deepest path that is within the limit:
        // `created_at[gt][x]` at `["created_at", "gt"]`.
        let mut path = vec![PathSegment::Key(shorten(&name))];
        path.extend(
            kept.iter()
                .map(|&(a, z)| PathSegment::Key(shorten(&percent_decode(&key[a..z])))),
        );
        return Err(QueryError::invalid(
            "too_deep",
            format!(
                "`{}` nests {depth} levels, more than the limit of {}",
                shorten(&percent_decode(key)),
                limits.max_depth
            ),
            path,
        ));
    }
    Ok((name, classify_inner(&key[first_inner.0..first_inner.1])))
}

/// `[]` is a push, `[3]` an index, anything else a key.
fn classify_inner(inner: &str) -> Sub<'_> {
    let ib = inner.as_bytes();
    if ib.is_empty() {
        Sub::Push
    } else if ib.len() <= 9 && ib.iter().all(u8::is_ascii_digit) {
        Sub::Index(ib.iter().fold(0u32, |n, &d| n * 10 + u32::from(d - b'0')))
    } else {
        Sub::Key(percent_decode(inner))
    }
}

/// Decodes `text` into `out` (reusing its allocation) unless nothing needs
/// decoding; returns the text to use. Same rules as [`percent_decode`].
pub(crate) fn decode_into<'s>(text: &'s str, out: &'s mut String) -> &'s str {
    let Some(first) = first_escape(text) else {
        return text;
    };
    let mut bytes = std::mem::take(out).into_bytes();
    bytes.clear();
    bytes.resize(text.len(), 0);
    let decoded = decode_bytes(text.as_bytes(), first, &mut bytes).map(|n| {
        bytes.truncate(n);
        bytes
    });
    *out = match decoded.map(String::from_utf8) {
        Some(Ok(s)) => s,
        _ => text.replace('+', " "),
    };
    out
}

/// Buffers for decoding values: short ones (ids, timestamps) on the stack,
/// longer ones in one reused allocation.
#[derive(Debug)]
pub(crate) struct Scratch {
    small: [u8; 96],
    big: Vec<u8>,
    kept: String,
}

impl Scratch {
    pub(crate) fn new() -> Self {
        Scratch {
            small: [0; 96],
            big: Vec::new(),
            kept: String::new(),
        }
    }

    /// `raw` itself, or its decoding if the tokenizer saw a `%` or `+` in it.
    pub(crate) fn value<'s>(&'s mut self, raw: &'s str, needs_decoding: bool) -> &'s str {
        if needs_decoding { self.decode(raw) } else { raw }
    }

    /// The decoding of `raw`. Same rules as [`percent_decode`].
    pub(crate) fn decode<'s>(&'s mut self, raw: &'s str) -> &'s str {
        let Some(first) = first_escape(raw) else {
            return raw;
        };
        // Decoding never lengthens: a short input fits the stack buffer.
        let buf: &mut [u8] = if raw.len() <= self.small.len() {
            &mut self.small[..raw.len()]
        } else {
            self.big.clear();
            self.big.resize(raw.len(), 0);
            &mut self.big
        };
        if let Some(n) = decode_bytes(raw.as_bytes(), first, buf)
            && let Ok(s) = std::str::from_utf8(&buf[..n])
        {
            return s;
        }
        self.kept = raw.replace('+', " ");
        &self.kept
    }
}

/// `decodeURIComponent` after turning `+` into a space; on malformed input the
/// text is kept (with `+` as space), as `qs` does.
pub fn percent_decode(text: &str) -> Cow<'_, str> {
    let mut out = String::new();
    match decode_into(text, &mut out) {
        same if std::ptr::eq(same, text) => Cow::Borrowed(text),
        _ => Cow::Owned(out),
    }
}

/// Where the first `%` or `+` is: nothing before it needs decoding.
fn first_escape(text: &str) -> Option<usize> {
    text.bytes().position(|c| c == b'%' || c == b'+')
}

/// The one percent-decoder behind the three entry points above: decodes `b`
/// into `out` (at least `b.len()` bytes: decoding never lengthens), given that
/// `b[..first]` needs none. Returns the decoded length, or `None` if a `%`
/// escape is malformed (`qs` then keeps the text as it is).
fn decode_bytes(b: &[u8], first: usize, out: &mut [u8]) -> Option<usize> {
    out[..first].copy_from_slice(&b[..first]);
    let mut n = first;
    let mut i = first;
    while i < b.len() {
        let c = match b[i] {
            b'+' => b' ',
            b'%' => match (b.get(i + 1).and_then(hex), b.get(i + 2).and_then(hex)) {
                (Some(h), Some(l)) => {
                    i += 2;
                    h << 4 | l
                }
                _ => return None,
            },
            c => c,
        };
        out[n] = c;
        n += 1;
        i += 1;
    }
    Some(n)
}

fn hex(c: &u8) -> Option<u8> {
    match c {
        b'0'..=b'9' => Some(c - b'0'),
        b'a'..=b'f' => Some(c - b'a' + 10),
        b'A'..=b'F' => Some(c - b'A' + 10),
        _ => None,
    }
}

/// Percent-encodes like `encodeURIComponent` (RFC 3986 unreserved characters stay).
pub fn percent_encode(text: &str, out: &mut String) {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    for &c in text.as_bytes() {
        if c.is_ascii_alphanumeric() || matches!(c, b'-' | b'_' | b'.' | b'~') {
            out.push(c as char);
        } else {
            out.push('%');
            out.push(HEX[(c >> 4) as usize] as char);
            out.push(HEX[(c & 15) as usize] as char);
        }
    }
}
