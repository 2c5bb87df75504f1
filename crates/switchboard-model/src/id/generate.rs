//! Generating ids: the 22-character, time-sortable body, and batches that
//! stay in order within one millisecond.

use super::{Id, IdProblem};
use crate::error::Error;
use crate::timestamp::Timestamp;

const BASE62: &[u8; 62] = crate::codec::BASE62_ALPHABET;
const BASE36: &[u8; 36] = b"0123456789abcdefghijklmnopqrstuvwxyz";

/// How many values the 13 random characters of a generated body can hold: 62^13.
pub const RANDOM_SPACE: u128 = 200_028_539_268_669_788_905_472;

/// Builds a 22-character id body from a creation time and 13 characters' worth
/// of randomness (`random` modulo [`RANDOM_SPACE`], most significant digit first,
/// so that a larger value sorts later).
pub(crate) fn generate_body(created_at: Timestamp, random: u128) -> Result<String, IdProblem> {
    let millis = created_at.as_millis();
    // 36^9 - 1 milliseconds after the epoch is in the year 5188.
    const MAX_MILLIS: i64 = 101_559_956_668_415;
    if !(0..=MAX_MILLIS).contains(&millis) {
        return Err(IdProblem::TimeOutOfRange(created_at));
    }
    let mut out = [0u8; super::GENERATED_BODY_LEN];
    let mut t = millis as u64;
    for slot in out[..9].iter_mut().rev() {
        *slot = BASE36[(t % 36) as usize];
        t /= 36;
    }
    let mut r = random % RANDOM_SPACE;
    for slot in out[9..].iter_mut().rev() {
        *slot = BASE62[(r % 62) as usize];
        r /= 62;
    }
    Ok(out.iter().map(|&b| b as char).collect())
}

/// Generates the ids of a batch so that each sorts after the one before, even
/// within one millisecond (ULID's monotonic mode): in the same millisecond as
/// the last id (or earlier, if the clock stepped back), the random part is the
/// last one plus one; in a later millisecond it is fresh randomness.
///
/// ```
/// use switchboard_model::Timestamp;
/// use switchboard_model::id::{IdGenerator, SessionTemplateProviderId};
///
/// let now: Timestamp = "2026-01-01T00:00:00.000Z".parse()?;
/// let mut ids = IdGenerator::new();
/// // Randomness that happens to decrease: the ids still increase.
/// let a: SessionTemplateProviderId = ids.next(now, 900)?;
/// let b: SessionTemplateProviderId = ids.next(now, 5)?;
/// assert!(a < b);
/// Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct IdGenerator {
    last: Option<(Timestamp, u128)>,
}

impl IdGenerator {
    /// A generator that has made no id yet.
    pub fn new() -> IdGenerator {
        IdGenerator::default()
    }

    /// The next id of kind `I` at `now`, from `random` unless it must follow the last one.
    pub fn next<I: Id>(&mut self, now: Timestamp, random: u128) -> Result<I, Error> {
        let (time, value) = match self.last {
            Some((t, v)) if now <= t => match v.checked_add(1).filter(|n| *n < RANDOM_SPACE) {
                Some(n) => (t, n),
                // 62^13 ids in one millisecond: move to the next one.
                None => (t.checked_add_millis(1).ok_or(IdProblem::TimeOutOfRange(t))?, 0),
            },
            _ => (now, random % RANDOM_SPACE),
        };
        let id = I::generate(time, value)?;
        self.last = Some((time, value));
        Ok(id)
    }
}
