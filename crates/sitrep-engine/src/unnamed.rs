//! Unnamed speakers and sources: "an airport official", "a senior diplomat", "two people
//! familiar with the plans". The text names no one, but analysts need to know that the
//! words came from an official, from how many, and from which side; so each becomes an
//! entity with `named: false`, its description, a count where the text gives one, and
//! the country its words name ("a Ukrainian military official" → UA).

use sitrep_core::record::{Affiliation, Entity, EntityKind, Mention, MentionForm};
use sitrep_core::Span;
use sitrep_kb::{Entry, Kb};

/// Determiners dropped from the front of a description.
const DETERMINERS: &[&str] = &["a", "an", "the", "one", "another", "some", "several"];

/// The identity of an unnamed speaker within one document: its words, lower case,
/// without the determiner ("an official" and "the official" are one source).
pub fn key(written: &str) -> String {
    description(written).to_lowercase()
}

/// The description without its leading determiner or number word.
fn description(written: &str) -> &str {
    let trimmed = written.trim();
    match trimmed.split_once(char::is_whitespace) {
        Some((first, rest))
            if DETERMINERS.iter().any(|d| d.eq_ignore_ascii_case(first))
                || number(first).is_some() =>
        {
            rest.trim_start()
        }
        _ => trimmed,
    }
}

/// A count written as digits or as a small number word.
fn number(word: &str) -> Option<u32> {
    const WORDS: &[&str] = &[
        "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
    ];
    word.parse().ok().filter(|n| *n > 0).or_else(|| {
        WORDS
            .iter()
            .position(|w| w.eq_ignore_ascii_case(word))
            .and_then(|i| u32::try_from(i + 1).ok())
    })
}

/// How many people the description stands for: "an official" 1, "two diplomats" 2,
/// "officials" unknown.
fn count(written: &str) -> Option<u32> {
    let first = written.split_whitespace().next()?;
    if ["a", "an", "one", "another"]
        .iter()
        .any(|d| d.eq_ignore_ascii_case(first))
    {
        return Some(1);
    }
    number(first)
}

/// The country a description names by a country adjective or name ("a Ukrainian
/// official", "a senior Israeli military source").
fn country(written: &str) -> Option<String> {
    let kb = Kb::embedded();
    written
        .split(|c: char| !(c.is_alphanumeric() || c == '-'))
        .filter(|w| w.starts_with(char::is_uppercase))
        .find_map(|w| {
            kb.lookup(w).into_iter().find_map(|c| match c.entry {
                Entry::Country(k) => Some(k.code.as_str().to_owned()),
                Entry::Demonym { country, .. } => Some(country.code.as_str().to_owned()),
                _ => None,
            })
        })
}

/// The entity for an unnamed speaker written as `written` at `span`.
pub fn entity(id: String, span: Span, written: &str) -> Entity {
    let count = count(written);
    let country = country(written);
    Entity {
        id,
        kind: if count == Some(1) {
            EntityKind::Person
        } else {
            EntityKind::Group
        },
        name: written.to_owned(),
        titles: Vec::new(),
        affiliation: country.map(|c| Affiliation {
            country: Some(c),
            organisation: None,
        }),
        kb_id: None,
        named: false,
        description: Some(description(written).to_owned()),
        count,
        mentions: vec![Mention {
            span,
            text: written.to_owned(),
            form: Some(MentionForm::Description),
        }],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn descriptions_counts_and_sides() {
        let e = entity("e9".into(), Span::new(0, 28), "a senior Ukrainian official");
        assert!(!e.named);
        assert_eq!(e.kind, EntityKind::Person);
        assert_eq!(e.description.as_deref(), Some("senior Ukrainian official"));
        assert_eq!(e.count, Some(1));
        assert_eq!(e.affiliation.and_then(|a| a.country).as_deref(), Some("UA"));
        let g = entity("e10".into(), Span::new(0, 13), "two diplomats");
        assert_eq!(g.kind, EntityKind::Group);
        assert_eq!(g.count, Some(2));
        assert_eq!(
            entity("e11".into(), Span::new(0, 9), "officials").count,
            None
        );
    }

    #[test]
    fn the_same_source_with_another_determiner_is_one_key() {
        assert_eq!(key("an airport official"), key("the airport official"));
        assert_ne!(key("an airport official"), key("a military official"));
    }
}
