//! The merge fixture (`examples/merge/`): one strike and one round of talks, each told
//! by four outlets in their own words, with a syndicated copy, a near-copy, a changed
//! death toll and a contradicting status. Ingested, then read back with `sitrep query`:
//! every copy is linked, each story is one merged fact with the right number of
//! independent outlets, and every planted disagreement is a dispute naming its outlets.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use rusqlite::Connection;
use serde_json::Value;

mod common;

use common::{repo, run, sitrep};

fn store(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("sitrep-merge-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let db = dir.join("news.db");
    let out = run(sitrep()
        .arg("ingest")
        .arg("--db")
        .arg(&db)
        .arg(repo().join("examples/merge/coverage.jsonl")));
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    db
}

fn query(db: &Path, args: &[&str]) -> Value {
    let out = run(sitrep().arg("query").args(args).arg("--db").arg(db));
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("query prints JSON")
}

fn expected() -> Value {
    let text = std::fs::read_to_string(repo().join("examples/merge/expected.gold.json")).unwrap();
    serde_json::from_str(&text).unwrap()
}

/// A dispute's values as value → outlets, from a merged fact.
fn dispute(fact: &Value, field: &str) -> BTreeMap<String, BTreeSet<String>> {
    let Some(d) = fact["disputes"]
        .as_array()
        .and_then(|ds| ds.iter().find(|d| d["field"] == field))
    else {
        return BTreeMap::new();
    };
    d["values"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| {
            let value = match &v["value"] {
                Value::String(s) => s.clone(),
                other => other.to_string(),
            };
            let outlets = v["outlets"]
                .as_array()
                .unwrap()
                .iter()
                .map(|o| o.as_str().unwrap().to_owned())
                .collect();
            (value, outlets)
        })
        .collect()
}

fn planted(map: &Value) -> BTreeMap<String, BTreeSet<String>> {
    map.as_object()
        .unwrap()
        .iter()
        .map(|(value, outlets)| {
            let outlets = outlets
                .as_array()
                .unwrap()
                .iter()
                .map(|o| o.as_str().unwrap().to_owned())
                .collect();
            (value.clone(), outlets)
        })
        .collect()
}

#[test]
fn copies_are_linked_to_their_originals() {
    let db = store("copies");
    let gold = expected();
    let conn = Connection::open(&db).unwrap();
    // Nine texts: the syndicated copy is a second source of its original.
    let sources: i64 = conn
        .query_row("SELECT count(*) FROM sources", [], |r| r.get(0))
        .unwrap();
    assert_eq!(sources, gold["documents"].as_i64().unwrap());
    let same_document = |a: &str, b: &str| -> bool {
        conn.query_row(
            "SELECT (SELECT document_id FROM sources WHERE url = ?1)
                  = (SELECT document_id FROM sources WHERE url = ?2)",
            [a, b],
            |r| r.get(0),
        )
        .unwrap()
    };
    for pair in gold["syndicated"].as_array().unwrap() {
        let (a, b) = (pair[0].as_str().unwrap(), pair[1].as_str().unwrap());
        assert!(
            same_document(a, b),
            "{b} should be a source of {a}'s document"
        );
    }
    for pair in gold["near_duplicates"].as_array().unwrap() {
        let (a, b) = (pair[0].as_str().unwrap(), pair[1].as_str().unwrap());
        let linked: bool = conn
            .query_row(
                "SELECT (SELECT near_duplicate_of FROM document_merge WHERE document_id =
                            (SELECT document_id FROM sources WHERE url = ?2))
                      = (SELECT document_id FROM sources WHERE url = ?1)",
                [a, b],
                |r| r.get(0),
            )
            .unwrap();
        assert!(linked, "{b} should be a near-duplicate of {a}");
    }
}

#[test]
fn each_event_and_meeting_is_one_merged_fact_with_its_disputes() {
    let db = store("facts");
    let gold = expected();
    let events = query(&db, &["events"]);
    for want in gold["events"].as_array().unwrap() {
        let place = want["place"].as_str().unwrap();
        let found: Vec<&Value> = events["results"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|f| f["fields"]["place"] == place)
            .collect();
        assert_eq!(found.len(), 1, "one merged attack in {place}: {events:#}");
        let fact = found[0];
        assert_eq!(fact["outlets"], want["outlets"], "{fact:#}");
        assert_eq!(fact["date"], want["date"]);
        assert_eq!(
            dispute(fact, "killed"),
            planted(&want["killed"]),
            "{fact:#}"
        );
        // Every source carries its evidence, quoted from its own text.
        for source in fact["sources"].as_array().unwrap() {
            let evidence = source["evidence"].as_array().unwrap();
            assert!(!evidence.is_empty(), "{source:#}");
            assert!(evidence[0]["text"].as_str().unwrap().contains(place));
        }
    }
    let meetings = query(&db, &["meetings"]);
    for want in gold["meetings"].as_array().unwrap() {
        let venue = want["venue"].as_str().unwrap();
        let found: Vec<&Value> = meetings["results"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|f| f["fields"]["venue"] == venue)
            .collect();
        assert_eq!(
            found.len(),
            1,
            "one merged meeting in {venue}: {meetings:#}"
        );
        assert_eq!(found[0]["outlets"], want["outlets"], "{:#}", found[0]);
        assert_eq!(dispute(found[0], "status"), planted(&want["status"]));
    }
}

#[test]
fn a_quote_told_by_two_outlets_is_one_quote() {
    let db = store("quotes");
    let gold = expected();
    for want in gold["quotes"].as_array().unwrap() {
        let speaker = want["speaker"].as_str().unwrap();
        let quotes = query(&db, &["quotes", "--actor", speaker]);
        let best = quotes["results"]
            .as_array()
            .unwrap()
            .iter()
            .map(|q| q["outlets"].as_u64().unwrap())
            .max();
        assert_eq!(best, want["outlets"].as_u64(), "{speaker}: {quotes:#}");
    }
}

#[test]
fn the_two_stories_stay_apart_and_filters_narrow_them() {
    let db = store("stories");
    let stories = query(&db, &["stories"]);
    assert_eq!(
        stories["results"].as_array().unwrap().len(),
        2,
        "{stories:#}"
    );
    let talks = query(
        &db,
        &["meetings", "--place", "istanbul", "--since", "2025-05-16"],
    );
    assert_eq!(talks["results"].as_array().unwrap().len(), 1);
    let none = query(&db, &["meetings", "--until", "2025-05-15"]);
    assert!(none["results"].as_array().unwrap().is_empty(), "{none:#}");
    let by_text = query(&db, &["events", "--text", "missile"]);
    assert_eq!(by_text["results"].as_array().unwrap().len(), 1);
    // One result per page, then the cursor leads to the rest without repeats.
    let first = query(&db, &["quotes", "--limit", "1"]);
    let next = first["next"].as_str().expect("a cursor").to_owned();
    let second = query(&db, &["quotes", "--limit", "1", "--after", &next]);
    assert_ne!(first["results"][0]["id"], second["results"][0]["id"]);
}

#[test]
fn bad_filters_are_refused_with_a_reason() {
    let db = store("bad");
    for (args, reason) in [
        (vec!["events", "--since", "May 2025"], "YYYY-MM-DD"),
        (vec!["events", "--country", "Ukraine"], "two-letter"),
        (vec!["events", "--after", "garbage"], "cursor"),
        (vec!["quotes", "--text", "\"unbalanced"], "full-text"),
    ] {
        let out = run(sitrep().arg("query").args(&args).arg("--db").arg(&db));
        assert!(!out.status.success(), "{args:?} should fail");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.contains(reason), "{args:?}: {stderr}");
    }
    let missing = run(sitrep()
        .args(["query", "events", "--db"])
        .arg(db.with_file_name("nowhere.db")));
    assert!(!missing.status.success());
    assert!(String::from_utf8_lossy(&missing.stderr).contains("no store at"));
}

#[test]
fn the_merged_export_gives_one_acled_row_per_attack_with_every_outlet() {
    let db = store("export");
    let out = run(sitrep()
        .args(["export", "--format", "acled-csv", "--db"])
        .arg(&db));
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let csv = String::from_utf8(out.stdout).unwrap();
    let mut reader = csv::Reader::from_reader(csv.as_bytes());
    let headers = reader.headers().unwrap().clone();
    let column = |name: &str| headers.iter().position(|h| h == name).unwrap();
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 1, "{csv}");
    let row = &rows[0];
    assert_eq!(&row[column("location")], "Dnipro");
    // ACLED's rule for conflicting reports: the lowest figure, the others in the notes.
    assert_eq!(&row[column("fatalities")], "8");
    assert_eq!(row[column("source")].split("; ").count(), 4, "{row:?}");
    assert!(row[column("notes")].contains("killed disputed"), "{row:?}");

    let out = run(sitrep()
        .args(["export", "--format", "geojson", "--db"])
        .arg(&db));
    let map: Value = serde_json::from_slice(&out.stdout).unwrap();
    let kinds: BTreeSet<&str> = map["features"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["properties"]["kind"].as_str().unwrap())
        .collect();
    assert_eq!(kinds, BTreeSet::from(["event", "meeting"]));
}
