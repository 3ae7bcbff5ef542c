//! Fuzz target: arbitrary text through the whole engine.
//!
//! The bytes are read as UTF-8 (lossily: invalid sequences become U+FFFD), normalised as a
//! reader would, and extracted with `Engine::extract` — not `try_extract`, so that any
//! panic in any stage is a crash. Property: the record keeps every span invariant.
#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use sitrep_core::SourceDoc;
use sitrep_engine::Engine;

fn engine() -> &'static Engine {
    static ENGINE: OnceLock<Engine> = OnceLock::new();
    ENGINE.get_or_init(Engine::new)
}

fuzz_target!(|data: &[u8]| {
    let raw = String::from_utf8_lossy(data);
    let normalized = sitrep_text::normalize(&raw);
    let doc = SourceDoc {
        source: "fuzz.txt".into(),
        published: Some("2025-06-11".into()),
        language: "en".into(),
        text: normalized.text,
        offsets: normalized.offsets,
        ..SourceDoc::default()
    };
    let record = engine().extract(&doc);
    if let Err(e) = record.check_spans() {
        panic!("span invariant broken: {e}");
    }
});
