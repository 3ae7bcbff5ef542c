//! `sitrep export`: records → JSON Lines, ACLED-style CSV rows of violent events, or a
//! GeoJSON `FeatureCollection` of the facts that have a place on the map.
//!
//! Records come from a file written by `sitrep extract` (`--against`) or from running
//! the pipeline on inputs; either way they stream through one [`Sink`], so exporting a
//! large folder does not hold every record in memory.
//!
//! The ACLED mapping fills only what a record states: a column we cannot derive (an
//! event without a place, a count the text does not give) stays empty, never a guess
//! or a `0`. Coordinates outside the valid ranges are left out rather than written.

use std::collections::HashMap;
use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::Path;
use std::process::ExitCode;

use anyhow::{anyhow, Context, Result};
use serde_json::{json, Map, Value};
use sitrep_core::record::{Actor, EntityKind, Event, Meeting, Place};
use sitrep_core::{Record, Span};
use sitrep_kb::{Entry, Kb};
use sitrep_store::{FactKind, Filter, MergedFact, SqliteStore, Store};

use crate::args::{ExportArgs, ExportFormat};
use crate::eval::read_records;
use crate::extract::run_pipeline;
use crate::query::open_existing;

/// ACLED's columns, in ACLED's order.
pub(crate) const ACLED_COLUMNS: [&str; 15] = [
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

// ---------------------------------------------------------------------------------------
// From the store

/// Every merged fact of `kind`, page by page.
fn each_merged(
    store: &SqliteStore,
    kind: FactKind,
    mut each: impl FnMut(MergedFact) -> Result<()>,
) -> Result<()> {
    let mut filter = Filter {
        limit: 1000,
        max_sources: 50,
        ..Filter::default()
    };
    loop {
        let page = store.facts(kind, &filter)?;
        for fact in page.results {
            each(fact)?;
        }
        match page.next {
            Some(next) => filter.after = Some(next),
            None => return Ok(()),
        }
    }
}

/// Exports the merged facts of the store at `db`.
fn export_store(db: &Path, format: ExportFormat, mut out: impl Write) -> Result<()> {
    let store = open_existing(db)?;
    match format {
        ExportFormat::Jsonl => {
            for kind in [
                FactKind::Events,
                FactKind::Meetings,
                FactKind::Claims,
                FactKind::Quotes,
                FactKind::People,
            ] {
                each_merged(&store, kind, |fact| {
                    serde_json::to_writer(&mut out, &fact)?;
                    out.write_all(b"\n")?;
                    Ok(())
                })?;
            }
        }
        ExportFormat::AcledCsv => {
            let kb = Kb::embedded();
            let mut writer = csv::Writer::from_writer(&mut out);
            writer.write_record(ACLED_COLUMNS).map_err(csv_error)?;
            let mut records: HashMap<String, Option<Record>> = HashMap::new();
            each_merged(&store, FactKind::Events, |fact| {
                // The first independent report stands for the attack; every outlet is
                // named in `source` and every disagreement in `notes`.
                let Some(first) = fact.sources.iter().find(|s| s.independent) else {
                    return Ok(());
                };
                if !records.contains_key(&first.document) {
                    records.clear(); // one story's documents at a time is enough
                    let record = store.record(&first.document)?;
                    records.insert(first.document.clone(), record);
                }
                let Some(Some(record)) = records.get(&first.document) else {
                    return Ok(());
                };
                let Some(event) = record.events.iter().find(|e| e.id == first.record_id) else {
                    return Ok(());
                };
                let row = merged_acled_row(record, event, &fact, kb);
                writer.write_record(row.iter()).map_err(csv_error)?;
                Ok(())
            })?;
            writer.flush()?;
        }
        ExportFormat::Geojson => {
            out.write_all(b"{\"type\":\"FeatureCollection\",\"features\":[")?;
            let mut features = 0usize;
            for kind in [FactKind::Events, FactKind::Meetings] {
                each_merged(&store, kind, |fact| {
                    let (Some(lat), Some(lon)) = (fact.lat, fact.lon) else {
                        return Ok(());
                    };
                    let feature = json!({
                        "type": "Feature",
                        "id": format!("fact:{}", fact.id),
                        "geometry": {"type": "Point", "coordinates": [lon, lat]},
                        "properties": {
                            "kind": fact.kind,
                            "label": fact.label,
                            "date": fact.date,
                            "country": fact.country,
                            "story": fact.story,
                            "outlets": fact.outlets,
                            "fields": fact.fields,
                            "disputed": fact.disputes.iter().map(|d| &d.field).collect::<Vec<_>>(),
                        },
                    });
                    out.write_all(if features == 0 { b"\n" } else { b",\n" })?;
                    serde_json::to_writer(&mut out, &feature)?;
                    features += 1;
                    Ok(())
                })?;
            }
            out.write_all(b"\n]}\n")?;
        }
    }
    out.flush()?;
    Ok(())
}

/// An ACLED row for a merged attack: the first report's row, with every independent
/// outlet in `source`, the disagreements in `notes`, and as `fatalities` the lowest
/// figure any outlet gives (ACLED's own rule for conflicting reports).
fn merged_acled_row(record: &Record, event: &Event, fact: &MergedFact, kb: &Kb) -> [String; 15] {
    let mut row = acled_row(record, event, kb);
    let mut outlets: Vec<&str> = Vec::new();
    for source in fact.sources.iter().filter(|s| s.independent) {
        let name = source
            .outlet
            .as_deref()
            .or(source.url.as_deref())
            .unwrap_or(&source.document);
        if !outlets.contains(&name) {
            outlets.push(name);
        }
    }
    row[12] = outlets.join("; ");
    let mut notes = row[13].clone();
    let plural = if fact.outlets == 1 { "" } else { "s" };
    notes.push_str(&format!(
        " [sitrep fact {}: reported by {} independent outlet{plural}",
        fact.id, fact.outlets
    ));
    for dispute in &fact.disputes {
        let values: Vec<String> = dispute
            .values
            .iter()
            .map(|v| {
                format!(
                    "{} ({})",
                    crate::query::show(&v.value),
                    v.outlets.join(", ")
                )
            })
            .collect();
        notes.push_str(&format!(
            "; {} disputed: {}",
            dispute.field,
            values.join(" vs ")
        ));
    }
    notes.push(']');
    row[13] = notes;
    let killed = fact
        .disputes
        .iter()
        .find(|d| d.field == "killed")
        .map(|d| d.values.iter().map(|v| &v.value).collect::<Vec<_>>())
        .unwrap_or_else(|| fact.fields.get("killed").into_iter().collect());
    // A single figure ("9"), not a range ("8-10"): ranges keep their lowest bound.
    let lowest = killed
        .iter()
        .filter_map(|v| match v {
            Value::Number(n) => n.as_u64(),
            Value::String(s) => s
                .split(['-', '+'])
                .next()
                .and_then(|n| n.trim().parse().ok()),
            _ => None,
        })
        .min();
    row[14] = lowest.map(|n| n.to_string()).unwrap_or_default();
    row
}

/// Runs `sitrep export`.
pub fn run(args: &ExportArgs) -> Result<ExitCode> {
    let out: Box<dyn Write> = match &args.output {
        Some(path) => Box::new(
            File::create(path).with_context(|| format!("cannot create {}", path.display()))?,
        ),
        None => Box::new(std::io::stdout().lock()),
    };
    if let Some(db) = &args.db {
        export_store(db, args.format, BufWriter::new(out))?;
        return Ok(ExitCode::SUCCESS);
    }
    let mut sink = Sink::new(args.format, BufWriter::new(out), Kb::embedded())?;
    let failed = match &args.against {
        Some(path) => {
            for record in read_records(path)? {
                sink.record(&record)?;
            }
            0
        }
        None => {
            let tally = run_pipeline(&args.inputs, &args.read, |result| {
                match result {
                    Ok(record) => sink.record(&record)?,
                    Err(failure) => eprintln!("sitrep: {failure}"),
                }
                Ok(())
            })?;
            tally.failed
        }
    };
    sink.finish()?;
    if failed > 0 {
        eprintln!("sitrep: {failed} inputs or documents failed; their facts are not exported");
        return Ok(ExitCode::FAILURE);
    }
    Ok(ExitCode::SUCCESS)
}

/// Where exported records go, in one of the formats.
pub(crate) enum Sink<'k, W: Write> {
    /// Records as JSON Lines.
    Jsonl(W),
    /// ACLED-style rows.
    Csv {
        /// The CSV writer over the output (boxed: it holds its own buffer).
        writer: Box<csv::Writer<W>>,
        /// For country names and admin1 look-ups.
        kb: &'k Kb,
    },
    /// A streamed `FeatureCollection`.
    GeoJson {
        /// The output.
        out: W,
        /// Features written so far (for the separators).
        features: usize,
    },
}

impl<'k, W: Write> Sink<'k, W> {
    /// Starts an export: writes the CSV header or the opening of the collection.
    pub(crate) fn new(format: ExportFormat, mut out: W, kb: &'k Kb) -> Result<Self> {
        Ok(match format {
            ExportFormat::Jsonl => Sink::Jsonl(out),
            ExportFormat::AcledCsv => {
                let mut writer = Box::new(csv::Writer::from_writer(out));
                writer.write_record(ACLED_COLUMNS).map_err(csv_error)?;
                Sink::Csv { writer, kb }
            }
            ExportFormat::Geojson => {
                out.write_all(b"{\"type\":\"FeatureCollection\",\"features\":[")?;
                Sink::GeoJson { out, features: 0 }
            }
        })
    }

    /// Exports one record.
    pub(crate) fn record(&mut self, record: &Record) -> Result<()> {
        match self {
            Sink::Jsonl(out) => {
                let mut line = serde_json::to_vec(record)?;
                line.push(b'\n');
                out.write_all(&line)?;
            }
            Sink::Csv { writer, kb } => {
                for event in &record.events {
                    let row = acled_row(record, event, kb);
                    writer.write_record(row.iter()).map_err(csv_error)?;
                }
            }
            Sink::GeoJson { out, features } => {
                for feature in features_of(record) {
                    let text = serde_json::to_vec(&feature)?;
                    out.write_all(if *features == 0 { b"\n" } else { b",\n" })?;
                    out.write_all(&text)?;
                    *features += 1;
                }
            }
        }
        Ok(())
    }

    /// Ends the export (closes the collection) and flushes.
    pub(crate) fn finish(self) -> Result<()> {
        match self {
            Sink::Jsonl(mut out) => out.flush()?,
            Sink::Csv { writer, .. } => {
                let mut out = (*writer)
                    .into_inner()
                    .map_err(|e| anyhow::Error::new(e.into_error()))?;
                out.flush()?;
            }
            Sink::GeoJson { mut out, .. } => {
                out.write_all(b"\n]}\n")?;
                out.flush()?;
            }
        }
        Ok(())
    }
}

/// Keeps an I/O error an `io::Error` (so a closed pipe is recognised), else describes it.
fn csv_error(err: csv::Error) -> anyhow::Error {
    match err.into_kind() {
        csv::ErrorKind::Io(io) => anyhow::Error::new(io),
        other => anyhow!("writing CSV: {other:?}"),
    }
}

// ---------------------------------------------------------------------------------------
// ACLED rows

/// One ACLED-style row for a violent event, in [`ACLED_COLUMNS`] order.
pub(crate) fn acled_row(record: &Record, event: &Event, kb: &Kb) -> [String; 15] {
    let place = event
        .place
        .as_deref()
        .and_then(|id| place_by_id(record, id));
    let (event_type, sub_event_type) = acled_type(
        &event.plover_type,
        event.mode.as_deref(),
        event.target.as_deref(),
    );
    let (event_date, time_precision) = acled_date(event.date.as_deref());
    let country_code = place.and_then(|p| p.country.as_deref());
    let country = country_code
        .map(|c| kb.country_name(c).unwrap_or(c).to_owned())
        .unwrap_or_default();
    let actor2 = if event.target.as_deref() == Some("civilians") {
        if country.is_empty() {
            "Civilians".to_owned()
        } else {
            format!("Civilians ({country})")
        }
    } else {
        String::new()
    };
    let (latitude, longitude) = place
        .and_then(coordinates)
        .map(|(lat, lon)| (lat.to_string(), lon.to_string()))
        .unwrap_or_default();
    let doc = &record.document;
    [
        event_date,
        event_type.to_owned(),
        sub_event_type.to_owned(),
        event
            .actor
            .as_ref()
            .map(|a| actor_name(record, a, kb))
            .unwrap_or_default(),
        actor2,
        country,
        place.and_then(|p| admin1_of(p, kb)).unwrap_or_default(),
        place.map(|p| p.name.clone()).unwrap_or_default(),
        latitude,
        longitude,
        place
            .and_then(geo_precision)
            .map(|p| p.to_string())
            .unwrap_or_default(),
        time_precision.to_string(),
        doc.outlet
            .clone()
            .or_else(|| doc.url.clone())
            .unwrap_or_default(),
        evidence_text(&doc.text, &event.evidence),
        event
            .killed
            .as_ref()
            .and_then(|q| q.min)
            .map(|n| n.to_string())
            .unwrap_or_default(),
    ]
}

/// ACLED `event_type` and `sub_event_type` for a PLOVER type, mode and target; empty
/// when the mode does not say which kind of violence it was.
pub(crate) fn acled_type(
    plover: &str,
    mode: Option<&str>,
    target: Option<&str>,
) -> (&'static str, &'static str) {
    const REMOTE: &str = "Explosions/Remote violence";
    let on_civilians = target == Some("civilians");
    match mode {
        Some("drone" | "airstrike") => (REMOTE, "Air/drone strike"),
        Some("missile" | "shelling" | "rocket" | "artillery") => {
            (REMOTE, "Shelling/artillery/missile attack")
        }
        Some("explosion") => (REMOTE, "Remote explosive/landmine/IED"),
        Some("ground" | "small-arms") if on_civilians => ("Violence against civilians", "Attack"),
        Some("ground" | "small-arms") => ("Battles", "Armed clash"),
        None if plover == "FIGHT" && on_civilians => ("Violence against civilians", "Attack"),
        None if plover == "FIGHT" => ("Battles", "Armed clash"),
        _ => ("", ""),
    }
}

/// The row's `event_date` and ACLED `time_precision`: 1 for a day, 2 for a week (dated
/// to its Monday), 3 for a month (dated to its first day) or anything vaguer (undated).
pub(crate) fn acled_date(date: Option<&str>) -> (String, u8) {
    let Some(value) = date.map(str::trim) else {
        return (String::new(), 3);
    };
    let day = value
        .get(..10)
        .filter(|_| matches!(value.as_bytes().get(10), None | Some(b'T' | b' ')));
    if let Some(day) = day.and_then(|d| d.parse::<jiff::civil::Date>().ok()) {
        return (day.to_string(), 1);
    }
    if value.contains("-W") {
        let monday = if value.len() == 8 {
            format!("{value}-1")
        } else {
            value.to_owned()
        };
        if let Ok(week) = monday.parse::<jiff::civil::ISOWeekDate>() {
            let precision = if value.len() == 8 { 2 } else { 1 };
            return (week.date().to_string(), precision);
        }
    }
    if value.len() == 7 {
        if let Ok(first) = format!("{value}-01").parse::<jiff::civil::Date>() {
            return (first.to_string(), 3);
        }
    }
    (String::new(), 3)
}

/// Who did it: an organisation or person by name; a state as its military forces.
fn actor_name(record: &Record, actor: &Actor, kb: &Kb) -> String {
    let entity = actor
        .entity
        .as_deref()
        .and_then(|id| record.entities.iter().find(|e| e.id == id));
    let military = |country: &str| format!("Military Forces of {country}");
    match entity {
        Some(e) if e.kind == EntityKind::Country => match actor.country.as_deref() {
            Some(code) => military(kb.country_name(code).unwrap_or(&e.name)),
            None => military(&e.name),
        },
        Some(e) => e.name.clone(),
        None => actor
            .country
            .as_deref()
            .map(|code| military(kb.country_name(code).unwrap_or(code)))
            .unwrap_or_default(),
    }
}

/// ACLED `geo_precision` from the kind of place: 1 a town or site, 2 a region, 3 a
/// country or wider; unknown for places the gazetteer did not resolve.
fn geo_precision(place: &Place) -> Option<u8> {
    match place.kind.as_str() {
        "city" | "capital" | "site" | "town" | "village" => Some(1),
        "admin1" | "region" | "district" => Some(2),
        "country" | "continent" => Some(3),
        _ => None,
    }
}

/// The first-level division a resolved place lies in, from the knowledge base.
fn admin1_of(place: &Place, kb: &Kb) -> Option<String> {
    if place.kind == "admin1" {
        return Some(place.name.clone());
    }
    let id = u32::try_from(place.geonames_id?).ok()?;
    kb.lookup(&place.name)
        .into_iter()
        .find_map(|candidate| match candidate.entry {
            Entry::Place(p) if p.geonames_id == Some(id) => p.admin1.map(str::to_owned),
            _ => None,
        })
}

// ---------------------------------------------------------------------------------------
// GeoJSON features

/// A Point feature for every event and meeting whose place has valid coordinates.
pub(crate) fn features_of(record: &Record) -> Vec<Value> {
    let mut out = Vec::new();
    for event in &record.events {
        if let Some((place, lat, lon)) = mapped(record, event.place.as_deref()) {
            let mut props = common_properties(record, "event", &event.id, &event.evidence);
            props.insert("date".into(), json!(event.date));
            props.insert("type".into(), json!(event.plover_type));
            props.insert("mode".into(), json!(event.mode));
            props.insert("place".into(), json!(place.name));
            props.insert("country".into(), json!(place.country));
            props.insert(
                "actor".into(),
                json!(event.actor.as_ref().map(|a| actor_label(record, a))),
            );
            props.insert("target".into(), json!(event.target));
            props.insert(
                "killed".into(),
                json!(event.killed.as_ref().map(|q| &q.text)),
            );
            props.insert(
                "wounded".into(),
                json!(event.wounded.as_ref().map(|q| &q.text)),
            );
            props.insert("confidence".into(), json!(rounded(event.confidence)));
            out.push(point(record, &event.id, lat, lon, props));
        }
    }
    for meeting in &record.meetings {
        if let Some((place, lat, lon)) = mapped(record, meeting.venue.as_deref()) {
            let props = meeting_properties(record, meeting, place);
            out.push(point(record, &meeting.id, lat, lon, props));
        }
    }
    out
}

fn meeting_properties(record: &Record, meeting: &Meeting, place: &Place) -> Map<String, Value> {
    let mut props = common_properties(record, "meeting", &meeting.id, &meeting.evidence);
    props.insert("date".into(), json!(meeting.date));
    props.insert("type".into(), json!(meeting.plover_type));
    props.insert("status".into(), json!(meeting.status));
    props.insert("previous_status".into(), json!(meeting.previous_status));
    props.insert("level".into(), json!(meeting.level));
    props.insert("format".into(), json!(meeting.format));
    props.insert("place".into(), json!(place.name));
    props.insert("country".into(), json!(place.country));
    let participants: Vec<&str> = meeting
        .participants
        .iter()
        .map(|p| {
            record
                .entities
                .iter()
                .find(|e| &e.id == p)
                .map_or(p.as_str(), |e| e.name.as_str())
        })
        .collect();
    props.insert("participants".into(), json!(participants));
    props.insert("confidence".into(), json!(rounded(meeting.confidence)));
    props
}

/// Properties every feature has: what it is, where it comes from, and its evidence.
fn common_properties(
    record: &Record,
    kind: &str,
    id: &str,
    evidence: &[Span],
) -> Map<String, Value> {
    let doc = &record.document;
    let mut props = Map::new();
    props.insert("kind".into(), json!(kind));
    props.insert("id".into(), json!(id));
    props.insert("document_id".into(), json!(doc.id));
    props.insert("source".into(), json!(doc.source));
    props.insert("url".into(), json!(doc.url));
    props.insert("outlet".into(), json!(doc.outlet));
    props.insert("evidence".into(), json!(evidence_text(&doc.text, evidence)));
    props
}

/// A 0–1 confidence to two decimals (an `f32` printed as `f64` shows float noise).
fn rounded(confidence: f32) -> f64 {
    (f64::from(confidence) * 100.0).round() / 100.0
}

fn point(record: &Record, id: &str, lat: f64, lon: f64, props: Map<String, Value>) -> Value {
    json!({
        "type": "Feature",
        "id": format!("{}#{id}", record.document.id),
        "geometry": {"type": "Point", "coordinates": [lon, lat]},
        "properties": props,
    })
}

/// The place a fact points to, with its coordinates when they are valid.
fn mapped<'r>(record: &'r Record, place: Option<&str>) -> Option<(&'r Place, f64, f64)> {
    let place = place_by_id(record, place?)?;
    let (lat, lon) = coordinates(place)?;
    Some((place, lat, lon))
}

/// An actor as a readable label: the entity's name, else the country code.
fn actor_label(record: &Record, actor: &Actor) -> Option<String> {
    actor
        .entity
        .as_deref()
        .and_then(|id| record.entities.iter().find(|e| e.id == id))
        .map(|e| e.name.clone())
        .or_else(|| actor.country.clone())
}

// ---------------------------------------------------------------------------------------
// Shared helpers

fn place_by_id<'r>(record: &'r Record, id: &str) -> Option<&'r Place> {
    record.places.iter().find(|p| p.id == id)
}

/// Latitude and longitude when both are known, finite and in range.
fn coordinates(place: &Place) -> Option<(f64, f64)> {
    let (lat, lon) = (place.lat?, place.lon?);
    let valid = lat.is_finite()
        && lon.is_finite()
        && (-90.0..=90.0).contains(&lat)
        && (-180.0..=180.0).contains(&lon);
    valid.then_some((lat, lon))
}

/// The evidence sentences, each on one line of text, joined by a space. Spans that do
/// not fit the text (a hand-edited record) are skipped rather than trusted.
pub(crate) fn evidence_text(text: &str, evidence: &[Span]) -> String {
    let mut out = String::new();
    for span in evidence {
        let Some(sentence) = span.slice(text) else {
            continue;
        };
        for word in sentence.split_whitespace() {
            if !out.is_empty() {
                out.push(' ');
            }
            out.push_str(word);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use sitrep_core::record::{Document, Quantity};

    use super::*;

    fn place(id: &str, kind: &str, lat: Option<f64>, lon: Option<f64>) -> Place {
        Place {
            id: id.into(),
            name: "Kharkiv".into(),
            country: Some("UA".into()),
            kind: kind.into(),
            geonames_id: Some(706483),
            lat,
            lon,
            confidence: 0.9,
            alternates: vec![],
            mentions: vec![],
        }
    }

    fn event(place: Option<&str>) -> Event {
        Event {
            id: "v1".into(),
            plover_type: "ASSAULT".into(),
            mode: Some("drone".into()),
            place: place.map(str::to_owned),
            date: Some("2025-06-12".into()),
            actor: Some(Actor {
                country: Some("RU".into()),
                entity: None,
                inferred: false,
            }),
            target: Some("civilians".into()),
            site: None,
            killed: Some(Quantity {
                min: Some(3),
                max: Some(3),
                text: "three".into(),
            }),
            wounded: None,
            confidence: 0.8,
            evidence: vec![Span::new(0, 27)],
        }
    }

    fn record(events: Vec<Event>, places: Vec<Place>) -> Record {
        let mut r = Record::new(Document {
            id: "sha256:ab".into(),
            source: "a.txt".into(),
            url: Some("https://example.invalid/a".into()),
            outlet: Some("Example Post".into()),
            text: "A drone strike hit Kharkiv.\nMore text.".into(),
            language: "en".into(),
            ..Document::default()
        });
        r.events = events;
        r.places = places;
        r
    }

    #[test]
    fn modes_map_to_acled_types() {
        let t = |p, m, target| acled_type(p, m, target);
        assert_eq!(
            t("ASSAULT", Some("drone"), None),
            ("Explosions/Remote violence", "Air/drone strike")
        );
        assert_eq!(
            t("ASSAULT", Some("rocket"), None).1,
            "Shelling/artillery/missile attack"
        );
        assert_eq!(
            t("ASSAULT", Some("explosion"), None).1,
            "Remote explosive/landmine/IED"
        );
        assert_eq!(t("FIGHT", Some("ground"), None), ("Battles", "Armed clash"));
        assert_eq!(
            t("ASSAULT", Some("small-arms"), Some("civilians")),
            ("Violence against civilians", "Attack")
        );
        // An air strike on civilians stays remote violence, as ACLED codes it.
        assert_eq!(
            t("ASSAULT", Some("airstrike"), Some("civilians")).0,
            "Explosions/Remote violence"
        );
        assert_eq!(t("ASSAULT", None, None), ("", ""));
    }

    #[test]
    fn dates_carry_acled_time_precision() {
        assert_eq!(acled_date(Some("2025-04-23")), ("2025-04-23".into(), 1));
        assert_eq!(
            acled_date(Some("2025-04-23T10:00:00Z")),
            ("2025-04-23".into(), 1)
        );
        assert_eq!(acled_date(Some("2025-W17")), ("2025-04-21".into(), 2));
        assert_eq!(acled_date(Some("2025-04")), ("2025-04-01".into(), 3));
        assert_eq!(acled_date(Some("2025")), (String::new(), 3));
        assert_eq!(acled_date(Some("2025-02-30")), (String::new(), 3));
        assert_eq!(acled_date(None), (String::new(), 3));
    }

    #[test]
    fn row_fills_known_columns_and_leaves_the_rest_empty() {
        let kb = Kb::embedded();
        let r = record(
            vec![event(Some("p1"))],
            vec![place("p1", "city", Some(49.98), Some(36.25))],
        );
        let row = acled_row(&r, &r.events[0], kb);
        let col = |name: &str| {
            let i = ACLED_COLUMNS.iter().position(|c| *c == name).unwrap();
            row[i].as_str()
        };
        assert_eq!(col("event_date"), "2025-06-12");
        assert_eq!(col("sub_event_type"), "Air/drone strike");
        assert_eq!(col("actor1"), "Military Forces of Russia");
        assert_eq!(col("actor2"), "Civilians (Ukraine)");
        assert_eq!(col("country"), "Ukraine");
        assert_eq!(col("location"), "Kharkiv");
        assert_eq!(col("latitude"), "49.98");
        assert_eq!(col("longitude"), "36.25");
        assert_eq!(col("geo_precision"), "1");
        assert_eq!(col("time_precision"), "1");
        assert_eq!(col("source"), "Example Post");
        assert_eq!(col("notes"), "A drone strike hit Kharkiv.");
        assert_eq!(col("fatalities"), "3");
        assert!(
            col("admin1").contains("Kharkiv"),
            "admin1 {:?}",
            col("admin1")
        );
    }

    #[test]
    fn unknown_counts_and_places_stay_empty() {
        let kb = Kb::embedded();
        let mut e = event(None);
        e.killed = Some(Quantity {
            min: None,
            max: None,
            text: "several".into(),
        });
        e.target = Some("civilians".into());
        let r = record(vec![e], vec![]);
        let row = acled_row(&r, &r.events[0], kb);
        assert_eq!(row[14], "", "fatalities must not be invented");
        assert_eq!(row[4], "Civilians");
        for i in 5..=10 {
            assert_eq!(row[i], "", "{} should be empty", ACLED_COLUMNS[i]);
        }
    }

    #[test]
    fn features_skip_places_without_valid_coordinates() {
        let r = record(
            vec![event(Some("p1")), event(Some("p2")), event(None)],
            vec![
                place("p1", "city", Some(49.98), Some(36.25)),
                place("p2", "city", Some(95.0), Some(36.25)),
            ],
        );
        let features = features_of(&r);
        assert_eq!(features.len(), 1);
        let f = &features[0];
        assert_eq!(f["geometry"]["coordinates"], json!([36.25, 49.98]));
        assert_eq!(f["properties"]["kind"], "event");
        assert_eq!(f["properties"]["killed"], "three");
        assert_eq!(f["properties"]["evidence"], "A drone strike hit Kharkiv.");
    }

    #[test]
    fn geojson_sink_writes_a_collection_even_when_empty() {
        let mut buf = Vec::new();
        let sink = Sink::new(ExportFormat::Geojson, &mut buf, Kb::embedded()).unwrap();
        sink.finish().unwrap();
        let v: Value = serde_json::from_slice(&buf).unwrap();
        assert_eq!(v["type"], "FeatureCollection");
        assert_eq!(v["features"], json!([]));
    }

    #[test]
    fn evidence_skips_spans_outside_the_text() {
        let text = "One. Two.";
        let spans = [Span::new(0, 4), Span::new(5, 50), Span::new(5, 9)];
        assert_eq!(evidence_text(text, &spans), "One. Two.");
    }
}
