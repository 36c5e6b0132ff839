//! `hrsync check`: load and validate the configuration, read the HR source once, print a
//! summary with secrets hidden, every rejected record (`file:line: field: reason`) and, when
//! no `[employee] status.inactive` list is configured, the status values counted as inactive;
//! then (unless `--offline`) what the Okta credentials can do. The verdict comes last, after
//! every problem with its fix ([`super::check_verdict`]), and agrees with the exit code.
//!
//! Exit 0 when the configuration is valid and the snapshot is one a sync would accept; 1 when
//! the configuration is invalid, the source cannot be read, no employee loaded, or more records
//! were rejected than `[safety] max_rejected_percent` allows, or (unless `--offline`) when
//! Okta cannot be read with the credentials or they cannot write, or its user schema lacks an
//! attribute the mapping writes. It changes nothing anywhere.

use super::check_verdict::{Findings, Problem};
use crate::config::{
    ActivationMode, Config, CreateTiming, OktaAuth, OnLeave, OrphanPolicy, SourceConfig,
    StatusValues, TerminationAction, TerminationAt,
};
use crate::model::{EmploymentStatus, Phase};
use crate::source::{AnySource, HrSource, Snapshot};
use std::collections::BTreeMap;
use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

/// Runs the check, writing the report to `out`; `offline` skips contacting Okta. Errors only
/// when `out` cannot be written: everything the check finds ends in the verdict.
pub async fn run(
    config_path: &Path,
    offline: bool,
    out: &mut dyn Write,
) -> anyhow::Result<ExitCode> {
    let mut findings = Findings::default();
    writeln!(out, "Configuration:")?;
    let config = match crate::config::Config::load(config_path) {
        Ok(config) => config,
        Err(errors) => {
            writeln!(out, "  config       {} (INVALID)", config_path.display())?;
            for line in errors.report().lines() {
                writeln!(out, "  {line}")?;
            }
            findings.problem(Problem::new(
                format!("the configuration {} is invalid", config_path.display()),
                "correct each error listed above (file:line:column: key: what is wrong), then run hrsync check again",
            ));
            return Ok(findings.finish(out)?);
        }
    };
    tracing::debug!(path = %config.path.display(), "configuration is valid");
    let source = match AnySource::from_config(&config.source, &config.employee) {
        Ok(source) => source,
        Err(e) => {
            findings.problem(Problem::new(
                format!("cannot set up the HR source: {e}"),
                "correct the [source] section",
            ));
            return Ok(findings.finish(out)?);
        }
    };
    let snapshot = match source.fetch().await {
        Ok(snapshot) => snapshot,
        Err(e) => {
            writeln!(out, "  source       {} (cannot be read)", source.describe())?;
            findings.problem(Problem::new(
                format!(
                    "cannot read the HR source ({}): {}",
                    source.describe(),
                    crate::errors::describe(&e)
                ),
                source_fix(&config.source),
            ));
            return Ok(findings.finish(out)?);
        }
    };
    write_summary(out, &config, &source, &snapshot, &mut findings)?;
    if let Some(problem) = snapshot_problem(&config, &snapshot) {
        findings.problem(problem);
    }
    let missing = super::check_mapping::report(&config, &snapshot, out)?;
    findings.warnings(missing);
    if !offline && super::check_okta::report(&config, out, &mut findings).await? {
        if !super::check_schema::report(&config, out).await? {
            findings.problem(Problem::new(
                "Okta's user schema lacks attributes the mapping writes (listed above)",
                "add them in Okta's Profile Editor, or run `hrsync schema plan`, then `hrsync schema apply`",
            ));
        }
        if !snapshot.employees.is_empty() {
            let conflicts = super::check_okta::identity(&config, &snapshot, out).await?;
            findings.warnings(conflicts);
        }
    }
    Ok(findings.finish(out)?)
}

/// What to look at when the HR source cannot be read.
fn source_fix(source: &SourceConfig) -> &'static str {
    match source {
        SourceConfig::HiBob(_) => {
            "check [source] base_url, the service user's id and token, and that the HR API is reachable from this host"
        }
        SourceConfig::File(_) => {
            "check [source] path (relative paths are from the config file's folder): the file must exist and be readable by the user hrsync runs as"
        }
        SourceConfig::BambooHr(_) => {
            "check [source] company_domain and api_key (its user needs access to the report's fields), and that api.bamboohr.com is reachable from this host"
        }
        SourceConfig::Personio(_) => {
            "check [source] client_id and client_secret (the API credential needs the employee attributes it reads), and that the Personio API is reachable from this host"
        }
        SourceConfig::Workday(_) => {
            "check [source] base_url, tenant, owner and report, that the report is shared with the integration user, and the user's credentials"
        }
        SourceConfig::Sql(_) => {
            "check [source] url (the database must answer from this host; the user needs SELECT on what the query reads) and run the query by hand"
        }
        SourceConfig::Scim(_) => {
            "check [source] base_url and the bearer token (it needs read access to /Users), and that the SCIM service is reachable from this host"
        }
    }
}

/// Why a sync would refuse this snapshot, if it would, and what to do about it.
fn snapshot_problem(config: &Config, snapshot: &Snapshot) -> Option<Problem> {
    if snapshot.employees.is_empty() {
        return Some(Problem::new(
            "no employee loaded; a sync refuses an empty snapshot",
            "make sure the HR source holds the employees (the export's rows, or the HR service user's access to people) and that [employee] scope does not leave everyone out",
        ));
    }
    if let Err(no_login) = crate::plan::guard::check_logins(snapshot, &config.mapping) {
        return Some(Problem::new(
            format!(
                "no HR record gives a login: mapping.login = {:?}{}; a sync fails on this snapshot",
                no_login.template, no_login.missing
            ),
            "fix the column or field name in the HR export, or the login template in [mapping]",
        ));
    }
    let total = snapshot.employees.len() + snapshot.rejected_records();
    let percent = 100.0 * snapshot.rejected_records() as f64 / total as f64;
    let max = config.safety.max_rejected_percent;
    (percent > max).then(|| {
        Problem::new(
            format!(
                "{percent:.1}% of records were rejected, more than [safety] max_rejected_percent = {max}; a sync would refuse this snapshot"
            ),
            "correct the rejected records listed above in the HR system, or raise [safety] max_rejected_percent if they are expected",
        )
    })
}

fn write_summary(
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
    if let Some(lease) = super::check_lease::leader_lease(c, chrono::Utc::now()) {
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

#[cfg(test)]
mod tests;
