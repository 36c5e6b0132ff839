//! Logging: a `tracing` subscriber writing to stderr, as human-readable text (default) or JSON
//! lines. The level comes from `-v` (debug) / `-vv` (trace) for hrsync's own events and from
//! `RUST_LOG` for anything finer.
//!
//! Installs the global subscriber once; it never logs secrets itself (callers log ids at info,
//! names and emails only at debug).

use std::io::IsTerminal;
use tracing_subscriber::EnvFilter;

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
        .with_writer(std::io::stderr);
    let result = match (format, journald) {
        (LogFormat::Json, _) => builder.json().try_init(),
        (LogFormat::Text, true) => builder.with_ansi(false).without_time().try_init(),
        (LogFormat::Text, false) => builder.with_ansi(ansi).try_init(),
    };
    result.map_err(|e| TelemetryError::Install(e.to_string()))
}

#[cfg(test)]
mod tests;
