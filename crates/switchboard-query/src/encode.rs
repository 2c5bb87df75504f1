//! Encoding a query the way the Node client's `qs` writes it, and its JSON form.

use serde_json::Value;
use switchboard_model::error::PathSegment;

use crate::decode::{DecodeOptions, UnknownParams};
use crate::error::QueryError;
use crate::filter::{Filter, Resource};
use crate::params::{Order, PageSize, Position};
use crate::qs::percent_encode;
use crate::{ListQuery, cursor};

/// Writes parameters the way the `qs` library does by default
/// (indexed arrays, percent-encoded brackets).
#[derive(Debug, Default)]
pub struct Writer {
    out: String,
}

impl Writer {
    pub(crate) fn pair(&mut self, key: &str, sub: Option<&str>, value: &str) {
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

impl<R: Resource> ListQuery<R> {
    /// Encodes the way the Node client's `qs` does: indexed arrays, percent-encoded
    /// brackets, timestamps as `toISOString()`. Defaults (`limit=20`, `order=asc`)
    /// are left out.
    pub fn encode(&self) -> String {
        let mut w = Writer::default();
        if self.limit != PageSize::default() {
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
