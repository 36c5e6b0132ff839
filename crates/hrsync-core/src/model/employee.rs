//! One HR employee record, as the planner sees it, and the lifecycle phases HR can give.

use super::{EmployeeId, Fields};
use chrono::NaiveDate;
use chrono_tz::Tz;
use serde::Serialize;

/// Where a person stands in their employment, as HR means it. The planner decides on this
/// (with the dates and the activation mode); see DESIGN.md "Lifecycle phases".
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Phase {
    /// Hired, not started yet (bob: lifecycle "hired").
    PreHire,
    /// Working.
    Employed,
    /// Away for a while and coming back (leave, parental leave).
    OnLeave,
    /// Still working, leaving date known (garden leave, resignation).
    Notice,
    /// Gone (or the hire was withdrawn).
    Terminated,
}

impl Phase {
    /// Every phase, in lifecycle order.
    pub const ALL: [Phase; 5] = [
        Phase::PreHire,
        Phase::Employed,
        Phase::OnLeave,
        Phase::Notice,
        Phase::Terminated,
    ];

    /// The stable snake_case name (`pre_hire`, …), as in the configuration.
    pub fn name(self) -> &'static str {
        match self {
            Phase::PreHire => "pre_hire",
            Phase::Employed => "employed",
            Phase::OnLeave => "on_leave",
            Phase::Notice => "notice",
            Phase::Terminated => "terminated",
        }
    }
}

impl std::fmt::Display for Phase {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// What the HR status field says, before any date is looked at.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum EmploymentStatus {
    /// `[employee] status`: one of the active values (the phase is `employed`).
    Active,
    /// `[employee] status`: an inactive value. The phase is `pre_hire` while the start date is
    /// ahead, `terminated` otherwise.
    Inactive,
    /// `[employee] phase`: the phase HR gives outright.
    Phase(Phase),
}

impl EmploymentStatus {
    /// The phase at a moment: `before_start` tells whether the activation moment is ahead.
    pub fn phase(self, before_start: bool) -> Phase {
        match self {
            Self::Active => Phase::Employed,
            Self::Inactive if before_start => Phase::PreHire,
            Self::Inactive => Phase::Terminated,
            Self::Phase(p) => p,
        }
    }
}

/// An employee from the HR snapshot, validated by the source.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Employee {
    /// The HR system's stable id (the anchor stamped on the Okta user).
    pub id: EmployeeId,
    /// Every raw HR field by dotted path (`work.department`, `first_name`), as text.
    /// Empty HR values are absent, never present as "".
    pub fields: Fields,
    /// What the configured status (or phase) field says.
    pub status: EmploymentStatus,
    /// The HR status text as given (for reports and `explain`).
    pub raw_status: String,
    /// First working day, if HR has one.
    pub start_date: Option<NaiveDate>,
    /// Last day of employment, if set (the person keeps access through that local day).
    pub termination_date: Option<NaiveDate>,
    /// The employee's own time zone, if HR gives one; otherwise the configured default applies.
    pub timezone: Option<Tz>,
    /// The manager's employee id, if the record names one.
    pub manager_id: Option<EmployeeId>,
    /// Where the record came from (`employees.csv:12`, `hibob:3401…`), for error messages.
    pub origin: String,
}

impl Employee {
    /// The value of a raw HR field by dotted path, if present and non-empty.
    pub fn field(&self, path: &str) -> Option<&str> {
        self.fields.get(path)
    }
}
