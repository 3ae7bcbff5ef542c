//! `build-kb WORK_DIR OUT_DIR`: pack the intermediate TSVs that
//! `scripts/build_kb.py` writes into the KB's binary files. Run by that script;
//! see `data/kb/SOURCES.md`.

use std::path::PathBuf;
use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [work, out] = args.as_slice() else {
        eprintln!("usage: build-kb WORK_DIR OUT_DIR");
        return ExitCode::from(2);
    };
    match sitrep_kb::build::pack(&PathBuf::from(work), &PathBuf::from(out)) {
        Ok(s) => {
            eprintln!(
                "build-kb: {} places, {} names read ({} dropped: empty, not Latin script, or 1-2 letter place keys), {} keys, {} postings, {} lower-case starts",
                s.places, s.names_in, s.names_dropped, s.keys, s.postings, s.lower_starts
            );
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("build-kb: {e}");
            ExitCode::FAILURE
        }
    }
}
