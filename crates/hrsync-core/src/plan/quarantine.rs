//! Per-action quarantine: an action that Okta refused with the same permanent error (a 4xx
//! that is not a rate limit, a credential or a permission problem) in several runs in a row
//! is not sent again until its inputs change or an operator clears it (`hrsync retry`).
//! Without it, one bad record makes every run fail on it forever.
//!
//! Pure: the journal keeps the failure streaks; this module names actions, fingerprints
//! their inputs and moves the quarantined ones from a plan into findings. It must not decide
//! which errors are permanent (the caller does, from Okta's answer) nor touch the journal.

use super::{Finding, FindingKind, Plan, PlannedAction, Reason};
use chrono::{DateTime, Utc};
use serde::Serialize;
use sha2::{Digest, Sha256};
use std::collections::HashMap;

/// `[okta] quarantine_after_failures` when none is configured.
pub const DEFAULT_QUARANTINE_AFTER: u32 = 3;

/// Okta's error code for a write to a profile another system masters (403 E0000023). One
/// such answer is enough: every later write to that user is held as a conflict, whatever
/// its kind or inputs, until `hrsync retry` clears it (the other system will not let go by
/// itself, and the user's `credentials.provider` may still say `OKTA`).
pub const MASTERED_ELSEWHERE: &str = "E0000023";

/// The same action, failing with the same permanent error, run after run.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FailureStreak {
    /// Whom the action is for: the employee id, else the Okta user id (see [`subject`]).
    pub subject: String,
    /// The action's kind (`create`, `update`, …).
    pub kind: String,
    /// The action's inputs when it last failed (see [`fingerprint`]).
    pub fingerprint: String,
    /// Okta's `errorCode`, if it sent one.
    pub error_code: Option<String>,
    /// The last error, as recorded (no secrets: Okta's summary and causes).
    pub message: String,
    /// Runs in a row in which it failed this way.
    pub failures: u32,
    /// When the streak began.
    pub first_failed_at: DateTime<Utc>,
    /// When it last failed.
    pub last_failed_at: DateTime<Utc>,
}

/// Whom an action is for, as the quarantine names it: the employee id, else (an orphan's
/// deactivation) the Okta user id. `None` for an action with neither, which is never
/// quarantined.
pub fn subject(action: &PlannedAction) -> Option<&str> {
    action
        .employee_id
        .as_ref()
        .map(|e| e.as_str())
        .or_else(|| action.okta_id.as_ref().map(|o| o.as_str()))
}

/// A short digest of what an action would send and to which user: the same inputs give the
/// same fingerprint run after run; a changed HR value, mapping or Okta state gives another,
/// which ends the quarantine.
pub fn fingerprint(action: &PlannedAction) -> String {
    let mut hash = Sha256::new();
    hash.update(action.okta_id.as_ref().map_or("", |o| o.as_str()));
    hash.update([0]);
    // Serialising a plan action cannot fail (string keys, JSON values); an empty text would
    // only make two such actions look alike, which keeps them both out of quarantine.
    hash.update(serde_json::to_vec(&action.action).unwrap_or_default());
    hash.finalize()[..12]
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Moves every action whose streak has reached `after` failures with the same fingerprint
/// into a `skip` finding that says why and how to clear it; returns how many it moved.
/// `after = 0` turns the quarantine off.
pub fn quarantine(plan: &mut Plan, streaks: &[FailureStreak], after: u32) -> usize {
    let mut moved = hold_mastered(plan, streaks);
    if after == 0 || streaks.is_empty() {
        return moved;
    }
    // The streaks that reached the threshold, by (subject, kind): one lookup per action, and
    // an action's inputs are fingerprinted only when its streak is due.
    let due_streaks: HashMap<(&str, &str), &FailureStreak> = streaks
        .iter()
        .filter(|s| s.failures >= after)
        .map(|s| ((s.subject.as_str(), s.kind.as_str()), s))
        .collect();
    if due_streaks.is_empty() {
        return moved;
    }
    let due = |a: &PlannedAction| {
        let subject = subject(a)?;
        let streak = due_streaks.get(&(subject, a.action.kind().as_str()))?;
        (streak.fingerprint == fingerprint(a)).then_some(*streak)
    };
    let mut kept = Vec::with_capacity(plan.actions.len());
    for action in std::mem::take(&mut plan.actions) {
        match due(&action) {
            Some(streak) => {
                moved += 1;
                plan.findings.push(finding(&action, streak));
            }
            None => kept.push(action),
        }
    }
    plan.actions = kept;
    moved
}

/// Moves every write to an existing user whom Okta answered [`MASTERED_ELSEWHERE`] into a
/// conflict finding; returns how many it moved.
fn hold_mastered(plan: &mut Plan, streaks: &[FailureStreak]) -> usize {
    let mastered: HashMap<&str, &FailureStreak> = streaks
        .iter()
        .filter(|s| s.failures > 0 && s.error_code.as_deref() == Some(MASTERED_ELSEWHERE))
        .map(|s| (s.subject.as_str(), s))
        .collect();
    if mastered.is_empty() {
        return 0;
    }
    let mut moved = 0;
    let mut kept = Vec::with_capacity(plan.actions.len());
    for action in std::mem::take(&mut plan.actions) {
        let streak = action
            .okta_id
            .as_ref()
            .and(subject(&action))
            .and_then(|s| mastered.get(s));
        match streak {
            Some(streak) => {
                moved += 1;
                plan.findings.push(Finding {
                    kind: FindingKind::Conflict,
                    employee_id: action.employee_id.clone(),
                    okta_id: action.okta_id.clone(),
                    reason: Reason::MasteredElsewhere,
                    detail: format!(
                        "{subject}: Okta refused a {kind} of this user with 403 {MASTERED_ELSEWHERE} (its profile is mastered under another system) on {at}; the planned {planned} is not sent: make the change in that system, or make Okta the profile source, then `hrsync retry {subject}`",
                        subject = streak.subject,
                        kind = streak.kind,
                        at = streak.last_failed_at.format("%Y-%m-%d %H:%M UTC"),
                        planned = action.action.kind(),
                    ),
                });
            }
            None => kept.push(action),
        }
    }
    plan.actions = kept;
    moved
}

fn finding(action: &PlannedAction, streak: &FailureStreak) -> Finding {
    let code = streak
        .error_code
        .as_deref()
        .map_or_else(String::new, |c| format!(" {c}"));
    Finding {
        kind: FindingKind::Skip,
        employee_id: action.employee_id.clone(),
        okta_id: action.okta_id.clone(),
        reason: Reason::Quarantined,
        detail: format!(
            "quarantined: the {kind} for {subject} failed in {n} runs in a row (since {since}) \
             with the same Okta error{code}: {message}; it is not sent again until its inputs \
             change (fix the HR record or the mapping) or `hrsync retry {subject}` clears it",
            kind = streak.kind,
            subject = streak.subject,
            n = streak.failures,
            since = streak.first_failed_at.format("%Y-%m-%d %H:%M UTC"),
            message = streak.message,
        ),
    }
}
