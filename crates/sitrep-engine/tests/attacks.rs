//! Attacks on the whole pipeline: where they happened when the text names a country, a
//! region and a city around them, and how many died.

mod common;

use sitrep_core::record::Record;

fn record(text: &str) -> Record {
    common::record_of(text, Some("2025-03-04"))
}

/// (place as the text first writes it, killed) of each event.
fn attacks(rec: &Record) -> Vec<(String, Option<u64>)> {
    rec.events
        .iter()
        .map(|e| {
            let place = e
                .place
                .as_deref()
                .and_then(|id| rec.places.iter().find(|p| p.id == id))
                .and_then(|p| p.mentions.first())
                .map_or_else(String::new, |m| m.text.clone());
            (place, e.killed.as_ref().and_then(|k| k.min))
        })
        .collect()
}

#[test]
fn the_city_behind_its_countrys_possessive_is_the_place() {
    let rec = record("A missile hit a school in Ukraine's northeastern Kharkiv city on Monday.");
    assert_eq!(attacks(&rec), [("Kharkiv".to_owned(), None)]);
}

#[test]
fn a_country_before_the_attack_word_is_its_actor_not_its_place() {
    let rec =
        record("Israel struck a fuel depot north of Yemen's port city of Hodeidah on Monday.");
    assert_eq!(attacks(&rec), [("Hodeidah".to_owned(), None)]);
    let actor = rec.events[0]
        .actor
        .as_ref()
        .and_then(|a| a.country.as_deref());
    assert_eq!(actor, Some("IL"));
}

#[test]
fn a_capital_after_capital_city_is_the_city() {
    let rec = record(
        "A car bomb exploded in Somalia's capital city Mogadishu on Monday, killing five people.",
    );
    assert_eq!(attacks(&rec), [("Mogadishu".to_owned(), Some(5))]);
}

#[test]
fn one_blast_told_at_the_country_and_at_the_city_is_one_event() {
    let rec = record(
        "A suicide blast in Somalia killed four people on Monday, police said.\n\n\
         The blast hit a hotel in Mogadishu's Hodan district.",
    );
    assert_eq!(attacks(&rec), [("Mogadishu".to_owned(), Some(4))]);
}

#[test]
fn martyrs_and_deaths_are_counted_as_killed() {
    let rec = record("Five civilians were martyred in an air strike on Rafah on Monday.");
    assert_eq!(attacks(&rec), [("Rafah".to_owned(), Some(5))]);
}

#[test]
fn a_lead_without_a_place_takes_the_place_told_next() {
    let rec = record(
        "A raid on a market in the east of the country killed 30 traders on Friday, \
         the government said.\n\n\
         Gunmen opened fire during evening prayers in the remote border town of Banibangou, \
         a local official said.",
    );
    assert_eq!(attacks(&rec), [("Banibangou".to_owned(), Some(30))]);
}

#[test]
fn a_place_the_gazetteer_lacks_is_named_wherever_it_is_written() {
    let rec = record(
        "Rebels seized the village of Tombolara on Monday, residents said.\n\n\
         Drones later bombed houses in central Tombolara, killing six people.",
    );
    let place = rec
        .places
        .iter()
        .find(|p| p.name == "Tombolara")
        .expect("a place");
    assert_eq!(place.mentions.len(), 2, "{:?}", place.mentions);
    assert_eq!(attacks(&rec), [("Tombolara".to_owned(), Some(6))]);
}

#[test]
fn a_toll_told_after_a_paragraph_break_belongs_to_the_attack() {
    let rec = record(
        "A missile hit an apartment block in Dnipro on Friday morning, the governor said.\n\n\
         At least two passengers were reported to be killed, and 14 others were hurt.",
    );
    assert_eq!(attacks(&rec), [("Dnipro".to_owned(), Some(2))]);
    let wounded = rec.events[0].wounded.as_ref().and_then(|w| w.min);
    assert_eq!(wounded, Some(14));
}

#[test]
fn the_site_is_what_the_attack_hit_in_the_texts_words() {
    let site = |text: &str| {
        record(text)
            .events
            .first()
            .and_then(|e| e.site.as_ref())
            .map(|s| s.text.clone())
    };
    assert_eq!(
        site("Warplanes shelled a shop west of Rafah on Monday, killing six.").as_deref(),
        Some("a shop west of Rafah")
    );
    assert_eq!(
        site("A drone strike on the town square in Mykolaiv killed two workers.").as_deref(),
        Some("the town square")
    );
    // A place is no site of its own.
    assert_eq!(
        site("Russian forces shelled the city of Kherson on Monday."),
        None
    );
}

#[test]
fn an_earlier_attack_recalled_with_its_own_day_is_its_own_event() {
    let rec = record(
        "A missile struck an office block in Sumy on Monday, killing two people, the governor said.\n\n\
         Sumy lies near the border and has been hit many times.\n\n\
         The attack on central Sumy on January 9 destroyed a school. Five people were killed and \
         30 wounded, rescuers said.",
    );
    assert_eq!(
        attacks(&rec),
        [("Sumy".to_owned(), Some(2)), ("Sumy".to_owned(), Some(5))]
    );
    let dates: Vec<_> = rec.events.iter().map(|e| e.date.as_deref()).collect();
    assert_eq!(dates, [Some("2025-03-03"), Some("2025-01-09")]);
}

#[test]
fn the_attack_with_the_same_day_still_refers_back() {
    let rec = record(
        "A drone hit a depot in Odesa on Monday, wounding four.\n\n\
         The attack on Monday also damaged a church, officials said.",
    );
    assert_eq!(attacks(&rec), [("Odesa".to_owned(), None)]);
    assert_eq!(rec.events[0].evidence.len(), 2);
}

#[test]
fn another_target_or_toll_in_the_next_sentence_is_another_attack() {
    let rec = record(
        "On Sunday the militia shelled the cattle market west of Kadugli, killing nine civilians. \
         Militia fighters also attacked a bus carrying displaced families between the towns of Kadugli \
         and Dilling, killing 31 people. Its drones recently bombed the old mosque in Kadugli.",
    );
    let got = attacks(&rec);
    assert_eq!(got.len(), 3, "{got:?}");
    assert_eq!(got[0].1, Some(9));
    assert_eq!(got[1].1, Some(31));
    let sites: Vec<_> = rec
        .events
        .iter()
        .map(|e| e.site.as_ref().map(|s| s.text.as_str()))
        .collect();
    assert_eq!(sites[0], Some("the cattle market west of Kadugli"));
    assert_eq!(sites[2], Some("the old mosque"));
}

#[test]
fn targets_listed_in_one_sentence_are_one_bombardment() {
    let rec = record(
        "Artillery pounded the besieged city of Kadugli on Sunday, killing 12 civilians.\n\n\
         Shells struck a clinic and homes in the east of the city, while drones hit the edge \
         of the airport. Four children were among the dead.",
    );
    assert_eq!(attacks(&rec), [("Kadugli".to_owned(), Some(12))]);
}

#[test]
fn state_media_aggression_is_an_air_attack_and_a_hyphenated_pair_of_countries_is_no_place() {
    let rec = record(
        "Four people were killed and nine wounded in a US-UK air aggression targeting \
         a fuel depot in Hodeidah on Monday, the health office said.",
    );
    assert_eq!(attacks(&rec), [("Hodeidah".to_owned(), Some(4))]);
    assert_eq!(rec.events[0].mode.as_deref(), Some("airstrike"));
}

#[test]
fn blowing_up_a_target_is_an_attack() {
    let rec = record(
        "The armed wing said its fighters blew up a bridge used by troops near Rafah, killing \
         three soldiers.",
    );
    assert_eq!(attacks(&rec), [("Rafah".to_owned(), Some(3))]);
    assert_eq!(rec.events[0].mode.as_deref(), Some("explosion"));
}

#[test]
fn two_descriptions_joined_by_and_still_place_the_attack() {
    let rec = record("Army jets struck rebel positions in central and southern Mosul on Monday.");
    assert_eq!(attacks(&rec), [("Mosul".to_owned(), None)]);
}

#[test]
fn another_count_of_wounded_at_the_same_place_is_another_attack() {
    let rec = record(
        "A missile hit a school in Sumy on Monday, wounding 12 people, officials said.\n\n\
         The city has been shelled often.\n\n\
         Missile attack on Sumy leaves 8 injured, including 2 children",
    );
    let wounded: Vec<_> = rec
        .events
        .iter()
        .map(|e| e.wounded.as_ref().and_then(|w| w.min))
        .collect();
    assert_eq!(wounded, [Some(12), Some(8)], "{:?}", attacks(&rec));
}

#[test]
fn dropping_bombs_on_a_village_is_an_air_strike_the_lead_told_without_its_place() {
    let rec = record(
        "An army air strike on a village killed six civilians, residents said on Tuesday.\n\n\
         A jet dropped two bombs on Taze village near Monywa on Monday evening, a local \
         volunteer said.",
    );
    let got = attacks(&rec);
    assert_eq!(got.len(), 1, "{got:?}");
    assert_eq!(got[0].1, Some(6));
    assert_eq!(rec.events[0].mode.as_deref(), Some("airstrike"));
    assert!(rec.events[0].place.is_some(), "{got:?}");
}

#[test]
fn habitual_strikes_are_a_summary_not_an_event() {
    let rec = record(
        "Shelters in Khan Younis are constantly hit by air strikes, the agency said. The army \
         frequently carries out raids in Jenin.",
    );
    assert_eq!(attacks(&rec), []);
}

#[test]
fn aggression_is_an_attack_only_on_or_against_something() {
    let rec = record("Talks can follow only an end to the aggression, Omar Said said in Amman.");
    assert_eq!(attacks(&rec), []);
    let rec =
        record("The aggression on Hodeidah killed three port workers on Monday, medics said.");
    assert_eq!(attacks(&rec), [("Hodeidah".to_owned(), Some(3))]);
}
