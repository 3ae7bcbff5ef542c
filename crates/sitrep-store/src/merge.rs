//! The merge step: each new document's facts joined to the facts other documents told.
//!
//! Runs inside the batch's transaction, right after the document's own rows are written,
//! so a document is stored merged or not at all. For every fact the step looks up the
//! merged facts that share a blocking key (`fact_keys`), checks the few it finds with
//! the rules below, and joins the best one or starts a new one:
//!
//! | fact | blocking key | joins when |
//! |---|---|---|
//! | person, organisation, group, country | knowledge-base id; folded name; a lone surname | same kind; a surname only when one person carries it |
//! | place | GeoNames id; folded name and country | the key alone |
//! | attack | country of its place and day (±1 day) | same PLOVER type; same place, or one of them only a country, or ≤ 30 km apart |
//! | meeting | day (±2 days) | the same venue; or one venue missing and no participant lists that share no one; or no venue and a shared participant |
//! | quote | runs of 4 words | the words overlap (Jaccard ≥ 0.6 or one inside the other) |
//! | claim | source and day (±3 days) | the gists share words |
//!
//! A fact takes at most one row of a document: the engine already decided that two
//! attacks of one article are two. Values are never combined: each member row keeps
//! what its document said, and the query side shows where they differ. Stories are the
//! connected groups of documents that share an attack, meeting, claim or quote (or are
//! near-copies of each other).

use std::cell::RefCell;
use std::collections::{HashMap, HashSet};
use std::sync::{Arc, OnceLock};

use jiff::civil::Date;
use rusqlite::{params, OptionalExtension, Transaction};
use sitrep_core::record::{EntityKind, Place};
use sitrep_core::Record;

use crate::similar::{self, MinHash, WordSet};
use crate::sqlite::NOW;
use crate::StoreError;

/// The newest facts a blocking key gives as candidates.
const KEY_FACTS: usize = 64;
/// Near-duplicates: estimated Jaccard of word 5-shingles at or above this.
const NEAR_DUPLICATE: f64 = 0.8;
/// Two places this close (in km) are one site for an attack or a meeting.
const SAME_SITE_KM: f64 = 30.0;

/// The merged fact of each of a record's facts, by record id or in record order: the
/// writer stores them in the rows' `fact_id`.
#[derive(Debug, Default)]
pub(crate) struct FactIds<'r> {
    pub entities: HashMap<&'r str, i64>,
    pub places: HashMap<&'r str, i64>,
    pub quotes: Vec<i64>,
    pub meetings: Vec<i64>,
    pub claims: Vec<i64>,
    pub events: Vec<i64>,
}

/// Merged people, organisations and places by exact key, kept by the store across
/// batches: most names of a new document are ones it has seen, and a hit saves the
/// look-up. Cleared when a batch fails (its facts were rolled back) and when full.
#[derive(Debug, Default)]
pub(crate) struct KeyCache {
    facts: HashMap<(&'static str, i64), i64>,
    /// Documents and new outlets each fact gained in the batch being written, added to
    /// `facts` once at its end (a fact such as a country is joined by most documents).
    counts: HashMap<i64, (i64, i64)>,
    /// Signatures of recent documents and the originals they copy, by document id: the
    /// near-duplicate check compares each new document with up to 8 documents per band.
    signatures: HashMap<i64, (MinHash, Option<i64>)>,
    /// Every blocking key with its facts (ascending), a copy of `fact_keys` kept while
    /// this store is the only writer: a document searches ~100 keys, and a look-up here
    /// costs far less than a statement. Loaded for a bulk batch, kept up to date by
    /// [`Merger::add_keys`], dropped when another connection wrote.
    keys: Option<HashMap<i64, Vec<i64>>>,
    /// Every merged fact as the merge compares it, with its story, a copy of `facts`
    /// loaded and dropped with `keys`: reading each candidate's row was a tenth of the
    /// writer's time. [`Merger::start`] adds to it and [`Merger::story`] keeps the
    /// stories in step. A fact missing here is no candidate, so any other code of this
    /// connection that writes `facts` must clear the cache.
    rows: Option<FactRows>,
    /// Stories merged into another since `rows` was loaded: old id → the id it took.
    merged_stories: HashMap<i64, i64>,
    /// A copy of `fact_outlets`, loaded and dropped with `keys`: every fact a document
    /// joins asks whether its outlet is new to the fact, and most are not.
    outlets: Option<OutletCopy>,
    /// `PRAGMA data_version` when the last batch began: it changes when another
    /// connection commits.
    data_version: Option<i64>,
}

impl KeyCache {
    /// Adds the batch's counts to the facts' rows.
    pub(crate) fn flush_counts(&mut self, tx: &Transaction<'_>) -> rusqlite::Result<()> {
        let mut stmt = tx.prepare_cached(&format!(
            "UPDATE facts SET documents = documents + ?2, outlets = outlets + ?3,
                              last_seen = {NOW}
             WHERE id = ?1"
        ))?;
        for (fact, (documents, outlets)) in self.counts.drain() {
            stmt.execute(params![fact, documents, outlets])?;
        }
        Ok(())
    }

    const MAX: usize = 1 << 20;

    fn get(&self, kind: &'static str, key: i64) -> Option<i64> {
        self.facts.get(&(kind, key)).copied()
    }

    fn put(&mut self, kind: &'static str, keys: &[i64], fact: i64) {
        if self.facts.len() + keys.len() > Self::MAX {
            self.facts.clear();
        }
        for &key in keys {
            self.facts.insert((kind, key), fact);
        }
    }

    const MAX_SIGNATURES: usize = 1 << 16;

    fn remember_signature(&mut self, document: i64, signature: MinHash, original: Option<i64>) {
        if self.signatures.len() >= Self::MAX_SIGNATURES {
            self.signatures.clear();
        }
        self.signatures.insert(document, (signature, original));
    }

    /// Batches of at least this many records load the copy of `fact_keys` (a batch of a
    /// few, such as one document posted to the server, reads the table instead).
    const KEYS_FOR_BATCHES_OF: usize = 64;

    /// Readies the cache for a batch of `records`: forgets what another connection may
    /// have changed since the last batch, and loads the key copy for a bulk batch.
    pub(crate) fn begin(&mut self, tx: &Transaction<'_>, records: usize) -> rusqlite::Result<()> {
        let version: i64 = tx.query_row("PRAGMA data_version", [], |row| row.get(0))?;
        if self.data_version.is_some_and(|v| v != version) {
            self.clear();
        }
        self.data_version = Some(version);
        if self.keys.is_none() && records >= Self::KEYS_FOR_BATCHES_OF {
            let mut keys: HashMap<i64, Vec<i64>> = HashMap::new();
            let mut stmt =
                tx.prepare("SELECT key, fact_id FROM fact_keys ORDER BY key, fact_id")?;
            let rows =
                stmt.query_map([], |row| Ok((row.get::<_, i64>(0)?, row.get::<_, i64>(1)?)))?;
            for row in rows {
                let (key, fact) = row?;
                keys.entry(key).or_default().push(fact);
            }
            self.keys = Some(keys);
            self.rows = Some(load_rows(tx)?);
            self.merged_stories.clear();
            self.outlets = Some(OutletCopy::load(tx)?);
        }
        Ok(())
    }

    /// The story a copied row's story now is, after the merges since the copy was made.
    fn current_story(&self, story: Option<i64>) -> Option<i64> {
        let mut story = story?;
        while let Some(&into) = self.merged_stories.get(&story) {
            story = into;
        }
        Some(story)
    }

    /// Forgets everything (after a rolled-back batch, or another connection's write).
    pub(crate) fn clear(&mut self) {
        self.facts.clear();
        self.counts.clear();
        self.signatures.clear();
        self.keys = None;
        self.rows = None;
        self.merged_stories.clear();
        self.outlets = None;
    }
}

/// What the writer needs from a record that the record alone decides: its text's
/// MinHash signature, each quote's keys and the record's JSON. Made with
/// [`Prepared::of`] wherever the records are made (the ingest pipeline does it on its
/// extraction threads), so that the single writer thread only writes.
#[derive(Debug)]
pub struct Prepared {
    pub(crate) signature: Option<MinHash>,
    pub(crate) quote_keys: Vec<Vec<i64>>,
    /// The record as `sitrep/1` JSON without its text (the `documents.record` column);
    /// `None` when it would not serialise, and the writer reports why.
    pub(crate) json: Option<String>,
}

impl Prepared {
    /// Computes what the writer needs from `record`.
    pub fn of(record: &Record) -> Prepared {
        Prepared {
            signature: MinHash::of(&record.document.text),
            quote_keys: record
                .quotes
                .iter()
                .map(|q| similar::sampled_shingles(&q.text, 4))
                .collect(),
            json: serde_json::to_string(&crate::sqlite::WithoutText(record)).ok(),
        }
    }
}

/// The rows of `fact_outlets` in memory, outlets by number.
#[derive(Debug, Default)]
struct OutletCopy {
    numbers: HashMap<String, u32>,
    pairs: HashSet<(i64, u32)>,
}

impl OutletCopy {
    fn load(tx: &Transaction<'_>) -> rusqlite::Result<OutletCopy> {
        let mut copy = OutletCopy::default();
        let mut stmt = tx.prepare("SELECT fact_id, outlet_key FROM fact_outlets")?;
        let mut rows = stmt.query([])?;
        while let Some(row) = rows.next()? {
            let outlet = copy.number(row.get_ref(1)?.as_str()?);
            copy.pairs.insert((row.get(0)?, outlet));
        }
        Ok(copy)
    }

    fn number(&mut self, outlet: &str) -> u32 {
        if let Some(&n) = self.numbers.get(outlet) {
            return n;
        }
        let n = self.numbers.len() as u32;
        self.numbers.insert(outlet.to_owned(), n);
        n
    }
}

/// What the merge compares of a merged fact: the columns of its `facts` row that never
/// change once it is started.
#[derive(Debug)]
struct FactRow {
    kind: String,
    label: String,
    subtype: Option<String>,
    date: Option<String>,
    place_fact: Option<i64>,
    lat: Option<f64>,
    lon: Option<f64>,
    /// The kind of its place (`city`, `country`, …), when it has one.
    place_kind: Option<String>,
    /// The label's words, made the first time a quote or claim is compared with it.
    words: OnceLock<WordSet>,
}

impl FactRow {
    fn words(&self) -> &WordSet {
        self.words.get_or_init(|| WordSet::of(&self.label))
    }
}

/// A merged fact as the copy keeps it: what the rules compare, and its story as last
/// written to its row.
type CopiedFact = (Arc<FactRow>, Option<i64>);

/// Merged facts by id.
type FactRows = HashMap<i64, CopiedFact>;

/// The columns of a merged fact that [`fact_row`] reads, for `FROM facts f LEFT JOIN
/// facts p ON p.id = f.place_fact`.
const FACT_ROW_COLUMNS: &str =
    "f.id, f.kind, f.label, f.subtype, f.date, f.place_fact, f.lat, f.lon, f.story_id, p.subtype";

/// A merged fact's id, [`FactRow`] and story, from a row of [`FACT_ROW_COLUMNS`].
fn fact_row(row: &rusqlite::Row<'_>) -> rusqlite::Result<(i64, CopiedFact)> {
    let fact = FactRow {
        kind: row.get(1)?,
        label: row.get(2)?,
        subtype: row.get(3)?,
        date: row.get(4)?,
        place_fact: row.get(5)?,
        lat: row.get(6)?,
        lon: row.get(7)?,
        place_kind: row.get(9)?,
        words: OnceLock::new(),
    };
    Ok((row.get(0)?, (Arc::new(fact), row.get(8)?)))
}

/// Reads every merged fact's [`FactRow`] and story.
fn load_rows(tx: &Transaction<'_>) -> rusqlite::Result<FactRows> {
    let mut stmt = tx.prepare(&format!(
        "SELECT {FACT_ROW_COLUMNS} FROM facts f LEFT JOIN facts p ON p.id = f.place_fact"
    ))?;
    let rows = stmt.query_map([], fact_row)?;
    rows.collect()
}

/// A merged fact found under a blocking key, with what the checks compare.
#[derive(Debug)]
struct Candidate {
    id: i64,
    row: Arc<FactRow>,
    story: Option<i64>,
    /// Which of the searched keys found it (indices into the key list).
    hits: Vec<usize>,
}

/// A fact of the document to merge, with what a new merged fact would start from.
struct Member<'a> {
    /// The fact it would start.
    fact: NewFact<'a>,
    /// Its blocking keys, for a new fact.
    keys: &'a [i64],
    /// Whether the fact ties documents into a story.
    story_making: bool,
    /// Whether a fact it joins also takes its keys (a name variant, another site of
    /// the same attack), so that later reports find it by those too.
    grow_keys: bool,
}

/// What a new merged fact starts with.
#[derive(Debug, Default)]
struct NewFact<'s> {
    kind: &'s str,
    label: &'s str,
    subtype: Option<&'s str>,
    country: Option<&'s str>,
    date: Option<&'s str>,
    place_fact: Option<i64>,
    lat: Option<f64>,
    lon: Option<f64>,
    actor_fact: Option<i64>,
}

/// Merges one new document (`doc_id`, about to be written from `record`) into the facts
/// and stories already stored; returns the merged fact of each of its facts.
pub(crate) fn merge_document<'r>(
    tx: &Transaction<'_>,
    path: &str,
    doc_id: i64,
    record: &'r Record,
    prepared: &Prepared,
    cache: &mut KeyCache,
) -> Result<FactIds<'r>, StoreError> {
    let mut merger = Merger {
        tx,
        path,
        doc_id,
        joined: HashSet::new(),
        stories: Vec::new(),
        story_facts: Vec::new(),
        signature: RefCell::new(None),
        outlet: String::new(),
        outlet_number: None,
        cache,
    };
    let original = merger.near_duplicates(prepared)?;
    merger.outlet = merger.outlet_key(record, original)?;
    merger.outlet_number = merger
        .cache
        .outlets
        .as_mut()
        .map(|copy| copy.number(&merger.outlet));
    let mut ids = FactIds {
        places: merger.places(record)?,
        entities: merger.entities(record)?,
        ..FactIds::default()
    };
    let published = record
        .document
        .published
        .as_deref()
        .and_then(day_of)
        .map(str::to_owned);
    let published = published.as_deref();
    ids.events = merger.events(record, &ids.places, &ids.entities, published)?;
    ids.meetings = merger.meetings(record, &ids.places, &ids.entities, published)?;
    ids.quotes = merger.quotes(record, prepared, &ids.entities, published)?;
    ids.claims = merger.claims(record, &ids.entities, published)?;
    merger.story(record, original, published)?;
    Ok(ids)
}

/// `YYYY-MM-DD` at the start of a date or timestamp, when it is a real day.
fn day_of(value: &str) -> Option<&str> {
    let day = value.get(..10)?;
    day.parse::<Date>().ok().map(|_| day)
}

/// The days from `day - before` to `day + after`, as `YYYY-MM-DD`.
fn days_around(day: &str, before: i64, after: i64) -> Vec<String> {
    let Ok(date) = day.parse::<Date>() else {
        return vec![day.to_owned()];
    };
    (-before..=after)
        .filter_map(|shift| date.checked_add(jiff::Span::new().days(shift)).ok())
        .map(|d| d.to_string())
        .collect()
}

/// Great-circle distance in km.
fn distance_km(a: (f64, f64), b: (f64, f64)) -> f64 {
    let (lat1, lon1) = (a.0.to_radians(), a.1.to_radians());
    let (lat2, lon2) = (b.0.to_radians(), b.1.to_radians());
    let h = ((lat2 - lat1) / 2.0).sin().powi(2)
        + lat1.cos() * lat2.cos() * ((lon2 - lon1) / 2.0).sin().powi(2);
    2.0 * 6371.0 * h.sqrt().asin()
}

struct Merger<'a> {
    tx: &'a Transaction<'a>,
    path: &'a str,
    doc_id: i64,
    /// Facts this document has joined or started: one row of a document per fact.
    joined: HashSet<i64>,
    /// Stories of the story-making facts it joined.
    stories: Vec<i64>,
    /// Story-making facts (attacks, meetings, claims, quotes) it joined or started.
    story_facts: Vec<i64>,
    /// The document's MinHash signature, from the near-duplicate check to its row.
    signature: RefCell<Option<Vec<u8>>>,
    /// The outlet the document counts as.
    outlet: String,
    /// Its number in the copy of `fact_outlets`, when the batch has the copy.
    outlet_number: Option<u32>,
    /// Exact keys of merged people, organisations and places.
    cache: &'a mut KeyCache,
}

impl Merger<'_> {
    fn err(&self, table: &'static str) -> impl Fn(rusqlite::Error) -> StoreError + '_ {
        move |source| StoreError::Sql {
            path: self.path.to_owned(),
            table,
            source,
        }
    }

    /// Links the document to an earlier one it nearly copies and indexes its bands;
    /// returns the original.
    fn near_duplicates(&mut self, prepared: &Prepared) -> Result<Option<i64>, StoreError> {
        let Some(signature) = &prepared.signature else {
            return Ok(None);
        };
        let bands = signature.bands();
        // The documents sharing a band, each once (a near-copy shares most bands), and
        // then their signatures, from the cache when it has them.
        let mut others: Vec<i64> = Vec::new();
        {
            let mut find = self
                .tx
                .prepare_cached(
                    "SELECT document_id FROM document_bands WHERE band = ?1
                     ORDER BY document_id DESC LIMIT 8",
                )
                .map_err(self.err("document_bands"))?;
            for band in &bands {
                let rows = find
                    .query_map([band], |row| row.get::<_, i64>(0))
                    .map_err(self.err("document_bands"))?;
                for row in rows {
                    let other = row.map_err(self.err("document_bands"))?;
                    if other != self.doc_id && !others.contains(&other) {
                        others.push(other);
                    }
                }
            }
        }
        let mut best: Option<(f64, i64)> = None;
        for other in others {
            let Some((theirs, its_original)) = self.signature_of(other)? else {
                continue;
            };
            let score = signature.similarity(&theirs);
            let root = its_original.unwrap_or(other);
            if score >= NEAR_DUPLICATE && best.is_none_or(|(s, _)| score > s) {
                best = Some((score, root));
            }
        }
        let mut insert = self
            .tx
            .prepare_cached(
                "INSERT OR IGNORE INTO document_bands (band, document_id) VALUES (?1, ?2)",
            )
            .map_err(self.err("document_bands"))?;
        for band in &bands {
            insert
                .execute(params![band, self.doc_id])
                .map_err(self.err("document_bands"))?;
        }
        let original = best.map(|(_, id)| id);
        self.cache
            .remember_signature(self.doc_id, signature.clone(), original);
        *self.signature.borrow_mut() = Some(signature.to_bytes());
        Ok(original)
    }

    /// A stored document's signature and the original it copies, from the cache or its
    /// `document_merge` row (neither changes once written); `None` without a signature.
    fn signature_of(
        &mut self,
        document: i64,
    ) -> Result<Option<(MinHash, Option<i64>)>, StoreError> {
        if let Some(known) = self.cache.signatures.get(&document) {
            return Ok(Some(known.clone()));
        }
        let row: Option<(Option<Vec<u8>>, Option<i64>)> = self
            .tx
            .prepare_cached(
                "SELECT minhash, near_duplicate_of FROM document_merge WHERE document_id = ?1",
            )
            .and_then(|mut stmt| {
                stmt.query_row([document], |row| Ok((row.get(0)?, row.get(1)?)))
                    .optional()
            })
            .map_err(self.err("document_merge"))?;
        let Some((Some(bytes), original)) = row else {
            return Ok(None);
        };
        let Some(signature) = MinHash::from_bytes(&bytes) else {
            return Ok(None);
        };
        self.cache
            .remember_signature(document, signature.clone(), original);
        Ok(Some((signature, original)))
    }

    /// Writes the document's `document_merge` row: the outlet it counts as (its
    /// original's, else its outlet, its URL's host, or the document itself), its original
    /// and its signature. Returns the outlet key.
    fn outlet_key(&self, record: &Record, original: Option<i64>) -> Result<String, StoreError> {
        let inherited: Option<String> = match original {
            Some(id) => self
                .tx
                .prepare_cached("SELECT outlet_key FROM document_merge WHERE document_id = ?1")
                .and_then(|mut stmt| stmt.query_row([id], |row| row.get(0)))
                .optional()
                .map_err(self.err("documents"))?
                .flatten(),
            None => None,
        };
        let doc = &record.document;
        let key = inherited
            .or_else(|| {
                doc.outlet
                    .as_deref()
                    .map(similar::fold)
                    .filter(|o| !o.is_empty())
            })
            .or_else(|| doc.url.as_deref().and_then(url_host).map(str::to_owned))
            .unwrap_or_else(|| format!("document {}", self.doc_id));
        self.tx
            .prepare_cached(
                "INSERT INTO document_merge (document_id, outlet_key, near_duplicate_of, minhash)
                 VALUES (?1, ?2, ?3, ?4)",
            )
            .and_then(|mut stmt| {
                stmt.execute(params![
                    self.doc_id,
                    key,
                    original,
                    self.signature.borrow_mut().take()
                ])
            })
            .map_err(self.err("document_merge"))?;
        Ok(key)
    }

    /// A merged fact of `kind` the cache knows under one of `keys`, not yet joined by
    /// this document.
    fn cached(&self, kind: &'static str, keys: &[i64]) -> Option<i64> {
        keys.iter()
            .find_map(|&key| self.cache.get(kind, key))
            .filter(|id| !self.joined.contains(id))
    }

    /// Files `fact` under those of `keys` the cache does not know yet.
    fn learn(&mut self, kind: &'static str, fact: i64, keys: &[i64]) -> Result<(), StoreError> {
        let new: Vec<i64> = keys
            .iter()
            .copied()
            .filter(|&k| self.cache.get(kind, k).is_none())
            .collect();
        if !new.is_empty() {
            self.add_keys(fact, &new)?;
            self.cache.put(kind, &new, fact);
        }
        Ok(())
    }

    /// Merged facts of `kind` under any of `keys`, not yet joined by this document.
    /// The keys are looked up in the index alone first; each fact found is then read
    /// once, however many keys found it (a meeting searches ~45 keys, and most of its
    /// candidates sit under several of them).
    fn candidates(&self, kind: &str, keys: &[i64]) -> Result<Vec<Candidate>, StoreError> {
        let mut found: Vec<(i64, Vec<usize>)> = Vec::new();
        let mut found_one = |index: usize, id: i64| {
            if self.joined.contains(&id) {
                return;
            }
            match found.iter_mut().find(|(known, _)| *known == id) {
                Some((_, hits)) => hits.push(index),
                None => found.push((id, vec![index])),
            }
        };
        if let Some(copy) = &self.cache.keys {
            for (index, key) in keys.iter().enumerate() {
                let ids = copy.get(key).map(Vec::as_slice).unwrap_or_default();
                for &id in ids.iter().rev().take(KEY_FACTS) {
                    found_one(index, id);
                }
            }
        } else {
            let mut stmt = self
                .tx
                .prepare_cached(
                    "SELECT fact_id FROM fact_keys WHERE key = ?1
                     ORDER BY fact_id DESC LIMIT ?2",
                )
                .map_err(self.err("fact_keys"))?;
            for (index, key) in keys.iter().enumerate() {
                let rows = stmt
                    .query_map(params![key, KEY_FACTS as i64], |row| row.get::<_, i64>(0))
                    .map_err(self.err("fact_keys"))?;
                for row in rows {
                    found_one(index, row.map_err(self.err("fact_keys"))?);
                }
            }
        }
        let mut out = Vec::with_capacity(found.len());
        if let Some(rows) = &self.cache.rows {
            for (id, hits) in found {
                if let Some((row, story)) = rows.get(&id).filter(|(row, _)| row.kind == kind) {
                    out.push(Candidate {
                        id,
                        row: Arc::clone(row),
                        story: self.cache.current_story(*story),
                        hits,
                    });
                }
            }
            return Ok(out);
        }
        let mut stmt = self
            .tx
            .prepare_cached(&format!(
                "SELECT {FACT_ROW_COLUMNS} FROM facts f LEFT JOIN facts p ON p.id = f.place_fact
                 WHERE f.id = ?1 AND f.kind = ?2"
            ))
            .map_err(self.err("facts"))?;
        for (id, hits) in found {
            let found = stmt
                .query_row(params![id, kind], fact_row)
                .optional()
                .map_err(self.err("facts"))?;
            if let Some((_, (row, story))) = found {
                out.push(Candidate {
                    id,
                    row,
                    story,
                    hits,
                });
            }
        }
        Ok(out)
    }

    /// Starts a merged fact with its blocking keys.
    fn start(&mut self, fact: &NewFact<'_>, keys: &[i64]) -> Result<i64, StoreError> {
        self.tx
            .prepare_cached(&format!(
                "INSERT INTO facts (kind, label, subtype, country, date, place_fact, lat, lon,
                                    actor_fact, first_seen, last_seen)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, {NOW}, {NOW})"
            ))
            .and_then(|mut stmt| {
                stmt.execute(params![
                    fact.kind,
                    fact.label,
                    fact.subtype,
                    fact.country,
                    fact.date,
                    fact.place_fact,
                    fact.lat,
                    fact.lon,
                    fact.actor_fact
                ])
            })
            .map_err(self.err("facts"))?;
        let id = self.tx.last_insert_rowid();
        if let Some(rows) = &mut self.cache.rows {
            let place_kind = fact
                .place_fact
                .and_then(|p| rows.get(&p))
                .and_then(|(place, _)| place.subtype.clone());
            let row = FactRow {
                kind: fact.kind.to_owned(),
                label: fact.label.to_owned(),
                subtype: fact.subtype.map(str::to_owned),
                date: fact.date.map(str::to_owned),
                place_fact: fact.place_fact,
                lat: fact.lat,
                lon: fact.lon,
                place_kind,
                words: OnceLock::new(),
            };
            rows.insert(id, (Arc::new(row), None));
        }
        self.add_keys(id, keys)?;
        Ok(id)
    }

    fn add_keys(&mut self, fact: i64, keys: &[i64]) -> Result<(), StoreError> {
        let mut stmt = self
            .tx
            .prepare_cached("INSERT OR IGNORE INTO fact_keys (key, fact_id) VALUES (?1, ?2)")
            .map_err(self.err("fact_keys"))?;
        let path = self.path;
        let failed = |source| StoreError::Sql {
            path: path.to_owned(),
            table: "fact_keys",
            source,
        };
        for &key in keys {
            // With the key copy, a key the fact already has is not written again.
            if let Some(copy) = &mut self.cache.keys {
                let ids = copy.entry(key).or_default();
                if let Err(at) = ids.binary_search(&fact) {
                    stmt.execute(params![key, fact]).map_err(failed)?;
                    ids.insert(at, fact);
                }
            } else {
                stmt.execute(params![key, fact]).map_err(failed)?;
            }
        }
        Ok(())
    }

    /// Counts the document (and its outlet, once) for `fact`.
    fn join(&mut self, fact: i64) -> Result<(), StoreError> {
        self.joined.insert(fact);
        // A new outlet for the fact when no earlier member came from the same one.
        let known = match (&mut self.cache.outlets, self.outlet_number) {
            (Some(copy), Some(outlet)) => !copy.pairs.insert((fact, outlet)),
            _ => false,
        };
        let new_outlet = if known {
            0
        } else {
            self.tx
                .prepare_cached(
                    "INSERT OR IGNORE INTO fact_outlets (fact_id, outlet_key) VALUES (?1, ?2)",
                )
                .and_then(|mut stmt| stmt.execute(params![fact, self.outlet]))
                .map_err(self.err("fact_outlets"))?
        };
        let counts = self.cache.counts.entry(fact).or_default();
        counts.0 += 1;
        counts.1 += new_outlet as i64;
        Ok(())
    }

    /// Joins the best candidate (`score` > 0) or starts a fact; returns the fact.
    fn join_or_start(
        &mut self,
        member: Member<'_>,
        candidates: Vec<Candidate>,
        score: impl Fn(&Candidate) -> u32,
    ) -> Result<i64, StoreError> {
        let best = candidates
            .into_iter()
            .map(|c| (score(&c), c))
            .filter(|(s, _)| *s > 0)
            .max_by_key(|(s, c)| (*s, -c.id));
        let id = match best {
            Some((_, c)) => {
                if member.story_making {
                    if let Some(story) = c.story {
                        self.stories.push(story);
                    }
                }
                if member.grow_keys {
                    self.add_keys(c.id, member.keys)?;
                }
                c.id
            }
            None => self.start(&member.fact, member.keys)?,
        };
        if member.story_making {
            self.story_facts.push(id);
        }
        self.join(id)?;
        Ok(id)
    }

    /// Merges the record's places; returns record id → merged fact id.
    fn places<'r>(&mut self, record: &'r Record) -> Result<HashMap<&'r str, i64>, StoreError> {
        let mut out = HashMap::new();
        for place in &record.places {
            let country = place.country.as_deref().unwrap_or("-");
            let mut keys = vec![similar::key(&format!(
                "place|{}|{country}",
                similar::fold(&place.name)
            ))];
            if let Some(geo) = place.geonames_id {
                keys.insert(0, similar::key(&format!("geonames|{geo}")));
            }
            // The GeoNames id decides when both have one; else the name and country.
            if let Some(id) = self.cached("place", &keys) {
                self.learn("place", id, &keys)?;
                self.join(id)?;
                out.insert(place.id.as_str(), id);
                continue;
            }
            let candidates = self.candidates("place", &keys)?;
            let fact = NewFact {
                kind: "place",
                label: &place.name,
                subtype: Some(&place.kind),
                country: place.country.as_deref(),
                lat: place.lat,
                lon: place.lon,
                ..NewFact::default()
            };
            let member = Member {
                fact,
                keys: &keys,
                story_making: false,
                grow_keys: false,
            };
            let id = self.join_or_start(member, candidates, |_| 1)?;
            self.cache.put("place", &keys, id);
            out.insert(place.id.as_str(), id);
        }
        Ok(out)
    }

    /// Merges the record's named entities; returns record id → merged fact id.
    fn entities<'r>(&mut self, record: &'r Record) -> Result<HashMap<&'r str, i64>, StoreError> {
        let mut out = HashMap::new();
        for entity in record.entities.iter().filter(|e| e.named) {
            let kind = match entity.kind {
                EntityKind::Person => "person",
                EntityKind::Organisation => "organisation",
                EntityKind::Country => "country",
                EntityKind::Group => "group",
            };
            let folded = similar::fold(&entity.name);
            if folded.is_empty() {
                continue;
            }
            let words: Vec<&str> = folded.split(' ').collect();
            let person = kind == "person";
            let mut keys = vec![similar::key(&format!("name|{kind}|{folded}"))];
            if let Some(kb) = &entity.kb_id {
                keys.push(similar::key(&format!("kb|{kb}")));
            }
            // A full name also answers to its surname alone, for documents that give
            // only that.
            let surname = (person && words.len() > 1)
                .then(|| similar::key(&format!("surname|{}", words[words.len() - 1])));
            if let Some(id) = self.cached(kind, &keys) {
                self.learn(kind, id, &keys)?;
                self.join(id)?;
                out.insert(entity.id.as_str(), id);
                continue;
            }
            let mut candidates = self.candidates(kind, &keys)?;
            // A lone surname that joins someone is not filed under that person: another
            // person of the same surname may come later.
            let mut via_surname = false;
            if candidates.is_empty() && person && words.len() == 1 {
                let by_surname =
                    self.candidates(kind, &[similar::key(&format!("surname|{}", words[0]))])?;
                if by_surname.len() == 1 {
                    candidates = by_surname;
                    via_surname = true;
                }
            }
            let exact = keys.len();
            keys.extend(surname);
            let country = entity
                .affiliation
                .as_ref()
                .and_then(|a| a.country.as_deref());
            let fact = NewFact {
                kind,
                label: &entity.name,
                country,
                ..NewFact::default()
            };
            let member = Member {
                fact,
                keys: &keys,
                story_making: false,
                grow_keys: !via_surname,
            };
            let id = self.join_or_start(member, candidates, |_| 1)?;
            // The exact keys only: a lone surname is checked against the store each time.
            if !via_surname {
                self.cache.put(kind, &keys[..exact], id);
            }
            out.insert(entity.id.as_str(), id);
        }
        Ok(out)
    }

    fn events(
        &mut self,
        record: &Record,
        places: &HashMap<&str, i64>,
        entities: &HashMap<&str, i64>,
        published: Option<&str>,
    ) -> Result<Vec<i64>, StoreError> {
        let mut ids = Vec::new();
        for event in &record.events {
            let (place, place_fact) = place_with_fact(record, places, event.place.as_deref());
            let country = place.and_then(|p| p.country.as_deref()).unwrap_or("-");
            let day = event.date.as_deref().and_then(day_of).or(published);
            let broad = place.is_none_or(|p| p.kind == "country");
            let here = place
                .filter(|_| !broad)
                .and_then(|p| Some((p.lat?, p.lon?)));
            let keys = EventKeys {
                country,
                place: place_fact.filter(|_| !broad),
                cell: here.map(grid_cell),
            };
            // Without a day, or with neither a town nor a country, two reports cannot
            // be told to be one attack: such a report stays a fact of its own.
            let comparable = day.is_some() && !(broad && country == "-");
            let (own, candidates) = match day.filter(|_| comparable) {
                Some(day) => {
                    let search: Vec<i64> = days_around(day, 1, 1)
                        .iter()
                        .flat_map(|d| keys.search(d, broad))
                        .collect();
                    (keys.own(day, broad), self.candidates("event", &search)?)
                }
                None => (Vec::new(), Vec::new()),
            };
            let score = |c: &Candidate| -> u32 {
                let c = &c.row;
                if c.subtype.as_deref() != Some(event.plover_type.as_str()) {
                    return 0;
                }
                let their_broad = c.place_kind.as_deref().is_none_or(|k| k == "country");
                let mut score = if place_fact.is_some() && c.place_fact == place_fact {
                    4
                } else if let (Some(a), (Some(lat), Some(lon))) = (here, (c.lat, c.lon)) {
                    if distance_km(a, (lat, lon)) <= SAME_SITE_KM {
                        3
                    } else if broad {
                        1
                    } else {
                        0
                    }
                } else if broad || their_broad {
                    1
                } else {
                    0
                };
                if score > 0 && c.date.as_deref() == day {
                    score += 1;
                }
                score
            };
            let what = match event.mode.as_deref() {
                None => "attack".to_owned(),
                Some(m)
                    if [
                        "strike",
                        "attack",
                        "shelling",
                        "bombardment",
                        "fighting",
                        "clash",
                    ]
                    .iter()
                    .any(|w| m.ends_with(w)) =>
                {
                    m.to_owned()
                }
                Some(m) => format!("{m} strike"),
            };
            let label = match place {
                Some(p) => format!("{what} in {}", p.name),
                None => what,
            };
            let actor = event
                .actor
                .as_ref()
                .and_then(|a| a.entity.as_deref())
                .and_then(|id| entities.get(id).copied());
            let fact = NewFact {
                kind: "event",
                label: &label,
                subtype: Some(&event.plover_type),
                country: place.and_then(|p| p.country.as_deref()),
                date: day,
                place_fact,
                lat: here.map(|h| h.0),
                lon: here.map(|h| h.1),
                actor_fact: actor,
            };
            let member = Member {
                fact,
                keys: &own,
                story_making: true,
                grow_keys: true,
            };
            ids.push(self.join_or_start(member, candidates, score)?);
        }
        Ok(ids)
    }

    fn meetings(
        &mut self,
        record: &Record,
        places: &HashMap<&str, i64>,
        entities: &HashMap<&str, i64>,
        published: Option<&str>,
    ) -> Result<Vec<i64>, StoreError> {
        let mut ids = Vec::new();
        for meeting in &record.meetings {
            let (venue, venue_fact) = place_with_fact(record, places, meeting.venue.as_deref());
            let day = meeting.date.as_deref().and_then(day_of).or(published);
            // Participants as merged entities (`f12`) and countries; a meeting is filed
            // under its venue and each participant, by day.
            let sides = participants(record, &meeting.participants, entities);
            let mut sides: Vec<String> = sides.into_iter().collect();
            sides.sort();
            sides.truncate(8);
            let keys_on = |d: &str| -> Vec<i64> {
                let mut keys: Vec<i64> = sides
                    .iter()
                    .map(|p| similar::key(&format!("meeting|with|{p}|{d}")))
                    .collect();
                if let Some(v) = venue_fact {
                    keys.push(similar::key(&format!("meeting|venue|{v}|{d}")));
                }
                keys
            };
            // Without a day a meeting cannot be told apart from another round of the
            // same talks: it stays a fact of its own.
            let own = day.map(&keys_on).unwrap_or_default();
            let days = match day {
                Some(d) => days_around(d, 2, 2),
                None => Vec::new(),
            };
            // Which participant each search key stands for (None: the venue).
            let mut search = Vec::new();
            let mut stands_for = Vec::new();
            for d in &days {
                for (i, key) in keys_on(d).into_iter().enumerate() {
                    search.push(key);
                    stands_for.push((i < sides.len()).then_some(i));
                }
            }
            let candidates = self.candidates("meeting", &search)?;
            let mut scored = Vec::with_capacity(candidates.len());
            for c in candidates {
                let mut shared: Vec<usize> = c.hits.iter().filter_map(|&k| stands_for[k]).collect();
                shared.sort_unstable();
                shared.dedup();
                let shared = shared.len() as u32;
                let venue_score = match (venue_fact, c.row.place_fact) {
                    (Some(a), Some(b)) if a == b => 3,
                    (Some(_), Some(_)) => 0,
                    (None, None) => u32::from(shared > 0),
                    _ => 1,
                };
                // One venue is enough; otherwise someone must take part in both.
                let sides_ok = venue_score == 3 || shared > 0 || sides.is_empty();
                let score = if venue_score > 0 && sides_ok {
                    venue_score + shared + u32::from(c.row.date.as_deref() == day)
                } else {
                    0
                };
                scored.push((score, c));
            }
            let label = match venue {
                Some(v) => format!("talks in {}", v.name),
                None => "talks".to_owned(),
            };
            let fact = NewFact {
                kind: "meeting",
                label: &label,
                subtype: Some(&meeting.plover_type),
                country: venue.and_then(|v| v.country.as_deref()),
                date: day,
                place_fact: venue_fact,
                lat: venue.and_then(|v| v.lat),
                lon: venue.and_then(|v| v.lon),
                ..NewFact::default()
            };
            let scores: HashMap<i64, u32> = scored.iter().map(|(s, c)| (c.id, *s)).collect();
            let candidates = scored.into_iter().map(|(_, c)| c).collect();
            let member = Member {
                fact,
                keys: &own,
                story_making: true,
                grow_keys: true,
            };
            let id = self.join_or_start(member, candidates, |c| {
                scores.get(&c.id).copied().unwrap_or(0)
            })?;
            self.add_participants(id, &sides)?;
            ids.push(id);
        }
        Ok(ids)
    }

    fn add_participants(&self, fact: i64, sides: &[String]) -> Result<(), StoreError> {
        let mut stmt = self
            .tx
            .prepare_cached(
                "INSERT OR IGNORE INTO fact_participants (fact_id, participant) VALUES (?1, ?2)",
            )
            .map_err(self.err("fact_participants"))?;
        for side in sides {
            stmt.execute(params![fact, side])
                .map_err(self.err("fact_participants"))?;
        }
        Ok(())
    }

    fn quotes(
        &mut self,
        record: &Record,
        prepared: &Prepared,
        entities: &HashMap<&str, i64>,
        published: Option<&str>,
    ) -> Result<Vec<i64>, StoreError> {
        let mut ids = Vec::new();
        for (quote, keys) in record.quotes.iter().zip(&prepared.quote_keys) {
            let search = &keys;
            let words = WordSet::of(&quote.text);
            let candidates = self.candidates("quote", search)?;
            let score = |c: &Candidate| {
                let (jaccard, contained) = similar::overlap(&words, c.row.words());
                let short = words.len().min(c.row.label.split_whitespace().count());
                u32::from(jaccard >= 0.6 || (contained >= 0.8 && short >= 4))
            };
            let speaker = quote
                .speaker
                .as_deref()
                .and_then(|id| entities.get(id).copied());
            let country = quote
                .speaker
                .as_deref()
                .and_then(|id| record.entities.iter().find(|e| e.id == id))
                .and_then(|e| e.affiliation.as_ref())
                .and_then(|a| a.country.as_deref());
            let fact = NewFact {
                kind: "quote",
                label: &quote.text,
                country,
                date: published,
                actor_fact: speaker,
                ..NewFact::default()
            };
            let member = Member {
                fact,
                keys,
                story_making: true,
                grow_keys: false,
            };
            ids.push(self.join_or_start(member, candidates, score)?);
        }
        Ok(ids)
    }

    fn claims(
        &mut self,
        record: &Record,
        entities: &HashMap<&str, i64>,
        published: Option<&str>,
    ) -> Result<Vec<i64>, StoreError> {
        let mut ids = Vec::new();
        for claim in &record.claims {
            let source = claim
                .source
                .as_deref()
                .and_then(|id| entities.get(id).copied());
            let who = source.map_or_else(|| "-".to_owned(), |s| s.to_string());
            let key_of = |d: &str| similar::key(&format!("claim|{who}|{d}"));
            // An undated claim is compared with nothing.
            let own: Vec<i64> = published.map(key_of).into_iter().collect();
            let search: Vec<i64> = match published {
                Some(d) => days_around(d, 3, 3).iter().map(|d| key_of(d)).collect(),
                None => Vec::new(),
            };
            let words = WordSet::of(&claim.gist);
            let candidates = self.candidates("claim", &search)?;
            let score = |c: &Candidate| {
                let (jaccard, contained) = similar::overlap(&words, c.row.words());
                u32::from(jaccard >= 0.35 || contained >= 0.6)
            };
            let fact = NewFact {
                kind: "claim",
                label: &claim.gist,
                subtype: Some(&claim.kind),
                date: published,
                actor_fact: source,
                ..NewFact::default()
            };
            let member = Member {
                fact,
                keys: &own,
                story_making: true,
                grow_keys: false,
            };
            ids.push(self.join_or_start(member, candidates, score)?);
        }
        Ok(ids)
    }

    /// Puts the document, and the story-making facts it joined or started, into one
    /// story: the one they already share, the union of several, or a new one.
    fn story(
        &mut self,
        record: &Record,
        original: Option<i64>,
        published: Option<&str>,
    ) -> Result<(), StoreError> {
        if let Some(original) = original {
            let theirs: Option<i64> = self
                .tx
                .prepare_cached("SELECT story_id FROM document_merge WHERE document_id = ?1")
                .and_then(|mut stmt| stmt.query_row([original], |row| row.get(0)))
                .map_err(self.err("documents"))?;
            self.stories.extend(theirs);
        }
        self.stories.sort_unstable();
        self.stories.dedup();
        let story = match self.stories.first() {
            Some(&first) => first,
            None => {
                self.tx
                    .prepare_cached(&format!(
                        "INSERT INTO stories (title, first_published, last_published, created)
                         VALUES (?1, ?2, ?2, {NOW})"
                    ))
                    .and_then(|mut stmt| stmt.execute(params![record.document.title, published]))
                    .map_err(self.err("stories"))?;
                self.tx.last_insert_rowid()
            }
        };
        // Stories this document bridges become one: the oldest keeps its id.
        for &other in &self.stories[self.stories.len().min(1)..] {
            if self.cache.rows.is_some() {
                self.cache.merged_stories.insert(other, story);
            }
            for sql in [
                "UPDATE document_merge SET story_id = ?1 WHERE story_id = ?2",
                "UPDATE facts SET story_id = ?1 WHERE story_id = ?2",
                "UPDATE stories SET
                    documents = documents + (SELECT documents FROM stories WHERE id = ?2),
                    first_published = nullif(min(ifnull(first_published, '~'),
                        ifnull((SELECT first_published FROM stories WHERE id = ?2), '~')), '~'),
                    last_published = nullif(max(ifnull(last_published, ''),
                        ifnull((SELECT last_published FROM stories WHERE id = ?2), '')), '')
                 WHERE id = ?1",
                "DELETE FROM stories WHERE id = ?2",
            ] {
                self.tx
                    .prepare_cached(sql)
                    .and_then(|mut stmt| stmt.execute(params![story, other]))
                    .map_err(self.err("stories"))?;
            }
        }
        self.tx
            .prepare_cached(
                "UPDATE stories SET documents = documents + 1,
                    first_published = CASE WHEN ?2 IS NULL THEN first_published
                        ELSE min(ifnull(first_published, ?2), ?2) END,
                    last_published = CASE WHEN ?2 IS NULL THEN last_published
                        ELSE max(ifnull(last_published, ?2), ?2) END
                 WHERE id = ?1",
            )
            .and_then(|mut stmt| stmt.execute(params![story, published]))
            .map_err(self.err("stories"))?;
        self.tx
            .prepare_cached("UPDATE document_merge SET story_id = ?2 WHERE document_id = ?1")
            .and_then(|mut stmt| stmt.execute(params![self.doc_id, story]))
            .map_err(self.err("document_merge"))?;
        let mut stmt = self
            .tx
            .prepare_cached("UPDATE facts SET story_id = ?2 WHERE id = ?1 AND story_id IS NULL")
            .map_err(self.err("facts"))?;
        for fact in &self.story_facts {
            // The copy of the row knows whether the fact has a story already.
            if let Some((_, its)) = self.cache.rows.as_mut().and_then(|rows| rows.get_mut(fact)) {
                if its.is_some() {
                    continue;
                }
                *its = Some(story);
            }
            stmt.execute(params![fact, story])
                .map_err(self.err("facts"))?;
        }
        Ok(())
    }
}

/// The blocking keys of an attack. Every attack is filed under its country and day; a
/// town-level one also under its place and its grid cell, a country-level (or placeless)
/// one under "broad". A town-level report looks for its place, the cells around it and
/// the broad reports of its country; a broad report looks at the whole country.
struct EventKeys<'a> {
    country: &'a str,
    place: Option<i64>,
    cell: Option<(i64, i64)>,
}

impl EventKeys<'_> {
    fn own(&self, day: &str, broad: bool) -> Vec<i64> {
        let c = self.country;
        let mut keys = vec![similar::key(&format!("event|country|{c}|{day}"))];
        if broad {
            keys.push(similar::key(&format!("event|broad|{c}|{day}")));
        }
        if let Some(place) = self.place {
            keys.push(similar::key(&format!("event|place|{place}|{day}")));
        }
        if let Some((x, y)) = self.cell {
            keys.push(similar::key(&format!("event|cell|{x}|{y}|{day}")));
        }
        keys
    }

    fn search(&self, day: &str, broad: bool) -> Vec<i64> {
        let c = self.country;
        if broad || (self.place.is_none() && self.cell.is_none()) {
            return vec![similar::key(&format!("event|country|{c}|{day}"))];
        }
        let mut keys = vec![similar::key(&format!("event|broad|{c}|{day}"))];
        if let Some(place) = self.place {
            keys.push(similar::key(&format!("event|place|{place}|{day}")));
        }
        if let Some((x, y)) = self.cell {
            for dx in -1..=1 {
                for dy in -1..=1 {
                    let (cx, cy) = (x + dx, y + dy);
                    keys.push(similar::key(&format!("event|cell|{cx}|{cy}|{day}")));
                }
            }
        }
        keys
    }
}

/// The half-degree cell of a point: places within [`SAME_SITE_KM`] of each other are in
/// the same or neighbouring cells (half a degree is at least 55 km north–south, and
/// east–west up to 70° of latitude).
fn grid_cell((lat, lon): (f64, f64)) -> (i64, i64) {
    ((lat * 2.0).floor() as i64, (lon * 2.0).floor() as i64)
}

/// The record's place with this id, and the merged fact it joined.
fn place_with_fact<'r>(
    record: &'r Record,
    places: &HashMap<&str, i64>,
    id: Option<&str>,
) -> (Option<&'r Place>, Option<i64>) {
    let Some(id) = id else {
        return (None, None);
    };
    (
        record.places.iter().find(|p| p.id == id),
        places.get(id).copied(),
    )
}

/// A meeting's participants as merged-entity ids (`f12`) and country codes.
fn participants(
    record: &Record,
    listed: &[String],
    entities: &HashMap<&str, i64>,
) -> HashSet<String> {
    let mut out = HashSet::new();
    for p in listed {
        match entities.get(p.as_str()) {
            Some(fact) => {
                out.insert(format!("f{fact}"));
                if let Some(country) = record
                    .entities
                    .iter()
                    .find(|e| &e.id == p)
                    .and_then(|e| e.affiliation.as_ref())
                    .and_then(|a| a.country.as_deref())
                {
                    out.insert(country.to_owned());
                }
            }
            None if p.len() == 2 && p.bytes().all(|b| b.is_ascii_uppercase()) => {
                out.insert(p.clone());
            }
            None => {}
        }
    }
    out
}

/// The host of an `http(s)://` URL, without a leading `www.`.
fn url_host(url: &str) -> Option<&str> {
    let rest = url.split_once("://")?.1;
    let host = rest.split(['/', '?', '#']).next()?;
    let host = host.rsplit('@').next()?.split(':').next()?;
    (!host.is_empty()).then(|| host.strip_prefix("www.").unwrap_or(host))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{FactKind, Filter, SqliteStore, Store};
    use sitrep_core::record::{Claim, Document, Entity, Event, Place, Quantity};

    /// A record of one attack at `place` (a city with coordinates, or a country).
    fn attack(
        text: &str,
        outlet: &str,
        place: (&str, &str, Option<(f64, f64)>),
        day: &str,
    ) -> Record {
        let mut record = Record::new(Document {
            id: sitrep_core::document_id(text),
            source: format!("{outlet}.txt"),
            outlet: Some(outlet.to_owned()),
            published: Some(day.to_owned()),
            language: "en".to_owned(),
            text: text.to_owned(),
            ..Document::default()
        });
        let (name, kind, coords) = place;
        record.places.push(Place {
            id: "p1".to_owned(),
            name: name.to_owned(),
            country: Some("UA".to_owned()),
            kind: kind.to_owned(),
            geonames_id: None,
            lat: coords.map(|c| c.0),
            lon: coords.map(|c| c.1),
            confidence: 0.9,
            alternates: Vec::new(),
            mentions: Vec::new(),
        });
        record.events.push(Event {
            id: "v1".to_owned(),
            plover_type: "ASSAULT".to_owned(),
            mode: Some("drone".to_owned()),
            place: Some("p1".to_owned()),
            date: Some(day.to_owned()),
            actor: None,
            target: None,
            site: None,
            killed: Some(Quantity {
                min: Some(3),
                max: Some(3),
                text: "three".to_owned(),
            }),
            wounded: None,
            confidence: 0.8,
            evidence: Vec::new(),
        });
        record
    }

    fn person(record: &mut Record, name: &str) {
        record.entities.push(Entity {
            id: format!("e{}", record.entities.len() + 1),
            kind: EntityKind::Person,
            name: name.to_owned(),
            titles: Vec::new(),
            affiliation: None,
            kb_id: None,
            named: true,
            description: None,
            count: None,
            mentions: Vec::new(),
        });
    }

    fn merged(store: &SqliteStore, kind: FactKind) -> Vec<(String, u32)> {
        let filter = Filter {
            limit: 100,
            ..Filter::default()
        };
        let page = store.facts(kind, &filter).unwrap();
        page.results
            .into_iter()
            .map(|f| (f.label, f.outlets))
            .collect()
    }

    const SUMY: (&str, &str, Option<(f64, f64)>) = ("Sumy", "city", Some((50.91, 34.80)));
    const LVIV: (&str, &str, Option<(f64, f64)>) = ("Lviv", "city", Some((49.84, 24.03)));
    const UKRAINE: (&str, &str, Option<(f64, f64)>) = ("Ukraine", "country", Some((49.0, 32.0)));

    #[test]
    fn one_attack_told_at_its_city_and_at_its_country_is_one_fact() {
        let mut store = SqliteStore::open_in_memory().unwrap();
        let records = [
            attack("Drones hit Sumy overnight.", "A", SUMY, "2025-03-03"),
            attack("Drones hit a city in Ukraine.", "B", UKRAINE, "2025-03-03"),
            // A day later and a city 600 km away: other attacks.
            attack("Drones hit Sumy again.", "C", SUMY, "2025-03-05"),
            attack("Drones hit Lviv overnight.", "D", LVIV, "2025-03-03"),
        ];
        store.put_batch(&records, &[]).unwrap();
        let mut events = merged(&store, FactKind::Events);
        events.sort();
        assert_eq!(
            events,
            [
                ("drone strike in Lviv".to_owned(), 1),
                ("drone strike in Sumy".to_owned(), 1),
                ("drone strike in Sumy".to_owned(), 2),
            ]
        );
    }

    #[test]
    fn a_lone_surname_joins_the_one_person_who_carries_it() {
        let mut store = SqliteStore::open_in_memory().unwrap();
        let mut first = attack(
            "Ivan Fedorov said drones hit Sumy.",
            "A",
            SUMY,
            "2025-03-03",
        );
        person(&mut first, "Ivan Fedorov");
        let mut second = attack("Fedorov said the drones hit Sumy.", "B", SUMY, "2025-03-03");
        person(&mut second, "Fedorov");
        store.put_batch(&[first, second], &[]).unwrap();
        assert_eq!(
            merged(&store, FactKind::People),
            [("Ivan Fedorov".to_owned(), 2)]
        );
        // With two people of that surname the lone one stays apart.
        let mut third = attack("Oleh Fedorov visited Lviv.", "C", LVIV, "2025-04-01");
        person(&mut third, "Oleh Fedorov");
        let mut fourth = attack("Fedorov visited Lviv.", "D", LVIV, "2025-04-01");
        person(&mut fourth, "Fedorov");
        store.put_batch(&[third, fourth], &[]).unwrap();
        assert_eq!(merged(&store, FactKind::People).len(), 3);
    }

    /// 96 attacks over three cities, four days and six outlets, each with one of a few
    /// people: many merge, many do not.
    fn stream() -> Vec<Record> {
        let cities = [SUMY, LVIV, ("Kharkiv", "city", Some((49.99, 36.23)))];
        let people = [
            "Ivan Fedorov",
            "Fedorov",
            "Oleh Syniehubov",
            "Andriy Sadovyi",
        ];
        (0..96)
            .map(|i| {
                let city = cities[i % 3];
                let day = format!("2025-03-{:02}", 3 + (i / 3) % 4 * 2);
                let text = format!("Report {i}: drones hit {} on {day}.", city.0);
                let mut record = attack(&text, &format!("outlet {}", i % 6), city, &day);
                person(&mut record, people[i % 4]);
                // An unsourced claim told about each city in turn ties their stories
                // into one.
                if i % 5 == 0 {
                    record.claims.push(Claim {
                        id: "c1".to_owned(),
                        source: None,
                        gist: format!("the drones were launched from the north ({})", i % 2),
                        kind: "claim".to_owned(),
                        confidence: 0.7,
                        evidence: Vec::new(),
                        reactions: Vec::new(),
                    });
                }
                record
            })
            .collect()
    }

    /// Every merged fact's id, story and counts, and every story's size.
    fn fact_rows(store: &SqliteStore) -> Vec<(i64, Option<i64>, i64, i64)> {
        let conn = store.connection();
        let mut stmt = conn
            .prepare(
                "SELECT id, story_id, outlets, documents FROM facts
                 UNION ALL SELECT -id, NULL, documents, 0 FROM stories ORDER BY 1",
            )
            .unwrap();
        let rows = stmt
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
            .unwrap();
        rows.map(Result::unwrap).collect()
    }

    fn all_merged(store: &SqliteStore) -> Vec<(String, u32)> {
        let mut facts = merged(store, FactKind::Events);
        facts.extend(merged(store, FactKind::People));
        facts.sort();
        facts
    }

    #[test]
    fn bulk_batches_merge_as_one_record_at_a_time_does() {
        // Batches of 64 and more read the keys, facts and outlets from in-memory copies
        // of their tables; batches of 48 and of one read the tables.
        let records = stream();
        let mut bulk = SqliteStore::open_in_memory().unwrap();
        for chunk in records.chunks(48) {
            bulk.put_batch(chunk, &[]).unwrap();
        }
        assert!(bulk.cache.keys.is_none(), "48 is under the bulk size");
        let mut bulk_copy = SqliteStore::open_in_memory().unwrap();
        bulk_copy.put_batch(&records[..64], &[]).unwrap();
        assert!(bulk_copy.cache.keys.is_some(), "64 loads the copy");
        bulk_copy.put_batch(&records[64..], &[]).unwrap();
        let mut one_by_one = SqliteStore::open_in_memory().unwrap();
        for record in &records {
            one_by_one
                .put_batch(std::slice::from_ref(record), &[])
                .unwrap();
        }
        let expected = all_merged(&one_by_one);
        assert!(expected.iter().any(|(_, outlets)| *outlets > 1));
        assert_eq!(all_merged(&bulk), expected);
        assert_eq!(all_merged(&bulk_copy), expected);
        // The copies of `facts` and `fact_outlets` decide stories and counts as the
        // tables do, stories merged by the claims included.
        let rows = fact_rows(&one_by_one);
        let stories = rows.iter().filter(|r| r.0 < 0).count();
        assert!((1..3).contains(&stories), "{stories} stories");
        assert_eq!(fact_rows(&bulk_copy), rows);
        assert_eq!(fact_rows(&bulk), rows);
    }

    #[test]
    fn another_writer_makes_the_key_copy_be_read_again() {
        let path = std::env::temp_dir().join(format!(
            "sitrep-store-test-key-copy-{}.db",
            std::process::id()
        ));
        let records = stream();
        let mut first = SqliteStore::open(&path).unwrap();
        first.put_batch(&records[..64], &[]).unwrap();
        // Another connection starts an attack in a city the stream never names.
        let odesa = ("Odesa", "city", Some((46.48, 30.72)));
        let mut second = SqliteStore::open(&path).unwrap();
        let theirs = attack("Drones hit Odesa.", "outlet x", odesa, "2025-03-03");
        second.put_batch(&[theirs], &[]).unwrap();
        drop(second);
        // The first store's next batch joins that attack instead of starting another.
        let mut batch = records[64..].to_vec();
        batch.push(attack(
            "Odesa was hit by drones.",
            "outlet y",
            odesa,
            "2025-03-03",
        ));
        first.put_batch(&batch, &[]).unwrap();
        let odesa_attacks: Vec<(String, u32)> = merged(&first, FactKind::Events)
            .into_iter()
            .filter(|(label, _)| label.contains("Odesa"))
            .collect();
        assert_eq!(odesa_attacks, [("drone strike in Odesa".to_owned(), 2)]);
        drop(first);
        for suffix in ["", "-wal", "-shm"] {
            let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
        }
    }

    #[test]
    fn days_around_cross_month_ends() {
        assert_eq!(
            days_around("2025-03-01", 1, 1),
            ["2025-02-28", "2025-03-01", "2025-03-02"]
        );
        assert_eq!(day_of("2025-05-13T08:00:00Z"), Some("2025-05-13"));
        assert_eq!(day_of("2025-13-40"), None);
    }

    #[test]
    fn hosts_are_read_from_urls() {
        assert_eq!(
            url_host("https://www.news.example/a/b?c"),
            Some("news.example")
        );
        assert_eq!(
            url_host("http://user@wire.example:8080/x"),
            Some("wire.example")
        );
        assert_eq!(url_host("not a url"), None);
    }

    #[test]
    fn distances_are_in_kilometres() {
        // Kyiv to Kharkiv is about 410 km.
        let d = distance_km((50.45, 30.52), (49.99, 36.23));
        assert!((400.0..420.0).contains(&d), "{d}");
    }
}
