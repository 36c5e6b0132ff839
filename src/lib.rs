//! hrsync keeps an Okta org in step with the HR system.
//!
//! # Layout
//!
//! ```text
//! source (HrSource::fetch) ──► Snapshot ─┐
//! okta   (OktaRead::list_users) ─────────┼─► plan::plan(&Snapshot, &[OktaUser], &Policy, now) ─► Plan
//!                                        │        uses mapping (templates) and plan::scope
//!                                        └─► plan::guard (snapshot guard, plan limits)
//! apply (Plan ─► OktaWrite writes) ─► journal (SQLite: runs, actions)
//! sync::run_once ties the above together; daemon schedules it; cli/main expose it.
//! ```
//!
//! - [`config`]: TOML → typed, validated [`config::Config`]; secrets.
//! - [`model`]: employees, Okta users, ids and emails.
//! - [`source`]: HR stores ([`source::HrSource`]) returning a [`source::Snapshot`].
//! - [`mapping`]: HR fields → Okta profile attributes (pure).
//! - [`plan`]: the pure planner and its guards.
//! - [`okta`]: the [`okta::OktaRead`] / [`okta::OktaWrite`] traits, the read-only handle and the Okta HTTP client.
//! - [`journal`]: the SQLite audit trail of runs and actions, and the last good snapshot size.
//! - [`apply`]: executes a plan through the directory, recording each action.
//! - [`linked`]: the journal's links against an incomplete Okta listing.
//! - [`sync`]: `run_once`, the whole pipeline for one run.
//! - [`progress`]: how far a run has got (phases and counts), for the CLI's renderers.
//! - [`errors`]: an error and its causes as one line of text.
//! - [`telemetry`]: the tracing subscriber (text or JSON lines on stderr).
//! - [`cli`]: the command line and its commands, used by `main.rs`.
//! - [`emulator`]: the `okta-emulator` crate (its own reading of Okta), for tests, benchmarks and demos.
//! - [`db`]: database URLs (password masked), bounded rustls connects to PostgreSQL and MySQL.
//! - [`daemon`]: `hrsync run`: scheduler, signals, systemd notify, `/metrics` and health.

pub mod apply;
pub mod cli;
pub mod config;
pub mod console;
pub mod daemon;
pub mod db;
pub mod errors;
pub mod ha;
pub mod journal;
pub mod linked;
pub mod okta;
pub mod progress;
pub mod source;
pub mod sync;
pub mod telemetry;

/// The pure core (crate `hrsync-core`), re-exported so that `hrsync::plan`, `hrsync::model`
/// and `hrsync::mapping` name the same items everywhere.
pub use hrsync_core::{mapping, model, plan};

/// The Okta emulator (crate `okta-emulator`, its own reading of Okta's API), for `demo`, the
/// tests and the benchmarks.
pub use okta_emulator as emulator;
