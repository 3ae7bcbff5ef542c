//! People, organisations and acting countries: which names they are, their titles and
//! sides, and which mentions belong together.
//!
//! * **People** come from the tagger's `PER` names and from names the knowledge base or
//!   the public-figures list knows. A one-word name that the knowledge base reads as a
//!   place, country, organisation or title is not a person.
//! * **Titles and sides** come from the words around a name: a chain of titles,
//!   countries, adjectives, metonyms and organisations right before it ("UK Defence
//!   Secretary", "Kremlin spokesman", "Russian Foreign Ministry spokeswoman"), and an
//!   apposition right after it (", adviser to Ukraine's Ministry of …", ", President
//!   Trump's special envoy to Ukraine"). A country after "to" without a possessive is
//!   where an envoy is sent, not the envoy's side. When the text gives no side, the
//!   public-figures list may.
//! * **Grouping**: a full name starts an entity; a later surname joins the last entity
//!   it ends ("Healey" → "John Healey"); a name that is only ever a surname takes the
//!   public-figures list's full name ("Putin" → "Vladimir Putin").
//! * **Countries as actors**: country names, adjectives before a noun ("Russian
//!   forces") and metonyms ("the Kremlin", "Kyiv insisted") become one country entity
//!   per state, the government acting.

use std::cell::OnceCell;
use std::collections::HashMap;

use sitrep_core::record::EntityKind;
use sitrep_core::Span;
use sitrep_kb::{Kb, OrgType, TitleCategory};
use sitrep_ner::EntityType;

use super::figures::{Figure, Figures};
use super::{near, KbSpan, Reading, SpanSet};
use crate::model::{DocView, Entities, EntityInfo, EntityMention, Gender, MentionKind};
use crate::recognise::TaggedName;
use crate::walk;

/// Entities plus the spans they took, which are no longer free to be places.
#[derive(Debug, Clone, Default)]
pub struct Built {
    /// The entities.
    pub entities: Entities,
    /// Spans used by people (with their titles), organisations and metonym actors.
    pub claimed: SpanSet,
}

/// Words before a name that make it a place rather than an actor.
const LOCATIVES: [&str; 14] = [
    "in", "at", "to", "from", "near", "into", "toward", "towards", "outside", "around", "across",
    "via", "over", "of",
];

/// Capitalised sentence openers that a tagger may glue to the name after them.
const FUNCTION_WORDS: [&str; 24] = [
    "While",
    "But",
    "And",
    "As",
    "When",
    "After",
    "Before",
    "If",
    "Although",
    "Though",
    "Since",
    "Because",
    "The",
    "A",
    "An",
    "In",
    "On",
    "At",
    "For",
    "With",
    "Meanwhile",
    "So",
    "Yet",
    "Then",
];

/// True when the words around a name make it a place or a building, not a person:
/// a hometown after an age ("Ali Raza, 35, of Bandi Kalan"), a place before its
/// country after a locative ("15 miles from Ras Isa, Yemen"), a building's
/// name ("the Al Noor restaurant").
fn names_a_place_by_its_setting(text: &str, span: Span, kb_spans: &[KbSpan]) -> bool {
    let before = walk::before(text, span.start());
    let after = walk::after(text, span.end());
    let next_word = after
        .trim_start()
        .split(|c: char| !c.is_alphanumeric())
        .next()
        .unwrap_or("");
    if after.starts_with(' ') && walk::is_facility_noun(next_word) {
        return true;
    }
    if let Some(head) = before.strip_suffix(", of ") {
        let age = head.rsplit(", ").next().unwrap_or("");
        if (1..=3).contains(&age.len()) && age.chars().all(|c| c.is_ascii_digit()) {
            return true;
        }
    }
    let locative = before
        .trim_end()
        .rsplit([' ', '\n'])
        .next()
        .is_some_and(|w| matches!(w, "in" | "from" | "near" | "at" | "outside"));
    let country_after = after.strip_prefix(", ").is_some_and(|rest| {
        let at = text.len() - rest.len();
        near(kb_spans, at, at + 1)
            .iter()
            .any(|k| k.span.start() == at && matches!(k.reading, Reading::Country(_)))
    });
    locative && country_after
}

/// Religious months and feasts that a tagger may read as one-word names ("during
/// Ramadan").
const HOLIDAYS: [&str; 12] = [
    "Ramadan",
    "Ramzan",
    "Eid",
    "Muharram",
    "Ashura",
    "Christmas",
    "Easter",
    "Passover",
    "Hanukkah",
    "Diwali",
    "Nowruz",
    "Lent",
];

/// Words that end a title's modifiers when walking left from the title ("said military
/// spokesman X" → "military spokesman").
const NOT_MODIFIERS: [&str; 69] = [
    "the",
    "a",
    "an",
    "and",
    "or",
    "but",
    "of",
    "to",
    "in",
    "on",
    "at",
    "by",
    "for",
    "from",
    "with",
    "as",
    "that",
    "this",
    "his",
    "her",
    "its",
    "their",
    "our",
    "said",
    "says",
    "told",
    "added",
    "according",
    "when",
    "while",
    "where",
    "who",
    "which",
    "after",
    "before",
    "also",
    "is",
    "was",
    "were",
    "has",
    "met",
    "hosted",
    "between",
    "called",
    "urged",
    "thanked",
    "praised",
    "named",
    "including",
    "among",
    "like",
    "he",
    "she",
    "they",
    "we",
    "it",
    "would",
    "will",
    "could",
    "should",
    "can",
    "may",
    "must",
    "meet",
    "be",
    "been",
    "had",
    "have",
    "not",
];

/// How strongly a side is attested.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Evidence {
    Apposition,
    Premodifier,
}

#[derive(Debug, Clone)]
struct Person<'f> {
    name: String,
    folded: Vec<String>,
    figure: Option<&'f Figure>,
    titles: Vec<String>,
    country: Option<(String, Evidence)>,
    /// Side borrowed from another person ("President Trump's envoy"): index into people.
    side_of: Option<usize>,
    gender: Option<Gender>,
    mentions: Vec<(Span, Span)>,
    /// Holds an office of a state body named without its country.
    domestic: bool,
    /// Holds an office of a state (see `TitleContext::state_office`).
    state_office: bool,
}

/// A person name found by some recogniser, before grouping.
#[derive(Debug, Clone, Copy)]
struct Candidate {
    span: Span,
    tagged: bool,
}

/// Builds the entities of a document.
pub fn build<'kb>(
    doc: &DocView,
    names: &[TaggedName],
    kb_spans: &[KbSpan<'kb>],
    kb: &'kb Kb,
    figures: &Figures,
    signatures: &[super::credits::Signature],
) -> Built {
    let text = doc.text;
    let mut candidates = person_candidates(text, &doc.seg.tokens, names, kb_spans, figures);
    // Bylines and picture credits are not people of the story.
    candidates.retain(|c| !signatures.iter().any(|s| s.span.overlaps(c.span)));
    let mut people: Vec<Person> = Vec::new();
    let mut claimed = SpanSet::default();
    let mut shared_title: Option<SharedTitle> = None;
    for cand in candidates {
        let name_text = clean_name(doc.slice(cand.span));
        if name_text.is_empty() {
            continue;
        }
        let folded: Vec<String> = sitrep_kb::fold(&name_text)
            .split(' ')
            .map(str::to_owned)
            .collect();
        let figure = if folded.len() >= 2 {
            figures.by_full_name(&name_text)
        } else {
            figures.by_short_name(&name_text)
        };
        let idx = match find_person(&people, &folded, figure) {
            Some(i) => {
                let held = |short: &[String]| folded.windows(short.len()).any(|w| w == short);
                if folded.len() > people[i].folded.len()
                    && (people[i].folded.len() == 1 || held(&people[i].folded))
                {
                    people[i].name = name_text.clone();
                    people[i].folded = folded.clone();
                }
                i
            }
            None if folded.len() == 1 && !cand.tagged && figure.is_none() => continue,
            None => {
                let name = match (folded.len(), figure) {
                    (1, Some(f)) => f.name.clone(),
                    _ => name_text.clone(),
                };
                let folded_name = sitrep_kb::fold(&name)
                    .split(' ')
                    .map(str::to_owned)
                    .collect();
                people.push(Person {
                    name,
                    folded: folded_name,
                    figure,
                    titles: Vec::new(),
                    country: None,
                    side_of: None,
                    gender: figure.and_then(|f| f.gender),
                    mentions: Vec::new(),
                    domestic: false,
                    state_office: false,
                });
                people.len() - 1
            }
        };
        if people[idx].figure.is_none() {
            people[idx].figure = figure;
        }
        let mut context = title_context(text, cand.span, kb_spans, kb, doc);
        // "envoys A and B" (or "A, B and C"): the others share A's title and side.
        let mut took = false;
        if let Some((end, titles, country)) = &shared_title {
            let between = walk::slice(text, *end as usize, cand.span.start());
            if context.titles.is_empty() && matches!(between, " and " | ", ") {
                context.titles.clone_from(titles);
                context.country = context.country.take().or_else(|| country.clone());
                took = true;
            }
        }
        shared_title = (context.plural || took).then(|| {
            (
                cand.span.end,
                context.titles.clone(),
                context.country.clone(),
            )
        });
        let person = &mut people[idx];
        for title in context.titles {
            if !person.titles.contains(&title) {
                person.titles.push(title);
            }
        }
        if let Some((code, evidence)) = context.country {
            if person.country.as_ref().is_none_or(|(_, e)| *e < evidence) {
                person.country = Some((code, evidence));
            }
        }
        if person.gender.is_none() {
            person.gender = context.gender;
        }
        person.domestic |= context.domestic;
        person.state_office |= context.state_office;
        let mention = context.mention_start.min(cand.span.start)..cand.span.end;
        let mention = Span {
            start: mention.start,
            end: mention.end,
        };
        person.mentions.push((mention, cand.span));
        claimed.insert(mention);
        if let Some(app) = context.apposition {
            claimed.insert(app);
        }
        if let Some(possessor) = context.possessor {
            let possessor_folded: Vec<String> = sitrep_kb::fold(&clean_name(doc.slice(possessor)))
                .split(' ')
                .map(str::to_owned)
                .collect();
            people[idx].side_of = find_person(&people, &possessor_folded, None);
        }
    }
    add_surname_mentions(doc, &mut people, &mut claimed);

    // The story's country, for local officials; counted only when one needs it.
    let home: OnceCell<Option<String>> = OnceCell::new();
    let story: OnceCell<Option<String>> = OnceCell::new();
    let mut list: Vec<EntityInfo> = Vec::new();
    let mut mentions: Vec<EntityMention> = Vec::new();
    for i in 0..people.len() {
        // "Ukraine's side was led by …", "while Moscow sent …": the sender's side.
        let side = person_side(&people, i)
            .or_else(|| local_side(doc, &people[i], kb_spans, &claimed, kb, &home))
            .or_else(|| resident_side(doc, &people[i], kb_spans, kb, &home))
            .or_else(|| listed_among(doc, &people[i], kb_spans))
            .or_else(|| {
                // An office holder the text ties to no country holds it where the
                // story is ("President Gustavo Petro" in a story about Colombia).
                people[i]
                    .state_office
                    .then(|| {
                        story
                            .get_or_init(|| leading_country(kb_spans, kb, Counted::Everything))
                            .clone()
                    })
                    .flatten()
            })
            .or_else(|| {
                people[i]
                    .mentions
                    .iter()
                    .find_map(|m| sent_by(doc, kb_spans, m.0))
            });
        let p = &people[i];
        let entity = list.len();
        list.push(EntityInfo {
            kind: EntityKind::Person,
            name: p.name.clone(),
            titles: p.titles.clone(),
            country: side,
            organisation: None,
            gender: p.gender,
            kb_id: None,
        });
        for &(span, name_span) in &p.mentions {
            mentions.push(EntityMention {
                span,
                name_span,
                entity,
                kind: MentionKind::Name,
            });
        }
    }
    add_organisations(doc, names, kb_spans, &mut claimed, &mut list, &mut mentions);
    add_countries(doc, kb_spans, kb, &mut claimed, &mut list, &mut mentions);
    order(list, mentions, claimed)
}

/// Person names from the tagger, the knowledge base's person variants and tagger names
/// of other types that the public-figures list knows, filtered against the knowledge
/// base and with leading titles removed; sorted, without overlaps.
fn person_candidates(
    text: &str,
    tokens: &[sitrep_text::Token],
    names: &[TaggedName],
    kb_spans: &[KbSpan],
    figures: &Figures,
) -> Vec<Candidate> {
    let mut out: Vec<Candidate> = Vec::new();
    for name in names {
        let raw = name.span.slice(text).unwrap_or("");
        let known = figures.by_full_name(raw).is_some() || figures.by_short_name(raw).is_some();
        if name.kind == EntityType::Per || known {
            out.push(Candidate {
                span: name.span,
                tagged: name.kind == EntityType::Per || known,
            });
        }
    }
    for k in kb_spans {
        if matches!(k.reading, Reading::PersonName) {
            out.push(Candidate {
                span: k.span,
                tagged: false,
            });
        }
    }
    out.extend(names_after_titles(text, tokens, kb_spans));
    // Public figures by their usual short form, where the tagger missed them.
    for token in tokens {
        let word = token.span.slice(text).unwrap_or("");
        let capitalised = word.starts_with(|c: char| c.is_uppercase());
        if word.len() > 2 && capitalised && figures.by_short_name(word).is_some() {
            out.push(Candidate {
                span: token.span,
                tagged: true,
            });
        }
    }
    let mut kept: Vec<Candidate> = Vec::new();
    for mut cand in out {
        cand.span = strip_leading_titles(text, cand.span, kb_spans);
        if cand.tagged {
            cand.span = with_given_name_before(text, cand.span, kb_spans);
        }
        if cand.span.is_empty() {
            continue;
        }
        let raw = cand.span.slice(text).unwrap_or("");
        let one_word = !raw.contains(char::is_whitespace);
        if one_word && HOLIDAYS.contains(&raw)
            || names_a_place_by_its_setting(text, cand.span, kb_spans)
        {
            continue;
        }
        let known = figures.by_short_name(raw).is_some() || figures.by_full_name(raw).is_some();
        if !known && walk::names_a_place_around(text, cand.span) {
            continue;
        }
        let covered = near(kb_spans, cand.span.start(), cand.span.end())
            .iter()
            .any(|k| {
                k.span.contains(cand.span)
                    && !matches!(k.reading, Reading::PersonName)
                    && (one_word || k.span == cand.span)
                    && !(known && matches!(k.reading, Reading::Place | Reading::Metonym { .. }))
                    && !(cand.tagged && one_word && weak_place(text, k, kb_spans))
            });
        if covered || !raw.starts_with(|c: char| c.is_uppercase()) {
            continue;
        }
        kept.push(cand);
    }
    kept.sort_by_key(|c| (c.span.start, std::cmp::Reverse(c.span.end)));
    let mut result: Vec<Candidate> = Vec::with_capacity(kept.len());
    for cand in kept {
        match result.last_mut() {
            Some(last) if last.span.overlaps(cand.span) => {
                last.tagged |= cand.tagged;
                last.span = last.span.cover(cand.span);
            }
            _ => result.push(cand),
        }
    }
    result
}

/// A plural title's words and side, and where the name it came with ends.
type SharedTitle = (u32, Vec<String>, Option<(String, Evidence)>);

/// Most words of a name found by its title alone.
const MAX_NAME_AFTER_TITLE: usize = 3;

/// Names the tagger missed that a title introduces: two or three capitalised words
/// right after a title ("presidency spokeswoman Rania Haddad says"), none of them
/// a name the knowledge base reads otherwise.
fn names_after_titles(
    text: &str,
    tokens: &[sitrep_text::Token],
    kb_spans: &[KbSpan],
) -> Vec<Candidate> {
    let mut out = Vec::new();
    for k in kb_spans {
        // "at 7 PM Aden Time" is a clock time.
        let after_number = walk::before(text, k.span.start())
            .trim_end()
            .ends_with(|c: char| c.is_ascii_digit());
        if !matches!(k.reading, Reading::Title(_)) || after_number {
            continue;
        }
        let mut t = tokens.partition_point(|t| t.span.start < k.span.end);
        let mut prev_end = k.span.end();
        let word_at = |t: usize| tokens.get(t).and_then(|x| x.span.slice(text)).unwrap_or("");
        if word_at(t) == "." {
            t += 1;
        }
        // "Deputy Commissioner (DC) Rashid Awan".
        if word_at(t) == "("
            && word_at(t + 2) == ")"
            && word_at(t + 1).chars().all(|c| c.is_ascii_uppercase())
        {
            prev_end = tokens[t + 2].span.end();
            t += 3;
        }
        // "Envoy to Yemen Hans Grundberg": a complement the knowledge base reads
        // whole (a country, place or organisation) stands before the name.
        if matches!(word_at(t), "to" | "of" | "for") {
            let mut j = t + 1;
            if word_at(j) == "the" {
                j += 1;
            }
            let covered = tokens.get(j).and_then(|x| {
                near(kb_spans, x.span.start(), x.span.end())
                    .iter()
                    .find(|n| {
                        n.span.start == x.span.start
                            && matches!(
                                n.reading,
                                Reading::Country(_)
                                    | Reading::Place
                                    | Reading::Org(_)
                                    | Reading::Metonym { .. }
                            )
                    })
            });
            if let Some(n) = covered {
                prev_end = n.span.end();
                t = tokens.partition_point(|x| x.span.start < n.span.end);
            }
        }
        let mut words = Vec::new();
        while let Some(tok) = tokens.get(t) {
            let word = tok.span.slice(text).unwrap_or("");
            let gap = walk::slice(text, prev_end, tok.span.start());
            let name_like = word.chars().count() >= 2
                && word.starts_with(char::is_uppercase)
                && word
                    .chars()
                    .all(|c| c.is_alphabetic() || matches!(c, '-' | '’' | '\''))
                && !sitrep_time::is_calendar_word(word)
                && !walk::is_facility_noun(word);
            if words.len() == MAX_NAME_AFTER_TITLE || !name_like || !matches!(gap, " " | ". ") {
                break;
            }
            let known = near(kb_spans, tok.span.start(), tok.span.end())
                .iter()
                .any(|n| n.span.overlaps(tok.span) && !matches!(n.reading, Reading::PersonName));
            if known {
                break;
            }
            words.push(tok.span);
            prev_end = tok.span.end();
            t += 1;
        }
        // A capitalised word right after the run means it was cut short.
        let cut = tokens.get(t).is_some_and(|x| {
            x.span.start() == prev_end + 1
                && x.span
                    .slice(text)
                    .is_some_and(|w| w.starts_with(char::is_uppercase))
        });
        if let (2.., false, Some(first), Some(last)) =
            (words.len(), cut, words.first(), words.last())
        {
            out.push(Candidate {
                span: first.cover(*last),
                tagged: true,
            });
        }
    }
    out
}

/// The name with the given name right before it that a recogniser left out because
/// the word is also a place ("Simon" is a Romanian village): "Simon Karam".
fn with_given_name_before(text: &str, span: Span, kb_spans: &[KbSpan]) -> Span {
    let before = walk::before(text, span.start());
    let Some(head) = before.strip_suffix(' ') else {
        return span;
    };
    let start = head
        .rfind([' ', '\n', '(', '"', '“'])
        .map_or(0, |i| super::after_char(head, i));
    let word = walk::after(head, start);
    let given = word.starts_with(char::is_uppercase)
        && word.chars().all(char::is_alphabetic)
        && !FUNCTION_WORDS.contains(&word)
        && sitrep_ner::Gazetteer::embedded().name_bits(word) & sitrep_ner::flags::GIVEN_NAME != 0;
    let word_span = Span::new(start, head.len());
    let other_reading = near(kb_spans, word_span.start(), word_span.end())
        .iter()
        .any(|k| {
            k.span.overlaps(word_span) && !matches!(k.reading, Reading::Place | Reading::PersonName)
        });
    if given && !other_reading {
        Span::new(start, span.end())
    } else {
        span
    }
}

/// Drops titles, honorifics, countries and adjectives that a recogniser included at the
/// start of a name ("President Trump" → "Trump").
fn strip_leading_titles(text: &str, mut span: Span, kb_spans: &[KbSpan]) -> Span {
    loop {
        let head = near(kb_spans, span.start(), span.start() + 1)
            .iter()
            .find(|k| {
                let qualifier = matches!(
                    k.reading,
                    Reading::Title(_)
                        | Reading::Country(_)
                        | Reading::Demonym { .. }
                        | Reading::Metonym { .. }
                        | Reading::Org(_)
                );
                // A place only when a title follows it ("Kharkiv Mayor Ihor Terekhov").
                let place_before_title = matches!(k.reading, Reading::Place)
                    && near(kb_spans, k.span.end(), k.span.end() + 3)
                        .iter()
                        .any(|t| {
                            matches!(t.reading, Reading::Title(_))
                                && t.span.start() > k.span.end()
                                && t.span.start() <= k.span.end() + 2
                                && t.span.end < span.end
                        });
                k.span.start == span.start
                    && k.span.end < span.end
                    && (qualifier || place_before_title)
            });
        let Some(head) = head else { break };
        let mut next = head.span.end();
        if head.possessive {
            next += possessive_len(walk::after(text, next));
        }
        next += walk::after(text, next).len() - walk::after(text, next).trim_start().len();
        span = Span::new(next, span.end());
    }
    // A capitalised function word at the start of a sentence ("While Putin says…").
    if let Some(first) = span.slice(text).and_then(|s| s.split(' ').next()) {
        if FUNCTION_WORDS.contains(&first) && span.len() > first.len() + 1 {
            span = Span::new(span.start() + first.len() + 1, span.end());
        }
    }
    // Honorifics the knowledge base may not list as titles.
    for prefix in ["Mr. ", "Mrs. ", "Ms. ", "Dr. ", "Mr ", "Mrs ", "Ms ", "Dr "] {
        if span.slice(text).is_some_and(|s| s.starts_with(prefix)) {
            span = Span::new(span.start() + prefix.len(), span.end());
        }
    }
    span
}

fn possessive_len(rest: &str) -> usize {
    ["'s", "’s", "'", "’"]
        .iter()
        .find(|p| rest.starts_with(*p))
        .map_or(0, |p| p.len())
}

/// Collapses inner line breaks and runs of spaces, and drops a trailing period.
fn clean_name(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    for word in raw.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

/// The person a name refers to: the same full name, the same figure, or — for a
/// one-word name — the latest person whose name ends (or begins, for a single known
/// word) with it.
fn find_person(people: &[Person], folded: &[String], figure: Option<&Figure>) -> Option<usize> {
    if let Some(i) = people.iter().rposition(|p| p.folded == folded) {
        return Some(i);
    }
    if let Some(f) = figure {
        if let Some(i) = people
            .iter()
            .rposition(|p| p.figure.is_some_and(|g| std::ptr::eq(g, f)))
        {
            return Some(i);
        }
    }
    let by_end = match folded {
        [one] => people
            .iter()
            .rposition(|p| p.folded.len() > 1 && p.folded.last() == Some(one)),
        [.., last] => people
            .iter()
            .rposition(|p| p.folded.len() == 1 && p.folded[0] == *last),
        [] => None,
    };
    by_end
        .or_else(|| part_of_one_name(people, folded))
        .or_else(|| holds_one_name(people, folded))
}

/// The only person of two or more words whose whole name is a run of words of
/// `folded`: "Rimtalba Jean Emmanuel Ouédraogo" after "Jean Emmanuel".
fn holds_one_name(people: &[Person], folded: &[String]) -> Option<usize> {
    let mut found = None;
    for (i, p) in people.iter().enumerate() {
        let n = p.folded.len();
        if n >= 2 && n < folded.len() && folded.windows(n).any(|w| w == p.folded.as_slice()) {
            if found.is_some() {
                return None;
            }
            found = Some(i);
        }
    }
    found
}

/// The only person whose longer name holds `folded` as a run of whole words: a first
/// name ("Nabil" after "Nabil Abdullah") or the middle of a long name ("Jean Emmanuel"
/// after "Rimtalba Jean Emmanuel Ouédraogo"). None when two people could be meant.
fn part_of_one_name(people: &[Person], folded: &[String]) -> Option<usize> {
    if folded.is_empty() || folded.iter().any(|w| w.len() < 3) {
        return None;
    }
    let mut found = None;
    for (i, p) in people.iter().enumerate() {
        if p.folded.len() > folded.len() && p.folded.windows(folded.len()).any(|w| w == folded) {
            if found.is_some() {
                return None;
            }
            found = Some(i);
        }
    }
    found
}

/// What the words around a person's name say about them.
#[derive(Debug, Default)]
struct TitleContext {
    titles: Vec<String>,
    country: Option<(String, Evidence)>,
    gender: Option<Gender>,
    mention_start: u32,
    apposition: Option<Span>,
    possessor: Option<Span>,
    /// The title was plural: it also belongs to the names coordinated after this one.
    plural: bool,
    /// The office belongs to a body of the state named without its country ("the
    /// army's spokesperson"): the person serves at home.
    domestic: bool,
    /// A title is an office of a state (head of state or government, minister,
    /// spokesperson, officer, local or legislative office).
    state_office: bool,
}

fn title_context(
    text: &str,
    name: Span,
    kb_spans: &[KbSpan],
    kb: &Kb,
    doc: &DocView,
) -> TitleContext {
    let mut ctx = TitleContext {
        mention_start: name.start,
        ..TitleContext::default()
    };
    let sentence_start = doc.sentence_span(doc.sentence_at(name.start())).start();
    // Left: a chain of titles and qualifiers ending right before the name.
    let mut pos = name.start();
    let mut chain: Vec<&KbSpan> = Vec::new();
    // "Ukraine's foreign minister, Andrii Sybiha, said": a title set off by commas.
    // "Minister for Regional Cooperation Dan Levi", "envoy to Syria Tom Barrack": the
    // title's complement stands between it and the name.
    let mut complement_end = None;
    if let Some(k) = title_before_comma(text, name, kb_spans) {
        chain.push(k);
        pos = k.span.start();
    } else if let Some((k, end)) = title_with_complement_before(text, name, kb_spans) {
        if k.span.start() >= sentence_start {
            chain.push(k);
            pos = k.span.start();
            complement_end = Some(end);
        }
    }
    while let Some(k) = adjacent_before(text, pos, kb_spans) {
        if k.span.start() < sentence_start
            || !matches!(
                k.reading,
                Reading::Title(_)
                    | Reading::Country(_)
                    | Reading::Demonym { .. }
                    | Reading::Metonym { .. }
                    | Reading::Org(_)
                    | Reading::Place
            )
        {
            break;
        }
        // A place is a qualifier only right before a title ("Zaporizhzhia governor").
        let before_title = chain
            .last()
            .is_some_and(|c| matches!(c.reading, Reading::Title(_)));
        if matches!(k.reading, Reading::Place) && !before_title {
            break;
        }
        chain.push(k);
        pos = k.span.start();
    }
    chain.reverse();
    let modifiers_start = chain
        .first()
        .filter(|k| matches!(k.reading, Reading::Title(_)))
        .and_then(|k| title_modifiers(text, sentence_start, k.span.start(), kb_spans))
        .or_else(|| {
            // "former U.S. President": a rank word before the country.
            let first = chain.first()?;
            let word = walk::before(text, first.span.start())
                .trim_end()
                .rsplit([' ', '\n'])
                .next()?;
            let titled = chain.iter().any(|c| matches!(c.reading, Reading::Title(_)));
            (titled && is_rank_modifier(word)).then(|| first.span.start() - word.len() - 1)
        });
    // A qualifier before the modifiers ("Congolese government spokesman").
    if let Some(start) = modifiers_start {
        if let Some(k) = adjacent_before(text, start, kb_spans).filter(|k| {
            k.span.start() >= sentence_start
                && matches!(
                    k.reading,
                    Reading::Country(_)
                        | Reading::Demonym { .. }
                        | Reading::Metonym { .. }
                        | Reading::Org(_)
                        | Reading::Place
                )
        }) {
            chain.insert(0, k);
        }
    }
    if let Some(first) = chain.first() {
        let start = modifiers_start.map_or(first.span.start(), |m| m.min(first.span.start()));
        ctx.mention_start = Span::new(start, start).start;
    }
    let mut pending_org: Option<String> = None;
    for (n, k) in chain.iter().enumerate() {
        match &k.reading {
            Reading::Title(t) => {
                let written = match complement_end {
                    Some(end) if n + 1 == chain.len() => {
                        clean_name(walk::slice(text, k.span.start(), end))
                    }
                    _ => clean_name(doc.slice(k.span)),
                };
                // "US envoys Mark Dalton and Peter Vance": each is an envoy.
                // Honorifics are never plural ("Mrs" is not two "Mr").
                let plural_form = t.category != TitleCategory::Honorific;
                let written = match written.strip_suffix('s').filter(|_| plural_form) {
                    Some(one) if !kb.lookup_title(one).is_empty() => {
                        ctx.plural = true;
                        one.to_owned()
                    }
                    _ => written,
                };
                if t.category == TitleCategory::Honorific {
                    ctx.gender = ctx.gender.or(gender_of_word(&written));
                    continue;
                }
                ctx.state_office |= matches!(
                    t.category,
                    TitleCategory::HeadOfState
                        | TitleCategory::HeadOfGovernment
                        | TitleCategory::DeputyHead
                        | TitleCategory::Minister
                        | TitleCategory::DeputyMinister
                        | TitleCategory::Legislator
                        | TitleCategory::Spokesperson
                        | TitleCategory::MilitaryRole
                        | TitleCategory::MilitaryRank
                        | TitleCategory::LocalGovernment
                );
                ctx.gender = ctx.gender.or(gender_of_word(&written));
                let first_title = chain
                    .iter()
                    .position(|c| matches!(c.reading, Reading::Title(_)));
                if let (true, Some(start)) = (first_title == Some(n), modifiers_start) {
                    // Up to the chain's first word: "former U.S. President" is a
                    // "former President" of the U.S.
                    let upto = chain
                        .first()
                        .filter(|c| {
                            !matches!(c.reading, Reading::Title(_)) && c.span.start() > start
                        })
                        .map_or(k.span.start(), |c| c.span.start());
                    let modifiers = clean_name(walk::slice(text, start, upto.max(start)));
                    ctx.titles.push(format!("{modifiers} {written}"));
                }
                if let Some(org) = pending_org.take() {
                    ctx.titles.push(format!("{org} {written}"));
                }
                ctx.titles.push(written);
            }
            Reading::Country(code)
            | Reading::Demonym { code, .. }
            | Reading::Metonym { code, .. } => {
                ctx.country = Some((code.as_str().to_owned(), Evidence::Premodifier));
            }
            Reading::Org(org) => {
                if let Some(c) = org.country {
                    ctx.country = Some((c.as_str().to_owned(), Evidence::Premodifier));
                }
                if matches!(org.kind, OrgType::Government | OrgType::Military) {
                    // "Russian Foreign Ministry spokeswoman": the adjective is the side,
                    // "Foreign Ministry spokeswoman" the title.
                    let written = clean_name(doc.slice(k.span));
                    let without_side = match written.split_once(' ') {
                        Some((first, rest))
                            if kb.demonym(first).is_some()
                                || kb.country_mention(first).is_some() =>
                        {
                            rest.to_owned()
                        }
                        _ => written,
                    };
                    pending_org = Some(without_side);
                }
            }
            Reading::Place => {
                let best =
                    kb.resolve_candidates(&k.matched.candidates, &sitrep_kb::PlaceContext::new());
                if let Some(code) = best.and_then(|b| b.place.country) {
                    ctx.country
                        .get_or_insert((code.as_str().to_owned(), Evidence::Premodifier));
                }
            }
            _ => {}
        }
    }
    if let Some(prefix) = walk::before(text, ctx.mention_start as usize)
        .trim_end()
        .rsplit(' ')
        .next()
    {
        ctx.gender = ctx.gender.or(gender_of_word(prefix));
    }
    pre_apposition(text, name, kb_spans, doc, &mut ctx);
    // "The army's official spokesperson …": a body of the state speaks at home.
    let before_mention = walk::before(text, ctx.mention_start as usize).trim_end();
    if let Some(owner) = before_mention.rsplit([' ', '\n']).next() {
        let body = owner
            .strip_suffix("'s")
            .or_else(|| owner.strip_suffix("’s"))
            .unwrap_or("");
        if matches!(
            body.to_lowercase().as_str(),
            "army" | "military" | "police" | "government" | "ministry" | "presidency"
        ) {
            ctx.domestic = true;
        }
    }
    apposition(text, name, kb_spans, kb, doc, &mut ctx);
    ctx
}

/// Longest phrase naming a person's office before ", NAME,", in words.
const MAX_PRE_APPOSITION_WORDS: usize = 12;

/// "The chief spokesman of the Chadian army, Colonel Idriss Abakar,
/// said": a phrase with a title, set off by commas before the name (and its ranks),
/// is the person's title; a country or adjective inside it gives the side.
fn pre_apposition(
    text: &str,
    name: Span,
    kb_spans: &[KbSpan],
    doc: &DocView,
    ctx: &mut TitleContext,
) {
    if !walk::after(text, name.end()).starts_with(',') {
        return;
    }
    let Some(head) = walk::before(text, ctx.mention_start as usize).strip_suffix(", ") else {
        return;
    };
    let sentence_start = doc.sentence_span(doc.sentence_at(name.start())).start();
    if head.len() <= sentence_start {
        return;
    }
    // The clause part right before the comma.
    let clause = walk::slice(text, sentence_start, head.len());
    let clause_start =
        sentence_start + clause.rfind([',', ';', ':', '—', '(']).map_or(0, |i| i + 1);
    let end = head.len();
    let inside: Vec<&KbSpan> = near(kb_spans, clause_start, end)
        .iter()
        .filter(|k| k.span.start() >= clause_start && k.span.end() <= end)
        .collect();
    let first_title = |from: usize| {
        inside.iter().find(|k| {
            k.span.start() >= from
                && matches!(k.reading, Reading::Title(t) if t.category != TitleCategory::Honorific)
        })
    };
    // The noun phrase: from the last article that a title follows ("… the visit of
    // the President of Chad"), else from a title or an owner's possessive that
    // opens the clause ("Chief of Staff of …", "SNA's Chief").
    let clause_text = walk::slice(text, clause_start, end);
    let mut start = None;
    for (i, _) in clause_text.match_indices(' ').chain([(0, " ")]) {
        let at = if i == 0 && !clause_text.starts_with(' ') {
            0
        } else {
            i + 1
        };
        let word = walk::after(clause_text, at);
        if ["the ", "The ", "a ", "A ", "an ", "An "]
            .iter()
            .any(|a| word.starts_with(a))
            && first_title(clause_start + at).is_some()
        {
            start = Some(clause_start + at);
        }
    }
    let opening = clause_text.trim_start();
    let open_at = end - opening.len();
    let possessive_owner = opening
        .split(' ')
        .next()
        .is_some_and(|w| w.ends_with("'s") || w.ends_with("’s"));
    let start = match start {
        Some(s) => s,
        None if first_title(open_at).is_some_and(|k| k.span.start() == open_at) => open_at,
        None if possessive_owner && first_title(open_at).is_some() => open_at,
        None => return,
    };
    let phrase_text = walk::slice(text, start, end);
    let words = phrase_text.split_whitespace().count();
    if !(2..=MAX_PRE_APPOSITION_WORDS).contains(&words) {
        return;
    }
    let article = ["The ", "the ", "A ", "a ", "An ", "an "]
        .iter()
        .find(|a| phrase_text.starts_with(**a));
    let title = clean_name(article.map_or(phrase_text, |a| &phrase_text[a.len()..]));
    if !ctx.titles.contains(&title) {
        ctx.titles.insert(0, title);
    }
    let side = inside
        .iter()
        .filter(|k| k.span.start() >= start)
        .find_map(|k| match &k.reading {
            Reading::Country(c)
            | Reading::Demonym { code: c, .. }
            | Reading::Metonym { code: c, .. } => Some(c.as_str().to_owned()),
            Reading::Org(o) => o.country.map(|c| c.as_str().to_owned()),
            _ => None,
        });
    match (side, &ctx.country) {
        (Some(code), None) => ctx.country = Some((code, Evidence::Apposition)),
        (None, None) => {
            // "the head of the national army": a body of the state at home.
            let lower = phrase_text.to_lowercase();
            ctx.domestic |= [
                "army",
                "armed forces",
                "military",
                "police",
                "government",
                "ministry",
            ]
            .iter()
            .any(|w| lower.contains(w));
        }
        _ => {}
    }
}

/// Where the modifiers of a title begin: up to three words right before it that are
/// not function words, verbs of saying, adverbs or other knowledge-base names.
/// True for a word that can modify a title ("military", "regional", "Army"): letters
/// only, not a function word, verb of saying, adverb or participle.
fn is_modifier(word: &str) -> bool {
    let lower = word.to_lowercase();
    !word.is_empty()
        && word.chars().all(|c| c.is_alphabetic() || c == '-')
        && !NOT_MODIFIERS.contains(&lower.as_str())
        && !lower.ends_with("ly")
        && !lower.ends_with("ed")
        && !lower.ends_with("ing")
}

/// Words that change an office and are written in lower case before a capitalised
/// title ("former Ambassador", "acting President").
fn is_rank_modifier(word: &str) -> bool {
    matches!(
        word.to_lowercase().as_str(),
        "former" | "acting" | "interim" | "outgoing" | "incoming" | "then" | "ex"
    )
}

/// The first title that starts at `pos` or after up to three modifier words
/// ("a foreign policy aide", "the parliamentary human rights commissioner").
fn title_after_modifiers<'a, 'kb>(
    text: &str,
    mut pos: usize,
    limit: usize,
    kb_spans: &'a [KbSpan<'kb>],
) -> Option<&'a KbSpan<'kb>> {
    for _ in 0..4 {
        if let Some(t) = near(kb_spans, pos, pos + 1)
            .iter()
            .find(|k| k.span.start() == pos && matches!(k.reading, Reading::Title(_)))
        {
            return Some(t);
        }
        let rest = text.get(pos..limit.max(pos))?;
        let word_len = rest.find(' ')?;
        let word_span = Span::new(pos, pos + word_len);
        if !is_modifier(walk::before(rest, word_len))
            || near(kb_spans, word_span.start(), word_span.end())
                .iter()
                .any(|k| k.span.overlaps(word_span))
        {
            return None;
        }
        pos += word_len + 1;
    }
    None
}

fn title_modifiers(
    text: &str,
    sentence_start: usize,
    title_start: usize,
    kb_spans: &[KbSpan],
) -> Option<usize> {
    let mut start = title_start;
    let mut found = None;
    // A capitalised title takes capitalised modifiers only ("External Affairs
    // Minister", not "would meet President"); a lower-case one takes either.
    let title_capitalised = walk::after(text, title_start).starts_with(|c: char| c.is_uppercase());
    for _ in 0..3 {
        let before = walk::slice(text, sentence_start, start);
        let trimmed = before.trim_end_matches(' ');
        if trimmed.len() == before.len() {
            break;
        }
        let word_start = trimmed
            .rfind([' ', '\n', '(', '"', '“', ','])
            .map_or(0, |i| super::after_char(trimmed, i));
        let word = walk::after(trimmed, word_start);
        let word_span = Span::new(sentence_start + word_start, sentence_start + trimmed.len());
        let case_ok = !title_capitalised
            || word.starts_with(|c: char| c.is_uppercase())
            || is_rank_modifier(word);
        if !case_ok
            || !(is_modifier(word) || is_rank_modifier(word))
            || near(kb_spans, word_span.start(), word_span.end())
                .iter()
                .any(|k| k.span.overlaps(word_span))
        {
            break;
        }
        start = word_span.start();
        found = Some(start);
    }
    found
}

/// Words between a country and a person it sends to talks: "Ukraine's side was led by
/// NAME", "Moscow sent NAME", "Russia's delegation, headed by NAME".
const SENT_BY: &[&[&str]] = &[
    &["sent"],
    &["dispatched"],
    &["fielded"],
    &["led", "by"],
    &["headed", "by"],
    &["represented", "by"],
];

/// Within how many words after a country's name the words of [`SENT_BY`] must start.
const SENT_BY_REACH: usize = 4;

/// The side of a person mention that a country (or its capital, or its adjective)
/// sends in the same clause: the last such name before the mention, followed closely
/// by one of [`SENT_BY`].
fn sent_by(doc: &DocView, kb_spans: &[KbSpan], mention: Span) -> Option<String> {
    let text = doc.text;
    let sent = doc.sentence_span(doc.sentence_at(mention.start()));
    // The clause: back to the last comma, semicolon or "while" before the mention that
    // is not part of the title chain.
    let before = text.get(sent.start()..mention.start())?;
    let clause_start = sent.start()
        + [", while ", "; ", ", and ", ", but "]
            .iter()
            .filter_map(|sep| before.rfind(sep).map(|i| i + sep.len()))
            .max()
            .unwrap_or(0);
    let i = kb_spans.partition_point(|k| k.span.end() <= mention.start());
    let k = kb_spans[..i]
        .iter()
        .rev()
        .take_while(|k| k.span.start() >= clause_start)
        .find(|k| {
            matches!(
                k.reading,
                Reading::Country(_) | Reading::Metonym { .. } | Reading::Demonym { .. }
            )
        })?;
    // The verb belongs to the country: it starts within a few words of it ("Ukraine's
    // side was led by"), not after another noun phrase ("Ukraine's delegation met the
    // team led by …").
    let between = text.get(k.span.end()..mention.start())?;
    let words: Vec<&str> = between
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    let sent_here = |at: usize| {
        SENT_BY.iter().any(|phrase| {
            words.get(at..at + phrase.len()).is_some_and(|ws| {
                ws.iter()
                    .zip(phrase.iter())
                    .all(|(w, p)| w.eq_ignore_ascii_case(p))
            })
        })
    };
    if !(0..=SENT_BY_REACH).any(sent_here) {
        return None;
    }
    match &k.reading {
        Reading::Country(code) | Reading::Metonym { code, .. } | Reading::Demonym { code, .. } => {
            Some(code.as_str().to_owned())
        }
        _ => None,
    }
}

/// A title ending right before ", NAME," — the name set off by a pair of commas.
fn title_before_comma<'a, 'kb>(
    text: &str,
    name: Span,
    kb_spans: &'a [KbSpan<'kb>],
) -> Option<&'a KbSpan<'kb>> {
    let pos = name.start().checked_sub(2)?;
    if text.get(pos..name.start()) != Some(", ") || !walk::after(text, name.end()).starts_with(',')
    {
        return None;
    }
    let i = kb_spans.partition_point(|k| k.span.end() <= pos);
    kb_spans[..i]
        .last()
        .filter(|k| k.span.end() == pos && matches!(k.reading, Reading::Title(_)))
}

/// Longest complement of a title written before a name, in words ("of Communication,
/// Culture and Sport").
const MAX_COMPLEMENT_WORDS: usize = 7;

/// A title followed by "of", "for" or "to" and capitalised words that end right before
/// the name: the title's span and where the complement ends.
fn title_with_complement_before<'a, 'kb>(
    text: &str,
    name: Span,
    kb_spans: &'a [KbSpan<'kb>],
) -> Option<(&'a KbSpan<'kb>, usize)> {
    let before = walk::before(text, name.start());
    let end = before.trim_end_matches(' ').len();
    if end == before.len() || end == 0 {
        return None;
    }
    let mut pos = end;
    let mut capitalised = 0;
    for _ in 0..MAX_COMPLEMENT_WORDS {
        let head = walk::before(text, pos);
        let start = head.rfind([' ', '\n']).map_or(0, |i| i + 1);
        let word = walk::after(head, start).trim_end_matches(',');
        if matches!(word, "of" | "for" | "to") {
            if capitalised == 0 || start == 0 {
                return None;
            }
            // "aide to President Putin": a title in the complement starts the name.
            let titled = near(kb_spans, start, end)
                .iter()
                .any(|t| t.span.start() >= start && matches!(t.reading, Reading::Title(_)));
            let k = adjacent_before(text, start, kb_spans)?;
            return (!titled && matches!(k.reading, Reading::Title(_))).then_some((k, end));
        }
        let joins = matches!(word, "and" | "the" | "&");
        if word.starts_with(char::is_uppercase) {
            capitalised += 1;
        } else if !joins || capitalised == 0 {
            return None;
        }
        if start == 0 || !head[..start].ends_with(' ') {
            return None;
        }
        pos = start - 1;
    }
    None
}

/// The knowledge-base span that ends right before `pos`, separated only by spaces (or
/// by a possessive when the span has one).
fn adjacent_before<'a, 'kb>(
    text: &str,
    pos: usize,
    kb_spans: &'a [KbSpan<'kb>],
) -> Option<&'a KbSpan<'kb>> {
    let i = kb_spans.partition_point(|k| k.span.end() <= pos);
    kb_spans[..i].iter().rev().take(4).find(|k| {
        let mut gap = walk::slice(text, k.span.end(), pos);
        if k.possessive {
            gap = walk::after(gap, possessive_len(gap));
        }
        // An abbreviation's period may fall outside its span ("Dr. Anwar", "U.S.
        // President").
        let abbreviation =
            matches!(k.reading, Reading::Title(_)) || walk::span_text(text, k.span).contains('.');
        if abbreviation {
            gap = gap.strip_prefix('.').unwrap_or(gap);
        }
        if matches!(k.reading, Reading::Title(_)) {
            // An acronym may follow the title ("Deputy Commissioner (DC) Chaudhry …").
            if let Some(inner) = gap.strip_prefix(" (").and_then(|g| g.strip_suffix(") ")) {
                if (1..=6).contains(&inner.len()) && inner.chars().all(|c| c.is_ascii_uppercase()) {
                    return true;
                }
            }
        }
        !gap.is_empty() && gap.len() <= 2 && gap.chars().all(|c| c == ' ')
    })
}

fn gender_of_word(word: &str) -> Option<Gender> {
    let w = word.trim_end_matches('.').to_ascii_lowercase();
    if w == "mr" || w.ends_with("spokesman") || w == "sir" || w == "king" {
        Some(Gender::Male)
    } else if w == "mrs" || w == "ms" || w.ends_with("spokeswoman") || w == "queen" || w == "dame" {
        Some(Gender::Female)
    } else {
        None
    }
}

/// ", adviser to Ukraine's Ministry of Strategic Industries," and
/// ", President Trump's special envoy to Ukraine," after a name.
fn apposition(
    text: &str,
    name: Span,
    kb_spans: &[KbSpan],
    kb: &Kb,
    doc: &DocView,
    ctx: &mut TitleContext,
) {
    let sentence_end = doc.sentence_span(doc.sentence_at(name.start())).end();
    let rest = walk::slice(text, name.end(), sentence_end.max(name.end()));
    let Some(after_comma) = rest.strip_prefix(", ") else {
        return;
    };
    let mut pos = name.end() + 2;
    for article in ["a ", "an ", "the "] {
        if after_comma.starts_with(article) {
            pos += article.len();
            break;
        }
    }
    let mut side: Option<String> = None;
    // A possessor: "Ukraine's", "the Kremlin's", or a person ("President Trump's").
    let possessive_end = walk::slice(text, pos, sentence_end.max(pos))
        .find(['\'', '’'])
        .filter(|&off| off <= 40 && possessive_len(walk::after(text, pos + off)) > 0)
        .map(|off| pos + off);
    if let Some(end) = possessive_end {
        let owner = walk::slice(text, pos, end);
        let owner_span = Span::new(pos, end);
        let kb_owner = near(kb_spans, pos, pos + 1)
            .iter()
            .find(|k| k.span.start() == pos && k.possessive);
        let after_owner = end + possessive_len(walk::after(text, end)) + 1;
        let title_follows =
            title_after_modifiers(text, after_owner, sentence_end, kb_spans).is_some();
        if title_follows {
            match kb_owner.map(|k| &k.reading) {
                Some(
                    Reading::Country(c)
                    | Reading::Demonym { code: c, .. }
                    | Reading::Metonym { code: c, .. },
                ) => side = Some(c.as_str().to_owned()),
                Some(Reading::Org(o)) => side = o.country.map(|c| c.as_str().to_owned()),
                _ if owner.starts_with(|c: char| c.is_uppercase()) => {
                    // A person: strip their titles to get the name.
                    let stripped = strip_leading_titles(text, owner_span, kb_spans);
                    ctx.possessor = Some(stripped);
                }
                _ => {}
            }
            pos = after_owner;
        }
    }
    // An adjective: "the Ukrainian foreign minister".
    if let Some(k) = near(kb_spans, pos, pos + 1)
        .iter()
        .find(|k| k.span.start() == pos)
    {
        if let Reading::Demonym {
            code,
            people: false,
        }
        | Reading::Country(code) = &k.reading
        {
            let next = k.span.end() + 1;
            if near(kb_spans, next, next + 1)
                .iter()
                .any(|t| t.span.start() == next && matches!(t.reading, Reading::Title(_)))
            {
                side = Some(code.as_str().to_owned());
                pos = next;
            }
        }
    }
    if title_after_modifiers(text, pos, sentence_end, kb_spans).is_none() {
        ctx.possessor = None;
        return;
    }
    // The title phrase, modifiers included, runs to the next comma, period or
    // semicolon, ten words at most.
    let tail = walk::slice(text, pos, sentence_end.max(pos));
    let mut end = tail
        .find([',', ';', '(', ')', '—', '–'])
        .unwrap_or(tail.len());
    let trimmed = walk::before(tail, end).trim_end_matches(['.', ' ']);
    end = trimmed.len();
    let words: Vec<(usize, &str)> = trimmed
        .split(' ')
        .scan(0, |off, w| {
            let here = *off;
            *off += w.len() + 1;
            Some((here, w))
        })
        .collect();
    if words.len() > 10 {
        end = words[10].0.saturating_sub(1);
    }
    let phrase = Span::new(pos, pos + end);
    // Inside the phrase, an organisation, a country with a possessive or after "of",
    // or a place ("governor of the Kharkiv region") gives the side; a bare country after
    // "to" is where the person is sent; a person after "to" ("aide to President
    // Putin") lends their side.
    if side.is_none() && ctx.possessor.is_none() {
        let mut weak: Option<String> = None;
        for k in near(kb_spans, phrase.start(), phrase.end())
            .iter()
            .filter(|k| phrase.contains(k.span))
        {
            let before = walk::slice(text, phrase.start(), k.span.start()).trim_end();
            let before = before.strip_suffix("the").map_or(before, str::trim_end);
            let after_of = before.ends_with(" of") || before == "of";
            match &k.reading {
                Reading::Org(o) if o.country.is_some() => {
                    side = o.country.map(|c| c.as_str().to_owned());
                    break;
                }
                Reading::Country(c) | Reading::Metonym { code: c, .. }
                    if k.possessive || after_of =>
                {
                    side = Some(c.as_str().to_owned());
                }
                Reading::Place if weak.is_none() => {
                    let best = kb
                        .resolve_candidates(&k.matched.candidates, &sitrep_kb::PlaceContext::new());
                    weak = best
                        .and_then(|b| b.place.country)
                        .map(|c| c.as_str().to_owned());
                }
                _ => {}
            }
        }
        side = side.or(weak);
        if side.is_none() {
            if let Some(off) = walk::slice(text, phrase.start(), phrase.end()).find(" to ") {
                let owner_start = phrase.start() + off + 4;
                let owner = Span::new(owner_start, phrase.end());
                if owner
                    .slice(text)
                    .is_some_and(|o| o.starts_with(|c: char| c.is_uppercase()))
                {
                    ctx.possessor = Some(strip_leading_titles(text, owner, kb_spans));
                }
            }
        }
    }
    let written = clean_name(doc.slice(phrase));
    if !written.is_empty() && !ctx.titles.contains(&written) {
        ctx.titles.push(written);
    }
    if let Some(code) = side {
        if ctx.country.is_none() {
            ctx.country = Some((code, Evidence::Apposition));
        }
    }
    ctx.apposition = Some(Span::new(name.end() + 2, phrase.end()));
}

/// Later one-word mentions of known people that no recogniser marked ("Healey said").
fn add_surname_mentions(doc: &DocView, people: &mut [Person], claimed: &mut SpanSet) {
    // Probed once for every token of the document: the Fx-style hasher, not SipHash
    // (the map is only probed, never iterated, so the hasher cannot change results).
    let mut by_surname: HashMap<&str, usize, super::figures::FxBuild> = HashMap::default();
    let mut owned: Vec<(String, usize)> = Vec::new();
    for (i, p) in people.iter().enumerate() {
        if p.folded.len() >= 2 {
            if let Some((_, name_span)) = p.mentions.first() {
                // Only a capitalised word is a surname (a name the tagger ended with
                // "'s" would otherwise claim every "'s").
                if let Some(last) = doc
                    .slice(*name_span)
                    .split_whitespace()
                    .last()
                    .filter(|w| w.starts_with(char::is_uppercase))
                {
                    owned.push((last.to_owned(), i));
                }
            }
        }
    }
    for (word, i) in &owned {
        by_surname.insert(word.as_str(), *i);
    }
    if by_surname.is_empty() {
        return;
    }
    let mut taken = SpanSet::default();
    for p in people.iter() {
        for m in &p.mentions {
            taken.insert(m.0);
        }
    }
    for token in &doc.seg.tokens {
        let word = doc.slice(token.span);
        let Some(&i) = by_surname.get(word) else {
            continue;
        };
        let first = people[i]
            .mentions
            .first()
            .map(|m| m.0.start)
            .unwrap_or(u32::MAX);
        if token.span.start < first || taken.overlaps(token.span) {
            continue;
        }
        people[i].mentions.push((token.span, token.span));
        claimed.insert(token.span);
    }
    for p in people.iter_mut() {
        p.mentions.sort();
    }
}

/// True for titles of local government ("Governor", "regional governor", "Mayor",
/// "head of the … regional military administration").
fn is_local_office(title: &str) -> bool {
    let lower = title.to_lowercase();
    [
        "governor",
        "mayor",
        "regional",
        "administration",
        "administrator",
        "oblast",
        "local",
        "district",
        "territory",
        "province",
        "provincial",
        "municipal",
        "village",
        "police",
        "civil defence",
        "civil defense",
        "rescue",
        "emergency",
        "deputy commissioner",
    ]
    .iter()
    .any(|w| lower.contains(w))
}

/// True for offices that serve at home and that the text seldom ties to a country by
/// name: interior and home ministers, chief ministers, "Union" ministers, the
/// presidency's and the army's spokespeople.
fn is_domestic_office(title: &str) -> bool {
    let lower = title.to_lowercase();
    [
        "interior",
        "home minister",
        "home affairs",
        "home secretary",
        "chief minister",
        "union ",
        "presidency",
        "army",
    ]
    .iter()
    .any(|w| lower.contains(w))
}

/// Which names count towards a document's leading country.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Counted {
    /// Place names only, not country names or capitals standing for governments.
    Places,
    /// Places and country names.
    Names,
    /// Places, country names, adjectives and people nouns, and capitals.
    Everything,
}

/// The country named most in a document under `counted`, with a clear lead: more
/// than the next (a third more for [`Counted::Everything`], where adjectives of the
/// sides of a talk add up fast). `None` without one.
fn leading_country(kb_spans: &[KbSpan], kb: &Kb, counted: Counted) -> Option<String> {
    let mut counts: HashMap<String, usize> = HashMap::new();
    let empty = sitrep_kb::PlaceContext::new();
    for k in kb_spans {
        let code = match (&k.reading, counted) {
            (Reading::Country(c), Counted::Names | Counted::Everything) => Some(*c),
            (
                Reading::Demonym { code, .. } | Reading::Metonym { code, .. },
                Counted::Everything,
            ) => Some(*code),
            (Reading::Metonym { place: true, .. }, Counted::Places) => None,
            (Reading::Place | Reading::Metonym { place: true, .. }, _) => kb
                .resolve_candidates(&k.matched.candidates, &empty)
                .and_then(|b| b.place.country),
            _ => None,
        };
        if let Some(c) = code {
            *counts.entry(c.as_str().to_owned()).or_default() += 1;
        }
    }
    let mut ranked: Vec<(String, usize)> = counts.into_iter().collect();
    ranked.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    let clear = |n: usize, m: usize| match counted {
        Counted::Everything => 3 * n > 4 * m,
        _ => n > m,
    };
    match ranked.as_slice() {
        [(top, n), (_, m), ..] if clear(*n, *m) => Some(top.clone()),
        [(top, _)] => Some(top.clone()),
        _ => None,
    }
}

/// The country the story happens in, for local officials and residents: by its
/// places, else by its places and country names. Computed once per document.
fn home_side(home: &OnceCell<Option<String>>, kb_spans: &[KbSpan], kb: &Kb) -> Option<String> {
    home.get_or_init(|| {
        leading_country(kb_spans, kb, Counted::Places)
            .or_else(|| leading_country(kb_spans, kb, Counted::Names))
    })
    .clone()
}

/// A local official's side: they serve where the story is — the place named just
/// before them ("… in the city's Oleksandrivskyi district. Ivan Fedorov, head of the
/// regional military administration, said …"), else the country of the story's places
/// (counted without country names and capitals, which name the sides of talks as often
/// as places), else of all its names. `None` for anyone else.
fn local_side(
    doc: &DocView,
    person: &Person,
    kb_spans: &[KbSpan],
    claimed: &SpanSet,
    kb: &Kb,
    home: &OnceCell<Option<String>>,
) -> Option<String> {
    if !person.domestic
        && !person
            .titles
            .iter()
            .any(|t| is_local_office(t) || is_domestic_office(t))
    {
        return None;
    }
    let first = person.mentions.iter().map(|m| m.0.start()).min();
    first
        .and_then(|pos| place_country_before(doc, kb_spans, claimed, kb, pos))
        .or_else(|| home_side(home, kb_spans, kb))
}

/// Where a person lives, from the words right after one of their names: ", 42, of
/// Tandar", ", from Kotli", ", a Khartoum resident", ", a resident of Goma". The
/// country of that place; a village the knowledge base does not know ("of Gorah
/// village", "of Chahi village") is in the story's country.
fn resident_side(
    doc: &DocView,
    person: &Person,
    kb_spans: &[KbSpan],
    kb: &Kb,
    home: &OnceCell<Option<String>>,
) -> Option<String> {
    let text = doc.text;
    person.mentions.iter().find_map(|&(_, name)| {
        let after = walk::after(text, name.end());
        // "Dan Levi from Kfar Yona in central Israel": no comma before "from".
        let mut rest = after
            .strip_prefix(", ")
            .or_else(|| after.strip_prefix(' ').filter(|r| r.starts_with("from ")))?;
        // An age: ", 42, of …".
        let digits = rest.len() - rest.trim_start_matches(|c: char| c.is_ascii_digit()).len();
        let aged = (1..=3).contains(&digits);
        if aged {
            rest = walk::after(rest, digits).strip_prefix(", ")?;
            // "Sana Malik, 15, and Hina Aslam, 12, of Bagh village".
            if let Some(next) = rest.strip_prefix("and ") {
                let clause =
                    walk::before(next, next.find([';', '.']).unwrap_or(next.len()).min(80));
                let of = clause.find(", of ")?;
                rest = walk::after(next, of + 2);
            }
        }
        let rest = ["a ", "an "]
            .iter()
            .find_map(|a| rest.strip_prefix(a))
            .unwrap_or(rest);
        let place_at = if let Some(r) = ["of ", "from ", "resident of "]
            .iter()
            .find_map(|p| rest.strip_prefix(p))
        {
            Some(r)
        } else {
            // "a Khartoum resident": capitalised words, then "resident".
            let words: Vec<&str> = rest.splitn(4, ' ').collect();
            let n = words
                .iter()
                .position(|w| w.trim_end_matches([',', '.']) == "resident")
                .filter(|&n| n > 0 && words[..n].iter().all(|w| w.starts_with(char::is_uppercase)));
            n.map(|_| rest)
        }?;
        if !place_at.starts_with(char::is_uppercase) {
            return None;
        }
        let at = text.len() - place_at.len();
        let place = near(kb_spans, at, at + 1).iter().find(|k| {
            k.span.start() == at
                && matches!(
                    k.reading,
                    Reading::Place | Reading::Country(_) | Reading::Metonym { place: true, .. }
                )
        });
        // An unknown village or district: "of Gorah village", "of Bagh village"; and
        // the hometown of a person whose age is given ("Atif Razak, 35, of Danna
        // Kathyala"), which local reporting names without a country.
        let kind_follows = place_at
            .split([' ', ',', ';', '.'])
            .take(4)
            .skip(1)
            .any(walk::is_place_kind_noun);
        if kind_follows {
            if let Some(code) = home_side(home, kb_spans, kb) {
                return Some(code);
            }
        }
        if let Some(k) = place {
            return match &k.reading {
                Reading::Country(c) | Reading::Metonym { code: c, .. } => {
                    Some(c.as_str().to_owned())
                }
                _ => kb
                    .resolve_candidates(&k.matched.candidates, &sitrep_kb::PlaceContext::new())
                    .and_then(|b| b.place.country)
                    .map(|c| c.as_str().to_owned()),
            };
        }
        // An unknown town placed in a country ("from Kfar Yona in central Israel").
        let words: Vec<&str> = place_at.splitn(8, ' ').collect();
        if let Some(i) = words.iter().take(4).position(|w| *w == "in") {
            let mut j = i + 1;
            if words
                .get(j)
                .is_some_and(|w| w.starts_with(char::is_lowercase))
            {
                j += 1;
            }
            if let Some(w) = words.get(j) {
                let at = text.len() - place_at.len()
                    + words[..j].iter().map(|w| w.len() + 1).sum::<usize>();
                let country =
                    near(kb_spans, at, at + w.len())
                        .iter()
                        .find_map(|k| match &k.reading {
                            Reading::Country(c) if k.span.start() == at => {
                                Some(c.as_str().to_owned())
                            }
                            _ => None,
                        });
                if country.is_some() {
                    return country;
                }
            }
        }
        (aged || kind_follows)
            .then(|| home_side(home, kb_spans, kb))
            .flatten()
    })
}

/// Plural nouns for a group of office holders that a list of names may follow.
const GROUP_NOUNS: [&str; 9] = [
    "officials",
    "ministers",
    "leaders",
    "diplomats",
    "commanders",
    "delegates",
    "envoys",
    "negotiators",
    "lawmakers",
];

/// The side of a person listed after "including" in a group of one country's office
/// holders: "Qatari negotiators met on Monday, including Minister of State Salem
/// Nasser and …".
fn listed_among(doc: &DocView, person: &Person, kb_spans: &[KbSpan]) -> Option<String> {
    let text = doc.text;
    person.mentions.iter().find_map(|&(mention, _)| {
        let before = walk::before(text, mention.start()).trim_end();
        let head = before.strip_suffix("including")?;
        let sentence = doc.sentence_span(doc.sentence_at(mention.start()));
        let lo = sentence.start();
        let hi = head.len();
        // The group's noun and the country named right before it.
        let clause = walk::slice(text, lo, hi);
        let (at, _) = clause
            .match_indices(|c: char| c.is_alphabetic())
            .find(|(i, _)| {
                let word = walk::after(clause, *i)
                    .split(|c: char| !c.is_alphabetic())
                    .next()
                    .unwrap_or("");
                (*i == 0 || !clause[..*i].ends_with(char::is_alphabetic))
                    && GROUP_NOUNS.contains(&word)
            })?;
        let noun_start = lo + at;
        near(kb_spans, lo, noun_start)
            .iter()
            .rev()
            .find(|k| {
                k.span.end() < noun_start && noun_start - k.span.end() <= 2 && k.span.start() >= lo
            })
            .and_then(|k| match &k.reading {
                Reading::Country(c) | Reading::Demonym { code: c, .. } => {
                    Some(c.as_str().to_owned())
                }
                _ => None,
            })
    })
}

/// How far back (bytes) a local official's place may be named: about two sentences.
const LOCAL_PLACE_WINDOW: usize = 400;

/// The country of the last place (a city or region, not a country or capital standing
/// for a government) named within [`LOCAL_PLACE_WINDOW`] bytes before `pos`.
fn place_country_before(
    doc: &DocView,
    kb_spans: &[KbSpan],
    claimed: &SpanSet,
    kb: &Kb,
    pos: usize,
) -> Option<String> {
    let empty = sitrep_kb::PlaceContext::new();
    let end = kb_spans.partition_point(|k| k.span.start() < pos);
    kb_spans[..end]
        .iter()
        .rev()
        .take_while(|k| k.span.end() + LOCAL_PLACE_WINDOW >= pos)
        // Not a piece of a person's name or of a longer name ("Hamar Weyne"), nor a
        // month ("June" is also a town).
        .filter(|k| {
            matches!(
                k.reading,
                Reading::Place | Reading::Metonym { place: true, .. }
            ) && !claimed.overlaps(k.span)
                && !sitrep_time::is_calendar_word(doc.slice(k.span))
                && !super::places::capitalised_neighbour(doc, k.span, kb_spans)
        })
        .find_map(|k| match &k.reading {
            Reading::Metonym { code, .. } => Some(*code),
            _ => kb
                .resolve_candidates(&k.matched.candidates, &empty)
                .and_then(|b| b.place.country),
        })
        .map(|c| c.as_str().to_owned())
}

/// A person's side: from the text, else from a possessor, else from the list.
fn person_side(people: &[Person], i: usize) -> Option<String> {
    let p = &people[i];
    if let Some((code, _)) = &p.country {
        return Some(code.clone());
    }
    if let Some(owner) = p.side_of.filter(|&o| o != i) {
        if let Some(code) = people[owner].country.as_ref().map(|(c, _)| c.clone()) {
            return Some(code);
        }
        if let Some(code) = people[owner].figure.and_then(Figure::country) {
            return Some(code.to_owned());
        }
    }
    p.figure.and_then(Figure::country).map(str::to_owned)
}

/// An organisation entity with this name and side, not (yet) linked to the knowledge
/// base.
fn organisation(name: String, country: Option<String>) -> EntityInfo {
    EntityInfo {
        kind: EntityKind::Organisation,
        name,
        titles: Vec::new(),
        country,
        organisation: None,
        gender: None,
        kb_id: None,
    }
}

/// Organisations from the knowledge base and from the tagger's `ORG` names.
fn add_organisations(
    doc: &DocView,
    names: &[TaggedName],
    kb_spans: &[KbSpan],
    claimed: &mut SpanSet,
    list: &mut Vec<EntityInfo>,
    mentions: &mut Vec<EntityMention>,
) {
    let mut by_key: HashMap<String, usize> = HashMap::new();
    let mut add = |key: String, info: EntityInfo, span: Span, claimed: &mut SpanSet| {
        if claimed.overlaps(span) {
            return;
        }
        let entity = *by_key.entry(key).or_insert_with(|| {
            list.push(info);
            list.len() - 1
        });
        mentions.push(EntityMention {
            span,
            name_span: span,
            entity,
            kind: MentionKind::Name,
        });
        claimed.insert(span);
    };
    for k in kb_spans {
        if let Reading::Org(org) = &k.reading {
            let mut info =
                organisation(org.name.clone(), org.country.map(|c| c.as_str().to_owned()));
            info.kb_id = Some(format!("org:{}", org.id));
            add(format!("org:{}", org.id), info, k.span, claimed);
        }
    }
    // "Israeli military", "Russia's defence ministry", "German Ministry of Defence":
    // a state's body named by its adjective or possessive and a head noun.
    for (span, code) in state_bodies(doc.text, kb_spans) {
        let written = clean_name(doc.slice(span));
        let key = format!("name:{}", sitrep_kb::fold(&written));
        add(key, organisation(written, Some(code)), span, claimed);
    }
    for name in names.iter().filter(|n| n.kind == EntityType::Org) {
        // A knowledge-base name inside a longer organisation name belongs to it
        // ("United Kingdom Maritime Trade Operations"); one that reaches outside it wins.
        let several_words = doc.slice(name.span).contains(' ');
        let conflict = near(kb_spans, name.span.start(), name.span.end())
            .iter()
            .any(|k| {
                k.span.overlaps(name.span)
                    && !(several_words && name.span.contains(k.span) && k.span != name.span)
                    // A small town's name is the tagger's organisation ("Google", "Hewitt").
                    && !(k.span == name.span && weak_place(doc.text, k, kb_spans))
            });
        if conflict {
            continue;
        }
        let written = clean_name(doc.slice(name.span));
        let written = written.strip_prefix("the ").unwrap_or(&written).to_owned();
        if !written.starts_with(|c: char| c.is_uppercase()) {
            continue;
        }
        let country = near(kb_spans, name.span.start(), name.span.end())
            .iter()
            .filter(|k| name.span.contains(k.span))
            .find_map(|k| match &k.reading {
                Reading::Country(c) | Reading::Demonym { code: c, .. } => {
                    Some(c.as_str().to_owned())
                }
                _ => None,
            });
        let key = format!("name:{}", sitrep_kb::fold(&written));
        add(key, organisation(written, country), name.span, claimed);
    }
}

/// Head nouns of state bodies.
const BODY_HEADS: [&str; 26] = [
    "military",
    "army",
    "forces",
    "troops",
    "navy",
    "force",
    "ministry",
    "government",
    "police",
    "command",
    "office",
    "authorities",
    "parliament",
    "council",
    "committee",
    "agency",
    "service",
    "guard",
    "administration",
    "embassy",
    "cabinet",
    "militia",
    "delegation",
    "presidency",
    "prosecutors",
    "intelligence",
];

/// Spans of "<adjective or country's> [modifiers] <head>[ of <Name>]" with the state's
/// code, for heads in [`BODY_HEADS`] ("Ukrainian Air Force", "Russia's defence
/// ministry", "German Ministry of Defence").
fn state_bodies(text: &str, kb_spans: &[KbSpan]) -> Vec<(Span, String)> {
    let mut out = Vec::new();
    for k in kb_spans {
        let code = match &k.reading {
            Reading::Demonym {
                code,
                people: false,
            } => *code,
            Reading::Country(code) if k.possessive => *code,
            _ => continue,
        };
        let mut pos = k.span.end();
        if k.possessive {
            pos += possessive_len(walk::after(text, pos));
        }
        let mut end = None;
        for _ in 0..4 {
            let Some(rest) = walk::after(text, pos).strip_prefix(' ') else {
                break;
            };
            let len = rest
                .find(|c: char| !(c.is_alphabetic() || c == '-'))
                .unwrap_or(rest.len());
            let word = walk::before(rest, len);
            if word.is_empty() {
                break;
            }
            let word_end = pos + 1 + len;
            if BODY_HEADS.contains(&word.to_lowercase().as_str()) {
                end = Some(word_end);
                // "Ministry of Defence"
                if let Some(tail) = walk::after(text, word_end).strip_prefix(" of ") {
                    let n = tail
                        .find(|c: char| !(c.is_alphabetic() || c == ' '))
                        .unwrap_or(tail.len());
                    let words: Vec<&str> = walk::before(tail, n)
                        .split(' ')
                        .take_while(|w| w.starts_with(|c: char| c.is_uppercase()))
                        .collect();
                    if !words.is_empty() {
                        end = Some(word_end + 4 + words.join(" ").len());
                    }
                }
                break;
            }
            if !is_modifier(word) {
                break;
            }
            pos = word_end;
        }
        if let Some(end) = end {
            out.push((Span::new(k.span.start(), end), code.as_str().to_owned()));
        }
    }
    out
}

/// Countries acting: country names, adjectives before a noun, and metonyms that are
/// not the object of a locative preposition.
fn add_countries(
    doc: &DocView,
    kb_spans: &[KbSpan],
    kb: &Kb,
    claimed: &mut SpanSet,
    list: &mut Vec<EntityInfo>,
    mentions: &mut Vec<EntityMention>,
) {
    let text = doc.text;
    let mut by_code: HashMap<String, usize> = HashMap::new();
    let mut new_claims = Vec::new();
    for k in kb_spans {
        if claimed.overlaps(k.span) {
            continue;
        }
        let (code, kind) = match &k.reading {
            Reading::Country(c) => (*c, MentionKind::Country),
            Reading::Demonym {
                code,
                people: false,
            } if next_word_is_lowercase(text, k.span.end()) => (*code, MentionKind::Country),
            Reading::Metonym { code, place } => {
                if *place && (follows_locative(text, k.span.start()) || !acts(text, k)) {
                    continue;
                }
                new_claims.push(k.span);
                (*code, MentionKind::Metonym)
            }
            _ => continue,
        };
        let code = code.as_str().to_owned();
        let entity = *by_code.entry(code.clone()).or_insert_with(|| {
            list.push(EntityInfo {
                kind: EntityKind::Country,
                name: kb.country_name(&code).unwrap_or(&code).to_owned(),
                titles: Vec::new(),
                country: Some(code.clone()),
                organisation: None,
                gender: None,
                kb_id: Some(format!("country:{code}")),
            });
            list.len() - 1
        });
        mentions.push(EntityMention {
            span: k.span,
            name_span: k.span,
            entity,
            kind,
        });
    }
    for span in new_claims {
        claimed.insert(span);
    }
}

fn follows_locative(text: &str, start: usize) -> bool {
    let before = walk::before(text, start).trim_end();
    let before = before
        .strip_suffix("the")
        .map(str::trim_end)
        .unwrap_or(before);
    let word = before.rsplit([' ', '\n']).next().unwrap_or("");
    LOCATIVES.iter().any(|l| word.eq_ignore_ascii_case(l))
}

/// Population from which a one-word place name outweighs the tagger's reading of it as
/// a person: big enough that a news reader would think of the place first ("Kherson",
/// "Rome"), small enough that a town named after a given name ("Joseph", Oregon) is not.
const STRONG_PLACE_POPULATION: u64 = 250_000;

/// A knowledge-base place reading too weak to overrule the tagger's person: only towns
/// and first-level divisions of fewer than [`STRONG_PLACE_POPULATION`] people ("Vince",
/// "Sharon", "Clinton", the Manx sheading "Michael"), and no locative preposition before
/// it other than "of" or "to" ("in Sharon" stays a place).
fn weak_place(text: &str, k: &KbSpan, kb_spans: &[KbSpan]) -> bool {
    // "Khartoum Bahri": a word right after a place name is part of a place.
    if adjacent_before(text, k.span.start(), kb_spans).is_some_and(|p| {
        matches!(
            p.reading,
            Reading::Place | Reading::Country(_) | Reading::Metonym { place: true, .. }
        )
    }) {
        return false;
    }
    // "of" and "to" take people as often as places ("statues of David", "pass this
    // to Elizabeth"): only the other locatives keep the town.
    let before = walk::before(text, k.span.start()).trim_end();
    let weak_locative = ["of", "to"].iter().any(|w| {
        before
            .rsplit([' ', '\n'])
            .next()
            .is_some_and(|b| b.eq_ignore_ascii_case(w))
    });
    if !matches!(k.reading, Reading::Place) {
        return false;
    }
    // Only other names of towns ("Google" was once Topeka's): the tagger's reading
    // wins wherever the word stands.
    let only_alternates = k.matched.candidates.iter().all(|c| match &c.entry {
        sitrep_kb::Entry::Place(p) => !c.primary && p.kind == sitrep_kb::PlaceKind::City,
        _ => true,
    });
    if only_alternates {
        return true;
    }
    if follows_locative(text, k.span.start()) && !weak_locative {
        return false;
    }
    // A big city known by another main name ("Wei" for Weifang, "Kyle" for Kiel) is
    // no stronger than a small town.
    k.matched.candidates.iter().all(|c| match &c.entry {
        sitrep_kb::Entry::Place(p) => {
            matches!(
                p.kind,
                sitrep_kb::PlaceKind::City | sitrep_kb::PlaceKind::Admin1
            ) && (p.population < STRONG_PLACE_POPULATION || !c.primary)
        }
        _ => true,
    })
}

/// Verbs whose object is a place: a city that is left, visited or struck is the city,
/// not its government ("the envoy left Cairo late on Monday", "missiles struck Kyiv
/// overnight").
const PLACE_OBJECT_VERBS: &[&str] = &[
    "left",
    "leave",
    "leaves",
    "leaving",
    "departed",
    "depart",
    "departs",
    "departing",
    "visited",
    "visit",
    "visits",
    "visiting",
    "reached",
    "reach",
    "reaches",
    "reaching",
    "toured",
    "entered",
    "enter",
    "enters",
    "entering",
    "fled",
    "flee",
    "flees",
    "fleeing",
    "struck",
    "strike",
    "strikes",
    "striking",
    "hit",
    "hits",
    "hitting",
    "attacked",
    "attacking",
    "bombed",
    "bombing",
    "shelled",
    "shelling",
    "targeted",
    "targeting",
    "pounded",
    "pounding",
    "besieged",
    "encircled",
    "seized",
    "captured",
    "recaptured",
    "liberated",
    "stormed",
    "raided",
    "rocked",
    "battered",
];

/// A metonym acts when it has a possessive or a lower-case word (a verb) follows it,
/// and no locative, place noun or verb taking a place stands before it ("a blast in
/// the capital city Mogadishu killed three" is about the city).
fn acts(text: &str, k: &KbSpan) -> bool {
    let before = walk::before(text, k.span.start()).trim_end();
    let located = before.rsplit([' ', '\n']).next().is_some_and(|w| {
        matches!(
            w,
            "in" | "at" | "near" | "outside" | "from" | "city" | "capital" | "town" | "port"
        ) || PLACE_OBJECT_VERBS.contains(&w)
    });
    !located && (k.possessive || next_word_is_lowercase(text, k.span.end()))
}

fn next_word_is_lowercase(text: &str, end: usize) -> bool {
    let rest = walk::after(text, end);
    let Some(rest) = rest.strip_prefix(' ') else {
        return false;
    };
    let word: &str = rest.split([' ', ',', '.', ';']).next().unwrap_or("");
    word.starts_with(|c: char| c.is_lowercase())
        && !matches!(word, "and" | "or" | "of" | "in" | "on" | "at" | "to")
}

/// Orders entities by first mention and mentions by position.
fn order(list: Vec<EntityInfo>, mut mentions: Vec<EntityMention>, claimed: SpanSet) -> Built {
    let mut first = vec![u32::MAX; list.len()];
    for m in &mentions {
        first[m.entity] = first[m.entity].min(m.span.start);
    }
    let mut order: Vec<usize> = (0..list.len()).filter(|&i| first[i] != u32::MAX).collect();
    order.sort_by_key(|&i| (first[i], i));
    let mut new_index = vec![usize::MAX; list.len()];
    for (new, &old) in order.iter().enumerate() {
        new_index[old] = new;
    }
    let mut slots: Vec<Option<EntityInfo>> = list.into_iter().map(Some).collect();
    let list: Vec<EntityInfo> = order.iter().filter_map(|&old| slots[old].take()).collect();
    for m in &mut mentions {
        m.entity = new_index[m.entity];
    }
    mentions.retain(|m| m.entity != usize::MAX);
    mentions.sort_by_key(|m| (m.span.start, m.span.end));
    Built {
        entities: Entities { list, mentions },
        claimed,
    }
}
