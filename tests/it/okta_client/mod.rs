//! The Okta client against the in-process emulator, with its faults switched on.

mod auth;
mod budget;
mod dpop;
mod faults;
mod hostile;
mod live;
mod paging_and_pacing;
mod support;
