//! bob webhooks (v2): signature verification, event parsing and delivery keys. The HTTP route,
//! the duplicate memory and the debounced trigger belong to the daemon; this module only
//! answers "is this request really from bob?", "which employee is it about?" and "which
//! delivery is it?". It must not log or return the secret, the expected signature, or the body.

use crate::config::Secret;
use crate::model::EmployeeId;
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use hmac::{Hmac, KeyInit, Mac};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256, Sha512};

/// The header bob signs its webhook requests with.
pub const SIGNATURE_HEADER: &str = "Bob-Signature";

/// True when `header` (the `Bob-Signature` value) is the Base64 HMAC-SHA512 of the raw `body`
/// keyed with the webhook `secret`. Unsigned requests, malformed Base64 and wrong signatures
/// are all simply `false`; the comparison is constant-time.
pub fn verify_signature(secret: &Secret, body: &[u8], header: Option<&str>) -> bool {
    let Some(header) = header.map(str::trim).filter(|h| !h.is_empty()) else {
        return false;
    };
    let Ok(signature) = STANDARD.decode(header) else {
        return false;
    };
    let Ok(mut mac) = Hmac::<Sha512>::new_from_slice(secret.expose().as_bytes()) else {
        return false;
    };
    mac.update(body);
    mac.verify_slice(&signature).is_ok()
}

/// The key that identifies one delivery, for dropping duplicates: the SHA-256 of the raw body.
/// bob's v2 envelope carries no event id (`companyId`, `type`, `triggeredBy`, `triggeredAt`
/// to the microsecond, `version`, `data`), and a retry or a replay resends the same bytes, so
/// the body itself identifies the delivery.
pub fn delivery_key(body: &[u8]) -> [u8; 32] {
    Sha256::digest(body).into()
}

/// What a bob webhook says happened.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum BobEventKind {
    /// bob's connection test (`Ping test`), sent when a webhook is set up.
    Ping,
    /// `employee.created`.
    EmployeeCreated,
    /// `employee.updated`.
    EmployeeUpdated,
    /// `employee.joined`: access granted on the start date.
    EmployeeJoined,
    /// `employee.left`: terminated or garden leave.
    EmployeeLeft,
    /// `employee.activated`.
    EmployeeActivated,
    /// `employee.inactivated`: on leave or terminated.
    EmployeeInactivated,
    /// `employee.deleted`: the record is gone.
    EmployeeDeleted,
    /// `table.entry.created` / `table.entry.updated` (lifecycle, work, … tables).
    TableEntry,
    /// Any other type, named as bob sent it.
    Other(String),
}

impl BobEventKind {
    fn from_type(kind: &str) -> Self {
        match kind {
            "employee.created" => Self::EmployeeCreated,
            "employee.updated" => Self::EmployeeUpdated,
            "employee.joined" => Self::EmployeeJoined,
            "employee.left" => Self::EmployeeLeft,
            "employee.activated" => Self::EmployeeActivated,
            "employee.inactivated" => Self::EmployeeInactivated,
            "employee.deleted" => Self::EmployeeDeleted,
            "table.entry.created" | "table.entry.updated" => Self::TableEntry,
            other => Self::Other(other.to_owned()),
        }
    }
}

/// A parsed bob webhook: a hint that something changed, never data to provision from (the
/// run re-reads bob).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BobEvent {
    /// What happened.
    pub kind: BobEventKind,
    /// The employee concerned (`data.employeeId`), if the payload names one.
    pub employee_id: Option<EmployeeId>,
    /// When bob says it happened (bob's zone-less timestamp, as sent).
    pub triggered_at: Option<String>,
}

impl BobEvent {
    /// True when the event can change what should be in Okta, so a run should follow.
    pub fn should_trigger_run(&self) -> bool {
        !matches!(self.kind, BobEventKind::Ping | BobEventKind::Other(_))
    }
}

/// Why a webhook body could not be understood.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum WebhookError {
    /// Not JSON, or not a bob event envelope.
    #[error("not a bob webhook event: {0}")]
    Malformed(String),
}

#[derive(Deserialize)]
struct Envelope {
    #[serde(rename = "type")]
    kind: Option<String>,
    #[serde(rename = "triggeredAt")]
    triggered_at: Option<String>,
    data: Option<serde_json::Value>,
    text: Option<String>,
}

/// Parses a webhook body (after [`verify_signature`] accepted it). bob's connection test
/// (`Ping test`, as plain text or `{"text":"Ping test"}`) is [`BobEventKind::Ping`].
pub fn parse_event(body: &[u8]) -> Result<BobEvent, WebhookError> {
    if body.trim_ascii().eq_ignore_ascii_case(b"ping test") {
        return Ok(ping());
    }
    let envelope: Envelope =
        serde_json::from_slice(body).map_err(|e| WebhookError::Malformed(e.to_string()))?;
    let Some(kind) = envelope.kind else {
        if envelope
            .text
            .is_some_and(|t| t.trim().eq_ignore_ascii_case("ping test"))
        {
            return Ok(ping());
        }
        return Err(WebhookError::Malformed("no \"type\"".to_owned()));
    };
    let employee_id = match envelope.data.as_ref().and_then(|d| d.get("employeeId")) {
        None | Some(serde_json::Value::Null) => None,
        Some(serde_json::Value::String(s)) => Some(parse_id(s)?),
        Some(serde_json::Value::Number(n)) => Some(parse_id(&crate::model::number_text(n))?),
        Some(other) => {
            return Err(WebhookError::Malformed(format!(
                "data.employeeId is not an id: {other}"
            )));
        }
    };
    Ok(BobEvent {
        kind: BobEventKind::from_type(&kind),
        employee_id,
        triggered_at: envelope.triggered_at,
    })
}

fn ping() -> BobEvent {
    BobEvent {
        kind: BobEventKind::Ping,
        employee_id: None,
        triggered_at: None,
    }
}

fn parse_id(s: &str) -> Result<EmployeeId, WebhookError> {
    EmployeeId::parse(s).map_err(|e| WebhookError::Malformed(format!("data.employeeId {e}")))
}

#[cfg(test)]
mod tests;
