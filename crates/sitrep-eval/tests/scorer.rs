//! The scorer on a hand-made record: a perfect one scores 1.0 everywhere, and each
//! kind of mistake costs exactly the fact it touches.

use sitrep_core::record::*;
use sitrep_core::{Record, Span};
use sitrep_eval::{score, Gold, Report};

const GOLD: &str = r#"{
  "id": "handmade", "url": "https://example.org/a", "published": "2025-06-11",
  "persons": [
    {"name": "Anna Berg", "title": "Foreign Minister", "affiliation": "SE"},
    {"name": "Tomas Ruud", "title": null, "affiliation": "NO"}
  ],
  "places": [{"name": "Oslo", "country": "NO", "kind": "city"}],
  "quotes": [{"starts": "We will not sign", "speaker": "Anna Berg", "direct": true, "date": "2025-06-10"}],
  "attacks": [{"location": "Oslo", "killed": 3, "killed_text": "three", "wounded_text": "dozens", "date": "2025-06-11"}],
  "meetings": [{"venue": "Oslo", "participants": ["SE", "NO"], "status": "postponed"}],
  "claims": [{"source": "Tomas Ruud", "reactions": [{"by": "Anna Berg", "stance": "deny"}]}]
}"#;

fn entity(id: &str, name: &str, titles: &[&str], country: &str) -> Entity {
    Entity {
        id: id.into(),
        kind: EntityKind::Person,
        name: name.into(),
        titles: titles.iter().map(|t| t.to_string()).collect(),
        affiliation: Some(Affiliation {
            country: Some(country.into()),
            organisation: None,
        }),
        kb_id: None,
        named: true,
        description: None,
        count: None,
        mentions: vec![],
    }
}

fn perfect() -> Record {
    let mut r = Record::new(Document {
        url: Some("https://example.org/a".into()),
        ..Document::default()
    });
    r.entities = vec![
        entity("e1", "Anna Berg", &["Foreign Minister"], "SE"),
        entity("e2", "Tomas Ruud", &[], "NO"),
    ];
    r.places = vec![Place {
        id: "p1".into(),
        name: "Oslo".into(),
        country: Some("NO".into()),
        kind: "city".into(),
        geonames_id: None,
        lat: None,
        lon: None,
        confidence: 1.0,
        alternates: vec![],
        mentions: vec![],
    }];
    r.quotes = vec![Quote {
        id: "q1".into(),
        text: "We will not sign this text.".into(),
        span: Span::new(0, 0),
        speaker: Some("e1".into()),
        candidates: vec![],
        direct: true,
        fragment: false,
        cue: Some("said".into()),
        channel: None,
        time: Some("2025-06-10".into()),
        evidence: vec![],
    }];
    r.events = vec![Event {
        id: "v1".into(),
        plover_type: "ASSAULT".into(),
        mode: Some("drone".into()),
        place: Some("p1".into()),
        date: Some("2025-06-11".into()),
        actor: None,
        target: None,
        site: None,
        killed: Some(Quantity {
            min: Some(3),
            max: Some(3),
            text: "three".into(),
        }),
        wounded: Some(Quantity {
            min: Some(24),
            max: None,
            text: "dozens".into(),
        }),
        confidence: 0.9,
        evidence: vec![],
    }];
    r.meetings = vec![Meeting {
        id: "m1".into(),
        venue: Some("p1".into()),
        participants: vec!["SE".into(), "NO".into()],
        format: None,
        level: "ministerial".into(),
        status: "postponed".into(),
        previous_status: Some("planned".into()),
        date: None,
        plover_type: "CONSULT".into(),
        confidence: 0.8,
        evidence: vec![],
    }];
    r.claims = vec![Claim {
        id: "c1".into(),
        source: Some("e2".into()),
        gist: "…".into(),
        kind: "claim".into(),
        confidence: 0.7,
        evidence: vec![],
        reactions: vec![Reaction {
            by: Some("e1".into()),
            stance: "deny".into(),
            evidence: vec![],
        }],
    }];
    r
}

#[test]
fn perfect_record_scores_one() {
    let gold: Gold = serde_json::from_str(GOLD).unwrap();
    let scores = score(&gold, &perfect());
    for (name, s) in &scores.by_type {
        assert_eq!(
            (s.correct, s.gold, s.predicted),
            (s.gold, s.gold, s.gold),
            "{name}: {:?}",
            s.misses
        );
    }
    assert_eq!(scores.overall().f1(), 1.0);
}

#[test]
fn each_mistake_costs_its_fact() {
    let gold: Gold = serde_json::from_str(GOLD).unwrap();
    let mut r = perfect();
    r.entities[0].affiliation = Some(Affiliation {
        country: Some("NO".into()),
        organisation: None,
    });
    r.quotes[0].time = Some("2025-06-11".into());
    r.events[0].killed = Some(Quantity {
        min: Some(4),
        max: Some(4),
        text: "four".into(),
    });
    r.meetings[0].status = "held".into();
    r.claims[0].reactions[0].stance = "confirm".into();
    r.places.push(Place {
        id: "p2".into(),
        name: "Bergen".into(),
        ..r.places[0].clone()
    });
    let scores = score(&gold, &r);
    let get = |n: &str| scores.get(n).unwrap().clone();
    assert_eq!((get("persons").found, get("persons").correct), (2, 1));
    assert!(get("persons").misses[0].contains("side"));
    assert_eq!(get("quotes").correct, 0);
    assert_eq!(get("attacks").correct, 0);
    // The attack is found with the wrong toll: its killed figure counts as wrong, its
    // wounded and its date as right.
    let attributes: Vec<(&str, usize, usize)> = get("attacks")
        .attributes
        .iter()
        .map(|a| (a.name, a.checked, a.right))
        .collect();
    assert_eq!(
        attributes,
        [("killed", 1, 0), ("wounded", 1, 1), ("date", 1, 1)]
    );
    assert_eq!(get("persons").attributes[1].name, "side");
    assert_eq!(get("persons").attributes[1].rate(), 0.5);
    assert_eq!(get("meetings").correct, 0);
    assert_eq!(get("claims").correct, 0);
    let places = get("places");
    assert_eq!((places.correct, places.predicted), (1, 2));
    assert_eq!(places.precision(), 0.5);
    assert_eq!(places.recall(), 1.0);
}

#[test]
fn report_pairs_by_url_and_counts_unmatched_gold() {
    let gold: Gold = serde_json::from_str(GOLD).unwrap();
    let records = vec![perfect()];
    let path = std::path::Path::new("handmade.gold.json");
    let mut report = Report::default();
    report.add(
        "handmade",
        &gold,
        sitrep_eval::pair_gold(path, &gold, &records),
    );
    report.add("missing", &gold, None);
    let json = report.to_json();
    assert_eq!(json["overall"]["recall"], 0.5);
    assert_eq!(json["unmatched_gold"][0], "missing");
    assert!(report.to_string().contains("no record for missing"));
}
