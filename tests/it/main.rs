//! hrsync's integration tests: one binary, one module per area. Servers bind 127.0.0.1:0.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod bob_fake;
mod hibob;
