//! What the engine's integration tests share: a record from a piece of text.

use sitrep_core::record::Record;
use sitrep_core::SourceDoc;
use sitrep_engine::Engine;

/// The record of `text`, normalised as a reader would, published on `published`.
pub fn record_of(text: &str, published: Option<&str>) -> Record {
    let normalized = sitrep_text::normalize(text);
    let doc = SourceDoc {
        source: "test".into(),
        published: published.map(str::to_owned),
        language: "en".into(),
        text: normalized.text,
        offsets: normalized.offsets,
        ..SourceDoc::default()
    };
    Engine::new().extract(&doc)
}
