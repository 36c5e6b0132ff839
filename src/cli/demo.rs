//! `hrsync demo`: a complete tour with no network and no Okta account. Starts the Okta
//! emulator in process, seeds it with a few pre-existing users (an admin, the service
//! account, a deactivated rehire, a leaver, a rescinded hire, a stale profile and a hand-made
//! account that collides with a new hire's login), syncs the embedded sample employees as of
//! the sample's reference date, syncs again to show that nothing is left to do, forecasts the
//! time-driven actions of the next 60 days, then plans at a later date to show start-date
//! activations and leavers.

use super::output::EXIT_OK;
use super::sync::{deps, print_report};
use crate::emulator::{Emulator, EmulatorConfig};
use crate::okta::OktaRead;
use crate::plan::forecast::forecast;
use crate::plan::render::TextOptions;
use crate::source::HrSource;
use crate::sync::{RunRequest, run_once};
use anyhow::Context;
use chrono::{DateTime, Utc};
use std::io::Write;
use std::process::ExitCode;

/// The sample employees (reference date 2026-12-01).
const SAMPLE_CSV: &str = include_str!("../../config/employees.sample.csv");
/// The demo configuration, with `{org_url}` to fill in.
const DEMO_TOML: &str = include_str!("../../config/demo.toml");
/// Okta users that exist before the first sync.
const DEMO_USERS: &str = include_str!("../../config/demo-okta-users.json");
/// The token the in-process emulator accepts (it never leaves this process).
const DEMO_TOKEN: &str = "demo-token-for-the-in-process-emulator";
/// The sample's reference date, 08:00 UTC.
const FIRST_RUN: &str = "2026-12-01T08:00:00Z";
/// A later instant to plan at.
const FORECAST: &str = "2027-01-20T12:00:00Z";
/// How far step 3 looks ahead.
const FORECAST_DAYS: i64 = 60;

/// Runs the demo, printing to `out`.
pub async fn run(out: &mut impl Write) -> anyhow::Result<ExitCode> {
    let emulator = Emulator::start(EmulatorConfig::with_token(DEMO_TOKEN))
        .await
        .context("cannot start the Okta emulator on 127.0.0.1")?;
    let seeded: Vec<serde_json::Value> = serde_json::from_str(DEMO_USERS).context("demo users")?;
    emulator.seed(seeded);
    let dir = tempfile_dir()?;
    std::fs::write(dir.join("okta-token"), DEMO_TOKEN)?;
    std::fs::write(dir.join("employees.csv"), SAMPLE_CSV)?;
    let config_path = dir.join("hrsync.toml");
    std::fs::write(
        &config_path,
        DEMO_TOML.replace("{org_url}", &emulator.base_url()),
    )?;
    let config = super::load_config(&config_path)?;
    let deps = deps(&config)?;

    writeln!(
        out,
        "hrsync demo: Okta emulator at {}, {} users before the first run",
        emulator.base_url(),
        emulator.users().len()
    )?;
    writeln!(
        out,
        "HR: 40 sample employees (config/employees.sample.csv); working files in {}\n",
        dir.display()
    )?;

    let first = at(FIRST_RUN)?;
    writeln!(
        out,
        "== 1. sync as of {first}: create hires (managerId filled once their managers exist), reactivate the rehire, deactivate the leaver and the rescinded hire"
    )?;
    let request = RunRequest {
        trigger: "demo".into(),
        ..RunRequest::default()
    };
    let report = run_once(&deps, &request, first).await?;
    print_report(&report, Some(TextOptions::default()), out)?;

    emulator.reset_stats();
    writeln!(
        out,
        "\n== 2. sync again at the same instant: nothing left to do"
    )?;
    let report = run_once(&deps, &request, first).await?;
    print_report(&report, Some(TextOptions::default()), out)?;
    writeln!(
        out,
        "Okta write requests in this run: {}",
        emulator.stats().writes()
    )?;

    let until = first + chrono::Duration::days(FORECAST_DAYS);
    writeln!(
        out,
        "\n== 3. forecast from {first}: what the clock brings in the next {FORECAST_DAYS} days (hrsync forecast)"
    )?;
    let (snapshot, users) = tokio::join!(deps.source.fetch(), deps.okta.list_users());
    let due = forecast(&snapshot?, &users?, &deps.policy, first, until, None);
    out.write_all(super::forecast::to_text(&due, first, until).as_bytes())?;

    let later = at(FORECAST)?;
    writeln!(
        out,
        "\n== 4. plan as of {later} (forecast, nothing applied): start dates reached, leavers gone"
    )?;
    let forecast = RunRequest {
        dry_run: true,
        trigger: "demo-forecast".into(),
        ..RunRequest::default()
    };
    let report = run_once(&deps, &forecast, later).await?;
    out.write_all(crate::plan::render::to_text(&report.plan).as_bytes())?;

    let mut by_status = std::collections::BTreeMap::new();
    for user in emulator.users() {
        *by_status.entry(user.status.as_str()).or_insert(0) += 1;
    }
    writeln!(out, "\nOkta now: {by_status:?}")?;
    writeln!(
        out,
        "Try (reads only the journal; Okta is gone): hrsync --config {} history",
        config_path.display()
    )?;
    writeln!(
        out,
        "(the emulator stops with this process; the journal stays in {})",
        dir.display()
    )?;
    emulator.shutdown().await;
    Ok(ExitCode::from(EXIT_OK))
}

fn at(s: &str) -> anyhow::Result<DateTime<Utc>> {
    Ok(DateTime::parse_from_rfc3339(s)?.with_timezone(&Utc))
}

/// A fresh folder under the system temp dir for the demo's config, CSV and journal.
fn tempfile_dir() -> anyhow::Result<std::path::PathBuf> {
    // The process id alone can repeat across boots; an old journal there would change the tour.
    let stamp = Utc::now().format("%Y%m%dT%H%M%S");
    let dir = std::env::temp_dir().join(format!("hrsync-demo-{stamp}-{}", std::process::id()));
    if dir.exists() {
        anyhow::bail!("{} already exists; run the demo again", dir.display());
    }
    std::fs::create_dir_all(&dir).with_context(|| format!("cannot create {}", dir.display()))?;
    Ok(dir)
}
