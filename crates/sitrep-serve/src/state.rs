//! What the handlers share: a pool of read-only store connections, the writer (when
//! writes are on), the engine, and the limits.
//!
//! `SqliteStore` holds a `rusqlite::Connection`, which is `Send` but not `Sync`: a
//! connection is used by one blocking task at a time. Reads take an idle connection from
//! the pool (or open one), run on tokio's blocking pool and put it back; a semaphore
//! bounds how many run at once, and so how many connections are ever open.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use axum::http::StatusCode;
use sitrep_engine::Engine;
use sitrep_store::SqliteStore;
use tokio::sync::Semaphore;

use crate::problem::ApiError;
use crate::{ServeConfig, ServeError};

/// The server's shared state: cheap to clone (an `Arc`).
#[derive(Clone)]
pub struct AppState {
    inner: Arc<Inner>,
}

struct Inner {
    db: PathBuf,
    /// Idle read-only connections.
    idle: Mutex<Vec<SqliteStore>>,
    /// Store work running at once (reads and writes alike).
    permits: Arc<Semaphore>,
    /// The writable store and the engine, when a write token is configured.
    writer: Option<Writer>,
    max_body_bytes: usize,
    request_timeout: std::time::Duration,
}

/// What `POST /api/v1/documents` needs.
pub(crate) struct Writer {
    pub(crate) token: String,
    pub(crate) store: Mutex<SqliteStore>,
    pub(crate) engine: Engine,
}

impl std::fmt::Debug for AppState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AppState")
            .field("db", &self.inner.db)
            .field("writable", &self.writable())
            .finish_non_exhaustive()
    }
}

/// Connections kept open beyond those in use, and at most this many store tasks at once.
fn concurrency() -> usize {
    std::thread::available_parallelism().map_or(4, |n| (n.get() * 2).clamp(4, 32))
}

impl AppState {
    /// Opens the store of `config`: read-only (it must exist, at this build's schema
    /// version), and, when a write token is set, also for writing (created and migrated
    /// if needed). Blocking: call it from a blocking context or before serving.
    pub fn open(config: &ServeConfig) -> Result<AppState, ServeError> {
        let writer = match &config.write_token {
            Some(token) if token.trim().is_empty() => {
                return Err(ServeError::Config("the write token is empty".into()))
            }
            Some(token) => Some(Writer {
                token: token.clone(),
                // Opened first: it creates and migrates the file the readers then open.
                store: Mutex::new(SqliteStore::open(&config.db)?),
                engine: Engine::new(),
            }),
            None => None,
        };
        // One reader now, so that a missing or incompatible file fails at start-up.
        let first = SqliteStore::open_read_only(&config.db)?;
        Ok(AppState {
            inner: Arc::new(Inner {
                db: config.db.clone(),
                idle: Mutex::new(vec![first]),
                permits: Arc::new(Semaphore::new(concurrency())),
                writer,
                max_body_bytes: config.max_body_bytes,
                request_timeout: config.request_timeout,
            }),
        })
    }

    /// The store's file.
    pub fn db(&self) -> &Path {
        &self.inner.db
    }

    /// Whether `POST /api/v1/documents` is enabled (a write token is configured).
    pub fn writable(&self) -> bool {
        self.inner.writer.is_some()
    }

    pub(crate) fn max_body_bytes(&self) -> usize {
        self.inner.max_body_bytes
    }

    pub(crate) fn request_timeout(&self) -> std::time::Duration {
        self.inner.request_timeout
    }

    pub(crate) fn writer(&self) -> Option<&Writer> {
        self.inner.writer.as_ref()
    }

    /// Runs `work` on a read-only connection on the blocking pool.
    pub(crate) async fn read<T, F>(&self, work: F) -> Result<T, ApiError>
    where
        T: Send + 'static,
        F: FnOnce(&SqliteStore) -> Result<T, ApiError> + Send + 'static,
    {
        let state = self.clone();
        self.blocking(move || {
            let store = state.take_reader()?;
            let result = work(&store);
            state.put_back(store);
            result
        })
        .await
    }

    /// Runs `work` on the blocking pool, once a permit is free. The permit is held until
    /// the work ends, even when the request has timed out meanwhile.
    pub(crate) async fn blocking<T, F>(&self, work: F) -> Result<T, ApiError>
    where
        T: Send + 'static,
        F: FnOnce() -> Result<T, ApiError> + Send + 'static,
    {
        let permit = Arc::clone(&self.inner.permits)
            .acquire_owned()
            .await
            .map_err(ApiError::internal)?;
        tokio::task::spawn_blocking(move || {
            let _permit = permit;
            work()
        })
        .await
        .map_err(|e| ApiError::internal(format!("a store task failed: {e}")))?
    }

    fn take_reader(&self) -> Result<SqliteStore, ApiError> {
        if let Some(store) = lock(&self.inner.idle).pop() {
            return Ok(store);
        }
        SqliteStore::open_read_only(&self.inner.db).map_err(|e| {
            ApiError::new(
                StatusCode::SERVICE_UNAVAILABLE,
                "store-unavailable",
                format!("the store cannot be opened: {e}"),
            )
        })
    }

    fn put_back(&self, store: SqliteStore) {
        let mut idle = lock(&self.inner.idle);
        if idle.len() < concurrency() {
            idle.push(store);
        }
    }
}

/// A mutex's guard; a panic in another holder leaves the data as usable as before (a
/// connection, a list of connections), so poisoning is ignored.
pub(crate) fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}
