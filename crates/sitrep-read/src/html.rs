//! HTML pages: metadata from the head, the article body without boilerplate.
//!
//! Parsing is html5ever's (through `scraper`), which builds the tree in an arena
//! (`ego-tree`), so neither building nor dropping it recurses. Every walk in this module
//! is iterative too — an explicit stack of `Enter`/`Leave` steps — so a page nested
//! 10,000 elements deep costs memory, not stack.
//!
//! Body extraction: boilerplate elements (navigation, headers, footers, forms, scripts,
//! and anything whose class or id names comments, sharing, promos, ads…) are dropped
//! first. Then a semantic container (`[itemprop=articleBody]`, `<article>`, `<main>`) is
//! taken if it holds the page's main text; otherwise block containers are scored by the
//! paragraph text they hold against their link text, readability-style, and the best
//! one wins. Every paragraph-level element becomes its own paragraph; paragraphs are
//! separated by a blank line.
use std::collections::HashMap;

use ego_tree::{NodeId, NodeRef};
use scraper::node::Element;
use scraper::{ElementRef, Html, Node};

use sitrep_core::OffsetMap;

use crate::date::normalize_date;
use crate::ReadError;

/// Metadata and body text found in a page.
#[derive(Debug, Default, Clone, PartialEq)]
pub(crate) struct Page {
    pub title: Option<String>,
    pub url: Option<String>,
    pub outlet: Option<String>,
    pub published: Option<String>,
    pub language: Option<String>,
    /// Paragraphs separated by a blank line; empty if the page has no text.
    pub text: String,
}

/// Paragraphs shorter than this (in characters) do not vote for their container.
const MIN_PARAGRAPH: usize = 25;
/// A semantic container with less text than this is not trusted as the body.
const MIN_BODY: usize = 140;

/// Reads a whole HTML page. Fails only when the page is nested so deeply that parsing
/// it would take unreasonably long ([`check_nesting`]).
pub(crate) fn read_page(src: &str) -> Result<Page, ReadError> {
    check_nesting(src)?;
    let doc = Html::parse_document(src);
    let root = doc.tree.root();
    let meta = collect_meta(&doc);
    let stats = measure(root);
    let body = choose_body(root, &stats);

    let url = meta.urls.iter().find(|u| is_absolute_url(u)).cloned();
    let outlet = meta
        .outlet
        .clone()
        .or_else(|| url.as_deref().and_then(host_of));
    let title = meta
        .og_title
        .clone()
        .or_else(|| meta.ld_headline.clone())
        .or_else(|| {
            meta.title_tag
                .as_deref()
                .map(|t| strip_site_suffix(t, outlet.as_deref()))
        })
        .or_else(|| meta.h1.clone())
        .filter(|t| !t.is_empty());
    let headlines = [title.as_deref(), meta.title_tag.as_deref()];
    let mut text = render(body, &headline_copies(body, &headlines));
    if text.is_empty() {
        if let Some(article_body) = &meta.ld_body {
            text = article_body.trim().to_owned();
        }
    }
    let published = meta
        .published
        .iter()
        .find_map(|d| normalize_date(d))
        .or_else(|| time_in(body).and_then(|d| normalize_date(&d)))
        .or_else(|| {
            stats
                .semantic
                .iter()
                .filter_map(|&(_, id)| root.tree().get(id))
                .take(4)
                .find_map(|n| time_in(n).and_then(|d| normalize_date(&d)))
        });
    Ok(Page {
        title,
        url,
        outlet,
        published,
        language: meta.language,
        text,
    })
}

/// Turns an HTML fragment (a feed item's description, a JSON Lines `html` value that is
/// not a whole page) into paragraphs, dropping boilerplate but not scoring.
pub(crate) fn fragment_to_text(src: &str) -> Result<String, ReadError> {
    check_nesting(src)?;
    let doc = Html::parse_fragment(src);
    Ok(render(doc.tree.root(), &[]))
}

/// Turns text written with some markup in it (a `.txt` file or a JSON Lines `text`
/// value holding tags, see `markup.rs`) into its visible text. Elements are treated as
/// in [`fragment_to_text`], but the text keeps its own line structure: a line end is a
/// line break, a blank line a paragraph break, and `<br>` a line break too.
///
/// With `marks`, `src` carries source marks ([`push_mark`]) and the map returned leads
/// from the visible text back to the offsets they name; otherwise it is the identity.
pub(crate) fn fragment_to_lines(src: &str, marks: bool) -> Result<(String, OffsetMap), ReadError> {
    check_nesting(src)?;
    let doc = Html::parse_fragment(src);
    let mut out = Renderer {
        whitespace: Whitespace::Lines,
        marks,
        ..Renderer::default()
    };
    render_into(doc.tree.root(), &[], &mut out);
    Ok(out.finish())
}

/// First character of a source mark's high half (14 bits of the offset), for a mark
/// that only moves the source offset.
const MARK_MOVE: u32 = 0x10_0000;
/// First character of a source mark's high half for a mark placed right after a
/// character reference: the reference's last visible character ends there.
const MARK_AFTER_REFERENCE: u32 = 0x10_4000;
/// First character of a source mark's low half (14 bits of the offset).
const MARK_LOW: u32 = 0x10_8000;
/// Offsets a source mark can name: below 2²⁸ (256 MiB).
pub(crate) const MARK_LIMIT: usize = 1 << 28;

/// What a source mark says about the text before it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Mark {
    /// Nothing: the text after it comes from the offset named.
    Move,
    /// The text before it was a character reference, which ends at the offset named.
    AfterReference,
}

/// Appends a source mark to text for [`fragment_to_lines`]: two private-use characters
/// (plane 16) saying that the characters after them come from offset `at` of the
/// original text. The parser keeps them as text; the renderer reads and removes them.
/// The original text must hold no plane-16 characters ([`is_mark_free`]) and be shorter
/// than [`MARK_LIMIT`].
pub(crate) fn push_mark(out: &mut String, mark: Mark, at: usize) {
    let at = at.min(MARK_LIMIT - 1) as u32;
    let high = match mark {
        Mark::Move => MARK_MOVE,
        Mark::AfterReference => MARK_AFTER_REFERENCE,
    };
    for c in [high + (at >> 14), MARK_LOW + (at & 0x3FFF)] {
        out.push(char::from_u32(c).unwrap_or('\u{FFFD}'));
    }
}

/// Whether `text` can carry source marks: it holds no plane-16 private-use characters
/// and is shorter than [`MARK_LIMIT`].
pub(crate) fn is_mark_free(text: &str) -> bool {
    // Plane-16 characters are the only ones whose UTF-8 starts with F4 (bytes 0xF4 0x80..0x8F).
    text.len() < MARK_LIMIT && !text.as_bytes().contains(&0xF4)
}

/// Work allowed for nesting, as the sum over start tags of the depth they open at.
///
/// html5ever's tree builder scans the stack of open elements for many tags, so its
/// time grows with the square of the nesting depth. A 10,000-deep tower costs 5·10⁷
/// here (well under a second to parse); the budget allows that but rejects documents
/// built to make the parser spin for minutes.
const NESTING_BUDGET: u64 = 200_000_000;

/// Elements that never nest: void elements and those whose end tag is optional (the
/// parser closes them implicitly, so they do not deepen the stack much).
fn non_nesting(name: &[u8]) -> bool {
    matches!(
        name,
        b"area"
            | b"base"
            | b"br"
            | b"col"
            | b"embed"
            | b"hr"
            | b"img"
            | b"input"
            | b"link"
            | b"meta"
            | b"source"
            | b"track"
            | b"wbr"
            | b"param"
            | b"keygen"
            | b"p"
            | b"li"
            | b"dt"
            | b"dd"
            | b"tr"
            | b"td"
            | b"th"
            | b"option"
            | b"optgroup"
            | b"rp"
            | b"rt"
            | b"tbody"
            | b"thead"
            | b"tfoot"
            | b"colgroup"
            | b"caption"
            | b"html"
            | b"head"
            | b"body"
    )
}

/// Estimates how hard the markup is to parse with a quick scan of its tags and rejects
/// pathological nesting (see [`NESTING_BUDGET`]).
fn check_nesting(src: &str) -> Result<(), ReadError> {
    let b = src.as_bytes();
    let mut depth: u64 = 0;
    let mut max_depth: u64 = 0;
    let mut work: u64 = 0;
    let mut i = 0;
    while let Some(off) = b[i..].iter().position(|&c| c == b'<') {
        let at = i + off;
        i = at + 1;
        let close = b.get(i) == Some(&b'/');
        let start = if close { i + 1 } else { i };
        let len = b[start.min(b.len())..]
            .iter()
            .take(16)
            .take_while(|c| c.is_ascii_alphanumeric())
            .count();
        if len == 0 || !b[start].is_ascii_alphabetic() {
            continue;
        }
        let name = b[start..start + len].to_ascii_lowercase();
        if close {
            if !non_nesting(&name) {
                depth = depth.saturating_sub(1);
            }
            continue;
        }
        let Some(gt) = b[start..]
            .iter()
            .position(|&c| c == b'>')
            .map(|g| start + g)
        else {
            break;
        };
        i = gt + 1;
        if matches!(
            name.as_slice(),
            b"script" | b"style" | b"textarea" | b"title" | b"xmp"
        ) {
            // Raw text: skip to the matching end tag.
            let mut end = b"</".to_vec();
            end.extend_from_slice(&name);
            match b[i..]
                .windows(end.len())
                .position(|w| w.eq_ignore_ascii_case(&end))
            {
                Some(p) => i += p,
                None => break,
            }
            continue;
        }
        if non_nesting(&name) || b[gt - 1] == b'/' {
            continue;
        }
        depth += 1;
        max_depth = max_depth.max(depth);
        work += depth;
        if work > NESTING_BUDGET {
            return Err(ReadError::Html(format!(
                "markup nested too deeply to parse (over {max_depth} levels)"
            )));
        }
    }
    Ok(())
}

// ---------------------------------------------------------------------------------
// Boilerplate rules

/// Elements that never hold article text.
fn dropped_tag(name: &str) -> bool {
    matches!(
        name,
        "nav"
            | "header"
            | "footer"
            | "aside"
            | "form"
            | "script"
            | "style"
            | "noscript"
            | "iframe"
            | "svg"
            | "button"
            | "select"
            | "template"
            | "figure"
            | "dialog"
            | "menu"
            | "object"
            | "canvas"
            | "head"
            | "input"
            | "textarea"
    )
}

/// Word prefixes in a class or id that mark boilerplate.
const BOILERPLATE_WORDS: [&str; 21] = [
    "byline",
    "author",
    "credit",
    "kicker",
    "comment",
    "share",
    "sharing",
    "social",
    "related",
    "promo",
    "advert",
    "newsletter",
    "cookie",
    "subscribe",
    "menu",
    "breadcrumb",
    "sidebar",
    "popup",
    "sponsor",
    "outbrain",
    "taboola",
];

/// True when a class or id marks boilerplate: a word (split on `-`, `_` and
/// camel-case humps) starting with one of [`BOILERPLATE_WORDS`], or the word `ad`/`ads`.
fn boilerplate_name(value: &str) -> bool {
    for token in value.split_whitespace() {
        let mut word = String::new();
        let mut words = Vec::new();
        let mut prev_lower = false;
        for c in token.chars() {
            let boundary =
                c == '-' || c == '_' || c == ':' || (c.is_ascii_uppercase() && prev_lower);
            if boundary && !word.is_empty() {
                words.push(std::mem::take(&mut word));
            }
            prev_lower = c.is_ascii_lowercase();
            if c != '-' && c != '_' && c != ':' {
                word.push(c.to_ascii_lowercase());
            }
        }
        if !word.is_empty() {
            words.push(word);
        }
        for w in &words {
            if w == "ad" || w == "ads" || w.starts_with("adsby") {
                return true;
            }
            if BOILERPLATE_WORDS.iter().any(|b| w.starts_with(b)) {
                return true;
            }
        }
    }
    false
}

/// Whether an element and everything inside it is left out of the text.
fn dropped(el: &Element) -> bool {
    let name = el.name();
    if matches!(name, "html" | "body" | "main") {
        return false;
    }
    if dropped_tag(name) {
        return true;
    }
    if el
        .attr("itemprop")
        .is_some_and(|v| v.eq_ignore_ascii_case("articleBody"))
    {
        return false;
    }
    if el.attr("hidden").is_some()
        || el
            .attr("aria-hidden")
            .is_some_and(|v| v.eq_ignore_ascii_case("true"))
    {
        return true;
    }
    if let Some(style) = el.attr("style") {
        let compact: String = style
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect::<String>()
            .to_ascii_lowercase();
        if compact.contains("display:none") || compact.contains("visibility:hidden") {
            return true;
        }
    }
    if let Some(role) = el.attr("role") {
        if matches!(
            role.to_ascii_lowercase().as_str(),
            "navigation" | "banner" | "contentinfo" | "complementary" | "menu" | "dialog"
        ) {
            return true;
        }
    }
    el.attr("class").is_some_and(boilerplate_name) || el.attr("id").is_some_and(boilerplate_name)
}

/// Elements that start and end a paragraph of their own.
fn is_block(name: &str) -> bool {
    matches!(
        name,
        "p" | "div"
            | "section"
            | "article"
            | "main"
            | "h1"
            | "h2"
            | "h3"
            | "h4"
            | "h5"
            | "h6"
            | "li"
            | "ul"
            | "ol"
            | "dl"
            | "dt"
            | "dd"
            | "blockquote"
            | "pre"
            | "table"
            | "thead"
            | "tbody"
            | "tr"
            | "td"
            | "th"
            | "caption"
            | "figcaption"
            | "address"
            | "hr"
            | "details"
            | "summary"
            | "center"
            | "body"
            | "html"
    )
}

// ---------------------------------------------------------------------------------
// Metadata

#[derive(Default)]
struct Meta {
    og_title: Option<String>,
    title_tag: Option<String>,
    h1: Option<String>,
    ld_headline: Option<String>,
    ld_body: Option<String>,
    /// Candidates in priority order.
    published: Vec<String>,
    urls: Vec<String>,
    outlet: Option<String>,
    language: Option<String>,
}

fn element_text(node: NodeRef<'_, Node>) -> String {
    match ElementRef::wrap(node) {
        Some(el) => collapse(&el.text().collect::<String>()),
        None => String::new(),
    }
}

fn collapse(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn set_once(slot: &mut Option<String>, value: &str) {
    let value = collapse(value);
    if slot.is_none() && !value.is_empty() {
        *slot = Some(value);
    }
}

fn collect_meta(doc: &Html) -> Meta {
    let mut m = Meta::default();
    // Published-date candidates by source, merged in priority order at the end.
    let mut meta_dates: Vec<(u8, String)> = Vec::new();
    let mut canonical = None;
    let mut og_url = None;
    let mut og_locale = None;
    let mut http_lang = None;
    let mut ld = LdArticle::default();
    // `nodes()` walks the arena in insertion order: flat, no recursion.
    for node in doc.tree.nodes() {
        let Node::Element(el) = node.value() else {
            continue;
        };
        match el.name() {
            "html" => {
                if let Some(lang) = el.attr("lang").or_else(|| el.attr("xml:lang")) {
                    set_once(&mut m.language, lang);
                }
            }
            // Only the document's title, not an SVG <title>.
            "title"
                if m.title_tag.is_none()
                    && node
                        .parent()
                        .and_then(|p| p.value().as_element().map(|e| e.name() == "head"))
                        .unwrap_or(true) =>
            {
                let t = element_text(node);
                if !t.is_empty() {
                    m.title_tag = Some(t);
                }
            }
            "h1" if m.h1.is_none() => {
                let t = element_text(node);
                if !t.is_empty() {
                    m.h1 = Some(t);
                }
            }
            "link" => {
                let rel = el.attr("rel").unwrap_or("");
                if rel
                    .split_whitespace()
                    .any(|r| r.eq_ignore_ascii_case("canonical"))
                {
                    if let Some(href) = el.attr("href") {
                        set_once(&mut canonical, href);
                    }
                }
            }
            "meta" => {
                let key = el
                    .attr("property")
                    .or_else(|| el.attr("name"))
                    .or_else(|| el.attr("itemprop"))
                    .or_else(|| el.attr("http-equiv"))
                    .unwrap_or("")
                    .to_ascii_lowercase();
                let Some(content) = el.attr("content") else {
                    continue;
                };
                match key.as_str() {
                    "og:title" => set_once(&mut m.og_title, content),
                    "twitter:title" => {}
                    "og:site_name" => set_once(&mut m.outlet, content),
                    "og:url" => set_once(&mut og_url, content),
                    "og:locale" => set_once(&mut og_locale, content),
                    "content-language" => set_once(&mut http_lang, content),
                    "article:published_time" | "og:article:published_time" => {
                        meta_dates.push((0, content.to_owned()))
                    }
                    "date" | "pubdate" | "publish-date" | "publish_date" | "publishdate"
                    | "dc.date" | "dc.date.issued" | "dcterms.date" | "dcterms.issued"
                    | "datepublished" | "parsely-pub-date" | "sailthru.date" => {
                        meta_dates.push((1, content.to_owned()))
                    }
                    _ => {}
                }
            }
            "script" => {
                let is_ld = el
                    .attr("type")
                    .is_some_and(|t| t.trim().eq_ignore_ascii_case("application/ld+json"));
                if is_ld {
                    let json = ElementRef::wrap(node)
                        .map(|e| e.text().collect::<String>())
                        .unwrap_or_default();
                    ld.absorb(&json);
                }
            }
            _ => {}
        }
    }
    meta_dates.sort_by_key(|(rank, _)| *rank);
    let (first, rest): (Vec<_>, Vec<_>) = meta_dates.into_iter().partition(|(r, _)| *r == 0);
    m.published.extend(first.into_iter().map(|(_, d)| d));
    m.published.extend(rest.into_iter().map(|(_, d)| d));
    m.published.extend(ld.date_published);
    m.urls.extend(canonical);
    m.urls.extend(og_url);
    m.urls.extend(ld.url);
    if m.outlet.is_none() {
        m.outlet = ld.publisher;
    }
    if m.language.is_none() {
        m.language = og_locale.or(http_lang).or(ld.language);
    }
    m.language = m.language.and_then(|l| clean_language(&l));
    m.ld_headline = ld.headline;
    m.ld_body = ld.body;
    m
}

/// What a JSON-LD article object told us (first article object wins per field).
#[derive(Default)]
struct LdArticle {
    headline: Option<String>,
    date_published: Option<String>,
    publisher: Option<String>,
    url: Option<String>,
    language: Option<String>,
    body: Option<String>,
}

const ARTICLE_TYPES: [&str; 8] = [
    "NewsArticle",
    "Article",
    "ReportageNewsArticle",
    "AnalysisNewsArticle",
    "BackgroundNewsArticle",
    "OpinionNewsArticle",
    "ReviewNewsArticle",
    "BlogPosting",
];

impl LdArticle {
    /// Reads one `<script type="application/ld+json">` block; malformed JSON is ignored
    /// (serde_json bounds its own nesting depth).
    fn absorb(&mut self, json: &str) {
        let Ok(value) = serde_json::from_str::<serde_json::Value>(json) else {
            return;
        };
        let mut stack = vec![&value];
        while let Some(v) = stack.pop() {
            match v {
                serde_json::Value::Array(items) => stack.extend(items.iter().rev()),
                serde_json::Value::Object(obj) => {
                    if let Some(graph) = obj.get("@graph") {
                        stack.push(graph);
                    }
                    let is_article = match obj.get("@type") {
                        Some(serde_json::Value::String(t)) => ARTICLE_TYPES.contains(&t.as_str()),
                        Some(serde_json::Value::Array(ts)) => ts
                            .iter()
                            .any(|t| t.as_str().is_some_and(|t| ARTICLE_TYPES.contains(&t))),
                        _ => false,
                    };
                    if !is_article {
                        continue;
                    }
                    let s = |key: &str| obj.get(key).and_then(|v| v.as_str());
                    if let Some(h) = s("headline") {
                        set_once(&mut self.headline, h);
                    }
                    if let Some(d) = s("datePublished") {
                        set_once(&mut self.date_published, d);
                    }
                    if let Some(u) = s("url") {
                        set_once(&mut self.url, u);
                    } else if let Some(main) = obj.get("mainEntityOfPage") {
                        if let Some(u) = main
                            .as_str()
                            .or_else(|| main.get("@id").and_then(|v| v.as_str()))
                        {
                            set_once(&mut self.url, u);
                        }
                    }
                    if let Some(l) = s("inLanguage") {
                        set_once(&mut self.language, l);
                    }
                    if let Some(b) = s("articleBody") {
                        if self.body.is_none() && !b.trim().is_empty() {
                            self.body = Some(b.to_owned());
                        }
                    }
                    let publisher = obj.get("publisher").map(|p| match p {
                        serde_json::Value::Array(ps) => ps.first().unwrap_or(p),
                        _ => p,
                    });
                    if let Some(name) = publisher.and_then(|p| {
                        p.get("name")
                            .and_then(|n| n.as_str())
                            .or_else(|| p.as_str())
                    }) {
                        set_once(&mut self.publisher, name);
                    }
                }
                _ => {}
            }
        }
    }
}

/// A BCP 47-looking tag (`en`, `en-GB`; `en_GB` is fixed), or `None`.
pub(crate) fn clean_language(raw: &str) -> Option<String> {
    let tag = raw.trim().replace('_', "-");
    let tag = tag.split([',', ';']).next().unwrap_or("").trim().to_owned();
    let ok = !tag.is_empty()
        && tag.len() <= 35
        && tag.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        && tag
            .split('-')
            .next()
            .is_some_and(|p| (2..=8).contains(&p.len()));
    ok.then_some(tag)
}

pub(crate) fn is_absolute_url(u: &str) -> bool {
    let l = u.trim_start().to_ascii_lowercase();
    (l.starts_with("http://") || l.starts_with("https://")) && host_of(u).is_some()
}

/// The host of an absolute URL without a leading `www.`, lowercased.
pub(crate) fn host_of(url: &str) -> Option<String> {
    let rest = url.trim().split_once("://")?.1;
    let authority = rest.split(['/', '?', '#']).next()?;
    let host = authority.rsplit('@').next()?;
    let host = host.split(':').next()?.to_ascii_lowercase();
    let host = host.strip_prefix("www.").unwrap_or(&host).to_owned();
    (!host.is_empty() && host.contains('.')).then_some(host)
}

/// `Talks downgraded | Example News` → `Talks downgraded` when the suffix names the outlet.
fn strip_site_suffix(title: &str, outlet: Option<&str>) -> String {
    let Some(outlet) = outlet else {
        return title.to_owned();
    };
    let outlet_l = outlet.to_lowercase();
    let outlet_stem = outlet_l.split('.').next().unwrap_or(&outlet_l).to_owned();
    for sep in [" | ", " - ", " \u{2013} ", " \u{2014} ", " :: "] {
        if let Some((head, tail)) = title.rsplit_once(sep) {
            let tail_l = tail.trim().to_lowercase();
            let compact: String = tail_l.chars().filter(|c| c.is_alphanumeric()).collect();
            if !head.trim().is_empty()
                && (tail_l == outlet_l || compact == outlet_stem || tail_l.contains(&outlet_l))
            {
                return head.trim().to_owned();
            }
        }
    }
    title.to_owned()
}

/// The `datetime` of the first `<time>` inside `node`.
fn time_in(node: NodeRef<'_, Node>) -> Option<String> {
    node.descendants().find_map(|n| {
        let el = n.value().as_element()?;
        (el.name() == "time").then(|| el.attr("datetime").map(str::to_owned))?
    })
}

// ---------------------------------------------------------------------------------
// Body extraction

/// Per-element text measurements, boilerplate excluded.
#[derive(Default)]
struct Stats {
    /// Element → (text chars, link text chars, commas).
    sizes: HashMap<NodeId, (usize, usize, usize)>,
    /// Paragraph-like elements in document order.
    paragraphs: Vec<NodeId>,
    /// Semantic body containers with their rank (0 = articleBody, 1 = article, 2 = main).
    semantic: Vec<(u8, NodeId)>,
    body: Option<NodeId>,
}

enum Step<'a> {
    Enter(NodeRef<'a, Node>),
    Leave(NodeId, bool),
}

/// One iterative pass: text and link-text sizes of every kept element.
fn measure(root: NodeRef<'_, Node>) -> Stats {
    let mut stats = Stats::default();
    let mut stack = vec![Step::Enter(root)];
    let mut acc: Vec<(usize, usize, usize)> = vec![(0, 0, 0)];
    let mut link_depth = 0usize;
    while let Some(step) = stack.pop() {
        match step {
            Step::Enter(node) => match node.value() {
                Node::Text(t) => {
                    let len: usize = t.split_whitespace().map(|w| w.chars().count() + 1).sum();
                    let commas = t.matches(',').count();
                    if let Some(top) = acc.last_mut() {
                        top.0 += len;
                        top.2 += commas;
                        if link_depth > 0 {
                            top.1 += len;
                        }
                    }
                }
                Node::Element(el) => {
                    if dropped(el) {
                        continue;
                    }
                    let name = el.name();
                    let is_link = name == "a";
                    if is_link {
                        link_depth += 1;
                    }
                    match name {
                        "p" | "pre" => stats.paragraphs.push(node.id()),
                        "article" => stats.semantic.push((1, node.id())),
                        "main" => stats.semantic.push((2, node.id())),
                        "body" => stats.body = Some(node.id()),
                        _ => {}
                    }
                    if el
                        .attr("itemprop")
                        .is_some_and(|v| v.eq_ignore_ascii_case("articleBody"))
                    {
                        stats.semantic.push((0, node.id()));
                    } else if el
                        .attr("role")
                        .is_some_and(|v| v.eq_ignore_ascii_case("main"))
                    {
                        stats.semantic.push((2, node.id()));
                    }
                    acc.push((0, 0, 0));
                    stack.push(Step::Leave(node.id(), is_link));
                    stack.extend(node.children().rev().map(Step::Enter));
                }
                Node::Document | Node::Fragment => {
                    stack.extend(node.children().rev().map(Step::Enter));
                }
                _ => {}
            },
            Step::Leave(id, is_link) => {
                if is_link {
                    link_depth = link_depth.saturating_sub(1);
                }
                let mine = acc.pop().unwrap_or_default();
                if let Some(top) = acc.last_mut() {
                    top.0 += mine.0;
                    top.1 += mine.1;
                    top.2 += mine.2;
                }
                stats.sizes.insert(id, mine);
            }
        }
    }
    stats
}

/// Positive hints in class/id names of the container holding the story.
fn content_hint(el: &Element) -> bool {
    let names = [el.attr("class").unwrap_or(""), el.attr("id").unwrap_or("")];
    names.iter().any(|v| {
        let v = v.to_ascii_lowercase();
        [
            "article", "story", "content", "entry", "post", "body", "text",
        ]
        .iter()
        .any(|h| v.contains(h))
    })
}

/// Picks the element whose text is the article.
fn choose_body<'a>(root: NodeRef<'a, Node>, stats: &Stats) -> NodeRef<'a, Node> {
    let tree = root.tree();
    // Readability-style scoring: each paragraph votes for its parent and grandparent.
    let mut scores: HashMap<NodeId, f64> = HashMap::new();
    for &p in &stats.paragraphs {
        let Some(&(len, _, commas)) = stats.sizes.get(&p) else {
            continue;
        };
        if len < MIN_PARAGRAPH {
            continue;
        }
        let vote = 1.0 + commas as f64 + (len as f64 / 100.0).min(3.0);
        let Some(node) = tree.get(p) else { continue };
        let parent = node.parent().filter(|n| n.value().is_element());
        if let Some(parent) = parent {
            *scores.entry(parent.id()).or_default() += vote;
            if let Some(grand) = parent.parent().filter(|n| n.value().is_element()) {
                *scores.entry(grand.id()).or_default() += vote / 2.0;
            }
        }
    }
    let mut best: Option<(f64, NodeId)> = None;
    for (&id, &score) in &scores {
        let Some(node) = tree.get(id) else { continue };
        let (len, links, _) = stats.sizes.get(&id).copied().unwrap_or_default();
        let density = if len == 0 {
            1.0
        } else {
            links as f64 / len as f64
        };
        let bonus = match node.value().as_element() {
            Some(el) if content_hint(el) => 5.0,
            _ => 0.0,
        };
        let total = (score + bonus) * (1.0 - density);
        // Ties broken by document position (NodeId order) for determinism.
        let better = match best {
            None => true,
            Some((b, bid)) => total > b || (total == b && id < bid),
        };
        if better {
            best = Some((total, id));
        }
    }
    let best_node = best.and_then(|(_, id)| tree.get(id));
    let best_len = best_node
        .and_then(|n| stats.sizes.get(&n.id()))
        .map_or(0, |s| s.0);

    // A semantic container wins if it holds enough text and either contains the best
    // scored container or has at least as much text.
    for rank in 0..=2u8 {
        let pick = stats
            .semantic
            .iter()
            .filter(|(r, _)| *r == rank)
            .filter_map(|&(_, id)| Some((stats.sizes.get(&id)?.0, id)))
            .filter(|&(len, _)| len >= MIN_BODY)
            .max_by(|a, b| a.0.cmp(&b.0).then(b.1.cmp(&a.1)));
        if let Some((len, id)) = pick {
            let contains_best =
                best_node.is_some_and(|b| b.ancestors().any(|a| a.id() == id) || b.id() == id);
            if best_node.is_none() || contains_best || len >= best_len {
                if let Some(node) = tree.get(id) {
                    return node;
                }
            }
        }
    }
    best_node
        .or_else(|| stats.body.and_then(|b| tree.get(b)))
        .unwrap_or(root)
}

/// `<h1>` elements in the body that repeat the page's title: the title is metadata, so
/// the body text starts with the article itself, as it does for other formats.
fn headline_copies(body: NodeRef<'_, Node>, headlines: &[Option<&str>]) -> Vec<NodeId> {
    let titles: Vec<String> = headlines
        .iter()
        .flatten()
        .map(|t| t.to_lowercase())
        .collect();
    body.descendants()
        .filter(|n| n.value().as_element().is_some_and(|e| e.name() == "h1"))
        // A page has one headline; looking at a few bounds the work on odd markup.
        .take(3)
        .filter(|n| {
            let text = element_text(*n).to_lowercase();
            !text.is_empty() && titles.iter().any(|t| *t == text || t.starts_with(&text))
        })
        .map(|n| n.id())
        .collect()
}

/// What line ends in text nodes mean to the [`Renderer`].
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
enum Whitespace {
    /// As in a browser: any run of whitespace is one space; only elements break lines.
    #[default]
    Collapse,
    /// As in plain text: a line end is a line break and two or more a paragraph break.
    Lines,
}

/// Text of `root` as paragraphs, boilerplate and the `skip` elements dropped (the root
/// itself is always kept).
fn render(root: NodeRef<'_, Node>, skip: &[NodeId]) -> String {
    let mut out = Renderer::default();
    render_into(root, skip, &mut out);
    out.finish().0
}

/// Walks `root` (iteratively) and hands its visible text to `out`.
fn render_into(root: NodeRef<'_, Node>, skip: &[NodeId], out: &mut Renderer) {
    let mut stack = vec![Step::Enter(root)];
    while let Some(step) = stack.pop() {
        match step {
            Step::Enter(node) => match node.value() {
                Node::Text(t) => out.text(t),
                Node::Element(el) => {
                    if node.id() != root.id() && (dropped(el) || skip.contains(&node.id())) {
                        continue;
                    }
                    let name = el.name();
                    if name == "br" {
                        out.line_break();
                        continue;
                    }
                    let block = is_block(name);
                    if block {
                        out.flush();
                    }
                    stack.push(Step::Leave(node.id(), block));
                    stack.extend(node.children().rev().map(Step::Enter));
                }
                Node::Document | Node::Fragment => {
                    stack.extend(node.children().rev().map(Step::Enter));
                }
                _ => {}
            },
            Step::Leave(_, block) => {
                if block {
                    out.flush();
                }
            }
        }
    }
}

/// Gathers visible text into paragraphs separated by a blank line. Separators are held
/// back until the next visible character, so no paragraph or line starts or ends with
/// one.
#[derive(Default)]
struct Renderer {
    whitespace: Whitespace,
    /// The paragraphs written so far.
    out: String,
    /// The paragraph being written.
    current: String,
    /// Whitespace seen since the last visible character.
    space: bool,
    /// Line ends seen in text since the last visible character ([`Whitespace::Lines`]).
    newlines: u8,
    /// `<br>` elements seen since the last visible character.
    breaks: u8,
    /// Whether text carries source marks ([`push_mark`]) to follow.
    marks: bool,
    /// The high half of a source mark just read (the character).
    mark_high: Option<u32>,
    /// Source offset of the next character of text (with `marks`).
    src: usize,
    /// Source offset just past the last visible character (with `marks`).
    word_end: usize,
    /// Output offset → source offset (with `marks`).
    offsets: OffsetMap,
}

impl Renderer {
    fn text(&mut self, t: &str) {
        for c in t.chars() {
            if self.marks {
                let u = c as u32;
                if (MARK_MOVE..MARK_LOW).contains(&u) {
                    self.mark_high = Some(u);
                    continue;
                }
                if (MARK_LOW..MARK_LOW + 0x4000).contains(&u) {
                    if let Some(high) = self.mark_high.take() {
                        let (kind, bits) = if high >= MARK_AFTER_REFERENCE {
                            (Mark::AfterReference, high - MARK_AFTER_REFERENCE)
                        } else {
                            (Mark::Move, high - MARK_MOVE)
                        };
                        self.src = ((bits << 14) | (u - MARK_LOW)) as usize;
                        // A word ending in a reference ends where the reference does.
                        if kind == Mark::AfterReference && !self.space {
                            self.word_end = self.src;
                        }
                    }
                    continue;
                }
            }
            if c.is_whitespace() {
                self.space = true;
                if self.whitespace == Whitespace::Lines {
                    let ends = match c {
                        '\n' | '\r' | '\u{85}' | '\u{2028}' => 1,
                        '\u{2029}' => 2,
                        _ => 0,
                    };
                    self.newlines = self.newlines.saturating_add(ends);
                }
                self.src += c.len_utf8();
                continue;
            }
            // Collapsed, one `<br>` is a space and two in a row end the paragraph; as
            // lines, `<br>` and line ends both count and the larger count wins, so that
            // `<br>` followed by a line end is still one line break.
            let lines = match self.whitespace {
                Whitespace::Collapse if self.breaks >= 2 => 2,
                Whitespace::Collapse => 0,
                Whitespace::Lines => self.newlines.max(self.breaks),
            };
            if lines >= 2 {
                self.flush();
            } else if !self.current.is_empty() {
                // A separator comes from where the previous word ended.
                if lines == 1 {
                    self.push('\n', self.word_end);
                } else if self.space || self.breaks > 0 {
                    self.push(' ', self.word_end);
                }
            }
            self.space = false;
            self.newlines = 0;
            self.breaks = 0;
            self.push(c, self.src);
            self.src += c.len_utf8();
            self.word_end = self.src;
        }
    }

    /// Appends `c` to the paragraph, noting that it came from source offset `src`.
    fn push(&mut self, c: char, src: usize) {
        if self.marks {
            let base = if self.out.is_empty() {
                0
            } else {
                self.out.len() + 2
            };
            self.offsets.push(base + self.current.len(), src);
        }
        self.current.push(c);
    }

    fn line_break(&mut self) {
        self.breaks = self.breaks.saturating_add(1);
    }

    fn flush(&mut self) {
        if !self.current.is_empty() {
            if !self.out.is_empty() {
                self.out.push_str("\n\n");
            }
            self.out.push_str(&self.current);
        }
        self.current.clear();
        self.space = false;
        self.newlines = 0;
        self.breaks = 0;
    }

    fn finish(mut self) -> (String, OffsetMap) {
        self.flush();
        (self.out, self.offsets)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const FILLER: &str =
        "The delegation arrived in the capital on Monday, officials said, and talks \
        continued late into the evening with no agreement announced.";

    fn read_page_ok(src: &str) -> Page {
        read_page(src).unwrap()
    }

    fn page(body: &str, head: &str) -> String {
        format!("<!doctype html><html lang=\"en-GB\"><head>{head}</head><body>{body}</body></html>")
    }

    #[test]
    fn metadata_from_open_graph_and_meta() {
        let head = r#"<title>Ignored title | Example Times</title>
            <meta property="og:title" content="Envoys meet in Geneva">
            <meta property="og:site_name" content="Example Times">
            <meta property="article:published_time" content="2025-04-23T09:30:00+00:00">
            <link rel="canonical" href="https://www.example.org/world/envoys">"#;
        let p = read_page_ok(&page(&format!("<article><p>{FILLER}</p></article>"), head));
        assert_eq!(p.title.as_deref(), Some("Envoys meet in Geneva"));
        assert_eq!(p.outlet.as_deref(), Some("Example Times"));
        assert_eq!(p.published.as_deref(), Some("2025-04-23T09:30:00Z"));
        assert_eq!(
            p.url.as_deref(),
            Some("https://www.example.org/world/envoys")
        );
        assert_eq!(p.language.as_deref(), Some("en-GB"));
        assert_eq!(p.text, FILLER);
    }

    #[test]
    fn metadata_from_json_ld_graph() {
        let head = r#"<title>Ceasefire plan - Example Wire</title>
            <script type="application/ld+json">
            {"@context":"https://schema.org","@graph":[
              {"@type":"WebSite","name":"Not this"},
              {"@type":["NewsArticle"],"headline":"Ceasefire plan tabled",
               "datePublished":"2025-04-22","publisher":{"@type":"Organization","name":"Example Wire"},
               "url":"https://example.net/a/1"}]}
            </script>"#;
        let p = read_page_ok(&page(&format!("<main><p>{FILLER}</p></main>"), head));
        assert_eq!(p.title.as_deref(), Some("Ceasefire plan tabled"));
        assert_eq!(p.published.as_deref(), Some("2025-04-22"));
        assert_eq!(p.outlet.as_deref(), Some("Example Wire"));
        assert_eq!(p.url.as_deref(), Some("https://example.net/a/1"));
    }

    #[test]
    fn fallbacks_title_tag_h1_time_and_host() {
        let head = r#"<meta name="dc.date" content="not a date">
            <meta property="og:url" content="https://news.example.com/x">"#;
        let body = format!(
            "<article><h1>Shelling reported</h1><time datetime=\"2025-04-21\">Monday</time><p>{FILLER}</p></article>"
        );
        let p = read_page_ok(&page(&body, head));
        assert_eq!(p.title.as_deref(), Some("Shelling reported"));
        assert_eq!(p.published.as_deref(), Some("2025-04-21"));
        assert_eq!(p.outlet.as_deref(), Some("news.example.com"));
        let p = read_page_ok(&page(
            &format!("<p>{FILLER}</p>"),
            "<title>Plain | Example</title>",
        ));
        assert_eq!(p.title.as_deref(), Some("Plain | Example"));
        assert_eq!(p.outlet, None);
    }

    #[test]
    fn boilerplate_removed_and_paragraphs_kept() {
        let body = format!(
            r##"<header><nav><a href="/">Home</a> <a href="/world">World</a></nav></header>
            <div class="layout">
              <div id="story" class="story-body">
                <h2>Talks stall</h2>
                <p>{FILLER}</p>
                <div class="social-share"><a href="#">Share on X</a></div>
                <p>A second <b>paragraph</b> with <a href="/x">a link</a>, and more words, for the score.</p>
                <blockquote>We will not accept this, the minister said firmly.</blockquote>
                <ul><li>First point</li><li>Second point</li></ul>
                <p>Line one<br>still one<br><br>line two</p>
                <div class="ad-slot">Buy now</div>
                <div class="newsletterSignup">Sign up</div>
              </div>
              <aside><p>{FILLER} Related reading.</p></aside>
              <div class="comments"><p>{FILLER} I disagree.</p></div>
            </div>
            <footer>Copyright</footer>
            <script>var x = "{FILLER}";</script>"##
        );
        let p = read_page_ok(&page(&body, ""));
        let paras: Vec<&str> = p.text.split("\n\n").collect();
        assert_eq!(
            paras,
            vec![
                "Talks stall",
                FILLER,
                "A second paragraph with a link, and more words, for the score.",
                "We will not accept this, the minister said firmly.",
                "First point",
                "Second point",
                "Line one still one",
                "line two",
            ],
            "{}",
            p.text
        );
    }

    #[test]
    fn scoring_prefers_dense_text_over_link_lists() {
        let links: String = (0..30)
            .map(|i| {
                format!("<p><a href=\"/{i}\">Another story headline number {i}, read more</a></p>")
            })
            .collect();
        let body = format!(
            "<div class=\"teasers\">{links}</div><div class=\"x\"><p>{FILLER}</p><p>{FILLER}</p><p>{FILLER}</p></div>"
        );
        let p = read_page_ok(&page(&body, ""));
        assert_eq!(p.text, [FILLER, FILLER, FILLER].join("\n\n"));
    }

    #[test]
    fn boilerplate_names() {
        for yes in [
            "ad-slot",
            "ads",
            "top ad",
            "social-links",
            "relatedStories",
            "cookie_banner",
            "commentsSection",
            "site-menu",
        ] {
            assert!(boilerplate_name(yes), "{yes}");
        }
        for no in [
            "headline",
            "thread-body",
            "lead",
            "story-content",
            "shadow",
            "menus-x-nope".replace("menus", "venus").as_str(),
        ] {
            assert!(!boilerplate_name(no), "{no}");
        }
    }

    #[test]
    fn fragment_with_entities_and_markup() {
        assert_eq!(
            fragment_to_text("<p>One &amp; two&nbsp;three</p><p>Four</p>").unwrap(),
            "One & two three\n\nFour"
        );
        assert_eq!(fragment_to_text("just text").unwrap(), "just text");
    }

    #[test]
    fn json_ld_article_body_is_a_fallback() {
        let head = r#"<script type="application/ld+json">{"@type":"NewsArticle","articleBody":"Body from JSON-LD."}</script>"#;
        let p = read_page_ok(&page("<div id=\"app\"></div>", head));
        assert_eq!(p.text, "Body from JSON-LD.");
    }

    fn deep(n: usize) -> String {
        let mut s = String::with_capacity(n * 12);
        s.push_str("<html><body>");
        for _ in 0..n {
            s.push_str("<div>");
        }
        s.push_str("<p>Deep text, still readable, at the bottom of the nesting.</p>");
        for _ in 0..n {
            s.push_str("</div>");
        }
        s.push_str("</body></html>");
        s
    }

    #[test]
    fn ten_thousand_deep_nesting_on_a_small_stack() {
        let src = deep(10_000);
        let handle = std::thread::Builder::new()
            .stack_size(256 * 1024)
            .spawn(move || {
                // The parsed tree is dropped inside, on the small stack too.
                read_page(&src).unwrap().text
            })
            .unwrap();
        let text = handle.join().expect("no stack overflow");
        assert_eq!(
            text,
            "Deep text, still readable, at the bottom of the nesting."
        );
    }

    #[test]
    fn pathological_nesting_is_refused_quickly() {
        let started = std::time::Instant::now();
        let err = read_page(&deep(100_000)).unwrap_err();
        assert!(err.to_string().contains("nested too deeply"), "{err}");
        assert!(started.elapsed() < std::time::Duration::from_secs(5));
        // Unclosed paragraphs and void elements do not count as nesting.
        let flat = "<p>para<br><img src=x>".repeat(50_000);
        assert!(check_nesting(&flat).is_ok());
        let scripts = format!("<script>{}</script><p>ok</p>", "<div>".repeat(100_000));
        assert!(check_nesting(&scripts).is_ok());
    }

    #[test]
    fn host_and_language_helpers() {
        assert_eq!(
            host_of("https://www.Example.com:443/a?b").as_deref(),
            Some("example.com")
        );
        assert_eq!(host_of("mailto:x"), None);
        assert_eq!(clean_language("en_US").as_deref(), Some("en-US"));
        assert_eq!(clean_language("x"), None);
        assert!(!is_absolute_url("/relative/path"));
    }
}
