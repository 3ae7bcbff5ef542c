//! The engine's own view of a document while the stages work on it.
//!
//! These are not wire types: they use indices instead of string ids, keep spans of cue
//! words, and carry hints (gender, salience) that only later stages need. The conversion
//! to `sitrep/1` happens once, in `pipeline.rs`, where ids are assigned in text order.

use sitrep_core::record::{EntityKind, Quantity};
use sitrep_core::Span;
use sitrep_text::Segmentation;

/// Index of an entity in [`Entities::list`].
pub type EntityIdx = usize;

/// Index of a place in [`Analysis::places`](crate::Analysis).
pub type PlaceIdx = usize;

/// A document being analysed: its text, its segmentation and its publication day.
#[derive(Debug, Clone, Copy)]
pub struct DocView<'a> {
    /// The normalised text; every span indexes into it.
    pub text: &'a str,
    /// Paragraphs, sentences, tokens.
    pub seg: &'a Segmentation,
    /// Publication day, when known.
    pub published: Option<jiff::civil::Date>,
}

impl<'a> DocView<'a> {
    /// The text of a span (empty when the span is not valid, which stages never produce).
    pub fn slice(&self, span: Span) -> &'a str {
        span.slice(self.text).unwrap_or("")
    }

    /// Index of the sentence containing byte `pos` (the last one starting at or before it).
    pub fn sentence_at(&self, pos: usize) -> usize {
        let pos = u32::try_from(pos).unwrap_or(u32::MAX);
        self.seg
            .sentences
            .partition_point(|s| s.span.start <= pos)
            .saturating_sub(1)
    }

    /// Span of sentence `i`.
    pub fn sentence_span(&self, i: usize) -> Span {
        self.seg
            .sentences
            .get(i)
            .map(|s| s.span)
            .unwrap_or_default()
    }
}

/// How an entity is referred to at one place in the text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MentionKind {
    /// By name ("John Healey", "Healey", "the Kremlin" as an organisation name).
    Name,
    /// By a pronoun ("he", "she", "they").
    Pronoun,
    /// By a role noun ("the minister", "a Kremlin spokesman").
    Role,
    /// By a place standing for its government ("Kyiv insisted", "Washington said").
    Metonym,
    /// By a country's name or adjective used as an actor ("Russia escalated").
    Country,
}

/// One mention of an entity.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EntityMention {
    /// The words of the mention, including titles in front of a name when they belong to it.
    pub span: Span,
    /// The span of the name alone (equal to `span` when there is no title).
    pub name_span: Span,
    /// Which entity it refers to.
    pub entity: EntityIdx,
    /// How it refers.
    pub kind: MentionKind,
}

/// Grammatical gender hint for pronoun resolution.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Gender {
    /// "he", "Mr", "spokesman".
    Male,
    /// "she", "Mrs", "Ms", "spokeswoman".
    Female,
}

/// A person, organisation, country or group, with what the resolver learnt about it.
#[derive(Debug, Clone, PartialEq)]
pub struct EntityInfo {
    /// What it is.
    pub kind: EntityKind,
    /// Canonical (fullest) name.
    pub name: String,
    /// Titles and roles, most specific first.
    pub titles: Vec<String>,
    /// ISO country code of its side.
    pub country: Option<String>,
    /// Organisation it belongs to.
    pub organisation: Option<EntityIdx>,
    /// Gender hint, when the text gives one.
    pub gender: Option<Gender>,
    /// Knowledge-base id (organisations and countries).
    pub kb_id: Option<String>,
}

/// All entities of a document and their mentions in text order.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Entities {
    /// The entities, in order of first mention.
    pub list: Vec<EntityInfo>,
    /// Every mention of every entity, sorted by span start.
    pub mentions: Vec<EntityMention>,
}

impl Entities {
    /// Mentions that lie inside `span`, in text order.
    pub fn mentions_in(&self, span: Span) -> impl Iterator<Item = &EntityMention> {
        let start = self.mentions.partition_point(|m| m.span.start < span.start);
        self.mentions[start..]
            .iter()
            .take_while(move |m| m.span.start < span.end)
            .filter(move |m| span.contains(m.span))
    }

    /// The last mention of a person starting before byte `pos`, if any.
    pub fn last_person_before(&self, pos: usize, gender: Option<Gender>) -> Option<&EntityMention> {
        let end = self
            .mentions
            .partition_point(|m| (m.span.start as usize) < pos);
        self.mentions[..end].iter().rev().find(|m| {
            let e = &self.list[m.entity];
            e.kind == EntityKind::Person
                && (gender.is_none() || e.gender.is_none() || e.gender == gender)
        })
    }

    /// The entity a mention starting exactly at `start` refers to.
    pub fn at(&self, start: usize) -> Option<&EntityMention> {
        let i = self
            .mentions
            .partition_point(|m| (m.span.start as usize) < start);
        self.mentions
            .get(i)
            .filter(|m| m.span.start as usize == start)
    }
}

/// A place with its resolution.
#[derive(Debug, Clone, PartialEq)]
pub struct PlaceInfo {
    /// Canonical name.
    pub name: String,
    /// ISO country code.
    pub country: Option<String>,
    /// `country`, `region`, `city`, …
    pub kind: String,
    /// GeoNames id.
    pub geonames_id: Option<u64>,
    /// Latitude.
    pub lat: Option<f64>,
    /// Longitude.
    pub lon: Option<f64>,
    /// First-level administrative division.
    pub admin1: Option<String>,
    /// How sure the resolution is.
    pub confidence: f32,
    /// Other candidates (GeoNames id, country, admin1).
    pub alternates: Vec<(u64, Option<String>, Option<String>)>,
    /// Where it is mentioned, in text order.
    pub mentions: Vec<Span>,
}

impl PlaceInfo {
    /// The place mentioned at a span inside `span`, if any.
    pub fn mentioned_in(&self, span: Span) -> Option<Span> {
        self.mentions.iter().copied().find(|m| span.contains(*m))
    }
}

/// A time expression with its value (ISO 8601) and precision.
#[derive(Debug, Clone, PartialEq)]
pub struct TimeInfo {
    /// Where it is.
    pub span: Span,
    /// Normalised value.
    pub value: Option<String>,
    /// `day`, `week`, `month`, …
    pub precision: String,
    /// `absolute`, `published`, `unresolved`.
    pub anchor: String,
}

/// A quote found by the quotes stage.
#[derive(Debug, Clone, PartialEq)]
pub struct QuoteFact {
    /// The quoted words (direct) or the reported content (indirect).
    pub span: Span,
    /// The speaker, when sure.
    pub speaker: Option<EntityIdx>,
    /// Possible speakers, when unsure.
    pub candidates: Vec<EntityIdx>,
    /// The words naming an unnamed speaker ("an airport official", "two people familiar
    /// with the plans"), when the text names no one.
    pub unnamed: Option<Span>,
    /// In quotation marks.
    pub direct: bool,
    /// A few words inside a sentence.
    pub fragment: bool,
    /// The cue verb or phrase.
    pub cue: Option<Span>,
    /// Setting ("press briefing", "Telegram").
    pub channel: Option<String>,
    /// When it was said (ISO 8601).
    pub time: Option<String>,
    /// Sentences the quote and its attribution come from.
    pub evidence: Vec<Span>,
}

/// A violent event found by the events stage.
#[derive(Debug, Clone, PartialEq)]
pub struct EventFact {
    /// `ASSAULT` or `FIGHT`.
    pub plover_type: &'static str,
    /// `drone`, `missile`, `shelling`, …
    pub mode: Option<String>,
    /// Where it happened.
    pub place: Option<PlaceIdx>,
    /// ISO day.
    pub date: Option<String>,
    /// ISO country code of the perpetrator.
    pub actor_country: Option<String>,
    /// The perpetrator entity.
    pub actor_entity: Option<EntityIdx>,
    /// True when the perpetrator is implied rather than stated.
    pub actor_inferred: bool,
    /// What was hit.
    pub target: Option<String>,
    /// The target's own words ("a house east of the city").
    pub site: Option<Span>,
    /// People killed.
    pub killed: Option<Quantity>,
    /// People wounded.
    pub wounded: Option<Quantity>,
    /// How sure, 0–1.
    pub confidence: f32,
    /// Sentences that state it.
    pub evidence: Vec<Span>,
}

/// A diplomatic engagement found by the meetings stage.
#[derive(Debug, Clone, PartialEq)]
pub struct MeetingFact {
    /// Venue.
    pub venue: Option<PlaceIdx>,
    /// Participating entities.
    pub participants: Vec<EntityIdx>,
    /// Participating countries (ISO codes) that are not entities of their own.
    pub countries: Vec<String>,
    /// `bilateral`, `multilateral`, `phone`, `video`, `shuttle`.
    pub format: Option<&'static str>,
    /// `leaders`, `ministerial`, `officials`, `envoys`, `unknown`.
    pub level: &'static str,
    /// `planned`, `held`, `ongoing`, `postponed`, `cancelled`, `downgraded`, `upgraded`.
    pub status: &'static str,
    /// Status before a reported change.
    pub previous_status: Option<&'static str>,
    /// ISO day.
    pub date: Option<String>,
    /// How sure, 0–1.
    pub confidence: f32,
    /// Sentences that state it.
    pub evidence: Vec<Span>,
}

/// A claim and its reactions, found by the claims stage.
#[derive(Debug, Clone, PartialEq)]
pub struct ClaimFact {
    /// Who makes or reports it.
    pub source: Option<EntityIdx>,
    /// The proposition.
    pub gist: Span,
    /// `report`, `claim`, `position`, `demand`, `proposal`.
    pub kind: &'static str,
    /// How sure, 0–1.
    pub confidence: f32,
    /// Sentences that state it.
    pub evidence: Vec<Span>,
    /// Reactions: who, stance, evidence.
    pub reactions: Vec<(Option<EntityIdx>, &'static str, Vec<Span>)>,
}

/// A key figure about a whole conflict or period rather than one event ("hundreds of
/// thousands killed or injured since 2022", "nearly seven million displaced"), found by
/// the figures stage.
#[derive(Debug, Clone, PartialEq)]
pub struct FigureFact {
    /// What is counted: `killed`, `wounded`, `killed or injured`, `displaced`, `missing`.
    pub what: String,
    /// The amount as written, with its range.
    pub quantity: Quantity,
    /// Sentences that state it.
    pub evidence: Vec<Span>,
}
