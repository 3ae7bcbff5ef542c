//! The bench's report: a plain-text summary for the terminal, Markdown for
//! `BENCHMARKS.md`, and the machine description that goes with the figures.

use std::fmt::Write;

use super::{Machine, NerRow, Results};

/// Peak resident set size of this process (VmHWM), KiB; `None` off Linux.
pub fn peak_rss_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
}

/// The machine: cores, CPU model, memory, OS.
pub fn machine() -> Machine {
    let cpu = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("model name"))
                .and_then(|l| l.split_once(':'))
                .map(|(_, v)| v.trim().to_owned())
        })
        .unwrap_or_else(|| "unknown".to_owned());
    let memory_gib = std::fs::read_to_string("/proc/meminfo")
        .ok()
        .and_then(|s| {
            s.lines()
                .find_map(|l| l.strip_prefix("MemTotal:"))
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<f64>().ok())
        })
        .map_or(0.0, |kib| (kib / 1024.0 / 1024.0 * 10.0).round() / 10.0);
    Machine {
        cores: std::thread::available_parallelism().map_or(1, |n| n.get()),
        cpu,
        memory_gib,
        os: format!("{} {}", std::env::consts::OS, std::env::consts::ARCH),
        load_average: std::fs::read_to_string("/proc/loadavg")
            .ok()
            .map(|l| l.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
            .unwrap_or_else(|| "unknown".to_owned()),
    }
}

/// The commit checked out (with `-dirty` when the tree has changes), or `unknown`.
pub fn git_commit() -> String {
    let git = |args: &[&str]| {
        std::process::Command::new("git")
            .args(args)
            .output()
            .ok()
            .filter(|o| o.status.success())
            .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_owned())
    };
    match git(&["rev-parse", "--short=12", "HEAD"]) {
        Some(hash) if !hash.is_empty() => {
            let dirty = git(&["status", "--porcelain", "--untracked-files=no"])
                .is_some_and(|s| !s.is_empty());
            if dirty {
                format!("{hash}-dirty")
            } else {
                hash
            }
        }
        _ => "unknown".to_owned(),
    }
}

/// `1234567.8` → `1,234,568`.
fn thousands(v: f64) -> String {
    let n = v.round().max(0.0) as u64;
    let digits = n.to_string();
    let groups: Vec<&str> = digits
        .as_bytes()
        .rchunks(3)
        .rev()
        .map(|g| std::str::from_utf8(g).unwrap_or(""))
        .collect();
    groups.join(",")
}

fn mib(v: Option<f64>) -> String {
    v.map_or_else(|| "n/a".to_owned(), |m| format!("{m:.0} MiB"))
}

/// The summary printed on stdout.
pub fn text(r: &Results) -> String {
    let mut s = String::new();
    let _ = writeln!(
        s,
        "corpus: {} documents, {} words, {:.2} MB ({} cores: {})",
        r.corpus.documents,
        thousands(r.corpus.words as f64),
        r.corpus.input_bytes as f64 / 1e6,
        r.machine.cores,
        r.machine.cpu
    );
    let _ = writeln!(
        s,
        "{:<20} {:>7} {:>9} {:>12} {:>8} {:>9}",
        "step", "threads", "seconds", "words/s", "MB/s", "docs/s"
    );
    for t in &r.throughput {
        let _ = writeln!(
            s,
            "{:<20} {:>7} {:>9.3} {:>12} {:>8.2} {:>9.1}",
            t.name,
            t.threads,
            t.seconds,
            thousands(t.words_per_sec),
            t.mb_per_sec,
            t.docs_per_sec
        );
    }
    let _ = writeln!(s, "where the one-core time goes:");
    for st in &r.stages {
        let _ = writeln!(
            s,
            "  {:<10} {:>6.1}%  {:>8.3} s",
            st.stage, st.share, st.seconds
        );
    }
    let _ = writeln!(
        s,
        "peak RSS: pipeline {} (1 thread), {} ({} threads); bench process {}",
        mib(r.memory.pipeline_one_thread_mib),
        mib(r.memory.pipeline_all_threads_mib),
        r.settings.threads,
        mib(r.memory.bench_process_mib)
    );
    if let Some(p) = &r.peer {
        let _ = writeln!(
            s,
            "spaCy {} {}: full {} words/s, NER only {} words/s; sitrep/spaCy on one core: {:.1}x full, {:.1}x NER only",
            p.spacy,
            p.model,
            thousands(p.full.words_per_sec),
            thousands(p.ner_only.words_per_sec),
            p.ratio_full.unwrap_or(0.0),
            p.ratio_ner_only.unwrap_or(0.0)
        );
    }
    if let Some(n) = &r.ner {
        let f1 = |rows: &[NerRow]| {
            rows.iter()
                .map(|x| format!("{} {:.1}", x.label, x.f1))
                .collect::<Vec<_>>()
                .join(", ")
        };
        let _ = writeln!(s, "entity F1 on {}: sitrep {}", n.file, f1(&n.sitrep));
        if let Some(sp) = &n.spacy {
            let _ = writeln!(s, "  spaCy sm {}", f1(sp));
        }
    }
    if let Some(f) = &r.facts {
        let _ = writeln!(s, "facts on {} gold files:", f.gold_files.len());
        for row in &f.rows {
            let _ = writeln!(
                s,
                "  {:<9} gold {:>4} found {:>4} correct {:>4} predicted {:>4}  P {:.3} R {:.3} F1 {:.3}",
                row.fact,
                row.gold,
                row.found,
                row.correct,
                row.predicted,
                row.precision,
                row.recall,
                row.f1
            );
        }
    }
    for note in &r.notes {
        let _ = writeln!(s, "note: {note}");
    }
    s
}

/// The Markdown report, ready for `BENCHMARKS.md`.
pub fn markdown(r: &Results) -> String {
    let mut s = String::new();
    let m = &r.machine;
    let _ = writeln!(s, "# Benchmarks\n");
    let _ = writeln!(
        s,
        "Generated by `sitrep bench` on {} at commit `{}`.  \nMachine: {} cores ({}), {:.1} GiB memory, {}; \
         load average {} when the run started (the machine may be shared, so figures move \
         with load: re-run before comparing).  \n\
         Command: `{}`\n",
        r.date, r.commit, m.cores, m.cpu, m.memory_gib, m.os, m.load_average, r.command
    );

    let _ = writeln!(s, "## Corpus\n");
    let _ = writeln!(
        s,
        "{} documents, {} words (word and number tokens), {:.2} MB of input \
         (plain text with front matter), {:.2} MB of normalised text. The bundled examples \
         are copied with people's names, places and numbers swapped by a seeded permutation \
         (seed {}); the texts of the shared gold sets make up to half when present.\n",
        r.corpus.documents,
        thousands(r.corpus.words as f64),
        r.corpus.input_bytes as f64 / 1e6,
        r.corpus.text_bytes as f64 / 1e6,
        r.settings.seed
    );
    let _ = writeln!(s, "| source | documents | words |\n|---|---:|---:|");
    for src in &r.corpus.sources {
        let _ = writeln!(
            s,
            "| {} | {} | {} |",
            src.source,
            src.documents,
            thousands(src.words as f64)
        );
    }

    let _ = writeln!(
        s,
        "\n## Throughput\n\nMedian of {} runs. `read` is bytes → document (decoding and \
         normalisation included); `pipeline (extract)` is every stage from segmentation to \
         the `sitrep/1` record; `read + pipeline` is both, per document.\n",
        r.settings.repeats
    );
    let _ = writeln!(
        s,
        "| step | threads | seconds | words/s | MB/s | docs/s |\n|---|---:|---:|---:|---:|---:|"
    );
    for t in &r.throughput {
        let _ = writeln!(
            s,
            "| {} | {} | {:.3} | {} | {:.2} | {:.1} |",
            t.name,
            t.threads,
            t.seconds,
            thousands(t.words_per_sec),
            t.mb_per_sec,
            t.docs_per_sec
        );
    }

    let _ = writeln!(
        s,
        "\n## Where the time goes (one core)\n\nEach stage's time summed over the documents \
         (`Analysis::timings`), with reading before and the record conversion after. \
         How the profile-guided pass changed these shares, and why: \
         [`bench/PROFILE.md`](bench/PROFILE.md).\n"
    );
    let _ = writeln!(
        s,
        "| stage | seconds | share | words/s alone |\n|---|---:|---:|---:|"
    );
    for st in &r.stages {
        let _ = writeln!(
            s,
            "| {} | {:.3} | {:.1}% | {} |",
            st.stage,
            st.seconds,
            st.share,
            thousands(st.words_per_sec)
        );
    }

    let _ = writeln!(
        s,
        "\n## Memory\n\nPeak resident set (VmHWM) of a child process that reads the corpus \
         and runs the pipeline on every document, knowledge base and tagger included.\n"
    );
    let _ = writeln!(s, "| run | peak RSS |\n|---|---:|");
    let _ = writeln!(
        s,
        "| pipeline, 1 thread | {} |",
        mib(r.memory.pipeline_one_thread_mib)
    );
    let _ = writeln!(
        s,
        "| pipeline, {} threads | {} |",
        r.settings.threads,
        mib(r.memory.pipeline_all_threads_mib)
    );
    let _ = writeln!(
        s,
        "| the bench process (corpus in memory, scorers) | {} |",
        mib(r.memory.bench_process_mib)
    );

    let one_core = r
        .throughput
        .iter()
        .find(|t| t.name.starts_with("pipeline") && t.threads == 1);
    let _ = writeln!(s, "\n## sitrep and spaCy on the same texts\n");
    match &r.peer {
        Some(p) => {
            let _ = writeln!(
                s,
                "spaCy {} with {} (load {:.2} s), one process, `nlp.pipe(batch_size=128)`, \
                 median of {} run(s); words/s use sitrep's word count of the same texts.\n",
                p.spacy,
                p.model,
                p.load_seconds,
                p.full.runs.len()
            );
            let _ = writeln!(
                s,
                "| system | seconds | words/s (one core) | sitrep / this |\n|---|---:|---:|---:|"
            );
            let ours = p
                .sitrep_words_per_sec()
                .or(one_core.map(|t| t.words_per_sec));
            if let Some(ours) = ours {
                let seconds = if ours > 0.0 {
                    r.corpus.words as f64 / ours
                } else {
                    0.0
                };
                let _ = writeln!(
                    s,
                    "| sitrep full pipeline | {:.2} | {} | 1.0× |",
                    seconds,
                    thousands(ours)
                );
            }
            let _ = writeln!(
                s,
                "| spaCy sm full pipeline ({}) | {:.2} | {} | {:.1}× |",
                p.full.components.join(", "),
                p.full.seconds,
                thousands(p.full.words_per_sec),
                p.ratio_full.unwrap_or(0.0)
            );
            let _ = writeln!(
                s,
                "| spaCy sm NER only ({}) | {:.2} | {} | {:.1}× |",
                p.ner_only.components.join(", "),
                p.ner_only.seconds,
                thousands(p.ner_only.words_per_sec),
                p.ratio_ner_only.unwrap_or(0.0)
            );
            if let Some([before, after]) = p.sitrep_before_after {
                let _ = writeln!(
                    s,
                    "\nsitrep's one-core pipeline ran at {} words/s just before spaCy and {} \
                     words/s just after it; the ratios use the slower, so a machine that \
                     slows down during the minutes spaCy takes does not flatter sitrep.",
                    thousands(before),
                    thousands(after)
                );
            }
        }
        None => {
            let _ = writeln!(
                s,
                "Not measured in this run (`sitrep bench --peer` runs spaCy).\n"
            );
        }
    }

    if let Some(n) = &r.ner {
        let _ = writeln!(
            s,
            "\n## Names: entity F1 on gold tokens\n\n`{}` ({} sentences, {} tokens), \
             entity-level exact match; spaCy labels mapped PERSON→PER, ORG→ORG, \
             GPE/LOC/FAC→LOC.\n",
            n.file, n.sentences, n.tokens
        );
        let _ = writeln!(
            s,
            "| system | PER F1 | ORG F1 | LOC F1 | micro P | micro R | micro F1 |\n|---|---:|---:|---:|---:|---:|---:|"
        );
        let line = |s: &mut String, name: &str, rows: &[NerRow]| {
            let get = |label: &str| rows.iter().find(|x| x.label == label);
            let f1 = |label: &str| get(label).map_or("n/a".to_owned(), |x| format!("{:.1}", x.f1));
            let micro = get("micro");
            let _ = writeln!(
                s,
                "| {name} | {} | {} | {} | {} | {} | {} |",
                f1("PER"),
                f1("ORG"),
                f1("LOC"),
                micro.map_or("n/a".to_owned(), |x| format!("{:.1}", x.precision)),
                micro.map_or("n/a".to_owned(), |x| format!("{:.1}", x.recall)),
                micro.map_or("n/a".to_owned(), |x| format!("{:.1}", x.f1)),
            );
        };
        line(&mut s, "sitrep tagger", &n.sitrep);
        if let Some(sp) = &n.spacy {
            line(&mut s, "spaCy en_core_web_sm", sp);
        }
    }

    if let Some(f) = &r.facts {
        let _ = writeln!(
            s,
            "\n## Facts on gold files\n\n`sitrep eval` over {} gold files (examples and, when \
             present, the shared seed).\n",
            f.gold_files.len()
        );
        let _ = writeln!(
            s,
            "| fact | gold | found | correct | predicted | precision | recall | F1 |\n|---|---:|---:|---:|---:|---:|---:|---:|"
        );
        for row in &f.rows {
            let _ = writeln!(
                s,
                "| {} | {} | {} | {} | {} | {:.3} | {:.3} | {:.3} |",
                row.fact,
                row.gold,
                row.found,
                row.correct,
                row.predicted,
                row.precision,
                row.recall,
                row.f1
            );
        }
    }
    if !r.notes.is_empty() {
        let _ = writeln!(s, "\n## Notes\n");
        for note in &r.notes {
            let _ = writeln!(s, "- {note}");
        }
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thousands_separators() {
        assert_eq!(thousands(0.4), "0");
        assert_eq!(thousands(999.0), "999");
        assert_eq!(thousands(1000.0), "1,000");
        assert_eq!(thousands(1234567.8), "1,234,568");
    }

    #[test]
    fn machine_and_memory_are_read() {
        let m = machine();
        assert!(m.cores >= 1);
        if cfg!(target_os = "linux") {
            assert!(peak_rss_kib().is_some_and(|k| k > 0));
        }
    }
}
