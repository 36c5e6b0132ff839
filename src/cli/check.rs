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
use crate::config::{Config, SourceConfig};
use crate::source::{AnySource, HrSource, Snapshot};
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

mod summary;
use summary::write_summary;

#[cfg(test)]
mod tests;
