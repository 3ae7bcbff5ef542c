//! `sitrep serve`: the command line handed to `sitrep-serve`, which owns the async
//! runtime (the CLI itself stays synchronous).

use std::process::ExitCode;
use std::time::Duration;

use anyhow::{bail, Context, Result};
use sitrep_serve::ServeConfig;

use crate::args::ServeArgs;

/// The environment variable that may carry the write token.
const TOKEN_VARIABLE: &str = "SITREP_WRITE_TOKEN";

/// Runs `sitrep serve` until Ctrl-C or SIGTERM.
pub fn run(args: &ServeArgs) -> Result<ExitCode> {
    let write_token = match &args.write_token_file {
        Some(path) => {
            let token = std::fs::read_to_string(path)
                .with_context(|| format!("cannot read the write token from {}", path.display()))?;
            Some(token.trim().to_owned())
        }
        None => std::env::var(TOKEN_VARIABLE)
            .ok()
            .map(|t| t.trim().to_owned()),
    };
    if write_token.as_deref() == Some("") {
        bail!("the write token is empty: give a non-empty token or none (read-only)");
    }
    let config = ServeConfig {
        db: args.db.clone(),
        addr: args.addr,
        write_token,
        max_body_bytes: args.max_body_mib.max(1) * 1024 * 1024,
        request_timeout: Duration::from_secs(args.timeout.max(1)),
    };
    let writes = if config.write_token.is_some() {
        "writes need the token"
    } else {
        "read-only"
    };
    eprintln!(
        "sitrep: serving {} on http://{}/api/v1 ({writes}); Ctrl-C stops",
        config.db.display(),
        config.addr
    );
    sitrep_serve::run(config).context("the server stopped")?;
    Ok(ExitCode::SUCCESS)
}
