//! Finding quotations: pairing quotation marks in one pass over each paragraph.
//!
//! Marks come in three families — double (“ ” „ "), single (‘ ’ ‚ ') and guillemets
//! (« ») — and a small stack (at most [`MAX_DEPTH`] deep) pairs an opening mark with the
//! next closing mark of its family, so nested quotes close inside their outer quote and
//! only outermost quotes are reported. Whether a mark opens, closes or is an apostrophe
//! is decided from its neighbours: `’` between letters ("don’t") or after a word with no
//! single quote open ("Ukrainians’ homes") is an apostrophe; a straight `"` closes when
//! a double quote is open and a non-space precedes it, and opens otherwise when a
//! non-space follows.
//!
//! A quote still open at the end of its paragraph continues into the next paragraph when
//! it was opened at the start of the paragraph (or after a colon or comma) and the next
//! paragraph starts with an opening mark of the same family — the convention for
//! multi-paragraph quotations. Otherwise it is capped at the paragraph's end, so an
//! unbalanced mark never swallows the rest of a document.

use crate::walk;
use sitrep_core::Span;

/// Deepest nesting tracked; deeper opening marks are ignored.
const MAX_DEPTH: usize = 8;

/// A family of quotation marks: a mark closes only a quote of its own family.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Family {
    /// “ ” „ "
    Double,
    /// ‘ ’ ‚ '
    Single,
    /// « »
    Guillemet,
}

/// An outermost quotation found in the text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct RawQuote {
    /// Byte offset of the opening mark.
    pub open: usize,
    /// The quoted text between the marks, trimmed of whitespace (may include later
    /// paragraphs and their reopening marks for a multi-paragraph quote).
    pub inner: Span,
    /// One past the closing mark, or the paragraph end when the quote was capped.
    pub end: usize,
    /// False when no closing mark was found and the quote was capped.
    pub closed: bool,
    /// Paragraph of the opening mark.
    pub first_para: usize,
    /// Paragraph of the closing mark (or cap).
    pub last_para: usize,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mark {
    Open(Family),
    Close(Family),
}

/// True when `c` may stand right before an opening mark.
fn opens_after(c: Option<char>) -> bool {
    match c {
        None => true,
        Some(c) => {
            c.is_whitespace()
                || matches!(
                    c,
                    '(' | '['
                        | '{'
                        | '—'
                        | '–'
                        | '-'
                        | '/'
                        | ':'
                        | '“'
                        | '‘'
                        | '„'
                        | '‚'
                        | '«'
                        | '"'
                        | '\''
                )
        }
    }
}

/// True when `c` is a letter or digit.
fn alnum(c: Option<char>) -> bool {
    c.is_some_and(char::is_alphanumeric)
}

/// True when `c` is absent or whitespace.
fn space(c: Option<char>) -> bool {
    c.is_none_or(char::is_whitespace)
}

/// What the character `c` between `prev` and `next` does, given which families are open.
fn classify(
    c: char,
    prev: Option<char>,
    next: Option<char>,
    open: &[(Family, usize)],
) -> Option<Mark> {
    let is_open = |f: Family| open.iter().any(|&(g, _)| g == f);
    match c {
        '“' => {
            // German „…“ closes with “; a “ after a word before a space closes too.
            if is_open(Family::Double) && !space(prev) && !alnum(next) {
                Some(Mark::Close(Family::Double))
            } else if !space(next) {
                Some(Mark::Open(Family::Double))
            } else {
                None
            }
        }
        '”' => {
            if is_open(Family::Double) {
                Some(Mark::Close(Family::Double))
            } else if space(prev) && alnum(next) {
                Some(Mark::Open(Family::Double))
            } else {
                None
            }
        }
        '„' => (!space(next)).then_some(Mark::Open(Family::Double)),
        '"' => {
            if is_open(Family::Double) && !space(prev) {
                Some(Mark::Close(Family::Double))
            } else if opens_after(prev) && !space(next) {
                Some(Mark::Open(Family::Double))
            } else if is_open(Family::Double) {
                Some(Mark::Close(Family::Double))
            } else {
                None
            }
        }
        '‘' => {
            if opens_after(prev) && !space(next) {
                Some(Mark::Open(Family::Single))
            } else if is_open(Family::Single) && !alnum(next) {
                Some(Mark::Close(Family::Single))
            } else {
                None
            }
        }
        '‚' => (space(prev) && alnum(next)).then_some(Mark::Open(Family::Single)),
        '’' | '\'' => {
            if alnum(prev) && alnum(next) {
                None // don’t, Russia’s
            } else if is_open(Family::Single) && !space(prev) && !alnum(next) {
                Some(Mark::Close(Family::Single))
            } else if c == '\'' && opens_after(prev) && alnum(next) {
                Some(Mark::Open(Family::Single))
            } else {
                None // Ukrainians’ homes, ’90s
            }
        }
        '«' => (!space(next)).then_some(Mark::Open(Family::Guillemet)),
        '»' => is_open(Family::Guillemet).then_some(Mark::Close(Family::Guillemet)),
        _ => None,
    }
}

/// True when a closing single mark follows within a short distance (bounded look-ahead).
fn later_single_close(rest: &str) -> bool {
    let mut prev = None;
    let mut chars = rest.char_indices().take_while(|&(i, _)| i < 300).peekable();
    while let Some((_, c)) = chars.next() {
        let next = chars.peek().map(|&(_, n)| n);
        if matches!(c, '’' | '\'') && !space(prev) && !alnum(next) && prev != Some('s') {
            return true;
        }
        if c == '\n' {
            return false;
        }
        prev = Some(c);
    }
    false
}

/// The family of an opening mark at the very start of `s`, if it starts with one.
fn leading_open(s: &str) -> Option<Family> {
    let mut chars = s.chars();
    let c = chars.next()?;
    let next = chars.next();
    match classify(c, None, next, &[])? {
        Mark::Open(f) => Some(f),
        Mark::Close(_) => None,
    }
}

/// All outermost quotations in `text`, in order, given its paragraph spans.
pub(super) fn scan(text: &str, paragraphs: &[Span]) -> Vec<RawQuote> {
    let mut out = Vec::new();
    let mut stack: Vec<(Family, usize)> = Vec::with_capacity(MAX_DEPTH);
    // A quote carried over from the previous paragraph: (family, open, first paragraph).
    let mut carried: Option<(Family, usize, usize)> = None;
    for (p, para) in paragraphs.iter().enumerate() {
        let Some(ptext) = para.slice(text) else {
            carried = None;
            continue;
        };
        let base = para.start();
        stack.clear();
        let mut skip_first = false;
        let mut origin = p;
        if let Some((family, open, first)) = carried.take() {
            stack.push((family, open));
            skip_first = true;
            origin = first;
        }
        // Only bytes that can start a quotation mark are looked at: '"', '\'', and the
        // lead bytes of “ ” ‘ ’ „ ‚ (0xE2) and « » (0xC2).
        let first_len = ptext.chars().next().map_or(0, char::len_utf8);
        let candidates = ptext
            .bytes()
            .enumerate()
            .filter(|&(_, b)| matches!(b, b'"' | b'\'' | 0xE2 | 0xC2))
            .map(|(i, _)| i);
        for i in candidates {
            if skip_first && i < first_len {
                continue;
            }
            let Some(c) = walk::after(ptext, i).chars().next() else {
                continue;
            };
            if !matches!(
                c,
                '“' | '”' | '‘' | '’' | '„' | '‚' | '"' | '\'' | '«' | '»'
            ) {
                continue;
            }
            let prev = walk::before(ptext, i).chars().next_back();
            let next = walk::after(ptext, i + c.len_utf8()).chars().next();
            // "‘… the Ukrainians’ plans,’": a plural possessive inside a single quote
            // that closes a little later.
            let plural_possessive = matches!(c, '’' | '\'')
                && prev == Some('s')
                && space(next)
                && next.is_some()
                && stack.iter().any(|&(f, _)| f == Family::Single)
                && later_single_close(walk::after(ptext, i + c.len_utf8()));
            if plural_possessive {
                continue;
            }
            match classify(c, prev, next, &stack) {
                Some(Mark::Open(f)) if stack.len() < MAX_DEPTH => {
                    if stack.is_empty() {
                        origin = p;
                    }
                    stack.push((f, base + i));
                }
                Some(Mark::Close(f)) => {
                    if let Some(d) = stack.iter().rposition(|&(g, _)| g == f) {
                        let open = stack[d].1;
                        stack.truncate(d);
                        if d == 0 {
                            let inner_start = open
                                + walk::after(text, open)
                                    .chars()
                                    .next()
                                    .map_or(0, char::len_utf8);
                            if let Some(q) = make(
                                text,
                                open,
                                inner_start,
                                base + i,
                                base + i + c.len_utf8(),
                                true,
                                origin,
                                p,
                            ) {
                                out.push(q);
                            }
                        }
                    }
                }
                _ => {}
            }
        }
        let Some(&(family, open)) = stack.first() else {
            continue;
        };
        // Still open at the paragraph's end: continue or cap.
        let opened_at_start =
            open == base || origin < p || walk::before(text, open).trim_end().ends_with([':', ',']);
        let next_opens = paragraphs
            .get(p + 1)
            .and_then(|n| n.slice(text))
            .and_then(leading_open)
            == Some(family);
        if opened_at_start && next_opens {
            carried = Some((family, open, origin));
        } else {
            let inner_start = open
                + walk::after(text, open)
                    .chars()
                    .next()
                    .map_or(0, char::len_utf8);
            if let Some(q) = make(
                text,
                open,
                inner_start,
                para.end(),
                para.end(),
                false,
                origin,
                p,
            ) {
                out.push(q);
            }
        }
    }
    out
}

/// A quote from its mark positions, with the inner span trimmed; `None` when nothing
/// but whitespace and punctuation lies between the marks.
#[allow(clippy::too_many_arguments)]
fn make(
    text: &str,
    open: usize,
    inner_start: usize,
    inner_end: usize,
    end: usize,
    closed: bool,
    first_para: usize,
    last_para: usize,
) -> Option<RawQuote> {
    let inner = text.get(inner_start..inner_end)?;
    if !inner.chars().any(char::is_alphanumeric) {
        return None;
    }
    let lead = inner.len() - inner.trim_start().len();
    let trimmed = inner.trim();
    Some(RawQuote {
        open,
        inner: Span::new(inner_start + lead, inner_start + lead + trimmed.len()),
        end,
        closed,
        first_para,
        last_para,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn quotes(text: &str) -> Vec<&str> {
        let seg = sitrep_text::segment(text);
        scan(text, &seg.paragraphs)
            .iter()
            .map(|q| q.inner.slice(text).unwrap_or("<invalid>"))
            .collect()
    }

    #[test]
    fn pairs_curly_and_straight_marks() {
        assert_eq!(
            quotes("He said “yes” and \"no\" and «peut-être»."),
            ["yes", "no", "peut-être"]
        );
        assert_eq!(quotes("„Nein“, sagte er."), ["Nein"]);
    }

    #[test]
    fn apostrophes_are_not_quotes() {
        assert!(quotes("Russia’s army shelled the Ukrainians’ homes and don’t stop.").is_empty());
        assert!(quotes("Russia's army shelled the Ukrainians' homes in the ’90s.").is_empty());
        assert_eq!(
            quotes("‘We don’t know the Ukrainians’ plans,’ she said."),
            ["We don’t know the Ukrainians’ plans,"]
        );
    }

    #[test]
    fn nested_quotes_stay_inside() {
        assert_eq!(
            quotes("“They called it ‘a trap’ and left,” he said."),
            ["They called it ‘a trap’ and left,"]
        );
    }

    #[test]
    fn unbalanced_quote_is_capped_at_paragraph() {
        let q = quotes("He said “this never ends.\n\nNext paragraph here. “Another” one.");
        assert_eq!(q, ["this never ends.", "Another"]);
    }

    #[test]
    fn quote_continues_into_next_paragraph() {
        let text = "“First part of it.\n\n“Second part,” he said.";
        assert_eq!(quotes(text), ["First part of it.\n\n“Second part,"]);
    }
}
