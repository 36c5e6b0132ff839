//! The reliability suite (issue 10): Okta faults, crashes of the real binary, broken HR feeds,
//! bad records, hostile input, secrets and journal integrity. Every scenario checks the
//! emulator's user set: zero duplicates, zero wrong deactivations, zero lost actions.
//! See docs/reliability.md for what runs in CI and what is behind `#[ignore]`.

mod bad_record_cases;
mod bad_records;
mod crash;
mod daemon_edges;
mod feed;
mod feed_bob;
mod feed_bob_hang;
mod fuzz;
mod okta_faults;
pub mod org;
mod secrets;
mod unknown_status;
