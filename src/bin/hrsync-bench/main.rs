//! `hrsync-bench`: the benchmark harness of issue 9 (see `BENCHMARKS.md`). Three kinds of
//! process, all this binary:
//!
//! - the orchestrator (no flag): runs every scenario `--runs` times, each run in a fresh
//!   scenario process, and prints a Markdown table of medians;
//! - a scenario process (`--scenario NAME`): starts the Okta emulator on 127.0.0.1, generates
//!   the HR file and seeds the org, then, for an end-to-end scenario, runs hrsync in a measured
//!   process and prints the scenario's figures as one JSON line (the planner scenario has no
//!   I/O and is measured in this process);
//! - the measured hrsync process (hidden `--measure DIR --now INSTANT [--full]`): loads
//!   `DIR/hrsync.toml`, calls `sync::run_once` once and prints what it measured as one JSON
//!   line, so CPU time and peak RSS are hrsync's own, without the emulator or the setup
//!   (with `--hr-only`, it only times one read of the HR file, for the scenario's figures).
//!
//! It never reaches a real org.

mod console;
mod figures;
mod generate;
mod measured;
mod org;
mod procfs;
mod scenarios;
mod table;

use anyhow::Context;
use clap::Parser;
use figures::Figures;

/// Benchmarks hrsync end to end against an Okta emulator run by the harness.
#[derive(Debug, Parser)]
#[command(name = "hrsync-bench")]
struct Args {
    /// Run only this scenario, once, in this process, and print its figures as JSON.
    #[arg(long)]
    scenario: Option<String>,
    /// Runs of each scenario (each in a fresh process); the table shows medians.
    #[arg(long, default_value_t = 3)]
    runs: usize,
    /// Scenarios to run (comma-separated); default: all.
    #[arg(long, value_delimiter = ',')]
    only: Vec<String>,
    /// Also write every run's figures to this file as JSON lines.
    #[arg(long)]
    json: Option<std::path::PathBuf>,
    /// Internal: be a scenario's measured hrsync process, running once on the scratch folder
    /// DIR (its `hrsync.toml`) and printing what it measured as JSON.
    #[arg(
        long,
        value_name = "DIR",
        hide = true,
        requires = "now",
        conflicts_with = "scenario"
    )]
    measure: Option<std::path::PathBuf>,
    /// Internal: the instant the measured run plans at (RFC 3339), with `--measure`.
    #[arg(long, value_name = "INSTANT", hide = true, requires = "measure")]
    now: Option<String>,
    /// Internal: the measured run is a full pass (`sync --full`), with `--measure`.
    #[arg(long, hide = true, requires = "measure")]
    full: bool,
    /// Internal: with `--measure`, only read the HR file once and print the time it took.
    #[arg(long, hide = true, requires = "measure", conflicts_with = "full")]
    hr_only: bool,
}

fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    if let (Some(dir), Some(now)) = (&args.measure, &args.now) {
        let now = chrono::DateTime::parse_from_rfc3339(now)
            .with_context(|| format!("--now {now:?}"))?
            .with_timezone(&chrono::Utc);
        // `RUST_LOG` shows the measured run's own log on stderr (where its time goes).
        if std::env::var_os("RUST_LOG").is_some() {
            let _ = tracing_subscriber::fmt()
                .with_env_filter(tracing_subscriber::EnvFilter::from_default_env())
                .with_writer(std::io::stderr)
                .try_init();
        }
        let runtime = tokio::runtime::Runtime::new()?;
        let measured = if args.hr_only {
            runtime.block_on(measured::read_hr(dir))?
        } else {
            runtime.block_on(measured::run(dir, now, args.full))?
        };
        println!("{}", serde_json::to_string(&measured)?);
        return Ok(());
    }
    if let Some(name) = &args.scenario {
        let runtime = tokio::runtime::Runtime::new()?;
        let figures = runtime.block_on(scenarios::run(name))?;
        println!("{}", serde_json::to_string(&figures)?);
        return Ok(());
    }
    let names: Vec<String> = if args.only.is_empty() {
        scenarios::NAMES.iter().map(|s| (*s).to_owned()).collect()
    } else {
        args.only.clone()
    };
    let exe = std::env::current_exe().context("finding this binary")?;
    let mut all: Vec<Vec<Figures>> = Vec::new();
    let mut lines = String::new();
    for name in &names {
        let mut runs = Vec::new();
        for k in 0..args.runs.max(1) {
            eprintln!(
                "hrsync-bench: {name}, run {} of {}",
                k + 1,
                args.runs.max(1)
            );
            let out = std::process::Command::new(&exe)
                .args(["--scenario", name])
                .stderr(std::process::Stdio::inherit())
                .output()
                .with_context(|| format!("running scenario {name}"))?;
            if !out.status.success() {
                anyhow::bail!("scenario {name} failed ({})", out.status);
            }
            let text = String::from_utf8_lossy(&out.stdout);
            let line = text.lines().last().unwrap_or_default();
            let figures: Figures = serde_json::from_str(line)
                .with_context(|| format!("reading the figures of {name}: {line:?}"))?;
            eprintln!("  {}", table::one_line(&figures));
            lines.push_str(line);
            lines.push('\n');
            runs.push(figures);
        }
        all.push(runs);
    }
    if let Some(path) = &args.json {
        std::fs::write(path, &lines).with_context(|| format!("writing {}", path.display()))?;
    }
    print!("{}", table::markdown(&all));
    Ok(())
}
