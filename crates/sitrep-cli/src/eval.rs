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
        Some(EvalComponent::Ner { iob2, format }) => run_ner(iob2, *format),
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
    match format {
        ReportFormat::Table => write!(std::io::stdout().lock(), "{total}")?,
        ReportFormat::Json => writeln!(
            std::io::stdout().lock(),
            "{}",
            serde_json::to_string_pretty(&total)?
        )?,
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
    match format {
        ReportFormat::Table => {
            write!(std::io::stdout().lock(), "{evaluation}")?;
        }
        ReportFormat::Json => {
            writeln!(
                std::io::stdout().lock(),
                "{}",
                serde_json::to_string_pretty(&evaluation)?
            )?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn run_time(dir: &Path, format: ReportFormat) -> Result<ExitCode> {
    let report =
        sitrep_time::eval::eval_dir(dir).with_context(|| format!("scoring {}", dir.display()))?;
    match format {
        ReportFormat::Table => {
            write!(std::io::stdout().lock(), "{report}")?;
        }
        ReportFormat::Json => {
            writeln!(
                std::io::stdout().lock(),
                "{}",
                serde_json::to_string_pretty(&report)?
            )?;
        }
    }
    Ok(ExitCode::SUCCESS)
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
