//! Place resolution: pick one place among a name's candidates with a confidence.
//!
//! Each candidate gets a score:
//! `kind prior + main-name bonus + w·log10(population+1) + context − shadow`
//! (w = 0.5, or 0.25 for admin1 regions whose population is a sum over their
//! places) where the kind prior is country 3.0, continent 4.0, curated region 1.5,
//! capital 1.5, admin1 1.0, city 0; the main-name bonus is 1.0 when the name is
//! the entry's main name; context adds 2.5 × the share of the document's country
//! mentions that fall on the candidate's country, and 2.5 when the document
//! names the candidate's admin1 region (Atlanta or "Georgia" for a US place in
//! Georgia); a region whose name a city inside it also bears ("Kherson" for the
//! oblast) loses 3.0, so the city wins. Confidence is the softmax of the scores.

use std::collections::HashMap;

use crate::types::{Candidate, CountryCode, Entry, Place, PlaceKind};
use crate::{Kb, KbMatch};

/// What the document says about where it is: how often each country is mentioned
/// and which first-level regions are named. Build it by hand or with
/// [`PlaceContext::from_matches`].
#[derive(Clone, Debug, Default)]
pub struct PlaceContext {
    countries: HashMap<CountryCode, f64>,
    admin1: HashMap<u32, f64>,
}

impl PlaceContext {
    /// An empty context (population and kind priors only).
    pub fn new() -> Self {
        Self::default()
    }

    /// Count `weight` mentions of a country.
    pub fn add_country(&mut self, code: CountryCode, weight: f64) -> &mut Self {
        *self.countries.entry(code).or_default() += weight;
        self
    }

    /// Note that the document names this admin1 region (a places-table row).
    pub fn add_admin1(&mut self, row: u32, weight: f64) -> &mut Self {
        *self.admin1.entry(row).or_default() += weight;
        self
    }

    /// Share of the country mentions that fall on `code` (0 when none).
    pub fn country_share(&self, code: CountryCode) -> f64 {
        let total: f64 = self.countries.values().sum();
        if total <= 0.0 {
            0.0
        } else {
            self.countries.get(&code).copied().unwrap_or(0.0) / total
        }
    }

    /// Build a context from a document's matches: countries, demonyms and
    /// metonyms count one mention of their country; a place counts half a mention
    /// of the country of its best reading without context, and its admin1 region
    /// (or itself, when it is one) is noted as named.
    pub fn from_matches(kb: &Kb, matches: &[KbMatch<'_>]) -> PlaceContext {
        let mut ctx = PlaceContext::new();
        let empty = PlaceContext::new();
        for m in matches {
            if let Some(cc) = m.country() {
                ctx.add_country(cc, 1.0);
                continue;
            }
            if let Some(best) = kb.resolve_candidates(&m.candidates, &empty) {
                if let Some(cc) = best.place.country {
                    ctx.add_country(cc, 0.5);
                }
                match (best.place.kind, best.place.id) {
                    (PlaceKind::Admin1, crate::PlaceId::Place(row)) => {
                        ctx.add_admin1(row, 1.0);
                    }
                    _ => {
                        if let Some(a) = best.place.admin1_id {
                            ctx.add_admin1(a, 0.5);
                        }
                    }
                }
            }
        }
        ctx
    }
}

/// A resolved place with its confidence and the other readings.
#[derive(Clone, Debug, PartialEq)]
pub struct ResolvedPlace<'a> {
    /// The chosen place.
    pub place: Place<'a>,
    /// Probability-like confidence in (0, 1].
    pub confidence: f64,
    /// Other readings with their confidence, best first (at most 5).
    pub alternates: Vec<(Place<'a>, f64)>,
}

fn kind_prior(k: PlaceKind) -> f64 {
    match k {
        PlaceKind::Country => 3.0,
        PlaceKind::Continent => 4.0,
        PlaceKind::Region => 1.5,
        PlaceKind::Capital => 1.5,
        PlaceKind::Admin1 => 1.0,
        PlaceKind::City => 0.0,
    }
}

impl Kb {
    /// Resolve a place name in a document's context: the best place or country it
    /// names, with confidence and alternates; `None` if the KB has no place by
    /// that name. See the module docs of `resolve` for the scoring.
    pub fn resolve_place(&self, name: &str, ctx: &PlaceContext) -> Option<ResolvedPlace<'_>> {
        self.resolve_candidates(&self.lookup(name), ctx)
    }

    /// Resolve among given candidates (e.g. a [`KbMatch`]'s, which already passed
    /// the case rules). Only place and country candidates take part.
    pub fn resolve_candidates<'a>(
        &'a self,
        cands: &[Candidate<'a>],
        ctx: &PlaceContext,
    ) -> Option<ResolvedPlace<'a>> {
        let mut scored: Vec<(Place<'a>, f64)> = Vec::new();
        for c in cands {
            let place = match &c.entry {
                Entry::Place(p) => p.clone(),
                Entry::Country(k) => self.country_place(k),
                _ => continue,
            };
            if scored.iter().any(|(p, _)| p.id == place.id) {
                continue;
            }
            // a region's population is summed over its places: weigh it less
            let pop_weight = if place.kind == PlaceKind::Admin1 {
                0.25
            } else {
                0.5
            };
            let mut s =
                kind_prior(place.kind) + pop_weight * ((place.population as f64) + 1.0).log10();
            if c.primary {
                s += 1.0;
            }
            if c.shadowed {
                s -= 3.0;
            }
            if let Some(cc) = place.country {
                s += 2.5 * ctx.country_share(cc);
            }
            let own_row = match (place.kind, place.id) {
                (PlaceKind::Admin1, crate::PlaceId::Place(row)) => Some(row),
                _ => place.admin1_id,
            };
            if own_row.is_some_and(|a| ctx.admin1.get(&a).copied().unwrap_or(0.0) > 0.0) {
                s += 2.5;
            }
            scored.push((place, s));
        }
        if scored.is_empty() {
            return None;
        }
        scored.sort_by(|a, b| b.1.total_cmp(&a.1));
        let top = scored[0].1;
        let z: f64 = scored.iter().map(|(_, s)| (s - top).exp()).sum();
        let mut it = scored.into_iter().map(|(p, s)| (p, (s - top).exp() / z));
        let (place, confidence) = it.next()?;
        Some(ResolvedPlace {
            place,
            confidence,
            alternates: it.take(5).collect(),
        })
    }
}
