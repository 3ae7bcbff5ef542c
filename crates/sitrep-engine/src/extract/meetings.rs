//! Diplomatic engagements (PLOVER `CONSULT` with our extensions): talks, meetings,
//! summits, calls — with venue, participants, format, level, status and its change.
//!
//! Per document:
//!
//! 1. **Pre-screen.** Meeting words from `data/lexicon/diplomacy.tsv` (one Aho–Corasick
//!    pass); other sentences cost nothing more.
//! 2. **Mentions.** Meeting words close together in a sentence are one mention ("hosted a
//!    bilateral meeting"). When a sentence holds several, it is cut between them at the
//!    strongest clause boundary (";", " while ", ", with", ",") and each mention reads only
//!    its own part. In that part: the venue is the place after "in"/"at" near the meeting
//!    word, or the place right before it ("the London talks"); participants are the
//!    entities that are not behind a location/topic preposition ("the war in Ukraine",
//!    "a ceasefire between …"), not a reporting subject ("he said"), not possessive
//!    ("Trump's envoy"), not withdrawn ("X and Y no longer attending") or replaced ("in
//!    X's place"); status, level and format come from cue words (level words inside a
//!    person's title count only through that participant). A sentence that postpones
//!    ministerial talks while official-level ones go on is a downgrade.
//! 3. **Merge.** A mention with the same venue, or a definite/bare one without venue ("the
//!    meeting", "discussions"), joins the latest compatible meeting; "a bilateral meeting"
//!    starts a new one. A status change (postponed, cancelled, downgraded, upgraded) wins
//!    over a plain status; a level stated with a change wins over one stated plainly,
//!    which wins over one read from participants' titles.
//!
//! Dates: a day in the mention's part of the sentence, else the publication day for held
//! or ongoing meetings told in the past tense near the top of the article.

use std::sync::OnceLock;

use sitrep_core::record::EntityKind;
use sitrep_core::Span;

use super::lexicon::{hits_in, Hit, Matcher};
use crate::model::{DocView, Entities, EntityIdx, MeetingFact, PlaceIdx, PlaceInfo, TimeInfo};
use crate::walk::{
    any_time_in, by_sentence, clause_start, day_in, distance, governor, is_lead, is_past, one_of,
    words, PlaceIndex,
};

const LEXICON: &str = include_str!("../../../../data/lexicon/diplomacy.tsv");

struct Lexicons {
    triggers: Matcher,
    aux: Matcher,
}

fn lexicons() -> &'static Lexicons {
    static L: OnceLock<Lexicons> = OnceLock::new();
    L.get_or_init(|| Lexicons {
        triggers: Matcher::new(LEXICON, &["meeting"]),
        aux: Matcher::new(
            LEXICON,
            &[
                "status", "level", "format", "withdraw", "generic", "replace",
            ],
        ),
    })
}

/// The stage's matchers, for the combined document scan.
pub(crate) fn matchers() -> Vec<&'static Matcher> {
    let lex = lexicons();
    vec![&lex.triggers, &lex.aux]
}

/// Reporting verbs: their subject is a source, not a participant.
const REPORTING: &[&str] = &[
    "said",
    "says",
    "told",
    "described",
    "confirmed",
    "announced",
    "reported",
    "stated",
    "added",
    "noted",
    "insisted",
    "reiterated",
    "stressed",
    "argued",
    "warned",
    "wrote",
    "tweeted",
];

/// Words before an entity that make it a topic or a location, not a participant.
const NOT_PARTY: &[&str] = &[
    "in",
    "at",
    "on",
    "over",
    "about",
    "against",
    "of",
    "between",
    "for",
    "into",
    "across",
    "regarding",
    "toward",
    "towards",
    // "told Reuters": the audience of a report.
    "told",
];

/// Nouns after a possessive that still make the owner a participant ("Ukraine's delegation").
const PARTY_NOUNS: &[&str] = &[
    "participation",
    "delegation",
    "delegates",
    "team",
    "negotiators",
    "representatives",
];

/// Words allowed between an article and the meeting word ("a bilateral meeting").
const MEETING_ADJ: &[&str] = &[
    "bilateral",
    "trilateral",
    "closed-door",
    "diplomatic",
    "peace",
    "high-level",
    "face-to-face",
    "new",
    "first",
    "second",
    "third",
    "fresh",
    "formal",
    "informal",
    "brief",
    "lengthy",
    "direct",
    "separate",
    "private",
    "secret",
    "discreet",
    "rare",
    "unannounced",
    "emergency",
    "surprise",
    "historic",
    "one-on-one",
    "round",
    "of",
    // "the Naqoura mechanism session", "the Doha ceasefire talks"
    "mechanism",
    "ceasefire",
    "truce",
    "security",
    "technical",
    "committee",
    "preparatory",
    "indirect",
];

const STATUS_CHANGES: &[&str] = &["postponed", "cancelled", "downgraded", "upgraded"];

/// One mention of a meeting in a sentence.
#[derive(Debug, Clone)]
struct Mention {
    sentence: usize,
    venue: Option<PlaceIdx>,
    /// Where the venue is written.
    venue_span: Option<Span>,
    participants: Vec<EntityIdx>,
    format: Option<&'static str>,
    level: Option<(&'static str, u8)>,
    status: Option<&'static str>,
    previous: Option<&'static str>,
    date: Option<String>,
    /// The date comes from the text (not the publication-day fallback).
    dated_by_text: bool,
    indefinite: bool,
    generic: bool,
}

/// A meeting being built from mentions.
#[derive(Debug, Clone)]
struct Building {
    fact: MeetingFact,
    level_rank: u8,
    venue_explicit: bool,
    explicit_format: bool,
    last_sentence: usize,
    /// The date comes from the text.
    dated_by_text: bool,
}

/// True when `gap` reads "… NAME, apposition, " up to a place: exactly two commas, the
/// first right after a mention (`ends_mention` tells whether one ends at an offset), no
/// other clause punctuation, nothing but "in"/"at" after the second.
fn apposition_gap(text: &str, gap: Span, ends_mention: impl Fn(u32) -> bool) -> bool {
    let Some(g) = gap.slice(text) else {
        return false;
    };
    if g.contains([';', ':', '\u{2014}', '.']) {
        return false;
    }
    let commas: Vec<usize> = g.match_indices(',').map(|(i, _)| i).collect();
    let [first, second] = commas[..] else {
        return false;
    };
    let before_first = g[..first].trim_end();
    let mention_end = gap.start + before_first.len() as u32;
    let tail = g[second + 1..].trim();
    ends_mention(mention_end) && (tail.is_empty() || one_of(tail, &["in", "at"]))
}

/// Finds diplomatic engagements with venue, participants, format, level and status.
pub fn find_meetings(
    doc: &DocView,
    entities: &Entities,
    places: &[PlaceInfo],
    times: &[TimeInfo],
) -> Vec<MeetingFact> {
    let lex = lexicons();
    let whole = Span::new(0, doc.text.len());
    let triggers = lex.triggers.find(doc.text, whole);
    if triggers.is_empty() {
        return Vec::new();
    }
    let pidx = PlaceIndex::new(places);
    let mut mentions: Vec<Mention> = Vec::new();
    for (s, sent, here) in by_sentence(doc, &triggers) {
        sentence_mentions(
            doc,
            entities,
            places,
            &pidx,
            times,
            s,
            sent,
            here,
            &mut mentions,
        );
    }
    merge(doc, entities, places, mentions)
}

/// The mentions of one sentence.
#[allow(clippy::too_many_arguments)]
fn sentence_mentions(
    doc: &DocView,
    entities: &Entities,
    places: &[PlaceInfo],
    pidx: &PlaceIndex,
    times: &[TimeInfo],
    s: usize,
    sent: Span,
    trigs: &[Hit],
    out: &mut Vec<Mention>,
) {
    let text = doc.text;
    let aux = lexicons().aux.find(text, sent);
    // Cluster meeting words that are close and not split by a clause boundary.
    let mut clusters: Vec<(Span, Option<&'static str>, bool)> = Vec::new();
    for t in trigs.iter().filter(|t| !verb_used_as_noun(text, sent, t)) {
        let indef = (t.row.a == "noun" && is_indefinite(text, sent, t.span))
            || earlier_meeting(text, sent, t.span);
        let fmt = match t.row.a {
            "phone" => Some("phone"),
            "video" => Some("video"),
            "shuttle" => Some("shuttle"),
            _ => None,
        };
        if let Some(last) = clusters.last_mut() {
            let gap = text.get(last.0.end()..t.span.start()).unwrap_or(",");
            if t.span.start - last.0.end <= 30 && !gap.contains([',', ';', ':', '\u{2014}']) {
                last.0 = last.0.cover(t.span);
                last.1 = last.1.or(fmt);
                last.2 |= indef;
                continue;
            }
        }
        clusters.push((t.span, fmt, indef));
    }
    // Cut the sentence between clusters at the strongest boundary.
    let mut bounds = vec![sent.start()];
    for w in clusters.windows(2) {
        bounds.push(cut_between(text, w[0].0.end(), w[1].0.start()));
    }
    bounds.push(sent.end());
    let first = out.len();
    for (k, (trig, fmt, indef)) in clusters.iter().enumerate() {
        let scope = Span::new(bounds[k], bounds[k + 1]);
        let here: Vec<Hit> = hits_in(&aux, scope).to_vec();
        let mut m = read_mention(
            doc, entities, places, pidx, times, s, sent, scope, *trig, *fmt, &here,
        );
        m.indefinite = *indef;
        // "a visit to Oman and Bahrain": a meeting in each.
        let also = m
            .venue_span
            .and_then(|v| coordinated_place(text, pidx, v, scope))
            .filter(|&(_, p)| {
                Some(p) != m.venue
                    && kind_of(places, p) == m.venue.map_or("", |v| kind_of(places, v))
            });
        let second = also.map(|(sp, p)| Mention {
            venue: Some(p),
            venue_span: Some(sp),
            ..m.clone()
        });
        out.push(m);
        out.extend(second);
    }
    combine_downgrade(out, first);
}

/// True when a meeting verb stands after a determiner and so is a noun ("our Swiss
/// hosts", "the meets").
fn verb_used_as_noun(text: &str, sent: Span, t: &Hit) -> bool {
    if t.row.a != "verb" {
        return false;
    }
    let before = words(text, Span::new(sent.start(), t.span.start()));
    before.iter().rev().take(2).any(|(_, w)| {
        one_of(
            w,
            &[
                "our", "their", "his", "her", "its", "my", "your", "the", "a",
            ],
        )
    }) && !before
        .last()
        .is_some_and(|(_, w)| one_of(w, &["to", "will", "would"]))
}

/// Where to cut between two meeting words at `a..b`: after the strongest boundary.
fn cut_between(text: &str, a: usize, b: usize) -> usize {
    let Some(gap) = text.get(a..b) else { return a };
    for pat in [
        ";", " while ", ", while", ", with ", ", but ", " but ", ":", "\u{2014}", ",",
    ] {
        if let Some(i) = gap.find(pat) {
            return a
                + i
                + if pat.starts_with(',') || pat == ";" || pat == ":" {
                    1
                } else {
                    0
                };
        }
    }
    // No boundary, but a place phrase right after the first meeting word ("two rounds of
    // talks with the rebels in Valletta ended with frank discussions"): the place is
    // the first one's, so cut after its name.
    for prep in [" in ", " at "] {
        let Some(i) = gap.find(prep) else { continue };
        let rest = &gap[i + prep.len()..];
        if !rest.starts_with(|c: char| c.is_uppercase()) {
            continue;
        }
        let mut end = i + prep.len();
        for word in rest.split_inclusive(' ') {
            if !word.starts_with(|c: char| c.is_uppercase()) {
                break;
            }
            end += word.len();
        }
        return a + end.min(gap.len());
    }
    // No boundary: cut at the middle word break.
    let mid = a + gap.len() / 2;
    text.get(mid..b)
        .and_then(|t| t.find(' '))
        .map_or(b, |i| mid + i)
}

/// Reads one mention from its part of the sentence.
#[allow(clippy::too_many_arguments)]
fn read_mention(
    doc: &DocView,
    entities: &Entities,
    places: &[PlaceInfo],
    pidx: &PlaceIndex,
    times: &[TimeInfo],
    s: usize,
    sent: Span,
    scope: Span,
    trig: Span,
    fmt: Option<&'static str>,
    aux: &[Hit],
) -> Mention {
    let text = doc.text;
    // Withdrawal regions: "X and Y no longer attending" (before), "replacing X" (after),
    // "in X's place" (the name right before).
    let mut excluded: Vec<Span> = Vec::new();
    for h in aux {
        match (h.row.class, h.row.a) {
            ("withdraw", "after") => {
                let next = entities
                    .mentions_in(Span::new(h.span.end(), scope.end()))
                    .next();
                if let Some(m) = next {
                    if m.span.start - h.span.end <= 6 {
                        excluded.push(m.span);
                    }
                }
            }
            ("withdraw", _) => excluded.push(Span::new(
                clause_start(text, scope, h.span.start()),
                h.span.end(),
            )),
            ("replace", _) => {
                if let Some(m) = entities
                    .mentions_in(scope)
                    .find(|m| m.span.end == h.span.start)
                {
                    excluded.push(m.span);
                }
            }
            _ => {}
        }
    }
    let in_excluded = |sp: Span| excluded.iter().any(|e| e.contains(sp));
    let in_person_mention = |sp: Span| {
        entities.mentions_in(sent).any(|m| {
            m.span.contains(sp)
                && entities
                    .list
                    .get(m.entity)
                    .is_some_and(|e| e.kind == EntityKind::Person)
        })
    };

    // Venue.
    let mut venue: Option<(bool, u32, PlaceIdx, Span)> = None;
    for (m, p) in pidx.within(scope) {
        let governed = governor(text, sent, m)
            .is_some_and(|(gs, w)| one_of(w, &["in", "at"]) || travel_to(text, sent, gs, w));
        // After the meeting word: close, or in the same clause ("negotiations between
        // A and B entered a fourth day in Doha").
        let gap_clean = text
            .get(trig.end().min(m.start())..m.start())
            .is_some_and(|g| !g.contains([',', ';', ':', '\u{2014}']));
        // "met X, the envoy of Y to Z, in Port Sudan": the place closes the clause after
        // an apposition to a participant.
        let after_apposition = governed
            && m.start >= trig.end
            && m.start - trig.end <= 160
            && apposition_gap(text, Span::new(trig.end(), m.start()), |sp| {
                entities.mentions_in(sent).any(|e| e.span.end == sp)
            });
        let after_ok = governed
            && m.start >= trig.end
            && (m.start - trig.end <= 60
                || (gap_clean && m.start - trig.end <= 110)
                || after_apposition);
        // Inside the meeting phrase: "met in Istanbul for talks".
        let inside = governed && trig.contains(m);
        let before_trig = m.end <= trig.start
            && words(text, Span::new(m.end(), trig.start()))
                .iter()
                .all(|(_, w)| one_of(w, MEETING_ADJ))
            && trig.start - m.end <= 25;
        let before_gov = governed && m.end <= trig.start && trig.start - m.end <= 40;
        // "left Cairo late on Saturday after talks with …": the talks were where the
        // travellers left from.
        let left_after = m.end <= trig.start
            && trig.start - m.end <= 60
            && governor(text, sent, m).is_some_and(|(_, w)| {
                one_of(w, &["left", "departed", "leaves", "leaving", "departs"])
            })
            && words(text, Span::new(m.end(), trig.start()))
                .iter()
                .rev()
                .take(3)
                .any(|(_, w)| one_of(w, &["after", "following"]));
        if after_ok || before_trig || before_gov || inside || left_after {
            let country = places.get(p).is_some_and(|pl| pl.kind == "country");
            let key = (country, distance(m, trig));
            if venue.is_none_or(|(c, d, _, _)| key < (c, d)) {
                venue = Some((key.0, key.1, p, m));
            }
        }
    }
    // "In Cairo, the delegation … met …": a locative phrase opening the sentence sets
    // the scene for every meeting in it.
    // A building in the city the sentence opens with: the city is the venue ("In
    // Istanbul, the talks at the palace …").
    let opening = opening_place(text, sent, pidx);
    let landmark =
        venue.is_some_and(|v| !matches!(kind_of(places, v.2), "city" | "country" | "region"));
    if venue.is_none() || (landmark && opening.is_some_and(|(_, p)| kind_of(places, p) == "city")) {
        venue = opening.map(|(m, p)| (false, 0, p, m)).or(venue);
    }
    // "the Saudi capital": the city of that country named before.
    if let Some((c, d, p, m)) = venue {
        let capital = text
            .get(m.end()..)
            .is_some_and(|t| t.trim_start().starts_with("capital"));
        if capital && kind_of(places, p) == "country" {
            let country = places.get(p).and_then(|pl| pl.country.clone());
            let city = pidx
                .within(Span::new(0, m.start()))
                .filter(|(_, q)| {
                    places
                        .get(*q)
                        .is_some_and(|pl| pl.kind == "city" && pl.country == country)
                })
                .last();
            if let Some((_, q)) = city {
                venue = Some((c, d, q, m));
            }
        }
    }
    let venue_span = venue.map(|v| v.3);

    // Participants.
    let mut participants: Vec<EntityIdx> = Vec::new();
    let mut last: Option<(Span, bool)> = None;
    for m in entities.mentions_in(scope) {
        let list_continuation = last.is_some_and(|(lsp, _)| {
            text.get(lsp.end()..m.span.start()).is_some_and(|g| {
                words(text, Span::new(lsp.end(), m.span.start()))
                    .iter()
                    .all(|(_, w)| one_of(w, &["and", "or", "the"]))
                    && g.len() <= 8
            })
        });
        let keep = if list_continuation {
            last.is_some_and(|(_, k)| k)
        } else {
            participant_ok(text, sent, m.span, &in_excluded, venue_span)
        };
        last = Some((m.span, keep));
        if keep && !in_excluded(m.span) && !participants.contains(&m.entity) {
            participants.push(m.entity);
        }
    }

    // Status, level, format.
    let mut status: Option<(&'static str, u32)> = None;
    let mut level: Option<(&'static str, u8, u32)> = None;
    let mut format = fmt;
    let mut generic = false;
    for h in aux {
        let cancels = matches!(h.row.a, "cancelled" | "postponed") && h.row.class == "status";
        if in_excluded(h.span) && !cancels {
            continue;
        }
        let d = distance(h.span, trig);
        match h.row.class {
            "status" => {
                // A change beats a plain status; "ongoing" ("a second day of talks")
                // beats "held"; else the nearest.
                let rank = |st: &str| {
                    if STATUS_CHANGES.contains(&st) {
                        2
                    } else if st == "ongoing" {
                        1
                    } else {
                        0
                    }
                };
                let better = match status {
                    None => true,
                    Some((cur, cd)) => {
                        let (a, b) = (rank(h.row.a), rank(cur));
                        a > b && !(cur == "planned" && a == 1) || (a == b && d < cd)
                    }
                };
                if better {
                    status = Some((h.row.a, d));
                }
            }
            "level" if !in_person_mention(h.span) && level.is_none_or(|(_, _, ld)| d < ld) => {
                level = Some((h.row.a, 2, d));
            }
            "format" => format = format.or(Some(h.row.a)),
            "generic"
                if h.span.end <= trig.end
                    && h.span.start < trig.start
                    && trig.start - h.span.start <= 16 =>
            {
                generic = true
            }
            _ => {}
        }
    }
    // Meeting verbs carry their own status ("met", "hosted", "will host").
    let status = status.map(|x| x.0);
    let level = level
        .map(|(l, r, _)| (l, r))
        .or_else(|| title_level(doc, entities, &participants, scope));
    let previous = status
        .filter(|s| STATUS_CHANGES.contains(s))
        .map(|_| "planned");

    // Date.
    let mut date = day_in(times, scope, trig);
    let dated_by_text = date.is_some();
    if date.is_none()
        && matches!(status, Some("held" | "ongoing" | "downgraded" | "upgraded"))
        && !any_time_in(times, sent)
        && is_past(text, sent)
        && is_lead(doc, s)
    {
        date = doc.published.map(|d| d.to_string());
    }
    Mention {
        sentence: s,
        venue: venue.map(|v| v.2),
        venue_span: venue.map(|v| v.3),
        participants,
        format,
        level,
        status,
        previous,
        date,
        dated_by_text,
        indefinite: false,
        generic,
    }
}

/// The place written right after `venue` and "and" ("Oman and Bahrain"), inside `scope`.
fn coordinated_place(
    text: &str,
    pidx: &PlaceIndex,
    venue: Span,
    scope: Span,
) -> Option<(Span, PlaceIdx)> {
    let (m, p) = pidx
        .within(Span::new(venue.end(), scope.end()))
        .find(|(m, _)| m.start >= venue.end)?;
    let between = text.get(venue.end()..m.start())?;
    matches!(between, " and " | ", and " | " and the ").then_some((m, p))
}

/// True when "to" (the governor at `gs`) follows a travel word ("travel to Doha", "a
/// trip to Moscow"): the place is where the planned talks are.
fn travel_to(text: &str, sent: Span, gs: Span, w: &str) -> bool {
    w.eq_ignore_ascii_case("to")
        && words(text, Span::new(sent.start(), gs.start()))
            .last()
            .is_some_and(|(_, p)| {
                one_of(
                    p,
                    &[
                        "travel", "travels", "trip", "visit", "fly", "flies", "head", "heads",
                        "go", "return",
                    ],
                )
            })
}

/// The place of a locative phrase that opens the sentence ("In Cairo, …").
fn opening_place(text: &str, sent: Span, pidx: &PlaceIndex) -> Option<(Span, PlaceIdx)> {
    let (m, p) = pidx.within(sent).next()?;
    let before = words(text, Span::new(sent.start(), m.start()));
    let opens = before.len() == 1 && one_of(before[0].1, &["in", "at"]);
    let comma = text.get(m.end()..).is_some_and(|t| t.starts_with(','));
    // "In Washington, officials said …": where the speakers are, not the talks.
    let speakers_there = words(text, Span::new(m.end(), sent.end()))
        .iter()
        .take(3)
        .any(|(_, w)| one_of(w, REPORTING));
    (opens && comma && !speakers_there).then_some((m, p))
}

/// True when a meeting verb tells an earlier meeting ("they last met in February"): a
/// meeting of its own, not the one in the news.
fn earlier_meeting(text: &str, sent: Span, verb: Span) -> bool {
    words(text, Span::new(sent.start(), verb.start()))
        .last()
        .is_some_and(|(_, w)| one_of(w, &["last", "previously", "first", "once"]))
}

/// True when a meeting noun has an indefinite article ("a bilateral meeting"): a new
/// meeting, not one told before.
fn is_indefinite(text: &str, sent: Span, noun: Span) -> bool {
    let before = words(text, Span::new(sent.start(), noun.start()));
    before
        .iter()
        .rev()
        .find(|(_, w)| !one_of(w, MEETING_ADJ))
        .is_some_and(|(_, w)| one_of(w, &["a", "an", "another"]))
}

/// True when an entity mention reads as a party to the meeting.
fn participant_ok(
    text: &str,
    sent: Span,
    m: Span,
    in_excluded: &dyn Fn(Span) -> bool,
    venue: Option<Span>,
) -> bool {
    if in_excluded(m) || venue.is_some_and(|v| v.overlaps(m)) {
        return false;
    }
    if governor(text, sent, m).is_some_and(|(_, w)| one_of(w, NOT_PARTY)) {
        return false;
    }
    let after = words(text, Span::new(m.end(), sent.end()));
    // Possessive: "Trump's special envoy" is not Trump; "Ukraine's delegation" is Ukraine.
    let tail = text.get(m.end()..).unwrap_or("");
    let possessive = tail.starts_with("'s") || tail.starts_with("\u{2019}s");
    if possessive {
        let next = after.iter().find(|(_, w)| *w != "s");
        return next.is_some_and(|(_, w)| one_of(w, PARTY_NOUNS));
    }
    // Reporting subject: "he described …", "the ministry said".
    !after.iter().take(2).any(|(_, w)| one_of(w, REPORTING))
}

/// The level read from participants' titles ("Foreign Secretary David Lammy").
fn title_level(
    doc: &DocView,
    entities: &Entities,
    parts: &[EntityIdx],
    scope: Span,
) -> Option<(&'static str, u8)> {
    let mut best: Option<&'static str> = None;
    for &p in parts {
        let Some(e) = entities.list.get(p) else {
            continue;
        };
        if e.kind != EntityKind::Person {
            continue;
        }
        let mut titles: Vec<String> = e.titles.iter().map(|t| t.to_ascii_lowercase()).collect();
        for m in entities
            .mentions_in(scope)
            .filter(|m| m.entity == p && m.name_span.start > m.span.start)
        {
            titles.push(
                doc.slice(Span::new(m.span.start(), m.name_span.start()))
                    .to_ascii_lowercase(),
            );
        }
        for t in titles {
            let l = if t.contains("envoy") {
                "envoys"
            } else if t.contains("prime minister")
                || t.contains("president")
                || t.contains("chancellor")
                || t.contains("king")
            {
                "leaders"
            } else if t.contains("minister") || t.contains("secretary") {
                "ministerial"
            } else if t.contains("adviser")
                || t.contains("advisor")
                || t.contains("official")
                || t.contains("ambassador")
            {
                "officials"
            } else {
                continue;
            };
            best = Some(match best {
                Some(b) if rank(b) >= rank(l) => b,
                _ => l,
            });
        }
    }
    best.map(|l| (l, 1))
}

fn rank(level: &str) -> u8 {
    match level {
        "leaders" => 4,
        "ministerial" => 3,
        "envoys" => 2,
        "officials" => 1,
        _ => 0,
    }
}

/// Talks of ministers put off in the same sentence as talks of officials going ahead: the
/// meeting went ahead one level lower — a downgrade.
fn combine_downgrade(out: &mut Vec<Mention>, first: usize) {
    if out.len() < first + 2 {
        return;
    }
    let stopped = (first..out.len()).find(|&k| {
        matches!(out[k].status, Some("postponed" | "cancelled"))
            && out[k].level.is_some_and(|l| rank(l.0) >= 3)
    });
    let Some(a) = stopped else { return };
    let went_on = (first..out.len()).find(|&k| {
        k != a
            && matches!(out[k].status, Some("held" | "ongoing"))
            && out[k]
                .level
                .is_some_and(|l| out[a].level.is_some_and(|al| rank(l.0) < rank(al.0)))
            && (out[k].venue.is_none() || out[a].venue.is_none() || out[k].venue == out[a].venue)
    });
    let Some(b) = went_on else { return };
    let lower = out[b].clone();
    let m = &mut out[a];
    m.status = Some("downgraded");
    m.previous = Some("planned");
    m.level = lower.level.map(|l| (l.0, 3));
    m.venue = m.venue.or(lower.venue);
    m.date = m.date.clone().or(lower.date);
    for p in lower.participants {
        if !m.participants.contains(&p) {
            m.participants.push(p);
        }
    }
    out.remove(b);
}

/// Joins mentions into meetings.
fn merge(
    doc: &DocView,
    entities: &Entities,
    places: &[PlaceInfo],
    mentions: Vec<Mention>,
) -> Vec<MeetingFact> {
    let mut built: Vec<Building> = Vec::new();
    for m in mentions {
        let informative = m.venue.is_some()
            || !m.participants.is_empty()
            || m.status.is_some()
            || m.date.is_some();
        if m.generic && m.venue.is_none() {
            continue;
        }
        let target = find_target(&built, &m, places);
        let evidence = doc.sentence_span(m.sentence);
        match target {
            Some(k) => {
                // A city names the venue better than its country ("talks in Turkey" …
                // "in Istanbul").
                let b = &mut built[k];
                if let (Some(cur), Some(new)) = (b.fact.venue, m.venue) {
                    if kind_of(places, cur) == "country" && contains(places, cur, new) {
                        b.fact.venue = Some(new);
                    }
                }
                absorb(b, m, evidence)
            }
            None if informative => {
                // A new meeting without a venue told right after another takes its venue
                // ("… the London talks. X hosted a bilateral meeting …").
                let inherited = if m.venue.is_none() && !is_call(m.format) {
                    built
                        .iter()
                        .rev()
                        .max_by_key(|b| b.last_sentence)
                        .filter(|b| b.last_sentence + 2 >= m.sentence && b.fact.status != "planned")
                        .and_then(|b| b.fact.venue)
                } else {
                    None
                };
                let explicit_level = m.level.map_or(0, |l| {
                    if STATUS_CHANGES.contains(&m.status.unwrap_or("")) && l.1 >= 2 {
                        3
                    } else {
                        l.1
                    }
                });
                built.push(Building {
                    fact: MeetingFact {
                        venue: m.venue.or(inherited),
                        participants: m.participants,
                        countries: Vec::new(),
                        format: m.format,
                        level: m.level.map_or("unknown", |l| l.0),
                        status: m.status.unwrap_or("held"),
                        previous_status: m.previous,
                        date: m.date,
                        confidence: 0.0,
                        evidence: vec![evidence],
                    },
                    level_rank: explicit_level,
                    venue_explicit: m.venue.is_some(),
                    explicit_format: m.format.is_some(),
                    last_sentence: m.sentence,
                    dated_by_text: m.dated_by_text,
                });
            }
            None => {}
        }
    }
    built
        .into_iter()
        .map(|mut b| {
            if !b.explicit_format {
                b.fact.format = implied_format(entities, &b.fact.participants);
            }
            let f = &mut b.fact;
            let mut c: f32 = 0.5;
            c += if f.venue.is_some() {
                if b.venue_explicit {
                    0.15
                } else {
                    0.05
                }
            } else {
                0.0
            };
            c += if f.participants.is_empty() { 0.0 } else { 0.1 };
            c += if f.date.is_some() { 0.05 } else { 0.0 };
            c += if f.evidence.len() > 1 { 0.1 } else { 0.0 };
            f.confidence = c.min(0.95);
            b.fact
        })
        .collect()
}

/// The kind of a place ("city", "country", …), empty when unknown.
fn kind_of(places: &[PlaceInfo], p: PlaceIdx) -> &str {
    places.get(p).map_or("", |pl| pl.kind.as_str())
}

/// True when place `outer` is the country place `inner` lies in.
fn contains(places: &[PlaceInfo], outer: PlaceIdx, inner: PlaceIdx) -> bool {
    places.get(outer).is_some_and(|o| o.kind == "country")
        && crate::walk::place_lies_in(places, inner, outer)
}

/// True for a phone or video call.
fn is_call(format: Option<&str>) -> bool {
    matches!(format, Some("phone" | "video"))
}

/// The meeting a mention belongs to, if any.
fn find_target(built: &[Building], m: &Mention, places: &[PlaceInfo]) -> Option<usize> {
    let compatible_on = |b: &Building, check_date: bool| {
        // A definite mention without a venue ("they said the talks would continue on
        // Thursday") may give another day: it is still about the same talks; so may
        // talks that go on for days.
        let date_ok = match (&b.fact.date, &m.date) {
            (Some(a), Some(c)) if b.dated_by_text && m.dated_by_text && check_date => {
                a == c
                    || m.venue.is_none()
                    || b.fact.status == "ongoing"
                    || m.status == Some("ongoing")
            }
            _ => true,
        };
        // Officials' talks beside a meeting of ministers or leaders are another track
        // ("technical teams have been meeting since Monday"), unless the meeting itself
        // was brought down to that level.
        let level_ok = match m.level {
            Some(("officials", r)) if r >= 2 && b.level_rank >= 2 => {
                !matches!(b.fact.level, "ministerial" | "leaders")
                    || new_is_change(m.status)
                    || b.fact.status == "downgraded"
            }
            _ => true,
        };
        // A call is an engagement of its own, apart from talks somewhere.
        let call_ok = if is_call(m.format) {
            is_call(b.fact.format) || (b.fact.venue.is_none() && !b.explicit_format)
        } else {
            !(is_call(b.fact.format) && b.explicit_format && m.venue.is_some())
        };
        // Plans with new people are another meeting than the one held ("Lavrov would
        // also hold talks with the Saudi minister").
        let new_people = m
            .participants
            .iter()
            .any(|p| !b.fact.participants.contains(p));
        let plan_ok = !(m.status == Some("planned")
            && matches!(
                b.fact.status,
                "held" | "ongoing" | "upgraded" | "downgraded"
            )
            && new_people
            && m.sentence > b.last_sentence);
        // A bilateral cannot take in new parties.
        let bilateral_ok = !(b.explicit_format && b.fact.format == Some("bilateral"))
            || m.participants
                .iter()
                .all(|p| b.fact.participants.contains(p));
        // Planned talks elsewhere are not the meeting being held.
        let status_ok = b.fact.status != "planned" || m.status != Some("held") || m.venue.is_some();
        // A change of plan ("talks had been postponed") is news about the main talks,
        // not about a bilateral held on the side.
        let side_bilateral = b.explicit_format && b.fact.format == Some("bilateral");
        let change = matches!(
            m.status,
            Some("postponed" | "cancelled" | "downgraded" | "upgraded")
        );
        let change_ok = !(side_bilateral && change);
        date_ok && bilateral_ok && status_ok && change_ok && call_ok && plan_ok && level_ok
    };
    let compatible = |b: &Building| compatible_on(b, true);
    if m.indefinite {
        return None;
    }
    if let Some(v) = m.venue {
        // Same venue (or its country): prefer a meeting whose venue the text gave.
        let same: Vec<usize> = (0..built.len())
            .rev()
            .filter(|&k| {
                let bv = built[k].fact.venue;
                (bv == Some(v)
                    || bv.is_some_and(|bv| contains(places, bv, v) || contains(places, v, bv)))
                    && compatible(&built[k])
            })
            .collect();
        let found = same
            .iter()
            .copied()
            .find(|&k| built[k].venue_explicit)
            .or(same.first().copied());
        if found.is_some() {
            return found;
        }
        // A building or a country named for talks told just before is where they are
        // ("the talks, hosted at the palace"); talks first told without a venue get one.
        let kind = kind_of(places, v);
        let landmark = !matches!(kind, "city" | "country" | "region");
        let recent = (0..built.len())
            .rev()
            .filter(|&k| built[k].last_sentence + 6 >= m.sentence)
            .find(|&k| {
                let bv = built[k].fact.venue;
                let open = bv.is_none() && built[k].last_sentence + 3 >= m.sentence;
                let in_city = landmark && bv.is_some_and(|bv| kind_of(places, bv) == "city");
                // The day of a venue-less first mention may be the day it was told.
                compatible_on(&built[k], !open) && (open || in_city)
            });
        return recent;
    }
    // The most recently told compatible meeting.
    let mut order: Vec<usize> = (0..built.len())
        .filter(|&k| built[k].last_sentence + 5 >= m.sentence)
        .collect();
    order.sort_by_key(|&k| std::cmp::Reverse((built[k].last_sentence, k)));
    order.into_iter().find(|&k| compatible(&built[k]))
}

/// Adds a mention to a meeting.
fn absorb(b: &mut Building, m: Mention, evidence: Span) {
    let f = &mut b.fact;
    if !f.evidence.contains(&evidence) {
        f.evidence.push(evidence);
    }
    for p in &m.participants {
        if !f.participants.contains(p) {
            f.participants.push(*p);
        }
    }
    if let Some(st) = m.status {
        let new_change = STATUS_CHANGES.contains(&st);
        let cur_change = STATUS_CHANGES.contains(&f.status);
        // Talks told as held and then as going on are ongoing.
        let goes_on = f.status == "held" && st == "ongoing";
        if (new_change && !cur_change)
            || (!cur_change && f.status == "planned" && st != "planned")
            || goes_on
        {
            f.status = st;
            f.previous_status = m.previous.or(f.previous_status);
        }
    }
    if let Some((l, r)) = m.level {
        let r = if new_is_change(m.status) && r >= 2 {
            3
        } else {
            r
        };
        if r > b.level_rank {
            f.level = l;
            b.level_rank = r;
        }
    }
    if f.venue.is_none() || (!b.venue_explicit && m.venue.is_some()) {
        if let Some(v) = m.venue {
            f.venue = Some(v);
            b.venue_explicit = true;
        }
    }
    if f.format.is_none() || !b.explicit_format {
        if let Some(fm) = m.format {
            f.format = Some(fm);
            b.explicit_format = true;
        }
    }
    if m.dated_by_text && !b.dated_by_text {
        f.date = m.date;
        b.dated_by_text = true;
    } else {
        f.date = f.date.take().or(m.date);
    }
    b.last_sentence = b.last_sentence.max(m.sentence);
}

fn new_is_change(status: Option<&str>) -> bool {
    status.is_some_and(|s| STATUS_CHANGES.contains(&s))
}

/// Format from the number of sides: two → bilateral, three or more → multilateral.
fn implied_format(entities: &Entities, parts: &[EntityIdx]) -> Option<&'static str> {
    let mut sides: Vec<String> = Vec::new();
    for &p in parts {
        let side = entities
            .list
            .get(p)
            .and_then(|e| e.country.clone())
            .unwrap_or_else(|| format!("#{p}"));
        if !sides.contains(&side) {
            sides.push(side);
        }
    }
    match sides.len() {
        0 | 1 => None,
        2 => Some("bilateral"),
        _ => Some("multilateral"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extract::test_fixtures::Fx;
    use crate::model::MentionKind;

    fn run(fx: &Fx) -> Vec<MeetingFact> {
        let ms = find_meetings(&fx.doc(), &fx.entities, &fx.places, &fx.times);
        for m in &ms {
            assert!(!m.evidence.is_empty());
            assert!(m.evidence.iter().all(|s| s.is_valid_in(&fx.text)));
        }
        ms
    }

    fn sorted(mut v: Vec<EntityIdx>) -> Vec<EntityIdx> {
        v.sort_unstable();
        v
    }

    /// A downgraded meeting with withdrawals and a stand-in, a planned meeting elsewhere
    /// and a bilateral on the side.
    fn geneva() -> (Fx, [usize; 12]) {
        let mut fx = Fx::new(
            "Peace talks in Geneva meant to end the fighting between Armenia and Azerbaijan were scaled back on \
             Monday, with Foreign Minister Anna Berg and envoy Paul Dorn no longer attending. The meeting, first \
             billed as high-level, was downgraded to a technical session and held at senior official level. \
             Rather than travel to Geneva, Berg will focus on talks in Vienna this week. Colonel Mark Hale \
             represented Sweden at the Geneva talks in Dorn's place. Swiss Foreign Minister Ida Keller hosted a \
             bilateral meeting with her Armenian counterpart, while delegates from Turkey, Georgia and Iran \
             joined closed-door discussions.",
        );
        let geneva = fx.place("Geneva", "city", "CH");
        let vienna = fx.place("Vienna", "city", "AT");
        let am = fx.entity("Armenia", EntityKind::Country, Some("AM"));
        fx.mention(am, "Armenian", MentionKind::Country);
        let az = fx.entity("Azerbaijan", EntityKind::Country, Some("AZ"));
        let berg = fx.entity("Anna Berg", EntityKind::Person, Some("SE"));
        fx.mention(berg, "Berg", MentionKind::Name);
        let dorn = fx.entity("Paul Dorn", EntityKind::Person, Some("SE"));
        fx.mention(dorn, "Dorn", MentionKind::Name);
        let hale = fx.entity("Mark Hale", EntityKind::Person, Some("SE"));
        let se = fx.entity("Sweden", EntityKind::Country, Some("SE"));
        let keller = fx.entity("Ida Keller", EntityKind::Person, Some("CH"));
        fx.entities.list[keller].titles = vec!["Foreign Minister".into()];
        let tr = fx.entity("Turkey", EntityKind::Country, Some("TR"));
        let ge = fx.entity("Georgia", EntityKind::Country, Some("GE"));
        let ir = fx.entity("Iran", EntityKind::Country, Some("IR"));
        fx.time("on \nMonday", "2025-05-12", "day");
        fx.time("Monday", "2025-05-12", "day");
        fx.time("this week", "2025-W20", "week");
        (
            fx,
            [
                geneva, vienna, am, az, berg, dorn, hale, se, keller, tr, ge, ir,
            ],
        )
    }

    #[test]
    fn downgraded_meeting_with_withdrawals_and_a_stand_in() {
        let (fx, [geneva, _, _, _, _, _, hale, se, _, tr, ge, ir]) = geneva();
        let ms = run(&fx);
        let m = ms
            .iter()
            .find(|m| m.venue == Some(geneva) && m.status == "downgraded")
            .expect("downgraded Geneva talks");
        assert_eq!(m.previous_status, Some("planned"));
        assert_eq!(m.level, "officials");
        assert_eq!(m.date.as_deref(), Some("2025-05-12"));
        assert_eq!(
            sorted(m.participants.clone()),
            sorted(vec![hale, se, tr, ge, ir]),
            "{m:#?}"
        );
        assert_eq!(m.format, Some("multilateral"));
        assert!(m.evidence.len() >= 4, "{m:#?}");
    }

    #[test]
    fn planned_talks_elsewhere_and_a_held_bilateral() {
        let (fx, [geneva, vienna, am, _, berg, _, _, _, keller, ..]) = geneva();
        let ms = run(&fx);
        assert_eq!(ms.len(), 3, "{ms:#?}");
        let v = ms
            .iter()
            .find(|m| m.venue == Some(vienna))
            .expect("Vienna talks");
        assert_eq!(
            (v.status, v.participants.clone(), v.date.clone()),
            ("planned", vec![berg], None)
        );
        let b = ms
            .iter()
            .find(|m| m.format == Some("bilateral"))
            .expect("bilateral");
        assert_eq!(b.status, "held");
        assert_eq!(sorted(b.participants.clone()), sorted(vec![keller, am]));
        assert_eq!(b.level, "ministerial");
        assert_eq!(b.venue, Some(geneva));
        assert_eq!(b.date.as_deref(), Some("2025-05-14"));
    }

    #[test]
    fn talks_were_where_the_delegation_left_from() {
        let mut fx = Fx::new(
            "A rebel delegation left Nairobi on Sunday after talks with Kenyan mediators on a truce.",
        );
        let nairobi = fx.place("Nairobi", "city", "KE");
        let ms = run(&fx);
        assert_eq!(ms.len(), 1, "{ms:#?}");
        assert_eq!((ms[0].venue, ms[0].status), (Some(nairobi), "held"));
        // Leaving a place for talks elsewhere does not make it the venue.
        let mut fx = Fx::new("The envoy left Nairobi on Sunday for talks with the rebels.");
        fx.place("Nairobi", "city", "KE");
        let ms = run(&fx);
        assert!(ms.iter().all(|m| m.venue.is_none()), "{ms:#?}");
    }

    #[test]
    fn a_discreet_meeting_is_a_new_one_and_the_audience_of_a_report_is_no_party() {
        let mut fx = Fx::new(
            "Egypt hosted a meeting last month between the two presidents. A mediator told \
             Wirenews that both delegations quietly held a discreet meeting in Cairo this week.",
        );
        fx.entity("Egypt", EntityKind::Country, Some("EG"));
        let wire = fx.entity("Wirenews", EntityKind::Organisation, None);
        let cairo = fx.place("Cairo", "city", "EG");
        let ms = run(&fx);
        assert_eq!(ms.len(), 2, "{ms:#?}");
        assert_eq!(ms[1].venue, Some(cairo));
        assert!(!ms[1].participants.contains(&wire), "{ms:#?}");
    }

    #[test]
    fn a_visit_to_two_places_is_a_meeting_in_each() {
        let mut fx = Fx::new(
            "On Monday the envoy's office said he had ended a visit to Kuwait and Qatar for talks on \
             the truce.",
        );
        let kw = fx.place("Kuwait", "country", "KW");
        let qa = fx.place("Qatar", "country", "QA");
        let ms = run(&fx);
        let venues: Vec<_> = ms.iter().map(|m| m.venue).collect();
        assert_eq!(venues, [Some(kw), Some(qa)], "{ms:#?}");
    }

    #[test]
    fn a_session_of_a_ceasefire_mechanism_is_a_meeting() {
        let mut fx = Fx::new(
            "Both delegations briefed their governments after the mechanism session they held in \
             Tiberias.",
        );
        let tiberias = fx.place("Tiberias", "city", "IL");
        let ms = run(&fx);
        assert_eq!(ms.len(), 1, "{ms:#?}");
        assert_eq!((ms[0].venue, ms[0].status), (Some(tiberias), "held"));
    }

    #[test]
    fn postponed_ministerial_talks_with_officials_continuing_is_a_downgrade() {
        let mut fx = Fx::new(
            "The foreign ministry said ministerial talks in Doha were delayed by a day; working-level \
             negotiations are ongoing.",
        );
        let doha = fx.place("Doha", "city", "QA");
        let ms = run(&fx);
        assert_eq!(ms.len(), 1, "{ms:#?}");
        assert_eq!(
            (ms[0].venue, ms[0].status, ms[0].level),
            (Some(doha), "downgraded", "officials")
        );
        assert_eq!(ms[0].previous_status, Some("planned"));
    }

    #[test]
    fn phone_calls_cancellations_and_upcoming_summits() {
        let mut fx = Fx::new("Macron and Modi spoke by phone on Tuesday about the crisis.");
        let a = fx.entity("Macron", EntityKind::Person, Some("FR"));
        let b = fx.entity("Modi", EntityKind::Person, Some("IN"));
        fx.time("on Tuesday", "2025-05-13", "day");
        let ms = run(&fx);
        assert_eq!(ms.len(), 1);
        assert_eq!(
            (ms[0].format, ms[0].status, ms[0].date.as_deref()),
            (Some("phone"), "held", Some("2025-05-13"))
        );
        assert_eq!(sorted(ms[0].participants.clone()), sorted(vec![a, b]));

        let mut fx =
            Fx::new("A summit of regional leaders in Nairobi was called off at the last minute.");
        let nbo = fx.place("Nairobi", "city", "KE");
        let ms = run(&fx);
        assert_eq!(
            (ms[0].venue, ms[0].status, ms[0].level),
            (Some(nbo), "cancelled", "leaders")
        );

        let mut fx = Fx::new("Foreign ministers from the bloc are due to meet in Cairo next week.");
        let cairo = fx.place("Cairo", "city", "EG");
        let ms = run(&fx);
        assert_eq!(
            (ms[0].venue, ms[0].status, ms[0].level, ms[0].date.clone()),
            (Some(cairo), "planned", "ministerial", None)
        );
    }

    #[test]
    fn hosted_counterpart_and_the_war_in_a_country_is_not_a_party() {
        let mut fx = Fx::new("Meanwhile, Prime Minister Lena Ost hosted her Polish counterpart in Oslo to discuss the war in Ukraine.");
        let ost = fx.entity("Lena Ost", EntityKind::Person, Some("NO"));
        fx.entities.list[ost].titles = vec!["Prime Minister".into()];
        let pl = fx.entity("Polish", EntityKind::Country, Some("PL"));
        fx.entity("Ukraine", EntityKind::Country, Some("UA"));
        let oslo = fx.place("Oslo", "city", "NO");
        fx.place("Ukraine", "country", "UA");
        let ms = run(&fx);
        assert_eq!(ms.len(), 1, "{ms:#?}");
        assert_eq!(sorted(ms[0].participants.clone()), sorted(vec![ost, pl]));
        assert_eq!(
            (ms[0].venue, ms[0].level, ms[0].format),
            (Some(oslo), "leaders", Some("bilateral"))
        );
    }

    #[test]
    fn regression_curly_possessive_is_not_a_participant() {
        let mut fx = Fx::new("General Ana Ruiz, President Lopez\u{2019}s special envoy, represented Chile at the Lima talks.");
        let ruiz = fx.entity("Ana Ruiz", EntityKind::Person, Some("CL"));
        fx.entity("Lopez", EntityKind::Person, Some("CL"));
        let cl = fx.entity("Chile", EntityKind::Country, Some("CL"));
        let lima = fx.place("Lima", "city", "PE");
        let ms = run(&fx);
        assert_eq!(ms.len(), 1);
        assert_eq!(
            (ms[0].venue, sorted(ms[0].participants.clone())),
            (Some(lima), sorted(vec![ruiz, cl]))
        );
    }

    #[test]
    fn generic_and_odd_mentions() {
        let mut fx = Fx::new("Kyiv wants a ceasefire to enable future negotiations.");
        fx.entity("Kyiv", EntityKind::Country, Some("UA"));
        assert!(run(&fx).is_empty());
        for text in [
            "",
            "talks",
            "met.",
            "The meeting",
            "\u{2014}talks\u{2014} in",
        ] {
            let _ = run(&Fx::new(text));
        }
    }

    #[test]
    fn venue_inside_the_phrase_opening_place_and_days_of_talks() {
        let mut fx = Fx::new(
            "The envoys met in Nairobi for talks on Monday. In Addis Ababa, the delegation, led by a \
             former general, met mediators on Tuesday. Rebel and army negotiators held a third day of \
             talks with the mediators in Addis Ababa on Wednesday.",
        );
        let nai = fx.place("Nairobi", "city", "KE");
        let addis = fx.place("Addis Ababa", "city", "ET");
        fx.time("on Monday", "2025-05-12", "day");
        fx.time("on Tuesday", "2025-05-13", "day");
        fx.time("on Wednesday", "2025-05-14", "day");
        let ms = run(&fx);
        assert_eq!(ms.len(), 2, "{ms:#?}");
        assert_eq!((ms[0].venue, ms[0].status), (Some(nai), "held"));
        // Talks that go on for days are one meeting, and it is ongoing.
        assert_eq!((ms[1].venue, ms[1].status), (Some(addis), "ongoing"));
    }

    #[test]
    fn a_place_after_the_first_meeting_word_stays_with_it() {
        // Two meeting words with no boundary between them: the sentence is cut after
        // the place phrase, not in the middle, where "Valletta" would go to the second.
        let mut fx = Fx::new(
            "The minister said three days of talks with the northern delegation in Valletta ended \
             with frank discussions on the ferry routes.",
        );
        let valletta = fx.place("Valletta", "city", "MT");
        let ms = run(&fx);
        assert_eq!(ms.len(), 1, "{ms:#?}");
        assert_eq!(ms[0].venue, Some(valletta));
    }

    #[test]
    fn the_venue_may_close_the_clause_after_an_apposition_to_a_participant() {
        let mut fx = Fx::new(
            "The prime minister met on Friday with Lena Varga, the special envoy of the regional \
             bloc to the border dispute, in Mombasa.",
        );
        fx.entity("Lena Varga", EntityKind::Person, Some("HU"));
        let mom = fx.place("Mombasa", "city", "KE");
        let ms = run(&fx);
        assert_eq!(ms.len(), 1, "{ms:#?}");
        assert_eq!(ms[0].venue, Some(mom));
    }

    #[test]
    fn a_city_replaces_its_country_and_a_building_joins_its_city() {
        let mut fx = Fx::new(
            "A new round of talks in Kenya opened on Monday. The talks, held in Nairobi, lasted three \
             hours. The talks at State House ended with a joint statement.",
        );
        fx.place("Kenya", "country", "KE");
        let nai = fx.place("Nairobi", "city", "KE");
        fx.place("State House", "landmark", "KE");
        let ms = run(&fx);
        assert_eq!(ms.len(), 1, "{ms:#?}");
        assert_eq!(ms[0].venue, Some(nai));
    }

    #[test]
    fn calls_plans_with_new_people_and_earlier_meetings_stand_apart() {
        let mut fx = Fx::new(
            "Ministers Ana Lopes and Jon Berg met in Lisbon on Monday. Lopes also spoke by phone with \
             Ida Keller on Monday. Berg would also hold talks with Omar Said while in Lisbon. The two \
             ministers last met in Lisbon in March.",
        );
        let lis = fx.place("Lisbon", "city", "PT");
        let lopes = fx.entity("Ana Lopes", EntityKind::Person, Some("PT"));
        fx.mention(lopes, "Lopes", MentionKind::Name);
        let berg = fx.entity("Jon Berg", EntityKind::Person, Some("NO"));
        fx.mention(berg, "Berg", MentionKind::Name);
        fx.entity("Ida Keller", EntityKind::Person, Some("CH"));
        fx.entity("Omar Said", EntityKind::Person, Some("EG"));
        fx.time("on Monday", "2025-05-12", "day");
        let ms = run(&fx);
        let got: Vec<(Option<PlaceIdx>, &str, Option<&str>)> =
            ms.iter().map(|m| (m.venue, m.status, m.format)).collect();
        assert_eq!(got.len(), 4, "{ms:#?}");
        assert_eq!(got[0].0, Some(lis));
        assert_eq!((got[1].0, got[1].2), (None, Some("phone")));
        assert_eq!((got[2].0, got[2].1), (Some(lis), "planned"));
        assert_eq!((got[3].0, got[3].1), (Some(lis), "held"));
    }

    #[test]
    fn speakers_places_hosts_and_open_to_talks_are_no_meetings() {
        for text in [
            "In Oslo, officials said the minister remained open to negotiations.",
            "We thanked our Norwegian hosts for everything.",
        ] {
            let mut fx = Fx::new(text);
            fx.place("Oslo", "city", "NO");
            let ms = run(&fx);
            assert!(ms.is_empty(), "{text:?} gave {ms:#?}");
        }
    }

    #[test]
    fn a_technical_track_beside_ministers_is_its_own_meeting() {
        let mut fx = Fx::new(
            "The ministers will meet in Doha on Friday at ministerial level. Technical teams have been \
             meeting in Doha since Monday.",
        );
        fx.place("Doha", "city", "QA");
        let ms = run(&fx);
        assert_eq!(ms.len(), 2, "{ms:#?}");
        assert_eq!((ms[0].status, ms[1].status), ("planned", "ongoing"));
    }
}
