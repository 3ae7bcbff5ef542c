//! Training: an averaged structured perceptron (Collins 2002) over the same features and
//! BIO-constrained Viterbi decoder that [`Tagger`] uses.
//!
//! Features of the training sentences are extracted once and mapped to dense ids.
//! Each epoch visits the sentences in an order shuffled by a fixed-seed generator, decodes
//! with the current weights, and on a wrong path adds the gold path's features and
//! transitions and subtracts the predicted path's. Averaging uses the usual
//! `w − u/c` trick (u accumulates each update times the instance counter c). After each
//! epoch the averaged weights are scored on the dev set; the best epoch wins and training
//! stops after `patience` epochs without improvement. The result is quantised to one
//! `i8` per label with a per-row scale, dropping rows that are all zero.

use std::collections::HashMap;

use crate::eval::{Counter, Sentence};
use crate::features::{Extractor, NUM_FEATURES};
use crate::gazetteer::{Gazetteer, Scratch};
use crate::label::Label;
use crate::model::{viterbi, ModelError, Row, Tagger};

const NL: usize = Label::COUNT;

/// Training settings.
#[derive(Debug, Clone)]
pub struct TrainConfig {
    /// Maximum number of epochs.
    pub max_epochs: usize,
    /// Stop after this many epochs without a better dev micro F1.
    pub patience: usize,
    /// Seed of the shuffling generator (training is deterministic for a given seed).
    pub seed: u64,
    /// Keep only features seen at least this often in training.
    pub min_count: u32,
    /// Also train on a lower-cased copy of every `lower_every`-th sentence that has an
    /// entity (0 = never), so that casing is a hint, not the only cue.
    pub lower_every: usize,
    /// Also train on an upper-cased copy of every `upper_every`-th sentence that has an
    /// entity (0 = never), for ALL-CAPS headlines and shouting.
    pub upper_every: usize,
    /// Train this many models with seeds `seed, seed+1, …` (each stopped at its own best
    /// dev epoch) and average their weights: less variance from the shuffling order.
    pub ensemble: usize,
    /// Margin added to every wrong label while decoding a training sentence (0 = plain
    /// perceptron).
    pub cost: f32,
    /// Probability of hiding a training token's word-identity features in an update.
    pub word_dropout: f32,
    /// Choose a penalty on the `O` label on dev after training (see [`train`]).
    pub tune_o_penalty: bool,
    /// Use this O penalty (fraction of the largest weight) instead of tuning one.
    pub o_penalty: Option<f32>,
    /// Run exactly this many epochs and keep the last one (no dev-based choice): for
    /// refitting on train+dev with an epoch count chosen earlier.
    pub fixed_epochs: Option<usize>,
    /// Compute gazetteer bits ([`crate::flags`]) for every sentence with the embedded
    /// [`Gazetteer`] and train on them.
    pub kb_flags: bool,
    /// Probability of hiding a training token's name-list bits (`GIVEN_NAME`, `PERSON`;
    /// decided once per token,
    /// by a fixed-seed generator), so that the model does not learn that a name missing
    /// from the lists is no name: news names people the census lists never heard of.
    pub flag_dropout: f32,
}

impl Default for TrainConfig {
    fn default() -> Self {
        TrainConfig {
            max_epochs: 30,
            patience: 4,
            seed: 0x0051_72e9,
            min_count: 1,
            lower_every: 0,
            upper_every: 0,
            ensemble: 1,
            cost: 0.0,
            word_dropout: 0.0,
            tune_o_penalty: false,
            o_penalty: None,
            fixed_epochs: None,
            kb_flags: false,
            flag_dropout: 0.0,
        }
    }
}

/// What happened in one epoch.
#[derive(Debug, Clone, serde::Serialize)]
pub struct EpochReport {
    /// 1-based epoch number.
    pub epoch: usize,
    /// Sentences whose predicted path was wrong during the epoch.
    pub mistakes: usize,
    /// Dev micro F1 of the averaged weights after the epoch.
    pub dev_f1: f64,
}

/// The best epoch so far: dev F1, epoch, averaged weights and transitions.
type Best = (f64, usize, Vec<f32>, [[f32; NL]; NL + 1]);

/// Result of [`train`].
#[derive(Debug, Clone)]
pub struct Trained {
    /// The quantised tagger of the best epoch.
    pub tagger: Tagger,
    /// The epoch whose weights were kept.
    pub best_epoch: usize,
    /// Per-epoch progress.
    pub epochs: Vec<EpochReport>,
    /// Number of distinct features seen in training (before dropping zero rows).
    pub features_seen: usize,
    /// The O penalty applied, as a fraction of the largest weight.
    pub o_penalty: f32,
}

/// Feature slots that name the token's own word (see `features::Extractor::features`):
/// lower-cased word, exact word, word bigrams with neighbours, word × sentence start.
const WORD_TEMPLATES: &[usize] = &[1, 2, 25, 26, 35];

/// SplitMix64: a tiny deterministic generator for shuffling.
struct SplitMix(u64);

impl SplitMix {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

/// A sentence as dense feature ids (`u32::MAX` = unknown/absent) and gold label indices.
struct Encoded {
    feats: Vec<u32>,
    gold: Vec<u8>,
}

fn encode(
    sentences: &[Sentence],
    ids: &mut HashMap<u32, u32>,
    keys: &mut Vec<u32>,
    grow: bool,
    gaz: Option<&Gazetteer>,
    flag_dropout: f32,
) -> Vec<Encoded> {
    let mut rng = SplitMix(0x0066_6c61_6773);
    let mut x = Extractor::new();
    let mut scratch = Scratch::new();
    let mut flags = Vec::new();
    let mut f = [0u32; NUM_FEATURES];
    let mut out = Vec::with_capacity(sentences.len());
    for s in sentences {
        let toks: Vec<&str> = s.tokens.iter().map(String::as_str).collect();
        let extra = gaz.map(|g| {
            g.flags_for_tokens(&toks, &mut scratch, &mut flags);
            if flag_dropout > 0.0 {
                const NAMES: u8 = crate::flags::GIVEN_NAME | crate::flags::PERSON;
                for f in flags.iter_mut() {
                    if *f & NAMES != 0 && (rng.next() % 10_000) as f32 / 10_000.0 < flag_dropout {
                        *f &= !NAMES;
                    }
                }
            }
            flags.as_slice()
        });
        x.prepare(&toks, extra);
        let mut feats = Vec::with_capacity(toks.len() * NUM_FEATURES);
        for i in 0..toks.len() {
            x.features(i, &mut f);
            for &k in &f {
                let id = if k == 0 {
                    u32::MAX
                } else if grow {
                    *ids.entry(k).or_insert_with(|| {
                        keys.push(k);
                        (keys.len() - 1) as u32
                    })
                } else {
                    ids.get(&k).copied().unwrap_or(u32::MAX)
                };
                feats.push(id);
            }
        }
        out.push(Encoded {
            feats,
            gold: s.labels.iter().map(|l| l.index() as u8).collect(),
        });
    }
    out
}

fn emissions(feats: &[u32], w: &[f32], out: &mut Vec<[f32; NL]>) {
    out.clear();
    for tok in feats.chunks_exact(NUM_FEATURES) {
        let mut sc = [0f32; NL];
        for &id in tok {
            if id != u32::MAX {
                let row = &w[id as usize * NL..id as usize * NL + NL];
                for (s, &x) in sc.iter_mut().zip(row) {
                    *s += x;
                }
            }
        }
        out.push(sc);
    }
}

fn dev_f1(dev: &[Encoded], w: &[f32], trans: &[[f32; NL]; NL + 1]) -> f64 {
    let mut c = Counter::new();
    let (mut em, mut back, mut path) = (Vec::new(), Vec::new(), Vec::new());
    let to_labels = |v: &[u8]| -> Vec<Label> {
        v.iter()
            .map(|&i| Label::from_index(i as usize).unwrap_or(Label::O))
            .collect()
    };
    for e in dev {
        emissions(&e.feats, w, &mut em);
        viterbi(&em, trans, &mut back, &mut path);
        c.add(&to_labels(&e.gold), &to_labels(&path));
    }
    c.scores().micro.f1
}

/// Trains on `train`, choosing the epoch by micro F1 on `dev`. `log` receives one line
/// per epoch. Fails only if the learnt rows cannot form a model (which would be a bug).
pub fn train(
    train: &[Sentence],
    dev: &[Sentence],
    cfg: &TrainConfig,
    mut log: impl FnMut(&str),
) -> Result<Trained, ModelError> {
    let mut ids = HashMap::new();
    let mut keys = Vec::new();
    let augmented = augment(train, cfg);
    let gaz = cfg.kb_flags.then(Gazetteer::embedded);
    let mut data = encode(train, &mut ids, &mut keys, true, gaz, cfg.flag_dropout);
    data.extend(encode(
        &augmented,
        &mut ids,
        &mut keys,
        true,
        gaz,
        cfg.flag_dropout,
    ));
    if cfg.min_count > 1 {
        let mut counts = vec![0u32; keys.len()];
        for e in &data {
            for &id in &e.feats {
                if id != u32::MAX {
                    counts[id as usize] += 1;
                }
            }
        }
        for e in &mut data {
            for id in &mut e.feats {
                if *id != u32::MAX && counts[*id as usize] < cfg.min_count {
                    *id = u32::MAX;
                }
            }
        }
    }
    let dev_data = encode(dev, &mut ids, &mut keys, false, gaz, 0.0);
    let nf = keys.len();
    log(&format!(
        "{} training sentences, {} features",
        data.len(),
        nf
    ));
    let runs = cfg.ensemble.max(1);
    let mut weights = vec![0f32; nf * NL];
    let mut trans = [[0f32; NL]; NL + 1];
    let mut reports = Vec::new();
    let mut best_epoch = 0;
    for r in 0..runs {
        let seed = cfg.seed.wrapping_add(r as u64);
        let (w, t, epoch, mut rep) = train_one(&data, &dev_data, nf, cfg, seed, &mut log);
        for (a, b) in weights.iter_mut().zip(&w) {
            *a += b / runs as f32;
        }
        for (ra, rb) in trans.iter_mut().zip(&t) {
            for (a, b) in ra.iter_mut().zip(rb) {
                *a += b / runs as f32;
            }
        }
        best_epoch = epoch;
        reports.append(&mut rep);
    }
    if runs > 1 {
        let f1 = dev_f1(&dev_data, &weights, &trans);
        log(&format!("ensemble of {runs}: dev micro F1 {f1:.2}"));
    }
    // Perceptrons trained on sparse data are conservative (precision well above
    // recall). Lowering every transition into O by `delta` is the same as lowering the O
    // score of every token; pick delta on dev from a small grid.
    let scale = weights.iter().fold(0f32, |m, &x| m.max(x.abs())).max(1.0);
    let mut o_penalty = cfg.o_penalty.unwrap_or(0.0);
    if cfg.o_penalty.is_none() && cfg.tune_o_penalty {
        let mut best = (dev_f1(&dev_data, &weights, &trans), 0f32);
        for step in 1..=20 {
            let frac = step as f32 * 0.01;
            let mut t = trans;
            for row in t.iter_mut() {
                row[0] -= frac * scale;
            }
            let f1 = dev_f1(&dev_data, &weights, &t);
            log(&format!("O penalty {frac:.2}: dev micro F1 {f1:.2}"));
            if f1 > best.0 {
                best = (f1, frac);
            }
        }
        o_penalty = best.1;
        log(&format!(
            "chosen O penalty {:.2} (dev micro F1 {:.2})",
            best.1, best.0
        ));
    }
    for row in trans.iter_mut() {
        row[0] -= o_penalty * scale;
    }
    let rows = quantise(&keys, &weights);
    let tagger = Tagger::from_rows(&rows, trans)?;
    Ok(Trained {
        tagger,
        best_epoch,
        epochs: reports,
        features_seen: nf,
        o_penalty,
    })
}

/// One perceptron run; returns the averaged weights and transitions of its best dev
/// epoch, that epoch, and the per-epoch reports.
fn train_one(
    data: &[Encoded],
    dev_data: &[Encoded],
    nf: usize,
    cfg: &TrainConfig,
    seed: u64,
    log: &mut impl FnMut(&str),
) -> (Vec<f32>, [[f32; NL]; NL + 1], usize, Vec<EpochReport>) {
    let mut w = vec![0f32; nf * NL];
    let mut u = vec![0f64; nf * NL];
    let mut tw = [[0f32; NL]; NL + 1];
    let mut tu = [[0f64; NL]; NL + 1];
    let mut c: f64 = 1.0;
    let mut rng = SplitMix(seed);
    let mut order: Vec<usize> = (0..data.len()).collect();
    let mut dropped: Vec<u32> = Vec::new();
    let (mut em, mut back, mut path) = (Vec::new(), Vec::new(), Vec::new());
    let mut avg = vec![0f32; nf * NL];
    let mut best: Option<Best> = None;
    let mut reports = Vec::new();

    let max_epochs = cfg.fixed_epochs.unwrap_or(cfg.max_epochs);
    for epoch in 1..=max_epochs {
        for i in (1..order.len()).rev() {
            let j = rng.below(i + 1);
            order.swap(i, j);
        }
        let mut mistakes = 0;
        for &si in &order {
            let e = &data[si];
            let feats: &[u32] = if cfg.word_dropout > 0.0 {
                // Word dropout: hide the token's own word features now and then, so that
                // context, shape and affixes must carry names never seen in training.
                dropped.clear();
                dropped.extend_from_slice(&e.feats);
                for tok in dropped.chunks_exact_mut(NUM_FEATURES) {
                    if (rng.next() % 10_000) as f32 / 10_000.0 < cfg.word_dropout {
                        for &j in WORD_TEMPLATES {
                            tok[j] = u32::MAX;
                        }
                    }
                }
                &dropped
            } else {
                &e.feats
            };
            emissions(feats, &w, &mut em);
            if cfg.cost > 0.0 {
                // Cost-augmented decoding: wrong labels look better by `cost`, so updates
                // also happen on paths that are right by too small a margin.
                for (sc, &g) in em.iter_mut().zip(&e.gold) {
                    for (l, x) in sc.iter_mut().enumerate() {
                        if l != g as usize {
                            *x += cfg.cost;
                        }
                    }
                }
            }
            viterbi(&em, &tw, &mut back, &mut path);
            if path != e.gold {
                mistakes += 1;
                let mut prev_g = 0usize;
                let mut prev_p = 0usize;
                for (i, tok) in feats.chunks_exact(NUM_FEATURES).enumerate() {
                    let g = e.gold[i] as usize;
                    let p = path[i] as usize;
                    if g != p {
                        for &id in tok {
                            if id == u32::MAX {
                                continue;
                            }
                            let base = id as usize * NL;
                            w[base + g] += 1.0;
                            w[base + p] -= 1.0;
                            u[base + g] += c;
                            u[base + p] -= c;
                        }
                    }
                    if (prev_g, g) != (prev_p, p) {
                        tw[prev_g][g] += 1.0;
                        tw[prev_p][p] -= 1.0;
                        tu[prev_g][g] += c;
                        tu[prev_p][p] -= c;
                    }
                    prev_g = g + 1;
                    prev_p = p + 1;
                }
            }
            c += 1.0;
        }
        for ((a, &wi), &ui) in avg.iter_mut().zip(&w).zip(&u) {
            *a = (f64::from(wi) - ui / c) as f32;
        }
        let mut tavg = [[0f32; NL]; NL + 1];
        for r in 0..NL + 1 {
            for l in 0..NL {
                tavg[r][l] = (f64::from(tw[r][l]) - tu[r][l] / c) as f32;
            }
        }
        let f1 = dev_f1(dev_data, &avg, &tavg);
        log(&format!(
            "epoch {epoch:>2}: {mistakes:>5} wrong sentences, dev micro F1 {f1:.2}"
        ));
        reports.push(EpochReport {
            epoch,
            mistakes,
            dev_f1: f1,
        });
        let improved = cfg.fixed_epochs.is_some() || best.as_ref().is_none_or(|b| f1 > b.0);
        if improved {
            best = Some((f1, epoch, avg.clone(), tavg));
        } else if best.as_ref().is_some_and(|b| epoch >= b.1 + cfg.patience) {
            break;
        }
        if mistakes == 0 && cfg.fixed_epochs.is_none() {
            break;
        }
    }

    let (_, best_epoch, weights, trans) = best.unwrap_or((0.0, 0, avg, [[0.0; NL]; NL + 1]));
    (weights, trans, best_epoch, reports)
}

/// Case-changed copies of some training sentences (see [`TrainConfig::lower_every`]).
fn augment(train: &[Sentence], cfg: &TrainConfig) -> Vec<Sentence> {
    let mut out = Vec::new();
    let with_entities = train
        .iter()
        .filter(|s| s.labels.iter().any(|&l| l != Label::O));
    for (n, s) in with_entities.enumerate() {
        if cfg.lower_every > 0 && n % cfg.lower_every == 0 {
            out.push(Sentence {
                id: s.id.clone(),
                tokens: s.tokens.iter().map(|t| t.to_lowercase()).collect(),
                labels: s.labels.clone(),
            });
        }
        if cfg.upper_every > 0 && n % cfg.upper_every == 0 {
            out.push(Sentence {
                id: s.id.clone(),
                tokens: s.tokens.iter().map(|t| t.to_uppercase()).collect(),
                labels: s.labels.clone(),
            });
        }
    }
    out
}

/// Per-row quantisation to `i8` with scale = max |w| / 127; all-zero rows are dropped.
fn quantise(keys: &[u32], w: &[f32]) -> Vec<Row> {
    let mut rows = Vec::new();
    for (id, &key) in keys.iter().enumerate() {
        let row = &w[id * NL..id * NL + NL];
        let max = row.iter().fold(0f32, |m, &x| m.max(x.abs()));
        if max < 1e-4 {
            continue;
        }
        let scale = max / 127.0;
        let mut q = [0i8; NL];
        for (qi, &x) in q.iter_mut().zip(row) {
            *qi = (x / scale).round().clamp(-127.0, 127.0) as i8;
        }
        if q.iter().all(|&x| x == 0) {
            continue;
        }
        rows.push((key, scale, q));
    }
    rows.sort_unstable_by_key(|r| r.0);
    rows
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::label::EntityType;

    fn sent(words: &str, tags: &str) -> Sentence {
        Sentence {
            id: String::new(),
            tokens: words.split(' ').map(str::to_owned).collect(),
            labels: tags.split(' ').map(|t| Label::parse(t).unwrap()).collect(),
        }
    }

    #[test]
    fn learns_a_toy_set_deterministically() {
        let data = vec![
            sent("Peskov said Moscow agreed", "B-PER O B-LOC O"),
            sent("Healey visited Kyiv today", "B-PER O B-LOC O"),
            sent(
                "John Smith works at Acme Corp",
                "B-PER I-PER O O B-ORG I-ORG",
            ),
            sent("the talks in London ended", "O O O B-LOC O"),
        ];
        let cfg = TrainConfig {
            max_epochs: 10,
            patience: 10,
            ..TrainConfig::default()
        };
        let a = train(&data, &data, &cfg, |_| {}).unwrap();
        let b = train(&data, &data, &cfg, |_| {}).unwrap();
        assert_eq!(a.tagger.to_bytes(), b.tagger.to_bytes());
        assert!(a.epochs.last().unwrap().dev_f1 > 99.0);
        let ents = a
            .tagger
            .entities(&["Healey", "said", "Moscow", "agreed"], None);
        assert_eq!(ents, vec![(0..1, EntityType::Per), (2..3, EntityType::Loc)]);
    }
}
