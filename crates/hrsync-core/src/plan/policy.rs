//! The planner's view of the configuration: only what deciding needs (anchor, service
//! account, default zone, scope, mapping, activation, termination, safety). Built once per
//! config load; no I/O.

use crate::plan::scope::ScopeExpr;
use crate::policy::{
    ActivationConfig, ActivationMode, CreateTiming, MappingConfig, OnConflict, OnLeave,
    OrphanPolicy, SafetyConfig, TerminationAction, TerminationAt, TerminationConfig,
};
use chrono::NaiveTime;
use chrono_tz::Tz;
use std::collections::BTreeMap;

/// What the planner needs from the configuration.
#[derive(Debug, Clone)]
pub struct Policy {
    /// The Okta profile attribute that holds the HR employee id (`employeeNumber`).
    pub anchor_attribute: String,
    /// The login of hrsync's own account; never deactivated or suspended.
    pub service_account_login: Option<String>,
    /// Zone for employees whose record has none.
    pub default_timezone: Tz,
    /// Who is provisioned at all (everyone when `None`).
    pub scope: Option<ScopeExpr>,
    /// Attribute templates, login fallbacks and `on_conflict`.
    pub mapping: MappingConfig,
    /// When users are created and activated.
    pub activation: ActivationConfig,
    /// What happens to leavers and orphans.
    pub termination: TerminationConfig,
    /// Plan limits and snapshot guard thresholds.
    pub safety: SafetyConfig,
    /// Runs in a row an action may fail with the same permanent Okta error before it is
    /// quarantined (`[okta] quarantine_after_failures`; 0: never).
    pub quarantine_after: u32,
}

impl Policy {
    /// A policy with DESIGN.md's defaults (anchor `employeeNumber`, zone Europe/London, mode
    /// `start_date`, create on record, activate at 09:00, deactivate at the end of the
    /// termination date, report orphans, safety 25 / 5 % / 0.9 / 2 %) around a mapping.
    pub fn with_defaults(mapping: MappingConfig) -> Self {
        Self {
            anchor_attribute: "employeeNumber".to_owned(),
            service_account_login: None,
            default_timezone: chrono_tz::Europe::London,
            scope: None,
            mapping,
            activation: ActivationConfig {
                mode: ActivationMode::StartDate,
                create: CreateTiming::OnRecord,
                activate_at: NaiveTime::from_hms_opt(9, 0, 0).unwrap_or(NaiveTime::MIN),
                on_leave: OnLeave::Keep,
            },
            termination: TerminationConfig {
                action: TerminationAction::Deactivate,
                at: TerminationAt::TerminationDate,
                orphans: OrphanPolicy::Report,
            },
            safety: SafetyConfig::default(),
            quarantine_after: super::quarantine::DEFAULT_QUARANTINE_AFTER,
        }
    }

    /// An empty mapping (no attributes, no fallbacks, `on_conflict = report`).
    pub fn empty_mapping() -> MappingConfig {
        MappingConfig {
            attributes: BTreeMap::new(),
            login_fallbacks: Vec::new(),
            on_conflict: OnConflict::Report,
            types: BTreeMap::new(),
            origins: BTreeMap::new(),
        }
    }

    /// Whether `login` is the service account's (case-insensitive).
    pub fn is_service_account(&self, login: Option<&str>) -> bool {
        match (&self.service_account_login, login) {
            (Some(svc), Some(login)) => svc.eq_ignore_ascii_case(login),
            _ => false,
        }
    }
}
