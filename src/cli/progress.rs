//! What a person sees of a long run: a progress bar on standard error when
//! it is a terminal, and the `--stats` summary.

use super::docs::Counts;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

/// Runs shorter than this never show the bar.
const SHOW_AFTER: Duration = Duration::from_millis(500);

/// Counters shared by the reader and the writer, and the bar they move.
pub struct Meter {
    start: Instant,
    /// Bytes of the inputs read as stored (compressed or not).
    stored: AtomicU64,
    /// The bar, hidden until the run has lasted `SHOW_AFTER`.
    bar: Option<ProgressBar>,
    shown: AtomicBool,
}

impl Meter {
    /// `show`: draw a bar (standard error is a terminal and no `--quiet`).
    /// `total`: the bytes the inputs take as stored, when known.
    pub fn new(show: bool, total: Option<u64>) -> Meter {
        let bar = show.then(|| {
            let (bar, template) = match total {
                Some(n) => (
                    ProgressBar::with_draw_target(Some(n), ProgressDrawTarget::hidden()),
                    "{wide_bar} {decimal_bytes}/{decimal_total_bytes} {msg} \
                     {decimal_bytes_per_sec} ETA {eta}",
                ),
                None => (
                    ProgressBar::with_draw_target(None, ProgressDrawTarget::hidden()),
                    "{spinner} {decimal_bytes} {msg} {decimal_bytes_per_sec} {elapsed}",
                ),
            };
            if let Ok(style) = ProgressStyle::with_template(template) {
                bar.set_style(style);
            }
            bar
        });
        Meter {
            start: Instant::now(),
            stored: AtomicU64::new(0),
            bar,
            shown: AtomicBool::new(false),
        }
    }

    fn bar(&self) -> Option<&ProgressBar> {
        let bar = self.bar.as_ref()?;
        if !self.shown.load(Ordering::Relaxed)
            && self.start.elapsed() >= SHOW_AFTER
            && !self.shown.swap(true, Ordering::Relaxed)
        {
            bar.set_draw_target(ProgressDrawTarget::stderr());
            bar.enable_steady_tick(Duration::from_millis(200));
        }
        Some(bar)
    }

    /// `n` more bytes read from an input as stored.
    pub fn stored(&self, n: u64) {
        self.stored.fetch_add(n, Ordering::Relaxed);
        self.bar();
    }

    /// Bytes of the inputs read so far, as stored.
    pub fn stored_bytes(&self) -> u64 {
        self.stored.load(Ordering::Relaxed)
    }

    /// The results written so far: `documents`, from inputs up to their
    /// byte `stored` as stored (the bar's position).
    pub fn written(&self, documents: u64, stored: u64) {
        if let Some(bar) = self.bar() {
            bar.set_position(stored);
            if self.shown.load(Ordering::Relaxed) {
                bar.set_message(format!("{documents} documents"));
            }
        }
    }

    /// Runs `f` (which writes to standard error) with the bar out of the
    /// way.
    pub fn suspend<R>(&self, f: impl FnOnce() -> R) -> R {
        match &self.bar {
            Some(bar) if self.shown.load(Ordering::Relaxed) => bar.suspend(f),
            _ => f(),
        }
    }

    /// Removes the bar.
    pub fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }

    /// The time since the run started.
    pub fn elapsed(&self) -> Duration {
        self.start.elapsed()
    }
}

/// The `--stats` line (without its line ending): counts, then the bytes of
/// the documents done, the time and the throughput in MB/s (10^6 bytes).
pub fn stats_line(c: &Counts, bytes: u64, elapsed: Duration) -> String {
    let secs = elapsed.as_secs_f64();
    let rate = if secs > 0.0 {
        bytes as f64 / 1e6 / secs
    } else {
        0.0
    };
    format!(
        "despin: stats: documents {}, spun {}, edits {}, verbatim {}, bytes {bytes}, \
         seconds {secs:.2}, MB/s {rate:.1}",
        c.documents, c.spun, c.edits, c.verbatim
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_stats_line() {
        let c = Counts {
            documents: 55_280,
            spun: 1203,
            edits: 40_211,
            verbatim: 2,
        };
        assert_eq!(
            stats_line(&c, 100_027_724, Duration::from_millis(12_340)),
            "despin: stats: documents 55280, spun 1203, edits 40211, verbatim 2, \
             bytes 100027724, seconds 12.34, MB/s 8.1"
        );
        assert!(stats_line(&Counts::default(), 0, Duration::ZERO).ends_with("MB/s 0.0"));
    }
}
