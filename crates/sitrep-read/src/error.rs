//! What can go wrong while reading, and where.
use std::fmt;

/// Why an input (or one document inside it) could not be read.
///
/// Every variant says what was wrong with the input in words a user can act on; the
/// location (path, `path:LINE`, feed item) is carried by [`Failure`].
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ReadError {
    /// The file or stream could not be opened or read.
    #[error("cannot read: {0}")]
    Io(#[from] std::io::Error),
    /// The input is larger than [`ReadOptions::max_bytes`](crate::ReadOptions::max_bytes).
    /// For streams and lines `size` is the number of bytes seen before giving up.
    #[error("too large: {size} bytes or more, the limit is {limit} bytes")]
    TooLarge {
        /// Size of the input in bytes (a lower bound for streams).
        size: u64,
        /// The configured limit in bytes.
        limit: u64,
    },
    /// The input looks like binary data (NUL bytes or many control characters).
    #[error("binary data, not text")]
    Binary,
    /// The input (or the document extracted from it) has no text.
    #[error("empty: no text to read")]
    Empty,
    /// The bytes could not be decoded as text in any plausible encoding.
    #[error("cannot decode text: {0}")]
    Encoding(String),
    /// The HTML could not be turned into a document.
    #[error("HTML: {0}")]
    Html(String),
    /// The RSS/Atom feed is malformed or exceeds a safety limit.
    #[error("XML: {0}")]
    Xml(String),
    /// A JSON value (a JSON Lines record, a `.json` file or a sidecar) is malformed.
    #[error("JSON (line {line}): {message}")]
    Json {
        /// 1-based line number of the error inside the JSON text.
        line: u64,
        /// What the JSON parser objected to.
        message: String,
    },
    /// A date given explicitly (the `--published` override) is not a date.
    #[error("not a date: {0:?} (expected ISO 8601 like 2025-04-23 or 2025-04-23T09:30:00Z)")]
    Date(String),
    /// A record lacks a field it needs (e.g. a JSON Lines record with neither `text` nor `html`).
    #[error("missing field: {0}")]
    MissingField(&'static str),
    /// The input's format is not one sitrep reads.
    #[error("unsupported format: {0}")]
    UnsupportedFormat(String),
    /// sitrep itself failed on this input or document (a bug, caught so that the rest
    /// of the batch goes on): the stage that was running and what went wrong.
    #[error("internal error in {stage}: {message}")]
    Internal {
        /// The stage that was running (`read`, `segment`, …, `record`).
        stage: String,
        /// The panic message and where in sitrep's code it happened.
        message: String,
    },
}

/// A read error together with where it happened.
///
/// `location` is a path, `path:LINE` (1-based) for JSON Lines, `path#N` or the item's
/// link for feed items, `<stdin>` for standard input, or `--published` for an invalid
/// override. Displayed as `location: reason`.
#[derive(Debug)]
pub struct Failure {
    /// Where the error happened: path, `path:LINE`, or a feed item's link.
    pub location: String,
    /// What went wrong.
    pub error: ReadError,
}

impl Failure {
    /// Pairs an error with its location.
    pub fn new(location: impl Into<String>, error: ReadError) -> Self {
        Self {
            location: location.into(),
            error,
        }
    }
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.location, self.error)
    }
}

impl std::error::Error for Failure {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&self.error)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn failure_displays_location_then_reason() {
        let f = Failure::new("news.jsonl:3", ReadError::MissingField("text or html"));
        assert_eq!(f.to_string(), "news.jsonl:3: missing field: text or html");
        let f = Failure::new("big.txt", ReadError::TooLarge { size: 10, limit: 5 });
        assert!(f.to_string().starts_with("big.txt: too large: 10 bytes"));
    }
}
