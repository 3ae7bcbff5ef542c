//! The peer: spaCy `en_core_web_sm`, run by `scripts/peer_spacy.sh` (which installs it
//! into a virtualenv on first use) as one child process on the same corpus and gold
//! tokens. Its words/s are computed with sitrep's own word count of the same texts, so
//! the ratio compares time on identical input.

use std::path::Path;
use std::process::{Command, Stdio};

use anyhow::{bail, Context, Result};
use serde::Serialize;
use serde_json::Value;

use super::NerRow;

/// spaCy's speed on the corpus.
#[derive(Debug, Clone, Serialize)]
pub struct PeerSpeed {
    /// spaCy version.
    pub spacy: String,
    /// Model name and version.
    pub model: String,
    /// Model load time, seconds.
    pub load_seconds: f64,
    /// The full pipeline.
    pub full: PeerRun,
    /// Only the components NER needs.
    pub ner_only: PeerRun,
    /// sitrep's one-core words/s timed just before spaCy ran and again just after it.
    pub sitrep_before_after: Option<[f64; 2]>,
    /// sitrep one-core words/s (the slower of before and after) over spaCy
    /// full-pipeline words/s.
    pub ratio_full: Option<f64>,
    /// sitrep one-core words/s over spaCy NER-only words/s.
    pub ratio_ner_only: Option<f64>,
}

impl PeerSpeed {
    /// sitrep's one-core words/s that the ratios use: the slower of its timings just
    /// before and just after spaCy ran.
    pub fn sitrep_words_per_sec(&self) -> Option<f64> {
        self.sitrep_before_after
            .map(|[before, after]| before.min(after))
    }
}

/// One spaCy pipeline over the corpus.
#[derive(Debug, Clone, Serialize)]
pub struct PeerRun {
    /// spaCy components run.
    pub components: Vec<String>,
    /// Median wall time, seconds.
    pub seconds: f64,
    /// Every run, seconds.
    pub runs: Vec<f64>,
    /// sitrep's word count of the corpus over `seconds`.
    pub words_per_sec: f64,
}

/// What the peer script reported.
#[derive(Debug)]
pub struct PeerOutput {
    /// Speed.
    pub speed: PeerSpeed,
    /// Entity scores on the gold file, when one was given.
    pub ner: Option<Vec<NerRow>>,
}

/// Runs the peer script on the corpus (JSON Lines with a `text` field) and, when given,
/// an IOB2 gold file. `words` is sitrep's word count of the corpus.
pub fn run(
    script: &Path,
    corpus: &Path,
    iob2: Option<&Path>,
    repeats: usize,
    words: usize,
) -> Result<PeerOutput> {
    if !script.exists() {
        bail!(
            "{} not found (run from the repository root or pass --peer-script)",
            script.display()
        );
    }
    let mut cmd = Command::new("bash");
    cmd.arg(script)
        .arg("--speed-jsonl")
        .arg(corpus)
        .arg("--repeats")
        .arg(repeats.to_string());
    if let Some(iob2) = iob2 {
        cmd.arg("--iob2").arg(iob2);
    }
    let out = cmd
        .stderr(Stdio::inherit())
        .output()
        .with_context(|| format!("cannot run {}", script.display()))?;
    if !out.status.success() {
        bail!("{} failed ({})", script.display(), out.status);
    }
    let v: Value = serde_json::from_slice(&out.stdout)
        .with_context(|| format!("{} printed no JSON", script.display()))?;
    parse(&v, words)
}

fn parse(v: &Value, words: usize) -> Result<PeerOutput> {
    let speed = &v["speed"];
    let run = |key: &str| -> Result<PeerRun> {
        let r = &speed[key];
        let seconds = r["seconds_median"]
            .as_f64()
            .with_context(|| format!("no speed.{key}.seconds_median in the peer's output"))?;
        Ok(PeerRun {
            components: r["components"]
                .as_array()
                .map(|a| {
                    a.iter()
                        .filter_map(|c| c.as_str().map(str::to_owned))
                        .collect()
                })
                .unwrap_or_default(),
            seconds,
            runs: r["runs"]
                .as_array()
                .map(|a| a.iter().filter_map(Value::as_f64).collect())
                .unwrap_or_default(),
            words_per_sec: if seconds > 0.0 {
                words as f64 / seconds
            } else {
                0.0
            },
        })
    };
    let speed = PeerSpeed {
        spacy: v["spacy"].as_str().unwrap_or("?").to_owned(),
        model: v["model"].as_str().unwrap_or("?").to_owned(),
        load_seconds: v["load_seconds"].as_f64().unwrap_or(0.0),
        full: run("full")?,
        ner_only: run("ner_only")?,
        sitrep_before_after: None,
        ratio_full: None,
        ratio_ner_only: None,
    };
    let ner = v["accuracy"].as_array().and_then(|a| a.first()).map(|acc| {
        ["PER", "ORG", "LOC", "micro"]
            .iter()
            .map(|label| {
                let s = &acc["scores"][label];
                NerRow {
                    label: (*label).to_owned(),
                    precision: s["precision"].as_f64().unwrap_or(0.0),
                    recall: s["recall"].as_f64().unwrap_or(0.0),
                    f1: s["f1"].as_f64().unwrap_or(0.0),
                }
            })
            .collect()
    });
    Ok(PeerOutput { speed, ner })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_script_output() {
        let v = serde_json::json!({
            "spacy": "3.8.18", "model": "core_web_sm 3.8.0", "load_seconds": 0.4,
            "accuracy": [{"scores": {"PER": {"precision": 1.0, "recall": 2.0, "f1": 3.0},
                                     "micro": {"precision": 4.0, "recall": 5.0, "f1": 6.0}}}],
            "speed": {
                "full": {"components": ["tok2vec", "ner"], "seconds_median": 2.0, "runs": [2.0]},
                "ner_only": {"components": ["ner"], "seconds_median": 1.0, "runs": [1.0]}
            }
        });
        let out = parse(&v, 1000).expect("parses");
        assert_eq!(out.speed.full.words_per_sec, 500.0);
        assert_eq!(out.speed.ner_only.components, ["ner"]);
        let ner = out.ner.expect("scores");
        assert_eq!(ner[0].f1, 3.0);
        assert_eq!(ner[3].label, "micro");
        assert_eq!(ner[1].f1, 0.0);
        assert!(parse(&serde_json::json!({}), 1).is_err());
        // The ratios use the slower of sitrep's two timings.
        let mut speed = out.speed;
        assert_eq!(speed.sitrep_words_per_sec(), None);
        speed.sitrep_before_after = Some([650.0, 600.0]);
        assert_eq!(speed.sitrep_words_per_sec(), Some(600.0));
    }
}
