//! Print the KB matches in a text file and how each place resolves:
//! `cargo run --release -p sitrep-kb --example kb_find FILE`.

use sitrep_kb::{Kb, PlaceContext};

fn main() {
    let Some(path) = std::env::args().nth(1) else {
        eprintln!("usage: kb_find FILE");
        std::process::exit(2);
    };
    let text = match std::fs::read_to_string(&path) {
        Ok(t) => t,
        Err(e) => {
            eprintln!("{path}: {e}");
            std::process::exit(1);
        }
    };
    let kb = Kb::embedded();
    let matches = kb.find_in(&text);
    let ctx = PlaceContext::from_matches(kb, &matches);
    for m in &matches {
        let kinds: Vec<&str> = m.candidates.iter().map(|c| c.kind_str()).collect();
        let mut line = format!(
            "{:>6}..{:<6} {:<28} {:?}",
            m.span.start,
            m.span.end,
            &text[m.span.clone()],
            kinds
        );
        if let Some(cc) = m.country() {
            line.push_str(&format!(" country={cc}"));
        }
        if let Some(r) = kb.resolve_candidates(&m.candidates, &ctx) {
            line.push_str(&format!(
                " -> {} ({}, {}, {:.3},{:.3}, p={:.2})",
                r.place.name,
                r.place.country.map(|c| c.to_string()).unwrap_or_default(),
                r.place.kind.as_str(),
                r.place.lat,
                r.place.lon,
                r.confidence
            ));
        }
        for t in m.titles() {
            line.push_str(&format!(" title={}:{}", t.title, t.category.as_str()));
        }
        println!("{line}");
    }
}
