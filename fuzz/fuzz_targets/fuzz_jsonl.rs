//! Fuzz target: arbitrary bytes read as JSON Lines and as a JSON document (one object
//! or an array of them: what `POST /api/v1/documents` reads).
//!
//! Property: reading never panics, never hangs, and every document it returns has text.
#![no_main]

use libfuzzer_sys::fuzz_target;
use sitrep_read::{read_bytes, ReadOptions};

fuzz_target!(|data: &[u8]| {
    let opts = ReadOptions {
        max_bytes: 1 << 20,
        ..ReadOptions::default()
    };
    for name in ["fuzz.jsonl", "request.json"] {
        for doc in read_bytes(data, name, &opts).into_iter().flatten() {
            assert!(!doc.text.trim().is_empty());
        }
    }
});
