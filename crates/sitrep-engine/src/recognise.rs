//! Recognise: names in running text, found by the learned tagger.
//!
//! The tagger sees one sentence at a time as the segmenter's tokens; its token ranges
//! become byte spans. A tagger trained with gazetteer bits (`Tagger::uses_flags`) gets
//! them here as in training: knowledge-base matches and person-name lists per token,
//! from `sitrep_ner::Gazetteer` over the embedded knowledge base (matched once over the
//! whole document). The knowledge-base matcher also runs in `resolve`, where its
//! readings and the tagger's names are reconciled.

use std::cell::RefCell;
use std::ops::Range;

use sitrep_core::Span;
use sitrep_ner::model::TagBuffers;
use sitrep_ner::{bio_spans, EntityType, Gazetteer, Label, Tagger};

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

/// Reusable per-thread buffers: tagger scratch, labels, gazetteer bits, token byte
/// ranges and sentence token ranges.
struct Buffers {
    tag: TagBuffers,
    labels: Vec<Label>,
    flags: Vec<u8>,
    spans: Vec<Range<usize>>,
    sentences: Vec<Range<usize>>,
}

thread_local! {
    static BUFFERS: RefCell<Buffers> = RefCell::new(Buffers {
        tag: TagBuffers::new(),
        labels: Vec::new(),
        flags: Vec::new(),
        spans: Vec::new(),
        sentences: Vec::new(),
    });
}

/// Tags every sentence of the document and returns the names in text order.
pub fn tag_names(doc: &DocView, tagger: &Tagger) -> Vec<TaggedName> {
    let gazetteer = tagger.uses_flags().then(Gazetteer::embedded);
    let matches = match gazetteer {
        Some(_) => sitrep_kb::Kb::embedded().find_in(doc.text),
        None => Vec::new(),
    };
    tag_names_with(doc, tagger, gazetteer, &matches)
}

/// Like [`tag_names`] with an explicit gazetteer (`None`: no gazetteer bits) and the
/// document's knowledge-base matches (`Kb::embedded().find_in(doc.text)`), which the
/// pipeline computes once for this stage and for resolve.
pub fn tag_names_with(
    doc: &DocView,
    tagger: &Tagger,
    gazetteer: Option<&Gazetteer>,
    matches: &[sitrep_kb::KbMatch<'_>],
) -> Vec<TaggedName> {
    let mut names = Vec::new();
    let mut words: Vec<&str> = Vec::with_capacity(64);
    BUFFERS.with(|cell| {
        let mut guard = cell.borrow_mut();
        let b = &mut *guard;
        b.flags.clear();
        if let Some(g) = gazetteer {
            b.spans.clear();
            b.spans.extend(
                doc.seg
                    .tokens
                    .iter()
                    .map(|t| t.span.start as usize..t.span.end as usize),
            );
            b.sentences.clear();
            b.sentences.extend(
                doc.seg
                    .sentences
                    .iter()
                    .map(|s| s.tokens.start as usize..s.tokens.end as usize),
            );
            g.flags_doc_matched(doc.text, matches, &b.spans, &b.sentences, &mut b.flags);
        }
        for (si, sentence) in doc.seg.sentences.iter().enumerate() {
            let tokens = doc.seg.sentence_tokens(sentence);
            let first = sentence.tokens.start as usize;
            for (wi, window) in tokens.chunks(MAX_TAGGED_TOKENS).enumerate() {
                words.clear();
                words.extend(window.iter().map(|t| doc.slice(t.span)));
                let start = first + wi * MAX_TAGGED_TOKENS;
                let extra = b.flags.get(start..start + window.len());
                tagger.tag_into(&words, extra, &mut b.tag, &mut b.labels);
                for (range, kind) in bio_spans(&b.labels) {
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

#[cfg(test)]
mod tests {
    use super::*;

    fn names(text: &str) -> Vec<(String, EntityType)> {
        let seg = sitrep_text::segment(text);
        let doc = DocView {
            text,
            seg: &seg,
            published: None,
        };
        let Ok(tagger) = Tagger::embedded() else {
            return Vec::new();
        };
        tag_names(&doc, tagger)
            .into_iter()
            .map(|n| (doc.slice(n.span).to_owned(), n.kind))
            .collect()
    }

    #[test]
    fn tags_people_and_places_with_gazetteer_bits() {
        assert!(Tagger::embedded().is_ok_and(|t| t.uses_flags()));
        let found = names(
            "Foreign Minister Ishaq Dar met Saudi Foreign Minister Faisal bin Farhan in Riyadh on Monday.",
        );
        assert!(
            found.contains(&("Ishaq Dar".to_owned(), EntityType::Per)),
            "{found:?}"
        );
        assert!(
            found.contains(&("Riyadh".to_owned(), EntityType::Loc)),
            "{found:?}"
        );
    }

    #[test]
    fn odd_text_does_not_panic() {
        let long = "Kyiv ".repeat(10_000);
        let caps = "THE KREMLIN SAID PUTIN WOULD MEET TRUMP IN ALASKA.";
        for text in [
            long.as_str(),
            caps,
            "🙂🙂 Київ і Харків 🙂",
            "",
            "no-spaces-at-all-Kyiv-Moscow",
        ] {
            let _ = names(text);
        }
    }

    #[test]
    fn a_megabyte_line_is_linear() {
        // One "sentence" of ~200,000 tokens, half of it lower case: tagging windows and
        // one knowledge-base pass keep it linear.
        let line = "officials in kharkiv said russian drones struck Kyiv and Odesa overnight, "
            .repeat(14_000);
        assert!(line.len() > 1_000_000);
        let start = std::time::Instant::now();
        let found = names(&line);
        assert!(!found.is_empty());
        assert!(start.elapsed().as_secs() < 60, "{:?}", start.elapsed());
    }
}
