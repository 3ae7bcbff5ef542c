//! Places in informal and web text: neighbours that are not part of a name, and names
//! inside web and e-mail addresses.

use sitrep_core::SourceDoc;
use sitrep_engine::Engine;

fn record(text: &str) -> sitrep_core::record::Record {
    let normalized = sitrep_text::normalize(text);
    let doc = SourceDoc {
        source: "test".into(),
        language: "en".into(),
        text: normalized.text,
        offsets: normalized.offsets,
        ..SourceDoc::default()
    };
    Engine::new().extract(&doc)
}

fn places(text: &str) -> Vec<String> {
    record(text).places.into_iter().map(|p| p.name).collect()
}

#[test]
fn a_pronoun_a_postcode_or_a_determiner_next_to_a_place_is_no_part_of_its_name() {
    assert_eq!(
        places("Here in Indiana I think a meal costs four dollars."),
        ["Indiana"]
    );
    assert_eq!(places("Omar Said, 24, London E17"), ["London"]);
    assert_eq!(places("This Kharkiv operation took weeks."), ["Kharkiv"]);
    // A capitalised word that is part of the name still makes it another name.
    assert!(places("He ate at the Kharkiv Grill.").is_empty());
}

#[test]
fn names_inside_web_and_mail_addresses_are_not_mentions() {
    let text =
        "Write to Ana Costa < costa@Stanford.EDU > or see http://www.example.co.uk/Paris today.";
    let rec = record(text);
    assert!(rec.places.is_empty(), "{:?}", rec.places);
    assert!(rec.entities.iter().any(|e| e.name == "Ana Costa"));
}
