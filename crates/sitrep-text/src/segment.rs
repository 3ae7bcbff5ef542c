//! Paragraphs, sentences and tokens with byte spans.
use sitrep_core::Span;

/// What a token is made of.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenKind {
    /// Letters (with inner apostrophes, hyphens or periods of abbreviations).
    Word,
    /// Digits, possibly with separators ("1,200", "3.5").
    Number,
    /// A punctuation mark.
    Punct,
    /// Anything else (symbols, emoji).
    Symbol,
}

/// A token with its byte span.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Token {
    /// Where it is in the text.
    pub span: Span,
    /// What it is made of.
    pub kind: TokenKind,
}

/// A sentence: its span, its paragraph, and the range of its tokens.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sentence {
    /// Where it is in the text.
    pub span: Span,
    /// Index into [`Segmentation::paragraphs`].
    pub paragraph: u32,
    /// Index range into [`Segmentation::tokens`].
    pub tokens: std::ops::Range<u32>,
}

/// The segmentation of one text.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Segmentation {
    /// Paragraph spans, in order.
    pub paragraphs: Vec<Span>,
    /// Sentences, in order.
    pub sentences: Vec<Sentence>,
    /// Tokens, in order.
    pub tokens: Vec<Token>,
}

/// Segments `text`.
pub fn segment(text: &str) -> Segmentation {
    let _ = text;
    Segmentation::default()
}
