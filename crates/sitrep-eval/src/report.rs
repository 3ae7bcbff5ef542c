//! Adding scores up over documents and printing them.

use std::fmt;
use std::path::Path;

use serde::Serialize;
use sitrep_core::Record;

use crate::score::{score, Scores, TypeScore, FACT_TYPES};
use crate::Gold;

/// The record that a gold file describes: the one with the gold's `url`, or else the one
/// whose source file has the gold file's stem (`x.gold.json` ↔ `…/x.txt`).
pub fn pair_gold<'r>(gold_path: &Path, gold: &Gold, records: &'r [Record]) -> Option<&'r Record> {
    if let Some(url) = gold.url.as_deref() {
        if let Some(r) = records
            .iter()
            .find(|r| r.document.url.as_deref() == Some(url))
        {
            return Some(r);
        }
    }
    let name = gold_path.file_name()?.to_str()?;
    let stem = name.strip_suffix(".gold.json").unwrap_or(name);
    records
        .iter()
        .find(|r| source_stem(&r.document.source) == Some(stem))
}

/// The file stem of a record's source (`dir/x.txt:3` → `x`).
fn source_stem(source: &str) -> Option<&str> {
    let file = source.rsplit(['/', '\\']).next()?;
    let file = match file.rsplit_once(':') {
        Some((head, line)) if line.bytes().all(|b| b.is_ascii_digit()) => head,
        _ => file,
    };
    Some(file.split_once('.').map_or(file, |(stem, _)| stem))
}

/// Scores of many documents and their sum.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Report {
    /// Per gold file: its label and scores (`None` when no record matched it).
    pub documents: Vec<(String, Option<Scores>)>,
    /// The sum over documents.
    pub total: Scores,
}

impl Report {
    /// Scores one gold file against its record (or counts all its facts as missed).
    pub fn add(&mut self, label: &str, gold: &Gold, record: Option<&Record>) {
        let scores = match record {
            Some(r) => score(gold, r),
            None => score(gold, &Record::default()),
        };
        self.total.add(&scores, label);
        self.documents
            .push((label.to_owned(), record.map(|_| scores)));
    }

    /// The JSON form: per type and overall precision/recall/F1 plus counts.
    pub fn to_json(&self) -> serde_json::Value {
        let row = |s: &TypeScore| {
            let attributes: serde_json::Map<String, serde_json::Value> = s
                .attributes
                .iter()
                .map(|a| {
                    let v = serde_json::json!({
                        "checked": a.checked, "right": a.right, "rate": round3(a.rate()),
                    });
                    (a.name.to_owned(), v)
                })
                .collect();
            serde_json::json!({
                "gold": s.gold, "predicted": s.predicted, "found": s.found, "correct": s.correct,
                "precision": round3(s.precision()), "recall": round3(s.recall()), "f1": round3(s.f1()),
                "attributes": attributes,
            })
        };
        let mut types = serde_json::Map::new();
        for name in FACT_TYPES {
            if let Some(s) = self.total.get(name) {
                types.insert(name.to_owned(), row(s));
            }
        }
        let missed: Vec<&String> = self
            .total
            .by_type
            .iter()
            .flat_map(|(_, s)| &s.misses)
            .collect();
        let unmatched: Vec<&String> = self
            .documents
            .iter()
            .filter(|(_, s)| s.is_none())
            .map(|(l, _)| l)
            .collect();
        serde_json::json!({
            "documents": self.documents.len(),
            "unmatched_gold": unmatched,
            "by_type": types,
            "overall": row(&self.total.overall()),
            "misses": missed,
        })
    }
}

fn round3(v: f64) -> f64 {
    (v * 1000.0).round() / 1000.0
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let matched = self.documents.iter().filter(|(_, s)| s.is_some()).count();
        writeln!(
            f,
            "{} gold documents, {matched} with a record",
            self.documents.len()
        )?;
        writeln!(
            f,
            "{:<10} {:>5} {:>5} {:>7} {:>9} {:>9} {:>7} {:>6}",
            "fact", "gold", "found", "correct", "predicted", "precision", "recall", "F1"
        )?;
        let line = |f: &mut fmt::Formatter<'_>, name: &str, s: &TypeScore| {
            writeln!(
                f,
                "{:<10} {:>5} {:>5} {:>7} {:>9} {:>9.3} {:>7.3} {:>6.3}",
                name,
                s.gold,
                s.found,
                s.correct,
                s.predicted,
                s.precision(),
                s.recall(),
                s.f1()
            )
        };
        for name in FACT_TYPES {
            if let Some(s) = self.total.get(name) {
                line(f, name, s)?;
            }
        }
        line(f, "overall", &self.total.overall())?;
        writeln!(
            f,
            "attributes right among found facts whose gold states them:"
        )?;
        for name in FACT_TYPES {
            let Some(s) = self.total.get(name) else {
                continue;
            };
            if s.attributes.is_empty() {
                continue;
            }
            let parts: Vec<String> = s
                .attributes
                .iter()
                .map(|a| format!("{} {}/{} = {:.2}", a.name, a.right, a.checked, a.rate()))
                .collect();
            writeln!(f, "  {name:<10} {}", parts.join(", "))?;
        }
        for (label, scores) in &self.documents {
            if scores.is_none() {
                writeln!(f, "no record for {label}")?;
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stems_of_sources() {
        assert_eq!(source_stem("examples/articles/a-b.txt"), Some("a-b"));
        assert_eq!(source_stem("batch.jsonl:3"), Some("batch"));
        assert_eq!(source_stem("x"), Some("x"));
    }
}
