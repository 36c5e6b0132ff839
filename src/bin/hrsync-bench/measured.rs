//! The measured hrsync process of an end-to-end scenario, both sides of it. The scenario
//! process (emulator, generated data, seed) calls [`spawn`], which starts this binary again
//! with the hidden `--measure DIR --now INSTANT` flags; that child calls [`run`], which does
//! only what hrsync itself does: load `DIR/hrsync.toml`, build the run's dependencies as the
//! daemon does (`cli::sync::exclusive_deps`: run lock, journal, source, Okta client), call
//! `sync::run_once` once and print a [`Measured`] as one JSON line. So its CPU time and peak
//! RSS are hrsync's own, with none of the emulator's or the setup's memory in them.
//!
//! The token reaches the child through the scratch folder's token file, as the config names
//! it; only the folder and the instant are on the command line.

use super::procfs;
use anyhow::Context;
use chrono::{DateTime, Utc};
use hrsync::config::Config;
use hrsync::okta::{EndpointClass, RequestOutcome};
use hrsync::source::HrSource;
use hrsync::sync::{RunRequest, run_once};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::Path;
use std::process::Stdio;
use std::time::{Duration, Instant};

/// The config file the child loads from the scratch folder.
pub const CONFIG: &str = "hrsync.toml";

/// Longest a measured run may take before it is killed and the scenario fails (the slowest
/// scenario, the half-share initial load, takes about two minutes).
const TIMEOUT: Duration = Duration::from_secs(30 * 60);

/// What the measured hrsync process reports about its one run.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Measured {
    /// Okta requests by endpoint class (every outcome), as the client counted them; classes
    /// with no request are left out.
    pub requests: BTreeMap<String, u64>,
    /// Every Okta request the client made.
    pub total: u64,
    /// Requests the client saw answered 429.
    pub rate_limited: u64,
    /// Wall time of `run_once`, seconds.
    pub wall_s: f64,
    /// CPU time (user + system, all threads) of the process during `run_once`, seconds.
    pub cpu_s: f64,
    /// Peak RSS (`VmHWM`) of the whole process, read after the run, bytes. The process is
    /// fresh, so this covers its start, the config load and the run, nothing else.
    pub peak_rss: u64,
    /// RSS just before `run_once` (config loaded, dependencies built), bytes.
    pub rss_before: u64,
    /// The plan's counts and the run's status, in words.
    pub plan: String,
    /// Wall time of reading the HR file alone (once, just before `run_once`), seconds.
    #[serde(default)]
    pub hr_read_s: f64,
}

/// The child's side: loads `dir/hrsync.toml`, runs `run_once` once at `now` and returns what
/// it measured. Touches nothing but that folder and the Okta org the config names.
/// `full` asks for a full pass (`sync --full`).
pub async fn run(dir: &Path, now: DateTime<Utc>, full: bool) -> anyhow::Result<Measured> {
    let path = dir.join(CONFIG);
    // The error names the file.
    let config = Config::load(&path).map_err(|e| anyhow::anyhow!("{e}"))?;
    let (_lock, deps) = hrsync::cli::sync::exclusive_deps(&config)?;
    let request = RunRequest {
        trigger: "bench".into(),
        full,
        ..RunRequest::default()
    };
    let hr_started = Instant::now();
    deps.source
        .fetch()
        .await
        .context("reading the HR file alone")?;
    let hr_read_s = hr_started.elapsed().as_secs_f64();
    let rss_before = procfs::rss().unwrap_or(0);
    let cpu_before = procfs::cpu_time().unwrap_or_default();
    let started = Instant::now();
    let report = run_once(&deps, &request, now)
        .await
        .context("the measured run")?;
    let wall = started.elapsed();
    let cpu = procfs::cpu_time()
        .unwrap_or_default()
        .saturating_sub(cpu_before);
    let counters = deps.okta.counters();
    Ok(Measured {
        requests: EndpointClass::ALL
            .iter()
            .map(|c| (c.as_str().to_owned(), counters.class_total(*c)))
            .filter(|(_, n)| *n > 0)
            .collect(),
        total: counters.total(),
        rate_limited: counters.outcome_total(RequestOutcome::RateLimited),
        wall_s: wall.as_secs_f64(),
        cpu_s: cpu.as_secs_f64(),
        peak_rss: procfs::peak_rss().unwrap_or(0),
        rss_before,
        plan: format!(
            "{} ({:?}; {} pass, {} users listed)",
            report.plan.counts(),
            report.status,
            report.pass,
            report.users_read
        ),
        hr_read_s,
    })
}

/// The scenario's side: runs this binary with `--measure dir --now now`, its stderr shared
/// with ours and its stdout read for the [`Measured`] line, and waits for it. The child is
/// killed if it outlives [`TIMEOUT`] or if this future is dropped; a failed or silent child
/// fails the scenario.
pub async fn spawn(dir: &Path, now: DateTime<Utc>, full: bool) -> anyhow::Result<Measured> {
    let exe = std::env::current_exe().context("finding this binary")?;
    let mut command = tokio::process::Command::new(exe);
    command
        .arg("--measure")
        .arg(dir)
        .arg("--now")
        .arg(now.to_rfc3339());
    if full {
        command.arg("--full");
    }
    let child = command
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .kill_on_drop(true)
        .spawn()
        .context("starting the measured hrsync process")?;
    let out = tokio::time::timeout(TIMEOUT, child.wait_with_output())
        .await
        .map_err(|_| {
            anyhow::anyhow!(
                "the measured hrsync process did not finish within {} s; killed",
                TIMEOUT.as_secs()
            )
        })?
        .context("waiting for the measured hrsync process")?;
    if !out.status.success() {
        anyhow::bail!(
            "the measured hrsync process failed ({}); its errors are above",
            out.status
        );
    }
    parse(&String::from_utf8_lossy(&out.stdout))
}

/// The [`Measured`] of the child's stdout: its last line.
fn parse(stdout: &str) -> anyhow::Result<Measured> {
    let line = stdout.lines().last().unwrap_or_default();
    serde_json::from_str(line)
        .with_context(|| format!("reading the measured hrsync process's figures: {line:?}"))
}

#[cfg(test)]
mod tests;
