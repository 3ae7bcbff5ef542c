//! Gazetteer bits: per-token [`crate::flags`] from the knowledge base and name lists.
//!
//! Two sources, both independent of the training data:
//! - the **knowledge base** (`sitrep-kb`): [`Kb::find_in`] over the sentence's text gives
//!   byte spans of places, countries, demonyms, organisations, metonyms, titles and
//!   name variants; every token inside a match gets the bits of the match's readings,
//!   and the first token also [`flags::BEGIN`];
//! - **person-name lists**: given names and frequent surnames of the 1990 US Census
//!   (`crates/sitrep-ner/data/person_names.tsv`, built by `build_person_names.py`
//!   beside it), plus the names of `data/lexicon/public_figures.tsv` (first word a given
//!   name, the rest surnames). Looked up by lower-cased token, so the bits fire in any
//!   casing; the tagger conjoins them with the token's capitalisation.
//!
//! The tagger is trained and run with bits computed the same way: sentence by
//! sentence, on the sentence's own text. Gold files give only tokens, so for training
//! and evaluation [`join_tokens`] rebuilds a text by joining tokens with single spaces.
//!
//! Cost: one `find_in` per sentence (the KB's automaton walk) plus one hash lookup per
//! token; the buffers are reused, nothing is kept between sentences.

use std::ops::Range;
use std::sync::OnceLock;

use sitrep_kb::{Entry, Kb, KbMatch, VariantKind};

use crate::features::{hash_bytes, lower_into, LOWER_CAP};
use crate::flags;

const PERSON_NAMES: &str = include_str!("../data/person_names.tsv");
const PUBLIC_FIGURES: &str = include_str!("../../../data/lexicon/public_figures.tsv");

/// Seed of the name-list hash (unrelated to the feature hashes).
const NAME_SEED: u64 = 0x6e61_6d65;

/// Lower-cased word → bits, in an open-addressing table of one `u64` per slot: the
/// word's hash with its low byte replaced by the bits, so that a look-up reads one
/// cache line. Two different words would need equal 56-bit hash prefixes to collide.
#[derive(Debug, Clone)]
struct NameTable {
    slots: Vec<u64>,
    mask: usize,
}

/// The part of a word hash a slot keeps.
const HASH_PART: u64 = !0xFF;

impl NameTable {
    fn new(words: &[(String, u8)]) -> NameTable {
        let cap = (words.len().max(4) * 2).next_power_of_two();
        let mut t = NameTable {
            slots: vec![0; cap],
            mask: cap - 1,
        };
        for (w, b) in words {
            let h = word_hash(w);
            let mut i = (h >> 8) as usize & t.mask;
            while t.slots[i] != 0 && t.slots[i] & HASH_PART != h {
                i = (i + 1) & t.mask;
            }
            t.slots[i] = h | u64::from(*b) | (t.slots[i] & 0xFF);
        }
        t
    }

    #[inline]
    fn get(&self, word: &str) -> u8 {
        // Names start with a letter: skip punctuation and numbers without hashing.
        match word.as_bytes().first() {
            Some(b) if b.is_ascii_alphabetic() || *b >= 0x80 => {}
            _ => return 0,
        }
        let h = word_hash(word);
        let mut i = (h >> 8) as usize & self.mask;
        loop {
            let slot = self.slots[i];
            if slot == 0 {
                return 0;
            }
            if slot & HASH_PART == h {
                return (slot & 0xFF) as u8;
            }
            i = (i + 1) & self.mask;
        }
    }

    fn len(&self) -> usize {
        self.slots.iter().filter(|&&s| s != 0).count()
    }
}

/// Hash of the lower-cased word with its low byte cleared (never 0, which marks an
/// empty slot).
#[inline]
fn word_hash(word: &str) -> u64 {
    let mut buf = [0u8; LOWER_CAP];
    let n = if word.is_ascii() {
        let n = word.len().min(LOWER_CAP);
        for (d, &b) in buf.iter_mut().zip(&word.as_bytes()[..n]) {
            *d = b.to_ascii_lowercase();
        }
        n
    } else {
        lower_into(word, &mut buf)
    };
    (hash_bytes(NAME_SEED, &buf[..n]) & HASH_PART).max(0x100)
}

/// Parses `person_names.tsv` (`name TAB given|surname|both`) and the public-figures
/// list into (word, bits) pairs. Malformed lines are skipped.
fn name_words(names: &str, figures: &str) -> Vec<(String, u8)> {
    let mut out = Vec::new();
    for line in names.lines() {
        if line.starts_with('#') {
            continue;
        }
        let Some((name, kind)) = line.split_once('\t') else {
            continue;
        };
        let bits = match kind.trim() {
            "given" => flags::GIVEN_NAME,
            "surname" => flags::PERSON,
            "both" => flags::GIVEN_NAME | flags::PERSON,
            _ => continue,
        };
        out.push((name.to_owned(), bits));
    }
    for line in figures.lines() {
        if line.starts_with('#') || line.trim().is_empty() {
            continue;
        }
        let mut cols = line.split('\t');
        let (Some(name), aliases) = (cols.next(), cols.next().unwrap_or("")) else {
            continue;
        };
        for (k, word) in name.split_whitespace().enumerate() {
            let bits = if k == 0 {
                flags::GIVEN_NAME
            } else {
                flags::PERSON
            };
            out.push((word.to_owned(), bits));
        }
        for alias in aliases.split(';').map(str::trim) {
            if !alias.is_empty() && !alias.contains(' ') {
                out.push((alias.to_owned(), flags::PERSON));
            }
        }
    }
    out
}

/// Computes [`crate::flags`] for tokens of a sentence. Cheap to share (`Sync`).
#[derive(Clone)]
pub struct Gazetteer<'k> {
    kb: &'k Kb,
    names: NameTable,
}

impl std::fmt::Debug for Gazetteer<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Gazetteer")
            .field("kb_keys", &self.kb.key_count())
            .field("names", &self.names.len())
            .finish()
    }
}

impl Gazetteer<'static> {
    /// The gazetteer over the embedded knowledge base and name lists, built once.
    pub fn embedded() -> &'static Gazetteer<'static> {
        static G: OnceLock<Gazetteer<'static>> = OnceLock::new();
        G.get_or_init(|| Gazetteer::new(Kb::embedded()))
    }
}

impl<'k> Gazetteer<'k> {
    /// A gazetteer over `kb` and the embedded name lists.
    pub fn new(kb: &'k Kb) -> Gazetteer<'k> {
        Gazetteer {
            kb,
            names: NameTable::new(&name_words(PERSON_NAMES, PUBLIC_FIGURES)),
        }
    }

    /// Name-list bits of one word ([`flags::GIVEN_NAME`], [`flags::PERSON`]), any casing.
    pub fn name_bits(&self, word: &str) -> u8 {
        self.names.get(word)
    }

    /// Writes one flag byte per token into `out` (cleared first). `text` is the
    /// sentence (or any text the tokens lie in), `tokens` their byte ranges in it, in
    /// text order. Ranges outside `text` or off character boundaries get no KB bits and
    /// never panic.
    pub fn flags_into(&self, text: &str, tokens: &[Range<usize>], out: &mut Vec<u8>) {
        let whole = 0..tokens.len();
        self.flags_doc(text, tokens, std::slice::from_ref(&whole), out);
    }

    /// Like [`Gazetteer::flags_into`] for a whole document at once: `tokens` are all
    /// its tokens in text order and `sentences` the token-index ranges of its
    /// sentences. The knowledge base is matched once over `text` (so a place that needs
    /// its country named finds it anywhere in the document); the lower-case fallback
    /// (see the module docs) is decided sentence by sentence. Out-of-range sentence
    /// ranges are skipped.
    pub fn flags_doc(
        &self,
        text: &str,
        tokens: &[Range<usize>],
        sentences: &[Range<usize>],
        out: &mut Vec<u8>,
    ) {
        if tokens.is_empty() {
            out.clear();
            return;
        }
        let matches = self.kb.find_in(text);
        self.flags_doc_matched(text, &matches, tokens, sentences, out);
    }

    /// Like [`Gazetteer::flags_doc`] with the knowledge-base matches of `text` already
    /// computed (by `Kb::find_in` of this gazetteer's knowledge base), so that a caller
    /// who needs them too matches the document once.
    pub fn flags_doc_matched(
        &self,
        text: &str,
        matches: &[KbMatch<'_>],
        tokens: &[Range<usize>],
        sentences: &[Range<usize>],
        out: &mut Vec<u8>,
    ) {
        out.clear();
        out.extend(
            tokens
                .iter()
                .map(|r| text.get(r.clone()).map_or(0, |w| self.names.get(w))),
        );
        if tokens.is_empty() {
            return;
        }
        mark(matches, 0, tokens, out, false);
        // Web text typed without capitals ("flights to san francisco") hides every name
        // from the case-aware matcher: match places and countries again on a copy of
        // the sentence with each content word capitalised (same bytes, same ranges).
        for s in sentences {
            let Some(sent) = tokens.get(s.clone()) else {
                continue;
            };
            if let Some((base, titled)) = title_case_copy(text, sent) {
                let matches = self.kb.find_in(&titled);
                if let Some(flags) = out.get_mut(s.clone()) {
                    mark(&matches, base, sent, flags, true);
                }
            }
        }
    }

    /// Flags for bare tokens (gold files): joins them with spaces ([`join_tokens`])
    /// and calls [`Gazetteer::flags_into`]. `scratch` holds the joined text.
    pub fn flags_for_tokens(&self, tokens: &[&str], scratch: &mut Scratch, out: &mut Vec<u8>) {
        join_tokens(tokens, &mut scratch.text, &mut scratch.spans);
        self.flags_into(&scratch.text, &scratch.spans, out);
    }
}

/// Sets the bits of `matches` (byte spans relative to `base`) on the tokens they cover
/// (`places_only`: only place and country readings).
fn mark(
    matches: &[KbMatch<'_>],
    base: usize,
    tokens: &[Range<usize>],
    out: &mut [u8],
    places_only: bool,
) {
    let mut ti = 0;
    for m in matches {
        let mut bits = 0u8;
        for c in &m.candidates {
            bits |= match &c.entry {
                Entry::Place(_) => flags::PLACE,
                Entry::Country(_) => flags::COUNTRY,
                Entry::Org(_) | Entry::Metonym(_) => flags::ORG,
                Entry::Title(_) => flags::TITLE,
                Entry::Demonym { .. } => flags::DEMONYM,
                Entry::Variant(v) => match v.kind {
                    VariantKind::Person => flags::PERSON,
                    VariantKind::Place => flags::PLACE,
                },
            };
        }
        if places_only {
            bits &= flags::PLACE | flags::COUNTRY;
        }
        if bits == 0 {
            continue;
        }
        let span = m.span.start + base..m.span.end + base;
        while ti < tokens.len() && tokens[ti].end <= span.start {
            ti += 1;
        }
        let mut first = true;
        let mut k = ti;
        while k < tokens.len() && k < out.len() && tokens[k].start < span.end {
            out[k] |= bits | if first { flags::BEGIN } else { 0 };
            first = false;
            k += 1;
        }
    }
}

/// Function words left in lower case by [`title_case_copy`].
const KEEP_LOWER: &[&str] = &[
    "a", "an", "the", "of", "and", "or", "in", "on", "at", "to", "for", "from", "by", "with", "i",
    "is", "are", "was", "be", "it", "my", "me", "you", "we", "he", "she", "they", "this", "that",
    "there", "here", "what", "where", "how", "not", "no", "so", "do", "if", "but",
];

/// For a sentence of at least three words with no capital letter after its first token
/// (`I` aside), a copy of its text (from its first token's start, returned with it)
/// with the first letter of every other lower-case word capitalised; `None` otherwise.
/// Only ASCII letters are changed, so every byte range stays the same.
fn title_case_copy(text: &str, tokens: &[Range<usize>]) -> Option<(usize, String)> {
    let mut words = 0;
    for (i, r) in tokens.iter().enumerate() {
        let w = text.get(r.clone())?;
        let Some(c) = w.chars().next() else { continue };
        if c.is_alphabetic() {
            words += 1;
            if i > 0 && w != "I" && w.chars().any(char::is_uppercase) {
                return None;
            }
        }
    }
    if words < 3 {
        return None;
    }
    let base = tokens.first()?.start;
    let end = tokens.iter().map(|r| r.end).max()?;
    let mut bytes = text.get(base..end)?.as_bytes().to_vec();
    for r in tokens {
        let w = &text[r.clone()];
        if w.len() >= 2
            && r.start >= base
            && w.as_bytes()[0].is_ascii_lowercase()
            && !KEEP_LOWER.contains(&w)
        {
            bytes[r.start - base] = bytes[r.start - base].to_ascii_uppercase();
        }
    }
    String::from_utf8(bytes).ok().map(|t| (base, t))
}

/// Reusable buffers for [`Gazetteer::flags_for_tokens`].
#[derive(Debug, Default, Clone)]
pub struct Scratch {
    text: String,
    spans: Vec<Range<usize>>,
}

impl Scratch {
    /// Empty buffers.
    pub fn new() -> Scratch {
        Scratch::default()
    }
}

/// Rebuilds a sentence text from tokens, joined by single spaces, with each token's
/// byte range in it (both buffers are cleared first).
pub fn join_tokens(tokens: &[&str], text: &mut String, spans: &mut Vec<Range<usize>>) {
    text.clear();
    spans.clear();
    for (i, t) in tokens.iter().enumerate() {
        if i > 0 {
            text.push(' ');
        }
        let start = text.len();
        text.push_str(t);
        spans.push(start..text.len());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bits(tokens: &[&str]) -> Vec<u8> {
        let g = Gazetteer::embedded();
        let mut out = Vec::new();
        g.flags_for_tokens(tokens, &mut Scratch::new(), &mut out);
        out
    }

    #[test]
    fn joins_tokens_with_spans() {
        let (mut text, mut spans) = (String::new(), Vec::new());
        join_tokens(&["Kyiv", "'s", "mayor"], &mut text, &mut spans);
        assert_eq!(text, "Kyiv 's mayor");
        assert_eq!(spans, vec![0..4, 5..7, 8..13]);
    }

    #[test]
    fn kb_and_name_bits() {
        let toks = [
            "President",
            "John",
            "Smith",
            "visited",
            "New",
            "York",
            "and",
            "Ukraine",
            ".",
        ];
        let b = bits(&toks);
        assert_eq!(b.len(), toks.len());
        assert_ne!(b[0] & flags::TITLE, 0, "{b:?}");
        assert_ne!(b[1] & flags::GIVEN_NAME, 0);
        assert_ne!(b[2] & flags::PERSON, 0);
        assert_ne!(b[4] & flags::PLACE, 0, "{b:?}");
        assert_ne!(b[4] & flags::BEGIN, 0);
        assert_ne!(b[5] & flags::PLACE, 0);
        assert_eq!(b[5] & flags::BEGIN, 0);
        assert_ne!(b[7] & flags::COUNTRY, 0);
        assert_eq!(b[8], 0);
        assert_eq!(b[3] & !flags::PERSON, 0);
    }

    #[test]
    fn lower_case_sentences_find_places() {
        let b = bits(&["flights", "to", "san", "francisco", "and", "malaysia"]);
        assert_ne!(b[2] & flags::PLACE, 0, "{b:?}");
        assert_ne!(b[3] & flags::PLACE, 0);
        assert_ne!(b[5] & flags::COUNTRY, 0);
        assert_eq!(b[1] & (flags::PLACE | flags::COUNTRY), 0);
        // Not when the sentence has capitals: there the case is informative.
        let b = bits(&["Flights", "to", "Paris", "and", "malaysia"]);
        assert_eq!(b[4] & flags::COUNTRY, 0);
    }

    #[test]
    fn public_figures_are_person_names() {
        let b = bits(&["Peskov", "said"]);
        assert_ne!(b[0] & flags::PERSON, 0);
        let g = Gazetteer::embedded();
        assert_ne!(g.name_bits("LAVROV") & flags::PERSON, 0);
        assert_ne!(g.name_bits("sergei") & flags::GIVEN_NAME, 0);
        assert_eq!(g.name_bits("the"), 0);
    }

    #[test]
    fn odd_input_never_panics() {
        let g = Gazetteer::embedded();
        let mut out = Vec::new();
        // Ranges past the end, reversed and off char boundaries.
        #[allow(clippy::reversed_empty_ranges)]
        let ranges = [0..1, 3..2, 2..4, 0..100];
        g.flags_into("Київ", &ranges, &mut out);
        assert_eq!(out.len(), 4);
        g.flags_into("", &[], &mut out);
        assert!(out.is_empty());
        let long: Vec<&str> = std::iter::repeat_n(["PARIS", "🙂", "Київ", "x"], 2_500)
            .flatten()
            .collect();
        let b = bits(&long);
        assert_eq!(b.len(), 10_000);
    }
}
