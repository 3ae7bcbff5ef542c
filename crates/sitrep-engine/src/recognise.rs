//! Recognise: names in running text, found by the learned tagger.
//!
//! The tagger sees one sentence at a time as the segmenter's tokens; its token ranges
//! become byte spans. The knowledge-base matcher runs beside it (in `resolve`), and the
//! two are reconciled there.

use std::cell::RefCell;

use sitrep_core::Span;
use sitrep_ner::model::TagBuffers;
use sitrep_ner::{bio_spans, EntityType, Label, Tagger};

use crate::model::DocView;

/// A name the tagger found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TaggedName {
    /// Where it is.
    pub span: Span,
    /// Person, organisation or location.
    pub kind: EntityType,
    /// Index of its sentence.
    pub sentence: usize,
}

/// Sentences longer than this are tagged in windows of this many tokens, so that one
/// pathological "sentence" cannot make a buffer grow without bound.
const MAX_TAGGED_TOKENS: usize = 512;

thread_local! {
    static BUFFERS: RefCell<(TagBuffers, Vec<Label>, Vec<usize>)> =
        RefCell::new((TagBuffers::new(), Vec::new(), Vec::new()));
}

/// Tags every sentence of the document and returns the names in text order.
pub fn tag_names(doc: &DocView, tagger: &Tagger) -> Vec<TaggedName> {
    let mut names = Vec::new();
    let mut words: Vec<&str> = Vec::with_capacity(64);
    BUFFERS.with(|cell| {
        let mut guard = cell.borrow_mut();
        let (buffers, labels, _) = &mut *guard;
        for (si, sentence) in doc.seg.sentences.iter().enumerate() {
            let tokens = doc.seg.sentence_tokens(sentence);
            for window in tokens.chunks(MAX_TAGGED_TOKENS) {
                words.clear();
                words.extend(window.iter().map(|t| doc.slice(t.span)));
                tagger.tag_into(&words, None, buffers, labels);
                for (range, kind) in bio_spans(labels) {
                    let (Some(first), Some(last)) =
                        (window.get(range.start), window.get(range.end - 1))
                    else {
                        continue;
                    };
                    names.push(TaggedName {
                        span: first.span.cover(last.span),
                        kind,
                        sentence: si,
                    });
                }
            }
        }
    });
    names
}
