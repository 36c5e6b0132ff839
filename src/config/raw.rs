//! The configuration file section by section, as the loader deserialized it (each section in
//! its typed form), with where `[employee]` and `[mapping]` keys are written and which keys
//! were refused, for the checks that follow.
//!
//! `Config::from_raw` (in `load.rs`) checks across keys, applies the defaults of absent
//! sections and reads secrets. This module does no I/O.

use std::collections::BTreeMap;
use std::ops::Range;

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
    /// `section` and `section.key` → where each is written, for `[employee]` and `[mapping]`
    /// (their checks need a key's place, or whether it is there at all).
    pub written: BTreeMap<String, Range<usize>>,
    /// Keys whose values were refused while their section deserialized (`mapping.login`):
    /// the checks count them as written.
    pub refused: Vec<String>,
    /// `[okta] token` and `oauth` as written, read even when `[okta]` has mistakes.
    pub okta_credentials: super::okta::WrittenCredentials,
    /// `[source]`: where employees come from, already typed (it deserializes directly).
    pub source: Option<super::source::SourceConfig>,
    /// `[employee]`: which HR fields hold id, status, dates, zone, manager; the scope.
    pub employee: Option<super::EmployeeConfig>,
    /// `[mapping]`: Okta attribute templates and matching options.
    pub mapping: Option<super::mapping::MappingTable>,
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
