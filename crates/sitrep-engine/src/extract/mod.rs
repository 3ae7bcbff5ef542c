//! Extraction of facts from recognised and resolved text.
pub mod casualties;
pub mod claims;
pub mod events;
pub mod figures;
pub mod meetings;
pub mod quantity;
pub mod quotes;
