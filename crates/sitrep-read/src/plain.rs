//! Plain text: the text is kept as it is, unless it holds HTML markup, which is stripped
//! to its visible text (`markup.rs`); metadata comes only from front matter at the top
//! of the file and from a `<stem>.meta.json` sidecar next to it.
//!
//! Front matter is a block of `key: value` lines between two `---` lines at the very
//! start. Keys read: `url`, `outlet`, `title`, `published` (or `date`), `language` (or
//! `lang`); others are ignored. If the block is malformed it is not front matter and
//! stays part of the text.
use std::path::{Path, PathBuf};

use sitrep_core::OffsetMap;

use crate::{markup, Fields, ReadError};

/// Largest front-matter block looked at, in bytes.
const MAX_FRONT_MATTER: usize = 8 * 1024;

/// Splits front matter off `text`: the fields it sets and the byte offset where the
/// body starts (0 when there is none).
pub(crate) fn front_matter(text: &str) -> (Fields, usize) {
    let none = (Fields::default(), 0);
    let mut lines = text.split_inclusive('\n');
    match lines.next() {
        Some(first) if first.trim_end() == "---" => {}
        _ => return none,
    }
    let mut offset = text.find('\n').map_or(text.len(), |i| i + 1);
    let mut fields = Fields::default();
    for line in lines {
        offset += line.len();
        if offset > MAX_FRONT_MATTER {
            return none;
        }
        let trimmed = line.trim();
        if trimmed == "---" || trimmed == "..." {
            return (fields, offset);
        }
        if trimmed.is_empty() || trimmed.starts_with('#') {
            continue;
        }
        let Some((key, value)) = trimmed.split_once(':') else {
            return none;
        };
        let key = key.trim().to_ascii_lowercase();
        if key.is_empty()
            || !key
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
        {
            return none;
        }
        let value = unquote(value.trim());
        if value.is_empty() {
            continue;
        }
        let slot = match key.as_str() {
            "url" | "link" => &mut fields.url,
            "outlet" | "source" | "site" => &mut fields.outlet,
            "title" | "headline" => &mut fields.title,
            "published" | "date" => &mut fields.published,
            "language" | "lang" => &mut fields.language,
            _ => continue,
        };
        if slot.is_none() {
            *slot = Some(value.to_owned());
        }
    }
    none
}

/// The document text of a file's body (what follows any front matter) and the map from
/// it back to the body: the body as it is, or its visible text when it holds markup
/// ([`markup::strip`]).
pub(crate) fn body(body: &str) -> Result<(String, OffsetMap), ReadError> {
    Ok(match markup::strip(body)? {
        Some(stripped) => (stripped.text, stripped.offsets),
        None => (body.to_owned(), OffsetMap::default()),
    })
}

fn unquote(v: &str) -> &str {
    for q in ['"', '\''] {
        if v.len() >= 2 && v.starts_with(q) && v.ends_with(q) {
            return &v[1..v.len() - 1];
        }
    }
    v
}

/// The sidecar path of a document: `dir/stem.meta.json` for `dir/stem.ext`.
pub(crate) fn sidecar_path(path: &Path) -> Option<PathBuf> {
    let stem = path.file_stem()?.to_str()?;
    Some(path.with_file_name(format!("{stem}.meta.json")))
}

/// Reads a sidecar: `{url, outlet, title, published, language}`; other keys and
/// non-string values are ignored.
pub(crate) fn parse_sidecar(bytes: &[u8]) -> Result<Fields, ReadError> {
    let value: serde_json::Value = serde_json::from_slice(bytes).map_err(|e| ReadError::Json {
        line: e.line() as u64,
        message: e.to_string(),
    })?;
    let obj = value.as_object().ok_or_else(|| ReadError::Json {
        line: 1,
        message: "a sidecar must be a JSON object".into(),
    })?;
    let s = |k: &str| {
        obj.get(k)
            .and_then(|v| v.as_str())
            .map(str::trim)
            .filter(|v| !v.is_empty())
            .map(str::to_owned)
    };
    Ok(Fields {
        url: s("url"),
        outlet: s("outlet"),
        title: s("title"),
        published: s("published"),
        language: s("language"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn front_matter_fields_and_body_offset() {
        let text = "---\ntitle: \"Talks resume\"\npublished: 2025-04-23\nurl: https://x.example/a\nauthor: someone\n---\nBody starts here.\n";
        let (f, off) = front_matter(text);
        assert_eq!(f.title.as_deref(), Some("Talks resume"));
        assert_eq!(f.published.as_deref(), Some("2025-04-23"));
        assert_eq!(f.url.as_deref(), Some("https://x.example/a"));
        assert_eq!(&text[off..], "Body starts here.\n");
    }

    #[test]
    fn not_front_matter() {
        for text in [
            "No front matter.\n---\n",
            "---\njust a rule with prose after it\n---\n",
            "---\ntitle: never closed\n",
            "---",
        ] {
            let (f, off) = front_matter(text);
            assert_eq!(off, 0, "{text:?}");
            assert_eq!(f, Fields::default());
        }
    }

    #[test]
    fn sidecar_parsing() {
        let f = parse_sidecar(br#"{"url":"https://x.example/a","outlet":"x.example","published":"2025-04-23","language":"en","extra":1,"title":null}"#).unwrap();
        assert_eq!(f.outlet.as_deref(), Some("x.example"));
        assert_eq!(f.title, None);
        assert!(matches!(
            parse_sidecar(b"{\n\"url\": }"),
            Err(ReadError::Json { line: 2, .. })
        ));
        assert!(parse_sidecar(b"[1]").is_err());
        assert_eq!(
            sidecar_path(Path::new("/d/000_ab.txt")).unwrap(),
            Path::new("/d/000_ab.meta.json")
        );
    }
}
