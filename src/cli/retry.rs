//! `hrsync retry [ID]`: lists the quarantined actions (those that failed with the same
//! permanent Okta error in `[okta] quarantine_after_failures` runs in a row), or clears one
//! employee's (or orphan Okta user's) failure streaks so that the next run sends its actions
//! again. Writes only the journal's streaks, without the run lock, so it works while the
//! daemon runs. It must not change anything in Okta.

use super::output::{EXIT_ERROR, EXIT_OK};
use crate::journal::Journal;
use anyhow::Context;
use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

/// Options of `hrsync retry`.
#[derive(Debug, Clone, clap::Args)]
pub struct RetryArgs {
    /// The employee id (or, for an orphan, the Okta user id) whose actions to send again;
    /// without it, the failure streaks are listed.
    pub id: Option<String>,
}

/// Runs `hrsync retry`.
pub fn run(config_path: &Path, args: &RetryArgs, out: &mut impl Write) -> anyhow::Result<ExitCode> {
    let config = super::load_config(config_path)?;
    let journal = Journal::from_config(&config.journal)
        .with_context(|| format!("journal {}", config.journal.location()))?;
    let after = config.okta.quarantine_after_failures;
    let Some(id) = args.id.as_deref().map(str::trim) else {
        let streaks = journal.failure_streaks()?;
        if streaks.is_empty() {
            writeln!(
                out,
                "no action is failing run after run; nothing is quarantined"
            )?;
        }
        for s in &streaks {
            let state = if after > 0 && s.failures >= after {
                "quarantined"
            } else {
                "failing"
            };
            writeln!(
                out,
                "{state:<11} {subject:<12} {kind:<10} {n} run(s) since {since}: {code}{message}",
                subject = s.subject,
                kind = s.kind,
                n = s.failures,
                since = s.first_failed_at.format("%Y-%m-%d %H:%M UTC"),
                code = s
                    .error_code
                    .as_deref()
                    .map_or_else(String::new, |c| format!("{c} ")),
                message = s.message,
            )?;
        }
        return Ok(ExitCode::from(EXIT_OK));
    };
    let cleared = journal.clear_failure_streaks(id)?;
    if cleared == 0 {
        writeln!(
            out,
            "nothing is failing for {id}; `hrsync retry` with no id lists what is (employee ids as HR gives them, or an orphan's Okta user id)"
        )?;
        return Ok(ExitCode::from(EXIT_ERROR));
    }
    writeln!(
        out,
        "cleared {cleared} failure streak(s) of {id}: the next run sends its actions again"
    )?;
    Ok(ExitCode::from(EXIT_OK))
}
