//! Fuzz target: news-shaped text through the whole engine.
//!
//! Raw bytes rarely reach the later stages (a quote needs a speech verb near a name, an
//! attack needs a trigger near a place and a number). Here each input byte picks a
//! fragment from `dict/fragments.txt` — names, titles, places, speech verbs, attack and
//! talks words, numbers, dates, and the punctuation that breaks naive byte slicing
//! (’ “ ” — … « » ״, NBSP, zero-width and bidi marks, emoji with joiners) — and whether
//! a space goes before it, so the fuzzer explores sentences the stages actually parse.
//! Property: no stage panics and the record keeps every span invariant.
#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use sitrep_core::SourceDoc;
use sitrep_engine::Engine;

const FRAGMENTS: &str = include_str!("../dict/fragments.txt");

fn fragments() -> &'static [&'static str] {
    static LIST: OnceLock<Vec<&'static str>> = OnceLock::new();
    LIST.get_or_init(|| {
        FRAGMENTS
            .lines()
            .filter(|l| !l.is_empty() && !l.starts_with("##"))
            .map(|l| if l == "\\n" { "\n" } else if l == "\\n\\n" { "\n\n" } else { l })
            .collect()
    })
}

fn engine() -> &'static Engine {
    static ENGINE: OnceLock<Engine> = OnceLock::new();
    ENGINE.get_or_init(Engine::new)
}

fuzz_target!(|data: &[u8]| {
    let list = fragments();
    let mut text = String::new();
    for pair in data.chunks(2) {
        let pick = usize::from(pair[0]) | (usize::from(*pair.get(1).unwrap_or(&0) & 0x7F) << 8);
        let glue = pair.get(1).is_some_and(|b| b & 0x80 != 0);
        if !glue && !text.is_empty() {
            text.push(' ');
        }
        text.push_str(list[pick % list.len()]);
    }
    let normalized = sitrep_text::normalize(&text);
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
