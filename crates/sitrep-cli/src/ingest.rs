//! `sitrep ingest`: inputs → documents → records → the store, in batches.
//!
//! Three stages overlap: a reader thread streams documents (and read failures) from the
//! inputs in order through a bounded channel; the main thread cuts that stream into
//! batches of `--batch` documents; each batch is extracted in parallel on the rayon pool
//! while the previous batch is written in one transaction. Text the store already has
//! skips the engine (only its source is added), so a rerun after an interruption
//! quickly passes over what was committed and resumes with the rest.

use std::collections::HashSet;
use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::mpsc::{sync_channel, Receiver, SyncSender};
use std::time::{Duration, Instant};

use anyhow::{Context, Result};
use indicatif::{ProgressBar, ProgressStyle};
use rayon::prelude::*;
use sitrep_core::{Record, SourceDoc};
use sitrep_engine::{isolate, Engine};
use sitrep_read::{Failure, InputFile, ReadOptions};
use sitrep_store::{FailureNote, Prepared, PutOutcome, SqliteStore, Store};

use crate::args::IngestArgs;
use crate::extract::{internal_failure, read_options};

/// One item of the reader's stream.
enum Item {
    /// A document read, with its content hash and the input it came from.
    Doc {
        doc: SourceDoc,
        hash: String,
        input: String,
    },
    /// An input or document that could not be read.
    Failed {
        failure: Failure,
        input: Option<String>,
    },
}

/// What extraction made of one item: a record with what the writer needs from it
/// (made on the extraction threads), or a failure.
type Extracted = Result<(Record, Prepared), (Failure, Option<String>)>;

/// Counts of one run.
#[derive(Debug, Default)]
struct Tally {
    new: usize,
    new_versions: usize,
    new_sources: usize,
    duplicates: usize,
    failed: usize,
    /// Locations that failed in this run.
    failed_at: HashSet<String>,
}

impl Tally {
    fn documents(&self) -> usize {
        self.new + self.new_versions + self.new_sources + self.duplicates
    }
}

/// Runs `sitrep ingest`.
pub fn run(args: &IngestArgs) -> Result<ExitCode> {
    let options = read_options(&args.read)?;
    if let Some(threads) = args.read.threads {
        // Only the first call can configure the global pool; later calls keep it.
        let _ = rayon::ThreadPoolBuilder::new()
            .num_threads(threads.max(1))
            .build_global();
    }
    let db = args.db.display().to_string();
    let mut store =
        SqliteStore::open(&args.db).with_context(|| format!("cannot open the store {db}"))?;
    if let Some(path) = &args.records {
        return store_records(&mut store, path, args.batch.max(1) as usize, &db);
    }

    let mut files = sitrep_read::expand(&args.inputs);
    let mut retried = Vec::new();
    let mut unretryable = 0;
    if args.retry_failed {
        let mut seen: HashSet<InputFile> = files.iter().flatten().cloned().collect();
        let mut expanded: HashSet<String> = HashSet::new();
        for failure in store.pending_failures()? {
            match failure.input.as_deref() {
                Some(input) if input != "<stdin>" => {
                    // Expanded like a command-line input (a folder that failed is
                    // walked), once per input however many of its parts failed.
                    let fresh = expanded.insert(input.to_owned());
                    let again = if fresh {
                        sitrep_read::expand(&[PathBuf::from(input)])
                    } else {
                        Vec::new()
                    };
                    for file in again {
                        match file {
                            Ok(file) if !seen.insert(file.clone()) => {}
                            other => files.push(other),
                        }
                    }
                    retried.push(failure.location);
                }
                _ => unretryable += 1,
            }
        }
    }

    let started = Instant::now();
    let progress = progress_bar();
    let engine = Engine::default();
    let batch = args.batch.max(1) as usize;
    let mut tally = Tally::default();
    std::thread::scope(|scope| -> Result<()> {
        let (sender, receiver) = sync_channel(batch * 2);
        let options = &options;
        scope.spawn(move || read_all(files, options, &sender));
        let mut written: Option<Vec<Extracted>> = None;
        loop {
            let items = next_batch(&receiver, batch);
            if items.is_empty() {
                break;
            }
            let hashes: Vec<&str> = items
                .iter()
                .filter_map(|item| match item {
                    Item::Doc { hash, .. } => Some(hash.as_str()),
                    Item::Failed { .. } => None,
                })
                .collect();
            let mut known = store.contains(&hashes)?.into_iter();
            let known: Vec<bool> = items
                .iter()
                .map(|item| matches!(item, Item::Doc { .. }) && known.next().unwrap_or(false))
                .collect();
            // Write the previous batch while this one is extracted.
            let previous = written.take();
            let (write, extracted) = rayon::join(
                || match previous {
                    Some(results) => write_batch(&mut store, results, &mut tally, &progress),
                    None => Ok(()),
                },
                || extract_batch(&engine, items, &known),
            );
            write?;
            written = Some(extracted);
        }
        if let Some(results) = written {
            write_batch(&mut store, results, &mut tally, &progress)?;
        }
        Ok(())
    })?;
    progress.finish_and_clear();

    // Retried locations that did not fail again are over, even those that now yield no
    // document (a successful document already resolved its own location).
    let still_failing = retried
        .iter()
        .filter(|l| tally.failed_at.contains(*l))
        .count();
    let now_fine: Vec<String> = retried
        .iter()
        .filter(|l| !tally.failed_at.contains(*l))
        .cloned()
        .collect();
    store.resolve_failures(&now_fine)?;

    let seconds = started.elapsed().as_secs_f64();
    let documents = tally.documents();
    println!(
        "ingested {documents} documents into {db} in {seconds:.1} s ({:.0} documents/s): \
         {} new, {} new versions, {} duplicates ({} of them from a new source); {} failed",
        documents as f64 / seconds.max(1e-9),
        tally.new,
        tally.new_versions,
        tally.new_sources + tally.duplicates,
        tally.new_sources,
        tally.failed,
    );
    if args.retry_failed {
        println!(
            "retried {} failed locations: {} resolved, {} still failing{}",
            retried.len(),
            retried.len() - still_failing,
            still_failing,
            if unretryable > 0 {
                format!("; {unretryable} cannot be read again (standard input)")
            } else {
                String::new()
            }
        );
    }
    Ok(if tally.failed > 0 {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    })
}

/// `--records`: stores records written by `sitrep extract`, batch by batch.
fn store_records(
    store: &mut SqliteStore,
    path: &std::path::Path,
    batch: usize,
    db: &str,
) -> Result<ExitCode> {
    let started = Instant::now();
    let records = crate::eval::read_records(path)?;
    let progress = progress_bar();
    let mut tally = Tally::default();
    let mut records = records.into_iter().peekable();
    while records.peek().is_some() {
        let chunk: Vec<Record> = records.by_ref().take(batch).collect();
        let chunk: Vec<Extracted> = chunk.into_par_iter().map(prepared).collect();
        write_batch(store, chunk, &mut tally, &progress)?;
    }
    progress.finish_and_clear();
    let seconds = started.elapsed().as_secs_f64();
    println!(
        "stored {} records into {db} in {seconds:.1} s ({:.0} records/s): {} new, {} new \
         versions, {} duplicates ({} of them from a new source)",
        tally.documents(),
        tally.documents() as f64 / seconds.max(1e-9),
        tally.new,
        tally.new_versions,
        tally.new_sources + tally.duplicates,
        tally.new_sources,
    );
    Ok(ExitCode::SUCCESS)
}

/// Streams every input's documents and failures into `sender`, in input order. Stops
/// early when the receiving side is gone.
fn read_all(
    files: Vec<Result<InputFile, Failure>>,
    options: &ReadOptions,
    sender: &SyncSender<Item>,
) {
    for file in files {
        let input = match file {
            Ok(input) => input,
            Err(failure) => {
                let input = Some(failure.location.clone());
                if sender.send(Item::Failed { failure, input }).is_err() {
                    return;
                }
                continue;
            }
        };
        let location = input.location();
        let retry_as = (input != InputFile::Stdin).then(|| location.clone());
        let mut open = true;
        let read = isolate::catch("read", || {
            sitrep_read::read_input_with(&input, options, &mut |result| {
                if !open {
                    return;
                }
                let item = match result {
                    Ok(doc) => Item::Doc {
                        hash: doc.id(),
                        doc,
                        input: location.clone(),
                    },
                    Err(failure) => Item::Failed {
                        failure,
                        input: retry_as.clone(),
                    },
                };
                open = sender.send(item).is_ok();
            })
        });
        if let Err(err) = read {
            let failure = internal_failure(location.clone(), err);
            open = sender
                .send(Item::Failed {
                    failure,
                    input: retry_as,
                })
                .is_ok();
        }
        if !open {
            return;
        }
    }
}

/// Up to `size` items: waits for the first, then takes what arrives until the batch is
/// full or the reader is done.
fn next_batch(receiver: &Receiver<Item>, size: usize) -> Vec<Item> {
    let mut items = Vec::with_capacity(size);
    while items.len() < size {
        match receiver.recv() {
            Ok(item) => items.push(item),
            Err(_) => break,
        }
    }
    items
}

/// Runs the engine over a batch in parallel, in order; text the store already has gets
/// a record of its document alone.
fn extract_batch(engine: &Engine, items: Vec<Item>, known: &[bool]) -> Vec<Extracted> {
    items
        .into_par_iter()
        .zip(known.par_iter())
        .map(|(item, &known)| match item {
            Item::Failed { failure, input } => Err((failure, input)),
            Item::Doc { doc, .. } if known => {
                prepared(Record::new(sitrep_engine::pipeline::document_of(&doc)))
            }
            Item::Doc { doc, input, .. } => match engine.try_extract(&doc) {
                Ok(record) => prepared(record),
                Err(err) => Err((internal_failure(doc.source.clone(), err), Some(input))),
            },
        })
        .collect()
}

/// A record ready for the writer.
fn prepared(record: Record) -> Extracted {
    let prepared = Prepared::of(&record);
    Ok((record, prepared))
}

/// Writes one batch's records and failures in one transaction and counts them.
fn write_batch(
    store: &mut SqliteStore,
    results: Vec<Extracted>,
    tally: &mut Tally,
    progress: &ProgressBar,
) -> Result<()> {
    let mut records = Vec::with_capacity(results.len());
    let mut prepared = Vec::with_capacity(results.len());
    let mut failures = Vec::new();
    for result in results {
        match result {
            Ok((record, ready)) => {
                records.push(record);
                prepared.push(ready);
            }
            Err((failure, input)) => {
                progress.suspend(|| eprintln!("sitrep: {failure}"));
                tally.failed_at.insert(failure.location.clone());
                failures.push(FailureNote {
                    reason: failure.error.to_string(),
                    location: failure.location,
                    input,
                });
            }
        }
    }
    let outcomes = store
        .put_prepared(&records, &prepared, &failures)
        .with_context(|| format!("cannot write a batch to the store {}", store.path()))?;
    for outcome in outcomes {
        match outcome {
            PutOutcome::New => tally.new += 1,
            PutOutcome::NewVersion => tally.new_versions += 1,
            PutOutcome::NewSource => tally.new_sources += 1,
            PutOutcome::Duplicate => tally.duplicates += 1,
        }
    }
    tally.failed += failures.len();
    progress.inc((records.len() + failures.len()) as u64);
    let rate = progress.position() as f64 / progress.elapsed().as_secs_f64().max(1e-3);
    progress.set_message(format!("{rate:.0} documents/s, {} failed", tally.failed));
    Ok(())
}

/// A spinner on stderr with documents per second, when stderr is a terminal.
fn progress_bar() -> ProgressBar {
    if !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::new_spinner();
    if let Ok(style) =
        ProgressStyle::with_template("{spinner} {human_pos} documents stored, {msg}, {elapsed}")
    {
        bar.set_style(style);
    }
    bar.enable_steady_tick(Duration::from_millis(200));
    bar
}
