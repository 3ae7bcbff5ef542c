//! `train-ner`: trains the tagger from IOB2 files and writes the binary model.
//!
//! ```text
//! train-ner --train TRAIN.iob2 --dev DEV.iob2 --out data/models/ner-en.bin
//!           [--max-epochs N] [--patience N] [--seed N] [--min-count N]
//! ```
//! The dev file chooses the epoch (early stopping); never pass a test split.

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use sitrep_ner::eval::{evaluate, read_iob2};
use sitrep_ner::train::{train, TrainConfig};

struct Args {
    train: PathBuf,
    dev: PathBuf,
    out: PathBuf,
    cfg: TrainConfig,
    refit: bool,
}

fn parse_args() -> Result<Args, String> {
    let mut it = std::env::args().skip(1);
    let (mut train, mut dev, mut out) = (None, None, None);
    let mut cfg = TrainConfig::default();
    let mut refit = false;
    while let Some(a) = it.next() {
        let mut val = || it.next().ok_or_else(|| format!("{a} needs a value"));
        let num = |v: String| v.parse::<u64>().map_err(|e| format!("{a}: {e}"));
        match a.as_str() {
            "--train" => train = Some(PathBuf::from(val()?)),
            "--dev" => dev = Some(PathBuf::from(val()?)),
            "--out" => out = Some(PathBuf::from(val()?)),
            "--max-epochs" => cfg.max_epochs = num(val()?)? as usize,
            "--patience" => cfg.patience = num(val()?)? as usize,
            "--seed" => cfg.seed = num(val()?)?,
            "--min-count" => cfg.min_count = num(val()?)? as u32,
            "--lower-every" => cfg.lower_every = num(val()?)? as usize,
            "--upper-every" => cfg.upper_every = num(val()?)? as usize,
            "--ensemble" => cfg.ensemble = num(val()?)? as usize,
            "--cost" => cfg.cost = val()?.parse().map_err(|e| format!("--cost: {e}"))?,
            "--tune-o-penalty" => cfg.tune_o_penalty = true,
            "--word-dropout" => {
                cfg.word_dropout = val()?.parse().map_err(|e| format!("--word-dropout: {e}"))?
            }
            "--refit-with-dev" => refit = true,
            "--kb" => cfg.kb_flags = true,
            "--flag-dropout" => {
                cfg.flag_dropout = val()?.parse().map_err(|e| format!("--flag-dropout: {e}"))?
            }
            "-h" | "--help" => return Err(String::new()),
            other => return Err(format!("unknown argument {other}")),
        }
    }
    Ok(Args {
        train: train.ok_or("--train is required")?,
        dev: dev.ok_or("--dev is required")?,
        out: out.ok_or("--out is required")?,
        cfg,
        refit,
    })
}

fn main() -> ExitCode {
    let args = match parse_args() {
        Ok(a) => a,
        Err(e) => {
            if !e.is_empty() {
                eprintln!("train-ner: {e}");
            }
            eprintln!(
                "usage: train-ner --train FILE --dev FILE --out MODEL [--max-epochs N] [--patience N] [--seed N] [--min-count N] [--lower-every N] [--upper-every N] [--ensemble N] [--cost X] [--word-dropout P] [--tune-o-penalty] [--refit-with-dev] [--kb] [--flag-dropout P]"
            );
            return ExitCode::from(2);
        }
    };
    match run(&args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("train-ner: {e}");
            ExitCode::FAILURE
        }
    }
}

fn run(args: &Args) -> Result<(), Box<dyn std::error::Error>> {
    let train_set = read_iob2(&args.train)?;
    let dev_set = read_iob2(&args.dev)?;
    eprintln!("config: {:?}", args.cfg);
    let start = Instant::now();
    let mut trained = train(&train_set, &dev_set, &args.cfg, |line| eprintln!("{line}"))?;
    eprintln!(
        "trained in {:.1} s; best epoch {}; O penalty {:.2}; {} features seen, {} rows kept",
        start.elapsed().as_secs_f64(),
        trained.best_epoch,
        trained.o_penalty,
        trained.features_seen,
        trained.tagger.rows()
    );
    let bytes = trained.tagger.to_bytes();
    let loaded = sitrep_ner::Tagger::from_bytes(&bytes)?;
    println!(
        "dev, model trained on train only ({}):\n{}",
        args.dev.display(),
        evaluate(&loaded, &dev_set)
    );
    if args.refit {
        // Same settings, train+dev as training data, the epoch count and O penalty chosen
        // above; dev no longer chooses anything (its scores below are training scores).
        let mut cfg = args.cfg.clone();
        cfg.fixed_epochs = Some(trained.best_epoch.max(1));
        cfg.o_penalty = Some(trained.o_penalty);
        let all: Vec<_> = train_set.iter().chain(&dev_set).cloned().collect();
        eprintln!(
            "refitting on train+dev ({} sentences), {} epochs",
            all.len(),
            trained.best_epoch
        );
        trained = train(&all, &dev_set, &cfg, |line| eprintln!("{line}"))?;
        eprintln!("refit: {} rows kept", trained.tagger.rows());
    }
    let bytes = trained.tagger.to_bytes();
    if let Some(dir) = args.out.parent() {
        if !dir.as_os_str().is_empty() {
            std::fs::create_dir_all(dir)?;
        }
    }
    std::fs::write(&args.out, &bytes)
        .map_err(|e| format!("writing {}: {e}", args.out.display()))?;
    eprintln!("wrote {} ({} bytes)", args.out.display(), bytes.len());
    // The written bytes must load; score them as a loaded tagger sees them.
    let loaded = sitrep_ner::Tagger::from_bytes(&bytes)?;
    if !args.refit {
        println!(
            "dev, written model ({}):\n{}",
            args.dev.display(),
            evaluate(&loaded, &dev_set)
        );
    }
    Ok(())
}
