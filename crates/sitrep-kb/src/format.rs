//! The on-disk layout of the KB under `data/kb/` (written by `build-kb`, read
//! here without parsing). All integers are little-endian.
//!
//! | file | content |
//! |---|---|
//! | `names.fst` | `fst::Map`: folded key → `start | count << 32` into `postings.bin` |
//! | `lower.fst` | `fst::Set` of the first tokens of keys that may match in lower case |
//! | `postings.bin` | `u32` postings: kind (3 bits), flags (8 bits), row index (21 bits) |
//! | `places.bin` | 32-byte place records, see [`PLACE_RECORD`] |
//! | `strings.bin` | UTF-8 place names, referenced by (offset, length) |
//! | `countries.tsv`, `orgs.tsv`, `titles.tsv`, `metonyms.tsv`, `variants.tsv` | small tables, one row per index, read at load |

/// Size of one place record in `places.bin`:
/// `geonames_id u32 | lat i32 µdeg | lon i32 µdeg | population u32 | name_off u32 |
/// admin1 u32 (place index, u32::MAX = none) | name_len u16 | country [u8;2] |
/// kind u8 | 3 reserved bytes`.
pub const PLACE_RECORD: usize = 32;

/// Posting kinds (low 3 bits).
pub(crate) mod kind {
    pub const PLACE: u32 = 0;
    pub const COUNTRY: u32 = 1;
    pub const ORG: u32 = 2;
    pub const TITLE: u32 = 3;
    pub const DEMONYM: u32 = 4;
    pub const METONYM: u32 = 5;
    pub const VARIANT: u32 = 6;
}

/// Posting flags (8 bits).
pub(crate) mod flag {
    /// The entry's main name (not an alternate).
    pub const PRIMARY: u32 = 1;
    /// An acronym that only matches in capitals.
    pub const ACRONYM: u32 = 2;
    /// May match in lower case (most titles).
    pub const LOWER_OK: u32 = 4;
    /// Also an ordinary English word: needs evidence to fire as a place.
    pub const EVIDENCE: u32 = 8;
    /// A region's name that a city in that region also bears (`Kherson`).
    pub const SHADOWED: u32 = 16;
    /// Demonym used as an adjective.
    pub const ADJECTIVE: u32 = 32;
    /// Demonym used as a singular people noun.
    pub const SINGULAR: u32 = 64;
    /// Demonym used as a plural people noun.
    pub const PLURAL: u32 = 128;
}

pub(crate) const KIND_BITS: u32 = 3;
pub(crate) const FLAG_BITS: u32 = 8;
/// Largest row index a posting can hold.
pub(crate) const MAX_INDEX: u32 = (1 << (32 - KIND_BITS - FLAG_BITS)) - 1;

#[inline]
pub(crate) fn posting(kind: u32, flags: u32, index: u32) -> u32 {
    kind | (flags << KIND_BITS) | (index << (KIND_BITS + FLAG_BITS))
}

#[inline]
pub(crate) fn posting_kind(p: u32) -> u32 {
    p & ((1 << KIND_BITS) - 1)
}

#[inline]
pub(crate) fn posting_flags(p: u32) -> u32 {
    (p >> KIND_BITS) & ((1 << FLAG_BITS) - 1)
}

#[inline]
pub(crate) fn posting_index(p: u32) -> u32 {
    p >> (KIND_BITS + FLAG_BITS)
}

/// Place kind codes in a record's `kind` byte.
pub(crate) mod place_kind {
    pub const CITY: u8 = 0;
    pub const CAPITAL: u8 = 1;
    pub const ADMIN1: u8 = 2;
    pub const REGION: u8 = 3;
    pub const CONTINENT: u8 = 4;
}

#[inline]
pub(crate) fn u32_at(b: &[u8], off: usize) -> u32 {
    let mut a = [0u8; 4];
    a.copy_from_slice(&b[off..off + 4]);
    u32::from_le_bytes(a)
}

#[inline]
pub(crate) fn i32_at(b: &[u8], off: usize) -> i32 {
    u32_at(b, off) as i32
}

#[inline]
pub(crate) fn u16_at(b: &[u8], off: usize) -> u16 {
    u16::from_le_bytes([b[off], b[off + 1]])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn posting_roundtrip() {
        let p = posting(kind::DEMONYM, flag::ADJECTIVE | flag::PRIMARY, MAX_INDEX);
        assert_eq!(posting_kind(p), kind::DEMONYM);
        assert_eq!(posting_flags(p), flag::ADJECTIVE | flag::PRIMARY);
        assert_eq!(posting_index(p), MAX_INDEX);
    }
}
