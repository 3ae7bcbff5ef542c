//! Quotes and their attribution: who said what, how, where and when.
//!
//! The stage runs after entity recognition and time normalisation and finds three kinds
//! of quote:
//!
//! * **direct quotes** — text between quotation marks. [`marks`] pairs the marks in one
//!   pass per paragraph (all common styles, nesting, apostrophes told apart, quotes that
//!   continue over paragraphs by the reopening-mark convention, unbalanced quotes capped
//!   at the paragraph end);
//! * **fragments** — a few quoted words inside a sentence that goes on around them
//!   ("dismissed the report as “fake”"), attributed to the subject of the sentence's
//!   cue verb, or of the sentence. Fragments with nobody to attribute them to (the
//!   writer's own scare quotes) and title-like fragments ("Operation “Spider Web”") are
//!   left out;
//! * **indirect speech** — "X said (that) …", "X told Parliament …", "according to X,
//!   …", "…, X said." — when the cue is a speech verb of the lexicon and its subject is
//!   an entity (or a pronoun or role noun resolved to one).
//!
//! Attribution of a direct quote looks, in order, for a cue verb right after the closing
//! mark (`“…,” X said` / `“…,” said X`), before the opening mark in the same sentence
//! (`X said: “…”`), in a lead-in sentence ending with a colon, and finally borrows the
//! speaker of the previous quote in the same or previous paragraph (split quotes,
//! paragraphs that are only a quote). The speaker is the referent next to the cue:
//! an entity mention, or a pronoun or role noun that [`speaker`] resolves by recency and
//! compatibility (gender, titles, kind). When that is ambiguous the speaker is `None`
//! and the candidates are listed — never a guess presented as fact.
//!
//! Channel ("press briefing", "Parliament", "Telegram") comes from the phrases of
//! `data/lexicon/channels.tsv` in the attribution clause, and the time from a time
//! expression inside the attribution clause.
//!
//! Everything is a forward walk over tokens with bounded look-around: each sentence is
//! visited once, resolution looks back a fixed number of sentences, and lookups use
//! binary search over sorted mentions, quotes and times — linear in the document.

mod lexicon;
mod marks;
mod speaker;
#[cfg(test)]
mod tests;

use std::cell::Cell;

use sitrep_core::Span;
use sitrep_text::Token;

use crate::model::{DocView, Entities, EntityIdx, QuoteFact, TimeInfo};
use crate::walk;
use lexicon::{ChannelContext, Cue, Lexicon, Takes};
use marks::RawQuote;
use speaker::Who;

/// Longest fragment, in words.
const FRAGMENT_MAX_WORDS: usize = 6;

/// How far after a closing mark a cue verb may stand (`“…,” the Ukrainian foreign
/// minister said`), in tokens.
const AFTER_WINDOW: usize = 10;

/// Paragraphs over which a quote-only paragraph takes the last speaker when no other
/// person is named in between.
const MAX_BORROW_PARAGRAPHS: usize = 2;

/// The same when a person's name follows the closing mark: an apposition may stand
/// between the name and the cue.
const APPOSITION_WINDOW: usize = 30;

/// How far before an opening mark a cue verb may stand, in tokens.
const BEFORE_WINDOW: usize = 40;

/// How far into reported words a coordinated attribution is looked for, in tokens
/// (bounds the work per cue on pathological sentences).
const COORDINATION_WINDOW: usize = 80;

/// Longest subject of a coordinated attribution ("and the foreign minister said"),
/// in tokens.
const MAX_SUBJECT: usize = 5;

/// How far from a sentence's end a tail attribution's cue may stand ("…, a senior
/// official in the ministry said on Monday evening."), in tokens.
const TAIL_WINDOW: usize = 14;

/// Reported speech: who, the reported words, and the attribution clause's tokens.
#[derive(Debug, Clone)]
struct Reported {
    who: Who,
    content: Span,
    attr_lo: usize,
    attr_hi: usize,
}

/// Finds the quotes of a document with their speakers, cues, channels and times.
///
/// `entities` must have its mentions sorted by start; `times` may be in any order.
/// Never panics; every span returned is valid in `doc.text`.
pub fn find_quotes(doc: &DocView, entities: &Entities, times: &[TimeInfo]) -> Vec<QuoteFact> {
    let raw = marks::scan(doc.text, &doc.seg.paragraphs);
    // Times without a value (a weekday in a text with no publication date) still mark
    // where a time phrase stands: "…, the ministry said on Sunday." ends its clause
    // whether or not Sunday can be dated.
    let mut times: Vec<(Span, &str)> = times
        .iter()
        .filter(|t| t.span.is_valid_in(doc.text))
        .map(|t| (t.span, t.value.as_deref().unwrap_or("")))
        .collect();
    times.sort_by_key(|t| t.0);
    let ctx = Ctx {
        doc: *doc,
        ents: entities,
        tokens: &doc.seg.tokens,
        times,
        raw,
        lex: lexicon::lexicon(),
        last_speaker: Cell::new(None),
        last_statement: Cell::new(None),
    };
    let mut state = State::default();
    let mut out = Vec::new();
    let mut qi = 0;
    for s in 0..doc.seg.sentences.len() {
        let end = doc.seg.sentences[s].span.end();
        while qi < ctx.raw.len() && ctx.raw[qi].open < end {
            ctx.direct(qi, &mut state, &mut out);
            qi += 1;
        }
        ctx.indirect(s, &mut state, &mut out);
    }
    while qi < ctx.raw.len() {
        ctx.direct(qi, &mut state, &mut out);
        qi += 1;
    }
    out.sort_by_key(|q| (q.span.start, q.span.end));
    out
}

/// What the stage works with.
struct Ctx<'a> {
    doc: DocView<'a>,
    ents: &'a Entities,
    tokens: &'a [Token],
    /// Times, sorted by span, with their values ("" when they have none).
    times: Vec<(Span, &'a str)>,
    /// Outermost quotations, in text order.
    raw: Vec<RawQuote>,
    lex: &'static Lexicon,
    /// The speaker of the latest attributed quote (for pronoun tie-breaks).
    last_speaker: Cell<Option<EntityIdx>>,
    /// Who issued the latest statement quoted ("the statement said" refers to it).
    last_statement: Cell<Option<EntityIdx>>,
}

/// The attribution of the latest direct quote, for split quotes and carry-over.
#[derive(Debug, Clone)]
struct Attribution {
    who: Who,
    cue: Option<Span>,
    channel: Option<String>,
    time: Option<String>,
    /// The sentence that holds the cue, if any.
    sentence: Option<usize>,
}

/// What the walk remembers between quotes.
#[derive(Debug, Default)]
struct State {
    /// The latest direct quote's attribution and its last paragraph.
    last_direct: Option<(Attribution, usize)>,
    /// Cues already used by direct quotes (not reused for indirect speech).
    used_cues: Vec<Span>,
    /// The latest dated statement: speaker, paragraph and time. A later quote of the
    /// same speaker in the same paragraph with no time of its own shares it ("…,” he
    /// added).
    last_time: Option<(EntityIdx, u32, String)>,
}

impl<'a> Ctx<'a> {
    /// The text of token `k` ("" when out of range).
    fn tok_text(&self, k: usize) -> &'a str {
        self.tokens.get(k).map_or("", |t| self.doc.slice(t.span))
    }

    /// Index of the first token starting at or after byte `pos`.
    fn tok_after(&self, pos: usize) -> usize {
        let pos = u32::try_from(pos).unwrap_or(u32::MAX);
        self.tokens.partition_point(|t| t.span.start < pos)
    }

    /// The token range of sentence `s`.
    fn sentence_tokens(&self, s: usize) -> (usize, usize) {
        self.doc.seg.sentences.get(s).map_or((0, 0), |x| {
            let hi = (x.tokens.end as usize).min(self.tokens.len());
            ((x.tokens.start as usize).min(hi), hi)
        })
    }

    /// True when `span` lies inside a time expression.
    fn in_time(&self, span: Span) -> bool {
        let i = self.times.partition_point(|t| t.0.start <= span.start);
        i > 0
            && self.times[..i]
                .iter()
                .rev()
                .take(2)
                .any(|t| t.0.contains(span))
    }

    /// The value of the first calendar time inside `region` (a date, week, month or
    /// year — not a duration like "a week" or a reference like "now").
    fn time_in(&self, region: Span) -> Option<String> {
        let i = self.times.partition_point(|t| t.0.start < region.start);
        self.times[i..]
            .iter()
            .take_while(|t| t.0.start < region.end)
            .find(|t| region.contains(t.0) && t.1.starts_with(|c: char| c.is_ascii_digit()))
            .map(|t| t.1.to_owned())
    }

    /// The outermost quotation (marks included) containing byte `pos`.
    fn quote_containing(&self, pos: usize) -> Option<&RawQuote> {
        let i = self.raw.partition_point(|q| q.open <= pos);
        self.raw[..i].last().filter(|q| pos < q.end)
    }

    /// The speech cue starting at token `k` and ending before token `hi`, with its
    /// length in tokens. Cue words count only in lowercase, or first in their sentence.
    fn cue_at(&self, k: usize, hi: usize, sentence_start: usize) -> Option<&'static Cue> {
        let word = self.tok_text(k);
        let first_ok =
            |b: u8| b.is_ascii_lowercase() || (k == sentence_start && b.is_ascii_uppercase());
        if word.len() > 12 || !word.bytes().next().is_some_and(first_ok) {
            return None;
        }
        let mut buf = [0u8; 32];
        // A word without capitals is its own lower-case form: looked up as it is.
        let key = if word.is_ascii() && !word.bytes().any(|b| b.is_ascii_uppercase()) {
            word
        } else {
            lexicon::lower(word, &mut buf)?
        };
        let list = self.lex.cues.get(key)?;
        list.iter().find(|c| {
            k + c.len() <= hi
                && c.rest
                    .iter()
                    .enumerate()
                    .all(|(i, w)| self.tok_text(k + 1 + i).eq_ignore_ascii_case(w))
        })
    }

    /// The channel named between tokens `lo` and `hi` (outside quotations): its label
    /// and the span of the phrase with its preposition. Platforms win over settings,
    /// settings over audiences.
    fn channel_in(&self, lo: usize, hi: usize) -> Option<(String, Span)> {
        let mut best: Option<(u8, String, Span)> = None;
        let mut k = lo;
        while k < hi {
            if let Some(q) = self.quote_containing(self.tokens[k].span.start()) {
                k = self.tok_after(q.end).max(k + 1);
                continue;
            }
            if let Some((label, span, rank)) = self.channel_at(k, hi) {
                if best.as_ref().is_none_or(|b| rank > b.0) {
                    best = Some((rank, label, span));
                }
            }
            k += 1;
        }
        best.map(|(_, l, s)| (l, s))
    }

    /// A channel phrase whose head starts at token `k`: label, span and rank.
    /// True when `word` is the head of a channel ("statement", "briefing").
    fn is_channel_word(&self, word: &str) -> bool {
        let mut buf = [0u8; 32];
        lexicon::lower(word, &mut buf).is_some_and(|w| self.lex.channels.contains_key(w))
    }

    fn channel_at(&self, k: usize, hi: usize) -> Option<(String, Span, u8)> {
        let word = self.tok_text(k);
        let mut buf = [0u8; 32];
        let list = self.lex.channels.get(lexicon::lower(word, &mut buf)?)?;
        let ch = list.iter().find(|c| {
            k + c.len() <= hi
                && c.exact
                    .as_deref()
                    .is_none_or(|e| e.split(' ').next() == Some(word))
                && c.rest
                    .iter()
                    .enumerate()
                    .all(|(i, w)| self.tok_text(k + 1 + i).eq_ignore_ascii_case(w))
        })?;
        // Walk back over articles and up to three modifiers to the preposition or verb.
        let mut j = k;
        let mut modifiers = 0;
        let prep = loop {
            if j == 0 || modifiers > 3 {
                return None;
            }
            j -= 1;
            let w = self.tok_text(j);
            if let Some(ctx) = lexicon::channel_preposition(w) {
                break ctx;
            }
            if !w.starts_with(char::is_alphanumeric) {
                return None;
            }
            modifiers += 1;
        };
        let fits = match ch.context {
            ChannelContext::Audience => prep == ChannelContext::Audience && modifiers <= 1,
            ChannelContext::Platform => {
                matches!(prep, ChannelContext::Platform | ChannelContext::Setting)
            }
            ChannelContext::Setting => prep == ChannelContext::Setting,
        };
        if !fits {
            return None;
        }
        let mut end = k + ch.len();
        let mut label = ch.label.clone();
        if ch.extend_with && self.tok_text(end).eq_ignore_ascii_case("with") {
            let mut words = end + 1;
            // "with the BBC", "with Channel 4 News": capitalised words after an article.
            while words < hi && words < end + 5 {
                let w = self.tok_text(words);
                let article = words == end + 1 && matches!(w, "the" | "The");
                if !(article || w.starts_with(|c: char| c.is_uppercase() || c.is_ascii_digit())) {
                    break;
                }
                words += 1;
            }
            if words > end + 1 {
                let from = self.tokens[end].span.start();
                let to = self.tokens[words - 1].span.end();
                label.push(' ');
                label.push_str(walk::slice(self.doc.text, from, to));
                end = words;
            }
        }
        let rank = match ch.context {
            ChannelContext::Platform => 3,
            ChannelContext::Setting => 2,
            ChannelContext::Audience => 1,
        };
        let span = Span::new(self.tokens[j].span.start(), self.tokens[end - 1].span.end());
        Some((label, span, rank))
    }

    /// Channel and time of an attribution clause between tokens `lo` and `hi` whose
    /// cue (if any) is at token `cue`.
    fn setting(
        &self,
        lo: usize,
        hi: usize,
        cue: Option<usize>,
    ) -> (Option<String>, Option<String>) {
        if lo >= hi || hi > self.tokens.len() {
            return (None, None);
        }
        let channel = self.channel_in(lo, hi);
        let time = match cue {
            Some(k) => self.time_near(k, lo, hi),
            None => self.time_in(self.token_span(lo, hi)),
        };
        (channel.map(|c| c.0), time)
    }

    /// The span of tokens `lo..hi` (non-empty, in range).
    fn token_span(&self, lo: usize, hi: usize) -> Span {
        Span::new(self.tokens[lo].span.start(), self.tokens[hi - 1].span.end())
    }

    /// The statement time of an attribution clause (tokens `lo..hi`) with its cue at
    /// token `k`: a time after the cue ("said on Tuesday"), else one between the cue
    /// and the start of its clause ("Peskov on Tuesday said"), else any in the clause
    /// ("Asked on Monday whether …, Peskov said"). A time in an earlier, coordinated
    /// clause ("The White House on Monday gave …, and the Kremlin said …") is skipped
    /// when the cue has its own.
    fn time_near(&self, k: usize, lo: usize, hi: usize) -> Option<String> {
        let k = k.clamp(lo, hi);
        if k < hi {
            if let Some(t) = self.time_in(self.token_span(k, hi)) {
                return Some(t);
            }
        }
        let clause = (lo..k)
            .rev()
            .find(|&j| matches!(self.tok_text(j), "," | ";" | "and" | "but"))
            .map_or(lo, |j| j + 1);
        if clause < k {
            if let Some(t) = self.time_in(self.token_span(clause, k)) {
                return Some(t);
            }
        }
        // "Asked on Monday whether …, Peskov said": a fronted phrase dates its clause.
        let fronted = lexicon::is_fronting_word(self.tok_text(lo)) && clause > lo;
        fronted
            .then(|| self.time_in(self.token_span(lo, clause)))
            .flatten()
    }

    /// Looks for a cue between tokens `lo` and `hi` (outside quotations), scanning
    /// forwards (`first`) or backwards, at most `window` tokens.
    fn find_cue(
        &self,
        lo: usize,
        hi: usize,
        sstart: usize,
        first: bool,
        window: usize,
    ) -> Option<(usize, &'static Cue)> {
        let try_at = |k: usize| {
            let cue = self.cue_at(k, hi, sstart)?;
            let inside = self.quote_containing(self.tokens[k].span.start()).is_some();
            (!inside).then_some((k, cue))
        };
        if first {
            (lo..hi).take(window).find_map(try_at)
        } else {
            (lo..hi).rev().take(window).find_map(try_at)
        }
    }

    /// Speaker of the cue at token `k` (subject before it, or the referent after it)
    /// in the clause between tokens `lo` and `hi`.
    fn speaker_of_cue(&self, k: usize, cue: &Cue, lo: usize, hi: usize) -> Option<Who> {
        if cue.kind != "according" {
            if let Some(who) = self.subject_before(k, lo) {
                return Some(who);
            }
        }
        self.subject_after(k + cue.len(), hi).map(|(w, _)| w)
    }

    /// True when a person other than `speaker` is named from paragraph `para` up to
    /// byte `end`.
    fn other_person_between(&self, speaker: Option<EntityIdx>, para: usize, end: usize) -> bool {
        let Some(start) = self.doc.seg.paragraphs.get(para).map(|p| p.start) else {
            return false;
        };
        let ms = &self.ents.mentions;
        let i = ms.partition_point(|m| m.span.start < start);
        ms[i..]
            .iter()
            .take_while(|m| (m.span.start as usize) < end)
            .any(|m| Some(m.entity) != speaker && self.is_person(m.entity))
    }

    /// Handles the quotation `raw[qi]`.
    fn direct(&self, qi: usize, state: &mut State, out: &mut Vec<QuoteFact>) {
        let q = self.raw[qi];
        let s_open = self.doc.sentence_at(q.open);
        let s_close = self.doc.sentence_at(q.end.saturating_sub(1));
        let (sstart, send) = self.sentence_tokens(s_open);
        let open_tok = self.tok_after(q.open);
        let inner = self.doc.slice(q.inner);
        let span = trim_comma(q.inner, inner);

        // Where this sentence's own words begin: after an earlier quote in it, if any.
        let lo = (sstart..open_tok)
            .rev()
            .find(|&k| self.quote_containing(self.tokens[k].span.start()).is_some())
            .map_or(sstart, |k| k + 1);

        if self.is_fragment(&q, inner, lo, open_tok) {
            if title_like(inner) {
                return;
            }
            let (who, cue, cue_tok) = match self.find_cue(lo, open_tok, sstart, false, usize::MAX) {
                Some((k, c)) => (
                    self.speaker_of_cue(k, c, sstart, send),
                    Some(self.cue_span(k, c)),
                    Some(k),
                ),
                None => (None, None, None),
            };
            // With no cue, only a named subject owns the words ("Russia called it a
            // “special operation”"); the writer's own scare quotes are left out.
            let who = who.or_else(|| self.first_referent(sstart, open_tok).filter(Who::is_entity));
            let Some(who) = who.filter(Who::is_known) else {
                return;
            };
            let (channel, time) = self.setting(sstart, open_tok, cue_tok);
            let time = self.dated(&who, time, channel.as_deref(), s_open, state);
            out.push(QuoteFact {
                span,
                speaker: who.speaker,
                unnamed: who.unnamed_description(),
                candidates: who.candidates,
                direct: true,
                fragment: true,
                cue,
                channel,
                time,
                evidence: vec![self.doc.sentence_span(s_open)],
            });
            return;
        }

        let mut attr = self.attribute(qi, &q, s_open, s_close, lo, state);
        if let Some(c) = attr.cue {
            state.used_cues.push(c);
        }
        let s_attr = attr.sentence.unwrap_or(s_close);
        attr.time = self.dated(&attr.who, attr.time, attr.channel.as_deref(), s_attr, state);
        if let Some(e) = attr.who.speaker {
            self.last_speaker.set(Some(e));
        }
        let mut evidence: Vec<Span> = (s_open..=s_close)
            .map(|s| self.doc.sentence_span(s))
            .collect();
        if let Some(s) = attr.sentence {
            evidence.push(self.doc.sentence_span(s));
        }
        evidence.sort();
        evidence.dedup();
        out.push(QuoteFact {
            span,
            speaker: attr.who.speaker,
            unnamed: attr.who.unnamed_description(),
            candidates: attr.who.candidates.clone(),
            direct: true,
            fragment: false,
            cue: attr.cue,
            channel: attr.channel.clone(),
            time: attr.time.clone(),
            evidence,
        });
        state.last_direct = attr.who.is_known().then_some((attr, q.last_para));
    }

    /// The time of a statement by `who` in sentence `s`: its own, or else the time of
    /// the same speaker's previous statement in the same paragraph (a follow-up such as
    /// "…,” he added" is part of the same occasion). Also remembers the issuer of a
    /// statement for a later "the statement said".
    fn dated(
        &self,
        who: &Who,
        time: Option<String>,
        channel: Option<&str>,
        s: usize,
        state: &mut State,
    ) -> Option<String> {
        let Some(e) = who.speaker else {
            return time;
        };
        if channel == Some("statement") {
            self.last_statement.set(Some(e));
        }
        let para = self
            .doc
            .seg
            .sentences
            .get(s)
            .map_or(u32::MAX, |x| x.paragraph);
        match time {
            Some(t) => {
                state.last_time = Some((e, para, t.clone()));
                Some(t)
            }
            None => state
                .last_time
                .as_ref()
                .filter(|(who, p, _)| *who == e && *p == para)
                .map(|(_, _, t)| t.clone()),
        }
    }

    /// True when the quotation is a few words inside a sentence that goes on before it.
    fn is_fragment(&self, q: &RawQuote, inner: &str, lo: usize, open_tok: usize) -> bool {
        if !q.closed || q.first_para != q.last_para {
            return false;
        }
        let body = inner.trim_end_matches([',', ' ', '”', '’', '"', '\'']);
        if body.ends_with(['.', '!', '?', '…']) {
            return false;
        }
        if inner.split_whitespace().count() > FRAGMENT_MAX_WORDS {
            return false;
        }
        let words_before =
            (lo..open_tok).any(|k| self.tok_text(k).starts_with(char::is_alphanumeric));
        let lead = walk::before(self.doc.text, q.open).trim_end();
        words_before && !lead.ends_with([':', ','])
    }

    /// The span of the cue at token `k`.
    fn cue_span(&self, k: usize, cue: &Cue) -> Span {
        let last = (k + cue.len() - 1).min(self.tokens.len() - 1);
        Span::new(self.tokens[k].span.start(), self.tokens[last].span.end())
    }

    /// Attribution of a direct, non-fragment quotation.
    fn attribute(
        &self,
        qi: usize,
        q: &RawQuote,
        s_open: usize,
        s_close: usize,
        lo: usize,
        state: &State,
    ) -> Attribution {
        let none = Attribution {
            who: Who::default(),
            cue: None,
            channel: None,
            time: None,
            sentence: None,
        };
        // 1. After the closing mark, in the closing sentence, up to the next quotation.
        if q.closed {
            let (cstart, cend) = self.sentence_tokens(s_close);
            let a = self.tok_after(q.end).max(cstart);
            let b = self
                .raw
                .get(qi + 1)
                .map_or(cend, |r| self.tok_after(r.open).min(cend));
            // A person named right after the quote may carry a long apposition before
            // the cue ("“…,” Scott Pruitt, the attorney general of Oklahoma, one of the
            // states suing, said"): look further for the cue then.
            let person_first = (a..b)
                .take(2)
                .find(|&j| self.tok_text(j) != ",")
                .and_then(|j| self.mention_at_token(j))
                .is_some_and(|m| self.is_person(m.entity));
            let window = if person_first {
                APPOSITION_WINDOW
            } else {
                AFTER_WINDOW
            };
            if let Some((k, cue)) = self.find_cue(a, b, cstart, true, window) {
                let who = self.speaker_of_cue(k, cue, a, b).unwrap_or_else(|| Who {
                    candidates: self.recent_persons(q.open),
                    ..Who::default()
                });
                let (channel, time) = self.setting(a, b, Some(k));
                return Attribution {
                    who,
                    cue: Some(self.cue_span(k, cue)),
                    channel,
                    time,
                    sentence: Some(s_close),
                };
            }
        }
        // 1b. A dash and a person's name right after the closing mark, as lists of
        // readers' or voters' words are signed ("“…” ― Jane Roe").
        if q.closed {
            let a = self.tok_after(q.end);
            let dash =
                a < self.tokens.len() && matches!(self.tok_text(a), "—" | "―" | "–" | "-" | "--");
            if let Some(m) = dash.then(|| self.mention_at_token(a + 1)).flatten() {
                if self.is_person(m.entity) {
                    return Attribution {
                        who: Who::sure(m.entity),
                        sentence: Some(self.doc.sentence_at(m.span.start())),
                        ..none
                    };
                }
            }
        }
        // 2. Before the opening mark, in the opening sentence; 2b. several quotations
        // in one sentence share its cue ("X said the talks closed with “useful”
        // exchanges on “ways to end …”").
        let open_tok = self.tok_after(q.open);
        let sentence_start = self.sentence_tokens(s_open).0;
        let own_words = Some((lo, open_tok));
        let earlier_words = (lo > sentence_start).then_some((sentence_start, lo));
        for (from, to) in [own_words, earlier_words].into_iter().flatten() {
            if let Some((k, cue)) = self.find_cue(from, to, sentence_start, false, BEFORE_WINDOW) {
                if let Some(who) = self.speaker_of_cue(k, cue, from, open_tok) {
                    let (channel, time) = self.setting(from, open_tok, Some(k));
                    return Attribution {
                        who,
                        cue: Some(self.cue_span(k, cue)),
                        channel,
                        time,
                        sentence: Some(s_open),
                    };
                }
            }
        }
        let starts_sentence =
            !(lo..open_tok).any(|k| self.tok_text(k).starts_with(char::is_alphanumeric));
        // 3. A lead-in sentence ending with a colon ("X said in a statement:").
        if starts_sentence && s_open > 0 {
            let prev = s_open - 1;
            let prev_span = self.doc.sentence_span(prev);
            let same_or_adjacent =
                self.doc.seg.sentences[prev].paragraph as usize + 1 >= q.first_para;
            if same_or_adjacent && self.doc.slice(prev_span).trim_end().ends_with(':') {
                let (ps, pe) = self.sentence_tokens(prev);
                if let Some((k, cue)) = self.find_cue(ps, pe, ps, false, pe - ps) {
                    if let Some(who) = self.speaker_of_cue(k, cue, ps, pe) {
                        let (channel, time) = self.setting(ps, pe, Some(k));
                        return Attribution {
                            who,
                            cue: Some(self.cue_span(k, cue)),
                            channel,
                            time,
                            sentence: Some(prev),
                        };
                    }
                }
                // A lead-in with no speech verb ("X returned to the subject at her
                // briefing, reading from notes:") still introduces its subject's words.
                if let Some(who) = self.first_referent(ps, pe).filter(Who::is_entity) {
                    let (channel, time) = self.setting(ps, pe, None);
                    return Attribution {
                        who,
                        cue: None,
                        channel,
                        time,
                        sentence: Some(prev),
                    };
                }
            }
        }
        // 4. Borrow the previous quote's speaker (split quotes, quote-only paragraphs),
        // also over one more paragraph when no other person is named in between.
        if starts_sentence {
            if let Some((prev, para)) = &state.last_direct {
                let near = q.first_para <= para + 1;
                let uncontested = q.first_para <= para + MAX_BORROW_PARAGRAPHS
                    && prev.who.speaker.is_some()
                    && !self.other_person_between(prev.who.speaker, para + 1, q.open);
                if near || uncontested {
                    return prev.clone();
                }
            }
        }
        // 5. Nobody: say so, with candidates.
        Attribution {
            who: Who {
                candidates: self.recent_persons(q.open),
                ..Who::default()
            },
            ..none
        }
    }

    /// Indirect speech in sentence `s`.
    fn indirect(&self, s: usize, state: &mut State, out: &mut Vec<QuoteFact>) {
        let (lo, hi) = self.sentence_tokens(s);
        let sent = self.doc.sentence_span(s);
        state.used_cues.retain(|c| c.end >= sent.start);
        // A tail attribution ("…, X said on Monday.") governs the whole sentence: any cue
        // before it belongs to the reported words ("… after Moscow confirmed that …,
        // the spokeswoman said").
        for k in (hi.saturating_sub(TAIL_WINDOW).max(lo)..hi).rev() {
            if let Some((cue, r)) = self.reported_at(k, lo, hi, state) {
                if r.content.end <= self.tokens[k].span.start {
                    self.emit(s, k, cue, r, state, out);
                    return;
                }
            }
        }
        let mut k = lo;
        while k < hi {
            // The cheap test first: most tokens are no cue.
            let Some(cue) = self.cue_at(k, hi, lo).filter(|c| c.takes != Takes::Direct) else {
                k += 1;
                continue;
            };
            if let Some(q) = self.quote_containing(self.tokens[k].span.start()) {
                k = self.tok_after(q.end).max(k + 1);
                continue;
            }
            match self.reported_at(k, lo, hi, state) {
                Some((cue, r)) => {
                    // Cues inside the reported content are the reported speaker's own.
                    let next = self.tok_after(r.content.end()).max(k + cue.len());
                    self.emit(s, k, cue, r, state, out);
                    k = next;
                }
                None => k += cue.len(),
            }
        }
    }

    /// Reported speech whose cue is at token `k` of the sentence `lo..hi`: not inside a
    /// quotation, not the cue of a direct quote, and neither negated ("did not say",
    /// "declined to say", "without saying") nor passive ("was told").
    fn reported_at(
        &self,
        k: usize,
        lo: usize,
        hi: usize,
        state: &State,
    ) -> Option<(&'static Cue, Reported)> {
        let cue = self
            .cue_at(k, hi, lo)
            .filter(|c| c.takes != Takes::Direct)?;
        if self.quote_containing(self.tokens[k].span.start()).is_some()
            || state.used_cues.contains(&self.cue_span(k, cue))
            || self.withheld(k, lo)
        {
            return None;
        }
        let r = self.reported(k, cue, lo, hi)?;
        let sent_end = self.tokens[hi - 1].span.end;
        (r.content.end <= sent_end).then_some((cue, r))
    }

    /// True when the speech act of the cue at token `k` is negated or passive.
    fn withheld(&self, k: usize, lo: usize) -> bool {
        let before = |d: usize| (k >= lo + d).then(|| self.tok_text(k - d));
        let negated = [1, 2]
            .iter()
            .any(|&d| before(d).is_some_and(lexicon::is_negation));
        let passive =
            before(1).is_some_and(lexicon::is_passive_marker) && !self.tok_text(k).ends_with("ing");
        negated || passive
    }

    /// Records the reported speech `r` of the cue at token `k` in sentence `s`: one
    /// quote per reported clause ("X said A but that B" gives A and B). A clause that
    /// holds a quoted fragment gives way to the fragment, which is a quote of its own.
    fn emit(
        &self,
        s: usize,
        k: usize,
        cue: &Cue,
        r: Reported,
        state: &mut State,
        out: &mut Vec<QuoteFact>,
    ) {
        let (channel, time) = self.setting(r.attr_lo, r.attr_hi, Some(k));
        let time = self.dated(&r.who, time, channel.as_deref(), s, state);
        if let Some(e) = r.who.speaker {
            self.last_speaker.set(Some(e));
        }
        let cue_span = self.cue_span(k, cue);
        // A named speaker of reported speech goes on in a quote-only paragraph that
        // follows ("X said in a statement that … ¶ “…”").
        state.last_direct = r.who.speaker.is_some().then(|| {
            let para = self
                .doc
                .seg
                .sentences
                .get(s)
                .map_or(usize::MAX, |x| x.paragraph as usize);
            (
                Attribution {
                    who: r.who.clone(),
                    cue: Some(cue_span),
                    channel: channel.clone(),
                    time: time.clone(),
                    sentence: Some(s),
                },
                para,
            )
        });
        // Casualty reports are quotes too ("Hospital staff said the shelling killed
        // six people"): who gave a toll is what an analyst checks it by, and the
        // attack takes its figures from the same words on its own.
        // A wire dateline opening the sentence is not part of what was said
        // ("TRIPOLI, Mar 3 (Wirenews) - A blast killed two, police said").
        let sentence = self.doc.sentence_span(s);
        let content = match walk::dateline_end(self.doc.text, r.content.start()) {
            Some(from) if r.content.start == sentence.start && from < r.content.end() => {
                Span::new(from, r.content.end())
            }
            _ => r.content,
        };
        for clause in self.clauses(content) {
            out.push(QuoteFact {
                span: clause,
                speaker: r.who.speaker,
                unnamed: r.who.unnamed_description(),
                candidates: r.who.candidates.clone(),
                direct: false,
                fragment: false,
                cue: Some(cue_span),
                channel: channel.clone(),
                time: time.clone(),
                evidence: vec![self.doc.sentence_span(s)],
            });
        }
    }

    /// The reported clauses of `content`, split at a coordinated "that" ("… and that
    /// …", "… but that …"), each without a quoted fragment.
    fn clauses(&self, content: Span) -> Vec<Span> {
        let a = self.tok_after(content.start());
        let b = self.tok_after(content.end()).min(self.tokens.len());
        let mut out = Vec::new();
        let mut start = a;
        let mut t = a + 1;
        while t + 1 < b {
            if self.coordinated_that(t + 1)
                && self.quote_containing(self.tokens[t].span.start()).is_none()
            {
                let end = if self.tok_text(t - 1) == "," {
                    t - 1
                } else {
                    t
                };
                out.extend(self.clause_without_quote(start, end));
                start = t + 2;
                t = start + 1;
                continue;
            }
            t += 1;
        }
        out.extend(self.clause_without_quote(start, b));
        out
    }

    /// True when token `t` is a "that" right after "and", "but" or "or".
    fn coordinated_that(&self, t: usize) -> bool {
        let mut buf = [0u8; 32];
        t > 0
            && self.tok_text(t).eq_ignore_ascii_case("that")
            && matches!(
                lexicon::lower(self.tok_text(t - 1), &mut buf),
                Some("and" | "but" | "or")
            )
    }

    /// The reported clause between tokens `a` and `b`. When it holds a quotation, only
    /// the quoted words are listed (as a fragment) — unless the quotation sits in a
    /// second predicate ("… was ready to talk but would not accept what he called
    /// “…”"), which is cut off.
    fn clause_without_quote(&self, a: usize, b: usize) -> Option<Span> {
        let span = self.content(a, b)?;
        let i = self.raw.partition_point(|q| q.end <= span.start());
        let Some(q) = self.raw.get(i).filter(|q| q.open < span.end()) else {
            return Some(span);
        };
        let open_tok = self.tok_after(q.open);
        let conj = (a + 2..open_tok).rev().find(|&t| {
            matches!(self.tok_text(t), "and" | "but") && lexicon::is_auxiliary(self.tok_text(t + 1))
        })?;
        let end = if self.tok_text(conj - 1) == "," {
            conj - 1
        } else {
            conj
        };
        self.content(a, end)
    }

    /// Reported speech around the cue at token `k` in the sentence of tokens `lo..hi`:
    /// who, the content span, and the token range of the attribution clause.
    fn reported(&self, k: usize, cue: &Cue, lo: usize, hi: usize) -> Option<Reported> {
        let after = k + cue.len();
        let comma_before = k > lo && self.tok_text(k - 1) == ",";
        let found = |who: Who, content: Span, attr_lo: usize, attr_hi: usize| {
            who.is_known().then_some(Reported {
                who,
                content,
                attr_lo,
                attr_hi,
            })
        };
        // "…, according to X." / "…, said X." / "…, X said."
        if comma_before || cue.kind == "according" {
            if let Some((who, end)) = self.subject_after(after, hi) {
                if (self.clause_ends(end, hi) || self.closing_appositive(end, hi)) && comma_before {
                    let content = self.content(lo, k - 1)?;
                    return found(who, content, k, hi);
                }
                if cue.kind == "according" && self.only_fronting(lo, k) {
                    // "According to X (familiar with …), (X's title,) content."
                    if let Some(mut comma) = self.noun_phrase_end(end, hi) {
                        if who.speaker.is_some_and(|e| self.is_person(e)) {
                            if let Some(c) = self.appositive_end(comma + 1, hi) {
                                comma = c;
                            }
                        }
                        let content = self.content(comma + 1, hi)?;
                        return found(who, content, lo, comma);
                    }
                }
            }
            if cue.kind == "according" {
                return None;
            }
        }
        let who = self.subject_before(k, lo)?;
        if !who.is_known() {
            return None;
        }
        if self.clause_ends(after, hi) {
            // "…, X said." — the content is the clause before the subject's comma.
            let comma = (lo..k).rev().find(|&j| self.tok_text(j) == ",")?;
            let content = self.content(lo, comma)?;
            return found(who, content, comma + 1, hi);
        }
        let mut j = after;
        let mut addressed = false;
        if cue.has_object() {
            if let Some((_, span, _)) = self.channel_at(j, hi) {
                j = self.tok_after(span.end());
                addressed = true;
            } else if let Some((_, end, _)) = self.referent_at(j, hi) {
                j = end;
                addressed = true;
            } else if is_object_pronoun(self.tok_text(j)) {
                j += 1;
                addressed = true;
            }
        }
        let window = || {
            (j..hi)
                .take(8)
                .take_while(|&t| !matches!(self.tok_text(t), "," | ":" | ";"))
        };
        let that = window()
            .find(|&t| self.tok_text(t).eq_ignore_ascii_case("that") && !self.coordinated_that(t));
        // "X said A but that B": A is reported too, though it has no "that" of its own.
        let coordinated = that.is_none() && window().any(|t| self.coordinated_that(t));
        let start = match that {
            Some(t) => t + 1,
            // "told a different story": "tell" reports only when it has an addressee.
            None if cue.has_object() && !addressed => return None,
            None if cue.bare_content() || coordinated => {
                // Skip time expressions and channel phrases right after the cue.
                let mut t = j;
                while t < hi {
                    let next_is_time = self.tokens.get(t + 1).is_some_and(|n| self.in_time(n.span));
                    if self.in_time(self.tokens[t].span)
                        || (next_is_time
                            && lexicon::channel_preposition(self.tok_text(t)).is_some())
                    {
                        t += 1;
                    } else if let Some((_, span, _)) = self
                        .channel_at(t + 1, hi)
                        .filter(|_| lexicon::channel_preposition(self.tok_text(t)).is_some())
                    {
                        t = self.tok_after(span.end());
                    } else if let Some((_, span, _)) = self.channel_in_phrase_at(t, hi) {
                        t = self.tok_after(span.end());
                    } else {
                        break;
                    }
                }
                t
            }
            None => return None,
        };
        let first = self.tok_text(start);
        if !first.starts_with(char::is_alphanumeric) {
            return None; // "said:" / "said, “…”" — a direct quote follows, or nothing.
        }
        if lexicon::is_auxiliary(first) {
            // "…, which experts say has deployed troops": the cue is inside a relative
            // clause whose subject went before it.
            return None;
        }
        let end = self.next_attribution(start, hi).unwrap_or(hi);
        let content = self.content(start, end)?;
        found(who, content, lo, start)
    }

    /// Where a coordinated clause with an attribution of its own begins inside reported
    /// words starting at token `a` ("X said A, and he warned that B"): the token of
    /// its conjunction.
    fn next_attribution(&self, a: usize, hi: usize) -> Option<usize> {
        let mut t = a + 2;
        let hi = hi.min(a + COORDINATION_WINDOW);
        while t < hi {
            if let Some(q) = self.quote_containing(self.tokens[t].span.start()) {
                t = self.tok_after(q.end).max(t + 1);
                continue;
            }
            if matches!(self.tok_text(t), "and" | "but" | ";") {
                let clause_start = t + 1;
                let cue = (clause_start + 1..hi)
                    .take(MAX_SUBJECT)
                    .find(|&c| self.cue_at(c, hi, usize::MAX).is_some());
                if let Some(c) = cue {
                    let subject = self.subject_before(c, clause_start);
                    let starts_clause = self
                        .referent_at(clause_start, c)
                        .is_some_and(|(_, end, _)| end <= c);
                    if subject.is_some() && starts_clause {
                        let boundary = if self.tok_text(t - 1) == "," {
                            t - 1
                        } else {
                            t
                        };
                        return Some(boundary);
                    }
                }
            }
            t += 1;
        }
        None
    }

    /// The comma that closes a noun phrase continuing at token `t` ("an official
    /// familiar with the talks, …"): `t` itself, or a comma within a few tokens with
    /// no verb before it.
    fn noun_phrase_end(&self, t: usize, hi: usize) -> Option<usize> {
        for j in (t..hi).take(8) {
            let w = self.tok_text(j);
            if w == "," {
                return Some(j);
            }
            if lexicon::is_auxiliary(w)
                || self.cue_at(j, hi, usize::MAX).is_some()
                || !(w.starts_with(char::is_alphanumeric) || matches!(w, "’s" | "'s" | "-"))
            {
                return None;
            }
        }
        None
    }

    /// The comma closing an appositive that starts at token `a` ("Lubinets, Ukraine's
    /// human rights commissioner, …"): a short noun phrase — opened by a determiner, a
    /// name or a role noun, with no verb — followed by more words.
    fn appositive_end(&self, a: usize, hi: usize) -> Option<usize> {
        let first = self.tok_text(a);
        let possessive_name =
            first.starts_with(char::is_uppercase) && matches!(self.tok_text(a + 1), "’s" | "'s");
        let opens_np = lexicon::is_determiner(first)
            || self.starts_mention(a)
            || possessive_name
            || lexicon::is_role_noun(first);
        if !opens_np {
            return None;
        }
        let c = self.noun_phrase_end(a + 1, hi)?;
        let rest = (c + 1..hi)
            .filter(|&j| self.tok_text(j).starts_with(char::is_alphanumeric))
            .count();
        (rest >= 2).then_some(c)
    }

    /// True when token `t` is the comma of an appositive that ends the sentence ("…,
    /// according to Ana Brel, a fighter from the village."), with no cue of its own.
    fn closing_appositive(&self, t: usize, hi: usize) -> bool {
        if self.tok_text(t) != "," || t + 1 >= hi {
            return false;
        }
        let first = self.tok_text(t + 1);
        let opens_np = lexicon::is_determiner(first)
            || lexicon::is_role_noun(first)
            || (first.starts_with(char::is_uppercase)
                && matches!(self.tok_text(t + 2), "’s" | "'s"));
        opens_np
            && (t + 1..hi)
                .all(|j| self.tok_text(j) != "," && self.cue_at(j, hi, usize::MAX).is_none())
    }

    /// A channel phrase starting at token `t` with its preposition ("in a statement").
    fn channel_in_phrase_at(&self, t: usize, hi: usize) -> Option<(String, Span, u8)> {
        lexicon::channel_preposition(self.tok_text(t))?;
        (t + 1..hi).take(5).find_map(|h| {
            self.channel_at(h, hi)
                .filter(|c| c.1.start() == self.tokens[t].span.start())
        })
    }

    /// True when only end punctuation, time expressions or a channel phrase follow token `t`.
    fn clause_ends(&self, t: usize, hi: usize) -> bool {
        let mut t = t;
        while t < hi {
            let w = self.tok_text(t);
            if self.in_time(self.tokens[t].span) || matches!(w, "." | "!" | "?" | "…") {
                t += 1;
            } else if let Some((_, span, _)) = self.channel_in_phrase_at(t, hi) {
                t = self.tok_after(span.end());
            } else if lexicon::channel_preposition(w).is_some()
                && self.in_time(self.tokens.get(t + 1).map_or(Span::default(), |x| x.span))
            {
                t += 1;
            } else if w == "," && self.participial_tail(t + 1, hi) {
                // "…, a diplomat said, speaking on condition of anonymity."
                return true;
            } else {
                return false;
            }
        }
        true
    }

    /// True when token `t` opens a participial tail after an attribution ("without
    /// giving details", "speaking on condition of anonymity", "citing …") — not a cue
    /// of its own ("adding that …").
    fn participial_tail(&self, t: usize, hi: usize) -> bool {
        let w = self.tok_text(t);
        // Or a phrase that goes on about the event: "…, with the group claiming
        // responsibility", "…, in a sweeping attack that …", "…, amid fresh shelling".
        let describing = matches!(w, "with" | "amid" | "as")
            || (w == "in" && t + 1 < hi && matches!(self.tok_text(t + 1), "a" | "an" | "what"));
        t < hi
            && w.starts_with(|c: char| c.is_ascii_lowercase())
            && (w == "without" || w.ends_with("ing") || describing)
            && self.cue_at(t, hi, usize::MAX).is_none()
    }

    /// True when a mention starts at token `t`.
    fn starts_mention(&self, t: usize) -> bool {
        self.tokens.get(t).is_some_and(|tok| {
            let i = self
                .ents
                .mentions
                .partition_point(|m| m.span.start < tok.span.start);
            self.ents
                .mentions
                .get(i)
                .is_some_and(|m| m.span.start == tok.span.start)
        })
    }

    /// True when tokens `lo..k` are only a sentence-opening adverbial ("However,").
    fn only_fronting(&self, lo: usize, k: usize) -> bool {
        (lo..k).all(|j| self.tok_text(j) == "," || lexicon::is_fronting_word(self.tok_text(j)))
    }

    /// The reported content between tokens `a` and `b`, without closing punctuation;
    /// `None` when it has fewer than two words.
    fn content(&self, a: usize, b: usize) -> Option<Span> {
        let mut b = b.min(self.tokens.len());
        while b > a
            && matches!(
                self.tok_text(b - 1),
                "." | "!" | "?" | "," | ";" | ":" | "…"
            )
        {
            b -= 1;
        }
        let words = (a..b)
            .filter(|&j| self.tok_text(j).starts_with(char::is_alphanumeric))
            .count();
        (words >= 2).then(|| Span::new(self.tokens[a].span.start(), self.tokens[b - 1].span.end()))
    }
}

/// True for an object pronoun after "told" ("told him that …").
fn is_object_pronoun(word: &str) -> bool {
    let mut buf = [0u8; 32];
    matches!(
        lexicon::lower(word, &mut buf),
        Some("him" | "her" | "them" | "us" | "me" | "it")
    )
}

/// The quote span without a trailing comma inside the marks ("We will win," → "We will win").
fn trim_comma(span: Span, text: &str) -> Span {
    let trimmed = text.trim_end_matches(',').trim_end();
    if trimmed.is_empty() {
        span
    } else {
        Span::new(span.start(), span.start() + trimmed.len())
    }
}

/// True for quoted words that look like a title or a name: every word capitalised.
fn title_like(inner: &str) -> bool {
    let mut words = inner
        .split_whitespace()
        .filter(|w| w.chars().any(char::is_alphabetic))
        .peekable();
    words.peek().is_some()
        && words.all(|w| {
            w.chars()
                .find(|c| c.is_alphabetic())
                .is_some_and(char::is_uppercase)
                || matches!(w, "of" | "the" | "and" | "for" | "in" | "on")
        })
}
