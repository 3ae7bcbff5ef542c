//! The public-figures list (`data/lexicon/public_figures.tsv`): full names, short
//! forms, sides and genders of people that news names without introducing them.

use std::collections::{HashMap, HashSet};
use std::hash::{BuildHasherDefault, Hasher};
use std::sync::OnceLock;

use crate::model::Gender;

/// One public figure.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Figure {
    /// Full name as usually written.
    pub name: String,
    /// ISO country code, or an organisation abbreviation (`NATO`, `UN`).
    pub side: String,
    /// The office the person held (informative; titles come from the text).
    pub office: String,
    /// Gender hint.
    pub gender: Option<Gender>,
}

impl Figure {
    /// The side as an ISO country code, when it is one.
    pub fn country(&self) -> Option<&str> {
        let side = self.side.as_str();
        (side.len() == 2
            && side.bytes().all(|b| b.is_ascii_uppercase())
            && side != "EU"
            && side != "UN")
            .then_some(side)
    }
}

/// A small multiply-rotate hasher (Fx-style) for the figure indexes: their keys are
/// short folded names from our own list, so SipHash's flooding resistance buys nothing.
#[derive(Debug, Default, Clone, Copy)]
pub(crate) struct FxHasher {
    hash: u64,
}

const FX_SEED: u64 = 0x51_7c_c1_b7_27_22_0a_95;

impl FxHasher {
    #[inline]
    fn add(&mut self, word: u64) {
        self.hash = (self.hash.rotate_left(5) ^ word).wrapping_mul(FX_SEED);
    }
}

impl Hasher for FxHasher {
    #[inline]
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            let mut w = [0u8; 8];
            w.copy_from_slice(c);
            self.add(u64::from_le_bytes(w));
        }
        for &b in chunks.remainder() {
            self.add(u64::from(b));
        }
    }

    #[inline]
    fn write_u8(&mut self, b: u8) {
        self.add(u64::from(b));
    }

    #[inline]
    fn write_u64(&mut self, w: u64) {
        self.add(w);
    }

    #[inline]
    fn write_usize(&mut self, w: usize) {
        self.add(w as u64);
    }

    #[inline]
    fn finish(&self) -> u64 {
        self.hash
    }
}

pub(crate) type FxBuild = BuildHasherDefault<FxHasher>;

/// Hash of a key's letters and digits only (the folded key without its spaces).
fn squeezed_hash(bytes: impl Iterator<Item = u8>) -> u64 {
    let mut h = FxHasher::default();
    let mut n = 0u64;
    for b in bytes {
        h.add(u64::from(b));
        n += 1;
    }
    h.add(n);
    h.finish()
}

/// The squeezed hash of what [`sitrep_kb::fold`] makes of `name`, computed without
/// folding when `name` is ASCII: fold keeps exactly the ASCII letters and digits,
/// lower-cased, and puts spaces between them. `None` for non-ASCII names.
fn ascii_squeezed_hash(name: &str) -> Option<u64> {
    name.is_ascii().then(|| {
        squeezed_hash(
            name.bytes()
                .filter(u8::is_ascii_alphanumeric)
                .map(|b| b.to_ascii_lowercase()),
        )
    })
}

/// The figures, indexed by folded full name and by folded short form.
#[derive(Debug, Default)]
pub struct Figures {
    list: Vec<Figure>,
    by_name: HashMap<String, usize, FxBuild>,
    by_alias: HashMap<String, usize, FxBuild>,
    /// Squeezed hashes of every key of `by_name` / `by_alias`: an ASCII name whose hash
    /// is not here cannot fold to any key, so most lookups end without folding.
    name_screen: HashSet<u64, FxBuild>,
    alias_screen: HashSet<u64, FxBuild>,
}

const SOURCE: &str = include_str!("../../../../data/lexicon/public_figures.tsv");

impl Figures {
    /// The list compiled into the binary, parsed once.
    pub fn embedded() -> &'static Figures {
        static FIGURES: OnceLock<Figures> = OnceLock::new();
        FIGURES.get_or_init(|| Figures::parse(SOURCE))
    }

    /// Parses the TSV format (see the file's header). Malformed lines are skipped.
    pub fn parse(text: &str) -> Figures {
        let mut figures = Figures::default();
        for line in text.lines() {
            if line.starts_with('#') || line.trim().is_empty() {
                continue;
            }
            let cols: Vec<&str> = line.split('\t').collect();
            let [name, aliases, side, office, gender] = cols[..] else {
                continue;
            };
            let gender = match gender.trim() {
                "m" => Some(Gender::Male),
                "f" => Some(Gender::Female),
                _ => None,
            };
            let idx = figures.list.len();
            figures.list.push(Figure {
                name: name.to_owned(),
                side: side.to_owned(),
                office: office.to_owned(),
                gender,
            });
            figures.by_name.entry(sitrep_kb::fold(name)).or_insert(idx);
            for alias in aliases.split(';').filter(|a| !a.is_empty()) {
                let key = sitrep_kb::fold(alias);
                if alias.contains(' ') {
                    figures.by_name.entry(key).or_insert(idx);
                } else {
                    figures.by_alias.entry(key).or_insert(idx);
                }
            }
        }
        let squeeze = |k: &String| squeezed_hash(k.bytes().filter(|&b| b != b' '));
        figures.name_screen = figures.by_name.keys().map(squeeze).collect();
        figures.alias_screen = figures.by_alias.keys().map(squeeze).collect();
        figures
    }

    /// The figure with this full name (or a multi-word variant of it).
    pub fn by_full_name(&self, name: &str) -> Option<&Figure> {
        if ascii_squeezed_hash(name).is_some_and(|h| !self.name_screen.contains(&h)) {
            return None;
        }
        self.by_name
            .get(&sitrep_kb::fold(name))
            .map(|&i| &self.list[i])
    }

    /// The figure known by this one-word short form ("Putin", "Zelenskyy").
    pub fn by_short_name(&self, name: &str) -> Option<&Figure> {
        if ascii_squeezed_hash(name).is_some_and(|h| !self.alias_screen.contains(&h)) {
            return None;
        }
        self.by_alias
            .get(&sitrep_kb::fold(name))
            .map(|&i| &self.list[i])
    }

    /// Number of figures.
    pub fn len(&self) -> usize {
        self.list.len()
    }

    /// True when the list is empty.
    pub fn is_empty(&self) -> bool {
        self.list.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_list_parses_and_indexes_short_forms() {
        let figures = Figures::embedded();
        assert!(figures.len() > 100);
        let putin = figures.by_short_name("Putin").expect("Putin");
        assert_eq!(putin.name, "Vladimir Putin");
        assert_eq!(putin.country(), Some("RU"));
        assert_eq!(
            figures.by_short_name("Zelenskyy").map(|f| f.name.as_str()),
            Some("Volodymyr Zelensky")
        );
        assert_eq!(
            figures.by_full_name("Mark Rutte").and_then(Figure::country),
            None,
            "NATO is not a country"
        );
    }

    #[test]
    fn screened_lookups_match_folded_lookups() {
        let figures = Figures::embedded();
        // Every indexed key, written in ways that fold to it, is still found.
        for f in &figures.list {
            let upper = f.name.to_uppercase();
            assert!(figures.by_full_name(&f.name).is_some(), "{}", f.name);
            assert_eq!(
                figures.by_full_name(&upper).is_some(),
                figures.by_name.contains_key(&sitrep_kb::fold(&upper)),
                "{upper}"
            );
        }
        assert!(figures.by_short_name("PUTIN").is_some());
        assert!(figures.by_short_name("Putin's").is_none());
        assert!(figures.by_full_name("Vladimir  Putin.").is_some());
        assert!(figures.by_full_name("Vladimir-Putin").is_some());
        assert!(figures.by_short_name("Zelenskyy").is_some());
        assert!(figures.by_short_name("Nobody").is_none());
        assert!(figures.by_full_name("").is_none());
        assert!(figures.by_short_name("").is_none());
    }
}
