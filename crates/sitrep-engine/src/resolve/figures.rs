//! The public-figures list (`data/lexicon/public_figures.tsv`): full names, short
//! forms, sides and genders of people that news names without introducing them.

use std::collections::HashMap;
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

/// The figures, indexed by folded full name and by folded short form.
#[derive(Debug, Default)]
pub struct Figures {
    list: Vec<Figure>,
    by_name: HashMap<String, usize>,
    by_alias: HashMap<String, usize>,
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
        figures
    }

    /// The figure with this full name (or a multi-word variant of it).
    pub fn by_full_name(&self, name: &str) -> Option<&Figure> {
        self.by_name
            .get(&sitrep_kb::fold(name))
            .map(|&i| &self.list[i])
    }

    /// The figure known by this one-word short form ("Putin", "Zelenskyy").
    pub fn by_short_name(&self, name: &str) -> Option<&Figure> {
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
}
