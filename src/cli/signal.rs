//! Ctrl-C (SIGINT): the first one asks the run to stop cleanly (the reader
//! stops, the writer discards in-flight work and removes its temporary
//! files); a second one exits at once with status 130.
//!
//! The handler is installed through the C library's `signal` (BSD
//! semantics on glibc and the BSDs: it stays installed, reads restart) and
//! only stores to an atomic or calls `_exit`, both async-signal-safe.

use std::sync::atomic::{AtomicBool, Ordering};

static INTERRUPTED: AtomicBool = AtomicBool::new(false);

/// Whether Ctrl-C was pressed.
pub fn interrupted() -> bool {
    INTERRUPTED.load(Ordering::Relaxed)
}

#[cfg(unix)]
mod imp {
    use super::INTERRUPTED;
    use std::sync::atomic::Ordering;

    const SIGINT: i32 = 2;

    extern "C" {
        fn signal(signum: i32, handler: usize) -> usize;
        fn _exit(status: i32) -> !;
    }

    extern "C" fn on_sigint(_: i32) {
        if INTERRUPTED.swap(true, Ordering::SeqCst) {
            // SAFETY: `_exit` is async-signal-safe.
            unsafe { _exit(130) }
        }
    }

    pub fn install() {
        let handler: extern "C" fn(i32) = on_sigint;
        // SAFETY: the handler only touches an atomic or calls `_exit`.
        unsafe {
            signal(SIGINT, handler as usize);
        }
    }
}

#[cfg(not(unix))]
mod imp {
    pub fn install() {}
}

/// Installs the SIGINT handler.
pub fn install() {
    imp::install();
}
