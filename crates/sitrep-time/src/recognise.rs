//! The grammar: token patterns for time expressions and their normalisation.
//!
//! [`find`] pre-screens the text, tokenizes the sentences that may hold a time
//! expression and, at each token that can start one, tries the rules below; the first
//! rule that matches wins and the scan continues after it, so expressions never
//! overlap. Every rule reads a bounded number of tokens.

use std::sync::OnceLock;

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};
use jiff::civil::Date;
use sitrep_core::Span;

use crate::calendar::{
    add_days, fmt_day, fmt_month, fmt_week, orthodox_easter, season_code, season_of_month,
    shift_month, weekday_in, weekday_num, western_easter, year_of_month, yearly_in, Dir,
};
use crate::lex::{tokenize, Lex, Suffix, Tok, Unit, W};
use crate::tense::{tense_around, Tense};
use crate::{Anchor, Precision, TimeExpr, TimeKind};

/// Words that can be part of a time expression; a sentence without any of them (and
/// without digits) is skipped without tokenizing.
const TRIGGERS: &[&str] = &[
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
    "jan",
    "feb",
    "mar",
    "apr",
    "jun",
    "jul",
    "aug",
    "sep",
    "oct",
    "nov",
    "dec",
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
    "spring",
    "summer",
    "autumn",
    "fall",
    "winter",
    "morning",
    "afternoon",
    "evening",
    "night",
    "second",
    "minute",
    "hour",
    "day",
    "week",
    "fortnight",
    "month",
    "quarter",
    "year",
    "decade",
    "centur",
    "today",
    "tonight",
    "yesterday",
    "tomorrow",
    "now",
    "currently",
    "recently",
    "nowadays",
    "weekend",
    "daily",
    "weekly",
    "monthly",
    "annually",
    "yearly",
    "hourly",
    "nightly",
    "noon",
    "midday",
    "midnight",
    "easter",
    "christmas",
    "xmas",
    "ramadan",
    "future",
    "present",
    "past",
    "ago",
];

fn triggers() -> Option<&'static AhoCorasick> {
    static AC: OnceLock<Option<AhoCorasick>> = OnceLock::new();
    AC.get_or_init(|| {
        AhoCorasickBuilder::new()
            .ascii_case_insensitive(true)
            .match_kind(MatchKind::LeftmostFirst)
            .build(TRIGGERS)
            .ok()
    })
    .as_ref()
}

/// Byte ranges of the stretches to parse: the sentences, plus every gap between them,
/// clamped to the text and to char boundaries, in order and without overlap.
fn segments(text: &str, sentences: &[Span]) -> Vec<(usize, usize)> {
    let n = text.len();
    let fix = |mut p: usize| {
        p = p.min(n);
        while p > 0 && !text.is_char_boundary(p) {
            p -= 1;
        }
        p
    };
    let mut spans: Vec<(usize, usize)> = sentences
        .iter()
        .map(|s| (fix(s.start()), fix(s.end())))
        .filter(|(a, b)| a < b)
        .collect();
    spans.sort_unstable();
    let mut out = Vec::with_capacity(spans.len() * 2 + 1);
    let mut pos = 0;
    for (a, b) in spans {
        let a = a.max(pos);
        if b <= a {
            continue;
        }
        if a > pos {
            out.push((pos, a));
        }
        out.push((a, b));
        pos = b;
    }
    if pos < n {
        out.push((pos, n));
    }
    out
}

/// Entry point behind [`crate::find_times`].
pub(crate) fn find(text: &str, sentences: &[Span], published: Option<Date>) -> Vec<TimeExpr> {
    let segs = segments(text, sentences);
    // Pre-screen: positions where a trigger word starts, in order.
    let mut hits: Vec<usize> = Vec::new();
    if let Some(ac) = triggers() {
        let bytes = text.as_bytes();
        for m in ac.find_iter(text) {
            let s = m.start();
            if s == 0 || !bytes[s - 1].is_ascii_alphabetic() {
                hits.push(s);
            }
        }
    }
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut toks = Vec::new();
    let mut h = 0;
    for (a, b) in segs {
        while h < hits.len() && hits[h] < a {
            h += 1;
        }
        let has_word = h < hits.len() && hits[h] < b;
        if !has_word && !bytes[a..b].iter().any(u8::is_ascii_digit) {
            continue;
        }
        toks.clear();
        tokenize(text, a, b, &mut toks);
        let ctx = Ctx {
            text,
            t: &toks,
            pubd: published,
        };
        ctx.scan(&mut out);
    }
    out
}

/// A partial result: everything of a [`TimeExpr`] but the span.
#[derive(Debug, Clone)]
struct X {
    value: Option<String>,
    end: Option<String>,
    precision: Precision,
    anchor: Anchor,
    kind: TimeKind,
    pod: Option<&'static str>,
    modifier: Option<&'static str>,
    /// A preceding "the" belongs to the expression ("the 1990s", "the past week").
    takes_the: bool,
}

impl X {
    fn new(value: Option<String>, precision: Precision, anchor: Anchor, kind: TimeKind) -> X {
        X {
            value,
            end: None,
            precision,
            anchor,
            kind,
            pod: None,
            modifier: None,
            takes_the: false,
        }
    }
    fn date(value: Option<String>, precision: Precision, anchor: Anchor) -> X {
        X::new(value, precision, anchor, TimeKind::Date)
    }
    fn the(mut self) -> X {
        self.takes_the = true;
        self
    }
}

/// A match: tokens `s..e` and what they mean.
#[derive(Debug, Clone)]
struct Hit {
    s: usize,
    e: usize,
    x: X,
}

fn hit(s: usize, e: usize, x: X) -> Option<Hit> {
    Some(Hit { s, e, x })
}

const POD: [&str; 4] = ["MO", "AF", "EV", "NI"];

struct Ctx<'a> {
    text: &'a str,
    t: &'a [Tok],
    pubd: Option<Date>,
}

impl<'a> Ctx<'a> {
    // ----- token helpers -----------------------------------------------------------

    fn lex(&self, j: usize) -> Option<Lex> {
        self.t.get(j).map(|t| t.lex)
    }
    fn w(&self, j: usize, w: W) -> bool {
        self.lex(j) == Some(Lex::Word(w))
    }
    fn p(&self, j: usize, c: u8) -> bool {
        self.lex(j) == Some(Lex::Punct(c))
    }
    /// Punctuation `c` directly attached to the token before it.
    fn p_tight(&self, j: usize, c: u8) -> bool {
        self.p(j, c) && !self.t[j].space
    }
    fn text_of(&self, j: usize) -> &'a str {
        self.t
            .get(j)
            .and_then(|t| self.text.get(t.s..t.e))
            .unwrap_or("")
    }
    fn is(&self, j: usize, word: &str) -> bool {
        self.text_of(j).eq_ignore_ascii_case(word)
    }
    fn cap(&self, j: usize) -> bool {
        self.t.get(j).is_some_and(|t| t.cap)
    }
    /// A four-digit year number 1000–2999 at `j`.
    fn year_at(&self, j: usize) -> Option<i16> {
        let t = self.t.get(j)?;
        (t.lex == Lex::Num && t.nd == 4 && t.suf == Suffix::None && (1000..=2999).contains(&t.num))
            .then_some(t.num as i16)
    }
    /// A day-of-month number (1–31, one or two digits, optional ordinal suffix) at `j`.
    fn dom_at(&self, j: usize) -> Option<i8> {
        let t = self.t.get(j)?;
        (t.lex == Lex::Num
            && (1..=2).contains(&t.nd)
            && t.suf != Suffix::S
            && (1..=31).contains(&t.num)
            && !self.p(j + 1, b':'))
        .then_some(t.num as i8)
    }
    fn tense(&self, s: usize, e: usize) -> Tense {
        tense_around(self.text, self.t, s, e)
    }
    /// Direction for a bare weekday in the clause of `s..e`.
    fn weekday_dir(&self, s: usize, e: usize) -> Dir {
        match self.tense(s, e) {
            Tense::Future => Dir::OnOrAfter,
            _ => Dir::OnOrBefore,
        }
    }
    /// Direction for a bare month, season or feast.
    fn nearest_dir(&self, s: usize, e: usize) -> Dir {
        match self.tense(s, e) {
            Tense::Future => Dir::OnOrAfter,
            Tense::Past => Dir::OnOrBefore,
            Tense::Present => Dir::Nearest,
        }
    }

    // ----- driver ------------------------------------------------------------------

    fn scan(&self, out: &mut Vec<TimeExpr>) {
        let n = self.t.len();
        let mut i = 0;
        let mut last: Option<usize> = None;
        while i < n {
            let starts = !matches!(self.t[i].lex, Lex::Other | Lex::Punct(_)) || self.p(i, b'\'');
            if !starts {
                i += 1;
                continue;
            }
            match self.at(i) {
                Some(mut h) if h.e > h.s => {
                    if h.x.modifier.is_none() {
                        h.x.modifier = self.approx_before(h.s, h.x.kind);
                    }
                    if h.x.precision == Precision::Time && h.x.anchor != Anchor::Absolute {
                        self.clock_on_previous_day(&mut h, last.as_ref(), out.last());
                    }
                    last = Some(h.e);
                    let (s, e) = (self.t[h.s].s, self.t[h.e - 1].e);
                    out.push(TimeExpr {
                        span: Span::new(s, e),
                        value: h.x.value,
                        end: h.x.end,
                        precision: h.x.precision,
                        anchor: h.x.anchor,
                        kind: h.x.kind,
                        part_of_day: h.x.pod,
                        modifier: h.x.modifier,
                    });
                    i = h.e;
                }
                _ => i += 1,
            }
        }
    }

    /// "Sunday night at 8 pm": a clock time right after a day expression (joined by
    /// "at") is on that day.
    fn clock_on_previous_day(
        &self,
        h: &mut Hit,
        prev_end: Option<&usize>,
        prev: Option<&TimeExpr>,
    ) {
        let (Some(&pe), Some(prev)) = (prev_end, prev) else {
            return;
        };
        if !(pe + 1 == h.s && self.w(pe, W::At)) || prev.precision != Precision::Day {
            return;
        }
        let (Some(day), Some(v)) = (&prev.value, &h.x.value) else {
            return;
        };
        if let Some(t) = v.find('T') {
            h.x.value = Some(format!("{day}{}", &v[t..]));
            h.x.anchor = prev.anchor;
        }
    }

    /// "about a month", "nearly two years", "more than a week": a TIMEX3 `mod` read
    /// from the words before a duration (they stay outside the span).
    fn approx_before(&self, s: usize, kind: TimeKind) -> Option<&'static str> {
        if kind != TimeKind::Duration || s == 0 {
            return None;
        }
        let j = s - 1;
        match self.lex(j)? {
            Lex::Word(W::About | W::Around) => Some("APPROX"),
            Lex::Word(W::Nearly | W::Almost) => Some("LESS_THAN"),
            Lex::Word(W::Over) => Some("MORE_THAN"),
            Lex::Word(W::Than) if j > 0 && self.w(j - 1, W::More) => Some("MORE_THAN"),
            Lex::Word(W::Than) if j > 0 && self.w(j - 1, W::Less) => Some("LESS_THAN"),
            Lex::Word(W::Least) if j > 0 && self.w(j - 1, W::At) => Some("EQUAL_OR_MORE"),
            _ => None,
        }
    }

    /// Prefixes and ranges around a core expression starting at `i`.
    fn at(&self, i: usize) -> Option<Hit> {
        match self.lex(i)? {
            Lex::Word(W::The) => {
                if let Some(h) = self.the_phrase(i) {
                    return Some(h);
                }
            }
            Lex::Word(W::Early | W::Late | W::Mid) => {
                let m = match self.lex(i)? {
                    Lex::Word(W::Early) => "START",
                    Lex::Word(W::Late) => "END",
                    _ => "MID",
                };
                let j = if self.p_tight(i + 1, b'-') {
                    i + 2
                } else {
                    i + 1
                };
                if let Some(mut h) = self.core(j) {
                    if h.x.kind == TimeKind::Date && h.x.value.is_some() {
                        h.x.modifier = Some(m);
                        h.s = i;
                        return Some(h);
                    }
                }
            }
            Lex::Word(W::Earlier | W::Later) => {
                // "earlier this year", "later this month", "later today".
                let rel = matches!(
                    self.lex(i + 1),
                    Some(Lex::Word(
                        W::This | W::Next | W::Last | W::Today | W::Tonight
                    ))
                );
                if rel {
                    if let Some(mut h) = self.core(i + 1) {
                        h.s = i;
                        return Some(h);
                    }
                }
            }
            Lex::Word(W::Between | W::From) => {
                if let Some(h) = self.range(i) {
                    return Some(h);
                }
            }
            _ => {}
        }
        self.core(i)
    }

    /// "between March and May", "from 2014 to 2022": one expression with an `end`.
    fn range(&self, i: usize) -> Option<Hit> {
        let a = self.core(i + 1)?;
        let joiner = if self.w(i, W::Between) {
            self.w(a.e, W::And)
        } else {
            self.w(a.e, W::To)
                || self.w(a.e, W::Until)
                || self.w(a.e, W::Through)
                || self.p(a.e, b'-')
        };
        if !joiner || a.x.kind != TimeKind::Date || a.x.end.is_some() {
            return None;
        }
        let b = self.core(a.e + 1)?;
        if b.x.kind != TimeKind::Date || b.x.precision != a.x.precision {
            return None;
        }
        let mut x = a.x;
        x.end = match (&x.value, b.x.value) {
            // "between March and May": the end is resolved after the start, not on its own.
            (Some(av), Some(bv)) if b.x.anchor == Anchor::Published && bv < *av => {
                let (ya, rest) = (av.get(..4).and_then(|y| y.parse::<i32>().ok()), bv.get(4..));
                match (ya, rest) {
                    (Some(ya), Some(rest)) => {
                        let same = format!("{ya:04}{rest}");
                        Some(if same >= *av {
                            same
                        } else {
                            format!("{:04}{rest}", ya + 1)
                        })
                    }
                    _ => Some(bv),
                }
            }
            (_, bv) => bv,
        };
        hit(a.s, b.e, x)
    }

    /// Expressions that start with "the".
    fn the_phrase(&self, i: usize) -> Option<Hit> {
        let j = i + 1;
        match self.lex(j)? {
            // "the end of (the) year", "the beginning of March".
            Lex::Word(W::End | W::Beginning | W::Start | W::Middle) if self.w(j + 1, W::Of) => {
                let m = match self.lex(j)? {
                    Lex::Word(W::End) => "END",
                    Lex::Word(W::Middle) => "MID",
                    _ => "START",
                };
                let k = if self.w(j + 2, W::The) { j + 3 } else { j + 2 };
                let mut h = self.core(k).or_else(|| self.bare_unit_ref(k))?;
                if h.x.kind != TimeKind::Date {
                    return None;
                }
                h.x.modifier = Some(m);
                h.s = i;
                return Some(h);
            }
            // "the past", "the future" as references.
            Lex::Word(W::Past | W::Future)
                if self.relative(j).is_none()
                    && matches!(
                        self.lex(j + 1),
                        None | Some(Lex::Punct(_)) | Some(Lex::Word(_))
                    ) =>
            {
                let (v, p) = if self.w(j, W::Past) {
                    ("PAST_REF", Precision::PastRef)
                } else {
                    ("FUTURE_REF", Precision::FutureRef)
                };
                return hit(i, j + 1, X::date(Some(v.into()), p, Anchor::Published));
            }
            // "the day before yesterday", "the day after tomorrow".
            Lex::Unit(Unit::Day, false)
                if (self.w(j + 1, W::Before) && self.w(j + 2, W::Yesterday))
                    || (self.w(j + 1, W::After) && self.w(j + 2, W::Tomorrow)) =>
            {
                let d = if self.w(j + 1, W::Before) { -2 } else { 2 };
                return hit(i, j + 3, self.day_rel(d));
            }
            // "the weekend".
            Lex::Word(W::Weekend) => {
                let dir = self.nearest_dir(i, j + 1);
                return hit(i, j + 1, self.weekend(dir));
            }
            _ => {}
        }
        let h = self.core(j)?;
        if h.x.takes_the {
            let mut h = h;
            h.s = i;
            Some(h)
        } else {
            None
        }
    }

    /// "the end of year" without a determiner: a bare singular "year"/"month"/"week"
    /// read as the current one.
    fn bare_unit_ref(&self, k: usize) -> Option<Hit> {
        let Lex::Unit(u, false) = self.lex(k)? else {
            return None;
        };
        let x = self.unit_shift(u, 0)?;
        hit(k, k + 1, x)
    }

    // ----- core rules --------------------------------------------------------------

    fn core(&self, i: usize) -> Option<Hit> {
        match self.lex(i)? {
            Lex::Num => self
                .iso_date(i)
                .or_else(|| self.day_month(i))
                .or_else(|| self.clock(i))
                .or_else(|| self.year(i))
                .or_else(|| self.century(i))
                .or_else(|| self.number_led(i)),
            Lex::Punct(b'\'') => self.short_decade(i),
            Lex::Month(..) => self.month_led(i),
            Lex::Weekday(_) => self.weekday(i),
            Lex::Season(_) => self.season(i),
            Lex::Word(
                W::This
                | W::Last
                | W::Next
                | W::Past
                | W::Coming
                | W::Previous
                | W::Following
                | W::Current
                | W::Upcoming
                | W::Recent,
            ) => self.relative(i),
            Lex::Word(
                W::Today
                | W::Tonight
                | W::Yesterday
                | W::Tomorrow
                | W::Now
                | W::Currently
                | W::Recently
                | W::Nowadays
                | W::These
                | W::At,
            ) => self.deictic(i),
            Lex::Word(
                W::Easter | W::Christmas | W::Ramadan | W::New | W::Orthodox | W::Western,
            ) => self.holiday(i),
            Lex::Word(
                W::Every
                | W::Each
                | W::Per
                | W::Daily
                | W::Weekly
                | W::Monthly
                | W::Annually
                | W::Yearly
                | W::Hourly
                | W::Nightly,
            ) => self.set(i),
            Lex::Word(W::Noon | W::Midnight) => self.clock(i),
            Lex::Ordinal => self.century(i),
            Lex::NumWord
            | Lex::Word(W::A | W::Several | W::Few | W::Many | W::Dozens | W::Half) => {
                self.number_led(i)
            }
            Lex::Unit(_, true) => self.bare_plural(i),
            _ => None,
        }
    }

    /// `2025-04-23`.
    fn iso_date(&self, i: usize) -> Option<Hit> {
        let y = self.year_at(i)?;
        if !(self.p_tight(i + 1, b'-') && self.p_tight(i + 3, b'-')) {
            return None;
        }
        let (m, d) = (self.t.get(i + 2)?, self.t.get(i + 4)?);
        if m.space || d.space || m.nd != 2 || d.nd != 2 || m.lex != Lex::Num || d.lex != Lex::Num {
            return None;
        }
        let date = Date::new(y, m.num as i8, d.num as i8).ok()?;
        hit(
            i,
            i + 5,
            X::date(Some(fmt_day(date)), Precision::Day, Anchor::Absolute),
        )
    }

    /// A calendar day from day, month and an optional year; the year is taken from the
    /// publication date (nearest occurrence) when the text has none.
    fn dated(&self, y: Option<i16>, m: i8, d: i8) -> Option<(Option<String>, Anchor)> {
        match (y, self.pubd) {
            (Some(y), _) => Date::new(y, m, d)
                .ok()
                .map(|dt| (Some(fmt_day(dt)), Anchor::Absolute)),
            (None, Some(p)) => {
                // Validate day-of-month against a leap year first (29 Feb).
                Date::new(2024, m, d).ok()?;
                let dt = yearly_in(p, Dir::Nearest, |yy| Date::new(yy, m, d).ok())?;
                Some((Some(fmt_day(dt)), Anchor::Published))
            }
            (None, None) => {
                Date::new(2024, m, d).ok()?;
                Some((Some(format!("XXXX-{m:02}-{d:02}")), Anchor::Unresolved))
            }
        }
    }

    /// Day range end for a resolved start value: same month and year.
    fn range_end(start: &Option<String>, d2: i8) -> Option<String> {
        let s = start.as_ref()?;
        let prefix = s.get(..8)?; // "YYYY-MM-"
        Some(format!("{prefix}{d2:02}"))
    }

    /// "23 April 2025", "23rd of April", "20-25 April", "from 20 to 25 April".
    fn day_month(&self, i: usize) -> Option<Hit> {
        let d = self.dom_at(i)?;
        let mut j = i + 1;
        let mut d2 = None;
        if (self.p(j, b'-') || self.w(j, W::To) || self.w(j, W::And) || self.w(j, W::Through))
            && self.dom_at(j + 1).is_some()
            && matches!(self.lex(j + 2), Some(Lex::Month(..)))
        {
            d2 = self.dom_at(j + 1);
            j += 2;
        }
        if self.w(j, W::Of) {
            j += 1;
        }
        let Some(Lex::Month(m, abbr)) = self.lex(j) else {
            return None;
        };
        if !self.cap(j) {
            return None;
        }
        j += 1;
        if abbr && self.p_tight(j, b'.') {
            j += 1;
        }
        let mut k = j;
        if self.p(k, b',') {
            k += 1;
        }
        let y = self.year_at(k);
        if y.is_some() {
            j = k + 1;
        }
        let (value, anchor) = self.dated(y, m as i8, d)?;
        let mut x = X::date(value, Precision::Day, anchor);
        if let Some(d2) = d2 {
            if d2 > d {
                x.end = Self::range_end(&x.value, d2);
            }
        }
        hit(i, j, x)
    }

    /// "April 23", "Apr. 23, 2025", "April 20-25", "February 2022", a bare "April".
    fn month_led(&self, i: usize) -> Option<Hit> {
        let Some(Lex::Month(m, abbr)) = self.lex(i) else {
            return None;
        };
        if !self.cap(i) {
            return None;
        }
        let m = m as i8;
        let mut j = i + 1;
        if abbr && self.p_tight(j, b'.') {
            j += 1;
        }
        // Month Day [, Year]
        if let Some(d) = self.dom_at(j) {
            let mut e = j + 1;
            let mut d2 = None;
            if (self.p(e, b'-') || self.w(e, W::To) || self.w(e, W::Through))
                && self.dom_at(e + 1).is_some()
                && !matches!(self.lex(e + 2), Some(Lex::Month(..)))
            {
                d2 = self.dom_at(e + 1);
                e += 2;
            }
            let mut k = e;
            if self.p(k, b',') {
                k += 1;
            }
            let y = self.year_at(k);
            if y.is_some() {
                e = k + 1;
            }
            let (value, anchor) = self.dated(y, m, d)?;
            let mut x = X::date(value, Precision::Day, anchor);
            if let Some(d2) = d2.filter(|d2| *d2 > d) {
                x.end = Self::range_end(&x.value, d2);
            }
            return hit(i, e, x);
        }
        // Month [,|of] Year
        let k = if self.p(j, b',') || self.w(j, W::Of) {
            j + 1
        } else {
            j
        };
        if let Some(y) = self.year_at(k) {
            let x = X::date(Some(fmt_month(y, m)), Precision::Month, Anchor::Absolute);
            return hit(i, k + 1, x);
        }
        // A bare month: full names only, "May"/"March" only after a preposition.
        if abbr || !self.month_context(i, m) {
            return None;
        }
        hit(i, i + 1, self.month_value(m, self.nearest_dir(i, i + 1)))
    }

    /// True when a bare month name at `i` is really a month (not "may" the modal,
    /// "march" the verb, or a name).
    fn month_context(&self, i: usize, m: i8) -> bool {
        if m != 3 && m != 5 {
            // Not sentence-initial followed by a capitalised word ("April Ryan").
            return !(self.cap(i + 1) && matches!(self.lex(i + 1), Some(Lex::Other)));
        }
        if i == 0 {
            return false;
        }
        let prev = i - 1;
        matches!(
            self.lex(prev),
            Some(Lex::Word(
                W::In
                    | W::On
                    | W::Since
                    | W::Until
                    | W::Of
                    | W::Early
                    | W::Late
                    | W::Mid
                    | W::By
                    | W::Last
                    | W::Next
                    | W::This
                    | W::From
                    | W::To
                    | W::Between
                    | W::Through
                    | W::During
                    | W::Before
                    | W::After
                    | W::End
                    | W::Beginning
                    | W::Start
            ))
        ) || (self.p(prev, b'-') && prev > 0 && self.w(prev - 1, W::Mid))
            || (self.w(prev, W::And)
                && prev > 0
                && matches!(self.lex(prev - 1), Some(Lex::Month(..))))
    }

    fn month_value(&self, m: i8, dir: Dir) -> X {
        match self.pubd {
            Some(p) => {
                let y = year_of_month(p, m, dir);
                X::date(Some(fmt_month(y, m)), Precision::Month, Anchor::Published)
            }
            None => X::date(
                Some(format!("XXXX-{m:02}")),
                Precision::Month,
                Anchor::Unresolved,
            ),
        }
    }

    /// A weekday, with an optional part of the day or a following explicit date
    /// ("Wednesday, April 23").
    fn weekday(&self, i: usize) -> Option<Hit> {
        let Some(Lex::Weekday(wd)) = self.lex(i) else {
            return None;
        };
        if !self.cap(i) {
            return None;
        }
        let j = if self.p(i + 1, b',') { i + 2 } else { i + 1 };
        if let Some(h) = self.month_led(j).or_else(|| self.day_month(j)) {
            if h.x.precision == Precision::Day {
                return hit(i, h.e, h.x);
            }
        }
        self.weekday_resolved(i, i, wd, None)
    }

    /// Resolves the weekday at token `w` (expression starting at `s`), in direction
    /// `dir` or by the tense of the clause.
    fn weekday_resolved(&self, s: usize, w: usize, wd: u8, dir: Option<Dir>) -> Option<Hit> {
        let mut e = w + 1;
        let mut pod = None;
        if let Some(Lex::Pod(p)) = self.lex(e) {
            pod = Some(POD[p as usize]);
            e += 1;
        }
        let dir = dir.unwrap_or_else(|| self.weekday_dir(s, e));
        let (value, anchor) = match self.pubd.and_then(|p| weekday_in(p, wd, dir)) {
            Some(d) => (Some(fmt_day(d)), Anchor::Published),
            None => (None, Anchor::Unresolved),
        };
        let kind = if pod.is_some() {
            TimeKind::Time
        } else {
            TimeKind::Date
        };
        let mut x = X::new(value, Precision::Day, anchor, kind);
        x.pod = pod;
        hit(s, e, x)
    }

    /// A season: "spring 2023", "the summer", "in winter".
    fn season(&self, i: usize) -> Option<Hit> {
        let Some(Lex::Season(s)) = self.lex(i) else {
            return None;
        };
        let k = if self.w(i + 1, W::Of) { i + 2 } else { i + 1 };
        if let Some(y) = self.year_at(k) {
            let v = format!("{y:04}-{}", season_code(s));
            return hit(
                i,
                k + 1,
                X::date(Some(v), Precision::Season, Anchor::Absolute),
            );
        }
        // Bare: only after a preposition or "the"; "fall" only after "the".
        let prev = i.checked_sub(1).and_then(|p| self.lex(p));
        let ok = match prev {
            Some(Lex::Word(W::The)) => true,
            Some(Lex::Word(
                W::In
                | W::During
                | W::Since
                | W::Until
                | W::By
                | W::Over
                | W::Through
                | W::Early
                | W::Late
                | W::Mid
                | W::Last
                | W::This
                | W::Next,
            )) => s != 2 || !self.is(i, "fall"),
            _ => false,
        };
        if !ok {
            return None;
        }
        let Some(p) = self.pubd else {
            let v = format!("XXXX-{}", season_code(s));
            return hit(
                i,
                i + 1,
                X::date(Some(v), Precision::Season, Anchor::Unresolved).the(),
            );
        };
        let cur = season_of_month(p.month());
        let y = p.year();
        let y = match self.nearest_dir(i, i + 1) {
            Dir::OnOrBefore => {
                if s <= cur {
                    y
                } else {
                    y - 1
                }
            }
            Dir::OnOrAfter => {
                if s >= cur {
                    y
                } else {
                    y + 1
                }
            }
            _ => y,
        };
        let v = format!("{y:04}-{}", season_code(s));
        hit(
            i,
            i + 1,
            X::date(Some(v), Precision::Season, Anchor::Published).the(),
        )
    }

    /// The period `delta` units away from the publication date: this/last/next week,
    /// month, year, quarter, decade, century.
    fn unit_shift(&self, u: Unit, delta: i64) -> Option<X> {
        let Some(p) = self.pubd else {
            let prec = match u {
                Unit::Week | Unit::Fortnight => Precision::Week,
                Unit::Month => Precision::Month,
                Unit::Quarter => Precision::Quarter,
                Unit::Decade => Precision::Decade,
                Unit::Century => Precision::Century,
                Unit::Year => Precision::Year,
                _ => Precision::Day,
            };
            return Some(X::date(None, prec, Anchor::Unresolved));
        };
        let a = Anchor::Published;
        let x = match u {
            Unit::Day => X::date(Some(fmt_day(add_days(p, delta)?)), Precision::Day, a),
            Unit::Week | Unit::Fortnight => {
                X::date(Some(fmt_week(add_days(p, 7 * delta)?)), Precision::Week, a)
            }
            Unit::Month => {
                let (y, m) = shift_month(p.year(), p.month(), delta)?;
                X::date(Some(fmt_month(y, m)), Precision::Month, a)
            }
            Unit::Quarter => {
                let q = i64::from(p.year()) * 4 + i64::from((p.month() - 1) / 3) + delta;
                X::date(
                    Some(format!("{:04}-Q{}", q.div_euclid(4), q.rem_euclid(4) + 1)),
                    Precision::Quarter,
                    a,
                )
            }
            Unit::Year => X::date(
                Some(format!("{:04}", i64::from(p.year()) + delta)),
                Precision::Year,
                a,
            ),
            Unit::Decade => {
                let d = i64::from(p.year()) / 10 + delta;
                X::date(Some(format!("{d:03}X")), Precision::Decade, a)
            }
            Unit::Century => {
                let c = i64::from(p.year()) / 100 + delta;
                X::date(Some(format!("{c:02}")), Precision::Century, a)
            }
            _ => return None,
        };
        Some(x)
    }

    fn day_rel(&self, delta: i64) -> X {
        match self.pubd.and_then(|p| add_days(p, delta)) {
            Some(d) => X::date(Some(fmt_day(d)), Precision::Day, Anchor::Published),
            None => X::date(None, Precision::Day, Anchor::Unresolved),
        }
    }

    /// The weekend nearest the publication date in direction `dir`.
    fn weekend(&self, dir: Dir) -> X {
        let Some(p) = self.pubd else {
            return X::date(None, Precision::Week, Anchor::Unresolved).the();
        };
        let wd = weekday_num(p);
        let base = match dir {
            Dir::OnOrBefore | Dir::Before if wd < 6 => add_days(p, -7),
            Dir::After if wd >= 6 => add_days(p, 7),
            _ => Some(p),
        };
        match base {
            Some(d) => X::date(
                Some(format!("{}-WE", fmt_week(d))),
                Precision::Week,
                Anchor::Published,
            )
            .the(),
            None => X::date(None, Precision::Week, Anchor::Unresolved).the(),
        }
    }

    /// "this week", "last month", "next Monday", "the past two years", "recent weeks".
    fn relative(&self, i: usize) -> Option<Hit> {
        let rel = match self.lex(i)? {
            Lex::Word(w) => w,
            _ => return None,
        };
        let delta: i64 = match rel {
            W::This | W::Current => 0,
            W::Last | W::Previous => -1,
            W::Next | W::Coming | W::Following | W::Upcoming => 1,
            W::Past | W::Recent => -1,
            _ => return None,
        };
        let anaphoric = matches!(rel, W::Previous | W::Following);
        let j = i + 1;
        // Durations: "the past two years", "the next few months", "recent weeks".
        if let Some((n, k)) = self.number_phrase(j) {
            if let Some(Lex::Unit(u, _)) = self.lex(k) {
                if rel != W::This {
                    return hit(i, k + 1, self.duration(n, u)?.the());
                }
            }
        }
        if let Some(Lex::Unit(u, true)) = self.lex(j) {
            if rel != W::This && rel != W::Current {
                return hit(i, j + 1, self.duration(None, u)?.the());
            }
            return None;
        }
        if rel == W::Recent {
            return None;
        }
        let lex = self.lex(j)?;
        let x = match lex {
            Lex::Unit(_, false) | Lex::Word(W::Century) => {
                let u = match lex {
                    Lex::Unit(u, _) => u,
                    _ => Unit::Century,
                };
                let small = matches!(u, Unit::Second | Unit::Minute | Unit::Hour | Unit::Day);
                if u == Unit::Day {
                    // "the next day", "the following day": anaphoric.
                    if matches!(rel, W::Next | W::Following) {
                        return hit(
                            i,
                            j + 1,
                            X::date(None, Precision::Day, Anchor::Unresolved).the(),
                        );
                    }
                    if rel != W::Past {
                        return None;
                    }
                }
                let long = matches!(u, Unit::Decade | Unit::Century)
                    && rel != W::This
                    && rel != W::Current;
                if long {
                    // "the next decade", "the following decade": ten years, not 202X.
                    return hit(i, j + 1, self.duration(Some(1), u)?.the());
                }
                if anaphoric {
                    X::date(None, Precision::Day, Anchor::Unresolved)
                } else if rel == W::Past || small {
                    // "the past week", "the last hour": a stretch of time up to now.
                    return hit(i, j + 1, self.duration(Some(1), u)?.the());
                } else {
                    self.unit_shift(u, delta)?
                }
            }
            Lex::Word(W::Weekend) => {
                let dir = match rel {
                    W::Last | W::Past | W::Previous => Dir::Before,
                    W::Next | W::Following => Dir::After,
                    _ => Dir::Nearest,
                };
                if anaphoric {
                    X::date(None, Precision::Week, Anchor::Unresolved)
                } else if let Some(p) = self.pubd {
                    let base = match dir {
                        Dir::Before => add_days(p, -7),
                        Dir::After => add_days(p, 7),
                        _ => Some(p),
                    }?;
                    X::date(
                        Some(format!("{}-WE", fmt_week(base))),
                        Precision::Week,
                        Anchor::Published,
                    )
                } else {
                    X::date(None, Precision::Week, Anchor::Unresolved)
                }
            }
            Lex::Month(m, false) if self.cap(j) && !anaphoric => {
                let dir = match delta {
                    -1 => Dir::Before,
                    1 => Dir::After,
                    _ => Dir::Nearest,
                };
                self.month_value(m as i8, dir)
            }
            Lex::Weekday(wd) if self.cap(j) => {
                if anaphoric {
                    return hit(i, j + 1, X::date(None, Precision::Day, Anchor::Unresolved));
                }
                let dir = match delta {
                    -1 => Some(Dir::Before),
                    1 => Some(Dir::After),
                    _ => None,
                };
                let mut h = self.weekday_resolved(i, j, wd, dir)?;
                h.x.takes_the = true;
                return Some(h);
            }
            Lex::Season(s) if !anaphoric => {
                let Some(p) = self.pubd else {
                    let v = format!("XXXX-{}", season_code(s));
                    return hit(
                        i,
                        j + 1,
                        X::date(Some(v), Precision::Season, Anchor::Unresolved).the(),
                    );
                };
                let cur = season_of_month(p.month());
                let y = p.year();
                let y = match delta {
                    -1 if s >= cur => y - 1,
                    1 if s <= cur => y + 1,
                    _ => y,
                };
                let v = format!("{y:04}-{}", season_code(s));
                X::date(Some(v), Precision::Season, Anchor::Published)
            }
            Lex::Pod(pd) if matches!(rel, W::This | W::Last) => {
                // "this morning", "last night".
                if rel == W::Last && pd != 3 {
                    return None;
                }
                let mut x = self.day_rel(if rel == W::Last { -1 } else { 0 });
                x.precision = if x.value.is_some() {
                    Precision::PartOfDay
                } else {
                    x.precision
                };
                x.kind = TimeKind::Time;
                x.pod = Some(POD[pd as usize]);
                x
            }
            Lex::Word(W::Easter | W::Christmas | W::Ramadan | W::Orthodox | W::New)
                if !anaphoric =>
            {
                let dir = match delta {
                    -1 => Dir::Before,
                    1 => Dir::After,
                    _ => Dir::Nearest,
                };
                let mut h = self.holiday_dir(j, Some(dir))?;
                h.s = i;
                h.x.takes_the = true;
                return Some(h);
            }
            _ => return None,
        };
        hit(i, j + 1, x.the())
    }

    /// "today", "yesterday morning", "tonight", "now", "recently", "at present",
    /// "these days".
    fn deictic(&self, i: usize) -> Option<Hit> {
        let lex = self.lex(i)?;
        let refx = |v: &str, p: Precision| X::date(Some(v.into()), p, Anchor::Published);
        let (delta, e) = match lex {
            Lex::Word(W::Today) => (0, i + 1),
            Lex::Word(W::Yesterday) => (-1, i + 1),
            Lex::Word(W::Tomorrow) => (1, i + 1),
            Lex::Word(W::Tonight) => {
                let mut x = self.day_rel(0);
                x.kind = TimeKind::Time;
                x.pod = Some("NI");
                if x.value.is_some() {
                    x.precision = Precision::PartOfDay;
                }
                return hit(i, i + 1, x);
            }
            Lex::Word(W::Now | W::Currently | W::Nowadays) => {
                return hit(i, i + 1, refx("PRESENT_REF", Precision::PresentRef));
            }
            Lex::Word(W::Recently) => return hit(i, i + 1, refx("PAST_REF", Precision::PastRef)),
            Lex::Word(W::These) if self.is(i + 1, "days") => {
                return hit(i, i + 2, refx("PRESENT_REF", Precision::PresentRef));
            }
            Lex::Word(W::At) if self.w(i + 1, W::Present) => {
                return hit(i + 1, i + 2, refx("PRESENT_REF", Precision::PresentRef));
            }
            _ => return None,
        };
        let mut x = self.day_rel(delta);
        let mut e = e;
        if let Some(Lex::Pod(p)) = self.lex(e) {
            x.pod = Some(POD[p as usize]);
            x.kind = TimeKind::Time;
            e += 1;
        }
        hit(i, e, x)
    }

    /// Easter, Orthodox Easter, Christmas, New Year, Ramadan.
    fn holiday(&self, i: usize) -> Option<Hit> {
        self.holiday_dir(i, None)
    }

    fn holiday_dir(&self, i: usize, dir: Option<Dir>) -> Option<Hit> {
        let mut j = i;
        let orthodox = if self.w(j, W::Orthodox) {
            j += 1;
            true
        } else {
            if self.w(j, W::Western) {
                j += 1;
            }
            false
        };
        if !self.cap(j) {
            return None;
        }
        type Rule = fn(i16) -> Option<Date>;
        let (rule, mut e, weekend): (Rule, usize, bool) = match self.lex(j)? {
            Lex::Word(W::Easter) => {
                let mut e = j + 1;
                let mut weekend = false;
                let mut shift = 0;
                match self.lex(e) {
                    Some(Lex::Weekday(7)) => e += 1,
                    Some(Lex::Weekday(1)) => {
                        shift = 1;
                        e += 1
                    }
                    Some(Lex::Unit(Unit::Day, false)) => e += 1,
                    Some(Lex::Word(W::Weekend)) => {
                        weekend = true;
                        e += 1
                    }
                    _ => {}
                }
                let rule: Rule = match (orthodox, shift) {
                    (true, 0) => orthodox_easter,
                    (true, _) => |y| orthodox_easter(y).and_then(|d| add_days(d, 1)),
                    (false, 0) => western_easter,
                    (false, _) => |y| western_easter(y).and_then(|d| add_days(d, 1)),
                };
                (rule, e, weekend)
            }
            Lex::Word(W::Christmas) => {
                let mut e = j + 1;
                let eve = self.w(e, W::Eve);
                if eve || matches!(self.lex(e), Some(Lex::Unit(Unit::Day, false))) {
                    e += 1;
                }
                let rule: Rule = match (orthodox, eve) {
                    (false, false) => |y| Date::new(y, 12, 25).ok(),
                    (false, true) => |y| Date::new(y, 12, 24).ok(),
                    (true, false) => |y| Date::new(y, 1, 7).ok(),
                    (true, true) => |y| Date::new(y, 1, 6).ok(),
                };
                (rule, e, false)
            }
            Lex::Word(W::New)
                if matches!(self.lex(j + 1), Some(Lex::Unit(Unit::Year, false)))
                    && self.cap(j + 1) =>
            {
                let mut e = j + 2;
                let mut eve = false;
                if self.p(e, b'\'') && self.is(e + 1, "s") {
                    e += 2;
                    if self.w(e, W::Eve) {
                        eve = true;
                        e += 1;
                    } else if matches!(self.lex(e), Some(Lex::Unit(Unit::Day, false))) {
                        e += 1;
                    }
                }
                let rule: Rule = if eve {
                    |y| Date::new(y, 12, 31).ok()
                } else {
                    |y| Date::new(y, 1, 1).ok()
                };
                (rule, e, false)
            }
            Lex::Word(W::Ramadan) if !orthodox => {
                // Lunar: no computus here. Recognised; resolved only to its year.
                if let Some(y) = self.year_at(j + 1) {
                    let x = X::date(Some(format!("{y:04}")), Precision::Year, Anchor::Absolute);
                    return hit(i, j + 2, x.the());
                }
                return hit(
                    i,
                    j + 1,
                    X::date(None, Precision::Day, Anchor::Unresolved).the(),
                );
            }
            _ => return None,
        };
        let mut explicit = self.year_at(e).map(|y| (y, true));
        if explicit.is_none() && (self.w(e, W::In) || self.w(e, W::Of)) {
            // "Easter in 2024": the year dates the feast but stays its own expression.
            explicit = self.year_at(e + 1).map(|y| (y, false));
        }
        let date = match (explicit, self.pubd) {
            (Some((y, inside)), _) => {
                if inside {
                    e += 1;
                }
                rule(y).map(|d| (d, Anchor::Absolute))
            }
            (None, Some(p)) => {
                let dir = dir.unwrap_or_else(|| self.nearest_dir(i, e));
                yearly_in(p, dir, rule).map(|d| (d, Anchor::Published))
            }
            (None, None) => None,
        };
        let x = match date {
            Some((d, a)) if weekend => {
                let mut x = X::date(add_days(d, -1).map(fmt_day), Precision::Day, a);
                x.end = Some(fmt_day(d));
                x
            }
            Some((d, a)) => X::date(Some(fmt_day(d)), Precision::Day, a),
            None => X::date(None, Precision::Day, Anchor::Unresolved),
        };
        hit(i, e, x.the())
    }

    /// A four-digit year or a decade ("1990s"), with guards against counts.
    fn year(&self, i: usize) -> Option<Hit> {
        let t = self.t.get(i)?;
        if t.lex != Lex::Num || t.nd != 4 {
            return None;
        }
        if t.suf == Suffix::S && t.num % 10 == 0 && (1000..=2990).contains(&t.num) {
            let v = format!("{:03}X", t.num / 10);
            return hit(
                i,
                i + 1,
                X::date(Some(v), Precision::Decade, Anchor::Absolute).the(),
            );
        }
        let y = self.year_at(i)?;
        if self.p(i + 1, b':')
            || self.p(i + 1, b'%')
            || (i > 0 && self.t[i - 1].lex == Lex::Punct(b'$'))
        {
            return None;
        }
        let prev_ok = i > 0
            && matches!(
                self.lex(i - 1),
                Some(Lex::Word(
                    W::In
                        | W::Since
                        | W::Of
                        | W::By
                        | W::Until
                        | W::From
                        | W::Before
                        | W::After
                        | W::During
                        | W::Early
                        | W::Late
                        | W::Mid
                        | W::Fiscal
                        | W::Through
                        | W::To
                        | W::And
                        | W::Between
                        | W::Around
                )) | Some(Lex::Unit(Unit::Year, false))
                    | Some(Lex::Punct(b'-'))
                    | Some(Lex::Month(..))
            );
        let next_noun = matches!(self.lex(i + 1), Some(Lex::Other))
            && !self.cap(i + 1)
            && !self.t[i + 1].past
            && COUNTED.iter().any(|w| self.is(i + 1, w));
        let recent = (1900..=2100).contains(&y);
        if next_noun || !(recent || prev_ok) {
            return None;
        }
        hit(
            i,
            i + 1,
            X::date(Some(format!("{y:04}")), Precision::Year, Anchor::Absolute),
        )
    }

    /// "'90s".
    fn short_decade(&self, i: usize) -> Option<Hit> {
        let t = self.t.get(i + 1)?;
        if t.space || t.lex != Lex::Num || t.nd != 2 || t.suf != Suffix::S || t.num % 10 != 0 {
            return None;
        }
        let century = if t.num >= 30 { 19 } else { 20 };
        let v = format!("{century}{}X", t.num / 10);
        hit(
            i,
            i + 2,
            X::date(Some(v), Precision::Decade, Anchor::Absolute).the(),
        )
    }

    /// "the 20th century", "the twenty-first century".
    fn century(&self, i: usize) -> Option<Hit> {
        let t = self.t.get(i)?;
        let mut n = match t.lex {
            Lex::Num if t.suf == Suffix::Ord => t.num,
            Lex::Ordinal => t.num,
            _ => return None,
        };
        let mut j = i + 1;
        // "twenty-first": NumWord tens, '-', ordinal.
        if self.lex(i) == Some(Lex::NumWord) {
            return None;
        }
        if i >= 2 && self.lex(i - 2) == Some(Lex::NumWord) && self.p_tight(i - 1, b'-') {
            n += self.t[i - 2].num;
        }
        if self.p(j, b'-') {
            j += 1;
        }
        if !self.w(j, W::Century) || !(1..=30).contains(&n) {
            return None;
        }
        let v = format!("{:02}", n - 1);
        hit(
            i,
            j + 1,
            X::date(Some(v), Precision::Century, Anchor::Absolute).the(),
        )
    }

    /// A count: digits, number words ("twenty-four"), "a", "a few", "several",
    /// "a couple of", "a dozen", "dozens of". `None` in the value means unspecified.
    fn number_phrase(&self, i: usize) -> Option<(Option<u32>, usize)> {
        let t = self.t.get(i)?;
        match t.lex {
            Lex::Num if t.suf == Suffix::None && t.nd > 0 => Some((Some(t.num), i + 1)),
            Lex::NumWord => {
                let mut v = t.num;
                let mut e = i + 1;
                if (20..=90).contains(&v) && self.p_tight(e, b'-') {
                    if let Some(u) = self
                        .t
                        .get(e + 1)
                        .filter(|u| u.lex == Lex::NumWord && u.num < 10 && !u.space)
                    {
                        v += u.num;
                        e += 2;
                    }
                }
                if self.lex(e) == Some(Lex::NumWord) && self.t[e].num == 100 {
                    v *= 100;
                    e += 1;
                }
                Some((Some(v), e))
            }
            Lex::Word(W::A) => match self.lex(i + 1)? {
                Lex::Word(W::Few) => Some((None, i + 2)),
                Lex::Word(W::Couple) => {
                    Some((Some(2), if self.w(i + 2, W::Of) { i + 3 } else { i + 2 }))
                }
                Lex::Word(W::Dozen) => Some((Some(12), i + 2)),
                Lex::NumWord if self.t[i + 1].num == 100 => Some((Some(100), i + 2)),
                _ => Some((Some(1), i + 1)),
            },
            Lex::Word(W::Several | W::Few | W::Many) => Some((None, i + 1)),
            Lex::Word(W::Dozens) if self.w(i + 1, W::Of) => Some((None, i + 2)),
            _ => None,
        }
    }

    /// A duration value: `P3D`, `PT24H`, `PXM`, `P10Y` (a decade).
    fn duration(&self, n: Option<u32>, u: Unit) -> Option<X> {
        let (time, letter, mult) = match u {
            Unit::Second => (true, 'S', 1),
            Unit::Minute => (true, 'M', 1),
            Unit::Hour => (true, 'H', 1),
            Unit::Day => (false, 'D', 1),
            Unit::Week => (false, 'W', 1),
            Unit::Fortnight => (false, 'W', 2),
            Unit::Month => (false, 'M', 1),
            Unit::Quarter => (false, 'M', 3),
            Unit::Year => (false, 'Y', 1),
            Unit::Decade => (false, 'Y', 10),
            Unit::Century => (false, 'Y', 100),
        };
        let count = match n {
            Some(n) => n.saturating_mul(mult).to_string(),
            None => "X".to_owned(),
        };
        let t = if time { "T" } else { "" };
        Some(X::new(
            Some(format!("P{t}{count}{letter}")),
            Precision::Duration,
            Anchor::Absolute,
            TimeKind::Duration,
        ))
    }

    /// Expressions led by a count: "three years", "a 30-day ceasefire", "three days
    /// ago", "two weeks from now", "two days later", "half an hour".
    fn number_led(&self, i: usize) -> Option<Hit> {
        if self.w(i, W::Half) {
            if self.w(i + 1, W::A) && matches!(self.lex(i + 2), Some(Lex::Unit(Unit::Hour, false)))
            {
                let x = X::new(
                    Some("PT30M".into()),
                    Precision::Duration,
                    Anchor::Absolute,
                    TimeKind::Duration,
                );
                return hit(i, i + 3, x);
            }
            return None;
        }
        let (n, mut k) = self.number_phrase(i)?;
        // "30-day", "four-week": the hyphenated adjective form.
        let hyph = self.p_tight(k, b'-');
        if hyph {
            k += 1;
        }
        let (u, plural) = match self.lex(k)? {
            Lex::Unit(u, pl) => (u, pl),
            Lex::Word(W::Century) => (Unit::Century, false),
            _ => return None,
        };
        // A bare article counts one: "a month", not "a months" or "a-day".
        if self.w(i, W::A) && k <= i + 2 && n == Some(1) && (plural || hyph) {
            return None;
        }
        // Ages: "a 30-year-old", "30 years old".
        if (hyph && self.p_tight(k + 1, b'-') && self.w(k + 2, W::Old))
            || self.w(k + 1, W::Old)
            || self.is(k + 1, "older")
            || self.is(k + 1, "younger")
            || (self.w(k + 1, W::And) && (self.is(k + 2, "older") || self.is(k + 2, "younger")))
        {
            return None;
        }
        let e = k + 1;
        if self.w(e, W::Ago) {
            return hit(i, e + 1, self.ago(n, u, -1));
        }
        if self.w(e, W::From) && self.w(e + 1, W::Now) {
            return hit(i, e + 2, self.ago(n, u, 1));
        }
        hit(i, e, self.duration(n, u)?)
    }

    /// The date `n` units before (`sign` −1) or after (+1) the publication day, at the
    /// precision of the unit.
    fn ago(&self, n: Option<u32>, u: Unit, sign: i64) -> X {
        let Some(n) = n.filter(|n| *n <= 100_000) else {
            let (v, p) = if sign < 0 {
                ("PAST_REF", Precision::PastRef)
            } else {
                ("FUTURE_REF", Precision::FutureRef)
            };
            return X::date(Some(v.into()), p, Anchor::Published);
        };
        let n = i64::from(n) * sign;
        let x = match u {
            Unit::Day => Some(self.day_rel(n)),
            Unit::Week => self.unit_shift(Unit::Week, n),
            Unit::Fortnight => self.unit_shift(Unit::Week, 2 * n),
            Unit::Month => self.unit_shift(Unit::Month, n),
            Unit::Quarter => self.unit_shift(Unit::Month, 3 * n),
            Unit::Year => self.unit_shift(Unit::Year, n),
            Unit::Decade => self.unit_shift(Unit::Year, 10 * n).map(|mut x| {
                x.precision = Precision::Year;
                x
            }),
            Unit::Century => self.unit_shift(Unit::Year, 100 * n),
            Unit::Hour | Unit::Minute | Unit::Second => Some(self.day_rel(0)),
        };
        x.unwrap_or_else(|| X::date(None, Precision::Day, Anchor::Unresolved))
    }

    /// A bare plural unit: "for years", "days after the attack" → `PXY`, `PXD`.
    fn bare_plural(&self, i: usize) -> Option<Hit> {
        let Some(Lex::Unit(u, true)) = self.lex(i) else {
            return None;
        };
        if matches!(u, Unit::Second) || self.w(i + 1, W::Old) {
            return None;
        }
        // "hours" after an ordinal or a number is handled elsewhere; "man-hours" no.
        if i > 0 && self.p_tight(i, b'-') {
            return None;
        }
        // After a count the number rule has already decided (an age, a hyphenated word).
        if i > 0 && matches!(self.lex(i - 1), Some(Lex::Num | Lex::NumWord)) {
            return None;
        }
        if i > 0 && self.p_tight(i - 1, b'-') {
            return None;
        }
        hit(i, i + 1, self.duration(None, u)?)
    }

    /// Recurring times: "every day", "each week", "every Monday", "daily", "per day".
    fn set(&self, i: usize) -> Option<Hit> {
        let setx = |v: String| X::new(Some(v), Precision::Set, Anchor::Absolute, TimeKind::Set);
        let lex = self.lex(i)?;
        let adverb = match lex {
            Lex::Word(W::Daily) => Some("P1D"),
            Lex::Word(W::Weekly) => Some("P1W"),
            Lex::Word(W::Monthly) => Some("P1M"),
            Lex::Word(W::Annually | W::Yearly) => Some("P1Y"),
            Lex::Word(W::Hourly) => Some("PT1H"),
            Lex::Word(W::Nightly) => Some("XXXX-XX-XXTNI"),
            _ => None,
        };
        if let Some(v) = adverb {
            // Capitalised mid-sentence it is a name ("the Daily Telegraph").
            if self.cap(i) && i > 0 {
                return None;
            }
            return hit(i, i + 1, setx(v.into()));
        }
        let mut j = i + 1;
        let mut n = 1u32;
        if let Some((Some(v), k)) = self.number_phrase(j).filter(|_| !self.w(j, W::A)) {
            n = v;
            j = k;
        } else if self.is(j, "other") {
            n = 2;
            j += 1;
        }
        let v = match self.lex(j)? {
            Lex::Unit(u, _) => {
                let d = self.duration(Some(n), u)?;
                d.value?
            }
            Lex::Weekday(wd) if lex != Lex::Word(W::Per) => format!("XXXX-WXX-{wd}"),
            Lex::Pod(p) if lex != Lex::Word(W::Per) => format!("XXXX-XX-XXT{}", POD[p as usize]),
            Lex::Month(m, false) if lex != Lex::Word(W::Per) && self.cap(j) => {
                format!("XXXX-{m:02}")
            }
            _ => return None,
        };
        hit(i, j + 1, setx(v))
    }

    /// Clock times: "10 am", "10:30 p.m.", "15:00 GMT", "noon", "midnight"; joined
    /// with a following day ("15:00 GMT Saturday", "10 pm on Tuesday").
    fn clock(&self, i: usize) -> Option<Hit> {
        let (hh, mm, mut e) = match self.lex(i)? {
            Lex::Word(W::Noon) => (12, 0, i + 1),
            Lex::Word(W::Midnight) => (24, 0, i + 1),
            Lex::Num => {
                let t = &self.t[i];
                if t.nd == 0 || t.nd > 2 || t.suf != Suffix::None {
                    return None;
                }
                let h = t.num;
                if self.p_tight(i + 1, b':') {
                    let m = self.t.get(i + 2)?;
                    if m.space || m.lex != Lex::Num || m.nd != 2 || m.num > 59 || h > 23 {
                        return None;
                    }
                    if self.p_tight(i + 3, b':') {
                        return None; // "3:07:35" is a duration or a score.
                    }
                    let e = i + 3;
                    let marked = matches!(self.lex(e), Some(Lex::Word(W::Am | W::Pm | W::Zone)))
                        || (i > 0
                            && matches!(
                                self.lex(i - 1),
                                Some(Lex::Word(
                                    W::At
                                        | W::By
                                        | W::Until
                                        | W::From
                                        | W::Around
                                        | W::About
                                        | W::Before
                                        | W::After
                                        | W::Since
                                        | W::To
                                ))
                            ));
                    if !marked {
                        return None;
                    }
                    (h, m.num, e)
                } else if matches!(self.lex(i + 1), Some(Lex::Word(W::Am | W::Pm)))
                    && (1..=12).contains(&h)
                {
                    (h, 0, i + 1)
                } else {
                    return None;
                }
            }
            _ => return None,
        };
        let mut hh = hh;
        match self.lex(e) {
            Some(Lex::Word(W::Am)) => {
                if hh == 12 {
                    hh = 0;
                }
                e += 1;
            }
            Some(Lex::Word(W::Pm)) => {
                if hh < 12 {
                    hh += 12;
                }
                e += 1;
            }
            _ => {}
        }
        if hh > 24 {
            return None;
        }
        if self.w(e, W::Zone) {
            e += 1;
        }
        let time = format!("T{hh:02}:{mm:02}");
        // A day right after: "15:00 GMT Saturday", "10 pm on Tuesday", "noon today".
        let k = if self.w(e, W::On) { e + 1 } else { e };
        let day = match self.lex(k) {
            Some(Lex::Weekday(_)) => self.weekday(k),
            Some(Lex::Word(W::Today | W::Yesterday | W::Tomorrow)) => self.deictic(k),
            _ => None,
        };
        let (value, anchor, e) = match day {
            Some(d) if d.x.precision == Precision::Day && d.x.pod.is_none() => match d.x.value {
                Some(v) => (Some(format!("{v}{time}")), d.x.anchor, d.e),
                None => (None, Anchor::Unresolved, d.e),
            },
            _ => match self.pubd {
                Some(p) => (Some(format!("{}{time}", fmt_day(p))), Anchor::Published, e),
                None => (Some(format!("XXXX-XX-XX{time}")), Anchor::Unresolved, e),
            },
        };
        hit(i, e, X::new(value, Precision::Time, anchor, TimeKind::Time))
    }
}

/// Nouns after which a four-digit number is a count, not a year.
const COUNTED: &[&str] = &[
    "people",
    "troops",
    "soldiers",
    "civilians",
    "men",
    "women",
    "children",
    "refugees",
    "fighters",
    "casualties",
    "deaths",
    "dead",
    "killed",
    "wounded",
    "homes",
    "houses",
    "buildings",
    "km",
    "kilometres",
    "kilometers",
    "miles",
    "metres",
    "meters",
    "feet",
    "tons",
    "tonnes",
    "dollars",
    "euros",
    "pounds",
    "rounds",
    "shells",
    "drones",
    "missiles",
    "rockets",
    "tanks",
    "prisoners",
    "residents",
    "votes",
    "jobs",
    "cases",
    "times",
    "members",
    "points",
    "units",
    "pages",
    "words",
    "hectares",
    "acres",
    "vehicles",
    "aircraft",
    "calls",
    "rubles",
    "roubles",
    "hryvnias",
    "barrels",
    "employees",
    "workers",
    "students",
    "patients",
];

#[cfg(test)]
mod tests;
