//! `[source] type = "workday"`: one Workday custom report read as a service (RaaS),
//! deserialized directly into its typed form: the host, tenant, report owner and report name
//! that make up `{base_url}/ccx/service/customreport2/{tenant}/{owner}/{report}?format=json`,
//! the report's prompts, the credentials (an Integration System User's Basic auth, or an API
//! client's OAuth refresh token; secrets read from their references), the column map
//! (`[source.columns]`: hrsync field name = the report's column name), the request timeout
//! and the answer size cap.
//!
//! Reads only the secrets; does no network I/O. Checks that exactly one kind of credentials
//! is given ([`WorkdaySourceConfig::finish`]).

use crate::config::secret::Secret;
use crate::config::value;
use serde::Deserialize;
use std::collections::BTreeMap;
use std::time::Duration;
use url::Url;

/// Default `[source] request_timeout_seconds` for Workday: a report over every worker is
/// computed while the request waits and can take minutes.
pub const WORKDAY_DEFAULT_REQUEST_TIMEOUT_SECONDS: i64 = 600;

/// A Workday RaaS source.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WorkdaySourceConfig {
    /// The tenant's web-service host, e.g. `https://wd2-impl-services1.workday.com` (the part
    /// before `/ccx/` in the report's "View URLs"); any path below it is kept.
    #[serde(deserialize_with = "value::url")]
    pub base_url: Url,
    /// The tenant name (the segment after `customreport2/`, e.g. `acme`).
    pub tenant: String,
    /// The report owner's user name (the segment after the tenant, e.g. `ISU_hrsync`).
    pub owner: String,
    /// The report's web-service name (the last segment, e.g. `hrsync_workers`).
    pub report: String,
    /// Report prompts sent as query parameters (`{ Include_Terminated_Workers = "1" }`),
    /// besides `format=json`.
    #[serde(default)]
    pub prompts: BTreeMap<String, String>,
    /// Basic auth: the Integration System User's name (with `@tenant` if your tenant needs
    /// it). Give `username` and `password`, or the three OAuth keys, not both.
    #[serde(default)]
    pub username: Option<String>,
    /// Basic auth: the Integration System User's password.
    #[serde(default)]
    pub password: Option<Secret>,
    /// OAuth: the API client's id (Register API Client for Integrations).
    #[serde(default)]
    pub client_id: Option<String>,
    /// OAuth: the API client's secret.
    #[serde(default)]
    pub client_secret: Option<Secret>,
    /// OAuth: the refresh token generated for the API client and the ISU; exchanged at
    /// `{base_url}/ccx/oauth2/{tenant}/token` for an access token, reused while it is valid.
    #[serde(default)]
    pub refresh_token: Option<Secret>,
    /// `[source.columns]`: hrsync field name = the report's column name
    /// (`id = "Employee_ID"`). A mapped column is read under its hrsync name only; every
    /// other column keeps the report's name. `[employee]` and `[mapping]` use the hrsync
    /// names, so a report with other column names changes only this table.
    #[serde(default)]
    pub columns: BTreeMap<String, String>,
    /// How long the report may take, from connecting to its last byte, before the fetch
    /// fails (it is not repeated; the next run tries again); `request_timeout_seconds`,
    /// 1..=3600, default 600. Workday ends a report after 30 minutes of its own.
    #[serde(
        rename = "request_timeout_seconds",
        default = "default_request_timeout",
        deserialize_with = "value::seconds::<1, 3600, _>"
    )]
    pub request_timeout: Duration,
    /// The largest report read, in bytes (a larger one fails the fetch while it streams in);
    /// 1 MiB..=16 GiB, default 1 GiB, several times a 100,000-worker report of 30 columns.
    #[serde(
        default = "default_max_response_bytes",
        deserialize_with = "value::int::<{ 1 << 20 }, { 16 << 30 }, u64, _>"
    )]
    pub max_response_bytes: u64,
}

/// How hrsync authenticates to Workday, borrowed from the config.
#[derive(Debug, Clone, Copy)]
pub enum WorkdayAuth<'a> {
    /// HTTP Basic with the Integration System User.
    Basic {
        /// The user name.
        username: &'a str,
        /// The password.
        password: &'a Secret,
    },
    /// OAuth 2.0 refresh-token grant with an API client.
    RefreshToken {
        /// The client id.
        client_id: &'a str,
        /// The client secret.
        client_secret: &'a Secret,
        /// The refresh token.
        refresh_token: &'a Secret,
    },
}

impl WorkdaySourceConfig {
    /// Checks what serde cannot: the report's path segments are not empty, exactly one kind
    /// of credentials is complete, and no column is mapped twice. The problem, by key.
    pub fn finish(&mut self) -> Result<(), (&'static str, String)> {
        for (key, text) in [
            ("tenant", &self.tenant),
            ("owner", &self.owner),
            ("report", &self.report),
        ] {
            if text.trim().is_empty() {
                return Err((
                    key,
                    "is empty; copy it from the report's web-service URL".into(),
                ));
            }
        }
        let basic = [self.username.is_some(), self.password.is_some()];
        let oauth = [
            self.client_id.is_some(),
            self.client_secret.is_some(),
            self.refresh_token.is_some(),
        ];
        let some_basic = basic.iter().any(|b| *b);
        let some_oauth = oauth.iter().any(|b| *b);
        if some_basic && some_oauth {
            let msg = "give either username and password (an Integration System User) or client_id, client_secret and refresh_token (an API client), not both";
            return Err(("username", msg.into()));
        }
        if some_basic && !basic.iter().all(|b| *b) {
            let key = if self.username.is_none() {
                "username"
            } else {
                "password"
            };
            return Err((
                key,
                "is missing; Basic auth needs username and password".into(),
            ));
        }
        if some_oauth && !oauth.iter().all(|b| *b) {
            let key = if self.client_id.is_none() {
                "client_id"
            } else if self.client_secret.is_none() {
                "client_secret"
            } else {
                "refresh_token"
            };
            let msg = "is missing; OAuth needs client_id, client_secret and refresh_token";
            return Err((key, msg.into()));
        }
        if !some_basic && !some_oauth {
            let msg = "is missing; give username and password (an Integration System User) or client_id, client_secret and refresh_token (an API client)";
            return Err(("username", msg.into()));
        }
        let mut seen: BTreeMap<&str, &str> = BTreeMap::new();
        for (name, column) in &self.columns {
            if column.trim().is_empty() {
                return Err(("columns", format!("{name} names an empty column")));
            }
            if let Some(first) = seen.insert(column.as_str(), name.as_str()) {
                return Err((
                    "columns",
                    format!("column {column:?} is mapped twice ({first} and {name}); map it once"),
                ));
            }
        }
        Ok(())
    }

    /// The credentials ([`WorkdaySourceConfig::finish`] made sure one kind is complete).
    pub fn auth(&self) -> Option<WorkdayAuth<'_>> {
        match (&self.username, &self.password) {
            (Some(username), Some(password)) => Some(WorkdayAuth::Basic { username, password }),
            _ => Some(WorkdayAuth::RefreshToken {
                client_id: self.client_id.as_deref()?,
                client_secret: self.client_secret.as_ref()?,
                refresh_token: self.refresh_token.as_ref()?,
            }),
        }
    }
}

fn default_request_timeout() -> Duration {
    Duration::from_secs(WORKDAY_DEFAULT_REQUEST_TIMEOUT_SECONDS.unsigned_abs())
}

fn default_max_response_bytes() -> u64 {
    1 << 30
}
