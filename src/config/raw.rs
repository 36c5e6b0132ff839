//! The configuration file section by section, as the loader deserialized it: most sections
//! already in their typed form, `[employee]` and `[mapping]` still as written (their raw
//! structs here, with spans kept for error messages).
//!
//! `Config::from_raw` (in `load.rs`) checks across keys, applies the defaults of absent
//! sections and reads secrets. This module does no I/O.

use serde::Deserialize;
use std::collections::BTreeMap;
use toml::Spanned;

/// The whole file. Every section is optional in the file; `[okta]` and `[source]` are required
/// by validation.
#[derive(Debug, Clone, Default)]
pub struct RawConfig {
    /// `[okta]`: the org and its credentials, already typed (it deserializes directly; the
    /// credentials are read afterwards).
    pub okta: Option<super::OktaConfig>,
    /// `[okta] anchor_attribute` as written, even when `[okta]` has mistakes: mapping it is
    /// reported all the same.
    pub anchor_as_written: Option<String>,
    /// `[okta] token` and `oauth` as written, read even when `[okta]` has mistakes.
    pub okta_credentials: super::okta::WrittenCredentials,
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
