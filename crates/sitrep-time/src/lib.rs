//! Time expressions in English news text, recognised and normalised to TIMEX3 / ISO 8601
//! values relative to the publication date.
//!
//! This is the time stage of sitrep's pipeline: it runs after segmentation (it is given
//! the sentence spans) and before extraction, which dates quotes, meetings and attacks
//! with the [`TimeExpr`]s found here.
//!
//! # Design
//!
//! * **Pre-screen, then parse locally.** An Aho–Corasick automaton over the closed set of
//!   trigger words (months, weekdays, units, "today", "ago", holidays…) plus a scan for
//!   digits marks the sentences that can hold a time expression at all. Only those are
//!   tokenized and parsed, so text without times costs one linear pass. Everything is
//!   linear in the input: the tokenizer is a single forward scan, every rule looks at a
//!   bounded number of tokens, and the tense of a clause is read from a bounded window.
//! * **Closed vocabulary, hand-written grammar.** Tokens are classified once
//!   (`lex.rs`) into months, weekdays, units, number words, relative words and so on; the
//!   rules (`recognise.rs`) match short token patterns, longest first at each position,
//!   with explicit guards for the ambiguous words ("May" the modal, "March" the verb,
//!   "fall", four-digit numbers that are counts rather than years).
//! * **Direction from tense.** A bare weekday, month or feast is resolved to the most
//!   recent occurrence in a past-tense clause and to the next one in a future clause
//!   ("will", "is due to", "plans to", "next"). The tense is read from the nearest marker
//!   around the expression inside its sentence (`tense.rs`).
//! * **Calendar arithmetic with `jiff`** (`calendar.rs`), including the Western and
//!   Orthodox dates of Easter ([`western_easter`], [`orthodox_easter`]). Lunar feasts
//!   (Ramadan) are recognised but left unresolved: there is no computus for them and we
//!   do not guess.
//! * **Values follow TIMEX3**: `2025-04-22`, `2025-W17`, `2025-W17-WE`, `2025-04`,
//!   `2025-SP`, `2025`, `199X` (a decade), `19` (a century), `P30D`, `PT24H`, `PXM` (an
//!   unspecified number of months), `PRESENT_REF`, `PAST_REF`, `FUTURE_REF`. The part of
//!   a day is kept apart ([`TimeExpr::part_of_day`]); [`TimeExpr::timex3_value`] renders
//!   the combined TIMEX3 form (`2025-04-22TNI`).
//!
//! The [`eval`] module scores the stage against TimeML gold (TempEval-3).
#![warn(missing_docs)]

mod calendar;
pub mod eval;
mod lex;
mod recognise;
mod tense;

use serde::Serialize;
use sitrep_core::record::TimeMention;
use sitrep_core::Span;

pub use calendar::{orthodox_easter, western_easter};

/// True when `word` is a month or weekday name or abbreviation ("June", "Nov",
/// "Fri"), in any case: words that other recognisers must not take for places or names.
pub fn is_calendar_word(word: &str) -> bool {
    lex::is_calendar_word(word)
}

/// How fine-grained a normalised value is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Precision {
    /// A calendar day (`2025-04-22`).
    Day,
    /// An ISO week or a weekend (`2025-W17`, `2025-W17-WE`).
    Week,
    /// A month (`2025-04`).
    Month,
    /// A quarter (`2025-Q2`).
    Quarter,
    /// A season (`2025-SP`).
    Season,
    /// A year (`2025`).
    Year,
    /// A decade (`199X`).
    Decade,
    /// A century (`19` for the 20th century).
    Century,
    /// A part of a day without a more specific time ("this morning").
    PartOfDay,
    /// A clock time (`2025-04-23T15:00`).
    Time,
    /// A length of time (`P30D`).
    Duration,
    /// A recurring time (`P1D` for "daily").
    Set,
    /// `PRESENT_REF` ("now", "currently").
    PresentRef,
    /// `PAST_REF` ("recently", "the past").
    PastRef,
    /// `FUTURE_REF` ("the future").
    FutureRef,
}

impl Precision {
    /// The name used in the `sitrep/1` record (`day`, `week`, `part-of-day`, …).
    pub fn as_str(self) -> &'static str {
        match self {
            Precision::Day => "day",
            Precision::Week => "week",
            Precision::Month => "month",
            Precision::Quarter => "quarter",
            Precision::Season => "season",
            Precision::Year => "year",
            Precision::Decade => "decade",
            Precision::Century => "century",
            Precision::PartOfDay => "part-of-day",
            Precision::Time => "time",
            Precision::Duration => "duration",
            Precision::Set => "set",
            Precision::PresentRef => "present",
            Precision::PastRef => "past",
            Precision::FutureRef => "future",
        }
    }
}

/// What a value was resolved against.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Anchor {
    /// The text names the value completely ("23 April 2025", "P30D", "in 2014").
    Absolute,
    /// Resolved against the publication date ("Tuesday night", "last month").
    Published,
    /// Needs an anchor that was not available (no publication date, or an anaphoric
    /// expression such as "two days later"); `value` is `None` or has `X` placeholders.
    Unresolved,
}

impl Anchor {
    /// The name used in the `sitrep/1` record.
    pub fn as_str(self) -> &'static str {
        match self {
            Anchor::Absolute => "absolute",
            Anchor::Published => "published",
            Anchor::Unresolved => "unresolved",
        }
    }
}

/// The TIMEX3 type of an expression.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum TimeKind {
    /// A calendar date or period ("Tuesday", "last month", "2014").
    Date,
    /// A time of day, or a day with a part of the day ("15:00", "Tuesday night").
    Time,
    /// A length of time ("a 30-day ceasefire", "three years").
    Duration,
    /// A recurring time ("daily", "every week").
    Set,
}

impl TimeKind {
    /// The TIMEX3 `type` attribute (`DATE`, `TIME`, `DURATION`, `SET`).
    pub fn timex3_type(self) -> &'static str {
        match self {
            TimeKind::Date => "DATE",
            TimeKind::Time => "TIME",
            TimeKind::Duration => "DURATION",
            TimeKind::Set => "SET",
        }
    }
}

/// One time expression found in a text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TimeExpr {
    /// Byte range of the expression in the text (on char boundaries).
    pub span: Span,
    /// The normalised TIMEX3/ISO value, or `None` when it cannot be resolved.
    pub value: Option<String>,
    /// For ranges ("from 20 to 25 April"), the value of the last day/month; `value` is
    /// then the first.
    pub end: Option<String>,
    /// How fine-grained `value` is.
    pub precision: Precision,
    /// What the value was resolved against.
    pub anchor: Anchor,
    /// The TIMEX3 type.
    pub kind: TimeKind,
    /// Part of the day when the text gives one: `MO`, `AF`, `EV` or `NI` (TIMEX3 codes).
    pub part_of_day: Option<&'static str>,
    /// TIMEX3 `mod`: `START` ("early March"), `MID`, `END`, `APPROX` ("about a month"),
    /// `LESS_THAN`, `MORE_THAN`, `EQUAL_OR_MORE`.
    pub modifier: Option<&'static str>,
}

impl TimeExpr {
    /// The value as a TIMEX3 `value` attribute: the day value with the part of the day
    /// appended when there is one (`2025-04-22TNI`), otherwise [`TimeExpr::value`].
    pub fn timex3_value(&self) -> Option<String> {
        let v = self.value.as_ref()?;
        match self.part_of_day {
            Some(pod) if !v.contains('T') => Some(format!("{v}T{pod}")),
            _ => Some(v.clone()),
        }
    }

    /// The wire form for the `sitrep/1` record, with id `t{index}` (the caller numbers
    /// the times of a document from 1). `text` is the document text the span indexes.
    pub fn to_mention(&self, text: &str, index: usize) -> TimeMention {
        TimeMention {
            id: format!("t{index}"),
            span: self.span,
            text: self.span.slice(text).unwrap_or_default().to_owned(),
            value: self.value.clone(),
            precision: self.precision.as_str().to_owned(),
            anchor: self.anchor.as_str().to_owned(),
        }
    }
}

/// Finds and normalises the time expressions of `text`.
///
/// `sentences` are the sentence spans of `text` (the tense of a clause is read inside
/// its sentence); an empty slice means the whole text is one sentence. Text between or
/// around the given sentences is still searched, each gap as a sentence of its own.
/// `published` is the publication day that relative expressions are resolved against;
/// without it they are returned with [`Anchor::Unresolved`].
///
/// Never panics; spans are sorted, do not overlap and lie on char boundaries.
pub fn find_times(
    text: &str,
    sentences: &[Span],
    published: Option<jiff::civil::Date>,
) -> Vec<TimeExpr> {
    recognise::find(text, sentences, published)
}
