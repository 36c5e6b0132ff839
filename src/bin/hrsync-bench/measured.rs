//! The measured hrsync process of an end-to-end scenario, both sides of it. The scenario
//! process (emulator, generated data, seed) calls [`spawn`], which starts this binary again
//! with the hidden `--measure DIR --now INSTANT` flags; that child calls [`run`], which does
//! only what hrsync itself does: load `DIR/hrsync.toml`, build the run's dependencies as the
//! daemon does (`cli::sync::exclusive_deps`: run lock, journal, source, Okta client), call
//! `sync::run_once` once and print a [`Measured`] as one JSON line. So its CPU time and peak
//! RSS are hrsync's own, with none of the emulator's or the setup's memory in them. The time
//! to read the HR file alone is measured first in a process of its own (`--hr-only`), so the
//! memory that read leaves behind is not in the measured run's peak.
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
    /// Wall time of reading the HR file alone (once, in a fresh process of its own, just
    /// before the measured one), seconds.
    #[serde(default)]
    pub hr_read_s: f64,
}

/// The child's side: loads `dir/hrsync.toml`, runs `run_once` once at `now` and returns what
/// it measured. Touches nothing but that folder and the Okta org the config names.
/// `full` asks for a full pass (`sync --full`).
pub async fn run(dir: &Path, now: DateTime<Utc>, full: bool) -> anyhow::Result<Measured> {
    let (_lock, deps) = load(dir)?;
    let request = RunRequest {
        trigger: "bench".into(),
        full,
        ..RunRequest::default()
    };
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
        hr_read_s: 0.0,
    })
}

/// The child's side with `--hr-only`: loads `dir/hrsync.toml`, builds the run's dependencies
/// as [`run`] does and reads the HR file once; only [`Measured::hr_read_s`] is set.
pub async fn read_hr(dir: &Path) -> anyhow::Result<Measured> {
    let (_lock, deps) = load(dir)?;
    let started = Instant::now();
    deps.source
        .fetch()
        .await
        .context("reading the HR file alone")?;
    Ok(Measured {
        hr_read_s: started.elapsed().as_secs_f64(),
        ..Measured::default()
    })
}

/// `dir/hrsync.toml` loaded (the error names the file) and the run's dependencies built as
/// the daemon builds them, with the run lock held by the first part.
fn load(
    dir: &Path,
) -> anyhow::Result<(
    Option<hrsync::journal::RunLock>,
    hrsync::sync::SyncDeps<hrsync::source::AnySource, hrsync::okta::OktaClient>,
)> {
    let config = Config::load(&dir.join(CONFIG)).map_err(|e| anyhow::anyhow!("{e}"))?;
    hrsync::cli::sync::exclusive_deps(&config)
}

/// The scenario's side: runs this binary with `--measure dir --now now --hr-only` (the HR
/// read alone), then with `--measure dir --now now` (the run), each with its stderr shared
/// with ours and its stdout read for the [`Measured`] line, and returns the run's figures
/// with the HR read's time.
pub async fn spawn(dir: &Path, now: DateTime<Utc>, full: bool) -> anyhow::Result<Measured> {
    let hr = child(dir, now, &["--hr-only"]).await?;
    let run = child(dir, now, if full { &["--full"] } else { &[] }).await?;
    Ok(Measured {
        hr_read_s: hr.hr_read_s,
        ..run
    })
}

/// Runs one measured child with these extra flags and waits for it. The child is killed if
/// it outlives [`TIMEOUT`] or if this future is dropped; a failed or silent child fails the
/// scenario.
async fn child(dir: &Path, now: DateTime<Utc>, flags: &[&str]) -> anyhow::Result<Measured> {
    let exe = std::env::current_exe().context("finding this binary")?;
    // A profiler to run the measured process under (`HRSYNC_BENCH_WRAP="valgrind
    // --tool=massif"`, say); its own figures are then of the wrapped process.
    let wrap = std::env::var("HRSYNC_BENCH_WRAP").unwrap_or_default();
    let mut wrap = wrap.split_whitespace();
    let mut command = match wrap.next() {
        Some(program) => {
            let mut c = tokio::process::Command::new(program);
            c.args(wrap).arg(exe);
            c
        }
        None => tokio::process::Command::new(exe),
    };
    command
        .arg("--measure")
        .arg(dir)
        .arg("--now")
        .arg(now.to_rfc3339())
        .args(flags);
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
