//! One HR employee record, as the planner sees it.

use super::{EmployeeId, Fields};
use chrono::NaiveDate;
use chrono_tz::Tz;
use serde::Serialize;

/// Whether HR considers the person employed (access active) or not.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum EmploymentStatus {
    /// The HR status is one of the configured active values.
    Active,
    /// Any other HR status (pre-hire in some HR systems, terminated, revoked leave, …).
    Inactive,
}

/// An employee from the HR snapshot, validated by the source.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Employee {
    /// The HR system's stable id (the anchor stamped on the Okta user).
    pub id: EmployeeId,
    /// Every raw HR field by dotted path (`work.department`, `first_name`), as text.
    /// Empty HR values are absent, never present as "".
    pub fields: Fields,
    /// Active or inactive, from the configured status field and active values.
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
