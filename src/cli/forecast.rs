//! `hrsync forecast`: the time-driven actions ahead (activations at start dates, leavers at
//! their termination moments, creation windows), each with its due instant in UTC and in the
//! employee's zone. Reads HR and Okta, changes nothing, records nothing in the journal.

use super::output::{EXIT_OK, Format};
use crate::okta::{OktaClient, OktaRead, ReadOnly};
use crate::plan::forecast::{Due, forecast};
use crate::plan::render;
use crate::source::{AnySource, HrSource};
use anyhow::Context;
use chrono::{DateTime, Duration, Utc};
use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

/// Longest window `--days` accepts (ten years).
pub const MAX_DAYS: u32 = 3660;

/// Options of `hrsync forecast`.
#[derive(Debug, Clone, clap::Args)]
pub struct ForecastArgs {
    /// How many days ahead to look.
    #[arg(long, default_value_t = 14, value_parser = clap::value_parser!(u32).range(1..=MAX_DAYS as i64))]
    pub days: u32,
    /// Forecast from this instant (RFC 3339) instead of now.
    #[arg(long, value_name = "RFC3339")]
    pub at: Option<DateTime<Utc>>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
}

/// Runs `hrsync forecast`.
pub async fn run(
    config_path: &Path,
    args: &ForecastArgs,
    out: &mut impl Write,
) -> anyhow::Result<ExitCode> {
    let config = super::load_config(config_path)?;
    let source = AnySource::from_config(&config.source, &config.employee)
        .context("cannot set up the HR source")?;
    let okta = ReadOnly(OktaClient::new(&config.okta).context("cannot set up the Okta client")?);
    let (snapshot, users) = tokio::join!(source.fetch(), okta.list_users());
    let snapshot =
        snapshot.with_context(|| format!("cannot read the HR source ({})", source.describe()))?;
    let users = users.context("cannot list the Okta users")?;
    let now = args.at.unwrap_or_else(Utc::now);
    let until = now + Duration::days(i64::from(args.days));
    let policy = config.policy();
    let due = forecast(&snapshot, &users, &policy, now, until, None);
    match args.format {
        Format::Json => {
            let doc = serde_json::json!({
                "from": now,
                "until": until,
                "due": due,
                "rejected": snapshot.rejected.iter().map(ToString::to_string).collect::<Vec<_>>(),
            });
            writeln!(out, "{}", serde_json::to_string_pretty(&doc)?)?;
        }
        Format::Text => {
            out.write_all(to_text(&due, now, until).as_bytes())?;
            for r in &snapshot.rejected {
                writeln!(out, "rejected (not forecast): {r}")?;
            }
        }
    }
    Ok(ExitCode::from(EXIT_OK))
}

/// The forecast as a table, grouped by nothing but sorted by due instant.
pub fn to_text(due: &[Due], from: DateTime<Utc>, until: DateTime<Utc>) -> String {
    let mut out = format!(
        "Forecast from {} to {}: {} time-driven actions\n",
        from.format("%Y-%m-%d %H:%MZ"),
        until.format("%Y-%m-%d %H:%MZ"),
        due.len()
    );
    if due.is_empty() {
        out.push_str("Nothing falls due.\n");
        return out;
    }
    out.push('\n');
    let rows: Vec<Vec<String>> = due
        .iter()
        .map(|d| {
            vec![
                d.at.format("%Y-%m-%d %H:%MZ").to_string(),
                d.local.clone(),
                d.employee_id.to_string(),
                d.login.clone().unwrap_or_else(|| "-".into()),
                d.action.clone(),
                d.reason.code(),
            ]
        })
        .collect();
    out.push_str(&render::table(
        &[
            "DUE (UTC)",
            "LOCAL",
            "EMPLOYEE",
            "LOGIN",
            "ACTION",
            "REASON",
        ],
        &rows,
    ));
    out
}

/// `activates at 2026-12-14 09:00 Europe/London = 09:00Z` for `explain`.
pub fn sentence(d: &Due) -> String {
    let verb = match d.action.as_str() {
        "create" => "is created",
        "create+activate" => "is created and activated",
        "activate" => "is activated",
        "unsuspend" => "is unsuspended",
        "deactivate" => "is deactivated",
        "suspend" => "is suspended",
        other => other,
    };
    format!(
        "{verb} at {} = {} ({})",
        d.local,
        d.at.format("%Y-%m-%d %H:%MZ"),
        d.reason.code()
    )
}
