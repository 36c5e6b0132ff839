//! The daemon driven end to end with a fake runner: timing under tokio's paused clock, and the
//! HTTP endpoint on 127.0.0.1:0.

// Test helpers outside #[test] functions unwrap too: a failure there is a test failure.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod fake;
mod http;
mod lifecycle;
mod promtext;
mod reload;
mod server_limits;
mod signals;
mod standby;
mod timing;
mod webhooks;
