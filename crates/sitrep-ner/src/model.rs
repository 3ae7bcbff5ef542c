//! The tagger: quantised weights in an open-addressing table, BIO-constrained Viterbi
//! decoding, and the binary model format.
//!
//! # Model file (little-endian)
//! ```text
//! 0    magic        8 bytes  "SITRNER\0"
//! 8    format       u32      FORMAT_VERSION
//! 12   features     u32      feature-code version (features::FEATURE_VERSION)
//! 16   labels       u32      7
//! 20   rows         u32      n, number of weight rows
//! 24   transitions  8×7 f32  row 0: sentence start → label; row 1+p: label p → label
//! 248  keys         n × u32  feature keys, strictly increasing, non-zero
//!      scales       n × f32  per-row scale
//!      weights      n × 7 i8 weight = i8 × scale
//!      checksum     u64      FNV-1a 64 of every byte before it
//! ```
//! Loading validates every field, then inserts the rows into a hash table sized to twice
//! the row count (one pass, no per-row allocation).

use std::ops::Range;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::OnceLock;

use crate::features::{
    after1_keys, after2_keys, before1_keys, before2_keys, flag_keys, own_keys, tok_info, Extractor,
    TokInfo, FEATURE_VERSION, PAD_AFTER, PAD_BEFORE, PAIR_KEYS,
};
use crate::label::{bio_spans, EntityType, Label};

const MAGIC: &[u8; 8] = b"SITRNER\0";
/// Version of the binary layout described in the module docs.
pub const FORMAT_VERSION: u32 = 1;
const NL: usize = Label::COUNT;
const HEADER: usize = 24 + (NL + 1) * NL * 4;
const ROW_BYTES: usize = 4 + 4 + NL;
/// How many tokens ahead [`Tagger::tag_into`] touches the weight rows it will need.
const LOOKAHEAD: usize = 2;

/// Why a model could not be loaded.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ModelError {
    /// The bytes do not start with the model magic.
    #[error("not a sitrep NER model (bad magic bytes)")]
    BadMagic,
    /// The file is shorter or longer than its header says.
    #[error("model is {actual} bytes, expected {expected}")]
    Length {
        /// Bytes the header implies.
        expected: usize,
        /// Bytes present.
        actual: usize,
    },
    /// Layout version this code cannot read.
    #[error("model format version {found}, this build reads {expected}")]
    FormatVersion {
        /// Version in the file.
        found: u32,
        /// Version this build reads.
        expected: u32,
    },
    /// The model was trained with different feature-extraction code.
    #[error("model was trained with feature version {found}, this build extracts {expected}; retrain it")]
    FeatureVersion {
        /// Version in the file.
        found: u32,
        /// Version this build computes.
        expected: u32,
    },
    /// A label set other than BIO over PER/ORG/LOC.
    #[error("model has {0} labels, expected 7")]
    Labels(u32),
    /// Checksum mismatch: the bytes were damaged.
    #[error("model checksum mismatch (stored {stored:#018x}, computed {computed:#018x})")]
    Checksum {
        /// Checksum stored in the file.
        stored: u64,
        /// Checksum of the bytes read.
        computed: u64,
    },
    /// A field holds an impossible value.
    #[error("corrupt model: {0}")]
    Corrupt(String),
}

/// One weight row in the lookup table: 16 bytes, four per cache line.
#[derive(Debug, Clone, Copy, Default)]
#[repr(C)]
struct Slot {
    key: u32,
    scale: f32,
    w: [i8; NL],
    _pad: u8,
}

/// A trained tagger. Cheap to share (`&Tagger` is `Sync`); tagging takes `&self`.
#[derive(Debug, Clone)]
pub struct Tagger {
    table: Vec<Slot>,
    mask: usize,
    rows: usize,
    trans: [[f32; NL]; NL + 1],
    uses_flags: bool,
    /// What the padding before the first and after the last token adds, as the word
    /// one and two before and one and two after: fixed once the rows are in.
    pads: Pads,
    id: u64,
}

/// Scratch buffers for [`Tagger::tag_into`], reusable across sentences so that tagging
/// a stream of sentences allocates nothing once the buffers have grown.
///
/// They also hold a cache of per-word partial scores for the tagger they were last
/// used with (2.4 MB once grown); using them with another tagger clears it.
#[derive(Debug, Default, Clone)]
pub struct TagBuffers {
    extractor: Extractor,
    keys: Vec<[u32; PAIR_KEYS]>,
    words: Vec<WordScores>,
    cache: Vec<WordScores>,
    /// Own scores of words as the first token of a sentence ([`FIRST_CACHE`]).
    first: Vec<(u64, [f32; NL])>,
    cache_owner: u64,
    emissions: Vec<[f32; NL]>,
    back: Vec<[u8; NL]>,
    path: Vec<u8>,
}

/// Slots of the per-word cache (direct-mapped, 152 bytes each): the common words of
/// news text. On the bench corpus 4,096 slots cut the tagger's time by a fifth, 16,384 by
/// a third, and 65,536 no further.
const WORD_CACHE: usize = 16384;

/// Slots of the cache of first-token own scores (direct-mapped, 36 bytes each): "first
/// in the sentence" is part of three own keys, so a sentence's first word is scored
/// apart from [`WordScores::own`]; few words open most sentences ("The", "He", "“").
const FIRST_CACHE: usize = 1024;

/// The partial scores that depend on one word alone: as the token itself (not first in
/// its sentence), and as each neighbour of a token being scored.
#[derive(Debug, Clone, Copy)]
struct WordScores {
    /// [`TokInfo::word_key`]; 0 marks an empty slot.
    key: u64,
    own: [f32; NL],
    before1: [f32; NL],
    after1: [f32; NL],
    before2: [f32; NL],
    after2: [f32; NL],
}

impl WordScores {
    const EMPTY: WordScores = WordScores {
        key: 0,
        own: [0.0; NL],
        before1: [0.0; NL],
        after1: [0.0; NL],
        before2: [0.0; NL],
        after2: [0.0; NL],
    };
}

/// Scores the padding tokens contribute as neighbours (see [`Tagger::finish`]).
#[derive(Debug, Clone, Copy, Default)]
struct Pads {
    before1: [f32; NL],
    before2: [f32; NL],
    after1: [f32; NL],
    after2: [f32; NL],
}

/// A read-prefetch hint for the cache line holding `slot` (no-op off x86-64).
#[inline(always)]
fn prefetch(slot: &Slot) {
    #[cfg(target_arch = "x86_64")]
    {
        use std::arch::x86_64::{_mm_prefetch, _MM_HINT_T0};
        // SAFETY: prefetching is a hint that never faults or changes memory, and SSE is
        // part of the x86-64 baseline.
        unsafe { _mm_prefetch::<_MM_HINT_T0>((slot as *const Slot).cast::<i8>()) };
    }
    #[cfg(not(target_arch = "x86_64"))]
    let _ = slot;
}

/// Identity of a tagger's weights, so that a cache filled for one tagger is never read
/// for another. Clones share it (same weights); 0 is never given out.
fn next_tagger_id() -> u64 {
    static NEXT: AtomicU64 = AtomicU64::new(1);
    NEXT.fetch_add(1, Ordering::Relaxed)
}

impl TagBuffers {
    /// Empty buffers.
    pub fn new() -> TagBuffers {
        TagBuffers::default()
    }
}

/// A weight row given to [`Tagger::from_rows`]: feature key, scale, quantised weights.
pub type Row = (u32, f32, [i8; NL]);

fn fnv1a64(bytes: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for &b in bytes {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    h
}

fn u32_at(b: &[u8], off: usize) -> u32 {
    let mut w = [0u8; 4];
    w.copy_from_slice(&b[off..off + 4]);
    u32::from_le_bytes(w)
}

fn f32_at(b: &[u8], off: usize) -> f32 {
    f32::from_bits(u32_at(b, off))
}

static EMBEDDED_BYTES: &[u8] = include_bytes!("../../../data/models/ner-en.bin");

impl Tagger {
    /// The English model committed in `data/models/ner-en.bin`, parsed once on first use.
    ///
    /// The weights are derived from UNER English-EWT and are CC BY-SA 4.0 (see
    /// `data/models/NER.md`).
    pub fn embedded() -> Result<&'static Tagger, ModelError> {
        static TAGGER: OnceLock<Result<Tagger, ModelError>> = OnceLock::new();
        TAGGER
            .get_or_init(|| Tagger::from_bytes(EMBEDDED_BYTES))
            .as_ref()
            .map_err(Clone::clone)
    }

    /// Parses and validates a model. Damaged or truncated bytes give an error, never a
    /// panic.
    pub fn from_bytes(bytes: &[u8]) -> Result<Tagger, ModelError> {
        if bytes.len() < 8 || &bytes[..8] != MAGIC {
            return Err(ModelError::BadMagic);
        }
        if bytes.len() < HEADER + 8 {
            return Err(ModelError::Length {
                expected: HEADER + 8,
                actual: bytes.len(),
            });
        }
        let format = u32_at(bytes, 8);
        if format != FORMAT_VERSION {
            return Err(ModelError::FormatVersion {
                found: format,
                expected: FORMAT_VERSION,
            });
        }
        let fv = u32_at(bytes, 12);
        if fv != FEATURE_VERSION {
            return Err(ModelError::FeatureVersion {
                found: fv,
                expected: FEATURE_VERSION,
            });
        }
        let labels = u32_at(bytes, 16);
        if labels as usize != NL {
            return Err(ModelError::Labels(labels));
        }
        let n = u32_at(bytes, 20) as usize;
        let expected = n
            .checked_mul(ROW_BYTES)
            .and_then(|x| x.checked_add(HEADER + 8))
            .ok_or_else(|| ModelError::Corrupt(format!("row count {n} overflows")))?;
        if expected != bytes.len() {
            return Err(ModelError::Length {
                expected,
                actual: bytes.len(),
            });
        }
        let body = &bytes[..bytes.len() - 8];
        let mut sum = [0u8; 8];
        sum.copy_from_slice(&bytes[bytes.len() - 8..]);
        let stored = u64::from_le_bytes(sum);
        let computed = fnv1a64(body);
        if stored != computed {
            return Err(ModelError::Checksum { stored, computed });
        }

        let mut trans = [[0f32; NL]; NL + 1];
        for (r, row) in trans.iter_mut().enumerate() {
            for (c, v) in row.iter_mut().enumerate() {
                *v = f32_at(bytes, 24 + (r * NL + c) * 4);
                if !v.is_finite() {
                    return Err(ModelError::Corrupt(format!(
                        "transition {r}->{c} is not finite"
                    )));
                }
            }
        }
        let keys_off = HEADER;
        let scales_off = keys_off + 4 * n;
        let w_off = scales_off + 4 * n;
        let mut tagger = Tagger::with_capacity(n, trans);
        let mut prev = 0u32;
        for i in 0..n {
            let key = u32_at(bytes, keys_off + 4 * i);
            if key <= prev {
                return Err(ModelError::Corrupt(format!(
                    "feature keys not strictly increasing at row {i}"
                )));
            }
            prev = key;
            let scale = f32_at(bytes, scales_off + 4 * i);
            if !scale.is_finite() || scale < 0.0 {
                return Err(ModelError::Corrupt(format!("row {i} has scale {scale}")));
            }
            let mut w = [0i8; NL];
            for (l, x) in w.iter_mut().enumerate() {
                *x = bytes[w_off + NL * i + l] as i8;
            }
            tagger.insert(key, scale, w);
        }
        tagger.finish();
        Ok(tagger)
    }

    /// Builds a tagger from weight rows and transition scores (`trans[0]` = start row,
    /// `trans[1 + p]` = from label `p`). Rows with key `0` or duplicate keys are rejected.
    pub fn from_rows(rows: &[Row], trans: [[f32; NL]; NL + 1]) -> Result<Tagger, ModelError> {
        let mut t = Tagger::with_capacity(rows.len(), trans);
        for &(key, scale, w) in rows {
            if key == 0 || t.lookup(key).is_some() {
                return Err(ModelError::Corrupt(format!(
                    "key {key} is zero or repeated"
                )));
            }
            if !scale.is_finite() {
                return Err(ModelError::Corrupt(format!("key {key} has scale {scale}")));
            }
            t.insert(key, scale, w);
        }
        t.finish();
        Ok(t)
    }

    fn with_capacity(n: usize, trans: [[f32; NL]; NL + 1]) -> Tagger {
        let cap = (n.max(4) * 2).next_power_of_two();
        Tagger {
            table: vec![Slot::default(); cap],
            mask: cap - 1,
            rows: 0,
            trans,
            uses_flags: false,
            pads: Pads::default(),
            id: next_tagger_id(),
        }
    }

    fn insert(&mut self, key: u32, scale: f32, w: [i8; NL]) {
        let mut i = key as usize & self.mask;
        while self.table[i].key != 0 {
            i = (i + 1) & self.mask;
        }
        self.table[i] = Slot {
            key,
            scale,
            w,
            _pad: 0,
        };
        self.rows += 1;
    }

    #[inline]
    fn lookup(&self, key: u32) -> Option<&Slot> {
        // A slice of exactly `mask + 1` slots: indices masked by `mask` need no bounds
        // check.
        let table = &self.table[..=self.mask];
        let mut i = key as usize & self.mask;
        loop {
            let s = &table[i];
            if s.key == key {
                return Some(s);
            }
            if s.key == 0 {
                return None;
            }
            i = (i + 1) & self.mask;
        }
    }

    /// Asks the CPU to fetch the home slot of every feature key into cache, so that the
    /// misses of tokens ahead overlap with the current token's sums. A hint only: it
    /// neither blocks nor faults.
    #[inline]
    fn touch(&self, feats: &[u32]) {
        let table = &self.table[..=self.mask];
        for &k in feats {
            prefetch(&table[k as usize & self.mask]);
        }
    }

    /// Derived state, once every row is inserted.
    fn finish(&mut self) {
        self.uses_flags = self.has_flag_rows();
        self.pads = Pads {
            before1: self.sum(&before1_keys(&PAD_BEFORE)),
            before2: self.sum(&before2_keys(&PAD_BEFORE)),
            after1: self.sum(&after1_keys(&PAD_AFTER)),
            after2: self.sum(&after2_keys(&PAD_AFTER)),
        };
    }

    fn has_flag_rows(&self) -> bool {
        flag_keys().any(|k| self.lookup(k).is_some())
    }

    /// Whether the model was trained with gazetteer bits ([`crate::flags`]), so that
    /// callers should compute them ([`crate::Gazetteer`]) and pass them to
    /// [`Tagger::tag`]. A model without them ignores any bits passed.
    pub fn uses_flags(&self) -> bool {
        self.uses_flags
    }

    /// Number of weight rows (distinct features with non-zero weight).
    pub fn rows(&self) -> usize {
        self.rows
    }

    /// Serialises to the binary model format (rows sorted by key).
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut rows: Vec<&Slot> = self.table.iter().filter(|s| s.key != 0).collect();
        rows.sort_unstable_by_key(|s| s.key);
        let n = rows.len();
        let mut out = Vec::with_capacity(HEADER + n * ROW_BYTES + 8);
        out.extend_from_slice(MAGIC);
        out.extend_from_slice(&FORMAT_VERSION.to_le_bytes());
        out.extend_from_slice(&FEATURE_VERSION.to_le_bytes());
        out.extend_from_slice(&(NL as u32).to_le_bytes());
        out.extend_from_slice(&(n as u32).to_le_bytes());
        for row in &self.trans {
            for v in row {
                out.extend_from_slice(&v.to_le_bytes());
            }
        }
        for s in &rows {
            out.extend_from_slice(&s.key.to_le_bytes());
        }
        for s in &rows {
            out.extend_from_slice(&s.scale.to_le_bytes());
        }
        for s in &rows {
            out.extend(s.w.iter().map(|&x| x as u8));
        }
        let sum = fnv1a64(&out);
        out.extend_from_slice(&sum.to_le_bytes());
        out
    }

    /// Labels for one sentence of tokens. `extra`, if given, holds gazetteer bits per
    /// token (see [`crate::flags`]); it may be shorter than `tokens`. The result always
    /// has one label per token and is well-formed BIO.
    ///
    /// Uses scratch buffers kept per thread (their word cache is worth keeping between
    /// calls); a caller that tags many sentences may hold its own [`TagBuffers`] and
    /// call [`Tagger::tag_into`].
    pub fn tag(&self, tokens: &[&str], extra: Option<&[u8]>) -> Vec<Label> {
        thread_local! {
            static BUFFERS: std::cell::RefCell<TagBuffers> =
                std::cell::RefCell::new(TagBuffers::new());
        }
        let mut out = Vec::with_capacity(tokens.len());
        BUFFERS.with(|b| match b.try_borrow_mut() {
            Ok(mut buf) => self.tag_into(tokens, extra, &mut buf, &mut out),
            // Re-entered on this thread (not done today): fresh buffers, same labels.
            Err(_) => self.tag_into(tokens, extra, &mut TagBuffers::new(), &mut out),
        });
        out
    }

    /// Like [`Tagger::tag`], reusing `buf` and appending to `out` (cleared first).
    ///
    /// Scores are sums of weight rows, most of them looked up at random in a table
    /// larger than the CPU caches. Two thirds of a token's keys depend on one word alone
    /// (the token itself, or a neighbour at a fixed offset), so their partial sums are
    /// kept per word in `buf` across sentences ([`WordScores`]); only pair and run keys
    /// are looked up for every token. Each partial sum is always added in the same
    /// order, so the labels do not depend on what the cache holds.
    pub fn tag_into(
        &self,
        tokens: &[&str],
        extra: Option<&[u8]>,
        buf: &mut TagBuffers,
        out: &mut Vec<Label>,
    ) {
        out.clear();
        let n = tokens.len();
        buf.extractor.prepare_light(tokens, extra);
        let mode = buf.extractor.mode();
        if buf.cache_owner != self.id
            || buf.cache.len() != WORD_CACHE
            || buf.first.len() != FIRST_CACHE
        {
            buf.cache.clear();
            buf.cache.resize(WORD_CACHE, WordScores::EMPTY);
            buf.first.clear();
            buf.first.resize(FIRST_CACHE, (0, [0.0; NL]));
            buf.cache_owner = self.id;
        }

        buf.words.clear();
        buf.words.reserve(n);
        for i in 0..n {
            let t = buf.extractor.tok(i);
            let key = t.word_key(mode);
            let slot = &mut buf.cache[(key >> 40) as usize & (WORD_CACHE - 1)];
            if slot.key != key {
                let word = tokens.get(i).copied().unwrap_or("");
                *slot = self.word_scores(&tok_info(word, t.extra), key, mode);
            }
            buf.words.push(*slot);
        }

        // Pair keys of the whole sentence first, so that the rows of tokens ahead can be
        // touched while the current token's scores are summed.
        buf.keys.clear();
        buf.keys
            .extend((0..n).map(|i| buf.extractor.groups_pairs(i)));
        for feats in buf.keys.iter().take(LOOKAHEAD) {
            self.touch(feats);
        }
        let pads = &self.pads;
        buf.emissions.clear();
        buf.emissions.reserve(n);
        for (i, feats) in buf.keys.iter().enumerate() {
            // Touch the home slots of a token ahead: those loads are independent of the
            // sums below, so their cache misses overlap with this token's work instead of
            // being paid one after another.
            if let Some(ahead) = buf.keys.get(i + LOOKAHEAD) {
                self.touch(ahead);
            }
            let own = if i == 0 {
                // "first in the sentence" is part of three own keys: cached apart, by
                // the same word key as the word cache (token, gazetteer bits, casing).
                let key = buf.words[0].key;
                let slot = &mut buf.first[(key >> 40) as usize & (FIRST_CACHE - 1)];
                if slot.0 != key {
                    let word = tokens.first().copied().unwrap_or("");
                    let t = tok_info(word, buf.extractor.tok(0).extra);
                    *slot = (key, self.sum(&own_keys(&t, 1, mode)));
                }
                slot.1
            } else {
                buf.words[i].own
            };
            let before1 = i
                .checked_sub(1)
                .map_or(&pads.before1, |j| &buf.words[j].before1);
            let before2 = i
                .checked_sub(2)
                .map_or(&pads.before2, |j| &buf.words[j].before2);
            let after1 = buf.words.get(i + 1).map_or(&pads.after1, |w| &w.after1);
            let after2 = buf.words.get(i + 2).map_or(&pads.after2, |w| &w.after2);
            let pairs = self.sum(feats);
            let mut scores = own;
            for part in [before1, after1, before2, after2, &pairs] {
                for (sc, &x) in scores.iter_mut().zip(part) {
                    *sc += x;
                }
            }
            buf.emissions.push(scores);
        }
        viterbi(&buf.emissions, &self.trans, &mut buf.back, &mut buf.path);
        out.extend(
            buf.path
                .iter()
                .map(|&i| Label::from_index(i as usize).unwrap_or(Label::O)),
        );
    }

    /// The weights of `keys` summed in order (`0` and unknown keys add nothing).
    #[inline]
    fn sum(&self, keys: &[u32]) -> [f32; NL] {
        let mut scores = [0f32; NL];
        for &k in keys {
            if k == 0 {
                continue;
            }
            if let Some(s) = self.lookup(k) {
                for (sc, &w) in scores.iter_mut().zip(&s.w) {
                    *sc += f32::from(w) * s.scale;
                }
            }
        }
        scores
    }

    /// The partial sums that depend on one word alone, for the cache.
    fn word_scores(&self, t: &TokInfo, key: u64, mode: u64) -> WordScores {
        WordScores {
            key,
            own: self.sum(&own_keys(t, 0, mode)),
            before1: self.sum(&before1_keys(t)),
            after1: self.sum(&after1_keys(t)),
            before2: self.sum(&before2_keys(t)),
            after2: self.sum(&after2_keys(t)),
        }
    }

    /// Entity spans (token ranges) with their types for one sentence.
    pub fn entities(
        &self,
        tokens: &[&str],
        extra: Option<&[u8]>,
    ) -> Vec<(Range<usize>, EntityType)> {
        bio_spans(&self.tag(tokens, extra))
    }
}

/// Allowed transition table: `ALLOWED[p][c]` for `p` = 0 (start) or 1 + previous label.
const fn allowed() -> [[bool; NL]; NL + 1] {
    let mut a = [[true; NL]; NL + 1];
    let mut p = 0;
    while p < NL + 1 {
        let mut c = 0;
        while c < NL {
            // I-X (even index ≥ 2) needs B-X (c-1) or I-X (c) right before it.
            if c >= 2 && c % 2 == 0 {
                a[p][c] = p == c || p == c + 1;
            }
            c += 1;
        }
        p += 1;
    }
    a
}
const ALLOWED: [[bool; NL]; NL + 1] = allowed();

/// First-order Viterbi over BIO labels with hard BIO constraints. Writes label indices
/// to `out` (cleared first); linear in the number of tokens.
pub(crate) fn viterbi(
    emissions: &[[f32; NL]],
    trans: &[[f32; NL]; NL + 1],
    back: &mut Vec<[u8; NL]>,
    out: &mut Vec<u8>,
) {
    out.clear();
    back.clear();
    let Some(first) = emissions.first() else {
        return;
    };
    let mut score = [f32::NEG_INFINITY; NL];
    for c in 0..NL {
        if ALLOWED[0][c] {
            score[c] = first[c] + trans[0][c];
        }
    }
    back.reserve(emissions.len());
    back.push([0; NL]);
    for em in &emissions[1..] {
        let mut next = [f32::NEG_INFINITY; NL];
        let mut bp = [0u8; NL];
        for c in 0..NL {
            let mut best = f32::NEG_INFINITY;
            let mut arg = 0u8;
            for p in 0..NL {
                if ALLOWED[p + 1][c] {
                    let s = score[p] + trans[p + 1][c];
                    if s > best {
                        best = s;
                        arg = p as u8;
                    }
                }
            }
            next[c] = best + em[c];
            bp[c] = arg;
        }
        score = next;
        back.push(bp);
    }
    let mut cur = 0u8;
    let mut best = f32::NEG_INFINITY;
    for (c, &s) in score.iter().enumerate() {
        if s > best {
            best = s;
            cur = c as u8;
        }
    }
    out.resize(emissions.len(), 0);
    for i in (0..emissions.len()).rev() {
        out[i] = cur;
        cur = back[i][cur as usize];
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::features::{Extractor, NUM_FEATURES};

    /// A tiny hand-built model: capitalised word after "President" is a person, "Kyiv"
    /// is a place.
    fn toy() -> Tagger {
        let mut x = Extractor::new();
        let mut f = [0u32; NUM_FEATURES];
        x.prepare(&["President", "Zelensky", "visited", "Kyiv"], None);
        let mut rows = Vec::new();
        x.features(1, &mut f);
        rows.push((f[1], 0.1f32, [0, 100, 0, 0, 0, 0, 0])); // "zelensky" → B-PER
        x.features(3, &mut f);
        rows.push((f[1], 0.1f32, [0, 0, 0, 0, 0, 100, 0])); // "kyiv" → B-LOC
        let mut trans = [[0f32; NL]; NL + 1];
        trans[0][0] = 1.0;
        for r in trans.iter_mut().skip(1) {
            r[0] = 1.0; // mild preference for O
        }
        Tagger::from_rows(&rows, trans).unwrap()
    }

    #[test]
    fn tags_and_entities() {
        let t = toy();
        let toks = ["President", "Zelensky", "visited", "Kyiv"];
        let labels = t.tag(&toks, None);
        assert_eq!(
            labels,
            vec![
                Label::O,
                Label::B(EntityType::Per),
                Label::O,
                Label::B(EntityType::Loc)
            ]
        );
        assert_eq!(
            t.entities(&toks, None),
            vec![(1..2, EntityType::Per), (3..4, EntityType::Loc)]
        );
        assert!(t.tag(&[], None).is_empty());
    }

    #[test]
    fn round_trip_through_bytes() {
        let t = toy();
        let bytes = t.to_bytes();
        let u = Tagger::from_bytes(&bytes).unwrap();
        assert_eq!(u.rows(), 2);
        assert_eq!(u.to_bytes(), bytes);
        let toks = ["President", "Zelensky", "visited", "Kyiv"];
        assert_eq!(u.tag(&toks, None), t.tag(&toks, None));
    }

    #[test]
    fn corrupted_models_are_errors() {
        let bytes = toy().to_bytes();
        assert_eq!(Tagger::from_bytes(b"").unwrap_err(), ModelError::BadMagic);
        assert_eq!(
            Tagger::from_bytes(b"GIF89a..........").unwrap_err(),
            ModelError::BadMagic
        );
        // Every truncation is an error.
        for len in 0..bytes.len() {
            assert!(
                Tagger::from_bytes(&bytes[..len]).is_err(),
                "truncated to {len}"
            );
        }
        // Every single-byte flip is an error (checksum or a field check).
        for i in 0..bytes.len() {
            let mut b = bytes.clone();
            b[i] ^= 0x5a;
            assert!(Tagger::from_bytes(&b).is_err(), "flip at {i}");
        }
        // A huge row count must not overflow or allocate.
        let mut b = bytes.clone();
        b[20..24].copy_from_slice(&u32::MAX.to_le_bytes());
        assert!(matches!(
            Tagger::from_bytes(&b),
            Err(ModelError::Length { .. })
        ));
        // Wrong feature version with a valid checksum is reported as such.
        let mut b = bytes.clone();
        b[12..16].copy_from_slice(&(FEATURE_VERSION + 1).to_le_bytes());
        assert!(matches!(
            Tagger::from_bytes(&b),
            Err(ModelError::FeatureVersion { .. })
        ));
        // Unsorted keys with a recomputed checksum are caught too.
        let mut t = toy();
        let mut b = t.to_bytes();
        b.truncate(b.len() - 8);
        let k0 = HEADER;
        let (a, c) = (u32_at(&b, k0), u32_at(&b, k0 + 4));
        b[k0..k0 + 4].copy_from_slice(&c.to_le_bytes());
        b[k0 + 4..k0 + 8].copy_from_slice(&a.to_le_bytes());
        let s = fnv1a64(&b);
        b.extend_from_slice(&s.to_le_bytes());
        assert!(matches!(
            Tagger::from_bytes(&b),
            Err(ModelError::Corrupt(_))
        ));
        t.trans[0][0] = f32::NAN;
        assert!(Tagger::from_bytes(&t.to_bytes()).is_err());
    }

    #[test]
    fn viterbi_respects_bio() {
        // Emissions prefer I-PER everywhere, which is never allowed first or after O.
        let em = vec![[0.0, 0.0, 5.0, 0.0, 0.0, 0.0, 0.0]; 3];
        let trans = [[0f32; NL]; NL + 1];
        let (mut back, mut out) = (Vec::new(), Vec::new());
        viterbi(&em, &trans, &mut back, &mut out);
        let labels: Vec<Label> = out
            .iter()
            .map(|&i| Label::from_index(i as usize).unwrap())
            .collect();
        for (i, l) in labels.iter().enumerate() {
            let prev = if i == 0 { None } else { Some(labels[i - 1]) };
            assert!(l.may_follow(prev), "{labels:?}");
        }
        assert_eq!(labels[0], Label::B(EntityType::Per));
    }

    #[test]
    fn embedded_model_loads() {
        let t = Tagger::embedded().expect("committed model loads");
        assert!(t.rows() > 0);
    }

    #[test]
    fn bad_input_does_not_panic_and_is_linear() {
        let t = Tagger::embedded().expect("committed model loads");
        let words = [
            "Ukraine",
            "ПУТИН",
            "🙂",
            "KYIV",
            "said",
            "\u{202e}abc",
            "שלום",
            "",
        ];
        let long: Vec<&str> = (0..10_000).map(|i| words[i % words.len()]).collect();
        let start = std::time::Instant::now();
        let labels = t.tag(&long, Some(&[0xff; 3]));
        assert_eq!(labels.len(), long.len());
        assert!(start.elapsed().as_secs() < 5);
        let one = "x".repeat(1 << 20);
        assert_eq!(t.tag(&[one.as_str()], None).len(), 1);
        let caps: Vec<&str> = "UK DEFENCE SECRETARY JOHN HEALEY TOLD PARLIAMENT"
            .split(' ')
            .collect();
        assert_eq!(t.tag(&caps, None).len(), caps.len());
    }

    /// Labels from the flat feature array, summed key by key: the definition the
    /// grouped and cached scoring of `tag_into` must agree with.
    fn reference_labels(t: &Tagger, tokens: &[&str], extra: Option<&[u8]>) -> Vec<u8> {
        let mut x = Extractor::new();
        x.prepare(tokens, extra);
        let mut f = [0u32; NUM_FEATURES];
        let emissions: Vec<[f32; NL]> = (0..tokens.len())
            .map(|i| {
                x.features(i, &mut f);
                t.sum(&f)
            })
            .collect();
        let (mut back, mut path) = (Vec::new(), Vec::new());
        viterbi(&emissions, &t.trans, &mut back, &mut path);
        path
    }

    #[test]
    fn cached_word_scores_agree_with_the_flat_features() {
        let Ok(t) = Tagger::embedded() else {
            return;
        };
        let sentences: [&[&str]; 4] = [
            &[
                "Foreign",
                "Minister",
                "Ishaq",
                "Dar",
                "met",
                "officials",
                "in",
                "Riyadh",
                ".",
            ],
            &[
                "The", "Kremlin", "said", "Russian", "forces", "struck", "Kharkiv", ".",
            ],
            &["the", "the", "the", "Kyiv", "Kyiv"],
            &[
                "UN", "envoy", "Geir", "Pedersen", "arrived", "in", "Damascus", "on", "Monday",
            ],
        ];
        let mut shared = TagBuffers::new();
        let mut out = Vec::new();
        // Twice over the same buffers: the second pass reads every word from the cache.
        for _ in 0..2 {
            for toks in sentences {
                let flags: Vec<u8> = (0..toks.len()).map(|i| (i % 3) as u8).collect();
                for extra in [None, Some(flags.as_slice())] {
                    t.tag_into(toks, extra, &mut shared, &mut out);
                    let want = reference_labels(t, toks, extra);
                    // `tag` keeps buffers per thread: empty buffers give a cold cache.
                    let mut fresh = Vec::new();
                    t.tag_into(toks, extra, &mut TagBuffers::new(), &mut fresh);
                    assert_eq!(out, fresh, "cache changed the labels of {toks:?}");
                    let want: Vec<Label> = want
                        .iter()
                        .map(|&i| Label::from_index(i as usize).unwrap_or(Label::O))
                        .collect();
                    assert_eq!(out, want, "grouped scores disagree on {toks:?}");
                }
            }
        }
    }

    #[test]
    fn buffers_used_with_another_tagger_forget_its_cache() {
        let a = toy();
        let b = {
            let mut trans = [[0f32; NL]; NL + 1];
            trans[0][0] = 1.0;
            Tagger::from_rows(&[], trans).unwrap()
        };
        let toks = ["President", "Zelensky", "visited", "Kyiv"];
        let mut buf = TagBuffers::new();
        let mut out = Vec::new();
        a.tag_into(&toks, None, &mut buf, &mut out);
        assert_eq!(out, a.tag(&toks, None));
        b.tag_into(&toks, None, &mut buf, &mut out);
        assert_eq!(out, vec![Label::O; 4], "weights of the first tagger leaked");
        a.tag_into(&toks, None, &mut buf, &mut out);
        assert_eq!(out, a.tag(&toks, None));
    }
}
