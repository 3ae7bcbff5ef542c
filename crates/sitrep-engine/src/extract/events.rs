//! Violent events: attacks and fighting with their place, date, actor, target and
//! casualties (PLOVER `ASSAULT` / `FIGHT`).
//!
//! How it works, per document:
//!
//! 1. **Pre-screen.** One Aho–Corasick pass over the whole text finds attack words from
//!    `data/lexicon/attack_triggers.tsv`; sentences without one cost nothing more.
//! 2. **Filter.** A trigger is dropped when its clause hedges it ("could strike",
//!    "threatened to attack"), negates or denies it ("denied striking the hospital" is a
//!    claim, not an event), when its sentence summarises the whole war ("since 2022" —
//!    those numbers are figures, see [`super::figures`]), or when nothing anchors it (no
//!    place, no casualties and, for strong triggers, no date either).
//! 3. **Arguments.** Place: the place mention governed by a location preposition ("in",
//!    "on", "near", "at", "east of" …, skipping "the eastern city of" and an owner as in
//!    "Ukraine's Kharkiv") or by the trigger itself ("shelling of Kherson"), closest to
//!    the trigger, cities before countries; a country right before the trigger ("Israel
//!    struck", "US-UK raids") is its actor, and a name inside a hyphenated modifier
//!    ("the US-flagged ship") no place. Actor:
//!    "by X", an adjective or name just before the trigger ("a Russian drone strike"), the
//!    subject of the clause ("Russian forces shelled"), or — flagged as inferred — the
//!    subject of an escalation verb in one of the two sentences before ("Russia escalated
//!    its attacks. A drone strike …"). Date: a day in the sentence, a day in that context
//!    sentence, else the publication day for past-tense news near the top of the article.
//!    Casualties come from [`super::casualties`], each count going to the nearest trigger
//!    before it; counts in the next sentences without an attack word (up to three, across
//!    one paragraph break) go to the last attack when it has a place and no count yet.
//! 4. **Merge.** Triggers in the same or the adjacent sentence about the same place (or
//!    without a place of their own) make one event with several evidence sentences.
//!    Reports at a country and at a city inside it with no different day, mode or toll
//!    are one attack at the city; a lead that gives no place ("a raid on a market in
//!    the north of the country") and the first later report that places it are one.
//!
//! The module also holds the small helpers the other event stages share (word, clause
//! and place look-ups); lexicon matching lives in [`super::lexicon`].

use std::cell::RefCell;
use std::collections::HashMap;
use std::sync::OnceLock;

use sitrep_core::record::{EntityKind, Quantity};
use sitrep_core::Span;

use super::casualties::{find_casualties, CasualtyKind, CasualtyMention};
use crate::model::{DocView, Entities, EntityIdx, EventFact, PlaceIdx, PlaceInfo, TimeInfo};

// ---------------------------------------------------------------------------------------
// Shared matching helpers (used by meetings, claims and figures too)

use super::lexicon::{hits_in, Hit, Matcher};
use crate::walk::{
    self, any_time_in, by_sentence, clause_start, country_of, day_in, distance, governor, is_lead,
    is_past, one_of, strip_possessive, word_count, words, PlaceIndex,
};

/// Prepositions that put a place where something happens; so do the compass points
/// (`sitrep_kb::COMPASS_POINTS`: in "east of Khan Younis" the compass word governs
/// through "of").
pub(crate) const LOC_PREPS: &[&str] = &[
    "in",
    "on",
    "near",
    "at",
    "outside",
    "around",
    "across",
    "over",
    "into",
    "against",
    "targeting",
    "toward",
    "towards",
    "inside",
    "throughout",
    // "a convoy between the towns of A and B": the first of the two.
    "between",
    "hit",
    "struck",
    "shelled",
    "bombed",
    "attacked",
    "pounded",
    "targeted",
];

/// Index of the entity mention kinds that can act (not persons).
fn can_act(kind: EntityKind) -> bool {
    matches!(
        kind,
        EntityKind::Country | EntityKind::Organisation | EntityKind::Group
    )
}

// ---------------------------------------------------------------------------------------
// The events stage

const LEXICON: &str = include_str!("../../../../data/lexicon/attack_triggers.tsv");

struct Lexicons {
    triggers: Matcher,
    aux: Matcher,
}

fn lexicons() -> &'static Lexicons {
    static L: OnceLock<Lexicons> = OnceLock::new();
    L.get_or_init(|| Lexicons {
        triggers: Matcher::new(LEXICON, &["trigger", "weak", "not"]),
        aux: Matcher::new(
            LEXICON,
            &[
                "context",
                "hedge",
                "negation",
                "background",
                "target",
                "damage",
                "force",
                "weapon",
            ],
        ),
    })
}

/// Attack words inside `span`, without those that are part of a phrase telling no
/// attack ("air raid alert", "hunger strike").
pub(crate) fn find_triggers(text: &str, span: Span) -> Vec<Hit> {
    let mut hits = lexicons().triggers.find(text, span);
    hits.retain(|h| h.row.class != "not");
    hits
}

/// The stage's matchers, for the combined document scan.
pub(crate) fn matchers() -> Vec<&'static Matcher> {
    let lex = lexicons();
    vec![&lex.triggers, &lex.aux, background_matcher()]
}

/// The background phrases of the attack lexicon (shared with the figures stage).
pub(crate) fn background_matcher() -> &'static Matcher {
    static M: OnceLock<Matcher> = OnceLock::new();
    M.get_or_init(|| Matcher::new(LEXICON, &["background"]))
}

/// True when a sentence summarises a whole war or period ("since the war began",
/// "since 2022", "every day") rather than telling one event.
pub(crate) fn is_background_sentence(text: &str, sentence: Span, bg_hits: &[Hit]) -> bool {
    !hits_in(bg_hits, sentence).is_empty() || since_a_date(text, sentence)
}

/// True when `span` holds "since" and a year or month ("since 2022", "since late 2023",
/// "since March"): a count over a period, not one event.
fn since_a_date(text: &str, span: Span) -> bool {
    let ws = words(text, span);
    let is_date =
        |w: &str| (w.len() == 4 && w.bytes().all(|b| b.is_ascii_digit())) || one_of(w, MONTHS);
    ws.windows(3).any(|p| {
        p[0].1.eq_ignore_ascii_case("since")
            && (is_date(p[1].1)
                || (one_of(p[1].1, &["late", "early", "mid", "last"]) && is_date(p[2].1)))
    }) || ws.len() >= 2 && {
        let n = ws.len();
        ws[n - 2].1.eq_ignore_ascii_case("since") && is_date(ws[n - 1].1)
    }
}

/// True when a trigger is told as part of a whole period: a background phrase anywhere
/// in its sentence, or "since" a date between the clause start and the end of the
/// sentence (or a semicolon). "In Goma, which the rebels have held since January, a grenade exploded"
/// tells one event; "the group has attacked 100 ships since late 2023" does not.
fn background_clause(text: &str, sent: Span, trig: Span, bg_hits: &[Hit]) -> bool {
    let cs = clause_start(text, sent, trig.start());
    let ce = text
        .get(trig.end()..sent.end())
        .and_then(|t| t.find(';'))
        .map_or(sent.end(), |i| trig.end() + i);
    let clause = Span::new(cs, ce.max(cs));
    !hits_in(bg_hits, sent).is_empty() || since_a_date(text, clause)
}

const MONTHS: &[&str] = &[
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// Words allowed between an actor and the trigger it modifies ("a Russian overnight drone
/// strike", "Russia's massive missile attack").
const ACTOR_FILLER: &[&str] = &[
    "a",
    "an",
    "the",
    "s",
    "fresh",
    "new",
    "massive",
    "overnight",
    "deadly",
    "suspected",
    "heavy",
    "large-scale",
    "combined",
    "latest",
    "major",
    "another",
    "apparent",
    "intense",
    "coordinated",
    "retaliatory",
    "also",
    "early",
    "morning",
    "night",
    "nighttime",
    "has",
    "have",
    "had",
    "again",
    "reportedly",
];

/// Reporting verbs: a mention before one of them is a source, not the perpetrator.
const REPORTING: &[&str] = &[
    "said",
    "says",
    "say",
    "told",
    "reported",
    "reports",
    "according",
    "claimed",
    "claims",
    "stated",
    "announced",
    "added",
    "confirmed",
    "denied",
    "accused",
    "blamed",
    "warned",
    "noted",
];

/// Prepositions that make a mention something other than the subject.
const NON_SUBJECT_PREPS: &[&str] = &[
    "in", "on", "at", "near", "of", "over", "from", "against", "with", "between", "to", "for",
    "into", "across", "by",
];

#[derive(Debug, Clone)]
struct Candidate {
    sentence: usize,
    trigger: Span,
    weak: bool,
    plover: &'static str,
    mode: Option<&'static str>,
    place: Option<(PlaceIdx, Span)>,
    actor: Option<(EntityIdx, bool)>,
    date: Option<String>,
    target: Option<&'static str>,
    /// The target's own words ("a house east of the city").
    site: Option<Span>,
    killed: Vec<CasualtyMention>,
    wounded: Vec<CasualtyMention>,
    damage: bool,
    /// Concrete enough to be an event of its own (else it can only join one).
    anchored: bool,
    /// The day of the statement that reports it ("said on Tuesday that …"): the event's
    /// day only when nothing else dates it.
    date_of_telling: Option<String>,
    /// The date is the publication day, guessed for past-tense lead news.
    date_guessed: bool,
    /// Refers back to an attack told before ("the attack", "those raids", "the Kharkiv
    /// strike"): it joins that event rather than making a new one.
    anaphoric: bool,
    /// The place the sentence gives a referring trigger before it was narrowed to the
    /// noun phrase: its place when its own day shows it tells another attack.
    sentence_place: Option<(PlaceIdx, Span)>,
    /// The date was written in the trigger's own sentence.
    dated_in_sentence: bool,
}

/// Casualty counts per sentence of one document, found once and shared by the events
/// and figures stages (both look at the sentences that mention deaths).
#[derive(Debug, Default)]
pub struct Casualties {
    found: RefCell<HashMap<(u32, u32), Vec<CasualtyMention>>>,
}

impl Casualties {
    /// An empty memo, for one document.
    pub fn new() -> Casualties {
        Casualties::default()
    }

    /// [`find_casualties`] of `text` in `sent`, computed on first request.
    pub fn in_sentence(&self, text: &str, sent: Span) -> Vec<CasualtyMention> {
        self.found
            .borrow_mut()
            .entry((sent.start, sent.end))
            .or_insert_with(|| find_casualties(text, sent))
            .clone()
    }
}

/// Finds violent events (attacks, shelling, fighting) with their arguments and
/// casualties. See the module documentation for the rules.
pub fn find_events(
    doc: &DocView,
    entities: &Entities,
    places: &[PlaceInfo],
    times: &[TimeInfo],
) -> Vec<EventFact> {
    find_events_with(doc, entities, places, times, &Casualties::new())
}

/// [`find_events`] with the document's casualty counts shared with other stages.
pub fn find_events_with(
    doc: &DocView,
    entities: &Entities,
    places: &[PlaceInfo],
    times: &[TimeInfo],
    casualties: &Casualties,
) -> Vec<EventFact> {
    let whole = Span::new(0, doc.text.len());
    let triggers = find_triggers(doc.text, whole);
    if triggers.is_empty() {
        return Vec::new();
    }
    let pidx = PlaceIndex::new(places);
    let mut cands: Vec<Candidate> = Vec::new();
    for (s, sent, in_sentence) in by_sentence(doc, &triggers) {
        let ctx = Ctx {
            doc,
            entities,
            places,
            pidx: &pidx,
            times,
            casualties,
        };
        sentence_candidates(&ctx, s, sent, in_sentence, &mut cands);
    }
    merge(doc, entities, places, &pidx, cands)
}

/// What every sentence of the stage looks at.
struct Ctx<'a> {
    doc: &'a DocView<'a>,
    entities: &'a Entities,
    places: &'a [PlaceInfo],
    pidx: &'a PlaceIndex,
    times: &'a [TimeInfo],
    casualties: &'a Casualties,
}

/// Candidates from one sentence with at least one trigger.
fn sentence_candidates(ctx: &Ctx, s: usize, sent: Span, trigs: &[Hit], out: &mut Vec<Candidate>) {
    let (doc, entities, times) = (ctx.doc, ctx.entities, ctx.times);
    let lex = lexicons();
    let text = doc.text;
    let aux = lex.aux.find(text, sent);
    let bg: Vec<Hit> = aux
        .iter()
        .filter(|h| h.row.class == "background")
        .copied()
        .collect();
    let trigs: Vec<Hit> = trigs
        .iter()
        .filter(|t| !background_clause(text, sent, t.span, &bg))
        .filter(|t| !hedged_or_negated(text, sent, t.span, &aux))
        .copied()
        .collect();
    if trigs.is_empty() {
        return;
    }
    let casualties = ctx.casualties.in_sentence(text, sent);
    let first = out.len();
    for t in &trigs {
        let anaphoric = anaphoric_at(text, sent, t);
        let mut place = event_place(text, sent, t.span, ctx.pidx, ctx.places, &trigs);
        let sentence_place = place;
        if anaphoric {
            // Only a place inside the noun phrase ("the Kharkiv strike") names the event
            // referred to; a place elsewhere in the sentence is about something else.
            let np = Span::new(
                t.span.start().saturating_sub(40).max(sent.start()),
                t.span.start(),
            );
            place = place.filter(|(_, m)| {
                np.contains(*m) && word_count(text, Span::new(m.end(), t.span.start())) <= 2
            });
        }
        let weapon = weapon_mode(text, sent, t.span, &aux);
        let weak = t.row.class == "weak" && weapon.is_none();
        out.push(Candidate {
            sentence: s,
            trigger: t.span,
            weak,
            plover: if t.row.a == "FIGHT" {
                "FIGHT"
            } else {
                "ASSAULT"
            },
            mode: (!t.row.b.is_empty()).then_some(t.row.b).or(weapon),
            place,
            actor: None,
            date: None,
            date_of_telling: None,
            date_guessed: false,
            target: None,
            site: site_of(text, sent, t.span),
            killed: Vec::new(),
            wounded: Vec::new(),
            damage: false,
            anchored: false,
            anaphoric,
            sentence_place,
            dated_in_sentence: false,
        });
    }
    // Casualties and targets go to the nearest trigger before them (else the first).
    let starts: Vec<u32> = out[first..].iter().map(|c| c.trigger.start).collect();
    let nearest_before =
        |pos: u32| -> usize { first + starts.partition_point(|&t| t <= pos).saturating_sub(1) };
    for m in casualties {
        let k = nearest_before(m.span.start);
        match m.kind {
            CasualtyKind::Killed => out[k].killed.push(m),
            CasualtyKind::Wounded => out[k].wounded.push(m),
            _ => {}
        }
    }
    for h in aux.iter().filter(|h| h.row.class == "target") {
        let k = (first..out.len())
            .min_by_key(|&k| distance(out[k].trigger, h.span))
            .unwrap_or(first);
        if out[k].target.is_none() {
            out[k].target = Some(h.row.a);
        }
    }
    let damage = aux.iter().any(|h| h.row.class == "damage");
    for c in &mut out[first..] {
        c.damage = damage && c.target.is_some();
        c.actor = stated_actor(text, entities, sent, c.trigger, c.place.map(|p| p.1), &aux);
        let (told, happened): (Vec<TimeInfo>, Vec<TimeInfo>) = times
            .iter()
            .filter(|t| sent.contains(t.span))
            .cloned()
            .partition(|t| after_reporting_verb(text, sent, t.span));
        c.date = day_in(&happened, sent, c.trigger);
        c.dated_in_sentence = c.date.is_some();
        c.date_of_telling = day_in(&told, sent, c.trigger);
    }
    // Counts in the next sentences, when they have no attack word of their own ("An
    // explosion hit the station. Two children were among the dead."): up to three
    // sentences on, across at most one paragraph break, until an attack word.
    let para_of = |k: usize| doc.seg.sentences.get(k).map(|x| x.paragraph);
    for next in s + 1..=s + 3 {
        if next >= doc.seg.sentences.len()
            || para_of(next).zip(para_of(s)).is_none_or(|(n, p)| n > p + 1)
        {
            break;
        }
        let nsent = doc.sentence_span(next);
        if !find_triggers(text, nsent).is_empty() {
            break;
        }
        let naux = lex.aux.find(text, nsent);
        let nbg: Vec<Hit> = naux
            .iter()
            .filter(|h| h.row.class == "background")
            .copied()
            .collect();
        let hedge = naux.iter().any(|h| h.row.class == "hedge");
        if hedge || is_background_sentence(text, nsent, &nbg) {
            continue;
        }
        let Some(c) = out.last_mut() else { break };
        // Further on, only an attack with a place of its own takes the counts: an
        // attack word with nothing concrete is not made an event by a far count.
        if next > s + 1 && c.place.is_none() {
            break;
        }
        for m in ctx.casualties.in_sentence(text, nsent) {
            match m.kind {
                CasualtyKind::Killed if c.killed.is_empty() => c.killed.push(m),
                CasualtyKind::Wounded if c.wounded.is_empty() => c.wounded.push(m),
                _ => {}
            }
        }
        if !c.killed.is_empty() && !c.wounded.is_empty() {
            break;
        }
    }
    // Anchor: a trigger makes an event of its own only with something concrete about it.
    // A trigger governed by an escalation verb ("intensified its bombardment") is context.
    let has_day = times
        .iter()
        .any(|t| sent.contains(t.span) && t.precision == "day");
    for c in &mut out[first..] {
        let casualties = !c.killed.is_empty() || !c.wounded.is_empty();
        let contextual = aux.iter().any(|h| {
            h.row.class == "context"
                && h.span.end <= c.trigger.start
                && word_count(text, Span::new(h.span.end(), c.trigger.start())) <= 2
        });
        let weak = c.weak || contextual;
        c.anchored = c.place.is_some() || casualties || c.damage || (!weak && has_day);
    }
    // Context from the sentences before: an escalation verb names the actor; its day
    // dates the event.
    let context = context_actor(doc, entities, times, s);
    let lead_past = is_lead(doc, s) && is_past(text, sent) && !any_time_in(times, sent);
    for c in &mut out[first..] {
        if c.actor.is_none() {
            if let Some((e, _)) = context.0 {
                c.actor = Some((e, true));
            }
        }
        if c.date.is_none() {
            c.date = context.1.clone();
        }
        if c.date.is_none() && lead_past {
            c.date = doc.published.map(|d| d.to_string());
            c.date_guessed = c.date.is_some();
        }
    }
}

/// Words that end the noun phrase of a site.
const SITE_STOP: &[&str] = &[
    "in",
    "at",
    "on",
    "near",
    "with",
    "by",
    "from",
    "during",
    "as",
    "while",
    "when",
    "after",
    "before",
    "killing",
    "wounding",
    "injuring",
    "leaving",
    "causing",
    "damaging",
    "and",
    "but",
    "which",
    "who",
    "that",
    "overnight",
    "early",
    "late",
    "yesterday",
    "today",
    "tonight",
    "last",
    "amid",
    "for",
    "to",
    "was",
    "were",
    "is",
    "are",
    "has",
    "had",
    "said",
    "says",
];

/// Words a site's noun phrase may open with.
const SITE_OPEN: &[&str] = &[
    "a",
    "an",
    "the",
    "its",
    "their",
    "his",
    "her",
    "several",
    "two",
    "three",
    "four",
    "five",
    "multiple",
    "dozens",
    "civilian",
    "residential",
];

/// The target as the text names it: the object of an attack verb ("shelled a shop west
/// of the harbour") or of "on", "against", "targeting" after an attack noun ("a strike on
/// the grain silo"), from its determiner up to a preposition, a clause word or
/// punctuation, at most ten words; not a place's own name ("shelled the city of …").
fn site_of(text: &str, sent: Span, trig: Span) -> Option<Span> {
    let trigger = walk::slice(text, trig.start(), trig.end());
    let last = trigger.rsplit(' ').next().unwrap_or("");
    let verb = last
        .get(last.len().saturating_sub(2)..)
        .is_some_and(|end| end.eq_ignore_ascii_case("ed"))
        || one_of(
            last,
            &[
                "hit",
                "struck",
                "shot",
                "up",
                "targeting",
                "hitting",
                "striking",
            ],
        );
    let hi = (trig.end() + 160).min(sent.end());
    let after = words(text, Span::new(trig.end(), walk::floor_boundary(text, hi)));
    let mut i = 0;
    if !verb {
        if !after
            .first()
            .is_some_and(|(_, w)| one_of(w, &["on", "against", "targeting"]))
        {
            return None;
        }
        i = 1;
    }
    let &(open, first) = after.get(i)?;
    if !one_of(first, SITE_OPEN) {
        return None;
    }
    let clean = |from: usize, to: usize| {
        !walk::slice(text, from, to)
            .contains([',', ';', ':', '(', ')', '\u{2014}', '"', '\u{201C}'])
    };
    if !clean(trig.end(), open.start()) {
        return None;
    }
    let mut end = open.end();
    let mut n = 0;
    let rest = &after[(i + 1).min(after.len())..];
    for (k, &(sp, w)) in rest.iter().enumerate() {
        if n >= 9 || one_of(w, SITE_STOP) || !clean(end, sp.start()) {
            break;
        }
        // "the city of Kherson", "the besieged city of …", "the town": the place itself
        // ("the town square" is not).
        let kind = one_of(
            w,
            &["city", "town", "village", "region", "province", "area"],
        );
        let next = rest.get(k + 1).map(|(_, x)| *x);
        let described = rest[..k]
            .iter()
            .all(|(_, x)| x.starts_with(|c: char| c.is_lowercase()));
        if n <= 2
            && described
            && kind
            && next.is_none_or(|x| x.eq_ignore_ascii_case("of") || one_of(x, SITE_STOP))
        {
            return None;
        }
        end = sp.end();
        n += 1;
    }
    (n > 0).then(|| Span::new(open.start(), end))
}

/// True when a time expression dates a statement: a reporting verb, possibly with its
/// audience, just before it ("said on Tuesday", "told reporters on Thursday").
fn after_reporting_verb(text: &str, sent: Span, t: Span) -> bool {
    let lo = t.start().saturating_sub(40).max(sent.start());
    let mut lo = lo;
    while lo < t.start() && !text.is_char_boundary(lo) {
        lo += 1;
    }
    let before = words(text, Span::new(lo, t.start()));
    before
        .iter()
        .rev()
        .take(3)
        .skip_while(|(_, w)| one_of(w, &["on", "late", "early", "reporters", "journalists"]))
        .take(1)
        .any(|(_, w)| one_of(w, REPORTING))
}

/// Determiners that point back to something already told.
const DEMONSTRATIVES: &[&str] = &["this", "that", "these", "those"];

/// True when a trigger refers back to an attack told before: a general attack word
/// after "the" ("the attack", "the overnight strike", "the Kharkiv strike") or any
/// attack word after a demonstrative ("those raids").
fn anaphoric_at(text: &str, sent: Span, t: &Hit) -> bool {
    let cs = clause_start(text, sent, t.span.start());
    let before = words(text, Span::new(cs, t.span.start()));
    for (n, (_, w)) in before.iter().rev().enumerate() {
        if n >= 3 {
            break;
        }
        if one_of(w, DEMONSTRATIVES) {
            return true;
        }
        if w.eq_ignore_ascii_case("the") {
            return t.row.class == "weak";
        }
        if one_of(
            w,
            &[
                "a", "an", "its", "their", "his", "her", "of", "by", "in", "on",
            ],
        ) {
            return false;
        }
    }
    false
}

/// How far (bytes) from a trigger a weapon noun may stand.
const WEAPON_REACH: u32 = 120;

/// The mode a weapon noun gives a trigger: just before it ("a drone hit", "shells
/// struck"), just after it ("attack drones") or after "with" ("pounded the city with
/// artillery").
fn weapon_mode(text: &str, sent: Span, trig: Span, aux: &[Hit]) -> Option<&'static str> {
    let cs = clause_start(text, sent, trig.start()) as u32;
    // Only hits near the trigger can name its weapon; look at those alone so that a
    // huge sentence costs no more than a normal one.
    let lo = aux.partition_point(|h| h.span.end + WEAPON_REACH < trig.start);
    let hi = aux.partition_point(|h| h.span.start <= trig.end + WEAPON_REACH);
    aux[lo..hi.max(lo)]
        .iter()
        .filter(|h| h.row.class == "weapon" && !h.row.a.is_empty())
        .find(|h| {
            if h.span.end <= trig.start {
                h.span.start >= cs && word_count(text, Span::new(h.span.end(), trig.start())) <= 2
            } else if h.span.start >= trig.end {
                let between = words(text, Span::new(trig.end(), h.span.start()));
                between.is_empty()
                    || (between.len() <= 7
                        && between.iter().any(|(_, w)| w.eq_ignore_ascii_case("with"))
                        && !text
                            .get(trig.end()..h.span.start())
                            .is_some_and(|b| b.contains([',', ';'])))
            } else {
                false
            }
        })
        .map(|h| h.row.a)
}

/// True when the trigger's clause hedges ("could", "threatened to") or negates ("denied",
/// "did not", "no shelling") it.
fn hedged_or_negated(text: &str, sent: Span, trig: Span, aux: &[Hit]) -> bool {
    let cs = clause_start(text, sent, trig.start()) as u32;
    let lowercase_at = |h: &Hit| {
        let first = text.get(h.span.start()..).and_then(|t| t.chars().next());
        h.span.start == sent.start || first.is_some_and(|c| c.is_lowercase())
    };
    for h in aux {
        let before = h.span.start >= cs && h.span.end <= trig.start;
        match h.row.class {
            "hedge" if lowercase_at(h) => {
                let after = h.span.start >= trig.end
                    && h.span.start - trig.end <= 25
                    && clause_start(text, sent, h.span.start()) <= trig.start();
                if (before && trig.start - h.span.end <= 60) || after {
                    return true;
                }
            }
            "negation"
                if (lowercase_at(h) || h.span.start == sent.start)
                    && before
                    && trig.start - h.span.end <= 40 =>
            {
                return true;
            }
            _ => {}
        }
    }
    // "no shelling", "no airstrikes were reported"
    let prev = words(text, Span::new(cs as usize, trig.start()));
    matches!(prev.last(), Some((_, w)) if one_of(w, &["no", "without"])) || negated_passive(&prev)
}

/// True when the words before a trigger read "no ship had been [hit]", "nothing was
/// [struck]": a passive whose subject is negated.
fn negated_passive(prev: &[(Span, &str)]) -> bool {
    let n = prev.len();
    if n < 2 || !one_of(prev[n - 1].1, &["been", "was", "were", "is", "are"]) {
        return false;
    }
    prev[n.saturating_sub(6)..n - 1]
        .iter()
        .any(|(_, w)| one_of(w, &["no", "nothing", "none", "neither"]))
}

/// True when a sentence says nothing was hit ("an official said no ship had been hit"):
/// it contradicts a strike told just before it.
fn contradicts_a_strike(text: &str, sent: Span) -> bool {
    let ws = words(text, sent);
    ws.iter().enumerate().any(|(i, (_, w))| {
        one_of(w, &["hit", "struck", "damaged", "targeted"]) && negated_passive(&ws[..i])
    })
}

/// The place where the event at `trig` happened: a governed mention, cities before
/// countries, then the closest.
fn event_place(
    text: &str,
    sent: Span,
    trig: Span,
    pidx: &PlaceIndex,
    places: &[PlaceInfo],
    trigs: &[Hit],
) -> Option<(PlaceIdx, Span)> {
    let mut best: Option<((bool, u32), (PlaceIdx, Span))> = None;
    for (m, p) in pidx.within(sent) {
        let governed = match governor(text, sent, m) {
            Some((gs, w)) => {
                one_of(w, LOC_PREPS)
                    || one_of(w, sitrep_kb::COMPASS_POINTS)
                    || trigs.iter().any(|t| t.span.contains(gs))
            }
            None => false,
        };
        let country = places.get(p).is_some_and(|pl| pl.kind == "country");
        // "Kherson was shelled", "a Kharkiv drone strike": the place right before a trigger.
        // A country right before one is its actor ("Israel struck", "US-UK raids").
        let before_trigger = |t: &Hit| -> Option<usize> {
            t.span.start.checked_sub(m.end).filter(|&g| g <= 12)?;
            let between = words(text, Span::new(m.end(), t.span.start()));
            let passive = |w: &str| one_of(w, &["was", "were", "came", "under", "s", "'s"]);
            between
                .iter()
                .all(|(_, w)| passive(w))
                .then_some(between.len())
        };
        let subject = trigs
            .iter()
            .filter_map(before_trigger)
            .any(|n| !(country && n == 0));
        let attributive = country && trigs.iter().any(|t| before_trigger(t) == Some(0));
        // "the US-flagged vessel", "Iran-backed fighters": the name is part of a modifier.
        // A country joined to another by a hyphen ("US-UK strikes") is a pair of actors.
        let hyphen_after = text.get(m.end()..).and_then(|t| t.strip_prefix('-'));
        let compound = hyphen_after.is_some_and(|t| t.starts_with(|c: char| c.is_lowercase()))
            || (country
                && (hyphen_after.is_some()
                    || text.get(..m.start()).is_some_and(|t| t.ends_with('-'))));
        if compound || attributive || !(governed || subject) {
            continue;
        }
        // "a strike … coincided with talks in Turkey", "said, speaking in Kyiv": a place
        // behind a word of another happening belongs to that happening.
        let gap = if m.start >= trig.end {
            Span::new(trig.end(), m.start())
        } else {
            Span::new(m.end(), trig.start())
        };
        if words(text, gap)
            .iter()
            .any(|(_, w)| one_of(w, OTHER_HAPPENING))
        {
            continue;
        }
        let key = (country, distance(m, trig));
        if best.as_ref().is_none_or(|(k, _)| key < *k) {
            best = Some((key, (p, m)));
        }
    }
    best.map(|(_, v)| v)
}

/// Words of another happening (talks, speech, travel) that stand between an attack word
/// and a place which then is not where the attack was.
const OTHER_HAPPENING: &[&str] = &[
    "talks",
    "met",
    "meet",
    "meeting",
    "meetings",
    "negotiations",
    "negotiators",
    "summit",
    "speaking",
    "spoke",
    "visit",
    "visited",
    "visiting",
    "travelled",
    "traveled",
    "said",
    "told",
    "says",
    "delegations",
    "coincided",
    "conference",
];

/// The perpetrator stated in the sentence: "by X", an actor just before the trigger, or
/// the subject of the clause.
fn stated_actor(
    text: &str,
    entities: &Entities,
    sent: Span,
    trig: Span,
    place: Option<Span>,
    aux: &[Hit],
) -> Option<(EntityIdx, bool)> {
    let forces: Vec<Span> = aux
        .iter()
        .filter(|h| h.row.class == "force")
        .map(|h| h.span)
        .collect();
    let cands: Vec<_> = entities
        .mentions_in(sent)
        .filter(|m| entities.list.get(m.entity).is_some_and(|e| can_act(e.kind)))
        .filter(|m| place.is_none_or(|p| !p.overlaps(m.span)))
        .collect();
    // (a) "by Russian forces"
    for m in &cands {
        let before = words(text, Span::new(sent.start(), m.span.start()));
        let mut it = before
            .iter()
            .rev()
            .map(|(_, w)| *w)
            .skip_while(|w| one_of(w, &["the", "a", "an"]));
        if it.next().is_some_and(|w| w.eq_ignore_ascii_case("by")) && m.span.start >= trig.start {
            return Some((m.entity, false));
        }
    }
    // (b) right before the trigger: "a Russian drone strike", "Russia's overnight attack"
    let cs = clause_start(text, sent, trig.start()) as u32;
    let mut best: Option<(u32, EntityIdx)> = None;
    for m in &cands {
        if m.span.end > trig.start || m.span.start < cs {
            continue;
        }
        let between = words(text, Span::new(m.span.end(), trig.start()));
        let close = between.len() <= 3
            && between
                .iter()
                .all(|(sp, w)| one_of(w, ACTOR_FILLER) || forces.iter().any(|f| f.contains(*sp)));
        let subject = !close && is_subject(text, sent, m.span, trig, &forces);
        if close || subject {
            let d = trig.start - m.span.end;
            if best.is_none_or(|(bd, _)| d < bd) {
                best = Some((d, m.entity));
            }
        }
    }
    best.map(|(_, e)| (e, false))
}

/// True when a mention reads as the subject of the clause ending in the trigger: not
/// behind a preposition, followed by a force noun or a verb, no reporting verb between.
fn is_subject(text: &str, sent: Span, m: Span, trig: Span, forces: &[Span]) -> bool {
    let before = words(text, Span::new(sent.start(), m.start()));
    if before
        .last()
        .is_some_and(|(_, w)| one_of(w, NON_SUBJECT_PREPS))
    {
        return false;
    }
    let between = words(text, Span::new(m.end(), trig.start()));
    if between.iter().any(|(_, w)| one_of(w, REPORTING)) || between.len() > 10 {
        return false;
    }
    let Some((sp, next)) = between.first() else {
        return true;
    };
    let next = strip_possessive(next);
    let lw = next.to_ascii_lowercase();
    if lw.is_empty() || lw == "s" {
        // "Russia's forces": look at the word after the possessive.
        return between
            .get(1)
            .is_some_and(|(sp2, _)| forces.iter().any(|f| f.contains(*sp2)));
    }
    forces.iter().any(|f| f.contains(*sp))
        || (lw.len() > 3 && lw.ends_with("ed"))
        || one_of(
            &lw,
            &[
                "has", "have", "had", "fired", "hit", "struck", "shot", "launched", "again",
            ],
        )
}

/// An actor named in the two sentences before sentence `s` (same paragraph) as the subject
/// of an escalation verb, and the day that sentence gives.
fn context_actor(
    doc: &DocView,
    entities: &Entities,
    times: &[TimeInfo],
    s: usize,
) -> (Option<(EntityIdx, bool)>, Option<String>) {
    let para = doc.seg.sentences.get(s).map(|x| x.paragraph);
    for back in 1..=2 {
        let Some(k) = s.checked_sub(back) else { break };
        if doc.seg.sentences.get(k).map(|x| x.paragraph) != para {
            break;
        }
        let sent = doc.sentence_span(k);
        let aux = lexicons().aux.find(doc.text, sent);
        for h in aux.iter().filter(|h| h.row.class == "context") {
            for m in entities.mentions_in(Span::new(sent.start(), h.span.start())) {
                if !entities.list.get(m.entity).is_some_and(|e| can_act(e.kind)) {
                    continue;
                }
                let between = words(doc.text, Span::new(m.span.end(), h.span.start()));
                if between.len() <= 2 && between.iter().all(|(_, w)| one_of(w, ACTOR_FILLER)) {
                    return (Some((m.entity, true)), day_in(times, sent, h.span));
                }
            }
        }
    }
    (None, None)
}

/// Joins candidates into events and converts them.
fn merge(
    doc: &DocView,
    entities: &Entities,
    places: &[PlaceInfo],
    pidx: &PlaceIndex,
    cands: Vec<Candidate>,
) -> Vec<EventFact> {
    let mut groups: Vec<Vec<Candidate>> = Vec::new();
    for mut c in cands {
        if c.anaphoric && groups.is_empty() {
            // Nothing told before to point back to: "The attack on X killed three" is
            // the first report, placed by its sentence.
            c.place = c.place.or(c.sentence_place);
            c.anchored |= c.place.is_some();
        }
        if c.anaphoric && tells_another_day(&groups, &c) {
            // "The attack on the port on May 2 …" in a story of a strike in July: an
            // earlier attack recalled, with its own day and place.
            c.anaphoric = false;
            c.place = c.place.or(c.sentence_place);
            c.anchored |= c.place.is_some();
        }
        // A mention of an attack told before joins it: the one at the same place, else
        // the latest if it is at most three sentences back. Without one it is dropped
        // ("The Houthis say dozens have been killed in those raids").
        if c.anaphoric && !groups.is_empty() {
            if let Some(k) = referent(&groups, &c) {
                groups[k].push(c);
            }
            continue;
        }
        // An unanchored trigger may only join an event ("The attack also damaged …").
        let joins = groups.last().is_some_and(|g| {
            let last = &g[g.len() - 1];
            let near = c.sentence <= last.sentence + 1;
            let same = match (group_place(g), c.place.map(|p| p.0)) {
                (Some(a), Some(b)) => a == b,
                // The next sentence going on about the attack without a place of
                // its own ("Shells struck a market … Nine children were among the dead").
                // A different kind of attack is another event ("… ground assault …").
                (_, None) => {
                    let mode = g.iter().find_map(|x| x.mode);
                    c.sentence == last.sentence
                        || c.mode.is_none()
                        || mode.is_none()
                        || mode == c.mode
                }
                (None, Some(_)) => c.sentence == last.sentence,
            };
            // Another target or another death toll in the next sentence is another
            // attack ("… shelled the cattle market, killing nine. Fighters also hit a bus
            // …, killing 31"); targets listed in one sentence are one bombardment.
            let one = std::slice::from_ref(&c);
            let other = c.sentence != last.sentence
                && (different_sites(doc.text, g, one) || !same_toll(g, one));
            near && same && !other
        });
        if joins {
            if let Some(g) = groups.last_mut() {
                g.push(c);
            }
        } else if c.anchored {
            groups.push(vec![c]);
        }
    }
    // "the city": an event without a place of its own happened in the city last named.
    for g in &mut groups {
        if group_place(g).is_some() {
            continue;
        }
        let text = doc.text;
        let refers = g.iter().any(|c| {
            let sent = doc.sentence_span(c.sentence);
            definite_city(text, sent)
        });
        if refers {
            let before = Span::new(0, g[0].trigger.start());
            let city = pidx
                .within(before)
                .filter(|(_, p)| places.get(*p).is_some_and(|pl| pl.kind == "city"))
                .last();
            if let (Some((m, p)), Some(first)) = (city, g.first_mut()) {
                first.place = Some((p, m));
            }
        }
    }
    // A strike that a later sentence of its paragraph says hit nothing is a claim
    // ("… firing missiles at the carrier. An official said no ship had been hit.").
    groups.retain(|g| !contradicted(doc, g));
    // One event per attack: later reports of the same place, day and mode join the first.
    let mut merged: Vec<Vec<Candidate>> = Vec::new();
    let mut by_place: HashMap<PlaceIdx, Vec<usize>> = HashMap::new();
    let mut placed_since_lead = false;
    for g in groups {
        let seen = group_place(&g).and_then(|p| by_place.get(&p));
        let found = seen.and_then(|ks| {
            ks.iter()
                .copied()
                .find(|&k| same_attack(doc.text, &merged[k], &g))
        });
        // A lead that tells the attack without its place ("a raid on a market in the
        // north of the country killed 30") and the first later report that places it
        // are one attack, when nothing tells them apart.
        let found = found.or_else(|| {
            if group_place(&g).is_none() || placed_since_lead {
                return None;
            }
            merged.iter().position(|m| {
                group_place(m).is_none()
                    && m.iter().all(|c| c.sentence <= 2)
                    && same_attack_but_place(m, &g)
            })
        });
        let found = found.or_else(|| {
            // Only the last few events: a region and its city are told close together.
            let from = merged.len().saturating_sub(8);
            merged[from..]
                .iter()
                .rposition(|m| {
                    (same_area(doc.text, places, m, &g) || nested(places, m, &g))
                        && same_attack_but_place(m, &g)
                })
                .map(|k| from + k)
        });
        let place = group_place(&g);
        placed_since_lead |= place.is_some();
        match found {
            Some(k) => {
                if let (Some(p), None) = (place, group_place(&merged[k])) {
                    by_place.entry(p).or_default().push(k);
                }
                merged[k].extend(g);
            }
            None => {
                if let Some(p) = place {
                    by_place.entry(p).or_default().push(merged.len());
                }
                merged.push(g);
            }
        }
    }
    // An event told in the sentence right after another, with no day of its own, took
    // place on that one's day ("… late on Tuesday, killing three. The three dead were
    // killed when shells landed on homes in the valley.").
    for k in 1..merged.len() {
        let guessed = merged[k].iter().all(|c| c.date.is_none() || c.date_guessed)
            && merged[k].iter().all(|c| c.date_of_telling.is_none());
        let prev_last = merged[k - 1].iter().map(|c| c.sentence).max();
        let first = merged[k].iter().map(|c| c.sentence).min();
        let adjacent = matches!((prev_last, first), (Some(a), Some(b)) if b == a + 1);
        let prev_date = merged[k - 1]
            .iter()
            .find(|c| c.date.is_some() && !c.date_guessed)
            .and_then(|c| c.date.clone());
        if guessed && adjacent {
            if let (Some(d), Some(c)) = (prev_date, merged[k].first_mut()) {
                c.date = Some(d);
                c.date_guessed = false;
            }
        }
    }
    merged
        .into_iter()
        .map(|g| to_fact(doc, entities, places, g))
        .collect()
}

/// The group a referring candidate would join: the latest at its place, else the latest
/// when it is at most three sentences back.
fn referent(groups: &[Vec<Candidate>], c: &Candidate) -> Option<usize> {
    let same_place = c
        .place
        .and_then(|(p, _)| groups.iter().rposition(|g| group_place(g) == Some(p)));
    let latest = groups.len().checked_sub(1)?;
    let close = groups[latest]
        .last()
        .is_some_and(|l| c.sentence <= l.sentence + 3);
    same_place.or(close.then_some(latest))
}

/// True when a referring candidate gives a day of its own that the attack it would refer
/// to does not have: it tells another attack.
fn tells_another_day(groups: &[Vec<Candidate>], c: &Candidate) -> bool {
    let Some(day) = c.date.as_deref().filter(|_| c.dated_in_sentence) else {
        return false;
    };
    let Some(k) = referent(groups, c) else {
        return !groups.is_empty();
    };
    // A day guessed from the publication date tells nothing against it.
    groups[k]
        .iter()
        .filter(|x| !x.date_guessed)
        .find_map(|x| x.date.as_deref())
        .is_some_and(|d| d != day)
}

/// The place of a group of candidates: its first candidate's that has one.
fn group_place(g: &[Candidate]) -> Option<PlaceIdx> {
    g.iter().find_map(|c| c.place.map(|p| p.0))
}

/// True when the sentence speaks of "the city" or "the town" (not "the city of X").
fn definite_city(text: &str, sent: Span) -> bool {
    let ws = words(text, sent);
    ws.iter().enumerate().any(|(i, (_, w))| {
        one_of(w, &["city", "town"])
            && ws[i.saturating_sub(3)..i]
                .iter()
                .any(|(_, d)| d.eq_ignore_ascii_case("the"))
            && !ws
                .get(i + 1)
                .is_some_and(|(_, n)| n.eq_ignore_ascii_case("of"))
            && !ws[i.saturating_sub(3)..i]
                .iter()
                .any(|(_, d)| one_of(d, &["a", "an", "another", "every", "each"]))
    })
}

/// True when a group without casualties is followed, in its paragraph and within two
/// sentences, by a sentence saying nothing was hit.
fn contradicted(doc: &DocView, g: &[Candidate]) -> bool {
    if g.iter()
        .any(|c| !c.killed.is_empty() || !c.wounded.is_empty())
    {
        return false;
    }
    let Some(last) = g.iter().map(|c| c.sentence).max() else {
        return false;
    };
    let para = doc.seg.sentences.get(last).map(|x| x.paragraph);
    (last + 1..=last + 2)
        .take_while(|&k| k < doc.seg.sentences.len())
        .filter(|&k| doc.seg.sentences.get(k).map(|x| x.paragraph) == para)
        .any(|k| contradicts_a_strike(doc.text, doc.sentence_span(k)))
}

/// True when two groups tell the same attack: the same place, no different day, mode,
/// death toll or target.
fn same_attack(text: &str, a: &[Candidate], b: &[Candidate]) -> bool {
    let (Some(pa), Some(pb)) = (group_place(a), group_place(b)) else {
        return false;
    };
    pa == pb && same_attack_but_place(a, b) && !different_sites(text, a, b)
}

/// True when two groups have no different day, mode or death toll.
fn same_attack_but_place(a: &[Candidate], b: &[Candidate]) -> bool {
    // A day guessed from the publication date tells nothing against another day.
    let date = |g: &[Candidate]| {
        g.iter()
            .filter(|c| !c.date_guessed)
            .find_map(|c| c.date.clone())
    };
    let mode = |g: &[Candidate]| g.iter().find_map(|c| c.mode);
    agree(date(a), date(b)) && agree(mode(a), mode(b)) && same_toll(a, b)
}

/// True when two values do not contradict each other: equal, or one unknown.
fn agree<T: PartialEq>(x: Option<T>, y: Option<T>) -> bool {
    match (x, y) {
        (Some(x), Some(y)) => x == y,
        _ => true,
    }
}

/// True when two groups give no different count of dead or of wounded.
fn same_toll(a: &[Candidate], b: &[Candidate]) -> bool {
    let count = |g: &[Candidate], wounded: bool| {
        g.iter()
            .flat_map(|c| {
                if wounded {
                    c.wounded.iter()
                } else {
                    c.killed.iter()
                }
            })
            .find(|m| !m.subcount)
            .and_then(|m| m.quantity.min)
    };
    agree(count(a, false), count(b, false)) && agree(count(a, true), count(b, true))
}

/// True when both groups name their target and the two names share no word: "the
/// cattle market west of the town" and "the old mosque in the town" are two attacks.
/// Targets listed in one sentence ("shells struck a market, while drones hit the camp")
/// are one bombardment.
fn different_sites(text: &str, a: &[Candidate], b: &[Candidate]) -> bool {
    if a.iter().any(|x| b.iter().any(|y| x.sentence == y.sentence)) {
        return false;
    }
    let site_words = |g: &[Candidate]| -> Option<Vec<String>> {
        let site = g.iter().find_map(|c| c.site)?;
        Some(
            words(text, site)
                .into_iter()
                .map(|(_, w)| w.to_lowercase())
                .filter(|w| w.len() > 3 && !one_of(w, SITE_FILLER))
                .collect(),
        )
    };
    match (site_words(a), site_words(b)) {
        (Some(x), Some(y)) if !x.is_empty() && !y.is_empty() => !x.iter().any(|w| y.contains(w)),
        _ => false,
    }
}

/// Words of a site's name that tell nothing about what was hit.
const SITE_FILLER: &[&str] = &[
    "that", "this", "with", "from", "near", "north", "south", "east", "west", "northern",
    "southern", "eastern", "western", "central", "city", "town", "village", "area", "several",
    "other", "another",
];

/// True when a region named after a city and that city are the places of two groups
/// ("in the Zaporizhzhia region" and "Zaporizhzhia"): the same area for one attack.
fn same_area(text: &str, places: &[PlaceInfo], a: &[Candidate], b: &[Candidate]) -> bool {
    let first_word = |g: &[Candidate]| {
        let (p, m) = g.iter().find_map(|c| c.place)?;
        let kind = places.get(p)?.kind.as_str();
        let w = words(text, m).first()?.1.to_lowercase();
        Some((kind == "region", kind == "city", w))
    };
    match (first_word(a), first_word(b)) {
        (Some((ra, ca, wa)), Some((rb, cb, wb))) => wa == wb && ((ra && cb) || (ca && rb)),
        _ => false,
    }
}

/// True when one group's place lies inside the other's: a city or region of the
/// other's country, or a city of the other's region ("a blast in Somalia" and "the
/// blast in Mogadishu").
fn nested(places: &[PlaceInfo], a: &[Candidate], b: &[Candidate]) -> bool {
    let (Some(pa), Some(pb)) = (group_place(a), group_place(b)) else {
        return false;
    };
    walk::place_lies_in(places, pa, pb) || walk::place_lies_in(places, pb, pa)
}

fn to_fact(
    doc: &DocView,
    entities: &Entities,
    places: &[PlaceInfo],
    g: Vec<Candidate>,
) -> EventFact {
    let lead = g.iter().find(|c| !c.weak).unwrap_or(&g[0]);
    let date = g
        .iter()
        .find(|c| c.date.is_some() && !c.date_guessed)
        .and_then(|c| c.date.clone())
        .or_else(|| g.iter().find_map(|c| c.date_of_telling.clone()))
        .or_else(|| g.iter().find_map(|c| c.date.clone()));
    let mut evidence: Vec<Span> = Vec::new();
    for c in &g {
        let s = doc.sentence_span(c.sentence);
        if !evidence.contains(&s) {
            evidence.push(s);
        }
    }
    // Reports of one attack at a country and at a city in it: the city is where it was.
    let mut place: Option<PlaceIdx> = None;
    for p in g.iter().filter_map(|c| c.place.map(|p| p.0)) {
        match place {
            None => place = Some(p),
            Some(outer) if walk::place_lies_in(places, p, outer) => place = Some(p),
            Some(_) => {}
        }
    }
    let actor = g
        .iter()
        .find_map(|c| c.actor.filter(|a| !a.1))
        .or_else(|| g.iter().find_map(|c| c.actor));
    let killed = pick(g.iter().flat_map(|c| c.killed.iter()));
    let wounded = pick(g.iter().flat_map(|c| c.wounded.iter()));
    let mut confidence: f32 = 0.5;
    confidence += if place.is_some() { 0.15 } else { 0.0 };
    confidence += if killed.is_some() || wounded.is_some() {
        0.15
    } else {
        0.0
    };
    confidence += match actor {
        Some((_, false)) => 0.1,
        Some((_, true)) => 0.05,
        None => 0.0,
    };
    EventFact {
        plover_type: lead.plover,
        mode: g.iter().find_map(|c| c.mode).map(str::to_owned),
        place,
        date,
        actor_country: actor.and_then(|a| country_of(entities, a.0)),
        actor_entity: actor.map(|a| a.0),
        actor_inferred: actor.is_some_and(|a| a.1),
        target: g.iter().find_map(|c| c.target).map(str::to_owned),
        site: lead.site.or_else(|| g.iter().find_map(|c| c.site)),
        killed,
        wounded,
        confidence: confidence.min(0.95),
        evidence,
    }
}

/// The count to report: the first full count, else the first sub-count as a lower bound
/// ("two children among the dead" → at least 2).
fn pick<'a>(ms: impl Iterator<Item = &'a CasualtyMention> + Clone) -> Option<Quantity> {
    if let Some(m) = ms.clone().find(|m| !m.subcount) {
        return Some(m.quantity.clone());
    }
    ms.into_iter().next().map(|m| Quantity {
        min: m.quantity.min,
        max: None,
        text: m.quantity.text.clone(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extract::test_fixtures::Fx;

    fn run(fx: &Fx) -> Vec<EventFact> {
        let evs = find_events(&fx.doc(), &fx.entities, &fx.places, &fx.times);
        for e in &evs {
            assert!(!e.evidence.is_empty());
            assert!(e.evidence.iter().all(|s| s.is_valid_in(&fx.text)));
        }
        evs
    }

    fn q(e: &Option<Quantity>) -> Option<(Option<u64>, Option<u64>, &str)> {
        e.as_ref().map(|q| (q.min, q.max, q.text.as_str()))
    }

    #[test]
    fn drone_strike_with_casualties_place_date_and_inferred_actor() {
        let mut fx = Fx::new(
            "Ceasefire hopes faded this week. Russia intensified its bombardment of the south on Tuesday, \
             after a lull. A drone strike in the southern town of Nikopol killed four and wounded dozens.",
        );
        let ru = fx.entity("Russia", EntityKind::Country, Some("RU"));
        let nik = fx.place("Nikopol", "city", "UA");
        fx.time("on Tuesday", "2025-05-13", "day");
        let evs = run(&fx);
        assert_eq!(evs.len(), 1, "{evs:#?}");
        let e = &evs[0];
        assert_eq!(e.mode.as_deref(), Some("drone"));
        assert_eq!(e.plover_type, "ASSAULT");
        assert_eq!(e.place, Some(nik));
        assert_eq!(e.date.as_deref(), Some("2025-05-13"));
        assert_eq!(
            (e.actor_entity, e.actor_country.as_deref(), e.actor_inferred),
            (Some(ru), Some("RU"), true)
        );
        assert_eq!(q(&e.killed), Some((Some(4), Some(4), "four")));
        assert_eq!(q(&e.wounded), Some((Some(24), None, "dozens")));
    }

    #[test]
    fn two_places_in_one_sentence_make_two_events_and_infrastructure_is_a_target() {
        let mut fx = Fx::new(
            "A missile strike on Dnipro killed at least 12 people, while the power grid in Sumy was destroyed \
             during heavy shelling.",
        );
        let dnipro = fx.place("Dnipro", "city", "UA");
        let sumy = fx.place("Sumy", "city", "UA");
        let evs = run(&fx);
        assert_eq!(evs.len(), 2, "{evs:#?}");
        assert_eq!(
            (evs[0].place, evs[0].mode.as_deref()),
            (Some(dnipro), Some("missile"))
        );
        assert_eq!(q(&evs[0].killed), Some((Some(12), None, "at least 12")));
        assert_eq!(
            (evs[1].place, evs[1].mode.as_deref()),
            (Some(sumy), Some("shelling"))
        );
        assert_eq!(evs[1].target.as_deref(), Some("energy grid"));
        assert_eq!(evs[1].killed, None);
        // Past-tense lead news without a time: the publication day.
        assert_eq!(evs[0].date.as_deref(), Some("2025-05-14"));
    }

    #[test]
    fn stated_actor_by_adjective_subject_and_by_phrase() {
        let mut fx = Fx::new("An Israeli airstrike on Rafah killed five people on Monday.");
        let il = fx.entity("Israeli", EntityKind::Country, Some("IL"));
        fx.place("Rafah", "city", "PS");
        fx.time("on Monday", "2025-05-12", "day");
        let e = &run(&fx)[0];
        assert_eq!(
            (e.actor_entity, e.actor_inferred, e.date.as_deref()),
            (Some(il), false, Some("2025-05-12"))
        );
        assert_eq!(e.mode.as_deref(), Some("airstrike"));

        let mut fx = Fx::new("RSF fighters shelled a market in El Fasher, killing 20 civilians.");
        let rsf = fx.entity("RSF", EntityKind::Organisation, Some("SD"));
        let fasher = fx.place("El Fasher", "city", "SD");
        let e = &run(&fx)[0];
        assert_eq!(
            (e.actor_entity, e.place, e.target.as_deref()),
            (Some(rsf), Some(fasher), Some("market"))
        );
        assert_eq!(q(&e.killed), Some((Some(20), Some(20), "20")));

        let mut fx = Fx::new("Officials in Kyiv said the village of Bilozerka was shelled by Russian forces overnight.");
        fx.entity("Russian", EntityKind::Country, Some("RU"));
        let b = fx.place("Bilozerka", "city", "UA");
        fx.place("Kyiv", "city", "UA");
        let e = &run(&fx)[0];
        assert_eq!((e.place, e.actor_country.as_deref()), (Some(b), Some("RU")));
    }

    #[test]
    fn a_reporting_subject_is_not_the_actor() {
        let mut fx =
            Fx::new("Ukrainian officials said a drone strike on Kharkiv wounded seven people.");
        fx.entity("Ukrainian", EntityKind::Country, Some("UA"));
        fx.place("Kharkiv", "city", "UA");
        let e = &run(&fx)[0];
        assert_eq!(e.actor_entity, None);
        assert_eq!(q(&e.wounded), Some((Some(7), Some(7), "seven")));
    }

    #[test]
    fn city_wins_over_country_and_adjacent_sentences_merge() {
        let mut fx = Fx::new(
            "Sirens sounded across the north overnight. A rocket attack on Kiryat Shmona in Israel \
             wounded two residents. The attack also damaged a school.",
        );
        let ks = fx.place("Kiryat Shmona", "city", "IL");
        fx.place("Israel", "country", "IL");
        fx.place("Lebanon", "country", "LB");
        let evs = run(&fx);
        assert_eq!(evs.len(), 1, "{evs:#?}");
        assert_eq!(evs[0].place, Some(ks));
        assert_eq!(evs[0].evidence.len(), 2);
        assert_eq!(evs[0].mode.as_deref(), Some("rocket"));
    }

    #[test]
    fn casualties_in_the_next_sentence_are_not_lost_when_in_same_sentence_group() {
        let mut fx =
            Fx::new("Heavy clashes broke out near Goma on Friday, leaving 15 dead and 40 injured.");
        fx.place("Goma", "city", "CD");
        fx.time("on Friday", "2025-05-09", "day");
        let e = &run(&fx)[0];
        assert_eq!(e.plover_type, "FIGHT");
        assert_eq!(q(&e.killed), Some((Some(15), Some(15), "15")));
        assert_eq!(q(&e.wounded), Some((Some(40), Some(40), "40")));
    }

    #[test]
    fn precision_hypotheticals_denials_background_and_generic() {
        let cases = [
            "Moscow warned it could strike Kyiv if the weapons arrive.",
            "Russia threatened to attack Kyiv with missiles.",
            "The army said it would retaliate with airstrikes on Kyiv.",
            "Russia denied striking the hospital in Kyiv.",
            "There was no shelling in Kyiv overnight, officials said.",
            "Drone strikes on Kyiv have killed 300 civilians since the war began.",
            "Russia has shelled Kyiv every day since 2022.",
            "He continues to play for time while the attacks go on.",
        ];
        for text in cases {
            let mut fx = Fx::new(text);
            fx.place("Kyiv", "city", "UA");
            fx.entity("Russia", EntityKind::Country, Some("RU"));
            let evs = run(&fx);
            assert!(evs.is_empty(), "{text:?} gave {evs:#?}");
        }
    }

    #[test]
    fn two_children_among_the_dead_is_a_lower_bound() {
        let mut fx = Fx::new(
            "An explosion tore through a bus station in Quetta. Two children were among the dead.",
        );
        fx.place("Quetta", "city", "PK");
        let evs = run(&fx);
        assert_eq!(evs.len(), 1);
        assert_eq!(evs[0].mode.as_deref(), Some("explosion"));
        // The count is in the next sentence, which has no trigger of its own.
        assert_eq!(q(&evs[0].killed), Some((Some(2), None, "Two")));
    }

    #[test]
    fn a_country_adjective_before_a_kind_noun_is_part_of_the_description() {
        let mut fx = Fx::new(
            "A drone hit a bus depot in the western Ukrainian town of Lutsk, killing one man.",
        );
        fx.entity("Ukrainian", EntityKind::Country, Some("UA"));
        let lutsk = fx.place("Lutsk", "city", "UA");
        let evs = run(&fx);
        assert_eq!(evs.len(), 1, "{evs:#?}");
        assert_eq!(
            (evs[0].place, evs[0].mode.as_deref()),
            (Some(lutsk), Some("drone"))
        );
    }

    #[test]
    fn phrases_that_tell_no_attack_and_words_of_other_happenings() {
        let mut fx =
            Fx::new("Families slept in the metro in Lviv during an air raid alert on Friday.");
        fx.place("Lviv", "city", "UA");
        fx.time("on Friday", "2025-05-09", "day");
        assert!(run(&fx).is_empty());
        // The place of the talks is not the place of the strike.
        let mut fx = Fx::new(
            "A dawn strike on the harbour coincided with a fresh round of negotiations in Oman.",
        );
        fx.place("Oman", "country", "OM");
        assert!(run(&fx).is_empty(), "{:#?}", run(&fx));
    }

    #[test]
    fn a_long_description_still_places_the_attack() {
        // Nine words between the preposition and the name.
        let mut fx = Fx::new(
            "Nine worshippers were killed in an armed assault in the Tassa quarter of the remote \
             border village of Oudeni on Friday.",
        );
        let oudeni = fx.place("Oudeni", "city", "NE");
        fx.time("on Friday", "2025-03-21", "day");
        let evs = run(&fx);
        assert_eq!(evs.len(), 1, "{evs:#?}");
        assert_eq!(evs[0].place, Some(oudeni));
    }

    #[test]
    fn a_definite_mention_joins_the_attack_told_before() {
        let mut fx = Fx::new(
            "An airstrike on Rafah killed six people on Monday. Mediators met in Amman that evening. \
             The strike also destroyed a clinic, health officials said. Speaking in Amman, the minister \
             condemned the attack.",
        );
        let rafah = fx.place("Rafah", "city", "PS");
        fx.place("Amman", "city", "JO");
        fx.time("on Monday", "2025-05-12", "day");
        let evs = run(&fx);
        assert_eq!(evs.len(), 1, "{evs:#?}");
        assert_eq!(evs[0].place, Some(rafah));
        assert_eq!(evs[0].evidence.len(), 3);
        // Far from any event, "those raids" is a summary, not a new attack.
        let mut fx = Fx::new(
            "A car bomb in Mogadishu killed four on Monday. The talks went on. Donors met. Aid was \
             pledged. Ministers spoke. The militia says dozens have died in those raids.",
        );
        fx.place("Mogadishu", "city", "SO");
        assert_eq!(run(&fx).len(), 1);
    }

    #[test]
    fn the_city_is_the_city_last_named_and_modes_keep_attacks_apart() {
        let mut fx = Fx::new(
            "Militia fighters pounded the town of Kadugli with mortars on Sunday, killing eleven. \
             Army officers said a ground assault on the western edge of the town was repelled on Monday.",
        );
        let kadugli = fx.place("Kadugli", "city", "SD");
        fx.time("on Sunday", "2025-05-11", "day");
        fx.time("on Monday", "2025-05-12", "day");
        let evs = run(&fx);
        assert_eq!(evs.len(), 2, "{evs:#?}");
        assert_eq!(
            (evs[0].place, evs[0].mode.as_deref()),
            (Some(kadugli), Some("shelling"))
        );
        assert_eq!(q(&evs[0].killed), Some((Some(11), Some(11), "eleven")));
        assert_eq!(
            (evs[1].place, evs[1].mode.as_deref()),
            (Some(kadugli), Some("ground"))
        );
    }

    #[test]
    fn since_a_date_counts_only_in_the_clause_of_the_attack() {
        let mut fx = Fx::new(
            "In Kadugli, which the army has held since March, a car bomb exploded on Sunday, killing four.",
        );
        fx.place("Kadugli", "city", "SD");
        fx.time("on Sunday", "2025-05-11", "day");
        assert_eq!(run(&fx).len(), 1);
        let mut fx = Fx::new("The militia has attacked 40 convoys near Kadugli since early 2024.");
        fx.place("Kadugli", "city", "SD");
        assert!(run(&fx).is_empty());
    }

    #[test]
    fn accusations_and_contradicted_strikes_are_claims() {
        let mut fx = Fx::new(
            "The army accused the rebels of attacking a base near Kadugli, saying six soldiers died.",
        );
        fx.place("Kadugli", "city", "SD");
        assert!(run(&fx).is_empty());
        let mut fx = Fx::new(
            "The rebels said they had fired rockets at a frigate near Aden. A navy spokesman said no \
             vessel had been hit.",
        );
        fx.place("Aden", "city", "YE");
        assert!(run(&fx).is_empty(), "{:#?}", run(&fx));
    }

    #[test]
    fn the_day_of_a_statement_is_not_the_day_of_the_attack() {
        let mut fx = Fx::new(
            "The militia said on Friday that its drones had struck a fuel depot in Port Sudan \
             late on Wednesday.",
        );
        fx.place("Port Sudan", "city", "SD");
        fx.time("on Friday", "2025-05-09", "day");
        fx.time("late on Wednesday", "2025-05-07", "day");
        let evs = run(&fx);
        assert_eq!(evs[0].date.as_deref(), Some("2025-05-07"));
    }

    #[test]
    fn a_region_and_its_city_and_the_next_sentence_share_one_attack() {
        let mut fx = Fx::new(
            "A missile strike on Kherson killed five on Monday. The ministry said it had hit command \
             posts in the Kherson region.",
        );
        let kherson = fx.place("Kherson", "city", "UA");
        fx.places.push(PlaceInfo {
            kind: "region".into(),
            mentions: fx.find("Kherson region"),
            ..fx.places[kherson].clone()
        });
        fx.time("on Monday", "2025-05-12", "day");
        let evs = run(&fx);
        assert_eq!(evs.len(), 1, "{evs:#?}");
        // The next sentence's attack with no day of its own took place the same day.
        let mut fx = Fx::new(
            "Artillery fire along the frontier late on Saturday killed two civilians. Officials said \
             the two were killed when shells landed on a farm in Kupwara.",
        );
        let kup = fx.place("Kupwara", "city", "IN");
        fx.time("late on Saturday", "2025-05-10", "day");
        let evs = run(&fx);
        let e = evs
            .iter()
            .find(|e| e.place == Some(kup))
            .expect("Kupwara event");
        assert_eq!(e.date.as_deref(), Some("2025-05-10"));
    }

    #[test]
    fn odd_input_never_panics() {
        for text in [
            "",
            "strike",
            "airstrike.",
            "killed nine",
            "\u{2014}\u{2014} shelling \u{2014} in",
            "Drone strike in",
        ] {
            let fx = Fx::new(text);
            let _ = run(&fx);
        }
        let mut fx = Fx::new("A drone strike in Київ killed nine.");
        fx.place("Київ", "city", "UA");
        assert_eq!(run(&fx).len(), 1);
    }

    #[test]
    fn shared_helpers() {
        use crate::extract::lexicon::is_word_bounded;
        assert!(is_word_bounded("a strike.", 2, 8));
        assert!(!is_word_bounded("airstrikes", 3, 9));
        let w: Vec<&str> = words("Russia's north-east, and", Span::new(0, 24))
            .into_iter()
            .map(|x| x.1)
            .collect();
        assert_eq!(w, vec!["Russia's", "north-east", "and"]);
        assert_eq!(strip_possessive("Kyiv\u{2019}s"), "Kyiv");
        let m = Matcher::new("drone strike\tt\ndrone\tt\nstrike\tt\n", &["t"]);
        let hits = m.find("A drone strike, drones, strike", Span::new(0, 30));
        let got: Vec<_> = hits.iter().map(|h| (h.span.start, h.span.end)).collect();
        assert_eq!(got, vec![(2, 14), (24, 30)]);
    }
}
#[cfg(test)]
mod site_tests {
    use super::*;

    #[test]
    fn site_after_a_noun_trigger() {
        let text = "A drone strike on the town square in Mykolaiv killed two workers.";
        let sent = Span::new(0, text.len());
        let t = find_triggers(text, sent);
        assert!(!t.is_empty());
        let s = site_of(text, sent, t[0].span).map(|s| walk::slice(text, s.start(), s.end()));
        assert_eq!(
            s,
            Some("the town square"),
            "{:?}",
            t.iter().map(|h| h.span).collect::<Vec<_>>()
        );
    }
}
