//! The quotes stage's word lists: speech cues and channels (from `data/lexicon/*.tsv`,
//! compiled in) and a small built-in list of role nouns and pronouns.
//!
//! Lookups take a token's text and never allocate: words are lowercased into a stack
//! buffer before they are looked up.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};
use std::sync::OnceLock;

use crate::model::Gender;

const SPEECH_CUES: &str = include_str!("../../../../../data/lexicon/speech_cues.tsv");
const CHANNELS: &str = include_str!("../../../../../data/lexicon/channels.tsv");

/// Which kinds of quotation a cue introduces.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Takes {
    /// Only quotations in marks (and quoted fragments).
    Direct,
    /// Only reported speech.
    Indirect,
    /// Both.
    Both,
}

/// One speech cue.
#[derive(Debug, Clone)]
pub(super) struct Cue {
    /// The words after the first one (for phrases such as "according to").
    pub rest: Vec<String>,
    /// `say`, `tell`, `according`, `warn`, …
    pub kind: String,
    /// What it introduces.
    pub takes: Takes,
}

impl Cue {
    /// True when reported speech may follow without "that" ("X said the talks failed").
    pub fn bare_content(&self) -> bool {
        matches!(self.kind.as_str(), "say" | "tell" | "according")
    }

    /// True when the cue is followed by its addressee ("told Parliament").
    pub fn has_object(&self) -> bool {
        self.kind == "tell"
    }

    /// Number of words in the cue.
    pub fn len(&self) -> usize {
        1 + self.rest.len()
    }
}

/// How a channel phrase attaches to a statement.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum ChannelContext {
    /// "in a statement", "at a press conference".
    Setting,
    /// "on Telegram".
    Platform,
    /// "told Parliament".
    Audience,
}

/// One channel phrase.
#[derive(Debug, Clone)]
pub(super) struct Channel {
    /// The words after the first one.
    pub rest: Vec<String>,
    /// Match case-sensitively (the phrase has an uppercase letter, e.g. "X").
    pub exact: Option<String>,
    /// The label reported.
    pub label: String,
    /// How it attaches.
    pub context: ChannelContext,
    /// Append a following "with …" phrase.
    pub extend_with: bool,
}

impl Channel {
    /// Number of words in the phrase.
    pub fn len(&self) -> usize {
        1 + self.rest.len()
    }
}

/// FNV-1a: the keys are short words looked up once per token, where SipHash's
/// start-up cost dominates; the keys are our own data, so flooding is no concern.
#[derive(Debug, Default)]
pub(super) struct Fnv(u64);

impl Hasher for Fnv {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        let mut h = if self.0 == 0 {
            0xcbf2_9ce4_8422_2325
        } else {
            self.0
        };
        for &b in bytes {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
        self.0 = h;
    }
}

/// A map keyed by lowercase words.
pub(super) type WordMap<V> = HashMap<String, V, BuildHasherDefault<Fnv>>;

/// The parsed lists.
#[derive(Debug, Default)]
pub(super) struct Lexicon {
    /// Cues by first word (lowercase); longer phrases first.
    pub cues: WordMap<Vec<Cue>>,
    /// Channels by first word (lowercase); longer phrases first.
    pub channels: WordMap<Vec<Channel>>,
}

/// The lexicon, parsed once.
pub(super) fn lexicon() -> &'static Lexicon {
    static LEX: OnceLock<Lexicon> = OnceLock::new();
    LEX.get_or_init(|| Lexicon::parse(SPEECH_CUES, CHANNELS))
}

/// Data rows of a TSV file: not blank, not a comment, not the header.
fn rows(tsv: &str) -> impl Iterator<Item = Vec<&str>> {
    tsv.lines()
        .map(str::trim_end)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .skip(1)
        .map(|l| l.split('\t').map(str::trim).collect())
}

impl Lexicon {
    /// Parses the two lists; malformed rows are skipped (the tests check there are none).
    pub fn parse(cues_tsv: &str, channels_tsv: &str) -> Lexicon {
        let mut lex = Lexicon::default();
        for cols in rows(cues_tsv) {
            let [phrase, _lemma, kind, takes] = cols[..] else {
                continue;
            };
            let takes = match takes {
                "direct" => Takes::Direct,
                "indirect" => Takes::Indirect,
                "both" => Takes::Both,
                _ => continue,
            };
            let mut words = phrase.split_whitespace().map(str::to_lowercase);
            let Some(first) = words.next() else { continue };
            let cue = Cue {
                rest: words.collect(),
                kind: kind.to_owned(),
                takes,
            };
            lex.cues.entry(first).or_default().push(cue);
        }
        for list in lex.cues.values_mut() {
            list.sort_by_key(|c| std::cmp::Reverse(c.rest.len()));
        }
        for cols in rows(channels_tsv) {
            let [phrase, label, context, extend] = cols[..] else {
                continue;
            };
            let context = match context {
                "setting" => ChannelContext::Setting,
                "platform" => ChannelContext::Platform,
                "audience" => ChannelContext::Audience,
                _ => continue,
            };
            let exact = phrase
                .chars()
                .any(char::is_uppercase)
                .then(|| phrase.to_owned());
            let mut words = phrase.split_whitespace().map(str::to_lowercase);
            let Some(first) = words.next() else { continue };
            let channel = Channel {
                rest: words.collect(),
                exact,
                label: label.to_owned(),
                context,
                extend_with: extend == "with",
            };
            lex.channels.entry(first).or_default().push(channel);
        }
        for list in lex.channels.values_mut() {
            list.sort_by_key(|c| std::cmp::Reverse(c.rest.len()));
        }
        lex
    }
}

/// Lowercases an ASCII-ish word into `buf` and returns it; `None` when it is too long
/// or not ASCII (no cue, pronoun or role noun is).
pub(super) fn lower<'b>(word: &str, buf: &'b mut [u8; 32]) -> Option<&'b str> {
    let bytes = word.as_bytes();
    if bytes.len() > buf.len() || !word.is_ascii() {
        return None;
    }
    let out = &mut buf[..bytes.len()];
    // Copied and lower-cased in one loop: a call to `memcpy` for a dozen bytes cost
    // more than the copy (this runs for most tokens, several times).
    for (d, &b) in out.iter_mut().zip(bytes) {
        *d = b.to_ascii_lowercase();
    }
    std::str::from_utf8(out).ok()
}

/// A personal pronoun that can be a speaker.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Pronoun {
    /// "he"
    He,
    /// "she"
    She,
    /// "they"
    They,
    /// "it" (an organisation or a state: "It said the strikes would go on")
    It,
}

impl Pronoun {
    /// The subject pronoun spelled by `word`, if any.
    pub fn parse(word: &str) -> Option<Pronoun> {
        let mut buf = [0u8; 32];
        match lower(word, &mut buf)? {
            "he" => Some(Pronoun::He),
            "she" => Some(Pronoun::She),
            "they" => Some(Pronoun::They),
            "it" => Some(Pronoun::It),
            _ => None,
        }
    }

    /// Its gender, for persons.
    pub fn gender(self) -> Option<Gender> {
        match self {
            Pronoun::He => Some(Gender::Male),
            Pronoun::She => Some(Gender::Female),
            Pronoun::They | Pronoun::It => None,
        }
    }
}

/// A role noun: the word, what a matching title contains, and a gender hint.
/// An empty title key means a generic role ("official") that no title confirms.
const ROLES: &[(&str, &[&str], Option<Gender>)] = &[
    ("minister", &["minister"], None),
    ("secretary", &["secretary"], None),
    ("spokesman", &["spokes"], Some(Gender::Male)),
    ("spokeswoman", &["spokes"], Some(Gender::Female)),
    ("spokesperson", &["spokes"], None),
    ("president", &["president"], None),
    ("premier", &["premier", "prime minister"], None),
    (
        "leader",
        &[
            "president",
            "prime minister",
            "leader",
            "chancellor",
            "premier",
        ],
        None,
    ),
    ("chancellor", &["chancellor"], None),
    ("envoy", &["envoy"], None),
    ("ambassador", &["ambassador"], None),
    ("adviser", &["advis"], None),
    ("advisor", &["advis"], None),
    ("commander", &["commander", "general", "chief"], None),
    ("general", &["general"], None),
    ("governor", &["governor"], None),
    ("mayor", &["mayor"], None),
    ("negotiator", &["negotiator"], None),
    ("diplomat", &["diplomat", "ambassador", "envoy"], None),
    ("chief", &["chief", "head"], None),
    ("official", &[], None),
    ("aide", &[], None),
    ("source", &[], None),
    ("analyst", &[], None),
    ("expert", &[], None),
    ("observer", &[], None),
    ("witness", &[], None),
    ("resident", &[], None),
    ("medic", &[], None),
    ("doctor", &[], None),
    ("activist", &[], None),
];

/// Plural people nouns: unnamed speakers ("officials said", "analysts say").
const PLURAL_PEOPLE: &[&str] = &[
    "officials",
    "aides",
    "sources",
    "analysts",
    "experts",
    "observers",
    "witnesses",
    "residents",
    "medics",
    "doctors",
    "activists",
    "diplomats",
    "villagers",
    "survivors",
    "rescuers",
    "commanders",
    "spokespeople",
    "spokespersons",
    "critics",
    "locals",
    "mediators",
    "negotiators",
    "authorities",
    "police",
    "paramedics",
    "eyewitnesses",
    "relatives",
    "staff",
    "lawmakers",
    // Unnamed outlets: "state media reported", "local media and residents said".
    "media",
    "reports",
];

/// A recognised role noun.
#[derive(Debug, Clone, Copy)]
pub(super) struct Role {
    /// Substrings (lowercase) of a title that confirm the role; empty for generic roles.
    pub title_keys: &'static [&'static str],
    /// Gender hint.
    pub gender: Option<Gender>,
    /// A plural people noun ("officials"): never one named person.
    pub plural: bool,
}

impl Role {
    /// The role noun spelled by `word`, if any.
    pub fn parse(word: &str) -> Option<Role> {
        let mut buf = [0u8; 32];
        let w = lower(word, &mut buf)?;
        if PLURAL_PEOPLE.contains(&w) {
            return Some(Role {
                title_keys: &[],
                gender: None,
                plural: true,
            });
        }
        ROLES
            .iter()
            .find(|(noun, _, _)| *noun == w)
            .map(|&(_, title_keys, gender)| Role {
                title_keys,
                gender,
                plural: false,
            })
    }

    /// True for a role no title confirms ("official", "analysts"): an unnamed speaker.
    pub fn is_generic(&self) -> bool {
        self.title_keys.is_empty()
    }
}

/// True for a role noun, singular or plural ("minister", "officials").
pub(super) fn is_role_noun(word: &str) -> bool {
    Role::parse(word).is_some()
}

/// An organisation head noun ("the ministry", "the U.S. military", "the paramilitary
/// group"): the word, and what the name of an organisation it refers to contains
/// (lowercase); an empty list accepts any organisation.
const ORG_NOUNS: &[(&str, &[&str])] = &[
    ("ministry", &["ministry", "department"]),
    ("department", &["department", "ministry"]),
    ("command", &["command"]),
    ("office", &["office"]),
    ("agency", &["agency", "service", "operations"]),
    ("service", &["service"]),
    (
        "military",
        &[
            "military",
            "army",
            "armed forces",
            "defence forces",
            "defense forces",
            "command",
        ],
    ),
    ("army", &["army", "armed forces", "military"]),
    ("forces", &["forces", "army", "military"]),
    ("force", &["force"]),
    ("navy", &["navy"]),
    ("police", &["police"]),
    ("government", &["government", "cabinet"]),
    ("administration", &["administration"]),
    ("embassy", &["embassy"]),
    ("council", &["council"]),
    ("committee", &["committee"]),
    ("mission", &["mission"]),
    ("authority", &["authority"]),
    ("group", &[]),
    ("movement", &[]),
    ("militia", &[]),
    ("organisation", &[]),
    ("organization", &[]),
    ("rebels", &[]),
];

/// An organisation head noun: what a matching organisation's name contains.
#[derive(Debug, Clone, Copy)]
pub(super) struct OrgNoun {
    /// Lowercase substrings of a matching name; empty for any organisation.
    pub name_keys: &'static [&'static str],
}

impl OrgNoun {
    /// The organisation noun spelled by `word`, if any.
    pub fn parse(word: &str) -> Option<OrgNoun> {
        let mut buf = [0u8; 32];
        let w = lower(word, &mut buf)?;
        ORG_NOUNS
            .iter()
            .find(|(noun, _)| *noun == w)
            .map(|&(_, name_keys)| OrgNoun { name_keys })
    }
}

/// True for "statement" and its kin: a document standing for whoever issued it
/// ("the statement said").
pub(super) fn is_statement_noun(word: &str) -> bool {
    let mut buf = [0u8; 32];
    matches!(
        lower(word, &mut buf),
        Some("statement" | "communique" | "communiqué" | "release")
    )
}

/// Words that open a noun's post-modifier ("residents of the villages", "an official
/// familiar with the talks", "a spokesman for the command").
pub(super) fn opens_postmodifier(word: &str) -> bool {
    let mut buf = [0u8; 32];
    matches!(
        lower(word, &mut buf),
        Some(
            "of" | "for"
                | "from"
                | "in"
                | "near"
                | "at"
                | "with"
                | "familiar"
                | "briefed"
                | "close"
                | "based"
                | "involved"
        )
    )
}

/// Auxiliaries, modals and copulas: the marks of a finite clause. A stretch of words
/// without one is taken for a noun phrase (an appositive, a post-modifier).
pub(super) fn is_auxiliary(word: &str) -> bool {
    let mut buf = [0u8; 32];
    matches!(
        lower(word, &mut buf),
        Some(
            "is" | "are"
                | "was"
                | "were"
                | "be"
                | "been"
                | "being"
                | "has"
                | "have"
                | "had"
                | "will"
                | "would"
                | "could"
                | "can"
                | "may"
                | "might"
                | "must"
                | "should"
                | "shall"
                | "did"
                | "does"
                | "do"
                | "remains"
                | "remained"
        )
    )
}

/// Words that negate or withhold a speech act before its cue ("did not say", "declined
/// to say", "without saying").
pub(super) fn is_negation(word: &str) -> bool {
    let mut buf = [0u8; 32];
    word.ends_with("n’t")
        || word.ends_with("n't")
        || matches!(
            lower(word, &mut buf),
            Some("not" | "never" | "without" | "declined" | "refused" | "nor")
        )
}

/// Words that make a cue passive ("was told", "is said to"): the subject is no speaker.
pub(super) fn is_passive_marker(word: &str) -> bool {
    let mut buf = [0u8; 32];
    matches!(
        lower(word, &mut buf),
        Some("was" | "were" | "been" | "being" | "is" | "are" | "be")
    )
}

/// True for an article or possessive determiner that can open a role noun phrase.
pub(super) fn is_determiner(word: &str) -> bool {
    let mut buf = [0u8; 32];
    matches!(
        lower(word, &mut buf),
        Some("the" | "a" | "an" | "his" | "her" | "its" | "their" | "one" | "another")
    )
}

/// True for an indefinite determiner ("a senior official": no one in particular).
pub(super) fn is_indefinite(word: &str) -> bool {
    let mut buf = [0u8; 32];
    matches!(lower(word, &mut buf), Some("a" | "an" | "one" | "another"))
}

/// Words that may stand between a subject and its cue verb ("Healey also said",
/// "Peskov has repeatedly denied").
pub(super) fn is_skippable_before_cue(word: &str) -> bool {
    let mut buf = [0u8; 32];
    matches!(
        lower(word, &mut buf),
        Some(
            "also"
                | "later"
                | "again"
                | "then"
                | "has"
                | "had"
                | "have"
                | "was"
                | "is"
                | "previously"
                | "earlier"
                | "reportedly"
                | "repeatedly"
                | "firmly"
                | "flatly"
                | "publicly"
                | "privately"
                | "separately"
                | "strongly"
                | "categorically"
                | "quickly"
                | "swiftly"
                | "immediately"
                | "once"
                | "subsequently"
                | "further"
                | "recently"
                | "angrily"
                | "bluntly"
                | "openly"
                | "explicitly"
                | "herself"
                | "himself"
                | "themselves"
                | "itself"
                | "would"
                | "will"
                | "did"
                | "does"
                | "not"
                | "never"
                | "just"
        )
    )
}

/// Words that open a fronted adverbial phrase ("Despite …, X said").
pub(super) fn is_fronting_word(word: &str) -> bool {
    let mut buf = [0u8; 32];
    matches!(
        lower(word, &mut buf),
        Some(
            "despite"
                | "after"
                | "before"
                | "while"
                | "although"
                | "though"
                | "as"
                | "when"
                | "since"
                | "following"
                | "amid"
                | "in"
                | "on"
                | "at"
                | "during"
                | "with"
                | "however"
                | "meanwhile"
                | "speaking"
                | "asked"
                | "writing"
                | "earlier"
                | "later"
                | "separately"
                | "instead"
                | "but"
                | "and"
                | "yet"
                | "still"
                | "nevertheless"
                | "by"
                | "for"
                | "from"
                | "under"
                | "over"
                | "if"
        )
    )
}

/// Prepositions that introduce a setting or platform phrase.
pub(super) fn channel_preposition(word: &str) -> Option<ChannelContext> {
    let mut buf = [0u8; 32];
    match lower(word, &mut buf)? {
        "in" | "at" | "during" | "after" | "before" | "through" => Some(ChannelContext::Setting),
        "on" | "via" => Some(ChannelContext::Platform),
        "told" | "tells" | "tell" | "telling" | "addressed" | "briefed" | "informed"
        | "assured" | "to" => Some(ChannelContext::Audience),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn data_rows(tsv: &str) -> Vec<Vec<&str>> {
        rows(tsv).collect()
    }

    #[test]
    fn every_cue_row_parses() {
        let rows = data_rows(SPEECH_CUES);
        assert!(rows.len() > 50);
        for r in &rows {
            assert_eq!(r.len(), 4, "row {r:?}");
            assert!(["direct", "indirect", "both"].contains(&r[3]), "row {r:?}");
            assert_eq!(r[0], r[0].to_lowercase(), "cues are lowercase: {r:?}");
        }
        let lex = lexicon();
        let n: usize = lex.cues.values().map(Vec::len).sum();
        assert_eq!(n, rows.len());
        assert_eq!(lex.cues["according"][0].rest, ["to"]);
    }

    #[test]
    fn every_channel_row_parses() {
        let rows = data_rows(CHANNELS);
        for r in &rows {
            assert_eq!(r.len(), 4, "row {r:?}");
            assert!(
                ["setting", "platform", "audience"].contains(&r[2]),
                "row {r:?}"
            );
            assert!(["with", "-"].contains(&r[3]), "row {r:?}");
        }
        let lex = lexicon();
        let n: usize = lex.channels.values().map(Vec::len).sum();
        assert_eq!(n, rows.len());
        assert!(lex.channels["x"]
            .iter()
            .any(|c| c.exact.as_deref() == Some("X")));
    }

    #[test]
    fn words_are_recognised_without_case() {
        assert_eq!(Pronoun::parse("He"), Some(Pronoun::He));
        assert_eq!(Pronoun::parse("them"), None);
        assert_eq!(
            Role::parse("Spokeswoman").map(|r| r.gender),
            Some(Some(Gender::Female))
        );
        assert!(Role::parse("Київ").is_none());
        assert!(lower(&"x".repeat(40), &mut [0; 32]).is_none());
    }
}
