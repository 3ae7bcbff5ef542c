//! Every real text in `../shared/data` through the readers and the whole pipeline:
//! PolNeAR's articles, GeoWebNews and GeoVirus, the UNER English-EWT documents and the
//! TempEval-3 platinum articles. No stage may fail on any of them (a caught panic counts
//! as a failure here), and every record must keep the span invariants.
//!
//! Skips cleanly when `../shared` is absent (a fresh clone on its own).

use std::path::{Path, PathBuf};

use rayon::prelude::*;
use sitrep_engine::{isolate, Engine};
use sitrep_read::{read_bytes, ReadError, ReadOptions};

fn shared_data() -> Option<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data");
    dir.is_dir().then_some(dir)
}

/// A named text: where it came from, and its bytes.
struct Text {
    name: String,
    bytes: Vec<u8>,
}

fn files_in(dir: &Path, ext: &str) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|rd| rd.flatten().map(|e| e.path()).collect())
        .unwrap_or_default();
    out.retain(|p| p.extension().is_some_and(|e| e == ext));
    out.sort();
    out
}

/// The contents of every `<tag>…</tag>` element (no nesting), XML entities decoded.
fn elements(xml: &str, tag: &str) -> Vec<String> {
    let (open, close) = (format!("<{tag}>"), format!("</{tag}>"));
    let mut out = Vec::new();
    let mut rest = xml;
    while let Some(i) = rest.find(&open) {
        let body = &rest[i + open.len()..];
        let Some(j) = body.find(&close) else { break };
        out.push(
            body[..j]
                .replace("&lt;", "<")
                .replace("&gt;", ">")
                .replace("&quot;", "\"")
                .replace("&apos;", "'")
                .replace("&amp;", "&"),
        );
        rest = &body[j + close.len()..];
    }
    out
}

/// Markup removed: the TimeML tags around events and times inside a `<TEXT>`.
fn strip_tags(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut in_tag = false;
    for c in s.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => in_tag = false,
            _ if !in_tag => out.push(c),
            _ => {}
        }
    }
    out
}

fn collect_texts(data: &Path) -> Vec<Text> {
    let mut texts = Vec::new();
    for split in ["train", "dev"] {
        for path in files_in(&data.join(format!("polnear/data/{split}/text")), "txt") {
            let bytes = std::fs::read(&path).unwrap();
            texts.push(Text {
                name: path.display().to_string(),
                bytes,
            });
        }
    }
    for corpus in ["GWN", "GeoVirus"] {
        let path = data.join(format!("geoparsing_gwn_geovirus/{corpus}.xml"));
        let xml = std::fs::read_to_string(&path).unwrap();
        for (i, text) in elements(&xml, "text").into_iter().enumerate() {
            texts.push(Text {
                name: format!("{}#{i}.txt", path.display()),
                bytes: text.into_bytes(),
            });
        }
    }
    for path in files_in(&data.join("tempeval3_platinum/te3-platinum"), "tml") {
        let xml = std::fs::read_to_string(&path).unwrap();
        for text in elements(&xml, "TEXT") {
            texts.push(Text {
                name: format!("{}.txt", path.display()),
                bytes: strip_tags(&text).into_bytes(),
            });
        }
    }
    for split in ["train", "dev", "test"] {
        let path = data.join(format!("uner_en_ewt/en_ewt-ud-{split}.iob2"));
        let iob2 = std::fs::read_to_string(&path).unwrap();
        let mut doc = String::new();
        let mut n = 0;
        for line in iob2.lines().chain(std::iter::once("# newdoc id = end")) {
            if line.starts_with("# newdoc") && !doc.is_empty() {
                n += 1;
                texts.push(Text {
                    name: format!("{}#{n}.txt", path.display()),
                    bytes: std::mem::take(&mut doc).into_bytes(),
                });
            } else if let Some(sentence) = line.strip_prefix("# text = ") {
                doc.push_str(sentence);
                doc.push('\n');
            }
        }
    }
    texts
}

#[test]
fn every_shared_text_extracts_without_an_internal_error() {
    let Some(data) = shared_data() else {
        eprintln!("skipped: ../shared/data is absent");
        return;
    };
    isolate::install_quiet_hook();
    let texts = collect_texts(&data);
    assert!(
        texts.len() > 1_400,
        "only {} texts found under {}",
        texts.len(),
        data.display()
    );
    let engine = Engine::new();
    let options = ReadOptions::default();
    let outcomes: Vec<(usize, Vec<String>)> = texts
        .par_iter()
        .map(|t| {
            let mut problems = Vec::new();
            let mut records = 0;
            let docs = isolate::catch("read", || read_bytes(&t.bytes, &t.name, &options))
                .unwrap_or_else(|e| {
                    problems.push(format!("{}: {e}", t.name));
                    Vec::new()
                });
            for doc in docs {
                match doc {
                    Ok(doc) => match engine.try_extract(&doc) {
                        Ok(record) => {
                            records += 1;
                            if let Err(e) = record.check_spans() {
                                problems.push(format!("{}: span invariant: {e}", t.name));
                            }
                        }
                        Err(e) => problems.push(format!("{}: {e}", t.name)),
                    },
                    // A few UNER documents are empty after reading; that is a named failure,
                    // not an internal error.
                    Err(f) if matches!(f.error, ReadError::Empty) => {}
                    Err(f) => problems.push(f.to_string()),
                }
            }
            (records, problems)
        })
        .collect();
    let records: usize = outcomes.iter().map(|(n, _)| n).sum();
    let problems: Vec<&String> = outcomes.iter().flat_map(|(_, p)| p).collect();
    eprintln!(
        "{} texts, {records} records, {} problems",
        texts.len(),
        problems.len()
    );
    assert!(
        problems.is_empty(),
        "{} problems, first ones: {:#?}",
        problems.len(),
        &problems[..problems.len().min(10)]
    );
    assert!(records > 1_400);
}
