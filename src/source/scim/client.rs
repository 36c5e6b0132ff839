//! The HTTP side of the SCIM source: `GET {base}/Users?startIndex=…&count=…` with the bearer
//! token, page after page until `totalResults` users have arrived (RFC 7644 §3.4.2.4).
//!
//! The enumeration must be complete and consistent, or it fails: a page with no users before
//! the total is reached, a `totalResults` that changes between pages, more users than the
//! total, a page that starts elsewhere than asked, or a user seen on two pages (the list
//! shifted while it was read) each fail the fetch, so nobody is deactivated from a partial
//! read. Retries, waits, size caps and auth failures are [`crate::source::http`]'s.
//! SCIM errors (`urn:ietf:params:scim:api:messages:2.0:Error`) are shown by their `detail`.
//! Never logs or returns the token.

use crate::config::Secret;
use crate::source::SourceError;
use crate::source::http::{self, Auth, Fetcher, RetryPolicy, Vendor, malformed};
use reqwest::StatusCode;
use reqwest::header::HeaderMap;
use serde_json::{Map, Value};
use std::collections::HashSet;
use std::time::Duration;
use url::Url;

/// The SCIM error message schema (RFC 7644 §3.12).
pub const ERROR_SCHEMA: &str = "urn:ietf:params:scim:api:messages:2.0:Error";

const SCIM: Vendor = Vendor {
    name: "The SCIM service",
    short: "the SCIM service",
    rate_limit_hint: "run less often, or raise [source] page_size so that fewer pages are asked for",
    wait: http::standard_wait,
    auth_message,
    error_text,
};

/// A SCIM client for one service and token.
#[derive(Debug, Clone)]
pub struct ScimClient {
    fetcher: Fetcher,
    users_url: String,
    auth: Auth,
    page_size: u32,
}

impl ScimClient {
    /// A client for the service at `base_url` (`/Users` is appended); `timeout` and
    /// `max_response_bytes` bound each page.
    pub fn new(
        base_url: &Url,
        token: Secret,
        page_size: u32,
        timeout: Duration,
        max_response_bytes: u64,
        retry: RetryPolicy,
    ) -> Result<Self, SourceError> {
        let users_url = format!("{}/Users", base_url.as_str().trim_end_matches('/'));
        let fetcher = Fetcher::new(SCIM, &users_url, timeout, retry, max_response_bytes)?;
        Ok(Self {
            fetcher,
            users_url,
            auth: Auth::Bearer(token),
            page_size: page_size.max(1),
        })
    }

    /// The `/Users` URL, for messages.
    pub fn users_url(&self) -> &str {
        &self.users_url
    }

    /// Every user, in the service's order: pages of `page_size` until `totalResults`. Fails
    /// on an incomplete or inconsistent enumeration (see the module doc), and as soon as the
    /// total exceeds `max_records`.
    pub async fn list_users(
        &self,
        max_records: usize,
    ) -> Result<Vec<Map<String, Value>>, SourceError> {
        let mut users: Vec<Map<String, Value>> = Vec::new();
        let mut ids: HashSet<String> = HashSet::new();
        let mut total: Option<u64> = None;
        let mut start: u64 = 1;
        loop {
            let url = format!(
                "{}?startIndex={start}&count={}",
                self.users_url, self.page_size
            );
            let page = self
                .fetcher
                .send_json(&url, &self.auth, |c| {
                    c.get(&self.users_url)
                        .query(&[("startIndex", start), ("count", u64::from(self.page_size))])
                        .header(reqwest::header::ACCEPT, "application/scim+json")
                })
                .await?;
            let page = ListPage::read(&url, page)?;
            match total {
                None if page.total > max_records as u64 => {
                    return Err(crate::source::record::too_many_records(&url, max_records));
                }
                None => total = Some(page.total),
                Some(t) if t != page.total => {
                    return Err(changed(
                        &url,
                        &format!(
                            "totalResults was {t} on the first page and is {} now",
                            page.total
                        ),
                    ));
                }
                Some(_) => {}
            }
            if let Some(given) = page.start_index.filter(|s| *s != start) {
                return Err(changed(
                    &url,
                    &format!(
                        "the page starts at {given}, not at startIndex {start} as asked (the service may not support paging)"
                    ),
                ));
            }
            let expected = page.total;
            if page.resources.is_empty() && (users.len() as u64) < expected {
                return Err(short(&url, users.len(), expected));
            }
            for user in page.resources {
                let Value::Object(user) = user else {
                    return Err(malformed(
                        &url,
                        &format!("resource #{} is not a JSON object", users.len() + 1),
                    ));
                };
                if let Some(id) = user.get("id").and_then(crate::source::flatten::scalar_text)
                    && !ids.insert(id.clone())
                {
                    return Err(changed(&url, &format!("user {id} came back on two pages")));
                }
                users.push(user);
            }
            let got = users.len() as u64;
            if got > expected {
                return Err(changed(
                    &url,
                    &format!("{got} users arrived, more than totalResults = {expected}"),
                ));
            }
            if got == expected {
                return Ok(users);
            }
            start = got + 1;
        }
    }
}

/// One `ListResponse` page.
struct ListPage {
    total: u64,
    start_index: Option<u64>,
    resources: Vec<Value>,
}

impl ListPage {
    fn read(url: &str, page: Value) -> Result<Self, SourceError> {
        let Value::Object(mut page) = page else {
            return Err(malformed(
                url,
                "the answer is not a JSON object (a SCIM ListResponse)",
            ));
        };
        let total = page
            .get("totalResults")
            .and_then(Value::as_u64)
            .ok_or_else(|| malformed(url, "the answer has no totalResults (a whole number): not a SCIM ListResponse, so hrsync cannot tell whether it read everyone"))?;
        let start_index = page.get("startIndex").and_then(Value::as_u64);
        let resources = match page
            .remove("Resources")
            .or_else(|| page.remove("resources"))
        {
            Some(Value::Array(r)) => r,
            None | Some(Value::Null) => Vec::new(),
            Some(_) => return Err(malformed(url, "\"Resources\" is not an array")),
        };
        Ok(Self {
            total,
            start_index,
            resources,
        })
    }
}

fn short(url: &str, got: usize, total: u64) -> SourceError {
    SourceError::Unreadable {
        location: url.to_owned(),
        message: format!(
            "the enumeration stopped short: {got} of totalResults = {total} users arrived before a page came back empty; nothing was used (a partial list would make absent people look like leavers), the next run tries again"
        ),
        source: None,
    }
}

fn changed(url: &str, what: &str) -> SourceError {
    SourceError::Unreadable {
        location: url.to_owned(),
        message: format!(
            "the user list changed or was paged inconsistently while it was read ({what}); nothing was used, the next run reads it again"
        ),
        source: None,
    }
}

fn auth_message(status: StatusCode, detail: &str) -> String {
    if status == StatusCode::UNAUTHORIZED {
        format!(
            "the SCIM service refused the bearer token (HTTP 401{detail}); check [source] token (expired, revoked, or for another service). hrsync does not retry an authentication failure"
        )
    } else {
        format!(
            "the token may not read users (HTTP 403{detail}); give it read access to /Users (the SCIM app's or API token's user-read scope). hrsync does not retry an authorization failure"
        )
    }
}

/// A SCIM error's `detail` (with its `scimType`), else a `{"error": …}` text.
fn error_text(headers: &HeaderMap, body: &str) -> Option<String> {
    let value: Value = serde_json::from_str(body).ok()?;
    let detail = value.get("detail").and_then(Value::as_str);
    match (detail, value.get("scimType").and_then(Value::as_str)) {
        (Some(d), Some(t)) => Some(format!("{d} ({t})")),
        (Some(d), None) => Some(d.to_owned()),
        _ => http::json_error_text(headers, body),
    }
}

#[cfg(test)]
mod tests;
