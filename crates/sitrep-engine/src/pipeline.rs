//! The pipeline in data-flow order: segment → recognise → resolve → time → extract
//! (quotes, events, meetings, claims, figures) → convert to the `sitrep/1` record.
//!
//! Each stage is a function of the document and the earlier stages' output; this file
//! only calls them in order, times them, and converts the result to wire types, where
//! local ids (`e1`, `p1`, …) are assigned in text order.

use std::time::{Duration, Instant};

use sitrep_core::record::{
    Actor, Affiliation, Claim, Document, Entity, EntityKind, Event, Figure, Meeting, Mention,
    MentionForm, Place, PlaceAlternate, Quote, Reaction, Record,
};
use sitrep_core::{SourceDoc, Span};
use sitrep_kb::Kb;
use sitrep_ner::Tagger;
use sitrep_text::Segmentation;

use crate::extract::{claims, events, figures, meetings, quotes};
use crate::isolate::InternalError;
use crate::model::{
    ClaimFact, DocView, Entities, EntityInfo, EntityMention, EventFact, FigureFact, MeetingFact,
    MentionKind, PlaceInfo, QuoteFact, TimeInfo,
};
use crate::recognise::{tag_names_with, TaggedName};
use crate::resolve;

/// `SITREP_TEST_PANIC=STAGE:NEEDLE` plants a [`Fault`] (debug builds only), so that the
/// command-line tests can prove a panic in one document leaves the others intact.
#[cfg(debug_assertions)]
fn fault_from_env() -> Option<Fault> {
    let value = std::env::var("SITREP_TEST_PANIC").ok()?;
    let (stage, needle) = value.split_once(':')?;
    // Leaked once per engine construction in debug builds, for `&'static` fields.
    Some(Fault {
        stage: Box::leak(stage.to_owned().into_boxed_str()),
        needle: Box::leak(needle.to_owned().into_boxed_str()),
    })
}

/// Sentences longer than this are cut into pieces before the later stages, which keeps
/// their work per sentence bounded (real sentences are far shorter).
pub const MAX_SENTENCE_BYTES: usize = 1_200;

/// The stages, in order, as named in timings.
pub const STAGES: [&str; 8] = [
    "segment",
    "recognise",
    "resolve",
    "time",
    "quotes",
    "events",
    "meetings",
    "claims",
];

/// Everything the stages computed for one document, before conversion to the wire record.
#[derive(Debug, Clone, Default)]
pub struct Analysis {
    /// Paragraphs, sentences and tokens.
    pub segmentation: Segmentation,
    /// Names the tagger found.
    pub names: Vec<TaggedName>,
    /// People, organisations and acting countries.
    pub entities: Entities,
    /// Places.
    pub places: Vec<PlaceInfo>,
    /// Time expressions.
    pub times: Vec<TimeInfo>,
    /// Quotes.
    pub quotes: Vec<QuoteFact>,
    /// Violent events.
    pub events: Vec<EventFact>,
    /// Diplomatic engagements.
    pub meetings: Vec<MeetingFact>,
    /// Claims and reactions.
    pub claims: Vec<ClaimFact>,
    /// Key figures.
    pub figures: Vec<FigureFact>,
    /// Names that sign the article or its pictures.
    pub signatures: Vec<resolve::credits::Signature>,
    /// Time spent in each stage, in [`STAGES`] order (figures count with claims).
    pub timings: [Duration; STAGES.len()],
}

/// The loaded resources of the pipeline (knowledge base, tagger); cheap to share across
/// threads.
#[derive(Clone, Copy)]
pub struct Engine {
    kb: &'static Kb,
    tagger: Option<&'static Tagger>,
    /// A planted panic, for the tests of fault isolation (debug builds only).
    #[cfg(debug_assertions)]
    fault: Option<Fault>,
}

/// A panic planted in one stage for documents whose source contains a needle, so that
/// tests can prove a bug in one document does not take a batch down. Debug builds only:
/// set with [`Engine::with_fault`] or the `SITREP_TEST_PANIC=STAGE:NEEDLE` variable.
#[cfg(debug_assertions)]
#[derive(Debug, Clone, Copy)]
pub struct Fault {
    /// The stage to fail in, one of [`STAGES`] or `record`.
    pub stage: &'static str,
    /// A substring of `SourceDoc::source` that selects the documents to fail.
    pub needle: &'static str,
}

impl std::fmt::Debug for Engine {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Engine")
            .field("kb_places", &self.kb.place_count())
            .field("tagger", &self.tagger.is_some())
            .finish()
    }
}

impl Default for Engine {
    fn default() -> Self {
        Engine::new()
    }
}

impl Engine {
    /// An engine with the embedded knowledge base and tagger. A damaged embedded model
    /// leaves the engine without a tagger (names then come from the knowledge base only)
    /// rather than failing.
    pub fn new() -> Engine {
        Engine {
            kb: Kb::embedded(),
            tagger: Tagger::embedded().ok(),
            #[cfg(debug_assertions)]
            fault: fault_from_env(),
        }
    }

    /// This engine with a panic planted in `stage` for documents whose source contains
    /// `needle`; for tests of fault isolation (debug builds only).
    #[cfg(debug_assertions)]
    pub fn with_fault(self, stage: &'static str, needle: &'static str) -> Engine {
        Engine {
            fault: Some(Fault { stage, needle }),
            ..self
        }
    }

    /// Marks `stage` as running (for the message of a panic) and, in debug builds,
    /// fires a planted fault.
    #[inline]
    fn enter(&self, stage: &'static str, _doc: &SourceDoc) {
        crate::isolate::enter_stage(stage);
        #[cfg(debug_assertions)]
        if let Some(fault) = self.fault {
            if fault.stage == stage && _doc.source.contains(fault.needle) {
                panic!("planted fault for {} in {stage}", _doc.source);
            }
        }
    }

    /// Runs every stage on `doc`.
    pub fn analyse(&self, doc: &SourceDoc) -> Analysis {
        let _span = tracing::debug_span!("analyse", source = %doc.source).entered();
        let published = doc
            .published_day()
            .and_then(|d| d.parse::<jiff::civil::Date>().ok());
        let mut timings = [Duration::ZERO; STAGES.len()];
        let mut clock = Instant::now();
        let mut lap = |i: usize| {
            let now = Instant::now();
            timings[i] += now - clock;
            clock = now;
        };

        self.enter("segment", doc);
        let mut segmentation = sitrep_text::segment(&doc.text);
        segmentation.split_long_sentences(MAX_SENTENCE_BYTES);
        lap(0);
        let view = DocView {
            text: &doc.text,
            seg: &segmentation,
            published,
        };
        self.enter("recognise", doc);
        // One knowledge-base pass serves the tagger's features and the resolve stage.
        let matches = self.kb.find_in(&doc.text);
        let names = self
            .tagger
            .map(|t| {
                let gazetteer = t
                    .uses_flags()
                    .then(sitrep_ner::gazetteer::Gazetteer::embedded);
                tag_names_with(&view, t, gazetteer, &matches)
            })
            .unwrap_or_default();
        lap(1);
        self.enter("resolve", doc);
        let resolved = resolve::resolve_matched(&view, &names, self.kb, matches);
        lap(2);
        self.enter("time", doc);
        let sentence_spans: Vec<Span> = segmentation.sentences.iter().map(|s| s.span).collect();
        let times: Vec<TimeInfo> = sitrep_time::find_times(&doc.text, &sentence_spans, published)
            .into_iter()
            .map(|t| TimeInfo {
                span: t.span,
                value: t.value.clone(),
                precision: t.precision.as_str().to_owned(),
                anchor: t.anchor.as_str().to_owned(),
            })
            .collect();
        lap(3);
        self.enter("quotes", doc);
        let quotes = quotes::find_quotes(&view, &resolved.entities, &times);
        lap(4);
        self.enter("events", doc);
        // The fact stages' lexicons are matched once over the document from here on.
        let lexicon_scan = crate::extract::lexicon::scan_document(&doc.text);
        // Casualty counts are found once per sentence and shared by events and figures.
        let casualties = events::Casualties::new();
        let events = events::find_events_with(
            &view,
            &resolved.entities,
            &resolved.places,
            &times,
            &casualties,
        );
        lap(5);
        self.enter("meetings", doc);
        let meetings = meetings::find_meetings(&view, &resolved.entities, &resolved.places, &times);
        lap(6);
        self.enter("claims", doc);
        let claims = claims::find_claims(&view, &resolved.entities, &quotes);
        self.enter("figures", doc);
        let figures = figures::find_figures_with(&view, &casualties);
        drop(lexicon_scan);
        lap(7);
        Analysis {
            segmentation,
            names,
            entities: resolved.entities,
            places: resolved.places,
            times,
            quotes,
            events,
            meetings,
            claims,
            figures,
            signatures: resolved.signatures,
            timings,
        }
    }

    /// Runs every stage on `doc` and returns its `sitrep/1` record.
    pub fn extract(&self, doc: &SourceDoc) -> Record {
        let analysis = self.analyse(doc);
        self.enter("record", doc);
        to_record(doc, &analysis)
    }

    /// Like [`Engine::extract`], but a panic in any stage becomes an [`InternalError`]
    /// naming the stage, so that one bad document cannot take a batch down.
    pub fn try_extract(&self, doc: &SourceDoc) -> Result<Record, InternalError> {
        crate::isolate::catch("segment", || self.extract(doc))
    }
}

/// The wire form of a source document.
pub fn document_of(doc: &SourceDoc) -> Document {
    Document {
        id: doc.id(),
        source: doc.source.clone(),
        url: doc.url.clone(),
        outlet: doc.outlet.clone(),
        title: doc.title.clone(),
        published: doc.published.clone(),
        language: doc.language.clone(),
        authors: Vec::new(),
        credits: Vec::new(),
        text: doc.text.clone(),
    }
}

/// How mention `m` of entity `e` refers: by name or surname, by a country's adjective
/// or a metonym, by a description, or by a pronoun.
fn mention_form(text: &str, e: &EntityInfo, m: &EntityMention) -> MentionForm {
    match m.kind {
        MentionKind::Pronoun => MentionForm::Pronoun,
        MentionKind::Role => MentionForm::Description,
        MentionKind::Metonym => MentionForm::Metonym,
        MentionKind::Country => {
            if resolve::is_country_adjective(m.span.slice(text).unwrap_or("")) {
                MentionForm::Adjective
            } else {
                MentionForm::Name
            }
        }
        MentionKind::Name => {
            let name = m.name_span.slice(text).unwrap_or("");
            let shorter = e.kind == EntityKind::Person
                && !name.contains(char::is_whitespace)
                && e.name.contains(char::is_whitespace);
            if shorter {
                MentionForm::Surname
            } else {
                MentionForm::Name
            }
        }
    }
}

/// Converts an analysis to the `sitrep/1` record, assigning ids in text order.
pub fn to_record(doc: &SourceDoc, a: &Analysis) -> Record {
    let text = doc.text.as_str();
    let mut record = Record::new(document_of(doc));
    for s in &a.signatures {
        let list = match s.kind {
            resolve::credits::CreditKind::Author => &mut record.document.authors,
            resolve::credits::CreditKind::Credit => &mut record.document.credits,
        };
        if !list.contains(&s.name) {
            list.push(s.name.clone());
        }
    }
    let eid = |i: usize| format!("e{}", i + 1);
    let pid = |i: usize| format!("p{}", i + 1);
    let slice = |s: Span| s.slice(text).unwrap_or("").to_owned();

    record.entities = a
        .entities
        .list
        .iter()
        .enumerate()
        .map(|(i, e)| Entity {
            id: eid(i),
            kind: e.kind,
            name: e.name.clone(),
            titles: e.titles.clone(),
            affiliation: (e.country.is_some() || e.organisation.is_some()).then(|| Affiliation {
                country: e.country.clone(),
                organisation: e.organisation.map(eid),
            }),
            kb_id: e.kb_id.clone(),
            named: true,
            description: None,
            count: None,
            mentions: a
                .entities
                .mentions
                .iter()
                .filter(|m| m.entity == i)
                .map(|m| Mention {
                    span: m.span,
                    text: slice(m.span),
                    form: Some(mention_form(text, e, m)),
                })
                .collect(),
        })
        .collect();
    record.places = a
        .places
        .iter()
        .enumerate()
        .map(|(i, p)| Place {
            id: pid(i),
            name: p.name.clone(),
            country: p.country.clone(),
            kind: p.kind.clone(),
            geonames_id: p.geonames_id,
            lat: p.lat,
            lon: p.lon,
            confidence: round2(p.confidence),
            alternates: p
                .alternates
                .iter()
                .map(|(id, country, admin1)| PlaceAlternate {
                    geonames_id: *id,
                    country: country.clone(),
                    admin1: admin1.clone(),
                })
                .collect(),
            mentions: p
                .mentions
                .iter()
                .map(|&span| Mention {
                    span,
                    text: slice(span),
                    form: None,
                })
                .collect(),
        })
        .collect();
    record.times = a
        .times
        .iter()
        .enumerate()
        .map(|(i, t)| sitrep_core::record::TimeMention {
            id: format!("t{}", i + 1),
            span: t.span,
            text: slice(t.span),
            value: t.value.clone(),
            precision: t.precision.clone(),
            anchor: t.anchor.clone(),
        })
        .collect();
    // Unnamed speakers ("an airport official") become entities after the named ones,
    // one per description, so that the quote keeps who said it.
    let mut unnamed_ids: Vec<(String, String)> = Vec::new();
    let mut unnamed_speaker = |span: Span, record: &mut Record| -> String {
        let written = slice(span);
        let key = crate::unnamed::key(&written);
        if let Some((_, id)) = unnamed_ids.iter().find(|(k, _)| *k == key) {
            if let Some(e) = record.entities.iter_mut().find(|e| &e.id == id) {
                if !e.mentions.iter().any(|m| m.span == span) {
                    e.mentions.push(Mention {
                        span,
                        text: written,
                        form: Some(MentionForm::Description),
                    });
                }
            }
            return id.clone();
        }
        let id = eid(record.entities.len());
        record
            .entities
            .push(crate::unnamed::entity(id.clone(), span, &written));
        unnamed_ids.push((key, id.clone()));
        id
    };
    let unnamed: Vec<Option<String>> = a
        .quotes
        .iter()
        .map(|q| {
            q.unnamed
                .filter(|_| q.speaker.is_none())
                .map(|s| unnamed_speaker(s, &mut record))
        })
        .collect();
    record.quotes = a
        .quotes
        .iter()
        .enumerate()
        .map(|(i, q)| Quote {
            id: format!("q{}", i + 1),
            text: slice(q.span),
            span: q.span,
            speaker: q.speaker.map(eid).or_else(|| unnamed[i].clone()),
            candidates: q.candidates.iter().map(|&c| eid(c)).collect(),
            direct: q.direct,
            fragment: q.fragment,
            cue: q.cue.map(slice),
            channel: q.channel.clone(),
            time: q.time.clone(),
            evidence: non_empty(&q.evidence, q.span),
        })
        .collect();
    record.meetings = a
        .meetings
        .iter()
        .filter(|m| !m.evidence.is_empty())
        .enumerate()
        .map(|(i, m)| {
            let mut participants: Vec<String> = m.participants.iter().map(|&e| eid(e)).collect();
            participants.extend(m.countries.iter().cloned());
            Meeting {
                id: format!("m{}", i + 1),
                venue: m.venue.map(pid),
                participants,
                format: m.format.map(str::to_owned),
                level: m.level.to_owned(),
                status: m.status.to_owned(),
                previous_status: m.previous_status.map(str::to_owned),
                date: m.date.clone(),
                plover_type: "CONSULT".to_owned(),
                confidence: round2(m.confidence),
                evidence: m.evidence.clone(),
            }
        })
        .collect();
    record.claims = a
        .claims
        .iter()
        .filter(|c| !c.evidence.is_empty())
        .enumerate()
        .map(|(i, c)| Claim {
            id: format!("c{}", i + 1),
            source: c.source.map(eid),
            gist: slice(c.gist),
            kind: c.kind.to_owned(),
            confidence: round2(c.confidence),
            evidence: c.evidence.clone(),
            reactions: c
                .reactions
                .iter()
                .filter(|(_, _, ev)| !ev.is_empty())
                .map(|(by, stance, ev)| Reaction {
                    by: by.map(eid),
                    stance: (*stance).to_owned(),
                    evidence: ev.clone(),
                })
                .collect(),
        })
        .collect();
    record.events = a
        .events
        .iter()
        .filter(|v| !v.evidence.is_empty())
        .enumerate()
        .map(|(i, v)| Event {
            id: format!("v{}", i + 1),
            plover_type: v.plover_type.to_owned(),
            mode: v.mode.clone(),
            place: v.place.map(pid),
            date: v.date.clone(),
            actor: (v.actor_country.is_some() || v.actor_entity.is_some()).then(|| Actor {
                country: v.actor_country.clone(),
                entity: v.actor_entity.map(eid),
                inferred: v.actor_inferred,
            }),
            target: v.target.clone(),
            site: v.site.map(|s| Mention {
                span: s,
                text: slice(s),
                form: None,
            }),
            killed: v.killed.clone(),
            wounded: v.wounded.clone(),
            confidence: round2(v.confidence),
            evidence: v.evidence.clone(),
        })
        .collect();
    record.figures = a
        .figures
        .iter()
        .filter(|f| !f.evidence.is_empty())
        .enumerate()
        .map(|(i, f)| Figure {
            id: format!("f{}", i + 1),
            what: f.what.clone(),
            quantity: f.quantity.clone(),
            evidence: f.evidence.clone(),
        })
        .collect();
    record
}

/// Confidences are estimates: two decimals, within 0–1.
fn round2(v: f32) -> f32 {
    ((v.clamp(0.0, 1.0) * 100.0).round()) / 100.0
}

/// Evidence is never empty: a fact with none points at its own span.
fn non_empty(evidence: &[Span], own: Span) -> Vec<Span> {
    if evidence.is_empty() {
        vec![own]
    } else {
        evidence.to_vec()
    }
}
