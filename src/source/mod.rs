//! HR sources: where employees come from. Each source returns a [`Snapshot`]: the valid
//! employees plus every rejected record with a reason. Only `source/<vendor>` knows a vendor.
//!
//! A source never returns an empty snapshot because something failed: a failure is an error.

pub mod file;
pub mod hibob;
pub mod record;
pub mod sql;

use crate::config::{EmployeeConfig, SourceConfig};
use std::future::Future;

pub use hrsync_core::snapshot::{Rejected, Snapshot};

/// Why a whole fetch failed (never a reason to plan deactivations).
#[derive(Debug, thiserror::Error)]
pub enum SourceError {
    /// The file or endpoint could not be read.
    #[error("{location}: cannot read: {message}")]
    Unreadable {
        /// File path or URL.
        location: String,
        /// The underlying error.
        message: String,
    },
    /// The content is not in the expected format at all.
    #[error("{location}: malformed: {message}")]
    Malformed {
        /// File path (with line) or URL.
        location: String,
        /// What is wrong.
        message: String,
    },
    /// The HR API refused our credentials; retrying soon will not help.
    #[error("{location}: authentication failed: {message}")]
    Auth {
        /// URL.
        location: String,
        /// What to check.
        message: String,
    },
    /// The HR API withheld a required field (missing permission).
    #[error("{location}: field {field} is missing from every record: {message}")]
    MissingField {
        /// URL.
        location: String,
        /// The field path.
        field: String,
        /// Which permission to grant.
        message: String,
    },
}

/// An HR store hrsync can read.
pub trait HrSource: Send + Sync {
    /// Fetches the full current list of employees.
    fn fetch(&self) -> impl Future<Output = Result<Snapshot, SourceError>> + Send;

    /// A short description for logs and `hrsync check` (no secrets).
    fn describe(&self) -> String;
}

/// The configured HR source, chosen at run time from `[source] type`.
// One value per process, built once from the config: the variants' size difference costs
// nothing worth a box.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone)]
pub enum AnySource {
    /// A CSV or JSON file.
    File(file::FileSource),
    /// HiBob's people API.
    HiBob(hibob::HiBobSource),
    /// A query on a PostgreSQL or MySQL/MariaDB database.
    Sql(sql::SqlSource),
}

impl AnySource {
    /// Builds the source named by `[source]`, reading records with the `[employee]` rules.
    pub fn from_config(
        source: &SourceConfig,
        employee: &EmployeeConfig,
    ) -> Result<Self, SourceError> {
        match source {
            SourceConfig::File(f) => Ok(Self::File(file::FileSource::new(
                f.clone(),
                employee.clone(),
            ))),
            SourceConfig::HiBob(h) => Ok(Self::HiBob(hibob::HiBobSource::new(
                h.clone(),
                employee.clone(),
            )?)),
            SourceConfig::Sql(q) => Ok(Self::Sql(sql::SqlSource::new(q.clone(), employee.clone()))),
        }
    }
}

impl HrSource for AnySource {
    async fn fetch(&self) -> Result<Snapshot, SourceError> {
        match self {
            Self::File(s) => s.fetch().await,
            Self::HiBob(s) => s.fetch().await,
            Self::Sql(s) => s.fetch().await,
        }
    }

    fn describe(&self) -> String {
        match self {
            Self::File(s) => s.describe(),
            Self::HiBob(s) => s.describe(),
            Self::Sql(s) => s.describe(),
        }
    }
}

#[cfg(test)]
mod tests;
