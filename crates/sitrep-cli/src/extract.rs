//! `sitrep extract`: inputs → documents → records, in parallel, in input order.

use std::fs::File;
use std::io::{BufWriter, IsTerminal, Write};
use std::process::ExitCode;

use anyhow::{Context, Result};
use indicatif::{ProgressBar, ProgressStyle};
use rayon::prelude::*;
use sitrep_core::Record;
use sitrep_engine::{isolate, Engine, InternalError};
use sitrep_read::{Failure, ReadError, ReadOptions};

use crate::args::{ExtractArgs, ReadArgs, RecordFormat};
use crate::output;

/// How many input files are read and processed together; bounds memory on huge folders
/// while keeping every core busy.
const FILES_PER_BATCH: usize = 64;

/// Counts of one run.
#[derive(Debug, Default, Clone, Copy)]
pub struct Tally {
    /// Documents turned into records.
    pub documents: usize,
    /// Inputs or documents that failed.
    pub failed: usize,
}

/// Reads every input and runs the engine on every document, calling `sink` in input
/// order with each record or failure. Parallel across files and documents.
pub fn run_pipeline(
    inputs: &[std::path::PathBuf],
    read: &ReadArgs,
    mut sink: impl FnMut(Result<Record, Failure>) -> Result<()>,
) -> Result<Tally> {
    let options = read_options(read)?;
    if let Some(threads) = read.threads {
        // Only the first call can configure the global pool; later calls keep it.
        let _ = rayon::ThreadPoolBuilder::new()
            .num_threads(threads.max(1))
            .build_global();
    }
    let engine = Engine::default();
    let files = sitrep_read::expand(inputs);
    let progress = progress_bar(files.len());
    let mut tally = Tally::default();
    let mut files = files.into_iter();
    loop {
        let batch: Vec<_> = files.by_ref().take(FILES_PER_BATCH).collect();
        if batch.is_empty() {
            break;
        }
        let batch_len = batch.len() as u64;
        let results: Vec<Vec<Result<Record, Failure>>> = batch
            .into_par_iter()
            .map(|file| match file {
                Err(failure) => vec![Err(failure)],
                Ok(input) => {
                    let docs = isolate::catch("read", || sitrep_read::read_input(&input, &options))
                        .unwrap_or_else(|err| vec![Err(internal_failure(input.location(), err))]);
                    docs.into_par_iter()
                        .map(|doc| {
                            let doc = doc?;
                            engine
                                .try_extract(&doc)
                                .map_err(|err| internal_failure(doc.source.clone(), err))
                        })
                        .collect()
                }
            })
            .collect();
        for result in results.into_iter().flatten() {
            match &result {
                Ok(_) => tally.documents += 1,
                Err(_) => tally.failed += 1,
            }
            sink(result)?;
        }
        progress.inc(batch_len);
    }
    progress.finish_and_clear();
    Ok(tally)
}

/// A caught panic as a failure of the input or document at `location`.
pub(crate) fn internal_failure(location: String, err: InternalError) -> Failure {
    Failure::new(
        location,
        ReadError::Internal {
            stage: err.stage.to_owned(),
            message: err.message,
        },
    )
}

/// The readers' options from the shared reading flags (`--max-bytes`, `--published`).
pub(crate) fn read_options(read: &ReadArgs) -> Result<ReadOptions> {
    let mut options = ReadOptions {
        max_bytes: read.max_bytes,
        ..ReadOptions::default()
    };
    if let Some(date) = &read.published {
        let day: jiff::civil::Date = date
            .parse()
            .with_context(|| format!("--published {date:?} is not a date (YYYY-MM-DD)"))?;
        options.published = Some(day.to_string());
    }
    Ok(options)
}

/// A progress bar on stderr when it is a terminal and there is enough work to watch.
fn progress_bar(files: usize) -> ProgressBar {
    if files < 20 || !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::new(files as u64);
    if let Ok(style) =
        ProgressStyle::with_template("{bar:40} {pos}/{len} files {elapsed} (eta {eta})")
    {
        bar.set_style(style);
    }
    bar
}

/// Runs `sitrep extract`.
pub fn run(args: &ExtractArgs) -> Result<ExitCode> {
    let stdout = std::io::stdout();
    let mut out = BufWriter::new(stdout.lock());
    let mut failures_file = match &args.failures {
        Some(path) => {
            Some(BufWriter::new(File::create(path).with_context(|| {
                format!("cannot create {}", path.display())
            })?))
        }
        None => None,
    };
    let mut first = true;
    if args.format == RecordFormat::Json {
        out.write_all(b"[\n")?;
    }
    let tally = run_pipeline(&args.inputs, &args.read, |result| {
        match result {
            Ok(record) => {
                match args.format {
                    RecordFormat::Jsonl => {
                        serde_json::to_writer(&mut out, &record)?;
                        out.write_all(b"\n")?;
                    }
                    RecordFormat::Json => {
                        if !first {
                            out.write_all(b",\n")?;
                        }
                        serde_json::to_writer_pretty(&mut out, &record)?;
                    }
                    RecordFormat::Text => output::write_summary(&mut out, &record)?,
                }
                first = false;
            }
            Err(failure) => {
                out.flush()?;
                eprintln!("sitrep: {failure}");
                if let Some(file) = failures_file.as_mut() {
                    let line = serde_json::json!({
                        "location": failure.location,
                        "reason": failure.error.to_string(),
                    });
                    serde_json::to_writer(&mut *file, &line)?;
                    file.write_all(b"\n")?;
                }
            }
        }
        Ok(())
    })?;
    if args.format == RecordFormat::Json {
        out.write_all(b"\n]\n")?;
    }
    out.flush()?;
    if let Some(mut file) = failures_file {
        file.flush()?;
    }
    if tally.failed > 0 {
        eprintln!(
            "sitrep: {} documents extracted, {} failed",
            tally.documents, tally.failed
        );
        return Ok(ExitCode::FAILURE);
    }
    Ok(ExitCode::SUCCESS)
}
