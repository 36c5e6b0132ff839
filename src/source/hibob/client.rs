//! The HTTP side of the bob source: `POST /people/search` and
//! `GET /company/named-lists/{name}` with the service user's basic auth, waiting out 429s per
//! bob's rate-limit headers, and stopping at once on 401/403 (bob blocks addresses that keep
//! failing auth) and on a request that outlasts `[source] request_timeout_seconds` (a hang is
//! never waited out twice; the next run tries again). Only this file knows bob's HTTP
//! details. It never logs or returns the service user id or token.

use crate::config::Secret;
use crate::source::SourceError;
use reqwest::{Response, StatusCode, header::HeaderMap};
use serde_json::Value;
use std::time::{Duration, SystemTime, UNIX_EPOCH};
use url::Url;

/// How patient the client is with rate limits and server errors.
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
        // bob allows 50 searches a minute: one reset is at most a minute away.
        Self {
            max_attempts: 4,
            max_wait: Duration::from_secs(65),
            backoff: Duration::from_secs(2),
        }
    }
}

/// A bob API client for one service user.
#[derive(Debug, Clone)]
pub struct BobClient {
    http: reqwest::Client,
    base: String,
    service_user_id: Secret,
    token: Secret,
    retry: RetryPolicy,
    timeout: Duration,
    max_response_bytes: u64,
}

impl BobClient {
    /// A client for `base_url` (e.g. `https://api.hibob.com/v1`); `timeout` bounds each
    /// request from connecting to the last byte of the body.
    pub fn new(
        base_url: &Url,
        service_user_id: Secret,
        token: Secret,
        timeout: Duration,
        retry: RetryPolicy,
    ) -> Result<Self, SourceError> {
        let http = reqwest::Client::builder()
            .connect_timeout(CONNECT_TIMEOUT.min(timeout))
            .timeout(timeout)
            // A redirect could send the credentials, or hand back another tenant's employees.
            .redirect(reqwest::redirect::Policy::none())
            .user_agent(concat!("hrsync/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|e| SourceError::Unreadable {
                location: base_url.to_string(),
                message: format!("cannot build the HTTP client: {e}"),
            })?;
        Ok(Self {
            http,
            base: base_url.as_str().trim_end_matches('/').to_owned(),
            service_user_id,
            token,
            retry,
            timeout,
            max_response_bytes: 1 << 30,
        })
    }

    /// The same client reading at most `bytes` of any answer.
    pub fn with_max_response_bytes(mut self, bytes: u64) -> Self {
        self.max_response_bytes = bytes;
        self
    }

    /// The API base, for messages.
    pub fn base(&self) -> &str {
        &self.base
    }

    /// `POST /people/search` with `showInactive: true` (pre-hires and leavers are inactive in
    /// bob and must be seen) and the given field ids. Returns the `employees` array.
    pub async fn search_people(&self, fields: &[String]) -> Result<Vec<Value>, SourceError> {
        let url = format!("{}/people/search", self.base);
        let mut body = serde_json::json!({ "showInactive": true });
        if !fields.is_empty() {
            body["fields"] = serde_json::json!(fields);
        }
        let response = self.send(&url, || self.http.post(&url).json(&body)).await?;
        match response {
            Value::Object(mut map) => match map.remove("employees") {
                Some(Value::Array(employees)) => Ok(employees),
                _ => Err(malformed(&url, "the response has no \"employees\" array")),
            },
            _ => Err(malformed(&url, "the response is not a JSON object")),
        }
    }

    /// `GET /company/named-lists/{name}`: the list's raw JSON.
    pub async fn named_list(&self, name: &str) -> Result<Value, SourceError> {
        let mut url = Url::parse(&format!("{}/company/named-lists/", self.base))
            .map_err(|e| malformed(&self.base, &e.to_string()))?;
        url.path_segments_mut()
            .map_err(|()| malformed(&self.base, "the base URL cannot have a path"))?
            .pop_if_empty()
            .push(name);
        let url = url.to_string();
        self.send(&url, || self.http.get(&url)).await
    }

    /// The error of a request that outlasted the timeout: names bob, the timeout and the key.
    fn timed_out(&self, url: &str) -> SourceError {
        let secs = self.timeout.as_secs_f64();
        unreadable(
            url,
            &format!(
                "HiBob did not answer within {secs} s ([source] request_timeout_seconds = {secs}); the request is not repeated and the next run tries again. Check that bob is reachable; if bob is only slow for this many employees, raise request_timeout_seconds"
            ),
        )
    }

    /// Reads a body of at most `max_response_bytes`, refusing a larger one as it streams in (a
    /// declared length over the cap is refused before reading).
    async fn read_capped(&self, url: &str, mut response: Response) -> Result<Vec<u8>, SourceError> {
        let cap = self.max_response_bytes;
        let too_big = |n: u64| {
            unreadable(
                url,
                &format!(
                    "bob's answer is larger than [source] max_response_bytes = {cap} ({n} bytes or more); refusing to read it. If your company really is this large, raise max_response_bytes"
                ),
            )
        };
        if let Some(n) = response.content_length().filter(|n| *n > cap) {
            return Err(too_big(n));
        }
        let mut body = Vec::new();
        loop {
            match response.chunk().await {
                Ok(Some(chunk)) => {
                    if (body.len() + chunk.len()) as u64 > cap {
                        return Err(too_big((body.len() + chunk.len()) as u64));
                    }
                    body.extend_from_slice(&chunk);
                }
                Ok(None) => return Ok(body),
                Err(e) if e.is_timeout() => return Err(self.timed_out(url)),
                Err(e) => return Err(unreadable(url, &e.without_url().to_string())),
            }
        }
    }

    /// Sends a request, retrying 429 (after the wait bob asks for), 5xx and network errors; a
    /// request that times out fails at once.
    async fn send(
        &self,
        url: &str,
        build: impl Fn() -> reqwest::RequestBuilder,
    ) -> Result<Value, SourceError> {
        let mut attempt = 0;
        let mut backoff = self.retry.backoff;
        loop {
            attempt += 1;
            let last = attempt >= self.retry.max_attempts;
            let sent = build()
                .basic_auth(self.service_user_id.expose(), Some(self.token.expose()))
                .header(reqwest::header::ACCEPT, "application/json")
                .send()
                .await;
            let response = match sent {
                Ok(r) => r,
                Err(e) if e.is_timeout() => return Err(self.timed_out(url)),
                Err(e) if !last && (e.is_connect() || e.is_request()) => {
                    tracing::warn!(url, attempt, "bob request failed, retrying: {e}");
                    tokio::time::sleep(backoff).await;
                    backoff = backoff.saturating_mul(2);
                    continue;
                }
                Err(e) => return Err(unreadable(url, &e.without_url().to_string())),
            };
            let status = response.status();
            if status.is_success() {
                let body = self.read_capped(url, response).await?;
                return serde_json::from_slice::<Value>(&body)
                    .map_err(|e| malformed(url, &format!("not JSON: {e}")));
            }
            if status.is_redirection() {
                let location = response
                    .headers()
                    .get(reqwest::header::LOCATION)
                    .and_then(|v| v.to_str().ok())
                    .map_or_else(
                        || "(no Location)".to_owned(),
                        crate::config::without_userinfo,
                    );
                return Err(unreadable(
                    url,
                    &format!(
                        "bob answered HTTP {} with a redirect to {location}; hrsync follows no redirects (another host could receive the credentials or send another company's employees): set [source] base_url to the address bob's API really answers on",
                        status.as_u16()
                    ),
                ));
            }
            match status {
                StatusCode::UNAUTHORIZED | StatusCode::FORBIDDEN => {
                    return Err(auth_error(url, status, response).await);
                }
                StatusCode::TOO_MANY_REQUESTS => {
                    let wait = rate_limit_wait(response.headers(), SystemTime::now());
                    if last || wait > self.retry.max_wait {
                        return Err(unreadable(
                            url,
                            &format!(
                                "rate limited by bob (HTTP 429) after {attempt} attempts; bob allows 50 searches a minute"
                            ),
                        ));
                    }
                    tracing::warn!(
                        url,
                        attempt,
                        wait_ms = wait.as_millis() as u64,
                        "bob rate limit reached, waiting"
                    );
                    tokio::time::sleep(wait).await;
                }
                s if s.is_server_error() && !last => {
                    tracing::warn!(
                        url,
                        attempt,
                        status = s.as_u16(),
                        "bob server error, retrying"
                    );
                    tokio::time::sleep(backoff).await;
                    backoff = backoff.saturating_mul(2);
                }
                s => {
                    let detail = error_text(response).await;
                    return Err(unreadable(url, &format!("HTTP {}{detail}", s.as_u16())));
                }
            }
        }
    }
}

/// The longest wait for a TCP/TLS connection to bob (never longer than the request timeout).
const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

/// How long bob asks us to wait: `Retry-After` (seconds), else `X-RateLimit-Reset` (epoch
/// seconds, or seconds from now if small), else a minute.
pub fn rate_limit_wait(headers: &HeaderMap, now: SystemTime) -> Duration {
    let number = |name: &str| -> Option<u64> {
        headers
            .get(name)?
            .to_str()
            .ok()?
            .trim()
            .parse::<f64>()
            .ok()
            .filter(|v| v.is_finite() && *v >= 0.0)
            .map(|v| v.ceil() as u64)
    };
    if let Some(seconds) = number("retry-after") {
        return Duration::from_secs(seconds);
    }
    if let Some(reset) = number("x-ratelimit-reset") {
        let now_secs = now
            .duration_since(UNIX_EPOCH)
            .map(|d| d.as_secs())
            .unwrap_or(0);
        // An epoch timestamp (after 2001) or a delta in seconds.
        let delta = if reset > 1_000_000_000 {
            reset.saturating_sub(now_secs)
        } else {
            reset
        };
        // The reset second itself may still be limited: wait into the next one.
        return Duration::from_secs(delta.max(1));
    }
    Duration::from_secs(60)
}

async fn auth_error(url: &str, status: StatusCode, response: Response) -> SourceError {
    let detail = error_text(response).await;
    let message = if status == StatusCode::UNAUTHORIZED {
        format!(
            "bob refused the service user (HTTP 401{detail}); check service_user_id and token (a refreshed token invalidates the old one). hrsync does not retry: bob blocks addresses that keep failing authentication"
        )
    } else {
        format!(
            "the service user may not read this (HTTP 403{detail}); grant its permission group access in bob (Settings > Integrations > Service users). hrsync does not retry: bob blocks addresses that keep failing authorization"
        )
    };
    SourceError::Auth {
        location: url.to_owned(),
        message,
    }
}

/// bob's `{"error": "..."}` text, shortened, as `": text"`; empty if none.
async fn error_text(response: Response) -> String {
    let Ok(body) = response.text().await else {
        return String::new();
    };
    let text = serde_json::from_str::<Value>(&body)
        .ok()
        .and_then(|v| v.get("error").and_then(Value::as_str).map(str::to_owned))
        .unwrap_or(body);
    let short: String = text.chars().filter(|c| !c.is_control()).take(200).collect();
    if short.trim().is_empty() {
        String::new()
    } else {
        format!(": {}", short.trim())
    }
}

fn unreadable(url: &str, message: &str) -> SourceError {
    SourceError::Unreadable {
        location: url.to_owned(),
        message: message.to_owned(),
    }
}

fn malformed(url: &str, message: &str) -> SourceError {
    SourceError::Malformed {
        location: url.to_owned(),
        message: message.to_owned(),
    }
}

#[cfg(test)]
mod tests;
