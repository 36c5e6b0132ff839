//! The one-line summary of a run (counts, and what needs attention: conflicts, quarantined
//! actions), shared by the CLI's output and the daemon's log line and systemd status.

use crate::journal::RunCounts;

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
