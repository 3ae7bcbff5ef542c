//! The KB's public record types.

use std::fmt;

/// An ISO 3166-1 alpha-2 country code (`UA`, `GB`, `XK`).
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct CountryCode(pub [u8; 2]);

impl CountryCode {
    /// Parse a two-letter code (case-insensitive); `None` unless two ASCII letters.
    pub fn parse(s: &str) -> Option<CountryCode> {
        let b = s.as_bytes();
        if b.len() == 2 && b.iter().all(u8::is_ascii_alphabetic) {
            Some(CountryCode([
                b[0].to_ascii_uppercase(),
                b[1].to_ascii_uppercase(),
            ]))
        } else {
            None
        }
    }

    /// The code as a `&str` (`"UA"`).
    pub fn as_str(&self) -> &str {
        std::str::from_utf8(&self.0).unwrap_or("??")
    }
}

impl fmt::Display for CountryCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl fmt::Debug for CountryCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "CountryCode({})", self.as_str())
    }
}

/// What kind of place an entry is; ordered from broad to narrow.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum PlaceKind {
    /// A continent or macro-region (Europe, the Middle East, the Sahel).
    Continent,
    /// A country (ISO 3166-1).
    Country,
    /// A first-level administrative division from GeoNames (oblast, state, province).
    Admin1,
    /// A region we curate (Donbas, Darfur, the Golan Heights).
    Region,
    /// A national capital.
    Capital,
    /// A populated place (GeoNames, 1,000+ people or an admin seat).
    City,
}

impl PlaceKind {
    /// Lower-case name for output (`"city"`, `"admin1"`, …).
    pub fn as_str(&self) -> &'static str {
        match self {
            PlaceKind::Continent => "continent",
            PlaceKind::Country => "country",
            PlaceKind::Admin1 => "admin1",
            PlaceKind::Region => "region",
            PlaceKind::Capital => "capital",
            PlaceKind::City => "city",
        }
    }
}

/// Which table a place comes from, with its row.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum PlaceId {
    /// Row of the places table (cities, regions, continents).
    Place(u32),
    /// Row of the countries table.
    Country(u16),
}

/// A place with its coordinates, as the KB stores it.
#[derive(Clone, Debug, PartialEq)]
pub struct Place<'a> {
    /// The KB row.
    pub id: PlaceId,
    /// GeoNames id, when the place comes from GeoNames.
    pub geonames_id: Option<u32>,
    /// Display name.
    pub name: &'a str,
    /// Country, if the place lies in one.
    pub country: Option<CountryCode>,
    /// Name of the first-level division the place lies in.
    pub admin1: Option<&'a str>,
    /// Row of that division in the places table.
    pub admin1_id: Option<u32>,
    /// What kind of place it is.
    pub kind: PlaceKind,
    /// Latitude in decimal degrees (WGS84).
    pub lat: f64,
    /// Longitude in decimal degrees (WGS84).
    pub lon: f64,
    /// Population (for regions: the sum over their listed places; 0 if unknown).
    pub population: u64,
}

/// A country row.
#[derive(Clone, Debug, PartialEq)]
pub struct Country {
    /// ISO 3166-1 alpha-2.
    pub code: CountryCode,
    /// ISO 3166-1 alpha-3.
    pub iso3: String,
    /// Common English name.
    pub name: String,
    /// Official name, if different.
    pub official: String,
    /// Representative point, latitude.
    pub lat: f64,
    /// Representative point, longitude.
    pub lon: f64,
    /// Population (GeoNames).
    pub population: u64,
    /// GeoNames id.
    pub geonames_id: u32,
    /// Capital's name.
    pub capital: String,
    /// Capital's row in the places table.
    pub capital_place: Option<u32>,
    /// Continent code (EU, AS, AF, NA, SA, OC, AN).
    pub continent: String,
    /// Main adjective ("Ukrainian").
    pub adjective: String,
    /// Main plural people noun ("Ukrainians").
    pub plural: String,
}

/// The kind of an organisation.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum OrgType {
    /// A government, ministry or office.
    Government,
    /// Armed forces and their branches.
    Military,
    /// A parliament or chamber.
    Legislature,
    /// An international body.
    International,
    /// A non-state armed group.
    ArmedGroup,
    /// A news outlet or agency.
    Media,
    /// A political party.
    Party,
    /// A company.
    Company,
    /// A non-governmental organisation or think tank.
    Ngo,
}

impl OrgType {
    /// Parse the `type` column of `orgs.tsv`.
    pub fn parse(s: &str) -> Option<OrgType> {
        Some(match s {
            "government" => OrgType::Government,
            "military" => OrgType::Military,
            "legislature" => OrgType::Legislature,
            "international" => OrgType::International,
            "armed_group" => OrgType::ArmedGroup,
            "media" => OrgType::Media,
            "party" => OrgType::Party,
            "company" => OrgType::Company,
            "ngo" => OrgType::Ngo,
            _ => return None,
        })
    }

    /// The name used in `orgs.tsv` and output.
    pub fn as_str(&self) -> &'static str {
        match self {
            OrgType::Government => "government",
            OrgType::Military => "military",
            OrgType::Legislature => "legislature",
            OrgType::International => "international",
            OrgType::ArmedGroup => "armed_group",
            OrgType::Media => "media",
            OrgType::Party => "party",
            OrgType::Company => "company",
            OrgType::Ngo => "ngo",
        }
    }
}

/// An organisation row.
#[derive(Clone, Debug, PartialEq)]
pub struct Org {
    /// Stable id (`ru-mfa`, `md-reuters`).
    pub id: String,
    /// Main name.
    pub name: String,
    /// Kind.
    pub kind: OrgType,
    /// Country it belongs to (none for international bodies).
    pub country: Option<CountryCode>,
    /// Id of the body it belongs to (`ru-gov` for `ru-mfa`).
    pub parent: Option<String>,
}

/// The category of a title or role.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum TitleCategory {
    /// President, supreme leader.
    HeadOfState,
    /// Prime minister, chancellor.
    HeadOfGovernment,
    /// Vice-president, deputy prime minister.
    DeputyHead,
    /// Minister or secretary of a portfolio.
    Minister,
    /// Deputy or junior minister.
    DeputyMinister,
    /// Member of a legislature, speaker.
    Legislator,
    /// Ambassador, diplomat.
    Diplomat,
    /// Envoy, special representative.
    Envoy,
    /// Spokesperson, press secretary.
    Spokesperson,
    /// Adviser, aide.
    Adviser,
    /// Other officials (director, secretary-general, chief of staff).
    Official,
    /// Military role (commander, chief of the general staff).
    MilitaryRole,
    /// Military rank (General, Col., Sgt.).
    MilitaryRank,
    /// Judge, prosecutor.
    Judicial,
    /// King, emir, prince.
    Royalty,
    /// Pope, patriarch, ayatollah.
    Religious,
    /// Party leader, chairman.
    PartyRole,
    /// Governor, mayor.
    LocalGovernment,
    /// Correspondent, reporter, analyst.
    Journalist,
    /// Mr, Mrs, Ms, Dr, Sir.
    Honorific,
}

impl TitleCategory {
    /// Parse the `category` column of `titles.tsv`.
    pub fn parse(s: &str) -> Option<TitleCategory> {
        use TitleCategory::*;
        Some(match s {
            "head_of_state" => HeadOfState,
            "head_of_government" => HeadOfGovernment,
            "deputy_head" => DeputyHead,
            "minister" => Minister,
            "deputy_minister" => DeputyMinister,
            "legislator" => Legislator,
            "diplomat" => Diplomat,
            "envoy" => Envoy,
            "spokesperson" => Spokesperson,
            "adviser" => Adviser,
            "official" => Official,
            "military_role" => MilitaryRole,
            "military_rank" => MilitaryRank,
            "judicial" => Judicial,
            "royalty" => Royalty,
            "religious" => Religious,
            "party_role" => PartyRole,
            "local_government" => LocalGovernment,
            "journalist" => Journalist,
            "honorific" => Honorific,
            _ => return None,
        })
    }

    /// The name used in `titles.tsv` and output.
    pub fn as_str(&self) -> &'static str {
        use TitleCategory::*;
        match self {
            HeadOfState => "head_of_state",
            HeadOfGovernment => "head_of_government",
            DeputyHead => "deputy_head",
            Minister => "minister",
            DeputyMinister => "deputy_minister",
            Legislator => "legislator",
            Diplomat => "diplomat",
            Envoy => "envoy",
            Spokesperson => "spokesperson",
            Adviser => "adviser",
            Official => "official",
            MilitaryRole => "military_role",
            MilitaryRank => "military_rank",
            Judicial => "judicial",
            Royalty => "royalty",
            Religious => "religious",
            PartyRole => "party_role",
            LocalGovernment => "local_government",
            Journalist => "journalist",
            Honorific => "honorific",
        }
    }
}

/// A title row.
#[derive(Clone, Debug, PartialEq)]
pub struct Title {
    /// Canonical title ("Foreign Secretary").
    pub title: String,
    /// Category.
    pub category: TitleCategory,
    /// Portfolio for ministers and officials ("foreign", "defence").
    pub portfolio: Option<String>,
}

/// A metonym row: a name standing for a state's government or one of its bodies.
#[derive(Clone, Debug, PartialEq)]
pub struct Metonym {
    /// The name ("Kremlin").
    pub name: String,
    /// The state it stands for.
    pub country: CountryCode,
    /// The body it stands for, as a row of the organisations table.
    pub org: Option<u32>,
    /// What it stands for: government, head_of_state, military, foreign_ministry, …
    pub sense: String,
}

/// What a name-variant family names.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum VariantKind {
    /// A place (its variants are also names of the place).
    Place,
    /// A person's name.
    Person,
}

/// A family of spellings of one name (Zelensky/Zelenskyy/Zelenskiy).
#[derive(Clone, Debug, PartialEq)]
pub struct Variant {
    /// Canonical spelling.
    pub canonical: String,
    /// Place or person.
    pub kind: VariantKind,
    /// Country the name belongs to, if any.
    pub country: Option<CountryCode>,
}

/// How a demonym word was used: several may hold ("Ukrainian" is adjective and noun).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub struct DemonymForms {
    /// Adjective ("Ukrainian forces").
    pub adjective: bool,
    /// Singular people noun ("a Ukrainian").
    pub singular: bool,
    /// Plural people noun ("Ukrainians").
    pub plural: bool,
}

/// One KB entry a name can stand for.
#[derive(Clone, Debug, PartialEq)]
pub enum Entry<'a> {
    /// A place (city, region, continent).
    Place(Place<'a>),
    /// A country by name or acronym.
    Country(&'a Country),
    /// An organisation.
    Org(&'a Org),
    /// A title or role.
    Title(&'a Title),
    /// A country's adjective or people noun.
    Demonym {
        /// The country.
        country: &'a Country,
        /// How the word is used.
        forms: DemonymForms,
    },
    /// A metonym for a state's government or body.
    Metonym(&'a Metonym),
    /// A name-variant family.
    Variant(&'a Variant),
}

/// A candidate reading of a name, with how the name relates to the entry.
#[derive(Clone, Debug, PartialEq)]
pub struct Candidate<'a> {
    /// The entry.
    pub entry: Entry<'a>,
    /// The name is the entry's main name (not an alternate).
    pub primary: bool,
    /// The name is an acronym that matches only in capitals.
    pub acronym: bool,
    /// The name is also an ordinary English word (needs evidence as a place).
    pub common_word: bool,
    /// A region's name that a city inside it also bears.
    pub shadowed: bool,
}

impl Candidate<'_> {
    /// The country this candidate points to (place's country, country, org's
    /// country, demonym's or metonym's country).
    pub fn country(&self) -> Option<CountryCode> {
        match &self.entry {
            Entry::Place(p) => p.country,
            Entry::Country(c) => Some(c.code),
            Entry::Org(o) => o.country,
            Entry::Title(_) => None,
            Entry::Demonym { country, .. } => Some(country.code),
            Entry::Metonym(m) => Some(m.country),
            Entry::Variant(v) => v.country,
        }
    }

    /// Short kind name for output (`place`, `country`, `org`, …).
    pub fn kind_str(&self) -> &'static str {
        match &self.entry {
            Entry::Place(_) => "place",
            Entry::Country(_) => "country",
            Entry::Org(_) => "org",
            Entry::Title(_) => "title",
            Entry::Demonym { .. } => "demonym",
            Entry::Metonym(_) => "metonym",
            Entry::Variant(_) => "variant",
        }
    }
}
