//! People's titles and sides from the words around their names: titles set off by
//! commas, and local officials, whom the text does not tie to a country by name, serving
//! where the places named around them are.

mod common;

use common::record_of;

fn person(text: &str, name: &str) -> sitrep_core::record::Entity {
    let record = record_of(text, Some("2025-06-11"));
    record
        .entities
        .iter()
        .find(|e| e.name == name)
        .unwrap_or_else(|| panic!("{name} not found in {:#?}", record.entities))
        .clone()
}

fn side_of(text: &str, name: &str) -> Option<String> {
    person(text, name).affiliation.and_then(|a| a.country)
}

#[test]
fn a_title_set_off_by_commas_belongs_to_the_name() {
    let text = "Ukraine's foreign minister, Andrii Sybiha, asked allies for more air \
                defence systems on Monday.";
    let sybiha = person(text, "Andrii Sybiha");
    assert!(
        sybiha.titles.iter().any(|t| t == "foreign minister"),
        "{:?}",
        sybiha.titles
    );
    assert_eq!(
        sybiha.affiliation.and_then(|a| a.country).as_deref(),
        Some("UA")
    );
    // Without the closing comma the phrase is no apposition.
    let text = "Asked about the foreign minister, Andrii Sybiha said nothing.";
    assert!(person(text, "Andrii Sybiha").titles.is_empty());
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

#[test]
fn negotiators_take_the_side_that_sends_them() {
    let text = "The talks opened at noon. Turkey's side was led by Deputy Foreign Minister \
                Ahmet Kaya, while Moscow sent Deputy Foreign Minister Pavel Orlov.";
    assert_eq!(side_of(text, "Ahmet Kaya").as_deref(), Some("TR"));
    assert_eq!(side_of(text, "Pavel Orlov").as_deref(), Some("RU"));
    // A verb far from the country belongs to another noun phrase.
    let text = "Turkey's delegation met the negotiating team that was led by economist \
                Ahmet Kaya on Monday.";
    assert_eq!(side_of(text, "Ahmet Kaya"), None);
}

#[test]
fn a_title_keeps_its_complement_before_the_name() {
    let text = "Israeli Minister for Regional Cooperation David Levin and the US envoy \
                to Syria Mark Olsen met in Paris on Thursday.";
    assert!(person(text, "David Levin")
        .titles
        .iter()
        .any(|t| t == "Minister for Regional Cooperation"));
    assert!(person(text, "Mark Olsen")
        .titles
        .iter()
        .any(|t| t == "envoy to Syria"));
    // A title inside the complement starts the next name instead.
    let text = "Yuri Petrov, a foreign policy aide to President Ivan Sokolov, spoke on Friday.";
    assert!(person(text, "Ivan Sokolov")
        .titles
        .iter()
        .all(|t| !t.contains("aide")));
}

#[test]
fn an_honorific_between_title_and_name_is_skipped() {
    let text = "Presidential Adviser Dr. Karim Haddad met the delegation in Abu Dhabi.";
    assert!(person(text, "Karim Haddad")
        .titles
        .iter()
        .any(|t| t == "Presidential Adviser"));
}

fn people(text: &str) -> Vec<String> {
    record_of(text, None)
        .entities
        .into_iter()
        .filter(|e| e.kind == sitrep_core::record::EntityKind::Person)
        .map(|e| e.name)
        .collect()
}

#[test]
fn a_title_introduces_a_name_the_tagger_may_miss() {
    let text = "“The delegation will travel on Monday,” presidency spokeswoman Rania \
                Haddad says.";
    let found = person(text, "Rania Haddad");
    assert!(found.titles.iter().any(|t| t.contains("spokeswoman")));
    // Clock times and buildings are no names.
    let text = "Last updated at 7 PM Aden Time. The wounded were taken to the Masisi \
                General Reference Hospital.";
    assert_eq!(people(text), Vec::<String>::new());
}

#[test]
fn negotiators_administrators_and_local_offices() {
    let text = "Ukraine was represented by chief negotiator Rustem Umerov on Friday.";
    assert!(person(text, "Rustem Umerov")
        .titles
        .iter()
        .any(|t| t == "chief negotiator"));
    // A police spokesman serves where the story's places are.
    let text = "A car bomb exploded in Mogadishu's Hodan district on Sunday, police \
                spokesman Abdi Warsame said.";
    assert_eq!(side_of(text, "Abdi Warsame").as_deref(), Some("SO"));
}

#[test]
fn residents_take_the_country_of_their_hometown() {
    let text = "Shelling hit villages near Kotli in Pakistan-administered Kashmir on \
                Sunday. The dead were Amina Bibi, 42, of Gorah village, and Tariq \
                Mehmood, 35, of Bandi Kalan. \"We had a day to leave,\" said Omar \
                Farouk, a Kotli resident.";
    assert_eq!(side_of(text, "Amina Bibi").as_deref(), Some("PK"));
    assert_eq!(side_of(text, "Tariq Mehmood").as_deref(), Some("PK"));
    assert_eq!(side_of(text, "Omar Farouk").as_deref(), Some("PK"));
}

#[test]
fn interior_ministers_and_local_officials_serve_at_home() {
    let text = "Missiles hit a nine-storey building in Dnipro on June 28, Governor Ivan \
                Petrenko said. Rescuers worked through the night, Interior Minister \
                Oleh Marchenko said.";
    // "June" is a town in France too, but a month here.
    assert_eq!(side_of(text, "Ivan Petrenko").as_deref(), Some("UA"));
    assert_eq!(side_of(text, "Oleh Marchenko").as_deref(), Some("UA"));
}

fn titles_of(text: &str, name: &str) -> Vec<String> {
    person(text, name).titles
}

#[test]
fn titles_shared_by_a_list_of_names() {
    let text = "US envoys Mark Dalton and Peter Vance joined the talks in Geneva.";
    assert_eq!(titles_of(text, "Mark Dalton"), ["envoy"]);
    assert_eq!(titles_of(text, "Peter Vance"), ["envoy"]);
    assert_eq!(side_of(text, "Peter Vance").as_deref(), Some("US"));
}

#[test]
fn titles_with_an_acronym_a_complement_or_a_rank_word() {
    let text = "Shelling went on all night, said Deputy Commissioner (DC) Rashid Mehmood Awan.";
    assert!(titles_of(text, "Rashid Mehmood Awan").contains(&"Deputy Commissioner".to_owned()));
    let text = "UN Special Envoy to Yemen Lars Ekberg met Houthi negotiators in Muscat.";
    assert!(titles_of(text, "Lars Ekberg")
        .iter()
        .any(|t| t == "Special Envoy to Yemen"));
    let text = "Talks were first held in 2000 under former President Alan Brooks.";
    assert!(titles_of(text, "Alan Brooks").contains(&"former President".to_owned()));
}

#[test]
fn a_rank_word_before_a_country_and_a_chief_minister() {
    let text = "It was the first meeting since former U.S. President Alan Brooks hosted talks.";
    assert!(titles_of(text, "Alan Brooks").contains(&"former President".to_owned()));
    assert_eq!(side_of(text, "Alan Brooks").as_deref(), Some("US"));
    let text = "Shelling hit Kupwara in Kashmir. Chief Minister Farooq Lone visited Srinagar.";
    assert_eq!(side_of(text, "Farooq Lone").as_deref(), Some("IN"));
}

#[test]
fn feasts_hometowns_and_buildings_are_no_people() {
    let found = people(
        "The attack came during Ramadan. Among the wounded was Ali Raza, 35, of Bandi \
         Kalan. A car bomb went off near the Al Noor restaurant.",
    );
    assert_eq!(found, ["Ali Raza"]);
}

#[test]
fn a_short_name_joins_the_long_name_that_holds_it() {
    let text = "'We stand together,' declared Jean Emmanuel. Later Communication Minister \
                Jean Emmanuel Ouedraogo visited the wounded.";
    let found = people(text);
    assert_eq!(found, ["Jean Emmanuel Ouedraogo"]);
}

#[test]
fn an_office_set_off_by_commas_before_the_name() {
    let text = "The chief spokesman of the Chadian army, Colonel Omar Hassan, told \
                reporters the raid had failed.";
    assert!(titles_of(text, "Omar Hassan")
        .iter()
        .any(|t| t == "chief spokesman of the Chadian army"));
    assert_eq!(side_of(text, "Omar Hassan").as_deref(), Some("TD"));
    // A body of the state without its country serves at home.
    let text = "Fighting went on near Kaya in Burkina Faso. Aid workers travelled there with \
                the head of the national army, General Paul Sawadogo, on Tuesday.";
    assert_eq!(side_of(text, "Paul Sawadogo").as_deref(), Some("BF"));
}

#[test]
fn sides_from_a_group_or_a_hometown_placed_in_a_country() {
    let text = "The mediator saw Qatari negotiators on Monday, including Minister of State \
                Salem Nasser, before the talks.";
    assert_eq!(side_of(text, "Salem Nasser").as_deref(), Some("QA"));
    let text = "The army named the dead reservist as David Amsalem from Kfar Yona in \
                central Israel.";
    assert_eq!(side_of(text, "David Amsalem").as_deref(), Some("IL"));
}

#[test]
fn office_holders_the_text_ties_to_no_country_serve_where_the_story_is() {
    let text = "Colombia's government and the rebels resumed talks. Colombian negotiators \
                said the ceasefire held across Colombia. President Andres Villamil said \
                the talks would go on.";
    assert_eq!(side_of(text, "Andres Villamil").as_deref(), Some("CO"));
    // "Somali" before a noun is the adjective, not Ethiopia's Somali Region.
    let text = "\"We will not be deterred,\" said Somali police spokesman Colonel Abdi Farah.";
    assert_eq!(side_of(text, "Abdi Farah").as_deref(), Some("SO"));
}
