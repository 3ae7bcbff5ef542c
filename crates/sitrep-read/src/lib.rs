//! Reading: the first stage of sitrep. Files, folders and standard input in; a stream of
//! [`SourceDoc`]s (normalised text plus url, outlet, title, publication date and
//! language) out, each input failure reported with its location instead of stopping
//! the run.
//!
//! # Place in the pipeline
//!
//! `sitrep-read` sits between the outside world and the engine: it knows about files,
//! encodings, HTML, feeds and JSON, and hands the engine plain text. Unicode
//! normalisation (quotes, dashes, spaces, with an offset map back) is delegated to
//! [`sitrep_text::normalize()`]; the engine never sees markup or bytes.
//!
//! # Formats
//!
//! | format | detected by | documents |
//! |---|---|---|
//! | plain text | `.txt` `.text` `.md`, or anything else | one; metadata from front matter and a `<stem>.meta.json` sidecar; HTML markup inside is stripped |
//! | HTML | `.html` `.htm` `.xhtml`, or `<html`/`<!doctype html` | one; metadata from `<meta>`, JSON-LD, `<title>`, `<time>` |
//! | RSS / Atom | `.xml` `.rss` `.atom` `.rdf`, or `<rss`/`<feed` | one per item/entry |
//! | JSON Lines | `.jsonl` `.ndjson`, or a first line starting with `{` | one per line |
//! | JSON | `.json`, or text starting with `[{` | one per array element |
//!
//! The extension decides; without a known extension the first bytes are sniffed.
//!
//! # Key choices
//!
//! * **Encoding:** a BOM decides (UTF-8, UTF-16LE/BE); else valid UTF-8 is UTF-8; else
//!   a charset declared in the first KiB; else `chardetng` guesses (Windows-1252 is the
//!   usual answer for Western news) and `encoding_rs` decodes. NUL bytes or many control
//!   characters in the first 8 KiB mean binary, which is rejected rather than decoded.
//! * **HTML with `scraper`:** html5ever is a spec-compliant parser (real pages are tag
//!   soup) and `scraper` stores the tree in an arena, so the tree is built and dropped
//!   without recursion. Our own walks over it use an explicit stack for the same
//!   reason: a page nested 10,000 deep must not overflow the stack. Body extraction is
//!   our own small readability-style scorer over paragraph text against link text.
//! * **Feeds with quick-xml's pull parser:** items are read one at a time, entities
//!   declared in a DOCTYPE are never expanded (no "billion laughs"), nesting and item
//!   counts are bounded, and one broken item fails alone.
//! * **JSON Lines are streamed** line by line with the size limit applied per line.
//! * **Markup inside text** (a `.txt` body or a JSON Lines `text` value holding tags or
//!   character references) is detected conservatively and stripped by the HTML
//!   reader's renderer (`markup.rs`); "a < b", "<jane@example.org>" and "AT&T" stay
//!   text. Source marks carried through the parser keep the offset map exact.
//! * **Dates** are normalised with `jiff` to ISO 8601 keeping the input's precision
//!   ([`normalize_date`]); an unparseable date leaves `published` empty rather than
//!   failing the document.
//! * **Nothing panics on input:** every problem becomes a [`Failure`] with a location
//!   (`path`, `path:LINE`, a feed item's link), and other documents keep flowing.
#![warn(missing_docs)]

mod date;
mod decode;
mod error;
pub mod feed;
mod html;
mod jsonl;
mod markup;
mod plain;

use std::fs;
use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};

use sitrep_core::{OffsetMap, SourceDoc};

pub use date::normalize_date;
pub use error::{Failure, ReadError};

/// Default per-document (and per-file, per-line) size limit: 32 MiB.
pub const DEFAULT_MAX_BYTES: usize = 32 * 1024 * 1024;

/// How inputs are read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReadOptions {
    /// Largest input accepted, in bytes: per file, per standard-input stream, and per
    /// JSON Lines line. Larger inputs fail with [`ReadError::TooLarge`].
    pub max_bytes: usize,
    /// Publication date to use for plain-text documents, overriding front matter and
    /// sidecars (the CLI's `--published`). Must be a date ([`ReadOptions::validate`]).
    pub published: Option<String>,
}

impl Default for ReadOptions {
    fn default() -> Self {
        Self {
            max_bytes: DEFAULT_MAX_BYTES,
            published: None,
        }
    }
}

impl ReadOptions {
    /// Checks the options; an override that is not a date is [`ReadError::Date`].
    pub fn validate(&self) -> Result<(), ReadError> {
        self.published_override().map(|_| ())
    }

    /// The normalised `published` override, if one is set.
    pub fn published_override(&self) -> Result<Option<String>, ReadError> {
        match &self.published {
            None => Ok(None),
            Some(raw) => normalize_date(raw)
                .map(Some)
                .ok_or_else(|| ReadError::Date(raw.clone())),
        }
    }
}

/// One input to read: a file or standard input.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum InputFile {
    /// Standard input (`-` on the command line).
    Stdin,
    /// A file path, as given or as found in a directory walk.
    File(PathBuf),
}

impl InputFile {
    /// How the input is named in sources and failures: the path, or `<stdin>`.
    pub fn location(&self) -> String {
        match self {
            InputFile::Stdin => "<stdin>".to_owned(),
            InputFile::File(p) => p.display().to_string(),
        }
    }
}

/// The input formats sitrep reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Plain text (optionally with front matter).
    Text,
    /// An HTML page.
    Html,
    /// An RSS or Atom feed.
    Feed,
    /// JSON Lines: one record object per line.
    JsonLines,
    /// A JSON file: one record object or an array of them.
    Json,
}

impl Format {
    /// The format named by a file name's extension, if it names one.
    pub fn from_name(name: &str) -> Option<Format> {
        let ext = Path::new(name).extension()?.to_str()?.to_ascii_lowercase();
        Some(match ext.as_str() {
            "txt" | "text" | "md" | "markdown" => Format::Text,
            "html" | "htm" | "xhtml" | "shtml" => Format::Html,
            "xml" | "rss" | "atom" | "rdf" => Format::Feed,
            "jsonl" | "ndjson" => Format::JsonLines,
            "json" => Format::Json,
            _ => return None,
        })
    }

    /// The format of decoded text judged by how it starts.
    pub fn sniff(text: &str) -> Format {
        let start = text.trim_start_matches(|c: char| c.is_whitespace() || c == '\u{FEFF}');
        let mut head_end = start.len().min(1024);
        while !start.is_char_boundary(head_end) {
            head_end -= 1;
        }
        let head = start[..head_end].to_ascii_lowercase();
        if head.starts_with("<!doctype html") || head.starts_with("<html") {
            return Format::Html;
        }
        if head.starts_with('<') {
            if head.contains("<rss") || head.contains("<feed") || head.contains("<rdf:rdf") {
                return Format::Feed;
            }
            if head.starts_with("<?xml") && !head.contains("<html") {
                return Format::Feed;
            }
            return Format::Html;
        }
        if head.starts_with('{') {
            return Format::JsonLines;
        }
        if let Some(rest) = head.strip_prefix('[') {
            if rest.trim_start().starts_with(['{', ']']) {
                return Format::Json;
            }
        }
        Format::Text
    }
}

// ---------------------------------------------------------------------------------
// Shared intermediate forms

/// Metadata fields a reader may find; `None` where it found nothing.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct Fields {
    pub url: Option<String>,
    pub outlet: Option<String>,
    pub title: Option<String>,
    pub published: Option<String>,
    pub language: Option<String>,
}

impl Fields {
    /// Fills the fields still empty from `other`.
    pub fn fill_from(&mut self, other: &Fields) {
        fn fill(a: &mut Option<String>, b: &Option<String>) {
            if a.is_none() {
                a.clone_from(b);
            }
        }
        fill(&mut self.url, &other.url);
        fill(&mut self.outlet, &other.outlet);
        fill(&mut self.title, &other.title);
        fill(&mut self.published, &other.published);
        fill(&mut self.language, &other.language);
    }
}

/// A document before normalisation.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Draft {
    pub source: String,
    pub fields: Fields,
    /// The document text (paragraphs separated by blank lines for markup formats).
    pub text: String,
    /// Offset of `text` in the reader's decoded input (front matter skipped), so the
    /// offset map points into the decoded file.
    pub text_offset: usize,
    /// Offsets in `text` → offsets in the input from `text_offset` on: the identity when
    /// `text` is a slice of the input; the way back through stripped markup for text
    /// with markup (`markup.rs`). Text rendered from HTML pages and feeds keeps the
    /// identity: their map points into the rendered text.
    pub text_map: OffsetMap,
}

impl Draft {
    /// Normalises the text and fills defaults. Text that is empty once normalised (only
    /// spaces and invisible characters: BOMs, zero-width spaces, bidi marks) is
    /// [`ReadError::Empty`].
    fn finish(self) -> Result<SourceDoc, Failure> {
        if self.text.trim().is_empty() {
            return Err(Failure::new(self.source, ReadError::Empty));
        }
        let normalized = sitrep_text::normalize(&self.text);
        if normalized.text.trim().is_empty() {
            return Err(Failure::new(self.source, ReadError::Empty));
        }
        let offsets = if self.text_offset == 0 && self.text_map.is_empty() {
            normalized.offsets
        } else {
            compose_offsets(
                &normalized.offsets,
                normalized.text.len(),
                &self.text_map,
                self.text_offset,
            )
        };
        let f = self.fields;
        Ok(SourceDoc {
            source: self.source,
            url: f.url.map(|u| u.trim().to_owned()),
            outlet: f.outlet.map(|o| o.trim().to_owned()),
            title: f
                .title
                .map(|t| t.split_whitespace().collect::<Vec<_>>().join(" "))
                .filter(|t| !t.is_empty()),
            published: f.published.as_deref().and_then(normalize_date),
            language: f
                .language
                .as_deref()
                .and_then(html::clean_language)
                .unwrap_or_else(|| "en".to_owned()),
            text: normalized.text,
            offsets,
        })
    }
}

/// The map `n ↦ inner(map(n)) + shift` for every offset of a text of length `len`.
fn compose_offsets(map: &OffsetMap, len: usize, inner: &OffsetMap, shift: usize) -> OffsetMap {
    let mut out = OffsetMap::default();
    for n in 0..=len {
        out.push(n, inner.to_original(map.to_original(n)) + shift);
    }
    out
}

// ---------------------------------------------------------------------------------
// Inputs

/// Expands command-line inputs into the files to read, in a deterministic order.
///
/// `-` is standard input; files are kept as given (even hidden ones); directories are
/// walked recursively in path order, skipping hidden entries, `*.meta.json` sidecars,
/// `*.gold.json` gold files, a folder's own documentation (`README`, `LICENSE`,
/// `CHANGELOG`, `NOTICE`, `COPYING`, any extension) and anything that is not a regular
/// file or directory.
/// Symbolic links are followed, but a directory already visited (a symlink loop) is
/// not entered twice. Paths that cannot be read are failures in place.
pub fn expand(inputs: &[PathBuf]) -> Vec<Result<InputFile, Failure>> {
    let mut out = Vec::new();
    for input in inputs {
        if input.as_os_str() == "-" {
            out.push(Ok(InputFile::Stdin));
            continue;
        }
        match fs::metadata(input) {
            Ok(meta) if meta.is_dir() => walk(input, &mut out),
            Ok(_) => out.push(Ok(InputFile::File(input.clone()))),
            Err(e) => out.push(Err(Failure::new(
                input.display().to_string(),
                ReadError::Io(e),
            ))),
        }
    }
    out
}

fn skipped_in_walk(name: &str) -> bool {
    let stem = name.split('.').next().unwrap_or(name).to_ascii_uppercase();
    name.starts_with('.')
        || name.ends_with(".meta.json")
        || name.ends_with(".gold.json")
        || matches!(
            stem.as_str(),
            "README" | "LICENSE" | "CHANGELOG" | "NOTICE" | "COPYING"
        )
}

/// Iterative pre-order walk with each directory's entries sorted by name.
fn walk(root: &Path, out: &mut Vec<Result<InputFile, Failure>>) {
    let mut visited = std::collections::HashSet::new();
    let mut stack: Vec<std::vec::IntoIter<PathBuf>> = Vec::new();
    let mut enter = |dir: &Path, stack: &mut Vec<std::vec::IntoIter<PathBuf>>, out: &mut Vec<_>| {
        let fail =
            |e: std::io::Error| Err(Failure::new(dir.display().to_string(), ReadError::Io(e)));
        match fs::canonicalize(dir) {
            Ok(real) => {
                if !visited.insert(real) {
                    return; // already walked: a symlink loop or a second link to it
                }
            }
            Err(e) => {
                out.push(fail(e));
                return;
            }
        }
        match fs::read_dir(dir) {
            Ok(entries) => {
                let mut paths = Vec::new();
                for entry in entries {
                    match entry {
                        Ok(entry) => {
                            let name = entry.file_name();
                            if !skipped_in_walk(&name.to_string_lossy()) {
                                paths.push(entry.path());
                            }
                        }
                        Err(e) => out.push(fail(e)),
                    }
                }
                paths.sort();
                stack.push(paths.into_iter());
            }
            Err(e) => out.push(fail(e)),
        }
    };
    enter(root, &mut stack, out);
    while let Some(top) = stack.last_mut() {
        let Some(path) = top.next() else {
            stack.pop();
            continue;
        };
        match fs::metadata(&path) {
            Ok(meta) if meta.is_dir() => enter(&path, &mut stack, out),
            Ok(meta) if meta.is_file() => out.push(Ok(InputFile::File(path))),
            Ok(_) => {} // sockets, FIFOs, devices: never read from a walk
            Err(e) => out.push(Err(Failure::new(
                path.display().to_string(),
                ReadError::Io(e),
            ))),
        }
    }
}

/// Reads one input into its documents, in order. See [`read_input_with`] to receive
/// them one at a time instead (large JSON Lines files).
pub fn read_input(input: &InputFile, opts: &ReadOptions) -> Vec<Result<SourceDoc, Failure>> {
    let mut out = Vec::new();
    read_input_with(input, opts, &mut |r| out.push(r));
    out
}

/// Reads one input and hands each document (or failure) to `sink` as soon as it is
/// read. JSON Lines are streamed from the file or standard input; other formats are
/// read whole (up to [`ReadOptions::max_bytes`]) first.
pub fn read_input_with(
    input: &InputFile,
    opts: &ReadOptions,
    sink: &mut dyn FnMut(Result<SourceDoc, Failure>),
) {
    let name = input.location();
    let limit = opts.max_bytes;
    match input {
        InputFile::File(path) => {
            let too_large = |size: u64| {
                Err(Failure::new(
                    name.clone(),
                    ReadError::TooLarge {
                        size,
                        limit: limit as u64,
                    },
                ))
            };
            let file = match fs::File::open(path) {
                Ok(f) => f,
                Err(e) => return sink(Err(Failure::new(name, ReadError::Io(e)))),
            };
            if Format::from_name(&name) == Some(Format::JsonLines) {
                return stream_jsonl(BufReader::new(file), &name, opts, sink);
            }
            match file.metadata() {
                Ok(meta) if meta.len() > limit as u64 => return sink(too_large(meta.len())),
                Ok(_) => {}
                Err(e) => return sink(Err(Failure::new(name, ReadError::Io(e)))),
            }
            let mut bytes = Vec::new();
            if let Err(e) = file.take(limit as u64 + 1).read_to_end(&mut bytes) {
                return sink(Err(Failure::new(name, ReadError::Io(e))));
            }
            if bytes.len() > limit {
                return sink(too_large(bytes.len() as u64));
            }
            let sidecar = plain::sidecar_path(path).filter(|p| p.is_file()).map(|p| {
                let loc = p.display().to_string();
                fs::read(&p)
                    .map_err(ReadError::Io)
                    .and_then(|b| plain::parse_sidecar(&b))
                    .map_err(|e| Failure::new(loc, e))
            });
            let sidecar = match sidecar {
                Some(Err(f)) => {
                    sink(Err(f));
                    None
                }
                Some(Ok(fields)) => Some(fields),
                None => None,
            };
            read_bytes_into(&bytes, &name, opts, sidecar.as_ref(), sink);
        }
        InputFile::Stdin => {
            let stdin = std::io::stdin();
            let mut lock = stdin.lock();
            read_stream(&mut lock, &name, opts, sink);
        }
    }
}

/// Reads a stream: JSON Lines (sniffed from the first bytes) are streamed, anything
/// else is read up to the limit and handled like a file.
fn read_stream<R: BufRead>(
    reader: &mut R,
    name: &str,
    opts: &ReadOptions,
    sink: &mut dyn FnMut(Result<SourceDoc, Failure>),
) {
    let limit = opts.max_bytes;
    let head_len = (limit as u64 + 1).min(8192);
    let mut head = Vec::new();
    if let Err(e) = reader.by_ref().take(head_len).read_to_end(&mut head) {
        return sink(Err(Failure::new(name, ReadError::Io(e))));
    }
    let first = head
        .strip_prefix(b"\xEF\xBB\xBF")
        .unwrap_or(&head)
        .iter()
        .find(|b| !b.is_ascii_whitespace());
    if first == Some(&b'{') {
        let chained = BufReader::new(std::io::Cursor::new(head).chain(reader));
        return stream_jsonl(chained, name, opts, sink);
    }
    let mut bytes = head;
    let rest = (limit as u64 + 1).saturating_sub(bytes.len() as u64);
    if let Err(e) = reader.take(rest).read_to_end(&mut bytes) {
        return sink(Err(Failure::new(name, ReadError::Io(e))));
    }
    if bytes.len() > limit {
        return sink(Err(Failure::new(
            name,
            ReadError::TooLarge {
                size: bytes.len() as u64,
                limit: limit as u64,
            },
        )));
    }
    read_bytes_into(&bytes, name, opts, None, sink);
}

fn stream_jsonl<R: BufRead>(
    reader: R,
    name: &str,
    opts: &ReadOptions,
    sink: &mut dyn FnMut(Result<SourceDoc, Failure>),
) {
    jsonl::read_lines(reader, name, opts, &mut |r| sink(r.and_then(Draft::finish)));
}

/// Reads documents from bytes already in memory. `name_hint` names the input in
/// sources and failures and its extension picks the format (sniffed otherwise).
///
/// This is what [`read_input`] does after reading a file, minus the sidecar lookup; the
/// fuzz targets call it directly.
pub fn read_bytes(
    bytes: &[u8],
    name_hint: &str,
    opts: &ReadOptions,
) -> Vec<Result<SourceDoc, Failure>> {
    let mut out = Vec::new();
    read_bytes_into(bytes, name_hint, opts, None, &mut |r| out.push(r));
    out
}

fn read_bytes_into(
    bytes: &[u8],
    name: &str,
    opts: &ReadOptions,
    sidecar: Option<&Fields>,
    sink: &mut dyn FnMut(Result<SourceDoc, Failure>),
) {
    let published_override = match opts.published_override() {
        Ok(p) => p,
        Err(e) => return sink(Err(Failure::new("--published", e))),
    };
    if bytes.len() > opts.max_bytes {
        return sink(Err(Failure::new(
            name,
            ReadError::TooLarge {
                size: bytes.len() as u64,
                limit: opts.max_bytes as u64,
            },
        )));
    }
    let by_name = Format::from_name(name);
    // UTF-8 JSON Lines go straight to the line reader (lines are decoded one by one).
    let utf16 =
        matches!(encoding_rs::Encoding::for_bom(bytes), Some((e, _)) if e != encoding_rs::UTF_8);
    if by_name == Some(Format::JsonLines) && !utf16 {
        return stream_jsonl(bytes, name, opts, sink);
    }
    let text = match decode::decode(bytes) {
        Ok(t) => t,
        Err(e) => return sink(Err(Failure::new(name, e))),
    };
    let format = by_name.unwrap_or_else(|| Format::sniff(&text));
    match format {
        Format::Text => {
            let (front, offset) = plain::front_matter(&text);
            let mut fields = front;
            if let Some(side) = sidecar {
                fields.fill_from(side);
            }
            if published_override.is_some() {
                fields.published = published_override;
            }
            let (body, text_map) = match plain::body(&text[offset..]) {
                Ok(body) => body,
                Err(e) => return sink(Err(Failure::new(name, e))),
            };
            let draft = Draft {
                source: name.to_owned(),
                fields,
                text: body,
                text_offset: offset,
                text_map,
            };
            sink(draft.finish());
        }
        Format::Html => {
            let page = match html::read_page(&text) {
                Ok(page) => page,
                Err(e) => return sink(Err(Failure::new(name, e))),
            };
            // Metadata someone wrote down (the sidecar) beats what the page implies.
            let mut fields = sidecar.cloned().unwrap_or_default();
            fields.fill_from(&Fields {
                url: page.url,
                outlet: page.outlet,
                title: page.title,
                published: page.published,
                language: page.language,
            });
            let draft = Draft {
                source: name.to_owned(),
                fields,
                text: page.text,
                text_offset: 0,
                text_map: OffsetMap::default(),
            };
            sink(draft.finish());
        }
        Format::Feed => {
            for r in feed::read_feed(&text, name) {
                sink(r.and_then(Draft::finish));
            }
        }
        Format::JsonLines => stream_jsonl(text.as_bytes(), name, opts, sink),
        Format::Json => {
            for r in jsonl::read_json(&text, name) {
                sink(r.and_then(Draft::finish));
            }
        }
    }
}

#[cfg(test)]
mod tests;
