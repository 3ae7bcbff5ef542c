//! The `sitrep bench` harness: speed, memory and accuracy in one run, on the user's own
//! machine.
//!
//! Builds a news-like corpus (`corpus.rs`), then times, on the same documents: reading
//! (bytes → `SourceDoc`, decoding and normalisation included), segmentation alone, and
//! the whole pipeline on one core and on all cores, with each stage's share; measures
//! the peak memory of a pipeline run in a child process; scores the fact extractor on
//! every gold file at hand and the name tagger on the UNER test set; and with
//! [`BenchOptions::peer`] runs spaCy `en_core_web_sm` on the same texts and the same
//! gold tokens (`peer.rs`). The figures are printed, and written as Markdown and JSON on
//! request (`report.rs`).
//!
//! **Place:** a library of its own so that the CLI stays a thin shell: it depends on
//! `sitrep-engine`, `sitrep-read`, `sitrep-eval`, `sitrep-ner`, `sitrep-text`,
//! `sitrep-time` and `sitrep-core`, never on `sitrep-cli`; the CLI turns its `bench`
//! arguments into [`BenchOptions`] and calls [`run`] (or [`child_pipeline`] for the
//! memory child, below).
//!
//! **Errors:** library crates of the workspace report errors with a `thiserror` enum;
//! this one is a tool harness whose errors only ever end up as a message to the person
//! running it, so it uses `anyhow` with context instead.
//!
//! **The memory child:** peak memory is measured in a fresh process, by running the
//! current executable again as `<exe> bench --child-rss FILE --threads N`. A binary that
//! calls [`run`] must therefore answer those arguments by calling [`child_pipeline`], as
//! `sitrep` does; otherwise the memory figures are skipped with a note.

#![warn(missing_docs)]

mod corpus;
pub mod load;
mod peer;
mod report;
pub mod store;

use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use anyhow::{bail, Context, Result};
use rayon::prelude::*;
use serde::Serialize;
use sitrep_core::{Record, SourceDoc};
use sitrep_engine::pipeline::{to_record, STAGES};
use sitrep_engine::{isolate, Engine};
use sitrep_read::ReadOptions;

pub use corpus::SourceCount;
pub use peer::{PeerRun, PeerSpeed};

/// What to measure and where to write it: the options of `sitrep bench`.
#[derive(Debug, Clone)]
pub struct BenchOptions {
    /// Size of the generated corpus, in words (ignored with `smoke`).
    pub words: usize,
    /// A tiny run for CI (about 20,000 words, one repeat, no spaCy): seconds, not minutes.
    pub smoke: bool,
    /// Timed runs per measurement; the median is reported.
    pub repeats: usize,
    /// Seed of the name, place and number substitutions that vary the examples.
    pub seed: u64,
    /// Worker threads of the all-cores runs (`None`: all cores).
    pub threads: Option<usize>,
    /// The bundled example articles (and their `gold/`) the corpus is varied from.
    pub examples: PathBuf,
    /// The shared folder with the `data/` gold sets and the `seed/` article; skipped when
    /// absent.
    pub shared: PathBuf,
    /// Also run spaCy `en_core_web_sm` on the same texts and gold sets.
    pub peer: bool,
    /// The script that sets up spaCy and measures it.
    pub peer_script: PathBuf,
    /// Timed spaCy runs per pipeline.
    pub peer_repeats: usize,
    /// Write the report as Markdown (ready for `BENCHMARKS.md`) to this file.
    pub markdown: Option<PathBuf>,
    /// Write the figures as JSON to this file.
    pub json: Option<PathBuf>,
    /// Also write the generated corpus (sitrep JSON Lines input) to this file.
    pub write_corpus: Option<PathBuf>,
}

/// Words of the `--smoke` corpus.
const SMOKE_WORDS: usize = 20_000;

/// Everything one bench run measured; serialised as the JSON report.
#[derive(Debug, Serialize)]
pub struct Results {
    /// When the bench ran (UTC).
    pub date: String,
    /// The git commit of the working tree, when known.
    pub commit: String,
    /// The machine.
    pub machine: Machine,
    /// The command line.
    pub command: String,
    /// Options of the run.
    pub settings: Settings,
    /// What was measured on.
    pub corpus: CorpusSummary,
    /// Throughput rows: read, segment, pipeline (one core, all cores), end to end.
    pub throughput: Vec<Throughput>,
    /// Where the one-core time goes, stage by stage.
    pub stages: Vec<StageShare>,
    /// Peak memory.
    pub memory: Memory,
    /// spaCy on the same texts (with `--peer`).
    pub peer: Option<peer::PeerSpeed>,
    /// Name tagging scores on gold tokens.
    pub ner: Option<NerResult>,
    /// Fact scores on the gold files (the `sitrep eval` report).
    pub facts: Option<FactsResult>,
    /// Sources skipped and other remarks.
    pub notes: Vec<String>,
}

/// The machine the figures come from.
#[derive(Debug, Serialize)]
pub struct Machine {
    /// Logical cores available.
    pub cores: usize,
    /// CPU model name from /proc/cpuinfo.
    pub cpu: String,
    /// Total memory, GiB.
    pub memory_gib: f64,
    /// Operating system and architecture.
    pub os: String,
    /// Load averages (1, 5, 15 minutes) when the bench started, from /proc/loadavg.
    pub load_average: String,
}

/// Options of the run.
#[derive(Debug, Serialize)]
pub struct Settings {
    /// Corpus size asked for, in words.
    pub target_words: usize,
    /// Substitution seed.
    pub seed: u64,
    /// Timed runs per measurement (median reported).
    pub repeats: usize,
    /// Threads of the all-cores runs.
    pub threads: usize,
    /// Whether this was the CI smoke run.
    pub smoke: bool,
}

/// The corpus, summed up.
#[derive(Debug, Serialize)]
pub struct CorpusSummary {
    /// Documents.
    pub documents: usize,
    /// Words (`sitrep_text::words`: word and number tokens).
    pub words: usize,
    /// Input bytes (plain text with front matter).
    pub input_bytes: usize,
    /// Bytes of normalised text.
    pub text_bytes: usize,
    /// Per source.
    pub sources: Vec<corpus::SourceCount>,
}

/// One throughput measurement.
#[derive(Debug, Clone, Serialize)]
pub struct Throughput {
    /// What was timed.
    pub name: String,
    /// Threads used.
    pub threads: usize,
    /// Median wall time, seconds.
    pub seconds: f64,
    /// Every run, seconds.
    pub runs: Vec<f64>,
    /// Words per second.
    pub words_per_sec: f64,
    /// Megabytes (10^6 bytes) per second of the input this step consumes.
    pub mb_per_sec: f64,
    /// Documents per second.
    pub docs_per_sec: f64,
}

/// A stage's part of the one-core time.
#[derive(Debug, Clone, Serialize)]
pub struct StageShare {
    /// Stage name (`read`, the engine's stages, `record` for the wire conversion).
    pub stage: String,
    /// Seconds summed over documents.
    pub seconds: f64,
    /// Percent of the total.
    pub share: f64,
    /// Words per second of the stage alone.
    pub words_per_sec: f64,
}

/// Peak resident memory (VmHWM), MiB.
#[derive(Debug, Serialize)]
pub struct Memory {
    /// A child process reading the corpus and running the pipeline on one thread.
    pub pipeline_one_thread_mib: Option<f64>,
    /// The same on all threads.
    pub pipeline_all_threads_mib: Option<f64>,
    /// This bench process (corpus, every measurement and the scorers).
    pub bench_process_mib: Option<f64>,
}

/// Entity F1 of sitrep's tagger and spaCy's on the same gold tokens.
#[derive(Debug, Serialize)]
pub struct NerResult {
    /// The gold file.
    pub file: String,
    /// Sentences scored.
    pub sentences: usize,
    /// Tokens scored.
    pub tokens: usize,
    /// sitrep: type → (precision, recall, F1) in percent, plus `micro`.
    pub sitrep: Vec<NerRow>,
    /// spaCy, when `--peer` ran.
    pub spacy: Option<Vec<NerRow>>,
}

/// One row of entity scores.
#[derive(Debug, Clone, Serialize)]
pub struct NerRow {
    /// `PER`, `ORG`, `LOC` or `micro`.
    pub label: String,
    /// Precision, percent.
    pub precision: f64,
    /// Recall, percent.
    pub recall: f64,
    /// F1, percent.
    pub f1: f64,
}

/// The fact scorer's report over every gold file at hand.
#[derive(Debug, Serialize)]
pub struct FactsResult {
    /// Gold files scored.
    pub gold_files: Vec<String>,
    /// Per fact type and overall.
    pub rows: Vec<FactRow>,
    /// The scorer's own JSON.
    pub report: serde_json::Value,
}

/// One row of the fact table.
#[derive(Debug, Clone, Serialize)]
pub struct FactRow {
    /// Fact type or `overall`.
    pub fact: String,
    /// Gold facts.
    pub gold: usize,
    /// Gold facts found.
    pub found: usize,
    /// Found with every value right.
    pub correct: usize,
    /// Facts predicted.
    pub predicted: usize,
    /// Precision (0–1).
    pub precision: f64,
    /// Recall (0–1).
    pub recall: f64,
    /// F1 (0–1).
    pub f1: f64,
}

/// Runs the bench: prints the report on stdout (progress on stderr), writes the files
/// `options` asks for, and returns the figures.
pub fn run(options: &BenchOptions) -> Result<Results> {
    if let Some(threads) = options.threads {
        let _ = rayon::ThreadPoolBuilder::new()
            .num_threads(threads.max(1))
            .build_global();
    }
    let threads = rayon::current_num_threads();
    let target_words = if options.smoke {
        SMOKE_WORDS
    } else {
        options.words
    };
    let repeats = if options.smoke {
        1
    } else {
        options.repeats.max(1)
    };
    let mut notes = Vec::new();

    let machine = report::machine();
    let engine = Engine::new();
    say(format_args!("building a corpus of {target_words} words"));
    let corpus = corpus::build(
        &engine,
        &options.examples,
        &options.shared,
        target_words,
        options.seed,
    )?;
    notes.extend(corpus.notes.iter().cloned());
    say(format_args!(
        "corpus: {} documents, {} words, {:.1} MB",
        corpus.docs.len(),
        corpus.words(),
        corpus.bytes() as f64 / 1e6
    ));
    let words = corpus.words();
    let input_bytes = corpus.bytes();

    // Read: bytes → SourceDoc, one core.
    let read_options = ReadOptions::default();
    let mut docs: Vec<SourceDoc> = Vec::new();
    let mut failed = 0;
    let read_runs = timed(repeats, || {
        docs.clear();
        failed = 0;
        for d in &corpus.docs {
            for r in sitrep_read::read_bytes(&d.bytes, &d.name, &read_options) {
                match r {
                    Ok(doc) => docs.push(doc),
                    Err(_) => failed += 1,
                }
            }
        }
    });
    if failed > 0 {
        notes.push(format!("{failed} corpus documents failed to read"));
    }
    if docs.is_empty() {
        bail!("no corpus document could be read");
    }
    let n_docs = docs.len();
    let text_bytes: usize = docs.iter().map(|d| d.text.len()).sum();
    let mut throughput = vec![row(
        "read",
        1,
        read_runs.clone(),
        words,
        input_bytes,
        n_docs,
    )];
    say(format_args!("read: {:.2} s", median(&read_runs)));

    // Segment alone, one core.
    let seg_runs = timed(repeats, || {
        for d in &docs {
            black_box(sitrep_text::segment(&d.text));
        }
    });
    throughput.push(row("segment", 1, seg_runs, words, text_bytes, n_docs));

    // Full pipeline, one core, with the stage timings.
    let mut stage_time = [Duration::ZERO; STAGES.len()];
    let mut record_time = Duration::ZERO;
    let one_runs = timed(repeats, || {
        stage_time = [Duration::ZERO; STAGES.len()];
        record_time = Duration::ZERO;
        for d in &docs {
            let analysis = engine.analyse(d);
            let t = Instant::now();
            black_box(to_record(d, &analysis));
            record_time += t.elapsed();
            for (sum, t) in stage_time.iter_mut().zip(analysis.timings) {
                *sum += t;
            }
        }
    });
    say(format_args!(
        "pipeline, one core: {:.2} s",
        median(&one_runs)
    ));
    throughput.push(row(
        "pipeline (extract)",
        1,
        one_runs,
        words,
        text_bytes,
        n_docs,
    ));

    // The same with each document under fault isolation, as `sitrep extract` runs it.
    // Plain and isolated runs alternate, each going first in every other pair, and the
    // cost is the median of the per-pair ratios, so that the machine's drift over the
    // minutes of a run and any first-or-second effect cancel out.
    let pairs = if options.smoke { 2 } else { repeats.max(4) * 2 };
    let mut isolated_runs = Vec::with_capacity(pairs);
    let mut pair_ratios = Vec::with_capacity(pairs);
    let time_plain = || {
        timed(1, || {
            for d in &docs {
                black_box(engine.extract(d));
            }
        })[0]
    };
    let time_isolated = || {
        timed(1, || {
            for d in &docs {
                black_box(engine.try_extract(d).is_ok());
            }
        })[0]
    };
    for pair in 0..pairs {
        let (plain, isolated) = if pair % 2 == 0 {
            let p = time_plain();
            (p, time_isolated())
        } else {
            let i = time_isolated();
            (time_plain(), i)
        };
        isolated_runs.push(isolated);
        pair_ratios.push(isolated / plain);
    }
    let isolation_cost = median(&pair_ratios) - 1.0;
    say(format_args!(
        "pipeline, one core, isolated: {:.2} s ({:+.1}% for isolation, median of {pairs} alternating pairs)",
        median(&isolated_runs),
        isolation_cost * 100.0
    ));
    notes.push(format!(
        "fault isolation (catch_unwind per document) costs {:+.2}% of one-core pipeline time (median ratio of {pairs} alternating plain/isolated runs)",
        isolation_cost * 100.0
    ));
    throughput.push(row(
        "pipeline (isolated)",
        1,
        isolated_runs,
        words,
        text_bytes,
        n_docs,
    ));

    // Full pipeline, all cores.
    let all_runs = timed(repeats, || {
        let n: usize = docs
            .par_iter()
            .map(|d| engine.try_extract(d).map_or(0, |r| r.entities.len()))
            .sum();
        black_box(n);
    });
    say(format_args!(
        "pipeline, {threads} threads: {:.2} s",
        median(&all_runs)
    ));
    throughput.push(row(
        "pipeline (extract)",
        threads,
        all_runs,
        words,
        text_bytes,
        n_docs,
    ));

    // Read and pipeline together, all cores: what `sitrep extract` does with documents.
    let e2e_runs = timed(repeats, || {
        let n: usize = corpus
            .docs
            .par_iter()
            .map(|d| {
                sitrep_read::read_bytes(&d.bytes, &d.name, &read_options)
                    .into_iter()
                    .flatten()
                    .map(|doc| engine.try_extract(&doc).map_or(0, |r| r.entities.len()))
                    .sum::<usize>()
            })
            .sum();
        black_box(n);
    });
    throughput.push(row(
        "read + pipeline",
        threads,
        e2e_runs,
        words,
        input_bytes,
        n_docs,
    ));

    let one_core_words_per_sec = throughput[2].words_per_sec;
    let stages = stage_shares(median(&throughput[0].runs), &stage_time, record_time, words);

    // Peak memory of a clean pipeline run, in a child process.
    let work = WorkDir::create()?;
    let corpus_file = work.path.join("corpus.jsonl");
    std::fs::write(&corpus_file, corpus.to_jsonl()?)
        .with_context(|| format!("cannot write {}", corpus_file.display()))?;
    if let Some(path) = &options.write_corpus {
        std::fs::copy(&corpus_file, path)
            .with_context(|| format!("cannot write {}", path.display()))?;
    }
    let one_mib = child_peak(&corpus_file, 1, &mut notes);
    let all_mib = child_peak(&corpus_file, threads, &mut notes);

    // Names on gold tokens, facts on gold files.
    let uner_test = options.shared.join("data/uner_en_ewt/en_ewt-ud-test.iob2");
    let mut ner = score_ner(&uner_test, &mut notes);
    let facts = score_facts(&engine, options, &mut notes);

    // spaCy on the same texts and tokens.
    let peer = if options.peer && !options.smoke {
        say(format_args!("running spaCy (this takes minutes)"));
        let iob2 = ner.as_ref().map(|_| uner_test.as_path());
        let out = peer::run(
            &options.peer_script,
            &corpus_file,
            iob2,
            options.peer_repeats.max(1),
            words,
        )?;
        if let (Some(ner), Some(rows)) = (ner.as_mut(), out.ner.clone()) {
            ner.spacy = Some(rows);
        }
        // The machine may speed up or slow down over the minutes spaCy takes: time
        // sitrep again now and compare with the slower of the two.
        let after_runs = timed(repeats, || {
            for d in &docs {
                black_box(engine.extract(d));
            }
        });
        let after = per_sec(words as f64, median(&after_runs));
        say(format_args!(
            "pipeline, one core, after spaCy: {:.2} s",
            median(&after_runs)
        ));
        let mut speed = out.speed;
        speed.sitrep_before_after = Some([one_core_words_per_sec, after]);
        let ours = speed
            .sitrep_words_per_sec()
            .unwrap_or(one_core_words_per_sec);
        speed.ratio_full = Some(per_sec(ours, speed.full.words_per_sec));
        speed.ratio_ner_only = Some(per_sec(ours, speed.ner_only.words_per_sec));
        Some(speed)
    } else {
        if options.peer {
            notes.push("--peer ignored with --smoke".to_owned());
        }
        None
    };

    let results = Results {
        date: jiff::Timestamp::now()
            .strftime("%Y-%m-%d %H:%M UTC")
            .to_string(),
        commit: report::git_commit(),
        machine,
        command: std::iter::once("sitrep".to_owned())
            .chain(std::env::args().skip(1))
            .collect::<Vec<_>>()
            .join(" "),
        settings: Settings {
            target_words,
            seed: options.seed,
            repeats,
            threads,
            smoke: options.smoke,
        },
        corpus: CorpusSummary {
            documents: n_docs,
            words,
            input_bytes,
            text_bytes,
            sources: corpus.sources.clone(),
        },
        throughput,
        stages,
        memory: Memory {
            pipeline_one_thread_mib: one_mib,
            pipeline_all_threads_mib: all_mib,
            bench_process_mib: report::peak_rss_kib().map(|k| k as f64 / 1024.0),
        },
        peer,
        ner,
        facts,
        notes,
    };
    print!("{}", report::text(&results));
    if let Some(path) = &options.markdown {
        std::fs::write(path, report::markdown(&results))
            .with_context(|| format!("cannot write {}", path.display()))?;
    }
    if let Some(path) = &options.json {
        let json = serde_json::to_string_pretty(&results)?;
        std::fs::write(path, json + "\n")
            .with_context(|| format!("cannot write {}", path.display()))?;
    }
    Ok(results)
}

/// Progress on stderr.
fn say(message: std::fmt::Arguments<'_>) {
    eprintln!("bench: {message}");
}

/// Runs `f` `repeats` times; the wall time of each run, seconds.
fn timed(repeats: usize, mut f: impl FnMut()) -> Vec<f64> {
    (0..repeats)
        .map(|_| {
            let t = Instant::now();
            f();
            t.elapsed().as_secs_f64()
        })
        .collect()
}

/// The median of some durations (0 when there are none).
fn median(runs: &[f64]) -> f64 {
    let mut sorted = runs.to_vec();
    sorted.sort_by(f64::total_cmp);
    match sorted.len() {
        0 => 0.0,
        n if n % 2 == 1 => sorted[n / 2],
        n => (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0,
    }
}

fn per_sec(amount: f64, seconds: f64) -> f64 {
    if seconds > 0.0 {
        amount / seconds
    } else {
        0.0
    }
}

fn row(
    name: &str,
    threads: usize,
    runs: Vec<f64>,
    words: usize,
    bytes: usize,
    docs: usize,
) -> Throughput {
    let seconds = median(&runs);
    Throughput {
        name: name.to_owned(),
        threads,
        seconds,
        runs,
        words_per_sec: per_sec(words as f64, seconds),
        mb_per_sec: per_sec(bytes as f64 / 1e6, seconds),
        docs_per_sec: per_sec(docs as f64, seconds),
    }
}

/// Shares of read, every engine stage and the record conversion in the one-core time.
fn stage_shares(
    read_seconds: f64,
    stages: &[Duration; STAGES.len()],
    record: Duration,
    words: usize,
) -> Vec<StageShare> {
    let mut parts = vec![("read".to_owned(), read_seconds)];
    parts.extend(
        STAGES
            .iter()
            .zip(stages)
            .map(|(name, d)| ((*name).to_owned(), d.as_secs_f64())),
    );
    parts.push(("record".to_owned(), record.as_secs_f64()));
    let total: f64 = parts.iter().map(|(_, s)| s).sum();
    parts
        .into_iter()
        .map(|(stage, seconds)| StageShare {
            stage,
            seconds,
            share: 100.0 * per_sec(seconds, total),
            words_per_sec: per_sec(words as f64, seconds),
        })
        .collect()
}

/// A private scratch folder, removed when dropped.
struct WorkDir {
    path: PathBuf,
}

impl WorkDir {
    fn create() -> Result<WorkDir> {
        let path = std::env::temp_dir().join(format!("sitrep-bench-{}", std::process::id()));
        std::fs::create_dir_all(&path)
            .with_context(|| format!("cannot create {}", path.display()))?;
        Ok(WorkDir { path })
    }
}

impl Drop for WorkDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.path);
    }
}

/// The child side of the memory measurement (`bench --child-rss FILE --threads N`): reads
/// the corpus file, runs the pipeline on every document with `threads` workers (0: all
/// cores) and prints `{"peak_rss_kib", "documents", "entities", "threads", "seconds"}`
/// as one JSON line on stdout.
pub fn child_pipeline(file: &Path, threads: usize) -> Result<()> {
    if threads > 0 {
        let _ = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build_global();
    }
    let t = Instant::now();
    let bytes = std::fs::read(file).with_context(|| format!("cannot read {}", file.display()))?;
    let engine = Engine::new();
    let name = file.to_string_lossy();
    let docs: Vec<SourceDoc> = sitrep_read::read_bytes(&bytes, &name, &ReadOptions::default())
        .into_iter()
        .flatten()
        .collect();
    drop(bytes);
    let entities: usize = docs
        .par_iter()
        .map(|d| engine.extract(d).entities.len())
        .sum();
    let out = serde_json::json!({
        "peak_rss_kib": report::peak_rss_kib(),
        "documents": docs.len(),
        "entities": entities,
        "threads": rayon::current_num_threads(),
        "seconds": t.elapsed().as_secs_f64(),
    });
    println!("{out}");
    Ok(())
}

/// Runs [`child_pipeline`] in a child process of this binary; its peak RSS in MiB.
fn child_peak(corpus: &Path, threads: usize, notes: &mut Vec<String>) -> Option<f64> {
    let attempt = || -> Result<f64> {
        let exe = std::env::current_exe().context("cannot find this program")?;
        let out = std::process::Command::new(exe)
            .arg("bench")
            .arg("--child-rss")
            .arg(corpus)
            .arg("--threads")
            .arg(threads.to_string())
            .output()
            .context("cannot run the memory child")?;
        if !out.status.success() {
            bail!(
                "memory child failed: {}",
                String::from_utf8_lossy(&out.stderr).trim()
            );
        }
        let v: serde_json::Value =
            serde_json::from_slice(&out.stdout).context("memory child printed no JSON")?;
        v["peak_rss_kib"]
            .as_f64()
            .map(|k| k / 1024.0)
            .context("no VmHWM in /proc/self/status")
    };
    match attempt() {
        Ok(mib) => Some(mib),
        Err(e) => {
            notes.push(format!("peak RSS on {threads} threads not measured: {e:#}"));
            None
        }
    }
}

/// sitrep's tagger on the UNER test set (gold tokens); `None` when the file is absent.
fn score_ner(file: &Path, notes: &mut Vec<String>) -> Option<NerResult> {
    if !file.exists() {
        notes.push(format!("{}: absent, entity F1 skipped", file.display()));
        return None;
    }
    let attempt = || -> Result<NerResult> {
        let tagger = sitrep_ner::Tagger::embedded().context("loading the embedded tagger")?;
        let gold = sitrep_ner::eval::read_iob2(file)
            .with_context(|| format!("reading {}", file.display()))?;
        let e = sitrep_ner::eval::evaluate(tagger, &gold);
        let mut rows: Vec<NerRow> = e
            .overall
            .per_type
            .iter()
            .map(|(t, p)| NerRow {
                label: t.as_str().to_owned(),
                precision: p.precision,
                recall: p.recall,
                f1: p.f1,
            })
            .collect();
        rows.push(NerRow {
            label: "micro".to_owned(),
            precision: e.overall.micro.precision,
            recall: e.overall.micro.recall,
            f1: e.overall.micro.f1,
        });
        Ok(NerResult {
            file: file.display().to_string(),
            sentences: e.overall.sentences,
            tokens: e.overall.tokens,
            sitrep: rows,
            spacy: None,
        })
    };
    match attempt() {
        Ok(r) => Some(r),
        Err(e) => {
            notes.push(format!("entity F1 skipped: {e:#}"));
            None
        }
    }
}

/// The fact scorer on every gold file of the examples and the shared seed.
fn score_facts(
    engine: &Engine,
    options: &BenchOptions,
    notes: &mut Vec<String>,
) -> Option<FactsResult> {
    let mut gold = corpus::gold_files(&options.examples.join("gold"));
    let mut inputs = Vec::new();
    if options.examples.is_dir() {
        inputs.push(options.examples.clone());
    }
    let seed = options.shared.join("seed");
    if seed.is_dir() {
        gold.extend(corpus::gold_files(&seed));
        inputs.push(seed);
    }
    if gold.is_empty() || inputs.is_empty() {
        notes.push("no gold files: fact scores skipped".to_owned());
        return None;
    }
    let records = extract_records(engine, &inputs);
    let mut report = sitrep_eval::Report::default();
    let mut labels = Vec::new();
    for path in &gold {
        match sitrep_eval::read_gold(path) {
            Ok(g) => {
                let label = path.display().to_string();
                report.add(&label, &g, sitrep_eval::pair_gold(path, &g, &records));
                labels.push(label);
            }
            Err(e) => notes.push(format!("{}: {e}", path.display())),
        }
    }
    let mut rows = Vec::new();
    let fact_row = |fact: &str, s: &sitrep_eval::TypeScore| FactRow {
        fact: fact.to_owned(),
        gold: s.gold,
        found: s.found,
        correct: s.correct,
        predicted: s.predicted,
        precision: s.precision(),
        recall: s.recall(),
        f1: s.f1(),
    };
    for name in sitrep_eval::score::FACT_TYPES {
        if let Some(s) = report.total.get(name) {
            rows.push(fact_row(name, s));
        }
    }
    rows.push(fact_row("overall", &report.total.overall()));
    Some(FactsResult {
        gold_files: labels,
        rows,
        report: report.to_json(),
    })
}

/// The records of every document in `inputs` (files or folders), in input order, read
/// with the default options and extracted as `sitrep extract` does it (each reader call
/// and each document isolated); inputs and documents that fail are left out.
fn extract_records(engine: &Engine, inputs: &[PathBuf]) -> Vec<Record> {
    let options = ReadOptions::default();
    let per_file: Vec<Vec<Record>> = sitrep_read::expand(inputs)
        .into_par_iter()
        .map(|file| {
            let Ok(input) = file else {
                return Vec::new();
            };
            isolate::catch("read", || sitrep_read::read_input(&input, &options))
                .unwrap_or_default()
                .into_par_iter()
                .filter_map(|doc| engine.try_extract(&doc.ok()?).ok())
                .collect()
        })
        .collect();
    per_file.into_iter().flatten().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn medians() {
        assert_eq!(median(&[]), 0.0);
        assert_eq!(median(&[3.0, 1.0, 2.0]), 2.0);
        assert_eq!(median(&[4.0, 1.0, 2.0, 3.0]), 2.5);
    }

    #[test]
    fn shares_add_up() {
        let stages = [Duration::from_millis(100); STAGES.len()];
        let s = stage_shares(0.1, &stages, Duration::from_millis(100), 1000);
        assert_eq!(s.len(), STAGES.len() + 2);
        let total: f64 = s.iter().map(|x| x.share).sum();
        assert!((total - 100.0).abs() < 1e-9);
        assert!((s[0].words_per_sec - 10_000.0).abs() < 1e-6);
    }
}
