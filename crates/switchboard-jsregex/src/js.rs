//! A parser of JavaScript patterns as `new RegExp(pattern, "i")` reads them
//! (ECMAScript with Annex B, no `u` flag), writing `regex` syntax that means
//! the same on a case-sensitive, Unicode engine:
//!
//! - case-insensitivity is JavaScript's: two characters match when their
//!   simple uppercase mappings agree, except that a non-ASCII character never
//!   maps to an ASCII one (so `s` does not match `ſ`, nor `k` the Kelvin sign);
//!   every literal and class is written out with its case variants;
//! - `\d`, `\w`, `\b` are ASCII; `\s` is JavaScript's white space; `.` is any
//!   character but a line terminator;
//! - Annex B's leniency: `\p` is `p`, `\A` is `A`, `a{` and `]` are literal,
//!   `\1` with no group is an octal escape, `\c` without a letter is `\c`;
//! - look-around and back-references are refused (they cannot run in linear
//!   time), and so is what JavaScript itself refuses (`(?i)`, `a{2,1}`, `*a`).
//!
//! Without `u`, JavaScript sees UTF-16 code units: a character outside the
//! Basic Multilingual Plane is two of them. The pattern is read as code
//! units (an astral character in it is two atoms, `\uD83D` one), every set
//! is a set of code units, and surrogate code units are written as their
//! stand-ins (`crate::STAND_IN`), which a text's astral characters become
//! before matching (`crate::code_units`). So `^.$` does not match an emoji,
//! `^..$` does, and a range of surrogates is a range of code units.

use crate::Refusal;
use crate::charset::{Set, class_escape};

/// The code unit a character of the (transcoded) pattern stands for.
fn unit(c: char) -> u32 {
    let c = c as u32;
    if (crate::STAND_IN..crate::STAND_IN + 0x800).contains(&c) {
        0xD800 + (c - crate::STAND_IN)
    } else {
        c
    }
}

fn syntax(what: &str) -> Refusal {
    Refusal::Syntax(what.to_owned())
}

/// Translates `js` (see the module documentation).
pub(crate) fn translate(js: &str) -> Result<String, Refusal> {
    let chars: Vec<char> = crate::code_units(js).chars().collect();
    let groups = count_groups(&chars);
    let mut p = Parser {
        s: chars,
        i: 0,
        out: String::with_capacity(js.len() * 2),
        groups: groups.0,
        named: groups.1,
        depth: 0,
    };
    p.disjunction()?;
    if p.i < p.s.len() {
        return Err(syntax("unmatched `)`"));
    }
    Ok(p.out)
}

/// Capturing groups and whether any is named, as JavaScript counts them
/// before parsing (they decide what `\1` and `\k` mean).
fn count_groups(s: &[char]) -> (usize, bool) {
    let (mut n, mut named, mut in_class, mut i) = (0, false, false, 0);
    while i < s.len() {
        match s[i] {
            '\\' => i += 1,
            '[' => in_class = true,
            ']' => in_class = false,
            '(' if !in_class => {
                if s.get(i + 1) != Some(&'?') {
                    n += 1;
                } else if s.get(i + 2) == Some(&'<') && !matches!(s.get(i + 3), Some('=' | '!')) {
                    n += 1;
                    named = true;
                }
            }
            _ => {}
        }
        i += 1;
    }
    (n, named)
}

struct Parser {
    s: Vec<char>,
    i: usize,
    out: String,
    groups: usize,
    named: bool,
    depth: usize,
}

impl Parser {
    fn peek(&self) -> Option<char> {
        self.s.get(self.i).copied()
    }

    fn disjunction(&mut self) -> Result<(), Refusal> {
        self.alternative()?;
        while self.peek() == Some('|') {
            self.i += 1;
            self.out.push('|');
            self.alternative()?;
        }
        Ok(())
    }

    fn alternative(&mut self) -> Result<(), Refusal> {
        while let Some(c) = self.peek() {
            match c {
                '|' => return Ok(()),
                ')' if self.depth > 0 => return Ok(()),
                ')' => return Err(syntax("unmatched `)`")),
                '^' | '$' => {
                    self.i += 1;
                    self.out.push(c);
                    self.no_quantifier()?;
                }
                '\\' if matches!(self.s.get(self.i + 1), Some('b' | 'B')) => {
                    let word = self.s[self.i + 1] == 'b';
                    self.i += 2;
                    self.out.push_str(if word { "(?-u:\\b)" } else { "(?-u:\\B)" });
                    self.no_quantifier()?;
                }
                _ => {
                    if self.quantifier_at(self.i).is_some() {
                        return Err(syntax("nothing to repeat"));
                    }
                    self.atom()?;
                    self.quantifier()?;
                }
            }
        }
        Ok(())
    }

    /// After an assertion, a quantifier is an error in JavaScript too.
    fn no_quantifier(&self) -> Result<(), Refusal> {
        match self.quantifier_at(self.i) {
            Some(_) => Err(syntax("nothing to repeat")),
            None => Ok(()),
        }
    }

    /// The quantifier starting at `at`: its text and its length.
    fn quantifier_at(&self, at: usize) -> Option<(String, usize)> {
        match self.s.get(at)? {
            c @ ('*' | '+' | '?') => Some((c.to_string(), 1)),
            '{' => {
                let mut j = at + 1;
                let digits = |j: &mut usize| {
                    let start = *j;
                    while self.s.get(*j).is_some_and(char::is_ascii_digit) {
                        *j += 1;
                    }
                    (*j > start).then(|| self.s[start..*j].iter().collect::<String>())
                };
                let lo = digits(&mut j)?;
                let hi = if self.s.get(j) == Some(&',') {
                    j += 1;
                    Some(digits(&mut j))
                } else {
                    None
                };
                if self.s.get(j) != Some(&'}') {
                    return None;
                }
                let text = match hi {
                    None => format!("{{{lo}}}"),
                    Some(None) => format!("{{{lo},}}"),
                    Some(Some(hi)) => format!("{{{lo},{hi}}}"),
                };
                Some((text, j + 1 - at))
            }
            _ => None,
        }
    }

    fn quantifier(&mut self) -> Result<(), Refusal> {
        let Some((text, len)) = self.quantifier_at(self.i) else {
            return Ok(());
        };
        if let Some(range) = text.strip_prefix('{').and_then(|t| t.strip_suffix('}'))
            && let Some((lo, hi)) = range.split_once(',')
            && !hi.is_empty()
        {
            let (lo, hi) = (lo.parse::<u64>().ok(), hi.parse::<u64>().ok());
            if let (Some(lo), Some(hi)) = (lo, hi)
                && lo > hi
            {
                return Err(syntax("numbers out of order in a `{}` quantifier"));
            }
        }
        self.i += len;
        self.out.push_str(&text);
        if self.peek() == Some('?') {
            self.i += 1;
            self.out.push('?');
        }
        if self.quantifier_at(self.i).is_some() {
            return Err(syntax("nothing to repeat"));
        }
        Ok(())
    }

    fn atom(&mut self) -> Result<(), Refusal> {
        let Some(c) = self.peek() else {
            return Ok(());
        };
        self.i += 1;
        match c {
            '.' => self.out.push_str("[^\\n\\r\\x{2028}\\x{2029}]"),
            '(' => self.group()?,
            '[' => self.class()?,
            '\\' => self.escape()?,
            other => self.literal(unit(other)),
        }
        Ok(())
    }

    /// A character and its case variants.
    fn literal(&mut self, c: u32) {
        let mut set = Set::of(&[(c, c)]);
        set.fold();
        set.write(&mut self.out);
    }

    fn group(&mut self) -> Result<(), Refusal> {
        if self.peek() == Some('?') {
            let rest: String = self.s[self.i..].iter().take(3).collect();
            if rest.starts_with("?=")
                || rest.starts_with("?!")
                || rest.starts_with("?<=")
                || rest.starts_with("?<!")
            {
                return Err(Refusal::LookAround);
            }
            if rest.starts_with("?:") {
                self.i += 2;
            } else if rest.starts_with("?<") {
                let end = self.s[self.i..]
                    .iter()
                    .position(|&c| c == '>')
                    .ok_or_else(|| syntax("unterminated group name"))?;
                let name = &self.s[self.i + 2..self.i + end];
                // An identifier: a letter, `$` or `_`, then letters, digits, `$` or `_`.
                let start = |c: &char| c.is_alphabetic() || *c == '_' || *c == '$';
                let part = |c: &char| c.is_alphanumeric() || *c == '_' || *c == '$';
                if !name.first().is_some_and(start) || !name.iter().all(part) {
                    return Err(syntax("invalid group name"));
                }
                self.i += end + 1;
            } else {
                return Err(syntax(
                    "invalid group (`(?` must be `(?:`, `(?<name>`, or look-around)",
                ));
            }
        }
        self.out.push_str("(?:");
        self.depth += 1;
        self.disjunction()?;
        self.depth -= 1;
        if self.peek() != Some(')') {
            return Err(syntax("unterminated group"));
        }
        self.i += 1;
        self.out.push(')');
        Ok(())
    }

    fn escape(&mut self) -> Result<(), Refusal> {
        let Some(e) = self.peek() else {
            return Err(Refusal::TrailingBackslash);
        };
        if let Some(mut set) = class_escape(e) {
            self.i += 1;
            set.fold();
            set.write(&mut self.out);
            return Ok(());
        }
        if e.is_ascii_digit() && e != '0' {
            // A back-reference when that many groups exist; else Annex B's octal or identity escape.
            let start = self.i;
            while self.peek().is_some_and(|c| c.is_ascii_digit()) {
                self.i += 1;
            }
            let n: usize = self.s[start..self.i]
                .iter()
                .collect::<String>()
                .parse()
                .unwrap_or(usize::MAX);
            if n <= self.groups {
                return Err(Refusal::Backreference);
            }
            self.i = start;
        }
        if e == 'k' && self.named {
            return Err(Refusal::Backreference);
        }
        let c = self.character_escape(false)?;
        self.literal(c);
        Ok(())
    }

    /// A character escape after `\` (outside or, with `in_class`, inside a class):
    /// the character it stands for.
    fn character_escape(&mut self, in_class: bool) -> Result<u32, Refusal> {
        let Some(e) = self.peek() else {
            return Err(Refusal::TrailingBackslash);
        };
        self.i += 1;
        let hex = |p: &Parser, at: usize, n: usize| -> Option<u32> {
            let digits: String = p.s.get(at..at + n)?.iter().collect();
            (digits.len() == n && digits.chars().all(|c| c.is_ascii_hexdigit()))
                .then(|| u32::from_str_radix(&digits, 16).ok())
                .flatten()
        };
        Ok(match e {
            'f' => 0x0C,
            'n' => 0x0A,
            'r' => 0x0D,
            't' => 0x09,
            'v' => 0x0B,
            'b' if in_class => 0x08,
            '0' if !self.peek().is_some_and(|c| c.is_ascii_digit()) => 0,
            'c' => match self.peek() {
                Some(l) if l.is_ascii_alphabetic() || (in_class && (l.is_ascii_digit() || l == '_')) => {
                    self.i += 1;
                    l as u32 % 32
                }
                // Annex B: a `\c` not followed by a control letter is a backslash, then `c`.
                _ => {
                    self.i -= 1;
                    u32::from('\\')
                }
            },
            'x' => match hex(self, self.i, 2) {
                Some(v) => {
                    self.i += 2;
                    v
                }
                None => u32::from('x'),
            },
            'u' => match hex(self, self.i, 4) {
                Some(v) => {
                    self.i += 4;
                    // One code unit, a surrogate too (a pair is two atoms).
                    v
                }
                None => u32::from('u'),
            },
            d @ '0'..='7' => {
                // Annex B legacy octal: up to three digits, at most 0o377.
                let mut v = d.to_digit(8).unwrap_or(0);
                for _ in 0..2 {
                    match self.peek().and_then(|c| c.to_digit(8)) {
                        Some(n) if v * 8 + n <= 0o377 => {
                            v = v * 8 + n;
                            self.i += 1;
                        }
                        _ => break,
                    }
                }
                v
            }
            // Annex B identity escape: the character itself (`\p` is `p`, `\A` is `A`).
            other => unit(other),
        })
    }

    fn class(&mut self) -> Result<(), Refusal> {
        let negated = self.peek() == Some('^');
        if negated {
            self.i += 1;
        }
        let mut set = Set::default();
        loop {
            let Some(c) = self.peek() else {
                return Err(syntax("unterminated character class"));
            };
            if c == ']' {
                self.i += 1;
                break;
            }
            let lo = self.class_atom()?;
            if self.peek() == Some('-') && self.s.get(self.i + 1).is_some_and(|&n| n != ']') {
                self.i += 1;
                let hi = self.class_atom()?;
                match (lo, hi) {
                    (ClassAtom::Char(a), ClassAtom::Char(b)) => {
                        if a > b {
                            return Err(syntax("range out of order in a character class"));
                        }
                        set.add(a, b);
                    }
                    // Annex B: a range with a class escape at either end is a union with `-`.
                    (a, b) => {
                        for atom in [a, ClassAtom::Char(u32::from('-')), b] {
                            match atom {
                                ClassAtom::Char(c) => set.add(c, c),
                                ClassAtom::Set(s) => set.union(&s),
                            }
                        }
                    }
                }
            } else {
                match lo {
                    ClassAtom::Char(c) => set.add(c, c),
                    ClassAtom::Set(s) => set.union(&s),
                }
            }
        }
        set.normalise();
        set.fold();
        let set = if negated { set.complement() } else { set };
        set.write(&mut self.out);
        Ok(())
    }

    fn class_atom(&mut self) -> Result<ClassAtom, Refusal> {
        let Some(c) = self.peek() else {
            return Err(syntax("unterminated character class"));
        };
        self.i += 1;
        if c != '\\' {
            return Ok(ClassAtom::Char(unit(c)));
        }
        let Some(e) = self.peek() else {
            return Err(Refusal::TrailingBackslash);
        };
        if let Some(set) = class_escape(e) {
            self.i += 1;
            return Ok(ClassAtom::Set(set));
        }
        if e == '-' {
            self.i += 1;
            return Ok(ClassAtom::Char(u32::from('-')));
        }
        self.character_escape(true).map(ClassAtom::Char)
    }
}

enum ClassAtom {
    Char(u32),
    Set(Set),
}
