//! Quote attribution on PolNeAR: are the quotes found, and is the named speaker right?
//!
//! PolNeAR (Newell, Margolin & Ruths, LREC 2018) annotates every attribution in real
//! news with brat standoff: a `Content` span, its `Cue` and its `Source`, with character
//! (not byte) offsets into the article text. [`parse_ann`] reads one `.ann` file into
//! [`GoldAttribution`]s with byte ranges; [`score_document`] compares them with a
//! record's quotes whose spans the caller has mapped back to the article's bytes.
//!
//! - A gold attribution is **direct** when its content is in quotation marks (it starts
//!   with one, or one stands just before it).
//! - A predicted quote **finds** a gold attribution when their byte ranges overlap by at
//!   least half of the shorter one.
//! - The gold source **names** someone when it holds a capitalised word that is not a
//!   pronoun or determiner ("Donald Trump", "the Post", "Clinton's campaign"); pronoun
//!   and description sources ("he", "a source") are left out of the speaker score, as
//!   PolNeAR links them to no one.
//! - The speaker is **right** when the predicted speaker's name and the gold source share
//!   a capitalised word ("Trump" ~ "Republican nominee Donald Trump").

use std::ops::Range;

use serde::Serialize;

/// One gold attribution: where its content is, who the source is, and whether the
/// content is a direct quote.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GoldAttribution {
    /// Byte range of the content in the article text.
    pub content: Range<usize>,
    /// The source's words, when the attribution has a source.
    pub source: Option<String>,
    /// True when the content is in quotation marks.
    pub direct: bool,
}

/// A predicted quote, its span mapped back to the article's bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PredictedQuote {
    /// Byte range of the quoted words in the article text.
    pub span: Range<usize>,
    /// The name of the speaker entity, when the extractor chose one.
    pub speaker: Option<String>,
    /// True for words in quotation marks.
    pub direct: bool,
}

/// Counts over one or many documents.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct AttributionCounts {
    /// Gold attributions.
    pub gold: usize,
    /// Gold attributions found by some predicted quote.
    pub found: usize,
    /// Found gold attributions whose source names someone.
    pub named: usize,
    /// Of those, the ones whose predicted speaker is right.
    pub speaker_right: usize,
    /// Of those, the ones with no predicted speaker at all.
    pub speaker_missing: usize,
}

impl AttributionCounts {
    /// Adds another document's counts.
    pub fn add(&mut self, other: &AttributionCounts) {
        self.gold += other.gold;
        self.found += other.found;
        self.named += other.named;
        self.speaker_right += other.speaker_right;
        self.speaker_missing += other.speaker_missing;
    }

    /// Share of gold attributions found.
    pub fn found_rate(&self) -> f64 {
        ratio(self.found, self.gold)
    }

    /// Share of found, named attributions with the right speaker.
    pub fn speaker_rate(&self) -> f64 {
        ratio(self.speaker_right, self.named)
    }
}

fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 {
        0.0
    } else {
        a as f64 / b as f64
    }
}

/// Direct quotes and all attributions, scored apart.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct AttributionReport {
    /// Documents scored.
    pub documents: usize,
    /// Gold attributions whose content is in quotation marks.
    pub direct: AttributionCounts,
    /// Every gold attribution (reported speech included).
    pub all: AttributionCounts,
    /// Predicted quotes.
    pub predicted: usize,
    /// Predicted quotes that found no gold attribution.
    pub unmatched_predicted: usize,
}

impl AttributionReport {
    /// Adds one document's report.
    pub fn add(&mut self, other: &AttributionReport) {
        self.documents += other.documents;
        self.direct.add(&other.direct);
        self.all.add(&other.all);
        self.predicted += other.predicted;
        self.unmatched_predicted += other.unmatched_predicted;
    }
}

impl std::fmt::Display for AttributionReport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        writeln!(
            f,
            "{} documents, {} predicted quotes ({} matching no gold attribution)",
            self.documents, self.predicted, self.unmatched_predicted
        )?;
        writeln!(
            f,
            "attributions   gold  found  found%  named  speaker right  speaker%  no speaker"
        )?;
        for (label, c) in [("direct", &self.direct), ("all", &self.all)] {
            writeln!(
                f,
                "{label:<12} {:>6} {:>6} {:>7.3} {:>6} {:>14} {:>9.3} {:>11}",
                c.gold,
                c.found,
                c.found_rate(),
                c.named,
                c.speaker_right,
                c.speaker_rate(),
                c.speaker_missing
            )?;
        }
        Ok(())
    }
}

/// Why an `.ann` file could not be read.
#[derive(Debug, thiserror::Error)]
#[error("line {line}: {message}")]
pub struct AnnError {
    /// 1-based line of the `.ann` file.
    pub line: usize,
    /// What was wrong.
    pub message: String,
}

/// Reads a brat `.ann` file of PolNeAR against the article `text` it annotates.
///
/// Character offsets are turned into byte offsets of `text`; an attribution whose
/// content lies outside the text is an error.
pub fn parse_ann(ann: &str, text: &str) -> Result<Vec<GoldAttribution>, AnnError> {
    // Byte offset of every char index (and of the end).
    let byte_at: Vec<usize> = text
        .char_indices()
        .map(|(i, _)| i)
        .chain(std::iter::once(text.len()))
        .collect();
    let mut spans: std::collections::HashMap<&str, (&str, Range<usize>)> = Default::default();
    let mut events = Vec::new();
    for (n, line) in ann.lines().enumerate() {
        let err = |message: &str| AnnError {
            line: n + 1,
            message: message.to_owned(),
        };
        let mut cols = line.split('\t');
        let id = cols.next().unwrap_or("");
        // Ids are a letter and digits; other lines continue a span's text over a newline.
        let numbered = id.len() > 1 && id[1..].bytes().all(|b| b.is_ascii_digit());
        if !numbered {
            continue;
        }
        if id.starts_with('T') {
            let head = cols.next().ok_or_else(|| err("no type and offsets"))?;
            let mut parts = head.split([' ', ';']);
            let kind = parts.next().unwrap_or("");
            let start: usize = parts
                .next()
                .and_then(|s| s.parse().ok())
                .ok_or_else(|| err("bad start offset"))?;
            // Discontinuous spans ("0 5;9 12") are taken from the first start to the last end.
            let end: usize = parts
                .rev()
                .find_map(|s| s.parse().ok())
                .ok_or_else(|| err("bad end offset"))?;
            let (Some(&a), Some(&b)) = (byte_at.get(start), byte_at.get(end)) else {
                return Err(err("offset past the end of the text"));
            };
            spans.insert(id, (kind, a..b.max(a)));
        } else if id.starts_with('E') {
            events.push(cols.next().unwrap_or(""));
        }
    }
    let mut out = Vec::new();
    for event in events {
        let mut content = None;
        let mut source = None;
        for arg in event.split(' ') {
            let Some((role, id)) = arg.split_once(':') else {
                continue;
            };
            let role = role.trim_end_matches(|c: char| c.is_ascii_digit());
            match (role, spans.get(id)) {
                ("Content", Some((_, r))) => content = Some(r.clone()),
                ("Source", Some((_, r))) => source = text.get(r.clone()).map(str::to_owned),
                _ => {}
            }
        }
        if let Some(content) = content {
            let direct = is_direct(text, &content);
            out.push(GoldAttribution {
                content,
                source,
                direct,
            });
        }
    }
    out.sort_by_key(|g| g.content.start);
    Ok(out)
}

/// True when the content starts with a quotation mark or one stands just before it.
fn is_direct(text: &str, content: &Range<usize>) -> bool {
    const OPEN: [char; 3] = ['“', '"', '‘'];
    let inside = text.get(content.clone()).unwrap_or("");
    let before = text.get(..content.start).unwrap_or("");
    inside.trim_start().starts_with(OPEN) || before.trim_end().ends_with(OPEN)
}

/// Pronouns and determiners that start sentences: a capital letter on them names no one.
const NOT_NAMES: &[&str] = &[
    "he",
    "she",
    "they",
    "it",
    "we",
    "i",
    "you",
    "his",
    "her",
    "their",
    "its",
    "the",
    "a",
    "an",
    "this",
    "that",
    "these",
    "those",
    "some",
    "many",
    "one",
    "two",
    "officials",
    "sources",
    "aides",
    "others",
    "both",
    "most",
    "all",
    "several",
    "another",
    "our",
    "my",
    "who",
];

/// The capitalised words of a source that name someone ("Trump", "Post").
pub fn name_words(source: &str) -> Vec<String> {
    source
        .split(|c: char| !(c.is_alphanumeric() || c == '-' || c == '.'))
        .map(|w| w.trim_end_matches('.'))
        .filter(|w| w.chars().next().is_some_and(char::is_uppercase))
        .filter(|w| w.chars().count() > 1 || w.chars().all(char::is_uppercase))
        .map(|w| w.to_lowercase())
        .filter(|w| !NOT_NAMES.contains(&w.as_str()))
        .collect()
}

/// Scores one document's predicted quotes against its gold attributions.
pub fn score_document(gold: &[GoldAttribution], predicted: &[PredictedQuote]) -> AttributionReport {
    let mut report = AttributionReport {
        documents: 1,
        predicted: predicted.len(),
        ..AttributionReport::default()
    };
    let mut used = vec![false; predicted.len()];
    for g in gold {
        let best = predicted
            .iter()
            .enumerate()
            .filter(|(_, p)| overlaps_enough(&g.content, &p.span))
            .max_by_key(|(_, p)| overlap(&g.content, &p.span));
        let mut counts = AttributionCounts {
            gold: 1,
            ..AttributionCounts::default()
        };
        if let Some((i, p)) = best {
            used[i] = true;
            counts.found = 1;
            let gold_names = g.source.as_deref().map(name_words).unwrap_or_default();
            if !gold_names.is_empty() {
                counts.named = 1;
                match &p.speaker {
                    None => counts.speaker_missing = 1,
                    Some(name) => {
                        if name_words(name).iter().any(|w| gold_names.contains(w)) {
                            counts.speaker_right = 1;
                        }
                    }
                }
            }
        }
        report.all.add(&counts);
        if g.direct {
            report.direct.add(&counts);
        }
    }
    report.unmatched_predicted = used.iter().filter(|u| !**u).count();
    report
}

fn overlap(a: &Range<usize>, b: &Range<usize>) -> usize {
    a.end.min(b.end).saturating_sub(a.start.max(b.start))
}

/// Overlap of at least half of the shorter range.
fn overlaps_enough(a: &Range<usize>, b: &Range<usize>) -> bool {
    let shorter = (a.end - a.start).min(b.end - b.start).max(1);
    2 * overlap(a, b) >= shorter
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: &str =
        "The Post’s reporter said “it ended”. Donald Trump told crowds the race was rigged.";

    fn ann() -> String {
        // Char offsets: “it ended” is chars 25..35; the reported clause 54..81.
        let chars: Vec<char> = TEXT.chars().collect();
        let find = |s: &str| {
            let cs: Vec<char> = s.chars().collect();
            (0..chars.len())
                .find(|&i| chars[i..].starts_with(&cs))
                .unwrap()
        };
        let q = find("“it ended”");
        let r = find("the race was rigged");
        let s = find("Donald Trump");
        let p = find("The Post’s reporter");
        format!(
            "T1\tSource {p} {}\tThe Post’s reporter\nT2\tContent {q} {}\t“it ended”\nE1\tAttribution:T9 Content:T2 Source:T1\nT3\tSource {s} {}\tDonald Trump\nT4\tContent {r} {}\tthe race was rigged\nE2\tAttribution:T8 Content:T4 Source:T3\n",
            p + 19,
            q + 10,
            s + 12,
            r + 19
        )
    }

    #[test]
    fn char_offsets_become_byte_ranges_and_directness_is_read() {
        let gold = parse_ann(&ann(), TEXT).unwrap();
        assert_eq!(gold.len(), 2);
        assert_eq!(&TEXT[gold[0].content.clone()], "“it ended”");
        assert!(gold[0].direct);
        assert_eq!(&TEXT[gold[1].content.clone()], "the race was rigged");
        assert!(!gold[1].direct);
        assert_eq!(gold[1].source.as_deref(), Some("Donald Trump"));
    }

    #[test]
    fn found_and_speaker_right_are_counted_apart() {
        let gold = parse_ann(&ann(), TEXT).unwrap();
        let at = |s: &str| {
            let i = TEXT.find(s).unwrap();
            i..i + s.len()
        };
        let predicted = [
            PredictedQuote {
                span: at("it ended"),
                speaker: Some("Washington Post".into()),
                direct: true,
            },
            PredictedQuote {
                span: at("race was rigged"),
                speaker: None,
                direct: false,
            },
            PredictedQuote {
                span: at("Donald"),
                speaker: None,
                direct: false,
            },
        ];
        let r = score_document(&gold, &predicted);
        assert_eq!(r.all.gold, 2);
        assert_eq!(r.all.found, 2);
        assert_eq!(r.all.named, 2);
        assert_eq!(r.all.speaker_right, 1);
        assert_eq!(r.all.speaker_missing, 1);
        assert_eq!(r.direct.gold, 1);
        assert_eq!(r.direct.speaker_right, 1);
        assert_eq!(r.unmatched_predicted, 1);
    }

    #[test]
    fn pronouns_and_descriptions_name_no_one() {
        assert!(name_words("He").is_empty());
        assert!(name_words("a source close to the campaign").is_empty());
        assert_eq!(
            name_words("Republican nominee Donald Trump"),
            ["republican", "donald", "trump"]
        );
        assert_eq!(name_words("The Post"), ["post"]);
    }

    #[test]
    fn span_text_continued_on_a_new_line_is_not_an_annotation() {
        let ann = "T1\tContent 0 5;6 10\tshort\nThe rest of the span text\nE1\tAttribution:T2 Content:T1\n";
        let gold = parse_ann(ann, "short text here").unwrap();
        assert_eq!(gold.len(), 1);
        assert_eq!(gold[0].content, 0..10);
    }

    #[test]
    fn a_bad_offset_is_an_error_with_its_line() {
        let err = parse_ann("T1\tContent 5 999\tx\n", "short").unwrap_err();
        assert_eq!(err.line, 1);
    }
}
