//! `eval-ner`: scores the tagger on IOB2 gold files and measures its speed.
//!
//! ```text
//! eval-ner --iob2 FILE [--iob2 FILE…] [--model MODEL] [--json] [--speed N]
//! ```
//! Without `--model` the embedded model is used. `--speed N` tags the gold tokens N times
//! and reports tokens per second on one core; model load time is always reported.

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use sitrep_ner::eval::{evaluate, read_iob2};
use sitrep_ner::{TagBuffers, Tagger};

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("eval-ner: {e}");
            eprintln!(
                "usage: eval-ner --iob2 FILE [--iob2 FILE…] [--model MODEL] [--json] [--speed N]"
            );
            ExitCode::FAILURE
        }
    }
}

fn run() -> Result<(), Box<dyn std::error::Error>> {
    let mut files = Vec::new();
    let mut model: Option<PathBuf> = None;
    let mut json = false;
    let mut speed = 0usize;
    let mut it = std::env::args().skip(1);
    while let Some(a) = it.next() {
        match a.as_str() {
            "--iob2" => files.push(PathBuf::from(it.next().ok_or("--iob2 needs a file")?)),
            "--model" => model = Some(PathBuf::from(it.next().ok_or("--model needs a file")?)),
            "--json" => json = true,
            "--speed" => speed = it.next().ok_or("--speed needs a count")?.parse()?,
            other => return Err(format!("unknown argument {other}").into()),
        }
    }
    if files.is_empty() {
        return Err("no --iob2 file given".into());
    }
    let start = Instant::now();
    let owned;
    let tagger: &Tagger = match &model {
        Some(p) => {
            let bytes = std::fs::read(p).map_err(|e| format!("reading {}: {e}", p.display()))?;
            owned = Tagger::from_bytes(&bytes)?;
            &owned
        }
        None => Tagger::embedded()?,
    };
    let load_ms = start.elapsed().as_secs_f64() * 1000.0;
    let mut reports = serde_json::Map::new();
    for f in &files {
        let gold = read_iob2(f)?;
        let ev = evaluate(tagger, &gold);
        let mut entry = serde_json::to_value(&ev)?;
        if speed > 0 {
            let sents: Vec<Vec<&str>> = gold
                .iter()
                .map(|s| s.tokens.iter().map(String::as_str).collect())
                .collect();
            let ntok: usize = sents.iter().map(Vec::len).sum();
            let mut buf = TagBuffers::new();
            let mut out = Vec::new();
            let mut runs = Vec::new();
            for _ in 0..speed {
                let t = Instant::now();
                for s in &sents {
                    tagger.tag_into(s, None, &mut buf, &mut out);
                }
                runs.push(ntok as f64 / t.elapsed().as_secs_f64());
            }
            runs.sort_by(f64::total_cmp);
            let median = runs[runs.len() / 2];
            entry["tokens_per_sec_median"] = serde_json::json!(median.round());
            if !json {
                println!(
                    "speed: {:.0} tokens/s (median of {speed} passes over {ntok} tokens)",
                    median
                );
            }
        }
        if !json {
            println!("== {}\n{ev}", f.display());
        }
        reports.insert(f.display().to_string(), entry);
    }
    if json {
        let out =
            serde_json::json!({ "load_ms": load_ms, "rows": tagger.rows(), "files": reports });
        println!("{}", serde_json::to_string_pretty(&out)?);
    } else {
        println!("model: {} rows, loaded in {load_ms:.1} ms", tagger.rows());
    }
    Ok(())
}
