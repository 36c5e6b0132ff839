//! The HTTP side of the bob source: `POST /people/search` and
//! `GET /company/named-lists/{name}` with the service user's basic auth, waiting out 429s per
//! bob's rate-limit headers, and stopping at once on 401/403 (bob blocks addresses that keep
//! failing auth) and on a request that outlasts `[source] request_timeout_seconds` (a hang is
//! never waited out twice; the next run tries again). The retry, size cap and JSON decoding
//! are the shared [`crate::source::http`]; only this file knows bob's HTTP details. It never
//! logs or returns the service user id or token.

use crate::config::Secret;
use crate::source::SourceError;
use crate::source::http::{self, Auth, Fetcher, Vendor, malformed};
use reqwest::{StatusCode, header::HeaderMap};
use serde_json::Value;
use std::time::{Duration, SystemTime};
use url::Url;

// The unit tests build instants from the epoch.
#[cfg(test)]
use std::time::UNIX_EPOCH;

pub use crate::source::http::RetryPolicy;

/// bob, for the shared fetcher.
const BOB: Vendor = Vendor {
    name: "HiBob",
    short: "bob",
    rate_limit_hint: "bob allows 50 searches a minute",
    wait: rate_limit_wait,
    auth_message,
    error_text: http::json_error_text,
};

/// A bob API client for one service user.
#[derive(Debug, Clone)]
pub struct BobClient {
    fetcher: Fetcher,
    base: String,
    auth: Auth,
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
        let fetcher = Fetcher::new(BOB, base_url.as_str(), timeout, retry, 1 << 30)?;
        Ok(Self {
            fetcher,
            base: base_url.as_str().trim_end_matches('/').to_owned(),
            auth: Auth::Basic {
                user: service_user_id,
                password: token,
            },
        })
    }

    /// The same client reading at most `bytes` of any answer.
    pub fn with_max_response_bytes(mut self, bytes: u64) -> Self {
        self.fetcher = self.fetcher.with_max_response_bytes(bytes);
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
        let response = self
            .fetcher
            .send_json(&url, &self.auth, |http| http.post(&url).json(&body))
            .await?;
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
        self.fetcher
            .send_json(&url, &self.auth, |http| http.get(&url))
            .await
    }
}

/// How long bob asks us to wait: `Retry-After` (seconds), else `X-RateLimit-Reset` (epoch
/// seconds, or seconds from now if small), else a minute.
pub fn rate_limit_wait(headers: &HeaderMap, now: SystemTime) -> Duration {
    http::standard_wait(headers, now)
}

fn auth_message(status: StatusCode, detail: &str) -> String {
    if status == StatusCode::UNAUTHORIZED {
        format!(
            "bob refused the service user (HTTP 401{detail}); check service_user_id and token (a refreshed token invalidates the old one). hrsync does not retry: bob blocks addresses that keep failing authentication"
        )
    } else {
        format!(
            "the service user may not read this (HTTP 403{detail}); grant its permission group access in bob (Settings > Integrations > Service users). hrsync does not retry: bob blocks addresses that keep failing authorization"
        )
    }
}

#[cfg(test)]
mod tests;
