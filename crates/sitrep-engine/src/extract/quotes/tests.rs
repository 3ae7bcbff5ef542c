//! Tests of the quotes stage, on sentences written for them.

use sitrep_core::record::EntityKind;
use sitrep_text::Segmentation;

use super::*;
use crate::model::{EntityInfo, EntityMention, Gender, MentionKind};

/// An entity for a test: name, kind, gender, titles, and the strings that mention it.
struct Spec<'s> {
    name: &'s str,
    kind: EntityKind,
    gender: Option<Gender>,
    titles: &'s [&'s str],
    aliases: &'s [&'s str],
}

fn person<'s>(
    name: &'s str,
    gender: Option<Gender>,
    titles: &'s [&'s str],
    aliases: &'s [&'s str],
) -> Spec<'s> {
    Spec {
        name,
        kind: EntityKind::Person,
        gender,
        titles,
        aliases,
    }
}

fn org<'s>(name: &'s str, kind: EntityKind, aliases: &'s [&'s str]) -> Spec<'s> {
    Spec {
        name,
        kind,
        gender: None,
        titles: &[],
        aliases,
    }
}

/// Entities with a mention at every whole-word occurrence of an alias (longest first,
/// no overlaps), as the entity stage would give them.
fn entities(text: &str, specs: &[Spec]) -> Entities {
    let mut list = Vec::new();
    let mut aliases: Vec<(&str, usize)> = Vec::new();
    for (i, s) in specs.iter().enumerate() {
        list.push(EntityInfo {
            kind: s.kind,
            name: s.name.to_owned(),
            titles: s.titles.iter().map(|t| (*t).to_owned()).collect(),
            country: None,
            organisation: None,
            gender: s.gender,
            kb_id: None,
        });
        aliases.extend(s.aliases.iter().map(|a| (*a, i)));
    }
    aliases.sort_by_key(|a| std::cmp::Reverse(a.0.len()));
    let mut mentions: Vec<EntityMention> = Vec::new();
    for (alias, e) in aliases {
        for (at, _) in text.match_indices(alias) {
            let end = at + alias.len();
            let boundary_before = text[..at]
                .chars()
                .next_back()
                .is_none_or(|c| !c.is_alphanumeric());
            let boundary_after = text[end..]
                .chars()
                .next()
                .is_none_or(|c| !c.is_alphanumeric());
            let span = Span::new(at, end);
            if boundary_before && boundary_after && !mentions.iter().any(|m| m.span.overlaps(span))
            {
                let kind = if list[e].kind == EntityKind::Country {
                    MentionKind::Country
                } else {
                    MentionKind::Name
                };
                mentions.push(EntityMention {
                    span,
                    name_span: span,
                    entity: e,
                    kind,
                });
            }
        }
    }
    mentions.sort_by_key(|m| m.span.start);
    Entities { list, mentions }
}

/// A time expression at the first occurrence of `what`.
fn time(text: &str, what: &str, value: &str) -> TimeInfo {
    let at = text.find(what).expect("time text present");
    TimeInfo {
        span: Span::new(at, at + what.len()),
        value: Some(value.to_owned()),
        precision: "day".to_owned(),
        anchor: "published".to_owned(),
    }
}

/// A quote as (text, speaker name or "-", direct, fragment).
#[derive(Debug, PartialEq)]
struct Got {
    text: String,
    speaker: String,
    direct: bool,
    fragment: bool,
}

fn run_full(text: &str, ents: &Entities, times: &[TimeInfo]) -> (Segmentation, Vec<QuoteFact>) {
    let seg = sitrep_text::segment(text);
    let doc = DocView {
        text,
        seg: &seg,
        published: None,
    };
    let quotes = find_quotes(&doc, ents, times);
    for q in &quotes {
        assert!(q.span.is_valid_in(text), "span {:?}", q.span);
        assert!(q.cue.is_none_or(|c| c.is_valid_in(text)));
        assert!(q.evidence.iter().all(|e| e.is_valid_in(text)));
        assert!(!q.evidence.is_empty());
    }
    (seg, quotes)
}

fn run(text: &str, specs: &[Spec]) -> Vec<Got> {
    let ents = entities(text, specs);
    let (_, quotes) = run_full(text, &ents, &[]);
    quotes.iter().map(|q| got(text, &ents, q)).collect()
}

fn got(text: &str, ents: &Entities, q: &QuoteFact) -> Got {
    Got {
        text: q.span.slice(text).unwrap_or_default().to_owned(),
        speaker: q
            .speaker
            .map_or("-".to_owned(), |e| ents.list[e].name.clone()),
        direct: q.direct,
        fragment: q.fragment,
    }
}

fn direct(text: &str, speaker: &str) -> Got {
    Got {
        text: text.to_owned(),
        speaker: speaker.to_owned(),
        direct: true,
        fragment: false,
    }
}

fn fragment(text: &str, speaker: &str) -> Got {
    Got {
        text: text.to_owned(),
        speaker: speaker.to_owned(),
        direct: true,
        fragment: true,
    }
}

fn indirect(text: &str, speaker: &str) -> Got {
    Got {
        text: text.to_owned(),
        speaker: speaker.to_owned(),
        direct: false,
        fragment: false,
    }
}

fn lena() -> Spec<'static> {
    person(
        "Lena Marsh",
        Some(Gender::Female),
        &["Trade Minister"],
        &["Trade Minister Lena Marsh", "Marsh"],
    )
}

fn tomas() -> Spec<'static> {
    person(
        "Tomas Brel",
        Some(Gender::Male),
        &["presidential spokesman"],
        &["Tomas Brel", "Brel"],
    )
}

#[test]
fn split_quote_has_one_speaker() {
    let text = "Talks stalled again.\n\n“Our harbours stay open to grain ships,” Marsh said. “Nobody will blockade them.”";
    assert_eq!(
        run(text, &[lena()]),
        [
            direct("Our harbours stay open to grain ships", "Lena Marsh"),
            direct("Nobody will blockade them.", "Lena Marsh")
        ]
    );
}

#[test]
fn inverted_said_x() {
    let text = "“The bridge will be rebuilt by spring,” said Tomas Brel, speaking after the vote.";
    assert_eq!(
        run(text, &[tomas()]),
        [direct("The bridge will be rebuilt by spring", "Tomas Brel")]
    );
}

#[test]
fn pronoun_speaker_is_the_salient_compatible_person() {
    let text = "Trade Minister Lena Marsh met Tomas Brel in Oslo on Friday.\n\n\
                “We have agreed on the corridor,” she told reporters.";
    let ents = entities(text, &[lena(), tomas()]);
    let (_, quotes) = run_full(text, &ents, &[]);
    assert_eq!(quotes.len(), 1);
    assert_eq!(
        got(text, &ents, &quotes[0]),
        direct("We have agreed on the corridor", "Lena Marsh")
    );
    assert_eq!(quotes[0].channel.as_deref(), Some("reporters"));
    assert_eq!(quotes[0].cue.and_then(|c| c.slice(text)), Some("told"));
}

#[test]
fn possessive_is_not_a_subject() {
    let text = "Despite Brel’s warning, Marsh stayed in Oslo. “The ships will sail,” he said.";
    // "he" can only be Brel (Marsh is female), even though Brel is a possessive.
    assert_eq!(
        run(text, &[lena(), tomas()]),
        [direct("The ships will sail", "Tomas Brel")]
    );
}

#[test]
fn role_noun_speaker_matches_titles() {
    let text =
        "Tomas Brel and Trade Minister Lena Marsh arrived late. The delegation left at noon.\n\n\
                “No deal is better than this deal,” the minister added.";
    assert_eq!(
        run(text, &[lena(), tomas()]),
        [direct("No deal is better than this deal", "Lena Marsh")]
    );
    let text =
        "Brel was seen in Riga. Later, a presidential spokesman said: “The visit is private.”";
    assert_eq!(
        run(text, &[tomas()]),
        [direct("The visit is private.", "Tomas Brel")]
    );
}

#[test]
fn indefinite_role_falls_back_to_its_organisation() {
    let text = "“We see no grounds for optimism,” a Kremlin spokesman said on Monday.";
    let specs = [org("the Kremlin", EntityKind::Organisation, &["Kremlin"])];
    assert_eq!(
        run(text, &specs),
        [direct("We see no grounds for optimism", "the Kremlin")]
    );
}

#[test]
fn metonym_and_organisation_speakers() {
    let text = "The Kremlin said the envoy would be received next week. \
                “The door remains open,” Kyiv insisted.";
    let specs = [
        org("the Kremlin", EntityKind::Organisation, &["The Kremlin"]),
        org("Ukraine", EntityKind::Country, &["Kyiv"]),
    ];
    assert_eq!(
        run(text, &specs),
        [
            indirect("the envoy would be received next week", "the Kremlin"),
            direct("The door remains open", "Ukraine")
        ]
    );
}

#[test]
fn multi_paragraph_quote_is_one_quote() {
    let text = "Marsh spoke for twenty minutes.\n\n\
                “The first convoy crossed at dawn. It carried flour and medicine.\n\n\
                “The second convoy will follow once the road is cleared,” she said.";
    let got = run(text, &[lena()]);
    assert_eq!(got.len(), 1, "{got:?}");
    assert!(got[0].text.starts_with("The first convoy crossed at dawn."));
    assert!(got[0].text.ends_with("once the road is cleared"));
    assert_eq!(got[0].speaker, "Lena Marsh");
}

#[test]
fn paragraph_of_quote_takes_lead_in_speaker() {
    let text =
        "Brel said in a statement:\n\n“The border crossing at Vell will reopen on Monday.”\n\n\
                “Travellers should carry their papers.”";
    let specs = [tomas()];
    let ents = entities(text, &specs);
    let (_, quotes) = run_full(text, &ents, &[]);
    let got: Vec<Got> = quotes.iter().map(|q| got(text, &ents, q)).collect();
    assert_eq!(
        got,
        [
            direct(
                "The border crossing at Vell will reopen on Monday.",
                "Tomas Brel"
            ),
            direct("Travellers should carry their papers.", "Tomas Brel")
        ]
    );
    assert_eq!(quotes[0].channel.as_deref(), Some("statement"));
}

#[test]
fn fragments_go_to_the_subject() {
    let text = "Brel dismissed the leaked memo as “pure fiction,” and Marsh declined to comment. \
                Trade Minister Lena Marsh, who chairs the export board, reiterated that Oslo would not bend on “red-line” tariffs.";
    let specs = [
        lena(),
        tomas(),
        org("Norway", EntityKind::Country, &["Oslo"]),
    ];
    let got = run(text, &specs);
    assert_eq!(got[0], fragment("pure fiction", "Tomas Brel"));
    // A reported clause holding a quoted fragment gives way to the fragment.
    assert_eq!(got[1], fragment("red-line", "Lena Marsh"));
    assert_eq!(got.len(), 2, "{got:?}");
}

#[test]
fn writers_scare_quotes_are_dropped() {
    let text = "The summit was relabelled a “working” session at the last minute.";
    assert!(run(text, &[tomas()]).is_empty());
    let text = "Brel praised “Operation Northern Gate” in his remarks.";
    assert!(run(text, &[tomas()]).is_empty());
}

#[test]
fn fragment_inside_a_quote_is_not_separate() {
    let text = "“They call this a ‘pause’, but the shelling never stopped,” Marsh said.";
    assert_eq!(
        run(text, &[lena()]),
        [direct(
            "They call this a ‘pause’, but the shelling never stopped",
            "Lena Marsh"
        )]
    );
}

#[test]
fn indirect_told_parliament() {
    let text = "Despite the talks, Marsh told Parliament there was no sign the blockade had eased.";
    let ents = entities(text, &[lena()]);
    let (_, quotes) = run_full(text, &ents, &[]);
    assert_eq!(
        got(text, &ents, &quotes[0]),
        indirect("there was no sign the blockade had eased", "Lena Marsh")
    );
    assert_eq!(quotes[0].channel.as_deref(), Some("Parliament"));
    assert_eq!(quotes[0].cue.and_then(|c| c.slice(text)), Some("told"));
}

#[test]
fn according_to_both_ways() {
    let specs = [org(
        "the port authority",
        EntityKind::Organisation,
        &["the port authority"],
    )];
    let text = "According to the port authority, three cranes were back in service.";
    assert_eq!(
        run(text, &specs),
        [indirect(
            "three cranes were back in service",
            "the port authority"
        )]
    );
    let text = "Three cranes were back in service, according to the port authority.";
    assert_eq!(
        run(text, &specs),
        [indirect(
            "Three cranes were back in service",
            "the port authority"
        )]
    );
}

#[test]
fn tail_attribution_without_quotes() {
    let text = "The grain deal will be extended by a month, Brel said on Thursday.";
    let ents = entities(text, &[tomas()]);
    let (_, quotes) = run_full(text, &ents, &[time(text, "Thursday", "2024-03-14")]);
    assert_eq!(
        got(text, &ents, &quotes[0]),
        indirect("The grain deal will be extended by a month", "Tomas Brel")
    );
    assert_eq!(quotes[0].time.as_deref(), Some("2024-03-14"));
    let text = "Exports had doubled since March, said Marsh.";
    assert_eq!(
        run(text, &[lena()]),
        [indirect("Exports had doubled since March", "Lena Marsh")]
    );
}

#[test]
fn no_indirect_for_the_cue_of_a_direct_quote() {
    let text =
        "Marsh said: “The corridor stays open.” Marsh also said that inspections would resume.";
    assert_eq!(
        run(text, &[lena()]),
        [
            direct("The corridor stays open.", "Lena Marsh"),
            indirect("inspections would resume", "Lena Marsh")
        ]
    );
}

#[test]
fn channel_and_time_of_statement() {
    let text =
        "“We will not trade land for promises,” Brel said at a press briefing late Monday evening.";
    let ents = entities(text, &[tomas()]);
    let times = [time(text, "Monday evening", "2024-03-11")];
    let (_, quotes) = run_full(text, &ents, &times);
    assert_eq!(quotes.len(), 1);
    assert_eq!(quotes[0].channel.as_deref(), Some("press briefing"));
    assert_eq!(quotes[0].time.as_deref(), Some("2024-03-11"));

    let text = "Marsh said in an interview with the BBC that exports had doubled. Brel wrote on Telegram that he was “not surprised”.";
    let ents = entities(text, &[lena(), tomas()]);
    let (_, quotes) = run_full(text, &ents, &[]);
    let channels: Vec<_> = quotes.iter().map(|q| q.channel.as_deref()).collect();
    assert_eq!(channels, [Some("interview with the BBC"), Some("Telegram")]);
    assert!(quotes[1].fragment);
    assert_eq!(quotes[0].span.slice(text), Some("exports had doubled"));
}

#[test]
fn time_in_the_quote_is_not_the_statement_time() {
    let text = "“The shelling started on Monday,” Marsh said.";
    let ents = entities(text, &[lena()]);
    let (_, quotes) = run_full(text, &ents, &[time(text, "Monday", "2024-03-11")]);
    assert_eq!(quotes[0].time, None);
}

#[test]
fn unsure_speaker_is_none_with_candidates() {
    let spec_a = person("Arno Vick", Some(Gender::Male), &[], &["Arno Vick", "Vick"]);
    let spec_b = person("Piet Saal", Some(Gender::Male), &[], &["Piet Saal", "Saal"]);
    let text = "Arno Vick met Piet Saal in Vilnius. “The talks were useful,” he said.";
    let ents = entities(text, &[spec_a, spec_b]);
    let (_, quotes) = run_full(text, &ents, &[]);
    assert_eq!(quotes.len(), 1);
    assert_eq!(quotes[0].speaker, None);
    let mut cands = quotes[0].candidates.clone();
    cands.sort();
    assert_eq!(cands, [0, 1]);

    // No attribution at all: no speaker, recent people as candidates.
    let text = "Vick arrived at noon.\n\n“It is cold here.”";
    let spec_a = person("Arno Vick", Some(Gender::Male), &[], &["Vick"]);
    let ents = entities(text, &[spec_a]);
    let (_, quotes) = run_full(text, &ents, &[]);
    assert_eq!(quotes[0].speaker, None);
    assert_eq!(quotes[0].candidates, [0]);
}

#[test]
fn apostrophes_are_not_quotes() {
    let text = "Russia’s navy shelled the Ukrainians’ homes near the port, and Britain's envoy didn't comment. \
                The 1990s' treaties and the ’90s mood were both cited.";
    assert!(run(text, &[]).is_empty());
}

#[test]
fn unbalanced_quotes_stay_in_their_paragraph() {
    let text = "Marsh said “the corridor is safe and\n\nBrel left early. Marsh said that exports had doubled.";
    let got = run(text, &[lena(), tomas()]);
    assert_eq!(got[0], direct("the corridor is safe and", "Lena Marsh"));
    assert_eq!(got[1], indirect("exports had doubled", "Lena Marsh"));
    assert_eq!(got.len(), 2);
    // A stray closing mark and a lone straight quote do nothing.
    assert!(run("He left.” Then 12\" of snow fell \" there.", &[]).len() <= 1);
}

#[test]
fn straight_quotes_work_too() {
    let text = "\"We are ready,\" Brel said. 'Single marks work,' Marsh added.";
    assert_eq!(
        run(text, &[lena(), tomas()]),
        [
            direct("We are ready", "Tomas Brel"),
            direct("Single marks work", "Lena Marsh")
        ]
    );
}

/// A tiny deterministic generator for the property-style tests (no extra dependency).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
}

#[test]
fn random_text_with_quote_marks_never_panics() {
    let pieces = [
        "“",
        "”",
        "‘",
        "’",
        "\"",
        "'",
        "«",
        "»",
        "„",
        "‚",
        " ",
        "\n\n",
        "\n",
        ".",
        ",",
        ":",
        "said",
        "Marsh",
        "he",
        "she",
        "the minister",
        "according to",
        "told",
        "that",
        "Київ",
        "é",
        "s",
        "word",
        "Brel",
        "!",
    ];
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    for _ in 0..400 {
        let n = (rng.next() % 60) as usize;
        let text: String = (0..n)
            .map(|_| pieces[(rng.next() % pieces.len() as u64) as usize])
            .collect();
        let ents = entities(&text, &[lena(), tomas()]);
        let (_, quotes) = run_full(&text, &ents, &[]);
        for q in &quotes {
            assert!(q.span.is_valid_in(&text), "{text:?}");
        }
    }
}

#[test]
fn large_input_runs_in_linear_time() {
    let para = "“The corridor stays open to every ship,” Marsh said. “Inspections resume on Monday.” \
                Brel dismissed the claim as “noise” and told reporters that nothing had changed.\n\n";
    let small = para.repeat(200);
    let big = para.repeat(4_000); // about 1 MB
    let time_of = |text: &str| {
        let ents = entities(text, &[lena(), tomas()]);
        let seg = sitrep_text::segment(text);
        let doc = DocView {
            text,
            seg: &seg,
            published: None,
        };
        let t = std::time::Instant::now();
        let n = find_quotes(&doc, &ents, &[]).len();
        (t.elapsed(), n)
    };
    let (t_small, n_small) = time_of(&small);
    let (t_big, n_big) = time_of(&big);
    assert_eq!(n_small, 200 * 4);
    assert_eq!(n_big, 4_000 * 4);
    // 20× the input may take at most ~3× the proportional time (noise allowance).
    assert!(
        t_big < t_small * 60 + std::time::Duration::from_millis(50),
        "{t_small:?} → {t_big:?}"
    );
}

#[test]
fn quote_interrupted_inside_one_sentence() {
    let text = "“We came to listen,” Brel said, “and we will answer in writing.”";
    assert_eq!(
        run(text, &[tomas()]),
        [
            direct("We came to listen", "Tomas Brel"),
            direct("and we will answer in writing.", "Tomas Brel")
        ]
    );
}

#[test]
fn carry_over_stops_after_two_paragraphs() {
    let text = "“Ships may pass,” Marsh said.\n\nThe port was quiet on Sunday.\n\nA storm hit the coast.\n\n“Nobody came.”";
    let got = run(text, &[lena()]);
    assert_eq!(got[0].speaker, "Lena Marsh");
    assert_eq!(got[1].speaker, "-", "{got:?}");
}

#[test]
fn guillemets_with_a_speaker_before() {
    let text = "Brel told state television: «The agreement holds.»";
    let ents = entities(text, &[tomas()]);
    let (_, quotes) = run_full(text, &ents, &[]);
    assert_eq!(
        got(text, &ents, &quotes[0]),
        direct("The agreement holds.", "Tomas Brel")
    );
    assert_eq!(quotes.len(), 1);
}

fn harbour_agency() -> Spec<'static> {
    org(
        "Harbour Agency",
        EntityKind::Organisation,
        &["Harbour Agency"],
    )
}

fn nordland() -> Spec<'static> {
    org("Nordland", EntityKind::Country, &["Nordland", "Nordlandic"])
}

#[test]
fn unnamed_speakers_are_speakers_without_an_entity() {
    let text = "A senior diplomat familiar with the file said the vote would be delayed. \
                Analysts say the blockade could last into winter. \
                Residents of the coastal villages said the water had risen overnight. \
                An aid official described the convoy route as “barely passable”.";
    let ents = entities(text, &[tomas()]);
    let (_, quotes) = run_full(text, &ents, &[]);
    let got: Vec<Got> = quotes.iter().map(|q| got(text, &ents, q)).collect();
    assert_eq!(
        got,
        [
            indirect("the vote would be delayed", "-"),
            indirect("the blockade could last into winter", "-"),
            indirect("the water had risen overnight", "-"),
            fragment("barely passable", "-"),
        ]
    );
    // Unnamed is not unsure: no candidates are offered.
    assert!(quotes.iter().all(|q| q.candidates.is_empty()));
    // An unnamed official of a named organisation speaks for it.
    let text = "A Harbour Agency official said the cranes were working again.";
    assert_eq!(
        run(text, &[harbour_agency()]),
        [indirect("the cranes were working again", "Harbour Agency")]
    );
}

#[test]
fn unnamed_outlets_are_speakers_too() {
    let text = "Shelling cut power to the island overnight, state media reported. \
                Two ferries turned back, local media and residents said. \
                The fuel depot was also hit, media reports said.";
    let ents = entities(text, &[]);
    let (_, quotes) = run_full(text, &ents, &[]);
    let got: Vec<Got> = quotes.iter().map(|q| got(text, &ents, q)).collect();
    assert_eq!(
        got,
        [
            indirect("Shelling cut power to the island overnight", "-"),
            indirect("Two ferries turned back", "-"),
            indirect("The fuel depot was also hit", "-"),
        ]
    );
}

#[test]
fn according_to_a_statement_by_its_issuer() {
    let text = "The cranes were working again, according to a statement by the Harbour Agency.";
    assert_eq!(
        run(text, &[harbour_agency()]),
        [indirect("The cranes were working again", "Harbour Agency")]
    );
}

#[test]
fn a_tail_attribution_may_go_on_about_the_event() {
    let text = "A blast shook the harbour office, officials said, with a splinter group claiming \
                responsibility. Two cranes were toppled, port staff said, in a night of heavy \
                shelling.";
    let ents = entities(text, &[]);
    let (_, quotes) = run_full(text, &ents, &[]);
    let got: Vec<Got> = quotes.iter().map(|q| got(text, &ents, q)).collect();
    assert_eq!(
        got,
        [
            indirect("A blast shook the harbour office", "-"),
            indirect("Two cranes were toppled", "-"),
        ]
    );
}

#[test]
fn a_wire_dateline_is_not_said() {
    let text = "PORT LOUIS, Mar 3 (Islandwire) - A fire gutted the harbour office, police said.";
    let ents = entities(text, &[]);
    let (_, quotes) = run_full(text, &ents, &[]);
    assert_eq!(
        got(text, &ents, &quotes[0]),
        indirect("A fire gutted the harbour office", "-")
    );
}

#[test]
fn tail_attribution_with_a_participial_tail() {
    let text = "The ferry service will resume on Friday, a port official said on Monday, \
                speaking on condition of anonymity.";
    let ents = entities(text, &[]);
    let times = [
        time(text, "Friday", "2024-05-10"),
        time(text, "Monday", "2024-05-06"),
    ];
    let (_, quotes) = run_full(text, &ents, &times);
    assert_eq!(
        got(text, &ents, &quotes[0]),
        indirect("The ferry service will resume on Friday", "-")
    );
    assert_eq!(quotes[0].time.as_deref(), Some("2024-05-06"));
    assert_eq!(quotes.len(), 1);
    // A cue inside the reported words belongs to them, not to the sentence.
    let text = "The visit was put off after Nordland confirmed that the minister was ill, \
                Brel said.";
    assert_eq!(
        run(text, &[tomas(), nordland()]),
        [indirect(
            "The visit was put off after Nordland confirmed that the minister was ill",
            "Tomas Brel"
        )]
    );
}

#[test]
fn coordinated_clauses_are_reported_separately() {
    let text = "Brel said the corridor remained open but that inspections would take longer.";
    assert_eq!(
        run(text, &[tomas()]),
        [
            indirect("the corridor remained open", "Tomas Brel"),
            indirect("inspections would take longer", "Tomas Brel"),
        ]
    );
    // A second attribution inside the sentence is its own.
    let text = "Marsh said the ferries were running, and she warned that fuel was short.";
    assert_eq!(
        run(text, &[lena()]),
        [
            indirect("the ferries were running", "Lena Marsh"),
            indirect("fuel was short", "Lena Marsh"),
        ]
    );
}

#[test]
fn reported_clause_with_a_fragment_keeps_only_its_own_words() {
    let text = "Brel said the port was ready to reopen but would not accept what he called \
                “foreign inspectors”.";
    assert_eq!(
        run(text, &[tomas()]),
        [
            indirect("the port was ready to reopen", "Tomas Brel"),
            fragment("foreign inspectors", "Tomas Brel"),
        ]
    );
    let text = "Marsh said the offer was “a non-starter” and left.";
    assert_eq!(
        run(text, &[lena()]),
        [fragment("a non-starter", "Lena Marsh")]
    );
}

#[test]
fn organisation_nouns_as_speakers() {
    // A state's armed forces speak for the state named with them.
    let text = "The Nordlandic military said it had intercepted two drones over the bay.";
    assert_eq!(
        run(text, &[nordland()]),
        [indirect(
            "it had intercepted two drones over the bay",
            "Nordland"
        )]
    );
    // "the agency" after the agency was named; "it" for an organisation.
    let text = "The Harbour Agency closed two berths. Later the agency said the berths \
                would reopen soon. It said the dredging had finished.";
    assert_eq!(
        run(text, &[harbour_agency()]),
        [
            indirect("the berths would reopen soon", "Harbour Agency"),
            indirect("the dredging had finished", "Harbour Agency"),
        ]
    );
    // A possessive owner and its ministry.
    let text = "Nordland’s defence ministry said the exercise was over.";
    assert_eq!(
        run(text, &[nordland()]),
        [indirect("the exercise was over", "Nordland")]
    );
}

#[test]
fn the_statement_speaks_for_its_issuer() {
    let text = "“The berths will reopen,” the Harbour Agency said in a statement. \
                The statement said dredging would finish in May.";
    let ents = entities(text, &[harbour_agency()]);
    let (_, quotes) = run_full(text, &ents, &[]);
    let got: Vec<Got> = quotes.iter().map(|q| got(text, &ents, q)).collect();
    assert_eq!(
        got,
        [
            direct("The berths will reopen", "Harbour Agency"),
            indirect("dredging would finish in May", "Harbour Agency"),
        ]
    );
    assert_eq!(quotes[0].channel.as_deref(), Some("statement"));
}

#[test]
fn statement_time_is_the_cue_clauses_own() {
    let text = "The ministry on Monday closed the crossing, and Nordland said on Tuesday \
                that it needed time to reply.";
    let ents = entities(text, &[nordland()]);
    let times = [
        time(text, "Monday", "2024-05-06"),
        time(text, "Tuesday", "2024-05-07"),
    ];
    let (_, quotes) = run_full(text, &ents, &times);
    assert_eq!(quotes[0].time.as_deref(), Some("2024-05-07"));
    // A time in an earlier predicate of the subject does not date the statement.
    let text = "Nordland has counted 300 incidents since March and says the real number is higher.";
    let ents = entities(text, &[nordland()]);
    let (_, quotes) = run_full(text, &ents, &[time(text, "March", "2024-03")]);
    assert_eq!(quotes[0].time, None);
    // A fronted phrase dates its clause.
    let text = "Asked on Friday whether the port would reopen, Brel said it was “too early”.";
    let ents = entities(text, &[tomas()]);
    let (_, quotes) = run_full(text, &ents, &[time(text, "Friday", "2024-05-10")]);
    assert_eq!(quotes[0].time.as_deref(), Some("2024-05-10"));
}

#[test]
fn follow_up_quote_shares_the_statement_time() {
    let text = "Brel said on Friday that the talks had stalled. “We will try again next month,” \
                he added.\n\n“Nothing is settled,” Brel said.";
    let ents = entities(text, &[tomas()]);
    let (_, quotes) = run_full(text, &ents, &[time(text, "Friday", "2024-05-10")]);
    let times: Vec<_> = quotes.iter().map(|q| q.time.as_deref()).collect();
    // The third quote is in another paragraph: a new occasion, not dated.
    assert_eq!(times, [Some("2024-05-10"), Some("2024-05-10"), None]);
}

#[test]
fn lead_in_without_a_speech_verb() {
    let text = "Marsh returned to the topic at her weekly briefing, reading from notes:\n\n\
                “The corridor stays open. The ships will sail.”";
    let ents = entities(text, &[lena()]);
    let (_, quotes) = run_full(text, &ents, &[]);
    assert_eq!(
        got(text, &ents, &quotes[0]),
        direct(
            "The corridor stays open. The ships will sail.",
            "Lena Marsh"
        )
    );
    assert_eq!(quotes[0].channel.as_deref(), Some("briefing"));
}

#[test]
fn according_to_with_modifiers_and_appositives() {
    let text = "According to a diplomat familiar with the dam, the spillway is cracked.";
    assert_eq!(run(text, &[]), [indirect("the spillway is cracked", "-")]);
    let text = "According to Tomas Brel, the president's spokesman, the talks will resume in May.";
    assert_eq!(
        run(text, &[tomas()]),
        [indirect("the talks will resume in May", "Tomas Brel")]
    );
}

#[test]
fn a_tail_attribution_may_close_with_an_appositive() {
    let text = "The talks will resume in May, according to Tomas Brel, the president's spokesman.";
    assert_eq!(
        run(text, &[tomas()]),
        [indirect("The talks will resume in May", "Tomas Brel")]
    );
    // An appositive that speaks for itself is a quote of its own, not this one's tail.
    let text = "The talks will resume in May, according to Tomas Brel, a spokesman who said more.";
    assert!(run(text, &[tomas()])
        .iter()
        .all(|q| q.text != "The talks will resume in May"));
}

#[test]
fn withheld_or_passive_speech_is_no_quote() {
    for text in [
        "Brel did not say when the talks would resume.",
        "Marsh declined to say whether exports had fallen.",
        "Brel told a long story about the harbour.",
        "Brel was told the harbour would close.",
        "The port, which analysts say has cost billions, is idle.",
    ] {
        assert!(run(text, &[tomas(), lena()]).is_empty(), "{text}");
    }
}

#[test]
fn casualty_reports_are_quotes_of_whoever_gave_them() {
    let got = run(
        "Four people were killed in the blast, Brel said.",
        &[tomas()],
    );
    assert_eq!(
        got,
        [indirect(
            "Four people were killed in the blast",
            "Tomas Brel"
        )]
    );
    let got = run(
        "Brel said two dockers were wounded by the blast.",
        &[tomas()],
    );
    assert_eq!(
        got,
        [indirect(
            "two dockers were wounded by the blast",
            "Tomas Brel"
        )]
    );
    let text = "Brel said no ship had been hit.";
    assert_eq!(
        run(text, &[tomas()]),
        [indirect("no ship had been hit", "Tomas Brel")]
    );
}

#[test]
fn a_weekday_without_a_date_still_ends_a_tail_attribution() {
    // No publication date: "Sunday" is a time with no value, and the reported words
    // are still the clause before the subject, not the phrase after the cue.
    let text = "The depot burned for hours, Brel said on Sunday.";
    let ents = entities(text, &[tomas()]);
    let undated = TimeInfo {
        value: None,
        ..time(text, "Sunday", "")
    };
    let (_, quotes) = run_full(text, &ents, &[undated]);
    let got: Vec<Got> = quotes.iter().map(|q| got(text, &ents, q)).collect();
    assert_eq!(got, [indirect("The depot burned for hours", "Tomas Brel")]);
}

#[test]
fn a_long_quote_does_not_use_up_the_look_back() {
    // Nine quoted sentences stand between the name and "he added": only sentences with
    // words outside quotation marks count towards the look-back.
    let long: String = (1..=9)
        .map(|i| format!("Shelter number {i} was hit. "))
        .collect();
    let text = format!(
        "Tomas Brel spoke in Oslo on Friday.\n\n“{}Nobody is safe,” he said.\n\n“Two schools were hit in a day,” he added.",
        long.trim_end()
    );
    let got = run(&text, &[tomas()]);
    assert_eq!(got.len(), 2);
    assert!(got.iter().all(|g| g.speaker == "Tomas Brel"), "{got:?}");
}

#[test]
fn participles_hand_the_quote_to_the_clause_subject() {
    let text = "Tomas Brel met the delegation in Oslo, stressing the need to “keep the corridor open at all costs.”";
    assert_eq!(
        run(text, &[tomas()]),
        [direct("keep the corridor open at all costs.", "Tomas Brel")]
    );
}

#[test]
fn a_name_in_apposition_speaks_for_its_description() {
    let farid = || person("Farid Osman", None, &[], &["Farid Osman"]);
    // The description follows the name ...
    let text = "“We had a day to leave,” Farid Osman, a local resident, told reporters.";
    assert_eq!(
        run(text, &[farid()]),
        [direct("We had a day to leave", "Farid Osman")]
    );
    // ... or comes first, with the name set off by commas.
    let text = "The army's official spokesman, Farid Osman, said that the town was calm.";
    assert_eq!(
        run(text, &[farid()]),
        [indirect("the town was calm", "Farid Osman")]
    );
}

#[test]
fn quotations_in_one_sentence_share_its_cue() {
    let text = "Tomas Brel said on Sunday that a week of talks in Oslo closed with \
                “useful” exchanges on “possible ways of ending the war.”";
    let got = run(text, &[tomas()]);
    assert!(
        got.iter()
            .any(|g| g.text == "possible ways of ending the war." && g.speaker == "Tomas Brel"),
        "{got:?}"
    );
}

#[test]
fn a_bodys_spokesperson_named_after_the_role_speaks() {
    let farid = || person("Farid Osman", None, &[], &["Farid Osman"]);
    let text = "The army's chief spokesman Colonel Farid Osman spoke on Friday, \
                insisting that “the report is false.”";
    assert_eq!(
        run(text, &[farid()]),
        [direct("the report is false.", "Farid Osman")]
    );
}
