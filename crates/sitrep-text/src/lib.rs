//! Text stages that come right after reading: Unicode normalisation with an alignment
//! map back to the original, and segmentation into paragraphs, sentences and tokens.
//!
//! Pure functions over `&str`; no I/O, no errors: any string gives a result.
//!
//! # Place in the pipeline
//!
//! A reader decodes bytes to a `String` and calls [`normalize()`]; the normalised text is
//! what every later stage works on and every span in a `sitrep/1` record points into.
//! [`segment()`] then gives the paragraphs, sentences and tokens that recognition and
//! extraction walk over.
//!
//! # Normalisation and the offset map
//!
//! [`normalize()`] makes text predictable for the matchers downstream (NFC, one kind of
//! space, `\n` line ends, exactly one blank line between paragraphs, no invisible
//! characters) but leaves curly quotes and dashes alone: they carry meaning (quote
//! boundaries, ranges, asides) and are recognised later, not rewritten.
//!
//! Evidence must point back to the input, so it keeps a [`sitrep_core::OffsetMap`]:
//! sparse `(normalised, original)` anchors, one wherever the shift between the two texts
//! changes (a dropped `\r`, a collapsed run of spaces, a 3-byte U+2010 that became `-`).
//! Offsets between anchors move by the same shift, so clean ASCII text costs no anchors
//! at all and typical news text a few per paragraph. Every character start of the output
//! maps to a character start of the input, and the map is monotone.
//!
//! # Why hand-written loops
//!
//! Both functions are on the hot path: they see every byte of every article. They are
//! single forward passes over bytes with an ASCII fast path (printable ASCII is copied
//! or classified a byte at a time; only non-ASCII bytes are decoded), allocate only their
//! outputs, and never backtrack, so pathological input — a 1 MB line, a paragraph with
//! no spaces, long runs of dots, emoji or Cyrillic — stays linear. Regular expressions
//! would be shorter for some rules but make that guarantee harder to see, and the rules
//! that need context (is "U.S." the end of a sentence?) are plainer as code.
//!
//! NFC is computed only for runs of non-ASCII characters that fail
//! [`unicode_normalization::is_nfc_quick`], which in practice is almost never.
//!
//! # Segmentation choices
//!
//! Tokens follow Universal Dependencies' English conventions where the taggers need them
//! ("Russia's" → `Russia` `'s`, "don't" → `do` `n't`), keep abbreviations' periods
//! ("Gen.", "U.S.") and keep numbers and dates whole ("1,200", "2025-04-23"). The
//! abbreviation list is data (`data/abbreviations.txt`), compiled in with `include_str!`.
#![warn(missing_docs)]

pub mod normalize;
pub mod segment;

pub use normalize::{normalize, Normalized};
pub use segment::{segment, tokenize, words, Segmentation, Sentence, Token, TokenKind};
