//! The HTTP pieces every pulled HR API shares (HiBob, BambooHR, Personio, and any later one):
//!
//! - [`client`]: a `reqwest` client with a connect timeout and a whole-request timeout, no
//!   redirects (another host could receive the credentials or send another company's
//!   employees) and hrsync's user agent.
//! - [`Auth`]: the credentials of a request (HTTP Basic, or a bearer token), applied by
//!   [`Auth::apply`]; its `Debug` shows no secret.
//! - [`Vendor`]: what differs between APIs — the names in messages, how long a 429/503 asks us
//!   to wait ([`retry_after`], [`rate_limit_reset`]), where the error text is, what to say
//!   after a 401/403.
//! - [`Fetcher`]: sends one request with [`RetryPolicy`] (429, and 503 carrying a wait, after
//!   the vendor's wait bounded by `max_wait`; other 5xx and network errors with a doubling
//!   back-off; 401/403 at once, never retried; a timeout at once, never repeated), reads the
//!   body with a size cap while it streams ([`read_capped`]) and decodes JSON that tells an
//!   HTML error page and a truncated body apart from other garbage ([`decode_json`]).
//!
//! Flattening nested JSON into dotted field paths is in [`crate::source::flatten`].
//!
//! Nothing here logs or returns a credential; URLs in messages are the caller's (no userinfo).

use crate::config::Secret;
use crate::source::SourceError;
use reqwest::{RequestBuilder, StatusCode, header::HeaderMap};
use serde_json::Value;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// The longest wait for a TCP/TLS connection (never longer than the request timeout).
pub const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

/// How patient a [`Fetcher`] is with rate limits and server errors.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Attempts per request, the first included.
    pub max_attempts: u32,
    /// The longest single wait (a rate-limit reset further away fails the fetch instead).
    pub max_wait: Duration,
    /// The wait after a 5xx or network error (doubled each time).
    pub backoff: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        // bob allows 50 searches a minute, Personio 300 reads: one reset is a minute away.
        Self {
            max_attempts: 4,
            max_wait: Duration::from_secs(65),
            backoff: Duration::from_secs(2),
        }
    }
}

/// An HTTP client for one HR API: connect timeout [`CONNECT_TIMEOUT`] (or `timeout` if
/// shorter), `timeout` from connecting to the last byte of the body, no redirects.
/// `location` names the API in the error.
pub fn client(location: &str, timeout: Duration) -> Result<reqwest::Client, SourceError> {
    reqwest::Client::builder()
        .connect_timeout(CONNECT_TIMEOUT.min(timeout))
        .timeout(timeout)
        .redirect(reqwest::redirect::Policy::none())
        .user_agent(concat!("hrsync/", env!("CARGO_PKG_VERSION")))
        .build()
        .map_err(|e| unreadable(location, &format!("cannot build the HTTP client: {e}")))
}

/// The credentials of a request.
#[derive(Clone)]
pub enum Auth {
    /// HTTP Basic (`user:password`, Base64).
    Basic {
        /// The user name (HiBob's service user id, BambooHR's API key).
        user: Secret,
        /// The password (HiBob's token, BambooHR's `"x"`).
        password: Secret,
    },
    /// `Authorization: Bearer <token>`.
    Bearer(Secret),
    /// No credentials (a token endpoint that takes them in the body).
    None,
}

impl std::fmt::Debug for Auth {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Self::Basic { .. } => "Auth::Basic(***)",
            Self::Bearer(_) => "Auth::Bearer(***)",
            Self::None => "Auth::None",
        })
    }
}

impl Auth {
    /// `request` with these credentials and `Accept: application/json`.
    pub fn apply(&self, request: RequestBuilder) -> RequestBuilder {
        let request = request.header(reqwest::header::ACCEPT, "application/json");
        match self {
            Self::Basic { user, password } => {
                request.basic_auth(user.expose(), Some(password.expose()))
            }
            Self::Bearer(token) => request.bearer_auth(token.expose()),
            Self::None => request,
        }
    }
}

/// What differs between HR APIs, for one [`Fetcher`].
#[derive(Debug, Clone, Copy)]
pub struct Vendor {
    /// The product's name in messages that open a sentence (`HiBob`, `BambooHR`).
    pub name: &'static str,
    /// The short name used mid-sentence (`bob`, `BambooHR`).
    pub short: &'static str,
    /// Said after a 429 that never lifted (`bob allows 50 searches a minute`).
    pub rate_limit_hint: &'static str,
    /// How long a 429 (or a 503 with a wait) asks us to wait, from its headers and now.
    pub wait: fn(&HeaderMap, SystemTime) -> Duration,
    /// The error message after a 401 or 403: `(status, detail)` where `detail` is
    /// `": text"` or empty (see [`error_detail`]). It should say what to check.
    pub auth_message: fn(StatusCode, &str) -> String,
    /// The vendor's error text in an error answer (headers, body), if it has one; else the
    /// body's text is used.
    pub error_text: fn(&HeaderMap, &str) -> Option<String>,
}

/// How long a 429 asks to wait: [`retry_after`], else [`rate_limit_reset`] of
/// `X-RateLimit-Reset`, else a minute. The default for [`Vendor::wait`].
pub fn standard_wait(headers: &HeaderMap, now: SystemTime) -> Duration {
    retry_after(headers, now)
        .or_else(|| rate_limit_reset(headers, "x-ratelimit-reset", now))
        .unwrap_or(Duration::from_secs(60))
}

/// `Retry-After` as seconds (fractions rounded up) or as an HTTP-date (RFC 9110
/// IMF-fixdate, `Sun, 06 Nov 1994 08:49:37 GMT`; a date already past is zero).
pub fn retry_after(headers: &HeaderMap, now: SystemTime) -> Option<Duration> {
    let text = headers.get("retry-after")?.to_str().ok()?.trim();
    if let Some(seconds) = seconds(text) {
        return Some(Duration::from_secs(seconds));
    }
    let at = chrono::DateTime::parse_from_rfc2822(text).ok()?;
    let at = SystemTime::from(at.with_timezone(&chrono::Utc));
    Some(at.duration_since(now).unwrap_or(Duration::ZERO))
}

/// A rate-limit reset header (`X-RateLimit-Reset`): epoch seconds when large (after 2001),
/// else seconds from now; at least one second (the reset second itself may still be limited).
pub fn rate_limit_reset(headers: &HeaderMap, name: &str, now: SystemTime) -> Option<Duration> {
    let reset = seconds(headers.get(name)?.to_str().ok()?.trim())?;
    let now_secs = now
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    let delta = if reset > 1_000_000_000 {
        reset.saturating_sub(now_secs)
    } else {
        reset
    };
    Some(Duration::from_secs(delta.max(1)))
}

fn seconds(text: &str) -> Option<u64> {
    text.parse::<f64>()
        .ok()
        .filter(|v| v.is_finite() && *v >= 0.0)
        .map(|v| v.ceil() as u64)
}

/// One answer read in full: the headers (rate-limit counters) and the body.
#[derive(Debug)]
pub struct Fetched {
    /// The answer's headers.
    pub headers: HeaderMap,
    /// The body, at most the size cap.
    pub body: Vec<u8>,
}

/// Sends requests to one HR API with the policy above (see the module doc).
#[derive(Debug, Clone)]
pub struct Fetcher {
    http: reqwest::Client,
    vendor: Vendor,
    retry: RetryPolicy,
    timeout: Duration,
    max_response_bytes: u64,
}

impl Fetcher {
    /// A fetcher for `vendor` at `location` (for the error when the client cannot be built);
    /// `timeout` bounds each request, `max_response_bytes` each body.
    pub fn new(
        vendor: Vendor,
        location: &str,
        timeout: Duration,
        retry: RetryPolicy,
        max_response_bytes: u64,
    ) -> Result<Self, SourceError> {
        Ok(Self {
            http: client(location, timeout)?,
            vendor,
            retry,
            timeout,
            max_response_bytes,
        })
    }

    /// The same fetcher reading at most `bytes` of any answer.
    pub fn with_max_response_bytes(mut self, bytes: u64) -> Self {
        self.max_response_bytes = bytes;
        self
    }

    /// The underlying client, to build requests with.
    pub fn http(&self) -> &reqwest::Client {
        &self.http
    }

    /// The vendor.
    pub fn vendor(&self) -> &Vendor {
        &self.vendor
    }

    /// [`Fetcher::send`], then [`decode_json`] of the body.
    pub async fn send_json(
        &self,
        url: &str,
        auth: &Auth,
        build: impl Fn(&reqwest::Client) -> RequestBuilder,
    ) -> Result<Value, SourceError> {
        let fetched = self.send(url, auth, build).await?;
        decode_json(url, &self.vendor, &fetched.headers, &fetched.body)
    }

    /// Sends the request `build` makes (called once per attempt) with `auth`, retrying per
    /// the policy; returns a 2xx answer read in full under the size cap. Errors: 401/403 →
    /// [`SourceError::Auth`] at once; a timeout, a redirect, another 4xx, a 429 past the
    /// attempts or past `max_wait`, a 5xx on the last attempt → [`SourceError::Unreadable`].
    pub async fn send(
        &self,
        url: &str,
        auth: &Auth,
        build: impl Fn(&reqwest::Client) -> RequestBuilder,
    ) -> Result<Fetched, SourceError> {
        let v = &self.vendor;
        let mut attempt = 0;
        let mut backoff = self.retry.backoff;
        loop {
            attempt += 1;
            let last = attempt >= self.retry.max_attempts;
            let response = match auth.apply(build(&self.http)).send().await {
                Ok(r) => r,
                Err(e) if e.is_timeout() => return Err(self.timed_out(url)),
                Err(e) if !last && (e.is_connect() || e.is_request()) => {
                    tracing::warn!(url, attempt, "{} request failed, retrying: {e}", v.short);
                    tokio::time::sleep(backoff).await;
                    backoff = backoff.saturating_mul(2);
                    continue;
                }
                Err(e) => {
                    return Err(SourceError::Unreadable {
                        location: url.to_owned(),
                        message: format!("{} did not answer", v.short),
                        source: Some(std::sync::Arc::new(e.without_url())),
                    });
                }
            };
            let status = response.status();
            if status.is_success() {
                let headers = response.headers().clone();
                let body = read_capped(url, v, self.max_response_bytes, response)
                    .await
                    .map_err(|e| e.unwrap_or_else(|| self.timed_out(url)))?;
                return Ok(Fetched { headers, body });
            }
            if status.is_redirection() {
                return Err(redirect_error(url, v, status, response.headers()));
            }
            let vendor_wait = match status {
                StatusCode::TOO_MANY_REQUESTS => {
                    Some((v.wait)(response.headers(), SystemTime::now()))
                }
                StatusCode::SERVICE_UNAVAILABLE => {
                    retry_after(response.headers(), SystemTime::now())
                }
                _ => None,
            };
            match status {
                StatusCode::UNAUTHORIZED | StatusCode::FORBIDDEN => {
                    let detail = error_detail(v, response).await;
                    return Err(SourceError::Auth {
                        location: url.to_owned(),
                        message: (v.auth_message)(status, &detail),
                    });
                }
                _ if vendor_wait.is_some() => {
                    let wait = vendor_wait.unwrap_or_default();
                    if last || wait > self.retry.max_wait {
                        let code = status.as_u16();
                        let waited = if wait > self.retry.max_wait {
                            format!(
                                "; it asked to wait {} s, longer than the {} s hrsync waits",
                                wait.as_secs(),
                                self.retry.max_wait.as_secs()
                            )
                        } else {
                            String::new()
                        };
                        return Err(unreadable(
                            url,
                            &format!(
                                "rate limited by {} (HTTP {code}) after {attempt} attempts{waited}; {}",
                                v.short, v.rate_limit_hint
                            ),
                        ));
                    }
                    tracing::warn!(
                        url,
                        attempt,
                        status = status.as_u16(),
                        wait_ms = wait.as_millis() as u64,
                        "{} rate limit reached, waiting",
                        v.short
                    );
                    tokio::time::sleep(wait).await;
                }
                s if s.is_server_error() && !last => {
                    tracing::warn!(
                        url,
                        attempt,
                        status = s.as_u16(),
                        "{} server error, retrying",
                        v.short
                    );
                    tokio::time::sleep(backoff).await;
                    backoff = backoff.saturating_mul(2);
                }
                s => {
                    let detail = error_detail(v, response).await;
                    return Err(unreadable(url, &format!("HTTP {}{detail}", s.as_u16())));
                }
            }
        }
    }

    /// The error of a request that outlasted the timeout: names the vendor, the timeout and
    /// the key.
    pub fn timed_out(&self, url: &str) -> SourceError {
        let secs = self.timeout.as_secs_f64();
        unreadable(
            url,
            &format!(
                "{} did not answer within {secs} s ([source] request_timeout_seconds = {secs}); the request is not repeated and the next run tries again. Check that {} is reachable; if {} is only slow for this many employees, raise request_timeout_seconds",
                self.vendor.name, self.vendor.short, self.vendor.short
            ),
        )
    }
}

fn redirect_error(url: &str, v: &Vendor, status: StatusCode, headers: &HeaderMap) -> SourceError {
    let location = headers
        .get(reqwest::header::LOCATION)
        .and_then(|v| v.to_str().ok())
        .map_or_else(
            || "(no Location)".to_owned(),
            crate::config::without_userinfo,
        );
    unreadable(
        url,
        &format!(
            "{} answered HTTP {} with a redirect to {location}; hrsync follows no redirects (another host could receive the credentials or send another company's employees): set [source] base_url to the address {}'s API really answers on",
            v.short,
            status.as_u16(),
            v.short
        ),
    )
}

/// [`SourceError::Unreadable`] at `url`.
pub fn unreadable(url: &str, message: &str) -> SourceError {
    SourceError::Unreadable {
        location: url.to_owned(),
        message: message.to_owned(),
        source: None,
    }
}

/// [`SourceError::Malformed`] at `url`.
pub fn malformed(url: &str, message: &str) -> SourceError {
    SourceError::Malformed {
        location: url.to_owned(),
        message: message.to_owned(),
    }
}

mod body;
pub use body::{decode_json, error_detail, json_error_text, read_capped};

#[cfg(test)]
mod tests;
