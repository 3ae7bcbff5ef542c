//! Bytes to text: binary rejection, encoding detection and decoding.
//!
//! Strategy, in order: a byte-order mark (UTF-8, UTF-16LE/BE) decides; otherwise valid
//! UTF-8 is taken as UTF-8; otherwise a charset declared in the first KiB (`<meta
//! charset>`, `<?xml encoding?>`) is used if `encoding_rs` knows it; otherwise
//! `chardetng` guesses (typically Windows-1252 for Western news) and `encoding_rs`
//! decodes. Decoding never guesses twice: the result is the text or an error.
use encoding_rs::{Encoding, UTF_16BE, UTF_16LE, UTF_8};

use crate::ReadError;

/// How many leading bytes the binary check and the charset sniffing look at.
const SNIFF_LEN: usize = 8 * 1024;

/// Decodes `bytes` to text, rejecting binary and empty input.
pub(crate) fn decode(bytes: &[u8]) -> Result<String, ReadError> {
    let bom = Encoding::for_bom(bytes);
    if bom.is_none() && looks_binary(bytes) {
        return Err(ReadError::Binary);
    }
    let text = match bom {
        Some((enc, bom_len)) => decode_with(enc, &bytes[bom_len..])?,
        None => match std::str::from_utf8(bytes) {
            Ok(s) => s.to_owned(),
            Err(_) => {
                let enc = declared_charset(bytes).unwrap_or_else(|| guess(bytes));
                decode_with(enc, bytes)?
            }
        },
    };
    if text.trim().is_empty() {
        return Err(ReadError::Empty);
    }
    Ok(text)
}

fn decode_with(enc: &'static Encoding, bytes: &[u8]) -> Result<String, ReadError> {
    let (text, had_errors) = enc.decode_without_bom_handling(bytes);
    if had_errors {
        // A few broken bytes are tolerated (replaced by U+FFFD); a mostly broken
        // decode means the encoding is wrong and the text would be garbage.
        let total = text.chars().count().max(1);
        let bad = text.chars().filter(|&c| c == '\u{FFFD}').count();
        if bad * 100 > total {
            return Err(ReadError::Encoding(format!(
                "{bad} of {total} characters are not valid {}",
                enc.name()
            )));
        }
    }
    if (enc == UTF_16LE || enc == UTF_16BE) && text.contains('\0') {
        return Err(ReadError::Binary);
    }
    Ok(text.into_owned())
}

/// NUL bytes, or more than 10% control characters other than whitespace, in the first
/// 8 KiB.
pub(crate) fn looks_binary(bytes: &[u8]) -> bool {
    let head = &bytes[..bytes.len().min(SNIFF_LEN)];
    if head.contains(&0) {
        return true;
    }
    let controls = head
        .iter()
        .filter(|&&b| (b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r' | 0x0c | 0x1b)) || b == 0x7f)
        .count();
    controls * 10 > head.len()
}

fn guess(bytes: &[u8]) -> &'static Encoding {
    let mut detector = chardetng::EncodingDetector::new();
    detector.feed(bytes, true);
    detector.guess(None, true)
}

/// A charset named by `<meta charset=…>`, `<meta http-equiv … content="…; charset=…">`
/// or `<?xml … encoding="…"?>` in the first KiB. UTF-16 labels are ignored: without a
/// BOM such a declaration in ASCII-compatible bytes is wrong.
fn declared_charset(bytes: &[u8]) -> Option<&'static Encoding> {
    let head = &bytes[..bytes.len().min(1024)];
    let lower: Vec<u8> = head.to_ascii_lowercase();
    for key in [&b"charset="[..], &b"encoding="[..]] {
        if let Some(pos) = find(&lower, key) {
            let rest = &lower[pos + key.len()..];
            let rest = rest
                .strip_prefix(b"\"")
                .or_else(|| rest.strip_prefix(b"'"))
                .unwrap_or(rest);
            let end = rest
                .iter()
                .position(|b| {
                    !(b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b':' | b'.'))
                })
                .unwrap_or(rest.len());
            if let Some(enc) = Encoding::for_label(&rest[..end]) {
                if enc != UTF_16LE && enc != UTF_16BE && enc != UTF_8 {
                    return Some(enc);
                }
            }
        }
    }
    None
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn windows_1252_curly_quotes() {
        let bytes = b"The minister said \x93we will talk\x94 \x96 and left. Caf\xe9 closed.";
        let text = decode(bytes).unwrap();
        assert!(
            text.contains("\u{201C}we will talk\u{201D} \u{2013} and"),
            "{text}"
        );
        assert!(text.contains("Caf\u{e9}"));
    }

    #[test]
    fn utf16_with_bom() {
        let s = "Kyiv \u{2014} talks resumed.";
        let mut le = vec![0xFF, 0xFE];
        le.extend(s.encode_utf16().flat_map(u16::to_le_bytes));
        assert_eq!(decode(&le).unwrap(), s);
        let mut be = vec![0xFE, 0xFF];
        be.extend(s.encode_utf16().flat_map(u16::to_be_bytes));
        assert_eq!(decode(&be).unwrap(), s);
    }

    #[test]
    fn utf8_bom_is_dropped() {
        assert_eq!(decode(b"\xEF\xBB\xBFhello").unwrap(), "hello");
    }

    #[test]
    fn declared_charset_wins_over_guess() {
        let bytes = b"<html><head><meta charset=\"iso-8859-2\"></head><body>\xb1</body></html>";
        let text = decode(bytes).unwrap();
        assert!(text.contains('\u{105}'), "{text}"); // ą in Latin-2
    }

    #[test]
    fn binary_and_empty_rejected() {
        assert!(matches!(
            decode(b"PK\x03\x04\x00\x00junk"),
            Err(ReadError::Binary)
        ));
        let controls: Vec<u8> = (0..200u8).map(|i| i % 8 + 1).collect();
        assert!(matches!(decode(&controls), Err(ReadError::Binary)));
        assert!(matches!(decode(b""), Err(ReadError::Empty)));
        assert!(matches!(decode(b" \n\t \r\n"), Err(ReadError::Empty)));
        assert!(matches!(decode(&[0xFF, 0xFE]), Err(ReadError::Empty)));
    }
}
