//! Resolve: reconcile the tagger's names with the knowledge base, then decide what each
//! name is — a person with titles and a side, an organisation, a country acting, or a
//! place with coordinates — and group mentions of the same thing.
//!
//! Conflicts between the two recognisers are settled in one place, [`readings`]:
//! a knowledge-base organisation, country, metonym or place name wins over a
//! one-word tagger name (so "Kremlin", "Crimea" and "Kherson" are never people), and a
//! tagger person of two or more words wins over a place name inside it ("Keith
//! Kellogg" is not a town).

pub mod credits;
pub mod entities;
pub mod figures;
pub mod places;

use sitrep_core::Span;
use sitrep_kb::{CountryCode, Entry, Kb, KbMatch, Org, Title};

use crate::model::{DocView, Entities, PlaceInfo};
use crate::recognise::TaggedName;
use crate::walk;

/// What the knowledge base says a stretch of text is, after choosing one reading.
#[derive(Debug, Clone)]
pub enum Reading<'kb> {
    /// A known organisation.
    Org(&'kb Org),
    /// A country's name.
    Country(CountryCode),
    /// A country adjective or people noun ("Ukrainian", "Ukrainians").
    Demonym {
        /// The country.
        code: CountryCode,
        /// True for the people noun ("Ukrainians").
        people: bool,
    },
    /// A name standing for a government ("the Kremlin", "Kyiv"); `place` when the
    /// name is also a place.
    Metonym {
        /// The country whose government it stands for.
        code: CountryCode,
        /// The name is also a place ("Kyiv", "London").
        place: bool,
    },
    /// A title or role.
    Title(&'kb Title),
    /// A place (not a country).
    Place,
    /// A person-name variant known to the knowledge base.
    PersonName,
}

/// A knowledge-base match with its chosen reading.
#[derive(Debug, Clone)]
pub struct KbSpan<'kb> {
    /// Where it is (without a possessive `'s`).
    pub span: Span,
    /// What it is.
    pub reading: Reading<'kb>,
    /// Followed by `'s`.
    pub possessive: bool,
    /// The original match, for place resolution.
    pub matched: KbMatch<'kb>,
}

/// Chooses one reading per match. Order of preference: organisation, country,
/// metonym, place, demonym, title, person name.
pub fn readings<'kb>(matches: Vec<KbMatch<'kb>>) -> Vec<KbSpan<'kb>> {
    let mut out = Vec::with_capacity(matches.len());
    for m in matches {
        let mut org = None;
        let mut country = None;
        let mut metonym = None;
        let mut place = false;
        let mut primary_place = false;
        let mut primary_country = false;
        let mut demonym = None;
        let mut title = None;
        let mut person = false;
        for c in &m.candidates {
            match &c.entry {
                Entry::Org(o) => org = org.or(Some(*o)),
                Entry::Country(k) => {
                    country = country.or(Some(k.code));
                    primary_country |= c.primary;
                }
                Entry::Metonym(x) => metonym = metonym.or(Some(x.country)),
                Entry::Place(_) => {
                    place = true;
                    primary_place |= c.primary;
                }
                Entry::Demonym { country, forms } => {
                    demonym = demonym.or(Some((country.code, forms.plural && !forms.adjective)))
                }
                Entry::Title(t) => title = title.or(Some(*t)),
                Entry::Variant(v) => person |= v.kind == sitrep_kb::VariantKind::Person,
            }
        }
        let reading = if let Some(o) = org {
            Reading::Org(o)
        } else if let Some(code) = country.filter(|c| {
            // "Thai" is filed under Thailand as well as being its adjective.
            primary_country || demonym.is_none_or(|(d, _)| d != *c)
        }) {
            Reading::Country(code)
        } else if let Some(code) = metonym {
            Reading::Metonym { code, place }
        } else if place && (primary_place || demonym.is_none()) {
            Reading::Place
        } else if let Some((code, people)) = demonym {
            // "Thai" is the adjective, not a town's other name.
            Reading::Demonym { code, people }
        } else if let Some(t) = title {
            Reading::Title(t)
        } else if person {
            Reading::PersonName
        } else {
            continue;
        };
        out.push(KbSpan {
            span: Span::new(m.span.start, m.span.end),
            reading,
            possessive: m.possessive,
            matched: m,
        });
    }
    out
}

/// A word that is both a country's adjective and a region's name reads as the
/// adjective before a lower-case noun ("Somali police", not Ethiopia's Somali Region),
/// unless a locative stands before it ("in Somali").
fn adjectives_before_nouns(text: &str, kb_spans: &mut [KbSpan]) {
    for k in kb_spans.iter_mut() {
        if !matches!(k.reading, Reading::Place) {
            continue;
        }
        let Some((code, people)) = k.matched.candidates.iter().find_map(|c| match &c.entry {
            Entry::Demonym { country, forms } => {
                Some((country.code, forms.plural && !forms.adjective))
            }
            _ => None,
        }) else {
            continue;
        };
        let next_is_noun = walk::after(text, k.span.end())
            .strip_prefix(' ')
            .is_some_and(|r| r.starts_with(|c: char| c.is_lowercase()));
        let before = walk::before(text, k.span.start()).trim_end();
        let locative = before
            .rsplit([' ', '\n'])
            .next()
            .is_some_and(|w| matches!(w, "in" | "of" | "from" | "to" | "near" | "across"));
        // "in Somali capital" is the adjective too; "in Somali region" the region.
        let region_noun = walk::after(text, k.span.end())
            .trim_start()
            .split([' ', ',', '.'])
            .next()
            .is_some_and(|w| matches!(w, "region" | "regional" | "state"));
        if next_is_noun && !(locative && region_noun) {
            k.reading = Reading::Demonym { code, people };
        }
    }
}

/// True when `words` is a country's adjective or people noun and not a country's name
/// ("Chinese", "Pakistani", not "China"): a mention that names no place.
pub fn is_country_adjective(words: &str) -> bool {
    let readings = Kb::embedded().lookup(words);
    let demonym = readings
        .iter()
        .any(|c| matches!(c.entry, Entry::Demonym { .. }));
    // The knowledge base also files some adjectives under the country ("Thai"); only
    // the country's own name counts as naming it.
    let country = readings
        .iter()
        .any(|c| c.primary && matches!(c.entry, Entry::Country(_)));
    demonym && !country
}

/// The longest knowledge-base name expected, in bytes; bounds window searches.
const MAX_NAME_BYTES: u32 = 256;

/// The knowledge-base spans (sorted by start) that could start in or overlap the byte
/// range `lo..hi`: a window found by binary search, so that looking around one mention
/// costs the same in a short article and in a huge one.
pub(crate) fn near<'a, 'kb>(
    kb_spans: &'a [KbSpan<'kb>],
    lo: usize,
    hi: usize,
) -> &'a [KbSpan<'kb>] {
    let lo = u32::try_from(lo)
        .unwrap_or(u32::MAX)
        .saturating_sub(MAX_NAME_BYTES);
    let hi = u32::try_from(hi).unwrap_or(u32::MAX);
    let a = kb_spans.partition_point(|k| k.span.start < lo);
    let b = kb_spans.partition_point(|k| k.span.start <= hi);
    &kb_spans[a..b.max(a)]
}

/// A set of byte ranges kept as disjoint merged intervals: inserting and asking whether
/// a span overlaps the set are both logarithmic.
#[derive(Debug, Clone, Default)]
pub struct SpanSet {
    intervals: std::collections::BTreeMap<u32, u32>,
}

impl SpanSet {
    /// Adds a span (empty spans are ignored).
    pub fn insert(&mut self, span: Span) {
        if span.is_empty() {
            return;
        }
        let (mut start, mut end) = (span.start, span.end);
        if let Some((&s, &e)) = self.intervals.range(..=start).next_back() {
            if e >= start {
                start = s;
                end = end.max(e);
            }
        }
        let absorbed: Vec<u32> = self.intervals.range(start..=end).map(|(&s, _)| s).collect();
        for s in absorbed {
            if let Some(e) = self.intervals.remove(&s) {
                end = end.max(e);
            }
        }
        self.intervals.insert(start, end);
    }

    /// True when `span` shares at least one byte with the set.
    pub fn overlaps(&self, span: Span) -> bool {
        !span.is_empty()
            && self
                .intervals
                .range(..span.end)
                .next_back()
                .is_some_and(|(_, &e)| e > span.start)
    }
}

/// The byte just after the character that starts at `i` (for "the word after this
/// separator" when the separator may be a multi-byte mark like `“`).
pub(crate) fn after_char(text: &str, i: usize) -> usize {
    i + walk::after(text, i)
        .chars()
        .next()
        .map_or(1, char::len_utf8)
}

/// Everything the resolve stage produces.
#[derive(Debug, Clone, Default)]
pub struct Resolved {
    /// People, organisations and acting countries with their mentions.
    pub entities: Entities,
    /// Places with coordinates where the knowledge base knows them.
    pub places: Vec<PlaceInfo>,
    /// Names that sign the article or its pictures (kept out of `entities`).
    pub signatures: Vec<credits::Signature>,
}

/// Runs the resolve stage over a document.
pub fn resolve(doc: &DocView, names: &[TaggedName], kb: &Kb) -> Resolved {
    resolve_matched(doc, names, kb, kb.find_in(doc.text))
}

/// Like [`resolve`] with the document's knowledge-base matches (`kb.find_in(doc.text)`)
/// already computed.
pub fn resolve_matched<'kb>(
    doc: &DocView,
    names: &[TaggedName],
    kb: &'kb Kb,
    matches: Vec<KbMatch<'kb>>,
) -> Resolved {
    // Names inside web and e-mail addresses ("duffie@Stanford.EDU") are no mentions.
    let mut matches = matches;
    let addresses = ["://", "@", "www."].iter().any(|a| doc.text.contains(a));
    if addresses {
        matches.retain(|m| !walk::in_web_address(doc.text, Span::new(m.span.start, m.span.end)));
    }
    let kept: Vec<TaggedName>;
    let names = if addresses && names.iter().any(|n| walk::in_web_address(doc.text, n.span)) {
        kept = names
            .iter()
            .filter(|n| !walk::in_web_address(doc.text, n.span))
            .cloned()
            .collect();
        &kept[..]
    } else {
        names
    };
    let mut kb_spans = readings(matches);
    adjectives_before_nouns(doc.text, &mut kb_spans);
    let signatures = credits::find_signatures(doc.text, names);
    let mut built = entities::build(
        doc,
        names,
        &kb_spans,
        kb,
        figures::Figures::embedded(),
        &signatures,
    );
    // A signature's name is nobody's place either ("Linda" on the last line).
    for s in &signatures {
        built.claimed.insert(s.span);
    }
    let places = places::build(doc, names, &kb_spans, &built.claimed, kb);
    Resolved {
        entities: built.entities,
        places,
        signatures,
    }
}
