//! The plan and its actions: what a run would change in Okta, and why.

use crate::model::{EmployeeId, OktaUserId, Profile};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Everything one run would do, in execution order, plus what it would not do and why.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Plan {
    /// The instant planned for.
    pub at: DateTime<Utc>,
    /// Actions in execution order: creates, updates, lifecycle changes, deactivations last.
    pub actions: Vec<PlannedAction>,
    /// Things deliberately not done: conflicts, skips, orphans, held-back deactivations.
    pub findings: Vec<Finding>,
    /// The earliest future instant at which some decision changes (activation/termination).
    pub next_wakeup: Option<DateTime<Utc>>,
    /// How many Okta users carry the anchor attribute (managed by hrsync).
    pub managed_users: usize,
}

impl Plan {
    /// True when the plan changes nothing in Okta.
    pub fn is_empty(&self) -> bool {
        self.actions.is_empty()
    }
}

/// One change to one Okta user.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PlannedAction {
    /// The employee it is for (none for an orphan).
    pub employee_id: Option<EmployeeId>,
    /// The Okta user it changes (none for a create).
    pub okta_id: Option<OktaUserId>,
    /// The login concerned (for display).
    pub login: Option<String>,
    /// What to do.
    pub action: Action,
    /// Why.
    pub reason: Reason,
    /// Attributes whose value names the Okta id of a user this plan creates (a report's
    /// `managerId` when the manager is hired in the same run): apply fills each from that
    /// create's answer, and leaves it out if that create failed. Empty for most actions.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub fills: BTreeMap<String, IdRef>,
}

/// An attribute value made of the Okta id of the user this plan creates for `created_for`,
/// between `prefix` and `suffix` (both empty for a plain `{manager.okta_id}`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct IdRef {
    /// The employee whose create (earlier in the plan) answers the id.
    pub created_for: EmployeeId,
    /// Text before the id.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub prefix: String,
    /// Text after the id.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub suffix: String,
    /// The attribute's value on the existing Okta user (for an update's record), if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub old: Option<serde_json::Value>,
}

impl IdRef {
    /// The attribute's value once the id is known.
    pub fn value(&self, okta_id: &str) -> String {
        format!("{}{okta_id}{}", self.prefix, self.suffix)
    }
}

/// What to do to an Okta user.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Action {
    /// Create a user with this profile; activate at once or leave STAGED.
    Create {
        /// The full profile, anchor included.
        profile: Profile,
        /// `activate=true` on create.
        activate: bool,
    },
    /// Change these attributes (partial update).
    Update {
        /// Attribute → old and new value.
        changes: BTreeMap<String, Change>,
    },
    /// `lifecycle/activate` (STAGED or DEPROVISIONED → active).
    Activate,
    /// `lifecycle/deactivate`.
    Deactivate,
    /// `lifecycle/suspend`.
    Suspend,
    /// `lifecycle/unsuspend`.
    Unsuspend,
}

/// The kind of an action: the one list every count, metric and record uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ActionKind {
    /// A new user.
    Create,
    /// A partial profile update.
    Update,
    /// `lifecycle/activate`.
    Activate,
    /// `lifecycle/deactivate`.
    Deactivate,
    /// `lifecycle/suspend`.
    Suspend,
    /// `lifecycle/unsuspend`.
    Unsuspend,
}

impl ActionKind {
    /// Every kind, in the order summaries list them.
    pub const ALL: [ActionKind; 6] = [
        Self::Create,
        Self::Update,
        Self::Activate,
        Self::Unsuspend,
        Self::Deactivate,
        Self::Suspend,
    ];

    /// The stable name: `create`, `update`, `activate`, …
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Create => "create",
            Self::Update => "update",
            Self::Activate => "activate",
            Self::Deactivate => "deactivate",
            Self::Suspend => "suspend",
            Self::Unsuspend => "unsuspend",
        }
    }
}

impl std::fmt::Display for ActionKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Action {
    /// Its kind.
    pub fn kind(&self) -> ActionKind {
        match self {
            Self::Create { .. } => ActionKind::Create,
            Self::Update { .. } => ActionKind::Update,
            Self::Activate => ActionKind::Activate,
            Self::Deactivate => ActionKind::Deactivate,
            Self::Suspend => ActionKind::Suspend,
            Self::Unsuspend => ActionKind::Unsuspend,
        }
    }

    /// True for actions that take access away (subject to the plan limits).
    pub fn is_destructive(&self) -> bool {
        matches!(self, Self::Deactivate | Self::Suspend)
    }
}

/// One attribute's change.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Change {
    /// The value in Okta now (none if absent or null).
    pub old: Option<serde_json::Value>,
    /// The value wanted (none clears it).
    pub new: Option<serde_json::Value>,
}

/// Why an action or finding exists: a stable code for `explain`, the journal and metrics.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Reason {
    /// A new employee in scope.
    NewHire,
    /// The start date's activation moment has passed.
    StartDateReached,
    /// HR status is active (mode `employee_status` or `always`).
    StatusActive,
    /// HR status is inactive.
    StatusInactive,
    /// Mapped attributes differ from Okta.
    ProfileChanged,
    /// The termination moment has passed.
    Terminated,
    /// The employee returned after being deactivated.
    Rehired,
    /// The hire was withdrawn before the start date.
    RescindedHire,
    /// The employee left the configured scope.
    OutOfScope,
    /// An anchored user names no employee in the snapshot.
    Orphan,
    /// An unanchored user with the employee's login was adopted.
    Adopted,
    /// An unanchored user with the employee's login was left alone.
    LoginConflict,
    /// The employee's record cannot be mapped (empty login, …).
    MappingFailed,
    /// Nothing to do yet (creation window not reached, …).
    NotYetDue,
    /// Held back by a plan limit.
    HeldBackByLimit,
    /// The configured service account is never deactivated.
    ServiceAccount,
    /// A previously suspended leaver (or person on leave) is active again in HR.
    Reinstated,
    /// On leave, with `[activation] on_leave = "suspend"`.
    OnLeave,
    /// Several live Okta users carry the employee's id as anchor.
    DuplicateAnchor,
    /// The primary email a new account would get is another person's.
    SharedEmail,
    /// A managed user whose HR record is gone was matched by email to a new employee id (a
    /// rehire under a new id, or an id change) and is stamped with the new id.
    Relinked,
    /// The action failed with the same permanent Okta error in several runs in a row and is
    /// not sent again until its inputs change or `hrsync retry` clears it.
    Quarantined,
    /// The Okta user's profile is mastered by another directory or app
    /// (`credentials.provider.type` is not `OKTA`): hrsync does not write it.
    MasteredElsewhere,
}

impl Reason {
    /// The stable snake_case code.
    pub fn code(self) -> String {
        serde_json::to_value(self)
            .ok()
            .and_then(|v| v.as_str().map(str::to_owned))
            .unwrap_or_default()
    }
}

/// Something the plan deliberately does not do, with its reason.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Finding {
    /// `conflict`, `skip`, `orphan`, `held_back` or `notice`.
    pub kind: FindingKind,
    /// The employee concerned, if any.
    pub employee_id: Option<EmployeeId>,
    /// The Okta user concerned, if any.
    pub okta_id: Option<OktaUserId>,
    /// The reason code.
    pub reason: Reason,
    /// A human sentence naming the record and field.
    pub detail: String,
}

/// Kinds of findings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FindingKind {
    /// An unanchored Okta user has the login (on_conflict = report).
    Conflict,
    /// Nothing done for this employee, with the reason.
    Skip,
    /// An anchored user with no HR record.
    Orphan,
    /// A destructive action held back by a plan limit.
    HeldBack,
    /// Done, but not as the mapping first asked (a taken login replaced by a fallback).
    Notice,
}
