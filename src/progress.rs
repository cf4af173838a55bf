//! A progress bar for long builds: letters read, pages written, time left.
//!
//! Hidden unless asked for and standard error is a terminal, and shown only once a build has
//! run for a second, so quick builds, scripts and CI logs stay quiet.

use std::io::IsTerminal;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// How long a build runs before the bar appears.
const SHOW_AFTER: Duration = Duration::from_secs(1);

/// A shared handle on the build's progress bar; cheap to clone, safe to use from many threads.
#[derive(Clone, Debug)]
pub struct Progress {
    bar: ProgressBar,
    started: Instant,
    /// Whether the bar may ever draw (asked for, and a terminal to draw on).
    wanted: bool,
    shown: Arc<AtomicBool>,
}

impl Default for Progress {
    fn default() -> Self {
        Self::hidden()
    }
}

impl Progress {
    /// A bar that never draws.
    pub fn hidden() -> Self {
        Self::new(false)
    }

    /// A bar on standard error when it is a terminal, hidden otherwise.
    pub fn on_terminal() -> Self {
        Self::new(std::io::stderr().is_terminal())
    }

    fn new(wanted: bool) -> Self {
        let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::hidden());
        bar.set_style(
            ProgressStyle::with_template(
                "{msg:>14} [{bar:30}] {human_pos}/{human_len} · {eta} left",
            )
            .unwrap_or_else(|_| ProgressStyle::default_bar())
            .progress_chars("=> "),
        );
        Self {
            bar,
            started: Instant::now(),
            wanted,
            shown: Arc::new(AtomicBool::new(false)),
        }
    }

    /// Starts a stage of `len` steps: "reading letters", "writing pages".
    pub fn stage(&self, what: &'static str, len: usize) {
        // The message last: setting it redraws, and the new count must already be there.
        self.bar.set_length(len as u64);
        self.bar.set_position(0);
        self.bar.reset_eta();
        self.bar.set_message(what);
        self.show_when_slow();
    }

    /// One step of the current stage done.
    pub fn inc(&self) {
        self.bar.inc(1);
        self.show_when_slow();
    }

    /// Clears the bar: the summary line takes its place.
    pub fn finish(&self) {
        self.bar.finish_and_clear();
    }

    /// Whether the bar is drawing (for tests).
    pub fn is_shown(&self) -> bool {
        self.shown.load(Ordering::Relaxed)
    }

    fn show_when_slow(&self) {
        if self.wanted
            && !self.shown.load(Ordering::Relaxed)
            && self.started.elapsed() >= SHOW_AFTER
            && !self.shown.swap(true, Ordering::Relaxed)
        {
            self.bar.set_draw_target(ProgressDrawTarget::stderr());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_hidden_bar_never_shows() {
        let p = Progress::hidden();
        p.stage("writing pages", 3);
        p.inc();
        assert!(!p.is_shown());
    }

    #[test]
    fn a_wanted_bar_shows_only_after_a_second() {
        let mut p = Progress::new(true);
        p.stage("reading letters", 2);
        assert!(!p.is_shown(), "a quick build stays quiet");
        p.started -= SHOW_AFTER;
        p.inc();
        assert!(p.is_shown());
        assert_eq!(p.bar.position(), 1);
        p.finish();
    }
}
