//! `eval-ner`: scores the tagger on IOB2 gold files and measures its speed.
//!
//! ```text
//! eval-ner --iob2 FILE [--iob2 FILE…] [--model MODEL] [--json] [--speed N] [--dump] [--text FILE]
//! ```
//! Without `--model` the embedded model is used. `--speed N` tags the gold tokens N times
//! and reports tokens per second on one core; model load time is always reported.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use sitrep_ner::eval::{evaluate, read_iob2};
use sitrep_ner::gazetteer::{Gazetteer, Scratch};
use sitrep_ner::{TagBuffers, Tagger};

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        // `eval-ner … | head` closing the pipe early is not an error.
        Err(e)
            if e.downcast_ref::<std::io::Error>()
                .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe) =>
        {
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("eval-ner: {e}");
            eprintln!(
                "usage: eval-ner --iob2 FILE [--iob2 FILE…] [--model MODEL] [--json] [--speed N] [--dump] [--text FILE]"
            );
            ExitCode::FAILURE
        }
    }
}

fn run() -> Result<(), Box<dyn std::error::Error>> {
    let stdout = std::io::stdout();
    let mut w = std::io::BufWriter::new(stdout.lock());
    let mut files = Vec::new();
    let mut model: Option<PathBuf> = None;
    let mut json = false;
    let mut speed = 0usize;
    let mut dump = false;
    let mut texts: Vec<PathBuf> = Vec::new();
    let mut it = std::env::args().skip(1);
    while let Some(a) = it.next() {
        match a.as_str() {
            "--iob2" => files.push(PathBuf::from(it.next().ok_or("--iob2 needs a file")?)),
            "--model" => model = Some(PathBuf::from(it.next().ok_or("--model needs a file")?)),
            "--json" => json = true,
            "--dump" => dump = true,
            "--text" => texts.push(PathBuf::from(it.next().ok_or("--text needs a file")?)),
            "--speed" => speed = it.next().ok_or("--speed needs a count")?.parse()?,
            other => return Err(format!("unknown argument {other}").into()),
        }
    }
    if files.is_empty() && texts.is_empty() {
        return Err("no --iob2 or --text file given".into());
    }
    let start = Instant::now();
    let owned;
    let tagger: &Tagger = match &model {
        Some(p) => {
            let bytes = std::fs::read(p).map_err(|e| format!("reading {}: {e}", p.display()))?;
            owned = Tagger::from_bytes(&bytes)?;
            &owned
        }
        None => Tagger::embedded()?,
    };
    let load_ms = start.elapsed().as_secs_f64() * 1000.0;
    // The gazetteer (knowledge base and name lists) is loaded too when the model uses
    // its bits.
    let start = Instant::now();
    let gaz = tagger.uses_flags().then(Gazetteer::embedded);
    let gaz_ms = start.elapsed().as_secs_f64() * 1000.0;
    let mut scratch = Scratch::new();
    let mut flags = Vec::new();
    let mut reports = serde_json::Map::new();
    for f in &files {
        let gold = read_iob2(f)?;
        let ev = evaluate(tagger, &gold);
        if dump {
            // token TAB gold TAB predicted, blank line between sentences (conlleval input).
            for s in &gold {
                let toks: Vec<&str> = s.tokens.iter().map(String::as_str).collect();
                let extra = gaz.map(|g| {
                    g.flags_for_tokens(&toks, &mut scratch, &mut flags);
                    flags.as_slice()
                });
                let pred = tagger.tag(&toks, extra);
                for ((t, g), p) in toks.iter().zip(&s.labels).zip(&pred) {
                    writeln!(w, "{t}\t{g}\t{p}")?;
                }
                writeln!(w)?;
            }
            continue;
        }
        let mut entry = serde_json::to_value(&ev)?;
        if speed > 0 {
            let sents: Vec<Vec<&str>> = gold
                .iter()
                .map(|s| s.tokens.iter().map(String::as_str).collect())
                .collect();
            let ntok: usize = sents.iter().map(Vec::len).sum();
            let mut buf = TagBuffers::new();
            let mut out = Vec::new();
            // Three timings, median of `speed` passes each: gazetteer bits + tagging
            // (what a caller pays), tagging alone, and the gazetteer bits alone.
            let mut median = |mode: u8| {
                let mut runs = Vec::new();
                for _ in 0..speed {
                    let t = Instant::now();
                    for s in &sents {
                        let extra = match gaz {
                            Some(g) if mode != 1 => {
                                g.flags_for_tokens(s, &mut scratch, &mut flags);
                                Some(flags.as_slice())
                            }
                            _ => None,
                        };
                        if mode != 2 {
                            tagger.tag_into(s, extra, &mut buf, &mut out);
                        }
                    }
                    runs.push(ntok as f64 / t.elapsed().as_secs_f64());
                }
                runs.sort_by(f64::total_cmp);
                runs[runs.len() / 2]
            };
            let total = median(0);
            let (tag_only, gaz_only) = if gaz.is_some() {
                (median(1), median(2))
            } else {
                (total, f64::INFINITY)
            };
            entry["tokens_per_sec_median"] = serde_json::json!(total.round());
            entry["tagger_only_tokens_per_sec"] = serde_json::json!(tag_only.round());
            if gaz.is_some() {
                entry["gazetteer_only_tokens_per_sec"] = serde_json::json!(gaz_only.round());
            }
            if !json {
                writeln!(
                    w,
                    "speed: {total:.0} tokens/s (median of {speed} passes over {ntok} tokens{})",
                    if gaz.is_some() {
                        format!(
                            ", gazetteer bits included; tagging alone {tag_only:.0}, gazetteer alone {gaz_only:.0}"
                        )
                    } else {
                        String::new()
                    }
                )?;
            }
        }
        if !json {
            writeln!(w, "== {}\n{ev}", f.display())?;
        }
        reports.insert(f.display().to_string(), entry);
    }
    let mut text_speed = serde_json::Value::Null;
    if !texts.is_empty() {
        let mut raw = String::new();
        for p in &texts {
            let t =
                std::fs::read_to_string(p).map_err(|e| format!("reading {}: {e}", p.display()))?;
            raw.push_str(&t);
            raw.push('\n');
        }
        let words = raw.split_whitespace().count();
        let passes = speed.max(3);
        let mut runs = Vec::new();
        let mut ntok = 0;
        for _ in 0..passes {
            let t = Instant::now();
            ntok = tag_text(tagger, gaz, &raw);
            runs.push(t.elapsed().as_secs_f64());
        }
        runs.sort_by(f64::total_cmp);
        let secs = runs[runs.len() / 2];
        text_speed = serde_json::json!({
            "words": words, "tokens": ntok, "seconds_median": secs,
            "words_per_sec": (words as f64 / secs).round(),
            "tokens_per_sec": (ntok as f64 / secs).round(),
        });
        if !json {
            writeln!(
                w,
                "text: {words} words ({ntok} tokens) tokenised and tagged at {:.0} words/s, {:.0} tokens/s (median of {passes})",
                words as f64 / secs,
                ntok as f64 / secs
            )?;
        }
    }
    if json {
        let out = serde_json::json!({
            "load_ms": load_ms, "gazetteer_load_ms": gaz_ms, "rows": tagger.rows(), "files": reports, "text": text_speed
        });
        writeln!(w, "{}", serde_json::to_string_pretty(&out)?)?;
    } else {
        writeln!(
            w,
            "model: {} rows, loaded in {load_ms:.1} ms; gazetteer (knowledge base and name lists) loaded in {gaz_ms:.1} ms",
            tagger.rows()
        )?;
    }
    w.flush()?;
    Ok(())
}

/// Tags plain text for the speed measurement: lines are split at whitespace, leading
/// and trailing punctuation becomes separate tokens, and sentences end at `.`, `?`, `!`.
/// (A stand-in for sitrep-text's segmenter, which this crate does not depend on.) With a
/// gazetteer, its bits are computed once per line (paragraph) with the sentences'
/// token ranges, as the engine does per document. Returns the number of tokens tagged.
fn tag_text(tagger: &Tagger, gaz: Option<&Gazetteer>, text: &str) -> usize {
    let mut buf = TagBuffers::new();
    let mut out = Vec::new();
    let mut flags = Vec::new();
    let mut words: Vec<&str> = Vec::new();
    let mut spans: Vec<std::ops::Range<usize>> = Vec::new();
    let mut sentences: Vec<std::ops::Range<usize>> = Vec::new();
    let mut total = 0;
    let is_punct = |c: char| !c.is_alphanumeric();
    for line in text.lines() {
        words.clear();
        spans.clear();
        sentences.clear();
        let mut sent_start = 0;
        for word in line.split_whitespace() {
            let core_start = word.find(|c: char| !is_punct(c)).unwrap_or(word.len());
            let core_end = word.rfind(|c: char| !is_punct(c)).map_or(core_start, |i| {
                i + word[i..].chars().next().map_or(1, char::len_utf8)
            });
            for (i, c) in word[..core_start].char_indices() {
                let t = &word[i..i + c.len_utf8()];
                push_token(line, t, &mut words, &mut spans);
            }
            if core_end > core_start {
                let t = &word[core_start..core_end];
                push_token(line, t, &mut words, &mut spans);
            }
            let mut ends = false;
            for (i, c) in word[core_end..].char_indices() {
                let a = core_end + i;
                let t = &word[a..a + c.len_utf8()];
                push_token(line, t, &mut words, &mut spans);
                ends |= matches!(c, '.' | '?' | '!');
            }
            if ends {
                sentences.push(sent_start..words.len());
                sent_start = words.len();
            }
        }
        if sent_start < words.len() {
            sentences.push(sent_start..words.len());
        }
        if let Some(g) = gaz {
            g.flags_doc(line, &spans, &sentences, &mut flags);
        }
        for s in &sentences {
            let extra = gaz.and_then(|_| flags.get(s.clone()));
            tagger.tag_into(&words[s.clone()], extra, &mut buf, &mut out);
            total += s.len();
        }
    }
    total
}

/// Appends `token` (a subslice of `line`) and its byte range in `line`.
fn push_token<'a>(
    line: &'a str,
    token: &'a str,
    words: &mut Vec<&'a str>,
    spans: &mut Vec<std::ops::Range<usize>>,
) {
    let start = (token.as_ptr() as usize).saturating_sub(line.as_ptr() as usize);
    spans.push(start..start + token.len());
    words.push(token);
}
