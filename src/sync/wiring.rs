//! Builds a run's dependencies ([`SyncDeps`]) from a validated configuration: the HR source,
//! the Okta client, the journal (with its run lock for the processes that apply) and the
//! planner's policy. Shared by the CLI and the daemon; it runs nothing.

use super::SyncDeps;
use crate::config::Config;
use crate::journal::Journal;
use crate::okta::OktaClient;
use crate::source::AnySource;
use anyhow::Context;
use chrono::Utc;

/// Builds the pipeline's dependencies from a configuration, with the real journal.
pub fn deps(config: &Config) -> anyhow::Result<SyncDeps<AnySource, OktaClient>> {
    let journal = Journal::from_config(&config.journal)
        .with_context(|| format!("journal {}", config.journal.location()))?;
    deps_with(config, journal)
}

/// For the processes that apply runs (`sync`, `run`): takes the journal's run lock, builds the
/// dependencies, and marks the runs a crashed process left `running` as interrupted (safe only
/// while holding the lock). Keep the lock for as long as runs are applied.
///
/// A PostgreSQL journal has no local lock (`None`): instances on several hosts share it, and
/// the leader lease ([`crate::ha::Session`]) decides who applies; the keeper marks unfinished
/// runs when it takes the lease.
pub fn exclusive_deps(
    config: &Config,
) -> anyhow::Result<(
    Option<crate::journal::RunLock>,
    SyncDeps<AnySource, OktaClient>,
)> {
    if config.journal.url.is_some() {
        return Ok((None, deps(config)?));
    }
    let lock = crate::journal::RunLock::acquire(&config.journal.path)?;
    let deps = deps(config)?;
    let interrupted = deps.journal.mark_interrupted_runs()?;
    if interrupted > 0 {
        tracing::warn!(
            runs = interrupted,
            "earlier runs never finished (crash or kill); marked interrupted"
        );
    }
    Ok((Some(lock), deps))
}

/// Builds the dependencies around a given journal.
pub fn deps_with(
    config: &Config,
    journal: Journal,
) -> anyhow::Result<SyncDeps<AnySource, OktaClient>> {
    Ok(SyncDeps {
        source: AnySource::from_config(&config.source, &config.employee).context("HR source")?,
        okta: OktaClient::new(&config.okta).context("Okta client")?,
        journal,
        policy: config.policy(),
        concurrency: config.okta.max_concurrent_requests,
        reads: super::reads::ReadSettings::of(&config.okta),
    })
}

/// A scratch journal for read-only commands: it knows the last good snapshot size from the
/// real journal (read-only, when there is one) so the snapshot guard judges as a sync would,
/// and records nothing anywhere else.
pub fn scratch_journal(config: &Config) -> anyhow::Result<Journal> {
    let scratch = Journal::open_in_memory()?;
    match Journal::from_config_read_only(&config.journal) {
        Ok(real) => {
            if let Some(n) = real.last_good_snapshot()? {
                scratch.set_last_good_snapshot(n, Utc::now())?;
            }
        }
        Err(crate::journal::JournalError::NotFound { .. }) => {}
        Err(e) => {
            return Err(e).with_context(|| format!("journal {}", config.journal.location()));
        }
    }
    Ok(scratch)
}
