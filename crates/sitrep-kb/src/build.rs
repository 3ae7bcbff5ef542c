//! Packing the KB: turns the intermediate `places.tsv` and `names.tsv` written by
//! `scripts/build_kb.py` into `names.fst`, `lower.fst`, `postings.bin`,
//! `places.bin` and `strings.bin` (see [`crate::format`]). Run through the
//! `build-kb` binary; not part of the runtime API.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::path::Path;

use crate::fold::fold;
use crate::format::{flag, kind, place_kind, posting, MAX_INDEX, PLACE_RECORD};

/// A packing error with its context.
#[derive(Debug)]
pub struct BuildError(pub String);

impl fmt::Display for BuildError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for BuildError {}

fn err(msg: impl Into<String>) -> BuildError {
    BuildError(msg.into())
}

/// Counts reported after packing.
#[derive(Debug, Default)]
pub struct BuildStats {
    /// Places written.
    pub places: usize,
    /// Raw names read.
    pub names_in: usize,
    /// Names dropped: key empty, not Latin script, or a place key of one or two letters.
    pub names_dropped: usize,
    /// Distinct keys in `names.fst`.
    pub keys: usize,
    /// Postings written.
    pub postings: usize,
    /// Keys that may start a lower-case match.
    pub lower_starts: usize,
}

/// Pack `work/places.tsv` and `work/names.tsv` into the binary files in `out`.
pub fn pack(work: &Path, out: &Path) -> Result<BuildStats, BuildError> {
    let read = |name: &str| {
        std::fs::read_to_string(work.join(name))
            .map_err(|e| err(format!("reading {}: {e}", work.join(name).display())))
    };
    let write = |name: &str, data: &[u8]| {
        std::fs::write(out.join(name), data)
            .map_err(|e| err(format!("writing {}: {e}", out.join(name).display())))
    };
    let mut stats = BuildStats::default();

    // places
    let places_tsv = read("places.tsv")?;
    let mut places = Vec::new();
    let mut strings = Vec::new();
    for (i, line) in places_tsv.lines().enumerate().skip(1) {
        let c: Vec<&str> = line.split('\t').collect();
        if c.len() != 8 {
            return Err(err(format!(
                "places.tsv line {}: {} columns",
                i + 1,
                c.len()
            )));
        }
        let num = |s: &str| -> Result<f64, BuildError> {
            s.parse()
                .map_err(|_| err(format!("places.tsv line {}: bad number {s:?}", i + 1)))
        };
        let gid = num(c[0])? as u32;
        let name = c[1].as_bytes();
        let cc = c[2].as_bytes();
        let admin1 = num(c[3])?;
        let kind = match c[4] {
            "city" => place_kind::CITY,
            "capital" => place_kind::CAPITAL,
            "admin1" => place_kind::ADMIN1,
            "region" => place_kind::REGION,
            "continent" => place_kind::CONTINENT,
            k => return Err(err(format!("places.tsv line {}: bad kind {k:?}", i + 1))),
        };
        let lat = (num(c[5])? * 1e6).round() as i32;
        let lon = (num(c[6])? * 1e6).round() as i32;
        let pop = num(c[7])?.min(u32::MAX as f64) as u32;
        let mut rec = [0u8; PLACE_RECORD];
        rec[0..4].copy_from_slice(&gid.to_le_bytes());
        rec[4..8].copy_from_slice(&lat.to_le_bytes());
        rec[8..12].copy_from_slice(&lon.to_le_bytes());
        rec[12..16].copy_from_slice(&pop.to_le_bytes());
        rec[16..20].copy_from_slice(&(strings.len() as u32).to_le_bytes());
        let a1 = if admin1 < 0.0 {
            u32::MAX
        } else {
            admin1 as u32
        };
        rec[20..24].copy_from_slice(&a1.to_le_bytes());
        let len = name.len().min(u16::MAX as usize);
        rec[24..26].copy_from_slice(&(len as u16).to_le_bytes());
        if cc.len() == 2 {
            rec[26] = cc[0];
            rec[27] = cc[1];
        }
        rec[28] = kind;
        strings.extend_from_slice(&name[..len]);
        places.extend_from_slice(&rec);
    }
    stats.places = places.len() / PLACE_RECORD;

    // common English words (first line: exemption population)
    let common_txt = read("common.txt")?;
    let mut lines = common_txt.lines();
    let exempt: u64 = lines
        .next()
        .and_then(|l| l.trim().parse().ok())
        .ok_or_else(|| err("common.txt: first line is not a population"))?;
    let common: std::collections::HashSet<&str> = lines.collect();
    let place_pop = |ix: u32| -> u64 {
        let o = ix as usize * PLACE_RECORD + 12;
        places
            .get(o..o + 4)
            .map_or(0, |b| u32::from_le_bytes([b[0], b[1], b[2], b[3]]) as u64)
    };

    // names → postings grouped by key
    let names_tsv = read("names.tsv")?;
    let mut by_key: BTreeMap<String, BTreeMap<(u32, u32), u32>> = BTreeMap::new();
    for (i, line) in names_tsv.lines().enumerate() {
        stats.names_in += 1;
        let c: Vec<&str> = line.split('\t').collect();
        if c.len() != 4 {
            return Err(err(format!(
                "names.tsv line {}: {} columns",
                i + 1,
                c.len()
            )));
        }
        let k = match c[1] {
            "P" => kind::PLACE,
            "C" => kind::COUNTRY,
            "O" => kind::ORG,
            "T" => kind::TITLE,
            "D" => kind::DEMONYM,
            "M" => kind::METONYM,
            "V" => kind::VARIANT,
            x => return Err(err(format!("names.tsv line {}: bad kind {x:?}", i + 1))),
        };
        let ix: u32 = c[2]
            .parse()
            .map_err(|_| err(format!("names.tsv line {}: bad index", i + 1)))?;
        if ix > MAX_INDEX {
            return Err(err(format!(
                "names.tsv line {}: index {ix} too large",
                i + 1
            )));
        }
        let mut f = 0;
        for ch in c[3].chars() {
            f |= match ch {
                'p' => flag::PRIMARY,
                'a' => flag::ACRONYM,
                'l' => flag::LOWER_OK,
                'e' => flag::EVIDENCE,
                'h' => flag::SHADOWED,
                'j' => flag::ADJECTIVE,
                'n' => flag::SINGULAR,
                's' => flag::PLURAL,
                x => return Err(err(format!("names.tsv line {}: bad flag {x:?}", i + 1))),
            };
        }
        let key = fold(c[0]);
        if key.is_empty() || !key.is_ascii() {
            stats.names_dropped += 1;
            continue;
        }
        // a place key of one or two letters ("Ål", "Ea") is noise unless the place
        // is large; a one-word place key that is an English word needs evidence
        if k == kind::PLACE && key.len() <= 2 && place_pop(ix) < exempt {
            stats.names_dropped += 1;
            continue;
        }
        if k == kind::PLACE
            && !key.contains(' ')
            && common.contains(key.as_str())
            && place_pop(ix) < exempt
        {
            f |= flag::EVIDENCE;
        }
        *by_key.entry(key).or_default().entry((k, ix)).or_insert(0) |= f;
    }

    let mut postings: Vec<u8> = Vec::new();
    let mut map = fst::MapBuilder::memory();
    let mut lower = BTreeSet::new();
    for (key, ps) in &by_key {
        let start = (postings.len() / 4) as u64;
        for (&(k, ix), &f) in ps {
            postings.extend_from_slice(&posting(k, f, ix).to_le_bytes());
            if f & flag::LOWER_OK != 0 {
                lower.insert(key.split(' ').next().unwrap_or("").to_string());
            }
        }
        let count = ps.len() as u64;
        map.insert(key, start | (count << 32))
            .map_err(|e| err(format!("fst: {e}")))?;
    }
    stats.keys = by_key.len();
    stats.postings = postings.len() / 4;
    stats.lower_starts = lower.len();
    let map = map.into_inner().map_err(|e| err(format!("fst: {e}")))?;
    let mut set = fst::SetBuilder::memory();
    for k in &lower {
        set.insert(k).map_err(|e| err(format!("fst: {e}")))?;
    }
    let set = set.into_inner().map_err(|e| err(format!("fst: {e}")))?;

    write("names.fst", &map)?;
    write("lower.fst", &set)?;
    write("postings.bin", &postings)?;
    write("places.bin", &places)?;
    write("strings.bin", &strings)?;
    Ok(stats)
}
