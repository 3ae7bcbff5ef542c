//! Who is speaking: subjects of cue verbs, and the resolution of pronouns and role nouns
//! to the most salient compatible entity.
//!
//! Salience is recency by sentence: the pronoun's own sentence (before it), then earlier
//! sentences of its paragraph, then earlier paragraphs, at most [`LOOKBACK`] sentences.
//! In the nearest sentence that has compatible entities, a single one (not counting
//! possessives such as "Putin’s call") wins; several are broken in favour of the last
//! attributed speaker, and otherwise reported as candidates with no speaker.

use super::lexicon::{self, OrgNoun, Pronoun, Role};
use super::Ctx;
use crate::model::{EntityIdx, EntityMention, Gender, MentionKind};
use crate::walk;
use sitrep_core::record::EntityKind;

/// Sentences looked back over when resolving a pronoun or role noun.
const LOOKBACK: usize = 8;

/// Sentences walked back at most, quoted ones included (bounds the work).
const MAX_WALK: usize = 40;

/// Tokens that may separate a subject from its cue ("Healey also said").
const MAX_SKIP: usize = 4;

/// Longest post-modifier between a subject's head noun and its cue, in tokens.
const MAX_POSTMODIFIER: usize = 9;

/// A speaker, or the candidates when unsure.
#[derive(Debug, Clone, Default, PartialEq)]
pub(super) struct Who {
    /// The entity, when sure.
    pub speaker: Option<EntityIdx>,
    /// Possible entities, when unsure.
    pub candidates: Vec<EntityIdx>,
    /// Someone the text names only by a role ("a senior official", "analysts"): a
    /// speaker exists, but no entity stands for them.
    pub unnamed: bool,
    /// The words naming an unnamed speaker ("an airport official"), when known.
    pub description: Option<sitrep_core::Span>,
}

impl Who {
    pub(super) fn sure(e: EntityIdx) -> Who {
        Who {
            speaker: Some(e),
            ..Who::default()
        }
    }

    /// An unnamed speaker ("an official").
    pub(super) fn unnamed() -> Who {
        Who {
            unnamed: true,
            ..Who::default()
        }
    }

    /// True when it names someone, offers candidates, or stands for an unnamed speaker.
    pub fn is_known(&self) -> bool {
        self.speaker.is_some() || !self.candidates.is_empty() || self.unnamed
    }

    /// The words naming the speaker when the speaker is unnamed.
    pub fn unnamed_description(&self) -> Option<sitrep_core::Span> {
        self.speaker
            .is_none()
            .then_some(self.description)
            .flatten()
            .filter(|_| self.unnamed)
    }

    /// True when it names someone or offers candidates (not only an unnamed speaker).
    pub fn is_entity(&self) -> bool {
        self.speaker.is_some() || !self.candidates.is_empty()
    }
}

/// What can refer to an entity.
#[derive(Debug, Clone, Copy)]
enum Want {
    Pronoun(Pronoun),
    Role(Role),
    Org(OrgNoun),
}

impl<'a> Ctx<'a> {
    /// True when the mention is a possessive ("Putin’s", "Ukrainians’").
    fn possessive(&self, m: &EntityMention) -> bool {
        let after = self.doc.text.get(m.span.end()..).unwrap_or("");
        after.starts_with("’s")
            || after.starts_with("'s")
            || (after.starts_with(['’', '\''])
                && walk::before(self.doc.text, m.span.end()).ends_with('s')
                && !walk::after(after, walk::first_char_len(after))
                    .starts_with(char::is_alphanumeric))
    }

    /// The best mention starting at token `k`, if any.
    pub(super) fn mention_at_token(&self, k: usize) -> Option<&'a EntityMention> {
        self.mention_starting_at(self.tokens.get(k)?.span.start)
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

    /// The kind of entity `e`.
    fn kind_of(&self, e: EntityIdx) -> Option<EntityKind> {
        self.ents.list.get(e).map(|i| i.kind)
    }

    /// True when entity `e` is a person.
    pub(super) fn is_person(&self, e: EntityIdx) -> bool {
        self.ents
            .list
            .get(e)
            .is_some_and(|i| i.kind == EntityKind::Person)
    }

    /// A referring expression that starts at token `k` and ends before token `hi`:
    /// a mention, a pronoun, or a role noun phrase ("the minister", "a Kremlin
    /// spokesman", "the paramilitary group", "Russia’s defence ministry"). Returns who
    /// it is, the token after it, and whether it is possessive.
    pub(super) fn referent_at(&self, k: usize, hi: usize) -> Option<(Who, usize, bool)> {
        let tok = self.tokens.get(k)?;
        if let Some(m) = self.mention_starting_at(tok.span.start) {
            let next = self.tok_after(m.span.end());
            if self.possessive(m) {
                // "Russia’s defence ministry", "Ukraine’s foreign minister": the head
                // noun after the possessive is the referent.
                if let Some(found) = self.head_after_possessive(m.entity, next, hi) {
                    return Some(found);
                }
            }
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
            return self.person_after_titles(k, hi);
        }
        // Determiner, up to three modifiers, role noun — or a name inside ("the Kremlin
        // spokesman Dmitry Peskov").
        let indefinite = lexicon::is_indefinite(word);
        let mut org = None;
        for j in k + 1..(k + 7).min(hi) {
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
                // "the minister Olha Stefanishyna", "the army's chief spokesman
                // Colonel Jan Novak": the name follows, after more role words
                // or ranks.
                for n in j + 1..(j + 5).min(hi) {
                    if let Some(m) = self.mention_at_token(n) {
                        if self.is_person(m.entity) {
                            return Some((
                                Who::sure(m.entity),
                                self.tok_after(m.span.end()),
                                self.possessive(m),
                            ));
                        }
                        break;
                    }
                    let next = self.tok_text(n);
                    if !(Role::parse(next).is_some() || next.starts_with(char::is_uppercase)) {
                        break;
                    }
                }
                let mut who = self.resolve(Want::Role(role), tok.span.start(), indefinite, org);
                if who.unnamed {
                    who.description = Some(sitrep_core::Span::new(tok.span.start(), t.span.end()));
                }
                return Some((who, j + 1, false));
            }
            if let Some(noun) = OrgNoun::parse(w) {
                // "the army's spokesperson …": the body owns the head noun after it.
                if matches!(self.tok_text(j + 1), "’s" | "'s") {
                    continue;
                }
                let who = self.org_referent(noun, org, tok.span.start());
                return Some((who, j + 1, false));
            }
            if matches!(w, "’s" | "'s") {
                continue;
            }
            if lexicon::is_statement_noun(w) && j == k + 1 {
                return Some((self.statement_issuer(word), j + 1, false));
            }
            if !w.starts_with(char::is_alphabetic) {
                return None;
            }
        }
        None
    }

    /// A person named after a few capitalised words or abbreviations that no recogniser
    /// took for part of the name ("Rep. Gwen Moore", "panel Chairman Rep. Jason
    /// Chaffetz", "Republican Sen. Lindsey Graham"): the person and the token after the
    /// name, when token `k` starts such a run.
    fn person_after_titles(&self, k: usize, hi: usize) -> Option<(Who, usize, bool)> {
        if !self.tok_text(k).starts_with(char::is_uppercase) {
            return None;
        }
        for j in k + 1..(k + 5).min(hi) {
            let t = self.tokens[j];
            if let Some(m) = self.mention_starting_at(t.span.start) {
                return self.is_person(m.entity).then(|| {
                    (
                        Who::sure(m.entity),
                        self.tok_after(m.span.end()),
                        self.possessive(m),
                    )
                });
            }
            let w = self.tok_text(j);
            if !(w == "." || w.starts_with(char::is_uppercase)) {
                return None;
            }
        }
        None
    }

    /// The head noun after a possessive mention of `owner` starting at token `k`
    /// ("’s defence ministry", "’s foreign minister"): who it is and the token after it.
    fn head_after_possessive(
        &self,
        owner: EntityIdx,
        k: usize,
        hi: usize,
    ) -> Option<(Who, usize, bool)> {
        let mut j = k;
        if matches!(self.tok_text(j), "’s" | "'s" | "’" | "'") {
            j += 1;
        }
        let pos = self.tokens.get(k)?.span.start();
        for h in j..(j + 4).min(hi) {
            let w = self.tok_text(h);
            if let Some(noun) = OrgNoun::parse(w) {
                return Some((self.org_referent(noun, Some(owner), pos), h + 1, false));
            }
            if let Some(role) = Role::parse(w) {
                return Some((
                    self.resolve(Want::Role(role), pos, false, Some(owner)),
                    h + 1,
                    false,
                ));
            }
            if !w.starts_with(|c: char| c.is_ascii_lowercase()) {
                return None;
            }
        }
        None
    }

    /// Who an organisation noun phrase refers to: the organisation or state named in
    /// it ("the U.S. military", "Yemen’s Houthi movement" — a person's organisation
    /// for "Netanyahu’s office"), or else the latest organisation whose name fits
    /// ("the command" after "Central Command").
    fn org_referent(&self, noun: OrgNoun, owner: Option<EntityIdx>, pos: usize) -> Who {
        match owner {
            Some(o) if self.is_person(o) => {
                let org = self.ents.list.get(o).and_then(|i| i.organisation);
                Who::sure(org.unwrap_or(o))
            }
            Some(o) => Who::sure(o),
            None => self.resolve(Want::Org(noun), pos, false, None),
        }
    }

    /// Who "the statement" (after determiner `det`) stands for: whoever issued the
    /// latest statement quoted, or an unnamed source.
    fn statement_issuer(&self, det: &str) -> Who {
        if lexicon::is_indefinite(det) {
            return Who::unnamed();
        }
        self.last_statement
            .get()
            .map_or_else(Who::unnamed, Who::sure)
    }

    /// A referring expression that ends with token `k` and starts at or after token
    /// `lo`: a mention, a pronoun, or a role, organisation or statement noun phrase.
    /// Returns who and its first token.
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
        let role = Role::parse(word);
        let noun = OrgNoun::parse(word);
        let statement = lexicon::is_statement_noun(word);
        if role.is_none() && noun.is_none() && !statement {
            return None;
        }
        // Back over modifiers to the determiner, or to the mention that owns the head.
        let mut start = k;
        let mut det = None;
        let mut org = None;
        for j in (lo..k).rev().take(5) {
            let w = self.tok_text(j);
            if lexicon::is_determiner(w) {
                start = j;
                det = Some(w);
                break;
            }
            if let Some(m) = self.mention_starting_at(self.tokens[j].span.start) {
                org = org.or(Some(m.entity));
                start = j;
                // The determiner may stand before a modifier or two ("a senior
                // Ukrainian diplomat").
                let mut d = j;
                while d > lo && d + 3 > j {
                    d -= 1;
                    let w = self.tok_text(d);
                    if lexicon::is_determiner(w) {
                        start = d;
                        det = Some(w);
                        break;
                    }
                    if !w.starts_with(char::is_lowercase) {
                        break;
                    }
                }
                break;
            }
            if matches!(w, "’s" | "'s") || w.starts_with(char::is_alphabetic) {
                continue;
            }
            break;
        }
        let pos = self.tokens[start].span.start();
        let who = if let Some(role) = role {
            self.resolve(
                Want::Role(role),
                pos,
                det.is_some_and(lexicon::is_indefinite),
                org,
            )
        } else if let Some(noun) = noun {
            if org.is_none() && det.is_none() {
                return None;
            }
            self.org_referent(noun, org, pos)
        } else {
            match det {
                Some(d) if org.is_none() && start + 1 == k => self.statement_issuer(d),
                _ => return None,
            }
        };
        let mut who = who;
        if who.unnamed && who.description.is_none() && role.is_some() {
            who.description = Some(sitrep_core::Span::new(
                self.tokens[start].span.start(),
                tok.span.end(),
            ));
        }
        Some((who, start))
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
            // A parenthesis between subject and cue ("Rep. Gwen Moore (D-Wis.) said").
            if w == ")" {
                if let Some(open) = (k.saturating_sub(8).max(lo)..k)
                    .rev()
                    .find(|&j| self.tok_text(j) == "(")
                {
                    k = open;
                    continue;
                }
            }
            if self.in_time(t.span) || prep_before_time || lexicon::is_skippable_before_cue(w) {
                skipped += 1;
                if skipped > MAX_SKIP {
                    return None;
                }
                continue;
            }
            if let Some((who, start)) = self.referent_ending_at(k, lo) {
                // "Omar Farouk, a Khartoum resident, told": the description is in
                // apposition to the name before it.
                if !who.speaker.is_some_and(|e| self.is_person(e)) {
                    if let Some(person) = self.person_before_comma(start, lo) {
                        return Some(person);
                    }
                }
                return Some(who);
            }
            // After an appositive ("Sak, adviser to …, said") or a first predicate
            // ("Brel dismissed the claim and told …"): the clause's subject — or the
            // name in apposition to a subject that names no one ("The army's
            // spokesman, Brigadier Jan Novak, said").
            if matches!(w, "," | "and" | "but") {
                let first = self.first_referent(lo, k);
                if w == ","
                    && !first
                        .as_ref()
                        .is_some_and(|f| f.speaker.is_some_and(|e| self.is_person(e)))
                {
                    if let Some(person) = self.person_before_comma(k + 1, lo) {
                        return Some(person);
                    }
                }
                return first;
            }
            return self.postmodified_subject(k, lo);
        }
        None
    }

    /// The person named right before a comma that precedes token `k` ("Jan Novak, …"),
    /// not further back than token `lo`.
    fn person_before_comma(&self, k: usize, lo: usize) -> Option<Who> {
        if k < lo + 2 || self.tok_text(k - 1) != "," {
            return None;
        }
        let end = self.tokens[k - 2].span.end;
        let m = self.mention_ending_at(end, self.tokens[lo].span.start)?;
        (self.is_person(m.entity) && !self.possessive(m)).then(|| Who::sure(m.entity))
    }

    /// The subject of a cue when a post-modifier stands between them ("residents of
    /// villages near the border said", "a spokesman for its command said", "an
    /// official familiar with the talks said"): the role or organisation noun right
    /// before a post-modifier that ends with token `last`. An unnamed spokesperson for
    /// an organisation named in the post-modifier is that organisation.
    fn postmodified_subject(&self, last: usize, lo: usize) -> Option<Who> {
        let mut j = last;
        for _ in 0..MAX_POSTMODIFIER {
            if j <= lo {
                return None;
            }
            let w = self.tok_text(j);
            let mut buf = [0u8; 32];
            let is_cue = lexicon::lower(w, &mut buf).is_some_and(|l| self.lex.cues.contains_key(l));
            if !w.starts_with(char::is_alphanumeric) && !matches!(w, "’s" | "'s" | "-" | ".")
                || lexicon::is_auxiliary(w)
                || is_cue
                || self.quote_containing(self.tokens[j].span.start()).is_some()
            {
                return None;
            }
            if lexicon::opens_postmodifier(w) {
                let head = self.tok_text(j - 1);
                let role = Role::parse(head);
                if role.is_some() || OrgNoun::parse(head).is_some() {
                    let (who, _) = self.referent_ending_at(j - 1, lo)?;
                    if role.is_none() || who.speaker.is_some() {
                        return Some(who);
                    }
                    return Some(self.organisation_in(j + 1, last + 1).unwrap_or(who));
                }
            }
            j -= 1;
        }
        None
    }

    /// The organisation a post-modifier between tokens `a` and `b` names: a mention of
    /// an organisation or state, or "its"/"their" resolved to one.
    fn organisation_in(&self, a: usize, b: usize) -> Option<Who> {
        for j in a..b {
            let t = self.tokens.get(j)?;
            if let Some(m) = self.mention_starting_at(t.span.start) {
                if !self.is_person(m.entity) {
                    return Some(Who::sure(m.entity));
                }
            }
            let w = self.tok_text(j);
            if w.eq_ignore_ascii_case("its") || w.eq_ignore_ascii_case("their") {
                let who = self.resolve(Want::Pronoun(Pronoun::It), t.span.start(), false, None);
                return who.speaker.is_some().then_some(who);
            }
        }
        None
    }

    /// The referent right after the cue ending before token `after` ("said Zelensky",
    /// "according to the ministry"), if one starts there.
    pub(super) fn subject_after(&self, after: usize, hi: usize) -> Option<(Who, usize)> {
        if after >= hi || self.tok_text(after).eq_ignore_ascii_case("it") {
            return None;
        }
        let referent = self
            .referent_at(after, hi)
            .filter(|(_, _, poss)| !poss)
            .map(|(w, end, _)| (w, end));
        // "according to a statement by Hamas", "… to a report from the agency": the
        // one who issued it speaks, not the statement.
        let mut k = after;
        if ["a", "an", "the"]
            .iter()
            .any(|a| self.tok_text(k).eq_ignore_ascii_case(a))
        {
            k += 1;
        }
        // The channel noun ("statement", "written statement") right before "by"/"from".
        let by = (k..(k + 3).min(hi)).find(|&j| matches!(self.tok_text(j), "by" | "from"));
        let issuer = by
            .filter(|&by| by > k && by + 1 < hi && self.is_channel_word(self.tok_text(by - 1)))
            .and_then(|by| {
                self.referent_at(by + 1, hi)
                    .filter(|(who, _, poss)| !poss && who.is_known())
                    .map(|(w, end, _)| (w, end))
            });
        issuer.or(referent)
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
            if self.tok_text(k).eq_ignore_ascii_case("it") {
                // "it" is a speaker only right before its cue ("It said …").
                k += 1;
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
        // Sentences wholly inside a quotation name no speaker: a long quote does not
        // use up the look-back ("“…six sentences…,” he said. “…,” he added").
        let mut counted = 0;
        for s in (first.saturating_sub(MAX_WALK)..=first).rev() {
            let span = sents[s].span;
            if s != first
                && self
                    .quote_containing(span.start())
                    .is_some_and(|q| span.end() <= q.end)
            {
                continue;
            }
            counted += 1;
            if counted > LOOKBACK + 1 {
                return;
            }
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
            if role.is_generic() || role.plural {
                // "an official", "the official", "analysts": unnamed — unless they speak
                // for a named organisation ("a Hamas official").
                return match org {
                    Some(o) if self.kind_of(o) == Some(EntityKind::Organisation) => Who::sure(o),
                    _ => Who::unnamed(),
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
                // "a Kremlin spokesman said" with no spokesman named: the Kremlin speaks;
                // but "a Ukrainian diplomat" is an unnamed diplomat of Ukraine's side.
                (Want::Role(_), Some(o))
                    if !(self.is_person(o)
                        || indefinite && self.kind_of(o) == Some(EntityKind::Country)) =>
                {
                    Who::sure(o)
                }
                // "a diplomat said" with no diplomat named: someone new and unnamed.
                (Want::Role(_), _) if indefinite => Who::unnamed(),
                // "the ministry" with no ministry in sight: somebody, but not an entity.
                (Want::Org(_), _) => Who::unnamed(),
                _ => Who {
                    candidates: self.recent_persons(pos),
                    ..Who::default()
                },
            },
            1 => Who::sure(pool[0]),
            _ => match self.last_speaker.get() {
                Some(last) if pool.contains(&last) => Who::sure(last),
                _ => Who {
                    candidates: pool,
                    ..Who::default()
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
            Want::Pronoun(Pronoun::It) => {
                matches!(info.kind, EntityKind::Organisation | EntityKind::Country)
            }
            Want::Org(noun) => {
                info.kind == EntityKind::Organisation
                    && (noun.name_keys.is_empty()
                        || noun
                            .name_keys
                            .iter()
                            .any(|k| contains_ignore_case(&info.name, k)))
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
