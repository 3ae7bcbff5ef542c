//! The read side of the merged store: merged facts with their sources and disputes,
//! and stories, filtered and paged.
//!
//! A merged fact ([`MergedFact`]) is read from its row in `facts` and from its member
//! rows (one per document that told it). Its `fields` hold the values its documents
//! give; a field on which independent outlets disagree is listed in `disputes`, each
//! value with the outlets that give it. Nothing is averaged: `fields` holds the value
//! most independent outlets give (the earliest report on a tie), and the dispute shows
//! the rest.
//!
//! Paging is by cursor: results come newest day first (then newest fact first), and
//! [`Page::next`] is the cursor that continues after the last one.

use std::collections::hash_map::Entry;
use std::collections::{BTreeMap, HashMap};

use rusqlite::types::Value as SqlValue;
use rusqlite::{params_from_iter, Connection, OptionalExtension};
use serde::Serialize;
use serde_json::{json, Value};

use crate::StoreError;

/// The kinds of merged facts a query asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FactKind {
    /// Persons (merged across name variants).
    People,
    /// Quotes (the same or nearly the same words, from any outlet).
    Quotes,
    /// Meetings and talks.
    Meetings,
    /// Attacks and other violent events.
    Events,
    /// Claims, accusations and denials.
    Claims,
}

impl FactKind {
    /// The `facts.kind` value.
    pub fn as_str(self) -> &'static str {
        match self {
            FactKind::People => "person",
            FactKind::Quotes => "quote",
            FactKind::Meetings => "meeting",
            FactKind::Events => "event",
            FactKind::Claims => "claim",
        }
    }

    /// The kind whose `facts.kind` value is `kind`, if it is one a query can ask for.
    fn from_stored(kind: &str) -> Option<FactKind> {
        [
            FactKind::People,
            FactKind::Quotes,
            FactKind::Meetings,
            FactKind::Events,
            FactKind::Claims,
        ]
        .into_iter()
        .find(|k| k.as_str() == kind)
    }

    /// The table of its member rows.
    fn table(self) -> &'static str {
        match self {
            FactKind::People => "entities",
            FactKind::Quotes => "quotes",
            FactKind::Meetings => "meetings",
            FactKind::Events => "events",
            FactKind::Claims => "claims",
        }
    }
}

/// What to select. Every filter is optional; they combine with AND.
#[derive(Debug, Clone, Default)]
pub struct Filter {
    /// First day (`YYYY-MM-DD`), inclusive.
    pub since: Option<String>,
    /// Last day (`YYYY-MM-DD`), inclusive.
    pub until: Option<String>,
    /// ISO 3166-1 alpha-2 code: where an event or meeting took place, a person's side.
    pub country: Option<String>,
    /// A place's name (as stored, any case): events there, meetings held there.
    pub place: Option<String>,
    /// Part of a person's or organisation's name: attacker, speaker, claim source,
    /// meeting participant, or the person.
    pub actor: Option<String>,
    /// A story id.
    pub story: Option<i64>,
    /// Full-text query (SQLite FTS5 syntax) over the merged facts' own words: names,
    /// quoted words, claims' gists, attack and meeting labels (for stories: over the
    /// documents' text). Only the newest 5,000 matches are considered.
    pub text: Option<String>,
    /// At most this many results (1..=1000).
    pub limit: usize,
    /// The cursor of the previous page ([`Page::next`]).
    pub after: Option<String>,
    /// At most this many sources listed per fact (the counts stay whole); fields and
    /// disputes are read from the first twice as many reports (a fact told by
    /// thousands of documents answers as fast as one told by four).
    pub max_sources: usize,
}

impl Filter {
    /// The filter with its values checked and put in the form the queries compare:
    /// blank strings as absent, days as `YYYY-MM-DD` (and `since` not after `until`),
    /// the country as two upper-case letters. Every caller (the CLI, the server) gets
    /// the same answer for a value it cannot use: [`StoreError::BadQuery`].
    pub fn checked(&self) -> Result<Filter, StoreError> {
        let bad = |reason: String| StoreError::BadQuery { reason };
        let given = |v: &Option<String>| {
            v.as_deref()
                .map(str::trim)
                .filter(|v| !v.is_empty())
                .map(str::to_owned)
        };
        let day = |name: &str, v: &Option<String>| -> Result<Option<String>, StoreError> {
            let Some(value) = given(v) else {
                return Ok(None);
            };
            let well_formed = value.len() == 10 && value.as_bytes()[4] == b'-';
            match value.parse::<jiff::civil::Date>() {
                Ok(date) if well_formed => Ok(Some(date.to_string())),
                _ => Err(bad(format!(
                    "{name} must be a day as YYYY-MM-DD, not {value:?}"
                ))),
            }
        };
        let since = day("since", &self.since)?;
        let until = day("until", &self.until)?;
        if let (Some(since), Some(until)) = (&since, &until) {
            if since > until {
                return Err(bad(format!("since ({since}) is after until ({until})")));
            }
        }
        let country = match given(&self.country) {
            Some(c) if c.len() == 2 && c.bytes().all(|b| b.is_ascii_alphabetic()) => {
                Some(c.to_ascii_uppercase())
            }
            Some(c) => {
                return Err(bad(format!(
                    "country must be a two-letter ISO 3166-1 alpha-2 code such as UA, not {c:?}"
                )))
            }
            None => None,
        };
        Ok(Filter {
            since,
            until,
            country,
            place: given(&self.place),
            actor: given(&self.actor),
            story: self.story,
            text: given(&self.text),
            limit: self.limit,
            after: given(&self.after),
            max_sources: self.max_sources,
        })
    }
}

/// One page of results.
#[derive(Debug, Clone, Serialize)]
pub struct Page<T> {
    /// The results.
    pub results: Vec<T>,
    /// The cursor for the next page, when there may be one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next: Option<String>,
}

/// A fact merged over every document that told it.
#[derive(Debug, Clone, Serialize)]
pub struct MergedFact {
    /// The merged fact's id (stable: `facts.id`).
    pub id: i64,
    /// `person`, `quote`, `meeting`, `event` or `claim`.
    pub kind: String,
    /// A short label: a name, the quoted words, a claim's gist, "missile strike in X".
    pub label: String,
    /// The day it happened (events, meetings) or was first reported.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub date: Option<String>,
    /// Where (events, meetings) or whose side (people, quotes).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub country: Option<String>,
    /// The story it belongs to.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub story: Option<i64>,
    /// Latitude of its place (a town-level attack, a meeting's venue), when known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub lat: Option<f64>,
    /// Longitude, with `lat`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub lon: Option<f64>,
    /// Independent outlets that report it (syndicated and near copies count once).
    pub outlets: u32,
    /// Documents that report it (copies included).
    pub documents: u32,
    /// The values reported, field by field (the most widely reported one where outlets
    /// disagree; see `disputes`).
    pub fields: BTreeMap<String, Value>,
    /// Where it was reported, with the evidence in each document.
    pub sources: Vec<SourceRef>,
    /// Fields on which outlets disagree.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub disputes: Vec<Dispute>,
}

/// One place a fact was reported.
#[derive(Debug, Clone, Serialize)]
pub struct SourceRef {
    /// The document's content hash (`sha256:…`).
    pub document: String,
    /// The fact's id in that document's `sitrep/1` record (`v1`, `q3`, `e2`, …).
    pub record_id: String,
    /// The outlet, when known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub outlet: Option<String>,
    /// The URL, when known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// When it was published, when known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub published: Option<String>,
    /// False for a syndicated copy or a near-duplicate of another source's text.
    pub independent: bool,
    /// The sentences the fact was read from: byte ranges into the document's text and
    /// their words.
    pub evidence: Vec<Evidence>,
}

/// A piece of evidence.
#[derive(Debug, Clone, Serialize)]
pub struct Evidence {
    /// Byte offset of the first byte in the document's normalised text.
    pub start: usize,
    /// Byte offset just past the last byte.
    pub end: usize,
    /// The text of the range.
    pub text: String,
}

/// A field on which outlets disagree.
#[derive(Debug, Clone, Serialize)]
pub struct Dispute {
    /// The field (`killed`, `status`, `speaker`, …).
    pub field: String,
    /// Every value given, with the outlets giving it; most widely given first.
    pub values: Vec<DisputedValue>,
}

/// One value of a disputed field.
#[derive(Debug, Clone, Serialize)]
pub struct DisputedValue {
    /// The value as reported.
    pub value: Value,
    /// The outlets that give it.
    pub outlets: Vec<String>,
}

/// A stored document, as listed: where it was first seen and how often.
#[derive(Debug, Clone, Serialize)]
pub struct DocumentSummary {
    /// The content hash (`sha256:…`).
    pub id: String,
    /// The headline, when known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// The outlet of the first place it was seen, when known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub outlet: Option<String>,
    /// The URL of the first place it was seen, when known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// When it was published, when known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub published: Option<String>,
    /// When the store first saw it (RFC 3339, UTC).
    pub first_seen: String,
    /// Places it was seen (syndicated copies of the same text).
    pub sources: u32,
}

/// Stored documents, most recently stored first; the cursor is the last row id.
pub fn documents(
    conn: &Connection,
    path: &str,
    after: Option<&str>,
    limit: usize,
) -> Result<Page<DocumentSummary>, StoreError> {
    let after: Option<i64> = match after {
        None => None,
        Some(c) => Some(c.parse().map_err(|_| StoreError::BadQuery {
            reason: format!("the cursor {c:?} is not one this store gave"),
        })?),
    };
    let limit = limit.clamp(1, 1000);
    let fail = |source| StoreError::Sql {
        path: path.to_owned(),
        table: "documents",
        source,
    };
    let mut stmt = conn
        .prepare_cached(
            "SELECT d.id, d.content_hash, d.title, s.outlet, s.url,
                    ifnull(d.published, s.published), d.first_seen,
                    (SELECT count(*) FROM sources WHERE document_id = d.id)
             FROM documents d
             LEFT JOIN sources s ON s.id =
                 (SELECT min(id) FROM sources WHERE document_id = d.id)
             WHERE ?1 IS NULL OR d.id < ?1
             ORDER BY d.id DESC LIMIT ?2",
        )
        .map_err(fail)?;
    let rows = stmt
        .query_map(rusqlite::params![after, limit as i64 + 1], |row| {
            Ok((
                row.get::<_, i64>(0)?,
                DocumentSummary {
                    id: row.get(1)?,
                    title: row.get(2)?,
                    outlet: row.get(3)?,
                    url: row.get(4)?,
                    published: row.get(5)?,
                    first_seen: row.get(6)?,
                    sources: row.get(7)?,
                },
            ))
        })
        .map_err(fail)?
        .collect::<Result<Vec<_>, _>>()
        .map_err(fail)?;
    let more = rows.len() > limit;
    let mut next = None;
    let mut results = Vec::with_capacity(limit.min(rows.len()));
    for (id, doc) in rows.into_iter().take(limit) {
        next = Some(id.to_string());
        results.push(doc);
    }
    Ok(Page {
        results,
        next: next.filter(|_| more),
    })
}

/// A story: documents that share attacks, meetings, claims or quotes.
#[derive(Debug, Clone, Serialize)]
pub struct Story {
    /// The story's id.
    pub id: i64,
    /// The title of its first document.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// Its first and last publication times.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub first_published: Option<String>,
    /// See `first_published`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub last_published: Option<String>,
    /// Documents in it.
    pub documents: u32,
    /// Its merged facts by kind (`event`, `meeting`, `claim`, `quote`).
    pub facts: BTreeMap<String, u32>,
    /// Independent outlets over its documents (read from its first 500 originals).
    pub outlets: Vec<String>,
}

/// One member row of a merged fact, as read for the output.
struct Member {
    document: i64,
    record_id: String,
    /// When its document was published (people only: for titles over time).
    published: Option<String>,
    outlet_key: String,
    spans: Vec<(usize, usize)>,
    fields: Vec<(&'static str, Value)>,
}

/// Runs a query for merged facts of `kind`.
pub fn facts(
    conn: &Connection,
    path: &str,
    kind: FactKind,
    filter: &Filter,
) -> Result<Page<MergedFact>, StoreError> {
    let filter = &filter.checked()?;
    let fail = |source| StoreError::Sql {
        path: path.to_owned(),
        table: "facts",
        source,
    };
    let limit = filter.limit.clamp(1, 1000);
    let mut sql = String::from(
        "SELECT f.id, f.label, f.date, f.country, f.story_id, f.outlets, f.documents,
                f.lat, f.lon
         FROM facts f WHERE f.kind = ?",
    );
    let mut args: Vec<SqlValue> = vec![kind.as_str().to_owned().into()];
    let mut add = |clause: &str, value: SqlValue| {
        sql.push_str(clause);
        args.push(value);
    };
    if let Some(since) = &filter.since {
        add(" AND f.date >= ?", since.clone().into());
    }
    if let Some(until) = &filter.until {
        // A day's timestamps sort after the bare day: compare with the next character.
        add(" AND f.date < ?", format!("{until}~").into());
    }
    if let Some(country) = &filter.country {
        add(" AND f.country = ?", country.clone().into());
    }
    if let Some(story) = filter.story {
        add(" AND f.story_id = ?", story.into());
    }
    if let Some(place) = &filter.place {
        add(
            " AND f.place_fact IN (SELECT id FROM facts WHERE kind = 'place'
                                   AND label = ? COLLATE NOCASE)",
            place.clone().into(),
        );
    }
    if let Some(actor) = &filter.actor {
        let actors = "(SELECT id FROM facts WHERE kind IN ('person', 'organisation', 'group',
                       'country') AND label LIKE '%' || ? || '%')";
        match kind {
            FactKind::People => add(" AND f.label LIKE '%' || ? || '%'", actor.clone().into()),
            FactKind::Meetings => add(
                &format!(
                    " AND f.id IN (SELECT fact_id FROM fact_participants WHERE participant IN
                        (SELECT 'f' || id FROM {actors}))"
                ),
                actor.clone().into(),
            ),
            _ => add(
                &format!(" AND f.actor_fact IN {actors}"),
                actor.clone().into(),
            ),
        }
    }
    if let Some(text) = &filter.text {
        // The newest matches of the kind, by the facts' own words (a bounded set, so a
        // common word costs no more than a rare one).
        add(
            " AND f.id IN (SELECT rowid FROM facts_fts WHERE facts_fts MATCH ?
                           ORDER BY rowid DESC LIMIT 5000)",
            format!("kind : {} AND label : ({text})", kind.as_str()).into(),
        );
    }
    if let Some(cursor) = &filter.after {
        let (date, id) = parse_cursor(cursor).ok_or_else(|| StoreError::BadQuery {
            reason: format!("the cursor {cursor:?} is not one this store gave"),
        })?;
        match date {
            Some(date) => {
                sql.push_str(" AND (f.date < ? OR (f.date = ? AND f.id < ?) OR f.date IS NULL)");
                args.push(date.clone().into());
                args.push(date.into());
                args.push(id.into());
            }
            None => {
                sql.push_str(" AND f.date IS NULL AND f.id < ?");
                args.push(id.into());
            }
        }
    }
    sql.push_str(" ORDER BY f.date DESC, f.id DESC LIMIT ?");
    args.push((limit as i64 + 1).into());

    let mut stmt = conn.prepare_cached(&sql).map_err(fail)?;
    let heads = stmt
        .query_map(params_from_iter(args), |row| {
            Ok(MergedFact {
                id: row.get(0)?,
                kind: kind.as_str().to_owned(),
                label: row.get(1)?,
                date: row.get(2)?,
                country: row.get(3)?,
                story: row.get(4)?,
                outlets: row.get(5)?,
                documents: row.get(6)?,
                lat: row.get(7)?,
                lon: row.get(8)?,
                fields: BTreeMap::new(),
                sources: Vec::new(),
                disputes: Vec::new(),
            })
        })
        .map_err(|e| query_error(path, filter.text.is_some(), e))?
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| query_error(path, filter.text.is_some(), e))?;
    let more = heads.len() > limit;
    let mut results: Vec<MergedFact> = heads.into_iter().take(limit).collect();
    let max_sources = if filter.max_sources == 0 {
        20
    } else {
        filter.max_sources
    };
    for fact in &mut results {
        fill(conn, path, kind, fact, max_sources, max_sources * 2)?;
    }
    let next = more
        .then(|| results.last().map(|f| cursor(f.date.as_deref(), f.id)))
        .flatten();
    Ok(Page { results, next })
}

/// The reports [`fact_by_id`] reads fields and disputes from: every one for any fact
/// real coverage gives (a wire story reprinted by hundreds of outlets), while a fact
/// repeated by tens of thousands of documents still answers in milliseconds.
const EVIDENCE_MEMBERS: usize = 2_000;

/// One merged fact by its id (`facts.id`), with its fields and disputes read from its
/// first 2,000 reports, and its first `max_sources` sources (earliest stored first; the fact's
/// `documents` says how many there are). `None` when there is no fact with that id, or
/// when it is of a kind the queries do not list (places, organisations, countries,
/// groups).
pub fn fact_by_id(
    conn: &Connection,
    path: &str,
    id: i64,
    max_sources: usize,
) -> Result<Option<MergedFact>, StoreError> {
    let head = conn
        .prepare_cached(
            "SELECT f.id, f.kind, f.label, f.date, f.country, f.story_id, f.outlets,
                    f.documents, f.lat, f.lon
             FROM facts f WHERE f.id = ?1",
        )
        .and_then(|mut stmt| {
            stmt.query_row([id], |row| {
                Ok(MergedFact {
                    id: row.get(0)?,
                    kind: row.get(1)?,
                    label: row.get(2)?,
                    date: row.get(3)?,
                    country: row.get(4)?,
                    story: row.get(5)?,
                    outlets: row.get(6)?,
                    documents: row.get(7)?,
                    lat: row.get(8)?,
                    lon: row.get(9)?,
                    fields: BTreeMap::new(),
                    sources: Vec::new(),
                    disputes: Vec::new(),
                })
            })
            .optional()
        })
        .map_err(|source| StoreError::Sql {
            path: path.to_owned(),
            table: "facts",
            source,
        })?;
    let Some(mut fact) = head else {
        return Ok(None);
    };
    let Some(kind) = FactKind::from_stored(&fact.kind) else {
        return Ok(None);
    };
    fill(
        conn,
        path,
        kind,
        &mut fact,
        max_sources,
        EVIDENCE_MEMBERS.max(max_sources),
    )?;
    Ok(Some(fact))
}

/// A bad FTS5 expression is the caller's mistake, not a broken store: with a full-text
/// filter, SQLite's "SQL logic error" can only come from it (our own SQL is fixed).
fn query_error(path: &str, full_text: bool, source: rusqlite::Error) -> StoreError {
    let message = source.to_string();
    let logic = matches!(&source, rusqlite::Error::SqliteFailure(e, _)
        if e.code == rusqlite::ErrorCode::Unknown);
    if full_text && (logic || message.contains("fts5")) {
        StoreError::BadQuery {
            reason: format!("the full-text query is not valid FTS5: {message}"),
        }
    } else {
        StoreError::Sql {
            path: path.to_owned(),
            table: "facts",
            source,
        }
    }
}

fn cursor(date: Option<&str>, id: i64) -> String {
    format!("{}/{id}", date.unwrap_or("-"))
}

fn parse_cursor(cursor: &str) -> Option<(Option<String>, i64)> {
    let (date, id) = cursor.rsplit_once('/')?;
    let id = id.parse().ok()?;
    Some(((date != "-").then(|| date.to_owned()), id))
}

/// Reads a merged fact's members: its fields, sources and disputes.
fn fill(
    conn: &Connection,
    path: &str,
    kind: FactKind,
    fact: &mut MergedFact,
    max_sources: usize,
    max_members: usize,
) -> Result<(), StoreError> {
    let fail = |table: &'static str| {
        move |source| StoreError::Sql {
            path: path.to_owned(),
            table,
            source,
        }
    };
    let sql = member_sql(kind);
    let mut stmt = conn.prepare_cached(sql).map_err(fail(kind.table()))?;
    let members: Vec<Member> = stmt
        .query_map([fact.id, max_members as i64], |row| member(kind, row))
        .map_err(fail(kind.table()))?
        .collect::<Result<_, _>>()
        .map_err(fail(kind.table()))?;

    // Outlet names for display: each document's first source.
    let mut names: HashMap<String, String> = HashMap::new();
    let mut sources = Vec::new();
    let mut texts: HashMap<i64, String> = HashMap::new();
    let mut src_stmt = conn
        .prepare_cached(
            "SELECT d.content_hash, s.outlet, s.url, s.published, m.near_duplicate_of
             FROM sources s JOIN documents d ON d.id = s.document_id
             LEFT JOIN document_merge m ON m.document_id = d.id
             WHERE s.document_id = ?1 ORDER BY s.id",
        )
        .map_err(fail("sources"))?;
    let mut text_stmt = conn
        .prepare_cached("SELECT text FROM documents WHERE id = ?1")
        .map_err(fail("documents"))?;
    for m in &members {
        if sources.len() >= max_sources && names.contains_key(&m.outlet_key) {
            // Neither listed nor needed for an outlet's name.
            continue;
        }
        let rows = src_stmt
            .query_map([m.document], |row| {
                Ok((
                    row.get::<_, String>(0)?,
                    row.get::<_, Option<String>>(1)?,
                    row.get::<_, Option<String>>(2)?,
                    row.get::<_, Option<String>>(3)?,
                    row.get::<_, Option<i64>>(4)?,
                ))
            })
            .map_err(fail("sources"))?
            .collect::<Result<Vec<_>, _>>()
            .map_err(fail("sources"))?;
        for (i, (hash, outlet, url, published, near)) in rows.into_iter().enumerate() {
            if i == 0 {
                let shown = outlet.clone().unwrap_or_else(|| m.outlet_key.clone());
                names.entry(m.outlet_key.clone()).or_insert(shown);
            }
            if sources.len() < max_sources {
                // The text (often several pages) is read only for the sources listed.
                let text = match texts.entry(m.document) {
                    Entry::Occupied(known) => known.into_mut(),
                    Entry::Vacant(slot) => slot.insert(
                        text_stmt
                            .query_row([m.document], |row| row.get::<_, String>(0))
                            .map_err(fail("documents"))?,
                    ),
                };
                let evidence = m
                    .spans
                    .iter()
                    .filter_map(|&(start, end)| {
                        text.get(start..end).map(|t| Evidence {
                            start,
                            end,
                            text: t.to_owned(),
                        })
                    })
                    .collect();
                sources.push(SourceRef {
                    document: hash,
                    record_id: m.record_id.clone(),
                    outlet,
                    url,
                    published,
                    independent: i == 0 && near.is_none(),
                    evidence,
                });
            }
        }
    }
    fact.sources = sources;

    // Fields: per field, the values with the independent outlets giving them.
    let mut by_field: BTreeMap<&str, Vec<(Value, Vec<String>)>> = BTreeMap::new();
    for m in &members {
        let outlet = names
            .get(&m.outlet_key)
            .cloned()
            .unwrap_or_else(|| m.outlet_key.clone());
        for (field, value) in &m.fields {
            if value.is_null() {
                continue;
            }
            let values = by_field.entry(field).or_default();
            match values.iter_mut().find(|(v, _)| v == value) {
                Some((_, outlets)) => {
                    if !outlets.contains(&outlet) {
                        outlets.push(outlet.clone());
                    }
                }
                None => values.push((value.clone(), vec![outlet.clone()])),
            }
        }
    }
    for (field, mut values) in by_field {
        // Most outlets first; the earliest report first on a tie (stable sort).
        values.sort_by_key(|(_, outlets)| std::cmp::Reverse(outlets.len()));
        fact.fields.insert(field.to_owned(), values[0].0.clone());
        if values.len() > 1 && disputable(kind, field) {
            fact.disputes.push(Dispute {
                field: field.to_owned(),
                values: values
                    .into_iter()
                    .map(|(value, outlets)| DisputedValue { value, outlets })
                    .collect(),
            });
        } else if ACCUMULATING.contains(&field) {
            // Titles and roles add up over time: list every one, no dispute.
            let all: Vec<Value> = values.into_iter().map(|(v, _)| v).collect();
            fact.fields.insert(field.to_owned(), Value::Array(all));
        }
    }
    if kind == FactKind::People {
        fact.fields
            .insert("title_history".to_owned(), title_history(&members));
        fact.fields.insert(
            "quotes".to_owned(),
            over_time(conn, path, PERSON_QUOTES, fact.id)?,
        );
        fact.fields.insert(
            "meetings".to_owned(),
            over_time(conn, path, PERSON_MEETINGS, fact.id)?,
        );
    }
    Ok(())
}

/// The merged quotes a person gave, oldest first.
const PERSON_QUOTES: &str = "SELECT id, label, date FROM facts
     WHERE kind = 'quote' AND actor_fact = ?1
     ORDER BY date IS NULL, date, id LIMIT 50";

/// The merged meetings a person took part in, oldest first.
const PERSON_MEETINGS: &str = "SELECT f.id, f.label, f.date
     FROM fact_participants p JOIN facts f ON f.id = p.fact_id
     WHERE p.participant = 'f' || ?1
     ORDER BY f.date IS NULL, f.date, f.id LIMIT 50";

/// A person's quotes or meetings over time (at most 50, oldest first), each as
/// `{id, label, date}`: the merged fact to open with its evidence.
fn over_time(conn: &Connection, path: &str, sql: &str, person: i64) -> Result<Value, StoreError> {
    let fail = |source| StoreError::Sql {
        path: path.to_owned(),
        table: "facts",
        source,
    };
    let mut stmt = conn.prepare_cached(sql).map_err(fail)?;
    let rows = stmt
        .query_map([person], |row| {
            Ok(serde_json::json!({
                "id": row.get::<_, i64>(0)?,
                "label": row.get::<_, String>(1)?,
                "date": row.get::<_, Option<String>>(2)?,
            }))
        })
        .map_err(fail)?
        .collect::<Result<Vec<_>, _>>()
        .map_err(fail)?;
    Ok(Value::Array(rows))
}

/// Each title a person was given, with the first and last publication day that gave it
/// (oldest title first): a minister who became president reads in that order.
fn title_history(members: &[Member]) -> Value {
    let mut seen: Vec<(String, Option<String>, Option<String>)> = Vec::new();
    for m in members {
        let day = m
            .published
            .as_deref()
            .and_then(|p| p.get(..10))
            .map(str::to_owned);
        for (field, value) in &m.fields {
            let (true, Value::String(title)) = (*field == "titles", value) else {
                continue;
            };
            match seen.iter_mut().find(|(t, _, _)| t == title) {
                Some((_, first, last)) => {
                    if let Some(d) = &day {
                        if first.as_ref().is_none_or(|f| d < f) {
                            *first = Some(d.clone());
                        }
                        if last.as_ref().is_none_or(|l| d > l) {
                            *last = Some(d.clone());
                        }
                    }
                }
                None => seen.push((title.clone(), day.clone(), day.clone())),
            }
        }
    }
    seen.sort_by(|a, b| a.1.cmp(&b.1));
    Value::Array(
        seen.into_iter()
            .map(|(title, first, last)| json!({"title": title, "first": first, "last": last}))
            .collect(),
    )
}

/// Fields whose values add up rather than compete.
const ACCUMULATING: &[&str] = &["titles", "participants"];

/// Fields on which two values are a disagreement between outlets. Elsewhere a second
/// value is another wording (a quote's text, its cue) and the most reported one stands.
fn disputable(kind: FactKind, field: &str) -> bool {
    let fields: &[&str] = match kind {
        FactKind::People => &["side", "organisation"],
        FactKind::Quotes => &["speaker"],
        FactKind::Meetings => &["status", "venue", "date", "level"],
        FactKind::Events => &["killed", "wounded", "date", "place", "actor", "mode"],
        FactKind::Claims => &["source"],
    };
    fields.contains(&field)
}

/// The member rows of a merged fact of `kind` (`?1` the fact, `?2` the row limit).
fn member_sql(kind: FactKind) -> &'static str {
    match kind {
        FactKind::People => {
            "SELECT e.document_id, d.outlet_key,
                    (SELECT json_group_array(json_array(m.start, m.end)) FROM
                        (SELECT start, end FROM mentions WHERE entity_id = e.id
                         ORDER BY start LIMIT 1) m),
                    e.name, e.titles, e.country, o.name,
                    (SELECT published FROM sources WHERE document_id = e.document_id
                     ORDER BY id LIMIT 1),
                    e.record_id
             FROM entities e JOIN document_merge d ON d.document_id = e.document_id
             LEFT JOIN entities o ON o.document_id = e.document_id
                                 AND o.record_id = e.organisation
             WHERE e.fact_id = ?1 ORDER BY e.id LIMIT ?2"
        }
        FactKind::Quotes => {
            "SELECT q.document_id, d.outlet_key, q.evidence, s.name, q.text, q.cue, q.record_id
             FROM quotes q JOIN document_merge d ON d.document_id = q.document_id
             LEFT JOIN entities s ON s.id = q.speaker_id
             WHERE q.fact_id = ?1 ORDER BY q.id LIMIT ?2"
        }
        FactKind::Meetings => {
            "SELECT m.document_id, d.outlet_key, m.evidence, m.status, p.name, m.date,
                    m.level, m.format,
                    (SELECT json_group_array(ifnull(e.name, j.value))
                     FROM json_each(m.participants) j
                     LEFT JOIN entities e ON e.document_id = m.document_id
                                         AND e.record_id = j.value), m.record_id
             FROM meetings m JOIN document_merge d ON d.document_id = m.document_id
             LEFT JOIN places p ON p.id = m.venue_id
             WHERE m.fact_id = ?1 ORDER BY m.id LIMIT ?2"
        }
        FactKind::Events => {
            "SELECT v.document_id, d.outlet_key, v.evidence, v.mode, p.name, v.date,
                    v.killed_min, v.killed_max, v.wounded_min, v.wounded_max,
                    ifnull(a.name, v.actor_country), v.target, v.record_id
             FROM events v JOIN document_merge d ON d.document_id = v.document_id
             LEFT JOIN places p ON p.id = v.place_id
             LEFT JOIN entities a ON a.id = v.actor_id
             WHERE v.fact_id = ?1 ORDER BY v.id LIMIT ?2"
        }
        FactKind::Claims => {
            "SELECT c.document_id, d.outlet_key, c.evidence, s.name, c.kind, c.gist,
                    c.reactions, c.record_id
             FROM claims c JOIN document_merge d ON d.document_id = c.document_id
             LEFT JOIN entities s ON s.id = c.source_id
             WHERE c.fact_id = ?1 ORDER BY c.id LIMIT ?2"
        }
    }
}

fn member(kind: FactKind, row: &rusqlite::Row<'_>) -> rusqlite::Result<Member> {
    let spans_json: Option<String> = row.get(2)?;
    let spans = spans_json
        .and_then(|s| serde_json::from_str::<Vec<(usize, usize)>>(&s).ok())
        .unwrap_or_default();
    let text = |i: usize| -> rusqlite::Result<Value> {
        Ok(row
            .get::<_, Option<String>>(i)?
            .map_or(Value::Null, Value::String))
    };
    let json_col = |i: usize| -> rusqlite::Result<Value> {
        Ok(row
            .get::<_, Option<String>>(i)?
            .and_then(|s| serde_json::from_str(&s).ok())
            .unwrap_or(Value::Null))
    };
    let fields = match kind {
        FactKind::People => {
            let mut fields = vec![
                ("name", text(3)?),
                ("side", text(5)?),
                ("organisation", text(6)?),
            ];
            if let Value::Array(titles) = json_col(4)? {
                // Each title is its own value, so that titles accumulate.
                fields.extend(titles.into_iter().map(|t| ("titles", t)));
            }
            fields
        }
        FactKind::Quotes => vec![("speaker", text(3)?), ("text", text(4)?), ("cue", text(5)?)],
        FactKind::Meetings => {
            let mut fields = vec![
                ("status", text(3)?),
                ("venue", text(4)?),
                ("date", text(5)?),
                ("level", text(6)?),
                ("format", text(7)?),
            ];
            if let Value::Array(names) = json_col(8)? {
                fields.extend(names.into_iter().map(|n| ("participants", n)));
            }
            fields
        }
        FactKind::Events => vec![
            ("mode", text(3)?),
            ("place", text(4)?),
            ("date", text(5)?),
            ("killed", range(row.get(6)?, row.get(7)?)),
            ("wounded", range(row.get(8)?, row.get(9)?)),
            ("actor", text(10)?),
            ("target", text(11)?),
        ],
        FactKind::Claims => {
            let reactions = json_col(6)?;
            let stances: Vec<Value> = reactions
                .as_array()
                .map(|rs| rs.iter().filter_map(|r| r.get("stance").cloned()).collect())
                .unwrap_or_default();
            vec![
                ("source", text(3)?),
                ("kind", text(4)?),
                ("gist", text(5)?),
                (
                    "reactions",
                    if stances.is_empty() {
                        Value::Null
                    } else {
                        json!(stances)
                    },
                ),
            ]
        }
    };
    let columns = row.as_ref().column_count();
    let published = match kind {
        FactKind::People => row.get(7)?,
        _ => None,
    };
    Ok(Member {
        published,
        record_id: row.get(columns - 1)?,
        document: row.get(0)?,
        outlet_key: row.get::<_, Option<String>>(1)?.unwrap_or_default(),
        spans,
        fields,
    })
}

/// A count as reported: `9`, or `8-10` for a range, or `null`.
fn range(min: Option<i64>, max: Option<i64>) -> Value {
    match (min, max) {
        (Some(a), Some(b)) if a == b => json!(a),
        (Some(a), Some(b)) => json!(format!("{a}-{b}")),
        (Some(a), None) => json!(format!("{a}+")),
        (None, Some(b)) => json!(format!("up to {b}")),
        (None, None) => Value::Null,
    }
}

/// Stories, newest first, with the same filters as [`facts`] (`since`/`until` on the
/// last publication, `country`/`place`/`actor` through the story's facts, `text` over
/// its documents).
pub fn stories(conn: &Connection, path: &str, filter: &Filter) -> Result<Page<Story>, StoreError> {
    let filter = &filter.checked()?;
    let fail = |source| StoreError::Sql {
        path: path.to_owned(),
        table: "stories",
        source,
    };
    let limit = filter.limit.clamp(1, 1000);
    let mut sql = String::from(
        "SELECT s.id, s.title, s.first_published, s.last_published, s.documents
         FROM stories s WHERE 1",
    );
    let mut args: Vec<SqlValue> = Vec::new();
    if let Some(since) = &filter.since {
        sql.push_str(" AND s.last_published >= ?");
        args.push(since.clone().into());
    }
    if let Some(until) = &filter.until {
        sql.push_str(" AND s.first_published < ?");
        args.push(format!("{until}~").into());
    }
    if let Some(story) = filter.story {
        sql.push_str(" AND s.id = ?");
        args.push(story.into());
    }
    if let Some(country) = &filter.country {
        sql.push_str(" AND s.id IN (SELECT story_id FROM facts WHERE country = ? AND kind IN ('event', 'meeting'))");
        args.push(country.clone().into());
    }
    if let Some(place) = &filter.place {
        sql.push_str(
            " AND s.id IN (SELECT story_id FROM facts WHERE place_fact IN
                (SELECT id FROM facts WHERE kind = 'place' AND label = ? COLLATE NOCASE))",
        );
        args.push(place.clone().into());
    }
    if let Some(actor) = &filter.actor {
        sql.push_str(
            " AND s.id IN (SELECT story_id FROM facts WHERE actor_fact IN
                (SELECT id FROM facts WHERE kind IN ('person', 'organisation', 'group', 'country')
                 AND label LIKE '%' || ? || '%'))",
        );
        args.push(actor.clone().into());
    }
    if let Some(text) = &filter.text {
        sql.push_str(
            " AND s.id IN (SELECT story_id FROM document_merge WHERE document_id IN
                (SELECT rowid FROM documents_fts WHERE documents_fts MATCH ?
                 ORDER BY rowid DESC LIMIT 5000))",
        );
        args.push(text.clone().into());
    }
    if let Some(cursor) = &filter.after {
        let id: i64 = cursor.parse().map_err(|_| StoreError::BadQuery {
            reason: format!("the cursor {cursor:?} is not one this store gave"),
        })?;
        sql.push_str(" AND s.id < ?");
        args.push(id.into());
    }
    sql.push_str(" ORDER BY s.id DESC LIMIT ?");
    args.push((limit as i64 + 1).into());
    let mut stmt = conn.prepare_cached(&sql).map_err(fail)?;
    let mut results = stmt
        .query_map(params_from_iter(args), |row| {
            Ok(Story {
                id: row.get(0)?,
                title: row.get(1)?,
                first_published: row.get(2)?,
                last_published: row.get(3)?,
                documents: row.get(4)?,
                facts: BTreeMap::new(),
                outlets: Vec::new(),
            })
        })
        .map_err(|e| query_error(path, filter.text.is_some(), e))?
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| query_error(path, filter.text.is_some(), e))?;
    let more = results.len() > limit;
    results.truncate(limit);
    let mut kinds = conn
        .prepare_cached("SELECT kind, count(*) FROM facts WHERE story_id = ?1 GROUP BY kind")
        .map_err(fail)?;
    let mut outlets = conn
        .prepare_cached(
            // One name per outlet key (its first document's first source's outlet),
            // in the order the outlets first appear: one source lookup per outlet, not
            // per document.
            "SELECT DISTINCT ifnull((SELECT outlet FROM sources WHERE document_id = k.doc
                                     ORDER BY id LIMIT 1), k.outlet_key)
             FROM (SELECT outlet_key, min(document_id) AS doc
                   FROM (SELECT document_id, outlet_key FROM document_merge
                         WHERE story_id = ?1 AND near_duplicate_of IS NULL LIMIT 500)
                   GROUP BY outlet_key) k
             ORDER BY k.doc LIMIT 100",
        )
        .map_err(fail)?;
    for story in &mut results {
        story.facts = kinds
            .query_map([story.id], |row| {
                Ok((row.get::<_, String>(0)?, row.get(1)?))
            })
            .map_err(fail)?
            .collect::<Result<_, _>>()
            .map_err(fail)?;
        story.outlets = outlets
            .query_map([story.id], |row| row.get::<_, Option<String>>(0))
            .map_err(fail)?
            .filter_map(|r| r.transpose())
            .collect::<Result<_, _>>()
            .map_err(fail)?;
    }
    let next = more
        .then(|| results.last().map(|s| s.id.to_string()))
        .flatten();
    Ok(Page { results, next })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursors_round_trip() {
        assert_eq!(
            parse_cursor(&cursor(Some("2025-05-13"), 42)),
            Some((Some("2025-05-13".to_owned()), 42))
        );
        assert_eq!(parse_cursor(&cursor(None, 7)), Some((None, 7)));
        assert_eq!(parse_cursor("nonsense"), None);
    }

    #[test]
    fn titles_are_listed_oldest_first_with_their_days() {
        let member = |day: &str, titles: &[&str]| Member {
            document: 1,
            record_id: "e1".into(),
            published: Some(format!("{day}T08:00:00Z")),
            outlet_key: "wire".into(),
            spans: Vec::new(),
            fields: titles.iter().map(|t| ("titles", json!(t))).collect(),
        };
        let members = [
            member("2025-03-01", &["President"]),
            member("2019-04-21", &["candidate"]),
            member("2024-06-01", &["President"]),
        ];
        assert_eq!(
            title_history(&members),
            json!([
                {"title": "candidate", "first": "2019-04-21", "last": "2019-04-21"},
                {"title": "President", "first": "2024-06-01", "last": "2025-03-01"},
            ])
        );
    }

    #[test]
    fn filters_are_checked_once_for_every_caller() {
        let filter = Filter {
            since: Some(" 2025-05-01 ".into()),
            country: Some("ua".into()),
            place: Some("  ".into()),
            ..Filter::default()
        };
        let checked = filter.checked().unwrap();
        assert_eq!(checked.since.as_deref(), Some("2025-05-01"));
        assert_eq!(checked.country.as_deref(), Some("UA"));
        assert_eq!(checked.place, None);
        for bad in [
            Filter {
                since: Some("2025-5-1".into()),
                ..Filter::default()
            },
            Filter {
                until: Some("yesterday".into()),
                ..Filter::default()
            },
            Filter {
                since: Some("2025-06-01".into()),
                until: Some("2025-05-01".into()),
                ..Filter::default()
            },
            Filter {
                country: Some("Ukraine".into()),
                ..Filter::default()
            },
        ] {
            assert!(
                matches!(bad.checked(), Err(StoreError::BadQuery { .. })),
                "{bad:?}"
            );
        }
    }

    #[test]
    fn counts_keep_their_ranges() {
        assert_eq!(range(Some(9), Some(9)), json!(9));
        assert_eq!(range(Some(8), Some(10)), json!("8-10"));
        assert_eq!(range(None, None), Value::Null);
    }
}
