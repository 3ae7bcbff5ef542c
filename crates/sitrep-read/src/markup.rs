//! Markup inside text: a `.txt` body or a JSON Lines `text` value that holds HTML
//! (`<a href=…>Name</a>`, `<p>`, `<br>`, `&amp;`, `<script>` blocks) pasted in by a CMS
//! export or a scraper.
//!
//! Such text is reduced to its visible words before it becomes the document text, so
//! that every span the engine produces points at words, never at markup. The stripped
//! text *is* the document text that gets normalised, and it comes with an offset map
//! back to the text it was stripped from, so the document's offsets still lead to the
//! bytes of the file (or of the JSON value).
//!
//! # Detection is conservative
//!
//! News text is full of `<`, `>` and `&` that are not markup: "a < b", "5 > 3", "<<",
//! "<jane@example.org>", "AT&T", "R&D;". Text is treated as markup only on evidence:
//!
//! * **a tag** ([`detect`]): one of the content tags HTML fragments are made of
//!   ([`content_tag`]: `a`, `p`, `br`, `div`, `span`, `b`, `i`, `em`, `strong`, lists,
//!   headings, `img`, `script`, `style`, tables…) written with full tag syntax up to
//!   its `>`, and either a closing tag (`</em>`), a bare one (`<p>`, `<br/>`), or one
//!   with an `attribute=value` (`<a href="…">`). `<a and b>` is not a tag.
//! * **a character reference**: a named one from a list of those common in news
//!   ([`known_entity`]: `&amp;`, `&nbsp;`, `&rsquo;`, `&eacute;` …) or a numeric one
//!   (`&#39;`, `&#x2019;`), always with its `;`.
//!
//! # Stripping reuses the HTML reader
//!
//! The text is parsed as an HTML fragment and rendered by the HTML reader
//! ([`fragment_to_lines`]): the same elements are dropped (`script`, `style`,
//! `noscript`, boilerplate), block elements (`p`, `div`, `li`, headings, `blockquote`,
//! `tr`) start paragraphs, `<br>` breaks the line, inline elements (`a`, `b`, `em`,
//! `span`) vanish without adding spaces, and the text's own line ends and blank lines
//! are kept as line and paragraph breaks.
//!
//! Before parsing, every `<` and `&` that does not start markup is escaped
//! ([`protect`]), so the parser only ever sees the markup that is there: in "Talks with
//! <b>Jane Roe</b> <jane@example.org>" the address survives, and text with only
//! references has nothing but those decoded. Each `<` is examined only up to the next
//! `<` and each `&` over a few bytes, so detection and escaping are linear in the
//! text; the parser is guarded against pathological nesting as for HTML files.
//!
//! # Offsets through the parser
//!
//! The parser keeps no source positions, so the escaped text carries them: a source
//! mark (two plane-16 private-use characters naming an offset, `html::push_mark`) after
//! every tag and comment, around every reference and after every carriage return or
//! NUL, the places where the parser's text stops following the original byte for
//! byte. The renderer reads the marks, drops them, and records where each character
//! came from. Text that already holds plane-16 characters (practically never seen) is
//! stripped without marks; its map is then the identity.
use sitrep_core::OffsetMap;

use crate::html::{fragment_to_lines, is_mark_free, push_mark, Mark};
use crate::ReadError;

/// What a text holds besides words, as [`detect`] judges it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Markup {
    /// Nothing: the text is read as it is.
    None,
    /// Character references (`&amp;`, `&#8217;`) but no tags.
    References,
    /// HTML tags (and perhaps references).
    Tags,
}

/// The visible text of a text that held markup.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Stripped {
    /// The visible words: lines and paragraphs kept, markup gone, references decoded.
    pub text: String,
    /// Offsets in `text` → offsets in the text that was stripped.
    pub offsets: OffsetMap,
}

/// The visible text of `text` when it holds markup ([`detect`]); `None` when it holds
/// none and is to be read as it is. Fails only on markup nested too deeply to parse.
pub(crate) fn strip(text: &str) -> Result<Option<Stripped>, ReadError> {
    let tags = match detect(text) {
        Markup::None => return Ok(None),
        Markup::References => false,
        Markup::Tags => true,
    };
    let marks = is_mark_free(text);
    let (text, offsets) = fragment_to_lines(&protect(text, tags, marks), marks)?;
    Ok(Some(Stripped { text, offsets }))
}

/// Judges whether `text` holds tags, character references or neither (see the module
/// documentation for the rules).
pub(crate) fn detect(text: &str) -> Markup {
    let b = text.as_bytes();
    let mut found = Markup::None;
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'<' => {
                if let Some(tag) = tag_at(b, i) {
                    if tag.is_evidence() {
                        return Markup::Tags;
                    }
                    i = tag.end;
                    continue;
                }
            }
            b'&' if found == Markup::None && known_reference_at(b, i) => {
                found = Markup::References;
            }
            _ => {}
        }
        i += 1;
    }
    found
}

/// `text` ready for the HTML parser: every `<` that does not start a tag (only when
/// `tags`), comment or declaration, and every `&` that does not start a character
/// reference (when not `tags`, a known one), escaped, so that the parser reads them as
/// the characters they are.
///
/// With `marks`, source marks ([`push_mark`]) are put wherever the parser's text stops
/// following the original byte for byte: after markup, around references, after a
/// carriage return or a NUL (which the parser rewrites or drops).
fn protect(text: &str, tags: bool, marks: bool) -> String {
    let b = text.as_bytes();
    let mut out = String::with_capacity(text.len() + text.len() / 8);
    let mut copied = 0;
    let mut i = 0;
    let last_comment_end = text.rfind("-->");
    // Copies the text up to `to`, then marks that the text after it comes from `to`.
    let emit = |out: &mut String, copied: &mut usize, to: usize, mark: Mark| {
        out.push_str(&text[*copied..to]);
        *copied = to;
        if marks {
            push_mark(out, mark, to);
        }
    };
    while i < b.len() {
        match b[i] {
            b'<' if tags && b[i..].starts_with(b"<!--") => {
                // Kept only when closed (an open comment would hide the rest), and then
                // skipped whole: no comment is searched twice.
                let closed = last_comment_end.is_some_and(|end| end >= i + 4);
                if let Some(len) = closed.then(|| text[i + 4..].find("-->")).flatten() {
                    let end = i + 4 + len + 3;
                    emit(&mut out, &mut copied, end, Mark::Move);
                    i = end;
                    continue;
                }
            }
            b'<' if tags => {
                if let Some(tag) = tag_at(b, i).filter(Tag::is_markup) {
                    emit(&mut out, &mut copied, tag.end, Mark::Move);
                    i = tag.end;
                    continue;
                }
            }
            b'&' => {
                let end = if tags {
                    reference_end(b, i)
                } else {
                    known_reference_at(b, i)
                        .then(|| reference_end(b, i))
                        .flatten()
                };
                if let Some(end) = end {
                    emit(&mut out, &mut copied, i, Mark::Move);
                    emit(&mut out, &mut copied, end, Mark::AfterReference);
                    i = end;
                    continue;
                }
            }
            b'\r' | b'\0' => {
                let end = if b[i..].starts_with(b"\r\n") {
                    i + 2
                } else {
                    i + 1
                };
                emit(&mut out, &mut copied, end, Mark::Move);
                i = end;
                continue;
            }
            b'<' => {}
            _ => {
                i += 1;
                continue;
            }
        }
        // A `<` or `&` that starts nothing: escaped as a numeric reference (the parser
        // decodes those faster than named ones), one byte for one byte.
        let escape = if b[i] == b'<' { "&#60;" } else { "&#38;" };
        out.push_str(&text[copied..i]);
        out.push_str(escape);
        copied = i + 1;
        i += 1;
    }
    out.push_str(&text[copied..]);
    out
}

// ---------------------------------------------------------------------------------
// Tags

/// What follows a `<` when it is written like markup.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Tag<'a> {
    kind: TagKind,
    /// The element name as written (empty for declarations).
    name: &'a [u8],
    /// Byte offset just past the closing `>`.
    end: usize,
    /// Attributes written (start tags).
    attributes: usize,
    /// Whether one of them has a value (`href="…"`).
    valued: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum TagKind {
    Start,
    End,
    /// `<!DOCTYPE …>`, `<![CDATA[…]>`, `<?xml …?>`.
    Declaration,
}

impl Tag<'_> {
    /// Whether this tag alone shows that the text is markup.
    fn is_evidence(&self) -> bool {
        let name = self.name.to_ascii_lowercase();
        match self.kind {
            TagKind::Declaration => false,
            TagKind::End => content_tag(&name),
            TagKind::Start => content_tag(&name) && (self.attributes == 0 || self.valued),
        }
    }

    /// Whether the parser should see this as markup once the text is known to hold
    /// tags: any HTML element, a namespaced or custom one (`o:p`, `x-embed`), or a
    /// declaration. `<Reuters>` stays text.
    fn is_markup(&self) -> bool {
        let name = self.name.to_ascii_lowercase();
        self.kind == TagKind::Declaration
            || html_element(&name)
            || name.contains(&b':')
            || name.contains(&b'-')
    }
}

/// Longest element name looked at.
const MAX_NAME: usize = 32;

/// Reads the tag starting at the `<` at `b[i]`, if it is written like one: `<`, an
/// optional `/`, a name (letter first) ended by a space, `/` or `>`, attributes in
/// HTML syntax, and the closing `>`, all before the next `<` (so each byte is looked at
/// by one `<` only). Quoted values may not hold `<`.
fn tag_at(b: &[u8], i: usize) -> Option<Tag<'_>> {
    let mut j = i + 1;
    match b.get(j) {
        Some(b'!' | b'?') => {
            let next = b.get(j + 1)?;
            if !next.is_ascii_alphabetic() && *next != b'[' {
                return None;
            }
            let gt = b[j..].iter().position(|&c| c == b'>' || c == b'<')?;
            return (b[j + gt] == b'>').then_some(Tag {
                kind: TagKind::Declaration,
                name: &[],
                end: j + gt + 1,
                attributes: 0,
                valued: false,
            });
        }
        Some(b'/') => j += 1,
        _ => {}
    }
    let kind = if j > i + 1 {
        TagKind::End
    } else {
        TagKind::Start
    };
    let start = j;
    if !b.get(j)?.is_ascii_alphabetic() {
        return None;
    }
    while j < b.len()
        && j - start <= MAX_NAME
        && (b[j].is_ascii_alphanumeric() || matches!(b[j], b':' | b'-' | b'_'))
    {
        j += 1;
    }
    let name = &b[start..j];
    if name.len() > MAX_NAME || !matches!(b.get(j)?, b'>' | b'/' | b' ' | b'\t' | b'\n' | b'\r') {
        return None;
    }
    let mut tag = Tag {
        kind,
        name,
        end: 0,
        attributes: 0,
        valued: false,
    };
    let space = |c: &u8| c.is_ascii_whitespace();
    loop {
        while b.get(j).is_some_and(space) {
            j += 1;
        }
        match b.get(j)? {
            b'>' => {
                tag.end = j + 1;
                return Some(tag);
            }
            b'/' if kind == TagKind::Start => {
                j += 1;
                continue;
            }
            _ if kind == TagKind::End => return None,
            _ => {}
        }
        // An attribute name, then an optional `= value`.
        let name_start = j;
        while b
            .get(j)
            .is_some_and(|c| !c.is_ascii_whitespace() && !b"\"'<>/=`".contains(c))
        {
            j += 1;
        }
        if j == name_start {
            return None;
        }
        tag.attributes += 1;
        let mut k = j;
        while b.get(k).is_some_and(space) {
            k += 1;
        }
        if b.get(k) != Some(&b'=') {
            continue;
        }
        j = k + 1;
        while b.get(j).is_some_and(space) {
            j += 1;
        }
        match b.get(j)? {
            q @ (b'"' | b'\'') => {
                let len = b[j + 1..].iter().position(|c| c == q || *c == b'<')?;
                if b[j + 1 + len] != *q {
                    return None;
                }
                j += len + 2;
            }
            _ => {
                let value_start = j;
                while b
                    .get(j)
                    .is_some_and(|c| !c.is_ascii_whitespace() && !b"\"'<>=`".contains(c))
                {
                    j += 1;
                }
                if j == value_start {
                    return None;
                }
            }
        }
        tag.valued = true;
    }
}

/// Tags that HTML fragments in article text are made of; one of them, written as a
/// tag, is evidence of markup. Rarer elements are left out on purpose: `<time>`,
/// `<title>` or `<data>` in prose are more likely placeholders than markup.
fn content_tag(name: &[u8]) -> bool {
    matches!(
        name,
        b"a" | b"abbr"
            | b"article"
            | b"aside"
            | b"b"
            | b"blockquote"
            | b"body"
            | b"br"
            | b"caption"
            | b"cite"
            | b"dd"
            | b"div"
            | b"dl"
            | b"dt"
            | b"em"
            | b"figcaption"
            | b"figure"
            | b"font"
            | b"footer"
            | b"h1"
            | b"h2"
            | b"h3"
            | b"h4"
            | b"h5"
            | b"h6"
            | b"head"
            | b"header"
            | b"hr"
            | b"html"
            | b"i"
            | b"iframe"
            | b"img"
            | b"li"
            | b"nav"
            | b"noscript"
            | b"ol"
            | b"p"
            | b"picture"
            | b"section"
            | b"small"
            | b"span"
            | b"strong"
            | b"style"
            | b"sub"
            | b"sup"
            | b"script"
            | b"table"
            | b"tbody"
            | b"td"
            | b"th"
            | b"thead"
            | b"tr"
            | b"ul"
            | b"video"
    )
}

/// Every HTML element name (current and obsolete) the parser knows, plus the SVG and
/// MathML roots: in text that holds tags, these are parsed as markup.
fn html_element(name: &[u8]) -> bool {
    content_tag(name)
        || matches!(
            name,
            b"acronym"
                | b"address"
                | b"area"
                | b"audio"
                | b"base"
                | b"bdi"
                | b"bdo"
                | b"big"
                | b"button"
                | b"canvas"
                | b"center"
                | b"code"
                | b"col"
                | b"colgroup"
                | b"data"
                | b"datalist"
                | b"del"
                | b"details"
                | b"dfn"
                | b"dialog"
                | b"embed"
                | b"fieldset"
                | b"form"
                | b"ins"
                | b"input"
                | b"kbd"
                | b"label"
                | b"legend"
                | b"link"
                | b"main"
                | b"map"
                | b"mark"
                | b"marquee"
                | b"math"
                | b"menu"
                | b"meta"
                | b"meter"
                | b"nobr"
                | b"object"
                | b"optgroup"
                | b"option"
                | b"output"
                | b"param"
                | b"pre"
                | b"progress"
                | b"q"
                | b"rp"
                | b"rt"
                | b"ruby"
                | b"s"
                | b"samp"
                | b"select"
                | b"source"
                | b"strike"
                | b"summary"
                | b"svg"
                | b"template"
                | b"textarea"
                | b"tfoot"
                | b"time"
                | b"title"
                | b"track"
                | b"tt"
                | b"u"
                | b"var"
                | b"wbr"
        )
}

// ---------------------------------------------------------------------------------
// Character references

/// Longest reference name looked at (the longest HTML names are 31 bytes).
const MAX_REFERENCE: usize = 32;

/// The end of the reference written like one (`&name;`, `&#digits;` or `&#xhex;`)
/// starting at the `&` at `b[i]`, if there is one. The parser decodes those it knows
/// and leaves the others as written.
fn reference_end(b: &[u8], i: usize) -> Option<usize> {
    let len = match reference_at(b, i)? {
        Reference::Named(name) => name.len() + 2,
        Reference::Numeric(len) => len,
    };
    Some(i + len)
}

/// Whether a reference that is evidence of markup starts at `b[i]`: a numeric one, or
/// a named one from [`known_entity`].
fn known_reference_at(b: &[u8], i: usize) -> bool {
    match reference_at(b, i) {
        Some(Reference::Numeric(_)) => true,
        Some(Reference::Named(name)) => known_entity(name),
        None => false,
    }
}

/// A character reference written like one.
enum Reference<'a> {
    /// `&#…;` of this many bytes.
    Numeric(usize),
    /// `&name;`, with its name.
    Named(&'a [u8]),
}

/// The reference starting at the `&` at `b[i]`, if it is written like one.
fn reference_at(b: &[u8], i: usize) -> Option<Reference<'_>> {
    let rest = b.get(i + 1..)?;
    let (body, digits, prefix): (&[u8], fn(&u8) -> bool, usize) = match rest {
        [b'#', b'x' | b'X', body @ ..] => (body, u8::is_ascii_hexdigit, 3),
        [b'#', body @ ..] => (body, u8::is_ascii_digit, 2),
        _ => {
            let len = rest
                .iter()
                .take(MAX_REFERENCE + 1)
                .take_while(|c| c.is_ascii_alphanumeric())
                .count();
            let named = len > 0
                && len <= MAX_REFERENCE
                && rest[0].is_ascii_alphabetic()
                && rest.get(len) == Some(&b';');
            return named.then(|| Reference::Named(&rest[..len]));
        }
    };
    // Up to seven decimal or six hex digits reach past the last code point.
    let len = body.iter().take(8).take_while(|c| digits(c)).count();
    (len > 0 && len <= 7 && body.get(len) == Some(&b';'))
        .then_some(Reference::Numeric(prefix + len + 1))
}

/// Named references common in news copy: punctuation, spaces, symbols and the
/// accented letters of European names.
fn known_entity(name: &[u8]) -> bool {
    matches!(
        name,
        b"amp"
            | b"lt"
            | b"gt"
            | b"quot"
            | b"apos"
            | b"nbsp"
            | b"ensp"
            | b"emsp"
            | b"thinsp"
            | b"shy"
            | b"zwj"
            | b"zwnj"
            | b"lrm"
            | b"rlm"
            | b"ndash"
            | b"mdash"
            | b"minus"
            | b"lsquo"
            | b"rsquo"
            | b"sbquo"
            | b"ldquo"
            | b"rdquo"
            | b"bdquo"
            | b"laquo"
            | b"raquo"
            | b"lsaquo"
            | b"rsaquo"
            | b"hellip"
            | b"middot"
            | b"bull"
            | b"dagger"
            | b"prime"
            | b"copy"
            | b"reg"
            | b"trade"
            | b"deg"
            | b"plusmn"
            | b"times"
            | b"divide"
            | b"frac12"
            | b"frac14"
            | b"frac34"
            | b"sup2"
            | b"sup3"
            | b"micro"
            | b"para"
            | b"sect"
            | b"cent"
            | b"pound"
            | b"euro"
            | b"yen"
            | b"iexcl"
            | b"iquest"
            | b"aacute"
            | b"Aacute"
            | b"agrave"
            | b"Agrave"
            | b"acirc"
            | b"Acirc"
            | b"atilde"
            | b"Atilde"
            | b"auml"
            | b"Auml"
            | b"aring"
            | b"Aring"
            | b"aelig"
            | b"AElig"
            | b"ccedil"
            | b"Ccedil"
            | b"eacute"
            | b"Eacute"
            | b"egrave"
            | b"Egrave"
            | b"ecirc"
            | b"Ecirc"
            | b"euml"
            | b"Euml"
            | b"iacute"
            | b"Iacute"
            | b"igrave"
            | b"Igrave"
            | b"icirc"
            | b"Icirc"
            | b"iuml"
            | b"Iuml"
            | b"ntilde"
            | b"Ntilde"
            | b"oacute"
            | b"Oacute"
            | b"ograve"
            | b"Ograve"
            | b"ocirc"
            | b"Ocirc"
            | b"otilde"
            | b"Otilde"
            | b"ouml"
            | b"Ouml"
            | b"oslash"
            | b"Oslash"
            | b"oelig"
            | b"OElig"
            | b"scaron"
            | b"Scaron"
            | b"zcaron"
            | b"Zcaron"
            | b"uacute"
            | b"Uacute"
            | b"ugrave"
            | b"Ugrave"
            | b"ucirc"
            | b"Ucirc"
            | b"uuml"
            | b"Uuml"
            | b"yacute"
            | b"Yacute"
            | b"yuml"
            | b"szlig"
            | b"eth"
            | b"ETH"
            | b"thorn"
            | b"THORN"
    )
}

#[cfg(test)]
mod tests {
    use std::time::{Duration, Instant};

    use super::*;

    fn stripped(text: &str) -> String {
        strip(text)
            .unwrap()
            .unwrap_or_else(|| panic!("no markup found in {text:?}"))
            .text
    }

    /// Every word of the stripped text (split at whitespace), with the source text its
    /// offset map points at.
    fn words_and_sources(text: &str) -> Vec<(String, String)> {
        let s = strip(text).unwrap().unwrap();
        let mut out = Vec::new();
        let mut start = None;
        for (i, c) in s.text.char_indices().chain([(s.text.len(), ' ')]) {
            match (c.is_whitespace(), start) {
                (false, None) => start = Some(i),
                (true, Some(st)) => {
                    let from = s.offsets.to_original(st);
                    let to = s.offsets.to_original(i);
                    out.push((s.text[st..i].to_owned(), text[from..to].to_owned()));
                    start = None;
                }
                _ => {}
            }
        }
        out
    }

    #[test]
    fn plain_text_with_angle_brackets_and_ampersands_is_not_markup() {
        for text in [
            "Turnout was higher where a < b, and 5 > 3 in every district.",
            "Ministers traded barbs << again >> on Friday.",
            "Write to the press office <jane@example.org> for details.",
            "Shares of AT&T and Marks & Spencer fell; R&D; budgets held.",
            "If turnout <a and b> quorum, the vote stands.",
            "The agency (<Reuters>) could not confirm it.",
            "A lone <p without its end, and x<y too.",
            "The &madeup; sign and a bare & stayed.",
            "Scores were 3<4 and 10>9, said the referee.",
            "<",
            "&",
            "",
        ] {
            assert_eq!(detect(text), Markup::None, "{text:?}");
            assert_eq!(strip(text).unwrap(), None, "{text:?}");
        }
    }

    #[test]
    fn tags_and_references_are_detected() {
        for text in [
            "Talks ended.<p>",
            "It was <em>not</em> agreed.",
            "One line<br/>and another",
            "One line<br />and another",
            "See <a href=\"https://example.org/x\">the report</a>.",
            "A photo <img src=x.jpg> was shown.",
            "<SPAN CLASS='lead'>Loud</SPAN>",
            "Before <script>track();</script> after",
        ] {
            assert_eq!(detect(text), Markup::Tags, "{text:?}");
        }
        for text in [
            "Aid &amp; relief",
            "the town&#8217;s clinic",
            "the town&#x2019;s clinic",
            "Jos&eacute; Ruiz",
        ] {
            assert_eq!(detect(text), Markup::References, "{text:?}");
        }
    }

    #[test]
    fn inline_tags_vanish_and_block_tags_break_paragraphs() {
        assert_eq!(
            stripped(
                "Talks were led by <a href=\"https://example.org/x\">Jane Roe</a>, the envoy.\
                 <p>Second paragraph.</p>"
            ),
            "Talks were led by Jane Roe, the envoy.\n\nSecond paragraph."
        );
        // No space is added inside a word, and headings and list items stand apart.
        assert_eq!(
            stripped("<h2>Floods</h2>The Ro<b>e</b> family <i>left</i>.<ul><li>One</li><li>Two</li></ul>"),
            "Floods\n\nThe Roe family left.\n\nOne\n\nTwo"
        );
    }

    #[test]
    fn line_structure_of_the_text_is_kept() {
        assert_eq!(
            stripped(
                "First line of <b>the</b> report\nsecond line.\n\n\
                 New paragraph.<br>Next line<br>\nsame break.<br><br>Third paragraph."
            ),
            "First line of the report\nsecond line.\n\n\
             New paragraph.\nNext line\nsame break.\n\nThird paragraph."
        );
    }

    #[test]
    fn references_are_decoded_and_nothing_else_changes() {
        assert_eq!(
            stripped("Aid &amp; relief reached the town&#8217;s clinic, Jos&eacute; said."),
            "Aid & relief reached the town\u{2019}s clinic, Jos\u{e9} said."
        );
        // With references only, other `<` and `&` are kept as written.
        assert_eq!(
            stripped("Q&amp;A: is 5 < 6 &notit; & <jane@example.org> at AT&T?"),
            "Q&A: is 5 < 6 &notit; & <jane@example.org> at AT&T?"
        );
    }

    #[test]
    fn text_that_is_not_markup_survives_beside_tags() {
        assert_eq!(
            stripped("Talks with <b>Jane Roe</b> <jane@example.org> ended; 3 < 4 & x<y at AT&T."),
            "Talks with Jane Roe <jane@example.org> ended; 3 < 4 & x<y at AT&T."
        );
        assert_eq!(
            stripped("Shelling resumed.<!-- wp:paragraph --><p>Later, calm.</p> <!-- open"),
            "Shelling resumed.\n\nLater, calm.\n\n<!-- open"
        );
    }

    #[test]
    fn script_style_and_noscript_content_is_dropped() {
        assert_eq!(
            stripped(
                "<script>var x = \"<p>hidden</p>\"; if (a<b) x();</script>Rescuers reached \
                 the village.<style>p { color: red }</style><noscript>Enable scripts</noscript>"
            ),
            "Rescuers reached the village."
        );
        // Markup with no visible text strips to nothing.
        assert_eq!(stripped("<script>track();</script>"), "");
    }

    #[test]
    fn hostile_inputs_stay_fast_and_do_not_panic() {
        let started = Instant::now();
        let ten_mb = 10 * 1024 * 1024;
        assert_eq!(strip(&"<".repeat(ten_mb)).unwrap(), None);
        assert_eq!(strip(&"<a ".repeat(ten_mb / 3)).unwrap(), None);
        assert_eq!(strip(&"<a x=\"".repeat(ten_mb / 6)).unwrap(), None);
        assert_eq!(strip(&"&".repeat(ten_mb)).unwrap(), None);
        // Every `<` escaped and decoded again: linear, but about half a microsecond each.
        let many = format!("<p>{}</p>", "<".repeat(1 << 20));
        assert_eq!(strip(&many).unwrap().map(|t| t.text.len()), Some(1 << 20));
        let references = "&amp;&#8217;&nbsp;".repeat(100_000);
        assert!(strip(&references).unwrap().is_some());
        let comments = format!("<p>Open comments{}", "<!--".repeat(ten_mb / 40));
        assert!(strip(&comments).unwrap().is_some());
        // Unclosed and deeply nested tags: parsed when cheap, refused otherwise.
        assert!(strip(&"<p>Unclosed <b>bold".repeat(10_000)).is_ok());
        assert!(strip(&"<div>".repeat(100_000)).is_err());
        assert!(strip(&"<b>".repeat(100_000)).is_err());
        assert!(strip(&format!("<p>{}", "&#1234567;&#x110000;&#0;".repeat(1000))).is_ok());
        assert!(
            started.elapsed() < Duration::from_secs(20),
            "{:?}",
            started.elapsed()
        );
    }

    #[test]
    fn offsets_lead_back_to_the_words_in_the_source() {
        let text = "Talks were led by <a href=\"https://example.org/x\">Jane Roe</a>, the envoy.\r\n\
                    <!-- note --><p class=\"lead\">Aid &amp; fuel</p>\r\nreached Ro<b>e</b>'s <i>town</i>.";
        let pairs = words_and_sources(text);
        let words: Vec<&str> = pairs.iter().map(|(w, _)| w.as_str()).collect();
        assert_eq!(
            words,
            ["Talks", "were", "led", "by", "Jane", "Roe,", "the", "envoy.", "Aid", "&", "fuel"]
                .into_iter()
                .chain(["reached", "Roe's", "town."])
                .collect::<Vec<_>>()
        );
        for (word, source) in &pairs {
            match word.as_str() {
                // Words with markup or a reference inside lead back to all of it.
                "Roe," => assert_eq!(source, "Roe</a>,"),
                "&" => assert_eq!(source, "&amp;"),
                "Roe's" => assert_eq!(source, "Ro<b>e</b>'s"),
                "town." => assert_eq!(source, "town</i>."),
                _ => assert_eq!(source, word),
            }
        }
        // References alone, with a line end.
        let pairs = words_and_sources("Jos&eacute; Ruiz &#8212; the\r\nmayor &lt; 3");
        for (word, source) in &pairs {
            match word.as_str() {
                "Jos\u{e9}" => assert_eq!(source, "Jos&eacute;"),
                "\u{2014}" => assert_eq!(source, "&#8212;"),
                "<" => assert_eq!(source, "&lt;"),
                _ => assert_eq!(source, word),
            }
        }
        // Text holding plane-16 private-use characters cannot carry marks: still
        // stripped, the characters kept.
        let odd = "<b>Mark</b> \u{100001}\u{108001} here";
        assert_eq!(stripped(odd), "Mark \u{100001}\u{108001} here");
    }

    #[test]
    fn tag_syntax() {
        fn tag(s: &str) -> Option<Tag<'_>> {
            tag_at(s.as_bytes(), 0)
        }
        assert_eq!(tag("<a href=\"x\">y").map(|t| t.end), Some(12));
        assert!(tag("<a href=\"x<y\">").is_none());
        assert!(tag("<p").is_none());
        assert!(tag("</p x>").is_none());
        assert!(tag("<1>").is_none());
        assert!(tag("<a =x>").is_none());
        assert!(tag("<p>").unwrap().is_evidence());
        assert!(!tag("<a and y>").unwrap().is_evidence());
        assert!(!tag("<time>").unwrap().is_evidence());
        assert!(tag("<time>").unwrap().is_markup());
        assert!(tag("<o:p>").unwrap().is_markup());
        assert!(!tag("<Reuters>").unwrap().is_markup());
        assert!(tag("<!DOCTYPE html>").unwrap().is_markup());
    }
}
