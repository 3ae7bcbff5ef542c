//! The gazetteer matcher: [`Kb::find_in`] walks the name automaton token by token
//! through a text and reports the longest KB name at each token, subject to the
//! case and evidence rules described in the crate docs.

use std::collections::HashSet;
use std::ops::Range;

use fst::raw::Output;

use crate::fold::{fold_token, Tokens};
use crate::format::{flag, kind, posting_flags, posting_kind};
use crate::types::{Candidate, CountryCode, Entry, PlaceKind};
use crate::Kb;

/// The longest name we try to match, in tokens.
const MAX_TOKENS: usize = 10;

/// Places that need evidence are accepted on document context alone only from
/// this population up (a big "Nice" in a text about France, not a hamlet).
const CONTEXT_EVIDENCE_POPULATION: u64 = 100_000;

/// Lower-case words that may join the capitalised words of a name.
const CONNECTORS: &[&str] = &[
    "a", "al", "am", "an", "and", "au", "aux", "bin", "da", "das", "de", "del", "della", "den",
    "der", "des", "di", "do", "dos", "du", "e", "el", "en", "et", "ibn", "im", "la", "le", "les",
    "of", "on", "sur", "ter", "the", "upon", "van", "von", "y", "for", "to",
];

/// Lower-case head nouns that may end a multi-word place name ("Kherson region").
const HEAD_NOUNS: &[&str] = &[
    "region",
    "province",
    "oblast",
    "governorate",
    "district",
    "state",
    "city",
    "county",
    "strip",
    "peninsula",
    "republic",
    "sea",
    "corridor",
    "crossing",
    "heights",
    "spit",
    "valley",
    "river",
];

/// Words before a name that make it a place ("in Nice").
const LOCATIVES: &[&str] = &[
    "in", "near", "from", "to", "at", "into", "outside", "around", "across", "towards", "toward",
    "via", "through", "inside", "within", "between", "over", "entered", "captured", "seized",
    "reached", "visited", "struck", "hit", "shelled",
];

/// Nouns that, followed by "of", introduce a place ("the city of Reading", "the outskirts
/// of Reading"); so do the [`COMPASS_POINTS`] ("south of Mocha").
const PLACE_NOUNS: &[&str] = &[
    "city",
    "town",
    "village",
    "region",
    "province",
    "port",
    "capital",
    "state",
    "county",
    "outskirts",
];

/// Compass points, lower case: followed by "of" they place what follows ("south of
/// Mocha", "east of Khan Younis"). Shared with the engine's location words.
pub const COMPASS_POINTS: &[&str] = &[
    "north",
    "south",
    "east",
    "west",
    "northeast",
    "northwest",
    "southeast",
    "southwest",
    "north-east",
    "north-west",
    "south-east",
    "south-west",
];

/// Capitalised words that may stand before a place name without making it a
/// surname ("East Jerusalem", "In Kherson").
const NOT_GIVEN_NAMES: &[&str] = &[
    "the",
    "a",
    "an",
    "in",
    "on",
    "at",
    "by",
    "for",
    "from",
    "to",
    "of",
    "and",
    "but",
    "or",
    "as",
    "near",
    "after",
    "before",
    "when",
    "while",
    "with",
    "without",
    "since",
    "until",
    "during",
    "across",
    "into",
    "outside",
    "around",
    "towards",
    "toward",
    "via",
    "through",
    "inside",
    "within",
    "between",
    "over",
    "if",
    "that",
    "this",
    "both",
    "like",
    "north",
    "south",
    "east",
    "west",
    "northern",
    "southern",
    "eastern",
    "western",
    "central",
    "upper",
    "lower",
    "greater",
    "occupied",
    "old",
    "new",
    "downtown",
    "rural",
    "liberated",
    "besieged",
    "why",
    "where",
    "how",
];

/// Verbs after a one-word name that make it a speaker, not a place ("Healey said").
const SPEECH_VERBS: &[&str] = &[
    "said",
    "says",
    "told",
    "added",
    "warned",
    "wrote",
    "argued",
    "insisted",
    "claimed",
    "stated",
    "replied",
    "noted",
    "asked",
    "announced",
];

/// What kinds of entry a match covers (see [`KbMatch::has`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum MatchKind {
    /// A place.
    Place,
    /// A country.
    Country,
    /// An organisation.
    Org,
    /// A title or role.
    Title,
    /// A demonym or country adjective.
    Demonym,
    /// A metonym for a government.
    Metonym,
    /// A name variant.
    Variant,
}

/// A KB name found in a text.
#[derive(Clone, Debug, PartialEq)]
pub struct KbMatch<'a> {
    /// Byte range of the name in the text (without a possessive `'s`).
    pub span: Range<usize>,
    /// The readings that passed the case and evidence rules, in KB order.
    pub candidates: Vec<Candidate<'a>>,
    /// The name is followed by a possessive `'s` (`Russia's`).
    pub possessive: bool,
    /// The name starts a sentence (so its capital letter proves nothing).
    pub sentence_initial: bool,
}

impl<'a> KbMatch<'a> {
    /// Whether any candidate is of this kind.
    pub fn has(&self, k: MatchKind) -> bool {
        self.candidates.iter().any(|c| kind_of(c) == k)
    }

    /// The kinds of the candidates, without repeats.
    pub fn kinds(&self) -> Vec<MatchKind> {
        let mut out = Vec::new();
        for c in &self.candidates {
            let k = kind_of(c);
            if !out.contains(&k) {
                out.push(k);
            }
        }
        out
    }

    /// The titles matched (for "Foreign Secretary", "spokesman").
    pub fn titles(&self) -> impl Iterator<Item = &'a crate::Title> + '_ {
        self.candidates.iter().filter_map(|c| match c.entry {
            Entry::Title(t) => Some(t),
            _ => None,
        })
    }

    /// The country the match stands for when it is a country name, demonym or
    /// metonym (not a mere place in that country).
    pub fn country(&self) -> Option<CountryCode> {
        self.candidates.iter().find_map(|c| match &c.entry {
            Entry::Country(k) => Some(k.code),
            Entry::Demonym { country, .. } => Some(country.code),
            Entry::Metonym(m) => Some(m.country),
            _ => None,
        })
    }
}

fn kind_of(c: &Candidate) -> MatchKind {
    match c.entry {
        Entry::Place(_) => MatchKind::Place,
        Entry::Country(_) => MatchKind::Country,
        Entry::Org(_) => MatchKind::Org,
        Entry::Title(_) => MatchKind::Title,
        Entry::Demonym { .. } => MatchKind::Demonym,
        Entry::Metonym(_) => MatchKind::Metonym,
        Entry::Variant(_) => MatchKind::Variant,
    }
}

struct Tk {
    start: usize,
    end: usize,
    fold: Range<usize>,
    cap: bool,
    upper: bool,
    initial: bool,
    /// May be joined to the previous token inside one name.
    joins_prev: bool,
}

/// A match before the document-level evidence check.
struct Pending<'a> {
    m: KbMatch<'a>,
    /// Per candidate: needs document context to stay.
    needs_context: Vec<bool>,
}

impl Kb {
    /// Find KB names in a text (a sentence or a whole document): places,
    /// countries, demonyms, organisations, titles, metonyms and name variants, each
    /// with its byte span. At each token the longest name that passes the rules
    /// wins and matches do not overlap:
    ///
    /// * names match when capitalised (first and last word; lower-case connectors
    ///   like "of", "al" may sit between, and a head noun like "region" may end a
    ///   longer name); all-caps text counts as capitalised;
    /// * acronyms that are short or English words ("US", "AP", "WHO") match only in
    ///   capitals; titles also match in lower case, except ranks and other titles
    ///   that are ordinary words ("General"), which need a name after them;
    /// * a place name that is an ordinary word ("Nice", "Mobile", "Chad") needs
    ///   evidence: not sentence-initial, and a locative word before it ("in"), a
    ///   ", Country" after it, or the document naming its country elsewhere;
    /// * a place right after a title is a surname, not a place ("Gen. Kellogg").
    pub fn find_in(&self, text: &str) -> Vec<KbMatch<'_>> {
        let mut folded = String::with_capacity(text.len());
        let toks = tokenize(text, &mut folded);
        let fb = folded.as_bytes();
        let fst = self.names_fst();
        let mut pend: Vec<Pending<'_>> = Vec::new();
        let mut i = 0;
        let mut ends: Vec<(usize, u64)> = Vec::with_capacity(4);
        let mut first_steps = FirstSteps::for_kb(self);
        while i < toks.len() {
            let t = &toks[i];
            let ftok = &fb[t.fold.clone()];
            if !t.cap && !self.lower_start(ftok) {
                i += 1;
                continue;
            }
            // walk the automaton over tokens i, i+1, … joined by one space; the step
            // over the first token comes from the per-thread memo when it can
            ends.clear();
            let Some(step) = first_steps.step(fst, ftok) else {
                i += 1;
                continue;
            };
            if step.final_value != NONE {
                ends.push((i, step.final_value));
            }
            let continues = toks.get(i + 1).is_some_and(|t| t.joins_prev);
            if step.space_addr != NONE as usize && continues {
                let mut node = fst.node(step.space_addr);
                let mut out = Output::new(step.space_out);
                'walk: for (j, tj) in toks.iter().enumerate().skip(i + 1).take(MAX_TOKENS - 1) {
                    if !tj.joins_prev {
                        break;
                    }
                    if j > i + 1 {
                        match node.find_input(b' ') {
                            Some(k) => {
                                let tr = node.transition(k);
                                out = out.cat(tr.out);
                                node = fst.node(tr.addr);
                            }
                            None => break,
                        }
                    }
                    for &b in &fb[tj.fold.clone()] {
                        match node.find_input(b) {
                            Some(k) => {
                                let tr = node.transition(k);
                                out = out.cat(tr.out);
                                node = fst.node(tr.addr);
                            }
                            None => break 'walk,
                        }
                    }
                    if node.is_final() {
                        ends.push((j, out.cat(node.final_output()).value()));
                    }
                }
            }
            let mut advanced = false;
            for &(j, value) in ends.iter().rev() {
                if let Some(mut m) = self.accept(text, &toks, i, j, value, pend.last()) {
                    let mut next = j + 1;
                    if let Some(s) = toks.get(j + 1) {
                        let gap = &text[toks[j].end..s.start];
                        let stext = &text[s.start..s.end];
                        if (stext == "s" || stext == "S")
                            && gap.chars().count() == 1
                            && gap.chars().all(crate::fold::is_apostrophe)
                        {
                            m.m.possessive = true;
                            next = j + 2;
                        }
                    }
                    pend.push(m);
                    i = next;
                    advanced = true;
                    break;
                }
            }
            if !advanced {
                i += 1;
            }
        }
        // document context: countries named without doubt
        let mut doc: HashSet<CountryCode> = HashSet::new();
        for p in &pend {
            for (c, need) in p.m.candidates.iter().zip(&p.needs_context) {
                if *need {
                    continue;
                }
                match &c.entry {
                    Entry::Country(k) => {
                        doc.insert(k.code);
                    }
                    Entry::Demonym { country, .. } => {
                        doc.insert(country.code);
                    }
                    Entry::Metonym(m) => {
                        doc.insert(m.country);
                    }
                    _ => {}
                }
            }
            // a place name whose readings all lie in one country
            let mut cc = p.m.candidates.iter().filter_map(|c| match &c.entry {
                Entry::Place(pl) => Some(pl.country),
                _ => None,
            });
            if let Some(Some(code)) = cc.next() {
                if cc.all(|x| x == Some(code)) {
                    doc.insert(code);
                }
            }
        }
        let mut out = Vec::with_capacity(pend.len());
        for p in pend {
            let Pending {
                mut m,
                needs_context,
            } = p;
            if needs_context.iter().any(|&b| b) {
                let keep: Vec<bool> = m
                    .candidates
                    .iter()
                    .zip(&needs_context)
                    .map(|(c, &need)| {
                        !need
                            || match &c.entry {
                                Entry::Country(k) => doc.contains(&k.code),
                                Entry::Place(pl) => {
                                    pl.population >= CONTEXT_EVIDENCE_POPULATION
                                        && pl.country.is_some_and(|cc| doc.contains(&cc))
                                }
                                _ => false,
                            }
                    })
                    .collect();
                let mut k = keep.iter();
                m.candidates.retain(|_| *k.next().unwrap_or(&false));
                if m.candidates.is_empty() {
                    continue;
                }
            }
            out.push(m);
        }
        out
    }

    /// Decide whether tokens `i..=j` with map value `value` make a match.
    fn accept<'k>(
        &'k self,
        text: &str,
        toks: &[Tk],
        i: usize,
        j: usize,
        value: u64,
        prev: Option<&Pending<'k>>,
    ) -> Option<Pending<'k>> {
        let span = &toks[i..=j];
        let first = &span[0];
        let last = &span[span.len() - 1];
        let name_cased = first.cap
            && (span.len() == 1 || {
                let word = |t: &Tk| &text[t.start..t.end];
                let mid_ok = span[1..span.len() - 1]
                    .iter()
                    .all(|t| t.cap || CONNECTORS.contains(&word(t).to_ascii_lowercase().as_str()));
                let last_ok =
                    last.cap || HEAD_NOUNS.contains(&word(last).to_ascii_lowercase().as_str());
                mid_ok && last_ok
            });
        let all_upper = span.iter().all(|t| t.upper);
        // A short word in capitals amid ordinary text is an acronym ("a DBS check",
        // "the TNA"), not a town that happens to share its letters.
        let acronym_like = span.len() == 1
            && all_upper
            && first.end - first.start <= 4
            && [i.checked_sub(1), Some(j + 1)]
                .into_iter()
                .flatten()
                .filter_map(|n| toks.get(n))
                .any(|t| text[t.start..t.end].chars().any(char::is_lowercase));
        let next_cap = toks.get(j + 1).is_some_and(|t| t.cap && t.joins_prev);
        // right after a title match ("Gen. Kellogg"), a place reading is a surname
        let after_title = prev.is_some_and(|p| {
            p.m.span.end <= first.start
                && text[p.m.span.end..first.start].chars().all(|c| c == ' ')
                && !p.m.candidates.is_empty()
                && p.m
                    .candidates
                    .iter()
                    .all(|c| matches!(c.entry, Entry::Title(_)))
        });
        // after an unmatched capitalised word ("John Healey"), a one-word place
        // reading is a surname
        let after_given_name = span.len() == 1
            && i >= 1
            && first.joins_prev
            && prev.is_none_or(|p| p.m.span.end <= toks[i - 1].start)
            && {
                let g = &toks[i - 1];
                let w = &text[g.start..g.end];
                g.cap
                    && !g.upper
                    && text[g.end..first.start] == *" "
                    && !NOT_GIVEN_NAMES.iter().any(|n| n.eq_ignore_ascii_case(w))
            };
        let before_speech = span.len() == 1
            && toks.get(j + 1).is_some_and(|n| {
                text[last.end..n.start] == *" "
                    && SPEECH_VERBS
                        .iter()
                        .any(|v| v.eq_ignore_ascii_case(&text[n.start..n.end]))
            });
        let mut candidates = Vec::new();
        let mut needs_context = Vec::new();
        let postings = self.postings_of_value(value);
        let mut local_evidence: Option<bool> = None;
        for c in postings.chunks_exact(4) {
            let p = u32::from_le_bytes([c[0], c[1], c[2], c[3]]);
            let f = posting_flags(p);
            let k = posting_kind(p);
            let case_ok = if f & flag::ACRONYM != 0 {
                all_upper
            } else if f & flag::LOWER_OK != 0 {
                true
            } else if k == kind::TITLE {
                // a capitalised-only title that is one ordinary word needs a name after it
                name_cased && (span.len() > 1 || next_cap)
            } else {
                name_cased
            };
            if !case_ok {
                continue;
            }
            if k == kind::PLACE && (after_title || after_given_name || acronym_like) {
                continue;
            }
            let mut need = false;
            if f & flag::EVIDENCE != 0 && (k == kind::PLACE || k == kind::COUNTRY) {
                if first.initial {
                    continue;
                }
                let local =
                    *local_evidence.get_or_insert_with(|| self.local_evidence(text, toks, i, j));
                need = !local;
            }
            if let Some(cand) = self.candidate(p) {
                candidates.push(cand);
                needs_context.push(need);
            }
        }
        // beside an organisation, country, demonym or metonym reading, keep only
        // places that bear the name as their main name and are not small namesakes
        // ("Hamas" is not the alternate name of Hamm; "White House" not the town)
        if candidates.iter().any(|c| {
            matches!(
                c.entry,
                Entry::Org(_) | Entry::Country(_) | Entry::Demonym { .. } | Entry::Metonym(_)
            )
        }) {
            let pairs: Vec<(Candidate<'k>, bool)> =
                candidates.drain(..).zip(needs_context.drain(..)).collect();
            for (c, need) in pairs {
                let keep = match &c.entry {
                    Entry::Place(p) => c.primary && p.population >= CONTEXT_EVIDENCE_POPULATION,
                    _ => true,
                };
                if keep {
                    candidates.push(c);
                    needs_context.push(need);
                }
            }
        }
        // a one-word name read only as places, before "said": a speaker's surname
        if before_speech
            && candidates
                .iter()
                .all(|c| matches!(c.entry, Entry::Place(_)))
        {
            return None;
        }
        if candidates.is_empty() {
            return None;
        }
        Some(Pending {
            m: KbMatch {
                span: first.start..last.end,
                candidates,
                possessive: false,
                sentence_initial: first.initial,
            },
            needs_context,
        })
    }

    /// A locative word before tokens `i..=j` ("in Nice", "the city of Reading"), or
    /// ", Country/Region" after them.
    fn local_evidence(&self, text: &str, toks: &[Tk], i: usize, j: usize) -> bool {
        let word = |t: &Tk| text[t.start..t.end].to_ascii_lowercase();
        if i >= 1 {
            let p = &toks[i - 1];
            let w = word(p);
            if LOCATIVES.contains(&w.as_str()) {
                return true;
            }
            let noun = i >= 2 && {
                let n = word(&toks[i - 2]);
                PLACE_NOUNS.contains(&n.as_str()) || COMPASS_POINTS.contains(&n.as_str())
            };
            if w == "of" && noun {
                return true;
            }
        }
        if let Some(n) = toks.get(j + 1) {
            let gap = &text[toks[j].end..n.start];
            if gap.trim() == "," && n.cap {
                let mut key = String::new();
                fold_token(&text[n.start..n.end], &mut key);
                for extra in 0..2 {
                    if extra == 1 {
                        match toks.get(j + 2) {
                            Some(t2) if t2.joins_prev => {
                                key.push(' ');
                                fold_token(&text[t2.start..t2.end], &mut key);
                            }
                            _ => break,
                        }
                    }
                    for c in self.candidates_of(self.postings_of_key(key.as_bytes())) {
                        match c.entry {
                            Entry::Country(_) => return true,
                            Entry::Place(p) if p.kind == PlaceKind::Admin1 => return true,
                            _ => {}
                        }
                    }
                }
            }
        }
        false
    }
}

/// Slots of the per-thread memo of first steps (direct-mapped).
const FIRST_STEP_SLOTS: usize = 8192;

/// What the name automaton offers after the folded bytes of one token, walked from
/// its root: whether a name ends there (`final_value`, the map value) and where a
/// following space leads (`space_addr`, with the output so far), each [`NONE`] when
/// absent. Stored so that most tokens cost no read of the automaton at all: it is large,
/// and each node read is a likely cache miss.
#[derive(Clone, Copy)]
struct FirstStep {
    hash: u64,
    /// `false` when no name starts with the token.
    starts_name: bool,
    final_value: u64,
    space_addr: usize,
    space_out: u64,
}

/// "Absent" in [`FirstStep`]'s fields.
const NONE: u64 = u64::MAX;

const NO_STEP: FirstStep = FirstStep {
    hash: 0,
    starts_name: false,
    final_value: NONE,
    space_addr: NONE as usize,
    space_out: 0,
};

thread_local! {
    /// The memo of the last knowledge base used on this thread (by id): capitalised
    /// words repeat, and walking the automaton byte by byte from its wide root node is
    /// most of the matcher's time.
    static FIRST_STEPS: std::cell::RefCell<(u64, Vec<FirstStep>)> =
        const { std::cell::RefCell::new((0, Vec::new())) };
}

/// A borrowed memo for one `find_in` call, returned to the thread when dropped.
struct FirstSteps {
    kb: u64,
    slots: Vec<FirstStep>,
}

impl FirstSteps {
    fn for_kb(kb: &Kb) -> FirstSteps {
        let (owner, mut slots) = FIRST_STEPS.with(|m| std::mem::take(&mut *m.borrow_mut()));
        if owner != kb.id() || slots.len() != FIRST_STEP_SLOTS {
            slots.clear();
            slots.resize(FIRST_STEP_SLOTS, NO_STEP);
        }
        FirstSteps { kb: kb.id(), slots }
    }

    /// The step over `token` from the root, or `None` when no name starts with it.
    fn step(
        &mut self,
        fst: &fst::raw::Fst<std::borrow::Cow<'static, [u8]>>,
        token: &[u8],
    ) -> Option<FirstStep> {
        // FNV-1a: tokens are short, and this must cost less than the walk it saves
        let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
        for &b in token {
            hash = (hash ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3);
        }
        let hash = hash | 1;
        let slot = &mut self.slots[(hash >> 32) as usize & (FIRST_STEP_SLOTS - 1)];
        if slot.hash != hash {
            *slot = walk_token(fst, token, hash);
        }
        slot.starts_name.then_some(*slot)
    }
}

impl Drop for FirstSteps {
    fn drop(&mut self) {
        let slots = std::mem::take(&mut self.slots);
        let kb = self.kb;
        // During thread teardown the memo may be gone: then it is simply dropped.
        let _ = FIRST_STEPS.try_with(|m| *m.borrow_mut() = (kb, slots));
    }
}

/// Walks `token`'s bytes from the automaton's root.
fn walk_token(
    fst: &fst::raw::Fst<std::borrow::Cow<'static, [u8]>>,
    token: &[u8],
    hash: u64,
) -> FirstStep {
    let mut node = fst.root();
    let mut out = Output::zero();
    for &b in token {
        match node.find_input(b) {
            Some(k) => {
                let tr = node.transition(k);
                out = out.cat(tr.out);
                node = fst.node(tr.addr);
            }
            None => return FirstStep { hash, ..NO_STEP },
        }
    }
    let mut step = FirstStep {
        hash,
        starts_name: true,
        ..NO_STEP
    };
    if node.is_final() {
        step.final_value = out.cat(node.final_output()).value();
    }
    if let Some(k) = node.find_input(b' ') {
        let tr = node.transition(k);
        step.space_addr = tr.addr;
        step.space_out = out.cat(tr.out).value();
    }
    step
}

/// Tokenise `text`, appending each token's folded form to `folded`.
fn tokenize(text: &str, folded: &mut String) -> Vec<Tk> {
    let mut toks: Vec<Tk> = Vec::with_capacity(text.len() / 5);
    let mut prev_end = 0usize;
    let mut prev_len = 0usize;
    let mut prev_single_upper = false;
    for t in Tokens::new(text) {
        let s = &text[t.start..t.end];
        let fs = folded.len();
        let ascii = s.is_ascii();
        let (cap, upper) = if ascii {
            let b = s.as_bytes();
            if b.iter().all(u8::is_ascii_alphanumeric) {
                // The usual token (no joined apostrophe): its folded form is the token
                // lower-cased, appended and lower-cased in bulk rather than per char.
                folded.push_str(s);
                folded[fs..].make_ascii_lowercase();
            } else {
                for &b in b {
                    if b.is_ascii_alphanumeric() {
                        folded.push(b.to_ascii_lowercase() as char);
                    }
                }
            }
            let cap = b.first().is_some_and(u8::is_ascii_uppercase);
            (cap, cap && !b.iter().any(u8::is_ascii_lowercase))
        } else {
            fold_token(s, folded);
            let cap = s.chars().next().is_some_and(char::is_uppercase);
            (cap, cap && s.chars().all(|c| !c.is_lowercase()))
        };
        let gap = &text[prev_end..t.start];
        // One space between words is by far the most common gap: it neither starts a
        // sentence nor breaks a name (what the general tests give for it).
        let (initial, joins_prev) = if gap == " " && !toks.is_empty() {
            (false, true)
        } else {
            (
                starts_sentence(gap, toks.is_empty(), prev_single_upper),
                joins_previous(gap, toks.is_empty(), prev_len),
            )
        };
        toks.push(Tk {
            start: t.start,
            end: t.end,
            fold: fs..folded.len(),
            cap,
            upper,
            initial,
            joins_prev,
        });
        prev_end = t.end;
        prev_len = s.len();
        prev_single_upper = s.len() == 1 && cap;
    }
    toks
}

/// Whether a token after `gap` starts a sentence (or the text): a line break, or
/// sentence-final punctuation before any closing quotes, brackets or dashes — unless the
/// previous token was a single capital ("J. Smith").
fn starts_sentence(gap: &str, first: bool, prev_single_upper: bool) -> bool {
    first || gap.contains('\n') || {
        let last = gap.trim_end_matches(|c: char| {
            c.is_whitespace()
                || matches!(
                    c,
                    '"' | '\u{201C}'
                        | '\u{201D}'
                        | '\''
                        | '\u{2018}'
                        | '\u{2019}'
                        | '('
                        | '['
                        | '-'
                        | '\u{2014}'
                        | '\u{2013}'
                )
        });
        matches!(last.chars().next_back(), Some('.' | '!' | '?')) && !prev_single_upper
    }
}

/// Whether a token after `gap` may continue a name with the previous one: a short gap
/// of spaces, hyphens, apostrophes or an abbreviation's period.
fn joins_previous(gap: &str, first: bool, prev_len: usize) -> bool {
    !first
        && !gap.is_empty()
        && gap.len() <= 4
        && gap.chars().all(|c| {
            matches!(
                c,
                ' ' | '-' | '\u{2010}' | '\u{2011}' | '.' | '\'' | '\u{2019}' | '\u{00A0}'
            )
        })
        && (!gap.contains('.') || prev_len <= 4)
}
