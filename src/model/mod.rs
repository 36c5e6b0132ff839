//! The domain vocabulary shared by every module: HR employees and Okta users.
//!
//! Types here are parsed, never merely validated: an [`Email`] is always lower-cased and
//! well-formed, an [`EmployeeId`] never empty. This module does no I/O.

mod employee;
mod ids;
mod okta_user;

pub use employee::{Employee, EmploymentStatus};
pub use ids::{Email, EmailError, EmployeeId, IdError, OktaUserId};
pub use okta_user::{OktaUser, Profile, UserStatus};
