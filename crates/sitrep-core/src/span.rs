use serde::{Deserialize, Serialize};

/// A half-open byte range `[start, end)` into a document's normalised text.
///
/// Serialised as a two-element array, `[start, end]`, as the `sitrep/1` contract says.
/// Invariant (checked by [`Span::is_valid_in`]): `start <= end <= text.len()` and both
/// ends lie on UTF-8 character boundaries.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize, Deserialize,
)]
#[serde(from = "[u32; 2]", into = "[u32; 2]")]
pub struct Span {
    /// First byte of the range.
    pub start: u32,
    /// One past the last byte of the range.
    pub end: u32,
}

impl Span {
    /// A span from byte offsets. Offsets past `u32::MAX` are clamped: documents are
    /// limited far below 4 GiB by the readers.
    pub fn new(start: usize, end: usize) -> Self {
        let clamp = |v: usize| u32::try_from(v).unwrap_or(u32::MAX);
        Span {
            start: clamp(start),
            end: clamp(end),
        }
    }

    /// Start as a `usize`, for slicing.
    pub fn start(self) -> usize {
        self.start as usize
    }

    /// End as a `usize`, for slicing.
    pub fn end(self) -> usize {
        self.end as usize
    }

    /// Length in bytes.
    pub fn len(self) -> usize {
        self.end().saturating_sub(self.start())
    }

    /// True for an empty range.
    pub fn is_empty(self) -> bool {
        self.end <= self.start
    }

    /// The smallest span covering both.
    pub fn cover(self, other: Span) -> Span {
        Span {
            start: self.start.min(other.start),
            end: self.end.max(other.end),
        }
    }

    /// True when `other` lies inside `self`.
    pub fn contains(self, other: Span) -> bool {
        self.start <= other.start && other.end <= self.end
    }

    /// True when the spans share at least one byte.
    pub fn overlaps(self, other: Span) -> bool {
        self.start < other.end && other.start < self.end
    }

    /// The text this span covers, or `None` when the span is not valid in `text`.
    pub fn slice(self, text: &str) -> Option<&str> {
        text.get(self.start()..self.end())
    }

    /// True when the span is ordered, in bounds and on character boundaries of `text`.
    pub fn is_valid_in(self, text: &str) -> bool {
        self.start <= self.end && self.slice(text).is_some()
    }
}

impl From<[u32; 2]> for Span {
    fn from([start, end]: [u32; 2]) -> Self {
        Span { start, end }
    }
}

impl From<Span> for [u32; 2] {
    fn from(span: Span) -> Self {
        [span.start, span.end]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serialises_as_pair() {
        let span = Span::new(3, 9);
        assert_eq!(serde_json::to_string(&span).unwrap(), "[3,9]");
        assert_eq!(serde_json::from_str::<Span>("[3,9]").unwrap(), span);
    }

    #[test]
    fn validity_respects_char_boundaries() {
        let text = "Kyiv – Київ";
        assert!(Span::new(0, 4).is_valid_in(text));
        assert!(!Span::new(0, 6).is_valid_in(text), "inside the en dash");
        assert!(!Span::new(5, 3).is_valid_in(text));
        assert!(!Span::new(0, 100).is_valid_in(text));
    }
}
