//! BambooHR webhooks: signature verification with a replay window, and event parsing. The
//! HTTP route, the duplicate memory and the debounced trigger belong to the daemon. It must
//! not log or return the private key, the expected signature, or the body.
//!
//! BambooHR signs each delivery with the webhook's private key: `X-BambooHR-Signature` is the
//! hex HMAC-SHA256 of the raw body followed by the `X-BambooHR-Timestamp` value. The
//! timestamp (Unix seconds, or an RFC 3339 date-time) must be within the replay window of
//! now, so a captured delivery cannot be replayed later.

use crate::config::Secret;
use crate::model::EmployeeId;
use hmac::{Hmac, KeyInit, Mac};
use serde::Serialize;
use sha2::Sha256;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// The header with the signature.
pub const SIGNATURE_HEADER: &str = "X-BambooHR-Signature";
/// The header with the signing time.
pub const TIMESTAMP_HEADER: &str = "X-BambooHR-Timestamp";

/// Why a delivery was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum WebhookRefusal {
    /// No signature or timestamp header.
    #[error("unsigned: no {SIGNATURE_HEADER} or {TIMESTAMP_HEADER}")]
    Unsigned,
    /// The signature does not match (wrong key, or a changed body or timestamp).
    #[error("wrong {SIGNATURE_HEADER}")]
    BadSignature,
    /// The timestamp is unreadable or outside the replay window.
    #[error("{TIMESTAMP_HEADER} is unreadable or further than {0} s from now (a replay?)")]
    Stale(u64),
}

/// Checks a delivery: a valid hex HMAC-SHA256 of `body` + `timestamp` keyed with `secret`,
/// and a timestamp within `max_age` of `now` (either side). The comparison is constant-time.
pub fn verify_signature(
    secret: &Secret,
    body: &[u8],
    timestamp: Option<&str>,
    signature: Option<&str>,
    now: SystemTime,
    max_age: Duration,
) -> Result<(), WebhookRefusal> {
    let (Some(timestamp), Some(signature)) = (
        timestamp.map(str::trim).filter(|t| !t.is_empty()),
        signature.map(str::trim).filter(|s| !s.is_empty()),
    ) else {
        return Err(WebhookRefusal::Unsigned);
    };
    let signature = signature.strip_prefix("sha256=").unwrap_or(signature);
    let Some(expected) = hex_decode(signature) else {
        return Err(WebhookRefusal::BadSignature);
    };
    let Ok(mut mac) = Hmac::<Sha256>::new_from_slice(secret.expose().as_bytes()) else {
        return Err(WebhookRefusal::BadSignature);
    };
    mac.update(body);
    mac.update(timestamp.as_bytes());
    mac.verify_slice(&expected)
        .map_err(|_| WebhookRefusal::BadSignature)?;
    let at = signed_at(timestamp).ok_or(WebhookRefusal::Stale(max_age.as_secs()))?;
    let skew = match now.duration_since(at) {
        Ok(d) => d,
        Err(e) => e.duration(),
    };
    if skew > max_age {
        return Err(WebhookRefusal::Stale(max_age.as_secs()));
    }
    Ok(())
}

/// The signing time: Unix seconds (or milliseconds), or an RFC 3339 date-time.
fn signed_at(text: &str) -> Option<SystemTime> {
    if let Ok(n) = text.parse::<u64>() {
        let secs = if n > 100_000_000_000 { n / 1000 } else { n };
        return UNIX_EPOCH.checked_add(Duration::from_secs(secs));
    }
    let at = chrono::DateTime::parse_from_rfc3339(text).ok()?;
    Some(SystemTime::from(at.with_timezone(&chrono::Utc)))
}

fn hex_decode(text: &str) -> Option<Vec<u8>> {
    if !text.len().is_multiple_of(2) {
        return None;
    }
    (0..text.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(text.get(i..i + 2)?, 16).ok())
        .collect()
}

/// A parsed BambooHR webhook: a hint that something changed, never data to provision from
/// (the run reads the report again).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BambooEvent {
    /// The event type (`employee.created`, `employee.updated`, `employee.deleted`), or
    /// `employees` for the older field-list payload.
    pub kind: String,
    /// The employees concerned, as far as the payload names them.
    pub employee_ids: Vec<EmployeeId>,
}

impl BambooEvent {
    /// True when the event can change what should be in Okta, so a run should follow.
    pub fn should_trigger_run(&self) -> bool {
        self.kind.starts_with("employee")
    }
}

/// Parses a verified body: the event payload
/// `{"type","timestamp","data":{"companyId","employeeId","changedFields"}}`, or the older
/// `{"employees":[{"id", "changedFields", "fields"}]}`.
pub fn parse_event(body: &[u8]) -> Result<BambooEvent, String> {
    let value: serde_json::Value = serde_json::from_slice(body).map_err(|e| e.to_string())?;
    let id_of = |v: &serde_json::Value| -> Option<EmployeeId> {
        let text = match v {
            serde_json::Value::String(s) => s.clone(),
            serde_json::Value::Number(n) => crate::model::number_text(n),
            _ => return None,
        };
        EmployeeId::parse(&text).ok()
    };
    if let Some(kind) = value.get("type").and_then(|t| t.as_str()) {
        let employee_ids = value
            .get("data")
            .and_then(|d| d.get("employeeId"))
            .and_then(id_of)
            .into_iter()
            .collect();
        return Ok(BambooEvent {
            kind: kind.to_owned(),
            employee_ids,
        });
    }
    if let Some(employees) = value.get("employees").and_then(|e| e.as_array()) {
        return Ok(BambooEvent {
            kind: "employees".to_owned(),
            employee_ids: employees
                .iter()
                .filter_map(|e| e.get("id").and_then(id_of))
                .collect(),
        });
    }
    Err("neither a \"type\" nor an \"employees\" list".to_owned())
}

#[cfg(test)]
mod tests;
