//! Scoring against TimeML gold (TempEval-3 `.tml` files).
//!
//! A TimeML document has a `<DCT>` whose `TIMEX3` (`functionInDocument=
//! "CREATION_TIME"`) is the anchor, and a `<TEXT>` with inline `<TIMEX3>` and `<EVENT>`
//! tags. [`read_timeml`] rebuilds the plain text of `<TEXT>` (entity references
//! resolved), records each gold TIMEX3 as a byte span into it, and [`eval_docs`] runs
//! [`find_times`] on that text with the DCT as the publication date.
//!
//! Scores: detection precision/recall/F1, **strict** (identical span) and **relaxed**
//! (overlapping span, one-to-one); **value accuracy** — of the relaxed matches, the
//! fraction whose TIMEX3 value ([`crate::TimeExpr::timex3_value`]) equals the gold
//! value; **type accuracy** likewise for the TIMEX3 type. These are the TempEval-3
//! measures (its "value" score is accuracy over matched expressions as well).
//!
//! TempEval-3 platinum is a test set: it measures the rules, it must not shape them.

use std::fmt;
use std::path::{Path, PathBuf};

use jiff::civil::Date;
use quick_xml::events::Event;
use quick_xml::Reader;
use serde::Serialize;
use sitrep_core::Span;

use crate::find_times;

/// Errors reading a gold directory.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A file or directory could not be read.
    #[error("reading {path}: {source}")]
    Io {
        /// The path that failed.
        path: PathBuf,
        /// The underlying error.
        source: std::io::Error,
    },
    /// A file is not well-formed XML.
    #[error("parsing {path}: {message}")]
    Xml {
        /// The file.
        path: PathBuf,
        /// What the XML reader reported.
        message: String,
    },
    /// The directory holds no `.tml` files.
    #[error("no .tml files in {0}")]
    NoFiles(PathBuf),
}

/// One gold TIMEX3 of a document's text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct GoldTimex {
    /// Byte span in [`TimemlDoc::text`].
    pub span: Span,
    /// TIMEX3 `type` (`DATE`, `TIME`, `DURATION`, `SET`).
    pub kind: String,
    /// TIMEX3 `value`.
    pub value: String,
}

/// A TimeML document reduced to what time scoring needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TimemlDoc {
    /// The file name (or any label).
    pub name: String,
    /// Plain text content of `<TEXT>`.
    pub text: String,
    /// Document creation time (the day of the DCT's value), when given.
    pub dct: Option<Date>,
    /// Gold expressions in text order.
    pub timexes: Vec<GoldTimex>,
}

/// Reads a TimeML document from its XML text. `name` labels it in reports.
pub fn read_timeml(name: &str, xml: &str) -> Result<TimemlDoc, String> {
    let mut reader = Reader::from_str(xml);
    let mut text = String::new();
    let mut in_text = false;
    let mut dct = None;
    let mut open: Option<(usize, String, String)> = None;
    let mut timexes = Vec::new();
    loop {
        let ev = reader
            .read_event()
            .map_err(|e| format!("at byte {}: {e}", reader.buffer_position()))?;
        match ev {
            Event::Start(e) => {
                let tag = e.name();
                match tag.as_ref() {
                    "TEXT" => in_text = true,
                    "TIMEX3" => {
                        let mut kind = String::new();
                        let mut value = String::new();
                        let mut creation = false;
                        for a in e.attributes().with_checks(false).flatten() {
                            let v = a
                                .normalized_value(quick_xml::XmlVersion::Implicit1_0)
                                .map(|v| v.into_owned())
                                .unwrap_or_default();
                            match a.key.as_ref() {
                                "type" => kind = v,
                                "value" => value = v,
                                "functionInDocument" => creation = v == "CREATION_TIME",
                                _ => {}
                            }
                        }
                        if in_text {
                            open = Some((text.len(), kind, value));
                        } else if creation {
                            dct = value.get(..10).and_then(|d| d.parse::<Date>().ok());
                        }
                    }
                    _ => {}
                }
            }
            Event::End(e) => match e.name().as_ref() {
                "TEXT" => in_text = false,
                "TIMEX3" => {
                    if let Some((start, kind, value)) = open.take() {
                        timexes.push(GoldTimex {
                            span: Span::new(start, text.len()),
                            kind,
                            value,
                        });
                    }
                }
                _ => {}
            },
            Event::Text(t) if in_text => text.push_str(&t.xml10_content()),
            Event::CData(t) if in_text => text.push_str(&t),
            Event::GeneralRef(r) if in_text => {
                if let Ok(Some(c)) = r.resolve_char_ref() {
                    text.push(c);
                } else if let Some(s) = quick_xml::escape::resolve_predefined_entity(&r) {
                    text.push_str(s);
                } else {
                    text.push('&');
                    text.push_str(&r);
                    text.push(';');
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    Ok(TimemlDoc {
        name: name.to_owned(),
        text,
        dct,
        timexes,
    })
}

/// Reads every `.tml` file of a directory, sorted by name.
pub fn read_dir(path: &Path) -> Result<Vec<TimemlDoc>, Error> {
    let io = |source| Error::Io {
        path: path.to_owned(),
        source,
    };
    let mut files: Vec<PathBuf> = std::fs::read_dir(path)
        .map_err(io)?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "tml"))
        .collect();
    files.sort();
    if files.is_empty() {
        return Err(Error::NoFiles(path.to_owned()));
    }
    files
        .iter()
        .map(|f| {
            let xml = std::fs::read_to_string(f).map_err(|source| Error::Io {
                path: f.clone(),
                source,
            })?;
            let name = f
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            read_timeml(&name, &xml).map_err(|message| Error::Xml {
                path: f.clone(),
                message,
            })
        })
        .collect()
}

/// Precision, recall and F1 of detection.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct Prf {
    /// Found expressions that match a gold one.
    pub precision: f64,
    /// Gold expressions that were found.
    pub recall: f64,
    /// Harmonic mean of the two.
    pub f1: f64,
}

impl Prf {
    fn new(matched: usize, predicted: usize, gold: usize) -> Prf {
        let p = ratio(matched, predicted);
        let r = ratio(matched, gold);
        let f1 = if p + r > 0.0 {
            2.0 * p * r / (p + r)
        } else {
            0.0
        };
        Prf {
            precision: p,
            recall: r,
            f1,
        }
    }
}

fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 {
        0.0
    } else {
        a as f64 / b as f64
    }
}

/// One disagreement with the gold, for inspection.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Disagreement {
    /// The document.
    pub file: String,
    /// `missed`, `spurious`, `value` or `type`.
    pub what: &'static str,
    /// The gold text (or the predicted text for `spurious`).
    pub text: String,
    /// The gold type and value, when there is a gold expression.
    pub gold: Option<String>,
    /// The predicted text, type and value, when there is a prediction.
    pub predicted: Option<String>,
}

/// Scores of the time stage on a TimeML gold set.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct EvalReport {
    /// Documents scored.
    pub files: usize,
    /// Gold TIMEX3s (without the DCTs).
    pub gold: usize,
    /// Expressions found.
    pub predicted: usize,
    /// Detection with identical spans.
    pub strict: Prf,
    /// Detection with overlapping spans (one-to-one).
    pub relaxed: Prf,
    /// Relaxed matches.
    pub matched: usize,
    /// Relaxed matches with the gold value.
    pub value_correct: usize,
    /// Relaxed matches with the gold type.
    pub type_correct: usize,
    /// `value_correct / matched`.
    pub value_accuracy: f64,
    /// `type_correct / matched`.
    pub type_accuracy: f64,
    /// Every miss, spurious find and wrong value or type.
    pub disagreements: Vec<Disagreement>,
}

/// Scores [`find_times`] on the `.tml` files of a directory.
pub fn eval_dir(path: &Path) -> Result<EvalReport, Error> {
    Ok(eval_docs(&read_dir(path)?))
}

/// Scores [`find_times`] on parsed documents.
pub fn eval_docs(docs: &[TimemlDoc]) -> EvalReport {
    let mut r = EvalReport {
        files: docs.len(),
        ..EvalReport::default()
    };
    let mut strict = 0;
    for doc in docs {
        let sentences = split_sentences(&doc.text);
        let found = find_times(&doc.text, &sentences, doc.dct);
        r.gold += doc.timexes.len();
        r.predicted += found.len();
        let mut used = vec![false; found.len()];
        let slice = |s: Span| s.slice(&doc.text).unwrap_or("").to_owned();
        for g in &doc.timexes {
            let gold = Some(format!("{} {}", g.kind, g.value));
            let m = found
                .iter()
                .enumerate()
                .find(|(k, f)| !used[*k] && f.span.overlaps(g.span));
            let Some((k, f)) = m else {
                r.disagreements.push(Disagreement {
                    file: doc.name.clone(),
                    what: "missed",
                    text: slice(g.span),
                    gold,
                    predicted: None,
                });
                continue;
            };
            used[k] = true;
            r.matched += 1;
            if f.span == g.span {
                strict += 1;
            }
            let value = f.timex3_value().unwrap_or_default();
            let ty = f.kind.timex3_type();
            let predicted = Some(format!("{:?} {ty} {value}", slice(f.span)));
            if value == g.value {
                r.value_correct += 1;
            } else {
                r.disagreements.push(Disagreement {
                    file: doc.name.clone(),
                    what: "value",
                    text: slice(g.span),
                    gold: gold.clone(),
                    predicted: predicted.clone(),
                });
            }
            if ty == g.kind {
                r.type_correct += 1;
            } else {
                r.disagreements.push(Disagreement {
                    file: doc.name.clone(),
                    what: "type",
                    text: slice(g.span),
                    gold,
                    predicted,
                });
            }
        }
        for (k, f) in found.iter().enumerate() {
            if !used[k] {
                r.disagreements.push(Disagreement {
                    file: doc.name.clone(),
                    what: "spurious",
                    text: slice(f.span),
                    gold: None,
                    predicted: Some(format!(
                        "{} {}",
                        f.kind.timex3_type(),
                        f.timex3_value().unwrap_or_default()
                    )),
                });
            }
        }
    }
    r.strict = Prf::new(strict, r.predicted, r.gold);
    r.relaxed = Prf::new(r.matched, r.predicted, r.gold);
    r.value_accuracy = ratio(r.value_correct, r.matched);
    r.type_accuracy = ratio(r.type_correct, r.matched);
    r
}

/// A plain sentence splitter for gold text that comes without sentence markup: breaks
/// at line breaks and after `.`, `!`, `?` followed by space and an upper-case letter,
/// a digit or a quote. (The pipeline passes the segmenter's sentences instead.)
pub fn split_sentences(text: &str) -> Vec<Span> {
    let b = text.as_bytes();
    let mut out = Vec::new();
    let mut start = 0;
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        // Not after a short capitalised word: "Feb. 28", "Dr. Jhung".
        let abbrev = c == b'.' && {
            let w = text[start..i]
                .rsplit(|ch: char| !ch.is_alphanumeric())
                .next()
                .unwrap_or("");
            w.len() <= 4 && w.starts_with(|ch: char| ch.is_ascii_uppercase())
        };
        let stop = !abbrev
            && matches!(c, b'.' | b'!' | b'?')
            && b.get(i + 1) == Some(&b' ')
            && b.get(i + 2)
                .is_some_and(|n| n.is_ascii_uppercase() || n.is_ascii_digit() || *n == b'"');
        let cut = (c == b'\n' || stop).then_some(i + 1);
        if let Some(end) = cut {
            if !text[start..end].trim().is_empty() {
                out.push(Span::new(start, end));
            }
            start = end;
        }
        i += 1;
    }
    if start < b.len() {
        out.push(Span::new(start, b.len()));
    }
    out
}

impl fmt::Display for EvalReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "time expressions: {} files, {} gold, {} found",
            self.files, self.gold, self.predicted
        )?;
        writeln!(f, "{:<22} {:>9} {:>9} {:>9}", "detection", "P", "R", "F1")?;
        for (name, s) in [
            ("strict (exact span)", self.strict),
            ("relaxed (overlap)", self.relaxed),
        ] {
            writeln!(
                f,
                "{name:<22} {:>9.3} {:>9.3} {:>9.3}",
                s.precision, s.recall, s.f1
            )?;
        }
        writeln!(
            f,
            "{:<22} {:>9.3}   ({} of {} matched)",
            "value accuracy", self.value_accuracy, self.value_correct, self.matched
        )?;
        write!(
            f,
            "{:<22} {:>9.3}   ({} of {} matched)",
            "type accuracy", self.type_accuracy, self.type_correct, self.matched
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const DOC: &str = r#"<?xml version="1.0" ?><TimeML>
<DCT><TIMEX3 functionInDocument="CREATION_TIME" tid="t0" type="DATE" value="2025-04-23">April 23, 2025</TIMEX3></DCT>
<TEXT>
Officials &amp; envoys <EVENT eid="e1">met</EVENT> <TIMEX3 tid="t1" type="DATE" value="2025-04-22">Tuesday</TIMEX3> in London.
A truce lasted <TIMEX3 tid="t2" type="DURATION" value="P30D">30 days</TIMEX3>. It rained.
</TEXT>
<TLINK lid="l1"/>
</TimeML>"#;

    #[test]
    fn reads_timeml_offsets() {
        let d = read_timeml("x", DOC).unwrap();
        assert_eq!(d.dct, Some(jiff::civil::date(2025, 4, 23)));
        assert_eq!(d.timexes.len(), 2);
        assert_eq!(d.timexes[0].span.slice(&d.text), Some("Tuesday"));
        assert_eq!(d.timexes[1].span.slice(&d.text), Some("30 days"));
        assert!(d.text.contains("Officials & envoys met"));
    }

    #[test]
    fn scores_a_document() {
        let d = read_timeml("x", DOC).unwrap();
        let r = eval_docs(&[d]);
        assert_eq!((r.gold, r.matched, r.value_correct), (2, 2, 2));
        assert_eq!(r.strict.f1, 1.0);
        assert!(r.to_string().contains("value accuracy"));
    }

    #[test]
    fn malformed_xml_is_an_error() {
        assert!(read_timeml("x", "<TimeML><TEXT>a</DCT>").is_err());
    }

    #[test]
    fn sentences_split() {
        let s = split_sentences("He left. She came!\nThen 3 more.");
        assert_eq!(s.len(), 3);
    }
}
