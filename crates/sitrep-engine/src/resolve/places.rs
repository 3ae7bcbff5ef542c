//! Places: knowledge-base place and country names that no person, organisation or
//! acting metonym took, resolved to one gazetteer entry each in the document's country
//! context, plus tagger locations the knowledge base does not know (kept unresolved
//! rather than dropped, with a low confidence).

use std::collections::HashMap;

use sitrep_core::Span;
use sitrep_kb::{Kb, PlaceContext, PlaceId};
use sitrep_ner::EntityType;

use super::{KbSpan, Reading};
use crate::model::{DocView, PlaceInfo};
use crate::recognise::TaggedName;

/// Confidence given to a place name the knowledge base does not know.
const UNRESOLVED_CONFIDENCE: f32 = 0.3;

/// Builds the places of a document, ordered by first mention.
pub fn build(
    doc: &DocView,
    names: &[TaggedName],
    kb_spans: &[KbSpan],
    claimed: &[Span],
    kb: &Kb,
) -> Vec<PlaceInfo> {
    let matches: Vec<_> = kb_spans.iter().map(|k| k.matched.clone()).collect();
    let context = PlaceContext::from_matches(kb, &matches);
    let mut places: Vec<PlaceInfo> = Vec::new();
    let mut by_key: HashMap<String, usize> = HashMap::new();
    let is_claimed = |span: Span| claimed.iter().any(|c| c.overlaps(span));
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
        places[idx].mentions.push(k.span);
    }
    for name in names.iter().filter(|n| n.kind == EntityType::Loc) {
        if is_claimed(name.span) || kb_spans.iter().any(|k| k.span.overlaps(name.span)) {
            continue;
        }
        let written: String = doc
            .slice(name.span)
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ");
        if !written.starts_with(|c: char| c.is_uppercase()) {
            continue;
        }
        let key = format!("name:{}", sitrep_kb::fold(&written));
        let idx = *by_key.entry(key).or_insert_with(|| {
            places.push(PlaceInfo {
                name: written.clone(),
                country: None,
                kind: "unknown".to_owned(),
                geonames_id: None,
                lat: None,
                lon: None,
                admin1: None,
                confidence: UNRESOLVED_CONFIDENCE,
                alternates: Vec::new(),
                mentions: Vec::new(),
            });
            places.len() - 1
        });
        places[idx].mentions.push(name.span);
    }
    for p in &mut places {
        p.mentions.sort();
    }
    places.sort_by_key(|p| p.mentions.first().map(|m| m.start).unwrap_or(u32::MAX));
    places
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
