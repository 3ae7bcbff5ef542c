//! # sitrep-kb — the knowledge base behind recognition and resolution
//!
//! sitrep recognises places, countries and their adjectives, organisations, titles
//! and metonyms ("the Kremlin", "Kyiv") with the help of this knowledge base (KB),
//! and resolves a place name to a GeoNames entry with coordinates. In the pipeline
//! it sits beside *recognise* and *resolve*: the engine calls [`Kb::find_in`] on a
//! document's text and [`Kb::resolve_place`] / [`Kb::resolve_candidates`] on the
//! mentions it keeps; `sitrep kb lookup NAME` prints [`Kb::lookup`].
//!
//! ## Data
//! `data/kb/` is built by `python3 scripts/build_kb.py` from pinned public
//! packages (GeoNames populated places of 1,000+ people with alternate names and
//! admin1 regions, ISO 3166 countries, demonyms, an English word list) plus lists we
//! curate (organisations, titles, metonyms, regions, name variants); see
//! `data/kb/SOURCES.md` for sources, versions, licences and counts. The KB is
//! committed, so nothing here needs Python or the network.
//!
//! ## Format, and why an fst
//! Every name is reduced to a key by [`fold`] (lower case, diacritics removed,
//! punctuation normalised). Keys live in an [`fst::Map`]: about 600,000 keys take a
//! few MB, a lookup walks one node per byte, and — the reason we use it — the
//! matcher can walk the automaton token by token through the text and see every
//! name that starts at a token, longest first, without building any other index.
//! The map's value points into a flat array of `u32` postings (entry kind, flags,
//! row); places are fixed 32-byte records read in place. Loading is therefore
//! only slicing and header checks (< 50 ms, see `examples/kb_bench.rs`): the
//! embedded KB ([`Kb::embedded`]) is `include_bytes!` data, and [`Kb::open`] reads
//! the same files from a directory. Layout details: [`format`].
//!
//! ## Ambiguity
//! * *Case*: names match only when capitalised (or, for acronyms that are short or
//!   English words — "US", "WHO" — only in capitals); titles match in any case
//!   unless they are ordinary words ("General").
//! * *Common words*: place names that are ordinary English words ("Nice", "Bar",
//!   "Mobile", "Reading") or listed surnames need evidence: not sentence-initial,
//!   and a locative preposition before ("in Nice"), a ", Country" after, or the
//!   document naming the place's country elsewhere.
//! * *Which place*: [`Kb::resolve_place`] scores each candidate by kind (country >
//!   region > capital > city), population, whether the name is the entry's main
//!   name, and the document's country and region context ([`PlaceContext`]), and
//!   returns the best with a confidence (softmax over scores) and the alternates.
//!   Paris is Paris, France, unless the document is about Texas.

#![warn(missing_docs)]

use std::borrow::Cow;
use std::collections::HashMap;
use std::path::Path;

mod fold;
pub mod format;
mod matcher;
mod resolve;
mod tables;
mod types;

#[doc(hidden)]
pub mod build;

pub use fold::fold;
pub use matcher::{KbMatch, MatchKind, COMPASS_POINTS};
pub use resolve::{PlaceContext, ResolvedPlace};
pub use types::*;

use format::{flag, kind, posting_flags, posting_index, posting_kind, PLACE_RECORD};

/// Errors from loading a KB.
#[derive(Debug, thiserror::Error)]
pub enum KbError {
    /// A KB file could not be read.
    #[error("reading {path}: {source}")]
    Io {
        /// The file.
        path: String,
        /// The cause.
        source: std::io::Error,
    },
    /// A KB file is not in the expected format.
    #[error("KB file {file}: {msg}")]
    Format {
        /// The file name.
        file: &'static str,
        /// What is wrong.
        msg: String,
    },
}

/// The file names of a KB directory.
pub const FILES: [&str; 10] = [
    "names.fst",
    "lower.fst",
    "postings.bin",
    "places.bin",
    "strings.bin",
    "countries.tsv",
    "orgs.tsv",
    "titles.tsv",
    "metonyms.tsv",
    "variants.tsv",
];

/// An Fx-style multiply-rotate hasher for short byte strings (the keys are our own
/// data, so SipHash's protection against chosen keys buys nothing here).
#[derive(Default, Clone, Copy)]
struct WordHasher(u64);

impl std::hash::Hasher for WordHasher {
    #[inline]
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            let mut w = [0u8; 8];
            w.copy_from_slice(c);
            self.add(u64::from_le_bytes(w));
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            let mut w = [0u8; 8];
            w[..rest.len()].copy_from_slice(rest);
            self.add(u64::from_le_bytes(w));
        }
    }

    #[inline]
    fn write_usize(&mut self, n: usize) {
        self.add(n as u64);
    }

    #[inline]
    fn finish(&self) -> u64 {
        // hashbrown takes its control bits from the top: spread the low bits up.
        self.0 ^ (self.0 >> 29)
    }
}

impl WordHasher {
    #[inline]
    fn add(&mut self, w: u64) {
        self.0 = (self.0.rotate_left(5) ^ w).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }
}

type BuildWordHasher = std::hash::BuildHasherDefault<WordHasher>;

/// The raw bytes of a KB's files, in the order of [`FILES`].
pub struct KbBytes {
    /// File contents, in the order of [`FILES`].
    pub files: [Cow<'static, [u8]>; 10],
}

/// The knowledge base: load once, share by reference (it is `Sync`).
pub struct Kb {
    names: fst::Map<Cow<'static, [u8]>>,
    postings: Cow<'static, [u8]>,
    places: Cow<'static, [u8]>,
    strings: Cow<'static, str>,
    /// Asked for every lower-case token of every text: a fast non-keyed hasher
    /// ([`WordHasher`]) rather than SipHash; the set is only ever probed, never iterated.
    lower_starts: std::collections::HashSet<Vec<u8>, BuildWordHasher>,
    countries: Vec<Country>,
    country_ix: HashMap<CountryCode, u16>,
    orgs: Vec<Org>,
    titles: Vec<Title>,
    metonyms: Vec<Metonym>,
    variants: Vec<Variant>,
    /// Identity of this knowledge base's bytes, for per-thread caches of automaton
    /// walks ([`matcher`]); never 0.
    id: u64,
}

#[cfg(feature = "embedded")]
macro_rules! kb_file {
    ($name:literal) => {
        Cow::Borrowed(
            &include_bytes!(concat!(
                env!("CARGO_MANIFEST_DIR"),
                "/../../data/kb/",
                $name
            ))[..],
        )
    };
}

impl Kb {
    /// The KB compiled into this binary (`data/kb/` at build time), loaded on first
    /// use and shared.
    ///
    /// # Panics
    /// Only if the embedded files are corrupt, which the crate's tests rule out.
    #[cfg(feature = "embedded")]
    pub fn embedded() -> &'static Kb {
        static KB: std::sync::OnceLock<Kb> = std::sync::OnceLock::new();
        KB.get_or_init(|| {
            let bytes = KbBytes {
                files: [
                    kb_file!("names.fst"),
                    kb_file!("lower.fst"),
                    kb_file!("postings.bin"),
                    kb_file!("places.bin"),
                    kb_file!("strings.bin"),
                    kb_file!("countries.tsv"),
                    kb_file!("orgs.tsv"),
                    kb_file!("titles.tsv"),
                    kb_file!("metonyms.tsv"),
                    kb_file!("variants.tsv"),
                ],
            };
            match Kb::from_bytes(bytes) {
                Ok(kb) => kb,
                Err(e) => panic!("embedded KB is corrupt: {e}"),
            }
        })
    }

    /// Load a KB from a directory holding the files of [`FILES`] (as written by
    /// `build-kb`).
    pub fn open(dir: impl AsRef<Path>) -> Result<Kb, KbError> {
        let dir = dir.as_ref();
        let read = |name: &str| -> Result<Cow<'static, [u8]>, KbError> {
            let path = dir.join(name);
            std::fs::read(&path)
                .map(Cow::Owned)
                .map_err(|source| KbError::Io {
                    path: path.display().to_string(),
                    source,
                })
        };
        let mut files: [Cow<'static, [u8]>; 10] = Default::default();
        for (slot, name) in files.iter_mut().zip(FILES) {
            *slot = read(name)?;
        }
        Kb::from_bytes(KbBytes { files })
    }

    /// Build a KB over file contents (see [`FILES`]).
    pub fn from_bytes(bytes: KbBytes) -> Result<Kb, KbError> {
        let [names, lower, postings, places, strings, countries, orgs, titles, metonyms, variants] =
            bytes.files;
        let text = |file: &'static str, b: &[u8]| -> Result<String, KbError> {
            String::from_utf8(b.to_vec()).map_err(|_| KbError::Format {
                file,
                msg: "not UTF-8".into(),
            })
        };
        let names = fst::Map::new(names).map_err(|e| KbError::Format {
            file: "names.fst",
            msg: e.to_string(),
        })?;
        let lower = fst::Set::new(lower).map_err(|e| KbError::Format {
            file: "lower.fst",
            msg: e.to_string(),
        })?;
        if postings.len() % 4 != 0 {
            return Err(KbError::Format {
                file: "postings.bin",
                msg: "length not a multiple of 4".into(),
            });
        }
        if places.len() % PLACE_RECORD != 0 {
            return Err(KbError::Format {
                file: "places.bin",
                msg: "length not a multiple of 32".into(),
            });
        }
        let strings = match strings {
            Cow::Borrowed(b) => {
                Cow::Borrowed(std::str::from_utf8(b).map_err(|_| KbError::Format {
                    file: "strings.bin",
                    msg: "not UTF-8".into(),
                })?)
            }
            Cow::Owned(v) => Cow::Owned(String::from_utf8(v).map_err(|_| KbError::Format {
                file: "strings.bin",
                msg: "not UTF-8".into(),
            })?),
        };
        let mut lower_starts = std::collections::HashSet::default();
        let mut st = lower.stream();
        while let Some(k) = fst::Streamer::next(&mut st) {
            lower_starts.insert(k.to_vec());
        }
        let countries = tables::countries(&text("countries.tsv", &countries)?)?;
        let orgs = tables::orgs(&text("orgs.tsv", &orgs)?)?;
        let titles = tables::titles(&text("titles.tsv", &titles)?)?;
        let metonyms = tables::metonyms(&text("metonyms.tsv", &metonyms)?, &orgs)?;
        let variants = tables::variants(&text("variants.tsv", &variants)?)?;
        let country_ix = countries
            .iter()
            .enumerate()
            .map(|(i, c)| (c.code, i as u16))
            .collect();
        let kb = Kb {
            names,
            postings,
            places,
            strings,
            lower_starts,
            countries,
            country_ix,
            orgs,
            titles,
            metonyms,
            variants,
            id: {
                static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);
                NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
            },
        };
        kb.check()?;
        Ok(kb)
    }

    /// Bounds checks, so later reads cannot go out of range.
    fn check(&self) -> Result<(), KbError> {
        let bad = |file, msg: String| Err(KbError::Format { file, msg });
        // Map values are bounds-checked when read (`postings_of_value`); walking all
        // keys here would cost more than the rest of the load.
        let n_places = self.place_count();
        for i in 0..(self.postings.len() / 4) {
            let p = format::u32_at(&self.postings, i * 4);
            let ix = posting_index(p) as usize;
            let ok = match posting_kind(p) {
                kind::PLACE => ix < n_places,
                kind::COUNTRY | kind::DEMONYM => ix < self.countries.len(),
                kind::ORG => ix < self.orgs.len(),
                kind::TITLE => ix < self.titles.len(),
                kind::METONYM => ix < self.metonyms.len(),
                kind::VARIANT => ix < self.variants.len(),
                _ => false,
            };
            if !ok {
                return bad("postings.bin", format!("posting {i} out of range"));
            }
        }
        for i in 0..n_places {
            let r = &self.places[i * PLACE_RECORD..(i + 1) * PLACE_RECORD];
            let off = format::u32_at(r, 16) as usize;
            let len = format::u16_at(r, 24) as usize;
            let admin1 = format::u32_at(r, 20);
            if self.strings.get(off..off + len).is_none() {
                return bad("places.bin", format!("record {i}: bad name"));
            }
            if admin1 != u32::MAX && admin1 as usize >= n_places {
                return bad("places.bin", format!("record {i}: bad admin1"));
            }
        }
        Ok(())
    }

    /// Number of rows in the places table.
    pub fn place_count(&self) -> usize {
        self.places.len() / PLACE_RECORD
    }

    /// Number of distinct name keys.
    pub fn key_count(&self) -> usize {
        self.names.len()
    }

    /// All countries, in code order.
    pub fn countries(&self) -> &[Country] {
        &self.countries
    }

    /// All organisations.
    pub fn orgs(&self) -> &[Org] {
        &self.orgs
    }

    /// All titles.
    pub fn titles(&self) -> &[Title] {
        &self.titles
    }

    /// All metonyms.
    pub fn metonyms(&self) -> &[Metonym] {
        &self.metonyms
    }

    /// A country by its ISO alpha-2 code (`"UA"`, case-insensitive).
    pub fn country_by_code(&self, code: &str) -> Option<&Country> {
        let c = CountryCode::parse(code)?;
        self.country_ix
            .get(&c)
            .map(|&i| &self.countries[i as usize])
    }

    /// A country's common English name by code (`"GB"` → `"United Kingdom"`).
    pub fn country_name(&self, code: &str) -> Option<&str> {
        self.country_by_code(code).map(|c| c.name.as_str())
    }

    /// The organisation with this id (`"ru-mfa"`).
    pub fn org_by_id(&self, id: &str) -> Option<&Org> {
        self.orgs.iter().find(|o| o.id == id)
    }

    /// A row of the places table.
    pub fn place(&self, row: u32) -> Option<Place<'_>> {
        let i = row as usize;
        if i >= self.place_count() {
            return None;
        }
        let r = &self.places[i * PLACE_RECORD..(i + 1) * PLACE_RECORD];
        let gid = format::u32_at(r, 0);
        let admin1 = format::u32_at(r, 20);
        let cc = [r[26], r[27]];
        let kind = match r[28] {
            format::place_kind::CAPITAL => PlaceKind::Capital,
            format::place_kind::ADMIN1 => PlaceKind::Admin1,
            format::place_kind::REGION => PlaceKind::Region,
            format::place_kind::CONTINENT => PlaceKind::Continent,
            _ => PlaceKind::City,
        };
        let admin1_id = (admin1 != u32::MAX).then_some(admin1);
        Some(Place {
            id: PlaceId::Place(row),
            geonames_id: (gid != 0).then_some(gid),
            name: self.place_name(i),
            country: (cc != [0, 0]).then_some(CountryCode(cc)),
            admin1: admin1_id.map(|a| self.place_name(a as usize)),
            admin1_id,
            kind,
            lat: format::i32_at(r, 4) as f64 / 1e6,
            lon: format::i32_at(r, 8) as f64 / 1e6,
            population: format::u32_at(r, 12) as u64,
        })
    }

    fn place_name(&self, i: usize) -> &str {
        let r = &self.places[i * PLACE_RECORD..(i + 1) * PLACE_RECORD];
        let off = format::u32_at(r, 16) as usize;
        let len = format::u16_at(r, 24) as usize;
        // bounds and char boundaries were checked at load
        self.strings.get(off..off + len).unwrap_or("")
    }

    /// A country as a place (its representative point).
    pub fn country_place(&self, c: &Country) -> Place<'_> {
        let row = self.country_ix.get(&c.code).copied().unwrap_or(0);
        Place {
            id: PlaceId::Country(row),
            geonames_id: (c.geonames_id != 0).then_some(c.geonames_id),
            name: &self.countries[row as usize].name,
            country: Some(c.code),
            admin1: None,
            admin1_id: None,
            kind: PlaceKind::Country,
            lat: c.lat,
            lon: c.lon,
            population: c.population,
        }
    }

    /// The postings stored under a folded key.
    pub(crate) fn postings_of_key(&self, key: &[u8]) -> &[u8] {
        match self.names.get(key) {
            Some(v) => self.postings_of_value(v),
            None => &[],
        }
    }

    pub(crate) fn postings_of_value(&self, v: u64) -> &[u8] {
        let start = (v & 0xFFFF_FFFF) as usize * 4;
        let count = (v >> 32) as usize * 4;
        self.postings.get(start..start + count).unwrap_or(&[])
    }

    pub(crate) fn id(&self) -> u64 {
        self.id
    }

    pub(crate) fn names_fst(&self) -> &fst::raw::Fst<Cow<'static, [u8]>> {
        self.names.as_fst()
    }

    pub(crate) fn lower_start(&self, token: &[u8]) -> bool {
        self.lower_starts.contains(token)
    }

    /// Turn one posting into a candidate.
    pub(crate) fn candidate(&self, p: u32) -> Option<Candidate<'_>> {
        let f = posting_flags(p);
        let ix = posting_index(p) as usize;
        let entry = match posting_kind(p) {
            kind::PLACE => Entry::Place(self.place(ix as u32)?),
            kind::COUNTRY => Entry::Country(self.countries.get(ix)?),
            kind::ORG => Entry::Org(self.orgs.get(ix)?),
            kind::TITLE => Entry::Title(self.titles.get(ix)?),
            kind::DEMONYM => Entry::Demonym {
                country: self.countries.get(ix)?,
                forms: DemonymForms {
                    adjective: f & flag::ADJECTIVE != 0,
                    singular: f & flag::SINGULAR != 0,
                    plural: f & flag::PLURAL != 0,
                },
            },
            kind::METONYM => Entry::Metonym(self.metonyms.get(ix)?),
            kind::VARIANT => Entry::Variant(self.variants.get(ix)?),
            _ => return None,
        };
        Some(Candidate {
            entry,
            primary: f & flag::PRIMARY != 0,
            acronym: f & flag::ACRONYM != 0,
            common_word: f & flag::EVIDENCE != 0,
            shadowed: f & flag::SHADOWED != 0,
        })
    }

    pub(crate) fn candidates_of(&self, postings: &[u8]) -> Vec<Candidate<'_>> {
        postings
            .chunks_exact(4)
            .filter_map(|c| self.candidate(u32::from_le_bytes([c[0], c[1], c[2], c[3]])))
            .collect()
    }

    /// Every entry a name can stand for, in any case and whatever the context:
    /// places (with GeoNames id, coordinates, population), countries,
    /// organisations, titles, demonyms, metonyms and name variants. A possessive
    /// (`"Russia's"`) is looked up without its `'s`. For `sitrep kb lookup` and
    /// debugging; text matching with case rules is [`Kb::find_in`].
    pub fn lookup(&self, name: &str) -> Vec<Candidate<'_>> {
        let key = fold(name);
        let found = self.postings_of_key(key.as_bytes());
        if !found.is_empty() {
            return self.candidates_of(found);
        }
        match key.strip_suffix(" s") {
            Some(stem) if is_possessive(name) => {
                self.candidates_of(self.postings_of_key(stem.as_bytes()))
            }
            _ => Vec::new(),
        }
    }

    /// The country a word or name refers to and how: a country name or acronym
    /// ("France", "U.S."), an adjective or people noun ("Ukrainian",
    /// "Ukrainians"), a possessive ("Russia's") or a metonym ("Kremlin").
    pub fn country_mention(&self, name: &str) -> Option<(CountryCode, CountryForm)> {
        let possessive =
            is_possessive(name) && self.postings_of_key(fold(name).as_bytes()).is_empty();
        let cands = self.lookup(name);
        let pick = |want: fn(&Candidate) -> Option<(CountryCode, CountryForm)>| {
            cands.iter().find_map(want)
        };
        let as_country = pick(|c| match &c.entry {
            Entry::Country(k) => Some((k.code, CountryForm::Name)),
            _ => None,
        });
        if let Some((code, _)) = as_country {
            return Some((
                code,
                if possessive {
                    CountryForm::Possessive
                } else {
                    CountryForm::Name
                },
            ));
        }
        pick(|c| match &c.entry {
            Entry::Demonym { country, forms } => Some((
                country.code,
                if forms.plural {
                    CountryForm::People
                } else if forms.adjective {
                    CountryForm::Adjective
                } else {
                    CountryForm::People
                },
            )),
            _ => None,
        })
        .or_else(|| {
            pick(|c| match &c.entry {
                Entry::Metonym(m) => Some((m.country, CountryForm::Metonym)),
                _ => None,
            })
        })
    }

    /// The country of a demonym or adjective (`"Ukrainians"` → UA) and its forms.
    pub fn demonym(&self, word: &str) -> Option<(CountryCode, DemonymForms)> {
        self.lookup(word).into_iter().find_map(|c| match c.entry {
            Entry::Demonym { country, forms } => Some((country.code, forms)),
            _ => None,
        })
    }

    /// Title entries for a name ("Foreign Secretary", "spokesman").
    pub fn lookup_title(&self, name: &str) -> Vec<&Title> {
        self.lookup(name)
            .into_iter()
            .filter_map(|c| match c.entry {
                Entry::Title(t) => Some(t),
                _ => None,
            })
            .collect()
    }
}

/// Whether a name ends in a possessive `'s`.
fn is_possessive(name: &str) -> bool {
    let t = name.trim_end();
    ["'s", "’s", "'S", "’S"].iter().any(|s| t.ends_with(s))
}

/// How a name refers to a country (see [`Kb::country_mention`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CountryForm {
    /// Its name or acronym ("France", "U.S.").
    Name,
    /// Possessive of its name ("Russia's").
    Possessive,
    /// Adjective ("Ukrainian forces").
    Adjective,
    /// People noun ("Ukrainians").
    People,
    /// A metonym for its government ("Kremlin", "Kyiv").
    Metonym,
}

#[cfg(all(test, feature = "embedded"))]
mod tests;
