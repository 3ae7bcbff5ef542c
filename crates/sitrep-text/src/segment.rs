//! Paragraphs, sentences and tokens with byte spans.
//!
//! Three nested passes, each linear and without backtracking:
//!
//! 1. paragraphs — maximal runs of non-blank lines, trimmed;
//! 2. tokens — a hand-written scanner per paragraph (`Tokenizer`) that also notes, for
//!    each token, whether whitespace or a line break came before it and whether it is an
//!    abbreviation that keeps its period;
//! 3. sentences — a walk over a paragraph's tokens that decides at each end mark (and at
//!    each line break after a headline-like line) whether a new sentence starts.
//!
//! Every non-whitespace byte of a paragraph belongs to exactly one token, so sentence
//! spans (first token start to last token end) tile the paragraph's visible text.
use std::sync::OnceLock;

use sitrep_core::Span;
use unicode_normalization::char::is_combining_mark;

/// What a token is made of.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenKind {
    /// Letters (with inner apostrophes, hyphens or periods of abbreviations).
    Word,
    /// Digits, possibly with separators ("1,200", "3.5").
    Number,
    /// A punctuation mark.
    Punct,
    /// Anything else (symbols, emoji).
    Symbol,
}

/// A token with its byte span.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Token {
    /// Where it is in the text.
    pub span: Span,
    /// What it is made of.
    pub kind: TokenKind,
}

/// A sentence: its span, its paragraph, and the range of its tokens.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sentence {
    /// Where it is in the text.
    pub span: Span,
    /// Index into [`Segmentation::paragraphs`].
    pub paragraph: u32,
    /// Index range into [`Segmentation::tokens`].
    pub tokens: std::ops::Range<u32>,
}

/// The segmentation of one text.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Segmentation {
    /// Paragraph spans, in order.
    pub paragraphs: Vec<Span>,
    /// Sentences, in order.
    pub sentences: Vec<Sentence>,
    /// Tokens, in order.
    pub tokens: Vec<Token>,
}

impl Segmentation {
    /// The tokens of `sentence` (empty when the range does not fit this segmentation).
    pub fn sentence_tokens(&self, sentence: &Sentence) -> &[Token] {
        self.tokens
            .get(sentence.tokens.start as usize..sentence.tokens.end as usize)
            .unwrap_or(&[])
    }

    /// Index of the sentence whose span contains byte `offset`, if any.
    pub fn sentence_at(&self, offset: usize) -> Option<usize> {
        let off = u32::try_from(offset).ok()?;
        let idx = self.sentences.partition_point(|s| s.span.end <= off);
        let s = self.sentences.get(idx)?;
        (s.span.start <= off).then_some(idx)
    }

    /// Cuts every sentence longer than `max_bytes` into consecutive pieces of at most
    /// that size (at token boundaries; a single longer token stays whole).
    ///
    /// No real sentence is kilobytes long; text without punctuation can be. Later stages
    /// do work per sentence that grows with its length, so bounding sentences bounds the
    /// whole pipeline to linear time on any input.
    pub fn split_long_sentences(&mut self, max_bytes: usize) {
        if self.sentences.iter().all(|s| s.span.len() <= max_bytes) {
            return;
        }
        let mut out = Vec::with_capacity(self.sentences.len());
        for sentence in self.sentences.drain(..) {
            if sentence.span.len() <= max_bytes || sentence.tokens.is_empty() {
                out.push(sentence);
                continue;
            }
            let mut first = sentence.tokens.start;
            while first < sentence.tokens.end {
                let start = self.tokens[first as usize].span.start;
                let mut last = first;
                while last + 1 < sentence.tokens.end
                    && (self.tokens[last as usize + 1].span.end - start) as usize <= max_bytes
                {
                    last += 1;
                }
                let end = if last + 1 == sentence.tokens.end {
                    sentence.span.end
                } else {
                    self.tokens[last as usize].span.end
                };
                let begin = if first == sentence.tokens.start {
                    sentence.span.start
                } else {
                    start
                };
                out.push(Sentence {
                    span: Span { start: begin, end },
                    paragraph: sentence.paragraph,
                    tokens: first..last + 1,
                });
                first = last + 1;
            }
        }
        self.sentences = out;
    }

    /// Index of the token whose span contains byte `offset`, if any.
    pub fn token_at(&self, offset: usize) -> Option<usize> {
        let off = u32::try_from(offset).ok()?;
        let idx = self.tokens.partition_point(|t| t.span.end <= off);
        let t = self.tokens.get(idx)?;
        (t.span.start <= off).then_some(idx)
    }
}

/// Segments `text` into paragraphs, sentences and tokens.
///
/// Paragraphs are separated by blank lines. Sentences end at `.`, `!`, `?` or `…` (with
/// any closing quotes or brackets right after) when whitespace and an uppercase letter,
/// digit, uncased letter or opening quote/bracket follow, or when a line break follows;
/// not after titles, months and other listed abbreviations, dotted acronyms or initials
/// unless a common sentence starter ("The", "He", …) follows. A short line without end
/// punctuation followed by a line break (a headline) is a sentence of its own.
pub fn segment(text: &str) -> Segmentation {
    let mut seg = Segmentation::default();
    let mut flags: Vec<u8> = Vec::new();
    for (p, para) in paragraphs(text).enumerate() {
        seg.paragraphs.push(para);
        let first = seg.tokens.len();
        flags.clear();
        for (tok, f) in Tokenizer::new(text, para.start(), para.end()) {
            seg.tokens.push(tok);
            flags.push(f);
        }
        let para_idx = u32::try_from(p).unwrap_or(u32::MAX);
        split_sentences(
            text,
            &seg.tokens[first..],
            &flags,
            first,
            para_idx,
            &mut seg.sentences,
        );
    }
    seg
}

/// Tokens of `text` without paragraph or sentence structure.
pub fn tokenize(text: &str) -> Vec<Token> {
    Tokenizer::new(text, 0, text.len())
        .map(|(t, _)| t)
        .collect()
}

/// The number of word and number tokens in `text` (for throughput figures).
pub fn words(text: &str) -> usize {
    Tokenizer::new(text, 0, text.len())
        .filter(|(t, _)| matches!(t.kind, TokenKind::Word | TokenKind::Number))
        .count()
}

/// Paragraph spans: maximal runs of non-blank lines, without their outer whitespace.
fn paragraphs(text: &str) -> impl Iterator<Item = Span> + '_ {
    let mut line_start = 0;
    let mut current: Option<(usize, usize)> = None;
    let mut done = false;
    std::iter::from_fn(move || {
        while !done {
            let rest = &text[line_start..];
            let line_len = rest.find('\n').unwrap_or(rest.len());
            let line = &rest[..line_len];
            let this_start = line_start;
            if line_len == rest.len() {
                done = true;
            } else {
                line_start += line_len + 1;
            }
            let trimmed = line.trim_start();
            if trimmed.is_empty() {
                if let Some((s, e)) = current.take() {
                    return Some(Span::new(s, e));
                }
            } else {
                let s = this_start + (line.len() - trimmed.len());
                let e = this_start + line.trim_end().len();
                current = Some((current.map_or(s, |(s0, _)| s0), e));
            }
        }
        current.take().map(|(s, e)| Span::new(s, e))
    })
}

// ---------------------------------------------------------------------------------------
// Abbreviations

/// How an abbreviation with a period behaves at a possible sentence end.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Abbr {
    /// A title or rank: never ends a sentence.
    Title,
    /// May end a sentence before a common sentence starter.
    End,
    /// An abbreviation only before a number.
    Num,
}

const ABBREVIATIONS: &str = include_str!("../data/abbreviations.txt");

/// Parses one line of the abbreviation list: `Ok(None)` for blanks and comments.
fn parse_abbreviation_line(line: &str) -> Result<Option<(&str, Abbr)>, String> {
    let line = line.split('#').next().unwrap_or("").trim();
    if line.is_empty() {
        return Ok(None);
    }
    let mut parts = line.split_whitespace();
    let (Some(word), Some(class), None) = (parts.next(), parts.next(), parts.next()) else {
        return Err(format!("expected `<abbreviation> <class>`, got {line:?}"));
    };
    let class = match class {
        "title" => Abbr::Title,
        "month" | "end" => Abbr::End,
        "num" => Abbr::Num,
        other => return Err(format!("unknown class {other:?} in {line:?}")),
    };
    Ok(Some((word, class)))
}

/// The abbreviation table, sorted for binary search; built once.
fn abbreviations() -> &'static [(&'static str, Abbr)] {
    static TABLE: OnceLock<Vec<(&'static str, Abbr)>> = OnceLock::new();
    TABLE.get_or_init(|| {
        let mut table: Vec<_> = ABBREVIATIONS
            .lines()
            .filter_map(|l| parse_abbreviation_line(l).ok().flatten())
            .collect();
        table.sort_unstable_by(|a, b| a.0.cmp(b.0));
        table.dedup_by(|a, b| a.0 == b.0);
        table
    })
}

/// Longest entry worth looking up (bytes); longer words skip the search.
const MAX_ABBREVIATION_LEN: usize = 8;

fn abbreviation(word: &str) -> Option<Abbr> {
    if word.len() > MAX_ABBREVIATION_LEN {
        return None;
    }
    let table = abbreviations();
    table
        .binary_search_by(|(w, _)| (*w).cmp(word))
        .ok()
        .map(|i| table[i].1)
}

/// Capitalised words that commonly open a sentence; after an abbreviation that may end a
/// sentence ("…aid to the U.S. The talks…") they signal a new one. Sorted.
const SENTENCE_STARTERS: &[&str] = &[
    "A",
    "According",
    "After",
    "Also",
    "Although",
    "An",
    "And",
    "As",
    "At",
    "Before",
    "Both",
    "But",
    "By",
    "During",
    "Each",
    "Earlier",
    "For",
    "From",
    "He",
    "Her",
    "Here",
    "His",
    "How",
    "However",
    "I",
    "If",
    "In",
    "It",
    "Its",
    "Last",
    "Later",
    "Many",
    "Meanwhile",
    "Most",
    "My",
    "No",
    "Officials",
    "On",
    "Our",
    "She",
    "Since",
    "So",
    "Some",
    "That",
    "The",
    "Their",
    "Then",
    "There",
    "These",
    "They",
    "This",
    "Those",
    "Though",
    "To",
    "We",
    "What",
    "When",
    "Where",
    "While",
    "Who",
    "Why",
    "With",
    "Yet",
    "You",
];

fn is_sentence_starter(word: &str) -> bool {
    SENTENCE_STARTERS.binary_search(&word).is_ok()
}

// ---------------------------------------------------------------------------------------
// Characters

/// Letters, digits and combining marks. The general Unicode tables cost a search per
/// character, so the Latin, Cyrillic and Arabic ranges that are all letters or marks are
/// answered first.
#[inline]
fn is_word_char(c: char) -> bool {
    if c.is_ascii() {
        return c.is_ascii_alphanumeric();
    }
    match u32::from(c) {
        0xD7 | 0xF7 | 0x482 => false,
        0xC0..=0x2AF | 0x400..=0x52F | 0x620..=0x65F => true,
        _ => c.is_alphanumeric() || is_combining_mark(c),
    }
}

#[inline]
fn is_line_break(c: char) -> bool {
    matches!(
        c,
        '\n' | '\r' | '\u{b}' | '\u{c}' | '\u{85}' | '\u{2028}' | '\u{2029}'
    )
}

/// Punctuation (as opposed to symbols): ASCII punctuation except the math, currency and
/// modifier signs, plus the punctuation blocks and marks that news text uses.
fn is_punct(c: char) -> bool {
    if c.is_ascii() {
        return c.is_ascii_punctuation()
            && !matches!(c, '$' | '+' | '<' | '=' | '>' | '^' | '`' | '|' | '~');
    }
    matches!(c,
        '\u{A1}' | '\u{A7}' | '\u{AB}' | '\u{B6}' | '\u{B7}' | '\u{BB}' | '\u{BF}'
        | '\u{37E}' | '\u{387}' | '\u{55A}'..='\u{55F}' | '\u{589}' | '\u{5BE}' | '\u{5C0}'
        | '\u{5C3}' | '\u{5C6}' | '\u{5F3}' | '\u{5F4}' | '\u{609}' | '\u{60A}'
        | '\u{60C}' | '\u{60D}' | '\u{61B}' | '\u{61D}'..='\u{61F}' | '\u{66A}'..='\u{66D}'
        | '\u{6D4}' | '\u{964}' | '\u{965}' | '\u{2010}'..='\u{2027}' | '\u{2030}'..='\u{205E}'
        | '\u{2E00}'..='\u{2E4F}' | '\u{3001}'..='\u{3003}' | '\u{3008}'..='\u{3011}'
        | '\u{3014}'..='\u{301F}' | '\u{FE10}'..='\u{FE19}' | '\u{FE30}'..='\u{FE4F}'
        | '\u{FF01}'..='\u{FF03}' | '\u{FF05}'..='\u{FF0A}' | '\u{FF0C}'..='\u{FF0F}'
        | '\u{FF1A}' | '\u{FF1B}' | '\u{FF1F}' | '\u{FF20}' | '\u{FF3B}'..='\u{FF3D}'
        | '\u{FF3F}' | '\u{FF5B}' | '\u{FF5D}' | '\u{FF5F}'..='\u{FF65}')
}

/// Characters that attach to the symbol before them: variation selectors, emoji skin-tone
/// modifiers, the keycap mark and tag characters (subdivision flags).
#[inline]
fn is_symbol_modifier(c: char) -> bool {
    matches!(c, '\u{FE00}'..='\u{FE0F}' | '\u{1F3FB}'..='\u{1F3FF}' | '\u{20E3}' | '\u{E0020}'..='\u{E007F}')
        || (!c.is_ascii() && is_combining_mark(c))
}

#[inline]
fn is_regional_indicator(c: char) -> bool {
    matches!(c, '\u{1F1E6}'..='\u{1F1FF}')
}

fn is_apostrophe(c: char) -> bool {
    matches!(c, '\'' | '\u{2019}')
}

// ---------------------------------------------------------------------------------------
// Tokenizer

/// Whitespace came before the token.
const F_WS: u8 = 1;
/// A line break came before the token.
const F_NL: u8 = 2;
/// An abbreviation with its period that never ends a sentence ("Gen.").
const F_NEVER: u8 = 4;
/// An abbreviation with its period that ends a sentence only before a sentence starter.
const F_END: u8 = 8;

/// A scanner over `text[pos..end]` yielding tokens and their flags.
struct Tokenizer<'a> {
    text: &'a str,
    pos: usize,
    end: usize,
    /// The second half of a split word ("'s", "n't"), waiting to be returned.
    queued: Option<Token>,
}

impl<'a> Tokenizer<'a> {
    fn new(text: &'a str, start: usize, end: usize) -> Self {
        let end = end.min(text.len());
        Tokenizer {
            text,
            pos: start.min(end),
            end,
            queued: None,
        }
    }

    /// The character at byte `i` if `i` is inside the range and on a boundary.
    #[inline]
    fn char_at(&self, i: usize) -> Option<char> {
        if i >= self.end {
            return None;
        }
        let b = *self.text.as_bytes().get(i)?;
        if b < 0x80 {
            Some(char::from(b))
        } else {
            self.text.get(i..)?.chars().next()
        }
    }

    fn token(start: usize, end: usize, kind: TokenKind) -> Token {
        Token {
            span: Span::new(start, end),
            kind,
        }
    }

    /// A word or number starting at `start` (a word character). Returns the token and
    /// its abbreviation flags; may queue a split-off clitic.
    fn word(&mut self, start: usize) -> (Token, u8) {
        let mut p = start;
        let mut prev = '\0';
        let mut first_alpha = usize::MAX;
        let mut seg_chars = 0usize; // characters in the current '.'-separated segment
        let mut seg_alpha = false; // the current segment's first character is a letter
        let mut acronym = true; // every segment so far is one letter
        let mut dots = 0usize;
        let mut other_joiners = false;
        let mut last_apostrophe: Option<(usize, usize)> = None;
        while let Some(c) = self.char_at(p) {
            if is_word_char(c) {
                if first_alpha == usize::MAX && c.is_alphabetic() {
                    first_alpha = p;
                }
                if seg_chars == 0 {
                    seg_alpha = c.is_alphabetic();
                }
                seg_chars += 1;
                prev = c;
                p += c.len_utf8();
                // The rest of a run of ASCII letters and digits, byte by byte: the same
                // steps as above (for ASCII, `is_word_char` is `is_ascii_alphanumeric`
                // and `is_alphabetic` is `is_ascii_alphabetic`) without decoding chars.
                let bytes = self.text.as_bytes();
                while p < self.end {
                    let Some(&b) = bytes.get(p) else { break };
                    if !b.is_ascii_alphanumeric() {
                        break;
                    }
                    if first_alpha == usize::MAX && b.is_ascii_alphabetic() {
                        first_alpha = p;
                    }
                    seg_chars += 1;
                    prev = char::from(b);
                    p += 1;
                }
                continue;
            }
            let after = p + c.len_utf8();
            let Some(next) = self.char_at(after).filter(|&n| is_word_char(n)) else {
                break;
            };
            let joins = match c {
                '.' | '-' => true,
                c if is_apostrophe(c) => true,
                ',' | ':' | '/' => prev.is_numeric() && next.is_numeric(),
                _ => false,
            };
            if !joins {
                break;
            }
            if c == '.' {
                acronym &= seg_chars == 1 && seg_alpha;
                dots += 1;
            } else {
                other_joiners = true;
                if is_apostrophe(c) {
                    last_apostrophe = Some((p, after));
                }
            }
            seg_chars = 0;
            p = after;
        }
        acronym &= dots > 0 && !other_joiners && seg_chars == 1 && seg_alpha;

        // A number starts with a digit and has no letter (`start` is always a word start).
        let numeric_start = self.char_at(start).is_some_and(char::is_numeric);
        let kind_of = |e: usize| {
            if numeric_start && first_alpha >= e {
                TokenKind::Number
            } else {
                TokenKind::Word
            }
        };

        // Clitics are split off the way Universal Dependencies tokenises English:
        // "Russia's" → "Russia" "'s", "don't" → "do" "n't", "they're" → "they" "'re".
        if let Some((a, after)) = last_apostrophe {
            let suffix = &self.text[after..p];
            let split_at = if ["s", "re", "ve", "ll", "d", "m"]
                .iter()
                .any(|s| s.eq_ignore_ascii_case(suffix))
            {
                Some(a)
            } else if suffix.eq_ignore_ascii_case("t")
                && a > start + 1
                && matches!(self.text.as_bytes()[a - 1], b'n' | b'N')
                && self.text[start..a - 1]
                    .chars()
                    .next_back()
                    .is_some_and(is_word_char)
            {
                Some(a - 1)
            } else {
                None
            };
            if let Some(at) = split_at {
                self.queued = Some(Self::token(at, p, TokenKind::Word));
                self.pos = p;
                return (Self::token(start, at, kind_of(at)), 0);
            }
        }

        let mut end = p;
        let mut flags = 0;
        let dot_follows = self.char_at(p) == Some('.') && self.char_at(p + 1) != Some('.');
        if dot_follows {
            let word = &self.text[start..p];
            let initial = seg_chars == 1 && dots == 0 && !other_joiners && prev.is_uppercase();
            if acronym || initial {
                flags = F_END;
            } else if !other_joiners && dots == 0 {
                match abbreviation(word) {
                    Some(Abbr::Title) => flags = F_NEVER,
                    Some(Abbr::End) => flags = F_END,
                    Some(Abbr::Num) if self.number_follows(p + 1) => flags = F_NEVER,
                    _ => {}
                }
            }
            if flags != 0 {
                end = p + 1;
            }
        }
        self.pos = end;
        (Self::token(start, end, kind_of(p)), flags)
    }

    /// True when, after spaces, a digit follows byte `i` (on the same line).
    fn number_follows(&self, mut i: usize) -> bool {
        while let Some(c) = self.char_at(i) {
            if c == ' ' || c == '\t' {
                i += 1;
            } else {
                return c.is_numeric();
            }
        }
        false
    }

    /// A punctuation or symbol token starting at `start` with character `c`.
    fn other(&mut self, start: usize, c: char) -> Token {
        let mut p = start + c.len_utf8();
        if c == '.' || c == '-' {
            // "..." and "--" are single tokens.
            while self.char_at(p) == Some(c) {
                p += 1;
            }
            self.pos = p;
            return Self::token(start, p, TokenKind::Punct);
        }
        if is_punct(c) {
            self.pos = p;
            return Self::token(start, p, TokenKind::Punct);
        }
        // A symbol with its modifiers; a flag is a pair of regional indicators; an emoji
        // joined by U+200D continues.
        let mut regional = usize::from(is_regional_indicator(c));
        while let Some(m) = self.char_at(p) {
            if is_symbol_modifier(m) {
                p += m.len_utf8();
            } else if regional == 1 && is_regional_indicator(m) {
                regional = 2;
                p += m.len_utf8();
            } else if m == '\u{200D}' {
                match self.char_at(p + m.len_utf8()) {
                    Some(n) if !n.is_whitespace() && !is_word_char(n) && !is_punct(n) => {
                        p += m.len_utf8() + n.len_utf8();
                    }
                    _ => {
                        p += m.len_utf8();
                        break;
                    }
                }
            } else {
                break;
            }
        }
        self.pos = p;
        Self::token(start, p, TokenKind::Symbol)
    }
}

impl Iterator for Tokenizer<'_> {
    type Item = (Token, u8);

    fn next(&mut self) -> Option<(Token, u8)> {
        if let Some(t) = self.queued.take() {
            return Some((t, 0));
        }
        let mut flags = 0;
        loop {
            let c = self.char_at(self.pos)?;
            if c.is_whitespace() {
                flags |= F_WS;
                if is_line_break(c) {
                    flags |= F_NL;
                }
                self.pos += c.len_utf8();
                continue;
            }
            let start = self.pos;
            if is_word_char(c) {
                let (tok, f) = self.word(start);
                return Some((tok, flags | f));
            }
            return Some((self.other(start, c), flags));
        }
    }
}

// ---------------------------------------------------------------------------------------
// Sentences

fn is_terminal(s: &str) -> bool {
    matches!(
        s,
        "." | "!" | "?" | "…" | "‼" | "⁇" | "⁈" | "⁉" | "。" | "！" | "？" | "؟" | "۔" | "।"
    ) || (s.len() > 1 && s.bytes().all(|b| b == b'.'))
}

fn is_closer(s: &str) -> bool {
    matches!(
        s,
        "\"" | "'" | "”" | "’" | ")" | "]" | "}" | "»" | "›" | "」" | "』" | "）"
    )
}

fn is_opener(s: &str) -> bool {
    matches!(
        s,
        "\"" | "'"
            | "“"
            | "‘"
            | "("
            | "["
            | "{"
            | "«"
            | "‹"
            | "„"
            | "‚"
            | "¿"
            | "¡"
            | "「"
            | "『"
            | "（"
    )
}

/// Could this token open a sentence: an uppercase or uncased letter, a digit, or an
/// opening quote or bracket.
fn starts_like_sentence(s: &str) -> bool {
    match s.chars().next() {
        Some(c) if c.is_alphabetic() => !c.is_lowercase(),
        Some(c) if c.is_numeric() => true,
        Some(_) => is_opener(s),
        None => false,
    }
}

fn split_sentences(
    text: &str,
    toks: &[Token],
    flags: &[u8],
    first: usize,
    paragraph: u32,
    out: &mut Vec<Sentence>,
) {
    let n = toks.len().min(flags.len());
    let slice = |i: usize| toks[i].span.slice(text).unwrap_or("");
    let mut push = |from: usize, to: usize| {
        if from < to {
            let idx = |i: usize| u32::try_from(first + i).unwrap_or(u32::MAX);
            out.push(Sentence {
                span: Span {
                    start: toks[from].span.start,
                    end: toks[to - 1].span.end,
                },
                paragraph,
                tokens: idx(from)..idx(to),
            });
        }
    };
    let mut start = 0;
    let mut line_words = 0usize;
    let mut i = 0;
    while i < n {
        if flags[i] & F_NL != 0 {
            line_words = 0;
        }
        let tok = toks[i];
        if matches!(tok.kind, TokenKind::Word | TokenKind::Number) {
            line_words += 1;
        }
        let mut terminal = tok.kind == TokenKind::Punct && is_terminal(slice(i));
        if terminal || flags[i] & F_END != 0 {
            // Closing quotes, brackets and further end marks that touch it belong here.
            let mut k = i;
            while k + 1 < n && flags[k + 1] & F_WS == 0 && toks[k + 1].kind == TokenKind::Punct {
                let s = slice(k + 1);
                if is_terminal(s) {
                    terminal = true;
                } else if !is_closer(s) {
                    break;
                }
                k += 1;
            }
            let next = k + 1;
            if next >= n {
                break;
            }
            let s = slice(next);
            let f = flags[next];
            let split = if f & F_WS == 0 {
                false
            } else if terminal {
                f & F_NL != 0 || starts_like_sentence(s)
            } else {
                is_sentence_starter(s) || is_opener(s) || (f & F_NL != 0 && starts_like_sentence(s))
            };
            if split {
                push(start, next);
                start = next;
            }
            i = next;
            continue;
        }
        // A short line without end punctuation followed by a line break is a headline,
        // unless the next line goes on in lowercase (a hard-wrapped sentence).
        if i + 1 < n
            && flags[i + 1] & F_NL != 0
            && line_words <= 15
            && ends_headline(text, tok, flags[i])
        {
            let next_lower = slice(i + 1).chars().next().is_some_and(char::is_lowercase);
            if !next_lower {
                push(start, i + 1);
                start = i + 1;
            }
        }
        i += 1;
    }
    push(start, n);
}

/// Can a headline-like line end with this token (a word, number, symbol or closing
/// quote — not a comma, colon, dash or abbreviation)?
fn ends_headline(text: &str, tok: Token, flags: u8) -> bool {
    match tok.kind {
        TokenKind::Word => flags & (F_NEVER | F_END) == 0,
        TokenKind::Number | TokenKind::Symbol => true,
        TokenKind::Punct => flags & F_WS == 0 && tok.span.slice(text).is_some_and(is_closer),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn sentences(text: &str) -> Vec<&str> {
        segment(text)
            .sentences
            .iter()
            .map(|s| s.span.slice(text).unwrap())
            .collect()
    }

    fn toks(text: &str) -> Vec<&str> {
        tokenize(text)
            .iter()
            .map(|t| t.span.slice(text).unwrap())
            .collect()
    }

    fn kinds(text: &str) -> Vec<(&str, TokenKind)> {
        tokenize(text)
            .iter()
            .map(|t| (t.span.slice(text).unwrap(), t.kind))
            .collect()
    }

    #[test]
    fn abbreviation_file_parses() {
        for (n, line) in ABBREVIATIONS.lines().enumerate() {
            if let Err(e) = parse_abbreviation_line(line) {
                panic!("abbreviations.txt line {}: {e}", n + 1);
            }
        }
        assert_eq!(abbreviation("Gen"), Some(Abbr::Title));
        assert_eq!(abbreviation("Feb"), Some(Abbr::End));
        assert_eq!(abbreviation("No"), Some(Abbr::Num));
        assert_eq!(abbreviation("gen"), None);
        assert!(abbreviations().len() > 80);
    }

    #[test]
    fn sentence_starters_are_sorted() {
        assert!(SENTENCE_STARTERS.windows(2).all(|w| w[0] < w[1]));
    }

    #[test]
    fn titles_months_and_acronyms_do_not_split() {
        let t = "Lt. Col. Anna Berg met U.S. envoys on Feb. 3. The talks ended.";
        assert_eq!(
            sentences(t),
            [
                "Lt. Col. Anna Berg met U.S. envoys on Feb. 3.",
                "The talks ended."
            ]
        );
    }

    #[test]
    fn splits_on_end_marks_before_capitals_digits_and_quotes() {
        assert_eq!(
            sentences("It rained. Then it stopped."),
            ["It rained.", "Then it stopped."]
        );
        assert_eq!(
            sentences("Why? Nobody knows! 12 died."),
            ["Why?", "Nobody knows!", "12 died."]
        );
        assert_eq!(
            sentences("It ended. “Good,” he said."),
            ["It ended.", "“Good,” he said."]
        );
        assert_eq!(
            sentences("It ended. (Finally.)"),
            ["It ended.", "(Finally.)"]
        );
        assert_eq!(sentences("Wait… Then go."), ["Wait…", "Then go."]);
        assert_eq!(sentences("Wait... Then go."), ["Wait...", "Then go."]);
    }

    #[test]
    fn does_not_split_before_lowercase_or_without_space() {
        assert_eq!(
            sentences("He said no. but then agreed."),
            ["He said no. but then agreed."]
        );
        assert_eq!(
            sentences("See bbc.co.uk for more."),
            ["See bbc.co.uk for more."]
        );
        assert_eq!(
            sentences("It grew 3.5 per cent."),
            ["It grew 3.5 per cent."]
        );
    }

    #[test]
    fn closing_quote_belongs_to_the_sentence() {
        assert_eq!(
            sentences("“We want peace.” He said it twice."),
            ["“We want peace.”", "He said it twice."]
        );
        assert_eq!(
            sentences("\"Enough!\" She left."),
            ["\"Enough!\"", "She left."]
        );
        assert_eq!(
            sentences("It was over.) Then?! No."),
            ["It was over.)", "Then?!", "No."]
        );
    }

    #[test]
    fn quotes_spanning_sentences_are_still_split() {
        assert_eq!(
            sentences("“We are ready. The army is ready,” he said."),
            ["“We are ready.", "The army is ready,” he said."]
        );
    }

    #[test]
    fn initials_do_not_split() {
        assert_eq!(
            sentences("John F. Kennedy spoke. Then he left."),
            ["John F. Kennedy spoke.", "Then he left."]
        );
    }

    #[test]
    fn acronym_at_sentence_end_splits_before_a_starter() {
        assert_eq!(
            sentences("Kyiv wants more aid from the U.S. The talks resume Monday."),
            [
                "Kyiv wants more aid from the U.S.",
                "The talks resume Monday."
            ]
        );
        assert_eq!(
            sentences("He met the U.K. Defence Secretary."),
            ["He met the U.K. Defence Secretary."]
        );
        assert_eq!(
            sentences("Talks ended on Sept. He left."),
            ["Talks ended on Sept.", "He left."]
        );
        assert_eq!(sentences("Gen. He Wei arrived."), ["Gen. He Wei arrived."]);
    }

    #[test]
    fn number_abbreviations_only_before_numbers() {
        assert_eq!(toks("No. 10 Downing"), ["No.", "10", "Downing"]);
        assert_eq!(
            sentences("He said No. The talks failed."),
            ["He said No.", "The talks failed."]
        );
    }

    #[test]
    fn line_breaks_after_end_marks_and_headlines() {
        assert_eq!(
            sentences("It ended.\nnext line here."),
            ["It ended.", "next line here."]
        );
        assert_eq!(
            sentences("Ceasefire talks downgraded\nLondon talks were cut back."),
            ["Ceasefire talks downgraded", "London talks were cut back."]
        );
        // A hard-wrapped line that goes on in lowercase is not a headline.
        assert_eq!(
            sentences("The envoy said the talks\nwould go on."),
            ["The envoy said the talks\nwould go on."]
        );
        // A line ending in a comma is not a headline.
        assert_eq!(
            sentences("In London,\nThe envoys met."),
            ["In London,\nThe envoys met."]
        );
        // A long line is not a headline.
        let long = "one two three four five six seven eight nine ten eleven twelve thirteen \
                    fourteen fifteen sixteen\nNext words.";
        assert_eq!(sentences(long).len(), 1);
        assert_eq!(
            sentences("Headline without a full stop"),
            ["Headline without a full stop"]
        );
    }

    #[test]
    fn raw_crlf_text_is_handled() {
        let t = "First.\r\nSecond line.\r\n\r\nNext para.\r\n";
        let seg = segment(t);
        assert_eq!(seg.paragraphs.len(), 2);
        assert_eq!(sentences(t), ["First.", "Second line.", "Next para."]);
    }

    #[test]
    fn paragraphs_split_on_blank_lines() {
        let t = "First para. Two sentences.\n\nSecond para\nwith a break.\n  \n\nThird.";
        let seg = segment(t);
        let paras: Vec<&str> = seg.paragraphs.iter().map(|p| p.slice(t).unwrap()).collect();
        assert_eq!(
            paras,
            [
                "First para. Two sentences.",
                "Second para\nwith a break.",
                "Third."
            ]
        );
        let ps: Vec<u32> = seg.sentences.iter().map(|s| s.paragraph).collect();
        assert_eq!(ps, [0, 0, 1, 2]);
        assert_eq!(seg.sentence_tokens(&seg.sentences[3]).len(), 2);
        assert_eq!(seg.sentence_at(t.find("Two").unwrap()), Some(1));
        assert_eq!(seg.sentence_at(t.find("\n\n").unwrap()), None);
        assert_eq!(seg.token_at(1), Some(0));
    }

    #[test]
    fn possessives_and_negations_split_like_ud() {
        assert_eq!(toks("Russia's army"), ["Russia", "'s", "army"]);
        assert_eq!(toks("Ukraine’s allies"), ["Ukraine", "’s", "allies"]);
        assert_eq!(
            toks("don't can't won't"),
            ["do", "n't", "ca", "n't", "wo", "n't"]
        );
        assert_eq!(
            toks("they're we've I'll"),
            ["they", "'re", "we", "'ve", "I", "'ll"]
        );
        assert_eq!(toks("the allies' aid"), ["the", "allies", "'", "aid"]);
        assert_eq!(toks("O'Brien rock'n'roll"), ["O'Brien", "rock'n'roll"]);
    }

    #[test]
    fn hyphens_join_words_and_dates() {
        assert_eq!(
            kinds("non-negotiable 2025-04-23 F-16"),
            [
                ("non-negotiable", TokenKind::Word),
                ("2025-04-23", TokenKind::Number),
                ("F-16", TokenKind::Word)
            ]
        );
        assert_eq!(
            toks("war -- again - yes"),
            ["war", "--", "again", "-", "yes"]
        );
    }

    #[test]
    fn numbers_keep_their_separators() {
        assert_eq!(
            kinds("1,200 3.5 10:30 23/04/2025 5th"),
            [
                ("1,200", TokenKind::Number),
                ("3.5", TokenKind::Number),
                ("10:30", TokenKind::Number),
                ("23/04/2025", TokenKind::Number),
                ("5th", TokenKind::Word)
            ]
        );
        assert_eq!(toks("killed 1,200."), ["killed", "1,200", "."]);
        assert_eq!(toks("a, b: 1, 2"), ["a", ",", "b", ":", "1", ",", "2"]);
    }

    #[test]
    fn abbreviations_keep_their_periods() {
        assert_eq!(toks("Lt. Gen. Smith"), ["Lt.", "Gen.", "Smith"]);
        assert_eq!(toks("the U.S. and E.U."), ["the", "U.S.", "and", "E.U."]);
        assert_eq!(toks("at 3 p.m. today"), ["at", "3", "p.m.", "today"]);
        assert_eq!(toks("John F. Kennedy"), ["John", "F.", "Kennedy"]);
        assert_eq!(toks("It ended."), ["It", "ended", "."]);
        assert_eq!(toks("U.S.-led"), ["U.S.", "-", "led"]);
        assert_eq!(toks("etc..."), ["etc", "..."]);
    }

    #[test]
    fn punctuation_and_symbols() {
        assert_eq!(
            kinds("“Hi” — $5 🇺🇦 👍🏽!"),
            [
                ("“", TokenKind::Punct),
                ("Hi", TokenKind::Word),
                ("”", TokenKind::Punct),
                ("—", TokenKind::Punct),
                ("$", TokenKind::Symbol),
                ("5", TokenKind::Number),
                ("🇺🇦", TokenKind::Symbol),
                ("👍🏽", TokenKind::Symbol),
                ("!", TokenKind::Punct),
            ]
        );
    }

    #[test]
    fn non_latin_scripts() {
        assert_eq!(toks("Зеленський сказав."), ["Зеленський", "сказав", "."]);
        assert_eq!(
            sentences("Київ горить. Люди чекають."),
            ["Київ горить.", "Люди чекають."]
        );
        assert_eq!(sentences("قال الرئيس. وأضاف"), ["قال الرئيس.", "وأضاف"]);
        assert_eq!(toks("नमस्ते दुनिया"), ["नमस्ते", "दुनिया"]);
    }

    #[test]
    fn word_char_fast_ranges_agree_with_unicode_tables() {
        for u in (0x80..0x700).chain(0x1E00..0x2000) {
            if let Some(c) = char::from_u32(u) {
                let slow = c.is_alphanumeric() || is_combining_mark(c);
                assert_eq!(is_word_char(c), slow, "U+{u:04X}");
            }
        }
    }

    #[test]
    fn words_counts_words_and_numbers() {
        assert_eq!(words("Russia's 1,200 troops — left."), 5);
        assert_eq!(words(""), 0);
    }

    #[test]
    fn large_inputs_finish() {
        // One 1 MB line of words without any end punctuation.
        let line = "talks ".repeat(1 << 18);
        let seg = segment(&line);
        assert_eq!(seg.paragraphs.len(), 1);
        assert_eq!(seg.sentences.len(), 1);
        assert_eq!(seg.tokens.len(), 1 << 18);
        // No spaces at all: one token.
        let blob = "x".repeat(1 << 20);
        assert_eq!(segment(&blob).tokens.len(), 1);
        // Dots and letters alternating: one long acronym-like word.
        let dotted = "a.".repeat(1 << 19);
        assert_eq!(segment(&dotted).tokens.len(), 1);
        // Emoji and Cyrillic without spaces.
        let mixed = "Київ👍".repeat(1 << 16);
        assert_eq!(segment(&mixed).tokens.len(), 2 << 16);
        // Many sentences.
        let many = "It rained. ".repeat(1 << 15);
        assert_eq!(segment(&many).sentences.len(), 1 << 15);
        // Punctuation runs: adjacent end marks are absorbed, spaced ones are tokens.
        let bangs = "!".repeat(1 << 20);
        assert_eq!(segment(&bangs).tokens.len(), 1 << 20);
        let dots = ". ".repeat(1 << 18);
        assert_eq!(segment(&dots).tokens.len(), 1 << 18);
        let digits = "1,".repeat(1 << 19);
        assert_eq!(segment(&digits).tokens.len(), 2);
        // Many short lines: each is a headline-like sentence.
        let lines = "Breaking news\n".repeat(1 << 14);
        assert_eq!(segment(&lines).sentences.len(), 1 << 14);
    }

    fn check_invariants(text: &str) -> Result<(), TestCaseError> {
        let seg = segment(text);
        let mut prev_end = 0;
        for p in &seg.paragraphs {
            prop_assert!(p.is_valid_in(text) && !p.is_empty());
            prop_assert!(p.start() >= prev_end);
            prev_end = p.end();
        }
        let mut prev_end = 0;
        for t in &seg.tokens {
            prop_assert!(t.span.is_valid_in(text) && !t.span.is_empty(), "{:?}", t);
            prop_assert!(t.span.start() >= prev_end);
            prop_assert!(!t.span.slice(text).unwrap().contains(char::is_whitespace));
            prev_end = t.span.end();
        }
        let mut prev_end = 0;
        let mut next_token = 0u32;
        for s in &seg.sentences {
            prop_assert!(s.span.is_valid_in(text) && !s.span.is_empty());
            prop_assert!(s.span.start() >= prev_end);
            prev_end = s.span.end();
            prop_assert_eq!(s.tokens.start, next_token);
            prop_assert!(s.tokens.start < s.tokens.end);
            next_token = s.tokens.end;
            let para = seg.paragraphs[s.paragraph as usize];
            prop_assert!(para.contains(s.span));
            for t in seg.sentence_tokens(s) {
                prop_assert!(s.span.contains(t.span));
            }
        }
        prop_assert_eq!(next_token as usize, seg.tokens.len());
        // Every non-whitespace byte of a paragraph is inside a token.
        let mut covered = vec![false; text.len()];
        for t in &seg.tokens {
            covered[t.span.start()..t.span.end()]
                .iter_mut()
                .for_each(|c| *c = true);
        }
        for (i, c) in text.char_indices() {
            prop_assert!(
                c.is_whitespace() || covered[i],
                "{:?} at {} not covered",
                c,
                i
            );
        }
        Ok(())
    }

    fn newsy_text() -> impl Strategy<Value = String> {
        let pieces = prop::sample::select(
            vec![
                "The", "U.S.", "Gen.", "No.", "F.", "talks", "Russia's", "don't", "1,200", "3.5",
                ".", "!", "?", "…", "...", "“", "”", "\"", "'", "’", "(", ")", " ", " ", "\n",
                "\n\n", "-", "—", "Київ", "قال", "👍", "🇺🇦", "a", "x.", "\u{301}", "\u{200d}",
            ]
            .into_iter()
            .chain(sitrep_core::testing::HOSTILE_PIECES.iter().copied())
            .collect::<Vec<_>>(),
        );
        prop::collection::vec(pieces, 0..60).prop_map(|v| v.concat())
    }

    proptest! {
        #[test]
        fn spans_are_valid_for_any_text(text in any::<String>()) {
            check_invariants(&text)?;
        }

        #[test]
        fn spans_are_valid_for_newsy_text(text in newsy_text()) {
            check_invariants(&text)?;
        }

        #[test]
        fn words_matches_segment(text in newsy_text()) {
            let seg = segment(&text);
            let n = seg.tokens.iter().filter(|t| matches!(t.kind, TokenKind::Word | TokenKind::Number)).count();
            prop_assert_eq!(words(&text), n);
        }
    }

    #[test]
    fn long_sentences_are_cut_into_bounded_pieces() {
        let text = "drones struck the city and ".repeat(400);
        let mut seg = segment(&text);
        assert_eq!(seg.sentences.len(), 1);
        let tokens = seg.tokens.len();
        seg.split_long_sentences(500);
        assert!(seg.sentences.len() > 20);
        let mut next_token = 0;
        for s in &seg.sentences {
            assert!(s.span.len() <= 500, "{:?}", s.span);
            assert_eq!(
                s.tokens.start, next_token,
                "pieces cover every token in order"
            );
            next_token = s.tokens.end;
        }
        assert_eq!(next_token as usize, tokens);
    }
}
