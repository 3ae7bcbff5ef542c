//! Text stages that come right after reading: Unicode normalisation with an alignment
//! map back to the original, and segmentation into paragraphs, sentences and tokens.
//!
//! Pure functions over `&str`; no I/O. (Placeholder API — implemented in `normalize.rs`
//! and `segment.rs`.)
#![warn(missing_docs)]

pub mod normalize;
pub mod segment;

pub use normalize::{normalize, Normalized};
pub use segment::{segment, Segmentation, Sentence, Token, TokenKind};
