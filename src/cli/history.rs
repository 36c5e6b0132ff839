//! `hrsync history` (recent runs from the journal: those that could change Okta, or with
//! `--all` plans and dry runs too; each with the kind of pass it made over Okta's users and
//! how many it listed) and `hrsync explain` (one employee: HR
//! values, linked Okta user, what a run would do now and why, and past actions).

use super::output::{EXIT_ERROR, EXIT_OK, Format, summary_line};
use crate::journal::Journal;
use crate::model::EmployeeId;
use crate::okta::OktaRead;
use crate::plan::forecast::forecast;
use crate::plan::{self, render};
use crate::source::HrSource;
use anyhow::Context;
use chrono::{DateTime, Utc};
use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

/// How far ahead `explain` looks for the employee's next due action.
const NEXT_YEARS: i64 = 5;

/// Options of `hrsync history`.
#[derive(Debug, Clone, clap::Args)]
pub struct HistoryArgs {
    /// How many runs, newest first.
    #[arg(long, default_value_t = 20)]
    pub limit: usize,
    /// Also show `hrsync plan` runs and dry runs (by default only runs that could change Okta:
    /// `hrsync sync`, the daemon's runs).
    #[arg(long)]
    pub all: bool,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
}

/// Options of `hrsync explain`.
#[derive(Debug, Clone, clap::Args)]
pub struct ExplainArgs {
    /// The HR employee id.
    pub employee_id: String,
    /// Explain as if at this instant (RFC 3339).
    #[arg(long, value_name = "RFC3339")]
    pub at: Option<DateTime<Utc>>,
    /// How many past actions to show.
    #[arg(long, default_value_t = 20)]
    pub limit: usize,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
}

/// Runs `hrsync history`.
pub fn history(
    config_path: &Path,
    args: &HistoryArgs,
    out: &mut impl Write,
) -> anyhow::Result<ExitCode> {
    let config = super::load_config(config_path)?;
    let journal = Journal::from_config_read_only(&config.journal)
        .with_context(|| format!("journal {}", config.journal.location()))?;
    let runs = if args.all {
        journal.runs(args.limit)?
    } else {
        journal.sync_runs(args.limit)?
    };
    match args.format {
        Format::Json => writeln!(out, "{}", serde_json::to_string_pretty(&runs)?)?,
        Format::Text => {
            let hidden = if args.all {
                0
            } else {
                journal.planned_only_runs()?
            };
            if runs.is_empty() {
                let which = if args.all { "runs" } else { "sync runs" };
                writeln!(out, "no {which} recorded in {}", config.journal.location())?;
            }
            for run in &runs {
                let ended = run
                    .ended_at
                    .map(|t| t.format("%H:%M:%S").to_string())
                    .unwrap_or_else(|| "-".into());
                // Instances sharing a journal: the lease epoch (and a takeover) per run.
                let epoch = run
                    .epoch
                    .map(|e| format!("epoch {e:<3} {:<9} ", run.trigger))
                    .unwrap_or_default();
                let read = match (run.pass, run.users_read) {
                    (Some(pass), Some(n)) => format!("{pass} read of {n}"),
                    (Some(pass), None) => format!("{pass} read"),
                    _ => "-".to_owned(),
                };
                writeln!(
                    out,
                    "run {:>5}  {}..{}  {:<8} {:<11} {epoch}snapshot {:>6}  okta {:<24} {}{}",
                    run.id,
                    run.started_at.format("%Y-%m-%d %H:%M:%S"),
                    ended,
                    kind(run),
                    run.status.as_str(),
                    run.snapshot_employees,
                    read,
                    summary_line(&run.counts, run.okta_requests),
                    run.error
                        .as_ref()
                        .map(|e| format!("\n           error: {e}"))
                        .unwrap_or_default(),
                )?;
            }
            if hidden > 0 {
                writeln!(
                    out,
                    "({hidden} plans and dry runs not shown; `hrsync history --all` shows them)"
                )?;
            }
        }
    }
    Ok(ExitCode::from(EXIT_OK))
}

/// `sync`, `plan` (an `hrsync plan`) or `dry_run` (`sync --dry-run`).
fn kind(run: &crate::journal::RunRecord) -> &'static str {
    match run.mode {
        crate::journal::RunMode::Sync => "sync",
        crate::journal::RunMode::DryRun if run.trigger == "plan" => "plan",
        crate::journal::RunMode::DryRun => "dry_run",
    }
}

/// Runs `hrsync explain`.
pub async fn explain(
    config_path: &Path,
    args: &ExplainArgs,
    out: &mut impl Write,
) -> anyhow::Result<ExitCode> {
    let config = super::load_config(config_path)?;
    let deps = super::sync::deps(&config)?.read_only();
    let id =
        EmployeeId::parse(&args.employee_id).map_err(|e| anyhow::anyhow!("employee id {e}"))?;
    let (snapshot, users, schema) = tokio::join!(
        deps.source.fetch(),
        deps.okta.list_users(),
        crate::sync::schema::read(&deps.okta)
    );
    let snapshot = snapshot.context("HR source")?;
    let users = users.context("Okta")?;
    let policy = crate::sync::schema::typed_policy(&deps.policy, &schema.context("Okta")?)
        .context("Okta user schema")?;
    let now = args.at.unwrap_or_else(Utc::now);
    let employee = snapshot.employees.iter().find(|e| e.id == id);
    let rejected: Vec<_> = snapshot
        .rejected
        .iter()
        .filter(|r| r.employee_id.as_deref() == Some(id.as_str()))
        .collect();
    let anchor = &config.okta.anchor_attribute;
    let linked: Vec<_> = users
        .iter()
        .filter(|u| u.attr(anchor) == Some(id.as_str()))
        .collect();
    let mut full = plan::plan(&snapshot, &users, &policy, now);
    full.actions.retain(|a| a.employee_id.as_ref() == Some(&id));
    full.findings
        .retain(|f| f.employee_id.as_ref() == Some(&id));
    let past = deps.journal.actions_for_employee(&id, args.limit)?;
    let horizon = now + chrono::Duration::days(365 * NEXT_YEARS);
    let next = forecast(&snapshot, &users, &deps.policy, now, horizon, Some(&id))
        .into_iter()
        .next();
    if args.format == Format::Json {
        let doc = serde_json::json!({
            "employee_id": id,
            "hr": employee,
            "rejected": rejected.iter().map(ToString::to_string).collect::<Vec<_>>(),
            "okta": linked,
            "plan": { "at": now, "actions": full.actions, "findings": full.findings },
            "next": next,
            "history": past,
        });
        writeln!(out, "{}", serde_json::to_string_pretty(&doc)?)?;
        return Ok(ExitCode::from(EXIT_OK));
    }
    writeln!(out, "employee {id}")?;
    match employee {
        Some(e) => {
            writeln!(
                out,
                "  HR ({}): status {} ({:?}), start {}, termination {}, zone {}",
                e.origin,
                e.raw_status,
                e.status,
                e.start_date
                    .map(|d| d.to_string())
                    .unwrap_or_else(|| "-".into()),
                e.termination_date
                    .map(|d| d.to_string())
                    .unwrap_or_else(|| "-".into()),
                e.timezone
                    .map(|z| z.name().to_owned())
                    .unwrap_or_else(|| format!(
                        "{} (default)",
                        deps.policy.default_timezone.name()
                    ))
            )?;
            for (k, v) in e.fields.iter() {
                writeln!(out, "    {k} = {v}")?;
            }
        }
        None if rejected.is_empty() => writeln!(
            out,
            "  HR: no record with this id in {}",
            deps.source.describe()
        )?,
        None => {}
    }
    for r in &rejected {
        writeln!(out, "  HR record rejected: {r}")?;
    }
    if linked.is_empty() {
        writeln!(out, "  Okta: no user carries {anchor} = {id}")?;
    }
    for u in &linked {
        writeln!(
            out,
            "  Okta: {} {} login {}",
            u.id,
            u.status,
            u.login().unwrap_or("-")
        )?;
    }
    writeln!(out, "  at {now}:")?;
    if full.actions.is_empty() && full.findings.is_empty() {
        writeln!(out, "    nothing to do: Okta matches HR")?;
    }
    for a in &full.actions {
        writeln!(
            out,
            "    {} because {}  {}",
            a.action.kind(),
            a.reason.code(),
            render::describe_changes(&a.action)
        )?;
    }
    for f in &full.findings {
        writeln!(out, "    {:?}: {} ({})", f.kind, f.detail, f.reason.code())?;
    }
    match &next {
        Some(d) => writeln!(out, "  next: {}", super::forecast::sentence(d))?,
        None if employee.is_some() => writeln!(
            out,
            "  next: nothing falls due by date within {NEXT_YEARS} years (only an HR change would change this)"
        )?,
        None => {}
    }

    writeln!(out, "  history ({} most recent):", past.len())?;
    for a in &past {
        writeln!(
            out,
            "    run {} {} {} ({}) → {}",
            a.run_id,
            a.intended_at.format("%Y-%m-%d %H:%M:%S"),
            a.kind,
            a.reason,
            a.outcome
        )?;
    }
    Ok(ExitCode::from(
        if employee.is_some() || !linked.is_empty() {
            EXIT_OK
        } else {
            EXIT_ERROR
        },
    ))
}
