//! The summary `hrsync check` prints before its findings: one row per setting that decides
//! what a sync does (secrets hidden, only where they come from), then the snapshot's counts.
//! Writes to the report only; reads nothing but the config and the snapshot it is given.

use crate::cli::check_verdict::Findings;
use crate::config::{
    ActivationMode, Config, CreateTiming, OktaAuth, OnLeave, OrphanPolicy, SourceConfig,
    StatusValues, TerminationAction, TerminationAt,
};
use crate::model::{EmploymentStatus, Phase};
use crate::source::{AnySource, HrSource, Snapshot};
use std::collections::BTreeMap;
use std::io::Write;

/// The summary: the config, the source, the Okta org and credentials (hidden), the
/// mapping, the status rule, the activation and termination modes, what is quarantined, the
/// snapshot's counts and the status values counted as inactive when none are listed; a
/// problem found on the way goes to `findings`.
pub(super) fn write_summary(
    out: &mut dyn Write,
    c: &Config,
    source: &AnySource,
    s: &Snapshot,
    findings: &mut Findings,
) -> std::io::Result<()> {
    let row = |out: &mut dyn Write, k: &str, v: &str| writeln!(out, "  {k:<13}{v}");
    row(out, "config", &format!("{} (valid)", c.path.display()))?;
    row(out, "source", &source.describe())?;
    match &c.source {
        SourceConfig::HiBob(h) => row(out, "hibob api", h.base_url.as_str())?,
        SourceConfig::BambooHr(b) => row(
            out,
            "bamboohr api",
            &format!("{} (company {})", b.base_url, b.company_domain),
        )?,
        SourceConfig::Personio(p) => row(out, "personio api", p.base_url.as_str())?,
        SourceConfig::Workday(w) => row(out, "workday", &workday_row(w))?,
        SourceConfig::Scim(s) => row(
            out,
            "scim api",
            &format!(
                "{} (bearer token hidden), {} users per page",
                s.base_url, s.page_size
            ),
        )?,
        SourceConfig::File(_) | SourceConfig::Sql(_) => {}
    }
    if let SourceConfig::Sql(q) = &c.source {
        let limits = format!(
            "query timeout {} s, connect timeout {} s, read-only transaction",
            q.query_timeout.as_secs(),
            q.connect_timeout.as_secs()
        );
        row(out, "sql limits", &limits)?;
    }
    row(out, "okta org", c.okta.org_url.as_str())?;
    let auth = match &c.okta.auth {
        OktaAuth::Ssws(_) => "SSWS API token (value hidden)".to_owned(),
        OktaAuth::OAuth(o) => format!(
            "OAuth 2.0 service app {} (private_key_jwt; key hidden), scopes {}",
            o.client_id,
            o.scopes.join(" ")
        ),
    };
    row(out, "auth", &auth)?;
    row(
        out,
        "anchor",
        &format!("profile.{} holds the HR id", c.okta.anchor_attribute),
    )?;
    let attrs: Vec<&str> = c.mapping.attributes.keys().map(String::as_str).collect();
    row(
        out,
        "mapping",
        &format!("{} attributes: {}", attrs.len(), attrs.join(", ")),
    )?;
    let status_key = match c.employee.status.values {
        StatusValues::ActiveInactive { .. } => "status",
        StatusValues::Phases(_) => "phase",
    };
    row(out, status_key, &status_rule(c))?;
    if let Some(scope) = &c.employee.scope {
        row(out, "scope", scope.source())?;
    }
    row(out, "activation", &activation(c))?;
    row(out, "termination", &termination(c))?;
    let next: Vec<String> = c
        .schedule
        .cron
        .upcoming(c.schedule.timezone)
        .take(3)
        .map(|t| t.format("%Y-%m-%d %H:%M:%S %Z").to_string())
        .collect();
    row(
        out,
        "schedule",
        &format!(
            "{} ({}); next: {}",
            c.schedule.cron.expr(),
            c.schedule.timezone,
            next.join(", ")
        ),
    )?;
    row(out, "journal", &c.journal.location())?;
    if let Some(lease) = crate::cli::check_lease::leader_lease(c, chrono::Utc::now()) {
        row(out, "leader lease", &lease)?;
    }
    if let Some(held) = quarantined(c) {
        row(out, "quarantined", &held)?;
    }
    let listen = c
        .server
        .listen
        .map_or_else(|| "off".to_owned(), |a| a.to_string());
    row(out, "server", &listen)?;
    row(out, "console", &c.server.console_summary())?;
    row(
        out,
        "employees",
        &format!(
            "{} loaded: {}; {} records rejected",
            s.employees.len(),
            status_counts(c, s),
            s.rejected_records()
        ),
    )?;
    if let AnySource::Sql(q) = source
        && let Some(read) = q.last_read()
    {
        let columns = format!(
            "{} rows read; {} columns: {}",
            read.rows,
            read.columns.len(),
            read.columns.join(", ")
        );
        row(out, "sql result", &columns)?;
    }
    if !s.rejected.is_empty() {
        writeln!(out, "rejected records:")?;
        for r in &s.rejected {
            writeln!(out, "  {r}")?;
        }
    }
    if let Some(w) = c.server.console_exposure() {
        writeln!(out, "warning: {w}")?;
        findings.warnings(1);
    }
    if let Some(w) = unlisted_statuses(c, s) {
        writeln!(out, "warning: {w}")?;
        findings.warnings(1);
    }
    Ok(())
}

/// `tenant acme, report ISU_hrsync/hrsync_workers, Integration System User ISU_hrsync
/// (password hidden), 12 columns mapped`: the report and how hrsync signs in, no secret.
fn workday_row(w: &crate::config::WorkdaySourceConfig) -> String {
    let auth = match w.auth() {
        Some(crate::config::WorkdayAuth::Basic { username, .. }) => {
            format!("Integration System User {username} (password hidden)")
        }
        Some(crate::config::WorkdayAuth::RefreshToken { client_id, .. }) => {
            format!("OAuth API client {client_id} (secret and refresh token hidden)")
        }
        None => "no credentials".to_owned(),
    };
    format!(
        "tenant {}, report {}/{}, {auth}, {} columns mapped",
        w.tenant,
        w.owner,
        w.report,
        w.columns.len()
    )
}

/// `2 action(s) (1003 create, 1007 update); \`hrsync retry\` lists them, \`hrsync retry ID\`
/// sends one again` when the journal holds quarantined actions; why, when the journal cannot
/// be read (none yet is not a problem: nothing is quarantined).
fn quarantined(c: &Config) -> Option<String> {
    use crate::journal::{Journal, JournalError};
    let after = c.okta.quarantine_after_failures;
    let streaks = match Journal::from_config_read_only(&c.journal).and_then(|j| j.failure_streaks())
    {
        Ok(streaks) => streaks,
        Err(JournalError::NotFound { .. }) => return None,
        Err(e) => return Some(format!("unknown: {e}")),
    };
    let held: Vec<String> = streaks
        .into_iter()
        .filter(|s| after > 0 && s.failures >= after)
        .map(|s| format!("{} {}", s.subject, s.kind))
        .collect();
    (!held.is_empty()).then(|| {
        format!(
            "{} action(s) ({}); `hrsync retry` lists them, `hrsync retry ID` sends one again",
            held.len(),
            held.join(", ")
        )
    })
}

/// `30 active, 4 inactive`, or per phase (`3 pre_hire, 30 employed, 1 on_leave`) with a
/// `phase` table.
fn status_counts(c: &Config, s: &Snapshot) -> String {
    if let StatusValues::ActiveInactive { .. } = c.employee.status.values {
        let active = s
            .employees
            .iter()
            .filter(|e| e.status == EmploymentStatus::Active)
            .count();
        return format!("{active} active, {} inactive", s.employees.len() - active);
    }
    let counts: Vec<String> = Phase::ALL
        .iter()
        .map(|p| {
            let n = s
                .employees
                .iter()
                .filter(|e| e.status == EmploymentStatus::Phase(*p))
                .count();
            format!("{n} {p}")
        })
        .collect();
    counts.join(", ")
}

fn status_rule(c: &Config) -> String {
    let rule = &c.employee.status;
    format!("{}: {}", rule.field, rule.accepted())
}

/// Without `[employee] status.inactive`, every status not active silently counts as inactive:
/// names the values read that way and how often, so a typo or a new HR status is noticed.
fn unlisted_statuses(c: &Config, s: &Snapshot) -> Option<String> {
    let StatusValues::ActiveInactive {
        active,
        inactive: None,
    } = &c.employee.status.values
    else {
        return None;
    };
    let mut seen: BTreeMap<&str, usize> = BTreeMap::new();
    for e in &s.employees {
        if e.status == EmploymentStatus::Inactive {
            *seen.entry(e.raw_status.as_str()).or_default() += 1;
        }
    }
    if seen.is_empty() {
        return None;
    }
    let total: usize = seen.values().sum();
    let values: Vec<String> = seen.iter().map(|(v, n)| format!("{v:?} ×{n}")).collect();
    Some(format!(
        "{total} records count as inactive only because their status is not in [employee] status.active ({}): {}. Set status.inactive to the values that really mean inactive (e.g. [\"Inactive\"]); any other value is then refused with its line instead of silently counting as inactive",
        active.join(", "),
        values.join(", ")
    ))
}

fn activation(c: &Config) -> String {
    let a = &c.activation;
    let create = match a.create {
        CreateTiming::OnRecord => "create on record".to_owned(),
        CreateTiming::DaysBeforeStart(n) => format!("create {n} days before start"),
    };
    let at = a.activate_at.format("%H:%M");
    let leave = match a.on_leave {
        OnLeave::Keep => "on leave: kept",
        OnLeave::Suspend => "on leave: suspended until back",
    };
    let mode = match a.mode {
        ActivationMode::Always => format!("always: {create}, activate at once"),
        ActivationMode::Never => format!("never: {create} as STAGED, an admin activates"),
        ActivationMode::EmployeeStatus => {
            format!("employee_status: {create}, active iff HR says so")
        }
        ActivationMode::StartDate => {
            format!("start_date: {create} as STAGED, activate at {at} local time on the start date")
        }
    };
    format!("{mode}; {leave}")
}

fn termination(c: &Config) -> String {
    let t = &c.termination;
    let action = match t.action {
        TerminationAction::Deactivate => "deactivate",
        TerminationAction::Suspend => "suspend",
        TerminationAction::None => "nothing",
    };
    let at = match t.at {
        TerminationAt::Immediately => "as soon as HR marks them inactive",
        TerminationAt::TerminationDate => "at the end of the termination date (local)",
    };
    let orphans = match t.orphans {
        OrphanPolicy::Report => "report",
        OrphanPolicy::Deactivate => "deactivate",
    };
    format!(
        "leavers: {action} {at}; orphans: {orphans}; at most {} deactivations per run ({}%)",
        c.safety.max_deactivations_per_run, c.safety.max_deactivation_percent
    )
}
