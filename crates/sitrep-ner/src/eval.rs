//! Reading IOB2 gold files and scoring entity-level exact match.
//!
//! The format is the one of Universal NER (CoNLL-U-like): one token per line,
//! `index TAB token TAB tag [TAB …]`, a blank line between sentences, comment lines
//! starting with `#` (`# sent_id = …` is kept as the sentence id). Tags outside
//! PER/ORG/LOC (such as `B-MISC` or `B-OTH`) are read as `O`, since the tagger does not
//! predict them.
//!
//! Scoring follows conlleval: an entity counts as correct only when its type and both
//! boundaries match a gold entity exactly.

use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::gazetteer::{Gazetteer, Scratch};
use crate::label::{bio_spans, EntityType, Label};
use crate::model::{TagBuffers, Tagger};

/// One gold sentence.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Sentence {
    /// The `# sent_id` comment, or empty.
    pub id: String,
    /// Tokens as given in the file.
    pub tokens: Vec<String>,
    /// Gold labels, one per token.
    pub labels: Vec<Label>,
}

impl Sentence {
    /// The genre prefix of the id (`weblog`, `email`, … in UNER English-EWT): the text
    /// before the first `-`, or `unknown`.
    pub fn genre(&self) -> &str {
        match self.id.split_once('-') {
            Some((g, _)) if !g.is_empty() => g,
            _ => "unknown",
        }
    }
}

/// Errors reading gold files.
#[derive(Debug, thiserror::Error)]
pub enum EvalError {
    /// The file could not be read.
    #[error("reading {path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// The I/O error.
        source: std::io::Error,
    },
    /// A line is not `index TAB token TAB tag`.
    #[error("{path}:{line}: {message}")]
    Parse {
        /// The file (or `<string>`).
        path: PathBuf,
        /// 1-based line number.
        line: usize,
        /// What is wrong.
        message: String,
    },
}

/// Reads an IOB2 file (see the module docs for the format).
pub fn read_iob2(path: impl AsRef<Path>) -> Result<Vec<Sentence>, EvalError> {
    let path = path.as_ref();
    let text = std::fs::read_to_string(path).map_err(|source| EvalError::Io {
        path: path.to_owned(),
        source,
    })?;
    parse_iob2(&text, path)
}

/// Parses IOB2 text; `origin` names it in error messages.
pub fn parse_iob2(text: &str, origin: &Path) -> Result<Vec<Sentence>, EvalError> {
    let mut out = Vec::new();
    let mut cur = Sentence {
        id: String::new(),
        tokens: Vec::new(),
        labels: Vec::new(),
    };
    for (n, line) in text.lines().enumerate() {
        let line = line.trim_end_matches('\r');
        if let Some(comment) = line.strip_prefix('#') {
            if let Some(id) = comment.trim().strip_prefix("sent_id") {
                cur.id = id.trim_start().trim_start_matches('=').trim().to_owned();
            }
            continue;
        }
        if line.trim().is_empty() {
            if !cur.tokens.is_empty() {
                out.push(std::mem::replace(
                    &mut cur,
                    Sentence {
                        id: String::new(),
                        tokens: Vec::new(),
                        labels: Vec::new(),
                    },
                ));
            } else {
                cur.id.clear();
            }
            continue;
        }
        let mut cols = line.split('\t');
        let (Some(_idx), Some(token), Some(tag)) = (cols.next(), cols.next(), cols.next()) else {
            return Err(EvalError::Parse {
                path: origin.to_owned(),
                line: n + 1,
                message: format!("expected index, token and tag separated by tabs, got {line:?}"),
            });
        };
        let label = match Label::parse(tag) {
            Some(l) => l,
            None if tag.starts_with("B-") || tag.starts_with("I-") => Label::O,
            None => {
                return Err(EvalError::Parse {
                    path: origin.to_owned(),
                    line: n + 1,
                    message: format!("unknown tag {tag:?}"),
                })
            }
        };
        cur.tokens.push(token.to_owned());
        cur.labels.push(label);
    }
    if !cur.tokens.is_empty() {
        out.push(cur);
    }
    Ok(out)
}

/// Precision, recall and F1 (in percent) with the counts behind them.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
pub struct Prf {
    /// Predicted entities that match a gold entity exactly.
    pub tp: usize,
    /// Predicted entities that match none.
    pub fp: usize,
    /// Gold entities that were not predicted.
    #[serde(rename = "fn")]
    pub fn_: usize,
    /// tp / (tp + fp), percent.
    pub precision: f64,
    /// tp / (tp + fn), percent.
    pub recall: f64,
    /// Harmonic mean of precision and recall, percent.
    pub f1: f64,
}

impl Prf {
    /// Computes the ratios from counts (0 when undefined).
    pub fn from_counts(tp: usize, fp: usize, fn_: usize) -> Prf {
        let ratio = |a: usize, b: usize| {
            if b == 0 {
                0.0
            } else {
                100.0 * a as f64 / b as f64
            }
        };
        let precision = ratio(tp, tp + fp);
        let recall = ratio(tp, tp + fn_);
        let f1 = if precision + recall == 0.0 {
            0.0
        } else {
            2.0 * precision * recall / (precision + recall)
        };
        Prf {
            tp,
            fp,
            fn_,
            precision,
            recall,
            f1,
        }
    }
}

/// Entity-level scores: per type and micro-averaged over PER, ORG and LOC.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Scores {
    /// Scores per entity type (`PER`, `ORG`, `LOC`).
    pub per_type: BTreeMap<EntityType, Prf>,
    /// Micro average over all types.
    pub micro: Prf,
    /// Number of sentences scored.
    pub sentences: usize,
    /// Number of tokens scored.
    pub tokens: usize,
}

/// Accumulates true/false positives and false negatives sentence by sentence.
#[derive(Debug, Clone, Default)]
pub struct Counter {
    counts: [[usize; 3]; 3],
    sentences: usize,
    tokens: usize,
}

impl Counter {
    /// An empty counter.
    pub fn new() -> Counter {
        Counter::default()
    }

    /// Adds one sentence. If `predicted` is shorter or longer than `gold`, the extra
    /// positions are compared with `O`.
    pub fn add(&mut self, gold: &[Label], predicted: &[Label]) {
        let n = gold.len().max(predicted.len());
        let pad = |l: &[Label]| -> Vec<Label> {
            let mut v = l.to_vec();
            v.resize(n, Label::O);
            v
        };
        let g = bio_spans(&pad(gold));
        let p = bio_spans(&pad(predicted));
        let ti = |t: EntityType| EntityType::ALL.iter().position(|&x| x == t).unwrap_or(0);
        // Both span lists are sorted and non-overlapping: merge them in one pass.
        let (mut i, mut j) = (0, 0);
        while i < g.len() || j < p.len() {
            match (g.get(i), p.get(j)) {
                (Some(a), Some(b)) if a == b => {
                    self.counts[ti(a.1)][0] += 1;
                    i += 1;
                    j += 1;
                }
                (Some(a), Some(b)) if (a.0.start, a.0.end) <= (b.0.start, b.0.end) => {
                    self.counts[ti(a.1)][2] += 1;
                    i += 1;
                }
                (Some(a), None) => {
                    self.counts[ti(a.1)][2] += 1;
                    i += 1;
                }
                (_, Some(b)) => {
                    self.counts[ti(b.1)][1] += 1;
                    j += 1;
                }
                (None, None) => break,
            }
        }
        self.sentences += 1;
        self.tokens += gold.len();
    }

    /// The scores of everything added so far.
    pub fn scores(&self) -> Scores {
        let mut per_type = BTreeMap::new();
        let mut tot = [0usize; 3];
        for (t, c) in EntityType::ALL.iter().zip(&self.counts) {
            per_type.insert(*t, Prf::from_counts(c[0], c[1], c[2]));
            for k in 0..3 {
                tot[k] += c[k];
            }
        }
        Scores {
            per_type,
            micro: Prf::from_counts(tot[0], tot[1], tot[2]),
            sentences: self.sentences,
            tokens: self.tokens,
        }
    }
}

/// Scores predicted label sequences against gold ones, sentence by sentence. A missing
/// prediction for a gold sentence counts as all `O`.
pub fn score<G: AsRef<[Label]>, P: AsRef<[Label]>>(gold: &[G], predicted: &[P]) -> Scores {
    let mut c = Counter::new();
    for (i, g) in gold.iter().enumerate() {
        c.add(
            g.as_ref(),
            predicted.get(i).map(|p| p.as_ref()).unwrap_or(&[]),
        );
    }
    c.scores()
}

/// Scores of a tagger on gold sentences, overall and per genre.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Evaluation {
    /// All sentences.
    pub overall: Scores,
    /// Per [`Sentence::genre`].
    pub by_genre: BTreeMap<String, Scores>,
}

/// Tags every gold sentence (given its gold tokens) and scores the result. A model
/// trained with gazetteer bits gets them from the embedded [`Gazetteer`], computed on
/// the sentence's tokens joined by spaces, as in training.
pub fn evaluate(tagger: &Tagger, gold: &[Sentence]) -> Evaluation {
    let gaz = tagger.uses_flags().then(Gazetteer::embedded);
    evaluate_with(tagger, gaz, gold)
}

/// Like [`evaluate`] with an explicit gazetteer (`None`: no bits).
pub fn evaluate_with(tagger: &Tagger, gaz: Option<&Gazetteer>, gold: &[Sentence]) -> Evaluation {
    let mut all = Counter::new();
    let mut genres: BTreeMap<String, Counter> = BTreeMap::new();
    let mut buf = TagBuffers::new();
    let mut pred = Vec::new();
    let mut toks: Vec<&str> = Vec::new();
    let mut scratch = Scratch::new();
    let mut flags = Vec::new();
    for s in gold {
        toks.clear();
        toks.extend(s.tokens.iter().map(String::as_str));
        let extra = gaz.map(|g| {
            g.flags_for_tokens(&toks, &mut scratch, &mut flags);
            flags.as_slice()
        });
        tagger.tag_into(&toks, extra, &mut buf, &mut pred);
        all.add(&s.labels, &pred);
        genres
            .entry(s.genre().to_owned())
            .or_default()
            .add(&s.labels, &pred);
    }
    Evaluation {
        overall: all.scores(),
        by_genre: genres.into_iter().map(|(g, c)| (g, c.scores())).collect(),
    }
}

impl fmt::Display for Scores {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "{:<6} {:>7} {:>7} {:>7} {:>6} {:>6} {:>6}",
            "type", "P", "R", "F1", "tp", "fp", "fn"
        )?;
        let row = |f: &mut fmt::Formatter<'_>, name: &str, p: &Prf| {
            writeln!(
                f,
                "{:<6} {:>7.2} {:>7.2} {:>7.2} {:>6} {:>6} {:>6}",
                name, p.precision, p.recall, p.f1, p.tp, p.fp, p.fn_
            )
        };
        for (t, p) in &self.per_type {
            row(f, t.as_str(), p)?;
        }
        row(f, "micro", &self.micro)
    }
}

impl fmt::Display for Evaluation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "{} sentences, {} tokens",
            self.overall.sentences, self.overall.tokens
        )?;
        write!(f, "{}", self.overall)?;
        if self.by_genre.len() > 1 {
            writeln!(f)?;
            writeln!(
                f,
                "{:<10} {:>6} {:>7} {:>7} {:>7} {:>7}",
                "genre", "sents", "PER", "ORG", "LOC", "micro"
            )?;
            for (g, s) in &self.by_genre {
                let t = |e: EntityType| s.per_type.get(&e).map(|p| p.f1).unwrap_or(0.0);
                writeln!(
                    f,
                    "{:<10} {:>6} {:>7.2} {:>7.2} {:>7.2} {:>7.2}",
                    g,
                    s.sentences,
                    t(EntityType::Per),
                    t(EntityType::Org),
                    t(EntityType::Loc),
                    s.micro.f1
                )?;
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use EntityType::*;

    const SAMPLE: &str = "# newdoc id = weblog-x\n# sent_id = weblog-x-0001\n# text = Lammy met Rubio in London\n\
1\tLammy\tB-PER\t-\ta\n2\tmet\tO\t-\t-\n3\tRubio\tB-PER\t-\ta\n4\tin\tO\t-\t-\n5\tLondon\tB-LOC\t-\ta\n\n\
# sent_id = email-y-0002\n1\tThe\tO\t-\t-\n2\tUnited\tB-ORG\t-\ta\n3\tNations\tI-ORG\t-\ta\n4\tWorld\tB-MISC\t-\ta\n";

    #[test]
    fn parse_sample() {
        let s = parse_iob2(SAMPLE, Path::new("<sample>")).unwrap();
        assert_eq!(s.len(), 2);
        assert_eq!(s[0].id, "weblog-x-0001");
        assert_eq!(s[0].genre(), "weblog");
        assert_eq!(s[1].genre(), "email");
        assert_eq!(s[0].tokens, ["Lammy", "met", "Rubio", "in", "London"]);
        assert_eq!(
            s[1].labels,
            [Label::O, Label::B(Org), Label::I(Org), Label::O]
        );
    }

    #[test]
    fn parse_errors_have_line_numbers() {
        let err = parse_iob2("1\tonly-two\n", Path::new("f"))
            .unwrap_err()
            .to_string();
        assert!(err.contains("f:1"), "{err}");
        let err = parse_iob2("\n1\tx\tQ-PER\n", Path::new("f"))
            .unwrap_err()
            .to_string();
        assert!(err.contains("f:2"), "{err}");
    }

    #[test]
    fn perfect_score() {
        let s = parse_iob2(SAMPLE, Path::new("<sample>")).unwrap();
        let gold: Vec<Vec<Label>> = s.iter().map(|x| x.labels.clone()).collect();
        let sc = score(&gold, &gold);
        assert_eq!(sc.micro.tp, 4);
        assert_eq!(sc.micro.f1, 100.0);
        assert_eq!(sc.per_type[&Per].tp, 2);
        assert_eq!(sc.per_type[&Org].f1, 100.0);
        assert_eq!(sc.sentences, 2);
        assert_eq!(sc.tokens, 9);
    }

    #[test]
    fn partly_wrong_score() {
        let gold = vec![vec![
            Label::B(Per),
            Label::I(Per),
            Label::O,
            Label::B(Loc),
            Label::O,
            Label::B(Org),
        ]];
        // Boundary error on the person (2 errors: fp + fn), right place,
        // spurious ORG over the O, missed ORG.
        let pred = vec![vec![
            Label::B(Per),
            Label::O,
            Label::O,
            Label::B(Loc),
            Label::B(Org),
            Label::O,
        ]];
        let sc = score(&gold, &pred);
        assert_eq!(sc.per_type[&Per], Prf::from_counts(0, 1, 1));
        assert_eq!(sc.per_type[&Loc], Prf::from_counts(1, 0, 0));
        assert_eq!(sc.per_type[&Org], Prf::from_counts(0, 1, 1));
        assert_eq!((sc.micro.tp, sc.micro.fp, sc.micro.fn_), (1, 2, 2));
        assert!((sc.micro.precision - 100.0 / 3.0).abs() < 1e-9);
        assert!((sc.micro.f1 - 100.0 / 3.0).abs() < 1e-9);
        // Type error on the right span is one fp and one fn.
        let sc = score(&[vec![Label::B(Loc)]], &[vec![Label::B(Org)]]);
        assert_eq!((sc.micro.tp, sc.micro.fp, sc.micro.fn_), (0, 1, 1));
        // Missing and short predictions count as O.
        let sc = score(&gold, &Vec::<Vec<Label>>::new());
        assert_eq!((sc.micro.tp, sc.micro.fp, sc.micro.fn_), (0, 0, 3));
        assert_eq!(sc.micro.f1, 0.0);
    }

    #[test]
    fn display_and_json() {
        let sc = score(&[vec![Label::B(Per)]], &[vec![Label::B(Per)]]);
        let table = sc.to_string();
        assert!(table.contains("micro"));
        assert!(table.contains("100.00"));
        let json = serde_json::to_value(&sc).unwrap();
        assert_eq!(json["per_type"]["PER"]["tp"], 1);
        assert_eq!(json["micro"]["fn"], 0);
    }

    #[test]
    fn shared_gold_files_parse_when_present() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data/uner_en_ewt");
        let test = dir.join("en_ewt-ud-test.iob2");
        if !test.exists() {
            eprintln!("skipping: {} not present", test.display());
            return;
        }
        let s = read_iob2(&test).unwrap();
        assert_eq!(s.len(), 2077);
        let gold: Vec<&[Label]> = s.iter().map(|x| x.labels.as_slice()).collect();
        let sc = score(&gold, &gold);
        assert_eq!(sc.micro.tp, 1088);
        assert_eq!(sc.tokens, 25097);
    }
}
