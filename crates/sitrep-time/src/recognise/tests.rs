//! Rule tests on short sentences of our own, published Wednesday 23 April 2025.

use jiff::civil::{date, Date};
use sitrep_core::Span;

use crate::{find_times, Anchor, Precision, TimeExpr, TimeKind};

const WED: Date = date(2025, 4, 23);

fn all(text: &str) -> Vec<(String, Option<String>)> {
    find_times(text, &[], Some(WED))
        .into_iter()
        .map(|t| (text[t.span.start()..t.span.end()].to_owned(), t.value))
        .collect()
}

/// The single expression whose text is `what`.
fn one(text: &str, what: &str) -> TimeExpr {
    let found = find_times(text, &[], Some(WED));
    found
        .iter()
        .find(|t| &text[t.span.start()..t.span.end()] == what)
        .cloned()
        .unwrap_or_else(|| panic!("{what:?} not found in {text:?}: {:?}", all(text)))
}

fn val(text: &str, what: &str) -> String {
    one(text, what).value.unwrap_or_default()
}

#[test]
fn weekdays_follow_the_tense() {
    let t = one(
        "Zelensky told a press briefing Tuesday night that he would not.",
        "Tuesday night",
    );
    assert_eq!(t.value.as_deref(), Some("2025-04-22"));
    assert_eq!(t.part_of_day, Some("NI"));
    assert_eq!(t.precision, Precision::Day);
    assert_eq!(t.timex3_value().as_deref(), Some("2025-04-22TNI"));
    assert_eq!(
        val("Officials met in London on Wednesday.", "Wednesday"),
        "2025-04-23"
    );
    assert_eq!(
        val("The envoys will meet on Friday.", "Friday"),
        "2025-04-25"
    );
    assert_eq!(
        val(
            "The envoy was expected in Oslo on Friday for more talks.",
            "Friday"
        ),
        "2025-04-25"
    );
    assert_eq!(
        val("Talks are expected to resume on Monday.", "Monday"),
        "2025-04-28"
    );
    assert_eq!(
        val("A drone struck the city on Monday.", "Monday"),
        "2025-04-21"
    );
    assert_eq!(
        val("They meet again next Monday.", "next Monday"),
        "2025-04-28"
    );
    assert_eq!(val("He spoke last Friday.", "last Friday"), "2025-04-18");
}

#[test]
fn relative_periods() {
    assert_eq!(val("Prices rose last month.", "last month"), "2025-03");
    assert_eq!(
        val("Rubio travels to Moscow this week.", "this week"),
        "2025-W17"
    );
    assert_eq!(val("He left last week.", "last week"), "2025-W16");
    assert_eq!(val("He returns next week.", "next week"), "2025-W18");
    assert_eq!(val("It will be decided next year.", "next year"), "2026");
    assert_eq!(val("It happened this month.", "this month"), "2025-04");
    assert_eq!(
        val("The town fell three days ago.", "three days ago"),
        "2025-04-20"
    );
    assert_eq!(val("They met two weeks ago.", "two weeks ago"), "2025-W15");
    assert_eq!(
        val("It was agreed earlier this year.", "earlier this year"),
        "2025"
    );
    assert_eq!(
        val("A vote is due later this month.", "later this month"),
        "2025-04"
    );
    assert_eq!(
        val("Talks are planned for this weekend.", "this weekend"),
        "2025-W17-WE"
    );
    assert_eq!(
        val("Strikes hit Kyiv last weekend.", "last weekend"),
        "2025-W16-WE"
    );
    assert_eq!(val("It was signed yesterday.", "yesterday"), "2025-04-22");
    assert_eq!(val("He lands tomorrow.", "tomorrow"), "2025-04-24");
    assert_eq!(val("Talks began today.", "today"), "2025-04-23");
    let t = one("He will speak tonight.", "tonight");
    assert_eq!(
        (t.value.as_deref(), t.part_of_day),
        (Some("2025-04-23"), Some("NI"))
    );
    assert_eq!(t.precision, Precision::PartOfDay);
    let t = one("Sirens sounded this morning.", "this morning");
    assert_eq!(
        (t.value.as_deref(), t.part_of_day),
        (Some("2025-04-23"), Some("MO"))
    );
    let t = one("Drones attacked last night.", "last night");
    assert_eq!(t.value.as_deref(), Some("2025-04-22"));
    assert_eq!(
        val(
            "Over the past 24 hours, 40 drones were launched.",
            "the past 24 hours"
        ),
        "PT24H"
    );
    assert_eq!(val("He is now in Kyiv.", "now"), "PRESENT_REF");
}

#[test]
fn absolute_dates() {
    assert_eq!(
        val("The deal was signed on 23 April 2025.", "23 April 2025"),
        "2025-04-23"
    );
    assert_eq!(
        val("The deal was signed on April 23, 2025.", "April 23, 2025"),
        "2025-04-23"
    );
    assert_eq!(val("It was signed on April 23.", "April 23"), "2025-04-23");
    assert_eq!(val("It was signed on Apr. 2.", "Apr. 2"), "2025-04-02");
    assert_eq!(val("It ends on 2 March.", "2 March"), "2025-03-02");
    assert_eq!(
        val("The file is dated 2025-04-23.", "2025-04-23"),
        "2025-04-23"
    );
    assert_eq!(
        val("The invasion began in February 2022.", "February 2022"),
        "2022-02"
    );
    assert_eq!(val("Russia annexed Crimea in 2014.", "2014"), "2014");
    assert_eq!(val("Prices fell in the 1990s.", "the 1990s"), "199X");
    assert_eq!(
        val("Fighting resumed in mid-March.", "mid-March"),
        "2025-03"
    );
    assert_eq!(
        one("Fighting resumed in mid-March.", "mid-March").modifier,
        Some("MID")
    );
    assert_eq!(val("It was built in early 2024.", "early 2024"), "2024");
    assert_eq!(
        val("It was built in spring 2023.", "spring 2023"),
        "2023-SP"
    );
    assert_eq!(val("Wars of the 20th century.", "the 20th century"), "19");
    assert_eq!(val("Talks are due in June.", "June"), "2025-06");
    assert_eq!(val("Talks were held in August.", "August"), "2024-08");
    assert_eq!(val("He was elected last May.", "last May"), "2024-05");
    assert_eq!(
        val(
            "Ukraine's president, on Wednesday, April 23, rejected it.",
            "Wednesday, April 23"
        ),
        "2025-04-23"
    );
}

#[test]
fn ambiguous_month_names() {
    assert!(all("Officials may freeze the front line.").is_empty());
    assert!(all("May I ask? Troops march to the border.").is_empty());
    assert!(all("They will march on the capital.").is_empty());
    assert_eq!(val("Elections are due in May.", "May"), "2025-05");
    assert_eq!(val("Elections are set for May 11.", "May 11"), "2025-05-11");
    assert!(all("Mar-a-Lago Jan Egeland said").is_empty());
}

#[test]
fn holidays() {
    assert_eq!(
        val(
            "Putin declared a truce over the Easter weekend.",
            "the Easter weekend"
        ),
        "2025-04-19"
    );
    assert_eq!(
        one(
            "Putin declared a truce over the Easter weekend.",
            "the Easter weekend"
        )
        .end
        .as_deref(),
        Some("2025-04-20")
    );
    assert_eq!(val("Putin's Easter truce ended.", "Easter"), "2025-04-20");
    assert_eq!(
        val(
            "They celebrated Orthodox Easter in 2024.",
            "Orthodox Easter"
        ),
        "2024-05-05"
    );
    assert_eq!(
        val("Shelling continued over Christmas.", "Christmas"),
        "2024-12-25"
    );
    assert_eq!(
        val("He hopes for peace by Christmas, he will say.", "Christmas"),
        "2025-12-25"
    );
    assert_eq!(
        val(
            "On Orthodox Christmas shelling stopped.",
            "Orthodox Christmas"
        ),
        "2025-01-07"
    );
    assert_eq!(
        val("They spoke on New Year's Eve.", "New Year's Eve"),
        "2024-12-31"
    );
    let r = one("Clashes during Ramadan were reported.", "Ramadan");
    assert_eq!((r.value, r.anchor), (None, Anchor::Unresolved));
}

#[test]
fn ranges() {
    let t = one("The talks run from 20 to 25 April.", "20 to 25 April");
    assert_eq!(
        (t.value.as_deref(), t.end.as_deref()),
        (Some("2025-04-20"), Some("2025-04-25"))
    );
    let t = one("The talks run April 20-25.", "April 20-25");
    assert_eq!(
        (t.value.as_deref(), t.end.as_deref()),
        (Some("2025-04-20"), Some("2025-04-25"))
    );
    let t = one("Fighting peaked between March and May.", "March and May");
    assert_eq!(
        (t.value.as_deref(), t.end.as_deref()),
        (Some("2025-03"), Some("2025-05"))
    );
}

#[test]
fn durations_and_sets() {
    let t = one("Both sides agreed to a 30-day ceasefire.", "30-day");
    assert_eq!(
        (t.value.as_deref(), t.kind),
        (Some("P30D"), TimeKind::Duration)
    );
    assert_eq!(val("The war has lasted three years.", "three years"), "P3Y");
    assert_eq!(val("The siege lasted 24 hours.", "24 hours"), "PT24H");
    assert_eq!(val("They paused for two weeks.", "two weeks"), "P2W");
    assert_eq!(
        val("The talks lasted a dozen hours.", "a dozen hours"),
        "PT12H"
    );
    assert_eq!(val("It took a couple of days.", "a couple of days"), "P2D");
    assert_eq!(
        val("It took twenty-four hours.", "twenty-four hours"),
        "PT24H"
    );
    assert_eq!(val("It took a few months.", "a few months"), "PXM");
    assert_eq!(val("They have fought for years.", "years"), "PXY");
    assert_eq!(val("It lasted about a month.", "a month"), "P1M");
    assert_eq!(
        one("It lasted about a month.", "a month").modifier,
        Some("APPROX")
    );
    assert!(all("A 30-year-old man was hurt.").is_empty());
    assert!(all("Children 6 months and older can be vaccinated.").is_empty());
    let t = one("The season began a month earlier than usual.", "a month");
    assert_eq!(
        (t.value.as_deref(), t.kind),
        (Some("P1M"), TimeKind::Duration)
    );
    assert_eq!(
        val("Growth will slow over the next decade.", "the next decade"),
        "P10Y"
    );
    assert_eq!(
        val(
            "Over the past several months it grew.",
            "the past several months"
        ),
        "PXM"
    );
    let t = one("Shelling happens every day.", "every day");
    assert_eq!((t.value.as_deref(), t.kind), (Some("P1D"), TimeKind::Set));
    assert_eq!(val("Officials meet weekly.", "weekly"), "P1W");
    assert_eq!(val("They meet every Monday.", "every Monday"), "XXXX-WXX-1");
    assert!(all("The Daily Telegraph reported.").is_empty());
}

#[test]
fn clock_times() {
    assert_eq!(
        val(
            "The truce begins at 18:00 GMT Saturday.",
            "18:00 GMT Saturday"
        ),
        "2025-04-19T18:00"
    );
    assert_eq!(
        val("Sirens sounded at 3 a.m.", "3 a.m."),
        "2025-04-23T03:00"
    );
    assert_eq!(val("He spoke at 10:30 pm.", "10:30 pm"), "2025-04-23T22:30");
    assert!(all("The score was 3:1 and 2,000 people came.").is_empty());
    // The clock stays its own expression but takes the day before it.
    assert_eq!(
        val("Shelling began Sunday night at 8 pm.", "8 pm"),
        "2025-04-20T20:00"
    );
}

#[test]
fn numbers_that_are_not_years() {
    assert!(all("Some 2000 troops and 1500 civilians left.").is_empty());
    assert!(all("It costs $2014 and 1999 % more.").is_empty());
    assert_eq!(val("The 2014 election was close.", "2014"), "2014");
}

#[test]
fn without_a_publication_date() {
    let found = find_times("They met on Tuesday and on 5 May and in 2014.", &[], None);
    let vals: Vec<_> = found.iter().map(|t| (t.value.clone(), t.anchor)).collect();
    assert_eq!(
        vals,
        vec![
            (None, Anchor::Unresolved),
            (Some("XXXX-05-05".into()), Anchor::Unresolved),
            (Some("2014".into()), Anchor::Absolute)
        ]
    );
}

#[test]
fn sentences_bound_the_tense() {
    // The future marker is in the next sentence; the weekday's own sentence is past.
    let text = "The strike hit on Friday. Talks will follow.";
    let s = vec![Span::new(0, 25), Span::new(26, text.len())];
    let t = find_times(text, &s, Some(WED));
    assert_eq!(t[0].value.as_deref(), Some("2025-04-18"));
}

#[test]
fn wire_form() {
    let text = "Zelensky spoke Tuesday night.";
    let t = one(text, "Tuesday night");
    let m = t.to_mention(text, 1);
    assert_eq!(m.id, "t1");
    assert_eq!(m.text, "Tuesday night");
    assert_eq!(m.value.as_deref(), Some("2025-04-22"));
    assert_eq!(m.precision, "day");
    assert_eq!(m.anchor, "published");
}

#[test]
fn huge_single_line_input() {
    let unit = "On Tuesday night, officials said 3 drones hit Kyiv in March 2022 — ";
    let mut text = String::new();
    while text.len() < 1_000_000 {
        text.push_str(unit);
    }
    let found = find_times(&text, &[], Some(WED));
    let n = text.len() / unit.len();
    assert!(found.len() >= 2 * n);
    assert!(found.iter().all(|t| t.span.is_valid_in(&text)));
}

proptest::proptest! {
    #[test]
    fn never_panics_and_spans_are_valid(s in "\\PC{0,200}", cuts in proptest::collection::vec(0usize..300, 0..6)) {
        let spans: Vec<Span> = cuts.chunks(2).map(|c| Span::new(c[0], *c.get(1).unwrap_or(&0))).collect();
        let found = find_times(&s, &spans, Some(WED));
        let mut last = 0;
        for t in &found {
            proptest::prop_assert!(t.span.is_valid_in(&s));
            proptest::prop_assert!(t.span.start() >= last);
            last = t.span.end();
        }
    }

    #[test]
    fn time_words_never_panic(words in proptest::collection::vec(proptest::sample::select(vec![
        "the", "last", "next", "May", "March", "2025", "-", "23", "April", "of", "Easter",
        "weekend", "a", "30", "day", "days", "ago", "from", "to", "between", "and", "every",
        "Tuesday", "night", ",", "12", ":", "00", "pm", "early", "mid", "1990s", "'", "century",
        "20th", "twenty", "Orthodox", "Christmas", "New", "Year", "s", "Eve", "half", "an", "hour",
    ]), 0..30)) {
        let s = words.join(" ");
        for p in [Some(WED), None, Some(date(1, 1, 1)), Some(date(9999, 12, 31))] {
            for t in find_times(&s, &[], p) {
                proptest::prop_assert!(t.span.is_valid_in(&s));
            }
        }
    }

    /// Time words glued to real-world punctuation (’ “ — …, zero-width and bidi marks,
    /// emoji with joiners): "Friday’s", "Monday—", "“Tuesday”".
    #[test]
    fn time_words_with_hostile_punctuation_give_valid_spans(pieces in proptest::collection::vec((proptest::sample::select(
        ["on", "last", "Friday", "Monday", "night", "12", "June", "2025", "-", "ago", "days", "three", "week", "since", "April"]
            .into_iter()
            .chain(sitrep_core::testing::HOSTILE_PIECES.iter().copied())
            .collect::<Vec<_>>()
    ), proptest::bool::ANY), 0..40)) {
        let mut s = String::new();
        for (piece, glue) in pieces {
            if !glue {
                s.push(' ');
            }
            s.push_str(piece);
        }
        let sentence = [Span::new(0, s.len())];
        for t in find_times(&s, &sentence, Some(WED)) {
            proptest::prop_assert!(t.span.is_valid_in(&s));
        }
    }
}
