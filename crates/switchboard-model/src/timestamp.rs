//! Millisecond-precision UTC timestamps, written as `2025-09-15T10:30:00.000Z`.
//!
//! ```
//! use switchboard_model::Timestamp;
//!
//! let t: Timestamp = "2025-09-15T12:30:00.123987+02:00".parse()?;
//! // Normalised to UTC, truncated (never rounded up) to milliseconds.
//! assert_eq!(t.to_string(), "2025-09-15T10:30:00.123Z");
//! Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use std::fmt;

use chrono::{DateTime, SecondsFormat, Timelike, Utc};

/// Why a string is not a timestamp.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TimestampError {
    /// Not RFC 3339 (`2025-09-15T10:30:00.000Z`).
    #[error("`{found}` is not an RFC 3339 timestamp such as `2025-09-15T10:30:00.000Z`{hint}")]
    Syntax {
        /// The offending text (shortened when long).
        found: String,
        /// Extra advice, such as for a `+` that became a space.
        hint: &'static str,
    },
    /// Outside the years 0000 to 9999 once converted to UTC.
    #[error("`{found}` is outside the years 0000 to 9999 in UTC")]
    OutOfRange {
        /// The offending text.
        found: String,
    },
}

/// An instant in UTC at millisecond precision, between the years 0000 and 9999.
///
/// Encodes as RFC 3339 with exactly three fractional digits and `Z`, so that
/// decoding then encoding gives back the same text.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Timestamp(DateTime<Utc>);

const MIN_MILLIS: i64 = -62_167_219_200_000; // 0000-01-01T00:00:00.000Z
const MAX_MILLIS: i64 = 253_402_300_799_999; // 9999-12-31T23:59:59.999Z

impl Timestamp {
    /// The instant `millis` milliseconds after the Unix epoch, if within range.
    pub fn from_millis(millis: i64) -> Option<Timestamp> {
        if !(MIN_MILLIS..=MAX_MILLIS).contains(&millis) {
            return None;
        }
        DateTime::<Utc>::from_timestamp_millis(millis).map(Timestamp)
    }

    /// Milliseconds since the Unix epoch.
    pub fn as_millis(self) -> i64 {
        self.0.timestamp_millis()
    }

    /// Converts a chrono value, truncating to milliseconds; `None` outside years 0000 to 9999.
    pub fn from_datetime(dt: DateTime<Utc>) -> Option<Timestamp> {
        let nanos = dt.nanosecond();
        let truncated = dt.with_nanosecond(nanos - nanos % 1_000_000)?;
        let millis = truncated.timestamp_millis();
        (MIN_MILLIS..=MAX_MILLIS)
            .contains(&millis)
            .then_some(Timestamp(truncated))
    }

    /// The chrono value.
    pub fn as_datetime(self) -> DateTime<Utc> {
        self.0
    }

    /// This instant plus `millis` milliseconds (negative goes back), if within range.
    pub fn checked_add_millis(self, millis: i64) -> Option<Timestamp> {
        Timestamp::from_millis(self.as_millis().checked_add(millis)?)
    }

    /// Parses RFC 3339 with any offset, normalising to UTC and truncating to milliseconds.
    pub fn parse(text: &str) -> Result<Timestamp, TimestampError> {
        let parsed = DateTime::parse_from_rfc3339(text).map_err(|_| TimestampError::Syntax {
            found: shorten(text),
            // `2026-01-01T00:00:00.000 02:00`: a `+` offset that a query string turned into a space.
            hint: if looks_like_lost_plus(text) {
                "; a `+` in a query string decodes to a space: encode it as `%2B`"
            } else {
                ""
            },
        })?;
        Timestamp::from_datetime(parsed.with_timezone(&Utc)).ok_or_else(|| {
            TimestampError::OutOfRange {
                found: shorten(text),
            }
        })
    }
}

/// Whether `text` ends in ` hh:mm` after a date and time: an offset whose `+` was decoded as a space.
fn looks_like_lost_plus(text: &str) -> bool {
    let b = text.as_bytes();
    let n = b.len();
    n >= 25
        && b[n - 6] == b' '
        && b[n - 3] == b':'
        && [1, 2, 4, 5].iter().all(|i| b[n - i].is_ascii_digit())
        && b[n - 7].is_ascii_digit()
}

fn shorten(text: &str) -> String {
    let mut end = text.len().min(64);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    if end < text.len() {
        format!("{}...", &text[..end])
    } else {
        text.to_owned()
    }
}

impl fmt::Display for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0.to_rfc3339_opts(SecondsFormat::Millis, true))
    }
}

impl fmt::Debug for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Timestamp({self})")
    }
}

impl std::str::FromStr for Timestamp {
    type Err = TimestampError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Timestamp::parse(s)
    }
}

impl serde::Serialize for Timestamp {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> serde::Deserialize<'de> for Timestamp {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl serde::de::Visitor<'_> for V {
            type Value = Timestamp;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an RFC 3339 timestamp string")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Timestamp, E> {
                Timestamp::parse(v).map_err(E::custom)
            }
        }
        d.deserialize_str(V)
    }
}

#[cfg(feature = "proptest")]
impl proptest::arbitrary::Arbitrary for Timestamp {
    type Parameters = ();
    type Strategy = proptest::strategy::BoxedStrategy<Self>;
    fn arbitrary_with(_: ()) -> Self::Strategy {
        use proptest::prelude::*;
        (MIN_MILLIS..=MAX_MILLIS)
            .prop_map(|m| Timestamp::from_millis(m).expect("in range"))
            .boxed()
    }
}
