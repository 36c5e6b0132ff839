//! `[source] type = "scim"`: any SCIM 2.0 service provider's `/Users` (RFC 7644), read by
//! pulling every page, deserialized directly into its typed form: the service's base URL, the
//! bearer token (read from its reference), the page size, the request timeout and the
//! per-page size cap.
//!
//! Reads only the secret; does no network I/O.

use crate::config::secret::Secret;
use crate::config::value;
use serde::Deserialize;
use std::time::Duration;
use url::Url;

/// Default `[source] request_timeout_seconds` for SCIM: one page of users.
pub const SCIM_DEFAULT_REQUEST_TIMEOUT_SECONDS: i64 = 60;

/// A SCIM 2.0 source.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScimSourceConfig {
    /// The SCIM service's base URL, the one `/Users` is appended to (e.g.
    /// `https://hr.example.com/scim/v2`).
    #[serde(deserialize_with = "value::url")]
    pub base_url: Url,
    /// The bearer token (`Authorization: Bearer …`), with read access to users.
    pub token: Secret,
    /// Users asked for per page (`count`); 1..=1000, default 100. A service that sends
    /// fewer per page is read at its own pace; the total is checked either way.
    #[serde(
        default = "default_page_size",
        deserialize_with = "value::int::<1, 1000, u32, _>"
    )]
    pub page_size: u32,
    /// How long one page may take before the fetch fails (it is not repeated; the next run
    /// tries again); `request_timeout_seconds`, 1..=600, default 60.
    #[serde(
        rename = "request_timeout_seconds",
        default = "default_request_timeout",
        deserialize_with = "value::seconds::<1, 600, _>"
    )]
    pub request_timeout: Duration,
    /// The largest page read, in bytes (a larger one fails the fetch while it streams in);
    /// 64 KiB..=1 GiB, default 64 MiB, far more than 1,000 users take.
    #[serde(
        default = "default_max_response_bytes",
        deserialize_with = "value::int::<{ 1 << 16 }, { 1 << 30 }, u64, _>"
    )]
    pub max_response_bytes: u64,
}

fn default_page_size() -> u32 {
    100
}

fn default_request_timeout() -> Duration {
    Duration::from_secs(SCIM_DEFAULT_REQUEST_TIMEOUT_SECONDS.unsigned_abs())
}

fn default_max_response_bytes() -> u64 {
    64 << 20
}
