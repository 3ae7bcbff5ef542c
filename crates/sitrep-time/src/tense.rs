//! The tense of the clause around a time expression, from the nearest tense marker.
//!
//! A bare weekday ("on Friday") is ambiguous between last Friday and next Friday; the
//! verb of the clause decides. We look outward from the expression, token by token,
//! inside its sentence and at most [`WINDOW`] tokens each way, and take the first
//! marker found: a future marker ("will", "'ll", "shall", "would", "going to",
//! "due to", "expected to", "plans to", "scheduled to", "next", "tomorrow") or a past
//! one (an irregular past form, an `-ed` form not governed by "be", "ago",
//! "yesterday", "last", "has"/"have"). No marker means present.

use crate::lex::{Lex, Tok, W};

/// Tokens looked at on each side of the expression.
const WINDOW: usize = 20;

/// The tense of a clause.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Tense {
    Past,
    Present,
    Future,
}

/// Tense of the clause holding tokens `s..e` of `toks` (one sentence).
pub(crate) fn tense_around(text: &str, toks: &[Tok], s: usize, e: usize) -> Tense {
    let (mut left, mut right) = (true, true);
    for d in 1..=WINDOW {
        // Left first: in English the auxiliary usually precedes the time phrase.
        if left {
            match s.checked_sub(d) {
                Some(j) if boundary(text, toks, j) => left = false,
                Some(j) => {
                    if let Some(t) = marker(text, toks, j) {
                        return t;
                    }
                }
                None => left = false,
            }
        }
        if right {
            let j = e + d - 1;
            if j >= toks.len() || boundary(text, toks, j) {
                right = false;
            } else if let Some(t) = marker(text, toks, j) {
                return t;
            }
        }
        if !left && !right {
            break;
        }
    }
    Tense::Present
}

/// Words and marks that open or close a clause: the tense beyond them is another
/// clause's ("told a briefing Tuesday night *that* he would…").
fn boundary(text: &str, toks: &[Tok], j: usize) -> bool {
    match toks[j].lex {
        Lex::Punct(b';' | b'"' | b'(' | b')' | b':') => true,
        Lex::Other => {
            const WORDS: &[&str] = &[
                "that", "because", "but", "while", "when", "where", "which", "who", "if",
                "although", "whether",
            ];
            let w = word(text, toks, j);
            WORDS.iter().any(|b| w.eq_ignore_ascii_case(b))
        }
        _ => false,
    }
}

fn word<'a>(text: &'a str, toks: &[Tok], j: usize) -> &'a str {
    toks.get(j).and_then(|t| text.get(t.s..t.e)).unwrap_or("")
}

fn is(text: &str, toks: &[Tok], j: usize, w: &str) -> bool {
    word(text, toks, j).eq_ignore_ascii_case(w)
}

fn marker(text: &str, toks: &[Tok], j: usize) -> Option<Tense> {
    let t = toks.get(j)?;
    match t.lex {
        Lex::Word(W::Next) | Lex::Word(W::Tomorrow) | Lex::Word(W::Upcoming) => {
            return Some(Tense::Future)
        }
        Lex::Word(W::Ago) | Lex::Word(W::Yesterday) | Lex::Word(W::Last) => {
            return Some(Tense::Past)
        }
        Lex::Other => {}
        _ => return None,
    }
    let w = word(text, toks, j);
    let followed_by_to = is(text, toks, j + 1, "to");
    let lower = |s: &str| w.eq_ignore_ascii_case(s);
    if lower("will") || lower("shall") || lower("would") {
        return Some(Tense::Future);
    }
    // "'ll" and "won't".
    if lower("ll") && j > 0 && toks[j - 1].is_punct(b'\'') {
        return Some(Tense::Future);
    }
    if lower("won") && toks.get(j + 1).is_some_and(|t| t.is_punct(b'\'')) {
        return Some(Tense::Future);
    }
    const BEFORE_TO: &[&str] = &[
        "going",
        "due",
        "expected",
        "scheduled",
        "set",
        "plans",
        "plan",
        "planned",
        "planning",
        "intends",
        "intend",
        "poised",
        "slated",
        "aims",
        "hopes",
    ];
    if followed_by_to && BEFORE_TO.iter().any(|m| lower(m)) {
        return Some(Tense::Future);
    }
    // "was expected in Moscow on Friday", "is due back on Monday", "scheduled for
    // Friday": an arrangement looks ahead even in the past tense.
    const ARRANGED: &[&str] = &["expected", "due", "scheduled", "slated"];
    let next_is = |w: &str| is(text, toks, j + 1, w);
    let arranged_next =
        next_is("in") || next_is("at") || next_is("on") || next_is("for") || next_is("back");
    if arranged_next && ARRANGED.iter().any(|m| lower(m)) {
        return Some(Tense::Future);
    }
    if lower("has") || lower("have") {
        return Some(Tense::Past);
    }
    if t.past {
        // A participle after "be"/"been"/"being" is passive, not past ("will be held").
        let passive = j > 0 && {
            let p = word(text, toks, j - 1);
            p.eq_ignore_ascii_case("be") || p.eq_ignore_ascii_case("being")
        };
        if !passive {
            return Some(Tense::Past);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lex::tokenize;

    fn tense_of(s: &str, word: &str) -> Tense {
        let mut t = Vec::new();
        tokenize(s, 0, s.len(), &mut t);
        let k = t.iter().position(|t| &s[t.s..t.e] == word).unwrap();
        tense_around(s, &t, k, k + 1)
    }

    #[test]
    fn markers() {
        assert_eq!(tense_of("He said on Tuesday that", "Tuesday"), Tense::Past);
        assert_eq!(
            tense_of("They will meet on Friday", "Friday"),
            Tense::Future
        );
        assert_eq!(
            tense_of("Talks will be held on Friday", "Friday"),
            Tense::Future
        );
        assert_eq!(
            tense_of("He is due to arrive on Friday", "Friday"),
            Tense::Future
        );
        assert_eq!(tense_of("They'll meet Friday", "Friday"), Tense::Future);
        assert_eq!(
            tense_of("The talks are on Friday", "Friday"),
            Tense::Present
        );
        assert_eq!(
            tense_of("Drones attacked the city on Sunday", "Sunday"),
            Tense::Past
        );
    }
}
