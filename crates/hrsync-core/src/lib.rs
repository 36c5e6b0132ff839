//! hrsync's pure core: the employee and Okta user model, the attribute mapping, and the
//! planner that turns an HR snapshot and the Okta users into a complete plan (with the plan
//! limits, forecast and quarantine rules that go with it).
//!
//! This crate must stay free of I/O: no async runtime, HTTP, database, clock or file access.
//! Its `Cargo.toml` is the proof — it does not depend on tokio, reqwest, rusqlite, axum or
//! hyper — and the root crate's tests check that it stays so. Everything here is a function
//! of its inputs, including "now", which callers pass in.

pub mod bounded;
pub mod mapping;
pub mod model;
pub mod plan;
pub mod policy;
pub mod snapshot;
