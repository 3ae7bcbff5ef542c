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
use lexicon::{ChannelContext, Cue, Lexicon, Takes};
use marks::RawQuote;
use speaker::Who;

/// Longest fragment, in words.
const FRAGMENT_MAX_WORDS: usize = 6;

/// How far after a closing mark a cue verb may stand (`“…,” the Ukrainian foreign
/// minister said`), in tokens.
const AFTER_WINDOW: usize = 10;

/// How far before an opening mark a cue verb may stand, in tokens.
const BEFORE_WINDOW: usize = 14;

/// Finds the quotes of a document with their speakers, cues, channels and times.
///
/// `entities` must have its mentions sorted by start; `times` may be in any order.
/// Never panics; every span returned is valid in `doc.text`.
pub fn find_quotes(doc: &DocView, entities: &Entities, times: &[TimeInfo]) -> Vec<QuoteFact> {
    let raw = marks::scan(doc.text, &doc.seg.paragraphs);
    let mut times: Vec<(Span, &str)> = times
        .iter()
        .filter(|t| t.span.is_valid_in(doc.text))
        .filter_map(|t| Some((t.span, t.value.as_deref()?)))
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
    /// Times with a value, sorted by span.
    times: Vec<(Span, &'a str)>,
    /// Outermost quotations, in text order.
    raw: Vec<RawQuote>,
    lex: &'static Lexicon,
    /// The speaker of the latest attributed quote (for pronoun tie-breaks).
    last_speaker: Cell<Option<EntityIdx>>,
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
        let list = self.lex.cues.get(lexicon::lower(word, &mut buf)?)?;
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
                label.push_str(&self.doc.text[from..to]);
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

    /// Channel and time of an attribution clause between tokens `lo` and `hi`.
    fn setting(&self, lo: usize, hi: usize) -> (Option<String>, Option<String>) {
        if lo >= hi || hi > self.tokens.len() {
            return (None, None);
        }
        let region = Span::new(self.tokens[lo].span.start(), self.tokens[hi - 1].span.end());
        let channel = self.channel_in(lo, hi);
        let time = self.time_in(region);
        (channel.map(|c| c.0), time)
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
            let (who, cue) = match self.find_cue(lo, open_tok, sstart, false, usize::MAX) {
                Some((k, c)) => (
                    self.speaker_of_cue(k, c, sstart, send),
                    Some(self.cue_span(k, c)),
                ),
                None => (None, None),
            };
            let who = who.or_else(|| self.first_referent(sstart, open_tok));
            let Some(who) = who.filter(Who::is_known) else {
                return;
            };
            let (channel, time) = self.setting(sstart, open_tok);
            out.push(QuoteFact {
                span,
                speaker: who.speaker,
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

        let attr = self.attribute(qi, &q, s_open, s_close, lo, state);
        if let Some(c) = attr.cue {
            state.used_cues.push(c);
        }
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
        let lead = self.doc.text[..q.open].trim_end();
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
            if let Some((k, cue)) = self.find_cue(a, b, cstart, true, AFTER_WINDOW) {
                let who = self.speaker_of_cue(k, cue, a, b).unwrap_or_else(|| Who {
                    speaker: None,
                    candidates: self.recent_persons(q.open),
                });
                let (channel, time) = self.setting(a, b);
                return Attribution {
                    who,
                    cue: Some(self.cue_span(k, cue)),
                    channel,
                    time,
                    sentence: Some(s_close),
                };
            }
        }
        // 2. Before the opening mark, in the opening sentence.
        let open_tok = self.tok_after(q.open);
        if let Some((k, cue)) = self.find_cue(
            lo,
            open_tok,
            self.sentence_tokens(s_open).0,
            false,
            BEFORE_WINDOW,
        ) {
            if let Some(who) = self.speaker_of_cue(k, cue, lo, open_tok) {
                let (channel, time) = self.setting(lo, open_tok);
                return Attribution {
                    who,
                    cue: Some(self.cue_span(k, cue)),
                    channel,
                    time,
                    sentence: Some(s_open),
                };
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
                        let (channel, time) = self.setting(ps, pe);
                        return Attribution {
                            who,
                            cue: Some(self.cue_span(k, cue)),
                            channel,
                            time,
                            sentence: Some(prev),
                        };
                    }
                }
            }
        }
        // 4. Borrow the previous quote's speaker (split quotes, quote-only paragraphs).
        if starts_sentence {
            if let Some((prev, para)) = &state.last_direct {
                if q.first_para <= para + 1 {
                    return prev.clone();
                }
            }
        }
        // 5. Nobody: say so, with candidates.
        Attribution {
            who: Who {
                speaker: None,
                candidates: self.recent_persons(q.open),
            },
            ..none
        }
    }

    /// Indirect speech in sentence `s`.
    fn indirect(&self, s: usize, state: &mut State, out: &mut Vec<QuoteFact>) {
        let (lo, hi) = self.sentence_tokens(s);
        let sent_end = self.doc.sentence_span(s).end;
        state
            .used_cues
            .retain(|c| c.end >= self.doc.sentence_span(s).start);
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
            let cue_span = self.cue_span(k, cue);
            if state.used_cues.contains(&cue_span) {
                k += cue.len();
                continue;
            }
            match self.reported(k, cue, lo, hi) {
                Some((who, content, attr_lo, attr_hi)) if content.end <= sent_end => {
                    let (channel, time) = self.setting(attr_lo, attr_hi);
                    if let Some(e) = who.speaker {
                        self.last_speaker.set(Some(e));
                    }
                    state.last_direct = None;
                    out.push(QuoteFact {
                        span: content,
                        speaker: who.speaker,
                        candidates: who.candidates,
                        direct: false,
                        fragment: false,
                        cue: Some(cue_span),
                        channel,
                        time,
                        evidence: vec![self.doc.sentence_span(s)],
                    });
                    // Cues inside the reported content are the reported speaker's own.
                    k = self.tok_after(content.end()).max(k + cue.len());
                }
                _ => k += cue.len(),
            }
        }
    }

    /// Reported speech around the cue at token `k` in the sentence of tokens `lo..hi`:
    /// who, the content span, and the token range of the attribution clause.
    fn reported(
        &self,
        k: usize,
        cue: &Cue,
        lo: usize,
        hi: usize,
    ) -> Option<(Who, Span, usize, usize)> {
        let after = k + cue.len();
        let comma_before = k > lo && self.tok_text(k - 1) == ",";
        // "…, according to X." / "…, said X." / "…, X said."
        if comma_before || cue.kind == "according" {
            if let Some((who, end)) = self.subject_after(after, hi) {
                if self.clause_ends(end, hi) && comma_before {
                    let content = self.content(lo, k - 1)?;
                    return Some((who, content, k, hi)).filter(|r| r.0.is_known());
                }
                if cue.kind == "according" && self.tok_text(end) == "," && self.only_fronting(lo, k)
                {
                    let content = self.content(end + 1, hi)?;
                    return Some((who, content, lo, end)).filter(|r| r.0.is_known());
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
            return Some((who, content, comma + 1, hi));
        }
        let mut j = after;
        if cue.has_object() {
            if let Some((_, span, _)) = self.channel_at(j, hi) {
                j = self.tok_after(span.end());
            } else if let Some((_, end, _)) = self.referent_at(j, hi) {
                j = end;
            } else if is_object_pronoun(self.tok_text(j)) {
                j += 1;
            }
        }
        let that = (j..hi)
            .take(8)
            .take_while(|&t| !matches!(self.tok_text(t), "," | ":" | ";"))
            .find(|&t| self.tok_text(t).eq_ignore_ascii_case("that"));
        let start = match that {
            Some(t) => t + 1,
            None if cue.bare_content() => {
                // Skip time expressions and channel phrases right after the cue.
                let mut t = j;
                while t < hi {
                    if self.in_time(self.tokens[t].span) {
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
        let content = self.content(start, hi)?;
        Some((who, content, lo, start))
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
            } else {
                return false;
            }
        }
        true
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
