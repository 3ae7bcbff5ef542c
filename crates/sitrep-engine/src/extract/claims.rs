//! Claims, reports, positions, demands and proposals, and the reactions that answer them.
//!
//! Per sentence, in text order (cue words from `data/lexicon/claims.tsv`, one
//! Aho–Corasick pass over the document as a pre-screen):
//!
//! 1. **Claims.** A report ("a newspaper report that …", "according to …", "growing
//!    speculation that …") — source: the organisation or person named next to the report
//!    word; a claim or demand ("X claimed that …", "X urged …") — source: the subject; a
//!    proposal ("X called for a truce", "X's call for a truce") — gist: the rest of the
//!    clause; a position or red line ("reiterated that Kyiv would not compromise …", "will
//!    never recognise …"). The gist is the proposition: after "that" when there is one,
//!    else the rest of the clause. Inside a direct quote the source is the speaker.
//! 2. **Reactions.** deny ("denied", "dismissed the report as fake"), reject ("rejected the
//!    proposal", "ruled out"), contradict ("there was no evidence …", "despite X's call"),
//!    confirm, welcome, condemn. The reacting entity is the speaker of the quote the cue
//!    sits in, else the subject of the cue's clause (else, past an appositive, of the
//!    sentence). A reaction answers a claim of its own sentence, else the latest claim of
//!    the kind its object names ("the report", "any proposal"), else the latest claim
//!    sharing topic words. A denial or rejection with nothing to answer makes a new claim
//!    from its object ("Russia denied striking the hospital": a claim with a denial — and
//!    not an event, which the events stage also knows).
//! 3. **Accounts of attacks.** A statement whose words tell an attack ("the army said the
//!    militia shelled a clinic", "the spokesman confirmed that …") is the source's claim,
//!    answered or not, unless the attack word points back ("the strike showed …", without
//!    a toll), is denied ("no ship had been hit") or sums up a period ("every night").
//! 4. **Answered statements.** Any other plain statement ("X said …", "…, X said"; the speaker
//!    from the quote stage when it has one, so "It said …" keeps its speaker) is not a
//!    claim, but a later denial, rejection or contradiction by someone else turns it into
//!    one: "denied that account" / "disputed the Houthi account" answers the latest
//!    statement (that owner's first), "denied targeting civilians" the latest statement
//!    reporting an attack, when it is newer than any claim on the same topic.
//!    "X said … and accused Y of …" keeps X as the accuser; "X said …, a claim that could
//!    not be verified" is X's claim; "could not be verified" confirms nothing.
//!
//! 5. **Quoted accounts.** A speaker's direct quote that tells an attack concretely (a
//!    strong attack word or a toll, not a summary such as "every night") is the
//!    speaker's claim; the same speaker's later such quotes add evidence to it.
//!
//! Reaction verbs inside direct quotes are the speaker's account of someone else and are
//! not reactions; only words calling a claim untrue ("fake", "baseless") count there.

use std::sync::OnceLock;

use sitrep_core::record::EntityKind;
use sitrep_core::Span;

use super::casualties::{find_casualties, CasualtyKind};
use super::events::find_triggers;
use super::lexicon::{hits_in, Hit, Matcher};
use crate::model::{ClaimFact, DocView, Entities, EntityIdx, QuoteFact};
use crate::walk::{clause_start, one_of, strip_possessive, word_count, words};

const LEXICON: &str = include_str!("../../../../data/lexicon/claims.tsv");

struct Lexicons {
    cues: Matcher,
    aux: Matcher,
}

fn lexicons() -> &'static Lexicons {
    static L: OnceLock<Lexicons> = OnceLock::new();
    L.get_or_init(|| Lexicons {
        cues: Matcher::new(
            LEXICON,
            &[
                "report", "claim", "proposal", "demand", "position", "reaction", "stance", "speech",
            ],
        ),
        aux: Matcher::new(
            LEXICON,
            &[
                "report", "claim", "proposal", "demand", "position", "thatverb", "reaction",
                "stance", "noun", "speech", "harm",
            ],
        ),
    })
}

/// The stage's matchers, for the combined document scan.
pub(crate) fn matchers() -> Vec<&'static Matcher> {
    let lex = lexicons();
    vec![&lex.cues, &lex.aux]
}

/// Prepositions that keep a mention from being a subject.
const NOT_SUBJECT: &[&str] = &[
    "in", "on", "at", "near", "of", "over", "from", "against", "with", "between", "to", "for",
    "into", "by", "told", "about",
];

/// How many earlier claims a reaction may answer (the latest ones): keeps the stage
/// linear on long documents.
const LOOKBACK: usize = 12;

/// Short words that carry no topic.
const STOP: &[&str] = &[
    "that", "this", "these", "those", "with", "would", "could", "should", "have", "been", "being",
    "were", "will", "from", "into", "over", "than", "then", "there", "their", "them", "they",
    "what", "which", "while", "about", "after", "before", "such", "also", "only", "more", "most",
    "some", "said", "says", "report", "claim", "proposal", "any", "firmly", "strongly",
];

/// Finds claims and the reactions to them.
pub fn find_claims(doc: &DocView, entities: &Entities, quotes: &[QuoteFact]) -> Vec<ClaimFact> {
    let lex = lexicons();
    let text = doc.text;
    let screen = lex.cues.find(text, Span::new(0, text.len()));
    let mut claims: Vec<ClaimFact> = Vec::new();
    // Topic words of each claim's gist, computed once.
    let mut topics: Vec<Vec<String>> = Vec::new();
    let mut last_sentence = usize::MAX;
    // Statements ("X said …") that a later reaction may turn into claims.
    let mut statements: Vec<Statement> = Vec::new();
    for h in &screen {
        let s = doc.sentence_at(h.span.start());
        if s == last_sentence {
            continue;
        }
        last_sentence = s;
        let sent = doc.sentence_span(s);
        if !sent.contains(h.span) {
            continue;
        }
        let aux = lex.aux.find(text, sent);
        let first_new = claims.len();
        sentence_claims(doc, entities, quotes, sent, &aux, &mut claims);
        topics.extend(
            claims[topics.len()..]
                .iter()
                .map(|c| topic_words(text, c.gist)),
        );
        sentence_reactions(
            doc,
            entities,
            quotes,
            sent,
            &aux,
            first_new,
            &topics,
            &mut statements,
            &mut claims,
        );
        let before = statements.len();
        sentence_statements(doc, entities, quotes, sent, &aux, &mut statements);
        // A side's account of an attack is a claim about the war, answered or not
        // ("the army spokesman said the militia shelled a health centre").
        if let Some(st) = statements.get_mut(before) {
            let claimed_here = claims[first_new..]
                .iter()
                .any(|c| c.source == Some(st.source));
            // "…, officials said, as the city braced for an offensive": words after a
            // conjunction are the writer's, not the source's.
            let opening = Span::new(
                st.gist.start(),
                crate::walk::floor_boundary(text, (st.gist.start() + 16).min(st.gist.end())),
            );
            let own_words = !words(text, opening).first().is_some_and(|(_, w)| {
                one_of(
                    w,
                    &[
                        "as", "while", "when", "after", "before", "because", "amid", "despite",
                    ],
                )
            });
            if st.tells_attack && own_words && st.claim.is_none() && !claimed_here {
                claims.push(ClaimFact {
                    source: Some(st.source),
                    gist: st.gist,
                    kind: "claim",
                    confidence: 0.6,
                    evidence: vec![st.sent],
                    reactions: Vec::new(),
                });
                st.claim = Some(claims.len() - 1);
            }
        }
        if statements.len() > 2 * LOOKBACK {
            statements.drain(..statements.len() - LOOKBACK);
        }
        topics.extend(
            claims[topics.len()..]
                .iter()
                .map(|c| topic_words(text, c.gist)),
        );
    }
    quoted_accounts(doc, quotes, &mut claims);
    join_sourceless(text, &mut claims);
    claims.retain(|c| worth_keeping(doc, c));
    claims
}

/// True when words tell a whole period ("since the war began", "every night"), not an
/// attack.
fn summarises(text: &str, gist: Span) -> bool {
    let bg = super::events::background_matcher().find(text, gist);
    super::events::is_background_sentence(text, gist, &bg)
}

/// A side's account of an attack in its own quoted words ("“A drone bombed homes in the
/// town this morning,” the spokesman said") is its claim, as the same words reported
/// are (step 3). Each is put among the claims in text order.
fn quoted_accounts(doc: &DocView, quotes: &[QuoteFact], claims: &mut Vec<ClaimFact>) {
    let text = doc.text;
    // The claims made here, by source: a source's later quotes add evidence to its first.
    let mut made: Vec<(EntityIdx, Span)> = Vec::new();
    for q in quotes.iter().filter(|q| q.direct && !q.fragment) {
        let Some(source) = q.speaker else { continue };
        let claimed = claims.iter().any(|c| {
            c.source == Some(source) && (q.span.contains(c.gist) || c.gist.overlaps(q.span))
        });
        if claimed {
            continue;
        }
        let gist = trim(text, q.span);
        let triggers = find_triggers(text, gist);
        if triggers.is_empty() || !tells_an_attack(text, gist, &triggers) {
            continue;
        }
        // Concrete: a strong attack word ("bombed", "shelling") or a toll; "every strike
        // like this is their answer" is comment.
        let concrete = triggers.iter().any(|t| t.row.class != "weak")
            || find_casualties(text, gist)
                .iter()
                .any(|m| matches!(m.kind, CasualtyKind::Killed | CasualtyKind::Wounded));
        if !concrete {
            continue;
        }
        let sent = doc.sentence_span(doc.sentence_at(q.span.start()));
        // "Since the war began, 176 people were killed": a summary, not an account.
        if summarises(text, gist) {
            continue;
        }
        if let Some(&(_, first)) = made.iter().find(|(s, _)| *s == source) {
            if let Some(c) = claims.iter_mut().find(|c| c.gist == first) {
                if !c.evidence.contains(&sent) {
                    c.evidence.push(sent);
                }
            }
            continue;
        }
        made.push((source, gist));
        let at =
            claims.partition_point(|c| c.evidence.first().is_none_or(|e| e.start <= sent.start));
        claims.insert(
            at,
            ClaimFact {
                source: Some(source),
                gist,
                kind: "claim",
                confidence: 0.55,
                evidence: vec![sent],
                reactions: Vec::new(),
            },
        );
    }
}

/// A denial with nothing to answer made a claim without a source ("the army denied
/// that the militia took the town"); when the document also gives that claim with its
/// source ("the militia said it had taken the town"), they are one claim: the sourced
/// one takes the denials. Same claim = at least three topic words in common.
fn join_sourceless(text: &str, claims: &mut Vec<ClaimFact>) {
    let topics: Vec<Vec<String>> = claims.iter().map(|c| topic_words(text, c.gist)).collect();
    let mut gone = vec![false; claims.len()];
    for i in 0..claims.len() {
        if claims[i].source.is_some() || claims[i].reactions.is_empty() {
            continue;
        }
        let shared = |j: usize| {
            topics[j]
                .iter()
                .filter(|w| topics[i].binary_search(w).is_ok())
                .count()
        };
        let Some(j) = (0..claims.len())
            .filter(|&j| j != i && claims[j].source.is_some() && !gone[j])
            .max_by_key(|&j| (shared(j), std::cmp::Reverse(j)))
            .filter(|&j| shared(j) >= 3)
        else {
            continue;
        };
        let (reactions, evidence) = (claims[i].reactions.clone(), claims[i].evidence.clone());
        for r in reactions {
            if !claims[j].reactions.iter().any(|x| x.0 == r.0 && x.1 == r.1) {
                claims[j].reactions.push(r);
            }
        }
        for e in evidence {
            if !claims[j].evidence.contains(&e) {
                claims[j].evidence.push(e);
            }
        }
        gone[i] = true;
    }
    let mut k = 0;
    claims.retain(|_| {
        k += 1;
        !gone[k - 1]
    });
}

/// What an entity said in a sentence: not a claim by itself, but one once a later
/// reaction answers it ("X said … . Y denied that account.").
#[derive(Debug, Clone)]
struct Statement {
    source: EntityIdx,
    gist: Span,
    sent: Span,
    /// The statement reports an attack (a trigger word in its gist).
    attack: bool,
    /// It tells an attack of its own: a trigger word that neither points back ("the
    /// attack showed …") nor is denied ("no ship had been hit").
    tells_attack: bool,
    /// Entities named before the speech verb ("Houthi spokesman X said"): whose account
    /// it is.
    named: Vec<EntityIdx>,
    /// The claim it became, once answered.
    claim: Option<usize>,
}

/// Statements made in one sentence, outside direct quotes: the subject of a speech verb
/// and what follows it ("X said that …", "X said the …"), or, with the speaker after the
/// words ("…, the ministry said"), what comes before.
fn sentence_statements(
    doc: &DocView,
    entities: &Entities,
    quotes: &[QuoteFact],
    sent: Span,
    aux: &[Hit],
    statements: &mut Vec<Statement>,
) {
    let text = doc.text;
    // "X confirmed that …" states what follows, as "X said that …" does.
    let states = |h: &&Hit| {
        h.row.class == "speech"
            || (h.row.class == "reaction" && h.row.a == "confirm" && confirms_that(text, h.span))
    };
    for h in aux.iter().filter(states) {
        if direct_quote_at(quotes, h.span).is_some() {
            continue;
        }
        // The quote stage's attribution of this sentence's reported speech (it resolves
        // "It said …"), else the speech verb's subject.
        let reported = quotes
            .iter()
            .find(|q| sent.contains(q.span) && (!q.direct || q.fragment) && q.speaker.is_some());
        let Some(source) = reported
            .and_then(|q| q.speaker)
            .or_else(|| subject_before(text, entities, sent, h.span.start()))
        else {
            continue;
        };
        let cs = clause_start(text, sent, h.span.start());
        // "…, the ministry said on Wednesday": the words come before the speaker.
        let post_posed = cs > sent.start()
            && words(text, Span::new(h.span.end(), sent.end()))
                .first()
                .is_none_or(|(_, w)| one_of(w, &["on", "in", "at", "late", "earlier", "later"]));
        let indirect = reported.filter(|q| !q.direct).map(|q| trim(text, q.span));
        // "said on Monday that …", not a "that" deep inside the complement.
        let early_that = that_gist(text, sent, h.span)
            .filter(|g| word_count(text, Span::new(h.span.end(), g.start())) <= 5);
        let gist = indirect.or(early_that).unwrap_or_else(|| {
            if post_posed {
                trim(text, Span::new(sent.start(), cs))
            } else {
                trim(text, Span::new(h.span.end(), sent.end()))
            }
        });
        if word_count(text, gist) < 3 {
            continue;
        }
        let triggers = find_triggers(text, gist);
        statements.push(Statement {
            source,
            gist,
            sent,
            attack: !triggers.is_empty(),
            tells_attack: !triggers.is_empty()
                && tells_an_attack(text, gist, &triggers)
                && !summarises(text, gist),
            named: entities
                .mentions_in(Span::new(sent.start(), h.span.start()))
                .map(|m| m.entity)
                .collect(),
            claim: None,
        });
        // One statement per sentence.
        break;
    }
}

/// The speaker the quote stage found for a sentence's reported speech.
fn reported_speaker(quotes: &[QuoteFact], sent: Span) -> Option<EntityIdx> {
    quotes
        .iter()
        .find(|q| sent.contains(q.span) && !q.direct)
        .and_then(|q| q.speaker)
}

/// True when a confirming verb is followed by "that" ("confirmed that the militia …"):
/// it introduces a statement.
fn confirms_that(text: &str, cue: Span) -> bool {
    let next = crate::walk::floor_boundary(text, (cue.end() + 8).min(text.len()));
    words(text, Span::new(cue.end(), next))
        .first()
        .is_some_and(|(_, w)| w.eq_ignore_ascii_case("that"))
}

/// True when `gist` tells an attack: an attack word without "no", "not" or "never"
/// among the four words before it, and not after "the", "that", "this", "these" or
/// "those" (which point back to one told before) unless the gist gives a toll.
fn tells_an_attack(text: &str, gist: Span, triggers: &[Hit]) -> bool {
    // "the strikes killed 46": a toll makes an account even of an attack told before.
    let toll = std::cell::OnceCell::new();
    let has_toll = || {
        *toll.get_or_init(|| {
            find_casualties(text, gist)
                .iter()
                .any(|m| matches!(m.kind, CasualtyKind::Killed | CasualtyKind::Wounded))
        })
    };
    triggers.iter().any(|t| {
        // Only the few words before the attack word matter.
        let lo = crate::walk::floor_boundary(text, t.span.start().saturating_sub(48));
        let ws = words(text, Span::new(lo.max(gist.start()), t.span.start()));
        let before = &ws[ws.len().saturating_sub(4)..];
        let points_back = before
            .last()
            .is_some_and(|(_, w)| one_of(w, &["the", "that", "this", "these", "those"]));
        let denied = before
            .iter()
            .any(|(_, w)| one_of(w, &["no", "not", "never", "nothing"]));
        !denied && (!points_back || has_toll())
    })
}

/// "The command denied … and said …": the two verbs share a subject that is no named
/// mention ("the command", "the ministry"), which the quote stage has resolved for the
/// speech verb. Its speaker, when the speech verb follows the reaction within a few
/// words joined by "and".
fn coordinated_speaker(
    text: &str,
    quotes: &[QuoteFact],
    sent: Span,
    reaction: Span,
) -> Option<EntityIdx> {
    quotes
        .iter()
        .filter(|q| !q.direct && sent.contains(q.span))
        .find(|q| {
            q.cue.is_some_and(|cue| {
                cue.start() >= reaction.end() && {
                    let between = words(text, Span::new(reaction.end(), cue.start()));
                    between.len() <= 8
                        && between
                            .last()
                            .is_some_and(|(_, w)| w.eq_ignore_ascii_case("and"))
                }
            })
        })
        .and_then(|q| q.speaker)
}

/// A claim nobody answers must say who makes it, and must be more than the source of an
/// attack's toll ("… killed nine people, according to hospital officials" is evidence
/// for the attack, not a claim).
fn worth_keeping(doc: &DocView, c: &ClaimFact) -> bool {
    if !c.reactions.is_empty() {
        return true;
    }
    if c.source.is_none() {
        return false;
    }
    if c.kind != "report" {
        return true;
    }
    let text = doc.text;
    let toll = c.evidence.iter().any(|&sent| {
        !find_triggers(text, sent).is_empty()
            && find_casualties(text, sent)
                .iter()
                .any(|m| matches!(m.kind, CasualtyKind::Killed | CasualtyKind::Wounded))
    });
    !toll
}

/// The direct quote containing `span`, if any.
fn direct_quote_at(quotes: &[QuoteFact], span: Span) -> Option<&QuoteFact> {
    quotes.iter().find(|q| q.direct && q.span.contains(span))
}

/// Trims spaces, quotes, dashes and end punctuation from both ends of a span.
fn trim(text: &str, span: Span) -> Span {
    let Some(s) = span.slice(text) else {
        return span;
    };
    let junk = |c: char| {
        c.is_whitespace()
            || matches!(
                c,
                '.' | ',' | ';' | ':' | '"' | '\u{201C}' | '\u{201D}' | '\u{2014}' | '-' | '\''
            )
    };
    let lead = s.len() - s.trim_start_matches(junk).len();
    let body = s.trim_matches(junk);
    Span::new(span.start() + lead, span.start() + lead + body.len())
}

/// End of the clause that starts at `from` (next `,`, `;`, `—` or the sentence end).
fn clause_end(text: &str, sent: Span, from: usize) -> usize {
    let hay = text.get(from..sent.end()).unwrap_or("");
    hay.find([',', ';', '\u{2014}'])
        .map_or(sent.end(), |i| from + i)
}

/// The gist after a "that" within a few words after `cue`, running to the sentence end.
fn that_gist(text: &str, sent: Span, cue: Span) -> Option<Span> {
    let ws = words(text, Span::new(cue.end(), sent.end()));
    let k = ws
        .iter()
        .take(12)
        .position(|(_, w)| w.eq_ignore_ascii_case("that"))?;
    let (sp, _) = ws[k];
    let g = trim(text, Span::new(sp.end(), sent.end()));
    (!g.is_empty()).then_some(g)
}

/// The subject of the clause ending at `pos`: the last entity mention before it in the
/// clause that is not behind a preposition or possessive; past an appositive ("X, adviser
/// to Y, reiterated"), the first such mention of the sentence.
fn subject_before(text: &str, entities: &Entities, sent: Span, pos: usize) -> Option<EntityIdx> {
    let ok = |m: Span| can_be_subject(text, sent, m);
    let cs = clause_start(text, sent, pos);
    let in_clause = entities
        .mentions_in(Span::new(cs, pos))
        .filter(|m| ok(m.span))
        .last()
        .map(|m| m.entity);
    in_clause.or_else(|| {
        // An appositive ends right before the cue: ", reiterated".
        let gap = text.get(cs..pos).unwrap_or("").trim();
        if !gap.is_empty() && word_count(text, Span::new(cs, pos)) > 2 {
            return None;
        }
        entities
            .mentions_in(Span::new(sent.start(), pos))
            .find(|m| ok(m.span))
            .map(|m| m.entity)
    })
}

/// A mention that is neither behind a preposition nor a possessive.
fn can_be_subject(text: &str, sent: Span, m: Span) -> bool {
    let before = words(text, Span::new(sent.start(), m.start()));
    let tail = text.get(m.end()..).unwrap_or("");
    let governed = before
        .iter()
        .rev()
        .find(|(_, w)| !one_of(w, &["the", "a", "an"]))
        .is_some_and(|(_, w)| one_of(w, NOT_SUBJECT));
    let possessive = tail.starts_with("'s") || tail.starts_with("\u{2019}s");
    !(governed || possessive)
}

/// The subject of the sentence: its first mention that can be a subject, before `pos`.
fn sentence_subject(text: &str, entities: &Entities, sent: Span, pos: usize) -> Option<EntityIdx> {
    entities
        .mentions_in(Span::new(sent.start(), pos))
        .find(|m| can_be_subject(text, sent, m.span))
        .map(|m| m.entity)
}

/// The word right before `pos` in the sentence, if any.
fn word_before(text: &str, sent: Span, pos: usize) -> Option<&str> {
    words(text, Span::new(sent.start(), pos))
        .last()
        .map(|&(_, w)| w)
}

/// A possessive owner right before `pos` ("Putin's call for").
fn possessive_before(text: &str, entities: &Entities, sent: Span, pos: usize) -> Option<EntityIdx> {
    entities
        .mentions_in(Span::new(sent.start(), pos))
        .filter(|m| {
            let gap = text.get(m.span.end()..pos).unwrap_or("");
            let g = gap.trim_end();
            (g == "'s" || g == "\u{2019}s") && pos - m.span.end() <= 6
        })
        .last()
        .map(|m| m.entity)
}

/// Claims stated in one sentence.
fn sentence_claims(
    doc: &DocView,
    entities: &Entities,
    quotes: &[QuoteFact],
    sent: Span,
    aux: &[Hit],
    claims: &mut Vec<ClaimFact>,
) {
    let text = doc.text;
    let first = claims.len();
    let push = |claims: &mut Vec<ClaimFact>,
                source: Option<EntityIdx>,
                gist: Span,
                kind: &'static str,
                conf: f32| {
        if gist.is_empty() || claims[first..].iter().any(|c| c.gist.overlaps(gist)) {
            return;
        }
        claims.push(ClaimFact {
            source,
            gist,
            kind,
            confidence: conf,
            evidence: vec![sent],
            reactions: Vec::new(),
        });
    };
    // Reports: one per sentence, the first report word's "that" clause; the source is the
    // organisation or person named next to any report word.
    let reports: Vec<&Hit> = aux.iter().filter(|h| h.row.class == "report").collect();
    if let Some(first_report) = reports.first() {
        let gist = reports
            .iter()
            .find_map(|h| that_gist(text, sent, h.span))
            .or_else(|| {
                reports
                    .iter()
                    .find(|h| doc.slice(h.span).eq_ignore_ascii_case("according to"))
                    .map(|h| {
                        // "According to X, <gist>" or "<gist>, according to X".
                        let after = clause_end(text, sent, h.span.end());
                        if after < sent.end() {
                            trim(text, Span::new(after, sent.end()))
                        } else {
                            trim(text, Span::new(sent.start(), h.span.start()))
                        }
                    })
            });
        if let Some(gist) = gist {
            let source = reports
                .iter()
                .flat_map(|h| {
                    entities
                        .mentions_in(Span::new(
                            h.span.start().saturating_sub(40).max(sent.start()),
                            (h.span.end() + 40).min(sent.end()),
                        ))
                        .filter(|m| !gist.contains(m.span))
                        .filter(|m| {
                            entities.list.get(m.entity).is_some_and(|e| {
                                matches!(e.kind, EntityKind::Organisation | EntityKind::Person)
                            })
                        })
                        .map(move |m| (crate::walk::distance(m.span, h.span), m.entity))
                })
                .min()
                .map(|x| x.1);
            let quoted = direct_quote_at(quotes, first_report.span);
            if quoted.is_none() {
                let kind = if source.is_some()
                    || reports
                        .iter()
                        .any(|h| doc.slice(h.span).to_ascii_lowercase().starts_with("report"))
                {
                    "report"
                } else {
                    "claim"
                };
                push(
                    claims,
                    source,
                    gist,
                    kind,
                    if source.is_some() { 0.8 } else { 0.6 },
                );
            }
        }
    }
    // Claims, demands, proposals and positions.
    let thatverb = aux.iter().find(|h| h.row.class == "thatverb");
    for h in aux {
        let kind: &'static str = match h.row.class {
            "claim" => "claim",
            "demand" => "demand",
            "proposal" => "proposal",
            "position" => "position",
            _ => continue,
        };
        let quote = direct_quote_at(quotes, h.span);
        // Inside a direct quote only the speaker's own positions count.
        if quote.is_some() && kind != "position" {
            continue;
        }
        // A reaction's object is not a new claim: "rejected any proposal".
        let reacted = aux.iter().any(|r| {
            r.row.class == "reaction"
                && r.row.a != "contradict"
                && r.span.end <= h.span.start
                && h.span.start - r.span.end <= 12
        });
        if reacted {
            continue;
        }
        let cue_word = doc.slice(h.span).to_ascii_lowercase();
        let noun = matches!(
            cue_word.as_str(),
            "proposal"
                | "proposals"
                | "peace plan"
                | "call for"
                | "claims"
                | "claim"
                | "demands"
                | "allegations"
                | "allegation"
        );
        let coordinated =
            word_before(text, sent, h.span.start()).is_some_and(|w| one_of(w, &["and", "but"]));
        let source_here = quote.and_then(|q| q.speaker).or_else(|| {
            if noun {
                possessive_before(text, entities, sent, h.span.start())
            } else if coordinated {
                // "X said … and accused Y of …": the subject of the first verb.
                sentence_subject(text, entities, sent, h.span.start())
            } else {
                subject_before(text, entities, sent, h.span.start())
            }
        });
        // "X said …, a claim that could not be verified": the claim is X's statement.
        if noun && source_here.is_none() {
            if let Some((src, gist)) = appositive_claim(doc, entities, sent, aux, h) {
                push(claims, Some(src), gist, "claim", 0.7);
                continue;
            }
        }
        let (source, gist) = if kind == "position" {
            match thatverb.filter(|t| t.span.end <= h.span.start) {
                Some(t) => (
                    subject_before(text, entities, sent, t.span.start()),
                    that_gist(text, sent, t.span),
                ),
                None => {
                    // "Kyiv will never recognise …": from the subject to the clause end.
                    let cs = clause_start(text, sent, h.span.start());
                    let from = source_here
                        .and_then(|e| {
                            entities
                                .mentions_in(Span::new(cs, h.span.start()))
                                .filter(|m| m.entity == e)
                                .last()
                        })
                        .map_or(cs, |m| m.span.start());
                    (
                        source_here,
                        Some(trim(
                            text,
                            Span::new(from, clause_end(text, sent, h.span.end())),
                        )),
                    )
                }
            }
        } else {
            if noun && source_here.is_none() {
                continue;
            }
            let g = that_gist(text, sent, h.span)
                .filter(|_| !noun)
                .unwrap_or_else(|| {
                    trim(
                        text,
                        Span::new(h.span.end(), clause_end(text, sent, h.span.end())),
                    )
                });
            (source_here, Some(g))
        };
        let Some(gist) = gist else { continue };
        if kind == "position" && claims[first..].iter().any(|c| c.kind == "position") {
            continue;
        }
        push(
            claims,
            source.or(source_here),
            gist,
            kind,
            if source.is_some() { 0.75 } else { 0.55 },
        );
    }
}

/// "X said …, a claim that …": the speaker of the statement the noun `h` stands in
/// apposition to, and that statement (from the speech verb to the comma).
fn appositive_claim(
    doc: &DocView,
    entities: &Entities,
    sent: Span,
    aux: &[Hit],
    h: &Hit,
) -> Option<(EntityIdx, Span)> {
    let text = doc.text;
    let before = text.get(sent.start()..h.span.start())?.trim_end();
    let lead = before
        .strip_suffix(" a")
        .or_else(|| before.strip_suffix(" an"))?
        .trim_end();
    if !lead.ends_with(',') {
        return None;
    }
    let comma = sent.start() + lead.len() - 1;
    let speech = aux
        .iter()
        .rev()
        .find(|s| s.row.class == "speech" && s.span.end() <= comma)?;
    let src = subject_before(text, entities, sent, speech.span.start())?;
    let mut from = speech.span.end();
    if let Some((sp, _)) = words(text, Span::new(from, comma))
        .first()
        .filter(|(_, w)| w.eq_ignore_ascii_case("that"))
    {
        from = sp.end();
    }
    let gist = trim(text, Span::new(from, comma));
    (!gist.is_empty()).then_some((src, gist))
}

/// Reactions in one sentence, linked to the claims they answer.
#[allow(clippy::too_many_arguments)]
fn sentence_reactions(
    doc: &DocView,
    entities: &Entities,
    quotes: &[QuoteFact],
    sent: Span,
    aux: &[Hit],
    first_new: usize,
    topics: &[Vec<String>],
    statements: &mut [Statement],
    claims: &mut Vec<ClaimFact>,
) {
    let text = doc.text;
    let mut done: Vec<(usize, Option<EntityIdx>)> = Vec::new();
    for h in aux {
        let quote = quotes
            .iter()
            .find(|q| q.span.contains(h.span) || q.span.overlaps(h.span));
        let stance: &'static str = match h.row.class {
            "reaction" => {
                if quote.is_some_and(|q| q.direct && !q.fragment) {
                    continue;
                }
                h.row.a
            }
            "stance" => {
                // Only inside a direct quote ("fake", "baseless"), or after "as".
                let after_as = words(text, Span::new(sent.start(), h.span.start()))
                    .last()
                    .is_some_and(|(_, w)| w.eq_ignore_ascii_case("as"));
                if !(quote.is_some_and(|q| q.direct) || after_as) {
                    continue;
                }
                "deny"
            }
            _ => continue,
        };
        let word = doc.slice(h.span).to_ascii_lowercase();
        if word == "despite" || word == "in spite of" {
            // "Despite X's call for a truce, …" contradicts that claim, said by the main
            // clause's subject.
            let Some(k) = (first_new..claims.len()).find(|&k| {
                claims[k].gist.start >= h.span.end && claims[k].gist.start - h.span.end <= 40
            }) else {
                continue;
            };
            let main = clause_end(text, sent, h.span.end());
            let by = subject_before(text, entities, sent, reaction_verb_after(text, sent, main))
                .filter(|e| Some(*e) != claims[k].source);
            add_reaction(claims, &mut done, k, by, "contradict", sent);
            continue;
        }
        // "could not be independently verified" confirms nothing.
        if stance == "confirm"
            && words(text, Span::new(sent.start(), h.span.start()))
                .iter()
                .rev()
                .take(4)
                .any(|(_, w)| one_of(w, &["not", "never", "cannot", "unable", "no"]))
        {
            continue;
        }
        let by = quote
            .and_then(|q| q.speaker)
            .or_else(|| subject_before(text, entities, sent, h.span.start()))
            .or_else(|| coordinated_speaker(text, quotes, sent, h.span));
        // What the reaction's object names: "the report", "any proposal".
        let object = hits_in(
            aux,
            Span::new(h.span.end(), (h.span.end() + 30).min(sent.end())),
        )
        .iter()
        .find(|o| o.row.class == "noun")
        .map(|o| o.row.a);
        let topic = topic_words(text, Span::new(h.span.end(), sent.end()));
        // An earlier statement this reaction answers: "denied that account" (any
        // statement by someone else), "denied targeting civilians" (one reporting an
        // attack).
        let object_clause = Span::new(h.span.end(), clause_end(text, sent, h.span.end()));
        let answers_statement = h.row.class == "reaction"
            && matches!(stance, "deny" | "reject" | "contradict")
            && word != "despite"
            && word != "in spite of";
        let about_attack = answers_statement
            && (hits_in(aux, object_clause)
                .iter()
                .any(|o| o.row.class == "harm")
                || !find_triggers(text, object_clause).is_empty());
        // Whose account: "the Houthi account", "the army's account".
        let owner = hits_in(
            aux,
            Span::new(h.span.end(), (h.span.end() + 30).min(sent.end())),
        )
        .iter()
        .find(|o| o.row.class == "noun")
        .and_then(|o| {
            entities
                .mentions_in(Span::new(h.span.end(), o.span.start()))
                .last()
                .map(|m| m.entity)
        });
        let statement = by
            .filter(|_| answers_statement && (object == Some("account") || about_attack))
            .and_then(|who| {
                let fits = |st: &Statement| {
                    st.source != who
                        && st.sent.end <= sent.start
                        && (object == Some("account") || st.attack)
                };
                owner
                    .and_then(|o| {
                        statements
                            .iter()
                            .rposition(|st| fits(st) && (st.source == o || st.named.contains(&o)))
                    })
                    .or_else(|| statements.iter().rposition(fits))
            });
        let own = (first_new..claims.len())
            .find(|&k| claims[k].gist.start <= h.span.start || stance == "contradict")
            .filter(|&k| claims[k].source != by || by.is_none());
        let topical = || {
            (first_new.saturating_sub(LOOKBACK)..first_new)
                .rev()
                .find(|&k| topics.get(k).is_some_and(|t| overlap(&topic, t)))
        };
        if own.is_none() {
            if let Some(i) = statement {
                let st_start = statements[i].sent.start;
                // The statement wins over an older claim on the same topic.
                let newer = match topical() {
                    Some(k) => claims[k].evidence.first().map_or(0, |e| e.start) < st_start,
                    None => true,
                };
                if newer {
                    let k = match statements[i].claim {
                        Some(k) => k,
                        None => {
                            let st = &statements[i];
                            claims.push(ClaimFact {
                                source: Some(st.source),
                                gist: st.gist,
                                kind: "claim",
                                confidence: 0.65,
                                evidence: vec![st.sent],
                                reactions: Vec::new(),
                            });
                            statements[i].claim = Some(claims.len() - 1);
                            claims.len() - 1
                        }
                    };
                    add_reaction(claims, &mut done, k, by, stance, sent);
                    continue;
                }
            }
        }
        let target = own
            .or_else(|| {
                object.and_then(|kind| {
                    (first_new.saturating_sub(LOOKBACK)..first_new)
                        .rev()
                        .find(|&k| {
                            compatible_kind(claims[k].kind, kind)
                                && (kind != "proposal"
                                    || topics.get(k).is_some_and(|t| overlap(&topic, t))
                                    || claims[k].kind == "proposal")
                        })
                })
            })
            .or_else(topical)
            .or_else(|| {
                // "the army confirmed the attack": the latest claim that tells one, by
                // someone else.
                let confirms_attack = stance == "confirm"
                    && !find_triggers(text, object_clause).is_empty()
                    && !confirms_that(text, h.span);
                if !confirms_attack {
                    return None;
                }
                (first_new.saturating_sub(LOOKBACK)..first_new)
                    .rev()
                    .find(|&k| {
                        claims[k].source != by && !find_triggers(text, claims[k].gist).is_empty()
                    })
            });
        match target {
            // A source that "confirmed that …" after its own claim goes on stating; it
            // does not answer itself.
            Some(k)
                if stance == "confirm"
                    && confirms_that(text, h.span)
                    && claims[k].source.is_some()
                    && (claims[k].source == by
                        || by.is_none() && reported_speaker(quotes, sent) == claims[k].source) => {}
            Some(k) => add_reaction(claims, &mut done, k, by, stance, sent),
            None if matches!(stance, "deny" | "reject") && h.row.class == "reaction" => {
                // Nothing to answer: the object is the claim ("denied striking the hospital").
                let gist = trim(
                    text,
                    Span::new(h.span.end(), clause_end(text, sent, h.span.end())),
                );
                if word_count(text, gist) >= 2 {
                    // "Rwanda, which UN experts say has sent troops, denies …": the
                    // relative clause is the accusation and names its source.
                    let (source, gist) = relative_accusation(text, entities, sent, aux, h)
                        .filter(|(src, _)| Some(*src) != by)
                        .map_or((None, gist), |(src, g)| (Some(src), g));
                    claims.push(ClaimFact {
                        source,
                        gist,
                        kind: "claim",
                        confidence: 0.5,
                        evidence: vec![sent],
                        reactions: vec![(by, stance, vec![sent])],
                    });
                    done.push((claims.len() - 1, by));
                }
            }
            None => {}
        }
    }
}

/// "X, which Y say(s) has …, denies …": Y and what Y says, from a speech verb right after
/// "which"/"who" plus a few words, before the reaction `h`.
fn relative_accusation(
    text: &str,
    entities: &Entities,
    sent: Span,
    aux: &[Hit],
    h: &Hit,
) -> Option<(EntityIdx, Span)> {
    let speech = aux
        .iter()
        .rev()
        .find(|s| s.row.class == "speech" && s.span.end <= h.span.start)?;
    let cs = clause_start(text, sent, speech.span.start());
    let lead = words(text, Span::new(cs, speech.span.start()));
    let relative = lead.len() <= 6
        && lead
            .first()
            .is_some_and(|(_, w)| one_of(w, &["which", "who", "whom"]));
    if !relative {
        return None;
    }
    let src = entities
        .mentions_in(Span::new(cs, speech.span.start()))
        .last()
        .map(|m| m.entity)?;
    let end = clause_end(text, sent, speech.span.end()).min(h.span.start());
    let gist = trim(text, Span::new(speech.span.end(), end));
    (word_count(text, gist) >= 2).then_some((src, gist))
}

/// Start of the first word after `from` (the verb position of a main clause).
fn reaction_verb_after(text: &str, sent: Span, from: usize) -> usize {
    // The subject is searched before the end of the main clause's first few words.
    let ws = words(text, Span::new(from, sent.end()));
    ws.iter()
        .find(|(_, w)| {
            one_of(
                w,
                &[
                    "told", "said", "says", "insisted", "argued", "warned", "noted", "stressed",
                ],
            )
        })
        .map_or_else(
            || ws.get(3).map_or(sent.end(), |(sp, _)| sp.start()),
            |(sp, _)| sp.start(),
        )
}

fn compatible_kind(claim: &str, named: &str) -> bool {
    claim == named
        || (named == "claim" && claim == "report")
        || (named == "proposal" && claim == "report")
}

/// Adds a reaction unless this reactor already answered this claim in the sentence.
fn add_reaction(
    claims: &mut [ClaimFact],
    done: &mut Vec<(usize, Option<EntityIdx>)>,
    k: usize,
    by: Option<EntityIdx>,
    stance: &'static str,
    sent: Span,
) {
    if done.contains(&(k, by)) {
        return;
    }
    done.push((k, by));
    if let Some(c) = claims.get_mut(k) {
        c.reactions.push((by, stance, vec![sent]));
    }
}

/// Topic words: lowercased stems (first five letters) of words of four letters or more.
fn topic_words(text: &str, span: Span) -> Vec<String> {
    let mut out: Vec<String> = words(text, span)
        .into_iter()
        .map(|(_, w)| strip_possessive(w).to_lowercase())
        .filter(|w| w.chars().count() >= 4 && !STOP.contains(&w.as_str()))
        .map(|w| w.chars().take(5).collect())
        .collect();
    out.sort_unstable();
    out.dedup();
    out
}

fn overlap(a: &[String], b: &[String]) -> bool {
    a.iter().any(|w| b.binary_search(w).is_ok())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extract::test_fixtures::Fx;

    fn run(fx: &Fx, quotes: &[QuoteFact]) -> Vec<ClaimFact> {
        let cs = find_claims(&fx.doc(), &fx.entities, quotes);
        for c in &cs {
            assert!(c.gist.is_valid_in(&fx.text) && !c.gist.is_empty());
            assert!(c
                .evidence
                .iter()
                .chain(c.reactions.iter().flat_map(|r| r.2.iter()))
                .all(|s| s.is_valid_in(&fx.text)));
        }
        cs
    }

    fn quote(fx: &Fx, words: &str, speaker: EntityIdx, fragment: bool) -> QuoteFact {
        let span = fx.find(words)[0];
        QuoteFact {
            span,
            speaker: Some(speaker),
            unnamed: None,
            candidates: Vec::new(),
            direct: true,
            fragment,
            cue: None,
            channel: None,
            time: None,
            evidence: Vec::new(),
        }
    }

    #[test]
    fn newspaper_report_denied_and_proposal_rejected() {
        let mut fx = Fx::new(
            "The move follows reports\u{2014}first carried by the Daily Courier\u{2014}that Israel may accept a \
             phased withdrawal from Gaza in exchange for the release of all hostages. Hamas spokesman Omar Said \
             dismissed the report as \u{201C}baseless,\u{201D} and Prime Minister Netanyahu flatly rejected any \
             proposal that would end the war in Gaza before the hostages return.",
        );
        let paper = fx.entity("Daily Courier", EntityKind::Organisation, None);
        let said = fx.entity("Omar Said", EntityKind::Person, Some("PS"));
        let bibi = fx.entity("Netanyahu", EntityKind::Person, Some("IL"));
        fx.entity("Israel", EntityKind::Country, Some("IL"));
        let q = quote(&fx, "baseless", said, true);
        let cs = run(&fx, &[q]);
        assert_eq!(cs.len(), 1, "{cs:#?}");
        let c = &cs[0];
        assert_eq!((c.kind, c.source), ("report", Some(paper)));
        assert!(
            fx.doc().slice(c.gist).starts_with("Israel may accept"),
            "{:?}",
            fx.doc().slice(c.gist)
        );
        assert!(fx.doc().slice(c.gist).ends_with("all hostages"));
        let r: Vec<_> = c.reactions.iter().map(|r| (r.0, r.1)).collect();
        assert_eq!(r, vec![(Some(said), "deny"), (Some(bibi), "reject")]);
    }

    #[test]
    fn a_call_for_a_truce_contradicted() {
        let mut fx = Fx::new(
            "Despite Kagame\u{2019}s call for a humanitarian pause, UN envoy Maria Lind told the Security Council there \
             was no sign the fighting had eased.",
        );
        let kagame = fx.entity("Kagame", EntityKind::Person, Some("RW"));
        let lind = fx.entity("Maria Lind", EntityKind::Person, None);
        fx.entity("Security Council", EntityKind::Organisation, None);
        let cs = run(&fx, &[]);
        assert_eq!(cs.len(), 1, "{cs:#?}");
        assert_eq!((cs[0].kind, cs[0].source), ("proposal", Some(kagame)));
        assert_eq!(fx.doc().slice(cs[0].gist), "a humanitarian pause");
        assert_eq!(
            cs[0]
                .reactions
                .iter()
                .map(|r| (r.0, r.1))
                .collect::<Vec<_>>(),
            vec![(Some(lind), "contradict")]
        );
    }

    #[test]
    fn positions_and_red_lines() {
        let mut fx = Fx::new(
            "Anil Rao, a spokesman for the Indian foreign ministry, reiterated that Delhi would not compromise on \
             what it called core security interests. Pakistan will never accept a change to the status of the \
             river treaty.",
        );
        let rao = fx.entity("Anil Rao", EntityKind::Person, Some("IN"));
        fx.entity("Indian", EntityKind::Country, Some("IN"));
        let pk = fx.entity("Pakistan", EntityKind::Country, Some("PK"));
        let cs = run(&fx, &[]);
        assert_eq!(cs.len(), 2, "{cs:#?}");
        assert_eq!((cs[0].kind, cs[0].source), ("position", Some(rao)));
        assert!(fx
            .doc()
            .slice(cs[0].gist)
            .starts_with("Delhi would not compromise"));
        assert_eq!((cs[1].kind, cs[1].source), ("position", Some(pk)));
        assert_eq!(
            fx.doc().slice(cs[1].gist),
            "Pakistan will never accept a change to the status of the river treaty"
        );
    }

    #[test]
    fn the_subject_of_a_denial_is_shared_with_a_following_said() {
        // "the command" is no named mention; the quote stage resolved it for "said".
        let mut fx = Fx::new(
            "Port officials said the strikes killed 30 dock workers. Central Command \
             said its aircraft hit fuel tanks. In a statement, the command denied targeting \
             civilians and said the port was used to bring in weapons.",
        );
        let centcom = fx.entity("Central Command", EntityKind::Organisation, Some("US"));
        let said = fx.find("said the port")[0];
        let reported = QuoteFact {
            span: fx.find("the port was used to bring in weapons")[0],
            speaker: Some(centcom),
            unnamed: None,
            candidates: Vec::new(),
            direct: false,
            fragment: false,
            cue: Some(Span::new(said.start(), said.start() + 4)),
            channel: None,
            time: None,
            evidence: Vec::new(),
        };
        let cs = run(&fx, &[reported]);
        let denials: Vec<Option<EntityIdx>> = cs
            .iter()
            .flat_map(|c| c.reactions.iter())
            .filter(|r| r.1 == "deny")
            .map(|r| r.0)
            .collect();
        assert_eq!(denials, vec![Some(centcom)], "{cs:#?}");
    }

    #[test]
    fn a_denied_attack_is_a_claim_with_a_denial() {
        let mut fx = Fx::new("Russia denied striking the children's hospital in Kyiv.");
        let ru = fx.entity("Russia", EntityKind::Country, Some("RU"));
        let cs = run(&fx, &[]);
        assert_eq!(cs.len(), 1);
        assert_eq!(
            fx.doc().slice(cs[0].gist),
            "striking the children's hospital in Kyiv"
        );
        assert_eq!(
            cs[0].reactions,
            vec![(Some(ru), "deny", vec![fx.doc().sentence_span(0)])]
        );
    }

    #[test]
    fn claims_with_sources_and_later_confirmation() {
        let mut fx = Fx::new(
            "The army claimed that M23 rebels had seized the airport. Two days later the rebel group confirmed \
             that its fighters held the airport.",
        );
        let army = fx.entity("army", EntityKind::Organisation, Some("CD"));
        let cs = run(&fx, &[]);
        assert_eq!(cs.len(), 1, "{cs:#?}");
        assert_eq!((cs[0].kind, cs[0].source), ("claim", Some(army)));
        assert_eq!(
            cs[0].reactions.iter().map(|r| r.1).collect::<Vec<_>>(),
            vec!["confirm"]
        );
    }

    #[test]
    fn a_source_confirming_that_goes_on_stating_its_own_account() {
        let mut fx = Fx::new(
            "Army spokesman Ali Omar said the army had pushed back a rebel assault on Kadugli. \
             The spokesman also confirmed that the rebels shelled a clinic in the town, killing four.",
        );
        let omar = fx.entity("Ali Omar", EntityKind::Person, Some("SD"));
        let mut second = quote(
            &fx,
            "the rebels shelled a clinic in the town, killing four",
            omar,
            false,
        );
        second.direct = false;
        let cs = run(&fx, &[second]);
        let got: Vec<_> = cs
            .iter()
            .map(|c| {
                (
                    c.source,
                    crate::walk::span_text(&fx.text, c.gist),
                    c.reactions.len(),
                )
            })
            .collect();
        assert_eq!(
            got,
            [
                (
                    Some(omar),
                    "the army had pushed back a rebel assault on Kadugli",
                    0
                ),
                (
                    Some(omar),
                    "the rebels shelled a clinic in the town, killing four",
                    0
                ),
            ]
        );
    }

    #[test]
    fn a_quoted_account_of_an_attack_is_the_speakers_claim_once() {
        let mut fx = Fx::new(
            "\u{201C}This morning rebel drones bombed the market in Kalehe. Three people died,\u{201D} \
             the governor said. \u{201C}Rebel artillery kept shelling the town all day,\u{201D} he added. \u{201C}Towns \
             are bombed every night,\u{201D} a resident said.",
        );
        let gov = fx.entity("governor", EntityKind::Person, Some("CD"));
        let resident = fx.entity("resident", EntityKind::Person, None);
        let q1 = quote(
            &fx,
            "This morning rebel drones bombed the market in Kalehe. Three people died,",
            gov,
            false,
        );
        let q2 = quote(
            &fx,
            "Rebel artillery kept shelling the town all day,",
            gov,
            false,
        );
        let q3 = quote(&fx, "Towns are bombed every night,", resident, false);
        let cs = run(&fx, &[q1, q2, q3]);
        assert_eq!(cs.len(), 1, "{cs:#?}");
        assert_eq!((cs[0].source, cs[0].evidence.len()), (Some(gov), 2));
    }

    #[test]
    fn confirming_the_attack_answers_the_latest_account_of_one() {
        let mut fx = Fx::new(
            "A drone hit a car near Tyre, killing two men, the health ministry said. The car \
             burned for an hour. Later the army confirmed the attack, saying it had targeted a \
             commander.",
        );
        let ministry = fx.entity("health ministry", EntityKind::Organisation, Some("LB"));
        let army = fx.entity("army", EntityKind::Organisation, Some("IL"));
        let cs = run(&fx, &[]);
        assert_eq!(cs.len(), 1, "{cs:#?}");
        assert_eq!(cs[0].source, Some(ministry));
        let reactions: Vec<_> = cs[0].reactions.iter().map(|r| (r.0, r.1)).collect();
        assert_eq!(reactions, [(Some(army), "confirm")]);
    }

    #[test]
    fn a_participle_claim_is_the_main_clauses_subjects() {
        let mut fx = Fx::new(
            "The army admitted the raid on Sunday, claiming that it had hit a weapons store.",
        );
        let army = fx.entity("army", EntityKind::Organisation, Some("IL"));
        let cs = run(&fx, &[]);
        let got: Vec<_> = cs
            .iter()
            .map(|c| (c.source, crate::walk::span_text(&fx.text, c.gist)))
            .collect();
        assert_eq!(got, [(Some(army), "it had hit a weapons store")]);
    }

    #[test]
    fn reaction_verbs_inside_quotes_are_not_reactions() {
        let mut fx = Fx::new(
            "\u{201C}He has rejected every ceasefire offered to him,\u{201D} the minister said.",
        );
        let m = fx.entity("minister", EntityKind::Person, None);
        let q = quote(
            &fx,
            "He has rejected every ceasefire offered to him,",
            m,
            false,
        );
        assert!(run(&fx, &[q]).is_empty());
        for text in [
            "",
            "denied",
            "report that",
            "according to",
            "Despite",
            "\u{201C}fake\u{201D}",
        ] {
            let _ = run(&Fx::new(text), &[]);
        }
    }

    #[test]
    fn the_source_of_a_toll_and_unsourced_unanswered_claims_are_not_kept() {
        let mut fx = Fx::new(
            "An airstrike on a market in Rafah killed nine people, according to Al-Noor Hospital. \
             According to state media, the envoy would arrive on Friday.",
        );
        fx.entity("Al-Noor Hospital", EntityKind::Organisation, None);
        let cs = run(&fx, &[]);
        assert!(cs.is_empty(), "{cs:#?}");
        // Answered, the same report is a claim.
        let mut fx = Fx::new(
            "An airstrike on a market in Rafah killed nine people, according to Al-Noor Hospital. \
             The army denied the report.",
        );
        fx.entity("Al-Noor Hospital", EntityKind::Organisation, None);
        fx.entity("army", EntityKind::Organisation, Some("IL"));
        let cs = run(&fx, &[]);
        assert_eq!(cs.len(), 1, "{cs:#?}");
        assert_eq!(cs[0].reactions[0].1, "deny");
    }

    #[test]
    fn a_statement_answered_by_a_denial_of_that_account_is_a_claim() {
        let mut fx = Fx::new(
            "The border police said that smugglers had opened fire on a patrol near the river crossing. \
             The Freedom Front denied that account.",
        );
        let police = fx.entity("border police", EntityKind::Organisation, None);
        let front = fx.entity("Freedom Front", EntityKind::Organisation, None);
        let cs = run(&fx, &[]);
        assert_eq!(cs.len(), 1, "{cs:#?}");
        assert_eq!(cs[0].source, Some(police));
        assert!(fx
            .doc()
            .slice(cs[0].gist)
            .starts_with("smugglers had opened fire"));
        let r: Vec<_> = cs[0].reactions.iter().map(|r| (r.0, r.1)).collect();
        assert_eq!(r, vec![(Some(front), "deny")]);
    }

    #[test]
    fn a_denied_attack_answers_the_latest_statement_reporting_it() {
        let mut fx = Fx::new(
            "Shells fell on the town of Tarin overnight, killing four civilians, according to residents. \
             The Valley Council said drones struck a school and a water station in the town. \
             The Northern Brigade denied targeting civilians.",
        );
        let council = fx.entity("Valley Council", EntityKind::Organisation, None);
        let brigade = fx.entity("Northern Brigade", EntityKind::Organisation, None);
        let cs = run(&fx, &[]);
        assert_eq!(cs.len(), 1, "{cs:#?}");
        assert_eq!(cs[0].source, Some(council));
        let r: Vec<_> = cs[0].reactions.iter().map(|r| (r.0, r.1)).collect();
        assert_eq!(r, vec![(Some(brigade), "deny")]);
    }

    #[test]
    fn plain_statements_and_own_statements_are_not_claims() {
        let mut fx = Fx::new(
            "The governor said that the bridge would reopen on Monday. \
             The governor later denied that account.",
        );
        fx.entity("governor", EntityKind::Person, None);
        let cs = run(&fx, &[]);
        assert!(cs.iter().all(|c| c.source.is_none()), "{cs:#?}");
        let mut fx = Fx::new("The governor said that the bridge would reopen on Monday.");
        fx.entity("governor", EntityKind::Person, None);
        assert!(run(&fx, &[]).is_empty());
    }

    #[test]
    fn a_sides_account_of_an_attack_is_a_claim_answered_or_not() {
        let mut fx = Fx::new(
            "The army said the militia shelled a clinic in the north on Sunday. \
             The militia said the strike showed the army was losing. \
             The navy said no ship had been hit.",
        );
        let army = fx.entity("army", EntityKind::Organisation, None);
        fx.entity("militia", EntityKind::Organisation, None);
        fx.entity("navy", EntityKind::Organisation, None);
        let cs = run(&fx, &[]);
        // Only the first tells an attack: the second points back to it, the third denies.
        assert_eq!(cs.len(), 1, "{cs:#?}");
        assert_eq!(cs[0].source, Some(army));
        assert_eq!(cs[0].kind, "claim");
        assert_eq!(
            fx.doc().slice(cs[0].gist),
            "the militia shelled a clinic in the north on Sunday"
        );
    }

    #[test]
    fn a_denial_without_a_source_joins_the_sourced_claim_it_answers() {
        let mut fx = Fx::new(
            "The army denied that the militia had seized the northern state capital. \
             The militia claimed that it had seized the northern state capital on Friday.",
        );
        let army = fx.entity("army", EntityKind::Organisation, None);
        let militia = fx.entity("militia", EntityKind::Organisation, None);
        let cs = run(&fx, &[]);
        assert_eq!(cs.len(), 1, "{cs:#?}");
        assert_eq!(cs[0].source, Some(militia));
        assert_eq!(cs[0].reactions[0].0, Some(army));
        assert_eq!(cs[0].reactions[0].1, "deny");
    }

    #[test]
    fn coordinated_accusations_and_appositive_claims_keep_the_speaker() {
        let mut fx = Fx::new(
            "The interior ministry said its units had cleared a checkpoint and accused the rebels of \
             shelling a clinic. A rebel spokesman, Tomas Reyes, said the army had lost two helicopters, \
             a claim that could not be verified.",
        );
        let ministry = fx.entity("interior ministry", EntityKind::Organisation, None);
        fx.entity("rebels", EntityKind::Organisation, None);
        let reyes = fx.entity("Tomas Reyes", EntityKind::Person, None);
        fx.entity("army", EntityKind::Organisation, None);
        let cs = run(&fx, &[]);
        assert_eq!(cs.len(), 2, "{cs:#?}");
        assert_eq!(cs[0].source, Some(ministry));
        assert_eq!(cs[1].source, Some(reyes));
        assert_eq!(
            fx.doc().slice(cs[1].gist),
            "the army had lost two helicopters"
        );
    }

    #[test]
    fn a_named_account_answers_that_speakers_statement() {
        let mut fx = Fx::new(
            "A Lion Brigade spokesman said the convoy had been destroyed near the pass. \
             The monitoring agency said the drivers were safe. \
             The transport firm disputed the Lion Brigade account, saying the trucks were intact. \
             The spokesman said the fighting could not be verified.",
        );
        let lions = fx.entity("Lion Brigade", EntityKind::Organisation, None);
        fx.entity("monitoring agency", EntityKind::Organisation, None);
        let firm = fx.entity("transport firm", EntityKind::Organisation, None);
        let cs = run(&fx, &[]);
        assert_eq!(cs.len(), 1, "{cs:#?}");
        assert_eq!(cs[0].source, Some(lions));
        assert!(fx
            .doc()
            .slice(cs[0].gist)
            .starts_with("the convoy had been destroyed"));
        let r: Vec<_> = cs[0].reactions.iter().map(|r| (r.0, r.1)).collect();
        assert_eq!(r, vec![(Some(firm), "contradict")]);
    }

    #[test]
    fn the_quote_stage_names_the_speaker_of_a_pronoun_statement() {
        let mut fx = Fx::new(
            "The coast guard gave few details. It said a patrol boat had been hit by a rocket off the \
             cape. The rebel command denied that account.",
        );
        let guard = fx.entity("coast guard", EntityKind::Organisation, None);
        let rebels = fx.entity("rebel command", EntityKind::Organisation, None);
        let mut q = quote(
            &fx,
            "a patrol boat had been hit by a rocket off the cape",
            guard,
            false,
        );
        q.direct = false;
        let cs = run(&fx, &[q]);
        assert_eq!(cs.len(), 1, "{cs:#?}");
        assert_eq!(cs[0].source, Some(guard));
        assert_eq!(
            fx.doc().slice(cs[0].gist),
            "a patrol boat had been hit by a rocket off the cape"
        );
        let r: Vec<_> = cs[0].reactions.iter().map(|r| (r.0, r.1)).collect();
        assert_eq!(r, vec![(Some(rebels), "deny")]);
    }

    #[test]
    fn a_relative_clause_names_the_accuser_of_a_denial() {
        let mut fx = Fx::new(
            "Valoria, which NATO officials say has moved artillery to the frontier, denies planning \
             an offensive.",
        );
        let valoria = fx.entity("Valoria", EntityKind::Country, Some("VL"));
        let nato = fx.entity("NATO", EntityKind::Organisation, None);
        let cs = run(&fx, &[]);
        assert_eq!(cs.len(), 1, "{cs:#?}");
        assert_eq!(cs[0].source, Some(nato));
        assert_eq!(
            fx.doc().slice(cs[0].gist),
            "has moved artillery to the frontier"
        );
        assert_eq!(cs[0].reactions[0].0, Some(valoria));
        assert_eq!(cs[0].reactions[0].1, "deny");
    }

    #[test]
    fn blaming_and_claiming_responsibility_are_claims() {
        let mut fx = Fx::new(
            "The interior ministry blamed the ambush on a rebel faction. Later a second group \
             claimed responsibility for the bombing of the depot.",
        );
        let ministry = fx.entity("interior ministry", EntityKind::Organisation, None);
        let group = fx.entity("second group", EntityKind::Organisation, None);
        let cs = run(&fx, &[]);
        let sources: Vec<_> = cs.iter().map(|c| c.source).collect();
        assert_eq!(sources, vec![Some(ministry), Some(group)], "{cs:#?}");
    }
}
