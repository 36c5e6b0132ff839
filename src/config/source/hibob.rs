//! `[source] type = "hibob"`: HiBob's people API, deserialized directly into its typed form
//! (base URL, the service user's secrets read from their references, fields, named lists,
//! webhook secret and minimum interval, request timeout and answer size cap).
//!
//! Reads only the secrets; does no network I/O.

use crate::config::secret::Secret;
use crate::config::value;
use serde::Deserialize;
use std::collections::BTreeMap;
use std::time::Duration;
use url::Url;

/// Default HiBob API base.
pub const HIBOB_DEFAULT_BASE_URL: &str = "https://api.hibob.com/v1";

/// Default `[source] request_timeout_seconds` for HiBob: bob answers the search for everyone
/// in one response, which takes a while for a large company.
pub const HIBOB_DEFAULT_REQUEST_TIMEOUT_SECONDS: i64 = 120;

/// A HiBob source.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HiBobSourceConfig {
    /// API base, default `https://api.hibob.com/v1`.
    #[serde(default = "default_base_url", deserialize_with = "value::url")]
    pub base_url: Url,
    /// The service user's id (basic-auth user name).
    pub service_user_id: Secret,
    /// The service user's token (basic-auth password).
    pub token: Secret,
    /// Field paths requested from `/people/search`.
    #[serde(default)]
    pub fields: Vec<String>,
    /// Named lists whose ids are resolved to names: HR field path → list name.
    #[serde(default)]
    pub named_lists: BTreeMap<String, String>,
    /// Shared secret that signs webhooks (`Bob-Signature`); webhooks are off without it.
    #[serde(default)]
    pub webhook_secret: Option<Secret>,
    /// Shortest time between two webhook-caused runs (zero: the debounce window only);
    /// `webhook_min_interval_seconds`, 0..=3600, default 30: a burst or a replay of bob
    /// webhooks makes at most one run per 30 s.
    #[serde(
        rename = "webhook_min_interval_seconds",
        default = "default_webhook_min_interval",
        deserialize_with = "value::seconds::<0, 3600, _>"
    )]
    pub webhook_min_interval: Duration,
    /// How long one request to bob may take before the fetch fails (it is not repeated; the
    /// next run tries again); `request_timeout_seconds`, 1..=600, default 120.
    #[serde(
        rename = "request_timeout_seconds",
        default = "default_request_timeout",
        deserialize_with = "value::seconds::<1, 600, _>"
    )]
    pub request_timeout: Duration,
    /// The largest answer read from bob, in bytes (a larger one fails the fetch while it
    /// streams in); 1 MiB..=16 GiB, default 1 GiB, several times what bob sends for a
    /// company of 100,000.
    #[serde(
        default = "default_max_response_bytes",
        deserialize_with = "value::int::<{ 1 << 20 }, { 16 << 30 }, u64, _>"
    )]
    pub max_response_bytes: u64,
}

/// The default base; a constant a unit test proves parses.
#[allow(clippy::expect_used)]
fn default_base_url() -> Url {
    Url::parse(HIBOB_DEFAULT_BASE_URL).expect("the default HiBob URL parses")
}

fn default_webhook_min_interval() -> Duration {
    Duration::from_secs(30)
}

fn default_request_timeout() -> Duration {
    Duration::from_secs(HIBOB_DEFAULT_REQUEST_TIMEOUT_SECONDS.unsigned_abs())
}

fn default_max_response_bytes() -> u64 {
    1 << 30
}
