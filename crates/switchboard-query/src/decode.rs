//! Phase 2 of decoding: an allow-list of parameters onto typed values.
//! Two paths: `decode_fast` streams the common case straight into the result
//! and declines anything unusual; `decode_exact` sorts pieces into slots and
//! reports every error with its path.

use std::borrow::Cow;

use switchboard_model::Timestamp;
use switchboard_model::error::{FieldError, PathSegment};
use switchboard_model::id::{Canonical, Id};

use crate::error::QueryError;
use crate::filter::{FastState, Filter, Resource};
use crate::params::{DateRange, Order, PageSize, Position};
use crate::qs::{self, Entry, Sub, decode_into, shorten};
use crate::{ListQuery, cursor};

/// Limits on a query; on by default.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Longest query string, in bytes (16 KiB).
    pub max_query_len: usize,
    /// Most distinct parameter names (64); repeated keys of one list count once.
    pub max_params: usize,
    /// Most values in one list parameter (100).
    pub max_values: usize,
    /// Deepest nesting, counting the name as one level: `created_at[gt]` is 2 (2).
    pub max_depth: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_query_len: 16 * 1024,
            max_params: 64,
            max_values: 100,
            max_depth: 2,
        }
    }
}

/// What to do with parameters the list does not know.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum UnknownParams {
    /// Ignore them, as the live service does.
    #[default]
    Ignore,
    /// Reject them, naming each and listing the accepted ones.
    Reject,
}

/// The pagination parameters every list takes.
pub(crate) const LIST_PARAMS: &[&str] = &["limit", "after", "before", "cursor", "order"];

/// Options for decoding.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct DecodeOptions {
    /// The limits.
    pub limits: Limits,
    /// Unknown parameters.
    pub unknown: UnknownParams,
}

// ---------------------------------------------------------------------------
// Phase 2: an allow-list of parameters onto typed values.

/// The slots of the pagination parameters; a list's filter parameters follow.
const LIMIT: usize = 0;
const AFTER: usize = 1;
const BEFORE: usize = 2;
const CURSOR: usize = 3;
const ORDER: usize = 4;
/// The first slot of a filter parameter.
pub(crate) const FILTER_SLOTS: usize = 5;
/// Slots available: pagination plus at most 11 filter parameters.
pub(crate) const MAX_SLOTS: usize = 16;

/// The slot of a pagination parameter.
fn list_slot(name: &str) -> Option<usize> {
    match name {
        "limit" => Some(LIMIT),
        "after" => Some(AFTER),
        "before" => Some(BEFORE),
        "cursor" => Some(CURSOR),
        "order" => Some(ORDER),
        _ => None,
    }
}

/// Reads typed values out of a query, collecting every error. Phase 1 sorts
/// each piece into the slot of its parameter in one pass; phase 2 reads slots.
#[derive(Debug)]
pub struct Reader<'a> {
    slots: [Vec<Entry<'a>>; MAX_SLOTS],
    /// Distinct names of parameters the list does not know.
    unknown: Vec<Cow<'a, str>>,
    limits: Limits,
    errors: Vec<FieldError>,
    /// Reused for percent-decoding values.
    scratch: String,
}

impl<'a> Reader<'a> {
    fn new(limits: Limits) -> Self {
        Reader {
            slots: Default::default(),
            unknown: Vec::new(),
            limits,
            errors: Vec::new(),
            scratch: String::new(),
        }
    }

    /// Phase 1: sorts every piece of `query` into its slot (in place: the reader is large).
    fn parse<F: Filter>(&mut self, query: &'a str) -> Result<(), QueryError> {
        let limits = self.limits;
        let r = self;
        let mut distinct = 0usize;
        qs::for_each_piece(query, &limits, |name, sub, raw_value, _| {
            let slot = list_slot(&name).or_else(|| F::slot(&name).map(|i| FILTER_SLOTS + i));
            let new = match slot {
                Some(i) => {
                    r.slots[i].push(Entry { sub, raw_value });
                    r.slots[i].len() == 1
                }
                None if r.unknown.contains(&name) => false,
                None => {
                    r.unknown.push(name);
                    true
                }
            };
            distinct += usize::from(new);
            if distinct > limits.max_params {
                return Err(qs::too_many_params(&limits));
            }
            Ok(())
        })
    }

    fn error(&mut self, code: &str, message: String, path: Vec<PathSegment>) {
        self.errors.push(FieldError::new(code, message, path));
    }

    /// A parameter that takes one plain value.
    pub(crate) fn scalar(&mut self, slot: usize, name: &str) -> Option<Cow<'a, str>> {
        let entries = &self.slots[slot];
        let first = entries.first()?;
        if entries.len() > 1 {
            let n = entries.len();
            self.error(
                "invalid_type",
                format!("given {n} times; `{name}` takes one value"),
                vec![PathSegment::from(name)],
            );
            return None;
        }
        if first.sub != Sub::None {
            self.error(
                "invalid_type",
                format!("`{name}` takes a single value, not `{name}[...]`"),
                vec![PathSegment::from(name)],
            );
            return None;
        }
        Some(first.value())
    }

    /// A list parameter of values in canonical form; empty when absent.
    pub(crate) fn list<T: Canonical>(&mut self, slot: usize, name: &str) -> Vec<T> {
        let mut entries = std::mem::take(&mut self.slots[slot]);
        if entries.is_empty() {
            return Vec::new();
        }
        if entries.len() > self.limits.max_values {
            self.error(
                "too_big",
                format!(
                    "{} values, more than the limit of {}",
                    entries.len(),
                    self.limits.max_values
                ),
                vec![PathSegment::from(name)],
            );
            return Vec::new();
        }
        if let Some(Entry { sub: Sub::Key(k), .. }) = entries.iter().find(|e| matches!(e.sub, Sub::Key(_))) {
            let message = format!(
                "expected a list such as `{name}[0]=...`, found `{name}[{}]`",
                shorten(k)
            );
            self.error("invalid_type", message, vec![PathSegment::from(name)]);
            return Vec::new();
        }
        // `qs` sorts indexed entries and closes gaps (a stable sort keeps repeats
        // in order); other forms keep the order given.
        let index = |e: &Entry<'_>| match e.sub {
            Sub::Index(i) => Some(i),
            _ => None,
        };
        if entries.iter().all(|e| index(e).is_some()) {
            entries.sort_by_key(index);
        }
        let mut out = Vec::with_capacity(entries.len());
        for (i, e) in entries.iter().enumerate() {
            match T::parse_canonical(decode_into(e.raw_value, &mut self.scratch)) {
                Ok(v) => out.push(v),
                Err(err) => {
                    let path = vec![PathSegment::from(name), PathSegment::from(i)];
                    self.errors
                        .push(FieldError::new("invalid_value", err.to_string(), path));
                }
            }
        }
        out
    }

    /// A date range parameter (`name[gt]=...`).
    pub(crate) fn range(&mut self, slot: usize, name: &str) -> Option<DateRange> {
        let entries = std::mem::take(&mut self.slots[slot]);
        if entries.is_empty() {
            return None;
        }
        let mut range = DateRange::default();
        let mut ok = true;
        for e in &entries {
            let Sub::Key(bound) = &e.sub else {
                self.error(
                    "invalid_type",
                    format!("expected a date range such as `{name}[gt]=2026-01-01T00:00:00.000Z`"),
                    vec![PathSegment::from(name)],
                );
                ok = false;
                continue;
            };
            let path = vec![PathSegment::from(name), PathSegment::Key(bound.to_string())];
            let slot = match &**bound {
                "gt" => &mut range.gt,
                "gte" => &mut range.gte,
                "lt" => &mut range.lt,
                "lte" => &mut range.lte,
                other => {
                    let message = format!(
                        "unknown bound `{}`, expected one of `gt`, `gte`, `lt`, `lte`",
                        shorten(other)
                    );
                    self.error("unrecognized_keys", message, path);
                    ok = false;
                    continue;
                }
            };
            if slot.is_some() {
                self.errors.push(FieldError::new(
                    "invalid_type",
                    format!("`{name}[{bound}]` given more than once"),
                    path,
                ));
                ok = false;
                continue;
            }
            match Timestamp::parse(decode_into(e.raw_value, &mut self.scratch)) {
                Ok(t) => *slot = Some(t),
                Err(err) => {
                    self.errors
                        .push(FieldError::new("invalid_date", err.to_string(), path));
                    ok = false;
                }
            }
        }
        ok.then_some(range)
    }

    fn finish(&mut self, unknown: UnknownParams, filter_params: &[&str]) -> Result<(), QueryError> {
        if unknown == UnknownParams::Reject {
            let accepted: Vec<&str> = LIST_PARAMS.iter().chain(filter_params).copied().collect();
            for name in &self.unknown {
                self.errors.push(FieldError::new(
                    "unrecognized_keys",
                    format!(
                        "unknown parameter `{}`, expected one of {}",
                        shorten(name),
                        switchboard_model::enums::list_values(&accepted)
                    ),
                    vec![PathSegment::Key(name.to_string())],
                ));
            }
        }
        if self.errors.is_empty() {
            Ok(())
        } else {
            Err(QueryError::from_errors(std::mem::take(&mut self.errors)))
        }
    }
}

/// An id from a caller, in its canonical form (`set_X` becomes `stm_X`), so
/// that positions and filters compare with stored ids whichever alias was sent.
fn parse_id<I: Id>(text: &str) -> Result<I, switchboard_model::Error> {
    I::parse_canonical(text)
}

/// The fast path's answer "not mine": the exact path takes the query.
struct Decline;

impl From<QueryError> for Decline {
    fn from(_: QueryError) -> Decline {
        Decline
    }
}

impl<R: Resource> ListQuery<R> {
    /// Decodes with `options`.
    pub fn decode_with(query: &str, options: &DecodeOptions) -> Result<Self, QueryError> {
        let mut q = Self::default();
        if options.unknown == UnknownParams::Ignore && q.decode_fast(query, &options.limits).is_some() {
            return Ok(q);
        }
        Self::decode_exact(query, options)
    }

    /// One streaming pass for the common case, into `self` (a default query):
    /// values go straight into the result. `None` for anything else (any error,
    /// indices out of order, a limit reached), which [`ListQuery::decode_exact`]
    /// then handles.
    fn decode_fast(&mut self, query: &str, limits: &Limits) -> Option<()> {
        // Each pagination parameter's raw value, and whether it needs percent-decoding.
        let mut scalars: [Option<(&str, bool)>; FILTER_SLOTS] = [None; FILTER_SLOTS];
        let mut states = [FastState::default(); MAX_SLOTS - FILTER_SLOTS];
        let filter = &mut self.filter;
        let mut unknown: Vec<Cow<'_, str>> = Vec::new();
        let mut distinct = 0usize;
        let mut scratch = qs::Scratch::new();
        let ok = qs::for_each_piece(query, limits, |name, sub, raw, needs_decoding| {
            let fine = if let Some(slot) = list_slot(&name) {
                distinct += 1;
                // A scalar given twice, or with brackets, needs the exact path.
                sub == Sub::None && scalars[slot].replace((raw, needs_decoding)).is_none()
            } else if let Some(i) = R::Filter::slot(&name) {
                distinct += usize::from(states[i].count == 0);
                let value = scratch.value(raw, needs_decoding);
                filter.push_fast(i, &mut states[i], &sub, value) && states[i].count <= limits.max_values
            } else {
                if !unknown.contains(&name) {
                    unknown.push(name);
                    distinct += 1;
                }
                true
            };
            if fine && distinct <= limits.max_params {
                Ok(())
            } else {
                Err(Decline)
            }
        });
        ok.ok()?;
        // The tokenizer has already looked: a plain value is used as it is.
        if let Some((raw, d)) = scalars[LIMIT] {
            self.limit = PageSize::parse(scratch.value(raw, d))?;
        }
        self.order = match scalars[ORDER].map(|(raw, d)| scratch.value(raw, d)) {
            None | Some("asc") => Order::Asc,
            Some("desc") => Order::Desc,
            Some(_) => return None,
        };
        self.position = match (scalars[AFTER], scalars[BEFORE], scalars[CURSOR]) {
            (Some((raw, d)), _, _) => Some(Position::After(parse_id::<R::Id>(scratch.value(raw, d)).ok()?)),
            (None, Some((raw, d)), _) => {
                Some(Position::Before(parse_id::<R::Id>(scratch.value(raw, d)).ok()?))
            }
            (None, None, Some((raw, d))) => Some(self.position_from_cursor(scratch.value(raw, d)).ok()?),
            (None, None, None) => None,
        };
        Some(())
    }

    /// The position a cursor names, checked against this query's filters and order.
    fn position_from_cursor(&self, text: &str) -> Result<Position<R::Id>, QueryError> {
        let c = cursor::Cursor::decode(text)?;
        if let Some(binding) = &c.binding
            && *binding != self.binding()
        {
            return Err(QueryError::cursor_mismatch());
        }
        let id = parse_id::<R::Id>(&c.id).map_err(|e| QueryError::bad_cursor(e.to_string()))?;
        Ok(match c.direction {
            cursor::Direction::After => Position::After(id),
            cursor::Direction::Before => Position::Before(id),
        })
    }

    /// The exact path: reads every parameter through its slot, reporting every
    /// error with its path. [`ListQuery::decode_with`] uses it whenever the fast
    /// path declines; the results agree wherever both succeed.
    #[doc(hidden)]
    #[inline(never)]
    pub fn decode_exact(query: &str, options: &DecodeOptions) -> Result<Self, QueryError> {
        let mut r = Reader::new(options.limits);
        r.parse::<R::Filter>(query)?;
        let limit = match r.scalar(LIMIT, "limit") {
            None => PageSize::default(),
            Some(text) => match PageSize::parse(&text) {
                Some(l) => l,
                None => {
                    r.error(
                        "invalid_type",
                        format!(
                            "expected a whole number from 1 to 100, received `{}`",
                            shorten(&text)
                        ),
                        vec![PathSegment::from("limit")],
                    );
                    PageSize::default()
                }
            },
        };
        let order = match r.scalar(ORDER, "order").as_deref() {
            None | Some("asc") => Order::Asc,
            Some("desc") => Order::Desc,
            Some(other) => {
                r.error(
                    "invalid_enum_value",
                    format!(
                        "unknown order `{}`, expected one of `asc`, `desc`",
                        shorten(other)
                    ),
                    vec![PathSegment::from("order")],
                );
                Order::Asc
            }
        };
        // The first present of `after`, `before`, `cursor` wins; the others are ignored unread.
        let mut position = None;
        let mut cursor_text = None;
        if let Some((slot, name)) = [(AFTER, "after"), (BEFORE, "before"), (CURSOR, "cursor")]
            .into_iter()
            .find(|(s, _)| !r.slots[*s].is_empty())
            && let Some(text) = r.scalar(slot, name)
        {
            if slot == CURSOR {
                cursor_text = Some(text);
            } else {
                match parse_id::<R::Id>(&text) {
                    Ok(id) => {
                        position = Some(if slot == AFTER {
                            Position::After(id)
                        } else {
                            Position::Before(id)
                        })
                    }
                    Err(e) => r.error("invalid_value", e.to_string(), vec![PathSegment::from(name)]),
                }
            }
        }
        let filter = R::Filter::read(&mut r);
        r.finish(options.unknown, R::Filter::PARAMS)?;
        let mut query = ListQuery {
            limit,
            order,
            position,
            filter,
        };
        if let Some(text) = cursor_text {
            query.position = Some(query.position_from_cursor(&text)?);
        }
        Ok(query)
    }
}
