//! Fault isolation: a panic in one document's pipeline, on any rayon worker, becomes
//! that document's error and every other document's record still comes out.

use rayon::prelude::*;
use sitrep_core::SourceDoc;
use sitrep_engine::{isolate, Engine};

fn doc(source: &str, text: &str) -> SourceDoc {
    let normalized = sitrep_text::normalize(text);
    SourceDoc {
        source: source.into(),
        published: Some("2025-06-11".into()),
        language: "en".into(),
        text: normalized.text,
        offsets: normalized.offsets,
        ..SourceDoc::default()
    }
}

const GOOD: &str = "Russian missiles struck Zaporizhzhia on Wednesday, killing at least \
    12 people, the regional governor said. Talks in Istanbul ended without a deal.";

#[test]
fn a_planted_panic_fails_one_document_and_the_batch_comes_through() {
    isolate::install_quiet_hook();
    for stage in ["segment", "quotes", "events", "claims", "record"] {
        let engine = Engine::new().with_fault(stage, "poisoned");
        let batch: Vec<SourceDoc> = (0..40)
            .map(|i| {
                let name = if i == 17 {
                    "poisoned.txt".to_owned()
                } else {
                    format!("good-{i}.txt")
                };
                doc(&name, GOOD)
            })
            .collect();
        let results: Vec<_> = batch.par_iter().map(|d| engine.try_extract(d)).collect();
        for (d, result) in batch.iter().zip(&results) {
            match result {
                Ok(record) => {
                    assert_ne!(d.source, "poisoned.txt");
                    assert_eq!(record.document.source, d.source);
                    assert!(
                        !record.events.is_empty(),
                        "{}: the good record is whole",
                        d.source
                    );
                }
                Err(err) => {
                    assert_eq!(d.source, "poisoned.txt", "only the poisoned document fails");
                    assert_eq!(err.stage, stage);
                    assert!(err.message.contains("planted fault"), "{err}");
                    assert!(err
                        .to_string()
                        .starts_with(&format!("internal error in {stage}: ")));
                }
            }
        }
        assert_eq!(results.iter().filter(|r| r.is_err()).count(), 1);
    }
}

#[test]
fn without_a_fault_try_extract_equals_extract() {
    let engine = Engine::new();
    let d = doc("good.txt", GOOD);
    assert_eq!(engine.try_extract(&d).unwrap(), engine.extract(&d));
}
