//! The configuration file exactly as written: every section of DESIGN.md's config shape,
//! deserialized with `deny_unknown_fields` and spans kept for error messages.
//!
//! Nothing here is validated beyond its TOML type; `Config::from_raw` (in `load.rs`) checks
//! values, applies defaults and resolves secrets. This module does no I/O.

use serde::Deserialize;
use std::collections::BTreeMap;
use toml::Spanned;

/// The whole file. Every section is optional in the file; `[okta]` and `[source]` are required
/// by validation.
#[derive(Debug, Clone, Default)]
pub struct RawConfig {
    /// `[okta]`: the org and its credentials.
    pub okta: Option<RawOkta>,
    /// `[source]`: where employees come from, already typed (it deserializes directly).
    pub source: Option<super::source::SourceConfig>,
    /// `[employee]`: which HR fields hold id, status, dates, zone, manager; the scope.
    pub employee: Option<RawEmployee>,
    /// `[mapping]`: Okta attribute templates and matching options.
    pub mapping: Option<Spanned<RawMapping>>,
    /// `[activation]`: when users are created and activated.
    pub activation: Option<hrsync_core::policy::ActivationConfig>,
    /// `[termination]`: leavers and orphans.
    pub termination: Option<hrsync_core::policy::TerminationConfig>,
    /// `[safety]`: guards against broken feeds and mass deactivation.
    pub safety: Option<hrsync_core::policy::SafetyConfig>,
    /// `[schedule]`: the daemon's timing.
    pub schedule: Option<super::daemon_sections::ScheduleConfig>,
    /// `[journal]`: the audit database.
    pub journal: Option<super::JournalConfig>,
    /// `[server]`: the daemon's HTTP endpoint.
    pub server: Option<super::daemon_sections::ServerConfig>,
    /// `[ha]`: the leader lease (PostgreSQL journal only).
    pub ha: Option<super::daemon_sections::HaConfig>,
}

/// A reference to a secret: exactly one of `env`, `file` or `credential`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(
    deny_unknown_fields,
    expecting = "a secret reference: { env = \"VAR\" }, { file = \"path\" } or { credential = \"name\" }"
)]
pub struct RawSecret {
    /// Name of an environment variable holding the secret.
    pub env: Option<String>,
    /// Path of a file holding the secret (relative to the config file); a trailing newline is
    /// dropped.
    pub file: Option<String>,
    /// Name of a systemd credential, read from `$CREDENTIALS_DIRECTORY/<name>`.
    pub credential: Option<String>,
}

/// `[okta]`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawOkta {
    /// The org's base URL, e.g. `https://example.okta.com` (http only on a loopback host).
    pub org_url: Spanned<String>,
    /// An SSWS API token (give this or `oauth`).
    pub token: Option<Spanned<RawSecret>>,
    /// An OAuth 2.0 service app (give this or `token`).
    pub oauth: Option<Spanned<RawOAuth>>,
    /// Profile attribute holding the HR employee id; default `employeeNumber`.
    pub anchor_attribute: Option<Spanned<String>>,
    /// Login of the service account; never deactivated whatever HR says.
    pub service_account_login: Option<Spanned<String>>,
    /// Most requests in flight at once; default 8 (1..=64).
    pub max_concurrent_requests: Option<Spanned<i64>>,
    /// Share of the rate limit Okta reports to this token that hrsync may use; default 1.0
    /// (0 < s ≤ 1). Okta already caps each token at 50 % of the org's bucket by default.
    pub rate_limit_share: Option<Spanned<f64>>,
    /// Timeout of one HTTP request in seconds; default 30 (1..=600).
    pub request_timeout_seconds: Option<Spanned<i64>>,
    /// Longest single wait before retrying (a rate-limit reset, a `Retry-After`, a backoff)
    /// in seconds; a longer one fails the request, and so the run, at once. Default 120
    /// (1..=3600).
    pub max_retry_wait_seconds: Option<Spanned<i64>>,
    /// Most seconds one run may spend waiting to retry Okta requests, all requests together;
    /// default 900 (1..=86400).
    pub max_retry_wait_per_run_seconds: Option<Spanned<i64>>,
    /// Runs in a row an action may fail with the same permanent Okta error before it is
    /// quarantined; default 3 (0 = never, up to 100).
    pub quarantine_after_failures: Option<Spanned<i64>>,
    /// Whether Okta emails users when they are activated; default false.
    pub send_activation_email: Option<bool>,
    /// Whether runs between full passes read only the Okta users changed since the last read
    /// (the journal keeps a cache of the rest); default true.
    pub incremental: Option<bool>,
    /// How far before the watermark an incremental read starts, in seconds (Okta's search
    /// index lags behind writes); default 300 (0..=86400).
    #[serde(
        default = "default_overlap",
        deserialize_with = "super::value::seconds::<0, 86_400, _>"
    )]
    pub incremental_overlap_seconds: std::time::Duration,
    /// The longest time between two full passes (every user listed), e.g. `"24h"`; default
    /// `"24h"` (1 minute to 30 days).
    #[serde(
        default = "default_full_pass_every",
        deserialize_with = "super::value::span::<60, 2_592_000, _>"
    )]
    pub full_pass_every: std::time::Duration,
}

/// Default `[okta] incremental_overlap_seconds`.
pub const DEFAULT_INCREMENTAL_OVERLAP: std::time::Duration = std::time::Duration::from_secs(300);

/// Default `[okta] full_pass_every`.
pub const DEFAULT_FULL_PASS_EVERY: std::time::Duration = std::time::Duration::from_secs(86_400);

fn default_overlap() -> std::time::Duration {
    DEFAULT_INCREMENTAL_OVERLAP
}

fn default_full_pass_every() -> std::time::Duration {
    DEFAULT_FULL_PASS_EVERY
}

/// `[okta] oauth = { ... }`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawOAuth {
    /// The service app's client id.
    pub client_id: Spanned<String>,
    /// The PEM private key (PKCS#8 RSA) as a secret reference.
    pub private_key: Spanned<RawSecret>,
    /// The key id (`kid`) registered with the app.
    pub key_id: Option<String>,
    /// Scopes to request; default `["okta.users.read", "okta.users.manage"]`.
    pub scopes: Option<Vec<String>>,
}

/// `[employee] status = { field, active, inactive }`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawStatus {
    /// The field holding the status; default `status`.
    pub field: Option<String>,
    /// Values meaning active (case-insensitive); default `["Active"]`.
    pub active: Option<Vec<String>>,
    /// Values meaning inactive (case-insensitive). When given, a status in neither list
    /// refuses the record; when absent (the default), every value not active is inactive.
    pub inactive: Option<Spanned<Vec<Spanned<String>>>>,
}

/// `[employee] phase = { field, pre_hire, employed, on_leave, notice, terminated }`: which HR
/// values mean which lifecycle phase (each list compared case-insensitively, trimmed).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawPhase {
    /// The field holding the lifecycle status (bob: `internal.lifecycleStatus`).
    pub field: Spanned<String>,
    /// Values meaning hired, not started yet.
    #[serde(default)]
    pub pre_hire: Vec<Spanned<String>>,
    /// Values meaning working (at least one).
    #[serde(default)]
    pub employed: Vec<Spanned<String>>,
    /// Values meaning away and coming back.
    #[serde(default)]
    pub on_leave: Vec<Spanned<String>>,
    /// Values meaning still working with a leaving date (garden leave, resignation).
    #[serde(default)]
    pub notice: Vec<Spanned<String>>,
    /// Values meaning gone.
    #[serde(default)]
    pub terminated: Vec<Spanned<String>>,
}

/// `[employee] timezone = { field, values, default }`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawTimezone {
    /// The field holding an IANA zone name (or a name listed in `values`); default
    /// `site_timezone`.
    pub field: Option<String>,
    /// Field values (a site name, say) → IANA zone, for HR systems that give no zone.
    pub values: Option<BTreeMap<String, Spanned<String>>>,
    /// The zone used when the field is empty; default `UTC`.
    pub default: Option<Spanned<String>>,
}

/// `[employee]`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawEmployee {
    /// The field holding the employee id; default `id`.
    pub id: Option<String>,
    /// The status field and its active values.
    pub status: Option<Spanned<RawStatus>>,
    /// The lifecycle-phase field and its values (instead of `status`).
    pub phase: Option<Spanned<RawPhase>>,
    /// The field holding the start date; default `start_date`.
    pub start_date: Option<String>,
    /// The field (or fields, earliest wins) holding the termination date; default
    /// `termination_date`.
    pub termination_date: Option<OneOrMany>,
    /// The time-zone field and default.
    pub timezone: Option<RawTimezone>,
    /// The field holding the manager's employee id; default `manager_id`.
    pub manager: Option<String>,
    /// A scope expression; everyone is in scope when absent.
    pub scope: Option<Spanned<String>>,
}

/// A string or an array of strings (deserialized in `raw_de.rs`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OneOrMany(pub Vec<String>);

/// `[mapping] on_conflict`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RawOnConflict {
    /// Report a conflict, do nothing.
    Report,
    /// Stamp the anchor and manage the user.
    Adopt,
}

/// `[mapping.on_empty] attr = ...`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RawOnEmpty {
    /// Leave the Okta value alone.
    Keep,
    /// Clear the Okta value.
    Clear,
}

/// `[mapping]`: attribute templates mixed with options, read by hand from the table (serde's
/// `flatten` cannot be combined with unknown-key checks).
#[derive(Debug, Clone, Default)]
pub struct RawMapping {
    /// Okta attribute → template, e.g. `firstName = "{first_name}"`.
    pub attributes: BTreeMap<String, Spanned<String>>,
    /// Login templates tried in order when the login is taken.
    pub login_fallbacks: Vec<Spanned<String>>,
    /// `report` (default) or `adopt`.
    pub on_conflict: Option<Spanned<RawOnConflict>>,
    /// `[mapping.values.<attr>]`: template result → Okta value.
    pub values: BTreeMap<Spanned<String>, BTreeMap<String, String>>,
    /// `[mapping.on_empty]`: attribute → `keep` (default) or `clear`.
    pub on_empty: BTreeMap<Spanned<String>, Spanned<RawOnEmpty>>,
    /// `[mapping.types]`: attribute → the type `hrsync schema apply` creates it with.
    pub types: BTreeMap<Spanned<String>, Spanned<String>>,
}
