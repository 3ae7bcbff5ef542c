//! `sitrep report`: a briefing from the store that a person would forward.
//!
//! The briefing is built once as plain sections of lines ([`Piece`]s: text, bold text,
//! citations) and then written as Markdown or as a standalone HTML page, so both
//! formats say the same thing. Every line cites the sources that back it; a figure or a
//! status that outlets disagree on is given with each value and the outlets behind it.

use std::collections::HashMap;
use std::fs::File;
use std::io::{BufWriter, Write};
use std::process::ExitCode;

use anyhow::{Context, Result};
use serde_json::Value;
use sitrep_store::query::SourceRef;
use sitrep_store::{FactKind, Filter, MergedFact, SqliteStore, Store};

use crate::args::{BriefingFormat, ReportArgs};
use crate::query::{clip, filter_of, open_existing, show};

/// Facts of one kind read into a briefing at most.
const MAX_FACTS: usize = 2000;

/// A piece of a line.
#[derive(Debug, Clone, PartialEq)]
enum Piece {
    Text(String),
    Bold(String),
    /// Source numbers, in the briefing's source list.
    Cites(Vec<usize>),
}

type Line = Vec<Piece>;

/// A briefing, before it is written in a format.
#[derive(Debug, Default)]
struct Briefing {
    title: String,
    summary: String,
    /// (heading, lines) in order.
    sections: Vec<(String, Vec<Line>)>,
    /// The sources cited, numbered from 1.
    sources: Vec<SourceRef>,
}

/// Runs `sitrep report`.
pub fn run(args: &ReportArgs) -> Result<ExitCode> {
    let store = open_existing(&args.filter.db)?;
    let filter = filter_of(&args.filter).checked()?;
    let briefing = build(&store, &filter)?;
    let out: Box<dyn Write> = match &args.output {
        Some(path) => Box::new(
            File::create(path).with_context(|| format!("cannot create {}", path.display()))?,
        ),
        None => Box::new(std::io::stdout().lock()),
    };
    let mut out = BufWriter::new(out);
    match args.format {
        BriefingFormat::Md => write_markdown(&mut out, &briefing)?,
        BriefingFormat::Html => write_html(&mut out, &briefing)?,
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

/// Every merged fact of `kind` the filter selects (up to [`MAX_FACTS`]).
fn all_facts(store: &SqliteStore, kind: FactKind, filter: &Filter) -> Result<Vec<MergedFact>> {
    let mut filter = filter.clone();
    filter.limit = 500;
    let mut out = Vec::new();
    loop {
        let page = store.facts(kind, &filter)?;
        out.extend(page.results);
        match page.next {
            Some(next) if out.len() < MAX_FACTS => filter.after = Some(next),
            _ => break,
        }
    }
    Ok(out)
}

fn build(store: &SqliteStore, filter: &Filter) -> Result<Briefing> {
    let mut events = all_facts(store, FactKind::Events, filter)?;
    let mut meetings = all_facts(store, FactKind::Meetings, filter)?;
    let quotes = all_facts(store, FactKind::Quotes, filter)?;
    let claims = all_facts(store, FactKind::Claims, filter)?;
    let title = match filter.story {
        Some(_) => {
            let mut one = filter.clone();
            one.limit = 1;
            let story = store.stories(&one)?.results.into_iter().next();
            let title = story
                .and_then(|s| s.title)
                .unwrap_or_else(|| "(untitled)".into());
            format!("Briefing: {title}")
        }
        None => match (&filter.since, &filter.until) {
            (Some(since), Some(until)) => format!("Briefing, {since} to {until}"),
            (Some(since), None) => format!("Briefing since {since}"),
            (None, Some(until)) => format!("Briefing up to {until}"),
            (None, None) => "Briefing".to_owned(),
        },
    };
    let mut briefing = Briefing {
        title,
        ..Briefing::default()
    };
    let mut cites = Citations::default();

    // Timeline: events and meetings by day, oldest first.
    events.reverse();
    meetings.reverse();
    let mut timeline: Vec<(String, Line)> = Vec::new();
    for fact in &events {
        let mut line = vec![Piece::Bold(day(fact)), Piece::Text(" — ".into())];
        line.push(Piece::Text(capitalised(&fact.label)));
        let figures: Vec<String> = ["killed", "wounded"]
            .iter()
            .filter_map(|field| figure(fact, field).map(|f| format!("{f} {field}")))
            .collect();
        if !figures.is_empty() {
            line.push(Piece::Text(format!(": {}", figures.join(", "))));
        }
        if let Some(actor) = fact.fields.get("actor") {
            line.push(Piece::Text(format!("; attributed to {}", show(actor))));
        }
        line.push(Piece::Text(format!(". {}. ", outlets(fact))));
        line.push(Piece::Cites(cites.of(fact)));
        timeline.push((day(fact), line));
    }
    for fact in &meetings {
        let mut line = vec![Piece::Bold(day(fact)), Piece::Text(" — ".into())];
        line.push(Piece::Text(capitalised(&fact.label)));
        if let Some(level) = fact
            .fields
            .get("level")
            .map(show)
            .filter(|l| l != "unknown")
        {
            line.push(Piece::Text(format!(" ({level})")));
        }
        line.push(Piece::Text(format!(
            ": {}",
            value_with_dissent(fact, "status")
        )));
        if let Some(Value::Array(people)) = fact.fields.get("participants") {
            let names: Vec<String> = people.iter().map(show).collect();
            line.push(Piece::Text(format!("; with {}", names.join(", "))));
        }
        line.push(Piece::Text(format!(". {}. ", outlets(fact))));
        line.push(Piece::Cites(cites.of(fact)));
        timeline.push((day(fact), line));
    }
    timeline.sort_by(|a, b| a.0.cmp(&b.0));
    briefing.sections.push((
        "Timeline".into(),
        timeline.into_iter().map(|(_, line)| line).collect(),
    ));

    // Who said what: quotes by speaker, the most widely carried first.
    let mut by_speaker: Vec<(String, Vec<&MergedFact>)> = Vec::new();
    for fact in &quotes {
        let speaker = fact
            .fields
            .get("speaker")
            .map(show)
            .unwrap_or_else(|| "Unattributed".into());
        match by_speaker.iter_mut().find(|(s, _)| *s == speaker) {
            Some((_, list)) => list.push(fact),
            None => by_speaker.push((speaker, vec![fact])),
        }
    }
    by_speaker
        .sort_by_key(|(_, list)| std::cmp::Reverse(list.iter().map(|f| f.outlets).sum::<u32>()));
    let mut said = Vec::new();
    for (speaker, list) in by_speaker {
        for fact in list {
            let mut line = vec![
                Piece::Bold(speaker.clone()),
                Piece::Text(format!(": “{}” ", clip(&fact.label, 300))),
            ];
            if let Some(d) = fact.disputes.iter().find(|d| d.field == "speaker") {
                let others: Vec<String> = d.values[1..]
                    .iter()
                    .map(|v| format!("{} per {}", show(&v.value), v.outlets.join(", ")))
                    .collect();
                line.push(Piece::Text(format!(
                    "(attributed to {}) ",
                    others.join("; ")
                )));
            }
            line.push(Piece::Cites(cites.of(fact)));
            said.push(line);
        }
    }
    briefing.sections.push(("Who said what".into(), said));

    // Claims and who answered them.
    let mut claimed = Vec::new();
    for fact in &claims {
        let source = fact
            .fields
            .get("source")
            .map(show)
            .unwrap_or_else(|| "Unnamed source".into());
        let kind = fact
            .fields
            .get("kind")
            .map(show)
            .unwrap_or_else(|| "claim".into());
        let mut line = vec![
            Piece::Bold(source),
            Piece::Text(format!(" ({kind}): {}", clip(&fact.label, 300))),
        ];
        if let Some(reactions) = fact.fields.get("reactions") {
            line.push(Piece::Text(format!(" — answered: {}", show(reactions))));
        }
        line.push(Piece::Text(". ".into()));
        line.push(Piece::Cites(cites.of(fact)));
        claimed.push(line);
    }
    briefing
        .sections
        .push(("Claims and denials".into(), claimed));

    // Casualty figures, each value with its outlets.
    let mut casualties = Vec::new();
    for fact in &events {
        for field in ["killed", "wounded"] {
            let Some(values) = values_with_outlets(fact, field) else {
                continue;
            };
            let mut line = vec![
                Piece::Bold(format!("{} ({})", capitalised(&fact.label), day(fact))),
                Piece::Text(format!(", {field}: {values}. ")),
            ];
            line.push(Piece::Cites(cites.of(fact)));
            casualties.push(line);
        }
    }
    briefing
        .sections
        .push(("Casualty figures".into(), casualties));

    // What is contested.
    let mut contested = Vec::new();
    for fact in events.iter().chain(&meetings).chain(&quotes).chain(&claims) {
        for dispute in &fact.disputes {
            let values: Vec<String> = dispute
                .values
                .iter()
                .map(|v| format!("{} ({})", show(&v.value), v.outlets.join(", ")))
                .collect();
            let mut line = vec![
                Piece::Bold(clip(&capitalised(&fact.label), 80)),
                Piece::Text(format!(", {}: {}. ", dispute.field, values.join(" vs "))),
            ];
            line.push(Piece::Cites(cites.of(fact)));
            contested.push(line);
        }
    }
    briefing
        .sections
        .push(("What is contested".into(), contested));

    let outlet_names: std::collections::BTreeSet<&str> = cites
        .sources
        .iter()
        .filter(|s| s.independent)
        .filter_map(|s| s.outlet.as_deref())
        .collect();
    briefing.summary = format!(
        "{} attacks, {} meetings, {} quotes and {} claims from {} sources ({} independent outlets). \
         Numbers in brackets cite the sources listed at the end.",
        events.len(),
        meetings.len(),
        quotes.len(),
        claims.len(),
        cites.sources.len(),
        outlet_names.len()
    );
    briefing.sources = cites.sources;
    Ok(briefing)
}

/// Numbers sources in the order they are first cited.
#[derive(Debug, Default)]
struct Citations {
    sources: Vec<SourceRef>,
    index: HashMap<(String, Option<String>, Option<String>), usize>,
}

impl Citations {
    fn of(&mut self, fact: &MergedFact) -> Vec<usize> {
        let mut out = Vec::new();
        for source in &fact.sources {
            let key = (
                source.document.clone(),
                source.outlet.clone(),
                source.url.clone(),
            );
            let n = match self.index.get(&key) {
                Some(&n) => n,
                None => {
                    self.sources.push(source.clone());
                    self.index.insert(key, self.sources.len());
                    self.sources.len()
                }
            };
            if !out.contains(&n) {
                out.push(n);
            }
        }
        out
    }
}

fn day(fact: &MergedFact) -> String {
    fact.date.clone().unwrap_or_else(|| "undated".into())
}

fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

fn outlets(fact: &MergedFact) -> String {
    match fact.outlets {
        1 => "Reported by 1 outlet".into(),
        n => format!("Reported by {n} outlets"),
    }
}

/// A field's value, with the other values and their outlets when it is disputed.
fn value_with_dissent(fact: &MergedFact, field: &str) -> String {
    let main = fact
        .fields
        .get(field)
        .map(show)
        .unwrap_or_else(|| "?".into());
    match fact.disputes.iter().find(|d| d.field == field) {
        Some(d) => {
            let others: Vec<String> = d.values[1..]
                .iter()
                .map(|v| format!("{} per {}", show(&v.value), v.outlets.join(", ")))
                .collect();
            format!("{main} ({})", others.join("; "))
        }
        None => main,
    }
}

/// A casualty figure for the timeline: the value, or every value when disputed.
fn figure(fact: &MergedFact, field: &str) -> Option<String> {
    fact.fields.get(field)?;
    Some(value_with_dissent(fact, field))
}

/// Every value of a figure with the outlets behind it.
fn values_with_outlets(fact: &MergedFact, field: &str) -> Option<String> {
    let value = fact.fields.get(field)?;
    Some(match fact.disputes.iter().find(|d| d.field == field) {
        Some(d) => d
            .values
            .iter()
            .map(|v| format!("{} according to {}", show(&v.value), v.outlets.join(", ")))
            .collect::<Vec<_>>()
            .join("; "),
        None => format!(
            "{} (all {} outlets that give it)",
            show(value),
            fact.outlets
        ),
    })
}

fn write_markdown(out: &mut impl Write, briefing: &Briefing) -> std::io::Result<()> {
    writeln!(out, "# {}\n", md_escape(&briefing.title))?;
    writeln!(out, "{}\n", md_escape(&briefing.summary))?;
    for (heading, lines) in &briefing.sections {
        writeln!(out, "## {heading}\n")?;
        if lines.is_empty() {
            writeln!(out, "None reported.\n")?;
            continue;
        }
        for line in lines {
            write!(out, "- ")?;
            for piece in line {
                match piece {
                    Piece::Text(t) => write!(out, "{}", md_escape(t))?,
                    Piece::Bold(t) => write!(out, "**{}**", md_escape(t))?,
                    Piece::Cites(ns) => {
                        for n in ns {
                            write!(out, "[\\[{n}\\]](#source-{n})")?;
                        }
                    }
                }
            }
            writeln!(out)?;
        }
        writeln!(out)?;
    }
    writeln!(out, "## Sources\n")?;
    for (i, s) in briefing.sources.iter().enumerate() {
        let n = i + 1;
        let outlet = s.outlet.as_deref().unwrap_or("Unknown outlet");
        let copy = if s.independent {
            ""
        } else {
            " (copy of another source's text)"
        };
        write!(out, "{n}. <a id=\"source-{n}\"></a>{}", md_escape(outlet))?;
        if let Some(published) = &s.published {
            write!(out, ", {}", md_escape(published))?;
        }
        if let Some(url) = &s.url {
            write!(out, ", <{}>", url.replace(['<', '>', ' '], ""))?;
        }
        writeln!(out, "{copy}")?;
    }
    Ok(())
}

/// Escapes the characters that Markdown would read as markup or raw HTML.
fn md_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\\' | '*' | '_' | '[' | ']' | '`' | '#' | '|' => {
                out.push('\\');
                out.push(c);
            }
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '\n' | '\r' => out.push(' '),
            _ => out.push(c),
        }
    }
    out
}

/// Escapes text for HTML element content and quoted attribute values.
fn html_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

fn write_html(out: &mut impl Write, briefing: &Briefing) -> std::io::Result<()> {
    let title = html_escape(&briefing.title);
    writeln!(
        out,
        "<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <title>{title}</title>\n<style>\n\
         body {{ font: 16px/1.5 system-ui, sans-serif; max-width: 52rem; margin: 2rem auto; padding: 0 1rem; color: #222; }}\n\
         h1 {{ font-size: 1.6rem; }} h2 {{ font-size: 1.2rem; margin-top: 2rem; border-bottom: 1px solid #ddd; }}\n\
         li {{ margin: 0.3rem 0; }} a.cite {{ font-size: 0.8em; text-decoration: none; }}\n\
         .summary {{ color: #555; }}\n</style>\n</head>\n<body>\n<h1>{title}</h1>\n\
         <p class=\"summary\">{}</p>",
        html_escape(&briefing.summary)
    )?;
    for (heading, lines) in &briefing.sections {
        writeln!(out, "<h2>{}</h2>", html_escape(heading))?;
        if lines.is_empty() {
            writeln!(out, "<p>None reported.</p>")?;
            continue;
        }
        writeln!(out, "<ul>")?;
        for line in lines {
            write!(out, "<li>")?;
            for piece in line {
                match piece {
                    Piece::Text(t) => write!(out, "{}", html_escape(t))?,
                    Piece::Bold(t) => write!(out, "<strong>{}</strong>", html_escape(t))?,
                    Piece::Cites(ns) => {
                        for n in ns {
                            write!(out, "<a class=\"cite\" href=\"#source-{n}\">[{n}]</a>")?;
                        }
                    }
                }
            }
            writeln!(out, "</li>")?;
        }
        writeln!(out, "</ul>")?;
    }
    writeln!(out, "<h2>Sources</h2>\n<ol>")?;
    for (i, s) in briefing.sources.iter().enumerate() {
        let n = i + 1;
        write!(
            out,
            "<li id=\"source-{n}\">{}",
            html_escape(s.outlet.as_deref().unwrap_or("Unknown outlet"))
        )?;
        if let Some(published) = &s.published {
            write!(out, ", {}", html_escape(published))?;
        }
        if let Some(url) = s.url.as_deref().filter(|u| u.starts_with("http")) {
            write!(out, ", <a href=\"{0}\">{0}</a>", html_escape(url))?;
        }
        if !s.independent {
            write!(out, " (copy of another source's text)")?;
        }
        writeln!(out, "</li>")?;
    }
    writeln!(out, "</ol>\n</body>\n</html>")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markup_in_article_text_is_escaped() {
        assert_eq!(
            html_escape("<img src=x onerror=\"alert(1)\">"),
            "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;"
        );
        assert_eq!(
            md_escape("**bold** <script>"),
            "\\*\\*bold\\*\\* &lt;script&gt;"
        );
    }

    #[test]
    fn only_web_links_become_links() {
        let source = SourceRef {
            document: "sha256:0".into(),
            record_id: "v1".into(),
            outlet: Some("Wire".into()),
            url: Some("javascript:alert(1)".into()),
            published: None,
            independent: true,
            evidence: Vec::new(),
        };
        let briefing = Briefing {
            title: "T".into(),
            sources: vec![source],
            ..Briefing::default()
        };
        let mut html = Vec::new();
        write_html(&mut html, &briefing).unwrap();
        let html = String::from_utf8(html).unwrap();
        assert!(!html.contains("href=\"javascript"), "{html}");
    }
}
