//! `sitrep bench`: the arguments handed to the `sitrep-bench` harness, which does the
//! work (corpus, timings, memory, scores, spaCy, reports).

use std::process::ExitCode;

use anyhow::{Context, Result};
use sitrep_bench::BenchOptions;

use crate::args::BenchArgs;

/// Runs `sitrep bench`.
pub fn run(args: &BenchArgs) -> Result<ExitCode> {
    // The memory measurement runs this program again as `sitrep bench --child-rss FILE`.
    if let Some(file) = &args.child_rss {
        sitrep_bench::child_pipeline(file, args.threads.unwrap_or(0))?;
        return Ok(ExitCode::SUCCESS);
    }
    let dir = std::path::Path::new("target/bench-store");
    if args.store_requery {
        for q in sitrep_bench::store::requery(dir)? {
            println!(
                "{:<9} p50 {:>7.2} ms  p99 {:>7.2} ms  max {:>7.2} ms  ({} queries)",
                q.kind, q.p50_ms, q.p99_ms, q.max_ms, q.queries
            );
        }
        return Ok(ExitCode::SUCCESS);
    }
    if let Some(seconds) = args.serve_load {
        let results = sitrep_bench::load::run(dir, seconds.max(1), args.load_connections.max(1))?;
        let markdown = sitrep_bench::load::markdown(&results);
        println!("{markdown}");
        write_reports(args, &markdown, &results)?;
        return Ok(ExitCode::SUCCESS);
    }
    if let Some(articles) = args.store {
        let results =
            sitrep_bench::store::run(articles, &args.examples, &args.shared, args.seed, dir)?;
        let markdown = sitrep_bench::store::markdown(&results);
        println!("{markdown}");
        write_reports(args, &markdown, &results)?;
        return Ok(ExitCode::SUCCESS);
    }
    sitrep_bench::run(&options(args))?;
    Ok(ExitCode::SUCCESS)
}

/// Writes a report to `--markdown` and its figures to `--json`, when asked.
fn write_reports(args: &BenchArgs, markdown: &str, figures: &impl serde::Serialize) -> Result<()> {
    if let Some(path) = &args.markdown {
        std::fs::write(path, markdown)
            .with_context(|| format!("cannot write {}", path.display()))?;
    }
    if let Some(path) = &args.json {
        std::fs::write(path, serde_json::to_string_pretty(figures)?)
            .with_context(|| format!("cannot write {}", path.display()))?;
    }
    Ok(())
}

/// The harness's options from the command line.
fn options(args: &BenchArgs) -> BenchOptions {
    BenchOptions {
        words: args.words,
        smoke: args.smoke,
        repeats: args.repeats,
        seed: args.seed,
        threads: args.threads,
        examples: args.examples.clone(),
        shared: args.shared.clone(),
        peer: args.peer,
        peer_script: args.peer_script.clone(),
        peer_repeats: args.peer_repeats,
        markdown: args.markdown.clone(),
        json: args.json.clone(),
        write_corpus: args.write_corpus.clone(),
    }
}
