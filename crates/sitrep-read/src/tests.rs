//! Tests of the public entry points: format dispatch, inputs, limits, the seed article,
//! and a stable-Rust stand-in for the fuzz targets.
use std::io::Cursor;

use super::*;

fn docs(results: Vec<Result<SourceDoc, Failure>>) -> Vec<SourceDoc> {
    results
        .into_iter()
        .map(|r| r.unwrap_or_else(|f| panic!("unexpected failure: {f}")))
        .collect()
}

/// A fresh scratch directory under the system temp dir.
fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("sitrep-read-{}-{name}", std::process::id()));
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(&dir).unwrap();
    dir
}

#[test]
fn seed_article_with_sidecar() {
    let seed = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/seed");
    if !seed.is_dir() {
        eprintln!("skipping: {} is absent", seed.display());
        return;
    }
    let inputs = expand(std::slice::from_ref(&seed));
    let files: Vec<InputFile> = inputs.into_iter().map(|r| r.unwrap()).collect();
    // Sidecars and gold files are skipped by the walk.
    assert!(!files.is_empty());
    for file in &files {
        let InputFile::File(path) = file else {
            unreachable!()
        };
        assert!(
            path.extension().is_some_and(|e| e == "txt"),
            "{}",
            path.display()
        );
        let docs = docs(read_input(file, &ReadOptions::default()));
        assert_eq!(docs.len(), 1);
        let doc = &docs[0];
        assert_eq!(doc.published.as_deref(), Some("2025-04-23"));
        assert_eq!(doc.language, "en");
        assert!(doc
            .url
            .as_deref()
            .is_some_and(|u| u.starts_with("https://")));
        assert!(doc.outlet.is_some());
        assert!(!doc.text.is_empty());
        assert_eq!(doc.source, file.location());
    }
}

#[test]
fn plain_text_front_matter_and_override() {
    let src = b"---\ntitle: Front title\npublished: April 22, 2025\n---\nThe text.\n";
    let doc = &docs(read_bytes(src, "a.txt", &ReadOptions::default()))[0];
    assert_eq!(doc.title.as_deref(), Some("Front title"));
    assert_eq!(doc.published.as_deref(), Some("2025-04-22"));
    assert_eq!(doc.text.trim_end(), "The text.");
    // Offsets point into the decoded file, past the front matter.
    let body_start = src.len() - "The text.\n".len();
    assert_eq!(doc.offsets.to_original(0), body_start);

    let opts = ReadOptions {
        published: Some("2025-04-23T06:00:00Z".into()),
        ..ReadOptions::default()
    };
    let doc = &docs(read_bytes(src, "a.txt", &opts))[0];
    assert_eq!(doc.published.as_deref(), Some("2025-04-23T06:00:00Z"));

    let bad = ReadOptions {
        published: Some("last Tuesday".into()),
        ..ReadOptions::default()
    };
    assert!(matches!(bad.validate(), Err(ReadError::Date(_))));
    let out = read_bytes(src, "a.txt", &bad);
    assert!(matches!(&out[..], [Err(f)] if f.location == "--published"));
}

#[test]
fn plain_text_keeps_first_line() {
    let doc = &docs(read_bytes(
        b"Short heading\n\nBody text here.",
        "x.txt",
        &ReadOptions::default(),
    ))[0];
    assert_eq!(doc.title, None);
    assert!(doc.text.starts_with("Short heading"));
}

#[test]
fn sniffing_without_extension() {
    let opts = ReadOptions::default();
    let html = b"<!DOCTYPE html><html><head><title>T</title></head><body><p>Hello there.</p></body></html>";
    assert_eq!(
        docs(read_bytes(html, "<stdin>", &opts))[0].text,
        "Hello there."
    );
    let rss = b"<?xml version=\"1.0\"?><rss><channel><item><title>A</title><description>B text</description></item></channel></rss>";
    assert_eq!(docs(read_bytes(rss, "feed", &opts))[0].text, "B text");
    let jsonl = b"{\"text\":\"one\"}\n{\"text\":\"two\"}\n";
    let d = docs(read_bytes(jsonl, "dump", &opts));
    assert_eq!(d.len(), 2);
    assert_eq!(d[1].source, "dump:2");
    let json = b"[{\"text\":\"x\"}]";
    assert_eq!(docs(read_bytes(json, "dump2", &opts))[0].source, "dump2#1");
    assert_eq!(Format::sniff("[Updated] Talks resume"), Format::Text);
    assert_eq!(
        Format::sniff("  <feed xmlns=\"http://www.w3.org/2005/Atom\">"),
        Format::Feed
    );
    assert_eq!(Format::from_name("X.HTM"), Some(Format::Html));
    assert_eq!(Format::from_name("noext"), None);
}

#[test]
fn windows_1252_and_utf16_files() {
    let opts = ReadOptions::default();
    let doc = &docs(read_bytes(b"He said \x93no\x94.", "w.txt", &opts))[0];
    assert!(doc.text.contains("no"));
    assert!(!doc.text.contains('\u{FFFD}'));
    let mut utf16 = vec![0xFF, 0xFE];
    utf16.extend(
        "<p>Hi \u{e9}t\u{e9}</p>"
            .encode_utf16()
            .flat_map(u16::to_le_bytes),
    );
    assert_eq!(
        docs(read_bytes(&utf16, "u.html", &opts))[0].text,
        "Hi \u{e9}t\u{e9}"
    );
    let mut utf16 = vec![0xFE, 0xFF];
    utf16.extend(
        "{\"text\":\"line\"}\n"
            .encode_utf16()
            .flat_map(u16::to_be_bytes),
    );
    assert_eq!(docs(read_bytes(&utf16, "u.jsonl", &opts))[0].text, "line");
}

/// A document whose text is only invisible characters (the fuzzer's `FF FE FF FE`: a
/// UTF-16 BOM, then a U+FEFF) is empty, in every reader.
#[test]
fn only_invisible_characters_is_empty() {
    let opts = ReadOptions::default();
    let cases: [(&[u8], &str); 5] = [
        (&[0xFF, 0xFE, 0xFF, 0xFE], "bom.txt"),
        (
            "\u{200B}\u{200E}\u{FEFF} \u{2060}\n\u{061C}".as_bytes(),
            "zw.txt",
        ),
        ("{\"text\": \"\u{200B}\u{200F}\"}\n".as_bytes(), "zw.jsonl"),
        (
            "<html><body><p>\u{200B}\u{FEFF}</p></body></html>".as_bytes(),
            "zw.html",
        ),
        ("---\ntitle: x\n---\n\u{200D}\u{200C}".as_bytes(), "fm.txt"),
    ];
    for (bytes, name) in cases {
        let got = read_bytes(bytes, name, &opts);
        assert!(
            matches!(
                &got[..],
                [Err(Failure {
                    error: ReadError::Empty,
                    ..
                })]
            ),
            "{name}: {got:?}"
        );
    }
}

#[test]
fn binary_empty_and_size_limits() {
    let opts = ReadOptions::default();
    let bin = read_bytes(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR", "img.txt", &opts);
    assert!(matches!(
        &bin[..],
        [Err(Failure {
            error: ReadError::Binary,
            ..
        })]
    ));
    let empty = read_bytes(b"", "e.txt", &opts);
    assert!(matches!(
        &empty[..],
        [Err(Failure {
            error: ReadError::Empty,
            ..
        })]
    ));
    let blank_html = read_bytes(
        b"<html><body><nav>only nav</nav></body></html>",
        "b.html",
        &opts,
    );
    assert!(matches!(
        &blank_html[..],
        [Err(Failure {
            error: ReadError::Empty,
            ..
        })]
    ));

    let small = ReadOptions {
        max_bytes: 16,
        ..ReadOptions::default()
    };
    let big = read_bytes(&[b'a'; 17], "big.txt", &small);
    assert!(matches!(
        &big[..],
        [Err(Failure {
            error: ReadError::TooLarge {
                size: 17,
                limit: 16
            },
            ..
        })]
    ));

    let dir = scratch("limit");
    let path = dir.join("big.txt");
    fs::write(&path, "x".repeat(100)).unwrap();
    let out = read_input(&InputFile::File(path.clone()), &small);
    assert!(
        matches!(&out[..], [Err(Failure { error: ReadError::TooLarge { size: 100, limit: 16 }, location })] if *location == path.display().to_string()),
        "{out:?}"
    );
    // A stream is read up to the limit plus one byte.
    let mut out = Vec::new();
    read_stream(
        &mut Cursor::new(vec![b'y'; 1000]),
        "<stdin>",
        &small,
        &mut |r| out.push(r),
    );
    assert!(matches!(
        &out[..],
        [Err(Failure {
            error: ReadError::TooLarge { size: 17, .. },
            ..
        })]
    ));
    let _ = fs::remove_dir_all(&dir);
}

#[test]
fn stdin_stream_jsonl_and_text() {
    let opts = ReadOptions::default();
    let mut out = Vec::new();
    let input = b"\xEF\xBB\xBF{\"text\":\"a\"}\nnot json\n{\"text\":\"c\"}\n".to_vec();
    read_stream(&mut Cursor::new(input), "<stdin>", &opts, &mut |r| {
        out.push(r)
    });
    assert_eq!(out.len(), 3);
    assert_eq!(out[0].as_ref().unwrap().source, "<stdin>:1");
    assert_eq!(out[1].as_ref().unwrap_err().location, "<stdin>:2");
    let mut out = Vec::new();
    read_stream(
        &mut Cursor::new(b"Plain words.".to_vec()),
        "<stdin>",
        &opts,
        &mut |r| out.push(r),
    );
    assert_eq!(out[0].as_ref().unwrap().text, "Plain words.");
}

#[test]
fn expand_walks_sorted_and_skips() {
    let dir = scratch("walk");
    fs::create_dir_all(dir.join("b/sub")).unwrap();
    fs::create_dir_all(dir.join(".hidden")).unwrap();
    for f in [
        "a.txt",
        "a.meta.json",
        "a.gold.json",
        ".dot.txt",
        "b/z.html",
        "b/sub/c.jsonl",
        "c.xml",
        ".hidden/x.txt",
        "README.md",
        "b/LICENSE",
    ] {
        fs::write(dir.join(f), "x").unwrap();
    }
    #[cfg(unix)]
    std::os::unix::fs::symlink(&dir, dir.join("b/loop")).unwrap();
    let explicit_hidden = dir.join(".dot.txt");
    let got: Vec<String> = expand(&[
        dir.clone(),
        explicit_hidden.clone(),
        PathBuf::from("-"),
        dir.join("missing.txt"),
    ])
    .into_iter()
    .map(|r| match r {
        Ok(InputFile::File(p)) => p
            .strip_prefix(&dir)
            .map(|p| p.display().to_string())
            .unwrap_or_else(|_| p.display().to_string()),
        Ok(InputFile::Stdin) => "-".to_owned(),
        Err(f) => format!(
            "ERR {}",
            Path::new(&f.location)
                .file_name()
                .unwrap()
                .to_string_lossy()
        ),
    })
    .collect();
    assert_eq!(
        got,
        vec![
            "a.txt",
            "b/sub/c.jsonl",
            "b/z.html",
            "c.xml",
            ".dot.txt",
            "-",
            "ERR missing.txt"
        ]
    );
    let _ = fs::remove_dir_all(&dir);
}

#[test]
fn read_input_uses_sidecar_and_reports_a_broken_one() {
    let dir = scratch("sidecar");
    fs::write(dir.join("n.txt"), "Body of the note.").unwrap();
    fs::write(
        dir.join("n.meta.json"),
        r#"{"url":"https://www.example.com/n","published":"2025-04-23","title":"Sidecar title"}"#,
    )
    .unwrap();
    let doc = &docs(read_input(
        &InputFile::File(dir.join("n.txt")),
        &ReadOptions::default(),
    ))[0];
    assert_eq!(doc.title.as_deref(), Some("Sidecar title"));
    assert_eq!(doc.published.as_deref(), Some("2025-04-23"));
    assert_eq!(doc.url.as_deref(), Some("https://www.example.com/n"));

    fs::write(dir.join("p.html"), "<p>Page text.</p>").unwrap();
    fs::write(dir.join("p.meta.json"), "{broken").unwrap();
    let out = read_input(
        &InputFile::File(dir.join("p.html")),
        &ReadOptions::default(),
    );
    assert_eq!(out.len(), 2);
    assert!(out[0]
        .as_ref()
        .is_err_and(|f| f.location.ends_with("p.meta.json")));
    assert_eq!(out[1].as_ref().unwrap().text, "Page text.");

    fs::write(
        dir.join("s.jsonl"),
        "{\"text\":\"one\"}\n{bad\n{\"text\":\"three\"}\n",
    )
    .unwrap();
    let out = read_input(
        &InputFile::File(dir.join("s.jsonl")),
        &ReadOptions::default(),
    );
    assert_eq!(out.len(), 3);
    assert!(out[1]
        .as_ref()
        .is_err_and(|f| f.location.ends_with("s.jsonl:2")));
    let _ = fs::remove_dir_all(&dir);
}

#[test]
fn html_document_end_to_end() {
    let page = br#"<!doctype html><html lang="en"><head>
<meta property="og:site_name" content="Example Daily">
<meta name="pubdate" content="2025-04-23T12:00:00+01:00">
<title>Strike reported | Example Daily</title></head>
<body><nav><a href="/">Home</a></nav><article><h1>Strike reported</h1>
<p>A drone strike hit the town overnight, officials said, and rescue work continued.</p>
<p>Nine people were killed, according to the regional governor.</p>
<div class="related-links"><a href="/x">More stories</a></div></article>
<footer>About us</footer></body></html>"#;
    let doc = &docs(read_bytes(page, "s.html", &ReadOptions::default()))[0];
    assert_eq!(doc.title.as_deref(), Some("Strike reported"));
    assert_eq!(doc.outlet.as_deref(), Some("Example Daily"));
    assert_eq!(doc.published.as_deref(), Some("2025-04-23T12:00:00+01:00"));
    // The headline is the title, not the first paragraph.
    assert!(doc.text.starts_with("A drone strike"), "{}", doc.text);
    assert_eq!(doc.text.split("\n\n").count(), 2, "{}", doc.text);
    assert!(!doc.text.contains("More stories"));
    assert!(!doc.text.contains("About us"));
}

#[test]
fn markup_in_a_text_file_is_stripped_after_the_front_matter() {
    let src = b"---\ntitle: Envoys meet\n---\nTalks were led by <a href=\"https://example.org/x\">Jane Roe</a>, the envoy.<p>Second paragraph.</p>\n";
    let doc = &docs(read_bytes(src, "m.txt", &ReadOptions::default()))[0];
    assert_eq!(doc.title.as_deref(), Some("Envoys meet"));
    assert_eq!(
        doc.text,
        "Talks were led by Jane Roe, the envoy.\n\nSecond paragraph."
    );
    // The stripped text is the document text; its offset map leads back to the file.
    let name = doc.text.find("Jane Roe").unwrap();
    let from = doc.offsets.to_original(name);
    assert_eq!(&src[from..from + 8], b"Jane Roe");
    let second = doc.text.find("Second").unwrap();
    let from = doc.offsets.to_original(second);
    assert_eq!(&src[from..from + 6], b"Second");
    let doc = &docs(read_bytes(
        b"Aid &amp; relief reached the town&#8217;s clinic.<script>track();</script>",
        "e.txt",
        &ReadOptions::default(),
    ))[0];
    assert_eq!(doc.text, "Aid & relief reached the town\u{2019}s clinic.");
}

#[test]
fn markup_in_a_jsonl_text_field_is_stripped() {
    let src = br#"{"title":"Talks","text":"Talks were led by <a href=\"https://example.org/x\">Jane Roe</a>, the envoy.<p>Second paragraph.</p>"}
{"text":"Rain &amp; wind closed the port<br>on Sunday.<style>p { color: red }</style>"}
{"text":"<script>var only = 'code';</script>"}
"#;
    let out = read_bytes(src, "m.jsonl", &ReadOptions::default());
    assert_eq!(out.len(), 3);
    let first = out[0].as_ref().unwrap();
    assert_eq!(
        first.text,
        "Talks were led by Jane Roe, the envoy.\n\nSecond paragraph."
    );
    // Offsets lead back into the `text` value.
    let value = "Talks were led by <a href=\"https://example.org/x\">Jane Roe</a>";
    let name = first.text.find("Jane Roe").unwrap();
    assert_eq!(
        first.offsets.to_original(name),
        value.find("Jane Roe").unwrap()
    );
    assert_eq!(
        out[1].as_ref().unwrap().text,
        "Rain & wind closed the port\non Sunday."
    );
    // Markup with no visible text leaves an empty document.
    assert!(matches!(
        &out[2],
        Err(Failure { error: ReadError::Empty, location }) if location == "m.jsonl:3"
    ));
}

#[test]
fn plain_text_with_angle_brackets_and_ampersands_is_kept_byte_for_byte() {
    let body = "Turnout rose where a < b and 5 > 3, aides said << off the record >>.\n\n\
                Marks & Spencer and AT&T wrote to <jane@example.org>; R&D; spending held.";
    let src = format!("---\ntitle: Vote\n---\n{body}");
    let doc = &docs(read_bytes(src.as_bytes(), "p.txt", &ReadOptions::default()))[0];
    assert_eq!(doc.text, body);
    assert_eq!(doc.offsets.to_original(0), src.len() - body.len());
    let line = format!("{{\"text\":{}}}\n", serde_json::to_string(body).unwrap());
    let doc = &docs(read_bytes(
        line.as_bytes(),
        "p.jsonl",
        &ReadOptions::default(),
    ))[0];
    assert_eq!(doc.text, body);
}

#[test]
fn markup_nested_too_deeply_in_a_text_file_is_a_failure() {
    let src = "<div>".repeat(100_000);
    let out = read_bytes(src.as_bytes(), "deep.txt", &ReadOptions::default());
    assert!(
        matches!(
            &out[..],
            [Err(Failure {
                error: ReadError::Html(_),
                ..
            })]
        ),
        "{out:?}"
    );
}

/// The fuzz targets, as plain functions over the public API.
const TARGETS: [&str; 4] = ["fuzz.html", "fuzz.xml", "fuzz.jsonl", "fuzz.txt"];

/// Tokens that steer random input into the parsers' interesting paths.
const TOKENS: [&str; 40] = [
    "<",
    ">",
    "</",
    "/>",
    "<p>",
    "</p>",
    "<div>",
    "<article>",
    "<br>",
    "<script>",
    "<rss>",
    "<channel>",
    "<item>",
    "</item>",
    "<entry>",
    "<title>",
    "<description>",
    "<![CDATA[",
    "]]>",
    "<!DOCTYPE x [<!ENTITY a \"&b;&b;\">]>",
    "&a;",
    "&amp;",
    "&#x1F600;",
    "&#0;",
    "{",
    "}",
    "\"text\":",
    "\"html\":",
    "\"published\":",
    "[",
    "]",
    ",",
    "\n",
    "\r\n",
    "---\n",
    "title: x\n",
    "2025-04-23",
    "\u{FEFF}",
    "\u{e9}",
    " ",
];

struct XorShift(u64);

impl XorShift {
    fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        self.0 = x;
        x
    }
}

#[test]
fn fuzz_targets_survive_pseudo_random_input() {
    let mut rng = XorShift(0x9E37_79B9_7F4A_7C15);
    let opts = ReadOptions::default();
    for round in 0..300 {
        let mut data = Vec::new();
        let len = (rng.next() % 64) as usize;
        for _ in 0..len {
            let r = rng.next();
            if r & 3 == 0 {
                // Raw bytes, including invalid UTF-8 and control characters.
                data.push((r >> 8) as u8);
            } else {
                data.extend_from_slice(TOKENS[(r >> 8) as usize % TOKENS.len()].as_bytes());
            }
        }
        for target in TARGETS {
            let out = read_bytes(&data, target, &opts);
            assert!(!out.is_empty(), "round {round} {target}: nothing returned");
            for doc in out.into_iter().flatten() {
                assert!(!doc.text.trim().is_empty());
            }
        }
    }
}
