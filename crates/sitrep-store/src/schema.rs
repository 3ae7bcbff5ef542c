//! The SQL schema as an ordered list of migrations, and the code that applies them.
//!
//! The schema version lives in SQLite's own header field (`PRAGMA user_version`): 0 for
//! an empty file, N once the first N migrations have run. Each migration runs in its own
//! transaction together with the version bump, so a crash leaves the file at one
//! version or the next, never in between. Migrations are only ever appended: a released
//! step is never edited, because files written by it exist.

use rusqlite::Connection;

use crate::StoreError;

/// The migrations, in order; migration `i` (0-based) takes the schema from version `i`
/// to version `i + 1`.
pub const MIGRATIONS: &[&str] = &[V1, V2, V3, V4];

/// The schema version this build writes: the number of migrations.
pub const SCHEMA_VERSION: u32 = MIGRATIONS.len() as u32;

/// Version 1: documents and where they were seen, the facts of their records, stories
/// (empty until the merge step), failed inputs, and full-text indexes.
const V1: &str = r#"
-- One row per distinct content (the record's normalised text).
CREATE TABLE documents (
    id               INTEGER PRIMARY KEY,
    -- "sha256:" + hex digest of the normalised text; the record's document.id.
    content_hash     TEXT NOT NULL UNIQUE,
    title            TEXT,
    text             TEXT NOT NULL,
    language         TEXT NOT NULL,
    published        TEXT,
    first_seen       TEXT NOT NULL,
    -- The document this one replaces: an older text seen at the same URL.
    previous_version INTEGER REFERENCES documents(id),
    -- The whole sitrep/1 record as JSON, with document.text left empty (it is the
    -- column above); the facts below are read from it.
    record           TEXT NOT NULL
);
CREATE INDEX documents_published ON documents(published);
CREATE INDEX documents_previous_version ON documents(previous_version);

-- One row per place a document was seen: syndicated copies are one document with
-- several sources.
CREATE TABLE sources (
    id          INTEGER PRIMARY KEY,
    document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    outlet      TEXT,
    url         TEXT,
    published   TEXT,
    -- Where sitrep read it: a path, path:LINE for JSON Lines, or a feed item.
    location    TEXT NOT NULL,
    first_seen  TEXT NOT NULL
);
-- The same document at the same URL (or, without one, the same location) from the same
-- outlet is one source, however often it is ingested.
CREATE UNIQUE INDEX sources_place
    ON sources(document_id, ifnull(url, location), ifnull(outlet, ''));
CREATE INDEX sources_url ON sources(url) WHERE url IS NOT NULL;
CREATE INDEX sources_location ON sources(location);

-- People, organisations, countries and groups of one record.
CREATE TABLE entities (
    id            INTEGER PRIMARY KEY,
    document_id   INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    record_id     TEXT NOT NULL,          -- e1, e2, ... in the record
    kind          TEXT NOT NULL,          -- person, organisation, country, group
    name          TEXT NOT NULL,
    titles        TEXT NOT NULL,          -- JSON array of strings
    country       TEXT,                   -- affiliation: ISO 3166-1 alpha-2
    organisation  TEXT,                   -- affiliation: record id of an organisation
    kb_id         TEXT,
    named         INTEGER NOT NULL,
    description   TEXT,
    count         INTEGER,
    UNIQUE (document_id, record_id)
);
CREATE INDEX entities_name ON entities(name);

-- Places of one record.
CREATE TABLE places (
    id           INTEGER PRIMARY KEY,
    document_id  INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    record_id    TEXT NOT NULL,           -- p1, p2, ...
    name         TEXT NOT NULL,
    country      TEXT,
    kind         TEXT NOT NULL,
    geonames_id  INTEGER,
    lat          REAL,
    lon          REAL,
    confidence   REAL NOT NULL,
    alternates   TEXT NOT NULL,           -- JSON array
    UNIQUE (document_id, record_id)
);
CREATE INDEX places_geonames_id ON places(geonames_id);

-- Every mention of an entity or a place; byte offsets into documents.text.
CREATE TABLE mentions (
    id           INTEGER PRIMARY KEY,
    document_id  INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    entity_id    INTEGER REFERENCES entities(id) ON DELETE CASCADE,
    place_id     INTEGER REFERENCES places(id) ON DELETE CASCADE,
    start        INTEGER NOT NULL,
    end          INTEGER NOT NULL,
    text         TEXT NOT NULL,
    form         TEXT,                    -- name, surname, ... (entities only)
    CHECK ((entity_id IS NULL) <> (place_id IS NULL))
);
CREATE INDEX mentions_document ON mentions(document_id);
CREATE INDEX mentions_entity ON mentions(entity_id);
CREATE INDEX mentions_place ON mentions(place_id);

-- Quotes; evidence columns are JSON arrays of [start, end] byte ranges.
CREATE TABLE quotes (
    id          INTEGER PRIMARY KEY,
    document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    record_id   TEXT NOT NULL,            -- q1, q2, ...
    text        TEXT NOT NULL,
    start       INTEGER NOT NULL,
    end         INTEGER NOT NULL,
    speaker_id  INTEGER REFERENCES entities(id),
    candidates  TEXT NOT NULL,            -- JSON array of record entity ids
    direct      INTEGER NOT NULL,
    fragment    INTEGER NOT NULL,
    cue         TEXT,
    channel     TEXT,
    time        TEXT,
    evidence    TEXT NOT NULL,
    UNIQUE (document_id, record_id)
);
CREATE INDEX quotes_speaker ON quotes(speaker_id);

CREATE TABLE meetings (
    id              INTEGER PRIMARY KEY,
    document_id     INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    record_id       TEXT NOT NULL,        -- m1, m2, ...
    venue_id        INTEGER REFERENCES places(id),
    participants    TEXT NOT NULL,        -- JSON array: record entity ids, country codes
    format          TEXT,
    level           TEXT NOT NULL,
    status          TEXT NOT NULL,
    previous_status TEXT,
    date            TEXT,
    type            TEXT NOT NULL,        -- PLOVER
    confidence      REAL NOT NULL,
    evidence        TEXT NOT NULL,
    UNIQUE (document_id, record_id)
);
CREATE INDEX meetings_date ON meetings(date);

CREATE TABLE claims (
    id          INTEGER PRIMARY KEY,
    document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    record_id   TEXT NOT NULL,            -- c1, c2, ...
    source_id   INTEGER REFERENCES entities(id),
    gist        TEXT NOT NULL,
    kind        TEXT NOT NULL,
    confidence  REAL NOT NULL,
    evidence    TEXT NOT NULL,
    reactions   TEXT NOT NULL,            -- JSON array of {by, stance, evidence}
    UNIQUE (document_id, record_id)
);

-- Violent events.
CREATE TABLE events (
    id              INTEGER PRIMARY KEY,
    document_id     INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    record_id       TEXT NOT NULL,        -- v1, v2, ...
    type            TEXT NOT NULL,        -- PLOVER: ASSAULT, FIGHT
    mode            TEXT,
    place_id        INTEGER REFERENCES places(id),
    date            TEXT,
    actor_country   TEXT,
    actor_id        INTEGER REFERENCES entities(id),
    actor_inferred  INTEGER,
    target          TEXT,
    killed_min      INTEGER,
    killed_max      INTEGER,
    killed_text     TEXT,
    wounded_min     INTEGER,
    wounded_max     INTEGER,
    wounded_text    TEXT,
    confidence      REAL NOT NULL,
    evidence        TEXT NOT NULL,
    UNIQUE (document_id, record_id)
);
CREATE INDEX events_date ON events(date);

-- Groups of documents about one story; filled by the merge step.
CREATE TABLE stories (
    id              INTEGER PRIMARY KEY,
    title           TEXT,
    first_published TEXT,
    last_published  TEXT,
    created         TEXT NOT NULL
);

-- Inputs that could not be read or extracted, for --retry-failed.
CREATE TABLE failures (
    id            INTEGER PRIMARY KEY,
    location      TEXT NOT NULL UNIQUE,   -- path, path:LINE, feed item
    input         TEXT,                   -- the file to read again, when known
    reason        TEXT NOT NULL,
    attempts      INTEGER NOT NULL,
    first_attempt TEXT NOT NULL,
    last_attempt  TEXT NOT NULL,
    resolved      INTEGER NOT NULL DEFAULT 0,
    resolved_at   TEXT
);
CREATE INDEX failures_pending ON failures(resolved, input);

-- Full-text search over documents and quotes (external content: the text is stored
-- once, in its table; triggers keep the index in step).
CREATE VIRTUAL TABLE documents_fts USING fts5(
    title, text, content='documents', content_rowid='id'
);
CREATE TRIGGER documents_fts_insert AFTER INSERT ON documents BEGIN
    INSERT INTO documents_fts(rowid, title, text) VALUES (new.id, new.title, new.text);
END;
CREATE TRIGGER documents_fts_delete AFTER DELETE ON documents BEGIN
    INSERT INTO documents_fts(documents_fts, rowid, title, text)
        VALUES ('delete', old.id, old.title, old.text);
END;
CREATE TRIGGER documents_fts_update AFTER UPDATE OF title, text ON documents BEGIN
    INSERT INTO documents_fts(documents_fts, rowid, title, text)
        VALUES ('delete', old.id, old.title, old.text);
    INSERT INTO documents_fts(rowid, title, text) VALUES (new.id, new.title, new.text);
END;

CREATE VIRTUAL TABLE quotes_fts USING fts5(text, content='quotes', content_rowid='id');
CREATE TRIGGER quotes_fts_insert AFTER INSERT ON quotes BEGIN
    INSERT INTO quotes_fts(rowid, text) VALUES (new.id, new.text);
END;
CREATE TRIGGER quotes_fts_delete AFTER DELETE ON quotes BEGIN
    INSERT INTO quotes_fts(quotes_fts, rowid, text) VALUES ('delete', old.id, old.text);
END;
CREATE TRIGGER quotes_fts_update AFTER UPDATE OF text ON quotes BEGIN
    INSERT INTO quotes_fts(quotes_fts, rowid, text) VALUES ('delete', old.id, old.text);
    INSERT INTO quotes_fts(rowid, text) VALUES (new.id, new.text);
END;
"#;

/// Version 2: the merge step. Near-duplicate documents, stories, and merged facts: one
/// row in `facts` per person, organisation, place, quote, meeting, claim or attack told
/// by any number of documents, each document's own row pointing at it by `fact_id`.
const V2: &str = r#"
-- What the merge step decided for each document, beside the document (whose row, with
-- its text and record, spans several pages and is never rewritten):
--   outlet_key        the outlet it counts as: its first source's outlet, else its URL's
--                     host, else the document itself; a near-copy takes its original's,
--                     so copies count once;
--   near_duplicate_of the earlier document it nearly copies (MinHash of word 5-shingles),
--                     keeping its own text and facts but counting as the same report;
--   story_id          its story;
--   minhash           its MinHash signature (64 little-endian u32), NULL for short texts.
CREATE TABLE document_merge (
    document_id       INTEGER PRIMARY KEY REFERENCES documents(id) ON DELETE CASCADE,
    outlet_key        TEXT NOT NULL,
    near_duplicate_of INTEGER REFERENCES documents(id),
    story_id          INTEGER REFERENCES stories(id),
    minhash           BLOB
);
CREATE INDEX document_merge_story ON document_merge(story_id);
CREATE INDEX document_merge_original ON document_merge(near_duplicate_of);

-- Locality-sensitive bands of the MinHash signatures: documents sharing a band are
-- compared for near-duplication.
CREATE TABLE document_bands (
    band        INTEGER NOT NULL,
    document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    PRIMARY KEY (band, document_id)
) WITHOUT ROWID;

ALTER TABLE stories ADD COLUMN documents INTEGER NOT NULL DEFAULT 0;

-- Merged facts. The columns are those the merge and the queries filter on; the values
-- outlets give (and where they disagree) are read from the member rows.
CREATE TABLE facts (
    id          INTEGER PRIMARY KEY,
    kind        TEXT NOT NULL,    -- person, organisation, country, group, place, quote,
                                  -- meeting, claim, event
    label       TEXT NOT NULL,    -- a name, the quoted words, a claim's gist, ...
    subtype     TEXT,             -- event type, meeting type, claim kind, place kind
    country     TEXT,             -- ISO 3166-1 alpha-2: side, place's country
    date        TEXT,             -- YYYY-MM-DD: the day of an event or meeting
    place_fact  INTEGER REFERENCES facts(id),
    lat         REAL,
    lon         REAL,
    actor_fact  INTEGER REFERENCES facts(id), -- speaker, claim source, attacker
    story_id    INTEGER REFERENCES stories(id),
    outlets     INTEGER NOT NULL DEFAULT 0,   -- independent outlets
    documents   INTEGER NOT NULL DEFAULT 0,   -- documents (copies included)
    first_seen  TEXT NOT NULL,
    last_seen   TEXT NOT NULL
);
CREATE INDEX facts_kind_date ON facts(kind, date);
CREATE INDEX facts_kind_country ON facts(kind, country, date);
CREATE INDEX facts_kind_outlets ON facts(kind, outlets);
CREATE INDEX facts_story ON facts(story_id);
CREATE INDEX facts_place ON facts(place_fact);
CREATE INDEX facts_actor ON facts(actor_fact);
CREATE INDEX facts_label ON facts(kind, label);

-- Blocking keys: a new fact is compared only with facts sharing one of its keys
-- (hashes of "event|UA|2025-05-13", a name, a run of a quote's words, ...).
CREATE TABLE fact_keys (
    key     INTEGER NOT NULL,
    fact_id INTEGER NOT NULL REFERENCES facts(id) ON DELETE CASCADE,
    PRIMARY KEY (key, fact_id)
) WITHOUT ROWID;

-- The independent outlets of each merged fact (documents.outlet_key), counted once.
CREATE TABLE fact_outlets (
    fact_id    INTEGER NOT NULL REFERENCES facts(id) ON DELETE CASCADE,
    outlet_key TEXT NOT NULL,
    PRIMARY KEY (fact_id, outlet_key)
) WITHOUT ROWID;

-- Who took part in a merged meeting: merged entities as "f<id>", countries by code.
CREATE TABLE fact_participants (
    fact_id     INTEGER NOT NULL REFERENCES facts(id) ON DELETE CASCADE,
    participant TEXT NOT NULL,
    PRIMARY KEY (fact_id, participant)
) WITHOUT ROWID;

ALTER TABLE entities ADD COLUMN fact_id INTEGER REFERENCES facts(id);
ALTER TABLE places ADD COLUMN fact_id INTEGER REFERENCES facts(id);
ALTER TABLE quotes ADD COLUMN fact_id INTEGER REFERENCES facts(id);
ALTER TABLE meetings ADD COLUMN fact_id INTEGER REFERENCES facts(id);
ALTER TABLE claims ADD COLUMN fact_id INTEGER REFERENCES facts(id);
ALTER TABLE events ADD COLUMN fact_id INTEGER REFERENCES facts(id);
CREATE INDEX entities_fact ON entities(fact_id);
CREATE INDEX places_fact ON places(fact_id);
CREATE INDEX quotes_fact ON quotes(fact_id);
CREATE INDEX meetings_fact ON meetings(fact_id);
CREATE INDEX claims_fact ON claims(fact_id);
CREATE INDEX events_fact ON events(fact_id);

-- A mention is of an entity or of a place: each index holds only its own kind, so a
-- mention is written into one of them, not both.
DROP INDEX mentions_entity;
DROP INDEX mentions_place;
CREATE INDEX mentions_entity ON mentions(entity_id) WHERE entity_id IS NOT NULL;
CREATE INDEX mentions_place ON mentions(place_id) WHERE place_id IS NOT NULL;

-- Full-text search over merged facts' labels (names, quoted words, claims' gists,
-- "missile strike in Dnipro"), with the kind as a column so that one MATCH narrows both.
CREATE VIRTUAL TABLE facts_fts USING fts5(label, kind, content='facts', content_rowid='id');

-- The full-text indexes are filled once per batch by the writer (one statement each),
-- not row by row: the per-row triggers made FTS5 flush at every insert.
DROP TRIGGER documents_fts_insert;
DROP TRIGGER quotes_fts_insert;
"#;

/// Version 3: indexes that answer the story list from the index alone (its outlets and
/// its facts by kind), instead of one table lookup per document or fact of a story.
const V3: &str = r#"
DROP INDEX document_merge_story;
CREATE INDEX document_merge_story ON document_merge(story_id, near_duplicate_of, outlet_key);
DROP INDEX facts_story;
CREATE INDEX facts_story ON facts(story_id, kind);
"#;

/// Version 4: a person's meetings are read by participant.
const V4: &str = r#"
CREATE INDEX fact_participants_participant ON fact_participants(participant);
"#;

/// The schema version written in the file's header.
pub fn version(conn: &Connection) -> Result<u32, rusqlite::Error> {
    conn.query_row("PRAGMA user_version", [], |row| row.get(0))
}

/// Brings the schema up to [`SCHEMA_VERSION`], one transaction per migration. `path`
/// names the database in errors.
pub fn migrate(conn: &mut Connection, path: &str) -> Result<(), StoreError> {
    apply(conn, path, MIGRATIONS)
}

/// Applies the steps of `migrations` the file has not had yet.
pub(crate) fn apply(
    conn: &mut Connection,
    path: &str,
    migrations: &[&str],
) -> Result<(), StoreError> {
    let known = migrations.len() as u32;
    let found = version(conn).map_err(|source| StoreError::Open {
        path: path.to_owned(),
        source,
    })?;
    if found > known {
        return Err(StoreError::TooNew {
            path: path.to_owned(),
            found,
            known,
        });
    }
    for (done, step) in migrations.iter().enumerate().skip(found as usize) {
        let target = done as u32 + 1;
        let fail = |source| StoreError::Migrate {
            path: path.to_owned(),
            version: target,
            source,
        };
        let tx = conn.transaction().map_err(fail)?;
        tx.execute_batch(step).map_err(fail)?;
        // The pragma takes no parameters; `target` is a number we computed.
        tx.execute_batch(&format!("PRAGMA user_version = {target}"))
            .map_err(fail)?;
        tx.commit().map_err(fail)?;
    }
    Ok(())
}
