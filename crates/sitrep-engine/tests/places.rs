//! Places in informal and web text: neighbours that are not part of a name, and names
//! inside web and e-mail addresses.

mod common;

fn record(text: &str) -> sitrep_core::record::Record {
    common::record_of(text, None)
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

#[test]
fn well_known_places_written_in_lower_case_are_places() {
    let found = places("what is the best pizza in chicago ? my sister lives in ireland .");
    assert_eq!(found, ["Chicago", "Ireland"]);
    // A small town or an unknown word in lower case is left alone.
    assert!(places("we stayed in selah for a week .").is_empty());
}

#[test]
fn an_adjective_is_no_mention_of_a_place() {
    let rec = record("The best Thai food I have had was in Melbourne.");
    let names: Vec<&str> = rec.places.iter().map(|p| p.name.as_str()).collect();
    assert_eq!(names, ["Melbourne"]);
}

#[test]
fn a_persons_name_after_of_or_to_stays_a_person() {
    // "David" is also a town; the tagger's person wins after "of" and "to".
    let rec = record("There are two statues of David in the city, she said to Elizabeth Moran.");
    assert!(
        rec.places.iter().all(|p| p.name != "David"),
        "{:?}",
        rec.places
    );
}

#[test]
fn another_name_of_a_town_does_not_outweigh_the_tagger() {
    // "Google" is listed as a former name of Topeka.
    let rec = record("Many users were annoyed over Google's new toolbar this week.");
    assert!(rec.places.is_empty(), "{:?}", rec.places);
}

#[test]
fn a_name_before_a_kind_noun_is_a_place_even_unknown_to_the_gazetteer() {
    let rec = record(
        "Shells fell on homes in the Dharmala sector of Kotli district on Tuesday, and on \
         Pirwani and Batkot villages.",
    );
    let dharmala = rec.places.iter().find(|p| p.name == "Dharmala");
    assert_eq!(
        dharmala.and_then(|p| p.country.as_deref()),
        Some("PK"),
        "{:?}",
        rec.places
    );
    assert!(
        rec.places
            .iter()
            .any(|p| p.name == "Pirwani and Batkot" || p.name == "Batkot"),
        "{:?}",
        rec.places
    );
    // A determiner or a common word before the kind noun names no place.
    let rec = record("The village was quiet. The Army camp was shelled.");
    assert!(rec.places.is_empty(), "{:?}", rec.places);
}

#[test]
fn a_capital_that_is_left_visited_or_struck_is_a_place_not_its_government() {
    // A verb after a capital usually makes it act for its state ("Cairo insisted"),
    // but a capital that is the object of travel or of an attack is the city.
    let rec = record("The envoy departed Cairo late on Monday. Missiles struck Kyiv overnight.");
    let names: Vec<&str> = rec.places.iter().map(|p| p.name.as_str()).collect();
    assert_eq!(names, ["Cairo", "Kyiv"]);
    assert!(
        rec.entities.iter().all(|e| e.name != "Egypt"),
        "{:?}",
        rec.entities
    );
    let acting = record("Cairo insisted on a ceasefire.");
    assert!(acting.entities.iter().any(|e| e.name == "Egypt"));
}

#[test]
fn a_refugee_camp_the_gazetteer_lacks_is_named_by_its_kind() {
    let rec = record("A drone strike on the Al-Nakheel refugee camp killed two men on Sunday.");
    let names: Vec<&str> = rec.places.iter().map(|p| p.name.as_str()).collect();
    assert_eq!(names, ["Al-Nakheel"]);
    assert_eq!(rec.events.len(), 1);
    assert_eq!(
        rec.events[0].place.as_deref(),
        Some(rec.places[0].id.as_str())
    );
}

#[test]
fn a_small_town_homonym_in_a_country_the_story_never_names_is_a_place_of_the_story() {
    let rec = record("A convoy of peacekeepers was ambushed near Ber in northern Mali on Friday.");
    let got: Vec<_> = rec
        .places
        .iter()
        .map(|p| (p.name.as_str(), p.country.as_deref(), p.kind.as_str()))
        .collect();
    assert_eq!(
        got,
        [
            ("Ber", Some("ML"), "unknown"),
            ("Mali", Some("ML"), "country")
        ]
    );
    // A town of a country the story places other things in keeps its resolution.
    let rec = record("Shells fell on Mocha and Taiz in Yemen on Friday.");
    assert!(rec
        .places
        .iter()
        .all(|p| p.kind != "unknown" && p.country.as_deref() == Some("YE")));
}
