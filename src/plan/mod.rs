//! The pure planner: from an HR snapshot and the Okta users to a [`Plan`] of actions, each
//! with a reason. No I/O and no clock: `now` is a parameter.

pub mod scope;
mod types;

pub use types::*;
