//! Decoding that reports every independent problem of a document, not only
//! the first: what a caller fixing a request body wants to see at once.

use serde::de::DeserializeOwned;
use serde_json::Value;

use super::{DecodeError, UnknownKeys, from_slice_with};
use crate::error::{Error, PathSegment};

/// The most decodes one failing document costs past the first.
pub const MAX_RETRIES: usize = 16;

/// The most bytes those decodes read together: the work on a large bad body
/// stays a small multiple of its size (a 1 MiB body gets four retries).
pub const MAX_RETRY_BYTES: usize = 4 << 20;

/// Decodes `json` like [`from_slice_with`]; when it does not decode, lists
/// the independent problems it finds within [`MAX_RETRIES`] more decodes
/// of at most [`MAX_RETRY_BYTES`] together, instead of the first alone.
///
/// Each time decoding stops at an object key, that key is set aside and the
/// rest decoded again. An error that only follows from a key set aside (an
/// error at the key's own path or at an enclosing object, such as a
/// required key now missing) is not a problem of the document: the nearest
/// enclosing key that holds it is set aside instead (for an entry of an
/// array, the whole array: setting one entry aside would renumber the
/// entries after it, and their errors with them). The search ends when
/// the rest decodes, when an error is not at an object key, or when the
/// budget is spent. The first error is
/// always the one [`from_slice_with`] gives, so a caller that reads only
/// `errors[0]` sees the same answer. Success costs one decode, as
/// [`from_slice_with`] does.
///
/// ```
/// use switchboard_model::decode::{self, UnknownKeys};
/// use switchboard_model::error::DisplayPath;
/// use switchboard_model::request::CreateSessionTemplate;
///
/// // Two placeholders, as an API reference page writes them.
/// let body = br#"{"name": "x", "providers": {"provider_deployment_id": "example_id",
///                 "tool_filters": {"type": "example_type", "keys": []}}}"#;
/// let err = decode::from_slice_collecting::<CreateSessionTemplate>(body, UnknownKeys::Ignore).unwrap_err();
/// let paths: Vec<String> = err.errors().iter().map(|e| DisplayPath(&e.path).to_string()).collect();
/// assert_eq!(paths, ["providers.provider_deployment_id", "providers.tool_filters.type"]);
/// ```
pub fn from_slice_collecting<T: DeserializeOwned>(
    json: &[u8],
    unknown: UnknownKeys,
) -> Result<T, DecodeError> {
    let first = match from_slice_with::<T>(json, unknown) {
        Ok(v) => return Ok(v),
        Err(e) => e,
    };
    let mut errors = first.errors();
    // Unknown keys in strict mode come all at once, and a document that is
    // not JSON has nothing to set aside.
    let (Ok(mut doc), [_]) = (serde_json::from_slice::<Value>(json), errors.as_slice()) else {
        return Err(first);
    };
    let mut removed: Vec<Vec<PathSegment>> = Vec::new();
    let mut target = errors[0].path.clone();
    let mut spent = 0;
    for _ in 0..MAX_RETRIES {
        if !remove_key(&mut doc, &target) {
            break;
        }
        removed.push(target);
        let Ok(text) = serde_json::to_vec(&doc) else { break };
        spent += text.len();
        if spent > MAX_RETRY_BYTES {
            break;
        }
        let next = match from_slice_with::<T>(&text, unknown) {
            Ok(_) => break,
            Err(e) => e.errors(),
        };
        if next
            .iter()
            .any(|e| errors.iter().any(|o| o.path == e.path && o.message == e.message))
        {
            break;
        }
        // An error at or above a key set aside follows from setting it aside:
        // set aside the object around it instead, and look again.
        let follows = next.iter().find_map(|e| {
            removed
                .iter()
                .rev()
                .find(|r| r.starts_with(&e.path))
                .map(|r| (r, &e.path))
        });
        if let Some((r, at)) = follows {
            match enclosing_key(r, at) {
                Some(t) => {
                    target = t;
                    continue;
                }
                None => break,
            }
        }
        let single = next.len() == 1;
        errors.extend(next);
        match (single, errors.last()) {
            (true, Some(latest)) => target = latest.path.clone(),
            _ => break,
        }
    }
    if errors.len() == 1 {
        return Err(first);
    }
    Err(Error::invalid(errors))
}

/// The longest path above `removed` that ends at an object key and holds
/// `at`, the error that setting `removed` aside caused.
fn enclosing_key(removed: &[PathSegment], at: &[PathSegment]) -> Option<Vec<PathSegment>> {
    (1..removed.len())
        .rev()
        .map(|n| &removed[..n])
        .find(|p| matches!(p.last(), Some(PathSegment::Key(_))) && at.starts_with(p))
        .map(<[PathSegment]>::to_vec)
}

/// Removes the key at `path` from `doc`; false if the path does not end at
/// an object key that is there.
fn remove_key(doc: &mut Value, path: &[PathSegment]) -> bool {
    let Some((PathSegment::Key(key), parents)) = path.split_last() else {
        return false;
    };
    let mut at = doc;
    for seg in parents {
        let next = match (seg, at) {
            (PathSegment::Key(k), Value::Object(map)) => map.get_mut(k),
            (PathSegment::Index(i), Value::Array(items)) => {
                usize::try_from(*i).ok().and_then(|i| items.get_mut(i))
            }
            _ => None,
        };
        match next {
            Some(v) => at = v,
            None => return false,
        }
    }
    match at {
        Value::Object(map) => map.remove(key).is_some(),
        _ => false,
    }
}
