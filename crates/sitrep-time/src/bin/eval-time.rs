//! `eval-time DIR [--json] [--verbose]`: scores the time stage on the TimeML (`.tml`)
//! files of DIR, e.g. TempEval-3 platinum, and prints the table (or the report as JSON).

use std::path::PathBuf;
use std::process::ExitCode;

fn main() -> ExitCode {
    let mut dir = None;
    let (mut json, mut verbose) = (false, false);
    for a in std::env::args().skip(1) {
        match a.as_str() {
            "--json" => json = true,
            "--verbose" | "-v" => verbose = true,
            _ => dir = Some(PathBuf::from(a)),
        }
    }
    let Some(dir) = dir else {
        eprintln!("usage: eval-time DIR [--json] [--verbose]");
        return ExitCode::from(2);
    };
    match sitrep_time::eval::eval_dir(&dir) {
        Ok(report) => {
            if json {
                match serde_json_like(&report) {
                    Ok(s) => println!("{s}"),
                    Err(e) => {
                        eprintln!("eval-time: {e}");
                        return ExitCode::FAILURE;
                    }
                }
            } else {
                if verbose {
                    for d in &report.disagreements {
                        println!(
                            "{:<28} {:<9} {:<30} gold: {:<24} found: {}",
                            d.file,
                            d.what,
                            format!("{:?}", d.text),
                            d.gold.as_deref().unwrap_or("-"),
                            d.predicted.as_deref().unwrap_or("-")
                        );
                    }
                    println!();
                }
                println!("{report}");
            }
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("eval-time: {e}");
            ExitCode::FAILURE
        }
    }
}

fn serde_json_like(r: &sitrep_time::eval::EvalReport) -> Result<String, String> {
    serde_json::to_string_pretty(r).map_err(|e| e.to_string())
}
