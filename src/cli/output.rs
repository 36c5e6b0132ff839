//! Output helpers shared by the commands: formats, exit codes, summary lines.

use crate::journal::{RunCounts, RunStatus};
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
        RunStatus::Failed => EXIT_ERROR,
        _ => EXIT_OK,
    })
}

/// `; 2 conflicts left for a person (employees 100, 204; see the plan's findings)` and
/// `; 1 action quarantined (employees 7; `hrsync retry` lists them)`, when the plan has
/// conflicts (two accounts for one person, a login taken by an unmanaged user) or actions
/// quarantined after failing run after run, so that the one summary line of a run never
/// hides them.
pub fn attention_note(plan: &crate::plan::Plan) -> Option<String> {
    use crate::plan::{FindingKind, Reason};
    let ids = |keep: &dyn Fn(&crate::plan::Finding) -> bool| -> Vec<&str> {
        plan.findings
            .iter()
            .filter(|f| keep(f))
            .map(|f| {
                f.employee_id
                    .as_ref()
                    .map(|e| e.as_str())
                    .or_else(|| f.okta_id.as_ref().map(|o| o.as_str()))
                    .unwrap_or("-")
            })
            .collect()
    };
    let conflicts = ids(&|f| f.kind == FindingKind::Conflict);
    let quarantined = ids(&|f| f.reason == Reason::Quarantined);
    let mut note = String::new();
    if !conflicts.is_empty() {
        note.push_str(&format!(
            "; {} conflicts left for a person (employees {}; see the plan's findings)",
            conflicts.len(),
            listed(&conflicts)
        ));
    }
    if !quarantined.is_empty() {
        note.push_str(&format!(
            "; {} action(s) quarantined after failing run after run ({}; `hrsync retry` lists them)",
            quarantined.len(),
            listed(&quarantined)
        ));
    }
    (!note.is_empty()).then_some(note)
}

/// Up to ten ids, then `and N more`.
fn listed(ids: &[&str]) -> String {
    const SHOWN: usize = 10;
    let more = ids.len().saturating_sub(SHOWN);
    let mut listed = ids[..ids.len().min(SHOWN)].join(", ");
    if more > 0 {
        listed.push_str(&format!(" and {more} more"));
    }
    listed
}

/// `created 3, updated 5, activated 1, deactivated 0, failed 0, okta requests 17`.
pub fn summary_line(counts: &RunCounts, okta_requests: u64) -> String {
    let mut line = format!(
        "created {}, updated {}, activated {}, deactivated {}",
        counts.created, counts.updated, counts.activated, counts.deactivated
    );
    if counts.suspended > 0 || counts.unsuspended > 0 {
        line.push_str(&format!(
            ", suspended {}, unsuspended {}",
            counts.suspended, counts.unsuspended
        ));
    }
    line.push_str(&format!(", failed {}", counts.failed));
    if counts.skipped > 0 {
        line.push_str(&format!(", skipped {}", counts.skipped));
    }
    if counts.held_back > 0 {
        line.push_str(&format!(", held back {}", counts.held_back));
    }
    line.push_str(&format!(", okta requests {okta_requests}"));
    line
}
