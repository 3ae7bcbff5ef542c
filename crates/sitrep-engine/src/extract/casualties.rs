//! Casualty counts in a sentence: killed, wounded, missing, "killed or injured" totals and
//! displaced people, each with its quantity as written (via
//! [`super::quantity::parse_quantity`]) and where it is.
//!
//! Patterns, all on word boundaries and case-insensitive:
//!
//! - verb first: "killed nine (people) and wounded dozens", "killing three civilians",
//!   "killed or injured hundreds of thousands", "displaced nearly seven million";
//! - number first: "at least 12 people were killed", "5 dead and 20 injured",
//!   "two million have fled", "three civilians are missing";
//! - sub-counts: "two children among the dead" (flagged, so the caller keeps it as a lower
//!   bound of the total only when no total is stated);
//! - tolls: "the death toll rose to 40", "a death toll of 12";
//! - none: "no one was killed" (a count of zero).
//!
//! A number followed by a unit ("12 kilometres", "three days") is not a casualty count.
//! The scan is one pass over the words of the sentence.

use sitrep_core::record::Quantity;
use sitrep_core::Span;

use super::quantity::parse_quantity;
use crate::walk::{self, one_of, words};

/// What a count counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CasualtyKind {
    /// People killed or dead.
    Killed,
    /// People wounded or injured.
    Wounded,
    /// People missing.
    Missing,
    /// A total of killed and wounded together ("killed or injured").
    KilledOrInjured,
    /// People displaced, fled, refugees.
    Displaced,
}

impl CasualtyKind {
    /// The name used for figures: `killed`, `wounded`, `missing`, `killed or injured`,
    /// `displaced`.
    pub fn name(self) -> &'static str {
        match self {
            CasualtyKind::Killed => "killed",
            CasualtyKind::Wounded => "wounded",
            CasualtyKind::Missing => "missing",
            CasualtyKind::KilledOrInjured => "killed or injured",
            CasualtyKind::Displaced => "displaced",
        }
    }
}

/// One casualty count found in the text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CasualtyMention {
    /// What it counts.
    pub kind: CasualtyKind,
    /// The amount.
    pub quantity: Quantity,
    /// Where the amount is written.
    pub span: Span,
    /// A part of a larger count ("two children among the dead").
    pub subcount: bool,
    /// Who is counted, when the text says ("children", "civilians").
    pub group: Option<String>,
}

/// Words between a number and its casualty word: "12 *people were* killed".
const FILLER: &[&str] = &[
    "people",
    "persons",
    "person",
    "civilians",
    "civilian",
    "children",
    "child",
    "soldiers",
    "troops",
    "servicemen",
    "women",
    "men",
    "others",
    "residents",
    "fighters",
    "police",
    "policemen",
    "officers",
    "workers",
    "members",
    "patients",
    "staff",
    "more",
    "other",
    "were",
    "was",
    "have",
    "has",
    "had",
    "been",
    "are",
    "is",
    "reportedly",
    "also",
    "being",
    "of",
    "them",
    "including",
    "innocent",
    "aid",
    "medics",
    "journalists",
    "rescuers",
    "family",
    "families",
    "passengers",
    "miners",
    "students",
    "critically",
    "seriously",
    "badly",
    "lightly",
    "slightly",
    "left",
    "now",
    "feared",
    "confirmed",
    "believed",
    "to",
    "be",
    "reported",
    "had",
    "so",
    "far",
    "tourists",
    "worshippers",
    "pilgrims",
    "villagers",
    "residents",
    "policemen",
    "officers",
    "fighters",
    "militants",
    "workers",
    "farmers",
    "peacekeepers",
    "foreigners",
];

/// Groups worth naming in a sub-count.
const GROUPS: &[&str] = &[
    "children",
    "child",
    "civilians",
    "women",
    "soldiers",
    "journalists",
    "aid",
    "medics",
];

/// Words after a number that make it a measure, not a count of people.
const UNITS: &[&str] = &[
    "km",
    "kilometres",
    "kilometers",
    "miles",
    "metres",
    "meters",
    "years",
    "year",
    "months",
    "month",
    "days",
    "day",
    "hours",
    "hour",
    "minutes",
    "percent",
    "per",
    "times",
    "homes",
    "buildings",
    "houses",
    "drones",
    "missiles",
    "rockets",
    "shells",
    "tonnes",
    "tons",
    "dollars",
    "euros",
    "pounds",
    "am",
    "pm",
    "kg",
];

fn casualty_word(w: &str) -> Option<CasualtyKind> {
    let lw = w.to_ascii_lowercase();
    Some(match lw.as_str() {
        "killed" | "dead" | "died" | "kill" | "kills" | "killing" | "slain" | "martyred"
        | "deaths" | "fatalities" | "martyrs" => CasualtyKind::Killed,
        "wounded" | "injured" | "hurt" | "wounding" | "injuring" | "injures" | "wounds"
        | "injure" | "wound" => CasualtyKind::Wounded,
        "missing" => CasualtyKind::Missing,
        "displaced" | "displacing" | "displaces" | "fled" | "refugees" | "uprooted"
        | "homeless" => CasualtyKind::Displaced,
        _ => return None,
    })
}

fn is_verb_form(w: &str) -> bool {
    one_of(
        w,
        &[
            "killed",
            "killing",
            "kills",
            "kill",
            "wounded",
            "wounding",
            "wounds",
            "injured",
            "injuring",
            "injures",
            "displaced",
            "displacing",
            "displaces",
            "uprooted",
        ],
    )
}

/// The quantity written at byte `at`, bounded by `end`, and the byte where it ends.
fn quantity_at(text: &str, at: usize, end: usize) -> Option<(Quantity, usize)> {
    let hay = text.get(at..end)?;
    let p = parse_quantity(hay)?;
    // A bare year is not a count.
    let t = p.quantity.text.as_str();
    if t.len() == 4
        && t.bytes().all(|b| b.is_ascii_digit())
        && (1900..2100).contains(&p.quantity.min.unwrap_or(0))
    {
        return None;
    }
    Some((p.quantity, at + p.len))
}

/// Casualty counts inside `range` of `text`, in text order. Never panics; invalid ranges
/// give nothing.
pub fn find_casualties(text: &str, range: Span) -> Vec<CasualtyMention> {
    let ws = words(text, range);
    // The lower-cased words in one buffer (one allocation per sentence, not per word).
    let mut lower = String::with_capacity(ws.iter().map(|(_, w)| w.len()).sum());
    let lw: Vec<std::ops::Range<usize>> = ws
        .iter()
        .map(|(_, w)| {
            let a = lower.len();
            lower.push_str(w);
            lower[a..].make_ascii_lowercase();
            a..lower.len()
        })
        .collect();
    let word = |i: usize| lw.get(i).and_then(|r| lower.get(r.clone())).unwrap_or("");
    let first_word_from = |pos: usize| ws.partition_point(|(s, _)| s.start() < pos);
    let end = range.end();
    let mut out: Vec<CasualtyMention> = Vec::new();
    let mut consumed = 0usize;
    let mut i = 0;
    while i < ws.len() {
        let (sp, _) = ws[i];
        if sp.start() < consumed {
            i += 1;
            continue;
        }
        // Verb first: "killed nine", "killing at least three civilians".
        if is_verb_form(word(i)) {
            let mut kind = casualty_word(word(i)).unwrap_or(CasualtyKind::Killed);
            let mut k = i + 1;
            if word(k) == "or"
                && kind == CasualtyKind::Killed
                && casualty_word(word(k + 1)) == Some(CasualtyKind::Wounded)
            {
                kind = CasualtyKind::KilledOrInjured;
                k += 2;
            }
            if let Some((qsp, _)) = ws.get(k) {
                if let Some((q, qend)) = quantity_at(text, qsp.start(), end) {
                    let next = first_word_from(qend);
                    if !one_of(word(next), UNITS) {
                        let group = one_of(word(next), GROUPS).then(|| word(next).to_owned());
                        out.push(CasualtyMention {
                            kind,
                            quantity: q,
                            span: Span::new(qsp.start(), qend),
                            subcount: false,
                            group,
                        });
                        consumed = qend;
                        i = next;
                        continue;
                    }
                } else if one_of(word(k), &["a", "an", "one"])
                    && one_of(
                        word(k + 1),
                        &[
                            "man", "woman", "child", "boy", "girl", "civilian", "person",
                            "soldier", "resident",
                        ],
                    )
                {
                    let span = Span::new(ws[k].0.start(), ws[k + 1].0.end());
                    let q = Quantity {
                        min: Some(1),
                        max: Some(1),
                        text: walk::slice(text, span.start(), span.end()).to_owned(),
                    };
                    out.push(CasualtyMention {
                        kind,
                        quantity: q,
                        span,
                        subcount: false,
                        group: None,
                    });
                    consumed = span.end();
                    i = k + 2;
                    continue;
                }
            }
        }
        // "death toll rose to 40", "a death toll of 12"
        if word(i) == "toll" && i > 0 && word(i - 1) == "death" {
            let mut found = false;
            for k in i + 1..(i + 7).min(ws.len()) {
                if one_of(word(k), &["to", "at", "of", "reached", "hit", "passed"]) {
                    if let Some((qsp, _)) = ws.get(k + 1) {
                        if let Some((q, qend)) = quantity_at(text, qsp.start(), end) {
                            out.push(CasualtyMention {
                                kind: CasualtyKind::Killed,
                                quantity: q,
                                span: Span::new(qsp.start(), qend),
                                subcount: false,
                                group: None,
                            });
                            consumed = qend;
                            i = first_word_from(qend);
                            found = true;
                            break;
                        }
                    }
                }
            }
            if found {
                continue;
            }
        }
        // "the deaths of about 18 people", "the martyrdom of four children"
        if one_of(
            word(i),
            &["deaths", "death", "martyrdom", "killing", "killings"],
        ) && word(i + 1) == "of"
        {
            if let Some((qsp, _)) = ws.get(i + 2) {
                if let Some((q, qend)) = quantity_at(text, qsp.start(), end) {
                    let next = first_word_from(qend);
                    if !one_of(word(next), UNITS) {
                        out.push(CasualtyMention {
                            kind: CasualtyKind::Killed,
                            quantity: q,
                            span: Span::new(qsp.start(), qend),
                            subcount: false,
                            group: one_of(word(next), GROUPS).then(|| word(next).to_owned()),
                        });
                        consumed = qend;
                        i = next;
                        continue;
                    }
                }
            }
        }
        // "no casualties", "the crew were unharmed": none killed and none wounded.
        let unharmed = one_of(word(i), &["unharmed", "unhurt", "uninjured"])
            && ws[i.saturating_sub(4)..i].iter().any(|(_, w)| {
                one_of(
                    w,
                    &[
                        "crew",
                        "crews",
                        "people",
                        "passengers",
                        "sailors",
                        "residents",
                        "everyone",
                        "staff",
                        "workers",
                        "soldiers",
                        "civilians",
                        "seafarers",
                    ],
                )
            });
        let no_casualties =
            one_of(word(i), &["no", "without"]) && one_of(word(i + 1), &["casualties", "casualty"]);
        if unharmed || no_casualties {
            let last = if no_casualties { i + 1 } else { i };
            let span = Span::new(ws[i].0.start(), ws[last].0.end());
            for kind in [CasualtyKind::Killed, CasualtyKind::Wounded] {
                out.push(CasualtyMention {
                    kind,
                    quantity: Quantity {
                        min: Some(0),
                        max: Some(0),
                        text: walk::slice(text, span.start(), span.end()).to_owned(),
                    },
                    span,
                    subcount: false,
                    group: None,
                });
            }
            i = last + 1;
            continue;
        }
        // "no one was killed", "nobody was hurt"
        let none_len = if word(i) == "no" && word(i + 1) == "one" {
            2
        } else {
            usize::from(word(i) == "nobody")
        };
        if none_len > 0 {
            let k0 = i + none_len;
            if let Some(k) =
                (k0..(k0 + 3).min(ws.len())).find(|&k| casualty_word(word(k)).is_some())
            {
                if (k0..k).all(|j| {
                    one_of(
                        word(j),
                        &["was", "were", "has", "have", "been", "reportedly"],
                    )
                }) {
                    let span = Span::new(ws[i].0.start(), ws[k0 - 1].0.end());
                    let kind = casualty_word(word(k)).unwrap_or(CasualtyKind::Killed);
                    let q = Quantity {
                        min: Some(0),
                        max: Some(0),
                        text: walk::slice(text, span.start(), span.end()).to_owned(),
                    };
                    out.push(CasualtyMention {
                        kind,
                        quantity: q,
                        span,
                        subcount: false,
                        group: None,
                    });
                    i = k + 1;
                    continue;
                }
            }
        }
        // Number first: "at least 12 people were killed", "5 dead", "two children among
        // the dead".
        if let Some((q, qend)) = quantity_at(text, sp.start(), end) {
            let mut k = first_word_from(qend);
            let mut group = None;
            let mut steps = 0;
            while k < ws.len() && steps < 5 {
                let w = ws[k].1;
                let demonym = w.chars().next().is_some_and(char::is_uppercase)
                    && w.len() > 3
                    && (w.ends_with("ns") || w.ends_with("is") || w.ends_with("se"));
                if casualty_word(w).is_some() || !(one_of(w, FILLER) || demonym) {
                    break;
                }
                if group.is_none() && one_of(w, GROUPS) {
                    group = Some(word(k).to_owned());
                }
                // "12 villagers, including three farmers, were killed": the count of a
                // part is skipped on the way to the verb.
                if word(k) == "including" {
                    if let Some((_, inner_end)) = ws
                        .get(k + 1)
                        .and_then(|(sp, _)| quantity_at(text, sp.start(), end))
                    {
                        k = first_word_from(inner_end);
                        steps += 1;
                        continue;
                    }
                }
                k += 1;
                steps += 1;
            }
            let span = Span::new(sp.start(), qend);
            let mut found: Option<(CasualtyKind, bool)> = None;
            if word(k) == "among" && word(k + 1) == "the" {
                found = match casualty_word(word(k + 2)) {
                    Some(CasualtyKind::Killed) => Some((CasualtyKind::Killed, true)),
                    Some(CasualtyKind::Wounded) => Some((CasualtyKind::Wounded, true)),
                    _ if word(k + 2) == "victims" => Some((CasualtyKind::Killed, true)),
                    _ => None,
                };
            } else if word(k) == "lost"
                && one_of(word(k + 1), &["their", "his", "her"])
                && one_of(word(k + 2), &["lives", "life"])
            {
                // "three residents had lost their lives"
                found = Some((CasualtyKind::Killed, false));
            } else if let Some(kind) = casualty_word(word(k)) {
                let total = kind == CasualtyKind::Killed
                    && word(k + 1) == "or"
                    && casualty_word(word(k + 2)) == Some(CasualtyKind::Wounded);
                found = Some((
                    if total {
                        CasualtyKind::KilledOrInjured
                    } else {
                        kind
                    },
                    false,
                ));
            }
            if let Some((kind, subcount)) = found {
                // "killed 5 people" was taken above; here the number leads.
                out.push(CasualtyMention {
                    kind,
                    quantity: q,
                    span,
                    subcount,
                    group,
                });
            }
            consumed = qend;
            i = first_word_from(qend).max(i + 1);
            continue;
        }
        i += 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    type Row = (CasualtyKind, Option<u64>, Option<u64>, String, bool);

    fn all(text: &str) -> Vec<Row> {
        find_casualties(text, Span::new(0, text.len()))
            .into_iter()
            .map(|m| {
                assert!(m.span.is_valid_in(text));
                (
                    m.kind,
                    m.quantity.min,
                    m.quantity.max,
                    m.quantity.text,
                    m.subcount,
                )
            })
            .collect()
    }

    use CasualtyKind::*;

    #[test]
    fn deaths_and_martyrs_are_killed() {
        let killed = |text: &str| -> Vec<Option<u64>> {
            all(text)
                .into_iter()
                .filter(|r| r.0 == Killed)
                .map(|r| r.1)
                .collect()
        };
        assert_eq!(
            killed("Six civilians were martyred in the raid."),
            [Some(6)]
        );
        assert_eq!(killed("The shelling caused three deaths."), [Some(3)]);
        assert_eq!(
            killed("It led to the deaths of about 18 people."),
            [Some(18)]
        );
        assert_eq!(killed("It led to the martyrdom of two boys."), [Some(2)]);
        assert_eq!(
            killed("The attack left four martyrs and 10 wounded."),
            [Some(4)]
        );
        assert!(killed("The deaths of 2023 were mourned.").is_empty());
    }

    #[test]
    fn reported_deaths_and_lives_lost() {
        let rows = all("At least eleven passengers were reported to be killed.");
        assert_eq!((rows[0].0, rows[0].1), (Killed, Some(11)));
        let rows = all("Three residents had lost their lives.");
        assert_eq!((rows[0].0, rows[0].1), (Killed, Some(3)));
    }

    #[test]
    fn a_part_counted_inside_the_total_is_skipped() {
        let rows = all("At least 12 villagers, including three farmers, were killed.");
        assert_eq!(rows[0].0, Killed);
        assert_eq!(rows[0].1, Some(12));
    }

    #[test]
    fn verb_first_counts() {
        assert_eq!(
            all("The strike on the depot killed nine and wounded dozens."),
            vec![
                (Killed, Some(9), Some(9), "nine".into(), false),
                (Wounded, Some(24), None, "dozens".into(), false)
            ]
        );
        assert_eq!(
            all("Shells hit a bus, killing three civilians."),
            vec![(Killed, Some(3), Some(3), "three".into(), false)]
        );
        assert_eq!(
            all("The blast killed a child."),
            vec![(Killed, Some(1), Some(1), "a child".into(), false)]
        );
    }

    #[test]
    fn number_first_counts() {
        assert_eq!(
            all("At least 12 people were killed overnight."),
            vec![(Killed, Some(12), None, "At least 12".into(), false)]
        );
        assert_eq!(
            all("The raid left 5 dead and 20 injured."),
            vec![
                (Killed, Some(5), Some(5), "5".into(), false),
                (Wounded, Some(20), Some(20), "20".into(), false)
            ]
        );
        assert_eq!(
            all("More than 30 Palestinians were wounded."),
            vec![(Wounded, Some(30), None, "More than 30".into(), false)]
        );
        assert_eq!(all("Two soldiers remain missing."), vec![]);
        assert_eq!(
            all("Two soldiers are missing."),
            vec![(Missing, Some(2), Some(2), "Two".into(), false)]
        );
    }

    #[test]
    fn tolls_subcounts_and_none() {
        assert_eq!(
            all("The death toll rose to 40 on Sunday."),
            vec![(Killed, Some(40), Some(40), "40".into(), false)]
        );
        assert_eq!(
            all("Two children were among the dead."),
            vec![(Killed, Some(2), Some(2), "Two".into(), true)]
        );
        assert_eq!(
            all("No one was killed in the blast."),
            vec![(Killed, Some(0), Some(0), "No one".into(), false)]
        );
        assert_eq!(
            all("The tanker's crew were unharmed, and the ship reported no casualties."),
            vec![
                (Killed, Some(0), Some(0), "unharmed".into(), false),
                (Wounded, Some(0), Some(0), "unharmed".into(), false),
                (Killed, Some(0), Some(0), "no casualties".into(), false),
                (Wounded, Some(0), Some(0), "no casualties".into(), false),
            ]
        );
    }

    #[test]
    fn totals_and_displacement() {
        assert_eq!(
            all("The fighting has killed or injured tens of thousands and displaced nearly two million people."),
            vec![
                (KilledOrInjured, Some(20_000), None, "tens of thousands".into(), false),
                (Displaced, None, Some(2_000_000), "nearly two million".into(), false)
            ]
        );
        assert_eq!(
            all("Some 40,000 people have fled."),
            vec![(
                Displaced,
                Some(40_000),
                Some(40_000),
                "Some 40,000".into(),
                false
            )]
        );
    }

    #[test]
    fn measures_years_and_odd_input_are_not_counts() {
        assert!(all("Troops advanced 12 kilometres and killed in 2023 nothing.").is_empty());
        assert!(all("The offensive killed 2022").is_empty());
        assert!(all("killed").is_empty());
        assert!(all("").is_empty());
        assert!(find_casualties("abc", Span::new(2, 99)).is_empty());
    }
}
