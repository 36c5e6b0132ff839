//! Output helpers shared by the commands: formats, exit codes, summary lines, and whether to
//! colour a plan (the only place that asks: the renderer itself is told).

use crate::journal::RunStatus;
use crate::plan::render::{Layout, TextOptions};
use std::ffi::OsStr;
use std::io::IsTerminal;
use std::process::ExitCode;

/// Exit code: success, or nothing to change.
pub const EXIT_OK: u8 = 0;
/// Exit code: an error (configuration, source, Okta, journal).
pub const EXIT_ERROR: u8 = 1;
/// Exit code: changes are pending (`plan --detailed-exitcode`).
pub const EXIT_CHANGES_PENDING: u8 = 2;
/// Exit code: a safety guard blocked the run (or its destructive part).
pub const EXIT_BLOCKED: u8 = 3;
/// Exit code: applied in part; some actions failed.
pub const EXIT_PARTIAL: u8 = 4;

/// Output format of a command.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum Format {
    /// For people.
    #[default]
    Text,
    /// For machines: one JSON document.
    Json,
}

/// Output format of `hrsync plan` and `hrsync sync`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum PlanFormat {
    /// For people: the counts, then one block per action, one changed attribute per line
    /// (`+` set, `~` changed, `-` cleared), coloured on a terminal unless `NO_COLOR` is set.
    #[default]
    Text,
    /// For people, compact: one line per action.
    Table,
    /// For machines: one JSON document.
    Json,
}

impl PlanFormat {
    /// How to write the text form, coloured when `colour`; `None` for JSON.
    pub fn text_options(self, colour: bool) -> Option<TextOptions> {
        let layout = match self {
            Self::Text => Layout::Blocks,
            Self::Table => Layout::Table,
            Self::Json => return None,
        };
        Some(TextOptions { layout, colour })
    }
}

/// Whether to colour output: on a terminal, unless `NO_COLOR` is set to anything but the empty
/// string (<https://no-color.org>).
pub fn colour(is_terminal: bool, no_color: Option<&OsStr>) -> bool {
    is_terminal && no_color.is_none_or(OsStr::is_empty)
}

/// Whether to colour what goes to this process's stdout.
pub fn colour_stdout() -> bool {
    colour(
        std::io::stdout().is_terminal(),
        std::env::var_os("NO_COLOR").as_deref(),
    )
}

/// The exit code for a run's status.
pub fn exit_for(status: RunStatus) -> ExitCode {
    ExitCode::from(match status {
        RunStatus::Blocked => EXIT_BLOCKED,
        RunStatus::Partial => EXIT_PARTIAL,
        RunStatus::Failed | RunStatus::Fatal | RunStatus::Deposed => EXIT_ERROR,
        RunStatus::Applied | RunStatus::NoChanges | RunStatus::DryRun => EXIT_OK,
    })
}

pub use crate::sync::summary::{attention_note, summary_line};

#[cfg(test)]
mod tests;
