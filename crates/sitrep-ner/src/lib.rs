//! # sitrep-ner: the learned named-entity tagger
//!
//! Finds people (`PER`), organisations (`ORG`) and places (`LOC`) in tokenised
//! sentences. It is the learned half of sitrep's *recognise* stage: the engine runs it
//! next to the knowledge-base matcher and resolves conflicts between the two. The tagger
//! itself sees only tokens; what it knows of the knowledge base and of person-name lists
//! comes in as one byte of [`flags`] per token, computed by [`Gazetteer`] from a text
//! and its tokens' byte ranges.
//!
//! ```no_run
//! use sitrep_ner::gazetteer::Scratch;
//! use sitrep_ner::{EntityType, Gazetteer, Tagger};
//! let tagger = Tagger::embedded()?;
//! let tokens = ["Defence", "Secretary", "John", "Healey", "visited", "Kyiv", "."];
//! let mut flags = Vec::new();
//! Gazetteer::embedded().flags_for_tokens(&tokens, &mut Scratch::new(), &mut flags);
//! let extra = tagger.uses_flags().then_some(flags.as_slice());
//! for (range, ty) in tagger.entities(&tokens, extra) {
//!     println!("{ty}: {}", tokens[range].join(" "));
//! }
//! # Ok::<(), sitrep_ner::ModelError>(())
//! ```
//!
//! ## Design
//! - **Model**: a linear-chain *structured perceptron* with weight averaging, decoded by
//!   first-order Viterbi over BIO labels (7 labels: `O`, `B-`/`I-` × 3 types). Invalid
//!   transitions (`O → I-X`, `B-Y → I-X`) are excluded in the decoder, so output is
//!   always well-formed BIO. No ML framework: the whole model is a table of weight rows
//!   plus an 8×7 transition matrix ([`model`]).
//! - **Features** ([`features`]): 46 templates per token — lower-cased word, exact word,
//!   word shape (`Xxxx`, `XX`, `dd`, `xx-xx`) and collapsed shape, prefixes and suffixes
//!   of 1–4 characters, capitalisation bits, sentence-initial position, words and shapes
//!   at ±1 and ±2, word bigrams, a shape trigram, and the sentence's casing style
//!   (normal, ALL CAPS, no capitals, Title Case) conjoined with the token's
//!   capitalisation, so that web text written in lower case does not teach the model to
//!   ignore capitals in news; runs of capitalised words (joined by "of", "and", …) give
//!   each of their tokens the run's first and last word ("… Housing Action *Center*").
//!   Features are hashed to 32-bit keys straight from bytes (lower-casing into a stack
//!   buffer): no strings and no per-token allocation.
//! - **Gazetteer bits** ([`gazetteer`]): one byte of [`flags`] per token — inside a
//!   knowledge-base place, country, organisation or metonym, title, demonym; first token
//!   of a KB match; a known given name or surname (US Census and Faker name lists,
//!   public figures). They become features of the token and its neighbours, conjoined
//!   with capitalisation and sentence casing. The committed model was trained with them
//!   ([`Tagger::uses_flags`]); callers compute them with [`Gazetteer`] exactly as
//!   training did (the engine once per document, gold-file evaluation per sentence of
//!   space-joined tokens).
//! - **Model file**: rows sorted by key, each a scale plus one `i8` weight per label; a
//!   checksummed header with format and feature-code versions. Loading validates
//!   everything (damaged bytes are an error, never a panic) and fills an
//!   open-addressing table of 16-byte slots. [`Tagger::embedded`] parses the committed
//!   model, which is compiled into the binary, once.
//! - **Training** ([`train`], binary `train-ner`): deterministic (fixed-seed shuffling),
//!   epochs chosen on the dev split, never the test split.
//! - **Evaluation** ([`eval`], binary `eval-ner`): IOB2 reading and conlleval-style
//!   entity-level exact-match precision/recall/F1 per type and micro-averaged.
//!
//! ## License of the weights
//! The code is MIT (the workspace license). The committed weights (`data/models/ner-en.bin`) are derived
//! from UNER English-EWT (CC BY-SA 4.0) and are distributed under CC BY-SA 4.0; see
//! `data/models/NER.md`.

#![warn(missing_docs)]

pub mod eval;
pub mod features;
pub mod gazetteer;
mod label;
pub mod model;
pub mod train;

pub use gazetteer::Gazetteer;
pub use label::{bio_spans, EntityType, Label};
pub use model::{ModelError, TagBuffers, Tagger};

/// Per-token gazetteer bits for the `extra` argument of [`Tagger::tag`].
///
/// Several may be set on one token. [`gazetteer::Gazetteer`] derives them from the
/// knowledge base and the person-name lists; the tagger turns the bit pattern into
/// features of the token and its neighbours.
pub mod flags {
    /// Token is a known surname or a word of a known person's name (census surname
    /// list, public figures, KB person-name variants).
    pub const PERSON: u8 = 0x01;
    /// Token is part of a known place name (gazetteer).
    pub const PLACE: u8 = 0x02;
    /// Token is part of a known organisation name or a government metonym.
    pub const ORG: u8 = 0x04;
    /// Token is a title or role word ("President", "spokesman", "General").
    pub const TITLE: u8 = 0x08;
    /// Token is part of a country name.
    pub const COUNTRY: u8 = 0x10;
    /// Token is a nationality adjective or people noun ("Ukrainian", "Iraqis").
    pub const DEMONYM: u8 = 0x20;
    /// Token is a known given name (census first-name lists, public figures).
    pub const GIVEN_NAME: u8 = 0x40;
    /// Token is the first token of a knowledge-base match.
    pub const BEGIN: u8 = 0x80;
    /// All bits defined so far.
    pub const ALL: u8 = PERSON | PLACE | ORG | TITLE | COUNTRY | DEMONYM | GIVEN_NAME | BEGIN;
}
