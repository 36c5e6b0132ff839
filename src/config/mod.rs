//! Configuration: the TOML file read section by section straight into typed sections
//! ([`raw`]), checked across keys and sections into the [`Config`] the rest of hrsync uses
//! ([`types`]), plus secrets resolved from env, files or systemd credentials ([`secret`]).
//! [`Config::load`] reads a file; errors ([`ConfigErrors`]) carry file:line:col, the key path,
//! what was wrong and what is accepted.
//!
//! Loading never logs secret values and reports every error with file, line, column and key
//! path. This module does no network I/O.

mod checks;
mod daemon_sections;
mod employee;
pub mod error;
pub mod journal;
pub mod load;
mod mapping;
mod okta;
pub mod raw;
pub mod secret;
mod section;
mod source;
pub mod types;
pub mod value;

pub use daemon_sections::{DEFAULT_CRON, DEFAULT_LISTEN};
pub use error::{ConfigError, ConfigErrors};
pub use journal::DEFAULT_JOURNAL;
pub use load::LoadContext;
pub use mapping::{DEFAULT_MAPPING, REQUIRED_ATTRIBUTES};
pub use raw::RawConfig;
pub use secret::{Secret, SecretError, SecretRef};
pub use source::{
    BAMBOOHR_DEFAULT_BASE_URL, HIBOB_DEFAULT_BASE_URL, HIBOB_DEFAULT_REQUEST_TIMEOUT_SECONDS,
    PERSONIO_DEFAULT_BASE_URL, SCIM_DEFAULT_REQUEST_TIMEOUT_SECONDS,
    WORKDAY_DEFAULT_REQUEST_TIMEOUT_SECONDS,
};
pub use types::*;
pub use value::without_userinfo;
