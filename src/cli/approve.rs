//! `hrsync approve PLAN_ID`: approves exactly the actions a blocked run held back under that
//! plan id, once. Writes the approval to the journal without taking the run lock, so it works
//! while the daemon runs; the next run (CLI or daemon) that would hold the same plan applies
//! it, and a run that would hold anything else refuses the approval as stale.

use super::output::{EXIT_ERROR, EXIT_OK};
use crate::journal::{Approval, Journal};
use anyhow::Context;
use chrono::Utc;
use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

/// Options of `hrsync approve`.
#[derive(Debug, Clone, clap::Args)]
pub struct ApproveArgs {
    /// The plan id a blocked run printed (`plan 3f9a1c0b2d4e (...)`).
    pub plan_id: String,
}

/// Runs `hrsync approve`.
pub fn run(
    config_path: &Path,
    args: &ApproveArgs,
    out: &mut impl Write,
) -> anyhow::Result<ExitCode> {
    let config = super::load_config(config_path)?;
    let journal = Journal::from_config(&config.journal)
        .with_context(|| format!("journal {}", config.journal.location()))?;
    let id = args.plan_id.trim().to_ascii_lowercase();
    let code = match journal.approve(&id, Utc::now())? {
        Approval::Recorded { summary } => {
            writeln!(
                out,
                "approved plan {id} ({summary}): the next run applies exactly these held actions if it would still hold them"
            )?;
            EXIT_OK
        }
        Approval::AlreadyOpen => {
            writeln!(
                out,
                "plan {id} is already approved and waits for the next run"
            )?;
            EXIT_OK
        }
        Approval::Closed { state } => {
            writeln!(
                out,
                "the approval of plan {id} is {state}; approve the plan id the latest blocked run printed"
            )?;
            EXIT_ERROR
        }
        Approval::Unknown => {
            writeln!(
                out,
                "no blocked run held a plan {id}; use the id a blocked `hrsync sync`, `hrsync plan` or the daemon's summary line printed"
            )?;
            EXIT_ERROR
        }
    };
    Ok(ExitCode::from(code))
}
