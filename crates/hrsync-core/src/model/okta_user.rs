//! An Okta user as the Users API returns it, reduced to what hrsync needs.

use super::OktaUserId;
use super::user_profile::UserProfile;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::fmt;

/// A profile hrsync sends (create, update): attribute name → JSON value (strings mostly; custom attributes may be
/// booleans, numbers or arrays). A `null` value means "cleared".
pub type Profile = BTreeMap<String, serde_json::Value>;

/// The eight user statuses of Okta's Users API.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum UserStatus {
    /// Created, not activated; cannot sign in.
    Staged,
    /// Activated without a password; the user must finish the activation link.
    Provisioned,
    /// Can sign in.
    Active,
    /// Password reset in progress.
    Recovery,
    /// Must change the password at next sign-in.
    PasswordExpired,
    /// Locked after failed sign-ins.
    LockedOut,
    /// Suspended by an admin; keeps groups and apps.
    Suspended,
    /// Deactivated.
    Deprovisioned,
}

impl UserStatus {
    /// Every status, in Okta's order.
    pub const ALL: [UserStatus; 8] = [
        Self::Staged,
        Self::Provisioned,
        Self::Active,
        Self::Recovery,
        Self::PasswordExpired,
        Self::LockedOut,
        Self::Suspended,
        Self::Deprovisioned,
    ];

    /// The API's spelling (`PASSWORD_EXPIRED`).
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

    /// Parses the API's spelling.
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|st| st.as_str() == s)
    }

    /// True for the statuses in which the person has been activated and may sign in
    /// (everything but STAGED, SUSPENDED and DEPROVISIONED).
    pub fn is_activated(self) -> bool {
        !matches!(self, Self::Staged | Self::Suspended | Self::Deprovisioned)
    }
}

impl fmt::Display for UserStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// An Okta user: id, status, timestamps and profile.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct OktaUser {
    /// Okta's id.
    pub id: OktaUserId,
    /// Current status.
    pub status: UserStatus,
    /// Set while an asynchronous activation/deactivation is in progress.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub transitioning_to_status: Option<UserStatus>,
    /// When the user was created.
    #[serde(default)]
    pub created: Option<DateTime<Utc>>,
    /// When the user was last activated.
    #[serde(default)]
    pub activated: Option<DateTime<Utc>>,
    /// When the status last changed.
    #[serde(default)]
    pub status_changed: Option<DateTime<Utc>>,
    /// When anything about the user last changed.
    #[serde(default)]
    pub last_updated: Option<DateTime<Utc>>,
    /// The profile attributes.
    #[serde(default)]
    pub profile: UserProfile,
    /// Where the user's credentials (and profile) come from.
    #[serde(default)]
    pub credentials: Credentials,
}

/// `credentials` as Okta lists it; only the provider matters to hrsync (passwords are never
/// returned).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Credentials {
    /// `credentials.provider`, absent in some answers (then Okta itself).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub provider: Option<Provider>,
}

/// `credentials.provider`: `{ "type": "OKTA", "name": "OKTA" }`, or `ACTIVE_DIRECTORY`, `LDAP`,
/// `FEDERATION`, `SOCIAL`, `IMPORT` with the directory's or app's name.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Provider {
    /// The provider type.
    #[serde(rename = "type")]
    pub kind: String,
    /// The directory, identity provider or app, as Okta names it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
}

impl OktaUser {
    /// The directory or app that masters this user's profile, when it is not Okta (its
    /// `credentials.provider.type` is not `OKTA`): such a user is not written by hrsync,
    /// whose writes the other system would refuse (403 E0000023) or overwrite.
    pub fn profile_source(&self) -> Option<String> {
        let provider = self.credentials.provider.as_ref()?;
        if provider.kind.eq_ignore_ascii_case("OKTA") {
            return None;
        }
        Some(match &provider.name {
            Some(name) if !name.is_empty() && *name != provider.kind => {
                format!("{} ({name})", provider.kind)
            }
            _ => provider.kind.clone(),
        })
    }

    /// The `login` attribute, if present.
    pub fn login(&self) -> Option<&str> {
        self.profile.get("login").and_then(|v| v.as_str())
    }

    /// A string attribute of the profile, if present and a string.
    pub fn attr(&self, name: &str) -> Option<&str> {
        self.profile.get(name).and_then(|v| v.as_str())
    }
}
