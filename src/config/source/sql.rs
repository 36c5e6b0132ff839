//! `[source] type = "sql"`: an HR table or view read with one SQL query, deserialized
//! directly into its typed form (the database URL read from its secret reference and parsed,
//! the query, the connect and query timeouts).
//!
//! Reads only the URL's secret; does no network I/O (the database is read by `source::sql`).

use crate::config::secret::Secret;
use crate::config::value;
use crate::db::DbTarget;
use serde::Deserialize;
use serde::de::{self, Deserializer};
use std::time::Duration;

/// Default `query_timeout_seconds`.
const SQL_DEFAULT_QUERY_TIMEOUT_SECONDS: u64 = 60;

/// An SQL source.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SqlSourceConfig {
    /// The database: a secret reference (`{ env = "HR_DATABASE_URL" }`, `{ file = ... }`,
    /// `{ credential = ... }`) whose value is a `postgres://` or `mysql://` URL, password
    /// included; `sslmode=verify-full` (or `require`) asks for TLS. Parsed while loading.
    #[serde(deserialize_with = "target")]
    pub url: DbTarget,
    /// The query; each column of its result is a field named like the column. It runs in a
    /// read-only transaction, so it cannot change the HR data.
    #[serde(deserialize_with = "query")]
    pub query: String,
    /// How long the query may run (the server stops it; reading its rows is bounded by the
    /// same time); `query_timeout_seconds`, 1..=3600, default 60.
    #[serde(
        rename = "query_timeout_seconds",
        default = "default_query_timeout",
        deserialize_with = "value::seconds::<1, 3600, _>"
    )]
    pub query_timeout: Duration,
    /// How long connecting (TCP, TLS and login) may take; `connect_timeout_seconds`,
    /// 1..=300, default 10.
    #[serde(
        rename = "connect_timeout_seconds",
        default = "default_connect_timeout",
        deserialize_with = "value::seconds::<1, 300, _>"
    )]
    pub connect_timeout: Duration,
}

fn default_query_timeout() -> Duration {
    Duration::from_secs(SQL_DEFAULT_QUERY_TIMEOUT_SECONDS)
}

fn default_connect_timeout() -> Duration {
    Duration::from_secs(10)
}

/// Reads the secret and parses its value as a database URL (errors never show the password).
fn target<'de, D: Deserializer<'de>>(d: D) -> Result<DbTarget, D::Error> {
    let secret = Secret::deserialize(d)?;
    DbTarget::parse(secret.expose()).map_err(de::Error::custom)
}

/// A query that is not blank and is one statement (a trailing `;` is allowed).
fn query<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    let text = String::deserialize(d)?;
    let trimmed = text.trim().trim_end_matches(';').trim_end();
    if trimmed.is_empty() {
        return Err(de::Error::custom(
            "is empty; expected a SELECT whose columns are the employee fields",
        ));
    }
    Ok(trimmed.to_owned())
}
