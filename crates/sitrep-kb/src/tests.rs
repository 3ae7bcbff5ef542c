//! Tests over the embedded KB (data/kb/).

use super::*;

fn kb() -> &'static Kb {
    Kb::embedded()
}

/// Great-circle distance in km.
fn km(lat1: f64, lon1: f64, lat2: f64, lon2: f64) -> f64 {
    let (p1, p2) = (lat1.to_radians(), lat2.to_radians());
    let dp = p2 - p1;
    let dl = (lon2 - lon1).to_radians();
    let a = (dp / 2.0).sin().powi(2) + p1.cos() * p2.cos() * (dl / 2.0).sin().powi(2);
    2.0 * 6371.0 * a.sqrt().asin()
}

fn resolved(name: &str, ctx: &PlaceContext) -> ResolvedPlace<'static> {
    kb().resolve_place(name, ctx)
        .unwrap_or_else(|| panic!("{name} not resolved"))
}

fn assert_near(name: &str, lat: f64, lon: f64, cc: &str) {
    let r = resolved(name, &PlaceContext::new());
    let d = km(r.place.lat, r.place.lon, lat, lon);
    assert_eq!(
        r.place.country.map(|c| c.to_string()).as_deref(),
        Some(cc),
        "{name}: {r:?}"
    );
    assert!(d < 25.0, "{name}: {d:.1} km off ({r:?})");
    assert!(r.place.geonames_id.is_some(), "{name} has a GeoNames id");
}

fn ctx_from(text: &str) -> PlaceContext {
    PlaceContext::from_matches(kb(), &kb().find_in(text))
}

#[test]
fn front_line_places_resolve_within_25_km() {
    assert_near("Marhanets", 47.65, 34.63, "UA");
    assert_near("Kherson", 46.64, 32.61, "UA");
    assert_near("Moscow", 55.76, 37.62, "RU");
    assert_near("London", 51.51, -0.13, "GB");
    assert_near("Pokrovsk", 48.28, 37.18, "UA");
    assert_near("Toretsk", 48.40, 37.85, "UA");
    assert_near("Kharkiv", 49.99, 36.23, "UA");
    assert_near("Rafah", 31.29, 34.25, "PS");
    assert_near("Khan Younis", 31.34, 34.31, "PS");
    assert_near("El Fasher", 13.63, 25.35, "SD");
    assert_near("Goma", -1.68, 29.23, "CD");
    assert_near("Kyiv", 50.45, 30.52, "UA");
    assert_near("Kiev", 50.45, 30.52, "UA");
}

#[test]
fn regions_resolve() {
    for (name, cc) in [
        ("Crimea", "UA"),
        ("Donbas", "UA"),
        ("Kursk Oblast", "RU"),
        ("Kursk region", "RU"),
        ("Gaza Strip", "PS"),
        ("Darfur", "SD"),
        ("North Kivu", "CD"),
    ] {
        let r = resolved(name, &PlaceContext::new());
        assert_eq!(r.place.country.unwrap().as_str(), cc, "{name}: {r:?}");
        assert!(
            matches!(r.place.kind, PlaceKind::Admin1 | PlaceKind::Region),
            "{name} is a region: {r:?}"
        );
    }
    let crimea = resolved("Crimea", &PlaceContext::new());
    assert!(km(crimea.place.lat, crimea.place.lon, 45.3, 34.4) < 100.0);
}

#[test]
fn paris_depends_on_context() {
    let fr = resolved("Paris", &PlaceContext::new());
    assert_eq!(fr.place.country.unwrap().as_str(), "FR");
    assert!(!fr.alternates.is_empty());
    let ctx = ctx_from(
        "Officials in Dallas and Austin said the storm hit northeast Texas on Monday. \
         Texas Governor Greg Abbott said U.S. disaster aid would reach Lamar County.",
    );
    let tx = resolved("Paris", &ctx);
    assert_eq!(tx.place.country.unwrap().as_str(), "US", "{tx:?}");
    assert!(
        km(tx.place.lat, tx.place.lon, 33.66, -95.56) < 25.0,
        "{tx:?}"
    );
}

#[test]
fn georgia_depends_on_context() {
    let caucasus = ctx_from(
        "Russia and Armenia traded accusations as Azerbaijan and Turkey watched the Caucasus; \
         Moscow said Tbilisi had been warned.",
    );
    let ge = resolved("Georgia", &caucasus);
    assert_eq!(ge.place.kind, PlaceKind::Country, "{ge:?}");
    assert_eq!(ge.place.country.unwrap().as_str(), "GE");
    let us = ctx_from(
        "Voters in Atlanta and Savannah lined up as the U.S. election neared; Americans waited.",
    );
    let ga = resolved("Georgia", &us);
    assert_eq!(ga.place.country.unwrap().as_str(), "US", "{ga:?}");
    assert_eq!(ga.place.kind, PlaceKind::Admin1);
}

#[test]
fn countries_and_forms() {
    let k = kb();
    for (name, cc) in [
        ("France", "FR"),
        ("Germany", "DE"),
        ("U.S.", "US"),
        ("US", "US"),
        ("United States", "US"),
        ("America", "US"),
        ("UK", "GB"),
        ("Britain", "GB"),
    ] {
        let (code, form) = k.country_mention(name).unwrap_or_else(|| panic!("{name}"));
        assert_eq!(code.as_str(), cc, "{name}");
        assert_eq!(form, CountryForm::Name, "{name}");
    }
    assert_eq!(
        k.country_mention("Ukrainian")
            .map(|m| m.0.to_string())
            .as_deref(),
        Some("UA")
    );
    assert_eq!(
        k.country_mention("Ukrainians"),
        Some((CountryCode(*b"UA"), CountryForm::People))
    );
    assert_eq!(
        k.country_mention("Russia's"),
        Some((CountryCode(*b"RU"), CountryForm::Possessive))
    );
    assert_eq!(
        k.country_mention("Kremlin"),
        Some((CountryCode(*b"RU"), CountryForm::Metonym))
    );
    let (cc, forms) = k.demonym("Ukrainian").unwrap();
    assert_eq!(cc.as_str(), "UA");
    assert!(forms.adjective);
    assert_eq!(k.country_name("GB"), Some("United Kingdom"));
    assert_eq!(
        k.country_by_code("ua").map(|c| c.adjective.as_str()),
        Some("Ukrainian")
    );
}

#[test]
fn metonyms_stand_for_states() {
    let k = kb();
    let kremlin = k.lookup("Kremlin");
    assert!(kremlin
        .iter()
        .any(|c| matches!(&c.entry, Entry::Metonym(m) if m.country.as_str() == "RU")));
    let kyiv = k.lookup("Kyiv");
    assert!(kyiv
        .iter()
        .any(|c| matches!(&c.entry, Entry::Metonym(m) if m.country.as_str() == "UA")));
    assert!(kyiv
        .iter()
        .any(|c| matches!(&c.entry, Entry::Place(p) if p.kind == PlaceKind::Capital)));
    let m = k.find_in("Kyiv rejected the plan, while the Kremlin said the report was fake.");
    let kyiv = m.iter().find(|m| m.span == (0..4)).expect("Kyiv matched");
    assert_eq!(kyiv.country().unwrap().as_str(), "UA");
    assert!(kyiv.has(MatchKind::Place) && kyiv.has(MatchKind::Metonym));
    assert!(m
        .iter()
        .any(|m| m.has(MatchKind::Metonym) && m.country().unwrap().as_str() == "RU"));
}

#[test]
fn titles_with_country_and_metonym() {
    let k = kb();
    let t = k.lookup_title("Foreign Secretary");
    assert_eq!(t[0].category, TitleCategory::Minister);
    assert_eq!(t[0].portfolio.as_deref(), Some("foreign"));
    let text = "Kremlin spokesman Dmitry Peskov spoke after UK Foreign Secretary David Lammy met Gen. Keith Kellogg.";
    let m = k.find_in(text);
    let spans: Vec<(&str, Vec<MatchKind>)> = m
        .iter()
        .map(|x| (&text[x.span.clone()], x.kinds()))
        .collect();
    let get = |s: &str| spans.iter().find(|x| x.0 == s).map(|x| x.1.clone());
    assert_eq!(get("Kremlin"), Some(vec![MatchKind::Metonym]));
    assert!(get("spokesman").unwrap().contains(&MatchKind::Title));
    assert!(get("UK").unwrap().contains(&MatchKind::Country));
    assert!(get("Foreign Secretary")
        .unwrap()
        .contains(&MatchKind::Title));
    assert!(get("Gen.").is_some() || get("Gen").is_some(), "{spans:?}");
    assert!(
        get("Kellogg").is_none(),
        "a surname after a title is no place: {spans:?}"
    );
    let spokes = m
        .iter()
        .find(|x| &text[x.span.clone()] == "spokesman")
        .unwrap();
    assert_eq!(
        spokes.titles().next().unwrap().category,
        TitleCategory::Spokesperson
    );
}

#[test]
fn common_words_do_not_fire() {
    let k = kb();
    for text in [
        "It was a nice day and the bar was full.",
        "Nice work, said the mobile team.",
        "Mobile phones and a split decision were reported.",
        "Reading the report, officials said there was no deal.",
        "Chad Smith, a police officer, said the mercy flight left.",
        "Police said the deal was off.",
        "Of the nine killed, six were soldiers.",
        "An English translation of the statement was released.",
    ] {
        let m = k.find_in(text);
        let places: Vec<&str> = m
            .iter()
            .filter(|m| m.has(MatchKind::Place) || m.has(MatchKind::Country))
            .map(|m| &text[m.span.clone()])
            .collect();
        assert!(places.is_empty(), "{text:?} -> {places:?}");
    }
}

/// The surface text of every knowledge-base match in `text`.
fn matched<'t>(k: &Kb, text: &'t str) -> Vec<&'t str> {
    k.find_in(text)
        .iter()
        .map(|m| &text[m.span.clone()])
        .collect()
}

#[test]
fn common_words_fire_with_evidence() {
    let k = kb();
    let found = matched(
        k,
        "The attack in Nice shocked France, and refugees fled to Chad.",
    );
    assert!(found.contains(&"Nice"), "{found:?}");
    assert!(found.contains(&"Chad"), "{found:?}");
    let found = matched(k, "He moved to Reading, England last year.");
    assert!(found.contains(&"Reading"), "{found:?}");
    let found = matched(
        k,
        "A blast shook a tanker 30 miles south of Mocha on Monday.",
    );
    assert!(found.contains(&"Mocha"), "{found:?}");
}

#[test]
fn a_compass_word_alone_is_no_place() {
    let k = kb();
    let text = "Fighting spread across North and South Kivu.";
    let places: Vec<&str> = k
        .find_in(text)
        .iter()
        .filter(|m| m.has(MatchKind::Place))
        .map(|m| &text[m.span.clone()])
        .collect();
    assert_eq!(places, ["South Kivu"]);
}

#[test]
fn case_rules() {
    let k = kb();
    let text = "Let us go, said the US envoy; the who of it was unclear to the WHO.";
    let m = k.find_in(text);
    let found: Vec<&str> = m.iter().map(|m| &text[m.span.clone()]).collect();
    assert!(found.contains(&"US") && !found.contains(&"us"), "{found:?}");
    assert!(
        found.contains(&"WHO") && !found.contains(&"who"),
        "{found:?}"
    );
    assert!(found.contains(&"envoy"), "{found:?}");
    // lower-case place names do not fire
    assert!(k
        .find_in("the kherson of it")
        .iter()
        .all(|m| !m.has(MatchKind::Place)));
}

#[test]
fn longest_match_and_spans() {
    let k = kb();
    let text =
        "Shelling hit the Kherson region and Khan Younis; Russia's army and Ukrainians' homes.";
    let m = k.find_in(text);
    let found: Vec<&str> = m.iter().map(|m| &text[m.span.clone()]).collect();
    assert!(found.contains(&"Kherson region"), "{found:?}");
    assert!(found.contains(&"Khan Younis"), "{found:?}");
    let russia = m
        .iter()
        .find(|m| &text[m.span.clone()] == "Russia")
        .unwrap();
    assert!(russia.possessive);
    assert!(found.contains(&"Ukrainians"), "{found:?}");
    for x in &m {
        assert!(text.is_char_boundary(x.span.start) && text.is_char_boundary(x.span.end));
    }
}

#[test]
fn seed_article_places() {
    let text = "A Russian drone strike on Marhanets killed nine people, while shelling in Kherson \
                wounded two. Talks in London were downgraded; Witkoff is due in Moscow. \
                France, Germany and the U.S. took part.";
    let k = kb();
    let m = k.find_in(text);
    let ctx = PlaceContext::from_matches(k, &m);
    let mut got = std::collections::HashMap::new();
    for x in &m {
        if let Some(r) = k.resolve_candidates(&x.candidates, &ctx) {
            got.insert(&text[x.span.clone()], r);
        }
    }
    for (name, lat, lon, cc) in [
        ("Marhanets", 47.65, 34.63, "UA"),
        ("Kherson", 46.64, 32.61, "UA"),
        ("London", 51.51, -0.13, "GB"),
        ("Moscow", 55.76, 37.62, "RU"),
    ] {
        let r = got.get(name).unwrap_or_else(|| panic!("{name} not found"));
        assert_eq!(r.place.country.unwrap().as_str(), cc);
        assert!(
            km(r.place.lat, r.place.lon, lat, lon) < 25.0,
            "{name}: {r:?}"
        );
    }
    for (name, cc) in [
        ("France", "FR"),
        ("Germany", "DE"),
        ("U.S", "US"),
        ("Russian", "RU"),
    ] {
        let x = m
            .iter()
            .find(|x| &text[x.span.clone()] == name)
            .unwrap_or_else(|| panic!("{name}"));
        assert_eq!(x.country().unwrap().as_str(), cc);
    }
}

#[test]
fn lookup_reports_data() {
    let c = kb().lookup("Marhanets");
    let p = c
        .iter()
        .find_map(|c| match &c.entry {
            Entry::Place(p) => Some(p),
            _ => None,
        })
        .unwrap();
    assert_eq!(p.geonames_id, Some(701855));
    assert_eq!(p.kind, PlaceKind::City);
    assert!(p.population > 10_000);
    assert!(p.admin1.is_some());
    let zel = kb().lookup("Zelenskyy");
    assert!(zel
        .iter()
        .any(|c| matches!(&c.entry, Entry::Variant(v) if v.canonical == "Zelensky")));
    assert!(kb()
        .lookup("Hezbollah")
        .iter()
        .any(|c| matches!(&c.entry, Entry::Org(o) if o.kind == OrgType::ArmedGroup)));
    assert!(kb().lookup("").is_empty());
}

#[test]
fn regression_namesakes_and_surnames() {
    let k = kb();
    let text = "\"We are ready,\" said a Hamas official at the White House. \
                UK Defence Secretary John Healey spoke. \"No,\" Healey said. Mr Healey left Gaza.";
    let m = k.find_in(text);
    let by = |s: &str| m.iter().find(|x| &text[x.span.clone()] == s);
    assert!(by("We").is_none(), "a pronoun is no place");
    let hamas = by("Hamas").expect("Hamas");
    assert!(!hamas.has(MatchKind::Place), "Hamas is not Hamm: {hamas:?}");
    let wh = by("White House").expect("White House");
    assert!(!wh.has(MatchKind::Place), "not the town in Tennessee");
    assert!(m
        .iter()
        .all(|x| &text[x.span.clone()] != "Healey" || !x.has(MatchKind::Place)));
    let ctx = PlaceContext::from_matches(k, &m);
    let gaza = k
        .resolve_candidates(&by("Gaza").expect("Gaza").candidates, &ctx)
        .unwrap();
    assert_eq!(gaza.place.country.unwrap().as_str(), "PS", "{gaza:?}");
}

#[test]
fn a_shared_demonym_belongs_to_one_country() {
    // "American" is also the Northern Mariana Islands' demonym in the packaged data,
    // "French" that of France's overseas departments, "Indian" that of the British
    // Indian Ocean Territory: each reads as the principal country alone.
    for (word, cc) in [
        ("American", "US"),
        ("Americans", "US"),
        ("French", "FR"),
        ("Indian", "IN"),
        ("Chinese", "CN"),
        ("Norwegian", "NO"),
    ] {
        let codes: Vec<String> = kb()
            .lookup(word)
            .into_iter()
            .filter_map(|c| match c.entry {
                Entry::Demonym { country, .. } => Some(country.code.to_string()),
                _ => None,
            })
            .collect();
        assert_eq!(codes, vec![cc.to_owned()], "{word}");
    }
}

#[test]
fn organisation_aliases_match_in_news_casing() {
    let org_ids = |text: &str| -> Vec<String> {
        kb().find_in(text)
            .iter()
            .flat_map(|m| m.candidates.iter())
            .filter_map(|c| match &c.entry {
                Entry::Org(o) => Some(o.id.clone()),
                _ => None,
            })
            .collect()
    };
    for text in [
        "Russia’s defence ministry said its forces hit the depot.",
        "Russia's Defence Ministry said its forces hit the depot.",
        "The Russian defence ministry said its forces hit the depot.",
    ] {
        assert_eq!(org_ids(text), vec!["ru-mod".to_owned()], "{text}");
    }
    // The generic words alone are no name.
    assert!(org_ids("The defence ministry said its forces hit the depot.").is_empty());
}

#[test]
fn a_short_word_in_capitals_is_an_acronym_not_a_town() {
    let places = |text: &str| -> usize {
        kb().find_in(text)
            .iter()
            .filter(|m| m.has(MatchKind::Place))
            .count()
    };
    // GeoNames has towns whose names fold to "dbs" and "tna".
    assert_eq!(
        places("Drivers must pass a DBS check before they start."),
        0
    );
    assert_eq!(places("The TNA backed the prime minister in the vote."), 0);
    // Headlines in capitals still name places.
    assert!(places("STRIKE HITS KHARKIV") >= 1);
    assert!(places("Drones struck Kharkiv overnight.") >= 1);
}
