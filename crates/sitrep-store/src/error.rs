//! What can go wrong in the store, with the database and table it happened in.

/// An error of the store. Every variant names where it happened: the database file,
/// the migration, or the table being read or written.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum StoreError {
    /// The database could not be opened or configured.
    #[error("cannot open the store {path}: {source}")]
    Open {
        /// The database file (`:memory:` for an in-memory store).
        path: String,
        /// What SQLite said.
        source: rusqlite::Error,
    },
    /// A schema migration failed; its transaction was rolled back.
    #[error("cannot migrate the store {path} to schema version {version}: {source}")]
    Migrate {
        /// The database file.
        path: String,
        /// The version the failed migration leads to.
        version: u32,
        /// What SQLite said.
        source: rusqlite::Error,
    },
    /// The file was written by a newer sitrep, with migrations this build does not know.
    #[error(
        "the store {path} has schema version {found}; this sitrep knows versions up to {known}"
    )]
    TooNew {
        /// The database file.
        path: String,
        /// The version found in the file.
        found: u32,
        /// The newest version this build knows.
        known: u32,
    },
    /// The file has an older schema and was opened read-only, so it cannot be migrated.
    #[error(
        "the store {path} has schema version {found}; this sitrep needs version {needed} \
         (open it once for writing, e.g. with `sitrep ingest`, to migrate it)"
    )]
    Outdated {
        /// The database file.
        path: String,
        /// The version found in the file.
        found: u32,
        /// The version this build reads.
        needed: u32,
    },
    /// A statement on a table failed.
    #[error("store {path}, table {table}: {source}")]
    Sql {
        /// The database file.
        path: String,
        /// The table (or `transaction`, `pragma`) the statement was about.
        table: &'static str,
        /// What SQLite said.
        source: rusqlite::Error,
    },
    /// A stored record could not be written or read back as `sitrep/1` JSON.
    #[error("store {path}: record JSON of {document}: {source}")]
    Json {
        /// The database file.
        path: String,
        /// The document's content hash.
        document: String,
        /// What serde_json said.
        source: serde_json::Error,
    },
    /// A batch came with a different number of [`crate::Prepared`] than of records.
    #[error("a batch of {records} records came with {prepared} prepared")]
    Mismatch {
        /// Records in the batch.
        records: usize,
        /// Prepared in the batch.
        prepared: usize,
    },
    /// A query the caller got wrong: a bad cursor or full-text expression.
    #[error("bad query: {reason}")]
    BadQuery {
        /// What is wrong with it.
        reason: String,
    },
}
