//! Bylines and credits: names that sign the article or its pictures, not people of the
//! story. They go to `document.authors` and `document.credits` instead of the entities,
//! so that a photographer never appears among the officials quoted.
//!
//! Decided per tagged person name, from its line (the text between line breaks):
//! - **author**: the line leads up to the name with a short phrase ending in "by" ("By",
//!   "Report by", "English adaptation by"), or the name stands alone on the first or the
//!   last line of the text (a signature);
//! - **credit**: the name follows a slash ("BBC/Jane Roe", "Navy/Chief Specialist Jane
//!   Roe"), a picture label ending in a colon ("Photo:", "Credit:"), or is followed by
//!   ", via AGENCY" or "/AGENCY".

use sitrep_core::Span;
use sitrep_ner::EntityType;

use crate::recognise::TaggedName;
use crate::walk;

/// Who a signature names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CreditKind {
    /// Wrote or reported the article.
    Author,
    /// Took or supplied a picture or video.
    Credit,
}

/// A name that signs the article or a picture.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Signature {
    /// Where the name is.
    pub span: Span,
    /// The name as written.
    pub name: String,
    /// Author or picture credit.
    pub kind: CreditKind,
}

/// Longest lead-in before a byline name, in words ("English adaptation by").
const MAX_BYLINE_LEAD_WORDS: usize = 4;

/// Words of a picture label before a colon.
const PICTURE_LABELS: &[&str] = &[
    "photo",
    "photos",
    "photograph",
    "picture",
    "image",
    "credit",
    "video",
    "graphic",
    "illustration",
];

/// The signatures among the tagger's person names.
pub fn find_signatures(text: &str, names: &[TaggedName]) -> Vec<Signature> {
    let first_line_end = text.find('\n').unwrap_or(text.len());
    let last_line_start = text.trim_end().rfind('\n').map_or(0, |i| i + 1);
    names
        .iter()
        .filter(|n| n.kind == EntityType::Per)
        .filter_map(|n| {
            let (start, end) = (n.span.start(), n.span.end());
            let line_start = walk::before(text, start).rfind('\n').map_or(0, |i| i + 1);
            let line_end = walk::after(text, end)
                .find('\n')
                .map_or(text.len(), |i| end + i);
            let lead = walk::slice(text, line_start, start).trim();
            let tail = walk::slice(text, end, line_end).trim();
            let kind = signature_kind(
                lead,
                tail,
                line_start == 0 || start < first_line_end,
                line_start >= last_line_start,
            )?;
            Some(Signature {
                span: n.span,
                name: walk::span_text(text, n.span).to_owned(),
                kind,
            })
        })
        .collect()
}

/// Words that open a byline ("Report by", "English adaptation by", "Written by").
const BYLINE_WORDS: &[&str] = &[
    "by",
    "report",
    "reporting",
    "reported",
    "written",
    "writing",
    "words",
    "story",
    "text",
    "edited",
    "editing",
    "additional",
    "english",
    "adaptation",
    "translated",
    "translation",
    "compiled",
    "and",
    "with",
];

/// Longest lead-in before a byline name on its line, in bytes: a byline line is short,
/// and looking no further keeps this check cheap on long paragraphs.
const MAX_LEAD_BYTES: usize = 120;

/// What the words around a name on its line make of it.
fn signature_kind(lead: &str, tail: &str, first_line: bool, last_line: bool) -> Option<CreditKind> {
    let last_lead_word = lead.rsplit(char::is_whitespace).next().unwrap_or("");
    let via_agency = tail
        .get(..6)
        .is_some_and(|p| p.eq_ignore_ascii_case(", via "))
        || (tail.starts_with('/') && tail.len() > 1);
    if lead.ends_with('/')
        || (last_lead_word.contains('/') && !last_lead_word.ends_with('/'))
        || via_agency
    {
        return Some(CreditKind::Credit);
    }
    if let Some(label) = lead.strip_suffix(':') {
        let last = label
            .rsplit(|c: char| c.is_whitespace() || c == '.')
            .next()
            .unwrap_or("");
        if PICTURE_LABELS.iter().any(|l| l.eq_ignore_ascii_case(last)) {
            return Some(CreditKind::Credit);
        }
    }
    if lead.len() <= MAX_LEAD_BYTES && is_byline_lead(lead) {
        return Some(CreditKind::Author);
    }
    let alone = lead.is_empty() && matches!(tail, "" | "." | ",");
    if alone && (first_line || last_line) {
        return Some(CreditKind::Author);
    }
    None
}

/// A line's words before a name make a byline: the last comma-separated part is a
/// short phrase of byline words ending in "by" ("Report by", "English adaptation by"),
/// and what comes before it is only byline words and names ("Report by Lena Vogt,").
fn is_byline_lead(lead: &str) -> bool {
    let (before, last) = lead.rsplit_once(',').unwrap_or(("", lead));
    let words: Vec<&str> = last.split_whitespace().collect();
    let byline_word = |w: &str| BYLINE_WORDS.iter().any(|b| b.eq_ignore_ascii_case(w));
    let phrase = words.len() <= MAX_BYLINE_LEAD_WORDS
        && words.last().is_some_and(|w| w.eq_ignore_ascii_case("by"))
        && words.iter().all(|w| byline_word(w));
    phrase
        && before
            .split(|c: char| c.is_whitespace() || c == ',')
            .filter(|w| !w.is_empty())
            .all(|w| byline_word(w) || w.starts_with(char::is_uppercase))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(text: &str, names: &[&str]) -> Vec<(String, CreditKind)> {
        let tagged: Vec<TaggedName> = names
            .iter()
            .map(|n| {
                let i = text.find(n).unwrap();
                TaggedName {
                    span: Span::new(i, i + n.len()),
                    kind: EntityType::Per,
                    sentence: 0,
                }
            })
            .collect();
        find_signatures(text, &tagged)
            .into_iter()
            .map(|s| (s.name, s.kind))
            .collect()
    }

    #[test]
    fn bylines_are_authors() {
        let text = "Talks resume\nReport by Lena Vogt, English adaptation by Omar Haddad\n\nOfficials met in Doha on Monday, Sami Nasser said.";
        assert_eq!(
            kinds(text, &["Lena Vogt", "Omar Haddad", "Sami Nasser"]),
            [
                ("Lena Vogt".into(), CreditKind::Author),
                ("Omar Haddad".into(), CreditKind::Author)
            ]
        );
    }

    #[test]
    fn a_name_alone_on_the_last_line_signs_the_text() {
        let text = "The toll rose to 41 on Sunday, Sami Nasser said.\n\nLena Vogt";
        assert_eq!(
            kinds(text, &["Sami Nasser", "Lena Vogt"]),
            [("Lena Vogt".into(), CreditKind::Author)]
        );
    }

    #[test]
    fn picture_credits() {
        let text = "Smoke rises over the port. Agency/Jane Roe\n\nA ship burns. Photo: John Doe\n\nThe carrier, Navy/Chief Specialist Ann Lee, via AP\n\nA sentence by Mark Twain himself was read out by the envoy, Ali Reza, on Monday.";
        assert_eq!(
            kinds(text, &["Jane Roe", "John Doe", "Ann Lee", "Ali Reza"]),
            [
                ("Jane Roe".into(), CreditKind::Credit),
                ("John Doe".into(), CreditKind::Credit),
                ("Ann Lee".into(), CreditKind::Credit),
            ]
        );
    }

    #[test]
    fn people_of_the_story_are_not_signatures() {
        let text = "The strike was carried out by forces loyal to Ali Reza.\n\nSami Nasser, the mayor, said the toll would rise.";
        assert!(kinds(text, &["Ali Reza", "Sami Nasser"]).is_empty());
    }
}
