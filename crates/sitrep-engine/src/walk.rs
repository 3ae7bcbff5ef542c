//! Walking the text of a document: char-safe slices, words, clauses, the word that
//! governs a mention, and the neighbours of a span (times, places, sentences).
//!
//! Every stage after segmentation walks sentences through this module. Spans are byte
//! ranges into the normalised text (see `ARCHITECTURE.md`), and offsets computed in one
//! place are often used to slice another: a raw `&text[a..b]` panics when `a` or `b`
//! falls inside a multi-byte character (’ “ — …). The slicing helpers here never panic:
//! on char boundaries they return exactly what indexing would, and otherwise they snap
//! inwards to the nearest boundaries. Stages slice text only through them.

use sitrep_core::record::EntityKind;
use sitrep_core::Span;

use crate::extract::lexicon::Hit;
use crate::model::{DocView, Entities, EntityIdx, PlaceIdx, PlaceInfo, TimeInfo};

// ---------------------------------------------------------------------------------------
// Char-safe slices

/// `text[start..end]`, snapped inwards to char boundaries (and clamped to the text);
/// empty when nothing is left.
#[inline]
pub fn slice(text: &str, start: usize, end: usize) -> &str {
    if let Some(s) = text.get(start..end) {
        return s;
    }
    let end = floor_boundary(text, end.min(text.len()));
    let start = ceil_boundary(text, start.min(end));
    &text[start..end]
}

/// `text[..end]`, char-safe (see [`slice`]).
#[inline]
pub fn before(text: &str, end: usize) -> &str {
    slice(text, 0, end)
}

/// `text[start..]`, char-safe (see [`slice`]).
#[inline]
pub fn after(text: &str, start: usize) -> &str {
    slice(text, start, text.len())
}

/// The text of `span`, char-safe (see [`slice`]).
#[inline]
pub fn span_text(text: &str, span: Span) -> &str {
    slice(text, span.start(), span.end())
}

/// The largest char boundary at or below `i` (`i` at most `text.len()`).
pub fn floor_boundary(text: &str, mut i: usize) -> usize {
    i = i.min(text.len());
    while !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// The smallest char boundary at or above `i`, or `text.len()`.
pub fn ceil_boundary(text: &str, mut i: usize) -> usize {
    while i < text.len() && !text.is_char_boundary(i) {
        i += 1;
    }
    i.min(text.len())
}

/// Byte length of the first char of `text` (0 when empty).
#[inline]
pub fn first_char_len(text: &str) -> usize {
    text.chars().next().map_or(0, char::len_utf8)
}

// ---------------------------------------------------------------------------------------
// Words, clauses, governors and neighbours

/// Words (letters/digits runs, keeping inner hyphens) of `text[range]` with their spans.
pub(crate) fn words(text: &str, range: Span) -> Vec<(Span, &str)> {
    // Sized for the span up front (about one word per five bytes of news text): this
    // runs on many spans per sentence, and growing from empty cost more than the walk.
    let mut out = Vec::with_capacity(range.slice(text).map_or(0, |h| h.len() / 5 + 1));
    for_each_word(text, range, |span, w| out.push((span, w)));
    out
}

/// How many [`words`] `text[range]` has, without collecting them.
pub(crate) fn word_count(text: &str, range: Span) -> usize {
    let mut n = 0;
    for_each_word(text, range, |_, _| n += 1);
    n
}

/// Calls `f` on each of the [`words`] of `text[range]`, in order. The stages call this
/// on many short spans, so ASCII bytes are tested without decoding characters.
fn for_each_word<'t>(text: &'t str, range: Span, mut f: impl FnMut(Span, &'t str)) {
    let Some(hay) = range.slice(text) else {
        return;
    };
    let base = range.start();
    let bytes = hay.as_bytes();
    let char_at = |i: usize| -> (char, usize) {
        match bytes.get(i) {
            Some(&b) if b < 0x80 => (b as char, 1),
            Some(_) => hay
                .get(i..)
                .and_then(|r| r.chars().next())
                .map_or((' ', 1), |c| (c, c.len_utf8())),
            None => (' ', 1),
        }
    };
    let is_word = |c: char| {
        if c.is_ascii() {
            c.is_ascii_alphanumeric()
        } else {
            c.is_alphanumeric()
        }
    };
    let mut start: Option<usize> = None;
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        // Fast paths for ASCII, with the same outcome as the general step below: a run
        // of letters and digits is inside a word; any other ASCII byte but a joiner
        // ('-', '\'') ends one.
        if b.is_ascii_alphanumeric() {
            if start.is_none() {
                start = Some(i);
            }
            i += 1;
            while i < bytes.len() && bytes[i].is_ascii_alphanumeric() {
                i += 1;
            }
            continue;
        }
        if b < 0x80 && b != b'-' && b != b'\'' {
            if let Some(s) = start.take() {
                f(Span::new(base + s, base + i), &hay[s..i]);
            }
            i += 1;
            continue;
        }
        let (c, len) = char_at(i);
        let word = is_word(c)
            || (start.is_some()
                && matches!(c, '-' | '\'' | '\u{2019}')
                && i + len < bytes.len()
                && is_word(char_at(i + len).0));
        if word {
            if start.is_none() {
                start = Some(i);
            }
        } else if let Some(s) = start.take() {
            f(Span::new(base + s, base + i), &hay[s..i]);
        }
        i += len;
    }
    if let Some(s) = start {
        f(Span::new(base + s, base + hay.len()), &hay[s..]);
    }
}

/// A word without a possessive ending ("Russia's" → "Russia").
pub(crate) fn strip_possessive(w: &str) -> &str {
    w.strip_suffix("'s")
        .or_else(|| w.strip_suffix("\u{2019}s"))
        .unwrap_or(w)
}

/// True when `w` equals one of `list` (ASCII case-insensitive).
pub(crate) fn one_of(w: &str, list: &[&str]) -> bool {
    list.iter().any(|x| x.eq_ignore_ascii_case(w))
}

/// All place mentions of a document, sorted by start.
#[derive(Debug, Default)]
pub(crate) struct PlaceIndex {
    items: Vec<(Span, PlaceIdx)>,
}

impl PlaceIndex {
    /// Indexes every mention of every place.
    pub(crate) fn new(places: &[PlaceInfo]) -> PlaceIndex {
        let mut items: Vec<(Span, PlaceIdx)> = places
            .iter()
            .enumerate()
            .flat_map(|(i, p)| p.mentions.iter().map(move |m| (*m, i)))
            .collect();
        items.sort_unstable();
        PlaceIndex { items }
    }

    /// Mentions inside `span`.
    pub(crate) fn within(&self, span: Span) -> impl Iterator<Item = (Span, PlaceIdx)> + '_ {
        let a = self.items.partition_point(|(m, _)| m.start < span.start);
        self.items[a..]
            .iter()
            .take_while(move |(m, _)| m.start < span.end)
            .filter(move |(m, _)| span.contains(*m))
            .copied()
    }
}

/// Words that may stand between a location preposition and a place name.
const PLACE_SKIP: &[&str] = &[
    "the",
    "a",
    "an",
    "of",
    "city",
    "town",
    "village",
    "region",
    "province",
    "oblast",
    "district",
    "port",
    "capital",
    "eastern",
    "western",
    "northern",
    "southern",
    "central",
    "north-eastern",
    "north-western",
    "south-eastern",
    "south-western",
    "northeastern",
    "northwestern",
    "southeastern",
    "southwestern",
    "frontline",
    "front-line",
    "rural",
    "quarter",
    "remote",
    "small",
    "restive",
    "mountainous",
    "volatile",
    "occupied",
    "besieged",
    "towns",
    "cities",
    "villages",
    "nearby",
    "outskirts",
    "suburbs",
    "centre",
    "center",
    "downtown",
    "border",
    "coastal",
    "settlement",
    "area",
    "strategic",
    "industrial",
    "embattled",
    "war-torn",
    "state",
    "governorate",
    "county",
    "camp",
    "neighbourhood",
    "neighborhood",
    "key",
];

/// The first word before a place mention that is not a descriptor ("in" for "in the
/// eastern city of Marhanets"), with its span; `None` at the start of the sentence.
pub(crate) fn governor(text: &str, sentence: Span, mention: Span) -> Option<(Span, &str)> {
    let lo = mention.start().saturating_sub(80).max(sentence.start());
    let mut lo = lo;
    while lo < mention.start() && !text.is_char_boundary(lo) {
        lo += 1;
    }
    let ws = words(text, Span::new(lo, mention.start()));
    // Punctuation between words ends the walk: "in Kyiv, Odesa" is fine, "Kyiv. Odesa" is
    // impossible within a sentence, but "said, Odesa" must not pick "said".
    let mut after: Option<&str> = None;
    for (n, (span, w)) in ws.iter().rev().enumerate() {
        if n >= 10 {
            break;
        }
        let lw = w.to_ascii_lowercase();
        // A capitalised word before a kind noun is a country adjective ("the northern
        // Ukrainian city of Sumy"), part of the description.
        let adjective = w.chars().next().is_some_and(char::is_uppercase)
            && after.is_some_and(|a| one_of(a, PLACE_KIND_NOUNS));
        // An owner before the place is part of its description ("in Ukraine's
        // Kharkiv", "in Yemen's capital Sanaa").
        let owner =
            strip_possessive(w).len() < w.len() && w.chars().next().is_some_and(char::is_uppercase);
        // "in central and southern Khartoum": two descriptions joined by "and".
        let joined = one_of(w, &["and", "or"])
            && after.is_some_and(|a| one_of(a, PLACE_SKIP))
            && ws
                .len()
                .checked_sub(n + 2)
                .and_then(|k| ws.get(k))
                .is_some_and(|(_, prev)| {
                    one_of(prev, PLACE_SKIP) && !one_of(prev, &["the", "a", "an", "of"])
                });
        let descriptor = adjective
            || owner
            || joined
            || one_of(w, PLACE_SKIP)
            || lw.ends_with("-occupied")
            || lw.ends_with("-held")
            || lw.ends_with("-controlled")
            || lw.ends_with("-administered");
        if !descriptor {
            return Some((*span, w));
        }
        after = Some(w);
    }
    None
}

/// True when the words around `span` say it names a place, whatever a tagger made of
/// it: a place-kind noun right after it ("Hamar Weyne district", "Tandar and Gorah
/// villages", "Masisi territory") or a compass adjective right before it ("central
/// Masisi"), both in lower case.
pub(crate) fn names_a_place_around(text: &str, span: Span) -> bool {
    const COMPASS: &[&str] = &[
        "central",
        "eastern",
        "western",
        "northern",
        "southern",
        "north-eastern",
        "north-western",
        "south-eastern",
        "south-western",
        "northeastern",
        "northwestern",
        "southeastern",
        "southwestern",
    ];
    const MORE_KINDS: &[&str] = &[
        "territory",
        "neighbourhood",
        "neighborhood",
        "township",
        "locality",
        "governorate",
        "prefecture",
        "commune",
    ];
    let next = after(text, span.end())
        .split(|c: char| !(c.is_alphanumeric() || c == '-'))
        .find(|w| !w.is_empty())
        .unwrap_or("");
    let lower_next = next.starts_with(char::is_lowercase);
    let singular = next.strip_suffix('s').unwrap_or(next);
    let kind_after = lower_next
        && (one_of(next, PLACE_KIND_NOUNS)
            || one_of(singular, PLACE_KIND_NOUNS)
            || one_of(next, MORE_KINDS)
            || one_of(singular, MORE_KINDS));
    let prev = before(text, span.start())
        .rsplit(|c: char| !(c.is_alphanumeric() || c == '-'))
        .find(|w| !w.is_empty())
        .unwrap_or("");
    let compass_before = prev.starts_with(char::is_lowercase) && one_of(prev, COMPASS);
    kind_after || compass_before
}

/// True when `word` names a kind of place ("village", "districts"), any case.
pub(crate) fn is_place_kind_noun(word: &str) -> bool {
    let singular = word.strip_suffix('s').unwrap_or(word);
    one_of(word, PLACE_KIND_NOUNS) || one_of(singular, PLACE_KIND_NOUNS)
}

/// Nouns naming a kind of place ("city", "port"): a capitalised word before one of them
/// describes the place ("the Ukrainian city of").
const PLACE_KIND_NOUNS: &[&str] = &[
    "city",
    "town",
    "village",
    "region",
    "province",
    "oblast",
    "district",
    "port",
    "capital",
    "state",
    "governorate",
    "county",
    "camp",
    "border",
    "area",
    "settlement",
    "quarter",
    "neighbourhood",
    "neighborhood",
    "suburb",
    "township",
    "commune",
    "municipality",
];

/// Longest stretch looked at on each side of a span for a web or e-mail address.
const MAX_ADDRESS_REACH: usize = 512;

const MONTH_WORDS: &[&str] = &[
    "jan",
    "jan.",
    "january",
    "feb",
    "feb.",
    "february",
    "mar",
    "mar.",
    "march",
    "apr",
    "apr.",
    "april",
    "may",
    "jun",
    "jun.",
    "june",
    "jul",
    "jul.",
    "july",
    "aug",
    "aug.",
    "august",
    "sep",
    "sep.",
    "sept",
    "sept.",
    "september",
    "oct",
    "oct.",
    "october",
    "nov",
    "nov.",
    "november",
    "dec",
    "dec.",
    "december",
];

/// Where the words after a wire dateline begin, when `text` opens with one at `start`:
/// a place head in capitals or joined by slashes ("ADEN/MUKALLA", "NEW DELHI",
/// "Aden/Mukalla"), maybe a day ("Mar 3", "3 March") and an agency in brackets,
/// then a dash or colon ("TRIPOLI, Mar 3 (Wirenews) - Two blasts shook …", "DAKAR:
/// A convoy …"); with a day and no dash, the next capitalised word. `None` when the
/// text does not open with a dateline.
pub(crate) fn dateline_end(text: &str, start: usize) -> Option<usize> {
    let rest = text.get(start..)?;
    let lead = rest.len() - rest.trim_start().len();
    let body = &rest[lead..];
    // The place head: words up to the first comma, dash or colon, at most four.
    let head_end = body.find([',', ':', '(', '\n']).unwrap_or(body.len());
    let (head, dash_in_head) = match [" - ", " \u{2013} ", " \u{2014} "]
        .iter()
        .filter_map(|d| body[..head_end].find(d).map(|i| (i, d.len())))
        .min()
    {
        Some((i, len)) => (&body[..i], Some(i + len)),
        None => (&body[..head_end], None),
    };
    let head_words: Vec<&str> = head.split_whitespace().collect();
    let shouting = |w: &str| {
        let letters = w.chars().filter(|c| c.is_alphabetic()).count();
        letters >= 2 && !w.chars().any(char::is_lowercase)
    };
    let slashed = |w: &str| {
        w.contains('/')
            && w.split('/')
                .all(|part| part.starts_with(|c: char| c.is_uppercase()))
    };
    let place_like = !head_words.is_empty()
        && head_words.len() <= 4
        && (head_words.iter().all(|w| shouting(w)) || head_words.iter().any(|w| slashed(w)));
    if !place_like {
        return None;
    }
    let after_words = |i: usize| -> Option<usize> {
        let tail = &body[i..];
        let skip = tail.len() - tail.trim_start().len();
        let next = &tail[skip..];
        next.starts_with(|c: char| {
            c.is_uppercase() || c.is_ascii_digit() || "\"\u{201c}'".contains(c)
        })
        .then_some(start + lead + i + skip)
    };
    if let Some(i) = dash_in_head {
        return after_words(i);
    }
    let mut i = head.len();
    let mut dated = false;
    // ", Jan 16" or ", 16 January" and "(Reuters)".
    if body[i..].starts_with(',') {
        let tail = &body[i + 1..];
        let words: Vec<&str> = tail.split_whitespace().take(2).collect();
        let is_month = |w: &str| one_of(&w.to_lowercase(), MONTH_WORDS);
        let is_day = |w: &str| {
            let w = w.trim_end_matches(',');
            !w.is_empty() && w.len() <= 2 && w.chars().all(|c| c.is_ascii_digit())
        };
        if words.len() == 2
            && ((is_month(words[0]) && is_day(words[1]))
                || (is_day(words[0]) && is_month(words[1])))
        {
            let second = tail.find(words[1])? + words[1].len();
            i += 1 + second;
            dated = true;
        }
    }
    let tail = &body[i..];
    let trimmed = tail.trim_start();
    if trimmed.starts_with('(') {
        let close = trimmed.find(')')?;
        if close > 40 {
            return None;
        }
        i += tail.len() - trimmed.len() + close + 1;
    }
    let tail = &body[i..];
    let trimmed = tail.trim_start();
    for sep in ["-", "\u{2013}", "\u{2014}", ":"] {
        if let Some(after) = trimmed.strip_prefix(sep) {
            if after.starts_with(' ') {
                return after_words(i + (tail.len() - trimmed.len()) + sep.len());
            }
        }
    }
    if dated {
        return after_words(i);
    }
    None
}

/// True when `span` lies inside a web or e-mail address: the span is one word and the
/// run of non-space characters around it holds "://" or "@", or starts with "www.".
pub(crate) fn in_web_address(text: &str, span: Span) -> bool {
    // A name of several words may end in a mail domain ("John Lamb@ENRON"): a name.
    if span_text(text, span).contains(char::is_whitespace) {
        return false;
    }
    let head = before(text, span.start());
    let head = walk_tail(head, MAX_ADDRESS_REACH);
    let start = head.rfind(char::is_whitespace).map_or(0, |i| i + 1);
    let tail = after(text, span.end());
    let tail = walk_head(tail, MAX_ADDRESS_REACH);
    let end = tail.find(char::is_whitespace).unwrap_or(tail.len());
    let (left, middle, right) = (&head[start..], span_text(text, span), &tail[..end]);
    let has =
        |needle: &str| left.contains(needle) || middle.contains(needle) || right.contains(needle);
    has("://")
        || has("@")
        || left.starts_with("www.")
        || (left.is_empty() && middle.starts_with("www."))
}

/// The last `n` bytes of `s` or fewer, cut on a character boundary.
fn walk_tail(s: &str, n: usize) -> &str {
    let mut i = s.len().saturating_sub(n);
    while !s.is_char_boundary(i) {
        i += 1;
    }
    &s[i..]
}

/// The first `n` bytes of `s` or fewer, cut on a character boundary.
fn walk_head(s: &str, n: usize) -> &str {
    let mut i = n.min(s.len());
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    &s[..i]
}

/// Nouns that end the names of buildings and institutions ("General Reference
/// Hospital"): no part of a person's name.
const FACILITY_NOUNS: &[&str] = &[
    "restaurant",
    "cafe",
    "bakery",
    "factory",
    "mall",
    "hospital",
    "clinic",
    "school",
    "university",
    "college",
    "airport",
    "airbase",
    "base",
    "street",
    "road",
    "avenue",
    "square",
    "bridge",
    "station",
    "mosque",
    "church",
    "temple",
    "hotel",
    "museum",
    "stadium",
    "prison",
    "market",
    "centre",
    "center",
    "camp",
    "news",
    "times",
    "agency",
    "council",
    "committee",
    "ministry",
    "office",
    "party",
    "forces",
    "army",
    "brigade",
    "division",
    "front",
    "movement",
    "court",
    "bank",
    "company",
];

/// True when `word` names a kind of building or institution (any case).
pub(crate) fn is_facility_noun(word: &str) -> bool {
    one_of(word, FACILITY_NOUNS)
}

/// The ISO country of an entity (its own for a country, its side otherwise).
pub(crate) fn country_of(entities: &Entities, idx: EntityIdx) -> Option<String> {
    let e = entities.list.get(idx)?;
    e.country.clone().or_else(|| {
        (e.kind == EntityKind::Country)
            .then(|| e.kb_id.clone().filter(|k| k.len() == 2))
            .flatten()
    })
}

/// The day value of a time expression inside `span`, nearest to `anchor`.
pub(crate) fn day_in(times: &[TimeInfo], span: Span, anchor: Span) -> Option<String> {
    times
        .iter()
        .filter(|t| span.contains(t.span) && t.precision == "day" && t.value.is_some())
        .min_by_key(|t| distance(t.span, anchor))
        .and_then(|t| t.value.clone())
}

/// True when any time expression lies inside `span`.
pub(crate) fn any_time_in(times: &[TimeInfo], span: Span) -> bool {
    times.iter().any(|t| span.contains(t.span))
}

/// Bytes between two spans (0 when they overlap).
pub(crate) fn distance(a: Span, b: Span) -> u32 {
    b.start
        .saturating_sub(a.end)
        .max(a.start.saturating_sub(b.end))
}

/// True when place `inner` lies inside place `outer`: a city or region of its country,
/// or a city of its region.
pub(crate) fn place_lies_in(places: &[PlaceInfo], inner: PlaceIdx, outer: PlaceIdx) -> bool {
    let (Some(i), Some(o)) = (places.get(inner), places.get(outer)) else {
        return false;
    };
    inner != outer
        && o.country.is_some()
        && o.country == i.country
        && match o.kind.as_str() {
            "country" => i.kind != "country",
            "region" => i.kind == "city" && o.admin1.is_some() && o.admin1 == i.admin1,
            _ => false,
        }
}

/// True when the sentence reads as past-tense news (a past verb, no future).
pub(crate) fn is_past(text: &str, sentence: Span) -> bool {
    const IRREGULAR: &[&str] = &[
        "hit", "struck", "shot", "was", "were", "left", "died", "fell", "came", "took", "blew",
        "met", "spoke", "held",
    ];
    const FUTURE: &[&str] = &["will", "shall", "tomorrow", "expected", "plans", "planned"];
    let ws = words(text, sentence);
    let past = ws.iter().any(|(_, w)| {
        let lw = w.to_ascii_lowercase();
        (lw.len() > 4 && lw.ends_with("ed")) || IRREGULAR.contains(&lw.as_str())
    });
    past && !ws.iter().any(|(_, w)| one_of(w, FUTURE))
}

/// True when the sentence is near the top of the article (where today's news is told).
pub(crate) fn is_lead(doc: &DocView, sentence: usize) -> bool {
    let para = doc
        .seg
        .sentences
        .get(sentence)
        .map_or(u32::MAX, |s| s.paragraph);
    sentence < 12 || para < 3
}

/// Start of the clause containing `pos` inside `sentence`: after the last `;`, `:`, `—`,
/// `,` or " while ", " but " before `pos`.
pub(crate) fn clause_start(text: &str, sentence: Span, pos: usize) -> usize {
    let lo = sentence.start();
    let hi = pos.min(sentence.end()).max(lo);
    let Some(hay) = text.get(lo..hi) else {
        return lo;
    };
    // This runs for many candidates per sentence, so both searches go backwards over
    // bytes instead of decoding every char and building three substring searchers; the
    // answer is the same (see `clause_start_matches_the_char_scan`).
    let bytes = hay.as_bytes();
    // After the last break: the last `;`, `:`, `,`, or `—` (E2 80 94: in valid UTF-8
    // those three bytes are always that char).
    let mut cut = 0;
    let mut j = bytes.len();
    while j > 0 {
        j -= 1;
        let end_of_break = match bytes[j] {
            b';' | b':' | b',' => true,
            0x94 => j >= 2 && bytes[j - 2] == 0xE2 && bytes[j - 1] == 0x80,
            _ => false,
        };
        if end_of_break {
            cut = j + 1;
            break;
        }
    }
    let mut best = lo + cut;
    // A conjunction after that break starts a later clause; one before it cannot move
    // the start (the words hold no break character), so only the tail is searched.
    let tail = &bytes[cut..];
    for w in [" while ", " but ", " whereas "] {
        if let Some(i) = rfind_ascii(tail, w.as_bytes()) {
            best = best.max(lo + cut + i + w.len());
        }
    }
    best
}

/// Byte index of the last occurrence of `needle` (non-empty, ASCII) in `hay`.
fn rfind_ascii(hay: &[u8], needle: &[u8]) -> Option<usize> {
    let first = *needle.first()?;
    let last_start = hay.len().checked_sub(needle.len())?;
    (0..=last_start)
        .rev()
        .find(|&i| hay[i] == first && hay[i..].starts_with(needle))
}

/// Hits (sorted by start) grouped by the sentence they start in: the sentence's index,
/// its span, and its hits. Hits that cross out of their sentence are skipped with it.
pub(crate) fn by_sentence<'h>(doc: &DocView, hits: &'h [Hit]) -> Vec<(usize, Span, &'h [Hit])> {
    let mut groups = Vec::new();
    let mut i = 0;
    while i < hits.len() {
        let s = doc.sentence_at(hits[i].span.start());
        let sent = doc.sentence_span(s);
        let mut j = i + 1;
        while j < hits.len() && hits[j].span.start < sent.end {
            j += 1;
        }
        if sent.contains(hits[i].span) {
            groups.push((s, sent, &hits[i..j]));
        }
        i = j;
    }
    groups
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slices_on_boundaries_equal_indexing() {
        let text = "Kyiv’s mayor — “no”";
        for a in 0..=text.len() {
            for b in a..=text.len() {
                if let Some(s) = text.get(a..b) {
                    assert_eq!(slice(text, a, b), s);
                }
            }
        }
    }

    #[test]
    fn slices_inside_a_character_snap_inwards() {
        let text = "a’s";
        // ’ is bytes 1..4.
        assert_eq!(slice(text, 2, 5), "s");
        assert_eq!(slice(text, 0, 2), "a");
        assert_eq!(slice(text, 2, 3), "");
        assert_eq!(after(text, 2), "s");
        assert_eq!(before(text, 3), "a");
        assert_eq!(slice(text, 9, 20), "");
        assert_eq!(slice(text, 3, 1), "");
    }

    #[test]
    fn words_keep_inner_apostrophes_and_hyphens() {
        let text = "Russia’s north-east — “struck”";
        let ws: Vec<&str> = words(text, Span::new(0, text.len()))
            .into_iter()
            .map(|(_, w)| w)
            .collect();
        assert_eq!(ws, ["Russia’s", "north-east", "struck"]);
    }

    #[test]
    fn place_words_around_a_name() {
        let text = "of Tandar and Gorah villages, in central Masisi, near Hamar Weyne district; Ali Musa said";
        let at = |w: &str| {
            let i = text.find(w).unwrap();
            Span::new(i, i + w.len())
        };
        assert!(names_a_place_around(text, at("Gorah")));
        assert!(names_a_place_around(text, at("Masisi")));
        assert!(names_a_place_around(text, at("Hamar Weyne")));
        assert!(!names_a_place_around(text, at("Ali Musa")));
    }

    /// The definition `clause_start` must agree with: a forward char scan and `rfind`.
    fn clause_start_by_chars(text: &str, sentence: Span, pos: usize) -> usize {
        let lo = sentence.start();
        let hi = pos.min(sentence.end()).max(lo);
        let Some(hay) = text.get(lo..hi) else {
            return lo;
        };
        let mut best = lo;
        for (i, c) in hay.char_indices() {
            if matches!(c, ';' | ':' | '\u{2014}' | ',') {
                best = lo + i + c.len_utf8();
            }
        }
        for w in [" while ", " but ", " whereas "] {
            if let Some(i) = hay.rfind(w) {
                best = best.max(lo + i + w.len());
            }
        }
        best
    }

    #[test]
    fn clause_start_matches_the_char_scan() {
        let texts = [
            "He said — in Kyiv, that it ended but then while Д, it went on; whereas",
            "no break at all here",
            "Д—Д: but  but while — , whereas the end",
            "a but b while c whereas d, e — f but",
            "—",
            "",
            "ДДД\u{0414}\u{2014} but x \u{2013}\u{2015}\u{0494} while y",
        ];
        for text in texts {
            let s = Span::new(0, text.len());
            for pos in 0..=text.len() + 2 {
                assert_eq!(
                    clause_start(text, s, pos),
                    clause_start_by_chars(text, s, pos),
                    "{text:?} at {pos}"
                );
            }
            let inner = Span::new(3.min(text.len()), text.len());
            for pos in 0..=text.len() {
                assert_eq!(
                    clause_start(text, inner, pos),
                    clause_start_by_chars(text, inner, pos),
                    "{text:?} in {inner:?} at {pos}"
                );
            }
        }
    }

    #[test]
    fn clause_start_after_the_last_break() {
        let text = "He said — in Kyiv, that it ended";
        let s = Span::new(0, text.len());
        assert_eq!(&text[clause_start(text, s, text.len())..], " that it ended");
    }

    #[test]
    fn wire_datelines_are_found_and_plain_openings_are_not() {
        fn rest(text: &str) -> Option<&str> {
            dateline_end(text, 0).map(|i| &text[i..])
        }
        assert_eq!(
            rest("VALLETTA - The ferry talks ended."),
            Some("The ferry talks ended.")
        );
        assert_eq!(
            rest("NEW DELHI/ISLAMABAD \u{2014} Shelling resumed."),
            Some("Shelling resumed.")
        );
        assert_eq!(
            rest("TRIPOLI, Mar 3 (Wirenews) - Two blasts shook the port."),
            Some("Two blasts shook the port.")
        );
        assert_eq!(
            rest("DAKAR: A convoy was ambushed."),
            Some("A convoy was ambushed.")
        );
        assert_eq!(
            rest("Aden/Mukalla, June 7 At least nine died."),
            Some("At least nine died.")
        );
        assert_eq!(
            rest("  KHARTOUM, 4 October - Talks stalled."),
            Some("Talks stalled.")
        );
        // Not datelines: a sentence, a name before a colon, a capitalised word and dash.
        assert_eq!(rest("The talks in Valletta ended on Monday."), None);
        assert_eq!(rest("Analysts: the truce is fragile."), None);
        assert_eq!(rest("Gaza - a city under siege - waits."), None);
        assert_eq!(rest("UN: the convoy was hit."), None);
        assert_eq!(rest(""), None);
    }
}
