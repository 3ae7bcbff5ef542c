//! Places: knowledge-base place and country names that no person, organisation or
//! acting metonym took, resolved to one gazetteer entry each in the document's country
//! context, plus tagger locations the knowledge base does not know (kept unresolved
//! rather than dropped, with a low confidence).

use std::collections::HashMap;
use std::sync::OnceLock;

use sitrep_core::Span;
use sitrep_kb::{Kb, PlaceContext, PlaceId};
use sitrep_ner::EntityType;

use super::{near, KbSpan, Reading, SpanSet};
use crate::model::{DocView, PlaceInfo};
use crate::recognise::TaggedName;
use crate::walk;

/// Confidence given to a place name the knowledge base does not know.
const UNRESOLVED_CONFIDENCE: f32 = 0.3;

/// Builds the places of a document, ordered by first mention.
pub fn build(
    doc: &DocView,
    names: &[TaggedName],
    kb_spans: &[KbSpan],
    claimed: &SpanSet,
    kb: &Kb,
) -> Vec<PlaceInfo> {
    let matches: Vec<_> = kb_spans.iter().map(|k| k.matched.clone()).collect();
    let context = PlaceContext::from_matches(kb, &matches);
    let mut places: Vec<PlaceInfo> = Vec::new();
    let mut by_key: HashMap<String, usize> = HashMap::new();
    let mut small_towns: Vec<usize> = Vec::new();
    let is_claimed = |span: Span| claimed.overlaps(span);
    for k in kb_spans {
        let placeish = match k.reading {
            Reading::Country(_) => true,
            Reading::Place | Reading::Metonym { place: true, .. } => !is_claimed(k.span),
            _ => false,
        };
        if !placeish {
            continue;
        }
        let Some(resolved) = kb.resolve_candidates(&k.matched.candidates, &context) else {
            continue;
        };
        if !matches!(k.reading, Reading::Country(_))
            && !plausible_place(doc, k, resolved.place.name, kb_spans)
        {
            continue;
        }
        // "Nov", "June", "Fri" are dates even where a town has the name.
        if sitrep_time::is_calendar_word(doc.slice(k.span)) {
            continue;
        }
        if CONTINENTS.contains(&resolved.place.name) {
            continue;
        }
        let idx = add_resolved(&mut places, &mut by_key, &resolved, k.span);
        if resolved.place.kind == sitrep_kb::PlaceKind::City
            && resolved.place.population < FAR_HOMONYM_POPULATION
        {
            small_towns.push(idx);
        }
    }
    unknown_far_homonyms(doc, &mut places, &small_towns);
    for name in names.iter().filter(|n| n.kind == EntityType::Loc) {
        if is_claimed(name.span)
            || near(kb_spans, name.span.start(), name.span.end())
                .iter()
                .any(|k| k.span.overlaps(name.span))
        {
            continue;
        }
        if !plausible_unknown_place(doc, name.span, kb_spans) {
            continue;
        }
        let written: String = doc
            .slice(name.span)
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ");
        if !written.starts_with(|c: char| c.is_uppercase()) {
            // Informal text writes well-known places in lower case ("i live in
            // chicago"): the tagger's reading stands when the name is a country, a
            // first-level division or a big city.
            if let Some(resolved) = well_known_place(kb, &written, &context) {
                add_resolved(&mut places, &mut by_key, &resolved, name.span);
            }
            continue;
        }
        let key = format!("name:{}", sitrep_kb::fold(&written));
        let idx = *by_key.entry(key).or_insert_with(|| {
            places.push(unknown_place(&written));
            places.len() - 1
        });
        places[idx].mentions.push(name.span);
    }
    for (span, name) in named_by_their_kind(doc.text) {
        let taken = claimed.overlaps(span)
            || near(kb_spans, span.start(), span.end())
                .iter()
                .any(|k| k.span.overlaps(span))
            || places
                .iter()
                .any(|p| p.mentions.iter().any(|m| m.overlaps(span)));
        if taken || sitrep_time::is_calendar_word(name) {
            continue;
        }
        let key = format!("name:{}", sitrep_kb::fold(name));
        let idx = *by_key.entry(key).or_insert_with(|| {
            places.push(unknown_place(name));
            places.len() - 1
        });
        places[idx].mentions.push(span);
    }
    repeat_unknown_names(doc, &mut places, claimed, kb_spans);
    locate_unknown_places(doc.text, &mut places);
    for p in &mut places {
        p.mentions.sort();
    }
    places.sort_by_key(|p| p.mentions.first().map(|m| m.start).unwrap_or(u32::MAX));
    places
}

/// A place the knowledge base does not know, named as the text writes it.
fn unknown_place(name: &str) -> PlaceInfo {
    PlaceInfo {
        name: name.to_owned(),
        country: None,
        kind: "unknown".to_owned(),
        geonames_id: None,
        lat: None,
        lon: None,
        admin1: None,
        confidence: UNRESOLVED_CONFIDENCE,
        alternates: Vec::new(),
        mentions: Vec::new(),
    }
}

/// Kind nouns written after a place's name ("Samahni sector", "Setaung villages", "Shati
/// refugee camp").
const KIND_AFTER: &[&str] = &[
    "village",
    "villages",
    "sector",
    "camp",
    "refugee camp",
    "township",
    "neighbourhood",
    "neighborhood",
];

/// Kind nouns written before "of" and a place's name ("the village of Gorah").
const KIND_BEFORE_OF: &[&str] = &["village", "town", "villages", "hamlet", "township"];

/// Capitalised words that open a noun phrase rather than name a place.
const NOT_A_NAME: &[&str] = &[
    "The",
    "A",
    "An",
    "This",
    "That",
    "These",
    "Those",
    "Its",
    "Their",
    "His",
    "Her",
    "Our",
    "Each",
    "Every",
    "One",
    "Refugee",
    "Border",
    "Army",
    "Military",
    "Displacement",
];

/// Names that the words around them say are places, whether or not any gazetteer has
/// them: one or two capitalised words before a lower-case kind noun ("the Nakyal
/// sector") or after "the village of", "the town of". Byte spans with the name.
fn named_by_their_kind(text: &str) -> Vec<(Span, &str)> {
    // A SIMD substring search per pattern: " village" (the name before it) and
    // "village of " (the name after it).
    static FINDERS: OnceLock<Vec<(memchr::memmem::Finder<'static>, bool)>> = OnceLock::new();
    let finders = FINDERS.get_or_init(|| {
        let before = KIND_AFTER.iter().map(|k| (format!(" {k}"), true));
        let after = KIND_BEFORE_OF.iter().map(|k| (format!("{k} of "), false));
        before
            .chain(after)
            .map(|(p, name_before)| {
                (
                    memchr::memmem::Finder::new(p.as_bytes()).into_owned(),
                    name_before,
                )
            })
            .collect()
    });
    let is_name_word = |w: &str| {
        w.len() > 1
            && w.starts_with(|c: char| c.is_uppercase())
            && w.chars()
                .all(|c| c.is_alphabetic() || c == '-' || c == '\'' || c == '’')
            && !NOT_A_NAME.contains(&w)
    };
    let mut out = Vec::new();
    let hits = finders.iter().flat_map(|(f, name_before)| {
        f.find_iter(text.as_bytes())
            .map(move |at| (at, at + f.needle().len(), *name_before))
    });
    for (m_start, m_end, name_before) in hits {
        if name_before {
            // " sector": a whole word, after up to two name words one space apart.
            if walk::after(text, m_end).starts_with(char::is_alphanumeric) {
                continue;
            }
            let head = walk::before(text, m_start);
            let mut start = head.len();
            let mut words = 0;
            while words < 2 {
                let w_start = head[..start].rfind(' ').map_or(0, |i| i + 1);
                if !is_name_word(walk::slice(head, w_start, start)) {
                    break;
                }
                start = w_start;
                words += 1;
                if start == 0 || !head[..start].ends_with(' ') {
                    break;
                }
                start -= 1;
            }
            if words == 0 {
                continue;
            }
            if head[start..].starts_with(' ') {
                start += 1;
            }
            out.push((
                Span::new(start, head.len()),
                walk::slice(text, start, head.len()),
            ));
        } else {
            // "village of ": up to two name words after it.
            if walk::before(text, m_start).ends_with(char::is_alphanumeric) {
                continue;
            }
            let from = m_end;
            let rest = walk::after(text, from);
            let mut end = 0;
            for (n, piece) in rest.split(' ').take(2).enumerate() {
                let w = piece.trim_end_matches([',', '.', ';', ':']);
                if !is_name_word(w) {
                    break;
                }
                end = if n == 0 { w.len() } else { end + 1 + w.len() };
                if w.len() < piece.len() {
                    break;
                }
            }
            if end > 0 {
                out.push((
                    Span::new(from, from + end),
                    walk::slice(text, from, from + end),
                ));
            }
        }
    }
    out.sort_by_key(|(s, _)| s.start);
    out
}

/// An unknown place written as part of a known one ("the Dharmala sector of Mirpur
/// district", "Setaung village in Rakhine State") is in that place's country.
fn locate_unknown_places(text: &str, places: &mut [PlaceInfo]) {
    const LINKS: &[&str] = &[
        "of", "in", "near", "the", "sector", "village", "villages", "camp", "township", "district",
        "town", "area", "northern", "southern", "eastern", "western", "central",
    ];
    let known: Vec<(Span, usize)> = places
        .iter()
        .enumerate()
        .filter(|(_, p)| p.country.is_some())
        .flat_map(|(i, p)| p.mentions.iter().map(move |&m| (m, i)))
        .collect();
    for i in 0..places.len() {
        if places[i].kind != "unknown" || places[i].country.is_some() {
            continue;
        }
        let located = places[i].mentions.iter().find_map(|m| {
            known
                .iter()
                .filter(|(k, _)| k.start >= m.end && k.start - m.end <= 40)
                .min_by_key(|(k, _)| k.start)
                .filter(|(k, _)| {
                    let between = walk::words(text, Span::new(m.end(), k.start()));
                    between
                        .iter()
                        .any(|(_, w)| walk::one_of(w, &["of", "in", "near"]))
                        && between.iter().all(|(_, w)| walk::one_of(w, LINKS))
                })
                .map(|&(_, j)| j)
        });
        if let Some(j) = located {
            places[i].country = places[j].country.clone();
        }
    }
}

/// A place the knowledge base does not know is named the same way each time: every
/// other occurrence of its name, as a whole word that nothing else has taken, is a
/// mention of it too ("in Masisi" tagged, "in central Masisi" not).
fn repeat_unknown_names(
    doc: &DocView,
    places: &mut [PlaceInfo],
    claimed: &SpanSet,
    kb_spans: &[KbSpan],
) {
    let text = doc.text;
    let taken = |span: Span, places: &[PlaceInfo]| {
        claimed.overlaps(span)
            || near(kb_spans, span.start(), span.end())
                .iter()
                .any(|k| k.span.overlaps(span))
            || places
                .iter()
                .any(|p| p.mentions.iter().any(|m| m.overlaps(span)))
    };
    let unknown: Vec<usize> = (0..places.len())
        .filter(|&i| places[i].kind == "unknown" && places[i].name.len() >= 3)
        .collect();
    if unknown.is_empty() {
        return;
    }
    let mut found: Vec<(usize, Span)> = Vec::new();
    for &i in &unknown {
        let name = places[i].name.as_bytes();
        for at in memchr::memmem::find_iter(text.as_bytes(), name) {
            let span = Span::new(at, at + name.len());
            let whole_word = !walk::before(text, at)
                .ends_with(|c: char| c.is_alphanumeric() || c == '-')
                && !walk::after(text, span.end())
                    .starts_with(|c: char| c.is_alphanumeric() || c == '-');
            if whole_word && !taken(span, places) {
                found.push((i, span));
            }
        }
    }
    // Where two unknown names overlap ("Beit" and "Beit Jinn"), the longer wins.
    found.sort_by_key(|&(_, s)| (s.start, std::cmp::Reverse(s.end)));
    let mut last_end = 0;
    for (i, span) in found {
        if span.start < last_end {
            continue;
        }
        last_end = span.end;
        places[i].mentions.push(span);
    }
}

/// Smallest city a lower-case name may stand for.
const LOWER_CASE_CITY_POPULATION: u64 = 200_000;

/// The place a lower-case tagger location names when it is a country, a first-level
/// division or a city of at least [`LOWER_CASE_CITY_POPULATION`] people.
fn well_known_place<'kb>(
    kb: &'kb Kb,
    written: &str,
    context: &PlaceContext,
) -> Option<sitrep_kb::ResolvedPlace<'kb>> {
    let candidates: Vec<_> = kb
        .lookup(written)
        .into_iter()
        .filter(|c| {
            matches!(
                c.entry,
                sitrep_kb::Entry::Place(_) | sitrep_kb::Entry::Country(_)
            )
        })
        .collect();
    let resolved = kb.resolve_candidates(&candidates, context)?;
    let place = &resolved.place;
    let known = match place.kind {
        sitrep_kb::PlaceKind::Country | sitrep_kb::PlaceKind::Admin1 => true,
        sitrep_kb::PlaceKind::City | sitrep_kb::PlaceKind::Capital => {
            place.population >= LOWER_CASE_CITY_POPULATION
        }
        _ => false,
    };
    (known && !CONTINENTS.contains(&place.name)).then_some(resolved)
}

/// Adds a mention at `span` of a resolved place, merging with the same gazetteer entry.
fn add_resolved(
    places: &mut Vec<PlaceInfo>,
    by_key: &mut HashMap<String, usize>,
    resolved: &sitrep_kb::ResolvedPlace,
    span: Span,
) -> usize {
    let place = &resolved.place;
    let key = match place.id {
        PlaceId::Place(row) => format!("row:{row}"),
        PlaceId::Country(row) => format!("country:{row}"),
    };
    let idx = *by_key.entry(key).or_insert_with(|| {
        places.push(PlaceInfo {
            name: place.name.to_owned(),
            country: place.country.map(|c| c.as_str().to_owned()),
            kind: place_kind(place.kind).to_owned(),
            geonames_id: place.geonames_id.map(u64::from),
            lat: Some(place.lat),
            lon: Some(place.lon),
            admin1: place.admin1.map(str::to_owned),
            confidence: resolved.confidence as f32,
            alternates: resolved
                .alternates
                .iter()
                .filter_map(|(alt, _)| {
                    alt.geonames_id.map(|id| {
                        (
                            u64::from(id),
                            alt.country.map(|c| c.as_str().to_owned()),
                            alt.admin1.map(str::to_owned),
                        )
                    })
                })
                .collect(),
            mentions: Vec::new(),
        });
        places.len() - 1
    });
    places[idx].mentions.push(span);
    idx
}

/// Towns smaller than this are too obscure to be told without their country.
const FAR_HOMONYM_POPULATION: u64 = 50_000;

/// A small town resolved into a country where the document places nothing else, while
/// it names other countries, is a homonym of a place the gazetteer lacks ("the towns of Tawila and …" in a
/// story about Sudan resolved to a village in Yemen): it becomes a place named as
/// written, in the country the document names most.
fn unknown_far_homonyms(doc: &DocView, places: &mut [PlaceInfo], small_towns: &[usize]) {
    let mut named: Vec<(&str, usize)> = Vec::new();
    for p in places.iter().filter(|p| p.kind == "country") {
        if let Some(c) = p.country.as_deref() {
            named.push((c, p.mentions.len()));
        }
    }
    let Some(main) = named
        .iter()
        .max_by_key(|(_, n)| *n)
        .map(|(c, _)| (*c).to_owned())
    else {
        return;
    };
    // Every country the document places something in, but for the town itself.
    let placed_in = |i: usize, c: &str| {
        places
            .iter()
            .enumerate()
            .any(|(j, q)| j != i && q.country.as_deref() == Some(c))
    };
    let far: Vec<usize> = small_towns
        .iter()
        .copied()
        .filter(|&i| {
            places
                .get(i)
                .and_then(|p| p.country.as_deref())
                .is_some_and(|c| !placed_in(i, c))
        })
        .collect();
    for i in far {
        let Some(p) = places.get_mut(i) else { continue };
        let Some(&first) = p.mentions.first() else {
            continue;
        };
        let written = doc.slice(first).to_owned();
        let mentions = std::mem::take(&mut p.mentions);
        *p = PlaceInfo {
            country: Some(main.clone()),
            mentions,
            ..unknown_place(&written)
        };
    }
}

/// Continents are not places an analyst maps (seas and gulfs are kept).
const CONTINENTS: [&str; 8] = [
    "Europe",
    "Asia",
    "Africa",
    "North America",
    "South America",
    "Oceania",
    "Antarctica",
    "Americas",
];

/// Capitalised words that may stand next to a place name without being part of it.
const OPENERS: [&str; 45] = [
    "This",
    "That",
    "These",
    "Those",
    "My",
    "Our",
    "Your",
    "His",
    "Her",
    "Their",
    "Its",
    "Every",
    "Each",
    "Hello",
    // The pronoun: "Here in Indiana I think".
    "I",
    "In",
    "At",
    "On",
    "From",
    "To",
    "Near",
    "Outside",
    "Around",
    "Across",
    "Into",
    "The",
    "A",
    "An",
    "And",
    "But",
    "While",
    "When",
    "After",
    "Before",
    "Since",
    "As",
    "Both",
    "Northern",
    "Southern",
    "Eastern",
    "Western",
    "Central",
    "North",
    "South",
    "Meanwhile",
];

/// A one-word knowledge-base place name next to another capitalised word is usually a
/// piece of a longer name the knowledge base does not know ("Abu Shouk", "Ishaq Dar",
/// "Northgate Wire"); a match that begins with an article is a phrase, not a name
/// ("The city"). Titles next to a place are fine ("Kharkiv Mayor").
fn plausible_place(doc: &DocView, k: &KbSpan, resolved_name: &str, kb_spans: &[KbSpan]) -> bool {
    let written = doc.slice(k.span);
    if written.len() > 4
        && written
            .get(..4)
            .is_some_and(|w| w.eq_ignore_ascii_case("the "))
        && !resolved_name.starts_with("The")
    {
        return false;
    }
    if written.contains(char::is_whitespace) {
        return true;
    }
    !capitalised_neighbour(doc, k.span, kb_spans)
}

/// A tagger location the knowledge base does not know is kept only when it looks like a
/// place: several words, or one word after a locative preposition, and not a piece of a
/// longer capitalised name.
fn plausible_unknown_place(doc: &DocView, span: Span, kb_spans: &[KbSpan]) -> bool {
    if capitalised_neighbour(doc, span, kb_spans) {
        return false;
    }
    if doc.slice(span).contains(char::is_whitespace) {
        return true;
    }
    let before = walk::before(doc.text, span.start()).trim_end();
    let before = before.strip_suffix("the").map_or(before, str::trim_end);
    let word = before.rsplit([' ', '\n']).next().unwrap_or("");
    [
        "in", "near", "at", "outside", "around", "into", "from", "across", "towards", "toward",
        "of",
    ]
    .iter()
    .any(|p| word.eq_ignore_ascii_case(p))
}

/// True when the word right before or after `span` (same line, one space apart) is
/// capitalised, is not a sentence opener or preposition, and is not a title.
pub(super) fn capitalised_neighbour(doc: &DocView, span: Span, kb_spans: &[KbSpan]) -> bool {
    let text = doc.text;
    let is_title = |at: Span| {
        near(kb_spans, at.start(), at.end())
            .iter()
            .any(|t| matches!(t.reading, Reading::Title(_)) && t.span.overlaps(at))
    };
    let capitalised = |word: &str| {
        // "Pakistan-administered" modifies the place; it is not part of its name.
        let compound_modifier = word
            .split_once('-')
            .is_some_and(|(_, rest)| rest.starts_with(|c: char| c.is_lowercase()));
        !compound_modifier
            && word.starts_with(|c: char| c.is_uppercase())
            && word
                .chars()
                .all(|c| c.is_alphabetic() || c == '-' || c == '\'')
            && !OPENERS.contains(&word)
    };
    if let Some(before) = walk::before(text, span.start()).strip_suffix(' ') {
        let start = before
            .rfind([' ', '\n', '"', '“', '('])
            .map_or(0, |i| super::after_char(before, i));
        let word = walk::after(before, start);
        if capitalised(word) && !is_title(Span::new(start, before.len())) {
            return true;
        }
    }
    if let Some(after) = walk::after(text, span.end()).strip_prefix(' ') {
        // The whole word: "London E17" has a postcode after it, not a name.
        let len = after
            .find(|c: char| !(c.is_alphanumeric() || c == '-'))
            .unwrap_or(after.len());
        let word = walk::before(after, len);
        let at = Span::new(span.end() + 1, span.end() + 1 + len);
        if capitalised(word) && !is_title(at) {
            return true;
        }
    }
    false
}

/// The contract's place kinds: `country`, `region`, `city`, `continent`.
fn place_kind(kind: sitrep_kb::PlaceKind) -> &'static str {
    use sitrep_kb::PlaceKind::*;
    match kind {
        Continent => "continent",
        Country => "country",
        Admin1 | Region => "region",
        Capital | City => "city",
    }
}
