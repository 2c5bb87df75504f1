//! Small encodings every crate of the workspace shares: base62 (cursors,
//! client secrets), the FNV-1a hash (cursor bindings, prefixed tool names),
//! eight-byte words for the parsers that read a word at a time,
//! and the depth of a JSON value (metadata and schema limits). One home each,
//! so that two crates never disagree on what a cursor or a depth is.
//!
//! ```
//! use switchboard_model::codec;
//!
//! let text = codec::to_base62(&[1, 0]);
//! assert_eq!(text, "48");
//! assert_eq!(codec::from_base62(&text), Ok(vec![1, 0]));
//! assert_eq!(codec::from_base62("4!"), Err('!'));
//! assert_eq!(codec::fnv1a_64(b""), 0xcbf2_9ce4_8422_2325);
//! assert_eq!(codec::word_le(b"abcdefgh", 0) & 0xff, u64::from(b'a'));
//!
//! let v = serde_json::json!({"a": [1, {"b": 2}]});
//! assert_eq!(codec::json_depth(&v, 32), 3);
//! ```

use serde_json::{Map, Value};

/// The base62 alphabet: digits, then upper case, then lower case.
pub const BASE62_ALPHABET: &[u8; 62] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

/// Big-endian bytes to base62 digits, most significant first (leading zero
/// bytes are dropped; no bytes, or all zeros, give `"0"`).
pub fn to_base62(bytes: &[u8]) -> String {
    let mut num: Vec<u8> = bytes.iter().copied().skip_while(|&b| b == 0).collect();
    let mut digits = Vec::new();
    while !num.is_empty() {
        let mut rem = 0u32;
        let mut next = Vec::with_capacity(num.len());
        for &b in &num {
            let acc = rem * 256 + u32::from(b);
            let q = acc / 62;
            rem = acc % 62;
            if !(next.is_empty() && q == 0) {
                next.push(q as u8);
            }
        }
        digits.push(BASE62_ALPHABET[rem as usize]);
        num = next;
    }
    if digits.is_empty() {
        digits.push(b'0');
    }
    digits.reverse();
    digits.into_iter().map(char::from).collect()
}

/// Base62 digits to big-endian bytes without leading zeros; the first
/// character that is not a base62 digit is the error.
pub fn from_base62(text: &str) -> Result<Vec<u8>, char> {
    // Ten digits at a time fit a u64 (62^10 < 2^64): multiply the number, held
    // in little-endian u64 limbs, by 62^k and add each group. Within a group,
    // digits go two at a time (a chain of five multiplications, not ten).
    let mut limbs: Vec<u64> = Vec::with_capacity(text.len() / 10 + 1);
    for group in text.as_bytes().chunks(10) {
        let digit = |c: u8| BASE62_VALUE[usize::from(c)];
        let mut value = 0u64;
        // Every valid digit is below 64: any high bit marks an invalid one.
        let mut invalid = 0u8;
        let mut pairs = group.chunks_exact(2);
        for pair in &mut pairs {
            let (hi, lo) = (digit(pair[0]), digit(pair[1]));
            invalid |= hi | lo;
            value = value * (62 * 62) + u64::from(hi) * 62 + u64::from(lo);
        }
        if let [last] = pairs.remainder() {
            let d = digit(*last);
            invalid |= d;
            value = value * 62 + u64::from(d);
        }
        if invalid >= 64 {
            return Err(first_non_base62(text));
        }
        let scale = BASE62_POWERS[group.len()];
        let mut carry = u128::from(value);
        for limb in limbs.iter_mut() {
            let acc = u128::from(*limb) * u128::from(scale) + carry;
            *limb = acc as u64;
            carry = acc >> 64;
        }
        if carry > 0 {
            limbs.push(carry as u64);
        }
    }
    let mut bytes: Vec<u8> = limbs.iter().rev().flat_map(|l| l.to_be_bytes()).collect();
    let zeros = bytes.iter().take_while(|&&b| b == 0).count();
    bytes.drain(..zeros);
    Ok(bytes)
}

/// The value of each byte as a base62 digit; 255 for bytes that are not one.
static BASE62_VALUE: [u8; 256] = {
    let mut t = [255u8; 256];
    let mut i = 0;
    while i < 62 {
        t[BASE62_ALPHABET[i] as usize] = i as u8;
        i += 1;
    }
    t
};

/// `62^k` for `k` from 0 to 10.
const BASE62_POWERS: [u64; 11] = {
    let mut p = [1u64; 11];
    let mut k = 1;
    while k < 11 {
        p[k] = p[k - 1] * 62;
        k += 1;
    }
    p
};

/// The first character of `text` that is not a base62 digit.
fn first_non_base62(text: &str) -> char {
    text.chars().find(|c| !c.is_ascii_alphanumeric()).unwrap_or('?')
}

/// The eight bytes of `b` from `at`, as a little-endian word: byte `at + k`
/// is bits `8k` to `8k + 7`. The parsers that look at eight bytes at a time
/// (query tokens, id bodies, timestamps) read their words through this.
/// Panics if fewer than eight bytes follow `at`; callers check the length.
#[inline]
pub fn word_le(b: &[u8], at: usize) -> u64 {
    let mut word = [0u8; 8];
    word.copy_from_slice(&b[at..at + 8]);
    u64::from_le_bytes(word)
}

/// FNV-1a, 64 bits: a fast, stable, non-cryptographic hash.
pub fn fnv1a_64(bytes: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for &b in bytes {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    h
}

/// FNV-1a, 32 bits.
pub fn fnv1a_32(bytes: &[u8]) -> u32 {
    let mut h: u32 = 0x811c_9dc5;
    for &b in bytes {
        h ^= u32::from(b);
        h = h.wrapping_mul(0x0100_0193);
    }
    h
}

/// The nesting depth of a JSON value, counting each object or array as one
/// level (a scalar is 0). Stops descending past `cap`, so the walk is bounded
/// by the cap, not by the value: a result above `cap` means "too deep".
pub fn json_depth(value: &Value, cap: usize) -> usize {
    match value {
        Value::Object(m) => json_map_depth(m, cap),
        Value::Array(a) => {
            if cap == 0 {
                return 1;
            }
            1 + a.iter().map(|v| json_depth(v, cap - 1)).max().unwrap_or(0)
        }
        _ => 0,
    }
}

/// [`json_depth`] of an object given as its map.
pub fn json_map_depth(map: &Map<String, Value>, cap: usize) -> usize {
    if cap == 0 {
        return 1;
    }
    1 + map.values().map(|v| json_depth(v, cap - 1)).max().unwrap_or(0)
}

/// [`json_depth`] of a value given as valid JSON text, in one pass over its
/// bytes (brackets inside strings do not count).
///
/// ```
/// use switchboard_model::codec::json_text_depth;
///
/// assert_eq!(json_text_depth(r#"{"a": [1, {"b": "]]"}]}"#), 3);
/// assert_eq!(json_text_depth("7"), 0);
/// ```
pub fn json_text_depth(text: &str) -> usize {
    let bytes = text.as_bytes();
    let (mut depth, mut max, mut i) = (0usize, 0usize, 0usize);
    while let Some(&b) = bytes.get(i) {
        i += 1;
        match b {
            // Skip the string to its closing quote, a whole run at a time.
            b'"' => loop {
                match memchr::memchr2(b'"', b'\\', &bytes[i.min(bytes.len())..]) {
                    Some(at) if bytes[i + at] == b'\\' => i += at + 2,
                    Some(at) => {
                        i += at + 1;
                        break;
                    }
                    None => return max,
                }
            },
            b'[' | b'{' => {
                depth += 1;
                max = max.max(depth);
            }
            b']' | b'}' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    max
}
