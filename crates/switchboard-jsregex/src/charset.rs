//! Character sets for the pattern translation: ranges, complements,
//! JavaScript's case folding without `u`, and the class escapes.

use std::collections::HashMap;
use std::sync::OnceLock;

/// The largest character.
/// The last code unit: without `u`, JavaScript patterns see UTF-16 code
/// units, so every set (and every complement) is of code units.
pub(super) const MAX: u32 = 0xFFFF;

/// A set of characters as sorted, disjoint, inclusive ranges.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(super) struct Set(Vec<(u32, u32)>);

impl Set {
    pub(super) fn of(ranges: &[(u32, u32)]) -> Set {
        let mut s = Set(ranges.to_vec());
        s.normalise();
        s
    }

    pub(super) fn add(&mut self, lo: u32, hi: u32) {
        self.0.push((lo, hi));
    }

    pub(super) fn union(&mut self, other: &Set) {
        self.0.extend_from_slice(&other.0);
        self.normalise();
    }

    pub(super) fn normalise(&mut self) {
        self.0.sort_unstable();
        let mut out: Vec<(u32, u32)> = Vec::with_capacity(self.0.len());
        for &(lo, hi) in &self.0 {
            match out.last_mut() {
                Some(last) if lo <= last.1.saturating_add(1) => last.1 = last.1.max(hi),
                _ => out.push((lo, hi)),
            }
        }
        self.0 = out;
    }

    pub(super) fn contains(&self, c: u32) -> bool {
        self.0.iter().any(|&(lo, hi)| lo <= c && c <= hi)
    }

    pub(super) fn complement(&self) -> Set {
        let mut out = Vec::new();
        let mut next = 0u32;
        for &(lo, hi) in &self.0 {
            if lo > next {
                out.push((next, lo - 1));
            }
            next = hi.saturating_add(1);
        }
        if next <= MAX {
            out.push((next, MAX));
        }
        Set(out)
    }

    /// Adds every character that JavaScript's `i` makes equal to a member.
    pub(super) fn fold(&mut self) {
        let mut extra = Vec::new();
        if let [(lo, hi)] = self.0[..]
            && lo == hi
        {
            // One character (a literal): its own group, found directly.
            if let Some(group) = case_group_of(lo) {
                extra.extend(group.iter().map(|&c| (c, c)));
            }
        } else {
            for group in case_groups() {
                if group.iter().any(|&c| self.contains(c)) {
                    extra.extend(group.iter().map(|&c| (c, c)));
                }
            }
        }
        if !extra.is_empty() {
            self.0.extend(extra);
            self.normalise();
        }
    }

    /// The set in `regex` syntax; an empty set matches nothing.
    pub(super) fn write(&self, out: &mut String) {
        // Surrogate code units are not characters in Rust strings: they are
        // written as their stand-ins, which a text's astral characters become
        // (see `crate::code_units`).
        let stand_in = |u: u32| crate::STAND_IN + (u - 0xD800);
        let ranges: Vec<(u32, u32)> = self
            .0
            .iter()
            .flat_map(|&(lo, hi)| {
                let below = (lo < 0xD800).then(|| (lo, hi.min(0xD7FF)));
                let surrogates = (lo <= 0xDFFF && hi >= 0xD800)
                    .then(|| (stand_in(lo.max(0xD800)), stand_in(hi.min(0xDFFF))));
                let above = (hi > 0xDFFF).then(|| (lo.max(0xE000), hi));
                below.into_iter().chain(surrogates).chain(above)
            })
            .filter(|(lo, hi)| lo <= hi)
            .collect();
        if ranges.is_empty() {
            out.push_str("[^\\x{0}-\\x{10FFFF}]");
            return;
        }
        if let [(lo, hi)] = ranges[..]
            && lo == hi
        {
            push_char(out, lo);
            return;
        }
        out.push('[');
        for (lo, hi) in ranges {
            push_char(out, lo);
            if hi > lo {
                out.push('-');
                push_char(out, hi);
            }
        }
        out.push(']');
    }
}

/// One character in `regex` syntax: letters and digits as they are, anything
/// else as `\x{..}`, so no character is ever read as syntax.
fn push_char(out: &mut String, c: u32) {
    match char::from_u32(c) {
        Some(ch) if ch.is_ascii_alphanumeric() || ch == '_' => out.push(ch),
        _ => out.push_str(&format!("\\x{{{c:X}}}")),
    }
}

/// JavaScript's Canonicalize for `i` without `u`.
pub(super) fn canonicalize(c: char) -> char {
    let mut upper = c.to_uppercase();
    let (Some(u), None) = (upper.next(), upper.next()) else {
        return c;
    };
    if (c as u32) >= 128 && (u as u32) < 128 {
        c
    } else {
        u
    }
}

/// Every group of two or more characters that canonicalize alike: a
/// canonical character with the characters that map to it. Built once, from
/// the few characters whose canonical form is another character.
fn case_groups() -> &'static [Vec<u32>] {
    static GROUPS: OnceLock<Vec<Vec<u32>>> = OnceLock::new();
    GROUPS.get_or_init(|| {
        let mut by_canon: HashMap<char, Vec<u32>> = HashMap::new();
        for c in (0..=MAX).filter_map(char::from_u32) {
            let canon = canonicalize(c);
            if canon != c {
                by_canon.entry(canon).or_default().push(c as u32);
            }
        }
        let mut groups: Vec<Vec<u32>> = by_canon
            .into_iter()
            .map(|(canon, mut members)| {
                members.push(canon as u32);
                members.sort_unstable();
                members
            })
            .collect();
        groups.sort();
        groups
    })
}

/// The case group of `c`, if it has other members.
fn case_group_of(c: u32) -> Option<&'static [u32]> {
    static INDEX: OnceLock<HashMap<u32, usize>> = OnceLock::new();
    let index = INDEX.get_or_init(|| {
        case_groups()
            .iter()
            .enumerate()
            .flat_map(|(i, g)| g.iter().map(move |&c| (c, i)))
            .collect()
    });
    index.get(&c).map(|&i| case_groups()[i].as_slice())
}

/// `\d`, `\w`, `\s` (and their complements).
pub(super) fn class_escape(e: char) -> Option<Set> {
    let digits = Set::of(&[(0x30, 0x39)]);
    let word = Set::of(&[(0x30, 0x39), (0x41, 0x5A), (0x5F, 0x5F), (0x61, 0x7A)]);
    let space = Set::of(&[
        (0x09, 0x0D),
        (0x20, 0x20),
        (0xA0, 0xA0),
        (0x1680, 0x1680),
        (0x2000, 0x200A),
        (0x2028, 0x2029),
        (0x202F, 0x202F),
        (0x205F, 0x205F),
        (0x3000, 0x3000),
        (0xFEFF, 0xFEFF),
    ]);
    Some(match e {
        'd' => digits,
        'D' => digits.complement(),
        'w' => word,
        'W' => word.complement(),
        's' => space,
        'S' => space.complement(),
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn canonicalize_keeps_ascii_and_non_ascii_apart() {
        assert_eq!(canonicalize('a'), 'A');
        assert_eq!(canonicalize('ſ'), 'ſ'); // would be `S`: non-ASCII never maps to ASCII
        assert_eq!(canonicalize('\u{212A}'), '\u{212A}'); // Kelvin sign
        assert_eq!(canonicalize('ß'), 'ß'); // uppercases to two characters
        assert_eq!(canonicalize('é'), 'É');
    }

    #[test]
    fn sets_complement_and_fold() {
        let s = Set::of(&[(0x61, 0x61)]);
        assert_eq!(s.complement().complement(), s);
        let mut f = s.clone();
        f.fold();
        assert_eq!(f, Set::of(&[(0x41, 0x41), (0x61, 0x61)]));
    }
}
