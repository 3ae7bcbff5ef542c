//! Runs the pipeline over the `.txt` files of a folder, plainly or under fault
//! isolation, so that the cost of isolation can be counted in instructions, which do
//! not drift with the machine's load:
//!
//! ```sh
//! cargo build --release --example isolation_cost
//! valgrind --tool=callgrind --callgrind-out-file=/tmp/plain.out \
//!     target/release/examples/isolation_cost plain examples/articles 20
//! valgrind --tool=callgrind --callgrind-out-file=/tmp/isolated.out \
//!     target/release/examples/isolation_cost isolated examples/articles 20
//! ```

use sitrep_core::SourceDoc;
use sitrep_engine::Engine;

fn main() {
    let mut args = std::env::args().skip(1);
    let mode = args.next().unwrap_or_else(|| "plain".into());
    let dir = args.next().unwrap_or_else(|| "examples/articles".into());
    let rounds: usize = args.next().and_then(|n| n.parse().ok()).unwrap_or(10);
    let mut docs = Vec::new();
    let mut paths: Vec<_> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{dir}: {e}"))
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .collect();
    paths.sort();
    for path in paths {
        let raw = std::fs::read_to_string(&path).unwrap_or_default();
        let normalized = sitrep_text::normalize(&raw);
        docs.push(SourceDoc {
            source: path.display().to_string(),
            published: Some("2025-06-11".into()),
            language: "en".into(),
            text: normalized.text,
            offsets: normalized.offsets,
            ..SourceDoc::default()
        });
    }
    let engine = Engine::new();
    let mut facts = 0usize;
    for _ in 0..rounds {
        for d in &docs {
            facts += match mode.as_str() {
                "isolated" => engine.try_extract(d).map_or(0, |r| r.quotes.len()),
                _ => engine.extract(d).quotes.len(),
            };
        }
    }
    println!(
        "{mode}: {} documents x {rounds} rounds, {facts} quotes",
        docs.len()
    );
}
