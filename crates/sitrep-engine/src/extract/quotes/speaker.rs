//! Who is speaking: subjects of cue verbs, and the resolution of pronouns and role nouns
//! to the most salient compatible entity.
//!
//! Salience is recency by sentence: the pronoun's own sentence (before it), then earlier
//! sentences of its paragraph, then earlier paragraphs, at most [`LOOKBACK`] sentences.
//! In the nearest sentence that has compatible entities, a single one (not counting
//! possessives such as "Putin’s call") wins; several are broken in favour of the last
//! attributed speaker, and otherwise reported as candidates with no speaker.

use super::lexicon::{self, Pronoun, Role};
use super::Ctx;
use crate::model::{EntityIdx, EntityMention, Gender, MentionKind};
use sitrep_core::record::EntityKind;

/// Sentences looked back over when resolving a pronoun or role noun.
const LOOKBACK: usize = 8;

/// Tokens that may separate a subject from its cue ("Healey also said").
const MAX_SKIP: usize = 4;

/// A speaker, or the candidates when unsure.
#[derive(Debug, Clone, Default, PartialEq)]
pub(super) struct Who {
    /// The entity, when sure.
    pub speaker: Option<EntityIdx>,
    /// Possible entities, when unsure.
    pub candidates: Vec<EntityIdx>,
}

impl Who {
    fn sure(e: EntityIdx) -> Who {
        Who {
            speaker: Some(e),
            candidates: Vec::new(),
        }
    }

    /// True when it names someone or offers candidates.
    pub fn is_known(&self) -> bool {
        self.speaker.is_some() || !self.candidates.is_empty()
    }
}

/// What can refer to an entity.
#[derive(Debug, Clone, Copy)]
enum Want {
    Pronoun(Pronoun),
    Role(Role),
}

impl<'a> Ctx<'a> {
    /// True when the mention is a possessive ("Putin’s", "Ukrainians’").
    fn possessive(&self, m: &EntityMention) -> bool {
        let after = self.doc.text.get(m.span.end()..).unwrap_or("");
        after.starts_with("’s")
            || after.starts_with("'s")
            || (after.starts_with(['’', '\''])
                && self.doc.text[..m.span.end()].ends_with('s')
                && !after[1..].starts_with(char::is_alphanumeric))
    }

    /// The best mention among those starting at `start` (longest; persons first).
    fn mention_starting_at(&self, start: u32) -> Option<&'a EntityMention> {
        let ms = &self.ents.mentions;
        let i = ms.partition_point(|m| m.span.start < start);
        ms[i..]
            .iter()
            .take_while(|m| m.span.start == start)
            .max_by_key(|m| (m.span.len(), self.is_person(m.entity)))
    }

    /// The best mention ending at `end` and starting at or after `lo`.
    fn mention_ending_at(&self, end: u32, lo: u32) -> Option<&'a EntityMention> {
        let ms = &self.ents.mentions;
        let i = ms.partition_point(|m| m.span.start < lo);
        ms[i..]
            .iter()
            .take_while(|m| m.span.start < end)
            .filter(|m| m.span.end == end || m.name_span.end == end)
            .max_by_key(|m| (self.is_person(m.entity), m.span.len()))
    }

    fn is_person(&self, e: EntityIdx) -> bool {
        self.ents
            .list
            .get(e)
            .is_some_and(|i| i.kind == EntityKind::Person)
    }

    /// A referring expression that starts at token `k` and ends before token `hi`:
    /// a mention, a pronoun, or a role noun phrase ("the minister", "a Kremlin
    /// spokesman"). Returns who it is, the token after it, and whether it is possessive.
    pub(super) fn referent_at(&self, k: usize, hi: usize) -> Option<(Who, usize, bool)> {
        let tok = self.tokens.get(k)?;
        if let Some(m) = self.mention_starting_at(tok.span.start) {
            let next = self.tok_after(m.span.end());
            return Some((self.who_of_mention(m), next, self.possessive(m)));
        }
        let word = self.tok_text(k);
        if let Some(p) = Pronoun::parse(word) {
            return Some((
                self.resolve(Want::Pronoun(p), tok.span.start(), false, None),
                k + 1,
                false,
            ));
        }
        if !lexicon::is_determiner(word) {
            return None;
        }
        // Determiner, up to three modifiers, role noun — or a name inside ("the Kremlin
        // spokesman Dmitry Peskov").
        let indefinite = lexicon::is_indefinite(word);
        let mut org = None;
        for j in k + 1..(k + 5).min(hi) {
            let t = self.tokens[j];
            if let Some(m) = self.mention_starting_at(t.span.start) {
                if self.is_person(m.entity) {
                    return Some((
                        Who::sure(m.entity),
                        self.tok_after(m.span.end()),
                        self.possessive(m),
                    ));
                }
                org = org.or(Some(m.entity));
            }
            let w = self.tok_text(j);
            if let Some(role) = Role::parse(w) {
                // "the minister Olha Stefanishyna": the name follows.
                if let Some(m) = self
                    .tokens
                    .get(j + 1)
                    .and_then(|n| self.mention_starting_at(n.span.start))
                {
                    if self.is_person(m.entity) {
                        return Some((
                            Who::sure(m.entity),
                            self.tok_after(m.span.end()),
                            self.possessive(m),
                        ));
                    }
                }
                let who = self.resolve(Want::Role(role), tok.span.start(), indefinite, org);
                return Some((who, j + 1, false));
            }
            if !w.starts_with(char::is_alphabetic) {
                return None;
            }
        }
        None
    }

    /// A referring expression that ends with token `k` and starts at or after token
    /// `lo`: a mention, a pronoun, or a role noun phrase. Returns who and its first token.
    fn referent_ending_at(&self, k: usize, lo: usize) -> Option<(Who, usize)> {
        let tok = self.tokens.get(k)?;
        let lo_byte = self.tokens.get(lo).map_or(tok.span.start, |t| t.span.start);
        if let Some(m) = self.mention_ending_at(tok.span.end, lo_byte) {
            return Some((
                self.who_of_mention(m),
                self.tok_after(m.span.start()).min(k),
            ));
        }
        let word = self.tok_text(k);
        if let Some(p) = Pronoun::parse(word) {
            return Some((
                self.resolve(Want::Pronoun(p), tok.span.start(), false, None),
                k,
            ));
        }
        let role = Role::parse(word)?;
        let mut start = k;
        let mut indefinite = false;
        let mut org = None;
        for j in (lo..k).rev().take(4) {
            let w = self.tok_text(j);
            if let Some(m) = self.mention_starting_at(self.tokens[j].span.start) {
                org = org.or(Some(m.entity));
            }
            if lexicon::is_determiner(w) {
                start = j;
                indefinite = lexicon::is_indefinite(w);
                break;
            }
            if !w.starts_with(char::is_alphabetic) {
                break;
            }
        }
        let pos = self.tokens[start].span.start();
        Some((self.resolve(Want::Role(role), pos, indefinite, org), start))
    }

    /// Who a mention refers to (pronoun mentions the entity stage resolved included).
    fn who_of_mention(&self, m: &EntityMention) -> Who {
        Who::sure(m.entity)
    }

    /// The subject of the cue at token `cue`, looking back no further than token `lo`:
    /// the referent right before the cue (skipping adverbs, auxiliaries and time
    /// expressions), or, after an appositive ("Sak, adviser to …, said"), the first
    /// referent of the clause.
    pub(super) fn subject_before(&self, cue: usize, lo: usize) -> Option<Who> {
        let mut k = cue;
        let mut skipped = 0;
        while k > lo {
            k -= 1;
            let t = self.tokens[k];
            let w = self.tok_text(k);
            let prep_before_time =
                skipped > 0 && matches!(w, "on" | "in" | "at" | "late" | "early");
            if self.in_time(t.span) || prep_before_time || lexicon::is_skippable_before_cue(w) {
                skipped += 1;
                if skipped > MAX_SKIP {
                    return None;
                }
                continue;
            }
            if let Some((who, _)) = self.referent_ending_at(k, lo) {
                return Some(who);
            }
            // After an appositive ("Sak, adviser to …, said") or a first predicate
            // ("Brel dismissed the claim and told …"): the clause's subject.
            if matches!(w, "," | "and" | "but") {
                return self.first_referent(lo, k);
            }
            return None;
        }
        None
    }

    /// The referent right after the cue ending before token `after` ("said Zelensky",
    /// "according to the ministry"), if one starts there.
    pub(super) fn subject_after(&self, after: usize, hi: usize) -> Option<(Who, usize)> {
        if after >= hi {
            return None;
        }
        self.referent_at(after, hi)
            .filter(|(_, _, poss)| !poss)
            .map(|(w, end, _)| (w, end))
    }

    /// The first non-possessive referent of the clause between tokens `lo` and `hi`
    /// (outside quotations), after a fronted adverbial phrase ("Despite …, X …").
    pub(super) fn first_referent(&self, lo: usize, hi: usize) -> Option<Who> {
        let mut k = lo;
        if k < hi && lexicon::is_fronting_word(self.tok_text(k)) {
            if let Some(c) = (k + 1..hi).find(|&j| self.tok_text(j) == ",") {
                k = c + 1;
            }
        }
        while k < hi {
            let t = self.tokens[k];
            if let Some(q) = self.quote_containing(t.span.start()) {
                k = self.tok_after(q.end).max(k + 1);
                continue;
            }
            match self.referent_at(k, hi) {
                Some((who, _, false)) if who.is_known() => return Some(who),
                Some((_, end, _)) => k = end.max(k + 1),
                None => k += 1,
            }
        }
        None
    }

    /// Entities that may be meant at byte `pos`, nearest sentence first: the
    /// candidates offered when a quote has no attribution.
    pub(super) fn recent_persons(&self, pos: usize) -> Vec<EntityIdx> {
        let mut out = Vec::new();
        self.walk_back(pos, |e, _| {
            if self.is_person(e) && !out.contains(&e) {
                out.push(e);
            }
            out.len() >= 3
        });
        out
    }

    /// Calls `f(entity, possessive)` for mentions before `pos` (outside quotations),
    /// sentence by sentence backwards, latest first; `f` returns true to stop. Sentence
    /// boundaries are reported as `usize::MAX`.
    fn walk_back(&self, pos: usize, mut f: impl FnMut(EntityIdx, bool) -> bool) {
        let sents = &self.doc.seg.sentences;
        if sents.is_empty() {
            return;
        }
        let first = self.doc.sentence_at(pos);
        let ms = &self.ents.mentions;
        for s in (first.saturating_sub(LOOKBACK)..=first).rev() {
            let span = sents[s].span;
            let end = span.end.min(u32::try_from(pos).unwrap_or(u32::MAX));
            let lo = ms.partition_point(|m| m.span.start < span.start);
            let hi = ms.partition_point(|m| m.span.start < end);
            for m in ms[lo..hi].iter().rev() {
                if self.quote_containing(m.span.start()).is_some() {
                    continue;
                }
                if f(m.entity, self.possessive(m)) {
                    return;
                }
            }
            if f(usize::MAX, false) {
                return;
            }
        }
    }

    /// Resolves a pronoun or role noun at byte `pos`.
    fn resolve(&self, want: Want, pos: usize, indefinite: bool, org: Option<EntityIdx>) -> Who {
        // The entity stage may have resolved it already.
        if let Some(m) = self.mention_starting_at(u32::try_from(pos).unwrap_or(u32::MAX)) {
            if matches!(m.kind, MentionKind::Pronoun | MentionKind::Role) {
                return Who::sure(m.entity);
            }
        }
        if let Want::Role(role) = want {
            if role.title_keys.is_empty() {
                // "an official": anonymous; "the official": someone, but we cannot say who.
                return if indefinite {
                    Who::default()
                } else {
                    Who {
                        speaker: None,
                        candidates: self.recent_persons(pos),
                    }
                };
            }
        }
        let compatible = |e: EntityIdx| self.compatible(want, e);
        // Nearest sentence with compatible entities: (entity, non-possessive).
        let mut found: Vec<(EntityIdx, bool)> = Vec::new();
        self.walk_back(pos, |e, poss| {
            if e == usize::MAX {
                return !found.is_empty();
            }
            if compatible(e) {
                match found.iter_mut().find(|(f, _)| *f == e) {
                    Some(slot) => slot.1 |= !poss,
                    None => found.push((e, !poss)),
                }
            }
            false
        });
        let direct: Vec<EntityIdx> = found.iter().filter(|f| f.1).map(|f| f.0).collect();
        let pool: Vec<EntityIdx> = if direct.is_empty() {
            found.iter().map(|f| f.0).collect()
        } else {
            direct
        };
        match pool.len() {
            0 => match (want, org) {
                // "a Kremlin spokesman said" with no spokesman named: the Kremlin speaks.
                (Want::Role(_), Some(o)) => Who::sure(o),
                _ => Who {
                    speaker: None,
                    candidates: self.recent_persons(pos),
                },
            },
            1 => Who::sure(pool[0]),
            _ => match self.last_speaker.get() {
                Some(last) if pool.contains(&last) => Who::sure(last),
                _ => Who {
                    speaker: None,
                    candidates: pool,
                },
            },
        }
    }

    /// True when entity `e` can be referred to as `want`.
    fn compatible(&self, want: Want, e: EntityIdx) -> bool {
        let Some(info) = self.ents.list.get(e) else {
            return false;
        };
        let gender_ok =
            |g: Option<Gender>| g.is_none() || info.gender.is_none() || info.gender == g;
        match want {
            Want::Pronoun(Pronoun::They) => {
                matches!(
                    info.kind,
                    EntityKind::Organisation | EntityKind::Country | EntityKind::Group
                )
            }
            Want::Pronoun(p) => info.kind == EntityKind::Person && gender_ok(p.gender()),
            Want::Role(role) => {
                info.kind == EntityKind::Person
                    && gender_ok(role.gender)
                    && info
                        .titles
                        .iter()
                        .any(|t| role.title_keys.iter().any(|k| contains_ignore_case(t, k)))
            }
        }
    }
}

/// True when `hay` contains the lowercase ASCII `needle`, ignoring ASCII case.
fn contains_ignore_case(hay: &str, needle: &str) -> bool {
    let (h, n) = (hay.as_bytes(), needle.as_bytes());
    n.is_empty() || h.windows(n.len()).any(|w| w.eq_ignore_ascii_case(n))
}
