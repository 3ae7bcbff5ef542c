//! Prints how long each pipeline stage takes on one text file, for finding slow spots:
//! `cargo run --release -p sitrep-engine --example stage_times FILE`.

use sitrep_core::SourceDoc;
use sitrep_engine::pipeline::STAGES;
use sitrep_engine::Engine;

fn main() {
    let Some(path) = std::env::args().nth(1) else {
        eprintln!("usage: stage_times FILE");
        std::process::exit(2);
    };
    let raw = match std::fs::read_to_string(&path) {
        Ok(raw) => raw,
        Err(e) => {
            eprintln!("{path}: {e}");
            std::process::exit(1);
        }
    };
    let normalized = sitrep_text::normalize(&raw);
    let doc = SourceDoc {
        source: path,
        published: Some("2025-04-23".into()),
        language: "en".into(),
        text: normalized.text,
        offsets: normalized.offsets,
        ..SourceDoc::default()
    };
    let analysis = Engine::new().analyse(&doc);
    for (stage, time) in STAGES.iter().zip(analysis.timings) {
        println!("{stage:<10} {:>10.3} ms", time.as_secs_f64() * 1000.0);
    }
    println!(
        "{} bytes, {} entities, {} places, {} quotes, {} events",
        doc.text.len(),
        analysis.entities.list.len(),
        analysis.places.len(),
        analysis.quotes.len(),
        analysis.events.len()
    );
}
