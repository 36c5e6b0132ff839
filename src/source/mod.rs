//! HR sources: where employees come from. Each source returns a [`Snapshot`]: the valid
//! employees plus every rejected record with a reason. Only `source/<vendor>` knows a vendor.
//!
//! A source never returns an empty snapshot because something failed: a failure is an error.

pub mod bamboohr;
pub mod file;
pub mod flatten;
pub mod hibob;
pub mod http;
pub mod personio;
pub mod pulled;
pub mod record;
pub mod scim;
pub mod sql;
pub mod workday;

use crate::config::{EmployeeConfig, SourceConfig};
use std::future::Future;

pub use hrsync_core::snapshot::{Rejected, Snapshot};

/// The error under a [`SourceError`] (an I/O or HTTP client error), kept for the cause chain.
/// Never a database driver's error: those may quote the URL with its password, so the SQL
/// source keeps only scrubbed text.
pub type Cause = std::sync::Arc<dyn std::error::Error + Send + Sync + 'static>;

/// Why a whole fetch failed (never a reason to plan deactivations).
#[derive(Debug, thiserror::Error)]
pub enum SourceError {
    /// The file or endpoint could not be read.
    #[error("{location}: cannot read{}", if message.is_empty() { String::new() } else { format!(": {message}") })]
    Unreadable {
        /// File path or URL.
        location: String,
        /// What failed, in words (empty when the cause says it all).
        message: String,
        /// The underlying error, when there is one to keep.
        #[source]
        source: Option<Cause>,
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

    /// About how many records a fetch will return, told without fetching (a CSV file's size
    /// against the lines of its start); `None` when only the fetch can tell. A first run
    /// decides with it, before its HR read ends, whether its Okta listing is worth splitting.
    fn expected_records(&self) -> impl Future<Output = Option<usize>> + Send {
        async { None }
    }
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
    /// BambooHR's custom-report API.
    BambooHr(bamboohr::BambooHrSource),
    /// Personio's v1 employees API.
    Personio(personio::PersonioSource),
    /// A Workday custom report (RaaS).
    Workday(workday::WorkdaySource),
    /// A SCIM 2.0 service provider's `/Users`.
    Scim(scim::ScimSource),
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
            SourceConfig::BambooHr(b) => Ok(Self::BambooHr(bamboohr::BambooHrSource::new(
                b.clone(),
                employee.clone(),
            )?)),
            SourceConfig::Personio(p) => Ok(Self::Personio(personio::PersonioSource::new(
                p.clone(),
                employee.clone(),
            )?)),
            SourceConfig::Workday(w) => Ok(Self::Workday(workday::WorkdaySource::new(
                w,
                employee.clone(),
            )?)),
            SourceConfig::Scim(s) => Ok(Self::Scim(scim::ScimSource::new(s, employee.clone())?)),
            SourceConfig::Sql(q) => Ok(Self::Sql(sql::SqlSource::new(q.clone(), employee.clone()))),
        }
    }
}

impl HrSource for AnySource {
    async fn fetch(&self) -> Result<Snapshot, SourceError> {
        match self {
            Self::File(s) => s.fetch().await,
            Self::HiBob(s) => s.fetch().await,
            Self::BambooHr(s) => s.fetch().await,
            Self::Personio(s) => s.fetch().await,
            Self::Workday(s) => s.fetch().await,
            Self::Scim(s) => s.fetch().await,
            Self::Sql(s) => s.fetch().await,
        }
    }

    async fn expected_records(&self) -> Option<usize> {
        match self {
            Self::File(s) => s.expected_records().await,
            Self::HiBob(s) => s.expected_records().await,
            Self::BambooHr(s) => s.expected_records().await,
            Self::Personio(s) => s.expected_records().await,
            Self::Workday(s) => s.expected_records().await,
            Self::Scim(s) => s.expected_records().await,
            Self::Sql(s) => s.expected_records().await,
        }
    }

    fn describe(&self) -> String {
        match self {
            Self::File(s) => s.describe(),
            Self::HiBob(s) => s.describe(),
            Self::BambooHr(s) => s.describe(),
            Self::Personio(s) => s.describe(),
            Self::Workday(s) => s.describe(),
            Self::Scim(s) => s.describe(),
            Self::Sql(s) => s.describe(),
        }
    }
}

#[cfg(test)]
mod tests;
