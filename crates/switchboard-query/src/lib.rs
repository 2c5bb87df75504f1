//! List queries of the switchboard domain (SPEC §6): decode any query string
//! the official clients send into typed, validated parameters; encode them
//! back the way the Node client writes them; and turn a store's rows into
//! pages with exact `has_more_*` flags.
//!
//! ```
//! use switchboard_query::{ListQuery, Order, Position, SessionTemplates};
//!
//! let q = ListQuery::<SessionTemplates>::decode(
//!     "?limit=5&order=desc&status%5B0%5D=active&status%5B1%5D=archived\
//!      &created_at[gt]=2026-01-01T00:00:00.000Z&after=stm_2bCdEfGhJkLmNpQr",
//! )?;
//! assert_eq!(q.limit.get(), 5);
//! assert_eq!(q.order, Order::Desc);
//! assert_eq!(q.filter.status.len(), 2);
//! assert!(matches!(q.position, Some(Position::After(ref id)) if id.as_str() == "stm_2bCdEfGhJkLmNpQr"));
//!
//! // Encoded the way the Node client's `qs` writes it; decoding gives it back.
//! let text = q.encode();
//! assert!(text.starts_with("limit=5&order=desc&after=stm_2bCdEfGhJkLmNpQr&status%5B0%5D=active"));
//! assert_eq!(ListQuery::<SessionTemplates>::decode(&text)?, q);
//!
//! // Errors name the parameter and convert into the API's error body.
//! let err = ListQuery::<SessionTemplates>::decode("limit=0&status=deleted").unwrap_err();
//! assert_eq!(
//!     err.to_string(),
//!     "limit: expected a whole number from 1 to 100, received `0`; \
//!      status[0]: unknown status `deleted`, expected one of `active`, `archived`"
//! );
//! Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use std::borrow::Cow;
use std::fmt;
use std::str::FromStr;

use serde_json::{Map, Value};
use switchboard_model::Timestamp;
use switchboard_model::enums::UnknownValue;
use switchboard_model::error::{ApiError, DisplayPath, ErrorBody, ErrorCode, FieldError, PathSegment};
use switchboard_model::id;

pub mod cursor;
pub mod page;
pub mod qs;

use qs::{Entry, Sub, decode_into, percent_encode, shorten};

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

/// Options for decoding.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct DecodeOptions {
    /// The limits.
    pub limits: Limits,
    /// Unknown parameters.
    pub unknown: UnknownParams,
}

/// Why a query does not decode.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueryError {
    kind: Box<ErrorKind>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum ErrorKind {
    Invalid(Vec<FieldError>),
    BadCursor(String),
    CursorMismatch,
}

impl QueryError {
    pub(crate) fn invalid(code: &str, message: String, path: Vec<PathSegment>) -> QueryError {
        QueryError::from_errors(vec![FieldError::new(code, message, path)])
    }

    pub(crate) fn from_errors(errors: Vec<FieldError>) -> QueryError {
        QueryError {
            kind: Box::new(ErrorKind::Invalid(errors)),
        }
    }

    pub(crate) fn bad_cursor(detail: impl Into<String>) -> QueryError {
        QueryError {
            kind: Box::new(ErrorKind::BadCursor(detail.into())),
        }
    }

    /// The field errors of an `invalid_data` error (empty for cursor errors).
    pub fn errors(&self) -> &[FieldError] {
        match &*self.kind {
            ErrorKind::Invalid(e) => e,
            _ => &[],
        }
    }

    /// The error code of the body.
    pub fn code(&self) -> ErrorCode {
        match &*self.kind {
            ErrorKind::Invalid(_) => ErrorCode::InvalidData,
            _ => ErrorCode::BadRequest,
        }
    }
}

impl fmt::Display for QueryError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &*self.kind {
            ErrorKind::Invalid(errors) => {
                for (i, e) in errors.iter().enumerate() {
                    if i > 0 {
                        f.write_str("; ")?;
                    }
                    if e.path.is_empty() {
                        f.write_str(&e.message)?;
                    } else {
                        write!(f, "{}: {}", DisplayPath(&e.path), e.message)?;
                    }
                }
                Ok(())
            }
            ErrorKind::BadCursor(detail) => write!(f, "Invalid cursor format: {detail}"),
            ErrorKind::CursorMismatch => f.write_str(
                "the cursor was issued for a query with other filters or another order; \
                 send the filters and order it was issued with, or start again without a cursor",
            ),
        }
    }
}

impl std::error::Error for QueryError {}

impl ApiError for QueryError {
    fn error_body(&self) -> ErrorBody {
        match &*self.kind {
            ErrorKind::Invalid(errors) => {
                let body = ErrorBody::invalid_data("query", errors.clone());
                if errors.iter().any(|e| e.message.contains("%2B")) {
                    body.with_hint(
                        "Encode `+` in timestamps as `%2B`: a query string decodes `+` to a space.",
                    )
                } else {
                    body
                }
            }
            ErrorKind::BadCursor(detail) => {
                ErrorBody::bad_request("Invalid cursor format").with_hint(detail.clone())
            }
            ErrorKind::CursorMismatch => ErrorBody::bad_request(self.to_string()),
        }
    }
}

/// A page size: 1 to 100, default 20.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Limit(u8);

impl Limit {
    /// The largest page.
    pub const MAX: Limit = Limit(100);

    /// A limit, if within 1..=100.
    pub fn new(n: u32) -> Option<Limit> {
        (1..=100).contains(&n).then_some(Limit(n as u8))
    }

    /// The value.
    pub fn get(self) -> usize {
        usize::from(self.0)
    }
}

impl Default for Limit {
    fn default() -> Self {
        Limit(20)
    }
}

/// List order by id.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub enum Order {
    /// Ascending (default): oldest first, since ids sort by creation time.
    #[default]
    Asc,
    /// Descending.
    Desc,
}

impl Order {
    /// `asc` or `desc`.
    pub fn as_str(self) -> &'static str {
        match self {
            Order::Asc => "asc",
            Order::Desc => "desc",
        }
    }
}

/// Where a page starts: after or before an id, in list order.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Position<Id> {
    /// Items after this id in list order (the id need not exist).
    After(Id),
    /// Items before this id in list order.
    Before(Id),
}

impl<Id> Position<Id> {
    /// The id.
    pub fn id(&self) -> &Id {
        match self {
            Position::After(id) | Position::Before(id) => id,
        }
    }
}

/// A date range with exclusive (`gt`, `lt`) and, beyond the live service,
/// inclusive (`gte`, `lte`) bounds. At least one bound is set.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct DateRange {
    /// After this instant.
    pub gt: Option<Timestamp>,
    /// At or after this instant.
    pub gte: Option<Timestamp>,
    /// Before this instant.
    pub lt: Option<Timestamp>,
    /// At or before this instant.
    pub lte: Option<Timestamp>,
}

impl DateRange {
    /// Whether `t` lies in the range.
    pub fn contains(&self, t: Timestamp) -> bool {
        self.gt.is_none_or(|b| t > b)
            && self.gte.is_none_or(|b| t >= b)
            && self.lt.is_none_or(|b| t < b)
            && self.lte.is_none_or(|b| t <= b)
    }

    fn bounds(&self) -> [(&'static str, Option<Timestamp>); 4] {
        [
            ("gt", self.gt),
            ("gte", self.gte),
            ("lt", self.lt),
            ("lte", self.lte),
        ]
    }
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
const FILTER_SLOTS: usize = 5;
/// Slots available: pagination plus at most 11 filter parameters.
const MAX_SLOTS: usize = 16;

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
    fn scalar(&mut self, slot: usize, name: &str) -> Option<Cow<'a, str>> {
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

    /// A list parameter of values parsed with `FromStr`; empty when absent.
    fn list<T: FromStr>(&mut self, slot: usize, name: &str) -> Vec<T>
    where
        T::Err: fmt::Display,
    {
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
            match decode_into(e.raw_value, &mut self.scratch).parse::<T>() {
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
    fn range(&mut self, slot: usize, name: &str) -> Option<DateRange> {
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

/// Writes parameters the way the `qs` library does by default
/// (indexed arrays, percent-encoded brackets).
#[derive(Debug, Default)]
pub struct Writer {
    out: String,
}

impl Writer {
    fn pair(&mut self, key: &str, sub: Option<&str>, value: &str) {
        if !self.out.is_empty() {
            self.out.push('&');
        }
        percent_encode(key, &mut self.out);
        if let Some(sub) = sub {
            self.out.push_str("%5B");
            percent_encode(sub, &mut self.out);
            self.out.push_str("%5D");
        }
        self.out.push('=');
        percent_encode(value, &mut self.out);
    }
}

/// What the fast path has seen of one parameter while streaming.
#[derive(Debug, Clone, Copy, Default)]
pub struct FastState {
    count: usize,
    indexed: bool,
    last_index: u32,
}

/// A field of a list filter: a list of values, or a date range.
pub trait FilterField: Sized {
    /// Reads the field from its slot of the query.
    fn read(r: &mut Reader<'_>, slot: usize, name: &str) -> Self;
    /// The fast path: takes one piece as it streams by. Returns `false` for
    /// anything that needs the exact path (an invalid value, an index out of
    /// order, a repeated bound); `state` carries what the field has seen.
    fn push_fast(&mut self, state: &mut FastState, sub: &Sub<'_>, value: &str) -> bool;
    /// Writes the field, if set.
    fn write(&self, name: &str, w: &mut Writer);
    /// The field as JSON, if set.
    fn to_json(&self) -> Option<Value>;
}

impl<T: FromStr + fmt::Display> FilterField for Vec<T>
where
    T::Err: fmt::Display,
{
    fn read(r: &mut Reader<'_>, slot: usize, name: &str) -> Self {
        r.list(slot, name)
    }
    fn push_fast(&mut self, state: &mut FastState, sub: &Sub<'_>, value: &str) -> bool {
        // Plain and `[]` entries keep their order; indexed entries must arrive in order.
        let indexed = match sub {
            Sub::None | Sub::Push => false,
            Sub::Index(i) => {
                if state.count > 0 && (!state.indexed || *i < state.last_index) {
                    return false;
                }
                state.last_index = *i;
                true
            }
            Sub::Key(_) => return false,
        };
        if state.count > 0 && indexed != state.indexed {
            return false;
        }
        state.indexed = indexed;
        state.count += 1;
        match value.parse::<T>() {
            Ok(v) => {
                self.push(v);
                true
            }
            Err(_) => false,
        }
    }
    fn write(&self, name: &str, w: &mut Writer) {
        for (i, v) in self.iter().enumerate() {
            w.pair(name, Some(&i.to_string()), &v.to_string());
        }
    }
    fn to_json(&self) -> Option<Value> {
        (!self.is_empty()).then(|| Value::Array(self.iter().map(|v| Value::String(v.to_string())).collect()))
    }
}

impl FilterField for Option<DateRange> {
    fn read(r: &mut Reader<'_>, slot: usize, name: &str) -> Self {
        r.range(slot, name)
    }
    fn push_fast(&mut self, state: &mut FastState, sub: &Sub<'_>, value: &str) -> bool {
        state.count += 1;
        let Sub::Key(bound) = sub else { return false };
        let range = self.get_or_insert_with(DateRange::default);
        let slot = match &**bound {
            "gt" => &mut range.gt,
            "gte" => &mut range.gte,
            "lt" => &mut range.lt,
            "lte" => &mut range.lte,
            _ => return false,
        };
        if slot.is_some() {
            return false;
        }
        match Timestamp::parse(value) {
            Ok(t) => {
                *slot = Some(t);
                true
            }
            Err(_) => false,
        }
    }
    fn write(&self, name: &str, w: &mut Writer) {
        for (bound, t) in self.iter().flat_map(DateRange::bounds) {
            if let Some(t) = t {
                w.pair(name, Some(bound), &t.to_string());
            }
        }
    }
    fn to_json(&self) -> Option<Value> {
        self.map(|r| {
            Value::Object(
                r.bounds()
                    .into_iter()
                    .map(|(k, t)| {
                        (
                            k.to_owned(),
                            t.map_or(Value::Null, |t| Value::String(t.to_string())),
                        )
                    })
                    .collect(),
            )
        })
    }
}

/// The filters of one list.
pub trait Filter: Default + Clone + PartialEq + fmt::Debug {
    /// The filter parameters, in order (at most 11).
    const PARAMS: &'static [&'static str];
    /// The index of a filter parameter in [`Filter::PARAMS`].
    fn slot(name: &str) -> Option<usize> {
        Self::PARAMS.iter().position(|p| *p == name)
    }
    /// Reads every filter parameter.
    fn read(r: &mut Reader<'_>) -> Self;
    /// The fast path for one piece of filter parameter `index` (see [`FilterField::push_fast`]).
    fn push_fast(&mut self, index: usize, state: &mut FastState, sub: &Sub<'_>, value: &str) -> bool;
    /// Writes the filters that are set.
    fn write(&self, w: &mut Writer);
    /// The filters that are set, as JSON.
    fn to_json(&self) -> Map<String, Value>;
}

/// A list endpoint: its path, id type and filters.
pub trait Resource: fmt::Debug + Clone + Copy + PartialEq + Eq + 'static {
    /// The path (`session-templates`).
    const PATH: &'static str;
    /// The id type of its items.
    type Id: Clone + Ord + fmt::Debug + fmt::Display + FromStr<Err = id::IdError> + AsRef<str>;
    /// Its filters.
    type Filter: Filter;
}

/// The position of `name` in `params`, at compile time (the filter macro's slots).
const fn index_of(params: &[&str], name: &str) -> usize {
    let mut i = 0;
    while i < params.len() {
        let (a, b) = (params[i].as_bytes(), name.as_bytes());
        if a.len() == b.len() {
            let mut j = 0;
            while j < a.len() && a[j] == b[j] {
                j += 1;
            }
            if j == a.len() {
                return i;
            }
        }
        i += 1;
    }
    panic!("a filter field is missing from PARAMS")
}

macro_rules! filter {
    (
        $(#[$meta:meta])*
        pub struct $name:ident for $resource:ident ($path:literal, $id:ty) {
            $( $(#[$fmeta:meta])* $field:ident: $ty:ty, )*
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Default, PartialEq, Eq)]
        pub struct $name {
            $( $(#[$fmeta])* pub $field: $ty, )*
        }

        impl Filter for $name {
            const PARAMS: &'static [&'static str] = &[$(stringify!($field)),*];
            fn slot(name: &str) -> Option<usize> {
                match name {
                    $( stringify!($field) => Some(const { index_of($name::PARAMS, stringify!($field)) }), )*
                    _ => None,
                }
            }
            fn read(r: &mut Reader<'_>) -> Self {
                const _: () = assert!($name::PARAMS.len() <= MAX_SLOTS - FILTER_SLOTS);
                let mut slot = FILTER_SLOTS;
                $name { $( $field: {
                    let v = <$ty as FilterField>::read(r, slot, stringify!($field));
                    slot += 1;
                    let _ = slot;
                    v
                }, )* }
            }
            fn push_fast(&mut self, index: usize, state: &mut FastState, sub: &Sub<'_>, value: &str) -> bool {
                let mut i = 0;
                $(
                    if i == index {
                        return self.$field.push_fast(state, sub, value);
                    }
                    i += 1;
                )*
                let _ = i;
                false
            }
            fn write(&self, w: &mut Writer) {
                $( self.$field.write(stringify!($field), w); )*
            }
            fn to_json(&self) -> Map<String, Value> {
                let mut m = Map::new();
                $( if let Some(v) = self.$field.to_json() { m.insert(stringify!($field).to_owned(), v); } )*
                m
            }
        }

        #[doc = concat!("`GET /", $path, "`.")]
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub struct $resource;

        impl Resource for $resource {
            const PATH: &'static str = $path;
            type Id = $id;
            type Filter = $name;
        }
    };
}

macro_rules! status_filter {
    ($(#[$meta:meta])* $name:ident { $($variant:ident = $text:literal,)* }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum $name {
            $( #[doc = concat!("`", $text, "`")] $variant, )*
        }

        impl $name {
            /// The accepted values.
            pub const VALUES: &'static [&'static str] = &[$($text),*];
        }

        impl FromStr for $name {
            type Err = UnknownValue;
            fn from_str(s: &str) -> Result<Self, UnknownValue> {
                match s {
                    $( $text => Ok(Self::$variant), )*
                    other => Err(UnknownValue { what: "status", found: shorten(other), expected: Self::VALUES }),
                }
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(match self { $( Self::$variant => $text, )* })
            }
        }
    };
}

status_filter! {
    /// The statuses a template list filters on (`deleted` is never listed).
    TemplateStatus { Active = "active", Archived = "archived", }
}

status_filter! {
    /// The statuses a setup-session list filters on.
    SetupSessionStatus {
        Pending = "pending",
        Successful = "successful",
        Expired = "expired",
        Archived = "archived",
        Deleted = "deleted",
    }
}

filter! {
    /// Filters of `GET /session-templates`. Without `status`, only active templates are listed.
    pub struct SessionTemplateFilter for SessionTemplates ("session-templates", id::SessionTemplateId) {
        /// `status`
        status: Vec<TemplateStatus>,
        /// `id`
        id: Vec<id::SessionTemplateId>,
        /// Templates used by these sessions.
        session_id: Vec<id::SessionId>,
        /// Templates used by these session providers.
        session_provider_id: Vec<id::SessionProviderId>,
        /// Templates with these providers.
        provider_id: Vec<id::ProviderId>,
        /// Templates with these deployments.
        provider_deployment_id: Vec<id::ProviderDeploymentId>,
        /// Templates with these configs.
        provider_config_id: Vec<id::ProviderConfigId>,
        /// Templates with these auth configs.
        provider_auth_config_id: Vec<id::ProviderAuthConfigId>,
        /// Creation time.
        created_at: Option<DateRange>,
        /// Last update time.
        updated_at: Option<DateRange>,
    }
}

filter! {
    /// Filters of `GET /session-template-providers`.
    pub struct SessionTemplateProviderFilter for SessionTemplateProviders ("session-template-providers", id::SessionTemplateProviderId) {
        /// `status`
        status: Vec<TemplateStatus>,
        /// `id`
        id: Vec<id::SessionTemplateProviderId>,
        /// Providers of these templates.
        session_template_id: Vec<id::SessionTemplateId>,
        /// Of these providers.
        provider_id: Vec<id::ProviderId>,
        /// With these deployments.
        provider_deployment_id: Vec<id::ProviderDeploymentId>,
        /// With these configs.
        provider_config_id: Vec<id::ProviderConfigId>,
        /// With these auth configs.
        provider_auth_config_id: Vec<id::ProviderAuthConfigId>,
        /// Creation time.
        created_at: Option<DateRange>,
        /// Last update time.
        updated_at: Option<DateRange>,
    }
}

filter! {
    /// Filters of `GET /integration-setup-sessions`.
    pub struct SetupSessionFilter for IntegrationSetupSessions ("integration-setup-sessions", id::IntegrationSetupSessionId) {
        /// `status`
        status: Vec<SetupSessionStatus>,
        /// `id`
        id: Vec<id::IntegrationSetupSessionId>,
        /// Sessions of these integrations.
        integration_id: Vec<id::IntegrationId>,
        /// Sessions of these instances.
        integration_instance_id: Vec<id::IntegrationInstanceId>,
        /// Creation time.
        created_at: Option<DateRange>,
        /// Last update time.
        updated_at: Option<DateRange>,
    }
}

/// The pagination parameters every list takes.
const LIST_PARAMS: &[&str] = &["limit", "after", "before", "cursor", "order"];

/// A decoded list query: page size, order, position and the list's filters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListQuery<R: Resource> {
    /// The page size.
    pub limit: Limit,
    /// The order by id.
    pub order: Order,
    /// Where the page starts, from whichever of `after`, `before`, `cursor` won.
    pub position: Option<Position<R::Id>>,
    /// The filters.
    pub filter: R::Filter,
}

impl<R: Resource> Default for ListQuery<R> {
    fn default() -> Self {
        ListQuery {
            limit: Limit::default(),
            order: Order::Asc,
            position: None,
            filter: R::Filter::default(),
        }
    }
}

impl<R: Resource> ListQuery<R> {
    /// Decodes with the default options (limits on, unknown parameters ignored).
    pub fn decode(query: &str) -> Result<Self, QueryError> {
        Self::decode_with(query, &DecodeOptions::default())
    }

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
        let mut scalars: [Option<&str>; FILTER_SLOTS] = [None; FILTER_SLOTS];
        let mut states = [FastState::default(); MAX_SLOTS - FILTER_SLOTS];
        let filter = &mut self.filter;
        let mut unknown: Vec<Cow<'_, str>> = Vec::new();
        let mut distinct = 0usize;
        let mut scratch = qs::Scratch::new();
        let ok = qs::for_each_piece(query, limits, |name, sub, raw, needs_decoding| {
            let fine = if let Some(slot) = list_slot(&name) {
                distinct += 1;
                // A scalar given twice, or with brackets, needs the exact path.
                sub == Sub::None && scalars[slot].replace(raw).is_none()
            } else if let Some(i) = R::Filter::slot(&name) {
                distinct += usize::from(states[i].count == 0);
                let value = if needs_decoding { scratch.decode(raw) } else { raw };
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
                Err(QueryError::bad_cursor(String::new()))
            }
        });
        ok.ok()?;
        if let Some(raw) = scalars[LIMIT] {
            let text = scratch.decode(raw);
            if !text.bytes().all(|b| b.is_ascii_digit()) {
                return None;
            }
            self.limit = Limit::new(text.parse().ok()?)?;
        }
        self.order = match scalars[ORDER].map(|raw| scratch.decode(raw)) {
            None | Some("asc") => Order::Asc,
            Some("desc") => Order::Desc,
            Some(_) => return None,
        };
        self.position = match (scalars[AFTER], scalars[BEFORE], scalars[CURSOR]) {
            (Some(raw), _, _) => Some(Position::After(scratch.decode(raw).parse().ok()?)),
            (None, Some(raw), _) => Some(Position::Before(scratch.decode(raw).parse().ok()?)),
            (None, None, Some(raw)) => Some(self.position_from_cursor(scratch.decode(raw)).ok()?),
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
            return Err(QueryError {
                kind: Box::new(ErrorKind::CursorMismatch),
            });
        }
        let id =
            c.id.parse::<R::Id>()
                .map_err(|e| QueryError::bad_cursor(e.to_string()))?;
        Ok(match c.direction {
            cursor::Direction::After => Position::After(id),
            cursor::Direction::Before => Position::Before(id),
        })
    }

    /// The exact path: reads every parameter through its slot, reporting every
    /// error with its path. [`ListQuery::decode_with`] uses it whenever the fast
    /// path declines; the results agree wherever both succeed.
    #[doc(hidden)]
    pub fn decode_exact(query: &str, options: &DecodeOptions) -> Result<Self, QueryError> {
        let mut r = Reader::new(options.limits);
        r.parse::<R::Filter>(query)?;
        let limit = match r.scalar(LIMIT, "limit") {
            None => Limit::default(),
            Some(text) => match text
                .parse::<u32>()
                .ok()
                .filter(|_| text.bytes().all(|b| b.is_ascii_digit()))
                .and_then(Limit::new)
            {
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
                    Limit::default()
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
                match text.parse::<R::Id>() {
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

    /// Encodes the way the Node client's `qs` does: indexed arrays, percent-encoded
    /// brackets, timestamps as `toISOString()`. Defaults (`limit=20`, `order=asc`)
    /// are left out.
    pub fn encode(&self) -> String {
        let mut w = Writer::default();
        if self.limit != Limit::default() {
            w.pair("limit", None, &self.limit.get().to_string());
        }
        if self.order != Order::Asc {
            w.pair("order", None, self.order.as_str());
        }
        match &self.position {
            Some(Position::After(id)) => w.pair("after", None, id.as_ref()),
            Some(Position::Before(id)) => w.pair("before", None, id.as_ref()),
            None => {}
        }
        self.filter.write(&mut w);
        w.out
    }

    /// A fingerprint of the filters and order, which a bound cursor carries.
    pub fn binding(&self) -> String {
        let mut w = Writer::default();
        w.pair("order", None, self.order.as_str());
        self.filter.write(&mut w);
        cursor::fingerprint(&w.out)
    }

    /// A cursor for `position`, bound to this query's filters and order.
    pub fn cursor(&self, position: &Position<R::Id>) -> String {
        let (direction, id) = match position {
            Position::After(id) => (cursor::Direction::After, id),
            Position::Before(id) => (cursor::Direction::Before, id),
        };
        cursor::Cursor {
            direction,
            id: id.to_string(),
            binding: Some(self.binding()),
        }
        .encode()
    }

    /// The query as JSON: `{"limit":20,"order":"asc","after":null,"before":null,"filters":{...}}`
    /// (the [`serde::Serialize`] form, whose keys keep that order).
    pub fn to_json(&self) -> Value {
        serde_json::to_value(self).unwrap_or(Value::Null)
    }

    /// Reads the JSON form of [`ListQuery::to_json`] (every key optional), with the
    /// same rules as decoding a query string; paths name the parameter.
    pub fn from_json(value: &Value) -> Result<Self, QueryError> {
        let bad = |path: &str, what: &str| {
            QueryError::invalid(
                "invalid_type",
                format!("expected {what}"),
                vec![PathSegment::from(path)],
            )
        };
        let obj = value.as_object().ok_or_else(|| bad("(root)", "a JSON object"))?;
        let mut w = Writer::default();
        for key in ["limit", "order", "after", "before", "cursor"] {
            match obj.get(key) {
                None | Some(Value::Null) => {}
                Some(Value::String(s)) => w.pair(key, None, s),
                Some(Value::Number(n)) if key == "limit" => w.pair(key, None, &n.to_string()),
                Some(_) => return Err(bad(key, "a string")),
            }
        }
        match obj.get("filters") {
            None | Some(Value::Null) => {}
            Some(Value::Object(filters)) => {
                for (name, v) in filters {
                    match v {
                        Value::Array(items) => {
                            for (i, item) in items.iter().enumerate() {
                                let s = item.as_str().ok_or_else(|| bad(name, "an array of strings"))?;
                                w.pair(name, Some(&i.to_string()), s);
                            }
                        }
                        Value::String(s) => w.pair(name, None, s),
                        Value::Object(bounds) => {
                            for (b, t) in bounds {
                                match t {
                                    Value::Null => {}
                                    Value::String(s) => w.pair(name, Some(b), s),
                                    _ => return Err(bad(name, "timestamps as strings")),
                                }
                            }
                        }
                        _ => return Err(bad(name, "an array of strings or a date range object")),
                    }
                }
            }
            Some(_) => return Err(bad("filters", "an object")),
        }
        let options = DecodeOptions {
            unknown: UnknownParams::Reject,
            ..DecodeOptions::default()
        };
        Self::decode_with(&w.out, &options)
    }
}

impl<R: Resource> serde::Serialize for ListQuery<R> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let (after, before) = match &self.position {
            Some(Position::After(id)) => (Some(id.as_ref()), None),
            Some(Position::Before(id)) => (None, Some(id.as_ref())),
            None => (None, None),
        };
        let mut m = s.serialize_map(Some(5))?;
        m.serialize_entry("limit", &self.limit.get())?;
        m.serialize_entry("order", self.order.as_str())?;
        m.serialize_entry("after", &after)?;
        m.serialize_entry("before", &before)?;
        m.serialize_entry("filters", &self.filter.to_json())?;
        m.end()
    }
}
