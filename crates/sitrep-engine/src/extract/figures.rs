//! Key figures: counts about a whole war or period rather than one event — "has killed or
//! injured hundreds of thousands", "displaced nearly seven million", "more than 10,000
//! civilians have been killed since the invasion".
//!
//! A count is a figure when it is a "killed or injured" total or a displacement count
//! (these never belong to one attack), or when its sentence is a background summary: a
//! background phrase from the attack lexicon ("since the war began", "to date", "every
//! day", "since 2022"), or the war itself as the subject of a perfect-tense sentence ("the
//! conflict has killed …") with no attack word in it. The events stage skips the same
//! background sentences, so a count is never both an event's and a figure.

use std::sync::OnceLock;

use sitrep_core::Span;

use super::casualties::CasualtyKind;
use super::events::{background_matcher, is_background_sentence, Casualties};
use super::lexicon::Matcher;
use crate::model::{DocView, FigureFact};
use crate::walk::{one_of, words};

/// Words that must appear in a sentence before it is looked at (a cheap pre-screen).
const SCREEN: &str =
    "killed\tx\nkilling\tx\ndead\tx\ndied\tx\nwounded\tx\ninjured\tx\nmissing\tx\n\
displaced\tx\nfled\tx\nrefugees\tx\nuprooted\tx\nhomeless\tx\ndeath toll\tx\n";

fn screen() -> &'static Matcher {
    static M: OnceLock<Matcher> = OnceLock::new();
    M.get_or_init(|| Matcher::new(SCREEN, &["x"]))
}

/// The stage's own matcher, for the combined document scan.
pub(crate) fn matchers() -> Vec<&'static Matcher> {
    vec![screen()]
}

/// Nouns naming a whole conflict.
const WAR_NOUNS: &[&str] = &[
    "war",
    "conflict",
    "invasion",
    "fighting",
    "occupation",
    "siege",
    "offensive",
];

/// Attack words that make a sentence about one event rather than the war.
const EVENT_WORDS: &[&str] = &[
    "strike",
    "strikes",
    "airstrike",
    "airstrikes",
    "shelling",
    "attack",
    "explosion",
    "blast",
    "raid",
    "bombardment",
    "drone",
    "missile",
];

/// Finds key figures in a document. Never panics; evidence is the sentence.
pub fn find_figures(doc: &DocView) -> Vec<FigureFact> {
    find_figures_with(doc, &Casualties::new())
}

/// [`find_figures`] with the document's casualty counts shared with the events stage.
pub fn find_figures_with(doc: &DocView, casualties: &Casualties) -> Vec<FigureFact> {
    let text = doc.text;
    let hits = screen().find(text, Span::new(0, text.len()));
    let mut out: Vec<FigureFact> = Vec::new();
    let mut last_sentence = usize::MAX;
    for h in hits {
        let s = doc.sentence_at(h.span.start());
        if s == last_sentence {
            continue;
        }
        last_sentence = s;
        let sent = doc.sentence_span(s);
        if !sent.contains(h.span) {
            continue;
        }
        let bg_hits = background_matcher().find(text, sent);
        let ws = words(text, sent);
        let background = is_background_sentence(text, sent, &bg_hits)
            || (ws.iter().any(|(_, w)| one_of(w, WAR_NOUNS))
                && ws.iter().any(|(_, w)| one_of(w, &["has", "have"]))
                && !ws.iter().any(|(_, w)| one_of(w, EVENT_WORDS)));
        for m in casualties.in_sentence(text, sent) {
            let always = matches!(
                m.kind,
                CasualtyKind::KilledOrInjured | CasualtyKind::Displaced
            );
            if m.subcount || !(always || background) {
                continue;
            }
            out.push(FigureFact {
                what: m.kind.name().to_owned(),
                quantity: m.quantity,
                evidence: vec![sent],
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extract::test_fixtures::Fx;

    fn figures(text: &str) -> Vec<(String, Option<u64>, Option<u64>, String)> {
        let fx = Fx::new(text);
        find_figures(&fx.doc())
            .into_iter()
            .map(|f| {
                assert!(f.evidence.iter().all(|e| e.is_valid_in(text)));
                (f.what, f.quantity.min, f.quantity.max, f.quantity.text)
            })
            .collect()
    }

    #[test]
    fn whole_war_totals_are_figures() {
        let got = figures(
            "Talks resumed on Monday. The conflict, which started in 2023, has killed or injured tens of \
             thousands and displaced more than two million Sudanese.",
        );
        assert_eq!(
            got,
            vec![
                (
                    "killed or injured".into(),
                    Some(20_000),
                    None,
                    "tens of thousands".into()
                ),
                (
                    "displaced".into(),
                    Some(2_000_000),
                    None,
                    "more than two million".into()
                ),
            ]
        );
    }

    #[test]
    fn background_deaths_are_figures_but_event_deaths_are_not() {
        let got = figures("At least 12 people were killed in the strike. More than 8,000 civilians have been killed since 2022.");
        assert_eq!(
            got,
            vec![("killed".into(), Some(8_000), None, "More than 8,000".into())]
        );
    }

    #[test]
    fn no_figures_in_plain_text() {
        assert!(figures("The ministers met in Geneva.").is_empty());
        assert!(figures("").is_empty());
    }
}
