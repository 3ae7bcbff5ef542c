//! JSON Lines (`{url, title, published, outlet, text | html, language}` per line) and
//! `.json` files holding one such object or an array of them. A `text` value holding
//! HTML markup is stripped to its visible text (`markup.rs`); an `html` value is read
//! as a page.
//!
//! Lines are streamed through a `BufRead` with [`ReadOptions::max_bytes`] applied to
//! each line, so a file of any length is read in constant memory per record. A broken
//! line is one failure at `path:LINE`; the lines after it are still read.
use std::io::{BufRead, Read};

use serde_json::Value;
use sitrep_core::OffsetMap;

use crate::decode::{decode, looks_binary};
use crate::html::{clean_language, read_page};
use crate::{markup, Draft, Failure, Fields, ReadError, ReadOptions};

/// Streams the records of a JSON Lines source into `sink`, in order.
pub(crate) fn read_lines<R: BufRead>(
    mut reader: R,
    name: &str,
    opts: &ReadOptions,
    sink: &mut dyn FnMut(Result<Draft, Failure>),
) {
    match reader.fill_buf() {
        Ok(head) if looks_binary(head) => {
            sink(Err(Failure::new(name, ReadError::Binary)));
            return;
        }
        Ok(_) => {}
        Err(e) => {
            sink(Err(Failure::new(name, ReadError::Io(e))));
            return;
        }
    }
    let limit = opts.max_bytes;
    let mut buf = Vec::new();
    let mut lineno = 0u64;
    let mut records = 0usize;
    loop {
        buf.clear();
        let read = Read::take(&mut reader, limit as u64 + 2).read_until(b'\n', &mut buf);
        let n = match read {
            Ok(n) => n,
            Err(e) => {
                sink(Err(Failure::new(
                    format!("{name}:{}", lineno + 1),
                    ReadError::Io(e),
                )));
                return;
            }
        };
        if n == 0 {
            break;
        }
        lineno += 1;
        let location = format!("{name}:{lineno}");
        let complete = buf.ends_with(b"\n");
        let mut line: &[u8] = &buf;
        while let [rest @ .., b'\n' | b'\r'] = line {
            line = rest;
        }
        if line.len() > limit {
            let mut size = buf.len() as u64;
            if !complete {
                match skip_line(&mut reader) {
                    Ok(more) => size += more,
                    Err(e) => {
                        sink(Err(Failure::new(location, ReadError::Io(e))));
                        return;
                    }
                }
            }
            sink(Err(Failure::new(
                location,
                ReadError::TooLarge {
                    size,
                    limit: limit as u64,
                },
            )));
            records += 1;
            continue;
        }
        if lineno == 1 {
            line = line.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(line);
        }
        match parse_line(line, lineno) {
            Ok(None) => {}
            Ok(Some(value)) => {
                records += 1;
                sink(record(&value, location).map_err(|(loc, e)| Failure::new(loc, e)));
            }
            Err(e) => {
                records += 1;
                sink(Err(Failure::new(location, e)));
            }
        }
    }
    if records == 0 {
        sink(Err(Failure::new(name, ReadError::Empty)));
    }
}

/// Consumes the rest of an over-long line; returns how many bytes were skipped.
fn skip_line<R: BufRead>(reader: &mut R) -> std::io::Result<u64> {
    let mut skipped = 0u64;
    loop {
        let chunk = reader.fill_buf()?;
        if chunk.is_empty() {
            return Ok(skipped);
        }
        if let Some(i) = chunk.iter().position(|&b| b == b'\n') {
            reader.consume(i + 1);
            return Ok(skipped + i as u64 + 1);
        }
        let len = chunk.len();
        reader.consume(len);
        skipped += len as u64;
    }
}

/// One line to a JSON value; `None` for a blank line.
fn parse_line(line: &[u8], lineno: u64) -> Result<Option<Value>, ReadError> {
    if line.iter().all(u8::is_ascii_whitespace) {
        return Ok(None);
    }
    let owned;
    let text = match std::str::from_utf8(line) {
        Ok(s) => s,
        Err(_) => {
            owned = decode(line)?;
            owned.as_str()
        }
    };
    serde_json::from_str(text)
        .map(Some)
        .map_err(|e| ReadError::Json {
            line: lineno,
            message: e.to_string(),
        })
}

/// A `.json` file: one record object or an array of them (`name#N`, 1-based).
pub(crate) fn read_json(text: &str, name: &str) -> Vec<Result<Draft, Failure>> {
    let value: Value = match serde_json::from_str(text) {
        Ok(v) => v,
        Err(e) => {
            return vec![Err(Failure::new(
                name,
                ReadError::Json {
                    line: e.line() as u64,
                    message: e.to_string(),
                },
            ))]
        }
    };
    let map = |r: Result<Draft, (String, ReadError)>| r.map_err(|(loc, e)| Failure::new(loc, e));
    match value {
        Value::Array(items) if items.is_empty() => vec![Err(Failure::new(name, ReadError::Empty))],
        Value::Array(items) => items
            .iter()
            .enumerate()
            .map(|(i, v)| map(record(v, format!("{name}#{}", i + 1))))
            .collect(),
        other => vec![map(record(&other, name.to_owned()))],
    }
}

/// A record object to a draft. `source` is its location; failures carry it back.
fn record(value: &Value, source: String) -> Result<Draft, (String, ReadError)> {
    let Some(obj) = value.as_object() else {
        return Err((
            source,
            ReadError::Json {
                line: 1,
                message: "expected a JSON object per record".into(),
            },
        ));
    };
    let s = |k: &str| {
        obj.get(k)
            .and_then(Value::as_str)
            .map(str::trim)
            .filter(|v| !v.is_empty())
            .map(str::to_owned)
    };
    let mut fields = Fields {
        url: s("url"),
        outlet: s("outlet"),
        title: s("title"),
        published: s("published"),
        language: s("language").and_then(|l| clean_language(&l)),
    };
    let mut text_map = OffsetMap::default();
    let text = match (
        obj.get("text").and_then(Value::as_str),
        obj.get("html").and_then(Value::as_str),
    ) {
        (Some(text), _) if !text.trim().is_empty() => {
            match markup::strip(text).map_err(|e| (source.clone(), e))? {
                Some(stripped) => {
                    text_map = stripped.offsets;
                    stripped.text
                }
                None => text.to_owned(),
            }
        }
        (_, Some(html)) if !html.trim().is_empty() => {
            let page = read_page(html).map_err(|e| (source.clone(), e))?;
            fields.fill_from(&Fields {
                url: page.url,
                outlet: page.outlet,
                title: page.title,
                published: page.published,
                language: page.language,
            });
            page.text
        }
        (Some(_), _) | (_, Some(_)) => return Err((source, ReadError::Empty)),
        (None, None) => return Err((source, ReadError::MissingField("text or html"))),
    };
    if text.trim().is_empty() {
        return Err((source, ReadError::Empty));
    }
    Ok(Draft {
        source,
        fields,
        text,
        text_offset: 0,
        text_map,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn collect(input: &[u8], opts: &ReadOptions) -> Vec<Result<Draft, Failure>> {
        let mut out = Vec::new();
        read_lines(input, "n.jsonl", opts, &mut |r| out.push(r));
        out
    }

    #[test]
    fn records_and_broken_line_in_the_middle() {
        let input = b"{\"url\":\"https://x.example/1\",\"title\":\"One\",\"published\":\"2025-04-23T10:00:00Z\",\"outlet\":\"X\",\"text\":\"First text.\"}\n\
\n\
{\"title\": \"broken\", \"text\": \n\
{\"html\":\"<html><head><title>From html</title></head><body><nav>menu</nav><p>Para one.</p><p>Para two.</p></body></html>\",\"language\":\"fr\"}\r\n\
{\"title\":\"no body\"}\n\
[1,2]\n";
        let out = collect(input, &ReadOptions::default());
        assert_eq!(out.len(), 5, "{out:?}");
        let first = out[0].as_ref().unwrap();
        assert_eq!(first.source, "n.jsonl:1");
        assert_eq!(first.fields.title.as_deref(), Some("One"));
        assert_eq!(first.text, "First text.");
        let err = out[1].as_ref().unwrap_err();
        assert_eq!(err.location, "n.jsonl:3");
        assert!(matches!(err.error, ReadError::Json { line: 3, .. }));
        let html = out[2].as_ref().unwrap();
        assert_eq!(html.source, "n.jsonl:4");
        assert_eq!(html.text, "Para one.\n\nPara two.");
        assert_eq!(html.fields.title.as_deref(), Some("From html"));
        assert_eq!(html.fields.language.as_deref(), Some("fr"));
        assert!(matches!(
            out[3],
            Err(Failure {
                error: ReadError::MissingField(_),
                ..
            })
        ));
        assert!(out[4].is_err());
    }

    #[test]
    fn line_over_the_limit_is_skipped() {
        let long = format!("{{\"text\":\"{}\"}}\n", "a".repeat(200));
        let input = format!("{{\"text\":\"short\"}}\n{long}{{\"text\":\"after\"}}");
        let opts = ReadOptions {
            max_bytes: 64,
            ..ReadOptions::default()
        };
        let out = collect(input.as_bytes(), &opts);
        assert_eq!(out.len(), 3, "{out:?}");
        assert!(matches!(
            out[1],
            Err(Failure { error: ReadError::TooLarge { limit: 64, .. }, ref location }) if location == "n.jsonl:2"
        ));
        assert_eq!(out[2].as_ref().unwrap().text, "after");
    }

    #[test]
    fn empty_and_binary_streams() {
        let out = collect(b"\n\n  \n", &ReadOptions::default());
        assert!(matches!(
            &out[..],
            [Err(Failure {
                error: ReadError::Empty,
                ..
            })]
        ));
        let out = collect(b"{\"text\":\0\0}", &ReadOptions::default());
        assert!(matches!(
            &out[..],
            [Err(Failure {
                error: ReadError::Binary,
                ..
            })]
        ));
    }

    #[test]
    fn json_array_file() {
        let out = read_json(r#"[{"text":"a"},{"nope":1}]"#, "x.json");
        assert_eq!(out.len(), 2);
        assert_eq!(out[0].as_ref().unwrap().source, "x.json#1");
        assert_eq!(out[1].as_ref().unwrap_err().location, "x.json#2");
        let out = read_json(r#"{"text":"single"}"#, "y.json");
        assert_eq!(out[0].as_ref().unwrap().source, "y.json");
        assert!(read_json("[", "z.json")[0].is_err());
    }
}
