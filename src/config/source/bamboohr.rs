//! `[source] type = "bamboohr"`: BambooHR's API, deserialized directly into its typed form
//! (API base and company domain, the API key read from its reference, the custom-report
//! fields, webhook private key, replay window and minimum interval, request timeout and
//! answer size cap).
//!
//! Reads only the secrets; does no network I/O.

use crate::config::secret::Secret;
use crate::config::value;
use serde::Deserialize;
use std::time::Duration;
use url::Url;

/// Default BambooHR API gateway; the company domain follows it.
pub const BAMBOOHR_DEFAULT_BASE_URL: &str = "https://api.bamboohr.com/api/gateway.php";

/// A BambooHR source.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BambooHrSourceConfig {
    /// API gateway, default `https://api.bamboohr.com/api/gateway.php`.
    #[serde(default = "default_base_url", deserialize_with = "value::url")]
    pub base_url: Url,
    /// The company's BambooHR subdomain (`acme` for `acme.bamboohr.com`).
    pub company_domain: String,
    /// The API key (basic-auth user name; the password is `x`).
    pub api_key: Secret,
    /// Field aliases requested in the custom report (the ones `[employee]` needs are added).
    #[serde(default)]
    pub fields: Vec<String>,
    /// The webhook's private key (signs `X-BambooHR-Signature`); webhooks are off without it.
    #[serde(default)]
    pub webhook_secret: Option<Secret>,
    /// Shortest time between two webhook-caused runs; `webhook_min_interval_seconds`,
    /// 0..=3600, default 30.
    #[serde(
        rename = "webhook_min_interval_seconds",
        default = "default_webhook_min_interval",
        deserialize_with = "value::seconds::<0, 3600, _>"
    )]
    pub webhook_min_interval: Duration,
    /// How far `X-BambooHR-Timestamp` may be from now before a delivery is refused as a
    /// replay; `webhook_max_age_seconds`, 30..=3600, default 300.
    #[serde(
        rename = "webhook_max_age_seconds",
        default = "default_webhook_max_age",
        deserialize_with = "value::seconds::<30, 3600, _>"
    )]
    pub webhook_max_age: Duration,
    /// How long one request may take; `request_timeout_seconds`, 1..=600, default 120.
    #[serde(
        rename = "request_timeout_seconds",
        default = "default_request_timeout",
        deserialize_with = "value::seconds::<1, 600, _>"
    )]
    pub request_timeout: Duration,
    /// The largest answer read, in bytes; 1 MiB..=16 GiB, default 1 GiB.
    #[serde(
        default = "default_max_response_bytes",
        deserialize_with = "value::int::<{ 1 << 20 }, { 16 << 30 }, u64, _>"
    )]
    pub max_response_bytes: u64,
}

/// The default base; a constant a unit test proves parses.
#[allow(clippy::expect_used)]
fn default_base_url() -> Url {
    Url::parse(BAMBOOHR_DEFAULT_BASE_URL).expect("the default BambooHR URL parses")
}

fn default_webhook_min_interval() -> Duration {
    Duration::from_secs(30)
}

fn default_webhook_max_age() -> Duration {
    Duration::from_secs(300)
}

fn default_request_timeout() -> Duration {
    Duration::from_secs(120)
}

fn default_max_response_bytes() -> u64 {
    1 << 30
}
