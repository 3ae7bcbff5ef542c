//! The bench corpus: news-like plain-text documents of a chosen size.
//!
//! The bundled examples (and the shared seed article, when present) are read through
//! `sitrep-read`, then copied again and again with their people's names, places and
//! numbers swapped by a seeded permutation of the names the engine itself found in them,
//! so the corpus is not one text repeated. When the shared gold sets are present, the
//! plain texts of their documents (GeoWebNews and GeoVirus articles, TempEval-3 TimeML
//! texts, UNER English-EWT documents) make up to half of the corpus. Nothing outside the
//! examples is required: every missing source is skipped with a note.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use anyhow::{bail, Result};
use serde::Serialize;
use sitrep_core::record::EntityKind;
use sitrep_core::{SourceDoc, Span};
use sitrep_engine::model::MentionKind;
use sitrep_engine::Engine;
use sitrep_read::ReadOptions;

/// One document of the corpus, as the bytes of a plain-text file with front matter.
#[derive(Debug, Clone)]
pub struct CorpusDoc {
    /// A file-like name (its extension tells the reader the format).
    pub name: String,
    /// The file's bytes: front matter, then the text.
    pub bytes: Vec<u8>,
    /// The text alone (what spaCy is given).
    pub text: String,
    /// Publication date, when the source gives one.
    pub published: Option<String>,
    /// Words of the text (`sitrep_text::words`).
    pub words: usize,
}

/// How much of the corpus came from one source.
#[derive(Debug, Clone, Serialize)]
pub struct SourceCount {
    /// The source.
    pub source: String,
    /// Documents taken from it.
    pub documents: usize,
    /// Their words.
    pub words: usize,
}

/// The corpus and how it was made.
#[derive(Debug, Default)]
pub struct Corpus {
    /// The documents, in a fixed order.
    pub docs: Vec<CorpusDoc>,
    /// Documents and words per source.
    pub sources: Vec<SourceCount>,
    /// Sources that were skipped, and why.
    pub notes: Vec<String>,
}

impl Corpus {
    /// All words.
    pub fn words(&self) -> usize {
        self.docs.iter().map(|d| d.words).sum()
    }

    /// All input bytes.
    pub fn bytes(&self) -> usize {
        self.docs.iter().map(|d| d.bytes.len()).sum()
    }

    /// The corpus as sitrep JSON Lines input (`{url, outlet, published, text}` per line).
    pub fn to_jsonl(&self) -> Result<String> {
        let mut out = String::new();
        for (i, d) in self.docs.iter().enumerate() {
            let line = serde_json::json!({
                "url": format!("https://bench.example/{i}"),
                "outlet": "bench",
                "published": d.published,
                "text": d.text,
            });
            out.push_str(&serde_json::to_string(&line)?);
            out.push('\n');
        }
        Ok(out)
    }
}

/// Builds a corpus of at least `target_words` words.
pub fn build(
    engine: &Engine,
    examples: &Path,
    shared: &Path,
    target_words: usize,
    seed: u64,
) -> Result<Corpus> {
    let mut corpus = Corpus::default();
    let mut bases = read_articles(examples, &mut corpus.notes);
    let seed_dir = shared.join("seed");
    if seed_dir.is_dir() {
        bases.extend(read_articles(&seed_dir, &mut corpus.notes));
    } else {
        corpus.notes.push(format!(
            "{}: absent, seed article skipped",
            seed_dir.display()
        ));
    }
    bases.retain(|d| sitrep_text::words(&d.text) > 0);

    // Gold-set texts first, up to half of the target, one source after another in turn.
    let gold = gold_texts(&shared.join("data"), &mut corpus.notes);
    let gold_budget = if bases.is_empty() {
        target_words
    } else {
        target_words / 2
    };
    let mut gold_words = 0;
    let mut queues: Vec<(String, std::vec::IntoIter<GoldText>)> = gold
        .into_iter()
        .map(|(name, texts)| (name, texts.into_iter()))
        .collect();
    let mut counts: BTreeMap<String, (usize, usize)> = BTreeMap::new();
    let mut gold_docs = Vec::new();
    'fill: while gold_words < gold_budget {
        let mut any = false;
        for (source, queue) in &mut queues {
            let Some(t) = queue.next() else { continue };
            any = true;
            let words = sitrep_text::words(&t.text);
            if words == 0 {
                continue;
            }
            gold_words += words;
            let c = counts.entry(source.clone()).or_default();
            c.0 += 1;
            c.1 += words;
            gold_docs.push(doc(
                format!("{source}/{:05}.txt", c.0),
                t.text,
                t.published,
                words,
            ));
            if gold_words >= gold_budget {
                break 'fill;
            }
        }
        if !any {
            break;
        }
    }

    if bases.is_empty() && gold_docs.is_empty() {
        bail!(
            "no texts to build a corpus from: no readable article under {} and no gold sets under {}",
            examples.display(),
            shared.join("data").display()
        );
    }

    // Varied copies of the examples for the rest.
    let mut example_docs = Vec::new();
    if !bases.is_empty() {
        let plans: Vec<Plan> = bases.iter().map(|d| plan(engine, d)).collect();
        let pools = Pools::new(&bases, &plans);
        let mut words = gold_words;
        let mut copies = 0usize;
        let mut k = 0u64;
        'copies: loop {
            let mut rng = SplitMix64::new(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ k);
            let mapping = pools.permuted(&mut rng, k == 0);
            for (base, plan) in bases.iter().zip(&plans) {
                let text = vary(&base.text, plan, &mapping, &mut rng, k == 0);
                let n = sitrep_text::words(&text);
                words += n;
                copies += 1;
                example_docs.push(doc(
                    format!("examples/{k:04}-{copies:05}.txt"),
                    text,
                    base.published.clone(),
                    n,
                ));
                if words >= target_words {
                    break 'copies;
                }
            }
            k += 1;
        }
        counts.insert("examples (varied)".to_owned(), (copies, words - gold_words));
    }

    // Interleave the two kinds so every slice of the corpus looks alike.
    let (mut a, mut b) = (example_docs.into_iter(), gold_docs.into_iter());
    loop {
        match (a.next(), b.next()) {
            (None, None) => break,
            (x, y) => corpus.docs.extend(x.into_iter().chain(y)),
        }
    }
    corpus.sources = counts
        .into_iter()
        .map(|(source, (documents, words))| SourceCount {
            source,
            documents,
            words,
        })
        .collect();
    Ok(corpus)
}

fn doc(name: String, text: String, published: Option<String>, words: usize) -> CorpusDoc {
    let mut bytes = String::with_capacity(text.len() + 64);
    if let Some(p) = &published {
        bytes.push_str("---\npublished: ");
        bytes.push_str(p);
        bytes.push_str("\n---\n");
    }
    bytes.push_str(&text);
    CorpusDoc {
        name,
        bytes: bytes.into_bytes(),
        text,
        published,
        words,
    }
}

/// Every document the readers find under `dir` (failures are noted, not fatal).
fn read_articles(dir: &Path, notes: &mut Vec<String>) -> Vec<SourceDoc> {
    if !dir.exists() {
        notes.push(format!("{}: absent", dir.display()));
        return Vec::new();
    }
    let options = ReadOptions::default();
    let mut out = Vec::new();
    for input in sitrep_read::expand(&[dir.to_path_buf()]) {
        let input = match input {
            Ok(input) => input,
            Err(failure) => {
                notes.push(failure.to_string());
                continue;
            }
        };
        for doc in sitrep_read::read_input(&input, &options) {
            match doc {
                Ok(doc) => out.push(doc),
                Err(failure) => notes.push(failure.to_string()),
            }
        }
    }
    out
}

/// A gold-set text.
struct GoldText {
    text: String,
    published: Option<String>,
}

/// The texts of the gold sets present under `data`, per source.
fn gold_texts(data: &Path, notes: &mut Vec<String>) -> Vec<(String, Vec<GoldText>)> {
    let mut out = Vec::new();
    if !data.is_dir() {
        notes.push(format!(
            "{}: absent, gold-set texts skipped",
            data.display()
        ));
        return out;
    }
    let geo = data.join("geoparsing_gwn_geovirus");
    for (source, file) in [("geowebnews", "GWN.xml"), ("geovirus", "GeoVirus.xml")] {
        let path = geo.join(file);
        match std::fs::read_to_string(&path) {
            Ok(xml) => out.push((source.to_owned(), xml_texts(&xml))),
            Err(e) => notes.push(format!("{}: {e}", path.display())),
        }
    }
    let tml = data.join("tempeval3_platinum").join("te3-platinum");
    match sitrep_time::eval::read_dir(&tml) {
        Ok(docs) => out.push((
            "tempeval3".to_owned(),
            docs.into_iter()
                .map(|d| GoldText {
                    text: d.text.trim().to_owned(),
                    published: d.dct.map(|d| d.to_string()),
                })
                .collect(),
        )),
        Err(e) => notes.push(format!("{}: {e}", tml.display())),
    }
    let uner = data.join("uner_en_ewt");
    let mut uner_docs = Vec::new();
    for file in ["en_ewt-ud-test.iob2", "en_ewt-ud-dev.iob2"] {
        let path = uner.join(file);
        match std::fs::read_to_string(&path) {
            Ok(text) => uner_docs.extend(iob2_documents(&text)),
            Err(e) => notes.push(format!("{}: {e}", path.display())),
        }
    }
    if !uner_docs.is_empty() {
        out.push(("uner-en-ewt".to_owned(), uner_docs));
    }
    out.retain(|(_, texts)| !texts.is_empty());
    out
}

/// The `<text>` elements of a GeoWebNews / GeoVirus file, unescaped.
fn xml_texts(xml: &str) -> Vec<GoldText> {
    let mut out = Vec::new();
    let mut rest = xml;
    while let Some(open) = rest.find("<text>") {
        let body = &rest[open + "<text>".len()..];
        let Some(close) = body.find("</text>") else {
            break;
        };
        let text = unescape(body[..close].trim());
        if !text.is_empty() {
            out.push(GoldText {
                text,
                published: None,
            });
        }
        rest = &body[close..];
    }
    out
}

/// Resolves the predefined XML entities and numeric character references.
fn unescape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        let after = &rest[amp..];
        let entity = after
            .find(';')
            .filter(|&end| end <= 10)
            .map(|end| &after[1..end]);
        let resolved = entity.and_then(|e| match e {
            "amp" => Some('&'),
            "lt" => Some('<'),
            "gt" => Some('>'),
            "quot" => Some('"'),
            "apos" => Some('\''),
            _ => {
                let code = if let Some(hex) = e.strip_prefix("#x") {
                    u32::from_str_radix(hex, 16).ok()
                } else {
                    e.strip_prefix('#').and_then(|d| d.parse().ok())
                };
                code.and_then(char::from_u32)
            }
        });
        match (entity, resolved) {
            (Some(e), Some(c)) => {
                out.push(c);
                rest = &after[e.len() + 2..];
            }
            _ => {
                out.push('&');
                rest = &after[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// The documents of a UNER IOB2 file: the `# text =` lines of each `# newdoc`, four
/// sentences to a paragraph.
fn iob2_documents(text: &str) -> Vec<GoldText> {
    let mut out = Vec::new();
    let mut sentences: Vec<&str> = Vec::new();
    let mut flush = |sentences: &mut Vec<&str>| {
        if sentences.is_empty() {
            return;
        }
        let paragraphs: Vec<String> = sentences.chunks(4).map(|c| c.join(" ")).collect();
        out.push(GoldText {
            text: paragraphs.join("\n\n"),
            published: None,
        });
        sentences.clear();
    };
    for line in text.lines() {
        if let Some(body) = line.strip_prefix('#') {
            let body = body.trim();
            if body.starts_with("newdoc") {
                flush(&mut sentences);
            } else if let Some(s) = body.strip_prefix("text =") {
                sentences.push(s.trim());
            }
        }
    }
    flush(&mut sentences);
    out
}

/// The kind of a name that may be swapped: people, or places of one kind (country,
/// city, …), with the same number of words and the same case (datelines are in capitals).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct Class {
    /// Empty for people, the place kind for places.
    kind: String,
    words: usize,
    upper: bool,
}

impl Class {
    fn of(kind: &str, name: &str) -> Class {
        Class {
            kind: kind.to_owned(),
            words: name.split_whitespace().count(),
            upper: !name.chars().any(char::is_lowercase),
        }
    }
}

/// Where a base document mentions swappable names.
struct Plan {
    spans: Vec<(Span, Class)>,
}

/// The people's and places' names the engine finds in a document.
fn plan(engine: &Engine, doc: &SourceDoc) -> Plan {
    let analysis = engine.analyse(doc);
    let mut spans = Vec::new();
    for m in &analysis.entities.mentions {
        let is_person = analysis
            .entities
            .list
            .get(m.entity)
            .is_some_and(|e| e.kind == EntityKind::Person);
        if is_person && m.kind == MentionKind::Name {
            if let Some(name) = m.name_span.slice(&doc.text) {
                spans.push((m.name_span, Class::of("", name)));
            }
        }
    }
    for p in &analysis.places {
        for &span in &p.mentions {
            if let Some(name) = span.slice(&doc.text) {
                spans.push((span, Class::of(&p.kind, name)));
            }
        }
    }
    spans.sort_by_key(|(s, _)| (s.start, std::cmp::Reverse(s.end)));
    let mut kept: Vec<(Span, Class)> = Vec::with_capacity(spans.len());
    for (span, class) in spans {
        let fits = match kept.last() {
            Some((last, _)) => span.start >= last.end,
            None => true,
        };
        if fits {
            kept.push((span, class));
        }
    }
    Plan { spans: kept }
}

/// The distinct names of each class over all base documents.
struct Pools {
    by_class: BTreeMap<Class, Vec<String>>,
}

impl Pools {
    fn new(bases: &[SourceDoc], plans: &[Plan]) -> Pools {
        let mut sets: BTreeMap<Class, BTreeSet<String>> = BTreeMap::new();
        for (doc, plan) in bases.iter().zip(plans) {
            for (span, class) in &plan.spans {
                if let Some(name) = span.slice(&doc.text) {
                    sets.entry(class.clone())
                        .or_default()
                        .insert(name.to_owned());
                }
            }
        }
        Pools {
            by_class: sets
                .into_iter()
                .map(|(c, s)| (c, s.into_iter().collect()))
                .collect(),
        }
    }

    /// A seeded permutation of every class: name → replacement (identity for copy 0).
    fn permuted(&self, rng: &mut SplitMix64, identity: bool) -> BTreeMap<(&Class, &str), &str> {
        let mut map = BTreeMap::new();
        for (class, names) in &self.by_class {
            let mut order: Vec<usize> = (0..names.len()).collect();
            if !identity {
                for i in (1..order.len()).rev() {
                    order.swap(i, rng.below(i + 1));
                }
            }
            for (from, &to) in names.iter().zip(&order) {
                map.insert((class, from.as_str()), names[to].as_str());
            }
        }
        map
    }
}

/// The text of a base document with its names swapped and its numbers changed.
fn vary(
    text: &str,
    plan: &Plan,
    mapping: &BTreeMap<(&Class, &str), &str>,
    rng: &mut SplitMix64,
    identity: bool,
) -> String {
    if identity {
        return text.to_owned();
    }
    let mut out = String::with_capacity(text.len() + text.len() / 8);
    let mut pos = 0;
    for (span, class) in &plan.spans {
        let (Some(between), Some(name)) = (text.get(pos..span.start()), span.slice(text)) else {
            continue;
        };
        vary_numbers(between, rng, &mut out);
        out.push_str(mapping.get(&(class, name)).copied().unwrap_or(name));
        pos = span.end();
    }
    vary_numbers(text.get(pos..).unwrap_or(""), rng, &mut out);
    out
}

/// Copies `text` with each free-standing number changed: days and small counts to
/// another from 1 to 28, other numbers to another of the same length; years
/// (1900–2099), numbers with a leading zero and parts of codes ("F-16", "M23") stay.
fn vary_numbers(text: &str, rng: &mut SplitMix64, out: &mut String) {
    let bytes = text.as_bytes();
    let mut i = 0;
    let mut copied = 0;
    while i < bytes.len() {
        if !bytes[i].is_ascii_digit() {
            i += 1;
            continue;
        }
        let start = i;
        while i < bytes.len() && bytes[i].is_ascii_digit() {
            i += 1;
        }
        let run = &text[start..i];
        let before = text[..start].chars().next_back();
        let after = text[i..].chars().next();
        let in_code = before.is_some_and(|c| c.is_alphabetic() || c == '-')
            || after.is_some_and(char::is_alphabetic);
        let value: u64 = run.parse().unwrap_or(u64::MAX);
        let year = run.len() == 4 && (1900..2100).contains(&value);
        if in_code || year || (run.len() > 1 && run.starts_with('0')) || run.len() > 9 {
            continue;
        }
        out.push_str(&text[copied..start]);
        if value <= 31 {
            out.push_str(&(1 + rng.below(28)).to_string());
        } else {
            out.push(char::from(b'1' + rng.below(9) as u8));
            for _ in 1..run.len() {
                out.push(char::from(b'0' + rng.below(10) as u8));
            }
        }
        copied = i;
    }
    out.push_str(&text[copied..]);
}

/// A small seeded generator (SplitMix64): the same seed gives the same corpus everywhere.
struct SplitMix64(u64);

impl SplitMix64 {
    fn new(seed: u64) -> Self {
        SplitMix64(seed)
    }

    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (`n` > 0).
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

/// Gold files (`*.gold.json`) directly under `dir`, sorted; none when it is absent.
pub fn gold_files(dir: &Path) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.to_string_lossy().ends_with(".gold.json"))
                .collect()
        })
        .unwrap_or_default();
    out.sort();
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_vary_but_years_codes_and_zero_padded_stay() {
        let mut rng = SplitMix64::new(3);
        let mut out = String::new();
        vary_numbers(
            "In 2025, 140 drones and F-16 jets; M23 on 2025-06-11 killed 12.",
            &mut rng,
            &mut out,
        );
        assert!(out.starts_with("In 2025, "), "{out}");
        assert!(out.contains("F-16 jets; M23 on 2025-06-"), "{out}");
        assert!(!out.contains(" 140 "), "{out}");
    }

    #[test]
    fn unescape_entities() {
        assert_eq!(
            unescape("a &amp; b &lt;c&gt; &#39;d&#x27; &bogus"),
            "a & b <c> 'd' &bogus"
        );
    }

    #[test]
    fn xml_and_iob2_texts() {
        let xml = "<articles><article><text>One &quot;two&quot;.</text></article>\
                   <article><text> </text></article><article><text>Three</text></article></articles>";
        let texts: Vec<String> = xml_texts(xml).into_iter().map(|t| t.text).collect();
        assert_eq!(texts, ["One \"two\".", "Three"]);
        let iob2 = "# newdoc id = a\n# text = Hi there.\n1\tHi\tO\n\n# text = Bye.\n1\tBye\tO\n\n\
                    # newdoc id = b\n# text = Next.\n1\tNext\tO\n";
        let docs: Vec<String> = iob2_documents(iob2).into_iter().map(|t| t.text).collect();
        assert_eq!(docs, ["Hi there. Bye.", "Next."]);
    }

    #[test]
    fn generator_is_deterministic() {
        let a: Vec<u64> = (0..3)
            .map({
                let mut r = SplitMix64::new(9);
                move |_| r.next()
            })
            .collect();
        let mut r = SplitMix64::new(9);
        assert_eq!(a, [r.next(), r.next(), r.next()]);
        assert!(r.below(5) < 5);
    }
}
