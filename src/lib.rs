//! hrsync keeps an Okta org in step with the HR system.
//!
//! # Layout
//!
//! ```text
//! source (HrSource::fetch) ──► Snapshot ─┐
//! okta   (OktaDirectory::list_users) ────┼─► plan::plan(&Snapshot, &[OktaUser], &Policy, now) ─► Plan
//!                                        │        uses mapping (templates) and plan::scope
//!                                        └─► plan::guard (snapshot guard, plan limits)
//! apply (Plan ─► OktaDirectory writes) ─► journal (SQLite: runs, actions)
//! sync::run_once ties the above together; daemon schedules it; cli/main expose it.
//! ```
//!
//! - [`config`]: TOML → typed, validated [`config::Config`]; secrets.
//! - [`model`]: employees, Okta users, ids and emails.
//! - [`source`]: HR stores ([`source::HrSource`]) returning a [`source::Snapshot`].
//! - [`mapping`]: HR fields → Okta profile attributes (pure).
//! - [`plan`]: the pure planner and its guards.
//! - [`okta`]: the [`okta::OktaDirectory`] trait and the Okta HTTP client.
//! - [`emulator`]: an in-memory Okta Users API server for tests, benchmarks and demos.

pub mod config;
pub mod emulator;
pub mod mapping;
pub mod model;
pub mod okta;
pub mod plan;
pub mod source;
