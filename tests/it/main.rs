//! The integration test binary: every test that starts a server, one module per area.

// Test helpers may panic on failure; that is how a test fails.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod approvals;
mod bob_data;
mod bob_fake;
mod check;
mod cli;
mod daemon;
mod emulator;
mod forecast;
mod hibob;
mod identity;
mod lifecycle;
mod monitoring;
mod okta_client;
mod packaging;
mod quarantine;
mod references;
mod reliability;
mod service;
mod structure;
mod support;
mod sync;
