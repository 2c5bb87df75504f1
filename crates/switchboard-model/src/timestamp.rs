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

use arrayvec::ArrayString;

use chrono::{DateTime, Timelike, Utc};

use crate::codec::word_le;
use crate::error::{Error, shorten};

/// Why a string is not a timestamp: the detail inside an
/// [`ErrorKind::InvalidTimestamp`](crate::error::ErrorKind::InvalidTimestamp) error.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub(crate) enum TimestampProblem {
    /// Not RFC 3339 (`2025-09-15T10:30:00.000Z`).
    #[error("`{found}` is not an RFC 3339 timestamp such as `2025-09-15T10:30:00.000Z`{hint}")]
    Syntax {
        /// The offending text (shortened when long).
        found: String,
        /// Extra advice, such as for a `+` that became a space.
        hint: &'static str,
    },
    /// A leap second (`:60`), which a millisecond timestamp cannot hold.
    #[error("`{found}` is a leap second (`:60`), which these timestamps cannot hold")]
    LeapSecond {
        /// The offending text.
        found: String,
    },
    /// Outside the years 0000 to 9999 once converted to UTC.
    #[error("`{found}` is outside the years 0000 to 9999 in UTC")]
    OutOfRange {
        /// The offending text.
        found: String,
    },
    /// JavaScript's extended-year form (`+010000-01-01T00:00:00.000Z`).
    #[error(
        "`{found}` is JavaScript's form for a year past 9999 or before 0000; these timestamps hold the years 0000 to 9999"
    )]
    ExtendedYear {
        /// The offending text.
        found: String,
    },
    /// More than three fractional digits, in strict mode.
    #[error(
        "`{found}` has {digits} fractional digits; these timestamps keep milliseconds, so strict mode refuses more than 3 rather than cut them"
    )]
    SubMillisecond {
        /// The offending text.
        found: String,
        /// Its fractional digits.
        digits: usize,
    },
}

/// How many fractional-second digits `text` has (after the `.` that follows
/// the seconds).
fn fractional_digits(text: &str) -> usize {
    let Some(time) = text.find(['T', 't', ' ']).map(|t| &text[t..]) else {
        return 0;
    };
    time.find('.').map_or(0, |dot| {
        time[dot + 1..].bytes().take_while(u8::is_ascii_digit).count()
    })
}

/// An instant in UTC at millisecond precision, between the years 0000 and 9999.
///
/// Encodes as RFC 3339 with exactly three fractional digits and `Z`, so that
/// decoding then encoding gives back the same text. The text is kept beside
/// the instant (made once, when the value is), so encoding is a copy:
/// objects are encoded far more often than timestamps are made.
#[derive(Clone, Copy)]
pub struct Timestamp {
    millis: i64,
    /// `millis` in the canonical form; equality and order use `millis` alone.
    text: ArrayString<24>,
}

impl PartialEq for Timestamp {
    fn eq(&self, other: &Self) -> bool {
        self.millis == other.millis
    }
}

impl Eq for Timestamp {}

impl std::hash::Hash for Timestamp {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.millis.hash(state);
    }
}

impl PartialOrd for Timestamp {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Timestamp {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.millis.cmp(&other.millis)
    }
}

const MIN_MILLIS: i64 = -62_167_219_200_000; // 0000-01-01T00:00:00.000Z
const MAX_MILLIS: i64 = 253_402_300_799_999; // 9999-12-31T23:59:59.999Z

impl Timestamp {
    /// The instant `millis` milliseconds after the Unix epoch, if within range.
    pub fn from_millis(millis: i64) -> Option<Timestamp> {
        if !(MIN_MILLIS..=MAX_MILLIS).contains(&millis) {
            return None;
        }
        let text = format_canonical(millis);
        let text = ArrayString::from(std::str::from_utf8(&text).ok()?).ok()?;
        Some(Timestamp { millis, text })
    }

    /// Milliseconds since the Unix epoch.
    pub fn as_millis(self) -> i64 {
        self.millis
    }

    /// The canonical text, `YYYY-MM-DDTHH:MM:SS.sssZ`.
    pub fn as_str(&self) -> &str {
        self.text.as_str()
    }

    /// Converts a chrono value, truncating to milliseconds; `None` outside years 0000 to 9999.
    /// A leap second (`23:59:60.5`) counts on into the next second, as JavaScript dates do.
    pub fn from_datetime(dt: DateTime<Utc>) -> Option<Timestamp> {
        // `timestamp_millis` floors toward the past, so this truncates and never rounds up.
        Timestamp::from_millis(dt.timestamp_millis())
    }

    /// The chrono value.
    pub fn as_datetime(self) -> DateTime<Utc> {
        // In range by construction.
        DateTime::<Utc>::from_timestamp_millis(self.millis).unwrap_or(DateTime::<Utc>::MIN_UTC)
    }

    /// This instant plus `millis` milliseconds (negative goes back), if within range.
    pub fn checked_add_millis(self, millis: i64) -> Option<Timestamp> {
        Timestamp::from_millis(self.as_millis().checked_add(millis)?)
    }

    /// Parses RFC 3339 with any offset, normalising to UTC and truncating to
    /// milliseconds (strict decoding refuses more than three fractional
    /// digits instead; see [`crate::decode::from_str_strict`]).
    pub fn parse(text: &str) -> Result<Timestamp, Error> {
        if let Some(t) = parse_canonical(text) {
            return Ok(t);
        }
        let b = text.as_bytes();
        if b.len() > 7
            && matches!(b[0], b'+' | b'-')
            && b[1..7].iter().all(u8::is_ascii_digit)
            && b[7] == b'-'
        {
            return Err(TimestampProblem::ExtendedYear { found: shorten(text) }.into());
        }
        let parsed = DateTime::parse_from_rfc3339(text).map_err(|_| TimestampProblem::Syntax {
            found: shorten(text),
            // `2026-01-01T00:00:00.000 02:00`: a `+` offset that a query string turned into a space.
            hint: if looks_like_lost_plus(text) {
                "; a `+` in a query string decodes to a space: encode it as `%2B`"
            } else {
                ""
            },
        })?;
        // chrono reads `:60` as a leap second; UTC milliseconds have none, and
        // turning it into the next minute would change the value silently.
        if parsed.nanosecond() >= 1_000_000_000 {
            return Err(TimestampProblem::LeapSecond { found: shorten(text) }.into());
        }
        Timestamp::from_datetime(parsed.with_timezone(&Utc))
            .ok_or_else(|| TimestampProblem::OutOfRange { found: shorten(text) }.into())
    }
}

/// The canonical form `YYYY-MM-DDTHH:MM:SS.sssZ`, which nearly every input
/// uses, parsed without chrono's general parser. `None` sends the text to it.
fn parse_canonical(text: &str) -> Option<Timestamp> {
    // Eight bytes at a time, XORed with the form: a digit becomes its value
    // (0 to 9) and a separator that matches becomes 0, so one test of the
    // bytes' ranges checks the whole shape, and the digits are read off.
    const FORM: &[u8; 24] = b"0000-00-00T00:00:00.000Z";
    const LOW7: u64 = 0x7f7f_7f7f_7f7f_7f7f;
    const HI: u64 = 0x8080_8080_8080_8080;
    const TEN_UP: u64 = 0x7676_7676_7676_7676; // (x & 0x7f) + 0x76 >= 0x80 iff x >= 10
    let b = text.as_bytes();
    if b.len() != 24 {
        return None;
    }
    let mut digits = [0u8; 24];
    let mut bad = 0u64;
    for at in [0, 8, 16] {
        let x = word_le(b, at) ^ word_le(FORM, at);
        // The separators' bytes of this word, all ones.
        let separators = FORM[at..at + 8]
            .iter()
            .rev()
            .fold(0u64, |m, &c| m << 8 | if c == b'0' { 0 } else { 0xff });
        bad |= ((((x & LOW7) + TEN_UP) | x) & HI) | (x & separators);
        digits[at..at + 8].copy_from_slice(&x.to_le_bytes());
    }
    if bad != 0 {
        return None;
    }
    let num = |from: usize, len: usize| {
        digits[from..from + len]
            .iter()
            .fold(0i64, |n, &d| n * 10 + i64::from(d))
    };
    let (year, month, day) = (num(0, 4), num(5, 2), num(8, 2));
    let (hour, minute, second, milli) = (num(11, 2), num(14, 2), num(17, 2), num(20, 3));
    let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
    let month_days = match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return None,
    };
    // A leap second (`:60`) goes to the general parser.
    if day < 1 || day > month_days || hour > 23 || minute > 59 || second > 59 {
        return None;
    }
    // Days from 1970-01-01 to the civil date (Howard Hinnant's algorithm).
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days = era * 146_097 + doe - 719_468;
    let millis = (((days * 24 + hour) * 60 + minute) * 60 + second) * 1000 + milli;
    // The text is already canonical: keep it rather than write it again.
    Some(Timestamp {
        millis,
        text: ArrayString::from(text).ok()?,
    })
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

/// `"00010203...99"`: two ASCII digits for each number below 100.
const DIGIT_PAIRS: &[u8; 200] = b"\
0001020304050607080910111213141516171819\
2021222324252627282930313233343536373839\
4041424344454647484950515253545556575859\
6061626364656667686970717273747576777879\
8081828384858687888990919293949596979899";

/// Writes the canonical text of an in-range instant into a stack buffer.
fn format_canonical(millis: i64) -> [u8; 24] {
    let days = millis.div_euclid(86_400_000);
    let ms_of_day = millis.rem_euclid(86_400_000);
    // Civil date from days since 1970-01-01 (Howard Hinnant's algorithm).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    let mut out = *b"0000-00-00T00:00:00.000Z";
    let ms = ms_of_day as u32;
    let (century, year_of_century) = ((year / 100) as u32, (year % 100) as u32);
    let pairs = [
        (0, century),
        (2, year_of_century),
        (5, month as u32),
        (8, day as u32),
        (11, ms / 3_600_000),
        (14, ms / 60_000 % 60),
        (17, ms / 1000 % 60),
    ];
    for (at, v) in pairs {
        out[at..at + 2].copy_from_slice(&DIGIT_PAIRS[v as usize * 2..v as usize * 2 + 2]);
    }
    let milli = ms % 1000;
    out[20] = b'0' + (milli / 100) as u8;
    out[21..23].copy_from_slice(&DIGIT_PAIRS[(milli % 100) as usize * 2..(milli % 100) as usize * 2 + 2]);
    out
}

impl fmt::Display for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // The buffer holds only ASCII digits and punctuation.
        f.write_str(self.as_str())
    }
}

impl fmt::Debug for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Timestamp({self})")
    }
}

impl std::str::FromStr for Timestamp {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Timestamp::parse(s)
    }
}

impl serde::Serialize for Timestamp {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
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
                // The canonical form has exactly three digits: only others are counted.
                if v.len() != 24 && crate::id::strict_ids() {
                    let digits = fractional_digits(v);
                    if digits > 3 {
                        return Err(E::custom(Error::from(TimestampProblem::SubMillisecond {
                            found: shorten(v),
                            digits,
                        })));
                    }
                }
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

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::SecondsFormat;
    use proptest::prelude::*;

    /// What chrono's general parser makes of `text`, leap seconds refused.
    fn via_chrono(text: &str) -> Option<Timestamp> {
        DateTime::parse_from_rfc3339(text)
            .ok()
            .filter(|d| d.nanosecond() < 1_000_000_000)
            .and_then(|d| Timestamp::from_datetime(d.with_timezone(&Utc)))
    }

    proptest! {
        #[test]
        fn fast_path_agrees_with_chrono_on_canonical_shapes(
            y in 0u32..10000, mo in 0u32..14, d in 0u32..33, h in 0u32..26, mi in 0u32..62, s in 0u32..62, ms in 0u32..1000
        ) {
            let text = format!("{y:04}-{mo:02}-{d:02}T{h:02}:{mi:02}:{s:02}.{ms:03}Z");
            let fast = parse_canonical(&text);
            // Where the fast path answers, chrono agrees; where it declines, chrono decides.
            if let Some(t) = fast {
                prop_assert_eq!(fast, via_chrono(&text), "{}", text);
                // The kept text is the canonical text of the instant.
                let canonical = Timestamp::from_millis(t.as_millis()).unwrap();
                prop_assert_eq!(t.as_str(), canonical.as_str());
            }
            prop_assert_eq!(Timestamp::parse(&text).ok(), via_chrono(&text), "{}", text);
        }

        #[test]
        fn every_instant_round_trips_through_text(millis in MIN_MILLIS..=MAX_MILLIS) {
            let t = Timestamp::from_millis(millis).unwrap();
            prop_assert_eq!(Timestamp::parse(&t.to_string()), Ok(t));
            prop_assert_eq!(parse_canonical(&t.to_string()), Some(t));
            prop_assert_eq!(t.to_string(), t.as_datetime().to_rfc3339_opts(SecondsFormat::Millis, true));
        }
    }

    /// Every ASCII byte at every position of a canonical timestamp: the fast
    /// path answers only for the canonical shape, and then as chrono does.
    #[test]
    fn fast_path_refuses_any_byte_out_of_shape() {
        let form = b"0000-00-00T00:00:00.000Z";
        for at in 0..24 {
            for c in 0u8..128 {
                let mut b = *b"2024-02-29T13:45:59.123Z";
                b[at] = c;
                let text = std::str::from_utf8(&b).unwrap();
                let shaped = b
                    .iter()
                    .zip(form)
                    .all(|(&x, &f)| if f == b'0' { x.is_ascii_digit() } else { x == f });
                let fast = parse_canonical(text);
                assert_eq!(fast.is_some(), shaped && via_chrono(text).is_some(), "{text}");
                if fast.is_some() {
                    assert_eq!(fast, via_chrono(text), "{text}");
                }
            }
        }
    }

    #[test]
    fn leap_days_and_leap_seconds() {
        assert!(parse_canonical("2024-02-29T00:00:00.000Z").is_some());
        assert!(Timestamp::parse("2023-02-29T00:00:00.000Z").is_err());
        assert!(parse_canonical("2016-12-31T23:59:60.000Z").is_none());
        // A leap second is refused, not moved into the next minute.
        assert!(Timestamp::parse("2016-12-31T23:59:60.500Z").is_err());
    }
}
