//! One emulated user: its record, how it renders in Okta's JSON shape (with the HAL links a
//! real org returns for its status), how a seed entry becomes a record, and the conversion to
//! the [`User`] tests see. No HTTP, no validation (see `profile.rs`).

use super::ids;
use crate::wire::{Status as UserStatus, User};
use chrono::{DateTime, SecondsFormat, Utc};
use serde_json::{Map, Value, json};

/// A user as the emulator stores it.
#[derive(Debug, Clone, PartialEq)]
pub struct UserRecord {
    /// `00u…` id.
    pub id: String,
    /// Current status.
    pub status: UserStatus,
    /// Target of an in-progress asynchronous transition.
    pub transitioning_to: Option<UserStatus>,
    /// When the in-progress transition completes.
    pub pending_until: Option<DateTime<Utc>>,
    /// Creation time.
    pub created: DateTime<Utc>,
    /// Last activation.
    pub activated: Option<DateTime<Utc>>,
    /// Last status change.
    pub status_changed: Option<DateTime<Utc>>,
    /// Last change of anything.
    pub last_updated: DateTime<Utc>,
    /// Last password change.
    pub password_changed: Option<DateTime<Utc>>,
    /// Last sign-in (never set by the emulator unless seeded).
    pub last_login: Option<DateTime<Utc>>,
    /// Whether a password is set (the value is never stored).
    pub has_password: bool,
    /// `credentials.provider.type` (`OKTA`, `FEDERATION`, …).
    pub provider: String,
    /// `credentials.provider.name` (the directory, IdP or app; `OKTA` for Okta itself).
    pub provider_name: String,
    /// Profile attributes; a `null` value is a cleared attribute.
    pub profile: Map<String, Value>,
}

/// Okta's timestamp format: `2026-05-15T17:35:39.000Z`.
pub fn fmt_time(t: &DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Millis, true)
}

fn opt_time(t: &Option<DateTime<Utc>>) -> Value {
    t.as_ref()
        .map_or(Value::Null, |t| Value::String(fmt_time(t)))
}

fn link(href: String) -> Value {
    json!({ "href": href })
}

fn post_link(href: String) -> Value {
    json!({ "href": href, "method": "POST" })
}

impl UserRecord {
    /// A fresh record with the given profile, created `at`.
    pub fn new(profile: Map<String, Value>, at: DateTime<Utc>) -> Self {
        Self {
            id: ids::user_id(),
            status: UserStatus::Staged,
            transitioning_to: None,
            pending_until: None,
            created: at,
            activated: None,
            status_changed: None,
            last_updated: at,
            password_changed: None,
            last_login: None,
            has_password: false,
            provider: "OKTA".into(),
            provider_name: "OKTA".into(),
            profile,
        }
    }

    /// The login, if set.
    pub fn login(&self) -> Option<&str> {
        self.profile.get("login").and_then(Value::as_str)
    }

    /// Moves to `status` at `at`, maintaining `statusChanged`, `activated`, `lastUpdated`.
    pub fn set_status(&mut self, status: UserStatus, at: DateTime<Utc>) {
        if status != self.status {
            self.status_changed = Some(at);
        }
        if matches!(status, UserStatus::Active | UserStatus::Provisioned)
            && matches!(self.status, UserStatus::Staged | UserStatus::Deprovisioned)
        {
            self.activated = Some(at);
        }
        self.status = status;
        self.last_updated = at;
    }

    /// The value of a search/filter attribute path (`status`, `profile.login`, `created`, …).
    pub fn attribute(&self, path: &str) -> Option<Value> {
        if let Some(name) = path.strip_prefix("profile.") {
            return self.profile.get(name).cloned().filter(|v| !v.is_null());
        }
        let v = match path {
            "id" => Value::String(self.id.clone()),
            "status" => Value::String(self.status.as_str().to_owned()),
            "created" => Value::String(fmt_time(&self.created)),
            "activated" => opt_time(&self.activated),
            "statusChanged" => opt_time(&self.status_changed),
            "lastUpdated" => Value::String(fmt_time(&self.last_updated)),
            "passwordChanged" => opt_time(&self.password_changed),
            "lastLogin" => opt_time(&self.last_login),
            "type.id" => Value::String(ids::USER_TYPE_ID.to_owned()),
            "transitioningToStatus" => self
                .transitioning_to
                .map_or(Value::Null, |s| Value::String(s.as_str().to_owned())),
            _ => Value::Null,
        };
        (!v.is_null()).then_some(v)
    }

    /// The user in the API's JSON shape. `full_links` adds the lifecycle links a single-user
    /// response carries; collection items carry only `self`.
    pub fn render(&self, base: &str, full_links: bool) -> Value {
        let me = format!("{base}/api/v1/users/{}", self.id);
        let mut links = Map::new();
        links.insert("self".into(), link(me.clone()));
        if full_links {
            links.insert(
                "schema".into(),
                link(format!(
                    "{base}/api/v1/meta/schemas/user/{}",
                    crate::schema::SCHEMA_ID
                )),
            );
            links.insert(
                "type".into(),
                link(format!(
                    "{base}/api/v1/meta/types/user/{}",
                    ids::USER_TYPE_ID
                )),
            );
            let lc = |op: &str| post_link(format!("{me}/lifecycle/{op}"));
            let ops: &[(&str, &str)] = match self.status {
                UserStatus::Staged => &[("activate", "activate")],
                UserStatus::Provisioned => &[
                    ("reactivate", "reactivate"),
                    ("resetPassword", "reset_password"),
                    ("suspend", "suspend"),
                    ("deactivate", "deactivate"),
                ],
                UserStatus::Active | UserStatus::PasswordExpired | UserStatus::Recovery => &[
                    ("suspend", "suspend"),
                    ("deactivate", "deactivate"),
                    ("resetPassword", "reset_password"),
                    ("expirePassword", "expire_password"),
                ],
                UserStatus::Suspended => {
                    &[("unsuspend", "unsuspend"), ("deactivate", "deactivate")]
                }
                UserStatus::LockedOut => &[("unlock", "unlock"), ("deactivate", "deactivate")],
                UserStatus::Deprovisioned => &[("activate", "activate")],
            };
            for (rel, op) in ops {
                links.insert((*rel).into(), lc(op));
            }
            links.insert("resetFactors".into(), lc("reset_factors"));
            if self.status == UserStatus::Deprovisioned {
                links.insert("delete".into(), json!({ "href": me, "method": "DELETE" }));
            }
        }
        let mut profile = self.profile.clone();
        for always in ["mobilePhone", "secondEmail"] {
            profile.entry(always).or_insert(Value::Null);
        }
        let mut credentials = Map::new();
        if self.has_password {
            credentials.insert("password".into(), json!({}));
        }
        credentials.insert(
            "provider".into(),
            json!({ "type": self.provider, "name": self.provider_name }),
        );
        let mut obj = Map::new();
        obj.insert("id".into(), Value::String(self.id.clone()));
        obj.insert("status".into(), Value::String(self.status.as_str().into()));
        obj.insert("created".into(), Value::String(fmt_time(&self.created)));
        obj.insert("activated".into(), opt_time(&self.activated));
        obj.insert("statusChanged".into(), opt_time(&self.status_changed));
        obj.insert("lastLogin".into(), opt_time(&self.last_login));
        obj.insert(
            "lastUpdated".into(),
            Value::String(fmt_time(&self.last_updated)),
        );
        obj.insert("passwordChanged".into(), opt_time(&self.password_changed));
        if let Some(t) = self.transitioning_to {
            obj.insert(
                "transitioningToStatus".into(),
                Value::String(t.as_str().into()),
            );
        }
        obj.insert("type".into(), json!({ "id": ids::USER_TYPE_ID }));
        obj.insert("profile".into(), Value::Object(profile));
        obj.insert("credentials".into(), Value::Object(credentials));
        obj.insert("_links".into(), Value::Object(links));
        Value::Object(obj)
    }

    /// A record from a seed entry: any status, any profile, the given id and timestamps if
    /// present. Missing parts get defaults (status ACTIVE, fresh id, times `at`).
    pub fn from_seed(entry: &Value, at: DateTime<Utc>) -> Option<Self> {
        let obj = entry.as_object()?;
        let profile = obj
            .get("profile")
            .and_then(Value::as_object)
            .cloned()
            .unwrap_or_default();
        let mut user = Self::new(profile, at);
        if let Some(id) = obj
            .get("id")
            .and_then(Value::as_str)
            .filter(|s| !s.is_empty())
        {
            user.id = id.to_owned();
        }
        let time = |k: &str| {
            obj.get(k)
                .and_then(Value::as_str)
                .and_then(|s| DateTime::parse_from_rfc3339(s).ok())
                .map(|t| t.with_timezone(&Utc))
        };
        user.status = obj
            .get("status")
            .and_then(Value::as_str)
            .and_then(UserStatus::parse)
            .unwrap_or(UserStatus::Active);
        user.transitioning_to = obj
            .get("transitioningToStatus")
            .and_then(Value::as_str)
            .and_then(UserStatus::parse);
        user.created = time("created").unwrap_or(at);
        user.last_updated = time("lastUpdated").unwrap_or(user.created);
        user.activated = time("activated")
            .or_else(|| (!matches!(user.status, UserStatus::Staged)).then_some(user.created));
        user.status_changed = time("statusChanged")
            .or_else(|| (!matches!(user.status, UserStatus::Staged)).then_some(user.created));
        user.password_changed = time("passwordChanged");
        user.last_login = time("lastLogin");
        let creds = obj.get("credentials");
        user.has_password =
            creds.and_then(|c| c.get("password")).is_some() || user.password_changed.is_some();
        let provider = creds.and_then(|c| c.get("provider"));
        if let Some(p) = provider.and_then(|p| p.get("type")).and_then(Value::as_str) {
            user.provider = p.to_owned();
            user.provider_name = provider
                .and_then(|p| p.get("name"))
                .and_then(Value::as_str)
                .unwrap_or(p)
                .to_owned();
        }
        Some(user)
    }

    /// This user as tests and tools see it.
    pub fn to_user(&self) -> User {
        User {
            id: self.id.clone(),
            status: self.status,
            transitioning_to: self.transitioning_to,
            created: self.created,
            last_updated: self.last_updated,
            profile: self.profile.clone(),
        }
    }
}

#[cfg(test)]
mod tests;
