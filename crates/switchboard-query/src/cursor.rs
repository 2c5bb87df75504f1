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
//! assert_eq!(Cursor::decode("cur_!!").unwrap_err().to_string(), "invalid cursor format: `!` is not a base62 digit");
//! Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use switchboard_model::codec;

use crate::QueryError;

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
        if let Some(cursor) = Cursor::plain(&bytes) {
            return Ok(cursor);
        }
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

impl Cursor {
    /// The shape every cursor this crate issues has, read without a JSON
    /// parser: `["after","<id>"]` or `["after","<id>","<binding>"]`, no
    /// spaces, no escapes. `None` for anything else, which the JSON route
    /// then reads (or refuses) with the same meaning.
    fn plain(bytes: &[u8]) -> Option<Cursor> {
        let inner = bytes.strip_prefix(b"[\"")?.strip_suffix(b"\"]")?;
        if inner.iter().any(|&c| c == b'\\' || c < 0x20) {
            return None;
        }
        let text = std::str::from_utf8(inner).ok()?;
        // Items and the `","` between them alternate; an item holds no `"`.
        let mut parts = text.split('"');
        let direction = match parts.next()? {
            "after" => Direction::After,
            "before" => Direction::Before,
            _ => return None,
        };
        let mut item = || match (parts.next(), parts.next()) {
            (None, _) => Ok(None),
            (Some(","), Some(item)) => Ok(Some(item)),
            _ => Err(()),
        };
        let id = item().ok()??;
        let binding = item().ok()?;
        if item() != Ok(None) {
            return None;
        }
        Some(Cursor {
            direction,
            id: id.to_owned(),
            binding: binding.map(str::to_owned),
        })
    }
}

/// Big-endian bytes to base62 digits (the model's [`codec::to_base62`]).
pub fn to_base62(bytes: &[u8]) -> String {
    codec::to_base62(bytes)
}

/// Base62 digits to big-endian bytes; a malformed cursor body is `Invalid cursor format`.
pub fn from_base62(text: &str) -> Result<Vec<u8>, QueryError> {
    if text.is_empty() {
        return Err(QueryError::bad_cursor("the cursor is empty after `cur_`"));
    }
    codec::from_base62(text).map_err(|ch| QueryError::bad_cursor(format!("`{ch}` is not a base62 digit")))
}

/// A short, stable fingerprint (FNV-1a, 64 bits, hex) of a canonical query text.
pub fn fingerprint(text: &str) -> String {
    format!("{:016x}", codec::fnv1a_64(text.as_bytes()))
}
