//! How alike two texts or names are: the pure measures behind the merge step.
//!
//! * [`fold`] puts a name in the form two spellings of it share ("Al-Shifa" and
//!   "al shifa").
//! * [`WordSet`] and [`overlap`] compare short texts (quotes, claim gists) by their
//!   words, so that one outlet's trimmed or re-punctuated quote still meets another's.
//! * [`MinHash`] estimates how much two documents share (their word 5-shingles) in
//!   64 numbers, and [`MinHash::bands`] gives the locality-sensitive keys under which
//!   near-duplicates meet without comparing every pair.
//! * [`key`] turns a blocking key (`"event|UA|2025-05-13"`) into the integer the
//!   `fact_keys` table is indexed by.

/// Lowercase letters and digits of `name`, words joined by one space: punctuation,
/// hyphens and case do not tell two spellings apart.
pub fn fold(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    for word in name
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
    {
        if !out.is_empty() {
            out.push(' ');
        }
        if word.is_ascii() {
            // Most words: lowercase the bytes in place of a per-character iterator.
            let start = out.len();
            out.push_str(word);
            out[start..].make_ascii_lowercase();
        } else {
            out.extend(word.chars().flat_map(char::to_lowercase));
        }
    }
    out
}

/// The distinct folded words of a text, each as a 64-bit hash, for [`overlap`]. Kept
/// sorted, so that two sets are compared in one pass with no allocation: the merge
/// compares a new claim with every claim of its source over a week.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WordSet(Vec<u64>);

impl WordSet {
    /// The words of `text` (an empty text is one empty word).
    pub fn of(text: &str) -> WordSet {
        let mut words: Vec<u64> = fold(text).split(' ').map(|w| fnv(w.as_bytes())).collect();
        words.sort_unstable();
        words.dedup();
        WordSet(words)
    }

    /// How many distinct words it holds.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether it holds no word.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// How many words both sets hold.
    fn shared(&self, other: &WordSet) -> usize {
        let (mut i, mut j, mut shared) = (0, 0, 0);
        while let (Some(a), Some(b)) = (self.0.get(i), other.0.get(j)) {
            match a.cmp(b) {
                std::cmp::Ordering::Less => i += 1,
                std::cmp::Ordering::Greater => j += 1,
                std::cmp::Ordering::Equal => {
                    shared += 1;
                    i += 1;
                    j += 1;
                }
            }
        }
        shared
    }
}

/// How much two word sets share, as the larger of Jaccard and containment in the
/// smaller set (a quote cut short by one outlet is contained in the longer one).
/// Returns `(jaccard, containment)`.
pub fn overlap(a: &WordSet, b: &WordSet) -> (f64, f64) {
    if a.is_empty() || b.is_empty() {
        return (0.0, 0.0);
    }
    let shared = a.shared(b) as f64;
    let union = (a.len() + b.len()) as f64 - shared;
    (shared / union, shared / a.len().min(b.len()) as f64)
}

/// A stable 64-bit hash (FNV-1a) as the signed integer SQLite stores.
pub fn key(text: &str) -> i64 {
    i64::from_ne_bytes(fnv(text.as_bytes()).to_ne_bytes())
}

fn fnv(bytes: &[u8]) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for &b in bytes {
        hash ^= u64::from(b);
        hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
    }
    hash
}

/// Hashes of the runs of `n` consecutive folded words of `text` (all of them, or one
/// for a text shorter than `n` words).
pub fn shingles(text: &str, n: usize) -> Vec<u64> {
    let folded = fold(text);
    let words: Vec<&str> = folded.split(' ').filter(|w| !w.is_empty()).collect();
    if words.is_empty() {
        return Vec::new();
    }
    if words.len() <= n {
        return vec![fnv(folded.as_bytes())];
    }
    words
        .windows(n)
        .map(|run| {
            let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
            for word in run {
                for &b in word.as_bytes() {
                    hash ^= u64::from(b);
                    hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
                }
                hash ^= u64::from(b' ');
                hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
            }
            hash
        })
        .collect()
}

/// The keys a short text is filed and found under: the hashes of its runs of `n` words
/// that fall in a fixed quarter of the hash space (chosen by content, so a text cut at
/// either end keeps the keys of the part that remains), and at least the three
/// smallest hashes for a short text.
pub fn sampled_shingles(text: &str, n: usize) -> Vec<i64> {
    let mut all = shingles(text, n);
    all.sort_unstable();
    all.dedup();
    let mut keys: Vec<u64> = all.iter().copied().filter(|h| h % 4 == 0).collect();
    if keys.len() < 3 {
        keys = all.iter().copied().take(3).collect();
    }
    keys.into_iter()
        .map(|h| i64::from_ne_bytes(h.to_ne_bytes()))
        .collect()
}

/// Number of hash functions in a [`MinHash`] signature.
pub const MINHASH_SIZE: usize = 64;
/// Rows per locality-sensitive band: 16 bands of 4 rows make two documents that share
/// 80% of their shingles meet in some band with probability ~0.9996, and two that share
/// 30% only ~0.12.
const BAND_ROWS: usize = 4;

/// The MinHash signature of a document's word 5-shingles.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MinHash(pub [u32; MINHASH_SIZE]);

impl MinHash {
    /// The signature of `text`; `None` for a text too short to compare (under 20
    /// words), which can be a duplicate only byte for byte.
    pub fn of(text: &str) -> Option<MinHash> {
        let shingles = shingles(text, 5);
        if shingles.len() < 16 {
            return None;
        }
        let mut sig = [u32::MAX; MINHASH_SIZE];
        for s in shingles {
            // One 64-bit hash, remixed per function: (s ^ seed_i) through a multiply-
            // xorshift finaliser, the high half kept.
            for (i, slot) in sig.iter_mut().enumerate() {
                let mut x = s ^ SEEDS[i];
                x ^= x >> 33;
                x = x.wrapping_mul(0xff51_afd7_ed55_8ccd);
                x ^= x >> 33;
                let h = (x >> 32) as u32;
                if h < *slot {
                    *slot = h;
                }
            }
        }
        Some(MinHash(sig))
    }

    /// The estimated Jaccard similarity of the two documents' shingle sets.
    pub fn similarity(&self, other: &MinHash) -> f64 {
        let same = self.0.iter().zip(&other.0).filter(|(a, b)| a == b).count();
        same as f64 / MINHASH_SIZE as f64
    }

    /// One key per band of [`BAND_ROWS`] values, the band's index mixed in.
    pub fn bands(&self) -> Vec<i64> {
        self.0
            .chunks(BAND_ROWS)
            .enumerate()
            .map(|(band, rows)| {
                let mut bytes = Vec::with_capacity(1 + 4 * BAND_ROWS);
                bytes.push(band as u8);
                for r in rows {
                    bytes.extend_from_slice(&r.to_le_bytes());
                }
                i64::from_ne_bytes(fnv(&bytes).to_ne_bytes())
            })
            .collect()
    }

    /// The signature as bytes, for a BLOB column.
    pub fn to_bytes(&self) -> Vec<u8> {
        self.0.iter().flat_map(|v| v.to_le_bytes()).collect()
    }

    /// A signature read back from [`MinHash::to_bytes`]; `None` when the length is wrong.
    pub fn from_bytes(bytes: &[u8]) -> Option<MinHash> {
        if bytes.len() != 4 * MINHASH_SIZE {
            return None;
        }
        let mut sig = [0u32; MINHASH_SIZE];
        for (slot, chunk) in sig.iter_mut().zip(bytes.chunks_exact(4)) {
            *slot = u32::from_le_bytes([chunk[0], chunk[1], chunk[2], chunk[3]]);
        }
        Some(MinHash(sig))
    }
}

/// Fixed seeds of the 64 hash functions (splitmix64 of 1..=64), so that signatures
/// written by one build compare with those of the next.
const SEEDS: [u64; MINHASH_SIZE] = seeds();

const fn seeds() -> [u64; MINHASH_SIZE] {
    let mut out = [0u64; MINHASH_SIZE];
    let mut state: u64 = 0;
    let mut i = 0;
    while i < MINHASH_SIZE {
        state = state.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = state;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        out[i] = z ^ (z >> 31);
        i += 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folding_ignores_case_hyphens_and_punctuation() {
        assert_eq!(fold("Al-Shifa  Hospital"), "al shifa hospital");
        assert_eq!(fold("Zelenskyy's"), "zelenskyy s");
        assert_eq!(fold("  "), "");
    }

    #[test]
    fn a_trimmed_quote_is_contained_in_the_whole() {
        let whole = WordSet::of("We will not negotiate while our cities are being shelled.");
        let cut = WordSet::of("we will not negotiate while our cities are being shelled");
        let other = WordSet::of("The delegation is ready to travel to Geneva next week.");
        assert_eq!(overlap(&whole, &cut), (1.0, 1.0));
        let (jaccard, contained) = overlap(&whole, &other);
        assert!(jaccard < 0.2 && contained < 0.3, "{jaccard} {contained}");
    }

    #[test]
    fn a_word_set_counts_each_word_once() {
        let talks = WordSet::of("Talks, talks and more talks.");
        assert_eq!(talks.len(), 3);
        assert_eq!(
            overlap(&talks, &WordSet::of("more talks")),
            (2.0 / 3.0, 1.0)
        );
        assert_eq!(WordSet::of("").len(), 1, "an empty text is one empty word");
    }

    #[test]
    fn near_copies_score_high_and_other_texts_low() {
        let base = "Officials in the port city said the overnight attack damaged a grain \
                    terminal and two warehouses, and that firefighters worked until dawn \
                    to put out the blaze while rescuers searched the rubble for anyone \
                    still trapped under the collapsed roof of the main storage hall.";
        let edited = format!("{base} Editor's note: this story was updated.");
        let other = "The foreign ministers met for three hours and agreed to meet again \
                     next month, a spokesman said, adding that the talks had covered \
                     prisoner exchanges, grain shipments and the return of children who \
                     were taken across the border during the first year of the war.";
        let a = MinHash::of(base).unwrap();
        let b = MinHash::of(&edited).unwrap();
        let c = MinHash::of(other).unwrap();
        assert!(a.similarity(&b) > 0.7, "{}", a.similarity(&b));
        assert!(a.similarity(&c) < 0.1, "{}", a.similarity(&c));
        assert!(a.bands().iter().any(|band| b.bands().contains(band)));
        assert_eq!(MinHash::from_bytes(&a.to_bytes()), Some(a));
        assert_eq!(MinHash::of("Too short to compare."), None);
    }

    #[test]
    fn keys_are_stable_across_builds() {
        // A stored key must mean the same thing to the next build.
        assert_eq!(
            key(""),
            i64::from_ne_bytes(0xcbf2_9ce4_8422_2325u64.to_ne_bytes())
        );
        assert_ne!(key("event|UA|2025-05-13"), key("event|UA|2025-05-14"));
    }
}
