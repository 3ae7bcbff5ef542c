//! Extraction of facts from recognised and resolved text.
pub mod quantity;
pub mod quotes;
pub mod casualties;
pub mod events;
pub mod figures;
pub mod meetings;
