//! `sitrep kb lookup NAME`: what the knowledge base knows by a name.

use std::process::ExitCode;

use std::io::Write;

use anyhow::Result;
use serde_json::{json, Value};
use sitrep_kb::{Candidate, Entry, Kb, PlaceContext};

use crate::args::{KbCommand, ReportFormat};

/// Runs `sitrep kb …`.
pub fn run(command: &KbCommand) -> Result<ExitCode> {
    match command {
        KbCommand::Lookup { name, format } => lookup(&name.join(" "), *format),
    }
}

fn lookup(name: &str, format: ReportFormat) -> Result<ExitCode> {
    let kb = Kb::embedded();
    let candidates = kb.lookup(name);
    let best = kb.resolve_place(name, &PlaceContext::new());
    let rows: Vec<Value> = candidates.iter().map(describe).collect();
    match format {
        ReportFormat::Json => {
            let best = best.map(|b| {
                json!({"name": b.place.name, "geonames_id": b.place.geonames_id,
                       "country": b.place.country.map(|c| c.to_string()),
                       "lat": b.place.lat, "lon": b.place.lon, "confidence": b.confidence})
            });
            writeln!(
                std::io::stdout().lock(),
                "{}",
                serde_json::to_string_pretty(
                    &json!({"name": name, "candidates": rows, "best_place": best})
                )?
            )?;
        }
        ReportFormat::Table => {
            if rows.is_empty() {
                writeln!(
                    std::io::stdout().lock(),
                    "{name}: not in the knowledge base"
                )?;
            }
            for row in &rows {
                let fields: Vec<String> = row
                    .as_object()
                    .into_iter()
                    .flatten()
                    .filter(|(_, v)| !v.is_null())
                    .map(|(k, v)| {
                        format!(
                            "{k}={}",
                            v.as_str().map_or_else(|| v.to_string(), str::to_owned)
                        )
                    })
                    .collect();
                writeln!(std::io::stdout().lock(), "{}", fields.join("  "))?;
            }
            if let Some(b) = best {
                writeln!(
                    std::io::stdout().lock(),
                    "best place without context: {} ({}) {:.3},{:.3} confidence {:.2}",
                    b.place.name,
                    b.place.country.map(|c| c.to_string()).unwrap_or_default(),
                    b.place.lat,
                    b.place.lon,
                    b.confidence
                )?;
            }
        }
    }
    Ok(if candidates.is_empty() {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    })
}

/// One candidate as a flat JSON object (ordered keys, nulls for what does not apply).
fn describe(c: &Candidate) -> Value {
    let mut row = json!({"kind": c.kind_str(), "primary_name": c.primary});
    let obj = row.as_object_mut().expect("json object");
    match &c.entry {
        Entry::Place(p) => {
            obj.insert("name".into(), json!(p.name));
            obj.insert("geonames_id".into(), json!(p.geonames_id));
            obj.insert("country".into(), json!(p.country.map(|c| c.to_string())));
            obj.insert("admin1".into(), json!(p.admin1));
            obj.insert("place_kind".into(), json!(p.kind.as_str()));
            obj.insert("lat".into(), json!(p.lat));
            obj.insert("lon".into(), json!(p.lon));
            obj.insert("population".into(), json!(p.population));
        }
        Entry::Country(k) => {
            obj.insert("name".into(), json!(k.name));
            obj.insert("country".into(), json!(k.code.to_string()));
            obj.insert("capital".into(), json!(k.capital));
            obj.insert("adjective".into(), json!(k.adjective));
        }
        Entry::Org(o) => {
            obj.insert("name".into(), json!(o.name));
            obj.insert("org_id".into(), json!(o.id));
            obj.insert("org_type".into(), json!(o.kind.as_str()));
            obj.insert("country".into(), json!(o.country.map(|c| c.to_string())));
        }
        Entry::Title(t) => {
            obj.insert("name".into(), json!(t.title));
            obj.insert("category".into(), json!(t.category.as_str()));
            obj.insert("portfolio".into(), json!(t.portfolio));
        }
        Entry::Demonym { country, .. } => {
            obj.insert("name".into(), json!(country.adjective));
            obj.insert("country".into(), json!(country.code.to_string()));
        }
        Entry::Metonym(m) => {
            obj.insert("name".into(), json!(m.name));
            obj.insert("country".into(), json!(m.country.to_string()));
            obj.insert("sense".into(), json!(m.sense));
        }
        Entry::Variant(v) => {
            obj.insert("name".into(), json!(v.canonical));
            obj.insert("country".into(), json!(v.country.map(|c| c.to_string())));
        }
    }
    row
}
