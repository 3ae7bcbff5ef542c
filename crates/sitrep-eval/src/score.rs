//! Scoring a `sitrep/1` record against a gold file, fact type by fact type.
//!
//! Each gold fact is paired with at most one predicted fact of the same type by a key
//! (a person's name, a quote's opening words, an attack's place, a meeting's venue, a
//! claim's source). A pair is *found* when the key matches and *correct* when the
//! attributes the gold states also match (title and side; speaker and date; killed,
//! wounded and date; status; reactions). Precision is correct / predicted, recall is
//! correct / gold.

use std::collections::HashMap;

use serde::Serialize;
use sitrep_core::record::{Entity, EntityKind, Place, Record};

use crate::gold::Gold;
use crate::names::{fold, names_match, org_names_match, place_names_match, titles_match};

/// Counts for one fact type.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct TypeScore {
    /// Facts in the gold file.
    pub gold: usize,
    /// Facts the record has.
    pub predicted: usize,
    /// Gold facts whose key matched a predicted fact.
    pub found: usize,
    /// Gold facts matched with every stated attribute right.
    pub correct: usize,
    /// One line per gold fact that was missed or wrong, saying why.
    pub misses: Vec<String>,
    /// Attribute by attribute, over the found facts whose gold states it: how often the
    /// prediction has it right ("killed" of attacks, "title" of persons…), in the order
    /// the scorer checks them.
    pub attributes: Vec<AttributeScore>,
}

/// How often one attribute is right among found facts whose gold states it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct AttributeScore {
    /// The attribute's name ("date", "killed", "speaker"…).
    pub name: &'static str,
    /// Found facts whose gold states the attribute.
    pub checked: usize,
    /// Of those, the ones the prediction has right.
    pub right: usize,
}

impl AttributeScore {
    /// right / checked (1 when nothing was checked).
    pub fn rate(&self) -> f64 {
        ratio(self.right, self.checked, true)
    }
}

/// One attribute of a found fact compared with its gold: `Err` says what was wrong.
type Check = (&'static str, Result<(), String>);

/// Attributes reported but not required for a fact to count as correct: an attack's
/// site is free text that gold files describe in their own words.
const REPORTED_ONLY: &[&str] = &["site"];

impl TypeScore {
    /// correct / predicted (1 when nothing was predicted and nothing was expected).
    pub fn precision(&self) -> f64 {
        ratio(self.correct, self.predicted, self.gold == 0)
    }

    /// correct / gold (1 when the gold has none).
    pub fn recall(&self) -> f64 {
        ratio(self.correct, self.gold, true)
    }

    /// Harmonic mean of precision and recall.
    pub fn f1(&self) -> f64 {
        let (p, r) = (self.precision(), self.recall());
        if p + r == 0.0 {
            0.0
        } else {
            2.0 * p * r / (p + r)
        }
    }

    /// Adds another document's counts to these.
    pub fn add(&mut self, other: &TypeScore, label: &str) {
        self.gold += other.gold;
        self.predicted += other.predicted;
        self.found += other.found;
        self.correct += other.correct;
        self.misses
            .extend(other.misses.iter().map(|m| format!("{label}: {m}")));
        for a in &other.attributes {
            self.tally(a.name, a.checked, a.right);
        }
    }

    fn tally(&mut self, name: &'static str, checked: usize, right: usize) {
        match self.attributes.iter_mut().find(|a| a.name == name) {
            Some(a) => {
                a.checked += checked;
                a.right += right;
            }
            None => self.attributes.push(AttributeScore {
                name,
                checked,
                right,
            }),
        }
    }
}

fn ratio(num: usize, den: usize, empty_is_perfect: bool) -> f64 {
    if den == 0 {
        if empty_is_perfect {
            1.0
        } else {
            0.0
        }
    } else {
        num as f64 / den as f64
    }
}

/// The fact types that are scored, in report order.
pub const FACT_TYPES: [&str; 6] = [
    "persons", "places", "quotes", "attacks", "meetings", "claims",
];

/// Scores of one document (or the sum over many), by fact type.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Scores {
    /// Per fact type, in [`FACT_TYPES`] order.
    pub by_type: Vec<(String, TypeScore)>,
}

impl Scores {
    /// The score of one fact type.
    pub fn get(&self, fact: &str) -> Option<&TypeScore> {
        self.by_type
            .iter()
            .find(|(name, _)| name == fact)
            .map(|(_, s)| s)
    }

    /// Micro-average over all fact types.
    pub fn overall(&self) -> TypeScore {
        let mut total = TypeScore::default();
        for (_, s) in &self.by_type {
            total.gold += s.gold;
            total.predicted += s.predicted;
            total.found += s.found;
            total.correct += s.correct;
        }
        total
    }

    /// Adds another document's scores to these.
    pub fn add(&mut self, other: &Scores, label: &str) {
        for (name, score) in &other.by_type {
            match self.by_type.iter_mut().find(|(n, _)| n == name) {
                Some((_, mine)) => mine.add(score, label),
                None => {
                    let mut fresh = TypeScore::default();
                    fresh.add(score, label);
                    self.by_type.push((name.clone(), fresh));
                }
            }
        }
    }
}

/// Scores one record against its gold file.
pub fn score(gold: &Gold, record: &Record) -> Scores {
    let view = RecordView::new(record);
    let by_type = vec![
        ("persons".to_owned(), score_persons(gold, &view)),
        ("places".to_owned(), score_places(gold, &view)),
        ("quotes".to_owned(), score_quotes(gold, &view)),
        ("attacks".to_owned(), score_attacks(gold, &view)),
        ("meetings".to_owned(), score_meetings(gold, &view)),
        ("claims".to_owned(), score_claims(gold, &view)),
    ];
    Scores { by_type }
}

/// Id lookups over a record.
struct RecordView<'a> {
    record: &'a Record,
    entities: HashMap<&'a str, &'a Entity>,
    places: HashMap<&'a str, &'a Place>,
}

impl<'a> RecordView<'a> {
    fn new(record: &'a Record) -> Self {
        RecordView {
            record,
            entities: record.entities.iter().map(|e| (e.id.as_str(), e)).collect(),
            places: record.places.iter().map(|p| (p.id.as_str(), p)).collect(),
        }
    }

    /// The name an id stands for: an entity's or place's name, or the id itself
    /// (ISO codes are used directly as participants).
    fn name_of(&self, id: &str) -> String {
        if let Some(e) = self.entities.get(id) {
            return e.name.clone();
        }
        if let Some(p) = self.places.get(id) {
            return p.name.clone();
        }
        id.to_owned()
    }

    /// True when the id (entity, place, or ISO code) names `gold`: a person by name,
    /// a country by name or code.
    fn id_is(&self, id: &str, gold: &str) -> bool {
        if let Some(e) = self.entities.get(id) {
            let code = e.affiliation.as_ref().and_then(|a| a.country.as_deref());
            let org = matches!(
                e.kind,
                EntityKind::Organisation | EntityKind::Group | EntityKind::Country
            );
            return names_match(gold, &e.name)
                || e.mentions.iter().any(|m| names_match(gold, &m.text))
                || (org
                    && (org_names_match(gold, &e.name)
                        || e.mentions.iter().any(|m| org_names_match(gold, &m.text))))
                || (e.kind == EntityKind::Country
                    && code.is_some_and(|c| c.eq_ignore_ascii_case(gold)));
        }
        names_match(gold, &self.name_of(id)) || id.eq_ignore_ascii_case(gold)
    }

    /// True when the place id names `gold`: by its gazetteer name or by how the text
    /// wrote it ("Zaporizhzhia" for GeoNames' "Zaporizhzhya").
    fn place_is(&self, id: &str, gold: &str) -> bool {
        match self.places.get(id) {
            Some(p) => {
                place_names_match(gold, &p.name)
                    || p.mentions.iter().any(|m| place_names_match(gold, &m.text))
            }
            None => false,
        }
    }
}

/// Pairs each gold item with the first unused prediction that `key` accepts, preferring
/// one whose `checks` all pass. Returns found and correct counts, attribute tallies and
/// misses.
fn pair<G, P>(
    gold: &[G],
    predicted: &[P],
    key: impl Fn(&G, &P) -> bool,
    checks: impl Fn(&G, &P) -> Vec<Check>,
    describe: impl Fn(&G) -> String,
) -> TypeScore {
    let mut used = vec![false; predicted.len()];
    let mut score = TypeScore {
        gold: gold.len(),
        predicted: predicted.len(),
        ..TypeScore::default()
    };
    let all_right = |c: &[Check]| {
        c.iter()
            .all(|(name, r)| r.is_ok() || REPORTED_ONLY.contains(name))
    };
    for g in gold {
        let candidates: Vec<usize> = (0..predicted.len())
            .filter(|&i| !used[i] && key(g, &predicted[i]))
            .collect();
        let chosen = candidates
            .iter()
            .copied()
            .find(|&i| all_right(&checks(g, &predicted[i])))
            .or(candidates.first().copied());
        let Some(i) = chosen else {
            score.misses.push(format!("{}: not found", describe(g)));
            continue;
        };
        used[i] = true;
        score.found += 1;
        let results = checks(g, &predicted[i]);
        for (name, r) in &results {
            score.tally(name, 1, usize::from(r.is_ok()));
        }
        if all_right(&results) {
            score.correct += 1;
        } else {
            let why: Vec<&str> = results
                .iter()
                .filter(|(name, _)| !REPORTED_ONLY.contains(name))
                .filter_map(|(_, r)| r.as_ref().err().map(String::as_str))
                .collect();
            score
                .misses
                .push(format!("{}: {}", describe(g), why.join("; ")));
        }
    }
    score
}

fn score_persons(gold: &Gold, view: &RecordView) -> TypeScore {
    let persons: Vec<&Entity> = view
        .record
        .entities
        .iter()
        .filter(|e| e.kind == EntityKind::Person && e.named)
        .collect();
    pair(
        &gold.persons,
        &persons,
        |g, e| {
            names_match(&g.name, &e.name)
                || e.mentions.iter().any(|m| names_match(&g.name, &m.text))
        },
        |g, e| {
            let mut checks = Vec::new();
            if let Some(title) = &g.title {
                let ok = e.titles.iter().any(|t| titles_match(title, t));
                checks.push((
                    "title",
                    expect(ok, || format!("title {:?}, expected {title:?}", e.titles)),
                ));
            }
            if let Some(side) = &g.affiliation {
                let got = e.affiliation.as_ref().and_then(|a| a.country.as_deref());
                checks.push((
                    "side",
                    expect(got == Some(side.as_str()), || {
                        format!("side {got:?}, expected {side}")
                    }),
                ));
            }
            checks
        },
        |g| format!("person {}", g.name),
    )
}

/// `Ok` when `ok`, else the message.
fn expect(ok: bool, why: impl FnOnce() -> String) -> Result<(), String> {
    if ok {
        Ok(())
    } else {
        Err(why())
    }
}

fn score_places(gold: &Gold, view: &RecordView) -> TypeScore {
    let places: Vec<&Place> = view.record.places.iter().collect();
    pair(
        &gold.places,
        &places,
        |g, p| {
            place_names_match(&g.name, &p.name)
                || p.mentions
                    .iter()
                    .any(|m| place_names_match(&g.name, &m.text))
        },
        |g, p| match &g.country {
            Some(c) => vec![(
                "country",
                expect(p.country.as_deref() == Some(c.as_str()), || {
                    format!("country {:?}, expected {c}", p.country)
                }),
            )],
            None => Vec::new(),
        },
        |g| format!("place {}", g.name),
    )
}

fn score_quotes(gold: &Gold, view: &RecordView) -> TypeScore {
    let quotes = &view.record.quotes;
    pair(
        &gold.quotes,
        quotes,
        |g, q| opening_matches(&g.starts, &q.text),
        |g, q| {
            let mut checks = Vec::new();
            if let Some(speaker) = &g.speaker {
                let ok = q
                    .speaker
                    .as_deref()
                    .is_some_and(|id| view.id_is(id, speaker));
                checks.push((
                    "speaker",
                    expect(ok, || {
                        let got = q.speaker.as_deref().map(|id| view.name_of(id));
                        format!("speaker {got:?}, expected {speaker}")
                    }),
                ));
            }
            if let Some(date) = &g.date {
                checks.push((
                    "date",
                    expect(same_day(q.time.as_deref(), date), || {
                        format!("time {:?}, expected {date}", q.time)
                    }),
                ));
            }
            checks
        },
        |g| format!("quote {:?}", g.starts),
    )
}

fn score_attacks(gold: &Gold, view: &RecordView) -> TypeScore {
    let events = &view.record.events;
    pair(
        &gold.attacks,
        events,
        |g, v| {
            v.place
                .as_deref()
                .is_some_and(|p| view.place_is(p, &g.location))
        },
        |g, v| {
            let killed = v.killed.as_ref().and_then(|k| k.min);
            let mut checks = vec![(
                "killed",
                expect(g.killed == killed, || {
                    format!("killed {killed:?}, expected {:?}", g.killed)
                }),
            )];
            if let Some(text) = &g.wounded_text {
                let got = v.wounded.as_ref().map(|w| fold(&w.text));
                let got_number = v.wounded.as_ref().and_then(|w| w.min);
                let ok = count_right(g.wounded, text, got_number, got.as_deref());
                checks.push((
                    "wounded",
                    expect(ok, || format!("wounded {got:?}, expected {text:?}")),
                ));
            } else if g.wounded.is_some() {
                let got = v.wounded.as_ref().and_then(|w| w.min);
                checks.push((
                    "wounded",
                    expect(g.wounded == got, || {
                        format!("wounded {got:?}, expected {:?}", g.wounded)
                    }),
                ));
            }
            if let Some(date) = &g.date {
                checks.push((
                    "date",
                    expect(same_day(v.date.as_deref(), date), || {
                        format!("date {:?}, expected {date}", v.date)
                    }),
                ));
            }
            if let Some(site) = &g.site {
                let got = v.site.as_ref().map(|s| s.text.as_str());
                checks.push((
                    "site",
                    expect(got.is_some_and(|got| same_site(got, site)), || {
                        format!("site {got:?}, expected {site:?}")
                    }),
                ));
            }
            checks
        },
        |g| format!("attack in {}", g.location),
    )
}

fn score_meetings(gold: &Gold, view: &RecordView) -> TypeScore {
    let meetings = &view.record.meetings;
    pair(
        &gold.meetings,
        meetings,
        |g, m| match (&g.venue, &m.venue) {
            (Some(gv), Some(mv)) => view.place_is(mv, gv),
            (None, None) => true,
            _ => false,
        },
        |g, m| {
            vec![(
                "status",
                expect(statuses_agree(&g.status, &m.status), || {
                    format!("status {}, expected {}", m.status, g.status)
                }),
            )]
        },
        |g| {
            format!(
                "meeting in {} ({})",
                g.venue.as_deref().unwrap_or("?"),
                g.status
            )
        },
    )
}

fn score_claims(gold: &Gold, view: &RecordView) -> TypeScore {
    let claims = &view.record.claims;
    pair(
        &gold.claims,
        claims,
        |g, c| {
            c.source
                .as_deref()
                .is_some_and(|s| view.id_is(s, &g.source))
        },
        |g, c| {
            g.reactions
                .iter()
                .map(|r| {
                    let ok = c.reactions.iter().any(|cr| {
                        stances_agree(&r.stance, &cr.stance)
                            && cr.by.as_deref().is_some_and(|b| view.id_is(b, &r.by))
                    });
                    (
                        "reaction",
                        expect(ok, || format!("no {} by {}", r.stance, r.by)),
                    )
                })
                .collect()
        },
        |g| format!("claim by {}", g.source),
    )
}

/// True when a predicted meeting status states the gold one. Talks under way have
/// been held, so `ongoing` and `held` agree either way.
fn statuses_agree(gold: &str, predicted: &str) -> bool {
    gold == predicted || matches!((gold, predicted), ("held", "ongoing") | ("ongoing", "held"))
}

/// True when a predicted stance states the gold one. Contradicting a claim with
/// evidence ("there was no evidence of…") is a way of denying it, so a gold `deny` is
/// met by `contradict` (not the other way round).
fn stances_agree(gold: &str, predicted: &str) -> bool {
    gold == predicted || (gold == "deny" && predicted == "contradict")
}

/// True when the predicted quote text begins with the gold opening words (or, for a
/// quote shorter than them, the opening words begin with the whole quote).
fn opening_matches(starts: &str, text: &str) -> bool {
    let (s, t) = (fold(starts), fold(text));
    if s.is_empty() || t.is_empty() {
        return false;
    }
    t.starts_with(&s) || (s.starts_with(&t) && t.len() * 2 >= s.len())
}

/// True when a predicted count states the gold one: as a number when the gold gives one
/// ("another 13" is 13), else by its words (folded), for vague figures ("dozens").
fn count_right(
    gold: Option<u64>,
    gold_text: &str,
    got: Option<u64>,
    got_text: Option<&str>,
) -> bool {
    (gold.is_some() && gold == got) || got_text.is_some_and(|t| count_phrase_of(t, gold_text))
}

/// True when a predicted count phrase (folded) is the gold phrase or its opening words:
/// the record keeps the count ("several", "at least 13"), the gold may go on with whom
/// it counts ("several others", "20 other tourists").
fn count_phrase_of(got: &str, gold: &str) -> bool {
    let gold = fold(gold);
    !got.is_empty()
        && gold
            .strip_prefix(got)
            .is_some_and(|rest| rest.is_empty() || rest.starts_with(' '))
}

/// True when a predicted site names the gold one: they share a word of four letters
/// or more that is not a preposition or a determiner ("a shop west of the harbour" and
/// "a shop near the old market").
fn same_site(got: &str, gold: &str) -> bool {
    const FILLER: &[&str] = &["with", "from", "near", "into", "their", "about", "some"];
    let words = |s: &str| -> Vec<String> {
        fold(s)
            .split(' ')
            .filter(|w| w.len() >= 4 && !FILLER.contains(w))
            .map(str::to_owned)
            .collect()
    };
    let g = words(gold);
    words(got).iter().any(|w| g.contains(w))
}

fn same_day(got: Option<&str>, want: &str) -> bool {
    got.is_some_and(|g| g.get(..want.len().min(10)) == want.get(..want.len().min(10)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_site_shares_a_word_with_the_gold() {
        assert!(same_site(
            "a shop west of the harbour",
            "a shop near the old market"
        ));
        assert!(!same_site("a vehicle", "the town hall"));
    }

    #[test]
    fn talks_under_way_have_been_held() {
        assert!(statuses_agree("held", "ongoing"));
        assert!(statuses_agree("ongoing", "held"));
        assert!(!statuses_agree("planned", "ongoing"));
    }

    #[test]
    fn a_stated_number_is_right_as_a_number() {
        assert!(count_right(Some(13), "another 13", Some(13), Some("13")));
        assert!(!count_right(Some(13), "another 13", Some(12), Some("12")));
        assert!(count_right(None, "dozens", Some(24), Some("dozens")));
        assert!(!count_right(None, "dozens", None, None));
    }

    #[test]
    fn a_count_matches_the_opening_of_the_gold_phrase() {
        assert!(count_phrase_of("several", "several others"));
        assert!(count_phrase_of("at least 13", "At least 13"));
        assert!(!count_phrase_of("two", "twenty others"));
        assert!(!count_phrase_of("", "others"));
        assert!(!count_phrase_of("13", "at least 13"));
    }
}
