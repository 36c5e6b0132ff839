//! Output helpers shared by the commands: formats, exit codes, summary lines.

use crate::journal::RunStatus;
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

/// The exit code for a run's status.
pub fn exit_for(status: RunStatus) -> ExitCode {
    ExitCode::from(match status {
        RunStatus::Blocked => EXIT_BLOCKED,
        RunStatus::Partial => EXIT_PARTIAL,
        RunStatus::Failed | RunStatus::Fatal => EXIT_ERROR,
        RunStatus::Applied | RunStatus::NoChanges | RunStatus::DryRun => EXIT_OK,
    })
}

pub use crate::sync::summary::{attention_note, summary_line};
