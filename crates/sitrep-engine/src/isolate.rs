//! Fault isolation: a bug that panics on one document must not take a batch down.
//!
//! [`Engine::try_extract`](crate::Engine::try_extract) runs the pipeline under
//! `catch_unwind` and turns a panic into an [`InternalError`] that names the stage that
//! was running (tracked in a thread-local that the pipeline updates as it goes) and the
//! panic's message and source location. Readers can be wrapped the same way with
//! [`catch`]. The release profile must keep `panic = "unwind"` for this to work.
//!
//! The default panic hook prints every panic to stderr with a backtrace hint, which would
//! drown the one-line failure the CLI prints. [`install_quiet_hook`] replaces it, for
//! panics caught here only, by one that records the message and location for the
//! [`InternalError`]; panics elsewhere still go to the previous hook.

use std::any::Any;
use std::cell::{Cell, RefCell};
use std::fmt;
use std::panic::{self, AssertUnwindSafe};
use std::sync::Once;

thread_local! {
    /// The stage running on this thread, for the error message of a panic.
    static STAGE: Cell<&'static str> = const { Cell::new("") };
    /// How many [`catch`] calls are active on this thread (they can nest).
    static CATCHING: Cell<u32> = const { Cell::new(0) };
    /// What the quiet hook saw of the last panic on this thread: message and location.
    static LAST_PANIC: RefCell<Option<String>> = const { RefCell::new(None) };
}

/// A panic inside sitrep, caught and turned into a value: which stage, and what.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InternalError {
    /// The stage that was running (`read`, `segment`, `recognise`, …, `record`).
    pub stage: &'static str,
    /// The panic message, with its source location when the quiet hook saw it.
    pub message: String,
}

impl fmt::Display for InternalError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "internal error in {}: {}", self.stage, self.message)
    }
}

impl std::error::Error for InternalError {}

/// Marks `stage` as the one running on this thread. Cheap: one thread-local store.
#[inline]
pub fn enter_stage(stage: &'static str) {
    STAGE.with(|s| s.set(stage));
}

/// Runs `f`, starting in `stage`; a panic inside becomes an [`InternalError`] naming the
/// stage that was running when it happened.
pub fn catch<T>(stage: &'static str, f: impl FnOnce() -> T) -> Result<T, InternalError> {
    let outer_stage = STAGE.with(Cell::get);
    enter_stage(stage);
    CATCHING.with(|c| c.set(c.get() + 1));
    let result = panic::catch_unwind(AssertUnwindSafe(f));
    CATCHING.with(|c| c.set(c.get() - 1));
    let failed_in = STAGE.with(Cell::get);
    enter_stage(outer_stage);
    result.map_err(|payload| {
        let seen = LAST_PANIC.with(|p| p.borrow_mut().take());
        InternalError {
            stage: failed_in,
            message: seen.unwrap_or_else(|| payload_message(payload.as_ref())),
        }
    })
}

/// Replaces the process's panic hook, once, by one that stays silent for panics that
/// [`catch`] will report (recording their message and location instead) and defers to
/// the previous hook for every other panic. For binaries; libraries should not call it.
pub fn install_quiet_hook() {
    static INSTALL: Once = Once::new();
    INSTALL.call_once(|| {
        let previous = panic::take_hook();
        panic::set_hook(Box::new(move |info| {
            if CATCHING.with(Cell::get) == 0 {
                previous(info);
                return;
            }
            let mut message = payload_message(info.payload());
            if let Some(at) = info.location() {
                message = format!("{message} (at {}:{})", at.file(), at.line());
            }
            LAST_PANIC.with(|p| *p.borrow_mut() = Some(message));
        }));
    });
}

/// The text of a panic payload (`panic!("…")` gives a `&str` or a `String`).
fn payload_message(payload: &(dyn Any + Send)) -> String {
    let text = if let Some(s) = payload.downcast_ref::<&str>() {
        (*s).to_owned()
    } else if let Some(s) = payload.downcast_ref::<String>() {
        s.clone()
    } else {
        "panic with a non-text payload".to_owned()
    };
    one_line(&text)
}

/// The message on one line and at most 300 characters: panics that quote the text they
/// choked on can be long, and a failure is one line of stderr.
fn one_line(text: &str) -> String {
    const MAX_CHARS: usize = 300;
    let mut out: String = text
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .take(MAX_CHARS)
        .collect();
    if text.chars().nth(MAX_CHARS).is_some() {
        out.push('…');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_panic_becomes_an_error_naming_the_stage_that_ran() {
        install_quiet_hook();
        let err = catch("read", || {
            enter_stage("quotes");
            let text = "’s";
            // A byte offset inside the curly apostrophe, the bug class this guards.
            let at = std::hint::black_box(1);
            text[at..].len()
        })
        .unwrap_err();
        assert_eq!(err.stage, "quotes");
        assert!(err.message.contains("char boundary"), "{}", err.message);
        assert!(err.message.contains("isolate.rs"), "{}", err.message);
        assert!(err.to_string().starts_with("internal error in quotes: "));
    }

    #[test]
    fn no_panic_passes_the_value_and_restores_the_outer_stage() {
        enter_stage("outer");
        assert_eq!(catch("inner", || 7), Ok(7));
        assert_eq!(STAGE.with(Cell::get), "outer");
    }

    #[test]
    fn long_messages_are_cut_to_one_line() {
        let long = format!("first\nsecond {}", "x".repeat(1000));
        let line = one_line(&long);
        assert!(!line.contains('\n'));
        assert_eq!(line.chars().count(), 301);
        assert!(line.ends_with('…'));
    }
}
