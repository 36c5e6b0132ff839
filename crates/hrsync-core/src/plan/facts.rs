//! Per-employee facts at `now`: in scope or not, the activation / termination / creation
//! instants in the employee's zone, whether the person has left (and why), and whether their
//! Okta user should be activated now under the activation mode. Pure.
//!
//! Rules (see DESIGN.md "Lifecycle phases and activation modes"):
//! - The phase: the one HR gives (`[employee] phase`), or from `[employee] status`: active →
//!   employed; inactive → pre-hire while the activation moment is ahead, terminated after.
//! - Out of scope → left (`out_of_scope`), immediately.
//! - A termination date earlier than the start date belongs to an earlier employment (a
//!   rehire) and is ignored.
//! - Termination moment reached → left (`terminated`), whatever the phase.
//! - Phase terminated → left (`status_inactive`, or `rescinded_hire` before the activation
//!   moment), except that with `at = termination_date` and a future termination date the
//!   person leaves at that date (not in mode `employee_status`, where HR's word is final).
//! - Pre-hire, employed, notice: kept; activated as the mode says (a pre-hire only once the
//!   start date's activation moment is reached, and only in modes `always` and `start_date`).
//! - On leave: as employed with `on_leave = "keep"`; with `"suspend"`, never activated and
//!   its active user is suspended.
//! - Mode `start_date` never activates without a start date (the source refuses such records).

use super::Policy;
use super::timing::{
    InstantCache, activation_moment_cached, creation_window_cached, termination_moment_cached,
};
use crate::model::{Employee, Phase};
use crate::plan::Reason;
use crate::policy::{ActivationMode, CreateTiming, OnLeave, TerminationAt};
use chrono::{DateTime, Utc};
use chrono_tz::Tz;

/// What the planner knows about one employee at `now`.
#[derive(Debug, Clone, PartialEq)]
pub struct Facts {
    /// Selected by the scope expression.
    pub in_scope: bool,
    /// The employee's zone (their own or the default).
    pub tz: Tz,
    /// The activation moment, if the record has a start date.
    pub activation: Option<DateTime<Utc>>,
    /// The termination moment, if a (current) termination date is set.
    pub termination: Option<DateTime<Utc>>,
    /// When the user may be created (`None`: at once).
    pub create_from: Option<DateTime<Utc>>,
    /// The lifecycle phase at `now`.
    pub phase: Phase,
    /// Why the person counts as gone, if they do.
    pub departed: Option<Reason>,
    /// On leave with `on_leave = "suspend"`: the user is suspended, not activated.
    pub on_leave_suspended: bool,
    /// Whether the Okta user should be activated now, and why.
    pub activate: Option<Reason>,
}

impl Facts {
    /// Computes the facts of one employee.
    pub fn of(e: &Employee, policy: &Policy, now: DateTime<Utc>) -> Self {
        Self::of_cached(e, policy, now, &mut InstantCache::default())
    }

    /// [`Facts::of`], resolving local times through a cache shared by many employees.
    pub fn of_cached(
        e: &Employee,
        policy: &Policy,
        now: DateTime<Utc>,
        cache: &mut InstantCache,
    ) -> Self {
        let in_scope = policy.scope.as_ref().is_none_or(|s| s.matches(e));
        let tz = e.timezone.unwrap_or(policy.default_timezone);
        let activation =
            activation_moment_cached(e.start_date, policy.activation.activate_at, tz, cache);
        let term_date = match (e.termination_date, e.start_date) {
            (Some(t), Some(s)) if t < s => None,
            (t, _) => t,
        };
        let termination = termination_moment_cached(term_date, policy.termination.at, tz, cache);
        let create_from = match policy.activation.create {
            CreateTiming::OnRecord => None,
            CreateTiming::DaysBeforeStart(n) => creation_window_cached(e.start_date, n, tz, cache),
        };
        let before_start = activation.is_some_and(|a| now < a);
        let phase = e.status.phase(before_start);
        let mode = policy.activation.mode;
        let departed = if !in_scope {
            Some(Reason::OutOfScope)
        } else if termination.is_some_and(|t| now >= t) {
            Some(Reason::Terminated)
        } else if phase == Phase::Terminated {
            let waits_for_date = mode != ActivationMode::EmployeeStatus
                && policy.termination.at == TerminationAt::TerminationDate
                && termination.is_some();
            if waits_for_date {
                None
            } else if before_start {
                Some(Reason::RescindedHire)
            } else {
                Some(Reason::StatusInactive)
            }
        } else {
            None
        };
        let on_leave_suspended = departed.is_none()
            && phase == Phase::OnLeave
            && policy.activation.on_leave == OnLeave::Suspend;
        let working = matches!(phase, Phase::Employed | Phase::OnLeave | Phase::Notice);
        let activate = match mode {
            ActivationMode::Always => Some(Reason::StatusActive),
            ActivationMode::Never => None,
            ActivationMode::EmployeeStatus => working.then_some(Reason::StatusActive),
            ActivationMode::StartDate => match activation {
                Some(a) if now >= a => Some(Reason::StartDateReached),
                _ => None,
            },
        };
        Self {
            in_scope,
            tz,
            activation,
            termination,
            create_from,
            phase,
            departed,
            on_leave_suspended,
            activate: if departed.is_some() || on_leave_suspended {
                None
            } else {
                activate
            },
        }
    }

    /// Whether the creation window is open at `now`.
    pub fn may_create(&self, now: DateTime<Utc>) -> bool {
        self.create_from.is_none_or(|w| now >= w)
    }

    /// Whether `now` is before the activation moment (a hire that has not started yet).
    pub fn before_start(&self, now: DateTime<Utc>) -> bool {
        self.activation.is_some_and(|a| now < a)
    }

    /// The future instants at which this employee's decision may change.
    pub fn future_instants(&self, now: DateTime<Utc>) -> impl Iterator<Item = DateTime<Utc>> {
        [self.activation, self.termination, self.create_from]
            .into_iter()
            .flatten()
            .filter(move |t| *t > now)
    }
}
