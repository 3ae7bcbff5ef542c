//! `sitrep eval`: score records against gold files.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use std::io::Write;

use anyhow::{bail, Context, Result};
use sitrep_core::Record;
use sitrep_eval::{pair_gold, read_gold, Report};

use crate::args::{EvalArgs, EvalCommand, EvalComponent, ReportFormat};
use crate::extract::run_pipeline;

/// Runs `sitrep eval` or one of its component evaluations.
pub fn run(command: &EvalCommand) -> Result<ExitCode> {
    match &command.component {
        None => run_facts(&command.facts),
        Some(EvalComponent::Ner {
            iob2,
            format,
            through_pipeline,
        }) => {
            if *through_pipeline {
                run_ner_through_pipeline(iob2, *format)
            } else {
                run_ner(iob2, *format)
            }
        }
        Some(EvalComponent::Time { dir, format }) => run_time(dir, *format),
        Some(EvalComponent::Attribution { dir, format }) => run_attribution(dir, *format),
    }
}

/// Scores quote attribution on a PolNeAR split: every article through the pipeline, its
/// quotes mapped back to the article's bytes and compared with the gold attributions.
fn run_attribution(dir: &Path, format: ReportFormat) -> Result<ExitCode> {
    use rayon::prelude::*;
    use sitrep_eval::attribution::{parse_ann, score_document, AttributionReport, PredictedQuote};

    let text_dir = dir.join("text");
    let ann_dir = dir.join("attributions");
    let mut texts: Vec<PathBuf> = std::fs::read_dir(&text_dir)
        .with_context(|| format!("cannot list {}", text_dir.display()))?
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .collect();
    texts.sort();
    let anns: Vec<PathBuf> = std::fs::read_dir(&ann_dir)
        .with_context(|| format!("cannot list {}", ann_dir.display()))?
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "ann"))
        .collect();
    if texts.is_empty() {
        bail!("no .txt files in {}", text_dir.display());
    }
    let engine = sitrep_engine::Engine::default();
    let options = sitrep_read::ReadOptions::default();
    let reports: Vec<Result<AttributionReport>> = texts
        .par_iter()
        .filter_map(|path| {
            let stem = path.file_stem()?.to_str()?;
            let ann = anns.iter().find(|a| {
                a.file_stem()
                    .and_then(|s| s.to_str())
                    .and_then(|s| s.strip_prefix(stem))
                    .is_some_and(|rest| rest.starts_with('_'))
            })?;
            Some((|| {
                let bytes = std::fs::read(path)
                    .with_context(|| format!("cannot read {}", path.display()))?;
                let text = String::from_utf8_lossy(&bytes);
                let ann_text = std::fs::read_to_string(ann)
                    .with_context(|| format!("cannot read {}", ann.display()))?;
                let gold =
                    parse_ann(&ann_text, &text).with_context(|| ann.display().to_string())?;
                let name = path.display().to_string();
                let Some(Ok(doc)) = sitrep_read::read_bytes(&bytes, &name, &options)
                    .into_iter()
                    .next()
                else {
                    bail!("{name}: no document");
                };
                let record = engine
                    .try_extract(&doc)
                    .map_err(|e| anyhow::anyhow!("{name}: {e}"))?;
                let predicted: Vec<PredictedQuote> = record
                    .quotes
                    .iter()
                    .map(|q| PredictedQuote {
                        span: doc.offsets.to_original(q.span.start())
                            ..doc.offsets.to_original(q.span.end()),
                        speaker: q.speaker.as_ref().and_then(|id| {
                            record
                                .entities
                                .iter()
                                .find(|e| &e.id == id)
                                .map(|e| e.name.clone())
                        }),
                        direct: q.direct,
                    })
                    .collect();
                Ok(score_document(&gold, &predicted))
            })())
        })
        .collect();
    let mut total = AttributionReport::default();
    for report in reports {
        total.add(&report?);
    }
    print_report(&total, format)
}

/// Prints a component evaluation as a table for people or JSON for machines.
fn print_report(
    report: &(impl std::fmt::Display + serde::Serialize),
    format: ReportFormat,
) -> Result<ExitCode> {
    let mut out = std::io::stdout().lock();
    match format {
        ReportFormat::Table => write!(out, "{report}")?,
        ReportFormat::Json => writeln!(out, "{}", serde_json::to_string_pretty(report)?)?,
    }
    Ok(ExitCode::SUCCESS)
}

fn run_ner(files: &[PathBuf], format: ReportFormat) -> Result<ExitCode> {
    let tagger = sitrep_ner::Tagger::embedded().context("loading the embedded tagger")?;
    let mut gold = Vec::new();
    for file in files {
        gold.extend(
            sitrep_ner::eval::read_iob2(file)
                .with_context(|| format!("reading {}", file.display()))?,
        );
    }
    let evaluation = sitrep_ner::eval::evaluate(tagger, &gold);
    print_report(&evaluation, format)
}

/// Scores the names in the pipeline's output on gold IOB2 sentences: the sentences of
/// each document (consecutive sentence ids with the same prefix) are joined into one
/// text, run through every stage, and the mentions of entities and places are turned
/// back into labels on the gold tokens. Person mentions count by their name alone
/// (without titles), bylines and picture credits as persons; adjective forms of countries ("Chinese") and pronoun or role
/// mentions are left out, as the gold leaves them untagged.
fn run_ner_through_pipeline(files: &[PathBuf], format: ReportFormat) -> Result<ExitCode> {
    use rayon::prelude::*;
    use sitrep_ner::eval::{Counter, Sentence};

    let mut gold: Vec<Sentence> = Vec::new();
    for file in files {
        gold.extend(
            sitrep_ner::eval::read_iob2(file)
                .with_context(|| format!("reading {}", file.display()))?,
        );
    }
    let doc_of = |s: &Sentence| {
        s.id.rsplit_once('-')
            .map_or(s.id.clone(), |(d, _)| d.to_owned())
    };
    let mut docs: Vec<&[Sentence]> = Vec::new();
    let mut start = 0;
    for i in 1..=gold.len() {
        if i == gold.len() || doc_of(&gold[i]) != doc_of(&gold[start]) {
            docs.push(&gold[start..i]);
            start = i;
        }
    }
    let engine = sitrep_engine::Engine::default();
    let predicted: Vec<Vec<Vec<sitrep_ner::Label>>> = docs
        .par_iter()
        .map(|sentences| pipeline_labels(&engine, sentences))
        .collect();
    let mut counter = Counter::new();
    let show_errors = std::env::var_os("SITREP_NER_ERRORS").is_some();
    for (sentences, labels) in docs.iter().zip(&predicted) {
        for (s, p) in sentences.iter().zip(labels) {
            counter.add(&s.labels, p);
            if show_errors {
                print_ner_errors(s, p);
            }
        }
    }
    let scores = counter.scores();
    print_report(&scores, format)
}

/// With `SITREP_NER_ERRORS` set: each span the pipeline missed (`miss`) or added
/// (`extra`) on stderr, with its sentence, for whoever tunes the rules.
fn print_ner_errors(s: &sitrep_ner::eval::Sentence, predicted: &[sitrep_ner::Label]) {
    let gold = sitrep_ner::bio_spans(&s.labels);
    let pred = sitrep_ner::bio_spans(predicted);
    let words = |r: &std::ops::Range<usize>| s.tokens[r.clone()].join(" ");
    for (r, t) in &gold {
        if !pred.contains(&(r.clone(), *t)) {
            eprintln!(
                "miss  {} {:?}\t| {}",
                t.as_str(),
                words(r),
                s.tokens.join(" ")
            );
        }
    }
    for (r, t) in &pred {
        if !gold.contains(&(r.clone(), *t)) {
            eprintln!(
                "extra {} {:?}\t| {}",
                t.as_str(),
                words(r),
                s.tokens.join(" ")
            );
        }
    }
}

/// The labels that the pipeline's mentions give each token of one gold document.
fn pipeline_labels(
    engine: &sitrep_engine::Engine,
    sentences: &[sitrep_ner::eval::Sentence],
) -> Vec<Vec<sitrep_ner::Label>> {
    use sitrep_core::record::EntityKind;
    use sitrep_engine::model::MentionKind;
    use sitrep_ner::{EntityType, Label};

    // The document's text and every token's byte range in it.
    let mut raw = String::new();
    let mut token_at: Vec<(usize, usize, std::ops::Range<usize>)> = Vec::new();
    for (si, s) in sentences.iter().enumerate() {
        if si > 0 {
            raw.push('\n');
        }
        for (ti, t) in s.tokens.iter().enumerate() {
            if ti > 0 {
                raw.push(' ');
            }
            token_at.push((si, ti, raw.len()..raw.len() + t.len()));
            raw.push_str(t);
        }
    }
    let normalized = sitrep_text::normalize(&raw);
    let doc = sitrep_core::SourceDoc {
        source: "gold".into(),
        language: "en".into(),
        text: normalized.text,
        offsets: normalized.offsets,
        ..sitrep_core::SourceDoc::default()
    };
    let analysis = engine.analyse(&doc);
    let mut spans: Vec<(sitrep_core::Span, EntityType)> = Vec::new();
    for m in &analysis.entities.mentions {
        let Some(e) = analysis.entities.list.get(m.entity) else {
            continue;
        };
        let (span, ty) = match (e.kind, m.kind) {
            (EntityKind::Person, MentionKind::Name) => (m.name_span, EntityType::Per),
            (EntityKind::Organisation | EntityKind::Group, MentionKind::Name) => {
                (m.span, EntityType::Org)
            }
            (EntityKind::Country, MentionKind::Country | MentionKind::Metonym) => {
                let words = m.span.slice(&doc.text).unwrap_or("");
                if sitrep_engine::resolve::is_country_adjective(words) {
                    continue;
                }
                (m.span, EntityType::Loc)
            }
            _ => continue,
        };
        spans.push((span, ty));
    }
    for p in &analysis.places {
        spans.extend(p.mentions.iter().map(|s| (*s, EntityType::Loc)));
    }
    // Bylines and credits are people too, kept in `document.authors` and `credits`.
    spans.extend(
        analysis
            .signatures
            .iter()
            .map(|s| (s.span, EntityType::Per)),
    );
    // For whoever tunes resolve: the tagger's own names on the same text, to tell what
    // the stages after it gain and lose.
    if std::env::var_os("SITREP_NER_TAGGER_ONLY").is_some() {
        spans = analysis.names.iter().map(|n| (n.span, n.kind)).collect();
    }
    let mut labels: Vec<Vec<Label>> = sentences
        .iter()
        .map(|s| vec![Label::O; s.tokens.len()])
        .collect();
    for (span, ty) in spans {
        let (a, b) = (
            doc.offsets.to_original(span.start()),
            doc.offsets.to_original(span.end()),
        );
        let covered: Vec<&(usize, usize, std::ops::Range<usize>)> = token_at
            .iter()
            .filter(|(_, _, r)| r.start < b && a < r.end)
            .collect();
        let free = covered
            .iter()
            .all(|(si, ti, _)| labels[*si][*ti] == Label::O);
        let one_sentence = covered.windows(2).all(|w| w[0].0 == w[1].0);
        if !free || !one_sentence {
            continue;
        }
        for (n, (si, ti, _)) in covered.into_iter().enumerate() {
            labels[*si][*ti] = if n == 0 { Label::B(ty) } else { Label::I(ty) };
        }
    }
    labels
}

fn run_time(dir: &Path, format: ReportFormat) -> Result<ExitCode> {
    let report =
        sitrep_time::eval::eval_dir(dir).with_context(|| format!("scoring {}", dir.display()))?;
    print_report(&report, format)
}

fn run_facts(args: &EvalArgs) -> Result<ExitCode> {
    let gold_files = gold_paths(&args.gold)?;
    let records = match (&args.against, args.input.is_empty()) {
        (Some(path), _) => read_records(path)?,
        (None, false) => {
            let mut records = Vec::new();
            run_pipeline(&args.input, &args.read, |result| {
                match result {
                    Ok(record) => records.push(record),
                    Err(failure) => eprintln!("sitrep: {failure}"),
                }
                Ok(())
            })?;
            records
        }
        (None, true) => bail!("give the records to score with --against FILE or --input PATH…"),
    };
    let mut report = Report::default();
    for path in &gold_files {
        let gold = read_gold(path)?;
        let label = path.display().to_string();
        report.add(&label, &gold, pair_gold(path, &gold, &records));
    }
    match args.format {
        ReportFormat::Table => {
            write!(std::io::stdout().lock(), "{report}")?;
            if args.verbose {
                for (_, score) in &report.total.by_type {
                    for miss in &score.misses {
                        writeln!(std::io::stdout().lock(), "  {miss}")?;
                    }
                }
            }
        }
        ReportFormat::Json => {
            writeln!(
                std::io::stdout().lock(),
                "{}",
                serde_json::to_string_pretty(&report.to_json())?
            )?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// Gold files named directly, or every `*.gold.json` below a folder, sorted.
fn gold_paths(inputs: &[PathBuf]) -> Result<Vec<PathBuf>> {
    let mut out = Vec::new();
    for input in inputs {
        if input.is_dir() {
            collect_gold(input, &mut out)?;
        } else {
            out.push(input.clone());
        }
    }
    if out.is_empty() {
        bail!("no gold files (*.gold.json) found in {inputs:?}");
    }
    Ok(out)
}

fn collect_gold(dir: &Path, out: &mut Vec<PathBuf>) -> Result<()> {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .with_context(|| format!("cannot list {}", dir.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            collect_gold(&path, out)?;
        } else if path.to_string_lossy().ends_with(".gold.json") {
            out.push(path);
        }
    }
    Ok(())
}

/// Reads records written by `sitrep extract` (JSON Lines).
pub(crate) fn read_records(path: &Path) -> Result<Vec<Record>> {
    let file =
        std::fs::File::open(path).with_context(|| format!("cannot open {}", path.display()))?;
    let mut records = Vec::new();
    for (n, line) in BufReader::new(file).lines().enumerate() {
        let line = line.with_context(|| format!("{}:{}: cannot read", path.display(), n + 1))?;
        if line.trim().is_empty() {
            continue;
        }
        let record: Record = serde_json::from_str(&line)
            .with_context(|| format!("{}:{}: not a sitrep/1 record", path.display(), n + 1))?;
        records.push(record);
    }
    Ok(records)
}
