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

use std::collections::{HashMap, HashSet};

use jiff::civil::Date;
use rusqlite::{params, OptionalExtension, Transaction};
use sitrep_core::Record;

use crate::similar::{self, MinHash};
use crate::sqlite::NOW;
use crate::StoreError;

/// Near-duplicates: estimated Jaccard of word 5-shingles at or above this.
const NEAR_DUPLICATE: f64 = 0.8;
/// Two places this close (in km) are one site for an attack or a meeting.
const SAME_SITE_KM: f64 = 30.0;

/// Row ids of what one record wrote, by record id or in record order.
#[derive(Debug, Default)]
pub(crate) struct Inserted<'r> {
    pub entities: HashMap<&'r str, i64>,
    pub places: HashMap<&'r str, i64>,
    pub quotes: Vec<i64>,
    pub meetings: Vec<i64>,
    pub claims: Vec<i64>,
    pub events: Vec<i64>,
}

/// A merged fact found under a blocking key, with what the checks compare.
#[derive(Debug)]
struct Candidate {
    id: i64,
    label: String,
    subtype: Option<String>,
    date: Option<String>,
    place_fact: Option<i64>,
    lat: Option<f64>,
    lon: Option<f64>,
    /// The kind of its place (`city`, `country`, …), when it has one.
    place_kind: Option<String>,
    story: Option<i64>,
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

/// Merges one stored document (`doc_id`, written from `record` with the row ids in
/// `rows`) into the facts and stories already stored.
pub(crate) fn merge_document(
    tx: &Transaction<'_>,
    path: &str,
    doc_id: i64,
    record: &Record,
    rows: &Inserted<'_>,
) -> Result<(), StoreError> {
    let mut merger = Merger {
        tx,
        path,
        doc_id,
        joined: HashSet::new(),
        stories: Vec::new(),
        story_facts: Vec::new(),
    };
    let original = merger.near_duplicates(record)?;
    merger.outlet_key(record, original)?;
    let places = merger.places(record, rows)?;
    let entities = merger.entities(record, rows)?;
    let published = record
        .document
        .published
        .as_deref()
        .and_then(day_of)
        .map(str::to_owned);
    merger.events(record, rows, &places, &entities, published.as_deref())?;
    merger.meetings(record, rows, &places, &entities, published.as_deref())?;
    merger.quotes(record, rows, &entities, published.as_deref())?;
    merger.claims(record, rows, &entities, published.as_deref())?;
    merger.story(record, original, published.as_deref())
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
    fn near_duplicates(&self, record: &Record) -> Result<Option<i64>, StoreError> {
        let Some(signature) = MinHash::of(&record.document.text) else {
            return Ok(None);
        };
        let bands = signature.bands();
        let mut seen = HashSet::new();
        let mut best: Option<(f64, i64)> = None;
        {
            let mut find = self
                .tx
                .prepare_cached(
                    "SELECT b.document_id, d.minhash, d.near_duplicate_of
                     FROM document_bands b JOIN documents d ON d.id = b.document_id
                     WHERE b.band = ?1",
                )
                .map_err(self.err("document_bands"))?;
            for band in &bands {
                let rows = find
                    .query_map([band], |row| {
                        Ok((
                            row.get::<_, i64>(0)?,
                            row.get::<_, Option<Vec<u8>>>(1)?,
                            row.get::<_, Option<i64>>(2)?,
                        ))
                    })
                    .map_err(self.err("document_bands"))?;
                for row in rows {
                    let (other, bytes, its_original) = row.map_err(self.err("document_bands"))?;
                    if other == self.doc_id || !seen.insert(other) {
                        continue;
                    }
                    let Some(theirs) = bytes.as_deref().and_then(MinHash::from_bytes) else {
                        continue;
                    };
                    let score = signature.similarity(&theirs);
                    let root = its_original.unwrap_or(other);
                    if score >= NEAR_DUPLICATE && best.is_none_or(|(s, _)| score > s) {
                        best = Some((score, root));
                    }
                }
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
        self.tx
            .prepare_cached(
                "UPDATE documents SET minhash = ?2, near_duplicate_of = ?3 WHERE id = ?1",
            )
            .and_then(|mut stmt| stmt.execute(params![self.doc_id, signature.to_bytes(), original]))
            .map_err(self.err("documents"))?;
        Ok(original)
    }

    /// Sets the outlet the document counts as: its original's, else its outlet, its
    /// URL's host, or the document itself.
    fn outlet_key(&self, record: &Record, original: Option<i64>) -> Result<(), StoreError> {
        let inherited: Option<String> = match original {
            Some(id) => self
                .tx
                .prepare_cached("SELECT outlet_key FROM documents WHERE id = ?1")
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
            .prepare_cached("UPDATE documents SET outlet_key = ?2 WHERE id = ?1")
            .and_then(|mut stmt| stmt.execute(params![self.doc_id, key]))
            .map_err(self.err("documents"))?;
        Ok(())
    }

    /// Merged facts of `kind` under any of `keys`, not yet joined by this document.
    fn candidates(&self, kind: &str, keys: &[i64]) -> Result<Vec<Candidate>, StoreError> {
        let mut stmt = self
            .tx
            .prepare_cached(
                "SELECT f.id, f.label, f.subtype, f.date, f.place_fact, f.lat, f.lon,
                        f.story_id, p.subtype
                 FROM fact_keys k JOIN facts f ON f.id = k.fact_id
                 LEFT JOIN facts p ON p.id = f.place_fact
                 WHERE k.key = ?1 AND f.kind = ?2",
            )
            .map_err(self.err("facts"))?;
        let mut out: Vec<Candidate> = Vec::new();
        for key in keys {
            let rows = stmt
                .query_map(params![key, kind], |row| {
                    Ok(Candidate {
                        id: row.get(0)?,
                        label: row.get(1)?,
                        subtype: row.get(2)?,
                        date: row.get(3)?,
                        place_fact: row.get(4)?,
                        lat: row.get(5)?,
                        lon: row.get(6)?,
                        story: row.get(7)?,
                        place_kind: row.get(8)?,
                    })
                })
                .map_err(self.err("facts"))?;
            for row in rows {
                let candidate = row.map_err(self.err("facts"))?;
                if !self.joined.contains(&candidate.id) && out.iter().all(|c| c.id != candidate.id)
                {
                    out.push(candidate);
                }
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
        self.add_keys(id, keys)?;
        Ok(id)
    }

    fn add_keys(&self, fact: i64, keys: &[i64]) -> Result<(), StoreError> {
        let mut stmt = self
            .tx
            .prepare_cached("INSERT OR IGNORE INTO fact_keys (key, fact_id) VALUES (?1, ?2)")
            .map_err(self.err("fact_keys"))?;
        for key in keys {
            stmt.execute(params![key, fact])
                .map_err(self.err("fact_keys"))?;
        }
        Ok(())
    }

    /// Points member row `row` of `table` at `fact` and counts the document (and its
    /// outlet, once) for the fact.
    fn join(&mut self, table: &'static str, row: i64, fact: i64) -> Result<(), StoreError> {
        self.joined.insert(fact);
        self.tx
            .prepare_cached(&format!("UPDATE {table} SET fact_id = ?2 WHERE id = ?1"))
            .and_then(|mut stmt| stmt.execute(params![row, fact]))
            .map_err(self.err(table))?;
        // A new outlet for the fact when no earlier member came from the same one.
        let new_outlet = self
            .tx
            .prepare_cached(
                "INSERT OR IGNORE INTO fact_outlets (fact_id, outlet_key)
                 SELECT ?1, outlet_key FROM documents WHERE id = ?2",
            )
            .and_then(|mut stmt| stmt.execute(params![fact, self.doc_id]))
            .map_err(self.err("fact_outlets"))?;
        self.tx
            .prepare_cached(&format!(
                "UPDATE facts SET documents = documents + 1, outlets = outlets + ?2,
                                  last_seen = {NOW}
                 WHERE id = ?1"
            ))
            .and_then(|mut stmt| stmt.execute(params![fact, new_outlet as i64]))
            .map_err(self.err("facts"))?;
        Ok(())
    }

    /// Joins `row` to the best candidate (`score` > 0) or starts a fact; returns it.
    fn join_or_start(
        &mut self,
        table: &'static str,
        row: i64,
        candidates: Vec<Candidate>,
        score: impl Fn(&Candidate) -> u32,
        fact: &NewFact<'_>,
        keys: &[i64],
        story_making: bool,
    ) -> Result<i64, StoreError> {
        let best = candidates
            .into_iter()
            .map(|c| (score(&c), c))
            .filter(|(s, _)| *s > 0)
            .max_by_key(|(s, c)| (*s, -c.id));
        let id = match best {
            Some((_, c)) => {
                if story_making {
                    if let Some(story) = c.story {
                        self.stories.push(story);
                    }
                }
                self.add_keys(c.id, keys)?;
                c.id
            }
            None => self.start(fact, keys)?,
        };
        if story_making {
            self.story_facts.push(id);
        }
        self.join(table, row, id)?;
        Ok(id)
    }

    /// Merges the record's places; returns record id → merged fact id.
    fn places<'r>(
        &mut self,
        record: &'r Record,
        rows: &Inserted<'_>,
    ) -> Result<HashMap<&'r str, i64>, StoreError> {
        let mut out = HashMap::new();
        for place in &record.places {
            let Some(&row) = rows.places.get(place.id.as_str()) else {
                continue;
            };
            let country = place.country.as_deref().unwrap_or("-");
            let mut keys = vec![similar::key(&format!(
                "place|{}|{country}",
                similar::fold(&place.name)
            ))];
            if let Some(geo) = place.geonames_id {
                keys.insert(0, similar::key(&format!("geonames|{geo}")));
            }
            // The GeoNames id decides when both have one; else the name and country.
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
            let id = self.join_or_start("places", row, candidates, |_| 1, &fact, &keys, false)?;
            out.insert(place.id.as_str(), id);
        }
        Ok(out)
    }

    /// Merges the record's named entities; returns record id → merged fact id.
    fn entities<'r>(
        &mut self,
        record: &'r Record,
        rows: &Inserted<'_>,
    ) -> Result<HashMap<&'r str, i64>, StoreError> {
        let mut out = HashMap::new();
        for entity in record.entities.iter().filter(|e| e.named) {
            let Some(&row) = rows.entities.get(entity.id.as_str()) else {
                continue;
            };
            let kind = serde_json::to_value(entity.kind)
                .ok()
                .and_then(|v| v.as_str().map(str::to_owned))
                .unwrap_or_else(|| "entity".to_owned());
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
            let mut candidates = self.candidates(&kind, &keys)?;
            if candidates.is_empty() && person && words.len() == 1 {
                let by_surname =
                    self.candidates(&kind, &[similar::key(&format!("surname|{}", words[0]))])?;
                if by_surname.len() == 1 {
                    candidates = by_surname;
                }
            }
            keys.extend(surname);
            let country = entity
                .affiliation
                .as_ref()
                .and_then(|a| a.country.as_deref());
            let fact = NewFact {
                kind: &kind,
                label: &entity.name,
                country,
                ..NewFact::default()
            };
            let id = self.join_or_start("entities", row, candidates, |_| 1, &fact, &keys, false)?;
            out.insert(entity.id.as_str(), id);
        }
        Ok(out)
    }

    fn events(
        &mut self,
        record: &Record,
        rows: &Inserted<'_>,
        places: &HashMap<&str, i64>,
        entities: &HashMap<&str, i64>,
        published: Option<&str>,
    ) -> Result<(), StoreError> {
        for (event, &row) in record.events.iter().zip(&rows.events) {
            let place = event
                .place
                .as_deref()
                .and_then(|id| record.places.iter().find(|p| p.id == id));
            let place_fact = event
                .place
                .as_deref()
                .and_then(|id| places.get(id).copied());
            let country = place.and_then(|p| p.country.as_deref()).unwrap_or("-");
            let day = event.date.as_deref().and_then(day_of).or(published);
            let key_of = |d: &str| similar::key(&format!("event|{country}|{d}"));
            let own_key = key_of(day.unwrap_or("-"));
            let search: Vec<i64> = match day {
                Some(d) => days_around(d, 1, 1).iter().map(|d| key_of(d)).collect(),
                None => vec![own_key],
            };
            let candidates = self.candidates("event", &search)?;
            let broad = place.is_none_or(|p| p.kind == "country");
            let here = place
                .filter(|_| !broad)
                .and_then(|p| Some((p.lat?, p.lon?)));
            let score = |c: &Candidate| -> u32 {
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
            self.join_or_start("events", row, candidates, score, &fact, &[own_key], true)?;
        }
        Ok(())
    }

    fn meetings(
        &mut self,
        record: &Record,
        rows: &Inserted<'_>,
        places: &HashMap<&str, i64>,
        entities: &HashMap<&str, i64>,
        published: Option<&str>,
    ) -> Result<(), StoreError> {
        for (meeting, &row) in record.meetings.iter().zip(&rows.meetings) {
            let venue = meeting
                .venue
                .as_deref()
                .and_then(|id| record.places.iter().find(|p| p.id == id));
            let venue_fact = meeting
                .venue
                .as_deref()
                .and_then(|id| places.get(id).copied());
            let day = meeting.date.as_deref().and_then(day_of).or(published);
            let key_of = |d: &str| similar::key(&format!("meeting|{d}"));
            let own_key = key_of(day.unwrap_or("-"));
            let search: Vec<i64> = match day {
                Some(d) => days_around(d, 2, 2).iter().map(|d| key_of(d)).collect(),
                None => vec![own_key],
            };
            // Participants as merged entities and countries, written into the label's
            // companion key set for the comparison below.
            let sides = participants(record, &meeting.participants, entities);
            let candidates = self.candidates("meeting", &search)?;
            let mut scored = Vec::with_capacity(candidates.len());
            for c in candidates {
                let theirs = self.fact_participants(c.id)?;
                let shared = sides.intersection(&theirs).count() as u32;
                let venue_score = match (venue_fact, c.place_fact) {
                    (Some(a), Some(b)) if a == b => 3,
                    (Some(_), Some(_)) => 0,
                    (None, None) => u32::from(shared > 0),
                    _ => 1,
                };
                // One venue is enough; otherwise the sides must not contradict.
                let sides_ok =
                    venue_score == 3 || sides.is_empty() || theirs.is_empty() || shared > 0;
                let score = if venue_score > 0 && sides_ok {
                    venue_score + shared + u32::from(c.date.as_deref() == day)
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
            let id = self.join_or_start(
                "meetings",
                row,
                candidates,
                |c| scores.get(&c.id).copied().unwrap_or(0),
                &fact,
                &[own_key],
                true,
            )?;
            self.add_participants(id, &sides)?;
        }
        Ok(())
    }

    /// The participants stored for a merged meeting.
    fn fact_participants(&self, fact: i64) -> Result<HashSet<String>, StoreError> {
        let mut stmt = self
            .tx
            .prepare_cached("SELECT participant FROM fact_participants WHERE fact_id = ?1")
            .map_err(self.err("fact_participants"))?;
        let rows = stmt
            .query_map([fact], |row| row.get::<_, String>(0))
            .map_err(self.err("fact_participants"))?;
        rows.collect::<Result<_, _>>()
            .map_err(self.err("fact_participants"))
    }

    fn add_participants(&self, fact: i64, sides: &HashSet<String>) -> Result<(), StoreError> {
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
        rows: &Inserted<'_>,
        entities: &HashMap<&str, i64>,
        published: Option<&str>,
    ) -> Result<(), StoreError> {
        for (quote, &row) in record.quotes.iter().zip(&rows.quotes) {
            let mut keys: Vec<i64> = similar::shingles(&quote.text, 4)
                .into_iter()
                .map(|h| i64::from_ne_bytes(h.to_ne_bytes()))
                .collect();
            // Every run is a key (so that a quote cut at either end still meets), but a
            // long quote is looked up by a sample of them.
            keys.sort_unstable();
            keys.dedup();
            let step = keys.len().div_ceil(12).max(1);
            let search: Vec<i64> = keys.iter().step_by(step).copied().collect();
            let words = similar::word_set(&quote.text);
            let candidates = self.candidates("quote", &search)?;
            let score = |c: &Candidate| {
                let (jaccard, contained) = similar::overlap(&words, &similar::word_set(&c.label));
                let short = words.len().min(c.label.split_whitespace().count());
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
            self.join_or_start("quotes", row, candidates, score, &fact, &keys, true)?;
        }
        Ok(())
    }

    fn claims(
        &mut self,
        record: &Record,
        rows: &Inserted<'_>,
        entities: &HashMap<&str, i64>,
        published: Option<&str>,
    ) -> Result<(), StoreError> {
        for (claim, &row) in record.claims.iter().zip(&rows.claims) {
            let source = claim
                .source
                .as_deref()
                .and_then(|id| entities.get(id).copied());
            let who = source.map_or_else(|| "-".to_owned(), |s| s.to_string());
            let key_of = |d: &str| similar::key(&format!("claim|{who}|{d}"));
            let own_key = key_of(published.unwrap_or("-"));
            let search: Vec<i64> = match published {
                Some(d) => days_around(d, 3, 3).iter().map(|d| key_of(d)).collect(),
                None => vec![own_key],
            };
            let words = similar::word_set(&claim.gist);
            let candidates = self.candidates("claim", &search)?;
            let score = |c: &Candidate| {
                let (jaccard, contained) = similar::overlap(&words, &similar::word_set(&c.label));
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
            self.join_or_start("claims", row, candidates, score, &fact, &[own_key], true)?;
        }
        Ok(())
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
                .prepare_cached("SELECT story_id FROM documents WHERE id = ?1")
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
            for sql in [
                "UPDATE documents SET story_id = ?1 WHERE story_id = ?2",
                "UPDATE facts SET story_id = ?1 WHERE story_id = ?2",
                "UPDATE stories SET
                    documents = documents + (SELECT documents FROM stories WHERE id = ?2),
                    first_published = min(ifnull(first_published, '~'),
                        ifnull((SELECT first_published FROM stories WHERE id = ?2), '~')),
                    last_published = max(ifnull(last_published, ''),
                        ifnull((SELECT last_published FROM stories WHERE id = ?2), ''))
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
            .prepare_cached("UPDATE documents SET story_id = ?2 WHERE id = ?1")
            .and_then(|mut stmt| stmt.execute(params![self.doc_id, story]))
            .map_err(self.err("documents"))?;
        let mut stmt = self
            .tx
            .prepare_cached("UPDATE facts SET story_id = ?2 WHERE id = ?1 AND story_id IS NULL")
            .map_err(self.err("facts"))?;
        for fact in &self.story_facts {
            stmt.execute(params![fact, story])
                .map_err(self.err("facts"))?;
        }
        Ok(())
    }
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
