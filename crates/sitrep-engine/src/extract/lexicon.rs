//! Lexicon matching shared by the fact stages: rows of the phrase files in
//! `data/lexicon/`, the case-insensitive word-bounded [`Matcher`], and the per-document
//! scan ([`scan_document`]) that finds the phrases of every matcher in one pass.
//!
//! The stages ask their matchers about many spans of one document (the whole text, then
//! sentence after sentence, sometimes the same sentence twice). Without a scan each
//! question runs an automaton over its span; with one, it is a binary search into hits
//! found once. The answers are the same either way (a test checks it).

use std::cell::RefCell;
use std::collections::HashMap;
use std::marker::PhantomData;
use std::sync::OnceLock;

use aho_corasick::{AhoCorasick, AhoCorasickKind, Input};
use sitrep_core::Span;

/// One row of a lexicon file: its class and up to two value columns.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Row {
    /// Second column.
    pub(crate) class: &'static str,
    /// Third column (may be empty).
    pub(crate) a: &'static str,
    /// Fourth column (may be empty).
    pub(crate) b: &'static str,
}

/// A lexicon phrase found in the text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Hit {
    /// Where it is.
    pub(crate) span: Span,
    /// What it is.
    pub(crate) row: Row,
}

/// Parses a tab-separated lexicon: `phrase<TAB>class[<TAB>a[<TAB>b]]`, `#` comments.
pub(crate) fn parse_rows(src: &'static str) -> Vec<(&'static str, Row)> {
    src.lines()
        .filter(|l| !l.trim_start().starts_with('#'))
        .filter_map(|l| {
            let mut cols = l.split('\t').map(str::trim);
            let phrase = cols.next().filter(|p| !p.is_empty())?;
            let class = cols.next().unwrap_or("");
            let a = cols.next().unwrap_or("");
            let b = cols.next().unwrap_or("");
            Some((phrase, Row { class, a, b }))
        })
        .collect()
}

/// A phrase occurrence before selection: start, end, pattern index in its matcher.
type Raw = (usize, usize, usize);

/// An Aho–Corasick matcher over some classes of a lexicon, matching case-insensitively
/// on word boundaries; at each place the longest phrase wins.
#[derive(Debug)]
pub(crate) struct Matcher {
    ac: Option<AhoCorasick>,
    phrases: Vec<&'static str>,
    rows: Vec<Row>,
}

impl Matcher {
    /// A matcher over the rows of `src` whose class is in `classes`.
    pub(crate) fn new(src: &'static str, classes: &[&str]) -> Matcher {
        let (phrases, rows): (Vec<&'static str>, Vec<Row>) = parse_rows(src)
            .into_iter()
            .filter(|(_, r)| classes.contains(&r.class))
            .unzip();
        Matcher {
            ac: automaton(&phrases),
            phrases,
            rows,
        }
    }

    /// Non-overlapping, word-bounded matches inside `range`, in text order.
    pub(crate) fn find(&self, text: &str, range: Span) -> Vec<Hit> {
        let Some(ac) = &self.ac else {
            return Vec::new();
        };
        let (a, b) = (range.start(), range.end().min(text.len()));
        if a >= b || !text.is_char_boundary(a) || !text.is_char_boundary(b) {
            return Vec::new();
        }
        let scanned = ACTIVE.with(|active| {
            let active = active.borrow();
            let scan = active.as_ref().filter(|s| s.is(text))?;
            let hits = scan.hits.get(combined().index_of(self)?)?;
            let lo = hits.partition_point(|h| h.0 < a);
            Some(
                self.select(
                    hits[lo..]
                        .iter()
                        .take_while(|h| h.0 < b)
                        .filter(|h| h.1 <= b)
                        .copied(),
                ),
            )
        });
        if let Some(hits) = scanned {
            return hits;
        }
        let mut all: Vec<Raw> = ac
            .find_overlapping_iter(Input::new(text).range(a..b))
            .filter(|m| is_word_bounded(text, m.start(), m.end()))
            .map(|m| (m.start(), m.end(), m.pattern().as_usize()))
            .collect();
        sort_raw(&mut all);
        self.select(all.into_iter())
    }

    /// The longest hit at each place, from occurrences sorted by [`sort_raw`].
    fn select(&self, all: impl Iterator<Item = Raw>) -> Vec<Hit> {
        let mut out = Vec::new();
        let mut last = (0, 0);
        for (s, e, p) in all {
            // The same phrase may be listed under several classes: keep each.
            if s >= last.1 || (s, e) == last {
                if let Some(row) = self.rows.get(p) {
                    out.push(Hit {
                        span: Span::new(s, e),
                        row: *row,
                    });
                    last = (s, e);
                }
            }
        }
        out
    }
}

/// A case-insensitive automaton over `phrases`. A contiguous NFA, not a DFA: over all
/// 684 phrases of the stages a DFA takes 2.1 MB, too big for the CPU caches, and its
/// scan ran slower than this 126 KB NFA's; it is also quicker to build at start-up.
fn automaton(phrases: &[&str]) -> Option<AhoCorasick> {
    AhoCorasick::builder()
        .ascii_case_insensitive(true)
        .kind(Some(AhoCorasickKind::ContiguousNFA))
        .build(phrases)
        .ok()
}

/// By start, then longer first, then pattern: the order selection expects.
fn sort_raw(all: &mut [Raw]) {
    all.sort_unstable_by(|x, y| x.0.cmp(&y.0).then(y.1.cmp(&x.1)).then(x.2.cmp(&y.2)));
}

/// True when `start..end` neither starts nor ends inside a word.
pub(crate) fn is_word_bounded(text: &str, start: usize, end: usize) -> bool {
    let before = text.get(..start).and_then(|t| t.chars().next_back());
    let after = text.get(end..).and_then(|t| t.chars().next());
    !matches!(before, Some(c) if c.is_alphanumeric())
        && !matches!(after, Some(c) if c.is_alphanumeric())
}

/// Hits whose start lies inside `span` (hits sorted by start).
pub(crate) fn hits_in(hits: &[Hit], span: Span) -> &[Hit] {
    let a = hits.partition_point(|h| h.span.start < span.start);
    let b = hits.partition_point(|h| h.span.start < span.end);
    &hits[a..b.max(a)]
}

/// Every matcher of the fact stages in one automaton: distinct phrases (ASCII
/// case-folded) with the (matcher, pattern) pairs each stands for.
struct Combined {
    ac: Option<AhoCorasick>,
    matchers: Vec<&'static Matcher>,
    targets: Vec<Vec<(usize, usize)>>,
}

impl Combined {
    fn build(matchers: Vec<&'static Matcher>) -> Combined {
        let mut ids: HashMap<String, usize> = HashMap::new();
        let mut phrases: Vec<&str> = Vec::new();
        let mut targets: Vec<Vec<(usize, usize)>> = Vec::new();
        for (mi, m) in matchers.iter().enumerate() {
            for (pi, phrase) in m.phrases.iter().enumerate() {
                let id = *ids.entry(phrase.to_ascii_lowercase()).or_insert_with(|| {
                    phrases.push(phrase);
                    targets.push(Vec::new());
                    phrases.len() - 1
                });
                targets[id].push((mi, pi));
            }
        }
        Combined {
            ac: automaton(&phrases),
            matchers,
            targets,
        }
    }

    fn index_of(&self, m: &Matcher) -> Option<usize> {
        self.matchers.iter().position(|x| std::ptr::eq(*x, m))
    }
}

fn combined() -> &'static Combined {
    static C: OnceLock<Combined> = OnceLock::new();
    C.get_or_init(|| Combined::build(super::all_matchers()))
}

/// The hits of every matcher over one text, each list sorted by [`sort_raw`].
struct Scan {
    text_ptr: usize,
    text_len: usize,
    hits: Vec<Vec<Raw>>,
}

impl Scan {
    /// Whether `text` is the scanned text: the same bytes at the same address, which
    /// the guard's borrow keeps alive and unchanged.
    fn is(&self, text: &str) -> bool {
        self.text_ptr == text.as_ptr() as usize && self.text_len == text.len()
    }
}

thread_local! {
    static ACTIVE: RefCell<Option<Scan>> = const { RefCell::new(None) };
}

/// While alive, [`Matcher::find`] on this thread answers questions about the scanned
/// text from one combined scan. Dropping it restores whatever scan was active before.
#[must_use = "the scan is used only while the guard is alive"]
pub struct DocumentScan<'t> {
    prev: Option<Scan>,
    _text: PhantomData<&'t str>,
}

/// Finds the phrases of every fact-stage matcher in `text` in one pass, for the
/// lifetime of the returned guard.
pub fn scan_document(text: &str) -> DocumentScan<'_> {
    let c = combined();
    let mut hits: Vec<Vec<Raw>> = vec![Vec::new(); c.matchers.len()];
    if let Some(ac) = &c.ac {
        for m in ac.find_overlapping_iter(text) {
            if !is_word_bounded(text, m.start(), m.end()) {
                continue;
            }
            for &(mi, pi) in c.targets.get(m.pattern().as_usize()).into_iter().flatten() {
                hits[mi].push((m.start(), m.end(), pi));
            }
        }
    }
    for list in &mut hits {
        sort_raw(list);
    }
    let scan = Scan {
        text_ptr: text.as_ptr() as usize,
        text_len: text.len(),
        hits,
    };
    let prev = ACTIVE.with(|a| a.borrow_mut().replace(scan));
    DocumentScan {
        prev,
        _text: PhantomData,
    }
}

impl Drop for DocumentScan<'_> {
    fn drop(&mut self) {
        let prev = self.prev.take();
        // During thread teardown the slot may be gone already; nothing to restore then.
        let _ = ACTIVE.try_with(|a| *a.borrow_mut() = prev);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn longest_phrase_wins_and_duplicates_are_kept() {
        let m = Matcher::new(
            "drone strike\tt\ndrone\tt\nstrike\tt\nstrike\tu\n",
            &["t", "u"],
        );
        let text = "A drone strike, then a strike.";
        let hits = m.find(text, Span::new(0, text.len()));
        let got: Vec<(&str, &str)> = hits
            .iter()
            .map(|h| (&text[h.span.start()..h.span.end()], h.row.class))
            .collect();
        assert_eq!(
            got,
            vec![("drone strike", "t"), ("strike", "t"), ("strike", "u")]
        );
        assert!(m.find("airstrikes", Span::new(0, 10)).is_empty());
    }

    /// The combined scan must answer exactly as each matcher's own automaton, for the
    /// whole text, every sentence-like piece and odd ranges.
    #[test]
    fn document_scan_answers_as_the_matchers_do() {
        let text = "Russian forces shelled Kherson on Monday, killing two, officials said. \
                    The Kremlin denied the report and called for talks in Istanbul. \
                    A ceasefire proposal was rejected; drone strikes hit Odesa overnight. \
                    Talks were postponed, the foreign ministry said in a statement.";
        let mut ranges = vec![Span::new(0, text.len())];
        let mut start = 0;
        for (i, c) in text.char_indices() {
            if c == '.' || c == ';' || c == ',' {
                ranges.push(Span::new(start, i + 1));
                start = i + 1;
            }
        }
        ranges.push(Span::new(7, 60));
        ranges.push(Span::new(text.len() - 5, text.len() + 10));
        let matchers = super::super::all_matchers();
        let direct: Vec<Vec<Vec<Hit>>> = matchers
            .iter()
            .map(|m| ranges.iter().map(|&r| m.find(text, r)).collect())
            .collect();
        assert!(direct.iter().flatten().any(|h| !h.is_empty()));
        let guard = scan_document(text);
        for (m, want) in matchers.iter().zip(&direct) {
            for (r, want) in ranges.iter().zip(want) {
                assert_eq!(&m.find(text, *r), want, "range {r:?}");
            }
        }
        // An equal text elsewhere in memory is not the scanned one: answered directly.
        let copy = text.to_owned();
        assert_eq!(&matchers[0].find(&copy, ranges[0]), &direct[0][0]);
        drop(guard);
        assert!(ACTIVE.with(|a| a.borrow().is_none()));
    }
}
