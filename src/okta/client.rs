//! The Okta HTTP client: builds requests (auth header, JSON, `Content-Length: 0` on bodiless
//! POSTs), bounds concurrency, paces against the rate-limit buckets, retries what may succeed
//! later and turns error answers into [`Error`]s. The [`OktaRead`](super::OktaRead) and [`OktaWrite`](super::OktaWrite)
//! operations built on it are in `directory.rs`; one attempt of a call (permit, pacing, write
//! gate, the request itself) is in `client/attempt.rs`, the retry loop around it here. Only this module and its siblings know Okta's
//! HTTP details. It never logs tokens, request bodies or headers.

use super::auth::Auth;
use super::counters::{CounterSnapshot, Counters, EndpointClass, RequestOutcome};
use super::error::{Error, from_response};
use super::pacing::{Bucket, Pacer, RateHeaders, TooLong};
use super::paging::next_link;
use super::retry::{RetryBudget, RetryPolicy, retry_after};
use crate::config::OktaConfig;
use reqwest::Method;
use reqwest::header::{ACCEPT, AUTHORIZATION, CONTENT_LENGTH, LINK, RETRY_AFTER, WWW_AUTHENTICATE};
use std::net::IpAddr;
use std::time::Duration;
use tokio::sync::Semaphore;
use url::{Host, Url};

/// The Okta Users API client. Cheap to share by reference; all state is internal.
pub struct OktaClient {
    pub(crate) http: reqwest::Client,
    pub(crate) base: Url,
    pub(crate) auth: Auth,
    pacer: Pacer,
    permits: Semaphore,
    pub(crate) counters: Counters,
    retry: RetryPolicy,
    max_retry_wait: Duration,
    /// Retry waits left in this run.
    pub(crate) retry_budget: RetryBudget,
    pub(crate) anchor_attribute: String,
    pub(crate) send_email: bool,
    /// Asked before every write attempt ([`super::WriteGate`]).
    pub(crate) write_gate: std::sync::RwLock<Option<std::sync::Arc<dyn super::WriteGate>>>,
}

impl std::fmt::Debug for OktaClient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("OktaClient")
            .field("base", &self.base.as_str())
            .field("oauth", &self.auth.is_oauth())
            .finish_non_exhaustive()
    }
}

/// One request to make.
pub(crate) struct Call<'a> {
    /// HTTP method.
    pub method: Method,
    /// Full URL (under the org URL).
    pub url: Url,
    /// Endpoint class, for pacing and counting.
    pub class: EndpointClass,
    /// JSON body, if any; a POST without one is sent with `Content-Length: 0`.
    pub body: Option<&'a serde_json::Value>,
    /// What is attempted, in words (`create users`), for permission errors.
    pub operation: &'static str,
}

/// A successful answer.
pub(crate) struct Reply {
    /// The body.
    pub body: bytes::Bytes,
    /// The `rel="next"` link, if any.
    pub next: Option<String>,
    /// Okta's `X-Okta-Request-Id`, if it sent one.
    pub request_id: Option<String>,
}

/// The result of a call, plus whether an earlier attempt may have changed Okta already
/// (its answer was lost or was a server error), which matters for non-idempotent writes.
pub(crate) struct Outcomes {
    /// The final result.
    pub result: Result<Reply, Error>,
    /// An earlier attempt of this write may have been applied.
    pub maybe_applied: bool,
}

/// One failed attempt.
struct Failed {
    error: Error,
    status: Option<u16>,
    request_id: Option<String>,
    sent_at: tokio::time::Instant,
    /// The answer carried Okta's rate-limit headers (the pacer then knows the reset).
    rate_headers: bool,
    /// The answer's `Retry-After`, if any.
    retry_after: Option<Duration>,
}

impl OktaClient {
    /// Builds a client for `[okta]`. Refuses an `http://` org URL unless its host is loopback
    /// (the emulator), and an unusable OAuth key.
    pub fn new(cfg: &OktaConfig) -> Result<Self, Error> {
        check_org_url(&cfg.org_url)?;
        let mut base = cfg.org_url.clone();
        base.set_path("/");
        base.set_query(None);
        base.set_fragment(None);
        let timeout = cfg.request_timeout.max(Duration::from_millis(1));
        let http = reqwest::Client::builder()
            .timeout(timeout)
            .connect_timeout(timeout.min(Duration::from_secs(10)))
            .redirect(reqwest::redirect::Policy::none())
            .user_agent(concat!("hrsync/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|e| Error::Config(format!("cannot build the HTTP client: {e}")))?;
        Ok(Self {
            auth: Auth::new(&cfg.auth, &base)?,
            http,
            base,
            pacer: Pacer::new(cfg.rate_limit_share, cfg.max_retry_wait),
            permits: Semaphore::new(cfg.max_concurrent_requests.max(1)),
            counters: Counters::default(),
            retry: RetryPolicy::default(),
            max_retry_wait: cfg.max_retry_wait,
            retry_budget: RetryBudget::new(cfg.max_retry_wait_per_run),
            anchor_attribute: cfg.anchor_attribute.clone(),
            send_email: cfg.send_activation_email,
            write_gate: std::sync::RwLock::new(None),
        })
    }

    /// Replaces the retry policy (tests and benchmarks use short delays).
    #[must_use]
    pub fn with_retry_policy(mut self, retry: RetryPolicy) -> Self {
        self.retry = retry;
        self
    }

    /// The request counters so far, by endpoint class and outcome.
    pub fn counters(&self) -> CounterSnapshot {
        self.counters.snapshot()
    }

    /// OAuth access tokens fetched so far (0 with an SSWS token).
    pub fn tokens_fetched(&self) -> u64 {
        self.auth.tokens_fetched()
    }

    /// OAuth: whether access tokens are DPoP-bound (the app requires DPoP; found out at the
    /// first token request).
    pub fn uses_dpop(&self) -> bool {
        self.auth.uses_dpop()
    }

    /// The org URL requests go to.
    pub fn org_url(&self) -> &Url {
        &self.base
    }

    /// `base` joined with an API path such as `api/v1/users`.
    pub(crate) fn url(&self, path: &str) -> Result<Url, Error> {
        self.base
            .join(path)
            .map_err(|e| Error::Config(format!("cannot build a URL for {path}: {e}")))
    }

    /// A URL from a `Link` header, accepted only when it points at the org itself (the token
    /// is never sent anywhere else).
    pub(crate) fn same_origin(&self, link: &str) -> Result<Url, Error> {
        let url = Url::parse(link)
            .map_err(|e| Error::Decode(format!("Okta sent an unusable next link: {e}")))?;
        if url.origin() != self.base.origin() {
            return Err(Error::Decode(format!(
                "Okta's next link points to another origin ({}); not following it",
                url.origin().ascii_serialization()
            )));
        }
        Ok(url)
    }

    /// Makes a call with retries: server errors, timeouts and dropped connections get bounded
    /// exponential backoff with jitter; 429s wait for the bucket's reset (or `Retry-After`, or
    /// back off when they say neither); an OAuth token refused with 401 is renewed once. A
    /// wait Okta asks for that is longer than `max_retry_wait` fails the call at once.
    pub(crate) async fn execute(&self, call: &Call<'_>) -> Outcomes {
        let mut failures = 0u32;
        let mut limited = 0u32;
        let mut renewed_token = false;
        let mut maybe_applied = false;
        let mut retry_for: Option<String> = None;
        let mut attempt = 0u32;
        loop {
            attempt += 1;
            let failed = match self.attempt(call, retry_for.as_deref(), attempt).await {
                Ok(reply) => {
                    return Outcomes {
                        result: Ok(reply),
                        maybe_applied,
                    };
                }
                Err(f) => f,
            };
            let give_up = |error: Error, maybe_applied: bool| Outcomes {
                result: Err(error),
                maybe_applied,
            };
            retry_for = failed.request_id.clone().or(retry_for);
            if failed.status == Some(401) && self.auth.is_oauth() && !renewed_token {
                renewed_token = true;
                self.auth.invalidate(failed.sent_at).await;
                self.counters.record_retry();
                continue;
            }
            if !failed.error.is_retryable() {
                return give_up(failed.error, maybe_applied);
            }
            if failed.status == Some(429) {
                limited += 1;
                if limited >= self.retry.max_rate_limited_attempts {
                    return give_up(failed.error, maybe_applied);
                }
                if failed.rate_headers {
                    // The pacer holds the bucket closed until its reset plus jitter (and
                    // refuses a reset further ahead than `max_retry_wait`).
                    tracing::debug!(
                        class = call.class.as_str(),
                        attempt,
                        "rate limited; waiting for the reset"
                    );
                } else {
                    // No reset to wait for: Retry-After, else back off.
                    let wait = match failed.retry_after {
                        Some(asked) if asked > self.max_retry_wait => {
                            return give_up(self.too_long(call, asked, None), maybe_applied);
                        }
                        Some(asked) => asked,
                        None => self
                            .retry
                            .rate_limited_backoff(limited)
                            .min(self.max_retry_wait),
                    };
                    if !self.retry_budget.take(wait) {
                        return give_up(self.budget_spent(call), maybe_applied);
                    }
                    tracing::debug!(class = call.class.as_str(), attempt, wait_ms = %wait.as_millis(), "rate limited without a reset; backing off");
                    tokio::time::sleep(wait).await;
                }
            } else {
                failures += 1;
                let unanswered = failed.status.is_none_or(|s| s >= 500);
                maybe_applied |= unanswered && call.method != Method::GET;
                if failures >= self.retry.max_attempts {
                    return give_up(failed.error, maybe_applied);
                }
                let mut wait = self.retry.backoff(failures);
                if failed.error.code() == Some("E0000112") {
                    wait = wait.max(self.retry.activation_delay);
                }
                wait = wait.min(self.max_retry_wait);
                if let Some(asked) = failed.retry_after {
                    if asked > self.max_retry_wait {
                        return give_up(self.too_long(call, asked, None), maybe_applied);
                    }
                    wait = wait.max(asked);
                }
                if !self.retry_budget.take(wait) {
                    return give_up(self.budget_spent(call), maybe_applied);
                }
                tracing::debug!(class = call.class.as_str(), attempt, wait_ms = %wait.as_millis(), error = %failed.error, "retrying");
                tokio::time::sleep(wait).await;
            }
            self.counters.record_retry();
        }
    }
}

/// Refuses anything but `https://`, and `http://` on a loopback host.
fn check_org_url(url: &Url) -> Result<(), Error> {
    match url.scheme() {
        "https" => Ok(()),
        "http" if is_loopback(url) => Ok(()),
        "http" => Err(Error::Config(format!(
            "refusing plain http:// for {}: tokens would travel unencrypted; use https:// (http \
             is allowed only for a loopback emulator)",
            url.host_str().unwrap_or("(no host)")
        ))),
        other => Err(Error::Config(format!(
            "the org URL must be https://, not {other}://"
        ))),
    }
}

fn is_loopback(url: &Url) -> bool {
    match url.host() {
        Some(Host::Ipv4(ip)) => IpAddr::V4(ip).is_loopback(),
        Some(Host::Ipv6(ip)) => IpAddr::V6(ip).is_loopback(),
        Some(Host::Domain(d)) => d.eq_ignore_ascii_case("localhost"),
        None => false,
    }
}

mod attempt;

#[cfg(test)]
mod tests;
