//! Feature extraction: every token becomes a fixed-size array of 32-bit feature keys.
//!
//! A feature is a (template, value) pair such as "lower-cased previous word = `minister`".
//! Instead of building strings, each token's bytes are hashed once into a few 64-bit
//! base hashes ([`TokInfo`]: lower-cased word, exact word, shapes, prefixes, suffixes),
//! and features are integer mixes of a template id with one to three base hashes. Key
//! `0` means "no feature here" and is never stored in a model.
//!
//! Nothing in this module allocates per token: lower-casing and shapes use small stack
//! buffers (long tokens are truncated for those features, the exact-word hash still
//! covers every byte), and [`Extractor`] reuses one `Vec` across sentences.

/// Bumped whenever templates or hashing change: a model stores it and refuses to load
/// with different feature code, since its keys would silently mean something else.
pub(crate) const FEATURE_VERSION: u32 = 2;

/// Number of feature slots per token (some may be `0` = absent).
pub const NUM_FEATURES: usize = 46;

/// Bytes of a lower-cased word kept for hashing word, prefix and suffix features.
pub(crate) const LOWER_CAP: usize = 48;
/// Characters of a word shape kept (`Xxxxx…`), and of the collapsed short shape.
const SHAPE_CAP: usize = 12;
const SHORT_CAP: usize = 8;

const K1: u64 = 0x9E37_79B9_7F4A_7C15;
const K2: u64 = 0xC2B2_AE3D_27D4_EB4F;
const K3: u64 = 0x1656_67B1_9E37_79F9;

/// Finaliser of MurmurHash3 (64-bit): spreads every input bit over the output.
#[inline]
fn fmix64(mut h: u64) -> u64 {
    h ^= h >> 33;
    h = h.wrapping_mul(0xFF51_AFD7_ED55_8CCD);
    h ^= h >> 33;
    h = h.wrapping_mul(0xC4CE_B9FE_1A85_EC53);
    h ^ (h >> 33)
}

/// Hashes a byte string, eight bytes at a time (Fx-style multiply-rotate), with a seed so
/// that the same bytes give unrelated hashes for different uses.
#[inline]
pub(crate) fn hash_bytes(seed: u64, bytes: &[u8]) -> u64 {
    let mut h = seed ^ (bytes.len() as u64).wrapping_mul(K1);
    let mut chunks = bytes.chunks_exact(8);
    for c in &mut chunks {
        let mut w = [0u8; 8];
        w.copy_from_slice(c);
        h = (h.rotate_left(5) ^ u64::from_le_bytes(w)).wrapping_mul(K2);
    }
    let rest = chunks.remainder();
    if !rest.is_empty() {
        // The tail as a little-endian word, byte by byte: the same value as copying it
        // into a zeroed [u8; 8], without a call to `memcpy` for a few bytes (this runs
        // several times per token).
        let mut w = 0u64;
        for (i, &b) in rest.iter().enumerate() {
            w |= u64::from(b) << (8 * i);
        }
        h = (h.rotate_left(5) ^ w).wrapping_mul(K2);
    }
    fmix64(h)
}

/// Combines a template id and two base hashes into a non-zero 32-bit feature key.
#[inline]
fn key(template: u32, a: u64, b: u64) -> u32 {
    let h = fmix64(
        a.wrapping_mul(K1)
            ^ b.rotate_left(29).wrapping_mul(K2)
            ^ u64::from(template + 1).wrapping_mul(K3),
    );
    let k = (h >> 32) as u32;
    if k == 0 {
        1
    } else {
        k
    }
}

#[inline]
fn pair(a: u64, b: u64) -> u64 {
    fmix64(a.wrapping_mul(K3) ^ b.rotate_left(17))
}

/// Capitalisation and character-class bits of a token.
mod cap {
    pub const INIT_UPPER: u8 = 0x01;
    pub const ALL_UPPER: u8 = 0x02;
    pub const DIGIT: u8 = 0x04;
    pub const HYPHEN: u8 = 0x08;
    pub const PERIOD: u8 = 0x10;
    pub const NO_ALNUM: u8 = 0x20;
    pub const NON_ASCII: u8 = 0x40;
    pub const INNER_UPPER: u8 = 0x80;
}

/// Per-token base hashes and bits, computed once per token.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct TokInfo {
    lower: u64,
    exact: u64,
    shape: u64,
    short: u64,
    pre: [u64; 4],
    suf: [u64; 4],
    cap: u8,
    pub(crate) extra: u8,
    /// Capitalised run this token lies in (see [`mark_runs`]): lower-cased hashes of
    /// its first and last words, its length (capped) and the token's position in it
    /// (0 = not in a run of two or more, 1 = first, 2 = inside, 3 = last).
    run_first: u64,
    run_last: u64,
    run_len: u8,
    run_pos: u8,
}

impl TokInfo {
    /// A 64-bit key for everything the token-alone and neighbour-alone feature groups
    /// read: the exact word (which fixes its hashes and casing bits), its gazetteer bits
    /// and the sentence's casing style. Never 0.
    #[inline]
    pub(crate) fn word_key(&self, mode: u64) -> u64 {
        fmix64(self.exact ^ (u64::from(self.extra) | mode << 8).wrapping_mul(K3)).max(1)
    }
}

/// Stand-ins for the positions before the first and after the last token.
pub(crate) const PAD_BEFORE: TokInfo = TokInfo {
    lower: 0x5EED_0000_0000_0001,
    exact: 0x5EED_0000_0000_0001,
    shape: 0x5EED_0000_0000_0002,
    short: 0x5EED_0000_0000_0002,
    pre: [0; 4],
    suf: [0x5EED_0000_0000_0003; 4],
    cap: 0,
    extra: 0,
    run_first: 0,
    run_last: 0,
    run_len: 0,
    run_pos: 0,
};
pub(crate) const PAD_AFTER: TokInfo = TokInfo {
    lower: 0x5EED_0000_0000_0011,
    exact: 0x5EED_0000_0000_0011,
    shape: 0x5EED_0000_0000_0012,
    short: 0x5EED_0000_0000_0012,
    pre: [0; 4],
    suf: [0x5EED_0000_0000_0013; 4],
    cap: 0,
    extra: 0,
    run_first: 0,
    run_last: 0,
    run_len: 0,
    run_pos: 0,
};

/// Lower-cases `word` into `buf`, returning the number of bytes written. Stops at a
/// character boundary when the buffer is full, so `buf[..n]` is always valid UTF-8.
#[inline]
pub(crate) fn lower_into(word: &str, buf: &mut [u8; LOWER_CAP]) -> usize {
    let mut n = 0;
    for ch in word.chars() {
        if ch.is_ascii() {
            if n >= LOWER_CAP {
                break;
            }
            buf[n] = (ch as u8).to_ascii_lowercase();
            n += 1;
        } else {
            for lc in ch.to_lowercase() {
                let len = lc.len_utf8();
                if n + len > LOWER_CAP {
                    return n;
                }
                lc.encode_utf8(&mut buf[n..n + len]);
                n += len;
            }
        }
    }
    n
}

/// Sentence-level casing style, so that capitalisation features can mean different
/// things in all-caps headlines, all-lower-case chat and ordinary prose.
fn case_mode(tokens: &[TokInfo]) -> u64 {
    let (mut alpha, mut upper, mut init, mut lower) = (0u32, 0u32, 0u32, 0u32);
    for t in tokens {
        if t.cap & (cap::NO_ALNUM | cap::DIGIT) != 0 {
            continue;
        }
        alpha += 1;
        if t.cap & cap::ALL_UPPER != 0 {
            upper += 1;
        } else if t.cap & cap::INIT_UPPER != 0 {
            init += 1;
        } else if t.cap & cap::INNER_UPPER == 0 {
            lower += 1;
        }
    }
    if alpha < 3 {
        0
    } else if upper * 5 >= alpha * 4 {
        1 // shouting / all caps
    } else if lower == alpha {
        2 // no capitals at all
    } else if (init + upper) * 5 >= alpha * 4 && alpha >= 4 {
        3 // title case
    } else {
        4 // ordinary
    }
}

/// Computes the base hashes of one token.
pub(crate) fn tok_info(word: &str, extra: u8) -> TokInfo {
    if word.is_ascii() {
        return tok_info_ascii(word.as_bytes(), extra, true);
    }
    tok_info_unicode(word, extra)
}

/// Like [`tok_info`], but for ASCII words the affix and long-shape hashes are left 0:
/// only the token-alone and neighbour-alone feature groups read them, and the tagger
/// takes those from its per-word cache (computing a full [`tok_info`] on a miss).
pub(crate) fn tok_info_light(word: &str, extra: u8) -> TokInfo {
    if word.is_ascii() {
        return tok_info_ascii(word.as_bytes(), extra, false);
    }
    tok_info_unicode(word, extra)
}

/// [`tok_info`] for an ASCII token: the same hashes and bits as the general path, with
/// byte tests in place of Unicode class look-ups (for ASCII, `is_uppercase`,
/// `is_alphabetic` and `is_numeric` are the ASCII tests, lower-casing is per byte and
/// every character is one byte).
fn tok_info_ascii(word: &[u8], extra: u8, full: bool) -> TokInfo {
    let mut lbuf = [0u8; LOWER_CAP];
    let n = word.len().min(LOWER_CAP);
    for (d, &b) in lbuf.iter_mut().zip(&word[..n]) {
        *d = b.to_ascii_lowercase();
    }
    let lower = &lbuf[..n];

    let mut shape = [0u8; SHAPE_CAP + 1];
    let mut slen = 0;
    let mut short = [0u8; SHORT_CAP];
    let mut shlen = 0;
    let mut capbits = 0u8;
    let (mut letters, mut uppers, mut alnum) = (0u32, 0u32, 0u32);
    for (ci, &b) in word.iter().enumerate() {
        let class = if b.is_ascii_uppercase() {
            letters += 1;
            uppers += 1;
            alnum += 1;
            if ci == 0 {
                capbits |= cap::INIT_UPPER;
            } else {
                capbits |= cap::INNER_UPPER;
            }
            b'X'
        } else if b.is_ascii_lowercase() {
            letters += 1;
            alnum += 1;
            b'x'
        } else if b.is_ascii_digit() {
            alnum += 1;
            capbits |= cap::DIGIT;
            b'd'
        } else {
            match b {
                b'-' => capbits |= cap::HYPHEN,
                b'.' => capbits |= cap::PERIOD,
                _ => {}
            }
            b
        };
        if slen < SHAPE_CAP {
            shape[slen] = class;
            slen += 1;
        } else if slen == SHAPE_CAP {
            shape[slen] = b'~';
            slen += 1;
        }
        if (shlen == 0 || short[shlen - 1] != class) && shlen < SHORT_CAP {
            short[shlen] = class;
            shlen += 1;
        }
    }
    if letters > 0 && uppers == letters {
        capbits |= cap::ALL_UPPER;
        capbits &= !cap::INNER_UPPER;
    }
    if alnum == 0 {
        capbits |= cap::NO_ALNUM;
    }

    // Affixes only for words longer than the affix, so they add information.
    let mut pre = [0u64; 4];
    let mut suf = [0u64; 4];
    let affixes = if full { 4.min(n.saturating_sub(1)) } else { 0 };
    for k in 0..affixes {
        pre[k] = hash_bytes(0x70 + k as u64, &lower[..k + 1]);
        suf[k] = hash_bytes(0x80 + k as u64, &lower[n - 1 - k..]);
    }
    TokInfo {
        lower: hash_bytes(0x11, lower),
        exact: hash_bytes(0x22, word),
        shape: if full {
            hash_bytes(0x33, &shape[..slen])
        } else {
            0
        },
        short: hash_bytes(0x44, &short[..shlen]),
        pre,
        suf,
        cap: capbits,
        extra,
        run_first: 0,
        run_last: 0,
        run_len: 0,
        run_pos: 0,
    }
}

/// [`tok_info`] for a token with non-ASCII characters.
fn tok_info_unicode(word: &str, extra: u8) -> TokInfo {
    let mut lbuf = [0u8; LOWER_CAP];
    let n = lower_into(word, &mut lbuf);
    let lower = &lbuf[..n];

    let mut shape = [0u8; SHAPE_CAP + 1];
    let mut slen = 0;
    let mut short = [0u8; SHORT_CAP];
    let mut shlen = 0;
    let mut capbits = 0u8;
    let (mut letters, mut uppers, mut alnum) = (0u32, 0u32, 0u32);
    for (ci, ch) in word.chars().enumerate() {
        let class = if ch.is_uppercase() {
            letters += 1;
            uppers += 1;
            alnum += 1;
            if ci == 0 {
                capbits |= cap::INIT_UPPER;
            } else {
                capbits |= cap::INNER_UPPER;
            }
            b'X'
        } else if ch.is_alphabetic() {
            letters += 1;
            alnum += 1;
            b'x'
        } else if ch.is_numeric() {
            alnum += 1;
            capbits |= cap::DIGIT;
            b'd'
        } else if ch.is_ascii() {
            match ch {
                '-' => capbits |= cap::HYPHEN,
                '.' => capbits |= cap::PERIOD,
                _ => {}
            }
            ch as u8
        } else {
            b'o'
        };
        if !ch.is_ascii() && ch.is_alphabetic() {
            capbits |= cap::NON_ASCII;
        }
        if slen < SHAPE_CAP {
            shape[slen] = class;
            slen += 1;
        } else if slen == SHAPE_CAP {
            shape[slen] = b'~';
            slen += 1;
        }
        if (shlen == 0 || short[shlen - 1] != class) && shlen < SHORT_CAP {
            short[shlen] = class;
            shlen += 1;
        }
    }
    if letters > 0 && uppers == letters {
        capbits |= cap::ALL_UPPER;
        capbits &= !cap::INNER_UPPER;
    }
    if alnum == 0 {
        capbits |= cap::NO_ALNUM;
    }

    let mut pre = [0u64; 4];
    let mut suf = [0u64; 4];
    if let Ok(s) = std::str::from_utf8(lower) {
        let nchars = s.chars().count();
        // Affixes only for words longer than the affix, so they add information.
        for (k, (idx, _)) in s.char_indices().skip(1).take(4).enumerate() {
            if k + 1 < nchars {
                pre[k] = hash_bytes(0x70 + k as u64, &lower[..idx]);
            }
        }
        for (k, (idx, _)) in s.char_indices().rev().take(4).enumerate() {
            if k + 1 < nchars {
                suf[k] = hash_bytes(0x80 + k as u64, &lower[idx..]);
            }
        }
    }
    TokInfo {
        lower: hash_bytes(0x11, lower),
        exact: hash_bytes(0x22, word.as_bytes()),
        shape: hash_bytes(0x33, &shape[..slen]),
        short: hash_bytes(0x44, &short[..shlen]),
        pre,
        suf,
        cap: capbits,
        extra,
        run_first: 0,
        run_last: 0,
        run_len: 0,
        run_pos: 0,
    }
}

/// Lower-case words that may join capitalised words inside one name ("Department *of*
/// Housing *and* Urban Development").
fn is_connector(word: &str) -> bool {
    matches!(word, "of" | "and" | "for" | "the" | "de" | "&" | "-" | "on")
}

/// Finds runs of capitalised tokens (possibly joined by single connectors) and marks
/// each token of a run of two or more with the run's first and last word, length and
/// the token's position: multi-word names are often typed by their last word
/// ("… Housing Action *Center*", "… *Corporation*"), which plain ±2 windows miss.
fn mark_runs(tokens: &[&str], toks: &mut [TokInfo]) {
    let capitalised =
        |t: &TokInfo| t.cap & (cap::INIT_UPPER | cap::ALL_UPPER) != 0 && t.cap & cap::NO_ALNUM == 0;
    let n = toks.len().min(tokens.len());
    let mut i = 0;
    while i < n {
        if !capitalised(&toks[i]) {
            i += 1;
            continue;
        }
        // extend: capitalised tokens, or one connector followed by a capitalised token
        let mut end = i + 1; // exclusive
        loop {
            if end < n && capitalised(&toks[end]) {
                end += 1;
            } else if end + 1 < n && is_connector(tokens[end]) && capitalised(&toks[end + 1]) {
                end += 2;
            } else {
                break;
            }
        }
        let len = end - i;
        if len >= 2 {
            let (first, last) = (toks[i].lower, toks[end - 1].lower);
            for (k, t) in toks[i..end].iter_mut().enumerate() {
                t.run_first = first;
                t.run_last = last;
                t.run_len = len.min(6) as u8;
                t.run_pos = if k == 0 {
                    1
                } else if k + 1 == len {
                    3
                } else {
                    2
                };
            }
        }
        i = end;
    }
}

/// Whether a model holding these keys has weights for gazetteer bits: the keys of the
/// "token's own flag byte" template for every non-zero byte.
pub(crate) fn flag_keys() -> impl Iterator<Item = u32> {
    (1..=255u64).map(|v| key(36, v, 0))
}

/// Reusable feature extractor: call [`Extractor::prepare`] once per sentence, then
/// [`Extractor::features`] for each token.
#[derive(Debug, Default, Clone)]
pub struct Extractor {
    toks: Vec<TokInfo>,
    mode: u64,
    /// Memo of [`tok_info_light`] for short ASCII words (see [`Extractor::prepare_light`]).
    memo: Vec<InfoSlot>,
}

/// Slots of the light-info memo (direct-mapped, 56 bytes each: 224 KB).
const INFO_MEMO: usize = 4096;
/// Longest word the memo keeps, in bytes.
const MEMO_WORD: usize = 24;

/// One memoised [`tok_info_light`] result: the word's bytes (zero-padded) and length,
/// and the hashes and casing bits the light path computes for it (without gazetteer
/// bits, which are per token).
#[derive(Debug, Clone, Copy)]
struct InfoSlot {
    word: [u64; MEMO_WORD / 8],
    /// `u8::MAX` marks an empty slot (no memoised word is that long).
    len: u8,
    cap: u8,
    lower: u64,
    exact: u64,
    short: u64,
}

impl InfoSlot {
    const EMPTY: InfoSlot = InfoSlot {
        word: [0; MEMO_WORD / 8],
        len: u8::MAX,
        cap: 0,
        lower: 0,
        exact: 0,
        short: 0,
    };
}

impl Extractor {
    /// A new extractor with empty buffers.
    pub fn new() -> Extractor {
        Extractor::default()
    }

    /// Computes per-token base hashes for a sentence. `extra` holds per-token gazetteer
    /// bits ([`crate::flags`]); missing entries (or `None`) count as no flags.
    pub fn prepare(&mut self, tokens: &[&str], extra: Option<&[u8]>) {
        self.prepare_with(tokens, extra, tok_info);
    }

    /// Like [`Extractor::prepare`] with [`tok_info_light`]: enough for
    /// [`Extractor::groups_pairs`], [`Extractor::tok`]'s word key and casing, not for
    /// [`Extractor::features`] or [`Extractor::groups`].
    ///
    /// Short ASCII words are looked up in a per-extractor memo keyed by their bytes: the
    /// light path hashes every token three times and classifies each byte, while
    /// running text repeats a few thousand words. A hit gives exactly what
    /// [`tok_info_light`] computes (the key is the whole word, not a hash of it).
    pub(crate) fn prepare_light(&mut self, tokens: &[&str], extra: Option<&[u8]>) {
        if self.memo.len() != INFO_MEMO {
            self.memo.clear();
            self.memo.resize(INFO_MEMO, InfoSlot::EMPTY);
        }
        self.toks.clear();
        self.toks.reserve(tokens.len());
        for (i, w) in tokens.iter().enumerate() {
            let e = extra.and_then(|x| x.get(i)).copied().unwrap_or(0);
            let bytes = w.as_bytes();
            if bytes.len() > MEMO_WORD || !w.is_ascii() {
                self.toks.push(tok_info_light(w, e));
                continue;
            }
            let mut word = [0u64; MEMO_WORD / 8];
            for (k, &b) in bytes.iter().enumerate() {
                word[k / 8] |= u64::from(b) << (8 * (k % 8));
            }
            let h = (word[0] ^ word[1].rotate_left(21) ^ word[2].rotate_left(42))
                .wrapping_add(bytes.len() as u64)
                .wrapping_mul(K1);
            let slot = &mut self.memo[(h >> 52) as usize & (INFO_MEMO - 1)];
            if slot.word != word || usize::from(slot.len) != bytes.len() {
                let t = tok_info_light(w, 0);
                *slot = InfoSlot {
                    word,
                    len: bytes.len() as u8,
                    cap: t.cap,
                    lower: t.lower,
                    exact: t.exact,
                    short: t.short,
                };
            }
            // What `tok_info_ascii(word, extra, false)` returns: no long shape, no
            // affixes, no run yet.
            self.toks.push(TokInfo {
                lower: slot.lower,
                exact: slot.exact,
                short: slot.short,
                cap: slot.cap,
                extra: e,
                ..TokInfo::default()
            });
        }
        self.mode = case_mode(&self.toks);
        mark_runs(tokens, &mut self.toks);
    }

    fn prepare_with(
        &mut self,
        tokens: &[&str],
        extra: Option<&[u8]>,
        info: fn(&str, u8) -> TokInfo,
    ) {
        self.toks.clear();
        self.toks.reserve(tokens.len());
        for (i, w) in tokens.iter().enumerate() {
            let e = extra.and_then(|x| x.get(i)).copied().unwrap_or(0);
            self.toks.push(info(w, e));
        }
        self.mode = case_mode(&self.toks);
        mark_runs(tokens, &mut self.toks);
    }

    /// Number of tokens in the prepared sentence.
    pub fn len(&self) -> usize {
        self.toks.len()
    }

    /// Whether the prepared sentence is empty.
    pub fn is_empty(&self) -> bool {
        self.toks.is_empty()
    }

    #[inline]
    fn at(&self, i: usize, delta: isize) -> &TokInfo {
        match i.checked_add_signed(delta) {
            Some(j) if j < self.toks.len() => &self.toks[j],
            Some(_) => &PAD_AFTER,
            None => &PAD_BEFORE,
        }
    }

    /// Writes the feature keys of token `i` into `out` (`0` = absent). `i` past the end
    /// yields padding features, never a panic.
    ///
    /// The keys fall into groups by what they depend on (see [`FeatureGroups`]): the
    /// token alone, each neighbour alone, and pairs or runs. The tagger caches the first
    /// two kinds per word; training uses this flat array.
    pub fn features(&self, i: usize, out: &mut [u32; NUM_FEATURES]) {
        let g = self.groups(i);
        let mut k = 0;
        let mut put = |x: u32| {
            out[k] = x;
            k += 1;
        };
        // Template order is part of the model's meaning only through the keys, but
        // keeping it fixed keeps the flat layout easy to read next to the templates.
        g.own[..17].iter().copied().for_each(&mut put);
        put(g.before1[0]);
        put(g.after1[0]);
        put(g.before2[0]);
        put(g.after2[0]);
        put(g.before1[1]);
        put(g.after1[1]);
        put(g.before2[1]);
        put(g.after2[1]);
        g.pairs[..3].iter().copied().for_each(&mut put);
        put(g.before1[2]);
        put(g.after1[2]);
        g.pairs[3..8].iter().copied().for_each(&mut put);
        put(g.own[17]);
        put(g.own[18]);
        put(g.before1[3]);
        put(g.after1[3]);
        put(g.own[19]);
        g.pairs[8..10].iter().copied().for_each(&mut put);
        put(g.own[20]);
        g.pairs[10..13].iter().copied().for_each(&mut put);
        debug_assert_eq!(k, NUM_FEATURES);
    }

    /// The feature keys of token `i`, grouped by what they depend on.
    pub fn groups(&self, i: usize) -> FeatureGroups {
        let m2 = self.at(i, -2);
        let m1 = self.at(i, -1);
        let t = self.at(i, 0);
        let p1 = self.at(i, 1);
        let p2 = self.at(i, 2);
        let first = u64::from(i == 0);
        FeatureGroups {
            own: own_keys(t, first, self.mode),
            before1: before1_keys(m1),
            after1: after1_keys(p1),
            before2: before2_keys(m2),
            after2: after2_keys(p2),
            pairs: pair_keys(m2, m1, t, p1, p2),
        }
    }

    /// The pair and run keys of token `i` (the [`FeatureGroups::pairs`] group alone).
    pub(crate) fn groups_pairs(&self, i: usize) -> [u32; PAIR_KEYS] {
        pair_keys(
            self.at(i, -2),
            self.at(i, -1),
            self.at(i, 0),
            self.at(i, 1),
            self.at(i, 2),
        )
    }

    /// The base hashes of token `i` (padding past either end).
    pub(crate) fn tok(&self, i: usize) -> &TokInfo {
        self.at(i, 0)
    }

    /// The sentence's casing style (see `case_mode`).
    pub(crate) fn mode(&self) -> u64 {
        self.mode
    }
}

/// Keys that depend on the token itself (with the sentence's casing style and whether
/// it is first).
pub const OWN_KEYS: usize = 21;
/// Keys that depend on the word one before the token alone.
pub const BEFORE1_KEYS: usize = 4;
/// Keys that depend on the word two before alone.
pub const BEFORE2_KEYS: usize = 2;
/// Keys that depend on pairs of positions or on the capitalised run.
pub const PAIR_KEYS: usize = 13;

/// One token's feature keys, grouped by what they depend on; together exactly the keys
/// of [`Extractor::features`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FeatureGroups {
    /// The token alone.
    pub own: [u32; OWN_KEYS],
    /// The word one before.
    pub before1: [u32; BEFORE1_KEYS],
    /// The word one after.
    pub after1: [u32; BEFORE1_KEYS],
    /// The word two before.
    pub before2: [u32; BEFORE2_KEYS],
    /// The word two after.
    pub after2: [u32; BEFORE2_KEYS],
    /// Pairs and runs.
    pub pairs: [u32; PAIR_KEYS],
}

#[inline]
fn opt_key(tpl: u32, h: u64) -> u32 {
    if h == 0 {
        0
    } else {
        key(tpl, h, 0)
    }
}

#[inline]
fn flag_key(tpl: u32, bits: u8, b: u64) -> u32 {
    if bits != 0 {
        key(tpl, u64::from(bits), b)
    } else {
        0
    }
}

/// Keys of the token alone: bias, word, shapes, affixes, capitalisation, own flags.
pub(crate) fn own_keys(t: &TokInfo, first: u64, mode: u64) -> [u32; OWN_KEYS] {
    let tcap = u64::from(t.cap);
    [
        key(0, 0, 0), // bias
        key(1, t.lower, 0),
        key(2, t.exact, 0),
        key(3, t.shape, 0),
        key(4, t.short, 0),
        opt_key(5, t.pre[0]),
        opt_key(6, t.pre[1]),
        opt_key(7, t.pre[2]),
        opt_key(8, t.pre[3]),
        opt_key(9, t.suf[0]),
        opt_key(10, t.suf[1]),
        opt_key(11, t.suf[2]),
        opt_key(12, t.suf[3]),
        key(13, tcap, 0),
        key(14, tcap, first),
        key(15, tcap, mode),
        key(16, t.short, mode),
        key(35, t.lower, first),
        flag_key(36, t.extra, 0),
        flag_key(39, t.extra, tcap),
        flag_key(42, t.extra, pair(first, mode)),
    ]
}

/// Keys of the word one before: its word, short shape, 3-suffix and flags.
pub(crate) fn before1_keys(m1: &TokInfo) -> [u32; BEFORE1_KEYS] {
    [
        key(17, m1.lower, 0),
        key(21, m1.short, 0),
        key(28, m1.suf[2], 0),
        flag_key(37, m1.extra, 0),
    ]
}

/// Keys of the word one after: its word, short shape, 3-suffix and flags.
pub(crate) fn after1_keys(p1: &TokInfo) -> [u32; BEFORE1_KEYS] {
    [
        key(18, p1.lower, 0),
        key(22, p1.short, 0),
        key(29, p1.suf[2], 0),
        flag_key(38, p1.extra, 0),
    ]
}

/// Keys of the word two before: its word and short shape.
pub(crate) fn before2_keys(m2: &TokInfo) -> [u32; BEFORE2_KEYS] {
    [key(19, m2.lower, 0), key(23, m2.short, 0)]
}

/// Keys of the word two after: its word and short shape.
pub(crate) fn after2_keys(p2: &TokInfo) -> [u32; BEFORE2_KEYS] {
    [key(20, p2.lower, 0), key(24, p2.short, 0)]
}

/// Keys of word pairs, shape and capitalisation trigrams, flag pairs and the run.
fn pair_keys(
    m2: &TokInfo,
    m1: &TokInfo,
    t: &TokInfo,
    p1: &TokInfo,
    p2: &TokInfo,
) -> [u32; PAIR_KEYS] {
    let tcap = u64::from(t.cap);
    let run = |tpl: u32, a: u64, b: u64| if t.run_pos != 0 { key(tpl, a, b) } else { 0 };
    [
        key(25, m1.lower, t.lower),
        key(26, t.lower, p1.lower),
        key(27, pair(m1.short, t.short), p1.short),
        key(30, m1.lower, t.short),
        key(31, t.short, p1.lower),
        key(32, pair(u64::from(m1.cap), tcap), u64::from(p1.cap)),
        key(33, m2.lower, m1.lower),
        key(34, p1.lower, p2.lower),
        if m1.extra | t.extra != 0 {
            key(40, u64::from(m1.extra), u64::from(t.extra))
        } else {
            0
        },
        if t.extra | p1.extra != 0 {
            key(41, u64::from(t.extra), u64::from(p1.extra))
        } else {
            0
        },
        run(43, t.run_last, u64::from(t.run_pos)),
        run(44, t.run_first, u64::from(t.run_pos)),
        run(45, u64::from(t.run_len), u64::from(t.run_pos)),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::flags;

    fn feats(tokens: &[&str], i: usize) -> [u32; NUM_FEATURES] {
        let mut x = Extractor::new();
        x.prepare(tokens, None);
        let mut out = [0; NUM_FEATURES];
        x.features(i, &mut out);
        out
    }

    #[test]
    fn lowercase_and_case_features() {
        let a = tok_info("Kyiv", 0);
        let b = tok_info("KYIV", 0);
        let c = tok_info("kyiv", 0);
        assert_eq!(a.lower, b.lower);
        assert_eq!(a.lower, c.lower);
        assert_ne!(a.exact, b.exact);
        assert_ne!(a.shape, c.shape);
        assert_eq!(a.cap & cap::INIT_UPPER, cap::INIT_UPPER);
        assert_eq!(b.cap & cap::ALL_UPPER, cap::ALL_UPPER);
        // Cyrillic lower-cases too.
        assert_eq!(tok_info("Київ", 0).lower, tok_info("київ", 0).lower);
        assert_ne!(tok_info("Київ", 0).cap & cap::NON_ASCII, 0);
    }

    #[test]
    fn ascii_fast_path_matches_the_general_path() {
        let words = [
            "",
            "a",
            "ab",
            "abc",
            "abcd",
            "abcde",
            "Kyiv",
            "KYIV",
            "kyiv",
            "McDonald's",
            "U.S.",
            "1999",
            "20",
            "3.5",
            "-",
            "--",
            "Ivano-Frankivsk",
            "x1Y2",
            "@user",
            "#tag",
            "...",
            "a-b.c",
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789",
            "Xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
            "\t",
            "a\u{7f}b",
            "Ab$Cd%",
        ];
        for w in words {
            for extra in [0u8, 5] {
                let fast = tok_info_ascii(w.as_bytes(), extra, true);
                let slow = tok_info_unicode(w, extra);
                assert_eq!(format!("{fast:?}"), format!("{slow:?}"), "{w:?}");
            }
        }
    }

    #[test]
    fn shapes() {
        let mut buf = [0u8; LOWER_CAP];
        let n = lower_into("McDonald's", &mut buf);
        assert_eq!(&buf[..n], b"mcdonald's");
        assert_eq!(tok_info("Xxxx", 0).short, tok_info("Abcdefg", 0).short);
        assert_ne!(tok_info("Abcd", 0).shape, tok_info("Abcdefg", 0).shape);
        assert_eq!(tok_info("1999", 0).short, tok_info("20", 0).short);
    }

    #[test]
    fn long_and_odd_tokens_do_not_panic() {
        let long = "Ä".repeat(10_000);
        let t = tok_info(&long, 0);
        assert_ne!(t.exact, tok_info(&"Ä".repeat(9_999), 0).exact);
        // Truncation at the buffer keeps valid UTF-8 even for multi-byte lower-casing.
        let mut buf = [0u8; LOWER_CAP];
        let n = lower_into(&"İ".repeat(100), &mut buf);
        assert!(std::str::from_utf8(&buf[..n]).is_ok());
        for w in ["", "🙂", "\u{200f}", "שלום", "a\u{0301}"] {
            let _ = feats(&[w, w], 1);
        }
    }

    #[test]
    fn same_word_same_features_and_context_matters() {
        let a = feats(&["Mr", "Smith", "said"], 1);
        let b = feats(&["Mr", "Smith", "said"], 1);
        assert_eq!(a, b);
        let c = feats(&["Ms", "Smith", "said"], 1);
        assert_ne!(a, c);
        assert_eq!(a[1], c[1]); // the word itself
        assert!(a.iter().filter(|&&k| k != 0).count() >= 30);
    }

    #[test]
    fn gazetteer_bits_only_fire_when_set() {
        let mut x = Extractor::new();
        let mut out = [0; NUM_FEATURES];
        x.prepare(&["Healey", "said"], None);
        x.features(0, &mut out);
        assert_eq!(&out[36..43], &[0; 7]);
        x.prepare(&["Healey", "said"], Some(&[flags::PERSON]));
        x.features(0, &mut out);
        assert_ne!(out[36], 0);
        assert_ne!(out[39], 0);
        // A short flag slice is padded with zeros.
        x.features(1, &mut out);
        assert_eq!(out[36], 0);
        assert_ne!(out[37], 0);
    }

    #[test]
    fn feature_extraction_does_not_grow_buffers_after_warmup() {
        let mut x = Extractor::new();
        let toks = ["The", "Kremlin", "denied", "the", "report", "."];
        x.prepare(&toks, None);
        let cap = x.toks.capacity();
        let ptr = x.toks.as_ptr();
        let mut out = [0; NUM_FEATURES];
        for _ in 0..100 {
            x.prepare(&toks, None);
            for i in 0..toks.len() {
                x.features(i, &mut out);
            }
        }
        assert_eq!(x.toks.capacity(), cap);
        assert_eq!(x.toks.as_ptr(), ptr);
    }
}
