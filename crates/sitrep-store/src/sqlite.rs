//! [`SqliteStore`]: the embedded backend of [`Store`].

use std::collections::HashMap;
use std::path::Path;

use rayon::prelude::*;
use rusqlite::{params, Connection, OpenFlags, OptionalExtension, Transaction};
use sitrep_core::record::{Entity, Place};
use sitrep_core::{Record, Span};

use crate::merge::{self, FactIds, KeyCache, Prepared};
use crate::query::{self, FactKind, Filter, MergedFact, Page, Story};
use crate::schema;
use crate::{Counts, FailureNote, PendingFailure, PutOutcome, Store, StoreError};

/// The current time as SQLite writes it: RFC 3339 in UTC with milliseconds.
pub(crate) const NOW: &str = "strftime('%Y-%m-%dT%H:%M:%fZ', 'now')";

/// A store in one SQLite file (or in memory, for tests).
///
/// Opening configures the connection (WAL, `synchronous=NORMAL`, foreign keys) and
/// migrates the schema to [`schema::SCHEMA_VERSION`]. One writer at a time; other
/// processes may read while it writes.
#[derive(Debug)]
pub struct SqliteStore {
    conn: Connection,
    path: String,
    /// Merged people and places by exact key, across batches.
    pub(crate) cache: KeyCache,
}

/// A quote found by full-text search.
#[derive(Debug, Clone, PartialEq)]
pub struct QuoteHit {
    /// The document's content hash.
    pub document: String,
    /// The quote's id in the document's record (`q1`, …).
    pub record_id: String,
    /// The quoted words.
    pub text: String,
    /// Where they are in the document's text.
    pub span: Span,
}

impl SqliteStore {
    /// Opens (creating if needed) the store at `path` and brings its schema up to date.
    pub fn open(path: impl AsRef<Path>) -> Result<SqliteStore, StoreError> {
        let name = path.as_ref().display().to_string();
        let conn = Connection::open(path.as_ref()).map_err(|source| StoreError::Open {
            path: name.clone(),
            source,
        })?;
        SqliteStore::configure(conn, name)
    }

    /// Opens an existing store for reading only: no file is created, no migration runs,
    /// and every write fails (SQLite refuses it). The schema must be the one this build
    /// knows: an older file is [`StoreError::Outdated`], a newer one
    /// [`StoreError::TooNew`]. For servers that must never change the file.
    pub fn open_read_only(path: impl AsRef<Path>) -> Result<SqliteStore, StoreError> {
        let name = path.as_ref().display().to_string();
        let open_err = |source| StoreError::Open {
            path: name.clone(),
            source,
        };
        let flags = OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let conn = Connection::open_with_flags(path.as_ref(), flags).map_err(open_err)?;
        // No journal mode or synchronous setting: those are the writer's. A smaller page
        // cache than the writer's, since a server keeps several of these open.
        conn.execute_batch(
            "PRAGMA query_only = ON;
             PRAGMA busy_timeout = 5000;
             PRAGMA cache_size = -16384;
             PRAGMA mmap_size = 2147418112;
             PRAGMA temp_store = MEMORY;",
        )
        .map_err(open_err)?;
        conn.set_prepared_statement_cache_capacity(64);
        let found = schema::version(&conn).map_err(open_err)?;
        let needed = schema::SCHEMA_VERSION;
        if found > needed {
            return Err(StoreError::TooNew {
                path: name,
                found,
                known: needed,
            });
        }
        if found < needed {
            return Err(StoreError::Outdated {
                path: name,
                found,
                needed,
            });
        }
        Ok(SqliteStore {
            conn,
            path: name,
            cache: KeyCache::default(),
        })
    }

    /// A store in memory, gone when dropped (for tests and one-off runs).
    pub fn open_in_memory() -> Result<SqliteStore, StoreError> {
        let name = ":memory:".to_owned();
        let conn = Connection::open_in_memory().map_err(|source| StoreError::Open {
            path: name.clone(),
            source,
        })?;
        SqliteStore::configure(conn, name)
    }

    fn configure(mut conn: Connection, path: String) -> Result<SqliteStore, StoreError> {
        let open_err = |source| StoreError::Open {
            path: path.clone(),
            source,
        };
        // journal_mode answers with the mode it set; in memory that stays "memory".
        let _mode: String = conn
            .query_row("PRAGMA journal_mode = WAL", [], |row| row.get(0))
            .map_err(open_err)?;
        // A 64 MiB page cache: the merge step looks up keys and facts all over the
        // file, and the default 2 MiB cache made it read pages back from the OS for
        // most of them. No memory map for the writer: on a 2 GB store it wrote 10%
        // slower with one (its pages are copied into the cache to be changed anyway).
        // A checkpoint every 256 MiB of WAL instead of every 4 MiB: the index pages a
        // batch touches are mostly touched again by the next ones, and are copied back
        // once, not once per batch (ingest +18% on 30,000 articles at 64 MiB, +9% more
        // on a 2 GB store at 256 MiB).
        conn.execute_batch(
            "PRAGMA synchronous = NORMAL;
             PRAGMA foreign_keys = ON;
             PRAGMA busy_timeout = 5000;
             PRAGMA cache_size = -65536;
             PRAGMA mmap_size = 0;
             PRAGMA temp_store = MEMORY;
             PRAGMA wal_autocheckpoint = 65536;",
        )
        .map_err(open_err)?;
        // Every statement of the write and merge paths stays prepared (rusqlite keeps
        // 16 by default, fewer than the paths use, and re-parsing SQL cost a tenth of
        // the ingest time).
        conn.set_prepared_statement_cache_capacity(256);
        schema::migrate(&mut conn, &path)?;
        Ok(SqliteStore {
            conn,
            path,
            cache: KeyCache::default(),
        })
    }

    /// [`Store::put_batch`] in one transaction.
    fn write_batch(
        &mut self,
        records: &[Record],
        prepared: &[Prepared],
        failures: &[FailureNote],
    ) -> Result<Vec<PutOutcome>, StoreError> {
        if prepared.len() != records.len() {
            return Err(StoreError::Mismatch {
                records: records.len(),
                prepared: prepared.len(),
            });
        }
        let path = self.path.clone();
        let tx = self
            .conn
            .transaction()
            .map_err(|source| sql_error(&path, "transaction", source))?;
        let mut outcomes = Vec::with_capacity(records.len());
        let before = last_ids(&tx).map_err(|source| sql_error(&path, "documents", source))?;
        self.cache
            .begin(&tx, records.len())
            .map_err(|source| sql_error(&path, "fact_keys", source))?;
        {
            let mut writer = Writer {
                tx: &tx,
                path: &path,
                cache: &mut self.cache,
            };
            for (record, prepared) in records.iter().zip(prepared) {
                outcomes.push(writer.put(record, prepared)?);
            }
            for failure in failures {
                writer.fail(failure)?;
            }
        }
        index_full_text(&tx, before).map_err(|source| sql_error(&path, "documents_fts", source))?;
        self.cache
            .flush_counts(&tx)
            .map_err(|source| sql_error(&path, "facts", source))?;
        tx.commit()
            .map_err(|source| sql_error(&path, "transaction", source))?;
        Ok(outcomes)
    }

    /// [`Store::put_batch`] for records whose [`Prepared`] the caller made, one per
    /// record and in the same order (the ingest pipeline makes them on its extraction
    /// threads, so that this, the single writer, only writes).
    pub fn put_prepared(
        &mut self,
        records: &[Record],
        prepared: &[Prepared],
        failures: &[FailureNote],
    ) -> Result<Vec<PutOutcome>, StoreError> {
        let result = self.write_batch(records, prepared, failures);
        if result.is_err() {
            // The batch was rolled back: facts it cached do not exist.
            self.cache.clear();
        }
        result
    }

    /// The database file's name, as given to [`SqliteStore::open`].
    pub fn path(&self) -> &str {
        &self.path
    }

    /// The schema version of the file.
    pub fn schema_version(&self) -> Result<u32, StoreError> {
        schema::version(&self.conn).map_err(|source| self.sql("pragma", source))
    }

    /// The underlying connection, for read-only queries (`sitrep query`, tests).
    pub fn connection(&self) -> &Connection {
        &self.conn
    }

    /// The stored record of a document, whole again (its text put back), or `None` when
    /// no document has this content hash.
    pub fn record(&self, content_hash: &str) -> Result<Option<Record>, StoreError> {
        let row: Option<(String, String)> = self
            .conn
            .query_row(
                "SELECT record, text FROM documents WHERE content_hash = ?1",
                [content_hash],
                |row| Ok((row.get(0)?, row.get(1)?)),
            )
            .optional()
            .map_err(|source| self.sql("documents", source))?;
        let Some((json, text)) = row else {
            return Ok(None);
        };
        let mut record: Record =
            serde_json::from_str(&json).map_err(|source| StoreError::Json {
                path: self.path.clone(),
                document: content_hash.to_owned(),
                source,
            })?;
        record.document.text = text;
        Ok(Some(record))
    }

    /// Stored documents, most recently stored first, `limit` a page, continuing after
    /// the `next` cursor of the previous page. See [`query::documents`].
    pub fn documents(
        &self,
        after: Option<&str>,
        limit: usize,
    ) -> Result<Page<query::DocumentSummary>, StoreError> {
        query::documents(&self.conn, &self.path, after, limit)
    }

    /// One merged fact (person, quote, meeting, event or claim) by its id, with its first
    /// `max_sources` sources and their evidence; `None` when no such fact exists. See
    /// [`query::fact_by_id`].
    pub fn fact_by_id(
        &self,
        id: i64,
        max_sources: usize,
    ) -> Result<Option<MergedFact>, StoreError> {
        query::fact_by_id(&self.conn, &self.path, id, max_sources)
    }

    /// Quotes matching an FTS5 query (`"ceasefire"`, `truce AND Geneva`), best first.
    pub fn search_quotes(&self, query: &str, limit: usize) -> Result<Vec<QuoteHit>, StoreError> {
        let fail = |source| self.sql("quotes_fts", source);
        let mut stmt = self
            .conn
            .prepare_cached(
                "SELECT d.content_hash, q.record_id, q.text, q.start, q.end
                 FROM quotes_fts f
                 JOIN quotes q ON q.id = f.rowid
                 JOIN documents d ON d.id = q.document_id
                 WHERE quotes_fts MATCH ?1
                 ORDER BY f.rank
                 LIMIT ?2",
            )
            .map_err(fail)?;
        let rows = stmt
            .query_map(params![query, limit as i64], |row| {
                Ok(QuoteHit {
                    document: row.get(0)?,
                    record_id: row.get(1)?,
                    text: row.get(2)?,
                    span: Span {
                        start: row.get(3)?,
                        end: row.get(4)?,
                    },
                })
            })
            .map_err(fail)?;
        rows.collect::<Result<Vec<_>, _>>().map_err(fail)
    }

    fn sql(&self, table: &'static str, source: rusqlite::Error) -> StoreError {
        StoreError::Sql {
            path: self.path.clone(),
            table,
            source,
        }
    }
}

impl Store for SqliteStore {
    fn contains(&self, content_hashes: &[&str]) -> Result<Vec<bool>, StoreError> {
        let fail = |source| self.sql("documents", source);
        let mut stmt = self
            .conn
            .prepare_cached("SELECT 1 FROM documents WHERE content_hash = ?1")
            .map_err(fail)?;
        content_hashes
            .iter()
            .map(|hash| stmt.exists([hash]).map_err(fail))
            .collect()
    }

    fn put_batch(
        &mut self,
        records: &[Record],
        failures: &[FailureNote],
    ) -> Result<Vec<PutOutcome>, StoreError> {
        let prepared: Vec<Prepared> = records.par_iter().map(Prepared::of).collect();
        self.put_prepared(records, &prepared, failures)
    }

    fn pending_failures(&self) -> Result<Vec<PendingFailure>, StoreError> {
        let fail = |source| self.sql("failures", source);
        let mut stmt = self
            .conn
            .prepare_cached(
                "SELECT location, input, reason, attempts, first_attempt, last_attempt
                 FROM failures WHERE resolved = 0 ORDER BY first_attempt, id",
            )
            .map_err(fail)?;
        let rows = stmt
            .query_map([], |row| {
                Ok(PendingFailure {
                    location: row.get(0)?,
                    input: row.get(1)?,
                    reason: row.get(2)?,
                    attempts: row.get(3)?,
                    first_attempt: row.get(4)?,
                    last_attempt: row.get(5)?,
                })
            })
            .map_err(fail)?;
        rows.collect::<Result<Vec<_>, _>>().map_err(fail)
    }

    fn resolve_failures(&mut self, locations: &[String]) -> Result<usize, StoreError> {
        let path = self.path.clone();
        let fail = |source| sql_error(&path, "failures", source);
        let tx = self.conn.transaction().map_err(fail)?;
        let mut resolved = 0;
        {
            let mut stmt = tx
                .prepare_cached(&format!(
                    "UPDATE failures SET resolved = 1, resolved_at = {NOW}
                     WHERE location = ?1 AND resolved = 0"
                ))
                .map_err(fail)?;
            for location in locations {
                resolved += stmt.execute([location]).map_err(fail)?;
            }
        }
        tx.commit().map_err(fail)?;
        Ok(resolved)
    }

    fn facts(&self, kind: FactKind, filter: &Filter) -> Result<Page<MergedFact>, StoreError> {
        query::facts(&self.conn, &self.path, kind, filter)
    }

    fn stories(&self, filter: &Filter) -> Result<Page<Story>, StoreError> {
        query::stories(&self.conn, &self.path, filter)
    }

    fn counts(&self) -> Result<Counts, StoreError> {
        let count = |table: &'static str, filter: &str| -> Result<u64, StoreError> {
            self.conn
                .query_row(
                    &format!("SELECT count(*) FROM {table} {filter}"),
                    [],
                    |row| row.get::<_, i64>(0),
                )
                .map(|n| n.max(0) as u64)
                .map_err(|source| self.sql(table, source))
        };
        Ok(Counts {
            documents: count("documents", "")?,
            sources: count("sources", "")?,
            entities: count("entities", "")?,
            places: count("places", "")?,
            quotes: count("quotes", "")?,
            meetings: count("meetings", "")?,
            claims: count("claims", "")?,
            events: count("events", "")?,
            merged_facts: count("facts", "")?,
            near_duplicates: count("document_merge", "WHERE near_duplicate_of IS NOT NULL")?,
            stories: count("stories", "")?,
            pending_failures: count("failures", "WHERE resolved = 0")?,
            resolved_failures: count("failures", "WHERE resolved = 1")?,
        })
    }
}

/// A record serialised as `sitrep/1` with `document.text` left empty (the text is a
/// column of its own), without copying the record.
pub(crate) struct WithoutText<'a>(pub(crate) &'a Record);

impl serde::Serialize for WithoutText<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let r = self.0;
        let d = &r.document;
        let mut record = serializer.serialize_struct("Record", 11)?;
        record.serialize_field("schema", &r.schema)?;
        record.serialize_field(
            "document",
            &DocumentWithoutText {
                id: &d.id,
                source: &d.source,
                url: &d.url,
                outlet: &d.outlet,
                title: &d.title,
                published: &d.published,
                language: &d.language,
                authors: &d.authors,
                credits: &d.credits,
                text: "",
            },
        )?;
        record.serialize_field("entities", &r.entities)?;
        record.serialize_field("places", &r.places)?;
        record.serialize_field("times", &r.times)?;
        record.serialize_field("quotes", &r.quotes)?;
        record.serialize_field("meetings", &r.meetings)?;
        record.serialize_field("claims", &r.claims)?;
        record.serialize_field("events", &r.events)?;
        record.serialize_field("figures", &r.figures)?;
        record.serialize_field("diagnostics", &r.diagnostics)?;
        record.end()
    }
}

/// The fields of `sitrep_core::Document`, borrowed, with an empty text.
#[derive(serde::Serialize)]
struct DocumentWithoutText<'a> {
    id: &'a str,
    source: &'a str,
    url: &'a Option<String>,
    outlet: &'a Option<String>,
    title: &'a Option<String>,
    published: &'a Option<String>,
    language: &'a str,
    authors: &'a [String],
    credits: &'a [String],
    text: &'static str,
}

/// The last document, quote and merged-fact row ids, before a batch writes.
fn last_ids(tx: &Transaction<'_>) -> rusqlite::Result<(i64, i64, i64)> {
    tx.query_row(
        "SELECT ifnull((SELECT max(id) FROM documents), 0),
                ifnull((SELECT max(id) FROM quotes), 0),
                ifnull((SELECT max(id) FROM facts), 0)",
        [],
        |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)),
    )
}

/// Adds the batch's new documents, quotes and merged facts to the full-text indexes in
/// one statement each. (Per-row triggers made FTS5 flush its pending terms at every statement, which
/// cost more than the rest of the write.)
fn index_full_text(
    tx: &Transaction<'_>,
    (documents, quotes, facts): (i64, i64, i64),
) -> rusqlite::Result<()> {
    tx.prepare_cached(
        "INSERT INTO facts_fts (rowid, label, kind) SELECT id, label, kind FROM facts WHERE id > ?1",
    )?
    .execute([facts])?;
    tx.prepare_cached(
        "INSERT INTO documents_fts (rowid, title, text)
         SELECT id, title, text FROM documents WHERE id > ?1",
    )?
    .execute([documents])?;
    tx.prepare_cached(
        "INSERT INTO quotes_fts (rowid, text) SELECT id, text FROM quotes WHERE id > ?1",
    )?
    .execute([quotes])?;
    Ok(())
}

fn sql_error(path: &str, table: &'static str, source: rusqlite::Error) -> StoreError {
    StoreError::Sql {
        path: path.to_owned(),
        table,
        source,
    }
}

/// Spans as a JSON array of `[start, end]` pairs (how `sitrep/1` writes them).
fn spans_json(spans: &[Span]) -> String {
    serde_json::to_string(spans).unwrap_or_else(|_| "[]".to_owned())
}

/// Any serialisable value as JSON text; the record's own types always serialise.
fn json<T: serde::Serialize + ?Sized>(value: &T) -> String {
    serde_json::to_string(value).unwrap_or_else(|_| "null".to_owned())
}

/// The writes of one batch, inside its transaction.
struct Writer<'a> {
    tx: &'a Transaction<'a>,
    path: &'a str,
    cache: &'a mut KeyCache,
}

impl Writer<'_> {
    fn err(&self, table: &'static str) -> impl Fn(rusqlite::Error) -> StoreError + '_ {
        move |source| sql_error(self.path, table, source)
    }

    /// Writes one record: a new document with its facts, or a source of a stored one.
    fn put(&mut self, record: &Record, prepared: &Prepared) -> Result<PutOutcome, StoreError> {
        let doc = &record.document;
        let existing: Option<i64> = self
            .tx
            .prepare_cached("SELECT id FROM documents WHERE content_hash = ?1")
            .and_then(|mut stmt| stmt.query_row([&doc.id], |row| row.get(0)).optional())
            .map_err(self.err("documents"))?;
        let outcome = match existing {
            Some(id) => {
                if self.add_source(id, record)? {
                    PutOutcome::NewSource
                } else {
                    PutOutcome::Duplicate
                }
            }
            None => {
                let previous = self.latest_at_url(doc.url.as_deref())?;
                let id = self.insert_document(record, prepared, previous)?;
                self.add_source(id, record)?;
                let facts =
                    merge::merge_document(self.tx, self.path, id, record, prepared, self.cache)?;
                self.insert_facts(id, record, &facts)?;
                if previous.is_some() {
                    PutOutcome::NewVersion
                } else {
                    PutOutcome::New
                }
            }
        };
        // The location reads fine now: a failure stored there is over.
        self.tx
            .prepare_cached(&format!(
                "UPDATE failures SET resolved = 1, resolved_at = {NOW}
                 WHERE location = ?1 AND resolved = 0"
            ))
            .and_then(|mut stmt| stmt.execute([&doc.source]))
            .map_err(self.err("failures"))?;
        Ok(outcome)
    }

    /// The newest document seen at `url`, if any.
    fn latest_at_url(&self, url: Option<&str>) -> Result<Option<i64>, StoreError> {
        let Some(url) = url else {
            return Ok(None);
        };
        self.tx
            .prepare_cached("SELECT max(document_id) FROM sources WHERE url = ?1")
            .and_then(|mut stmt| stmt.query_row([url], |row| row.get(0)))
            .map_err(self.err("sources"))
    }

    fn insert_document(
        &self,
        record: &Record,
        prepared: &Prepared,
        previous: Option<i64>,
    ) -> Result<i64, StoreError> {
        let doc = &record.document;
        // The text is a column of its own; the JSON keeps everything else.
        let json = match &prepared.json {
            Some(json) => json,
            None => {
                let source = serde_json::to_string(&WithoutText(record))
                    .err()
                    .unwrap_or_else(|| serde::ser::Error::custom("did not serialise"));
                return Err(StoreError::Json {
                    path: self.path.to_owned(),
                    document: doc.id.clone(),
                    source,
                });
            }
        };
        let mut stmt = self
            .tx
            .prepare_cached(&format!(
                "INSERT INTO documents
                    (content_hash, title, text, language, published, first_seen,
                     previous_version, record)
                 VALUES (?1, ?2, ?3, ?4, ?5, {NOW}, ?6, ?7)"
            ))
            .map_err(self.err("documents"))?;
        stmt.execute(params![
            doc.id,
            doc.title,
            doc.text,
            doc.language,
            doc.published,
            previous,
            json
        ])
        .map_err(self.err("documents"))?;
        Ok(self.tx.last_insert_rowid())
    }

    /// Adds the record's place as a source of document `id`; false when it was there.
    fn add_source(&self, id: i64, record: &Record) -> Result<bool, StoreError> {
        let doc = &record.document;
        let mut stmt = self
            .tx
            .prepare_cached(&format!(
                "INSERT OR IGNORE INTO sources
                    (document_id, outlet, url, published, location, first_seen)
                 VALUES (?1, ?2, ?3, ?4, ?5, {NOW})"
            ))
            .map_err(self.err("sources"))?;
        let added = stmt
            .execute(params![id, doc.outlet, doc.url, doc.published, doc.source])
            .map_err(self.err("sources"))?;
        Ok(added == 1)
    }

    /// Writes the record's facts, each pointing at its merged fact.
    fn insert_facts(
        &self,
        doc_id: i64,
        record: &Record,
        facts: &FactIds<'_>,
    ) -> Result<(), StoreError> {
        let entities = self.insert_entities(doc_id, &record.entities, &facts.entities)?;
        let places = self.insert_places(doc_id, &record.places, &facts.places)?;
        let entity = |id: Option<&String>| id.and_then(|id| entities.get(id.as_str()).copied());
        let place = |id: Option<&String>| id.and_then(|id| places.get(id.as_str()).copied());

        let mut stmt = self
            .tx
            .prepare_cached(
                "INSERT INTO quotes
                    (document_id, record_id, text, start, end, speaker_id, candidates,
                     direct, fragment, cue, channel, time, evidence, fact_id)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)",
            )
            .map_err(self.err("quotes"))?;
        for (i, q) in record.quotes.iter().enumerate() {
            stmt.execute(params![
                doc_id,
                q.id,
                q.text,
                q.span.start,
                q.span.end,
                entity(q.speaker.as_ref()),
                json(&q.candidates),
                q.direct,
                q.fragment,
                q.cue,
                q.channel,
                q.time,
                spans_json(&q.evidence),
                facts.quotes.get(i)
            ])
            .map_err(self.err("quotes"))?;
        }

        let mut stmt = self
            .tx
            .prepare_cached(
                "INSERT INTO meetings
                    (document_id, record_id, venue_id, participants, format, level, status,
                     previous_status, date, type, confidence, evidence, fact_id)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
            )
            .map_err(self.err("meetings"))?;
        for (i, m) in record.meetings.iter().enumerate() {
            stmt.execute(params![
                doc_id,
                m.id,
                place(m.venue.as_ref()),
                json(&m.participants),
                m.format,
                m.level,
                m.status,
                m.previous_status,
                m.date,
                m.plover_type,
                f64::from(m.confidence),
                spans_json(&m.evidence),
                facts.meetings.get(i)
            ])
            .map_err(self.err("meetings"))?;
        }

        let mut stmt = self
            .tx
            .prepare_cached(
                "INSERT INTO claims
                    (document_id, record_id, source_id, gist, kind, confidence, evidence,
                     reactions, fact_id)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
            )
            .map_err(self.err("claims"))?;
        for (i, c) in record.claims.iter().enumerate() {
            stmt.execute(params![
                doc_id,
                c.id,
                entity(c.source.as_ref()),
                c.gist,
                c.kind,
                f64::from(c.confidence),
                spans_json(&c.evidence),
                json(&c.reactions),
                facts.claims.get(i)
            ])
            .map_err(self.err("claims"))?;
        }

        let mut stmt = self
            .tx
            .prepare_cached(
                "INSERT INTO events
                    (document_id, record_id, type, mode, place_id, date, actor_country,
                     actor_id, actor_inferred, target, killed_min, killed_max, killed_text,
                     wounded_min, wounded_max, wounded_text, confidence, evidence, fact_id)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15,
                         ?16, ?17, ?18, ?19)",
            )
            .map_err(self.err("events"))?;
        for (i, v) in record.events.iter().enumerate() {
            let actor = v.actor.as_ref();
            let killed = v.killed.as_ref();
            let wounded = v.wounded.as_ref();
            stmt.execute(params![
                doc_id,
                v.id,
                v.plover_type,
                v.mode,
                place(v.place.as_ref()),
                v.date,
                actor.and_then(|a| a.country.clone()),
                entity(actor.and_then(|a| a.entity.as_ref())),
                actor.map(|a| a.inferred),
                v.target,
                killed.and_then(|q| q.min).map(clamp_i64),
                killed.and_then(|q| q.max).map(clamp_i64),
                killed.map(|q| q.text.as_str()),
                wounded.and_then(|q| q.min).map(clamp_i64),
                wounded.and_then(|q| q.max).map(clamp_i64),
                wounded.map(|q| q.text.as_str()),
                f64::from(v.confidence),
                spans_json(&v.evidence),
                facts.events.get(i)
            ])
            .map_err(self.err("events"))?;
        }
        Ok(())
    }

    /// Inserts entities and their mentions; returns record id → row id.
    fn insert_entities<'r>(
        &self,
        doc_id: i64,
        entities: &'r [Entity],
        facts: &HashMap<&str, i64>,
    ) -> Result<HashMap<&'r str, i64>, StoreError> {
        let mut ids = HashMap::with_capacity(entities.len());
        let mut stmt = self
            .tx
            .prepare_cached(
                "INSERT INTO entities
                    (document_id, record_id, kind, name, titles, country, organisation,
                     kb_id, named, description, count, fact_id)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
            )
            .map_err(self.err("entities"))?;
        let mut mention = self
            .tx
            .prepare_cached(
                "INSERT INTO mentions (document_id, entity_id, start, end, text, form)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            )
            .map_err(self.err("mentions"))?;
        for e in entities {
            let affiliation = e.affiliation.as_ref();
            stmt.execute(params![
                doc_id,
                e.id,
                json(&e.kind).trim_matches('"'),
                e.name,
                json(&e.titles),
                affiliation.and_then(|a| a.country.clone()),
                affiliation.and_then(|a| a.organisation.clone()),
                e.kb_id,
                e.named,
                e.description,
                e.count,
                facts.get(e.id.as_str())
            ])
            .map_err(self.err("entities"))?;
            let row = self.tx.last_insert_rowid();
            ids.insert(e.id.as_str(), row);
            for m in &e.mentions {
                let form = m.form.map(|f| json(&f).trim_matches('"').to_owned());
                mention
                    .execute(params![doc_id, row, m.span.start, m.span.end, m.text, form])
                    .map_err(self.err("mentions"))?;
            }
        }
        Ok(ids)
    }

    /// Inserts places and their mentions; returns record id → row id.
    fn insert_places<'r>(
        &self,
        doc_id: i64,
        places: &'r [Place],
        facts: &HashMap<&str, i64>,
    ) -> Result<HashMap<&'r str, i64>, StoreError> {
        let mut ids = HashMap::with_capacity(places.len());
        let mut stmt = self
            .tx
            .prepare_cached(
                "INSERT INTO places
                    (document_id, record_id, name, country, kind, geonames_id, lat, lon,
                     confidence, alternates, fact_id)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
            )
            .map_err(self.err("places"))?;
        let mut mention = self
            .tx
            .prepare_cached(
                "INSERT INTO mentions (document_id, place_id, start, end, text)
                 VALUES (?1, ?2, ?3, ?4, ?5)",
            )
            .map_err(self.err("mentions"))?;
        for p in places {
            stmt.execute(params![
                doc_id,
                p.id,
                p.name,
                p.country,
                p.kind,
                p.geonames_id.map(clamp_i64),
                p.lat,
                p.lon,
                f64::from(p.confidence),
                json(&p.alternates),
                facts.get(p.id.as_str())
            ])
            .map_err(self.err("places"))?;
            let row = self.tx.last_insert_rowid();
            ids.insert(p.id.as_str(), row);
            for m in &p.mentions {
                mention
                    .execute(params![doc_id, row, m.span.start, m.span.end, m.text])
                    .map_err(self.err("mentions"))?;
            }
        }
        Ok(ids)
    }

    /// Stores a failure, or counts one more attempt of a stored one (pending again).
    fn fail(&self, failure: &FailureNote) -> Result<(), StoreError> {
        self.tx
            .prepare_cached(&format!(
                "INSERT INTO failures
                    (location, input, reason, attempts, first_attempt, last_attempt, resolved)
                 VALUES (?1, ?2, ?3, 1, {NOW}, {NOW}, 0)
                 ON CONFLICT (location) DO UPDATE SET
                    input = coalesce(excluded.input, input),
                    reason = excluded.reason,
                    attempts = attempts + 1,
                    last_attempt = excluded.last_attempt,
                    resolved = 0,
                    resolved_at = NULL"
            ))
            .and_then(|mut stmt| {
                stmt.execute(params![failure.location, failure.input, failure.reason])
            })
            .map_err(self.err("failures"))?;
        Ok(())
    }
}

/// SQLite integers are signed 64-bit; counts and ids beyond that are clamped.
fn clamp_i64(value: u64) -> i64 {
    i64::try_from(value).unwrap_or(i64::MAX)
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;

    use sitrep_core::record::{Document, EntityKind, Mention, Quote};

    use super::*;

    const TEXT: &str = "The envoy said the ferry talks would resume in Valletta. \
        \"We are closer than last week,\" Ana Petrova told reporters on the quay.";

    fn tempdir(name: &str) -> PathBuf {
        let dir =
            std::env::temp_dir().join(format!("sitrep-store-test-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        dir
    }

    /// A small record with one entity, one place and one quote over `text`.
    fn record(text: &str, url: Option<&str>, outlet: Option<&str>, source: &str) -> Record {
        let mut record = Record::new(Document {
            id: sitrep_core::document_id(text),
            source: source.to_owned(),
            url: url.map(str::to_owned),
            outlet: outlet.map(str::to_owned),
            title: Some("Ferry talks to resume".to_owned()),
            published: Some("2026-03-02".to_owned()),
            language: "en".to_owned(),
            authors: Vec::new(),
            credits: Vec::new(),
            text: text.to_owned(),
        });
        let span_of = |needle: &str| {
            let start = text.find(needle).unwrap_or(0);
            Span::new(start, start + needle.len().min(text.len() - start))
        };
        record.entities.push(Entity {
            id: "e1".to_owned(),
            kind: EntityKind::Person,
            name: "Ana Petrova".to_owned(),
            titles: vec!["envoy".to_owned()],
            affiliation: None,
            kb_id: None,
            named: true,
            description: None,
            count: None,
            mentions: vec![Mention {
                span: span_of("Ana Petrova"),
                text: "Ana Petrova".to_owned(),
                form: Some(sitrep_core::record::MentionForm::Name),
            }],
        });
        record.places.push(Place {
            id: "p1".to_owned(),
            name: "Valletta".to_owned(),
            country: Some("MT".to_owned()),
            kind: "city".to_owned(),
            geonames_id: Some(2_562_305),
            lat: Some(35.9),
            lon: Some(14.5),
            confidence: 0.9,
            alternates: Vec::new(),
            mentions: vec![Mention {
                span: span_of("Valletta"),
                text: "Valletta".to_owned(),
                form: None,
            }],
        });
        record.quotes.push(Quote {
            id: "q1".to_owned(),
            text: "We are closer than last week,".to_owned(),
            span: span_of("We are closer than last week,"),
            speaker: Some("e1".to_owned()),
            candidates: Vec::new(),
            direct: true,
            fragment: false,
            cue: Some("told".to_owned()),
            channel: None,
            time: None,
            evidence: vec![span_of("\"We are closer")],
        });
        record
    }

    fn memory() -> SqliteStore {
        SqliteStore::open_in_memory().expect("in-memory store")
    }

    fn count(store: &SqliteStore, sql: &str) -> i64 {
        store
            .connection()
            .query_row(sql, [], |row| row.get(0))
            .unwrap()
    }

    #[test]
    fn migrates_from_empty_and_reopens_at_the_same_version() {
        let dir = tempdir("reopen");
        let path = dir.join("sitrep.db");
        {
            let mut store = SqliteStore::open(&path).unwrap();
            assert_eq!(store.schema_version().unwrap(), schema::SCHEMA_VERSION);
            let mode: String = store
                .connection()
                .query_row("PRAGMA journal_mode", [], |row| row.get(0))
                .unwrap();
            assert_eq!(mode, "wal");
            let fk: i64 = count(&store, "PRAGMA foreign_keys");
            assert_eq!(fk, 1);
            for table in [
                "documents",
                "sources",
                "entities",
                "mentions",
                "places",
                "quotes",
                "meetings",
                "claims",
                "events",
                "stories",
                "failures",
                "documents_fts",
                "quotes_fts",
            ] {
                let found = count(
                    &store,
                    &format!("SELECT count(*) FROM sqlite_master WHERE name = '{table}'"),
                );
                assert_eq!(found, 1, "table {table}");
            }
            let r = record(TEXT, Some("https://harbour.example/a"), None, "a.txt");
            store.put_batch(&[r], &[]).unwrap();
        }
        let store = SqliteStore::open(&path).unwrap();
        assert_eq!(store.schema_version().unwrap(), schema::SCHEMA_VERSION);
        assert_eq!(store.counts().unwrap().documents, 1);
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn a_failed_migration_leaves_the_previous_version() {
        let mut conn = Connection::open_in_memory().unwrap();
        let steps = [
            "CREATE TABLE a (x INTEGER);",
            "CREATE TABLE b (y); SELECT nonsense(",
        ];
        let err = schema::apply(&mut conn, ":memory:", &steps).unwrap_err();
        assert!(
            matches!(err, StoreError::Migrate { version: 2, .. }),
            "{err}"
        );
        assert_eq!(schema::version(&conn).unwrap(), 1);
        let b: i64 = conn
            .query_row(
                "SELECT count(*) FROM sqlite_master WHERE name = 'b'",
                [],
                |row| row.get(0),
            )
            .unwrap();
        assert_eq!(b, 0, "the failed step was rolled back whole");
        // Applying again runs only what is missing.
        schema::apply(&mut conn, ":memory:", &steps[..1]).unwrap();
        assert_eq!(schema::version(&conn).unwrap(), 1);
    }

    #[test]
    fn a_newer_schema_is_refused() {
        let dir = tempdir("too-new");
        let path = dir.join("sitrep.db");
        {
            let conn = Connection::open(&path).unwrap();
            conn.execute_batch("PRAGMA user_version = 999").unwrap();
        }
        let err = SqliteStore::open(&path).unwrap_err();
        assert!(
            matches!(err, StoreError::TooNew { found: 999, .. }),
            "{err}"
        );
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn the_same_content_is_one_document_with_one_source_per_place() {
        let mut store = memory();
        let url = Some("https://harbour.example/talks");
        let first = record(TEXT, url, Some("Harbour Post"), "a.txt");
        let outcomes = store.put_batch(std::slice::from_ref(&first), &[]).unwrap();
        assert_eq!(outcomes, [PutOutcome::New]);
        // Identical again (even read from another file): nothing new.
        let again = record(TEXT, url, Some("Harbour Post"), "copy/a.txt");
        let outcomes = store.put_batch(&[first, again], &[]).unwrap();
        assert_eq!(outcomes, [PutOutcome::Duplicate, PutOutcome::Duplicate]);
        let counts = store.counts().unwrap();
        assert_eq!((counts.documents, counts.sources), (1, 1));
        assert_eq!(counts.quotes, 1, "facts are written once");
        // A syndicated copy: same text, another outlet and URL.
        let copy = record(
            TEXT,
            Some("https://wire.example/item/7"),
            Some("Wire Service"),
            "b.txt",
        );
        assert_eq!(
            store.put_batch(std::slice::from_ref(&copy), &[]).unwrap(),
            [PutOutcome::NewSource]
        );
        assert_eq!(
            store.put_batch(&[copy], &[]).unwrap(),
            [PutOutcome::Duplicate]
        );
        let counts = store.counts().unwrap();
        assert_eq!((counts.documents, counts.sources), (1, 2));
        assert_eq!((counts.entities, counts.places, counts.quotes), (1, 1, 1));
        // Without a URL, the location tells places apart.
        let bare = record(TEXT, None, None, "c.txt");
        assert_eq!(
            store.put_batch(std::slice::from_ref(&bare), &[]).unwrap(),
            [PutOutcome::NewSource]
        );
        assert_eq!(
            store.put_batch(&[bare], &[]).unwrap(),
            [PutOutcome::Duplicate]
        );
        assert!(
            store
                .contains(&[&sitrep_core::document_id(TEXT), "sha256:00"])
                .unwrap()
                == [true, false]
        );
    }

    #[test]
    fn changed_text_at_the_same_url_is_a_new_version() {
        let mut store = memory();
        let url = Some("https://harbour.example/talks");
        let old = record(TEXT, url, Some("Harbour Post"), "feed.jsonl:1");
        let updated_text = format!("{TEXT} Updated: the talks began an hour late.");
        let new = record(&updated_text, url, Some("Harbour Post"), "feed.jsonl:2");
        let outcomes = store.put_batch(&[old.clone(), new], &[]).unwrap();
        assert_eq!(outcomes, [PutOutcome::New, PutOutcome::NewVersion]);
        let (old_id, new_prev): (i64, i64) = store
            .connection()
            .query_row(
                "SELECT a.id, b.previous_version FROM documents a, documents b
                 WHERE a.content_hash = ?1 AND b.content_hash = ?2",
                [&old.document.id, &sitrep_core::document_id(&updated_text)],
                |row| Ok((row.get(0)?, row.get(1)?)),
            )
            .unwrap();
        assert_eq!(old_id, new_prev);
        let counts = store.counts().unwrap();
        assert_eq!((counts.documents, counts.sources), (2, 2));
    }

    #[test]
    fn the_stored_record_comes_back_whole() {
        let mut store = memory();
        let r = record(TEXT, None, Some("Harbour Post"), "a.txt");
        store.put_batch(std::slice::from_ref(&r), &[]).unwrap();
        assert_eq!(store.record(&r.document.id).unwrap(), Some(r));
        assert_eq!(store.record("sha256:none").unwrap(), None);
        let stored_json_len = count(&store, "SELECT length(record) FROM documents");
        assert!(
            !store
                .connection()
                .query_row("SELECT record FROM documents", [], |row| row
                    .get::<_, String>(0))
                .unwrap()
                .contains("closer than last week,\\\" Ana"),
            "the text is not stored twice ({stored_json_len} bytes of JSON)"
        );
    }

    #[test]
    fn failures_are_counted_and_resolved() {
        let mut store = memory();
        let note = |location: &str, reason: &str| FailureNote {
            location: location.to_owned(),
            input: Some(location.split(':').next().unwrap_or(location).to_owned()),
            reason: reason.to_owned(),
        };
        store
            .record_failure(&note("bad.txt", "binary data, not text"))
            .unwrap();
        store
            .put_batch(&[], &[note("news.jsonl:3", "missing field: text or html")])
            .unwrap();
        store
            .record_failure(&note("bad.txt", "binary data, not text"))
            .unwrap();
        let pending = store.pending_failures().unwrap();
        assert_eq!(pending.len(), 2);
        assert_eq!(pending[0].location, "bad.txt");
        assert_eq!(pending[0].attempts, 2);
        assert_eq!(pending[1].input.as_deref(), Some("news.jsonl"));

        // A document now read from a failed location resolves it.
        let fixed = record(TEXT, None, None, "news.jsonl:3");
        store.put_batch(&[fixed], &[]).unwrap();
        assert_eq!(store.pending_failures().unwrap().len(), 1);
        // And so does an explicit resolution.
        assert_eq!(store.resolve_failures(&["bad.txt".to_owned()]).unwrap(), 1);
        assert_eq!(store.resolve_failures(&["bad.txt".to_owned()]).unwrap(), 0);
        let counts = store.counts().unwrap();
        assert_eq!((counts.pending_failures, counts.resolved_failures), (0, 2));
        let resolved_at = count(
            &store,
            "SELECT count(*) FROM failures WHERE resolved = 1 AND resolved_at IS NOT NULL",
        );
        assert_eq!(resolved_at, 2);
        // Failing again makes it pending again.
        store
            .record_failure(&note("bad.txt", "binary data, not text"))
            .unwrap();
        assert_eq!(store.pending_failures().unwrap()[0].attempts, 3);
    }

    #[test]
    fn full_text_search_finds_quotes_and_documents() {
        let mut store = memory();
        let r = record(TEXT, None, None, "a.txt");
        store.put_batch(std::slice::from_ref(&r), &[]).unwrap();
        let hits = store.search_quotes("closer", 10).unwrap();
        assert_eq!(hits.len(), 1);
        assert_eq!(hits[0].record_id, "q1");
        assert_eq!(hits[0].document, r.document.id);
        assert_eq!(
            &TEXT[hits[0].span.start()..hits[0].span.end()],
            "We are closer than last week,"
        );
        assert!(store.search_quotes("quay", 10).unwrap().is_empty());
        let docs = count(
            &store,
            "SELECT count(*) FROM documents_fts WHERE documents_fts MATCH 'quay'",
        );
        assert_eq!(docs, 1);
    }

    #[test]
    fn a_read_only_store_reads_and_refuses_writes() {
        let dir = tempdir("read-only");
        let path = dir.join("sitrep.db");
        let missing = SqliteStore::open_read_only(&path).unwrap_err();
        assert!(matches!(missing, StoreError::Open { .. }), "{missing}");
        assert!(!path.exists(), "opening read-only creates no file");
        {
            let mut store = SqliteStore::open(&path).unwrap();
            let r = record(TEXT, Some("https://harbour.example/a"), None, "a.txt");
            store.put_batch(&[r], &[]).unwrap();
        }
        let mut store = SqliteStore::open_read_only(&path).unwrap();
        assert_eq!(store.schema_version().unwrap(), schema::SCHEMA_VERSION);
        assert_eq!(store.counts().unwrap().documents, 1);
        let filter = Filter {
            limit: 10,
            ..Filter::default()
        };
        assert_eq!(
            store
                .facts(FactKind::People, &filter)
                .unwrap()
                .results
                .len(),
            1
        );
        let other = record("Another text entirely.", None, None, "b.txt");
        assert!(store.put_batch(&[other], &[]).is_err());
        assert_eq!(store.counts().unwrap().documents, 1, "nothing was written");
        drop(store);

        let set_version = |version: u32| {
            let conn = Connection::open(&path).unwrap();
            conn.execute_batch(&format!("PRAGMA user_version = {version}"))
                .unwrap();
        };
        set_version(1);
        let old = SqliteStore::open_read_only(&path).unwrap_err();
        assert!(
            matches!(old, StoreError::Outdated { found: 1, .. }),
            "{old}"
        );
        set_version(999);
        let new = SqliteStore::open_read_only(&path).unwrap_err();
        assert!(
            matches!(new, StoreError::TooNew { found: 999, .. }),
            "{new}"
        );
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn a_merged_fact_is_found_by_its_id_with_every_source() {
        let mut store = memory();
        let first = record(
            TEXT,
            Some("https://harbour.example/talks"),
            Some("Harbour Post"),
            "a.txt",
        );
        let copy = record(
            TEXT,
            Some("https://wire.example/item/7"),
            Some("Wire Service"),
            "b.txt",
        );
        store.put_batch(&[first, copy], &[]).unwrap();
        let filter = Filter {
            limit: 10,
            ..Filter::default()
        };
        let listed = store.facts(FactKind::Quotes, &filter).unwrap().results;
        let quote = &listed[0];
        let found = store.fact_by_id(quote.id, 100).unwrap().expect("the quote");
        assert_eq!(found.kind, "quote");
        assert_eq!(found.label, quote.label);
        assert_eq!(found.fields, quote.fields);
        let urls: Vec<_> = found.sources.iter().map(|s| s.url.as_deref()).collect();
        assert_eq!(
            urls,
            [
                Some("https://harbour.example/talks"),
                Some("https://wire.example/item/7")
            ]
        );
        assert_eq!(found.sources[0].record_id, "q1");
        assert_eq!(found.sources[0].evidence[0].text, "\"We are closer");

        // Facts of kinds the queries do not list, and ids that do not exist, are absent.
        let place = count(
            &store,
            "SELECT ifnull(max(id), -1) FROM facts
             WHERE kind NOT IN ('person', 'quote', 'meeting', 'event', 'claim')",
        );
        assert!(store.fact_by_id(place, 100).unwrap().is_none());
        assert!(store.fact_by_id(i64::MAX, 100).unwrap().is_none());
    }

    #[test]
    fn facts_keep_their_links_and_offsets() {
        let mut store = memory();
        let r = record(TEXT, None, None, "a.txt");
        store.put_batch(&[r], &[]).unwrap();
        let speaker: String = store
            .connection()
            .query_row(
                "SELECT e.name FROM quotes q JOIN entities e ON e.id = q.speaker_id",
                [],
                |row| row.get(0),
            )
            .unwrap();
        assert_eq!(speaker, "Ana Petrova");
        let (start, end): (u32, u32) = store
            .connection()
            .query_row(
                "SELECT m.start, m.end FROM mentions m JOIN places p ON p.id = m.place_id",
                [],
                |row| Ok((row.get(0)?, row.get(1)?)),
            )
            .unwrap();
        assert_eq!(&TEXT[start as usize..end as usize], "Valletta");
    }
}
