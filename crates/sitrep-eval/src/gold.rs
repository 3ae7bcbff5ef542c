//! The gold-file format: the facts a correct run must find in one document.
//!
//! It is the format of `../shared/seed/*.gold.json` and of `examples/gold/`. Every field
//! but `persons` is optional so that a gold file can cover only some fact types.

use serde::Deserialize;

/// Expected facts for one document.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct Gold {
    /// A free label for the document.
    #[serde(default)]
    pub id: Option<String>,
    /// URL of the document; the preferred key for pairing gold with records.
    #[serde(default)]
    pub url: Option<String>,
    /// Publication day.
    #[serde(default)]
    pub published: Option<String>,
    /// People with their title and side.
    #[serde(default)]
    pub persons: Vec<GoldPerson>,
    /// Places with their country.
    #[serde(default)]
    pub places: Vec<GoldPlace>,
    /// Quotes, identified by their opening words.
    #[serde(default)]
    pub quotes: Vec<GoldQuote>,
    /// Violent events.
    #[serde(default)]
    pub attacks: Vec<GoldAttack>,
    /// Diplomatic engagements.
    #[serde(default)]
    pub meetings: Vec<GoldMeeting>,
    /// Claims with the reactions to them.
    #[serde(default)]
    pub claims: Vec<GoldClaim>,
}

/// A person the document names.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct GoldPerson {
    /// Full name.
    pub name: String,
    /// Exact mention texts (informative; not scored).
    #[serde(default)]
    pub mentions: Vec<String>,
    /// The title or role, or null when the text gives none.
    #[serde(default)]
    pub title: Option<String>,
    /// ISO country code of the person's side.
    #[serde(default)]
    pub affiliation: Option<String>,
}

/// A place the document mentions.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct GoldPlace {
    /// Name as written.
    pub name: String,
    /// ISO country code.
    #[serde(default)]
    pub country: Option<String>,
    /// `city`, `region`, `country`, …
    #[serde(default)]
    pub kind: Option<String>,
}

/// A quote.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct GoldQuote {
    /// The first words of the quoted text.
    pub starts: String,
    /// Full name of the speaker.
    #[serde(default)]
    pub speaker: Option<String>,
    /// Direct (in quotation marks) or reported.
    #[serde(default)]
    pub direct: Option<bool>,
    /// A scare-quote fragment.
    #[serde(default)]
    pub fragment: Option<bool>,
    /// Setting of the statement.
    #[serde(default)]
    pub channel: Option<String>,
    /// When it was said.
    #[serde(default)]
    pub date: Option<String>,
}

/// A violent event.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct GoldAttack {
    /// Where it happened.
    pub location: String,
    /// ISO country code of the location.
    #[serde(default)]
    pub country: Option<String>,
    /// Weapon or mode.
    #[serde(default)]
    pub weapon: Option<String>,
    /// Number killed (lower bound), or null when not stated.
    #[serde(default)]
    pub killed: Option<u64>,
    /// Words giving the number killed.
    #[serde(default)]
    pub killed_text: Option<String>,
    /// Number wounded (lower bound), or null.
    #[serde(default)]
    pub wounded: Option<u64>,
    /// Words giving the number wounded.
    #[serde(default)]
    pub wounded_text: Option<String>,
    /// Day of the attack.
    #[serde(default)]
    pub date: Option<String>,
    /// ISO code of the perpetrator's country.
    #[serde(default)]
    pub perpetrator: Option<String>,
    /// What was hit, in the text's words ("a house east of the city").
    #[serde(default)]
    pub site: Option<String>,
}

/// A diplomatic engagement.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct GoldMeeting {
    /// Venue name.
    #[serde(default)]
    pub venue: Option<String>,
    /// Names or ISO codes of participants.
    #[serde(default)]
    pub participants: Vec<String>,
    /// Level of the talks.
    #[serde(default)]
    pub level: Option<String>,
    /// Status of the talks.
    pub status: String,
    /// Day of the meeting.
    #[serde(default)]
    pub date: Option<String>,
}

/// A claim or report.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct GoldClaim {
    /// Who makes or reports it.
    pub source: String,
    /// What is claimed.
    #[serde(default)]
    pub gist: Option<String>,
    /// Reactions to it.
    #[serde(default)]
    pub reactions: Vec<GoldReaction>,
}

/// A reaction to a claim.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct GoldReaction {
    /// Who reacts.
    pub by: String,
    /// `deny`, `reject`, `confirm`, …
    pub stance: String,
}
