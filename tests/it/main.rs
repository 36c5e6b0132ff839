//! The integration test binary: every test that starts a server, one module per area.

// Test helpers may panic on failure; that is how a test fails.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod approvals;
mod bamboo_fake;
mod bamboohr;
mod bob_data;
mod bob_fake;
mod check;
mod cli;
mod console;
mod daemon;
mod emulator;
mod failover;
mod forecast;
mod hibob;
mod identity;
mod incremental;
mod lifecycle;
mod mastered;
mod monitoring;
mod okta_client;
mod packaging;
mod personio;
mod personio_fake;
mod progress;
mod quarantine;
mod references;
mod reliability;
mod reload;
mod schema;
mod scim;
mod scim_fake;
mod service;
mod settled;
mod structure;
mod support;
mod sync;
mod vendor_e2e;
mod vendor_env;
mod workday;
mod workday_data;
mod workday_fake;
