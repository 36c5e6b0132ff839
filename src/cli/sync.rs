//! `hrsync sync` (one run, applied) and `hrsync plan` (what a run would do, read-only).

use super::output::{
    EXIT_CHANGES_PENDING, EXIT_OK, PlanFormat, attention_note, colour_stdout, exit_for,
    summary_line,
};
use super::progress::Reporter;
use crate::model::EmployeeId;
use crate::plan::render;
use crate::sync::{RunReport, RunRequest, plan_once, run_once};
use anyhow::Context;
use chrono::{DateTime, Utc};
use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

/// Options of `hrsync sync`.
#[derive(Debug, Clone, clap::Args)]
pub struct SyncArgs {
    /// Plan and record, but change nothing in Okta.
    #[arg(long)]
    pub dry_run: bool,
    /// List every Okta user (a full pass) instead of only those changed since the last run.
    #[arg(long)]
    pub full: bool,
    /// Output format.
    #[arg(long, value_enum, default_value_t = PlanFormat::Text)]
    pub format: PlanFormat,
    /// Approve up to N deactivations/suspensions beyond the plan limits, for this run only.
    #[arg(long, value_name = "N")]
    pub allow_deactivations: Option<u32>,
    /// Approve up to N creates beyond the create limit, for this run only.
    #[arg(long, value_name = "N")]
    pub allow_creates: Option<u32>,
    /// Approve up to N relinks (new ids matched by email to managed users) for this run only.
    #[arg(long, value_name = "N")]
    pub allow_relinks: Option<u32>,
    /// Approve up to N login renames beyond the login-change limit, for this run only.
    #[arg(long, value_name = "N")]
    pub allow_login_changes: Option<u32>,
    /// Provision only this employee (repeatable): plan and apply for them alone.
    #[arg(long = "only", value_name = "EMPLOYEE_ID")]
    pub only: Vec<String>,
    /// No progress on stderr (spinners and bar on a terminal, else a log line every 10 s
    /// and every 5 % of the apply). Logs and results are unchanged.
    #[arg(long, short)]
    pub quiet: bool,
}

/// Options of `hrsync plan`.
#[derive(Debug, Clone, clap::Args)]
pub struct PlanArgs {
    /// Plan as if at this instant (RFC 3339), e.g. to forecast who starts or leaves by then.
    #[arg(long, value_name = "RFC3339")]
    pub at: Option<DateTime<Utc>>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = PlanFormat::Text)]
    pub format: PlanFormat,
    /// Exit 2 when the plan has changes (0 when empty), like `terraform plan`.
    #[arg(long)]
    pub detailed_exitcode: bool,
    /// No progress on stderr (spinners on a terminal, else a log line per phase and every
    /// 10 s). Logs and results are unchanged.
    #[arg(long, short)]
    pub quiet: bool,
}

pub use crate::sync::wiring::{deps, deps_with, exclusive_deps, scratch_journal};

/// A one-shot sync on a shared (PostgreSQL) journal takes the leader lease for its run, or
/// refuses while another instance (the daemon) leads: two writers would compete.
async fn lead_or_refuse(config: &crate::config::Config) -> anyhow::Result<crate::ha::Session> {
    let session = crate::ha::Session::begin(&config.journal, &config.ha)
        .await
        .with_context(|| format!("leader lease in journal {}", config.journal.location()))?;
    match session.role() {
        crate::ha::Role::Leader { .. } => Ok(session),
        role => {
            session.end().await;
            anyhow::bail!(
                "not syncing: {}; another instance applies runs with journal {}: let it do the run (`systemctl reload` or its webhook), stop it first, or use `hrsync plan`, which changes nothing",
                role.describe(),
                config.journal.location()
            )
        }
    }
}

/// Runs `hrsync sync`.
pub async fn sync(
    config_path: &Path,
    args: &SyncArgs,
    out: &mut impl Write,
) -> anyhow::Result<ExitCode> {
    let config = super::load_config(config_path)?;
    let (_lock, deps) = exclusive_deps(&config)?;
    let only = args
        .only
        .iter()
        .map(|raw| {
            EmployeeId::parse(raw).map_err(|e| anyhow::anyhow!("--only {raw:?}: employee id {e}"))
        })
        .collect::<anyhow::Result<_>>()?;
    let session = match (&config.journal.url, args.dry_run) {
        (Some(_), false) => Some(lead_or_refuse(&config).await?),
        _ => None,
    };
    let fence = session.as_ref().and_then(|s| s.leadership().fence());
    let (progress, reporter) = Reporter::for_cli(args.quiet);
    let request = RunRequest {
        dry_run: args.dry_run,
        full: args.full,
        only,
        approved_deactivations: args.allow_deactivations,
        approved_creates: args.allow_creates,
        approved_relinks: args.allow_relinks,
        approved_login_changes: args.allow_login_changes,
        trigger: "cli".to_owned(),
        shutdown: None,
        progress,
        fence,
    };
    let report = if request.dry_run {
        plan_once(&deps.read_only(), &request, Utc::now()).await
    } else {
        run_once(&deps, &request, Utc::now()).await
    };
    reporter.finish();
    if let Some(session) = session {
        session.end().await;
    }
    let report = report?;
    print_report(&report, args.format.text_options(colour_stdout()), out)?;
    Ok(exit_for(report.status))
}

/// Runs `hrsync plan`.
pub async fn plan(
    config_path: &Path,
    args: &PlanArgs,
    out: &mut impl Write,
) -> anyhow::Result<ExitCode> {
    let config = super::load_config(config_path)?;
    let deps = deps(&config)?.read_only();
    let (progress, reporter) = Reporter::for_cli(args.quiet);
    let request = RunRequest {
        dry_run: true,
        trigger: "plan".to_owned(),
        progress,
        ..RunRequest::default()
    };
    let report = plan_once(&deps, &request, args.at.unwrap_or_else(Utc::now)).await?;
    reporter.finish();
    match args.format.text_options(colour_stdout()) {
        Some(options) => {
            render::write_text(&report.plan, options, out)?;
            if let Some(blocked) = &report.blocked {
                writeln!(out, "BLOCKED: {blocked}")?;
            }
            for rejected in &report.rejected {
                writeln!(out, "rejected: {rejected}")?;
            }
        }
        None => render::write_json(&report.plan, out)?,
    }
    if report.blocked.is_some() {
        return Ok(exit_for(report.status));
    }
    let pending = !report.plan.is_empty();
    Ok(ExitCode::from(if args.detailed_exitcode && pending {
        EXIT_CHANGES_PENDING
    } else {
        EXIT_OK
    }))
}

/// Prints a run: the plan (text laid out per `text`) and the summary line, or, when `text` is
/// `None`, one JSON document.
pub fn print_report(
    report: &RunReport,
    text: Option<render::TextOptions>,
    out: &mut impl Write,
) -> anyhow::Result<()> {
    match text {
        Some(options) => {
            render::write_text(&report.plan, options, out)?;
            for rejected in &report.rejected {
                writeln!(out, "rejected: {rejected}")?;
            }
            if let Some(apply) = &report.apply {
                for o in apply
                    .outcomes
                    .iter()
                    .filter(|o| !matches!(o.outcome, crate::apply::Outcome::Applied { .. }))
                {
                    let who = o
                        .action
                        .employee_id
                        .as_ref()
                        .map(|i| i.as_str())
                        .unwrap_or("-");
                    writeln!(
                        out,
                        "{} {who}: {}",
                        o.action.action.kind(),
                        outcome_text(&o.outcome)
                    )?;
                }
            }
            if let Some(blocked) = &report.blocked {
                writeln!(out, "BLOCKED: {blocked}")?;
            }
            writeln!(
                out,
                "run {} {}: {}{}",
                report.run_id,
                report.status.as_str(),
                summary_line(&report.counts, report.okta_requests),
                attention_note(&report.plan).unwrap_or_default()
            )?;
        }
        None => {
            let actions: Vec<serde_json::Value> = match &report.apply {
                Some(apply) => apply
                    .outcomes
                    .iter()
                    .map(|o| serde_json::json!(o))
                    .collect(),
                None => report
                    .plan
                    .actions
                    .iter()
                    .map(|a| serde_json::json!(a))
                    .collect(),
            };
            let doc = serde_json::json!({
                "run_id": report.run_id,
                "status": report.status.as_str(),
                "counts": report.counts,
                "actions": actions,
                "findings": report.plan.findings,
                "blocked": report.blocked,
                "rejected": report.rejected.iter().map(ToString::to_string).collect::<Vec<_>>(),
                "next_wakeup": report.plan.next_wakeup,
                "okta_requests": report.okta_requests,
            });
            writeln!(out, "{}", serde_json::to_string_pretty(&doc)?)?;
        }
    }
    Ok(())
}

fn outcome_text(outcome: &crate::apply::Outcome) -> String {
    match outcome {
        crate::apply::Outcome::Applied { .. } => "applied".to_owned(),
        crate::apply::Outcome::Failed { message, .. } => format!("failed: {message}"),
        crate::apply::Outcome::Skipped { reason } => format!("skipped: {reason}"),
    }
}
