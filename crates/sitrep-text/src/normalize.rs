//! Unicode normalisation keeping an alignment map.
//!
//! One pass over the input bytes. Printable ASCII is copied a run at a time; whitespace
//! only updates a small "pending separator" state that is turned into one `' '`, `"\n"`
//! or `"\n\n"` when the next visible character arrives (so lines come out trimmed, runs
//! of blanks collapsed and paragraphs separated by exactly one blank line). Non-ASCII
//! characters are classified one by one; visible ones are gathered into a short run
//! (they end at the next ASCII byte or whitespace) that is checked with
//! [`is_nfc_quick`] and only recomposed when the check does not say "yes".
//!
//! Every emitted unit (an ASCII run, a separator, a character) pushes an anchor
//! `(output offset, input offset)` into the [`OffsetMap`]; the map drops anchors that
//! keep the current shift, so plain ASCII text yields an empty (identity) map.
use sitrep_core::OffsetMap;
use unicode_normalization::{is_nfc_quick, IsNormalized, UnicodeNormalization};

/// Normalised text and the map back to the input's offsets.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Normalized {
    /// The normalised text.
    pub text: String,
    /// Normalised offset → input offset.
    pub offsets: OffsetMap,
}

impl Normalized {
    /// The input byte range that the normalised byte range `start..end` came from.
    ///
    /// `end` is mapped as the end of the last byte, so a range that ends on a character
    /// whose input form was longer (a `'-'` that was U+2010) still covers all of it.
    pub fn original_range(&self, start: usize, end: usize) -> std::ops::Range<usize> {
        let s = self.offsets.to_original(start);
        if end <= start {
            return s..s;
        }
        let last = self.offsets.to_original(end - 1);
        // The last normalised byte starts a character in the input at `last`; its end is
        // the next anchor's start when one follows, else the same shift as before.
        let e = self.offsets.to_original(end).max(last + 1);
        s..e
    }
}

/// What one non-ASCII character turns into.
enum Class {
    /// Dropped (zero-width, soft hyphen, bidi controls, other control characters).
    Delete,
    /// A horizontal space.
    Space,
    /// A line break counting as this many newlines (2 = paragraph separator).
    Newline(u8),
    /// Replaced by an ASCII hyphen-minus.
    Hyphen,
    /// Kept (after NFC).
    Keep,
}

fn classify(c: char) -> Class {
    match c {
        '\u{85}' | '\u{2028}' => Class::Newline(1),
        '\u{2029}' => Class::Newline(2),
        // Zero-width space/non-joiner/joiner, LRM/RLM, word joiner and invisible
        // operators, bidi embeddings and isolates, BOM, soft hyphen, Mongolian vowel
        // separator, Arabic letter mark.
        '\u{200B}'..='\u{200F}'
        | '\u{061C}'
        | '\u{2060}'..='\u{2064}'
        | '\u{202A}'..='\u{202E}'
        | '\u{2066}'..='\u{2069}'
        | '\u{FEFF}'
        | '\u{00AD}'
        | '\u{180E}' => Class::Delete,
        '\u{2010}' | '\u{2011}' => Class::Hyphen,
        c if c.is_whitespace() => Class::Space,
        c if c.is_control() => Class::Delete,
        _ => Class::Keep,
    }
}

/// A kept non-ASCII character waiting for the NFC check: the character, and where and
/// how long it was in the input.
#[derive(Clone, Copy)]
struct Pending {
    c: char,
    at: usize,
    len: usize,
}

struct Writer {
    out: String,
    map: OffsetMap,
    /// A space or tab was seen since the last visible character.
    space: bool,
    space_at: usize,
    /// Newlines seen since the last visible character (saturating).
    newlines: u8,
    newline_at: usize,
    /// Where the second of them was (the same place for a paragraph separator).
    second_newline_at: usize,
    /// The last thing written was this ASCII character (input offset, input length),
    /// with nothing but deleted characters after it: a combining mark that follows may
    /// compose with it.
    last_ascii: Option<(usize, usize)>,
    /// Kept non-ASCII characters not yet written.
    run: Vec<Pending>,
    /// Scratch buffer for the NFC form of a run.
    composed: Vec<char>,
}

impl Writer {
    fn note_space(&mut self, at: usize) {
        self.flush_run();
        if !self.space && self.newlines == 0 {
            self.space_at = at;
        }
        self.space = true;
        self.last_ascii = None;
    }

    fn note_newline(&mut self, at: usize, count: u8) {
        self.flush_run();
        if self.newlines == 0 {
            self.newline_at = at;
            self.second_newline_at = at;
        } else if self.newlines == 1 {
            self.second_newline_at = at;
        }
        self.newlines = self.newlines.saturating_add(count);
        self.space = false;
        self.last_ascii = None;
    }

    /// Writes the pending separator (if any) before a visible character.
    fn separator(&mut self) {
        if !self.out.is_empty() {
            if self.newlines >= 2 {
                self.map.push(self.out.len(), self.newline_at);
                self.map.push(self.out.len() + 1, self.second_newline_at);
                self.out.push_str("\n\n");
            } else if self.newlines == 1 {
                self.map.push(self.out.len(), self.newline_at);
                self.out.push('\n');
            } else if self.space {
                self.map.push(self.out.len(), self.space_at);
                self.out.push(' ');
            }
        }
        self.space = false;
        self.newlines = 0;
    }

    fn ascii_run(&mut self, raw: &str, start: usize, end: usize) {
        self.flush_run();
        self.separator();
        self.map.push(self.out.len(), start);
        self.out.push_str(&raw[start..end]);
        self.last_ascii = Some((end - 1, 1));
    }

    fn hyphen(&mut self, at: usize, len: usize) {
        self.flush_run();
        self.separator();
        self.map.push(self.out.len(), at);
        self.out.push('-');
        self.last_ascii = Some((at, len));
    }

    fn keep(&mut self, c: char, at: usize, len: usize) {
        if self.run.is_empty() {
            self.separator();
            // The ASCII character just written may be the base of this mark: take it
            // back so that NFC sees the whole sequence.
            if let Some((a, l)) = self.last_ascii.take() {
                if let Some(prev) = self.out.pop() {
                    self.run.push(Pending {
                        c: prev,
                        at: a,
                        len: l,
                    });
                }
            }
        }
        self.run.push(Pending { c, at, len });
    }

    fn flush_run(&mut self) {
        if self.run.is_empty() {
            return;
        }
        if is_nfc_quick(self.run.iter().map(|p| p.c)) == IsNormalized::Yes {
            // Anchor only where the run is not a plain copy of the input.
            let mut expect = usize::MAX;
            for p in &self.run {
                if p.at != expect {
                    self.map.push(self.out.len(), p.at);
                }
                self.out.push(p.c);
                expect = if p.len == p.c.len_utf8() {
                    p.at + p.len
                } else {
                    usize::MAX
                };
            }
        } else {
            self.recompose();
        }
        self.run.clear();
    }

    /// Writes the NFC form of the run.
    ///
    /// NFC keeps canonical equivalence, so the run and its NFC form have the same
    /// decomposition (NFD). Each output character is aligned with the input character
    /// whose decomposition holds the first decomposed character of its own; its inner
    /// bytes step through that input character but never reach the next output
    /// character's original offset. So the map stays monotone and maps character starts
    /// to character starts even when NFC changes lengths ("a" + U+0301 + "“" → "á“":
    /// the quote still maps to the quote).
    fn recompose(&mut self) {
        let run = std::mem::take(&mut self.run);
        let mut composed = std::mem::take(&mut self.composed);
        composed.clear();
        composed.extend(run.iter().map(|p| p.c).nfc());
        let decomposed_len = |c: char| std::iter::once(c).nfd().count();
        // The input character whose decomposition covers decomposed position `d`,
        // searched forward from `from` = (index, its first decomposed position).
        let covering = |d: usize, from: (usize, usize)| {
            let (mut idx, mut idx_d) = from;
            while idx + 1 < run.len() && idx_d + decomposed_len(run[idx].c) <= d {
                idx_d += decomposed_len(run[idx].c);
                idx += 1;
            }
            (idx, idx_d)
        };
        let run_end = run.last().map_or(0, |p| p.at + p.len);
        let base = self.out.len();
        let mut cur = (0, 0);
        let mut rel = 0;
        let mut d = 0;
        for (j, &c) in composed.iter().enumerate() {
            cur = covering(d, cur);
            let at = run[cur.0].at;
            let n = c.len_utf8();
            d += decomposed_len(c);
            let next_at = if j + 1 < composed.len() {
                run[covering(d, cur).0].at
            } else {
                run_end
            };
            let cap = next_at.saturating_sub(1).max(at);
            self.map.push(base + rel, at);
            for b in 1..n {
                self.map.push(base + rel + b, (at + b).min(cap));
            }
            self.out.push(c);
            rel += n;
        }
        self.run = run;
        self.composed = composed;
    }
}

/// Normalises `raw` (NFC, spaces, dashes, line ends, paragraph breaks).
///
/// * CRLF, CR, VT, FF, NEL and U+2028 become `\n`; U+2029 a paragraph break;
/// * NFC, computed only for runs that contain non-ASCII characters and fail the quick check;
/// * Unicode spaces and tabs become `' '`; runs of them collapse to one;
/// * zero-width characters, soft hyphens, bidi controls and other control characters go;
/// * U+2010 and U+2011 become `'-'`; curly quotes and en/em dashes stay;
/// * lines are trimmed, paragraphs separated by exactly `"\n\n"`, single line breaks kept
///   as `"\n"`, and the text has no leading or trailing whitespace.
///
/// `offsets` maps every byte offset of the result back to `raw`.
pub fn normalize(raw: &str) -> Normalized {
    let bytes = raw.as_bytes();
    let mut w = Writer {
        out: String::with_capacity(raw.len()),
        map: OffsetMap::default(),
        space: false,
        space_at: 0,
        newlines: 0,
        newline_at: 0,
        second_newline_at: 0,
        last_ascii: None,
        run: Vec::new(),
        composed: Vec::new(),
    };
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if b < 0x80 {
            match b {
                b'!'..=b'~' => {
                    let start = i;
                    while i < bytes.len() && matches!(bytes[i], b'!'..=b'~') {
                        i += 1;
                    }
                    w.ascii_run(raw, start, i);
                    continue;
                }
                b' ' | b'\t' => w.note_space(i),
                b'\n' | 0x0B | 0x0C => w.note_newline(i, 1),
                b'\r' => {
                    w.note_newline(i, 1);
                    if bytes.get(i + 1) == Some(&b'\n') {
                        i += 1;
                    }
                }
                _ => {} // other C0 controls and DEL are dropped
            }
            i += 1;
            continue;
        }
        let Some(c) = raw[i..].chars().next() else {
            break;
        };
        let len = c.len_utf8();
        match classify(c) {
            Class::Delete => {}
            Class::Space => w.note_space(i),
            Class::Newline(n) => w.note_newline(i, n),
            Class::Hyphen => w.hyphen(i, len),
            Class::Keep => w.keep(c, i, len),
        }
        i += len;
    }
    w.flush_run();
    Normalized {
        text: w.out,
        offsets: w.map,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn norm(s: &str) -> String {
        normalize(s).text
    }

    /// Every visible output character that was copied (not replaced or recomposed) is
    /// found in the input at its mapped offset.
    fn check_alignment(raw: &str) {
        let n = normalize(raw);
        for (i, c) in n.text.char_indices() {
            let o = n.offsets.to_original(i);
            let rest = raw
                .get(o..)
                .unwrap_or_else(|| panic!("offset {o} of {i} not a boundary"));
            match c {
                ' ' => assert!(rest.starts_with(char::is_whitespace), "{raw:?} {i}"),
                '\n' => {}
                '-' => assert!(
                    rest.starts_with(['-', '\u{2010}', '\u{2011}']),
                    "{raw:?} {i} {rest:?}"
                ),
                // A recomposed character (NFC of "a" + U+0301) starts where its base did.
                c => assert!(
                    rest.starts_with(c)
                        || rest.chars().next()
                            == unicode_normalization::UnicodeNormalization::nfd(
                                c.encode_utf8(&mut [0; 4]) as &str
                            )
                            .next(),
                    "{raw:?}: {c:?} at {i} → {o}: {rest:?}"
                ),
            }
        }
    }

    /// Found by the property test once combining marks met curly quotes: a character
    /// after a recomposed one mapped into the combining mark.
    #[test]
    fn characters_after_a_recomposition_keep_their_offsets() {
        let n = normalize("a\u{301}“x”");
        assert_eq!(n.text, "á“x”");
        assert_eq!(n.offsets.to_original(2), 3);
        check_alignment("a\u{301}“x”");
        check_alignment("\u{1100}\u{1161}’s e\u{301}—");
    }

    #[test]
    fn ascii_text_is_unchanged_with_identity_map() {
        let n = normalize("Talks ended in London.");
        assert_eq!(n.text, "Talks ended in London.");
        assert!(n.offsets.is_empty());
    }

    #[test]
    fn line_endings_become_lf() {
        assert_eq!(norm("a\r\nb\rc\nd"), "a\nb\nc\nd");
        assert_eq!(norm("a\r\n\r\nb"), "a\n\nb");
        check_alignment("a\r\nb\rc\nd");
    }

    #[test]
    fn unicode_spaces_become_one_space() {
        assert_eq!(
            norm("a\u{a0}b\u{2009}c\u{202f}d\u{205f}e\u{3000}f"),
            "a b c d e f"
        );
        assert_eq!(norm("a \t\u{a0} b"), "a b");
        check_alignment("a\u{a0}b\u{2009}c \t d");
    }

    #[test]
    fn zero_width_and_soft_hyphen_are_removed() {
        assert_eq!(
            norm("\u{feff}Kre\u{ad}mlin\u{200b} said\u{2060}"),
            "Kremlin said"
        );
        assert_eq!(norm("a\u{200c}b\u{200d}c\u{200e}d"), "abcd");
        check_alignment("\u{feff}Kre\u{ad}mlin\u{200b} said");
    }

    #[test]
    fn unicode_hyphens_become_ascii() {
        assert_eq!(
            norm("pro\u{2010}Russian non\u{2011}stop"),
            "pro-Russian non-stop"
        );
        check_alignment("pro\u{2010}Russian non\u{2011}stop");
    }

    #[test]
    fn quotes_and_dashes_are_kept() {
        let s = "“Peace” – he said — ‘now’";
        assert_eq!(norm(s), s);
        check_alignment(s);
    }

    #[test]
    fn control_characters_are_removed() {
        assert_eq!(norm("a\u{0}b\u{7}c\u{7f}d\u{9c}e"), "abcde");
        assert_eq!(norm("a\tb"), "a b");
    }

    #[test]
    fn lines_are_trimmed_and_trailing_spaces_dropped() {
        assert_eq!(
            norm("  first line   \n   second\t \n"),
            "first line\nsecond"
        );
    }

    #[test]
    fn paragraphs_are_separated_by_one_blank_line() {
        assert_eq!(norm("one\n\n\n\ntwo"), "one\n\ntwo");
        assert_eq!(norm("one\n  \n\t\ntwo\nthree"), "one\n\ntwo\nthree");
        assert_eq!(norm("one\u{2029}two"), "one\n\ntwo");
        assert_eq!(norm("\n\n  one  \n\n"), "one");
    }

    #[test]
    fn nfc_composes_decomposed_text() {
        let n = normalize("Cafe\u{301} in Ko\u{308}ln");
        assert_eq!(n.text, "Café in Köln");
        // "é" starts where the "e" was; "in" is aligned again after it.
        assert_eq!(n.offsets.to_original(3), 3);
        let i = n.text.find("in").unwrap();
        assert_eq!(
            &"Cafe\u{301} in Ko\u{308}ln"[n.offsets.to_original(i)..][..2],
            "in"
        );
        assert!(unicode_normalization::is_nfc(&n.text));
    }

    #[test]
    fn nfc_across_deleted_characters() {
        assert_eq!(norm("e\u{200b}\u{301}"), "é");
        assert_eq!(norm("\u{1100}\u{1161}"), "\u{ac00}");
    }

    #[test]
    fn non_latin_text_is_aligned() {
        let s = "Київ\u{a0}— Зеленський сказав.\r\n\r\nقال الرئيس 👍🏽 ok";
        assert_eq!(norm(s), "Київ — Зеленський сказав.\n\nقال الرئيس 👍🏽 ok");
        check_alignment(s);
    }

    #[test]
    fn original_range_covers_replaced_characters() {
        let raw = "a\u{2010}b";
        let n = normalize(raw);
        assert_eq!(n.text, "a-b");
        assert_eq!(n.original_range(1, 2), 1..4);
        assert_eq!(n.original_range(0, 3), 0..raw.len());
    }

    #[test]
    fn empty_and_blank_inputs() {
        assert_eq!(norm(""), "");
        assert_eq!(norm(" \n\t\r\n\u{a0}\u{200b}"), "");
    }

    fn decomposed_text() -> impl Strategy<Value = String> {
        let pieces = prop::sample::select(vec![
            "e", "\u{301}", "\u{308}", "\u{323}", "o", " ", "\u{1100}", "\u{1161}", "\u{11a8}",
            "\u{344}", "\u{2126}", "\u{200b}", "\u{2010}", "\n", "\u{2029}", "Å", "x",
        ]);
        prop::collection::vec(pieces, 0..30).prop_map(|v| v.concat())
    }

    fn nice_text() -> impl Strategy<Value = String> {
        let pieces = prop::sample::select(
            vec![
                "a", "Kyiv", "U.S.", " ", "  ", "\t", "\n", "\r\n", "\r", "\n\n\n", "\u{a0}",
                "\u{2009}", "\u{200b}", "\u{feff}", "\u{ad}", "\u{2010}", "“", "”", "’", "—",
                "Київ", "قال", "👍", "\u{7}", "-", "3.5", "\u{2029}", "\u{3000}",
            ]
            .into_iter()
            .chain(sitrep_core::testing::HOSTILE_PIECES.iter().copied())
            .collect::<Vec<_>>(),
        );
        prop::collection::vec(pieces, 0..40).prop_map(|v| v.concat())
    }

    proptest! {
        #[test]
        fn never_panics_and_map_is_monotone(raw in any::<String>()) {
            let n = normalize(&raw);
            let mut prev = 0;
            for i in 0..=n.text.len() {
                let o = n.offsets.to_original(i);
                prop_assert!(o >= prev, "not monotone at {}", i);
                prop_assert!(o <= raw.len(), "out of bounds at {}", i);
                prev = o;
            }
            for (i, _) in n.text.char_indices() {
                let o = n.offsets.to_original(i);
                prop_assert!(raw.is_char_boundary(o), "char {} maps inside a character", i);
            }
            prop_assert!(unicode_normalization::is_nfc(&n.text));
            prop_assert_eq!(n.text.trim(), n.text.as_str());
            prop_assert!(!n.text.contains("\n\n\n"));
            prop_assert!(!n.text.contains("  "));
        }

        #[test]
        fn recomposed_text_stays_monotone_and_nfc(raw in decomposed_text()) {
            let n = normalize(&raw);
            let mut prev = 0;
            for i in 0..=n.text.len() {
                let o = n.offsets.to_original(i);
                prop_assert!(o >= prev && o <= raw.len());
                prev = o;
            }
            for (i, _) in n.text.char_indices() {
                prop_assert!(raw.is_char_boundary(n.offsets.to_original(i)));
            }
            prop_assert!(unicode_normalization::is_nfc(&n.text));
            prop_assert_eq!(normalize(&n.text).text, n.text.clone());
        }

        #[test]
        fn is_idempotent(raw in any::<String>()) {
            let once = normalize(&raw).text;
            prop_assert_eq!(normalize(&once).text, once.clone());
        }

        #[test]
        fn copied_characters_are_aligned(raw in nice_text()) {
            check_alignment(&raw);
        }
    }
}
