//! One fetch of the HR store as the planner sees it: the valid employees and every refused
//! record with its reason. Built by the root crate's sources; plain data.

use crate::model::Employee;
use serde::Serialize;
use std::fmt;

/// The employees of one fetch, and the records that were refused.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Snapshot {
    /// Valid employees, in source order, ids unique.
    pub employees: Vec<Employee>,
    /// Records that could not be used, each with a reason.
    pub rejected: Vec<Rejected>,
}

impl Snapshot {
    /// How many records were refused: one per place, however many problems a record has.
    pub fn rejected_records(&self) -> usize {
        let places: std::collections::HashSet<&str> =
            self.rejected.iter().map(|r| r.location.as_str()).collect();
        places.len()
    }
}

/// A refused HR record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Rejected {
    /// Where the record is (`employees.csv:12`, `hibob employee 3401…`).
    pub location: String,
    /// The employee id, if it could be read.
    pub employee_id: Option<String>,
    /// The offending field, if one.
    pub field: Option<String>,
    /// What is wrong and what to do.
    pub reason: String,
}

impl fmt::Display for Rejected {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: ", self.location)?;
        if let Some(field) = &self.field {
            write!(f, "{field}: ")?;
        }
        f.write_str(&self.reason)
    }
}
