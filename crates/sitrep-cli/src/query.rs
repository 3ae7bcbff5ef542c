//! `sitrep query`: merged facts and stories from the store, as JSON or a table.

use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

use anyhow::{bail, Context, Result};
use sitrep_store::{FactKind, Filter, MergedFact, SqliteStore, Store, Story};

use crate::args::{QueryArgs, QueryFormat, QueryWhat, StoreFilterArgs};

/// Runs `sitrep query`.
pub fn run(args: &QueryArgs) -> Result<ExitCode> {
    let store = open_existing(&args.filter.db)?;
    let mut filter = filter_of(&args.filter);
    filter.limit = args.limit as usize;
    filter.after = args.after.clone();
    let mut out = std::io::stdout().lock();
    match kind_of(args.what) {
        Some(kind) => {
            let page = store.facts(kind, &filter)?;
            match args.format {
                QueryFormat::Json => writeln!(out, "{}", serde_json::to_string_pretty(&page)?)?,
                QueryFormat::Table => {
                    write_fact_table(&mut out, &page.results)?;
                    if let Some(next) = &page.next {
                        writeln!(out, "more: --after {next}")?;
                    }
                }
            }
        }
        None => {
            let page = store.stories(&filter)?;
            match args.format {
                QueryFormat::Json => writeln!(out, "{}", serde_json::to_string_pretty(&page)?)?,
                QueryFormat::Table => {
                    write_story_table(&mut out, &page.results)?;
                    if let Some(next) = &page.next {
                        writeln!(out, "more: --after {next}")?;
                    }
                }
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// Opens a store that must already exist (querying a missing file would create an
/// empty one and answer nothing, which hides a typo in the path).
pub(crate) fn open_existing(path: &Path) -> Result<SqliteStore> {
    if !path.is_file() {
        bail!(
            "no store at {}: fill one with `sitrep ingest --db {} ARTICLES…`",
            path.display(),
            path.display()
        );
    }
    SqliteStore::open(path).with_context(|| format!("cannot open the store {}", path.display()))
}

/// The store's filter from the command line (the store checks the values).
pub(crate) fn filter_of(args: &StoreFilterArgs) -> Filter {
    Filter {
        since: args.since.clone(),
        until: args.until.clone(),
        country: args.country.clone(),
        place: args.place.clone(),
        actor: args.actor.clone(),
        story: args.story,
        text: args.text.clone(),
        limit: 20,
        after: None,
        max_sources: 20,
    }
}

fn kind_of(what: QueryWhat) -> Option<FactKind> {
    match what {
        QueryWhat::People => Some(FactKind::People),
        QueryWhat::Quotes => Some(FactKind::Quotes),
        QueryWhat::Meetings => Some(FactKind::Meetings),
        QueryWhat::Events => Some(FactKind::Events),
        QueryWhat::Claims => Some(FactKind::Claims),
        QueryWhat::Stories => None,
    }
}

/// `text` cut to `max` characters with an ellipsis.
pub(crate) fn clip(text: &str, max: usize) -> String {
    let flat: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if flat.chars().count() <= max {
        return flat;
    }
    let mut out: String = flat.chars().take(max.saturating_sub(1)).collect();
    out.push('…');
    out
}

/// A field's value as short text.
pub(crate) fn show(value: &serde_json::Value) -> String {
    match value {
        serde_json::Value::String(s) => s.clone(),
        serde_json::Value::Array(items) => items.iter().map(show).collect::<Vec<_>>().join(", "),
        other => other.to_string(),
    }
}

fn write_fact_table(out: &mut impl Write, facts: &[MergedFact]) -> std::io::Result<()> {
    writeln!(
        out,
        "{:>7}  {:<10}  {:>7}  {:<58}  disputed",
        "id", "date", "outlets", "fact"
    )?;
    for fact in facts {
        let detail = match fact.kind.as_str() {
            "event" => ["killed", "wounded"]
                .iter()
                .filter_map(|f| fact.fields.get(*f).map(|v| format!("{f} {}", show(v))))
                .collect::<Vec<_>>()
                .join(", "),
            "meeting" => fact.fields.get("status").map(show).unwrap_or_default(),
            "quote" | "claim" => fact
                .fields
                .get(if fact.kind == "quote" {
                    "speaker"
                } else {
                    "source"
                })
                .map(|v| format!("— {}", show(v)))
                .unwrap_or_default(),
            _ => fact.fields.get("titles").map(show).unwrap_or_default(),
        };
        let line = if detail.is_empty() {
            fact.label.clone()
        } else {
            format!("{} ({detail})", fact.label)
        };
        let disputed: Vec<&str> = fact.disputes.iter().map(|d| d.field.as_str()).collect();
        writeln!(
            out,
            "{:>7}  {:<10}  {:>7}  {:<58}  {}",
            fact.id,
            fact.date.as_deref().unwrap_or("-"),
            fact.outlets,
            clip(&line, 58),
            disputed.join(", ")
        )?;
    }
    Ok(())
}

fn write_story_table(out: &mut impl Write, stories: &[Story]) -> std::io::Result<()> {
    writeln!(
        out,
        "{:>6}  {:<10}  {:>4}  {:<48}  facts",
        "id", "last", "docs", "title"
    )?;
    for story in stories {
        let facts: Vec<String> = story
            .facts
            .iter()
            .map(|(k, n)| format!("{n} {k}"))
            .collect();
        writeln!(
            out,
            "{:>6}  {:<10}  {:>4}  {:<48}  {}",
            story.id,
            story
                .last_published
                .as_deref()
                .and_then(|d| d.get(..10))
                .unwrap_or("-"),
            story.documents,
            clip(story.title.as_deref().unwrap_or("(untitled)"), 48),
            facts.join(", ")
        )?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clipping_counts_characters_not_bytes() {
        assert_eq!(clip("Zaporizhzhia  strike", 30), "Zaporizhzhia strike");
        assert_eq!(clip("ąąąąą", 3), "ąą…");
    }
}
