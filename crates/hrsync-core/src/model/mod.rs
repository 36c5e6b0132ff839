//! The domain vocabulary shared by every module: HR employees and Okta users.
//!
//! Types here are parsed, never merely validated: an [`Email`] is always lower-cased and
//! well-formed, an [`EmployeeId`] never empty. This module does no I/O.

mod employee;
mod fields;
mod ids;
mod names;
mod okta_user;
mod user_profile;

pub use employee::{Employee, EmploymentStatus, Phase};
pub use fields::Fields;
pub use ids::{Email, EmailError, EmployeeId, IdError, OktaUserId, canonical_text, number_text};
pub use names::{Names, attribute_name};
pub use okta_user::{Credentials, OktaUser, Profile, Provider, UserStatus};
pub use user_profile::UserProfile;
