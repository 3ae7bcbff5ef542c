//! Throughput of `find_times` on synthetic news-like text.
//!
//! `cargo run --release -p sitrep-time --example time_speed [MB]` builds about MB
//! megabytes (default 8) of war-and-diplomacy sentences (with and without time
//! expressions), splits them into sentences, and reports MB/s for `find_times`.

use std::time::Instant;

use sitrep_core::Span;

const SENTENCES: &[&str] = &[
    "Ukrainian President Volodymyr Zelensky told a press briefing on Tuesday night that Kyiv would not recognise the occupation of Crimea.",
    "The talks in London were downgraded to the level of officials after the US Secretary of State pulled out.",
    "Russian drones struck a bus in the city of Marhanets, killing nine people and wounding dozens, the regional governor said.",
    "Defence Secretary John Healey told Parliament that there was no evidence Moscow had respected the Easter truce.",
    "The envoy is expected to travel to Moscow later this week for further talks with the Kremlin.",
    "Shelling destroyed key infrastructure in Kherson, officials said in a statement on Telegram.",
    "A 30-day ceasefire proposed in March 2025 was never implemented, according to diplomats.",
    "Prices for grain exports have risen sharply over the past three years as shipping routes were disrupted.",
    "The minister said the delegation would meet its European counterparts in Paris.",
    "Both sides accused each other of violating the agreement, which was signed on 23 April 2025.",
    "The Kremlin spokesman dismissed the report as fake and declined to comment further.",
    "Since February 2022 more than six million refugees have left the country, the agency said.",
];

fn main() {
    let mb: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(8);
    let mut text = String::new();
    let mut sentences = Vec::new();
    let mut k = 0;
    while text.len() < mb * 1_000_000 {
        let s = SENTENCES[k % SENTENCES.len()];
        let start = text.len();
        text.push_str(s);
        sentences.push(Span::new(start, text.len()));
        text.push(if k % 5 == 4 { '\n' } else { ' ' });
        k += 1;
    }
    let published = Some(jiff::civil::date(2025, 4, 23));
    // Warm up, then time a few rounds.
    let mut found = sitrep_time::find_times(&text, &sentences, published).len();
    let rounds = 5;
    let t0 = Instant::now();
    for _ in 0..rounds {
        found = sitrep_time::find_times(&text, &sentences, published).len();
    }
    let secs = t0.elapsed().as_secs_f64() / f64::from(rounds);
    let mbs = text.len() as f64 / 1e6 / secs;
    let words = text.split_ascii_whitespace().count() as f64;
    println!(
        "{:.1} MB, {} sentences, {found} time expressions: {:.1} ms per pass, {mbs:.1} MB/s, {:.2}M words/s",
        text.len() as f64 / 1e6,
        sentences.len(),
        secs * 1e3,
        words / secs / 1e6
    );
}
