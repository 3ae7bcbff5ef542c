//! The API's response and request bodies, described for OpenAPI.
//!
//! The store's read types ([`sitrep_store::MergedFact`], [`sitrep_store::Story`], …)
//! know nothing of OpenAPI, so the API answers with these mirrors, converted field by
//! field. The conversions destructure the store's types whole: a field added there
//! fails to compile here until it is mirrored, and a test checks that both serialise
//! to the same JSON.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::Value;
use utoipa::ToSchema;

/// A fact merged over every document that told it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct MergedFact {
    /// The merged fact's id (stable): the `{id}` of `/api/v1/facts/{id}/evidence`.
    pub id: i64,
    /// `person`, `quote`, `meeting`, `event` or `claim`.
    pub kind: String,
    /// A short label: a name, the quoted words, a claim's gist, "missile strike in X".
    pub label: String,
    /// The day it happened (events, meetings) or was first reported.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub date: Option<String>,
    /// ISO 3166-1 alpha-2: where (events, meetings) or whose side (people, quotes).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub country: Option<String>,
    /// The story it belongs to.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub story: Option<i64>,
    /// Latitude of its place, when known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub lat: Option<f64>,
    /// Longitude of its place, when known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub lon: Option<f64>,
    /// Independent outlets that report it (syndicated and near copies count once).
    pub outlets: u32,
    /// Documents that report it (copies included).
    pub documents: u32,
    /// The values reported, field by field (the most widely reported one where outlets
    /// disagree; see `disputes`).
    #[schema(value_type = Object)]
    pub fields: BTreeMap<String, Value>,
    /// Where it was reported, with the evidence in each document (at most 20 in lists;
    /// every one from `/facts/{id}/evidence`).
    pub sources: Vec<SourceRef>,
    /// Fields on which outlets disagree.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub disputes: Vec<Dispute>,
}

/// One place a fact was reported.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SourceRef {
    /// The document's content hash (`sha256:…`): the `{id}` of `/api/v1/documents/{id}`.
    pub document: String,
    /// The fact's id in that document's `sitrep/1` record (`v1`, `q3`, `e2`, …).
    pub record_id: String,
    /// The outlet, when known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub outlet: Option<String>,
    /// The URL, when known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// When it was published, when known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub published: Option<String>,
    /// False for a syndicated copy or a near-duplicate of another source's text.
    pub independent: bool,
    /// The sentences the fact was read from.
    pub evidence: Vec<Evidence>,
}

/// A piece of evidence: a byte range of the document's normalised text, and its words.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Evidence {
    /// Byte offset of the first byte.
    pub start: usize,
    /// Byte offset just past the last byte.
    pub end: usize,
    /// The text of the range.
    pub text: String,
}

/// A field on which outlets disagree.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Dispute {
    /// The field (`killed`, `status`, `speaker`, …).
    pub field: String,
    /// Every value given, with the outlets giving it; most widely given first.
    pub values: Vec<DisputedValue>,
}

/// One value of a disputed field.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct DisputedValue {
    /// The value as reported.
    #[schema(value_type = Value)]
    pub value: Value,
    /// The outlets that give it.
    pub outlets: Vec<String>,
}

/// A story: documents that share attacks, meetings, claims or quotes.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Story {
    /// The story's id: the `story` filter of the fact lists.
    pub id: i64,
    /// The title of its first document.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// Its first publication time.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub first_published: Option<String>,
    /// Its last publication time.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub last_published: Option<String>,
    /// Documents in it.
    pub documents: u32,
    /// Its merged facts by kind (`event`, `meeting`, `claim`, `quote`).
    pub facts: BTreeMap<String, u32>,
    /// Independent outlets over its documents.
    pub outlets: Vec<String>,
}

/// A page of merged facts, newest first.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct FactPage {
    /// The facts.
    pub results: Vec<MergedFact>,
    /// The `cursor` of the next page; absent on the last one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next: Option<String>,
}

/// A page of stories, newest first.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct StoryPage {
    /// The stories.
    pub results: Vec<Story>,
    /// The `cursor` of the next page; absent on the last one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next: Option<String>,
}

/// A stored document, as listed.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct DocumentSummary {
    /// The content hash (`sha256:…`): the `{id}` of `/api/v1/documents/{id}`.
    pub id: String,
    /// The headline, when known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// The outlet of the first place it was seen, when known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub outlet: Option<String>,
    /// The URL of the first place it was seen, when known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// When it was published, when known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub published: Option<String>,
    /// When the store first saw it (RFC 3339, UTC).
    pub first_seen: String,
    /// Places it was seen (syndicated copies of the same text).
    pub sources: u32,
}

/// A page of stored documents, most recently stored first.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct DocumentPage {
    /// The documents.
    pub results: Vec<DocumentSummary>,
    /// The `cursor` of the next page; absent on the last one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next: Option<String>,
}

/// One document to extract and store: the fields of a line of sitrep's JSON Lines input.
#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct DocumentInput {
    /// The article's text (HTML markup in it is stripped to its visible text). One of
    /// `text` and `html` is required.
    pub text: Option<String>,
    /// The article as an HTML page, read like a saved page (instead of `text`).
    pub html: Option<String>,
    /// The article's URL: metadata only, never fetched.
    pub url: Option<String>,
    /// The headline.
    pub title: Option<String>,
    /// The publication date or time (ISO 8601 or a common date format).
    pub published: Option<String>,
    /// The outlet's name or domain.
    pub outlet: Option<String>,
    /// BCP 47 language tag; `en` when absent.
    pub language: Option<String>,
}

/// The body of `POST /api/v1/documents`: one document or an array of them.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(untagged)]
pub enum DocumentsInput {
    /// One document.
    One(DocumentInput),
    /// Several documents, stored in one transaction.
    Many(Vec<DocumentInput>),
}

/// What became of one posted document.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PostOutcome {
    /// Which document: `request.json` for a single object, `request.json#N` (from 1)
    /// in an array.
    pub location: String,
    /// `new`, `new_version` (other text at a URL already stored), `new_source` (text
    /// already stored, seen at another place), `duplicate`, or `failed`.
    pub status: String,
    /// The stored document's content hash, unless it failed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub document: Option<String>,
    /// Why it failed, when it did.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

/// The answer to `POST /api/v1/documents`.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PostResponse {
    /// One outcome per posted document, in order.
    pub results: Vec<PostOutcome>,
    /// Documents stored (new, new versions and new sources).
    pub stored: usize,
    /// Documents that could not be read or extracted.
    pub failed: usize,
}

impl From<sitrep_store::MergedFact> for MergedFact {
    fn from(fact: sitrep_store::MergedFact) -> MergedFact {
        let sitrep_store::MergedFact {
            id,
            kind,
            label,
            date,
            country,
            story,
            lat,
            lon,
            outlets,
            documents,
            fields,
            sources,
            disputes,
        } = fact;
        MergedFact {
            id,
            kind,
            label,
            date,
            country,
            story,
            lat,
            lon,
            outlets,
            documents,
            fields,
            sources: sources.into_iter().map(SourceRef::from).collect(),
            disputes: disputes.into_iter().map(Dispute::from).collect(),
        }
    }
}

impl From<sitrep_store::query::SourceRef> for SourceRef {
    fn from(source: sitrep_store::query::SourceRef) -> SourceRef {
        let sitrep_store::query::SourceRef {
            document,
            record_id,
            outlet,
            url,
            published,
            independent,
            evidence,
        } = source;
        SourceRef {
            document,
            record_id,
            outlet,
            url,
            published,
            independent,
            evidence: evidence.into_iter().map(Evidence::from).collect(),
        }
    }
}

impl From<sitrep_store::query::Evidence> for Evidence {
    fn from(evidence: sitrep_store::query::Evidence) -> Evidence {
        let sitrep_store::query::Evidence { start, end, text } = evidence;
        Evidence { start, end, text }
    }
}

impl From<sitrep_store::query::Dispute> for Dispute {
    fn from(dispute: sitrep_store::query::Dispute) -> Dispute {
        let sitrep_store::query::Dispute { field, values } = dispute;
        Dispute {
            field,
            values: values
                .into_iter()
                .map(|v| {
                    let sitrep_store::query::DisputedValue { value, outlets } = v;
                    DisputedValue { value, outlets }
                })
                .collect(),
        }
    }
}

impl From<sitrep_store::Story> for Story {
    fn from(story: sitrep_store::Story) -> Story {
        let sitrep_store::Story {
            id,
            title,
            first_published,
            last_published,
            documents,
            facts,
            outlets,
        } = story;
        Story {
            id,
            title,
            first_published,
            last_published,
            documents,
            facts,
            outlets,
        }
    }
}

impl From<sitrep_store::Page<sitrep_store::MergedFact>> for FactPage {
    fn from(page: sitrep_store::Page<sitrep_store::MergedFact>) -> FactPage {
        let sitrep_store::Page { results, next } = page;
        FactPage {
            results: results.into_iter().map(MergedFact::from).collect(),
            next,
        }
    }
}

impl From<sitrep_store::Page<sitrep_store::Story>> for StoryPage {
    fn from(page: sitrep_store::Page<sitrep_store::Story>) -> StoryPage {
        let sitrep_store::Page { results, next } = page;
        StoryPage {
            results: results.into_iter().map(Story::from).collect(),
            next,
        }
    }
}

impl From<sitrep_store::query::DocumentSummary> for DocumentSummary {
    fn from(doc: sitrep_store::query::DocumentSummary) -> DocumentSummary {
        let sitrep_store::query::DocumentSummary {
            id,
            title,
            outlet,
            url,
            published,
            first_seen,
            sources,
        } = doc;
        DocumentSummary {
            id,
            title,
            outlet,
            url,
            published,
            first_seen,
            sources,
        }
    }
}

impl From<sitrep_store::Page<sitrep_store::query::DocumentSummary>> for DocumentPage {
    fn from(page: sitrep_store::Page<sitrep_store::query::DocumentSummary>) -> DocumentPage {
        let sitrep_store::Page { results, next } = page;
        DocumentPage {
            results: results.into_iter().map(DocumentSummary::from).collect(),
            next,
        }
    }
}
