//! The text of an id, kept in place when short.

use arrayvec::ArrayString;

/// An id's text: up to [`IdText::INLINE`] bytes in place (every id the live
/// service generates), longer ones on the heap. Ids are made and cloned by
/// the thousand in lists; most never allocate.
#[derive(Clone)]
pub(super) struct IdText(IdRepr);

#[derive(Clone)]
enum IdRepr {
    Inline(ArrayString<{ IdText::INLINE }>),
    Heap(Box<str>),
}

impl IdText {
    /// The longest text kept in place: `isst_` plus a 22-character body fits.
    const INLINE: usize = 30;

    pub(super) fn new(text: &str) -> IdText {
        match ArrayString::from(text) {
            Ok(inline) => IdText(IdRepr::Inline(inline)),
            Err(_) => IdText(IdRepr::Heap(text.into())),
        }
    }

    pub(super) fn from_string(text: String) -> IdText {
        match ArrayString::from(&text) {
            Ok(inline) => IdText(IdRepr::Inline(inline)),
            Err(_) => IdText(IdRepr::Heap(text.into_boxed_str())),
        }
    }

    /// `prefix_body`, built in place when it fits.
    pub(super) fn joined(prefix: &str, body: &str) -> IdText {
        let mut inline = ArrayString::new();
        if inline.try_push_str(prefix).is_ok()
            && inline.try_push('_').is_ok()
            && inline.try_push_str(body).is_ok()
        {
            return IdText(IdRepr::Inline(inline));
        }
        IdText(IdRepr::Heap(format!("{prefix}_{body}").into_boxed_str()))
    }

    /// What equality, order and hashing use: the canonical prefix (or, for an
    /// id of a foreign kind the service sent, that prefix as written) and the
    /// body. The common case, the canonical prefix, costs one comparison.
    #[inline]
    pub(super) fn parts(&self, prefix: &'static str, aliases: &[&str]) -> (&[u8], &[u8]) {
        let b = self.as_str().as_bytes();
        let p = prefix.len();
        if b.get(p) == Some(&b'_') && &b[..p] == prefix.as_bytes() {
            return (prefix.as_bytes(), &b[p + 1..]);
        }
        let sep = b.iter().position(|&c| c == b'_').unwrap_or(0);
        let found = &b[..sep];
        let key = if aliases.iter().any(|a| a.as_bytes() == found) {
            prefix.as_bytes()
        } else {
            found
        };
        (key, b.get(sep + 1..).unwrap_or_default())
    }

    pub(super) fn as_str(&self) -> &str {
        match &self.0 {
            IdRepr::Inline(text) => text,
            IdRepr::Heap(text) => text,
        }
    }

    pub(super) fn into_string(self) -> String {
        match self.0 {
            IdRepr::Inline(text) => text.as_str().to_owned(),
            IdRepr::Heap(text) => text.into_string(),
        }
    }
}
