//! Readers for the small TSV tables of `data/kb/` (countries, organisations,
//! titles, metonyms, name variants). Each has `#` comment lines, a header row, and
//! one row per index; columns are found by header name.

use crate::types::*;
use crate::KbError;

struct Table<'a> {
    file: &'static str,
    cols: Vec<&'a str>,
    rows: Vec<Vec<&'a str>>,
}

impl<'a> Table<'a> {
    fn parse(file: &'static str, text: &'a str) -> Result<Table<'a>, KbError> {
        let mut lines = text
            .lines()
            .filter(|l| !l.starts_with('#') && !l.is_empty());
        let cols: Vec<&str> = lines
            .next()
            .ok_or_else(|| KbError::Format {
                file,
                msg: "no header row".into(),
            })?
            .split('\t')
            .collect();
        let rows = lines.map(|l| l.split('\t').collect()).collect();
        Ok(Table { file, cols, rows })
    }

    fn col(&self, name: &str) -> Result<usize, KbError> {
        self.cols
            .iter()
            .position(|c| *c == name)
            .ok_or_else(|| KbError::Format {
                file: self.file,
                msg: format!("no column {name}"),
            })
    }

    fn get(&self, row: &[&'a str], col: usize) -> &'a str {
        row.get(col).copied().unwrap_or("")
    }

    fn bad(&self, line: usize, msg: String) -> KbError {
        KbError::Format {
            file: self.file,
            msg: format!("row {}: {msg}", line + 1),
        }
    }
}

fn opt(s: &str) -> Option<String> {
    (!s.is_empty()).then(|| s.to_string())
}

fn code(t: &Table, i: usize, s: &str) -> Result<Option<CountryCode>, KbError> {
    if s.is_empty() {
        return Ok(None);
    }
    CountryCode::parse(s)
        .map(Some)
        .ok_or_else(|| t.bad(i, format!("bad country code {s:?}")))
}

fn num<T: std::str::FromStr>(t: &Table, i: usize, s: &str) -> Result<T, KbError> {
    s.parse().map_err(|_| t.bad(i, format!("bad number {s:?}")))
}

pub(crate) fn countries(text: &str) -> Result<Vec<Country>, KbError> {
    let t = Table::parse("countries.tsv", text)?;
    let c = [
        "code",
        "iso3",
        "name",
        "official",
        "lat",
        "lon",
        "population",
        "geonames_id",
        "capital",
        "capital_place",
        "continent",
        "adjective",
        "plural",
    ]
    .map(|n| t.col(n));
    let mut ix = [0usize; 13];
    for (k, r) in c.into_iter().enumerate() {
        ix[k] = r?;
    }
    let mut out = Vec::with_capacity(t.rows.len());
    for (i, row) in t.rows.iter().enumerate() {
        let g = |k: usize| t.get(row, ix[k]);
        let capital_place: i64 = num(&t, i, g(9))?;
        out.push(Country {
            code: code(&t, i, g(0))?.ok_or_else(|| t.bad(i, "empty code".into()))?,
            iso3: g(1).to_string(),
            name: g(2).to_string(),
            official: g(3).to_string(),
            lat: num(&t, i, g(4))?,
            lon: num(&t, i, g(5))?,
            population: num(&t, i, g(6))?,
            geonames_id: num(&t, i, g(7))?,
            capital: g(8).to_string(),
            capital_place: u32::try_from(capital_place).ok(),
            continent: g(10).to_string(),
            adjective: g(11).to_string(),
            plural: g(12).to_string(),
        });
    }
    Ok(out)
}

pub(crate) fn orgs(text: &str) -> Result<Vec<Org>, KbError> {
    let t = Table::parse("orgs.tsv", text)?;
    let (id, name, ty, country, parent) = (
        t.col("id")?,
        t.col("name")?,
        t.col("type")?,
        t.col("country")?,
        t.col("parent")?,
    );
    let mut out = Vec::with_capacity(t.rows.len());
    for (i, row) in t.rows.iter().enumerate() {
        out.push(Org {
            id: t.get(row, id).to_string(),
            name: t.get(row, name).to_string(),
            kind: OrgType::parse(t.get(row, ty))
                .ok_or_else(|| t.bad(i, format!("bad type {:?}", t.get(row, ty))))?,
            country: code(&t, i, t.get(row, country))?,
            parent: opt(t.get(row, parent)),
        });
    }
    Ok(out)
}

pub(crate) fn titles(text: &str) -> Result<Vec<Title>, KbError> {
    let t = Table::parse("titles.tsv", text)?;
    let (title, cat, port) = (t.col("title")?, t.col("category")?, t.col("portfolio")?);
    let mut out = Vec::with_capacity(t.rows.len());
    for (i, row) in t.rows.iter().enumerate() {
        out.push(Title {
            title: t.get(row, title).to_string(),
            category: TitleCategory::parse(t.get(row, cat))
                .ok_or_else(|| t.bad(i, format!("bad category {:?}", t.get(row, cat))))?,
            portfolio: opt(t.get(row, port)),
        });
    }
    Ok(out)
}

pub(crate) fn metonyms(text: &str, orgs: &[Org]) -> Result<Vec<Metonym>, KbError> {
    let t = Table::parse("metonyms.tsv", text)?;
    let (name, country, org, sense) = (
        t.col("name")?,
        t.col("country")?,
        t.col("org")?,
        t.col("sense")?,
    );
    let mut out = Vec::with_capacity(t.rows.len());
    for (i, row) in t.rows.iter().enumerate() {
        let org_id = t.get(row, org);
        let org = if org_id.is_empty() {
            None
        } else {
            let k = orgs
                .iter()
                .position(|o| o.id == org_id)
                .ok_or_else(|| t.bad(i, format!("unknown org {org_id:?}")))?;
            Some(k as u32)
        };
        out.push(Metonym {
            name: t.get(row, name).to_string(),
            country: code(&t, i, t.get(row, country))?
                .ok_or_else(|| t.bad(i, "empty country".into()))?,
            org,
            sense: t.get(row, sense).to_string(),
        });
    }
    Ok(out)
}

pub(crate) fn variants(text: &str) -> Result<Vec<Variant>, KbError> {
    let t = Table::parse("variants.tsv", text)?;
    let (canon, kind, country) = (t.col("canonical")?, t.col("kind")?, t.col("country")?);
    let mut out = Vec::with_capacity(t.rows.len());
    for (i, row) in t.rows.iter().enumerate() {
        out.push(Variant {
            canonical: t.get(row, canon).to_string(),
            kind: match t.get(row, kind) {
                "place" => VariantKind::Place,
                "person" => VariantKind::Person,
                k => return Err(t.bad(i, format!("bad kind {k:?}"))),
            },
            country: code(&t, i, t.get(row, country))?,
        });
    }
    Ok(out)
}
