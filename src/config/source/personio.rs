//! `[source] type = "personio"`: Personio's v1 API, deserialized directly into its typed form
//! (API base, the client id and secret read from their references, the `attributes[]`
//! whitelist, page size, request timeout and answer size cap).
//!
//! Reads only the secrets; does no network I/O.

use crate::config::secret::Secret;
use crate::config::value;
use serde::Deserialize;
use std::time::Duration;
use url::Url;

/// Default Personio API base.
pub const PERSONIO_DEFAULT_BASE_URL: &str = "https://api.personio.de";

/// A Personio source.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PersonioSourceConfig {
    /// API base, default `https://api.personio.de` (`/v1/...` follows).
    #[serde(default = "default_base_url", deserialize_with = "value::url")]
    pub base_url: Url,
    /// The API credential's client id.
    pub client_id: Secret,
    /// The API credential's client secret.
    pub client_secret: Secret,
    /// Attributes requested with `attributes[]` (the ones `[employee]` needs are added);
    /// empty: every attribute the credential may read.
    #[serde(default)]
    pub attributes: Vec<String>,
    /// Employees per page, 1..=100 (Personio's maximum), default 100.
    #[serde(
        default = "default_page_size",
        deserialize_with = "value::int::<1, 100, usize, _>"
    )]
    pub page_size: usize,
    /// How long one request may take; `request_timeout_seconds`, 1..=600, default 60.
    #[serde(
        rename = "request_timeout_seconds",
        default = "default_request_timeout",
        deserialize_with = "value::seconds::<1, 600, _>"
    )]
    pub request_timeout: Duration,
    /// The largest answer (one page) read, in bytes; 1 MiB..=16 GiB, default 64 MiB.
    #[serde(
        default = "default_max_response_bytes",
        deserialize_with = "value::int::<{ 1 << 20 }, { 16 << 30 }, u64, _>"
    )]
    pub max_response_bytes: u64,
}

/// The default base; a constant a unit test proves parses.
#[allow(clippy::expect_used)]
fn default_base_url() -> Url {
    Url::parse(PERSONIO_DEFAULT_BASE_URL).expect("the default Personio URL parses")
}

fn default_page_size() -> usize {
    100
}

fn default_request_timeout() -> Duration {
    Duration::from_secs(60)
}

fn default_max_response_bytes() -> u64 {
    64 << 20
}
