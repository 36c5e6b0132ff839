//! Settled runs: a run that would plan exactly what the last run planned — nothing — is
//! recorded as a no-change run without reading the Okta cache or planning.
//!
//! A run that ends with no changes records what it planned from ([`Settled`]: digests of its
//! HR snapshot and of its policy as typed by Okta's user schema, its instant, its plan's next
//! wake-up, its findings) in the journal (`journal::settled`). The next run **settles** (makes
//! no plan and records the same findings, wake-up and counts) only when all of these hold:
//!
//! - the journal gives the state back: the run that wrote it is the latest sync run and
//!   ended `no_changes` (a failed, partial, blocked, interrupted or held run in between, or
//!   an approval, a forgotten link, a cleared failure streak or a dropped cache since, and
//!   there is none);
//! - this run is a plain sync: not a dry run, not `--full`, not `--only`, no approvals given;
//! - its read of Okta is incremental (`reads`: never on a full pass) and every user the
//!   listing brought is identical to its cached row (hrsync's cache already holds it: the
//!   users planned from would be the cache, which is what the last run planned from);
//! - its HR snapshot and its typed policy have the same digests (any change to HR, the
//!   mapping, the anchor, activation, termination, safety or the user schema plans);
//! - no time-driven decision is due: the last run's instant ≤ now < its plan's next
//!   wake-up (the earliest activation, termination or creation-window instant still ahead;
//!   the planner depends on `now` only through those);
//! - the snapshot guard still lets the snapshot through.
//!
//! The last run must itself have been clean: nothing planned, nothing held back or
//! quarantined, no linked user recovered by id and no user added by a login check (its
//! read of Okta then was exactly what the cache holds now). This module decides only
//! whether a run may settle; it never writes to Okta.

use crate::model::OktaUser;
use crate::plan::{self, Finding, FindingKind, Plan, Policy, Reason};
use crate::source::Snapshot;
use chrono::{DateTime, Utc};
use sha2::{Digest, Sha256};
use std::collections::HashMap;

/// What a run that found nothing to do planned from, and what it reported.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub(super) struct Settled {
    /// The run's instant.
    pub(super) at: DateTime<Utc>,
    /// The digest of its HR snapshot ([`snapshot_digest`]).
    pub(super) hr: String,
    /// The digest of its typed policy ([`policy_digest`]).
    pub(super) policy: String,
    /// Its plan's next wake-up.
    pub(super) next_wakeup: Option<DateTime<Utc>>,
    /// Its plan's managed users.
    pub(super) managed_users: usize,
    /// Its pending activations.
    pub(super) pending_activations: usize,
    /// Its plan's findings (reported again by every run that settles on them).
    pub(super) findings: Vec<Finding>,
}

impl Settled {
    /// The state a run leaves when its plan is empty and clean (nothing held back or
    /// quarantined); `None` otherwise.
    pub(super) fn of_plan(
        plan: &Plan,
        hr: String,
        policy: String,
        pending_activations: usize,
    ) -> Option<Settled> {
        let clean = plan.actions.is_empty()
            && plan
                .findings
                .iter()
                .all(|f| f.kind != FindingKind::HeldBack && f.reason != Reason::Quarantined);
        clean.then(|| Settled {
            at: plan.at,
            hr,
            policy,
            next_wakeup: plan.next_wakeup,
            managed_users: plan.managed_users,
            pending_activations,
            findings: plan.findings.clone(),
        })
    }

    /// Whether a run at `now` is still before anything time-driven the state's plan knew of.
    pub(super) fn holds_at(&self, now: DateTime<Utc>) -> bool {
        self.at <= now && self.next_wakeup.is_none_or(|w| now < w)
    }

    /// The plan a settled run reports: nothing to do, the same findings and wake-up.
    pub(super) fn plan_at(&self, now: DateTime<Utc>) -> Plan {
        Plan {
            at: now,
            actions: Vec::new(),
            findings: self.findings.clone(),
            next_wakeup: self.next_wakeup,
            managed_users: self.managed_users,
        }
    }
}

/// Whether a run of this kind may settle or leave a settled state: a plain sync.
pub(super) fn may_settle(request: &super::RunRequest) -> bool {
    !request.dry_run
        && !request.full
        && request.only.is_empty()
        && request.approved_deactivations.is_none()
        && request.approved_creates.is_none()
        && request.approved_relinks.is_none()
        && request.approved_login_changes.is_none()
}

/// The settled state the last run left, when this run may settle on it at `now`.
pub(super) fn previous(
    journal: &crate::journal::Journal,
    run: crate::journal::RunId,
    request: &super::RunRequest,
    now: DateTime<Utc>,
) -> Result<Option<Settled>, crate::journal::JournalError> {
    if !may_settle(request) {
        return Ok(None);
    }
    let Some(text) = journal.settled_before(run)? else {
        return Ok(None);
    };
    let state: Settled = match serde_json::from_str(&text) {
        Ok(s) => s,
        Err(e) => {
            tracing::warn!("the journal's settled state is unreadable ({e}); this run plans");
            return Ok(None);
        }
    };
    Ok(state.holds_at(now).then_some(state))
}

fn hex(h: Sha256) -> String {
    h.finalize().iter().map(|b| format!("{b:02x}")).collect()
}

/// Appends `part` with its length first (LEB128: one byte below 128), so no two sequences
/// of parts feed the same bytes.
fn put(buf: &mut Vec<u8>, part: &[u8]) {
    let mut n = part.len();
    while n >= 0x80 {
        buf.push((n as u8 & 0x7f) | 0x80);
        n >>= 7;
    }
    buf.push(n as u8);
    buf.extend_from_slice(part);
}

/// Appends an optional part: a marker for none, else the part.
fn put_opt(buf: &mut Vec<u8>, part: Option<&[u8]>) {
    match part {
        None => buf.push(0),
        Some(p) => {
            buf.push(1);
            put(buf, p);
        }
    }
}

/// The SHA-256 of the snapshot: every field of every employee (id, HR fields, status, raw
/// status, dates, zone, manager, origin) and of every refused record, in source order, each
/// part length-prefixed. The structs are destructured whole, so a field added to them does
/// not compile until it is digested too.
pub(super) fn snapshot_digest(snapshot: &Snapshot) -> String {
    use chrono::Datelike;
    let Snapshot {
        employees,
        rejected,
    } = snapshot;
    let mut h = Sha256::new();
    let mut buf = Vec::with_capacity(1024);
    put(&mut buf, &(employees.len() as u64).to_le_bytes());
    for e in employees {
        let crate::model::Employee {
            id,
            fields,
            status,
            raw_status,
            start_date,
            termination_date,
            timezone,
            manager_id,
            origin,
        } = e;
        put(&mut buf, id.as_str().as_bytes());
        let mut n = 0u64;
        for (k, v) in fields.iter() {
            put(&mut buf, k.as_bytes());
            put(&mut buf, v.as_bytes());
            n += 1;
        }
        put(&mut buf, &n.to_le_bytes());
        put(&mut buf, format!("{status:?}").as_bytes());
        put(&mut buf, raw_status.as_bytes());
        let day = |d: &Option<chrono::NaiveDate>| d.map(|d| d.num_days_from_ce().to_le_bytes());
        put_opt(&mut buf, day(start_date).as_ref().map(|b| b.as_slice()));
        put_opt(
            &mut buf,
            day(termination_date).as_ref().map(|b| b.as_slice()),
        );
        put_opt(&mut buf, timezone.map(|z| z.name().as_bytes()));
        put_opt(&mut buf, manager_id.as_ref().map(|m| m.as_str().as_bytes()));
        put(&mut buf, origin.as_bytes());
        h.update(&buf);
        buf.clear();
    }
    put(&mut buf, &(rejected.len() as u64).to_le_bytes());
    for r in rejected {
        let crate::source::Rejected {
            location,
            employee_id,
            field,
            reason,
        } = r;
        put(&mut buf, location.as_bytes());
        put_opt(&mut buf, employee_id.as_deref().map(str::as_bytes));
        put_opt(&mut buf, field.as_deref().map(str::as_bytes));
        put(&mut buf, reason.as_bytes());
    }
    h.update(&buf);
    hex(h)
}

/// The SHA-256 of everything the planner reads of its policy (its `Debug` text: every field,
/// maps in key order), the mapping as typed by the schema included.
pub(super) fn policy_digest(policy: &Policy) -> String {
    let mut h = Sha256::new();
    h.update(format!("{policy:?}").as_bytes());
    hex(h)
}

/// Whether every listed user (reduced as the cache is) is exactly its cached row.
pub(super) fn listing_is_cached(listed: &[OktaUser], cached: &[OktaUser]) -> bool {
    let by_id: HashMap<_, _> = cached.iter().map(|u| (&u.id, u)).collect();
    listed
        .iter()
        .all(|u| by_id.get(&u.id).is_some_and(|c| *c == u))
}

/// Whether a pass may settle: only an incremental one.
pub(super) fn pass_may_settle(pass: plan::Pass) -> bool {
    pass == plan::Pass::Incremental
}

#[cfg(test)]
mod tests;
