//! The engine: takes a [`SourceDoc`] and returns its `sitrep/1` [`Record`].
//!
//! It knows nothing of files, databases, HTTP or the command line; readers hand it
//! documents and the CLI (or a server, or a worker) decides what to do with records.
#![warn(missing_docs)]

pub mod extract;
pub mod isolate;
pub mod model;
pub mod pipeline;
pub mod recognise;
pub mod resolve;
pub mod unnamed;
pub mod walk;

pub use isolate::InternalError;
pub use pipeline::{Analysis, Engine};
use sitrep_core::{Record, SourceDoc};

/// Runs the whole pipeline on one document with a default engine.
pub fn extract(doc: &SourceDoc) -> Record {
    Engine::default().extract(doc)
}
