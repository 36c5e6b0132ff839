//! Shows a run's progress on stderr while `sync` or `plan` runs: spinners and the apply bar on
//! a terminal (`terminal`), log lines every interval and every 5 % of the apply elsewhere
//! (`plain`), nothing with `--quiet`. Both read the same [`Progress`] the run reports into.
//!
//! Rendering happens on a thread of its own that reads the counters on a short timer, and at
//! once when a phase begins or ends, so the run never waits for stderr; stopping it waits at
//! most [`STOP_WAIT`] for the last lines. Never writes to stdout (the plan and `--format json` stay clean).
//! Plain lines are `info` log events of target `hrsync::progress`, so they carry the log's
//! time stamp and format (`--log-format json` makes them JSON) and `RUST_LOG` can hide them.

mod figures;
mod plain;
mod terminal;
mod timeline;

use crate::progress::Progress;
use std::io::IsTerminal;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, mpsc};
use std::time::Duration;

/// How often the plain log writes a status line when nothing else was written.
pub const DEFAULT_INTERVAL: Duration = Duration::from_secs(10);

/// The environment variable that overrides [`DEFAULT_INTERVAL`], in milliseconds (for tests
/// and impatient operators; 10 ms to one hour).
pub const INTERVAL_ENV: &str = "HRSYNC_PROGRESS_INTERVAL_MS";

/// Most time between two looks at the counters (the terminal's frame rate, and how soon the
/// plain log sees a phase end or a 5 % step).
const POLL: Duration = Duration::from_millis(100);

/// Most time the end of a run waits for the renderer's last lines.
pub const STOP_WAIT: Duration = Duration::from_secs(1);

/// How progress is shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Not at all (`--quiet`).
    Off,
    /// Spinners and a bar (stderr is a terminal).
    Terminal,
    /// Log lines (stderr is a file, a pipe or the journal).
    Plain,
}

impl Mode {
    /// Off when `quiet`, else the terminal display when stderr is a terminal, else log lines.
    pub fn choose(quiet: bool, stderr_is_terminal: bool) -> Self {
        match (quiet, stderr_is_terminal) {
            (true, _) => Self::Off,
            (false, true) => Self::Terminal,
            (false, false) => Self::Plain,
        }
    }
}

/// The plain log's interval from [`INTERVAL_ENV`]'s value: whole milliseconds, kept between
/// 10 ms and one hour; [`DEFAULT_INTERVAL`] when unset or unreadable.
pub fn interval_from(raw: Option<&str>) -> Duration {
    raw.and_then(|r| r.trim().parse::<u64>().ok())
        .map(|ms| Duration::from_millis(ms.clamp(10, 3_600_000)))
        .unwrap_or(DEFAULT_INTERVAL)
}

/// A renderer running on its own thread. Dropping it (or [`Reporter::finish`]) stops it
/// after a last frame, waiting at most [`STOP_WAIT`].
#[derive(Debug, Default)]
pub struct Reporter {
    running: Option<Running>,
}

#[derive(Debug)]
struct Running {
    stop: Arc<AtomicBool>,
    /// Wakes the renderer to stop (as the run's handle wakes it when a phase moves).
    wake: mpsc::SyncSender<()>,
    done: mpsc::Receiver<()>,
}

impl Reporter {
    /// Progress for a CLI run: per `--quiet`, whether stderr is a terminal and
    /// [`INTERVAL_ENV`]. Returns the handle to put in the run's request.
    pub fn for_cli(quiet: bool) -> (Progress, Reporter) {
        let mode = Mode::choose(quiet, std::io::stderr().is_terminal());
        let interval = interval_from(std::env::var(INTERVAL_ENV).ok().as_deref());
        Self::start(mode, interval)
    }

    /// Starts rendering per `mode` (the plain log writing a status line every `interval`).
    /// With [`Mode::Off`], or if no thread can be started, the handle is disabled and
    /// nothing is shown.
    pub fn start(mode: Mode, interval: Duration) -> (Progress, Reporter) {
        if mode == Mode::Off {
            return (Progress::default(), Reporter::default());
        }
        let (progress, woken) = Progress::watched();
        let wake = progress.waker();
        let stop = Arc::new(AtomicBool::new(false));
        let (done_tx, done) = mpsc::channel::<()>();
        let (watched, stopped) = (progress.clone(), Arc::clone(&stop));
        let spawned = std::thread::Builder::new()
            .name("hrsync-progress".to_owned())
            .spawn(move || {
                render(mode, interval, &watched, &woken, &stopped);
                let _ = done_tx.send(());
            });
        match (spawned, wake) {
            (Ok(_), Some(wake)) => (
                progress,
                Reporter {
                    running: Some(Running { stop, wake, done }),
                },
            ),
            (Err(e), _) => {
                tracing::debug!("no progress display: cannot start its thread: {e}");
                (Progress::default(), Reporter::default())
            }
            (Ok(_), None) => (Progress::default(), Reporter::default()),
        }
    }

    /// The run is over: draws the last frame and stops (as dropping does).
    pub fn finish(self) {}
}

impl Drop for Reporter {
    fn drop(&mut self) {
        if let Some(running) = self.running.take() {
            running.stop.store(true, Ordering::Release);
            let _ = running.wake.try_send(());
            // Bounded: a stderr nobody reads must not keep the command from exiting.
            let _ = running.done.recv_timeout(STOP_WAIT);
        }
    }
}

/// The renderer's loop: a frame every [`POLL`], or as soon as a phase begins or ends, and a
/// last one when told to stop.
fn render(
    mode: Mode,
    interval: Duration,
    progress: &Progress,
    woken: &mpsc::Receiver<()>,
    stop: &AtomicBool,
) {
    let mut plain = plain::PlainLog::new(interval);
    let mut terminal = (mode == Mode::Terminal).then(terminal::Terminal::default);
    let poll = POLL.min(interval);
    loop {
        let gone = matches!(
            woken.recv_timeout(poll),
            Err(mpsc::RecvTimeoutError::Disconnected)
        );
        let stopping = gone || stop.load(Ordering::Acquire);
        let snap = progress.snapshot();
        match &mut terminal {
            Some(t) if stopping => t.finish(&snap),
            Some(t) => t.frame(&snap),
            None => {
                for line in plain.lines(&snap) {
                    tracing::info!(target: "hrsync::progress", "{line}");
                }
            }
        }
        if stopping {
            return;
        }
    }
}

#[cfg(test)]
mod tests;
