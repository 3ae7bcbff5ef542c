//! The shared vocabulary of sitrep: the document that flows through the pipeline and
//! the `sitrep/1` record that comes out of it.
//!
//! Every other crate depends on this one and on nothing else of ours, so it stays small:
//! no I/O, no async, no parsing of outside formats. Two kinds of types live here:
//!
//! * [`Span`] and [`SourceDoc`] — the engine's view of a document (normalised text plus
//!   the metadata a reader found);
//! * [`record`] — the wire types of the `sitrep/1` JSON contract. They are plain data with
//!   a stable field order (serde serialises fields in declaration order), converted from
//!   engine structs at the end of the pipeline, so that a change to the contract is always
//!   a deliberate edit of this module.
#![warn(missing_docs)]

pub mod record;
mod span;

pub use record::Record;
pub use span::Span;

use sha2::{Digest, Sha256};

/// The schema tag written in every record.
pub const SCHEMA: &str = "sitrep/1";

/// A document as a reader hands it to the engine: normalised text plus metadata.
///
/// Invariant: `text` is the normalised text; every span the engine produces is a byte
/// range into it. `offsets` maps it back to the bytes of the original input.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SourceDoc {
    /// Where the document came from: a path, `path:LINE` for JSON Lines, or a feed item's link.
    pub source: String,
    /// Canonical URL of the article, when known.
    pub url: Option<String>,
    /// Publishing outlet (domain or name), when known.
    pub outlet: Option<String>,
    /// Headline, when known.
    pub title: Option<String>,
    /// Publication date or timestamp as ISO 8601 (`2025-04-23` or `2025-04-23T10:00:00Z`).
    pub published: Option<String>,
    /// BCP 47 language tag; `en` unless the input says otherwise.
    pub language: String,
    /// The normalised text: paragraphs separated by a blank line.
    pub text: String,
    /// Alignment from normalised byte offsets back to the reader's decoded text.
    pub offsets: OffsetMap,
}

impl SourceDoc {
    /// The stable document id: `sha256:` and the hex digest of the normalised text.
    pub fn id(&self) -> String {
        document_id(&self.text)
    }

    /// The publication day (`YYYY-MM-DD`) if a date is known.
    pub fn published_day(&self) -> Option<&str> {
        self.published.as_deref().and_then(|p| p.get(..10))
    }
}

/// `sha256:<hex>` of the given text; the id of a document whose normalised text it is.
pub fn document_id(text: &str) -> String {
    let digest = Sha256::digest(text.as_bytes());
    let mut id = String::with_capacity(7 + 64);
    id.push_str("sha256:");
    for byte in digest {
        id.push(char::from_digit(u32::from(byte >> 4), 16).unwrap_or('0'));
        id.push(char::from_digit(u32::from(byte & 0xf), 16).unwrap_or('0'));
    }
    id
}

/// A monotone map from byte offsets in normalised text to byte offsets in the original.
///
/// Stored sparsely: one `(normalised, original)` pair at the start of every run where
/// the two texts differ in length or content; offsets between anchors shift by the
/// same amount as the anchor before them. An empty map is the identity.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OffsetMap {
    anchors: Vec<(u32, u32)>,
}

impl OffsetMap {
    /// Records that normalised offset `normalised` corresponds to original offset `original`.
    /// Anchors must be pushed in increasing order of `normalised`.
    pub fn push(&mut self, normalised: usize, original: usize) {
        let pair = (saturate(normalised), saturate(original));
        match self.anchors.last() {
            Some(&(n, o)) if n == pair.0 => {
                if o != pair.1 {
                    // A later anchor at the same place wins (e.g. after a deletion).
                    if let Some(last) = self.anchors.last_mut() {
                        *last = pair;
                    }
                }
            }
            Some(&(n, o)) if pair.0.wrapping_sub(n) == pair.1.wrapping_sub(o) => {}
            None if pair.0 == pair.1 => {}
            _ => self.anchors.push(pair),
        }
    }

    /// The original offset of a normalised offset.
    pub fn to_original(&self, normalised: usize) -> usize {
        let n = saturate(normalised);
        let idx = self.anchors.partition_point(|&(a, _)| a <= n);
        if idx == 0 {
            return normalised;
        }
        let (a, o) = self.anchors[idx - 1];
        (o as usize) + (normalised - a as usize)
    }

    /// Number of stored anchors (zero for an identity map).
    pub fn len(&self) -> usize {
        self.anchors.len()
    }

    /// True when the map is the identity.
    pub fn is_empty(&self) -> bool {
        self.anchors.is_empty()
    }
}

fn saturate(v: usize) -> u32 {
    u32::try_from(v).unwrap_or(u32::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn document_id_is_sha256_hex() {
        assert_eq!(
            document_id(""),
            "sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        );
    }

    #[test]
    fn offset_map_identity_and_shift() {
        let mut map = OffsetMap::default();
        assert_eq!(map.to_original(5), 5);
        // Two bytes deleted at original offset 10 (e.g. "\r\n" → "\n" twice).
        map.push(10, 12);
        assert_eq!(map.to_original(9), 9);
        assert_eq!(map.to_original(10), 12);
        assert_eq!(map.to_original(20), 22);
        map.push(30, 30); // an insertion brings it back in line
        assert_eq!(map.to_original(31), 31);
        assert_eq!(map.len(), 2);
    }
}

/// Test material shared by the property tests of every stage.
pub mod testing {
    /// Real-world punctuation and invisible characters that break code slicing text by
    /// byte offsets: curly quotes and apostrophes, dashes, the ellipsis, guillemets, the
    /// Hebrew gershayim, non-breaking, thin and zero-width spaces, joiners, BOMs, bidi
    /// marks, combining accents, and emoji with joiners and flags. Property tests mix
    /// these into news-like text for every stage.
    pub const HOSTILE_PIECES: &[&str] = &[
        "’",
        "‘",
        "“",
        "”",
        "—",
        "–",
        "…",
        "«",
        "»",
        "״",
        "׳",
        "\u{a0}",
        "\u{2009}",
        "\u{202f}",
        "\u{200b}",
        "\u{200c}",
        "\u{200d}",
        "\u{2060}",
        "\u{feff}",
        "\u{200e}",
        "\u{200f}",
        "\u{202b}",
        "\u{202c}",
        "\u{2066}",
        "\u{2069}",
        "\u{61c}",
        "\u{301}",
        "\u{ad}",
        "👨\u{200d}👩\u{200d}👧",
        "🇺🇦",
        "👍🏽",
        "’s",
        "s’",
        "“’",
        "—“",
        "…”",
        "»,",
    ];
}
