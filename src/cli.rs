//! The command line: `hrsync [--config PATH] [--log-format text|json] [-v] <command>`.
//! Each command is a [`Command`] variant with its module under `cli/`; [`run()`] dispatches.
//!
//! This is the top of the program: errors are `anyhow` here (with context), never below.
//! Commands print results to stdout and logs go to stderr.

pub mod approve;
pub mod check;
mod check_lease;
pub mod check_mapping;
pub mod check_okta;
pub mod check_schema;
pub mod check_verdict;
pub mod demo;
pub mod forecast;
pub mod generate;
pub mod history;
pub mod links;
pub mod output;
pub mod progress;
pub mod retry;
pub mod run;
pub mod schema;
pub mod sync;

use crate::telemetry::LogFormat;
use clap::{ArgAction, Parser, Subcommand};
use std::path::PathBuf;
use std::process::ExitCode;

/// Where the configuration is read from when neither `--config` nor `HRSYNC_CONFIG` is given.
pub const DEFAULT_CONFIG_PATH: &str = "/etc/hrsync/hrsync.toml";

/// The exit codes, shown by `--help`.
const EXIT_CODES: &str = "Exit codes: 0 success or nothing to change; 1 error; 2 changes pending \
(plan --detailed-exitcode); 3 blocked by a safety guard; 4 partially applied (some actions failed)";

/// hrsync keeps an Okta org in step with the HR system.
#[derive(Debug, Parser)]
#[command(name = "hrsync", version, about, long_about = None, after_help = EXIT_CODES)]
pub struct Cli {
    /// The configuration file.
    #[arg(
        long,
        short = 'c',
        env = "HRSYNC_CONFIG",
        default_value = DEFAULT_CONFIG_PATH,
        global = true
    )]
    pub config: PathBuf,
    /// Log line format on stderr.
    #[arg(long, value_enum, default_value_t = LogFormat::Text, global = true)]
    pub log_format: LogFormat,
    /// More detail in logs: -v debug, -vv trace (RUST_LOG refines further).
    #[arg(short, long, action = ArgAction::Count, global = true)]
    pub verbose: u8,
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Validate the configuration, read the HR source, print a summary (secrets hidden) and
    /// every rejected record, then read Okta and say whether the credentials can write.
    /// Exits 1 when the configuration is invalid, the source cannot be read, a sync would
    /// refuse the snapshot, or Okta cannot be read or written with these credentials.
    Check {
        /// Do not contact Okta (validate the configuration and the HR source only).
        #[arg(long)]
        offline: bool,
    },
    /// One run: fetch, plan, guard, apply, record. Exit 0 applied or nothing to do, 1 error,
    /// 3 blocked by a safety guard, 4 partially applied.
    Sync(sync::SyncArgs),
    /// Show what a run would do, changing nothing in Okta. Exit 2 with
    /// `--detailed-exitcode` when changes are pending, 3 when a guard would block.
    Plan(sync::PlanArgs),
    /// The time-driven actions ahead (activations, leavers, creation windows), each with its
    /// due instant in UTC and in the employee's zone. Changes nothing.
    Forecast(forecast::ForecastArgs),
    /// Approve exactly the actions a blocked run held back, by the plan id it printed; works
    /// while the daemon runs (no run lock).
    Approve(approve::ApproveArgs),
    /// List the quarantined actions (failing with the same permanent Okta error run after
    /// run), or clear one employee's so the next run sends them again; works while the
    /// daemon runs.
    Retry(retry::RetryArgs),
    /// Recent runs from the journal.
    History(history::HistoryArgs),
    /// The link table: employee id ↔ Okta user id, with every login and email seen.
    Links(links::LinksArgs),
    /// One employee: HR values, linked Okta user, what a run would do now and why, past actions.
    Explain(history::ExplainArgs),
    /// The daemon: syncs on the schedule and at exact start/termination moments, serves
    /// /healthz, /readyz, /metrics; SIGHUP reloads the configuration, SIGTERM stops cleanly.
    Run,
    /// Okta's user schema: `plan` shows the custom attributes the mapping needs that it
    /// lacks, `apply` adds them (add only; types from `[mapping.types]`, the anchor unique).
    Schema(schema::SchemaArgs),
    /// A full tour against the built-in Okta emulator: no network, no Okta account needed.
    Demo,
    /// For packaging: write the man pages or the shell completions into a folder.
    #[command(hide = true)]
    Generate(generate::GenerateArgs),
}

/// Runs the chosen command and returns the process exit code.
pub async fn run(cli: &Cli) -> anyhow::Result<ExitCode> {
    match &cli.command {
        Command::Check { offline } => {
            let mut out = std::io::stdout();
            check::run(&cli.config, *offline, &mut out).await
        }
        // Buffered: a plan of a million actions is a million lines.
        Command::Sync(args) => {
            let mut out = std::io::BufWriter::new(std::io::stdout().lock());
            let code = sync::sync(&cli.config, args, &mut out).await;
            std::io::Write::flush(&mut out)?;
            code
        }
        Command::Plan(args) => {
            let mut out = std::io::BufWriter::new(std::io::stdout().lock());
            let code = sync::plan(&cli.config, args, &mut out).await;
            std::io::Write::flush(&mut out)?;
            code
        }
        Command::Forecast(args) => {
            forecast::run(&cli.config, args, &mut std::io::stdout().lock()).await
        }
        Command::Approve(args) => approve::run(&cli.config, args, &mut std::io::stdout().lock()),
        Command::Retry(args) => retry::run(&cli.config, args, &mut std::io::stdout().lock()),
        Command::Links(args) => links::run(&cli.config, args, &mut std::io::stdout().lock()),
        Command::History(args) => {
            history::history(&cli.config, args, &mut std::io::stdout().lock())
        }
        Command::Run => run::run(&cli.config).await,
        Command::Schema(args) => {
            schema::run(&cli.config, args, &mut std::io::stdout().lock()).await
        }
        Command::Demo => demo::run(&mut std::io::stdout().lock()).await,
        Command::Generate(args) => generate::run(args, &mut std::io::stdout().lock()),
        Command::Explain(args) => {
            history::explain(&cli.config, args, &mut std::io::stdout().lock()).await
        }
    }
}

/// Loads and validates the configuration, all errors in one message.
pub fn load_config(path: &std::path::Path) -> anyhow::Result<crate::config::Config> {
    crate::config::Config::load(path).map_err(|errors| anyhow::anyhow!(errors.report()))
}

#[cfg(test)]
mod tests;
