//! The planner's policy types: the mapping, activation, termination and safety settings as
//! the planner reads them. Plain data, built by the root crate's configuration loader (which
//! parses, validates and reports errors); this crate never reads a file.

use crate::mapping::Template;
use crate::mapping::typed::{AttributeSchema, ValueType};
use chrono::NaiveTime;
use std::collections::BTreeMap;

/// `[mapping]`.
#[derive(Debug, Clone)]
pub struct MappingConfig {
    /// Okta attribute → how its value is computed.
    pub attributes: BTreeMap<String, AttributeMapping>,
    /// Templates tried in order when the login is taken by someone else.
    pub login_fallbacks: Vec<Template>,
    /// What to do when an unanchored Okta user already has the login.
    pub on_conflict: OnConflict,
    /// `[mapping.types]`: the type `hrsync schema apply` gives an attribute it adds (string
    /// when absent). Values are converted to the type Okta's schema says, not this one.
    pub types: BTreeMap<String, ValueType>,
    /// Where each mapped attribute is written (`hrsync.toml:31`), for messages; empty for the
    /// built-in mapping.
    pub origins: BTreeMap<String, String>,
}

/// One mapped attribute.
#[derive(Debug, Clone)]
pub struct AttributeMapping {
    /// The template.
    pub template: Template,
    /// HR value → Okta value translations applied after the template (`values.<attr>`).
    pub values: BTreeMap<String, String>,
    /// What an empty result does to the Okta value.
    pub on_empty: OnEmpty,
    /// The attribute in Okta's user schema, as read this run (`None`: not read, or not
    /// defined; the value is then an unchecked string).
    pub schema: Option<AttributeSchema>,
}

/// What an empty mapped value does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OnEmpty {
    /// Leave the Okta value as it is (default: a field the HR API omits never blanks Okta).
    Keep,
    /// Clear the Okta value.
    Clear,
}

/// What to do with an unanchored Okta user that has a new employee's login.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OnConflict {
    /// Report a conflict and do nothing.
    Report,
    /// Stamp the anchor on it and manage it from then on.
    Adopt,
}

/// `[activation]`.
#[derive(Debug, Clone)]
pub struct ActivationConfig {
    /// The activation mode.
    pub mode: ActivationMode,
    /// When users are created.
    pub create: CreateTiming,
    /// Local wall-clock time of activation on the start date.
    pub activate_at: NaiveTime,
    /// What happens to the Okta user of a person on leave.
    pub on_leave: OnLeave,
}

/// `[activation] on_leave`: the Okta user of a person whose phase is `on_leave`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum OnLeave {
    /// Left as an employed person's (active).
    #[default]
    Keep,
    /// Suspended while on leave, unsuspended on return.
    Suspend,
}

/// The four activation modes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ActivationMode {
    /// Create and activate at once.
    Always,
    /// Create STAGED; an admin activates.
    Never,
    /// Activated iff the HR status is active.
    EmployeeStatus,
    /// Create STAGED, activate at `activate_at` on the start date.
    StartDate,
}

/// When a new employee's Okta user is created.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CreateTiming {
    /// As soon as the record appears.
    OnRecord,
    /// This many days before the start date.
    DaysBeforeStart(u32),
}

/// `[termination]`.
#[derive(Debug, Clone)]
pub struct TerminationConfig {
    /// What happens to a leaver's user.
    pub action: TerminationAction,
    /// When it happens.
    pub at: TerminationAt,
    /// What happens to anchored users with no HR record.
    pub orphans: OrphanPolicy,
}

/// What happens to a leaver.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TerminationAction {
    /// Deactivate (DEPROVISIONED).
    Deactivate,
    /// Suspend (reversible; keeps groups and apps).
    Suspend,
    /// Nothing.
    None,
}

/// When a leaver is handled.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TerminationAt {
    /// As soon as HR marks them inactive.
    Immediately,
    /// At the end of the termination date, local time.
    TerminationDate,
}

/// What happens to orphans.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OrphanPolicy {
    /// Report only.
    Report,
    /// Deactivate (under the plan limits).
    Deactivate,
}

/// `[safety]`.
#[derive(Debug, Clone)]
pub struct SafetyConfig {
    /// Most deactivations/suspensions in one run.
    pub max_deactivations_per_run: u32,
    /// Most deactivations/suspensions as a percentage of managed users.
    pub max_deactivation_percent: f64,
    /// Refuse a snapshot smaller than this fraction of the last good one.
    pub min_snapshot_ratio: f64,
    /// Refuse a snapshot with more rejected records than this percentage.
    pub max_rejected_percent: f64,
    /// Refuse a snapshot larger than this multiple of the last good one (once that one had
    /// at least [`GROWTH_GUARD_FROM`] employees).
    pub max_snapshot_growth: f64,
    /// Most creates in one run (the initial load of an empty journal is exempt).
    pub max_creates_per_run: u32,
    /// Most creates as a percentage of managed users.
    pub max_create_percent: f64,
    /// Most relinks in one run; more are an id-format change, and all are held.
    pub max_relinks_per_run: u32,
    /// Most login renames in one run.
    pub max_login_changes_per_run: u32,
    /// Most login renames as a percentage of managed users.
    pub max_login_change_percent: f64,
    /// Most records an HR snapshot may hold (a larger one is refused while it is read).
    pub max_employees: usize,
}

/// Below this many employees in the last good snapshot, growth is not guarded: a small org
/// can double in one hiring wave.
pub const GROWTH_GUARD_FROM: usize = 20;
