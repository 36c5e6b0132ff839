//! The Personio source (API v1): reads every employee, onboarding and inactive ones included,
//! with `GET /v1/company/employees` page by page (`limit` ≤ 100, `offset`) and the configured
//! `attributes[]` whitelist, authenticated with a bearer token from `POST /v1/auth`
//! (client id and secret; the token is reused for its lifetime, 24 h, and never logged).
//! Each attribute's `{"label","value","type"}` wrapper is unwrapped, and references
//! (`department`, `supervisor`, `office`, …: `{"type","attributes":{…}}`) become
//! `department.name`, `supervisor.id`, … ([`flatten_employee`]).
//!
//! Rate limits (300 reads a minute on this endpoint, bursts of 15 a second): pages are spaced
//! at least [`PAGE_SPACING`] apart, a page whose `X-RateLimit-Remaining` is 0 waits for
//! `X-RateLimit-Reset` before the next, and a 429 is waited out per `Retry-After` /
//! `X-RateLimit-Reset`. A read that ends short of `metadata.total_elements` fails, so nobody
//! is deactivated from a partial list.
//!
//! It must not: treat a withheld attribute as empty, retry after 401/403, log or return the
//! client secret or the token, or know anything about Okta.

mod flatten;
mod token;
use token::auth_message;

pub use flatten::flatten_employee;

use crate::config::{EmployeeConfig, PersonioSourceConfig, Secret};
use crate::model::Names;
use crate::source::flatten::missing_everywhere;
use crate::source::http::{self, Auth, Fetcher, RetryPolicy, Vendor, malformed};
use crate::source::pulled::PulledRecord;
use crate::source::{HrSource, Snapshot, SourceError, record};
use reqwest::header::HeaderMap;
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime};

/// Attributes requested when `[source] attributes` is empty and hrsync must name them (it
/// never does: an empty whitelist asks for every attribute the credential may read).
pub const DEFAULT_ATTRIBUTES: &[&str] = &[
    "id",
    "email",
    "first_name",
    "last_name",
    "preferred_name",
    "position",
    "department",
    "office",
    "supervisor",
    "status",
    "hire_date",
    "termination_date",
    "last_working_day",
];

/// The shortest time between two page requests: 300 a minute.
pub const PAGE_SPACING: Duration = Duration::from_millis(200);

/// Personio, for the shared fetcher.
const PERSONIO: Vendor = Vendor {
    name: "Personio",
    short: "Personio",
    rate_limit_hint: "Personio allows 300 employee reads a minute (bursts of 15 a second); run less often",
    wait: rate_limit_wait,
    auth_message,
    error_text: http::json_error_text,
};

/// The result of one read, before the shared record rules.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PersonioFetch {
    /// Every employee, in Personio's order.
    pub records: Vec<PulledRecord>,
    /// Requested attributes no employee has (not whitelisted on the credential, or a wrong
    /// name). Required ones missing everywhere fail the fetch instead.
    pub withheld: Vec<String>,
    /// Pages read.
    pub pages: usize,
}

/// The Personio source.
#[derive(Debug, Clone)]
pub struct PersonioSource {
    fetcher: Fetcher,
    base: String,
    config: PersonioSourceConfig,
    employee: EmployeeConfig,
    token: Arc<Mutex<Option<(Secret, Instant)>>>,
    spacing: Duration,
}

impl PersonioSource {
    /// A source for `[source] type = "personio"`, reading records with the `[employee]` rules.
    pub fn new(
        config: PersonioSourceConfig,
        employee: EmployeeConfig,
    ) -> Result<Self, SourceError> {
        Self::with_retry(config, employee, RetryPolicy::default())
    }

    /// As [`PersonioSource::new`], with a custom retry policy (tests use short waits).
    pub fn with_retry(
        config: PersonioSourceConfig,
        employee: EmployeeConfig,
        retry: RetryPolicy,
    ) -> Result<Self, SourceError> {
        let base = config.base_url.as_str().trim_end_matches('/').to_owned();
        let fetcher = Fetcher::new(
            PERSONIO,
            &base,
            config.request_timeout,
            retry,
            config.max_response_bytes,
        )?;
        Ok(Self {
            fetcher,
            base,
            config,
            employee,
            token: Arc::default(),
            spacing: PAGE_SPACING,
        })
    }

    /// The attribute names sent as `attributes[]`: none when `[source] attributes` is empty
    /// (every attribute the credential may read); else those plus the top-level attribute of
    /// every field `[employee]` reads (`supervisor` for `supervisor.id`), sorted.
    pub fn requested_attributes(&self) -> Vec<String> {
        if self.config.attributes.is_empty() {
            return Vec::new();
        }
        let mut names: BTreeSet<String> = self.config.attributes.iter().cloned().collect();
        names.extend(self.employee_fields().iter().map(|f| top(f).to_owned()));
        names.into_iter().collect()
    }

    fn employee_fields(&self) -> Vec<String> {
        let e = &self.employee;
        let mut fields = vec![e.id.clone(), e.status.field.clone()];
        fields.extend(e.start_date.iter().cloned());
        fields.extend(e.termination_date.iter().cloned());
        fields.extend(e.timezone.field.iter().cloned());
        fields.extend(e.manager.iter().cloned());
        fields
    }

    /// Reads every page; fails when a required field is withheld for everyone, when the
    /// pages end short of `total_elements`, and on any HTTP failure.
    pub async fn fetch_records(&self) -> Result<PersonioFetch, SourceError> {
        let (token, cached) = self.token().await?;
        match self.read_pages(Auth::Bearer(token)).await {
            // A cached token refused before its time: one new token, one more try. A fresh
            // token refused is final (no loop against the auth endpoint).
            Err(SourceError::Auth { .. }) if cached => {
                tracing::info!("Personio refused the cached token; asking for a new one");
                self.forget_token();
                let (token, _) = self.token().await?;
                self.read_pages(Auth::Bearer(token)).await
            }
            other => other,
        }
    }

    async fn read_pages(&self, auth: Auth) -> Result<PersonioFetch, SourceError> {
        let url = self.employees_url();
        let attributes = self.requested_attributes();
        let limit = self.config.page_size.clamp(1, 100);
        let mut flattened = Vec::new();
        let mut total: Option<usize> = None;
        let mut pages = 0;
        let mut pause = Duration::ZERO;
        loop {
            tokio::time::sleep(pause.max(if pages == 0 {
                Duration::ZERO
            } else {
                self.spacing
            }))
            .await;
            let offset = flattened.len();
            let mut query: Vec<(String, String)> = vec![
                ("limit".to_owned(), limit.to_string()),
                ("offset".to_owned(), offset.to_string()),
            ];
            query.extend(
                attributes
                    .iter()
                    .map(|a| ("attributes[]".to_owned(), a.clone())),
            );
            let fetched = self
                .fetcher
                .send(&url, &auth, |http| http.get(&url).query(&query))
                .await?;
            pages += 1;
            pause = self.pause_after(&fetched.headers)?;
            let page =
                http::decode_json(&url, self.fetcher.vendor(), &fetched.headers, &fetched.body)?;
            if page.get("success") == Some(&Value::Bool(false)) {
                return Err(malformed(&url, "Personio answered success: false"));
            }
            let Some(data) = page.get("data").and_then(Value::as_array) else {
                return Err(malformed(&url, "the page has no \"data\" array"));
            };
            if let Some(n) = page
                .get("metadata")
                .and_then(|m| m.get("total_elements"))
                .and_then(Value::as_u64)
            {
                total = Some(n as usize);
            }
            for (index, item) in data.iter().enumerate() {
                let Some(attrs) = item.get("attributes").and_then(Value::as_object) else {
                    return Err(malformed(
                        &url,
                        &format!(
                            "employee #{} has no \"attributes\" object",
                            offset + index + 1
                        ),
                    ));
                };
                flattened.push(flatten_employee(attrs));
                if flattened.len() > self.employee.max_records {
                    return Err(record::too_many_records(&url, self.employee.max_records));
                }
            }
            let done = match total {
                Some(total) => flattened.len() >= total || data.is_empty(),
                None => data.len() < limit,
            };
            if done {
                break;
            }
        }
        if let Some(total) = total
            && flattened.len() < total
        {
            return Err(malformed(
                &url,
                &format!(
                    "Personio said {total} employees but the pages held {}; a partial list is never used (nobody is deactivated from it), the next run tries again",
                    flattened.len()
                ),
            ));
        }
        let required = self.required_fields();
        if let Some(field) =
            missing_everywhere(&flattened, required.iter().map(String::as_str)).first()
        {
            return Err(SourceError::MissingField {
                location: url.clone(),
                field: (*field).to_owned(),
                message: format!(
                    "Personio returned no employee with it; Personio leaves out attributes the API credential is not allowed to read: add {} to the credential's readable attributes (Settings > Integrations > API credentials), or fix the field in [employee]",
                    top(field)
                ),
            });
        }
        let mut wanted: Vec<String> = if attributes.is_empty() {
            Vec::new()
        } else {
            attributes.clone()
        };
        wanted.extend(self.employee_fields());
        wanted.sort();
        wanted.dedup();
        let withheld: Vec<String> =
            missing_everywhere(&flattened, wanted.iter().map(String::as_str))
                .into_iter()
                .map(str::to_owned)
                .collect();
        for field in &withheld {
            tracing::warn!(
                field = field.as_str(),
                employees = flattened.len(),
                "Personio returned this attribute for no employee (not readable by the credential, or a wrong name)"
            );
        }
        let records = flattened
            .into_iter()
            .enumerate()
            .map(|(index, raw)| {
                let fields: BTreeMap<String, String> =
                    raw.into_iter().map(|(k, v)| (k, v.into_text())).collect();
                let origin = match fields.get(&self.employee.id) {
                    Some(id) => format!("personio:{id}"),
                    None => format!("personio:#{}", index + 1),
                };
                PulledRecord { origin, fields }
            })
            .collect();
        Ok(PersonioFetch {
            records,
            withheld,
            pages,
        })
    }

    /// The wait before the next page when this one used up the rate limit; an error when the
    /// reset is further than hrsync waits.
    fn pause_after(&self, headers: &HeaderMap) -> Result<Duration, SourceError> {
        let remaining = headers
            .get("x-ratelimit-remaining")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.trim().parse::<u64>().ok());
        if remaining != Some(0) {
            return Ok(Duration::ZERO);
        }
        let wait = http::rate_limit_reset(headers, "x-ratelimit-reset", SystemTime::now())
            .unwrap_or(Duration::from_secs(1));
        tracing::info!(
            wait_ms = wait.as_millis() as u64,
            "Personio rate limit used up, pausing"
        );
        Ok(wait.min(Duration::from_secs(65)))
    }

    fn required_fields(&self) -> Vec<String> {
        let e = &self.employee;
        [
            Some(e.id.clone()),
            Some(e.status.field.clone()),
            e.start_date.clone(),
        ]
        .into_iter()
        .flatten()
        .collect()
    }

    fn employees_url(&self) -> String {
        format!("{}/v1/company/employees", self.base)
    }

    /// A short description for logs and `hrsync check` (no credentials).
    pub fn describe(&self) -> String {
        format!("Personio {}", self.base)
    }

    /// The same source with `spacing` between pages (tests use none).
    pub fn with_page_spacing(mut self, spacing: Duration) -> Self {
        self.spacing = spacing;
        self
    }
}

impl HrSource for PersonioSource {
    /// Every page, then every record through the shared [`record::build_employee`] rules.
    async fn fetch(&self) -> Result<Snapshot, SourceError> {
        let fetched = self.fetch_records().await?;
        let mut keys = Names::default();
        let built = fetched
            .records
            .into_iter()
            .map(|r| record::build_employee(r.fields, r.origin, &self.employee, &mut keys))
            .collect();
        record::finish(built, &keys, &self.employee, &self.employees_url())
    }

    fn describe(&self) -> String {
        PersonioSource::describe(self)
    }
}

/// The attribute a field path lies in: `supervisor.id` → `supervisor`.
fn top(path: &str) -> &str {
    path.split('.').next().unwrap_or(path)
}

/// How long Personio asks us to wait: `Retry-After`, else `X-RateLimit-Reset`, else 2 s
/// (Personio asks for at least one second).
pub fn rate_limit_wait(headers: &HeaderMap, now: SystemTime) -> Duration {
    http::retry_after(headers, now)
        .or_else(|| http::rate_limit_reset(headers, "x-ratelimit-reset", now))
        .unwrap_or(Duration::from_secs(2))
        .max(Duration::from_secs(1))
}

#[cfg(test)]
mod tests;
