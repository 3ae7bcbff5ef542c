//! The `sitrep/1` wire types: one [`Record`] per document.
//!
//! Field order here is the field order in the JSON, and it is part of the contract:
//! add fields at the end of a struct, never rename or reorder. Optional values are
//! written as `null` rather than left out, so that consumers see the full shape; empty
//! lists are written as `[]`. `schema/sitrep-1.schema.json` describes the same shape and a
//! test keeps the two in step.
//!
//! Ids are local to a record and stable for the same input: `e1…` entities, `p1…` places,
//! `t1…` times, `q1…` quotes, `m1…` meetings, `c1…` claims, `v1…` violent events,
//! `f1…` figures. Countries are ISO 3166-1 alpha-2 codes.

use serde::{Deserialize, Serialize};

use crate::Span;

/// Everything sitrep found in one document.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Record {
    /// Always `"sitrep/1"`.
    pub schema: String,
    /// The document the facts come from, with its normalised text.
    pub document: Document,
    /// People, organisations and countries acting or mentioned.
    #[serde(default)]
    pub entities: Vec<Entity>,
    /// Places, resolved to a gazetteer entry when possible.
    #[serde(default)]
    pub places: Vec<Place>,
    /// Time expressions, normalised to calendar values.
    #[serde(default)]
    pub times: Vec<TimeMention>,
    /// Direct, fragmentary and indirect quotes with their speakers.
    #[serde(default)]
    pub quotes: Vec<Quote>,
    /// Diplomatic engagements: talks, meetings, calls.
    #[serde(default)]
    pub meetings: Vec<Meeting>,
    /// Claims and reports, with the reactions to them.
    #[serde(default)]
    pub claims: Vec<Claim>,
    /// Violent events (PLOVER `ASSAULT`/`FIGHT`).
    #[serde(default)]
    pub events: Vec<Event>,
    /// Key figures that are not single events (war totals, displacement).
    #[serde(default)]
    pub figures: Vec<Figure>,
    /// Notes from the pipeline about what it could not do with this document.
    #[serde(default)]
    pub diagnostics: Vec<Diagnostic>,
}

impl Record {
    /// An empty record for a document.
    pub fn new(document: Document) -> Self {
        Record {
            schema: crate::SCHEMA.to_owned(),
            document,
            ..Record::default()
        }
    }

    /// Every span in the record, labelled with where it sits (for invariant checks).
    pub fn spans(&self) -> Vec<(String, Span)> {
        let mut out = Vec::new();
        let mut add = |what: String, span: Span| out.push((what, span));
        for e in &self.entities {
            for m in &e.mentions {
                add(format!("entity {} mention", e.id), m.span);
            }
        }
        for p in &self.places {
            for m in &p.mentions {
                add(format!("place {} mention", p.id), m.span);
            }
        }
        for t in &self.times {
            add(format!("time {}", t.id), t.span);
        }
        for q in &self.quotes {
            add(format!("quote {}", q.id), q.span);
            for s in &q.evidence {
                add(format!("quote {} evidence", q.id), *s);
            }
        }
        for m in &self.meetings {
            for s in &m.evidence {
                add(format!("meeting {} evidence", m.id), *s);
            }
        }
        for c in &self.claims {
            for s in &c.evidence {
                add(format!("claim {} evidence", c.id), *s);
            }
            for r in &c.reactions {
                for s in &r.evidence {
                    add(format!("claim {} reaction evidence", c.id), *s);
                }
            }
        }
        for v in &self.events {
            for s in &v.evidence {
                add(format!("event {} evidence", v.id), *s);
            }
        }
        for f in &self.figures {
            for s in &f.evidence {
                add(format!("figure {} evidence", f.id), *s);
            }
        }
        out
    }

    /// Checks the span invariant: every span is ordered, in bounds and on UTF-8
    /// boundaries of `document.text`. Returns a description of the first bad span.
    pub fn check_spans(&self) -> Result<(), String> {
        let text = &self.document.text;
        for (what, span) in self.spans() {
            if !span.is_valid_in(text) {
                return Err(format!(
                    "{what}: span [{}, {}] is not a valid range of a {}-byte text",
                    span.start,
                    span.end,
                    text.len()
                ));
            }
        }
        Ok(())
    }
}

/// The document a record describes.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Document {
    /// `sha256:` + hex digest of `text`.
    pub id: String,
    /// Where it was read from: file path, `path:LINE` for JSON Lines, or a feed item's link.
    pub source: String,
    /// The article's URL, when known.
    pub url: Option<String>,
    /// The publishing outlet, when known.
    pub outlet: Option<String>,
    /// The headline, when known.
    pub title: Option<String>,
    /// Publication date (`YYYY-MM-DD`) or timestamp, ISO 8601.
    pub published: Option<String>,
    /// BCP 47 language tag.
    pub language: String,
    /// Names that sign the article (bylines, a signature line), kept apart from the
    /// people of the story.
    #[serde(default)]
    pub authors: Vec<String>,
    /// Names credited for its pictures or video ("Photo: Jane Roe", "Agency/Jane Roe").
    #[serde(default)]
    pub credits: Vec<String>,
    /// The normalised text; every span indexes into it.
    pub text: String,
}

/// What kind of thing an entity is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum EntityKind {
    /// A named person.
    Person,
    /// An organisation: ministry, army, agency, company, outlet, armed group.
    Organisation,
    /// A state acting as an actor ("Russia said", "the Kremlin denied").
    Country,
    /// A named group that is not an organisation ("Ukrainians", "civilians").
    Group,
}

/// A person, organisation or country with all its mentions in the document.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Entity {
    /// Local id, `e1`, `e2`, …
    pub id: String,
    /// What kind of entity this is.
    pub kind: EntityKind,
    /// Canonical name: the fullest form found ("Marco Rubio" for "Rubio").
    pub name: String,
    /// Titles and roles, most specific first ("Defence Secretary").
    #[serde(default)]
    pub titles: Vec<String>,
    /// The side the entity belongs to, when known.
    pub affiliation: Option<Affiliation>,
    /// Knowledge-base id when the entity is a known organisation or country.
    #[serde(default)]
    pub kb_id: Option<String>,
    /// False for someone the text names only by a description ("an airport official",
    /// "two people familiar with the plans"); `name` is then the words as written.
    #[serde(default = "named_by_default")]
    pub named: bool,
    /// For an unnamed entity: the description without its determiner ("airport
    /// official").
    #[serde(default)]
    pub description: Option<String>,
    /// For an unnamed entity: how many people it stands for, when the text says.
    #[serde(default)]
    pub count: Option<u32>,
    /// Every mention, in text order.
    #[serde(default)]
    pub mentions: Vec<Mention>,
}

fn named_by_default() -> bool {
    true
}

/// The side of an entity: a country, an organisation, or both.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Affiliation {
    /// ISO 3166-1 alpha-2 code.
    pub country: Option<String>,
    /// Id of an organisation entity in the same record.
    pub organisation: Option<String>,
}

/// One mention of an entity or place.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Mention {
    /// Where it is in the normalised text.
    pub span: Span,
    /// The text of the span (redundant, for people reading the JSON).
    pub text: String,
    /// How an entity mention refers (absent on place mentions).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub form: Option<MentionForm>,
}

/// How a mention refers to its entity.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum MentionForm {
    /// The full name, or the name with its titles ("Marco Rubio", "the Kremlin").
    Name,
    /// Part of a person's name standing for the whole ("Rubio").
    Surname,
    /// A country's adjective ("Russian forces"), which names no place.
    Adjective,
    /// A place standing for its government ("Kyiv insisted").
    Metonym,
    /// A description or role ("the minister", "an airport official").
    Description,
    /// A pronoun ("he", "they").
    Pronoun,
}

/// A place, resolved to a gazetteer entry when the knowledge base knows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Place {
    /// Local id, `p1`, `p2`, …
    pub id: String,
    /// Canonical name of the place.
    pub name: String,
    /// ISO 3166-1 alpha-2 code of the country it lies in.
    pub country: Option<String>,
    /// `country`, `region`, `city`, `site`, …
    pub kind: String,
    /// GeoNames id, when resolved.
    pub geonames_id: Option<u64>,
    /// Latitude in degrees, when resolved.
    pub lat: Option<f64>,
    /// Longitude in degrees, when resolved.
    pub lon: Option<f64>,
    /// How sure the resolution is, 0–1.
    pub confidence: f32,
    /// Other gazetteer entries with the same name, when the choice was ambiguous.
    #[serde(default)]
    pub alternates: Vec<PlaceAlternate>,
    /// Every mention, in text order.
    #[serde(default)]
    pub mentions: Vec<Mention>,
}

/// A gazetteer entry that a place name could also have meant.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PlaceAlternate {
    /// GeoNames id.
    pub geonames_id: u64,
    /// ISO country code.
    pub country: Option<String>,
    /// First-level administrative division name, when known.
    pub admin1: Option<String>,
}

/// A time expression normalised to a calendar value.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TimeMention {
    /// Local id, `t1`, `t2`, …
    pub id: String,
    /// Where it is.
    pub span: Span,
    /// The text of the span.
    pub text: String,
    /// ISO 8601 value (`2025-04-22`, `2025-W17`, `2022-02`, `P30D`), or null when unresolved.
    pub value: Option<String>,
    /// `day`, `week`, `month`, `season`, `year`, `part-of-day`, `duration`, …
    pub precision: String,
    /// `absolute` when the text names the date, `published` when resolved against the
    /// publication date.
    pub anchor: String,
}

/// A quotation with its speaker.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Quote {
    /// Local id, `q1`, `q2`, …
    pub id: String,
    /// The quoted words (without the quotation marks).
    pub text: String,
    /// Where the quoted words are.
    pub span: Span,
    /// Entity id of the speaker, or null when unsure.
    pub speaker: Option<String>,
    /// Entity ids that could be the speaker when `speaker` is null.
    #[serde(default)]
    pub candidates: Vec<String>,
    /// True for words in quotation marks, false for reported speech.
    pub direct: bool,
    /// True for a few quoted words inside a sentence ("scare quotes").
    pub fragment: bool,
    /// The cue verb or phrase ("said", "according to").
    pub cue: Option<String>,
    /// The setting ("press briefing", "statement", "Telegram").
    pub channel: Option<String>,
    /// When it was said, ISO 8601, when stated.
    pub time: Option<String>,
    /// The sentence(s) the quote and its attribution come from.
    #[serde(default)]
    pub evidence: Vec<Span>,
}

/// A diplomatic engagement.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Meeting {
    /// Local id, `m1`, `m2`, …
    pub id: String,
    /// Place id of the venue.
    pub venue: Option<String>,
    /// Entity ids and ISO country codes of the participants.
    #[serde(default)]
    pub participants: Vec<String>,
    /// `bilateral`, `multilateral`, `phone`, `video`, `shuttle`.
    pub format: Option<String>,
    /// `leaders`, `ministerial`, `officials`, `envoys`, `unknown`.
    pub level: String,
    /// `planned`, `held`, `ongoing`, `postponed`, `cancelled`, `downgraded`, `upgraded`.
    pub status: String,
    /// The status before the change, when a change is reported.
    pub previous_status: Option<String>,
    /// ISO 8601 date, when known.
    pub date: Option<String>,
    /// PLOVER event type (`CONSULT`).
    #[serde(rename = "type")]
    pub plover_type: String,
    /// How sure the extraction is, 0–1.
    pub confidence: f32,
    /// Sentences that state it.
    pub evidence: Vec<Span>,
}

/// A claim or report and the reactions to it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Claim {
    /// Local id, `c1`, `c2`, …
    pub id: String,
    /// Entity id of whoever makes or reports the claim, when known.
    pub source: Option<String>,
    /// The claimed proposition, as it reads in the text.
    pub gist: String,
    /// `report`, `claim`, `position`, `demand`, `proposal`.
    pub kind: String,
    /// How sure the extraction is, 0–1.
    pub confidence: f32,
    /// Sentences that state it.
    pub evidence: Vec<Span>,
    /// Answers to the claim.
    #[serde(default)]
    pub reactions: Vec<Reaction>,
}

/// A reaction to a claim.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Reaction {
    /// Entity id of who reacted.
    pub by: Option<String>,
    /// `confirm`, `deny`, `reject`, `contradict`, `welcome`, `condemn`.
    pub stance: String,
    /// Sentences that state it.
    pub evidence: Vec<Span>,
}

/// A violent event.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Event {
    /// Local id, `v1`, `v2`, …
    pub id: String,
    /// PLOVER type: `ASSAULT` or `FIGHT`.
    #[serde(rename = "type")]
    pub plover_type: String,
    /// How: `drone`, `missile`, `airstrike`, `shelling`, `explosion`, `ground`, …
    pub mode: Option<String>,
    /// Place id of where it happened.
    pub place: Option<String>,
    /// ISO 8601 date, when known.
    pub date: Option<String>,
    /// Who did it, when stated or clearly implied.
    pub actor: Option<Actor>,
    /// What or whom it hit ("civilians", "energy infrastructure").
    pub target: Option<String>,
    /// The target as the text names it, below the place: "a house east of the city",
    /// "the regional administration building".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub site: Option<Mention>,
    /// People killed.
    pub killed: Option<Quantity>,
    /// People wounded.
    pub wounded: Option<Quantity>,
    /// How sure the extraction is, 0–1.
    pub confidence: f32,
    /// Sentences that state it.
    pub evidence: Vec<Span>,
}

/// The perpetrator of an event.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Actor {
    /// ISO country code of the state actor.
    pub country: Option<String>,
    /// Entity id of the actor.
    pub entity: Option<String>,
    /// True when the text implies rather than states who did it.
    #[serde(default)]
    pub inferred: bool,
}

/// A count as the text gives it, with the range it means.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Quantity {
    /// Lower bound.
    pub min: Option<u64>,
    /// Upper bound; null when open ("at least 12", "dozens").
    pub max: Option<u64>,
    /// The words of the text ("nine", "dozens", "more than 30").
    pub text: String,
}

/// A key figure that is not a single event.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Figure {
    /// Local id, `f1`, `f2`, …
    pub id: String,
    /// What is counted ("killed or injured", "displaced").
    pub what: String,
    /// The amount.
    pub quantity: Quantity,
    /// Sentences that state it.
    pub evidence: Vec<Span>,
}

/// A note from a pipeline stage about a document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Diagnostic {
    /// The stage that wrote it (`read`, `segment`, …).
    pub stage: String,
    /// What happened.
    pub message: String,
}
