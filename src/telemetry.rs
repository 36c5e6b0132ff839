//! Logging: a `tracing` subscriber writing to stderr, as human-readable text (default) or JSON
//! lines. The level comes from `-v` (debug) / `-vv` (trace) for hrsync's own events and from
//! `RUST_LOG` for anything finer.
//!
//! Installs the global subscriber once; it never logs secrets itself (callers log ids at info,
//! names and emails only at debug). While a progress display draws on stderr
//! ([`log_above`]), each log line is written above its bars instead of through them.

use indicatif::MultiProgress;
use std::io::{IsTerminal, Write};
use std::sync::RwLock;
use tracing_subscriber::EnvFilter;

/// The progress display drawing on stderr now, if any.
static DISPLAY: RwLock<Option<MultiProgress>> = RwLock::new(None);

/// From now on, write log lines through `display` (it is hidden while a line is written,
/// then redrawn below it), or straight to stderr again with `None`.
pub fn log_above(display: Option<MultiProgress>) {
    *DISPLAY.write().unwrap_or_else(|e| e.into_inner()) = display;
}

/// Stderr, stepping around the progress display of [`log_above`]. The fmt layer writes each
/// event with one `write_all`, so a line is never split by a redraw.
struct Stderr;

impl Write for Stderr {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.write_all(buf)?;
        Ok(buf.len())
    }

    fn write_all(&mut self, buf: &[u8]) -> std::io::Result<()> {
        let display = DISPLAY.read().unwrap_or_else(|e| e.into_inner()).clone();
        match display {
            Some(display) => display.suspend(|| std::io::stderr().write_all(buf)),
            None => std::io::stderr().write_all(buf),
        }
    }

    fn flush(&mut self) -> std::io::Result<()> {
        std::io::stderr().flush()
    }
}

/// How log lines are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum LogFormat {
    /// Human-readable lines (timestamps dropped under systemd's journal, which adds its own).
    #[default]
    Text,
    /// One JSON object per line.
    Json,
}

/// Why logging could not be set up.
#[derive(Debug, thiserror::Error)]
pub enum TelemetryError {
    /// A global subscriber was already installed, or installation failed.
    #[error("cannot install the log subscriber: {0}")]
    Install(String),
}

/// The filter for a verbosity (`-v` count) and an optional `RUST_LOG` value: without
/// `RUST_LOG`, other crates log at warn and hrsync at info/debug/trace; with it, `RUST_LOG`
/// applies and `-v` still raises hrsync's own level.
pub fn filter(verbosity: u8, rust_log: Option<&str>) -> EnvFilter {
    let level = match verbosity {
        0 => "info",
        1 => "debug",
        _ => "trace",
    };
    let spec = match rust_log.map(str::trim).filter(|s| !s.is_empty()) {
        Some(spec) if verbosity > 0 => format!("{spec},hrsync={level}"),
        Some(spec) => spec.to_owned(),
        None => format!("warn,hrsync={level}"),
    };
    EnvFilter::builder().parse_lossy(spec)
}

/// Installs the global subscriber (stderr; colours only on a terminal).
pub fn init(format: LogFormat, verbosity: u8) -> Result<(), TelemetryError> {
    let rust_log = std::env::var("RUST_LOG").ok();
    let filter = filter(verbosity, rust_log.as_deref());
    let ansi = std::io::stderr().is_terminal();
    let journald = std::env::var_os("JOURNAL_STREAM").is_some();
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(|| Stderr);
    let result = match (format, journald) {
        (LogFormat::Json, _) => builder.json().try_init(),
        (LogFormat::Text, true) => builder.with_ansi(false).without_time().try_init(),
        (LogFormat::Text, false) => builder.with_ansi(ansi).try_init(),
    };
    result.map_err(|e| TelemetryError::Install(e.to_string()))
}

#[cfg(test)]
mod tests;
