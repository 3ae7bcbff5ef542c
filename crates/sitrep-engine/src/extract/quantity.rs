//! Counts as news writes them: "nine", "2,400", "at least 12", "more than 30",
//! "two dozen", "dozens", "hundreds of thousands", "nearly seven million".
//!
//! The text is kept as written and a range `{min, max}` says what it means: an exact
//! number is `{n, n}`, "at least 12" is `{12, null}`, "dozens" is `{24, null}`,
//! "up to 40" is `{null, 40}`, "about 50" is `{50, 50}` (approximate but not a bound).

use std::sync::OnceLock;

use crate::walk;
use sitrep_core::record::Quantity;

/// A quantity found at the start of a piece of text, with its length in bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Parsed {
    /// The range and the text.
    pub quantity: Quantity,
    /// Bytes of the input the quantity took, from its start.
    pub len: usize,
}

const UNITS: [(&str, u64); 20] = [
    ("zero", 0),
    ("one", 1),
    ("two", 2),
    ("three", 3),
    ("four", 4),
    ("five", 5),
    ("six", 6),
    ("seven", 7),
    ("eight", 8),
    ("nine", 9),
    ("ten", 10),
    ("eleven", 11),
    ("twelve", 12),
    ("thirteen", 13),
    ("fourteen", 14),
    ("fifteen", 15),
    ("sixteen", 16),
    ("seventeen", 17),
    ("eighteen", 18),
    ("nineteen", 19),
];

const TENS: [(&str, u64); 8] = [
    ("twenty", 20),
    ("thirty", 30),
    ("forty", 40),
    ("fifty", 50),
    ("sixty", 60),
    ("seventy", 70),
    ("eighty", 80),
    ("ninety", 90),
];

const SCALES: [(&str, u64); 4] = [
    ("hundred", 100),
    ("thousand", 1_000),
    ("million", 1_000_000),
    ("billion", 1_000_000_000),
];

/// Vague plurals and the lower bound they imply.
const VAGUE: [(&str, u64); 8] = [
    ("dozens", 24),
    ("scores", 40),
    ("hundreds", 200),
    ("thousands", 2_000),
    ("tens of thousands", 20_000),
    ("hundreds of thousands", 200_000),
    ("millions", 2_000_000),
    ("several", 3),
];

/// Words before a number that turn it into a bound.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Bound {
    Exact,
    AtLeast,
    AtMost,
}

const MODIFIERS: [(&str, Bound); 14] = [
    ("at least", Bound::AtLeast),
    ("more than", Bound::AtLeast),
    ("over", Bound::AtLeast),
    ("upwards of", Bound::AtLeast),
    ("no fewer than", Bound::AtLeast),
    ("at most", Bound::AtMost),
    ("up to", Bound::AtMost),
    ("fewer than", Bound::AtMost),
    ("less than", Bound::AtMost),
    ("nearly", Bound::AtMost),
    ("almost", Bound::AtMost),
    ("about", Bound::Exact),
    ("around", Bound::Exact),
    ("some", Bound::Exact),
];

/// Parses a quantity at the start of `text` (leading spaces not allowed). Returns
/// `None` when `text` does not begin with one.
pub fn parse_quantity(text: &str) -> Option<Parsed> {
    if !may_start_quantity(text) {
        return None;
    }
    let mut pos = 0;
    let mut bound = Bound::Exact;
    for (words, b) in MODIFIERS {
        if let Some(after) = starts_with_word(text, words) {
            bound = b;
            pos = skip_spaces(text, after);
            break;
        }
    }
    let (low, strict, len) = parse_amount(walk::after(text, pos))?;
    let end = pos + len;
    let written = walk::before(text, end).to_owned();
    let (min, max) = match (bound, strict) {
        (_, true) => (Some(low), None),
        (Bound::Exact, false) => (Some(low), Some(low)),
        // "more than 30" keeps 30 as its lower bound, as news readers (and our gold
        // convention) take it: the figure stated, not one more.
        (Bound::AtLeast, false) => (Some(low), None),
        (Bound::AtMost, false) => (None, Some(low)),
    };
    Some(Parsed {
        quantity: Quantity {
            min,
            max,
            text: written,
        },
        len: end,
    })
}

/// A number in digits or words, or a vague plural; returns (value, is_lower_bound, len).
fn parse_amount(text: &str) -> Option<(u64, bool, usize)> {
    for (words, low) in VAGUE.iter().rev() {
        if let Some(after) = starts_with_word(text, words) {
            return Some((*low, true, after));
        }
    }
    if let Some(after) =
        starts_with_word(text, "a dozen").or_else(|| starts_with_word(text, "dozen"))
    {
        return Some((12, false, after));
    }
    let (mut value, mut len) = parse_digits(text).or_else(|| parse_words(text))?;
    // "two dozen", "3 million", "1.5 million"
    let rest = skip_spaces(text, len);
    if let Some(after) = starts_with_word(walk::after(text, rest), "dozen") {
        value *= 12;
        len = rest + after;
    } else {
        for (word, scale) in SCALES.iter().skip(1) {
            if let Some(after) = starts_with_word(walk::after(text, rest), word) {
                value = value.saturating_mul(*scale);
                len = rest + after;
                break;
            }
        }
    }
    Some((value, false, len))
}

/// Digits with optional thousands separators and a decimal part scaled later.
fn parse_digits(text: &str) -> Option<(u64, usize)> {
    let bytes = text.as_bytes();
    if !bytes.first()?.is_ascii_digit() {
        return None;
    }
    let mut value: u64 = 0;
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if b.is_ascii_digit() {
            value = value.saturating_mul(10).saturating_add(u64::from(b - b'0'));
            i += 1;
        } else if b == b','
            && bytes
                .get(i + 1..i + 4)
                .is_some_and(|d| d.iter().all(u8::is_ascii_digit))
            && !bytes.get(i + 4).is_some_and(u8::is_ascii_digit)
        {
            i += 1;
        } else {
            break;
        }
    }
    // A decimal part ("1.5 million") is kept as text; the value rounds down.
    if bytes.get(i) == Some(&b'.') && bytes.get(i + 1).is_some_and(u8::is_ascii_digit) {
        let start = i + 1;
        let mut j = start;
        while j < bytes.len() && bytes[j].is_ascii_digit() {
            j += 1;
        }
        let rest = skip_spaces(text, j);
        for (word, scale) in SCALES.iter().skip(1) {
            if starts_with_word(walk::after(text, rest), word).is_some() {
                let frac: f64 = walk::slice(text, i, j).parse().unwrap_or(0.0);
                // Returned value is pre-scaled by the caller; fold the fraction in now.
                let whole = value as f64 + frac;
                return Some(((whole * *scale as f64) as u64 / scale, j));
            }
        }
        return Some((value, j));
    }
    if i > 0 && bytes.get(i).is_some_and(|b| b.is_ascii_alphabetic()) {
        return None; // "3rd", "24h": not a count
    }
    Some((value, i))
}

/// A quick test that rejects most words before the full parse (which callers try at
/// every word): a quantity begins with a digit or with the first word of one of the
/// tables above, and `starts_with_word` needs that word to end where the leading run of
/// letters and digits ends.
fn may_start_quantity(text: &str) -> bool {
    let bytes = text.as_bytes();
    let run = bytes
        .iter()
        .position(|b| !b.is_ascii_alphanumeric())
        .unwrap_or(bytes.len());
    let first = &bytes[..run];
    let Some(&b0) = first.first() else {
        return false;
    };
    if b0.is_ascii_digit() {
        return true;
    }
    quantity_starters()
        .iter()
        .any(|w| w.as_bytes().eq_ignore_ascii_case(first))
}

/// The words a spelled-out quantity can begin with, gathered once from the tables.
fn quantity_starters() -> &'static [&'static str] {
    static STARTERS: OnceLock<Vec<&'static str>> = OnceLock::new();
    STARTERS.get_or_init(|| {
        let first_word = |w: &'static str| w.split(' ').next().unwrap_or(w);
        let mut all: Vec<&'static str> = MODIFIERS
            .iter()
            .map(|(w, _)| first_word(w))
            .chain(VAGUE.iter().map(|(w, _)| first_word(w)))
            .chain(["a", "dozen"])
            .chain(UNITS.iter().chain(TENS.iter()).map(|(w, _)| *w))
            .collect();
        all.sort_unstable();
        all.dedup();
        all
    })
}

/// Number words up to the thousands: "nine", "twenty-one", "one hundred and five".
fn parse_words(text: &str) -> Option<(u64, usize)> {
    let mut total: u64 = 0;
    let mut current: u64 = 0;
    let mut pos = 0;
    let mut any = false;
    loop {
        let here = skip_spaces(text, pos);
        let rest = walk::after(text, here);
        if any {
            if let Some(after) = starts_with_word(rest, "and") {
                let next = skip_spaces(text, here + after);
                if word_value(walk::after(text, next)).is_some() {
                    pos = next;
                    continue;
                }
            }
        }
        if let Some((v, len)) = word_value(rest) {
            current += v;
            pos = here + len;
            any = true;
            if rest.as_bytes().get(len) == Some(&b'-') {
                if let Some((u, ulen)) = word_value(walk::after(rest, len + 1)) {
                    current += u;
                    pos = here + len + 1 + ulen;
                }
            }
            continue;
        }
        if any {
            if let Some(after) = starts_with_word(rest, "hundred") {
                current = current.max(1) * 100;
                pos = here + after;
                continue;
            }
            if let Some(after) = starts_with_word(rest, "thousand") {
                total += current.max(1) * 1_000;
                current = 0;
                pos = here + after;
                continue;
            }
        }
        break;
    }
    any.then_some((total + current, pos))
}

fn word_value(text: &str) -> Option<(u64, usize)> {
    for (word, v) in TENS.iter().chain(UNITS.iter()) {
        if let Some(after) = starts_with_word(text, word) {
            return Some((*v, after));
        }
    }
    // "a hundred", "a thousand"
    if let Some(after) = starts_with_word(text, "a") {
        let next = skip_spaces(text, after);
        if starts_with_word(walk::after(text, next), "hundred").is_some()
            || starts_with_word(walk::after(text, next), "thousand").is_some()
        {
            return Some((1, after));
        }
    }
    None
}

/// If `text` begins with `words` (ASCII case-insensitive) followed by a non-letter,
/// returns the byte length matched.
fn starts_with_word(text: &str, words: &str) -> Option<usize> {
    let n = words.len();
    let head = text.as_bytes().get(..n)?;
    if !head.eq_ignore_ascii_case(words.as_bytes()) {
        return None;
    }
    match text.as_bytes().get(n) {
        Some(b) if b.is_ascii_alphanumeric() => None,
        _ => Some(n),
    }
}

fn skip_spaces(text: &str, mut pos: usize) -> usize {
    let bytes = text.as_bytes();
    while pos < bytes.len() && bytes[pos] == b' ' {
        pos += 1;
    }
    pos
}

#[cfg(test)]
mod tests {
    use super::*;

    fn q(text: &str) -> (Option<u64>, Option<u64>, String) {
        let p = parse_quantity(text).unwrap_or_else(|| panic!("no quantity in {text:?}"));
        (p.quantity.min, p.quantity.max, p.quantity.text)
    }

    #[test]
    fn exact_numbers_in_digits_and_words() {
        assert_eq!(q("nine people"), (Some(9), Some(9), "nine".into()));
        assert_eq!(q("2,400 homes"), (Some(2400), Some(2400), "2,400".into()));
        assert_eq!(
            q("twenty-one soldiers"),
            (Some(21), Some(21), "twenty-one".into())
        );
        assert_eq!(
            q("one hundred and five"),
            (Some(105), Some(105), "one hundred and five".into())
        );
        assert_eq!(q("two dozen"), (Some(24), Some(24), "two dozen".into()));
        assert_eq!(q("a dozen"), (Some(12), Some(12), "a dozen".into()));
        assert_eq!(
            q("3 million"),
            (Some(3_000_000), Some(3_000_000), "3 million".into())
        );
    }

    #[test]
    fn bounds_and_vague_amounts() {
        assert_eq!(
            q("at least 12 were"),
            (Some(12), None, "at least 12".into())
        );
        assert_eq!(q("more than 30"), (Some(30), None, "more than 30".into()));
        assert_eq!(q("More than 30"), (Some(30), None, "More than 30".into()));
        assert_eq!(q("Over 1,000"), (Some(1000), None, "Over 1,000".into()));
        assert_eq!(q("up to 40"), (None, Some(40), "up to 40".into()));
        assert_eq!(q("dozens of"), (Some(24), None, "dozens".into()));
        assert_eq!(
            q("hundreds of thousands of"),
            (Some(200_000), None, "hundreds of thousands".into())
        );
        assert_eq!(
            q("nearly seven million"),
            (None, Some(7_000_000), "nearly seven million".into())
        );
    }

    #[test]
    fn not_quantities() {
        assert!(parse_quantity("none").is_none());
        assert!(parse_quantity("3rd brigade").is_none());
        assert!(parse_quantity("another").is_none());
        assert!(parse_quantity("").is_none());
    }
}
