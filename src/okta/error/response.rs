//! How a non-2xx answer from Okta becomes an [`Error`]: its error body (`errorCode`, the
//! summary and the causes), an OAuth challenge in `WWW-Authenticate` (a missing scope, a
//! refused token), and advice for the permission errors an operator can fix. Reads only the
//! answer; never the request's credentials.

use super::Error;

/// Okta's error body; only `errorCode` is a stable contract.
#[derive(Debug, Default, serde::Deserialize)]
#[serde(rename_all = "camelCase", default)]
struct ErrorBody {
    error_code: Option<String>,
    error_summary: Option<String>,
    error_causes: Vec<ErrorCause>,
}

#[derive(Debug, Default, serde::Deserialize)]
#[serde(rename_all = "camelCase", default)]
struct ErrorCause {
    error_summary: String,
}

/// Builds the error for a non-2xx answer. `www_authenticate` is that header (OAuth scope and
/// token errors come without a body), `operation` names what was attempted
/// (`create users`), for the advice on permission errors.
pub(crate) fn from_response(
    status: u16,
    www_authenticate: Option<&str>,
    request_id: Option<String>,
    body: &[u8],
    operation: &str,
) -> Error {
    if let Some(scope) = www_authenticate.and_then(insufficient_scope) {
        return Error::InsufficientScope { scope, request_id };
    }
    let parsed: ErrorBody = serde_json::from_slice(body).unwrap_or_default();
    let summary = parsed
        .error_summary
        .or_else(|| www_authenticate.and_then(|h| auth_param(h, "error_description")))
        .unwrap_or_else(|| format!("HTTP {status} without an Okta error body"));
    let code = parsed.error_code;
    if let Some(advice) = permission_advice(status, code.as_deref(), operation) {
        return Error::Permission {
            status,
            code: code.unwrap_or_else(|| "(no code)".to_owned()),
            summary,
            advice,
            request_id,
        };
    }
    Error::Api {
        status,
        code,
        summary,
        causes: parsed
            .error_causes
            .into_iter()
            .map(|c| c.error_summary)
            .collect(),
        request_id,
    }
}

fn permission_advice(status: u16, code: Option<&str>, operation: &str) -> Option<String> {
    match (status, code) {
        (401, _) => Some(
            "Okta refused the credentials: the API token is invalid, expired (30 days unused) \
             or revoked, or the OAuth access token was rejected; issue a new token"
                .to_owned(),
        ),
        (403, Some("E0000006")) if operation.contains("schema") => Some(format!(
            "the credentials may not {operation}: only a Super or Org Administrator holds \
             \"Manage Profile Editor\"; give the service account one of those roles (SSWS token), \
             or grant the okta.schemas.manage scope (OAuth), or add the attributes in Okta's \
             Profile Editor"
        )),
        (403, Some("E0000006")) => Some(format!(
            "the credentials may not {operation}: the service account's admin role lacks this \
             permission; assign a role that can manage users (e.g. Organization Administrator, \
             or a custom role with the users' edit and lifecycle permissions)"
        )),
        (403, Some("E0000005")) => Some(
            "Okta did not accept the Authorization header (E0000005 Invalid session); check the \
             token type (SSWS token vs OAuth) in [okta]"
                .to_owned(),
        ),
        _ => None,
    }
}

/// The missing scope of a `WWW-Authenticate: Bearer error="insufficient_scope", scope="…"`.
fn insufficient_scope(header: &str) -> Option<String> {
    let error = auth_param(header, "error")?;
    if error != "insufficient_scope" {
        return None;
    }
    Some(auth_param(header, "scope").unwrap_or_else(|| "(not named by Okta)".to_owned()))
}

/// One `name="value"` parameter of a `WWW-Authenticate` challenge.
fn auth_param(header: &str, name: &str) -> Option<String> {
    let mut rest = header;
    while let Some(pos) = rest.find(name) {
        let before_ok = pos == 0
            || rest[..pos]
                .chars()
                .next_back()
                .is_some_and(|c| c == ' ' || c == ',');
        let after = &rest[pos + name.len()..];
        if before_ok && let Some(value) = after.trim_start().strip_prefix('=') {
            let value = value.trim_start();
            return Some(match value.strip_prefix('"') {
                Some(quoted) => quoted.split('"').next().unwrap_or_default().to_owned(),
                None => value
                    .split([',', ' '])
                    .next()
                    .unwrap_or_default()
                    .to_owned(),
            });
        }
        rest = after;
    }
    None
}
