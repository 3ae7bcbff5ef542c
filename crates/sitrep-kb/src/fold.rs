//! Key normalisation ("folding") and the tokeniser shared by the KB builder and
//! the matcher, so a name in the KB and the same name in text give the same key.
//!
//! A key is the name's tokens, folded and joined by one space:
//! - a token is a run of letters and digits; combining marks are dropped,
//!   diacritics are removed (`Chérso` → `cherso`), a few letters that do not
//!   decompose are spelled out (`ß` → `ss`, `ł` → `l`, `æ` → `ae`, …), and
//!   everything is lower-cased;
//! - an apostrophe between two letters joins them (`Kharkivs’ka` → `kharkivska`,
//!   `N'Djamena` → `ndjamena`) unless it starts a possessive `'s`, which is split
//!   off (`Russia's` → `russia s`);
//! - any other character (space, hyphen, period, comma, …) separates tokens, so
//!   `U.S.` → `u s`, `Ivano-Frankivsk` → `ivano frankivsk`.

use unicode_normalization::char::{decompose_canonical, is_combining_mark};

/// Fold a name into its KB key (see the module docs). Callers that look names up
/// by hand must use this so their keys match the KB's.
///
/// ```
/// assert_eq!(sitrep_kb::fold("  Khān Yūnis "), "khan yunis");
/// assert_eq!(sitrep_kb::fold("U.S."), "u s");
/// assert_eq!(sitrep_kb::fold("Russia’s"), "russia s");
/// ```
pub fn fold(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    for t in Tokens::new(name) {
        if !out.is_empty() {
            out.push(' ');
        }
        fold_token(&name[t.start..t.end], &mut out);
    }
    out
}

/// Append the folded form of one token's text to `out`.
pub(crate) fn fold_token(tok: &str, out: &mut String) {
    for c in tok.chars() {
        fold_char(c, out);
    }
}

#[inline]
pub(crate) fn fold_char(c: char, out: &mut String) {
    if c.is_ascii() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        }
        return;
    }
    if is_apostrophe(c) || is_combining_mark(c) {
        return;
    }
    if let Some(s) = special(c) {
        out.push_str(s);
        return;
    }
    let mut base = None;
    let mut extra = false;
    decompose_canonical(c, |d| {
        if is_combining_mark(d) {
            return;
        }
        if base.is_none() {
            base = Some(d);
        } else {
            extra = true;
        }
    });
    match base {
        Some(b) if !extra && b != c => fold_char(b, out),
        _ => {
            for l in c.to_lowercase() {
                out.push(l);
            }
        }
    }
}

fn special(c: char) -> Option<&'static str> {
    Some(match c {
        'ß' => "ss",
        'ẞ' => "ss",
        'æ' | 'Æ' => "ae",
        'œ' | 'Œ' => "oe",
        'ø' | 'Ø' => "o",
        'đ' | 'Đ' | 'ð' | 'Ð' => "d",
        'þ' | 'Þ' => "th",
        'ł' | 'Ł' => "l",
        'ı' => "i",
        'ħ' | 'Ħ' => "h",
        'ŧ' | 'Ŧ' => "t",
        'ŀ' | 'Ŀ' => "l",
        'ĸ' => "k",
        'ŋ' | 'Ŋ' => "ng",
        'ſ' => "s",
        _ => return None,
    })
}

/// Apostrophe-like characters that join the letters around them.
#[inline]
pub(crate) fn is_apostrophe(c: char) -> bool {
    matches!(
        c,
        '\'' | '\u{2019}'
            | '\u{2018}'
            | '\u{02BC}'
            | '\u{02BB}'
            | '`'
            | '\u{00B4}'
            | '\u{02BF}'
            | '\u{02BE}'
    )
}

#[inline]
fn is_token_char(c: char) -> bool {
    if c.is_ascii() {
        c.is_ascii_alphanumeric()
    } else {
        c.is_alphanumeric() || is_combining_mark(c)
    }
}

/// A token's byte range in the text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Tok {
    pub start: usize,
    pub end: usize,
}

/// Iterator over the tokens of a text, by the rules in the module docs.
pub(crate) struct Tokens<'a> {
    text: &'a str,
    pos: usize,
}

impl<'a> Tokens<'a> {
    pub fn new(text: &'a str) -> Self {
        Tokens { text, pos: 0 }
    }
}

impl Iterator for Tokens<'_> {
    type Item = Tok;

    fn next(&mut self) -> Option<Tok> {
        let bytes = self.text.as_bytes();
        // skip separators
        let mut start = None;
        let mut i = self.pos;
        while i < bytes.len() {
            let b = bytes[i];
            if b < 0x80 {
                if b.is_ascii_alphanumeric() {
                    start = Some(i);
                    break;
                }
                i += 1;
            } else {
                let c = self.text[i..].chars().next()?;
                if is_token_char(c) && !is_combining_mark(c) {
                    start = Some(i);
                    break;
                }
                i += c.len_utf8();
            }
        }
        let start = start?;
        let mut i = start;
        let mut end = start;
        while i < bytes.len() {
            let b = bytes[i];
            if b < 0x80 {
                if b.is_ascii_alphanumeric() {
                    i += 1;
                    end = i;
                    continue;
                }
                if (b == b'\'' || b == b'`') && self.joins(i, 1) {
                    i += 1;
                    continue;
                }
                break;
            }
            let Some(c) = self.text[i..].chars().next() else {
                break;
            };
            let n = c.len_utf8();
            if is_token_char(c) {
                i += n;
                end = i;
            } else if is_apostrophe(c) && self.joins(i, n) {
                i += n;
            } else {
                break;
            }
        }
        self.pos = end;
        Some(Tok { start, end })
    }
}

impl Tokens<'_> {
    /// Whether the apostrophe at `i` (of `n` bytes) joins the letters around it:
    /// a letter before and after, and not a possessive `'s` at a word's end.
    fn joins(&self, i: usize, n: usize) -> bool {
        let before = self.text[..i].chars().next_back();
        let mut after = self.text[i + n..].chars();
        let a1 = after.next();
        let a2 = after.next();
        let letter = |c: Option<char>| c.is_some_and(|c| c.is_alphabetic());
        if !letter(before) || !letter(a1) {
            return false;
        }
        let possessive = matches!(a1, Some('s') | Some('S')) && !a2.is_some_and(is_token_char);
        !possessive
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn toks(s: &str) -> Vec<&str> {
        Tokens::new(s).map(|t| &s[t.start..t.end]).collect()
    }

    #[test]
    fn folds_diacritics_and_punctuation() {
        assert_eq!(fold("Chérso"), "cherso");
        assert_eq!(fold("Kharkivs’ka Oblast’"), "kharkivska oblast");
        assert_eq!(fold("N'Djamena"), "ndjamena");
        assert_eq!(fold("Ivano-Frankivsk"), "ivano frankivsk");
        assert_eq!(fold("Łódź"), "lodz");
        assert_eq!(fold("Straße"), "strasse");
        assert_eq!(fold("Élysée"), "elysee");
        assert_eq!(fold("Côte d'Ivoire"), "cote divoire");
        assert_eq!(fold("Rafaḩ"), "rafah");
        assert_eq!(fold("Russia's"), "russia s");
        assert_eq!(fold("Ukrainians'"), "ukrainians");
        assert_eq!(fold(""), "");
        assert_eq!(fold("--"), "");
    }

    #[test]
    fn decomposed_input_folds_like_composed() {
        assert_eq!(fold("Che\u{301}rso"), "cherso");
    }

    #[test]
    fn tokens_keep_byte_spans() {
        assert_eq!(
            toks("Kremlin spokesman, Dmitry"),
            ["Kremlin", "spokesman", "Dmitry"]
        );
        assert_eq!(toks("Russia’s army"), ["Russia", "s", "army"]);
        assert_eq!(toks("the U.S. and"), ["the", "U", "S", "and"]);
        assert_eq!(toks("Kharkivs’ka"), ["Kharkivs’ka"]);
        assert_eq!(toks("«Київ»"), ["Київ"]);
    }
}
