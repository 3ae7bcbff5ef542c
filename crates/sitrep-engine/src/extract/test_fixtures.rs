//! Hand-made documents for the event stages' tests: text segmented by
//! `sitrep_text::segment`, entities, places and times placed by their surface words.
use sitrep_core::record::EntityKind;
use sitrep_core::Span;
use sitrep_text::Segmentation;

use crate::extract::lexicon::is_word_bounded;
use crate::model::{
    DocView, Entities, EntityIdx, EntityInfo, EntityMention, MentionKind, PlaceIdx, PlaceInfo,
    TimeInfo,
};

/// A test document.
pub(crate) struct Fx {
    pub(crate) text: String,
    pub(crate) seg: Segmentation,
    pub(crate) entities: Entities,
    pub(crate) places: Vec<PlaceInfo>,
    pub(crate) times: Vec<TimeInfo>,
    pub(crate) published: Option<jiff::civil::Date>,
}

impl Fx {
    /// A document published on 2025-05-14 (a Wednesday).
    pub(crate) fn new(text: &str) -> Fx {
        Fx {
            text: text.to_owned(),
            seg: sitrep_text::segment(text),
            entities: Entities::default(),
            places: Vec::new(),
            times: Vec::new(),
            published: Some(jiff::civil::date(2025, 5, 14)),
        }
    }

    pub(crate) fn doc(&self) -> DocView<'_> {
        DocView {
            text: &self.text,
            seg: &self.seg,
            published: self.published,
        }
    }

    /// Word-bounded occurrences of `surface`.
    pub(crate) fn find(&self, surface: &str) -> Vec<Span> {
        self.text
            .match_indices(surface)
            .filter(|(i, _)| is_word_bounded(&self.text, *i, i + surface.len()))
            .map(|(i, _)| Span::new(i, i + surface.len()))
            .collect()
    }

    /// A new entity named `surface`, mentioned wherever `surface` occurs.
    pub(crate) fn entity(
        &mut self,
        surface: &str,
        kind: EntityKind,
        country: Option<&str>,
    ) -> EntityIdx {
        let idx = self.entities.list.len();
        self.entities.list.push(EntityInfo {
            kind,
            name: surface.to_owned(),
            titles: Vec::new(),
            country: country.map(str::to_owned),
            organisation: None,
            gender: None,
            kb_id: None,
        });
        let mk = if kind == EntityKind::Country {
            MentionKind::Country
        } else {
            MentionKind::Name
        };
        self.mention(idx, surface, mk);
        idx
    }

    /// More mentions of entity `idx` wherever `surface` occurs.
    pub(crate) fn mention(&mut self, idx: EntityIdx, surface: &str, kind: MentionKind) {
        for span in self.find(surface) {
            self.entities.mentions.push(EntityMention {
                span,
                name_span: span,
                entity: idx,
                kind,
            });
        }
        self.entities
            .mentions
            .sort_by_key(|m| (m.span.start, m.span.end));
    }

    /// A place mentioned wherever `surface` occurs.
    pub(crate) fn place(&mut self, surface: &str, kind: &str, country: &str) -> PlaceIdx {
        let mentions = self.find(surface);
        self.places.push(PlaceInfo {
            name: surface.to_owned(),
            country: Some(country.to_owned()),
            kind: kind.to_owned(),
            geonames_id: None,
            lat: None,
            lon: None,
            admin1: None,
            confidence: 1.0,
            alternates: Vec::new(),
            mentions,
        });
        self.places.len() - 1
    }

    /// A time expression at the first occurrence of `surface`.
    pub(crate) fn time(&mut self, surface: &str, value: &str, precision: &str) {
        if let Some(span) = self.find(surface).first() {
            self.times.push(TimeInfo {
                span: *span,
                value: Some(value.to_owned()),
                precision: precision.to_owned(),
                anchor: "published".to_owned(),
            });
        }
    }
}
