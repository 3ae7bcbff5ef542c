//! Prints the time expressions of a text file: `time_find FILE [YYYY-MM-DD]`.
//!
//! The whole file is one sentence here (no segmenter); the publication day, when
//! given, anchors relative expressions.

fn main() {
    let mut args = std::env::args().skip(1);
    let Some(path) = args.next() else {
        eprintln!("usage: time_find FILE [YYYY-MM-DD]");
        std::process::exit(2);
    };
    let text = match std::fs::read_to_string(&path) {
        Ok(t) => t,
        Err(e) => {
            eprintln!("time_find: reading {path}: {e}");
            std::process::exit(1);
        }
    };
    let published = args
        .next()
        .and_then(|d| d.parse::<jiff::civil::Date>().ok());
    for t in sitrep_time::find_times(&text, &[], published) {
        let s = t.span.slice(&text).unwrap_or("");
        println!(
            "{:>6}..{:<6} {:<28} {:<9} {:<22} {:<11} {:<10} end={} pod={} mod={}",
            t.span.start,
            t.span.end,
            format!("{s:?}"),
            t.kind.timex3_type(),
            t.value.as_deref().unwrap_or("-"),
            t.precision.as_str(),
            t.anchor.as_str(),
            t.end.as_deref().unwrap_or("-"),
            t.part_of_day.unwrap_or("-"),
            t.modifier.unwrap_or("-"),
        );
    }
}
