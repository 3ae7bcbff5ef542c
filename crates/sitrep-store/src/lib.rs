//! The store: sitrep's memory across runs. `sitrep/1` records in, one row per distinct
//! document, one row per place it was seen, its facts in plain tables, and the inputs
//! that failed, so that a later run can retry them.
//!
//! # Place in the pipeline
//!
//! After the engine: readers make documents, the engine makes records, and the store
//! keeps them. It depends on `sitrep-core` (the record types) and nothing else of ours —
//! not on the engine, the readers or the CLI — so that the schema follows the `sitrep/1`
//! contract and nothing else.
//!
//! # Key choices
//!
//! * **A trait at the seam.** Callers write through [`Store`]; [`SqliteStore`] is the
//!   embedded backend. A server database can implement the same trait later without a
//!   change to the ingest pipeline.
//! * **SQLite, bundled.** Nothing to install, one file users can open with `sqlite3` or
//!   Datasette. WAL journal and `synchronous=NORMAL`: a reader never blocks the writer,
//!   and a killed process (even `kill -9`) loses at most the transaction it had not
//!   committed; the file is never corrupt. Foreign keys are on.
//! * **Documents are content.** A document is its normalised text, named by the record's
//!   `sha256:` id. The same text seen again is a duplicate (nothing written) or, from
//!   another URL or outlet, one more row in `sources` (a syndicated copy). Other text at
//!   a URL already seen is a new document whose `previous_version` is the older one.
//! * **Nothing is lost.** Facts go to plain tables (`entities`, `mentions`, `places`,
//!   `quotes`, `meetings`, `claims`, `events`) with their byte-offset evidence and their
//!   record ids; the whole record is kept as JSON beside them (without the text, which is
//!   a column of its own) and [`SqliteStore::record`] gives it back whole.
//! * **A batch is a transaction.** [`Store::put_batch`] writes documents and failures of
//!   one batch atomically, so an interrupted run resumes from its last committed batch.
//! * **Versioned schema.** Ordered migrations in [`schema`], the version in
//!   `PRAGMA user_version`; each migration commits with its version bump.
#![warn(missing_docs)]

mod error;
mod merge;
pub mod query;
pub mod schema;
pub mod similar;
mod sqlite;

use sitrep_core::Record;

pub use error::StoreError;
pub use merge::Prepared;
pub use query::{FactKind, Filter, MergedFact, Page, Story};
pub use sqlite::{QuoteHit, SqliteStore};

/// What writing one record did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PutOutcome {
    /// Text never seen: a new document with its first source.
    New,
    /// Text never seen, at a URL that held other text: a new document linked to the
    /// older one (`documents.previous_version`).
    NewVersion,
    /// Text already stored, seen at another URL or outlet: one more source.
    NewSource,
    /// Text already stored, from the same place: nothing written.
    Duplicate,
}

/// An input (or one document inside it) that could not be read or extracted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FailureNote {
    /// Where: a path, `path:LINE` for JSON Lines, or a feed item.
    pub location: String,
    /// The input to read again to retry it (a file path), when there is one.
    pub input: Option<String>,
    /// Why it failed, in words.
    pub reason: String,
}

/// A failure not yet resolved, as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PendingFailure {
    /// Where it failed.
    pub location: String,
    /// The input to read again, when known.
    pub input: Option<String>,
    /// Why it failed the last time.
    pub reason: String,
    /// How many times it has failed.
    pub attempts: u32,
    /// When it first failed (RFC 3339, UTC).
    pub first_attempt: String,
    /// When it last failed (RFC 3339, UTC).
    pub last_attempt: String,
}

/// Rows in the main tables.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    /// Distinct documents.
    pub documents: u64,
    /// Places documents were seen.
    pub sources: u64,
    /// Entities over all documents.
    pub entities: u64,
    /// Places over all documents.
    pub places: u64,
    /// Quotes over all documents.
    pub quotes: u64,
    /// Meetings over all documents.
    pub meetings: u64,
    /// Claims over all documents.
    pub claims: u64,
    /// Violent events over all documents.
    pub events: u64,
    /// Merged facts (people, places, quotes, meetings, claims, events across documents).
    pub merged_facts: u64,
    /// Documents that nearly copy an earlier one.
    pub near_duplicates: u64,
    /// Stories.
    pub stories: u64,
    /// Failures not yet resolved.
    pub pending_failures: u64,
    /// Failures resolved by a later success.
    pub resolved_failures: u64,
}

impl Counts {
    /// Facts stored from the documents: their entities, places, quotes, meetings,
    /// claims and events, before merging.
    pub fn stored_facts(&self) -> u64 {
        self.entities + self.places + self.quotes + self.meetings + self.claims + self.events
    }
}

/// A place to keep records. Implemented by [`SqliteStore`]; the ingest pipeline uses
/// only this trait.
pub trait Store {
    /// For each content hash (`sha256:…`, a record's `document.id`), whether a document
    /// with that text is stored. Lets a caller skip the engine for text it already has:
    /// a record holding only its `document` is enough to add a source.
    fn contains(&self, content_hashes: &[&str]) -> Result<Vec<bool>, StoreError>;

    /// Writes one batch in one transaction: every record (a new document with its facts,
    /// or one more source of a stored one) and every failure. A failure stored at a
    /// location from which a record now comes is marked resolved. Returns one outcome per
    /// record, in order. On error nothing of the batch is written.
    fn put_batch(
        &mut self,
        records: &[Record],
        failures: &[FailureNote],
    ) -> Result<Vec<PutOutcome>, StoreError>;

    /// Records one failure on its own (counting another attempt when its location has
    /// failed before).
    fn record_failure(&mut self, failure: &FailureNote) -> Result<(), StoreError> {
        self.put_batch(&[], std::slice::from_ref(failure))
            .map(|_| ())
    }

    /// Failures not resolved yet, oldest first.
    fn pending_failures(&self) -> Result<Vec<PendingFailure>, StoreError>;

    /// Marks the failures at these locations resolved; returns how many were pending.
    fn resolve_failures(&mut self, locations: &[String]) -> Result<usize, StoreError>;

    /// Rows in the main tables.
    fn counts(&self) -> Result<Counts, StoreError>;

    /// Merged facts of one kind, with their sources and disputes, newest first.
    fn facts(&self, kind: FactKind, filter: &Filter) -> Result<Page<MergedFact>, StoreError>;

    /// Stories, newest first.
    fn stories(&self, filter: &Filter) -> Result<Page<Story>, StoreError>;
}
