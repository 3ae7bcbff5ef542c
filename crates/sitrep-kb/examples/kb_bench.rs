//! KB benchmark: load time, resident memory, lookup and `find_in` throughput.
//!
//! `cargo run --release -p sitrep-kb --example kb_bench [MB]` builds a synthetic
//! text (KB names mixed with ordinary filler prose, ~MB megabytes, default 8) and
//! prints the numbers.

use std::time::Instant;

use sitrep_kb::{Entry, Kb, PlaceContext};

fn status(field: &str) -> String {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with(field))
                .map(|l| l.split_whitespace().skip(1).collect::<Vec<_>>().join(" "))
        })
        .unwrap_or_else(|| "n/a".into())
}

fn main() {
    let mb: f64 = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(8.0);
    println!("RSS before load: {}", status("VmRSS:"));
    let t = Instant::now();
    let kb = Kb::embedded();
    let load = t.elapsed();
    println!(
        "load: {:.2} ms ({} keys, {} places, {} countries, {} orgs, {} titles)",
        load.as_secs_f64() * 1e3,
        kb.key_count(),
        kb.place_count(),
        kb.countries().len(),
        kb.orgs().len(),
        kb.titles().len()
    );
    println!(
        "RSS after load: {}  (peak {})",
        status("VmRSS:"),
        status("VmHWM:")
    );

    // names from the KB: every 97th place plus all countries, orgs and titles
    let mut names: Vec<String> = (0..kb.place_count() as u32)
        .step_by(97)
        .filter_map(|i| kb.place(i).map(|p| p.name.to_string()))
        .collect();
    names.extend(kb.countries().iter().map(|c| c.name.clone()));
    names.extend(kb.orgs().iter().map(|o| o.name.clone()));
    names.extend(kb.titles().iter().map(|t| t.title.clone()));
    let filler = [
        "officials said on Tuesday that the talks would continue",
        "according to a statement released late in the evening",
        "the ministry said nine people were killed and dozens wounded",
        "a spokesman declined to comment on the report",
        "as negotiations stalled over the weekend",
        "drone strikes overnight damaged energy infrastructure",
    ];
    let target = (mb * 1_000_000.0) as usize;
    let mut text = String::with_capacity(target + 200);
    let (mut i, mut k) = (0usize, 0usize);
    while text.len() < target {
        text.push_str(&names[i % names.len()]);
        text.push_str(", ");
        text.push_str(filler[k % filler.len()]);
        text.push_str(". ");
        if k % 3 == 0 {
            text.push_str("In ");
            text.push_str(&names[(i * 7 + 3) % names.len()]);
            text.push_str(" the shelling went on. ");
        }
        i += 1;
        k += 1;
    }

    // lookup
    let t = Instant::now();
    let mut hits = 0usize;
    let n = names.len().min(20_000);
    for name in names.iter().take(n) {
        hits += kb.lookup(name).len();
    }
    let el = t.elapsed().as_secs_f64();
    println!(
        "lookup: {n} names in {:.1} ms = {:.2} µs/name ({hits} candidates)",
        el * 1e3,
        el * 1e6 / n as f64
    );

    // resolve
    let ctx = PlaceContext::new();
    let t = Instant::now();
    let mut resolved = 0usize;
    for name in names.iter().take(n) {
        resolved += kb.resolve_place(name, &ctx).is_some() as usize;
    }
    let el = t.elapsed().as_secs_f64();
    println!(
        "resolve_place: {:.2} µs/name ({resolved} resolved)",
        el * 1e6 / n as f64
    );

    // find_in over the whole text and by sentences
    let t = Instant::now();
    let m = kb.find_in(&text);
    let el = t.elapsed().as_secs_f64();
    let places = m
        .iter()
        .filter(|m| {
            m.candidates
                .iter()
                .any(|c| matches!(c.entry, Entry::Place(_)))
        })
        .count();
    println!(
        "find_in (whole text): {:.1} MB in {:.1} ms = {:.1} MB/s; {} matches ({} with places)",
        text.len() as f64 / 1e6,
        el * 1e3,
        text.len() as f64 / 1e6 / el,
        m.len(),
        places
    );
    let t = Instant::now();
    let mut count = 0usize;
    for s in text.split(". ") {
        count += kb.find_in(s).len();
    }
    let el = t.elapsed().as_secs_f64();
    println!(
        "find_in (per sentence): {:.1} MB/s; {count} matches",
        text.len() as f64 / 1e6 / el
    );
    println!(
        "RSS at end: {}  (peak {})",
        status("VmRSS:"),
        status("VmHWM:")
    );
}
