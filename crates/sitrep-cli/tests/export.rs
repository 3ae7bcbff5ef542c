//! `sitrep export`: ACLED-style CSV, GeoJSON and JSON Lines from the example articles,
//! run through the real binary.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::OnceLock;

use serde_json::Value;

const ACLED_HEADER: [&str; 15] = [
    "event_date",
    "event_type",
    "sub_event_type",
    "actor1",
    "actor2",
    "country",
    "admin1",
    "location",
    "latitude",
    "longitude",
    "geo_precision",
    "time_precision",
    "source",
    "notes",
    "fatalities",
];

fn sitrep() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_sitrep"));
    cmd.current_dir(repo());
    cmd
}

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn run(cmd: &mut Command) -> Output {
    cmd.output().expect("sitrep runs")
}

fn tempdir(name: &str) -> PathBuf {
    let dir =
        std::env::temp_dir().join(format!("sitrep-export-test-{name}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir
}

/// `sitrep extract examples/` once per test run, as a records file.
fn example_records() -> &'static Path {
    static RECORDS: OnceLock<PathBuf> = OnceLock::new();
    RECORDS.get_or_init(|| {
        let out = run(sitrep().args(["extract", "examples/"]));
        assert!(
            out.status.success(),
            "extract failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let path = tempdir("records").join("examples.jsonl");
        std::fs::write(&path, &out.stdout).expect("write records");
        path
    })
}

fn records_in(path: &Path) -> Vec<Value> {
    std::fs::read_to_string(path)
        .expect("records")
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| serde_json::from_str(l).expect("a JSON record"))
        .collect()
}

fn csv_rows(bytes: &[u8]) -> (Vec<String>, Vec<Vec<String>>) {
    let mut reader = csv::Reader::from_reader(bytes);
    let header = reader
        .headers()
        .expect("a header")
        .iter()
        .map(str::to_owned)
        .collect();
    let rows = reader
        .records()
        .map(|r| r.expect("a CSV row").iter().map(str::to_owned).collect())
        .collect();
    (header, rows)
}

fn column(name: &str) -> usize {
    ACLED_HEADER
        .iter()
        .position(|c| *c == name)
        .expect("a column")
}

fn export_csv() -> (Vec<String>, Vec<Vec<String>>) {
    let records = example_records();
    let out = run(sitrep()
        .args(["export", "--format", "acled-csv", "--against"])
        .arg(records));
    assert!(
        out.status.success(),
        "export failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    csv_rows(&out.stdout)
}

#[test]
fn acled_csv_has_the_header_and_a_located_row_for_the_zaporizhzhia_strike() {
    let (header, rows) = export_csv();
    assert_eq!(header, ACLED_HEADER);
    assert!(!rows.is_empty());
    for row in &rows {
        assert_eq!(row.len(), ACLED_HEADER.len(), "{row:?}");
    }
    let (lat, lon) = (column("latitude"), column("longitude"));
    let located = rows.iter().find(|row| {
        row[column("notes")].contains("Zaporizhzhia")
            && row[column("fatalities")].parse::<u64>().is_ok()
            && !row[lat].is_empty()
    });
    let row = located.expect("a row for the Zaporizhzhia missile strike with coordinates");
    let lat: f64 = row[lat].parse().expect("numeric latitude");
    let lon: f64 = row[lon].parse().expect("numeric longitude");
    // Zaporizhzhia lies at about 47.8 N, 35.1 E.
    assert!(
        (lat - 47.8).abs() < 0.5 && (lon - 35.1).abs() < 0.5,
        "{row:?}"
    );
    assert_eq!(row[column("country")], "Ukraine");
    assert_eq!(row[column("event_type")], "Explosions/Remote violence");
    assert_eq!(
        row[column("sub_event_type")],
        "Shelling/artillery/missile attack"
    );
    assert_eq!(row[column("geo_precision")], "1");
    assert_eq!(row[column("time_precision")], "1");
    assert!(!row[column("source")].is_empty());
}

#[test]
fn acled_fatalities_are_the_records_killed_minimum_or_empty() {
    let (_, rows) = export_csv();
    let events: Vec<Value> = records_in(example_records())
        .into_iter()
        .flat_map(|r| r["events"].as_array().cloned().unwrap_or_default())
        .collect();
    assert_eq!(rows.len(), events.len(), "one row per event");
    let mut counted = 0;
    for (row, event) in rows.iter().zip(&events) {
        let fatalities = &row[column("fatalities")];
        match event["killed"]["min"].as_u64() {
            Some(n) => {
                assert_eq!(fatalities, &n.to_string(), "{row:?}");
                counted += 1;
            }
            None => assert_eq!(fatalities, "", "invented fatalities in {row:?}"),
        }
        let (lat, lon) = (&row[column("latitude")], &row[column("longitude")]);
        assert_eq!(lat.is_empty(), lon.is_empty(), "{row:?}");
        if !lat.is_empty() {
            let (lat, lon): (f64, f64) = (lat.parse().unwrap(), lon.parse().unwrap());
            assert!((-90.0..=90.0).contains(&lat) && (-180.0..=180.0).contains(&lon));
        }
    }
    assert!(counted > 0, "the examples report some deaths");
}

#[test]
fn geojson_from_inputs_parses_and_every_coordinate_is_in_range() {
    let path = tempdir("geojson").join("facts.geojson");
    let out = run(sitrep()
        .args(["export", "--format", "geojson", "--output"])
        .arg(&path)
        .arg("examples/"));
    assert!(
        out.status.success(),
        "export failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(out.stdout.is_empty(), "--output leaves stdout empty");
    let text = std::fs::read_to_string(&path).expect("the GeoJSON file");
    let collection: Value = serde_json::from_str(&text).expect("valid JSON");
    assert_eq!(collection["type"], "FeatureCollection");
    let features = collection["features"].as_array().expect("features");
    assert!(!features.is_empty());
    let mut kinds = std::collections::BTreeSet::new();
    for feature in features {
        assert_eq!(feature["type"], "Feature");
        assert_eq!(feature["geometry"]["type"], "Point");
        let coordinates = feature["geometry"]["coordinates"]
            .as_array()
            .expect("coordinates");
        assert_eq!(coordinates.len(), 2);
        let lon = coordinates[0].as_f64().expect("numeric longitude");
        let lat = coordinates[1].as_f64().expect("numeric latitude");
        assert!((-180.0..=180.0).contains(&lon), "{feature}");
        assert!((-90.0..=90.0).contains(&lat), "{feature}");
        let props = &feature["properties"];
        assert!(props["evidence"].as_str().is_some_and(|e| !e.is_empty()));
        assert!(props["document_id"]
            .as_str()
            .is_some_and(|d| d.starts_with("sha256:")));
        kinds.insert(props["kind"].as_str().expect("a kind").to_owned());
    }
    assert!(
        kinds.contains("event") && kinds.contains("meeting"),
        "{kinds:?}"
    );
}

#[test]
fn jsonl_passes_records_through() {
    let records = example_records();
    let out = run(sitrep()
        .args(["export", "--format", "jsonl", "--against"])
        .arg(records));
    assert!(out.status.success());
    let exported: Vec<Value> = String::from_utf8(out.stdout)
        .expect("UTF-8")
        .lines()
        .map(|l| serde_json::from_str(l).expect("a record"))
        .collect();
    assert_eq!(exported, records_in(records));
}

#[test]
fn a_broken_records_file_is_a_clear_error() {
    let dir = tempdir("broken");
    let good = std::fs::read_to_string(example_records()).expect("records");
    let first = good.lines().next().expect("a record");
    let path = dir.join("broken.jsonl");
    std::fs::write(
        &path,
        format!("{first}\n{{\"schema\": \"sitrep/1\", \"docu\n"),
    )
    .unwrap();
    for format in ["acled-csv", "geojson", "jsonl"] {
        let out = run(sitrep()
            .args(["export", "--format", format, "--against"])
            .arg(&path));
        assert!(!out.status.success(), "{format}: should fail");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(
            stderr.contains("broken.jsonl:2") && stderr.contains("not a sitrep/1 record"),
            "{format}: {stderr}"
        );
    }
    let out = run(sitrep()
        .args(["export", "--format", "acled-csv", "--against"])
        .arg(dir.join("missing.jsonl")));
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("cannot open"));
}

#[test]
fn usage_needs_records_or_inputs_and_help_has_examples() {
    let out = run(sitrep().args(["export", "--format", "acled-csv"]));
    assert_eq!(out.status.code(), Some(2));
    let out = run(sitrep().args(["export", "--format", "kml", "examples/"]));
    assert_eq!(out.status.code(), Some(2));
    let out = run(sitrep().args(["export", "--help"]));
    assert!(out.status.success());
    let help = String::from_utf8_lossy(&out.stdout);
    assert!(help.contains("Examples:"), "{help}");
    assert!(help.contains("sitrep export --format acled-csv"), "{help}");
}
