//! What the binary's integration tests share: running `sitrep` and finding the repo.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The `sitrep` binary under test.
pub fn sitrep() -> Command {
    Command::new(env!("CARGO_BIN_EXE_sitrep"))
}

/// The repository root (for the bundled examples).
pub fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// Runs a command to its end.
pub fn run(cmd: &mut Command) -> Output {
    cmd.output().expect("sitrep runs")
}
