//! The typed, validated configuration. Built only by `Config::from_raw`; every value here
//! has already been checked.

use crate::model::{EmploymentStatus, Phase};
use std::path::PathBuf;

/// The whole configuration.
#[derive(Debug, Clone)]
pub struct Config {
    /// The file this was loaded from (relative paths inside were resolved against its folder).
    pub path: PathBuf,
    /// `[okta]`: the org and how to talk to it.
    pub okta: OktaConfig,
    /// `[source]`: where employees come from.
    pub source: SourceConfig,
    /// `[employee]`: which HR fields carry id, status, dates, zone, manager, and the scope.
    pub employee: EmployeeConfig,
    /// `[mapping]`: Okta attribute templates over HR fields.
    pub mapping: MappingConfig,
    /// `[activation]`: when users are created and activated.
    pub activation: ActivationConfig,
    /// `[termination]`: what happens to leavers and orphans.
    pub termination: TerminationConfig,
    /// `[safety]`: guards against broken feeds and mass changes.
    pub safety: SafetyConfig,
    /// `[schedule]`: the daemon's timing.
    pub schedule: ScheduleConfig,
    /// `[journal]`: the audit database.
    pub journal: JournalConfig,
    /// `[server]`: the daemon's HTTP endpoint.
    pub server: ServerConfig,
    /// `[ha]`: the leader lease of instances sharing a PostgreSQL journal.
    pub ha: HaConfig,
}

impl Config {
    /// The planner's part of the configuration ([`crate::plan::Policy`]).
    pub fn policy(&self) -> crate::plan::Policy {
        crate::plan::Policy {
            anchor_attribute: self.okta.anchor_attribute.clone(),
            service_account_login: self.okta.service_account_login.clone(),
            default_timezone: self.employee.timezone.default,
            scope: self.employee.scope.clone(),
            mapping: self.mapping.clone(),
            activation: self.activation.clone(),
            termination: self.termination.clone(),
            safety: self.safety.clone(),
            quarantine_after: self.okta.quarantine_after_failures,
        }
    }
}

pub use super::okta::{OAuthConfig, OktaAuth, OktaConfig};

pub use super::source::{
    BambooHrSourceConfig, Delimiter, FileFormat, FileSourceConfig, HiBobSourceConfig,
    PersonioSourceConfig, SOURCE_KINDS, ScimSourceConfig, SourceConfig, SqlSourceConfig,
    WorkdayAuth, WorkdaySourceConfig,
};

pub use super::employee::{EmployeeConfig, TimezoneRule};

/// How the HR status field becomes an [`EmploymentStatus`].
#[derive(Debug, Clone)]
pub struct StatusRule {
    /// Field holding the status (or the lifecycle status).
    pub field: String,
    /// Which values mean what.
    pub values: StatusValues,
}

/// The two ways of reading the status field.
#[derive(Debug, Clone)]
pub enum StatusValues {
    /// `status = { active, inactive }`: active → employed; inactive → pre-hire while the start
    /// date is ahead, terminated otherwise.
    ActiveInactive {
        /// Values meaning active, compared case-insensitively.
        active: Vec<String>,
        /// Values meaning inactive. `None`: every value not in `active` is inactive; `Some`: a
        /// value in neither list is unknown (the record is refused).
        inactive: Option<Vec<String>>,
    },
    /// `phase = { pre_hire, employed, on_leave, notice, terminated }`: each value names its
    /// phase; a value in no list is unknown (the record is refused).
    Phases(Vec<(Phase, Vec<String>)>),
}

impl StatusRule {
    /// `status = { field, active, inactive }`.
    pub fn active_inactive(
        field: &str,
        active: Vec<String>,
        inactive: Option<Vec<String>>,
    ) -> Self {
        Self {
            field: field.to_owned(),
            values: StatusValues::ActiveInactive { active, inactive },
        }
    }

    /// Reads an HR status value (already trimmed), or `None` when the value is in no list
    /// (only possible with a `phase` table or a `status.inactive` list).
    pub fn classify(&self, value: &str) -> Option<EmploymentStatus> {
        let listed = |list: &[String]| list.iter().any(|v| same_status(v, value));
        match &self.values {
            StatusValues::ActiveInactive { active, inactive } => {
                if listed(active) {
                    Some(EmploymentStatus::Active)
                } else if inactive.as_deref().is_none_or(listed) {
                    Some(EmploymentStatus::Inactive)
                } else {
                    None
                }
            }
            StatusValues::Phases(phases) => phases
                .iter()
                .find(|(_, values)| listed(values))
                .map(|(p, _)| EmploymentStatus::Phase(*p)),
        }
    }

    /// The accepted values for a message: `active (Active), inactive (Inactive)` or
    /// `pre_hire (hired), employed (employed), …` (lists left empty are left out).
    pub fn accepted(&self) -> String {
        let shown = listed;
        match &self.values {
            StatusValues::ActiveInactive { active, inactive } => match inactive {
                Some(inactive) => {
                    format!("active ({}), inactive ({})", shown(active), shown(inactive))
                }
                None => format!(
                    "active ({}); any other value counts as inactive",
                    shown(active)
                ),
            },
            StatusValues::Phases(phases) => {
                let parts: Vec<String> = phases
                    .iter()
                    .filter(|(_, v)| v.iter().any(|v| !v.trim().is_empty()))
                    .map(|(p, v)| format!("{p} ({})", shown(v)))
                    .collect();
                parts.join(", ")
            }
        }
    }
}

/// Configured values for a message: trimmed, blanks left out, comma-separated.
pub fn listed(values: &[String]) -> String {
    let values: Vec<&str> = values
        .iter()
        .map(|v| v.trim())
        .filter(|v| !v.is_empty())
        .collect();
    values.join(", ")
}

/// Whether two HR status values are the same: trimmed, compared ignoring case. Called for
/// every record, so ASCII values (the usual case) are compared without lower-casing copies.
pub fn same_status(a: &str, b: &str) -> bool {
    let (a, b) = (a.trim(), b.trim());
    if a.is_ascii() && b.is_ascii() {
        a.eq_ignore_ascii_case(b)
    } else {
        a.to_lowercase() == b.to_lowercase()
    }
}

pub use hrsync_core::policy::*;

pub use super::journal::JournalConfig;

pub use super::daemon_sections::{Cron, HaConfig, ScheduleConfig, ServerConfig};
