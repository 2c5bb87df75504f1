//! Opaque cursors: `cur_` + base62 (`0-9A-Za-z`, big-number conversion) of
//! the JSON `["after", id]` or `["before", id]`.
//!
//! The encoder may append a third element, a fingerprint of the query's
//! filters and order; such a bound cursor is refused with other filters.
//!
//! ```
//! use switchboard_query::cursor::{Cursor, Direction};
//!
//! let c = Cursor { direction: Direction::After, id: "stm_1".into(), binding: None };
//! let text = c.encode();
//! assert!(text.starts_with("cur_"));
//! assert_eq!(Cursor::decode(&text)?, c);
//! assert_eq!(Cursor::decode("cur_!!").unwrap_err().to_string(), "Invalid cursor format: `!` is not a base62 digit");
//! Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use crate::QueryError;

const ALPHABET: &[u8; 62] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

/// The longest cursor accepted, in characters (conversion is quadratic in length).
pub const MAX_CURSOR_LEN: usize = 1024;

/// Which side of the id the page lies on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Direction {
    /// `"after"`
    After,
    /// `"before"`
    Before,
}

/// A decoded cursor.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Cursor {
    /// The side.
    pub direction: Direction,
    /// The id, not yet checked against a kind.
    pub id: String,
    /// The fingerprint of the filters and order it was issued for, if bound.
    pub binding: Option<String>,
}

impl Cursor {
    /// `cur_` + base62 of the JSON array.
    pub fn encode(&self) -> String {
        let dir = match self.direction {
            Direction::After => "after",
            Direction::Before => "before",
        };
        let json = match &self.binding {
            None => serde_json::json!([dir, self.id]),
            Some(b) => serde_json::json!([dir, self.id, b]),
        };
        format!("cur_{}", to_base62(json.to_string().as_bytes()))
    }

    /// Decodes a cursor; any malformation is `bad_request` "Invalid cursor format".
    pub fn decode(text: &str) -> Result<Cursor, QueryError> {
        let body = text
            .strip_prefix("cur_")
            .ok_or_else(|| QueryError::bad_cursor("a cursor starts with `cur_`"))?;
        if text.len() > MAX_CURSOR_LEN {
            return Err(QueryError::bad_cursor(format!(
                "a cursor is at most {MAX_CURSOR_LEN} characters"
            )));
        }
        let bytes = from_base62(body)?;
        // Strings without escapes borrow; any escape takes the owned route.
        let items: Vec<std::borrow::Cow<'_, str>> = match serde_json::from_slice::<Vec<&str>>(&bytes) {
            Ok(v) => v.into_iter().map(std::borrow::Cow::Borrowed).collect(),
            Err(_) => serde_json::from_slice::<Vec<String>>(&bytes)
                .map_err(|e| {
                    QueryError::bad_cursor(if e.is_data() {
                        "the cursor does not hold [direction, id]"
                    } else {
                        "the cursor does not hold JSON"
                    })
                })?
                .into_iter()
                .map(std::borrow::Cow::Owned)
                .collect(),
        };
        if !(2..=3).contains(&items.len()) {
            return Err(QueryError::bad_cursor("the cursor does not hold [direction, id]"));
        }
        let direction = match &*items[0] {
            "after" => Direction::After,
            "before" => Direction::Before,
            _ => {
                return Err(QueryError::bad_cursor(
                    "the cursor's direction is neither `after` nor `before`",
                ));
            }
        };
        let id = items[1].to_string();
        let binding = items.get(2).map(|b| b.to_string());
        Ok(Cursor {
            direction,
            id,
            binding,
        })
    }
}

/// Big-endian bytes to base62 digits, most significant first.
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
        digits.push(ALPHABET[rem as usize]);
        num = next;
    }
    if digits.is_empty() {
        digits.push(b'0');
    }
    digits.reverse();
    digits.into_iter().map(char::from).collect()
}

/// Base62 digits to big-endian bytes.
pub fn from_base62(text: &str) -> Result<Vec<u8>, QueryError> {
    if text.is_empty() {
        return Err(QueryError::bad_cursor("the cursor is empty after `cur_`"));
    }
    // Ten digits at a time fit a u64 (62^10 < 2^64): multiply the number, held
    // in little-endian u64 limbs, by 62^k and add each group.
    let mut limbs: Vec<u64> = Vec::with_capacity(text.len() / 10 + 1);
    for group in text.as_bytes().chunks(10) {
        let mut value = 0u64;
        let mut scale = 1u64;
        for &c in group {
            let d = match c {
                b'0'..=b'9' => c - b'0',
                b'A'..=b'Z' => c - b'A' + 10,
                b'a'..=b'z' => c - b'a' + 36,
                _ => {
                    let ch = text[text.as_bytes().iter().position(|&b| b == c).unwrap_or(0)..]
                        .chars()
                        .next()
                        .unwrap_or('?');
                    return Err(QueryError::bad_cursor(format!("`{ch}` is not a base62 digit")));
                }
            };
            value = value * 62 + u64::from(d);
            scale *= 62;
        }
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

/// A short, stable fingerprint (FNV-1a, 64 bits, hex) of a canonical query text.
pub fn fingerprint(text: &str) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in text.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    format!("{h:016x}")
}
