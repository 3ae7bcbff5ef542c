//! The pipeline in data-flow order: segment → recognise → resolve → extract.
use sitrep_core::record::Document;
use sitrep_core::{Record, SourceDoc};
use sitrep_text::Segmentation;

/// Everything the stages computed for one document, before conversion to the wire record.
#[derive(Debug, Clone, Default)]
pub struct Analysis {
    /// Paragraphs, sentences and tokens.
    pub segmentation: Segmentation,
}

/// The loaded resources of the pipeline (knowledge base, models); cheap to share
/// across threads.
#[derive(Debug, Default)]
pub struct Engine {}

impl Engine {
    /// Runs every stage on `doc`.
    pub fn analyse(&self, doc: &SourceDoc) -> Analysis {
        let _span = tracing::debug_span!("analyse", source = %doc.source).entered();
        let segmentation = {
            let _s = tracing::trace_span!("segment").entered();
            sitrep_text::segment(&doc.text)
        };
        Analysis { segmentation }
    }

    /// Runs every stage on `doc` and returns its `sitrep/1` record.
    pub fn extract(&self, doc: &SourceDoc) -> Record {
        let _analysis = self.analyse(doc);
        Record::new(document_of(doc))
    }
}

/// The wire form of a source document.
pub fn document_of(doc: &SourceDoc) -> Document {
    Document {
        id: doc.id(),
        source: doc.source.clone(),
        url: doc.url.clone(),
        outlet: doc.outlet.clone(),
        title: doc.title.clone(),
        published: doc.published.clone(),
        language: doc.language.clone(),
        text: doc.text.clone(),
    }
}
