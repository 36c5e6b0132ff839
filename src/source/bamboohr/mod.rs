//! The BambooHR source: reads every employee, future hires and leavers included, with one
//! custom report (`POST /v1/reports/custom?format=JSON&onlyCurrent=false`, every status) of
//! the configured field aliases, with the API key as the basic-auth user (password `x`).
//! 429 and 503 are waited out per `Retry-After` (BambooHR's rate-limit signal, 503 before
//! September 2026 and 429 after); 401/403 stop at once. Also webhook signature verification
//! and event parsing ([`verify_signature`], [`parse_event`]).
//!
//! Lifecycle: BambooHR's `status` says only Active/Inactive; the current employment status
//! (`employmentHistoryStatus`: Full-Time, Terminated, Leave of Absence, … per account) says
//! more. The source adds one derived field, [`LIFECYCLE_FIELD`] (`lifecycle`): `Inactive` when
//! `status` is Inactive, else the employment status, else `Active`; `[employee] phase` maps
//! its values to phases. `hireDate` and `terminationDate` are the start and leaving dates
//! (BambooHR's empty date `0000-00-00` is absent), so a future hire is a pre-hire by date.
//!
//! It must not: treat a withheld field as empty, retry after 401/403, log or return the API
//! key, or know anything about Okta.

mod webhook;

pub use webhook::{
    BambooEvent, SIGNATURE_HEADER, TIMESTAMP_HEADER, WebhookRefusal, parse_event, verify_signature,
};

use crate::config::{BambooHrSourceConfig, EmployeeConfig, Secret};
use crate::model::Names;
use crate::source::flatten::{RawValue, flatten_into, missing_everywhere};
use crate::source::http::{self, Auth, Fetcher, RetryPolicy, Vendor, malformed};
use crate::source::pulled::{Pulled, PulledRecord};
use crate::source::{HrSource, Snapshot, SourceError, record};
use reqwest::StatusCode;
use reqwest::header::HeaderMap;
use std::collections::{BTreeMap, BTreeSet};
use std::time::{Duration, SystemTime};

/// The derived field combining `status` and `employmentHistoryStatus` (see the module doc).
pub const LIFECYCLE_FIELD: &str = "lifecycle";

/// Field aliases requested when `[source] fields` is empty: what Okta's own BambooHR
/// integration maps, plus status, employment status and dates.
pub const DEFAULT_FIELDS: &[&str] = &[
    "id",
    "employeeNumber",
    "workEmail",
    "firstName",
    "lastName",
    "preferredName",
    "displayName",
    "jobTitle",
    "department",
    "division",
    "location",
    "workPhone",
    "mobilePhone",
    "supervisorEId",
    "hireDate",
    "terminationDate",
    "status",
    "employmentHistoryStatus",
];

/// BambooHR, for the shared fetcher.
const BAMBOO: Vendor = Vendor {
    name: "BambooHR",
    short: "BambooHR",
    rate_limit_hint: "BambooHR asks clients to slow down with 429/503 and Retry-After; run less often",
    wait: rate_limit_wait,
    auth_message,
    error_text,
};

/// The BambooHR source.
#[derive(Debug, Clone)]
pub struct BambooHrSource {
    fetcher: Fetcher,
    auth: Auth,
    report_url: String,
    config: BambooHrSourceConfig,
    employee: EmployeeConfig,
}

impl BambooHrSource {
    /// A source for `[source] type = "bamboohr"`, reading records with the `[employee]` rules.
    pub fn new(
        config: BambooHrSourceConfig,
        employee: EmployeeConfig,
    ) -> Result<Self, SourceError> {
        Self::with_retry(config, employee, RetryPolicy::default())
    }

    /// As [`BambooHrSource::new`], with a custom retry policy (tests use short waits).
    pub fn with_retry(
        config: BambooHrSourceConfig,
        employee: EmployeeConfig,
        retry: RetryPolicy,
    ) -> Result<Self, SourceError> {
        let base = config.base_url.as_str().trim_end_matches('/');
        let report_url = format!(
            "{base}/{}/v1/reports/custom?format=JSON&onlyCurrent=false",
            config.company_domain.trim()
        );
        let fetcher = Fetcher::new(
            BAMBOO,
            &report_url,
            config.request_timeout,
            retry,
            config.max_response_bytes,
        )?;
        let auth = Auth::Basic {
            user: config.api_key.clone(),
            password: Secret::new("x"),
        };
        Ok(Self {
            fetcher,
            auth,
            report_url,
            config,
            employee,
        })
    }

    /// The field aliases sent in the report: the configured ones (or [`DEFAULT_FIELDS`]), plus
    /// every field `[employee]` reads (for [`LIFECYCLE_FIELD`], `status` and
    /// `employmentHistoryStatus`), sorted, without duplicates.
    pub fn requested_fields(&self) -> Vec<String> {
        let mut fields: BTreeSet<String> = if self.config.fields.is_empty() {
            DEFAULT_FIELDS.iter().map(|f| (*f).to_owned()).collect()
        } else {
            self.config.fields.iter().cloned().collect()
        };
        let e = &self.employee;
        fields.insert(e.id.clone());
        fields.insert(e.status.field.clone());
        fields.extend(e.start_date.iter().cloned());
        fields.extend(e.termination_date.iter().cloned());
        fields.extend(e.timezone.field.iter().cloned());
        fields.extend(e.manager.iter().cloned());
        if fields.remove(LIFECYCLE_FIELD) {
            fields.insert("status".to_owned());
            fields.insert("employmentHistoryStatus".to_owned());
        }
        fields.into_iter().collect()
    }

    /// The fields no record can do without, as BambooHR names them: the id, the status (for
    /// [`LIFECYCLE_FIELD`]: `status`) and the start date.
    fn required_fields(&self) -> Vec<String> {
        let e = &self.employee;
        let status = if e.status.field == LIFECYCLE_FIELD {
            "status".to_owned()
        } else {
            e.status.field.clone()
        };
        [Some(e.id.clone()), Some(status), e.start_date.clone()]
            .into_iter()
            .flatten()
            .collect()
    }

    /// Runs the report; fails when a required field is withheld for everyone, and on any
    /// HTTP failure.
    pub async fn fetch_records(&self) -> Result<Pulled, SourceError> {
        let fields = self.requested_fields();
        let url = &self.report_url;
        let body = serde_json::json!({ "title": "hrsync", "fields": fields });
        let answer = self
            .fetcher
            .send_json(url, &self.auth, |http| http.post(url).json(&body))
            .await?;
        let Some(employees) = answer.get("employees").and_then(|e| e.as_array()) else {
            return Err(malformed(url, "the report has no \"employees\" array"));
        };
        if employees.len() > self.employee.max_records {
            return Err(record::too_many_records(url, self.employee.max_records));
        }
        let mut flattened = Vec::with_capacity(employees.len());
        for (index, employee) in employees.iter().enumerate() {
            let Some(object) = employee.as_object() else {
                return Err(malformed(
                    url,
                    &format!("employee #{} is not a JSON object", index + 1),
                ));
            };
            let mut raw = BTreeMap::new();
            for (key, value) in object {
                flatten_into(&mut raw, key.clone(), value, 0);
            }
            // BambooHR's empty date.
            raw.retain(|_, v| !matches!(v, RawValue::One(s) if s.trim() == "0000-00-00"));
            flattened.push(raw);
        }
        let required = self.required_fields();
        if let Some(field) =
            missing_everywhere(&flattened, required.iter().map(String::as_str)).first()
        {
            return Err(SourceError::MissingField {
                location: url.clone(),
                field: (*field).to_owned(),
                message: format!(
                    "BambooHR returned no employee with it; a custom report leaves out fields the API key's user may not see: give that user access to {field} (for all employees, inactive ones included), or fix the field alias in [employee]"
                ),
            });
        }
        let withheld: Vec<String> =
            missing_everywhere(&flattened, fields.iter().map(String::as_str))
                .into_iter()
                .map(str::to_owned)
                .collect();
        for field in &withheld {
            tracing::warn!(
                field = field.as_str(),
                employees = flattened.len(),
                "BambooHR returned this field for no employee (missing access, or a wrong alias)"
            );
        }
        let records = flattened
            .into_iter()
            .enumerate()
            .map(|(index, raw)| {
                let mut fields: BTreeMap<String, String> =
                    raw.into_iter().map(|(k, v)| (k, v.into_text())).collect();
                if let Some(lifecycle) = lifecycle(&fields) {
                    fields.insert(LIFECYCLE_FIELD.to_owned(), lifecycle);
                }
                let origin = match fields.get(&self.employee.id) {
                    Some(id) => format!("bamboohr:{id}"),
                    None => format!("bamboohr:#{}", index + 1),
                };
                PulledRecord { origin, fields }
            })
            .collect();
        Ok(Pulled { records, withheld })
    }

    /// A short description for logs and `hrsync check` (no credentials).
    pub fn describe(&self) -> String {
        format!(
            "BambooHR {}/{}",
            self.config.base_url.as_str().trim_end_matches('/'),
            self.config.company_domain.trim()
        )
    }
}

impl HrSource for BambooHrSource {
    /// One report, then every record through the shared [`record::build_employee`] rules.
    async fn fetch(&self) -> Result<Snapshot, SourceError> {
        let fetched = self.fetch_records().await?;
        let mut keys = Names::default();
        let built = fetched
            .records
            .into_iter()
            .map(|r| record::build_employee(r.fields, r.origin, &self.employee, &mut keys))
            .collect();
        record::finish(built, &keys, &self.employee, &self.report_url)
    }

    fn describe(&self) -> String {
        BambooHrSource::describe(self)
    }
}

/// [`LIFECYCLE_FIELD`] of one record: `Inactive` when `status` is Inactive (BambooHR has
/// closed the account, whatever the employment status says), else the current employment
/// status, else `Active` for an active record; nothing without a status.
pub fn lifecycle(fields: &BTreeMap<String, String>) -> Option<String> {
    let status = fields.get("status").map(|s| s.trim())?;
    if status.eq_ignore_ascii_case("inactive") {
        return Some("Inactive".to_owned());
    }
    match fields.get("employmentHistoryStatus").map(|s| s.trim()) {
        Some(employment) if !employment.is_empty() => Some(employment.to_owned()),
        _ => Some(status.to_owned()),
    }
}

/// How long BambooHR asks us to wait: `Retry-After` (seconds or an HTTP-date), else 5 s.
pub fn rate_limit_wait(headers: &HeaderMap, now: SystemTime) -> Duration {
    http::retry_after(headers, now).unwrap_or(Duration::from_secs(5))
}

/// BambooHR's error text: the `X-BambooHR-Error-Message` header, else a JSON `error`.
fn error_text(headers: &HeaderMap, body: &str) -> Option<String> {
    headers
        .get("x-bamboohr-error-message")
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned)
        .or_else(|| http::json_error_text(headers, body))
}

fn auth_message(status: StatusCode, detail: &str) -> String {
    if status == StatusCode::UNAUTHORIZED {
        format!(
            "BambooHR refused the API key (HTTP 401{detail}); check [source] api_key and company_domain (a key belongs to one company and stops working when its user is disabled). hrsync does not retry"
        )
    } else {
        format!(
            "the API key's user may not run this report (HTTP 403{detail}); give that BambooHR user access to the reported fields of all employees (an admin or a custom access level with \"view\" on them). hrsync does not retry"
        )
    }
}

#[cfg(test)]
mod tests;
