//! Sides of people whom the text does not tie to a country by name: local officials
//! serve where the places named around them are, even in a story that names the other
//! side of a war more often.

use sitrep_core::SourceDoc;
use sitrep_engine::Engine;

fn side_of(text: &str, person: &str) -> Option<String> {
    let normalized = sitrep_text::normalize(text);
    let doc = SourceDoc {
        source: "test".into(),
        published: Some("2025-06-11".into()),
        language: "en".into(),
        text: normalized.text,
        offsets: normalized.offsets,
        ..SourceDoc::default()
    };
    let record = Engine::new().extract(&doc);
    record
        .entities
        .iter()
        .find(|e| e.name == person)
        .unwrap_or_else(|| panic!("{person} not found in {:#?}", record.entities))
        .affiliation
        .as_ref()
        .and_then(|a| a.country.clone())
}

#[test]
fn a_local_official_serves_where_the_nearby_place_is() {
    // Turkish places and the other side are named more often than any Ukrainian place.
    let text = "Negotiators from Russia met in Istanbul on Wednesday. Talks in Istanbul \
                went on for two hours, and Russian envoys left Istanbul for Ankara in the \
                evening.\n\nIn Zaporizhzhia, a strike hit a school in the Shevchenkivskyi \
                district. Ivan Fedorov, head of the regional military administration, said \
                two teachers were wounded.";
    assert_eq!(side_of(text, "Ivan Fedorov").as_deref(), Some("UA"));
}

#[test]
fn a_local_official_far_from_any_place_takes_the_story_country() {
    let text = "Shelling hit Kharkiv and Izium overnight, and Kupiansk lost power. \
                Officials said repair crews were at work.\n\nThe mayor's office said \
                schools would stay closed. Later in the day, after a long briefing on the \
                repairs, the evacuation of several villages and the supply of water to \
                the hospitals of the region, which took most of the afternoon, the city's \
                mayor, Ihor Terekhov, said the power was back.";
    assert_eq!(side_of(text, "Ihor Terekhov").as_deref(), Some("UA"));
}
