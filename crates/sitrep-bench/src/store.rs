//! The store benchmark (`sitrep bench --store N`): ingest N generated articles with the
//! real `sitrep ingest` (read + extract + merge + store, as a child process of this
//! program), then time every `query` kind against the filled store.
//!
//! The articles are the bench corpus (the examples varied in names, places, dates and
//! figures, plus public gold-set texts), spread over a fixed list of made-up outlets so
//! that merging has several outlets to count, and over time at 300 articles a day. Query latencies are measured in process
//! through `sitrep-store`, over a fixed mix of filters per kind (none, a date range, a
//! country, a place, an actor, full text), and reported as p50 and p99.

use std::io::Write;
use std::path::Path;
use std::process::Command;
use std::time::Instant;

use anyhow::{bail, Context, Result};
use serde::Serialize;
use sitrep_engine::Engine;
use sitrep_store::{FactKind, Filter, SqliteStore, Store};

use crate::corpus;

/// Articles the generated stream carries per day: each article's publication day is
/// its source's moved forward by `index / ARTICLES_PER_DAY` days, so that 100,000
/// articles span eleven months as a monitoring feed would, instead of crowding every
/// copy of an example onto that example's own day.
const ARTICLES_PER_DAY: usize = 300;

/// `published` (`YYYY-MM-DD`, maybe followed by a time) moved `days` later; anything
/// else as it is.
fn shifted(published: &str, days: usize) -> String {
    let Some(day) = published.get(..10) else {
        return published.to_owned();
    };
    match day.parse::<jiff::civil::Date>() {
        Ok(date) => match date.checked_add(jiff::Span::new().days(days as i64)) {
            Ok(moved) => format!("{moved}{}", &published[10..]),
            Err(_) => published.to_owned(),
        },
        Err(_) => published.to_owned(),
    }
}

/// Made-up outlets the generated articles are spread over.
const OUTLETS: [&str; 12] = [
    "Northgate Wire",
    "Riverbend Courier",
    "Steppe Observer",
    "Harborview Daily",
    "Meridian Post",
    "Bosphorus Bulletin",
    "Continental Review",
    "Eastern Ledger",
    "Lakeshore Gazette",
    "Valley Chronicle",
    "Coastline Herald",
    "Highland Times",
];

/// What the store benchmark measured.
#[derive(Debug, Serialize)]
pub struct StoreResults {
    /// Articles ingested.
    pub articles: usize,
    /// Seconds `sitrep ingest` took, start to end (reading, extraction, merge, writes).
    pub ingest_seconds: f64,
    /// Articles per second.
    pub articles_per_second: f64,
    /// Size of the database file after ingest (WAL checkpointed), in bytes.
    pub database_bytes: u64,
    /// Bytes per article.
    pub bytes_per_article: f64,
    /// Facts stored from the documents (rows of entities, places, quotes, meetings,
    /// claims and events).
    pub stored_facts: u64,
    /// Merged facts (one per person, place, quote, meeting, claim or attack).
    pub merged_facts: u64,
    /// Stories.
    pub stories: u64,
    /// Query latencies per kind.
    pub queries: Vec<QueryLatency>,
}

/// Latencies of one `query` kind.
#[derive(Debug, Serialize)]
pub struct QueryLatency {
    /// `people`, `quotes`, … or `stories`.
    pub kind: String,
    /// Queries timed.
    pub queries: usize,
    /// Median, in milliseconds.
    pub p50_ms: f64,
    /// 99th percentile, in milliseconds.
    pub p99_ms: f64,
    /// Slowest, in milliseconds.
    pub max_ms: f64,
}

/// Runs the store benchmark over `articles` generated articles; the store is written
/// to `dir` (created, and emptied of an earlier run's store).
pub fn run(
    articles: usize,
    examples: &Path,
    shared: &Path,
    seed: u64,
    dir: &Path,
) -> Result<StoreResults> {
    std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    let input = dir.join("articles.jsonl");
    let db = dir.join("store.db");
    for stale in ["store.db", "store.db-wal", "store.db-shm"] {
        let _ = std::fs::remove_file(dir.join(stale));
    }

    eprintln!("bench: generating {articles} articles");
    let engine = Engine::new();
    // The corpus builder counts words; ~300 words an article gives enough documents.
    let corpus = corpus::build(&engine, examples, shared, articles * 300, seed)?;
    if corpus.docs.is_empty() {
        bail!(
            "the corpus is empty: are the examples at {}?",
            examples.display()
        );
    }
    {
        let file = std::fs::File::create(&input)
            .with_context(|| format!("cannot create {}", input.display()))?;
        let mut out = std::io::BufWriter::new(file);
        for i in 0..articles {
            let doc = &corpus.docs[i % corpus.docs.len()];
            // A copy beyond the corpus's end gets a line of its own, so its text is new.
            let text = if i < corpus.docs.len() {
                doc.text.clone()
            } else {
                format!("Report {i}.\n\n{}", doc.text)
            };
            let outlet = OUTLETS[i % OUTLETS.len()];
            let line = serde_json::json!({
                "url": format!("https://{}.example/{i}", outlet.to_lowercase().replace(' ', "")),
                "outlet": outlet,
                "published": doc.published.as_deref().map(|p| shifted(p, i / ARTICLES_PER_DAY)),
                "text": text,
            });
            serde_json::to_writer(&mut out, &line)?;
            out.write_all(b"\n")?;
        }
        out.flush()?;
    }

    eprintln!("bench: ingesting into {}", db.display());
    let exe = std::env::current_exe().context("cannot find this program")?;
    let started = Instant::now();
    let status = Command::new(exe)
        .arg("ingest")
        .arg("--db")
        .arg(&db)
        .arg(&input)
        .status()
        .context("cannot run sitrep ingest")?;
    let ingest_seconds = started.elapsed().as_secs_f64();
    if !status.success() {
        bail!("sitrep ingest failed ({status})");
    }

    let store = SqliteStore::open(&db)?;
    store
        .connection()
        .execute_batch("PRAGMA wal_checkpoint(TRUNCATE)")
        .context("cannot checkpoint the store")?;
    let database_bytes = std::fs::metadata(&db).map(|m| m.len()).unwrap_or(0);
    let counts = store.counts()?;
    let stored_facts = counts.stored_facts();

    let queries = time_queries(&store)?;
    Ok(StoreResults {
        articles,
        ingest_seconds,
        articles_per_second: articles as f64 / ingest_seconds.max(1e-9),
        database_bytes,
        bytes_per_article: database_bytes as f64 / articles.max(1) as f64,
        stored_facts,
        merged_facts: counts.merged_facts,
        stories: counts.stories,
        queries,
    })
}

/// Times the queries again on the store an earlier [`run`] left in `dir` (after a change
/// to the query side, without ingesting again).
pub fn requery(dir: &Path) -> Result<Vec<QueryLatency>> {
    let db = dir.join("store.db");
    if !db.is_file() {
        bail!(
            "no store at {}: run `sitrep bench --store N` first",
            db.display()
        );
    }
    let store = SqliteStore::open(&db)?;
    time_queries(&store)
}

/// Values to filter on, read from the store itself.
pub(crate) struct Samples {
    pub(crate) days: Vec<String>,
    pub(crate) countries: Vec<String>,
    pub(crate) places: Vec<String>,
    pub(crate) actors: Vec<String>,
    pub(crate) words: Vec<String>,
}

/// The first column of a query's rows, as text.
pub(crate) fn column(store: &SqliteStore, sql: &str) -> Result<Vec<String>> {
    let mut stmt = store.connection().prepare(sql)?;
    let rows = stmt.query_map([], |row| row.get::<_, String>(0))?;
    Ok(rows.collect::<Result<Vec<_>, _>>()?)
}

pub(crate) fn samples(store: &SqliteStore) -> Result<Samples> {
    let column = |sql: &str| column(store, sql);
    Ok(Samples {
        days: column("SELECT DISTINCT date FROM facts WHERE date IS NOT NULL LIMIT 50")?,
        countries: column("SELECT DISTINCT country FROM facts WHERE country IS NOT NULL LIMIT 20")?,
        places: column(
            "SELECT label FROM facts WHERE kind = 'place' ORDER BY documents DESC LIMIT 20",
        )?,
        actors: column(
            "SELECT label FROM facts WHERE kind = 'person' ORDER BY documents DESC LIMIT 20",
        )?,
        words: [
            "ceasefire",
            "talks",
            "missile",
            "killed",
            "minister",
            "drone",
            "border",
            "aid",
        ]
        .map(str::to_owned)
        .to_vec(),
    })
}

/// Times each kind over the filter mix: 20 rounds of 6 filters.
fn time_queries(store: &SqliteStore) -> Result<Vec<QueryLatency>> {
    let s = samples(store)?;
    let pick = |list: &[String], i: usize| list.get(i % list.len().max(1)).cloned();
    let kinds: [(&str, Option<FactKind>); 6] = [
        ("people", Some(FactKind::People)),
        ("quotes", Some(FactKind::Quotes)),
        ("meetings", Some(FactKind::Meetings)),
        ("events", Some(FactKind::Events)),
        ("claims", Some(FactKind::Claims)),
        ("stories", None),
    ];
    let mut out = Vec::new();
    for (name, kind) in kinds {
        let mut times = Vec::new();
        for round in 0..20 {
            for variant in 0..6 {
                let mut filter = Filter {
                    limit: 20,
                    ..Filter::default()
                };
                match variant {
                    1 => filter.since = pick(&s.days, round),
                    2 => filter.country = pick(&s.countries, round),
                    3 => filter.place = pick(&s.places, round),
                    4 => filter.actor = pick(&s.actors, round),
                    5 => filter.text = pick(&s.words, round),
                    _ => {}
                }
                let started = Instant::now();
                match kind {
                    Some(kind) => {
                        store.facts(kind, &filter)?;
                    }
                    None => {
                        store.stories(&filter)?;
                    }
                }
                times.push(started.elapsed().as_secs_f64() * 1000.0);
            }
        }
        times.sort_by(f64::total_cmp);
        let at = |q: f64| times[((times.len() - 1) as f64 * q).round() as usize];
        out.push(QueryLatency {
            kind: name.to_owned(),
            queries: times.len(),
            p50_ms: at(0.5),
            p99_ms: at(0.99),
            max_ms: times[times.len() - 1],
        });
    }
    Ok(out)
}

/// The results as a Markdown section for `BENCHMARKS.md`.
pub fn markdown(r: &StoreResults) -> String {
    let mut md = String::new();
    md.push_str(&format!(
        "## Store: ingest and query\n\n\
         `sitrep ingest` of {} generated articles (read + extract + merge + store): \
         **{:.1} s, {:.0} articles/s**; database {:.1} MB, {:.0} bytes per article; \
         {} facts stored from the documents, {} merged facts, {} stories.\n\n\
         | query | queries | p50 ms | p99 ms | max ms |\n|---|---:|---:|---:|---:|\n",
        r.articles,
        r.ingest_seconds,
        r.articles_per_second,
        r.database_bytes as f64 / 1e6,
        r.bytes_per_article,
        r.stored_facts,
        r.merged_facts,
        r.stories
    ));
    for q in &r.queries {
        md.push_str(&format!(
            "| {} | {} | {:.2} | {:.2} | {:.2} |\n",
            q.kind, q.queries, q.p50_ms, q.p99_ms, q.max_ms
        ));
    }
    md
}

#[cfg(test)]
mod tests {
    use super::shifted;

    #[test]
    fn publication_days_move_forward_and_keep_their_time() {
        assert_eq!(shifted("2025-06-11", 0), "2025-06-11");
        assert_eq!(shifted("2025-06-11T08:30:00Z", 25), "2025-07-06T08:30:00Z");
        assert_eq!(shifted("2024-12-31", 1), "2025-01-01");
        assert_eq!(shifted("yesterday", 3), "yesterday");
    }
}
