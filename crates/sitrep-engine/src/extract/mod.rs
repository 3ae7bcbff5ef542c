//! Extraction of facts from recognised and resolved text.
pub mod casualties;
pub mod claims;
pub mod events;
pub mod figures;
pub mod lexicon;
pub mod meetings;
pub mod quantity;
pub mod quotes;
#[cfg(test)]
pub(crate) mod test_fixtures;

/// Every lexicon matcher of the fact stages, in a fixed order (see [`lexicon`]).
pub(crate) fn all_matchers() -> Vec<&'static lexicon::Matcher> {
    let mut all = events::matchers();
    all.extend(meetings::matchers());
    all.extend(claims::matchers());
    all.extend(figures::matchers());
    all
}
