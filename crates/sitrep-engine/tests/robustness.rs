//! The engine on text nobody would write: it must never panic, never take quadratic
//! time, and every span it returns must be a valid range of the document's text.

use proptest::prelude::*;
use sitrep_core::{Record, SourceDoc};
use sitrep_engine::Engine;

fn doc(text: &str) -> SourceDoc {
    let normalized = sitrep_text::normalize(text);
    SourceDoc {
        source: "test".into(),
        published: Some("2025-04-23".into()),
        language: "en".into(),
        text: normalized.text,
        offsets: normalized.offsets,
        ..SourceDoc::default()
    }
}

fn check(record: &Record) {
    record.check_spans().unwrap_or_else(|e| panic!("{e}"));
    for quote in &record.quotes {
        assert!(
            !quote.evidence.is_empty(),
            "quote {} has no evidence",
            quote.id
        );
    }
    for event in &record.events {
        assert!(
            !event.evidence.is_empty(),
            "event {} has no evidence",
            event.id
        );
    }
}

#[test]
fn hostile_texts_give_valid_records() {
    let engine = Engine::new();
    let long_sentence = "Russian drones struck Kharkiv and ".repeat(2_000);
    let caps =
        "RUSSIAN FORCES SHELLED KHERSON ON TUESDAY, KILLING NINE, OFFICIALS SAID. ".repeat(50);
    let no_spaces = "Zelensky“said”Kyiv‘would’not".repeat(5_000);
    let mixed =
        "Зеленський сказав «ні». 🇺🇦 President Zelensky said “no” — الرئيس قال. ".repeat(100);
    let quotes = "“Unclosed quote from Peskov said. ” “ ‘ ’ \" ' « » „ ".repeat(500);
    // Multi-byte letters and marks right next to names and places.
    let accents = "Talks in Prešov. “Kyiv” said. The Élysée said “Zaporizhzhia” was hit. Ñame Kherson “Putin”. ".repeat(200);
    for text in [
        long_sentence.as_str(),
        caps.as_str(),
        no_spaces.as_str(),
        mixed.as_str(),
        quotes.as_str(),
        accents.as_str(),
    ] {
        let record = engine.extract(&doc(text));
        check(&record);
    }
}

#[test]
fn a_one_megabyte_single_line_finishes() {
    let line =
        "Officials said the talks in Geneva were postponed after a drone strike killed two people "
            .repeat(12_000);
    assert!(line.len() > 1_000_000);
    let record = Engine::new().extract(&doc(&line));
    check(&record);
    assert!(!record.places.is_empty());
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn arbitrary_text_gives_valid_spans(text in "\\PC{0,400}") {
        let record = Engine::new().extract(&doc(&text));
        check(&record);
    }

    #[test]
    fn news_like_words_give_valid_spans(words in prop::collection::vec(prop::sample::select(vec![
        "Russia", "Ukraine's", "said", "“", "”", "\"", "killed", "nine", "dozens", "in", "Kherson",
        "talks", "postponed", "Tuesday", "night", "President", "Zelensky", "the", "Kremlin",
        "denied", "report", ".", ",", "\n\n", "drone", "strike", "Foreign", "Secretary", "he",
        "at", "least", "12", "wounded", "London", "met", "according", "to",
    ]), 0..200)) {
        let text = words.join(" ");
        let record = Engine::new().extract(&doc(&text));
        check(&record);
    }

    /// News words glued to the punctuation of real articles (’ “ — …, zero-width and
    /// bidi marks, emoji with joiners), with and without spaces: every stage of the
    /// engine walks text where a byte offset can land inside a character.
    #[test]
    fn news_with_hostile_punctuation_gives_valid_spans(pieces in prop::collection::vec((prop::sample::select(
        NEWS_WORDS.iter().chain(sitrep_core::testing::HOSTILE_PIECES).copied().collect::<Vec<_>>()
    ), any::<bool>()), 0..160)) {
        let text = glued(&pieces);
        let record = Engine::new().extract(&doc(&text));
        check(&record);
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    /// The knowledge-base matcher (the first half of recognise) on names glued to
    /// hostile punctuation: every match is a range on char boundaries.
    #[test]
    fn kb_matches_on_hostile_text_are_char_ranges(pieces in prop::collection::vec((prop::sample::select(
        NEWS_WORDS.iter().chain(sitrep_core::testing::HOSTILE_PIECES).copied().collect::<Vec<_>>()
    ), any::<bool>()), 0..80)) {
        let text = glued(&pieces);
        for m in sitrep_kb::Kb::embedded().find_in(&text) {
            prop_assert!(text.get(m.span.clone()).is_some(), "{:?} in {:?}", m.span, text);
        }
    }
}

/// Pieces joined with a space before each, except where `glue` says they touch.
fn glued(pieces: &[(&str, bool)]) -> String {
    let mut text = String::new();
    for &(piece, glue) in pieces {
        if !glue {
            text.push(' ');
        }
        text.push_str(piece);
    }
    text
}

/// Words that wake every fact stage: names, titles, speech and attack verbs, places,
/// numbers and dates.
const NEWS_WORDS: &[&str] = &[
    "Russia",
    "Ukraine",
    "Kyiv",
    "said",
    "told",
    "reporters",
    "added",
    "killed",
    "at",
    "least",
    "12",
    "dozens",
    "wounded",
    "in",
    "near",
    "Kherson",
    "Zaporizhzhia",
    "Gaza",
    "talks",
    "postponed",
    "held",
    "met",
    "on",
    "Tuesday",
    "night",
    "President",
    "Zelensky",
    "Putin",
    "the",
    "Kremlin",
    "denied",
    "accused",
    "report",
    ".",
    ",",
    ":",
    "\n\n",
    "drone",
    "strike",
    "missiles",
    "hit",
    "Foreign",
    "Minister",
    "spokesman",
    "he",
    "she",
    "according",
    "to",
    "group",
    "army",
    "official",
    "Hamas",
    "Doha",
    "ceasefire",
    "June",
    "2025",
    "Peskov",
];
