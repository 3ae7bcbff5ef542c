//! Entity types, BIO labels and the conversion from labels to entity spans.

use std::fmt;
use std::ops::Range;

use serde::{Deserialize, Serialize};

/// The kind of a named entity the tagger recognises.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum EntityType {
    /// A person.
    #[serde(rename = "PER")]
    Per,
    /// An organisation (companies, parties, ministries, armed groups, media).
    #[serde(rename = "ORG")]
    Org,
    /// A place: countries, cities, regions, facilities, geographic features.
    #[serde(rename = "LOC")]
    Loc,
}

impl EntityType {
    /// All types, in label order.
    pub const ALL: [EntityType; 3] = [EntityType::Per, EntityType::Org, EntityType::Loc];

    /// The CoNLL-style short name: `PER`, `ORG` or `LOC`.
    pub fn as_str(self) -> &'static str {
        match self {
            EntityType::Per => "PER",
            EntityType::Org => "ORG",
            EntityType::Loc => "LOC",
        }
    }

    /// Parses `PER`, `ORG` or `LOC` (case-sensitive, as in IOB2 files).
    pub fn parse(s: &str) -> Option<EntityType> {
        match s {
            "PER" => Some(EntityType::Per),
            "ORG" => Some(EntityType::Org),
            "LOC" => Some(EntityType::Loc),
            _ => None,
        }
    }

    fn ordinal(self) -> usize {
        match self {
            EntityType::Per => 0,
            EntityType::Org => 1,
            EntityType::Loc => 2,
        }
    }
}

impl fmt::Display for EntityType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A BIO label: outside, beginning of an entity, or inside (continuing) an entity.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Label {
    /// Not part of a named entity.
    O,
    /// First token of an entity of this type.
    B(EntityType),
    /// A following token of an entity of this type.
    I(EntityType),
}

impl Label {
    /// Number of distinct labels (O plus B/I for three types).
    pub const COUNT: usize = 7;

    /// Dense index used by the model: O=0, B-PER=1, I-PER=2, B-ORG=3, I-ORG=4, B-LOC=5, I-LOC=6.
    pub fn index(self) -> usize {
        match self {
            Label::O => 0,
            Label::B(t) => 1 + 2 * t.ordinal(),
            Label::I(t) => 2 + 2 * t.ordinal(),
        }
    }

    /// The label with dense index `i`, if `i < Label::COUNT`.
    pub fn from_index(i: usize) -> Option<Label> {
        if i == 0 {
            return Some(Label::O);
        }
        let t = *EntityType::ALL.get((i - 1) / 2)?;
        Some(if i % 2 == 1 { Label::B(t) } else { Label::I(t) })
    }

    /// Parses an IOB2 tag such as `O`, `B-PER`, `I-LOC`. Unknown types give `None`.
    pub fn parse(s: &str) -> Option<Label> {
        if s == "O" {
            return Some(Label::O);
        }
        let (prefix, ty) = s.split_once('-')?;
        let ty = EntityType::parse(ty)?;
        match prefix {
            "B" => Some(Label::B(ty)),
            "I" => Some(Label::I(ty)),
            _ => None,
        }
    }

    /// The entity type, if this is not `O`.
    pub fn entity_type(self) -> Option<EntityType> {
        match self {
            Label::O => None,
            Label::B(t) | Label::I(t) => Some(t),
        }
    }

    /// Whether `self` may follow `prev` (`None` = sentence start) in well-formed BIO:
    /// an `I-X` must follow `B-X` or `I-X`.
    pub fn may_follow(self, prev: Option<Label>) -> bool {
        match self {
            Label::I(t) => matches!(prev, Some(Label::B(p)) | Some(Label::I(p)) if p == t),
            _ => true,
        }
    }
}

impl fmt::Display for Label {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Label::O => f.write_str("O"),
            Label::B(t) => write!(f, "B-{t}"),
            Label::I(t) => write!(f, "I-{t}"),
        }
    }
}

/// Entity spans (token ranges, half-open) from a BIO label sequence.
///
/// Follows the conlleval convention for ill-formed input: an `I-X` that does not continue
/// an entity of type X starts a new entity, so every non-`O` token belongs to exactly one
/// span. Runs in linear time.
pub fn bio_spans(labels: &[Label]) -> Vec<(Range<usize>, EntityType)> {
    let mut spans = Vec::new();
    let mut open: Option<(usize, EntityType)> = None;
    for (i, &label) in labels.iter().enumerate() {
        let continues = matches!((label, open), (Label::I(t), Some((_, o))) if t == o);
        if continues {
            continue;
        }
        if let Some((start, ty)) = open.take() {
            spans.push((start..i, ty));
        }
        if let Some(t) = label.entity_type() {
            open = Some((i, t));
        }
    }
    if let Some((start, ty)) = open {
        spans.push((start..labels.len(), ty));
    }
    spans
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn index_round_trip() {
        for i in 0..Label::COUNT {
            let l = Label::from_index(i).unwrap();
            assert_eq!(l.index(), i);
            assert_eq!(Label::parse(&l.to_string()), Some(l));
        }
        assert_eq!(Label::from_index(Label::COUNT), None);
        assert_eq!(Label::parse("B-MISC"), None);
        assert_eq!(Label::parse("X-PER"), None);
    }

    #[test]
    fn spans_well_formed() {
        use EntityType::*;
        let l = [
            Label::B(Per),
            Label::I(Per),
            Label::O,
            Label::B(Loc),
            Label::B(Loc),
            Label::I(Loc),
        ];
        assert_eq!(bio_spans(&l), vec![(0..2, Per), (3..4, Loc), (4..6, Loc)]);
        assert!(bio_spans(&[]).is_empty());
        assert!(bio_spans(&[Label::O, Label::O]).is_empty());
    }

    #[test]
    fn spans_ill_formed_follow_conlleval() {
        use EntityType::*;
        // Stray I- starts an entity; a type change inside breaks it.
        let l = [
            Label::I(Org),
            Label::I(Org),
            Label::I(Per),
            Label::O,
            Label::I(Loc),
        ];
        assert_eq!(bio_spans(&l), vec![(0..2, Org), (2..3, Per), (4..5, Loc)]);
    }

    #[test]
    fn may_follow_rules() {
        use EntityType::*;
        assert!(!Label::I(Per).may_follow(None));
        assert!(!Label::I(Per).may_follow(Some(Label::O)));
        assert!(!Label::I(Per).may_follow(Some(Label::B(Org))));
        assert!(Label::I(Per).may_follow(Some(Label::B(Per))));
        assert!(Label::B(Org).may_follow(None));
    }
}
