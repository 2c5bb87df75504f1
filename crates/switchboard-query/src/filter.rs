//! The filters of a list: fields (lists of values, date ranges), the
//! `Filter` trait the `filter!` macro implements, and `Resource`.

use std::fmt;

use serde_json::{Map, Value};
use switchboard_model::Timestamp;
use switchboard_model::id::{self, Canonical};

use crate::decode::Reader;
use crate::encode::Writer;
use crate::params::DateRange;
use crate::qs::Sub;

/// What the fast path has seen of one parameter while streaming.
#[derive(Debug, Clone, Copy, Default)]
pub struct FastState {
    pub(crate) count: usize,
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

impl<T: fmt::Display + Canonical> FilterField for Vec<T> {
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
        match T::parse_canonical(value) {
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
    type Id: id::Id;
    /// Its filters.
    type Filter: Filter;
}

/// The position of `name` in `params`, at compile time (the filter macro's slots).
#[doc(hidden)]
pub const fn index_of(params: &[&str], name: &str) -> usize {
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

#[doc(hidden)]
#[macro_export]
macro_rules! __filter {
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

        impl $crate::filter::Filter for $name {
            const PARAMS: &'static [&'static str] = &[$(stringify!($field)),*];
            fn slot(name: &str) -> Option<usize> {
                match name {
                    $( stringify!($field) => Some(const { $crate::filter::index_of(<$name as $crate::filter::Filter>::PARAMS, stringify!($field)) }), )*
                    _ => None,
                }
            }
            fn read(r: &mut $crate::decode::Reader<'_>) -> Self {
                const _: () = assert!(<$name as $crate::filter::Filter>::PARAMS.len() <= $crate::decode::MAX_SLOTS - $crate::decode::FILTER_SLOTS);
                let mut slot = $crate::decode::FILTER_SLOTS;
                $name { $( $field: {
                    let v = <$ty as $crate::filter::FilterField>::read(r, slot, stringify!($field));
                    slot += 1;
                    let _ = slot;
                    v
                }, )* }
            }
            fn push_fast(&mut self, index: usize, state: &mut $crate::filter::FastState, sub: &$crate::qs::Sub<'_>, value: &str) -> bool {
                let mut i = 0;
                $(
                    if i == index {
                        return $crate::filter::FilterField::push_fast(&mut self.$field, state, sub, value);
                    }
                    i += 1;
                )*
                let _ = i;
                false
            }
            fn write(&self, w: &mut $crate::encode::Writer) {
                $( $crate::filter::FilterField::write(&self.$field, stringify!($field), w); )*
            }
            fn to_json(&self) -> serde_json::Map<String, serde_json::Value> {
                let mut m = serde_json::Map::new();
                $( if let Some(v) = $crate::filter::FilterField::to_json(&self.$field) { m.insert(stringify!($field).to_owned(), v); } )*
                m
            }
        }

        #[cfg(feature = "proptest")]
        impl proptest::arbitrary::Arbitrary for $name {
            type Parameters = ();
            type Strategy = proptest::strategy::BoxedStrategy<Self>;
            fn arbitrary_with(_: ()) -> Self::Strategy {
                use proptest::strategy::Strategy;
                ( $( <$ty as $crate::arbitrary::FieldStrategy>::strategy(), )* )
                    .prop_map(|($($field,)*)| $name { $($field,)* })
                    .boxed()
            }
        }

        #[doc = concat!("`GET /", $path, "`.")]
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub struct $resource;

        impl $crate::filter::Resource for $resource {
            const PATH: &'static str = $path;
            type Id = $id;
            type Filter = $name;
        }
    };
}
