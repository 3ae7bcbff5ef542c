//! The HTTP API: a sitrep store served as JSON over HTTP, read-only unless a write token
//! is configured.
//!
//! # Place in the pipeline
//!
//! After the store. `sitrep ingest` (or this server's `POST /api/v1/documents`) fills a
//! store; this crate answers questions about it over HTTP with the same reads as
//! `sitrep query`: merged facts ([`sitrep_store::Store::facts`]), stories
//! ([`sitrep_store::Store::stories`]), stored documents and the evidence of each fact.
//! The CLI's `sitrep serve` calls [`serve`] (or [`run`]); nothing else depends on this
//! crate.
//!
//! # Boundaries
//!
//! * **The only async crate.** axum and tokio live here and nowhere else in the
//!   workspace. The store, engine and readers stay synchronous: every store access and
//!   every extraction runs on tokio's blocking pool (`spawn_blocking`), so a slow query
//!   never stalls the runtime. [`run`] wraps [`serve`] in a runtime of its own, so that
//!   callers need no tokio either.
//! * **Read-only by default.** Reads go through a small pool of connections opened with
//!   [`sitrep_store::SqliteStore::open_read_only`]: SQLite itself refuses any write on
//!   them. Only when [`ServeConfig::write_token`] is set does the server also open the
//!   store for writing (creating and migrating it if needed), and then only
//!   `POST /api/v1/documents` with `Authorization: Bearer TOKEN` writes.
//! * **Never fetches.** Posted documents carry their text; URLs are metadata, never
//!   followed.
//!
//! # Endpoints
//!
//! All under `/api/v1`, JSON in and out; the OpenAPI 3 description is served at
//! `/api/v1/openapi.json`, generated from the handlers and types of [`api`] by `utoipa`.
//! Errors are RFC 7807 problem details ([`problem::Problem`]).
//!
//! | method and path | answer |
//! |---|---|
//! | `GET /people`, `/quotes`, `/meetings`, `/events`, `/claims` | a page of merged facts |
//! | `GET /stories` | a page of stories |
//! | `GET /documents` | a page of stored documents (hash, title, outlet, url, published) |
//! | `GET /documents/{id}` | the document's whole `sitrep/1` record |
//! | `GET /facts/{id}/evidence` | one merged fact with every source and its evidence |
//! | `POST /documents` | extracts and stores documents (token required) |
//! | `GET /openapi.json` | this API, described |
//!
//! Lists take `since`, `until` (days, `YYYY-MM-DD`), `country` (ISO 3166-1 alpha-2),
//! `place`, `actor`, `story`, `q` (SQLite FTS5 full text), `limit` (1–1000, default 20)
//! and `cursor` (the `next` of the previous page).
//!
//! # The analyst page
//!
//! `GET /` is a page for analysts over the same API (timeline, map, people, quotes,
//! claims, disputes, and each fact's evidence highlighted in its articles); its
//! scripts, styles and map data are embedded in the binary and served under
//! `/assets/`, with a strict Content-Security-Policy (see `assets/vendor/README.md`
//! for the vendored files and their licences).
//!
//! # Around every request
//!
//! A body limit ([`ServeConfig::max_body_bytes`], 413 past it), a time limit
//! ([`ServeConfig::request_timeout`], 503 past it), gzip compression when the client
//! accepts it, and a `tracing` span per request (silent unless a subscriber is
//! installed). Error answers from the layers (413, 503, unknown paths, wrong methods)
//! are rewritten as problem details too, so that every error has one shape.
#![warn(missing_docs)]

pub mod api;
mod page;
pub mod problem;
mod state;
pub mod types;
mod write;

use std::future::Future;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use axum::Router;

pub use state::AppState;

/// How the server runs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServeConfig {
    /// The store's SQLite file. Without a write token it must exist already.
    pub db: PathBuf,
    /// Where to listen.
    pub addr: SocketAddr,
    /// The bearer token that `POST /api/v1/documents` must present. `None` (the
    /// default) serves the store read-only: the file is never opened for writing.
    pub write_token: Option<String>,
    /// Largest request body accepted, in bytes; larger ones are refused with 413.
    pub max_body_bytes: usize,
    /// Longest time a request may take before it is answered with 503.
    pub request_timeout: Duration,
}

impl ServeConfig {
    /// The default body limit: 16 MiB.
    pub const DEFAULT_MAX_BODY_BYTES: usize = 16 * 1024 * 1024;
    /// The default request time limit: 30 seconds.
    pub const DEFAULT_REQUEST_TIMEOUT: Duration = Duration::from_secs(30);

    /// A read-only server of `db` on `127.0.0.1:8080` with the default limits.
    pub fn new(db: impl Into<PathBuf>) -> ServeConfig {
        ServeConfig {
            db: db.into(),
            addr: SocketAddr::from(([127, 0, 0, 1], 8080)),
            write_token: None,
            max_body_bytes: ServeConfig::DEFAULT_MAX_BODY_BYTES,
            request_timeout: ServeConfig::DEFAULT_REQUEST_TIMEOUT,
        }
    }
}

/// Why the server could not start or stopped with an error.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ServeError {
    /// The store could not be opened (missing file, wrong schema version, …).
    #[error(transparent)]
    Store(#[from] sitrep_store::StoreError),
    /// The configuration cannot be served (an empty write token, …).
    #[error("bad server configuration: {0}")]
    Config(String),
    /// The address could not be bound.
    #[error("cannot listen on {addr}: {source}")]
    Bind {
        /// The address asked for.
        addr: SocketAddr,
        /// What the system said.
        source: std::io::Error,
    },
    /// Serving failed (the runtime could not start, or the listener broke).
    #[error("the server stopped: {0}")]
    Io(#[from] std::io::Error),
}

/// The API and the analyst page as an axum router, with every layer (body limit, time
/// limit, compression, tracing, problem details). [`serve`] serves it; tests call it
/// directly.
pub fn router(state: AppState) -> Router {
    api::router(state)
}

/// Serves the store of `config` until `shutdown` completes, then stops accepting
/// connections and returns once the requests in flight are answered.
pub async fn serve(
    config: ServeConfig,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> Result<(), ServeError> {
    let listener = tokio::net::TcpListener::bind(config.addr)
        .await
        .map_err(|source| ServeError::Bind {
            addr: config.addr,
            source,
        })?;
    serve_on(listener, config, shutdown).await
}

/// [`serve`] on a listener already bound (for instance to port 0, to learn the port
/// from [`tokio::net::TcpListener::local_addr`] first). `config.addr` is not used.
pub async fn serve_on(
    listener: tokio::net::TcpListener,
    config: ServeConfig,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> Result<(), ServeError> {
    // Opening may migrate a store that is to be written: blocking work.
    let state = tokio::task::spawn_blocking(move || AppState::open(&config))
        .await
        .map_err(|e| ServeError::Io(std::io::Error::other(e)))??;
    let local = listener.local_addr()?;
    tracing::info!(
        addr = %local,
        db = %state.db().display(),
        writable = state.writable(),
        "serving the store"
    );
    axum::serve(listener, router(state))
        .with_graceful_shutdown(shutdown)
        .await?;
    tracing::info!("server stopped");
    Ok(())
}

/// Completes on Ctrl-C (SIGINT) or, on Unix, SIGTERM: the usual `shutdown` for
/// [`serve`].
pub async fn shutdown_signal() {
    let ctrl_c = async {
        if tokio::signal::ctrl_c().await.is_err() {
            // No handler could be installed: never complete on this branch.
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = term => {},
    }
    tracing::info!("shutting down");
}

/// Serves until Ctrl-C or SIGTERM on a multi-threaded tokio runtime of its own, blocking
/// the calling thread: the entry point for synchronous callers such as the CLI.
pub fn run(config: ServeConfig) -> Result<(), ServeError> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .thread_name("sitrep-serve")
        .build()?;
    runtime.block_on(serve(config, shutdown_signal()))
}
