//! Decoding JSON into model types with errors that name the JSON path.
//!
//! Responses may carry keys a client does not know: [`from_str`] ignores
//! them. Request bodies can be checked with [`from_str_strict`], which
//! reports every unknown key with its path.
//!
//! Ids are liberal in responses and strict from callers (contract §2): an id
//! with a well-formed body and another kind's prefix decodes and is kept as
//! written (`is_foreign()` says so), because the service is the authority and
//! has added prefixes before; strict mode refuses it with its path. Ids in
//! request bodies, URL paths and query filters are always strict.
//!
//! ```
//! use switchboard_model::decode;
//! use switchboard_model::request::CreateSessionTemplate;
//! use switchboard_model::error::ApiError;
//!
//! let err = decode::from_str::<CreateSessionTemplate>(r#"{"name": "x", "providers": [{"tool_filters": []}]}"#)
//!     .unwrap_err();
//! assert_eq!(err.path_string(), "providers[0]");
//! assert_eq!(err.error_body().status, 400);
//!
//! let err = decode::from_str_strict::<CreateSessionTemplate>(r#"{"name": "x", "nmae": "y"}"#).unwrap_err();
//! assert_eq!(err.to_string(), "nmae: unknown key `nmae`");
//! Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use serde::de::DeserializeOwned;

use crate::error::{Error, FieldError, PathSegment, shorten};

mod collect;
mod objects_only;

pub use collect::{MAX_RETRIES, MAX_RETRY_BYTES, from_slice_collecting};

use objects_only::ObjectsOnly;

/// What to do with keys the target type does not know.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum UnknownKeys {
    /// Ignore them, as the live service does.
    #[default]
    Ignore,
    /// Reject them, reporting each with its path.
    Reject,
}

/// Why a JSON document does not decode: the model's [`Error`] of kind
/// [`ErrorKind::InvalidData`](crate::error::ErrorKind::InvalidData), with one
/// field error per problem.
pub type DecodeError = Error;

/// Decodes `json`, ignoring unknown keys.
pub fn from_str<T: DeserializeOwned>(json: &str) -> Result<T, DecodeError> {
    from_slice_with(json.as_bytes(), UnknownKeys::Ignore)
}

/// Decodes `json`, rejecting unknown keys.
pub fn from_str_strict<T: DeserializeOwned>(json: &str) -> Result<T, DecodeError> {
    from_slice_with(json.as_bytes(), UnknownKeys::Reject)
}

/// Decodes `json` bytes, ignoring unknown keys.
pub fn from_slice<T: DeserializeOwned>(json: &[u8]) -> Result<T, DecodeError> {
    from_slice_with(json, UnknownKeys::Ignore)
}

/// Decodes `json` bytes with the given treatment of unknown keys.
pub fn from_slice_with<T: DeserializeOwned>(json: &[u8], unknown: UnknownKeys) -> Result<T, DecodeError> {
    match unknown {
        // Fast path: plain serde_json, reading a `&str` so that UTF-8 is checked once for
        // the whole input rather than string by string. Only a failure pays for path
        // tracking, by decoding again.
        UnknownKeys::Ignore => match std::str::from_utf8(json).map_err(|_| ()).and_then(|s| {
            let mut de = serde_json::Deserializer::from_str(s);
            let value = T::deserialize(ObjectsOnly(&mut de)).map_err(|_| ())?;
            de.end().map_err(|_| ())?;
            Ok(value)
        }) {
            Ok(v) => Ok(v),
            Err(_) => Err(tracked::<T>(json, UnknownKeys::Ignore)
                .err()
                .unwrap_or_else(unreachable_decode_error)),
        },
        UnknownKeys::Reject => tracked(json, UnknownKeys::Reject),
    }
}

/// The error for a document that failed untracked but passed tracked; serde
/// wrappers make that impossible, so this only guards against a panic.
fn unreachable_decode_error() -> DecodeError {
    Error::invalid(vec![FieldError::new(
        "invalid_value",
        "the document could not be decoded",
        Vec::new(),
    )])
}

/// Decodes with path tracking, and in `Reject` mode collects unknown keys.
fn tracked<T: DeserializeOwned>(json: &[u8], unknown: UnknownKeys) -> Result<T, DecodeError> {
    let mut de = serde_json::Deserializer::from_slice(json);
    let mut track = serde_path_to_error::Track::new();
    let mut ignored: Vec<Vec<PathSegment>> = Vec::new();
    let result = {
        let tracked = serde_path_to_error::Deserializer::new(&mut de, &mut track);
        match unknown {
            UnknownKeys::Ignore => T::deserialize(ObjectsOnly(tracked)),
            // Strict mode also holds every id to its own kind's prefix.
            UnknownKeys::Reject => crate::id::with_strict_ids(|| {
                let mut note = |p: serde_ignored::Path<'_>| ignored.push(ignored_path(&p));
                T::deserialize(ObjectsOnly(serde_ignored::Deserializer::new(tracked, &mut note)))
            }),
        }
    };
    let value = match result {
        Ok(v) => v,
        Err(e) => return Err(from_json_error(&e, convert_path(&track.path()))),
    };
    if let Err(e) = de.end() {
        return Err(from_json_error(&e, Vec::new()));
    }
    if !ignored.is_empty() {
        let total = ignored.len();
        let mut errors: Vec<FieldError> = ignored
            .into_iter()
            .take(MAX_FIELD_ERRORS)
            .map(|path| {
                let key = match path.last() {
                    Some(PathSegment::Key(k)) => shorten(k),
                    _ => String::new(),
                };
                FieldError::new("unrecognized_keys", format!("unknown key `{key}`"), bounded(path))
            })
            .collect();
        if total > MAX_FIELD_ERRORS {
            errors.push(FieldError::new(
                "too_many_errors",
                format!(
                    "{} more unknown keys; the first {MAX_FIELD_ERRORS} are listed",
                    total - MAX_FIELD_ERRORS
                ),
                Vec::new(),
            ));
        }
        return Err(Error::invalid(errors));
    }
    Ok(value)
}

/// Decodes an already-parsed value (paths are tracked the same way).
pub fn from_value<T: DeserializeOwned>(value: &serde_json::Value) -> Result<T, DecodeError> {
    let mut track = serde_path_to_error::Track::new();
    let tracked = serde_path_to_error::Deserializer::new(value, &mut track);
    T::deserialize(ObjectsOnly(tracked)).map_err(|e| from_json_error(&e, convert_path(&track.path())))
}

fn convert_path(path: &serde_path_to_error::Path) -> Vec<PathSegment> {
    use serde_path_to_error::Segment;
    path.iter()
        .filter_map(|s| match s {
            Segment::Seq { index } => Some(PathSegment::from(*index)),
            Segment::Map { key } => Some(PathSegment::Key(key.clone())),
            Segment::Enum { .. } | Segment::Unknown => None,
        })
        .collect()
}

fn ignored_path(p: &serde_ignored::Path<'_>) -> Vec<PathSegment> {
    use serde_ignored::Path;
    let mut out = Vec::new();
    let mut cur = p;
    loop {
        match cur {
            Path::Root => break,
            Path::Seq { parent, index } => {
                out.push(PathSegment::from(*index));
                cur = parent;
            }
            Path::Map { parent, key } => {
                out.push(PathSegment::Key(key.clone()));
                cur = parent;
            }
            Path::Some { parent } | Path::NewtypeStruct { parent } | Path::NewtypeVariant { parent } => {
                cur = parent;
            }
        }
    }
    out.reverse();
    out
}

/// The most field errors one body lists; past it, a last entry says how many more.
pub const MAX_FIELD_ERRORS: usize = 100;

/// The longest message of one field error, in bytes (quoted input is cut first).
pub const MAX_MESSAGE_LEN: usize = 256;

/// A path whose keys are at most [`MAX_MESSAGE_LEN`] bytes each: a
/// megabyte-long key must not make a megabyte-long error body.
fn bounded(mut path: Vec<PathSegment>) -> Vec<PathSegment> {
    for seg in &mut path {
        if let PathSegment::Key(k) = seg
            && k.len() > MAX_MESSAGE_LEN
        {
            *k = crate::error::shorten_to(k, MAX_MESSAGE_LEN);
        }
    }
    path
}

/// Whether a path lies inside `private_metadata`, whose values never appear in an error.
fn is_private(path: &[PathSegment]) -> bool {
    path.iter()
        .any(|p| matches!(p, PathSegment::Key(k) if k == "private_metadata"))
}

/// Turns a serde_json error into a field error: strips the position suffix,
/// classifies the message, and moves a missing field's name into the path.
/// A message never quotes a value for a type error (`expected a map, received
/// a string`), never quotes anything under `private_metadata`, and is never
/// longer than [`MAX_MESSAGE_LEN`].
fn from_json_error(e: &serde_json::Error, mut path: Vec<PathSegment>) -> DecodeError {
    let full = e.to_string();
    let suffix = format!(" at line {} column {}", e.line(), e.column());
    let message = full.strip_suffix(&suffix).unwrap_or(&full).to_owned();
    let mut err = FieldError::new("invalid_value", message, Vec::new());
    if err.message.starts_with("recursion limit") {
        // serde_json classifies its nesting limit as a syntax error; it is a limit.
        err.code = "too_deep".to_owned();
        err.message = "the document nests more than 128 levels".to_owned();
    } else if e.is_syntax() || e.is_eof() || e.is_io() {
        err.code = "invalid_json".to_owned();
        err.message = format!("{} at line {} column {}", err.message, e.line(), e.column());
    } else if let Some((field, rest)) = err
        .message
        .strip_prefix("missing field `")
        .and_then(|r| r.split_once('`'))
        .map(|(f, r)| (f.to_owned(), r.to_owned()))
    {
        // serde's own message ends at the name; ours may go on (", expected one of ...").
        path.push(PathSegment::Key(field.clone()));
        err.code = "missing_field".to_owned();
        err.message = format!("missing required key `{field}`{rest}");
        err.received = Some("undefined".to_owned());
    } else if let Some(rest) = err.message.strip_prefix("invalid type: ") {
        if let Some((received, expected)) = rest.split_once(", expected ") {
            let (received, expected) = (json_type_name(received), shorten(expected));
            err.code = "invalid_type".to_owned();
            err.message = format!("expected {expected}, received {received}");
            err.received = Some(received.to_owned());
            err.expected = Some(expected);
        }
    } else if err.message.starts_with("pattern `") {
        err.code = "invalid_pattern".to_owned();
    } else if err.message.starts_with("unknown variant") || err.message.starts_with("unknown ") {
        err.code = "invalid_enum_value".to_owned();
    } else if err.message.starts_with("invalid length") {
        err.code = "invalid_length".to_owned();
    } else if err.message.starts_with("duplicate field") {
        err.code = "duplicate_key".to_owned();
    }
    if is_private(&path) && err.code != "missing_field" {
        // Say what is wrong, never what was sent.
        err.message = match (&err.expected, &err.received) {
            (Some(e), Some(r)) => format!("expected {e}, received {r}"),
            _ => format!("private metadata is not valid ({})", err.code),
        };
    }
    if err.message.len() > MAX_MESSAGE_LEN {
        err.message = crate::error::shorten_to(&err.message, MAX_MESSAGE_LEN);
    }
    err.path = bounded(path);
    Error::invalid(vec![err])
}

/// Maps serde's description of a received value (`string "x"`, `map`) to a JSON type name.
fn json_type_name(serde_desc: &str) -> &'static str {
    let word = serde_desc.split([' ', '`']).next().unwrap_or("");
    match word {
        "string" | "char" => "string",
        "integer" | "floating" => "number",
        "boolean" => "boolean",
        "map" => "object",
        "sequence" => "array",
        "null" | "unit" => "null",
        _ => "unknown",
    }
}
