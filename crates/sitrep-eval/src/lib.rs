//! Scores `sitrep/1` records against gold files so that every stage can prove itself.
//!
//! A gold file (the format of `../shared/seed/*.gold.json` and `examples/gold/`) lists
//! the facts a careful reader finds in one document. [`score`] pairs them with a record's
//! facts and counts what was found and what was right; [`Report`] adds documents up and
//! prints a table. The comparison is lenient where a human checker would be (surname vs
//! full name, "special envoy" vs "special envoy to Ukraine") and strict on values
//! (numbers, dates, ISO codes, statuses, stances).
#![warn(missing_docs)]

pub mod attribution;
pub mod gold;
pub mod names;
pub mod report;
pub mod score;

pub use gold::Gold;
pub use report::{pair_gold, Report};
pub use score::{score, Scores, TypeScore};

/// Why a gold file could not be used.
#[derive(Debug, thiserror::Error)]
pub enum EvalError {
    /// The file could not be read.
    #[error("{path}: {source}")]
    Io {
        /// The gold file.
        path: String,
        /// What went wrong.
        source: std::io::Error,
    },
    /// The file is not a valid gold file.
    #[error("{path}: not a gold file: {source}")]
    Parse {
        /// The gold file.
        path: String,
        /// What went wrong.
        source: serde_json::Error,
    },
}

/// Reads a gold file.
pub fn read_gold(path: &std::path::Path) -> Result<Gold, EvalError> {
    let shown = path.display().to_string();
    let bytes = std::fs::read(path).map_err(|source| EvalError::Io {
        path: shown.clone(),
        source,
    })?;
    serde_json::from_slice(&bytes).map_err(|source| EvalError::Parse {
        path: shown,
        source,
    })
}
