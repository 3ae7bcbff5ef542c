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
    }
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
