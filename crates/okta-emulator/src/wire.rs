//! The emulator's own reading of Okta's wire format: user statuses, the login shape Okta's
//! default schema requires, and the user as tests and tools see it. Written from Okta's
//! documentation, deliberately not shared with hrsync's model, so that a misreading of Okta
//! in hrsync is not silently repeated here.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use std::fmt;

/// The eight user statuses of Okta's Users API.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Status {
    /// Created, not activated.
    Staged,
    /// Activated without a password; waiting for the user to set one.
    Provisioned,
    /// Active.
    Active,
    /// Password reset in progress.
    Recovery,
    /// The password has expired.
    PasswordExpired,
    /// Locked out after failed sign-ins.
    LockedOut,
    /// Suspended by an admin.
    Suspended,
    /// Deactivated.
    Deprovisioned,
}

impl Status {
    /// Okta's spelling (`PASSWORD_EXPIRED`).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Staged => "STAGED",
            Self::Provisioned => "PROVISIONED",
            Self::Active => "ACTIVE",
            Self::Recovery => "RECOVERY",
            Self::PasswordExpired => "PASSWORD_EXPIRED",
            Self::LockedOut => "LOCKED_OUT",
            Self::Suspended => "SUSPENDED",
            Self::Deprovisioned => "DEPROVISIONED",
        }
    }

    /// Reads Okta's spelling; `None` for anything else.
    pub fn parse(s: &str) -> Option<Self> {
        [
            Self::Staged,
            Self::Provisioned,
            Self::Active,
            Self::Recovery,
            Self::PasswordExpired,
            Self::LockedOut,
            Self::Suspended,
            Self::Deprovisioned,
        ]
        .into_iter()
        .find(|v| v.as_str() == s)
    }
}

impl fmt::Display for Status {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Whether `s` has the `local@domain.tld` shape Okta's default login rule asks for: one `@`,
/// something before it, a dotted domain after it, no whitespace.
pub fn email_shaped(s: &str) -> bool {
    if s.chars().any(char::is_whitespace) {
        return false;
    }
    let mut parts = s.split('@');
    let (Some(local), Some(domain), None) = (parts.next(), parts.next(), parts.next()) else {
        return false;
    };
    !local.is_empty()
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !domain.contains("..")
}

/// A user as the emulator holds it, for tests and tools (`EmulatorHandle::users`).
#[derive(Debug, Clone, PartialEq)]
pub struct User {
    /// The `00u…` id.
    pub id: String,
    /// Current status.
    pub status: Status,
    /// Target of a transition still in progress.
    pub transitioning_to: Option<Status>,
    /// Creation time.
    pub created: DateTime<Utc>,
    /// Last change of anything.
    pub last_updated: DateTime<Utc>,
    /// Profile attributes (a cleared attribute is `null`).
    pub profile: Map<String, Value>,
}

impl User {
    /// `profile.login`, if set.
    pub fn login(&self) -> Option<&str> {
        self.profile.get("login").and_then(Value::as_str)
    }
}

#[cfg(test)]
mod tests;
