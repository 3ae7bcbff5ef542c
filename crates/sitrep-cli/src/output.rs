//! The readable `--format text` summary of a record.

use std::io::Write;

use sitrep_core::Record;

/// Writes a short, readable summary of one record.
pub fn write_summary(out: &mut impl Write, record: &Record) -> std::io::Result<()> {
    let doc = &record.document;
    writeln!(out, "# {}", doc.title.as_deref().unwrap_or("(untitled)"))?;
    writeln!(
        out,
        "source: {}  outlet: {}  published: {}",
        doc.source,
        doc.outlet.as_deref().unwrap_or("?"),
        doc.published.as_deref().unwrap_or("?")
    )?;
    if !doc.authors.is_empty() {
        writeln!(out, "by: {}", doc.authors.join(", "))?;
    }
    if !doc.credits.is_empty() {
        writeln!(out, "pictures: {}", doc.credits.join(", "))?;
    }
    writeln!(out, "{} bytes of text, id {}", doc.text.len(), doc.id)?;
    let name_of = |id: &str| {
        record
            .entities
            .iter()
            .find(|e| e.id == id)
            .map(|e| e.name.clone())
            .or_else(|| {
                record
                    .places
                    .iter()
                    .find(|p| p.id == id)
                    .map(|p| p.name.clone())
            })
            .unwrap_or_else(|| id.to_owned())
    };
    if !record.entities.is_empty() {
        writeln!(out, "\nwho:")?;
        for e in &record.entities {
            let side = e
                .affiliation
                .as_ref()
                .and_then(|a| a.country.as_deref())
                .unwrap_or("?");
            let titles = e.titles.join(", ");
            writeln!(out, "  {:<24} {:?} {side} {titles}", e.name, e.kind)?;
        }
    }
    if !record.places.is_empty() {
        writeln!(out, "\nwhere:")?;
        for p in &record.places {
            let at = match (p.lat, p.lon) {
                (Some(lat), Some(lon)) => format!("{lat:.2},{lon:.2}"),
                _ => "-".to_owned(),
            };
            writeln!(
                out,
                "  {:<24} {} {} {at}",
                p.name,
                p.country.as_deref().unwrap_or("?"),
                p.kind
            )?;
        }
    }
    if !record.times.is_empty() {
        writeln!(out, "\nwhen:")?;
        for t in &record.times {
            writeln!(
                out,
                "  {:<24} {}",
                t.text,
                t.value.as_deref().unwrap_or("?")
            )?;
        }
    }
    if !record.quotes.is_empty() {
        writeln!(out, "\nsaid:")?;
        for q in &record.quotes {
            let who = q
                .speaker
                .as_deref()
                .map(name_of)
                .unwrap_or_else(|| "(unsure)".into());
            let mark = if q.direct { "“" } else { "" };
            writeln!(
                out,
                "  {who}: {mark}{}{}",
                q.text,
                if q.direct { "”" } else { "" }
            )?;
        }
    }
    if !record.meetings.is_empty() {
        writeln!(out, "\nmet:")?;
        for m in &record.meetings {
            let venue = m
                .venue
                .as_deref()
                .map(name_of)
                .unwrap_or_else(|| "?".into());
            let who: Vec<String> = m.participants.iter().map(|p| name_of(p)).collect();
            writeln!(
                out,
                "  {venue}: {} ({} level) {}",
                m.status,
                m.level,
                who.join(", ")
            )?;
        }
    }
    if !record.claims.is_empty() {
        writeln!(out, "\nclaimed:")?;
        for c in &record.claims {
            let who = c
                .source
                .as_deref()
                .map(name_of)
                .unwrap_or_else(|| "?".into());
            writeln!(out, "  {who}: {}", c.gist)?;
            for r in &c.reactions {
                let by = r.by.as_deref().map(name_of).unwrap_or_else(|| "?".into());
                writeln!(out, "    {} by {by}", r.stance)?;
            }
        }
    }
    if !record.events.is_empty() {
        writeln!(out, "\nhappened:")?;
        for v in &record.events {
            let place = v
                .place
                .as_deref()
                .map(name_of)
                .unwrap_or_else(|| "?".into());
            let killed = v.killed.as_ref().map(|q| q.text.as_str()).unwrap_or("-");
            let wounded = v.wounded.as_ref().map(|q| q.text.as_str()).unwrap_or("-");
            writeln!(
                out,
                "  {} {} in {place} on {}: killed {killed}, wounded {wounded}",
                v.plover_type,
                v.mode.as_deref().unwrap_or(""),
                v.date.as_deref().unwrap_or("?")
            )?;
        }
    }
    for d in &record.diagnostics {
        writeln!(out, "note ({}): {}", d.stage, d.message)?;
    }
    writeln!(out)
}
