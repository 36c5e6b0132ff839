//! The pure planner: from an HR snapshot and the Okta users to a [`Plan`] of actions, each
//! with a reason. No I/O and no clock: `now` is a parameter.
//!
//! - [`plan()`] (in `build`): linking, login uniqueness, then `decide` per employee, then
//!   `order` (execution order and the next wake-up);
//! - [`Policy`]: what the planner needs from the configuration;
//! - [`scope`]: scope expressions; [`guard`]: snapshot guard and plan limits;
//! - [`render`]: text table and JSON; [`forecast`]: the time-driven actions ahead.

pub mod approval;
mod build;
mod counts;
mod decide;
mod departure;
mod diff;
mod emails;
mod facts;
pub mod forecast;
pub mod guard;
mod limits;
pub mod logins;
mod order;
mod pass;
mod policy;
pub mod quarantine;
mod references;
mod relink;
pub mod render;
mod restrict;
pub mod scope;
mod sourced;
pub mod timing;
mod types;

pub use build::{anchor_of, plan, plan_pass};
pub use counts::PlanCounts;
pub use facts::Facts;
pub use order::phase;
pub use pass::Pass;
pub use policy::Policy;
pub use references::manager_id_attributes;
pub use types::*;

#[cfg(test)]
pub(crate) mod testkit;
#[cfg(test)]
mod tests;
