//! `[okta]`: the org, its credentials and how hard hrsync may push it, deserialized directly
//! into [`OktaConfig`] with a default for every optional key: the URL checked, the anchor an
//! attribute name, the service account an email address, counts and durations within their
//! ranges. The credentials are read as references (`token` or `oauth`); reading them is I/O
//! and happens after deserialization, in [`super::checks`], which fills [`OktaConfig::auth`].
//!
//! Pure parsing; reads no secret and does no network I/O.

use super::secret::{Secret, SecretRef};
use super::value;
use crate::model::Email;
use serde::Deserialize;
use serde::de::{self, Deserializer};
use std::ops::Range;
use std::time::Duration;
use toml::Spanned;
use toml::de::{DeValue, ValueDeserializer};
use url::Url;

/// Default `[okta] anchor_attribute`.
pub const DEFAULT_ANCHOR: &str = "employeeNumber";

/// Default `[okta] incremental_overlap_seconds`.
pub const DEFAULT_INCREMENTAL_OVERLAP: Duration = Duration::from_secs(300);

/// Default `[okta] full_pass_every`.
pub const DEFAULT_FULL_PASS_EVERY: Duration = Duration::from_secs(86_400);

/// `[okta]`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OktaConfig {
    /// The org's base URL (https, or http on a loopback host for the emulator).
    #[serde(deserialize_with = "value::url")]
    pub org_url: Url,
    /// `token`: where the SSWS API token is read from (give this or `oauth`); the loader
    /// reads it into `auth` (see `WrittenCredentials`).
    #[serde(default)]
    pub token: Option<Spanned<SecretRef>>,
    /// `oauth`: an OAuth 2.0 service app, its key as a reference (give this or `token`).
    #[serde(default)]
    pub oauth: Option<Spanned<WrittenOAuth>>,
    /// The profile attribute that holds the HR employee id and marks a user as managed;
    /// default `employeeNumber`.
    #[serde(default = "default_anchor", deserialize_with = "attribute_name")]
    pub anchor_attribute: String,
    /// The login of the account behind the token; never deactivated whatever HR says.
    #[serde(default, deserialize_with = "login")]
    pub service_account_login: Option<String>,
    /// Most requests in flight at once; 1..=64, default 8.
    #[serde(
        default = "default_concurrency",
        deserialize_with = "value::int::<1, 64, usize, _>"
    )]
    pub max_concurrent_requests: usize,
    /// Share (0 < s ≤ 1) of each Okta rate-limit bucket this client may use; default 1.0
    /// (Okta already caps each token at 50 % of the org's bucket by default).
    #[serde(default = "default_share", deserialize_with = "share")]
    pub rate_limit_share: f64,
    /// Timeout of one HTTP request; `request_timeout_seconds`, 1..=600, default 30.
    #[serde(
        rename = "request_timeout_seconds",
        default = "default_request_timeout",
        deserialize_with = "value::seconds::<1, 600, _>"
    )]
    pub request_timeout: Duration,
    /// Longest single wait before a retry (rate-limit reset, `Retry-After`, backoff); a
    /// longer one fails the request at once instead of sleeping. `max_retry_wait_seconds`,
    /// 1..=3600, default 120.
    #[serde(
        rename = "max_retry_wait_seconds",
        default = "default_retry_wait",
        deserialize_with = "value::seconds::<1, 3600, _>"
    )]
    pub max_retry_wait: Duration,
    /// Most time one run may spend waiting to retry Okta requests (all together); past it,
    /// the run fails instead of waiting more. `max_retry_wait_per_run_seconds`, 1..=86400,
    /// default 900.
    #[serde(
        rename = "max_retry_wait_per_run_seconds",
        default = "default_retry_wait_per_run",
        deserialize_with = "value::seconds::<1, 86_400, _>"
    )]
    pub max_retry_wait_per_run: Duration,
    /// Runs in a row an action may fail with the same permanent Okta error before it is
    /// skipped with a finding until its inputs change or `hrsync retry` clears it; 0 (never)
    /// to 100, default 3.
    #[serde(
        default = "default_quarantine",
        deserialize_with = "value::int::<0, 100, u32, _>"
    )]
    pub quarantine_after_failures: u32,
    /// Whether Okta emails the user on activation (`sendEmail`); default false.
    #[serde(default)]
    pub send_activation_email: bool,
    /// Whether runs between full passes read only the Okta users changed since the last
    /// read (the journal keeps a cache of the rest); default true.
    #[serde(default = "yes")]
    pub incremental: bool,
    /// How far before the watermark an incremental read starts (Okta's search index lags
    /// behind writes); `incremental_overlap_seconds`, 0..=86400, default 300.
    #[serde(
        rename = "incremental_overlap_seconds",
        default = "default_overlap",
        deserialize_with = "value::seconds::<0, 86_400, _>"
    )]
    pub incremental_overlap: Duration,
    /// The longest time between two full passes (every user listed), e.g. `"24h"`; 1 minute
    /// to 30 days, default `"24h"`.
    #[serde(
        default = "default_full_pass_every",
        deserialize_with = "value::span::<60, 2_592_000, _>"
    )]
    pub full_pass_every: Duration,
    /// How requests are authenticated: what `token` or `oauth` names, read by the loader
    /// after deserialization. A section deserialized by itself holds an empty token here;
    /// `Config::load` never returns one.
    #[serde(skip, default = "unread")]
    pub auth: OktaAuth,
}

/// `[okta] oauth` as written: the app, its private key still a reference.
pub type WrittenOAuth = OAuthConfig<Spanned<SecretRef>>;

/// `[okta] token` and `oauth` as written: each one's position and, when it deserialized, its
/// reference. Read from the section's table by themselves, so that an unreadable secret is
/// reported together with mistakes in the other keys of `[okta]`.
#[derive(Debug, Clone, Default)]
pub struct WrittenCredentials {
    /// `token`: where it is written, and the reference when it is one.
    pub token: Option<(Range<usize>, Option<SecretRef>)>,
    /// `oauth`: where it is written, and the app when it is one.
    pub oauth: Option<(Range<usize>, Option<WrittenOAuth>)>,
    /// Where "no credentials" is reported: `org_url`, else the section.
    pub section: Range<usize>,
}

impl WrittenCredentials {
    /// Reads `token` and `oauth` from the `[okta]` table; their mistakes are not kept (the
    /// section's own deserialization reports them).
    pub fn of(section: &Spanned<DeValue<'_>>) -> Self {
        let DeValue::Table(t) = section.get_ref() else {
            return Self::default();
        };
        fn read<T: serde::de::DeserializeOwned>(
            v: &Spanned<DeValue<'_>>,
        ) -> (Range<usize>, Option<T>) {
            (
                v.span(),
                T::deserialize(ValueDeserializer::from(v.clone())).ok(),
            )
        }
        Self {
            token: t.get("token").map(read),
            oauth: t.get("oauth").map(read),
            section: t.get("org_url").map_or(section.span(), Spanned::span),
        }
    }
}

/// Okta credentials.
#[derive(Debug, Clone)]
pub enum OktaAuth {
    /// `Authorization: SSWS <token>`.
    Ssws(Secret),
    /// OAuth 2.0 client credentials with a `private_key_jwt` assertion.
    OAuth(OAuthConfig),
}

/// An OAuth 2.0 service app (`[okta] oauth = { ... }`); `K` is the private key: its
/// reference as written, then the key read from it.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OAuthConfig<K = Secret> {
    /// The service app's client id (trimmed, not empty).
    #[serde(deserialize_with = "client_id")]
    pub client_id: String,
    /// The PEM private key (PKCS#8 RSA) that signs client assertions.
    pub private_key: K,
    /// The key id (`kid`) registered with the app, if any.
    #[serde(default)]
    pub key_id: Option<String>,
    /// Scopes to request; default `["okta.users.read", "okta.users.manage"]`.
    #[serde(default = "default_scopes")]
    pub scopes: Vec<String>,
}

impl<K> OAuthConfig<K> {
    /// The same app with its key replaced (the reference by the key read from it).
    pub fn with_key<L>(self, private_key: L) -> OAuthConfig<L> {
        OAuthConfig {
            client_id: self.client_id,
            private_key,
            key_id: self.key_id,
            scopes: self.scopes,
        }
    }
}

/// Letters, digits and `_`, starting with a letter (Okta's attribute names).
pub fn is_attribute_name(s: &str) -> bool {
    let mut chars = s.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// Deserializes an Okta attribute name.
fn attribute_name<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    let name = String::deserialize(d)?;
    if is_attribute_name(&name) {
        Ok(name)
    } else {
        Err(de::Error::custom(format!(
            "{name:?} is not an Okta attribute name; expected letters, digits and _"
        )))
    }
}

/// Deserializes a login written as an email address, normalised as Okta compares them.
fn login<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    let text = String::deserialize(d)?;
    match Email::parse(&text) {
        Ok(e) => Ok(Some(e.as_str().to_owned())),
        Err(e) => Err(de::Error::custom(format!("login {e}"))),
    }
}

/// Deserializes a share: a number more than 0, up to 1.
fn share<'de, D: Deserializer<'de>>(d: D) -> Result<f64, D::Error> {
    let x = f64::deserialize(d)?;
    if x > 0.0 && x <= 1.0 {
        Ok(x)
    } else {
        Err(de::Error::custom(format!(
            "{x} is out of range; expected a number more than 0 up to 1"
        )))
    }
}

/// Deserializes a client id: trimmed, not empty.
fn client_id<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    let text = String::deserialize(d)?;
    match text.trim() {
        "" => Err(de::Error::custom("is empty")),
        id => Ok(id.to_owned()),
    }
}

fn default_anchor() -> String {
    DEFAULT_ANCHOR.to_owned()
}

fn default_concurrency() -> usize {
    8
}

/// All of the allowance Okta reports to this token (`X-Rate-Limit-Limit`); the pacing
/// spreads the requests over the window so the run never bursts into 429s.
fn default_share() -> f64 {
    1.0
}

fn default_request_timeout() -> Duration {
    Duration::from_secs(30)
}

fn default_retry_wait() -> Duration {
    Duration::from_secs(120)
}

fn default_retry_wait_per_run() -> Duration {
    Duration::from_secs(900)
}

fn default_quarantine() -> u32 {
    crate::plan::quarantine::DEFAULT_QUARANTINE_AFTER
}

fn yes() -> bool {
    true
}

fn default_overlap() -> Duration {
    DEFAULT_INCREMENTAL_OVERLAP
}

fn default_full_pass_every() -> Duration {
    DEFAULT_FULL_PASS_EVERY
}

fn default_scopes() -> Vec<String> {
    vec!["okta.users.read".into(), "okta.users.manage".into()]
}

/// The credentials before the loader has read them: an empty token.
fn unread() -> OktaAuth {
    OktaAuth::Ssws(Secret::new(String::new()))
}
