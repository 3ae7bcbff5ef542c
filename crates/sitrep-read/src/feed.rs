//! RSS 2.0, RSS 1.0 (RDF) and Atom feeds with quick-xml's pull parser.
//!
//! Each `<item>`/`<entry>` becomes one document. The parser streams events and keeps
//! only the item being read, its fields and a stack of open element names, so memory
//! stays proportional to one item.
//!
//! Safety: quick-xml never expands entities declared in a DOCTYPE; a reference to one
//! (`&lol9;`) is kept as the literal text `&lol9;`, so a "billion laughs" document
//! costs nothing. Only the five predefined XML entities and character references are
//! resolved here; HTML entities (`&nbsp;`) in HTML-bearing fields are left to the HTML
//! reader. Nesting is limited to [`MAX_DEPTH`] and a feed to [`MAX_ITEMS`] items; a
//! syntax error fails only the item it is in, and reading resumes after it.
use quick_xml::events::{BytesRef, BytesStart, Event};
use quick_xml::Reader;
use sitrep_core::OffsetMap;

use crate::date::normalize_date;
use crate::html::{clean_language, fragment_to_text, host_of, is_absolute_url};
use crate::{Draft, Failure, Fields, ReadError};

/// Deepest element nesting accepted in a feed.
pub const MAX_DEPTH: usize = 256;
/// Most items read from one feed; the rest is reported as one failure.
pub const MAX_ITEMS: usize = 50_000;
/// Syntax errors tolerated in one feed before giving up on it.
const MAX_ERRORS: usize = 100;

#[derive(Debug, Clone, Copy, PartialEq)]
enum Field {
    Title,
    Link,
    Guid,
    /// Publication date; rank 0 = published, 1 = updated.
    Date(u8),
    Summary,
    Content,
    ChannelTitle,
    ChannelLink,
    Language,
}

struct Capture {
    field: Field,
    /// Stack depth of the captured element (its own entry included).
    depth: usize,
    buf: String,
}

#[derive(Default)]
struct Item {
    index: usize,
    /// Stack depth outside the item (its own element is at this index).
    depth: usize,
    title: Option<String>,
    link: Option<String>,
    /// Atom `<link rel href>` pairs.
    links: Vec<(String, String)>,
    guid: Option<String>,
    dates: Vec<(u8, String)>,
    summary: Option<String>,
    content: Option<String>,
    language: Option<String>,
}

#[derive(Default)]
struct Channel {
    title: Option<String>,
    link: Option<String>,
    language: Option<String>,
}

/// Reads every item of a feed. `name` locates failures (`name#3` for the third item
/// when it has no link).
pub(crate) fn read_feed(src: &str, name: &str) -> Vec<Result<Draft, Failure>> {
    let mut state = State::default();
    // `base` is where the current reader started in `src`: after a syntax error
    // quick-xml stops, so reading restarts at the next item's start tag.
    let mut base = 0usize;
    let mut reader = new_reader(src);
    let mut errors = 0usize;
    loop {
        let problem = match reader.read_event() {
            Ok(Event::Eof) => break,
            Ok(event) => match state.event(event) {
                Ok(()) => continue,
                Err(Stop::Fatal(err)) => {
                    state.fatal = Some(err);
                    break;
                }
                Err(Stop::Item(err)) => (
                    err,
                    base + usize::try_from(reader.buffer_position()).unwrap_or(0),
                ),
            },
            Err(e) => {
                let pos = base + usize::try_from(reader.error_position()).unwrap_or(0);
                (ReadError::Xml(format!("{e} (at byte {pos})")), pos)
            }
        };
        let (err, pos) = problem;
        errors += 1;
        state.fail_current(name, err);
        if errors >= MAX_ERRORS {
            state.fatal = Some(ReadError::Xml(format!(
                "{MAX_ERRORS} errors; the rest of the feed is skipped"
            )));
            break;
        }
        match next_item_start(src, pos + 1) {
            Some(next) => {
                base = next;
                reader = new_reader(&src[next..]);
            }
            None => break,
        }
    }
    state.finish(name)
}

fn new_reader(src: &str) -> Reader<&[u8]> {
    let mut reader = Reader::from_str(src);
    let config = reader.config_mut();
    config.trim_text(false);
    config.check_end_names = false;
    config.allow_unmatched_ends = true;
    config.allow_dangling_amp = true;
    config.expand_empty_elements = false;
    reader
}

/// Byte offset of the next `<item` or `<entry` start tag at or after `from`.
fn next_item_start(src: &str, from: usize) -> Option<usize> {
    let bytes = src.as_bytes();
    let mut i = from;
    while i < bytes.len() {
        let rel = bytes[i..].iter().position(|&b| b == b'<')?;
        let at = i + rel;
        let rest = &bytes[at + 1..];
        for tag in [&b"item"[..], &b"entry"[..]] {
            if rest.starts_with(tag)
                && rest
                    .get(tag.len())
                    .is_some_and(|&b| b == b'>' || b == b'/' || b.is_ascii_whitespace())
            {
                return Some(at);
            }
        }
        i = at + 1;
    }
    None
}

/// Why event handling stopped.
enum Stop {
    /// The current item (or feed header) is broken; reading resumes at the next item.
    Item(ReadError),
    /// The whole feed is unreadable or over a limit.
    Fatal(ReadError),
}

#[derive(Default)]
struct State {
    items: Vec<Item>,
    failed: Vec<(usize, Failure)>,
    stack: Vec<String>,
    channel: Channel,
    item: Option<Item>,
    capture: Option<Capture>,
    root_checked: bool,
    count: usize,
    fatal: Option<ReadError>,
}

impl State {
    fn event(&mut self, event: Event<'_>) -> Result<(), Stop> {
        match event {
            Event::Start(e) => self.start(&e)?,
            Event::Empty(e) => self.empty(&e)?,
            Event::End(e) => {
                let n = e.name();
                let n: &str = n.as_ref();
                self.end(n.rsplit(':').next().unwrap_or(n));
            }
            Event::Text(t) => {
                if let Some(cap) = self.capture.as_mut() {
                    cap.buf.push_str(&t.xml10_content());
                }
            }
            Event::CData(t) => {
                if let Some(cap) = self.capture.as_mut() {
                    cap.buf.push_str(&t.xml10_content());
                }
            }
            Event::GeneralRef(r) => {
                if let Some(cap) = self.capture.as_mut() {
                    push_reference(&mut cap.buf, &r);
                }
            }
            // Declarations, comments, processing instructions and the DOCTYPE (whose
            // entity declarations are never expanded) carry no article text.
            Event::Decl(_) | Event::PI(_) | Event::Comment(_) | Event::DocType(_) | Event::Eof => {}
        }
        Ok(())
    }

    fn check_root(&mut self, e: &BytesStart<'_>, local: &str) -> Result<(), Stop> {
        if !self.root_checked {
            self.root_checked = true;
            check_root(local).map_err(Stop::Fatal)?;
            if let Some(lang) = attr(e, "xml:lang") {
                self.channel.language = clean_language(&lang);
            }
        }
        Ok(())
    }

    fn start(&mut self, e: &BytesStart<'_>) -> Result<(), Stop> {
        let local = local_name(e);
        self.check_root(e, &local)?;
        if self.stack.len() >= MAX_DEPTH {
            return Err(Stop::Item(ReadError::Xml(format!(
                "elements nested deeper than {MAX_DEPTH}"
            ))));
        }
        self.stack.push(local.clone());
        if let Some(cap) = self.capture.as_mut() {
            push_markup(&mut cap.buf, e, false);
            return Ok(());
        }
        let parent = self
            .stack
            .len()
            .checked_sub(2)
            .map(|i| self.stack[i].as_str());
        if self.item.is_none() && matches!(local.as_str(), "item" | "entry") {
            self.count += 1;
            if self.count > MAX_ITEMS {
                return Err(Stop::Fatal(ReadError::Xml(format!(
                    "more than {MAX_ITEMS} items; the rest of the feed is skipped"
                ))));
            }
            self.item = Some(Item {
                index: self.count,
                depth: self.stack.len() - 1,
                language: attr(e, "xml:lang").and_then(|l| clean_language(&l)),
                ..Item::default()
            });
            return Ok(());
        }
        let field = if self.item.is_some() {
            if matches!(parent, Some("item" | "entry")) {
                item_field(e, &local)
            } else {
                None
            }
        } else if matches!(parent, Some("channel" | "feed")) {
            channel_field(e, &local)
        } else {
            None
        };
        if let Some(field) = field {
            self.capture = Some(Capture {
                field,
                depth: self.stack.len(),
                buf: String::new(),
            });
        }
        Ok(())
    }

    fn empty(&mut self, e: &BytesStart<'_>) -> Result<(), Stop> {
        if let Some(cap) = self.capture.as_mut() {
            push_markup(&mut cap.buf, e, true);
            return Ok(());
        }
        let local = local_name(e);
        self.check_root(e, &local)?;
        let parent = self.stack.last().map(String::as_str);
        if local == "link" && !is_prefixed(e) {
            let href = attr(e, "href").unwrap_or_default();
            let rel = attr(e, "rel").unwrap_or_else(|| "alternate".to_owned());
            match (self.item.as_mut(), parent) {
                (Some(it), Some("entry" | "item")) => it.links.push((rel, href)),
                (None, Some("feed" | "channel"))
                    if rel == "alternate" && self.channel.link.is_none() =>
                {
                    self.channel.link = Some(href);
                }
                _ => {}
            }
        }
        Ok(())
    }

    fn end(&mut self, local: &str) {
        // Close up to the matching open element; ignore stray end tags.
        let Some(pos) = self.stack.iter().rposition(|s| s == local) else {
            return;
        };
        if let Some(cap) = self.capture.as_mut() {
            if pos + 1 > cap.depth {
                cap.buf.push_str("</");
                cap.buf.push_str(local);
                cap.buf.push('>');
            }
        }
        self.stack.truncate(pos);
        if self
            .capture
            .as_ref()
            .is_some_and(|c| self.stack.len() < c.depth)
        {
            if let Some(cap) = self.capture.take() {
                store(cap, self.item.as_mut(), &mut self.channel);
            }
        }
        if self
            .item
            .as_ref()
            .is_some_and(|it| self.stack.len() <= it.depth)
        {
            if let Some(it) = self.item.take() {
                self.items.push(it);
            }
        }
    }

    /// Records a failure for the item being read (or the feed, between items) and
    /// forgets the item's partial state.
    fn fail_current(&mut self, name: &str, err: ReadError) {
        self.capture = None;
        match self.item.take() {
            Some(it) => {
                self.stack.truncate(it.depth);
                self.failed
                    .push((it.index, Failure::new(item_location(name, &it), err)));
            }
            None => self.failed.push((self.count, Failure::new(name, err))),
        }
    }

    fn finish(mut self, name: &str) -> Vec<Result<Draft, Failure>> {
        // A truncated feed: keep the item that was open, it may be complete enough.
        if let Some(mut it) = self.item.take() {
            if let Some(cap) = self.capture.take() {
                store(cap, Some(&mut it), &mut self.channel);
            }
            self.items.push(it);
        }
        if !self.root_checked && self.fatal.is_none() {
            self.fatal = Some(ReadError::UnsupportedFormat("no XML elements found".into()));
        }
        let channel = self.channel;
        let outlet = channel
            .title
            .clone()
            .or_else(|| channel.link.as_deref().and_then(host_of));
        let mut results: Vec<(usize, Result<Draft, Failure>)> = self
            .items
            .into_iter()
            .map(|it| (it.index, finish_item(it, name, outlet.as_deref(), &channel)))
            .collect();
        results.extend(self.failed.into_iter().map(|(i, f)| (i, Err(f))));
        // Stable: an item comes before a feed-level failure recorded right after it.
        results.sort_by_key(|(i, _)| *i);
        let mut out: Vec<Result<Draft, Failure>> = results.into_iter().map(|(_, r)| r).collect();
        if let Some(err) = self.fatal {
            out.push(Err(Failure::new(name, err)));
        } else if self.count == 0 && out.is_empty() {
            out.push(Err(Failure::new(
                name,
                ReadError::Xml("feed has no <item> or <entry>".into()),
            )));
        }
        out
    }
}

fn check_root(local: &str) -> Result<(), ReadError> {
    if matches!(local, "rss" | "feed" | "RDF" | "rdf") {
        Ok(())
    } else {
        Err(ReadError::UnsupportedFormat(format!(
            "XML root element <{local}> is not an RSS or Atom feed"
        )))
    }
}

fn local_name(e: &BytesStart<'_>) -> String {
    let n = e.local_name();
    let s: &str = n.as_ref();
    s.to_owned()
}

fn is_prefixed(e: &BytesStart<'_>) -> bool {
    let n = e.name();
    let s: &str = n.as_ref();
    s.contains(':')
}

fn attr(e: &BytesStart<'_>, key: &str) -> Option<String> {
    e.attributes().with_checks(false).flatten().find_map(|a| {
        let k: &str = a.key.as_ref();
        (k == key).then(|| {
            a.normalized_value(quick_xml::XmlVersion::Implicit1_0)
                .map(|v| v.into_owned())
                .unwrap_or_else(|_| a.value.to_string())
        })
    })
}

fn item_field(e: &BytesStart<'_>, local: &str) -> Option<Field> {
    if is_prefixed(e) {
        // Namespaced extensions: content:encoded, dc:date, dc:language.
        return match local {
            "encoded" => Some(Field::Content),
            "date" | "issued" | "created" => Some(Field::Date(0)),
            "modified" => Some(Field::Date(1)),
            "language" => Some(Field::Language),
            _ => None,
        };
    }
    match local {
        "title" => Some(Field::Title),
        "link" if attr(e, "href").is_none() => Some(Field::Link),
        "guid" | "id" => Some(Field::Guid),
        "pubDate" | "published" | "issued" => Some(Field::Date(0)),
        "updated" | "modified" => Some(Field::Date(1)),
        "description" | "summary" => Some(Field::Summary),
        "content" => Some(Field::Content),
        _ => None,
    }
}

fn channel_field(e: &BytesStart<'_>, local: &str) -> Option<Field> {
    if is_prefixed(e) {
        return (local == "language").then_some(Field::Language);
    }
    match local {
        "title" => Some(Field::ChannelTitle),
        "link" if attr(e, "href").is_none() => Some(Field::ChannelLink),
        "language" => Some(Field::Language),
        _ => None,
    }
}

/// Re-serialises an element met inside a captured field (Atom `type="xhtml"` content,
/// or markup that should not have been there) so the HTML reader sees it.
fn push_markup(buf: &mut String, e: &BytesStart<'_>, empty: bool) {
    let n = e.name();
    let name: &str = n.as_ref();
    buf.push('<');
    buf.push_str(name.rsplit(':').next().unwrap_or(name));
    buf.push_str(e.attributes_raw());
    buf.push_str(if empty { "/>" } else { ">" });
}

/// Predefined entities and character references are resolved; any other reference is
/// kept literally (`&name;`) and never expanded.
fn push_reference(buf: &mut String, r: &BytesRef<'_>) {
    let name: &str = r;
    let predefined = match name {
        "lt" => Some('<'),
        "gt" => Some('>'),
        "amp" => Some('&'),
        "apos" => Some('\''),
        "quot" => Some('"'),
        _ => None,
    };
    if let Some(c) = predefined {
        // Escaped markup stays escaped-looking only if we re-escape it; descriptions
        // use `&lt;p&gt;` to carry HTML, which is exactly what we want to parse.
        buf.push(c);
        return;
    }
    match r.resolve_char_ref() {
        Ok(Some(c)) => buf.push(c),
        _ => {
            buf.push('&');
            buf.push_str(name);
            buf.push(';');
        }
    }
}

fn store(cap: Capture, item: Option<&mut Item>, channel: &mut Channel) {
    let value = cap.buf;
    match (cap.field, item) {
        (Field::ChannelTitle, _) => set_once(&mut channel.title, text_of(&value)),
        (Field::ChannelLink, _) => set_once(&mut channel.link, value.trim().to_owned()),
        (Field::Language, None) => {
            if channel.language.is_none() {
                channel.language = clean_language(&value);
            }
        }
        (_, None) => {}
        (Field::Language, Some(it)) => {
            if it.language.is_none() {
                it.language = clean_language(&value);
            }
        }
        (Field::Title, Some(it)) => set_once(&mut it.title, text_of(&value)),
        (Field::Link, Some(it)) => set_once(&mut it.link, value.trim().to_owned()),
        (Field::Guid, Some(it)) => set_once(&mut it.guid, value.trim().to_owned()),
        (Field::Date(rank), Some(it)) => it.dates.push((rank, value.trim().to_owned())),
        (Field::Summary, Some(it)) => set_once(&mut it.summary, value),
        (Field::Content, Some(it)) => set_once(&mut it.content, value),
    }
}

fn set_once(slot: &mut Option<String>, value: String) {
    if slot.is_none() && !value.trim().is_empty() {
        *slot = Some(value);
    }
}

/// Field text on one line: through the HTML reader when it holds markup or
/// references (if that fails, the raw value is kept rather than lost).
fn text_of(value: &str) -> String {
    let text = if value.contains('<') || value.contains('&') {
        fragment_to_text(value).unwrap_or_else(|_| value.to_owned())
    } else {
        value.to_owned()
    };
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Body text with paragraphs: HTML-bearing values go through the HTML reader.
fn body_of(value: &str) -> Result<String, ReadError> {
    if value.contains('<') || value.contains('&') {
        fragment_to_text(value)
    } else {
        Ok(value.trim().to_owned())
    }
}

fn item_url(it: &Item) -> Option<String> {
    let atom = it
        .links
        .iter()
        .find(|(rel, _)| rel == "alternate")
        .or_else(|| it.links.first())
        .map(|(_, href)| href.trim().to_owned());
    it.link
        .clone()
        .or(atom)
        .or_else(|| it.guid.clone().filter(|g| is_absolute_url(g)))
        .filter(|u| !u.is_empty())
}

fn item_location(feed: &str, it: &Item) -> String {
    item_url(it).unwrap_or_else(|| format!("{feed}#{}", it.index))
}

fn finish_item(
    mut it: Item,
    feed: &str,
    outlet: Option<&str>,
    channel: &Channel,
) -> Result<Draft, Failure> {
    let url = item_url(&it);
    let source = url
        .clone()
        .unwrap_or_else(|| format!("{feed}#{}", it.index));
    it.dates.sort_by_key(|(rank, _)| *rank);
    let published = it.dates.iter().find_map(|(_, d)| normalize_date(d));
    let fail = |e| Failure::new(source.clone(), e);
    let content = it
        .content
        .as_deref()
        .map(body_of)
        .transpose()
        .map_err(fail)?;
    let mut text = match content.filter(|t| !t.is_empty()) {
        Some(t) => t,
        None => it
            .summary
            .as_deref()
            .map(body_of)
            .transpose()
            .map_err(fail)?
            .unwrap_or_default(),
    };
    if text.trim().is_empty() {
        // Headline-only feeds: the title is all the text there is.
        text = it.title.clone().unwrap_or_default();
    }
    if text.trim().is_empty() {
        return Err(Failure::new(source, ReadError::Empty));
    }
    let outlet = outlet
        .map(str::to_owned)
        .or_else(|| url.as_deref().and_then(host_of));
    Ok(Draft {
        source,
        fields: Fields {
            url: url.filter(|u| is_absolute_url(u)),
            outlet,
            title: it.title,
            published,
            language: it.language.or_else(|| channel.language.clone()),
        },
        text,
        text_offset: 0,
        text_map: OffsetMap::default(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ok(results: Vec<Result<Draft, Failure>>) -> Vec<Draft> {
        results
            .into_iter()
            .map(|r| r.unwrap_or_else(|f| panic!("{f}")))
            .collect()
    }

    #[test]
    fn rss_items_with_metadata() {
        let src = r#"<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/">
<channel>
  <title>Example Wire</title><link>https://wire.example.com/</link><language>en-us</language>
  <image><title>logo</title></image>
  <item>
    <title>Talks in Geneva &amp; Vienna</title>
    <link>https://wire.example.com/a/1</link>
    <pubDate>Wed, 23 Apr 2025 09:30:00 GMT</pubDate>
    <description>&lt;p&gt;First para.&lt;/p&gt;&lt;p&gt;Second &amp;amp; last.&lt;/p&gt;</description>
  </item>
  <item>
    <title>Second</title>
    <guid>https://wire.example.com/a/2</guid>
    <pubDate>someday</pubDate>
    <description>short summary</description>
    <content:encoded><![CDATA[<p>Full <b>text</b> here.</p><div class="share">Share</div>]]></content:encoded>
  </item>
</channel></rss>"#;
        let docs = ok(read_feed(src, "wire.xml"));
        assert_eq!(docs.len(), 2);
        let a = &docs[0];
        assert_eq!(a.source, "https://wire.example.com/a/1");
        assert_eq!(a.fields.title.as_deref(), Some("Talks in Geneva & Vienna"));
        assert_eq!(a.fields.outlet.as_deref(), Some("Example Wire"));
        assert_eq!(a.fields.published.as_deref(), Some("2025-04-23T09:30:00Z"));
        assert_eq!(a.fields.language.as_deref(), Some("en-us"));
        assert_eq!(a.text, "First para.\n\nSecond & last.");
        let b = &docs[1];
        assert_eq!(
            b.fields.url.as_deref(),
            Some("https://wire.example.com/a/2")
        );
        assert_eq!(b.fields.published, None);
        assert_eq!(b.text, "Full text here.");
    }

    #[test]
    fn atom_entries() {
        let src = r#"<?xml version="1.0"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="en">
  <title type="text">Atom Example</title>
  <link rel="self" href="https://atom.example.org/feed"/>
  <entry>
    <title>Entry one</title>
    <link rel="alternate" href="https://atom.example.org/e/1"/>
    <id>tag:atom.example.org,2025:1</id>
    <updated>2025-04-24T00:00:00Z</updated>
    <published>2025-04-23T08:00:00+03:00</published>
    <content type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml"><p>Para &#8220;one&#8221;.</p><p>Para two.</p></div></content>
  </entry>
  <entry>
    <title>Entry two</title>
    <id>tag:atom.example.org,2025:2</id>
    <summary type="html">&lt;p&gt;Summary &amp;amp; more&lt;/p&gt;</summary>
  </entry>
</feed>"#;
        let docs = ok(read_feed(src, "a.atom"));
        assert_eq!(docs.len(), 2);
        assert_eq!(docs[0].source, "https://atom.example.org/e/1");
        assert_eq!(
            docs[0].fields.published.as_deref(),
            Some("2025-04-23T08:00:00+03:00")
        );
        assert_eq!(docs[0].fields.outlet.as_deref(), Some("Atom Example"));
        assert_eq!(docs[0].fields.language.as_deref(), Some("en"));
        assert_eq!(docs[0].text, "Para \u{201C}one\u{201D}.\n\nPara two.");
        assert_eq!(docs[1].source, "a.atom#2");
        assert_eq!(docs[1].text, "Summary & more");
    }

    #[test]
    fn billion_laughs_is_not_expanded() {
        let mut src =
            String::from("<?xml version=\"1.0\"?>\n<!DOCTYPE rss [\n<!ENTITY lol \"lol\">\n");
        for i in 1..10 {
            let prev = if i == 1 {
                "lol".to_owned()
            } else {
                format!("lol{}", i - 1)
            };
            let refs = format!("&{prev};").repeat(10);
            src.push_str(&format!("<!ENTITY lol{i} \"{refs}\">\n"));
        }
        src.push_str("]>\n<rss><channel><title>&lol9;</title><item><title>Bomb &lol9;</title><description>&lol9; text</description></item></channel></rss>");
        let results = read_feed(&src, "bomb.xml");
        assert_eq!(results.len(), 1);
        let doc = results.into_iter().next().unwrap().unwrap();
        assert!(doc.text.len() < 100, "{}", doc.text);
        assert!(doc.text.contains("&lol9;"));
        assert!(doc.fields.title.as_deref().unwrap_or("").contains("&lol9;"));
    }

    #[test]
    fn broken_item_fails_alone() {
        let src = r#"<rss><channel><title>T</title>
<item><title>Good one</title><description>Fine text.</description></item>
<item><title>Bad <!x></title><description>broken</description></item>
<item><title>Good two</title><link>https://ex.example/3</link><description>More text.</description></item>
</channel></rss>"#;
        let results = read_feed(src, "f.xml");
        let oks: Vec<_> = results.iter().filter_map(|r| r.as_ref().ok()).collect();
        let errs: Vec<_> = results.iter().filter_map(|r| r.as_ref().err()).collect();
        assert_eq!(oks.len(), 2, "{results:?}");
        assert_eq!(oks[0].text, "Fine text.");
        assert_eq!(oks[1].text, "More text.");
        assert_eq!(errs.len(), 1, "{results:?}");
        assert!(errs[0].location.starts_with("f.xml#2"), "{}", errs[0]);
    }

    #[test]
    fn depth_and_root_limits() {
        let deep = format!(
            "<rss><channel><item><title>x</title>{}</item></channel></rss>",
            "<a>".repeat(1000)
        );
        let results = read_feed(&deep, "deep.xml");
        assert!(results
            .iter()
            .any(|r| matches!(r, Err(f) if f.to_string().contains("nested deeper"))));
        let results = read_feed("<html><body>x</body></html>", "page.xml");
        assert!(matches!(
            &results[..],
            [Err(Failure {
                error: ReadError::UnsupportedFormat(_),
                ..
            })]
        ));
        let results = read_feed(
            "<rss><channel><title>Empty</title></channel></rss>",
            "e.xml",
        );
        assert!(matches!(&results[..], [Err(_)]));
    }

    #[test]
    fn headline_only_item_uses_title() {
        let results = read_feed("<rss><channel><item><title>Only a headline</title></item><item></item></channel></rss>", "h.rss");
        assert_eq!(results.len(), 2);
        assert_eq!(results[0].as_ref().unwrap().text, "Only a headline");
        assert!(matches!(
            &results[1],
            Err(Failure {
                error: ReadError::Empty,
                ..
            })
        ));
    }
}
