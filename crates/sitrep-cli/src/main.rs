//! `sitrep`: the command-line face of the engine. Glue only: parse arguments, read
//! inputs with `sitrep-read`, run `sitrep-engine` across documents with rayon, write
//! records, and turn failures into messages and exit codes.

/// mimalloc instead of the system allocator: the stages build many short-lived
/// vectors and strings per document, and with glibc's malloc a tenth of the
/// pipeline's instructions were spent in allocation.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

mod args;
mod bench;
mod eval;
mod export;
mod extract;
mod ingest;
mod kb;
mod output;
mod query;
mod report;
mod serve;

use std::io::Write;
use std::process::ExitCode;

use clap::Parser;

use args::{Cli, Command};

fn main() -> ExitCode {
    let cli = Cli::parse();
    init_tracing();
    // A panic on one document becomes that document's failure line, not a crash report.
    sitrep_engine::isolate::install_quiet_hook();
    let result = match cli.command {
        Command::Extract(args) => extract::run(&args),
        Command::Ingest(args) => ingest::run(&args),
        Command::Query(args) => query::run(&args),
        Command::Report(args) => report::run(&args),
        Command::Serve(args) => serve::run(&args),
        Command::Eval(args) => eval::run(&args),
        Command::Kb(command) => kb::run(&command),
        Command::Export(args) => export::run(&args),
        Command::Bench(args) => bench::run(&args),
    };
    match result {
        Ok(code) => code,
        Err(err) if is_broken_pipe(&err) => ExitCode::SUCCESS,
        Err(err) => {
            let _ = writeln!(std::io::stderr(), "sitrep: error: {err:#}");
            ExitCode::FAILURE
        }
    }
}

/// Tracing is off unless `RUST_LOG` asks for it.
fn init_tracing() {
    if std::env::var_os("RUST_LOG").is_some() {
        let _ = tracing_subscriber::fmt()
            .with_env_filter(tracing_subscriber::EnvFilter::from_default_env())
            .with_writer(std::io::stderr)
            .try_init();
    }
}

/// `sitrep extract … | head` closes our stdout early; that is not an error.
fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain().any(|cause| {
        let io = cause
            .downcast_ref::<std::io::Error>()
            .map(std::io::Error::kind);
        // serde_json wraps the writer's error in its own type.
        let json = cause
            .downcast_ref::<serde_json::Error>()
            .and_then(serde_json::Error::io_error_kind);
        io.or(json) == Some(std::io::ErrorKind::BrokenPipe)
    })
}
