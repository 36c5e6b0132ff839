//! Lifecycle operations (`POST /api/v1/users/{id}/lifecycle/{op}`) with Okta's allowed-from
//! table and its exact wrong-status answers, including asynchronous activation
//! (`transitioningToStatus`) when configured.

use super::app::App;
use super::errors::{ApiError, json_ok};
use super::ids;
use super::state::{Store, lock};
use super::user::UserRecord;
use super::users::{flag, query_pairs};
use crate::wire::Status as UserStatus;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, Duration, Utc};
use serde_json::{Value, json};

/// The lifecycle operations the emulator implements (path segment after `lifecycle/`).
pub const OPERATIONS: [&str; 8] = [
    "activate",
    "reactivate",
    "deactivate",
    "suspend",
    "unsuspend",
    "unlock",
    "reset_password",
    "expire_password",
];

fn activation_body(user: &UserRecord, base: &str) -> Value {
    let token = ids::base62(20);
    json!({
        "activationUrl": format!("{base}/welcome/{token}"),
        "activationToken": token,
        "_links": { "self": { "href": format!("{base}/api/v1/users/{}", user.id) } },
    })
}

/// Applies `op` to the user; returns the response body on success.
#[allow(clippy::too_many_arguments)]
pub fn apply(
    store: &mut Store,
    id: &str,
    op: &str,
    send_email: Option<bool>,
    activation_delay_ms: u64,
    base: &str,
    at: DateTime<Utc>,
) -> Result<Value, ApiError> {
    let mut user = store
        .find(id)
        .cloned()
        .ok_or_else(|| ApiError::user_not_found(id))?;
    if user.transitioning_to.is_some() {
        return Err(ApiError::still_activating());
    }
    use UserStatus as S;
    let body = match (op, user.status) {
        ("activate", S::Staged | S::Deprovisioned) => {
            let target = if user.has_password {
                S::Active
            } else {
                S::Provisioned
            };
            if activation_delay_ms > 0 {
                user.transitioning_to = Some(target);
                let ms = i64::try_from(activation_delay_ms).unwrap_or(i64::MAX);
                user.pending_until = Some(
                    Duration::try_milliseconds(ms)
                        .and_then(|d| at.checked_add_signed(d))
                        .unwrap_or(DateTime::<Utc>::MAX_UTC),
                );
                user.last_updated = at;
            } else {
                user.set_status(target, at);
            }
            if send_email.unwrap_or(true) {
                json!({})
            } else {
                activation_body(&user, base)
            }
        }
        ("activate", _) => {
            return Err(ApiError::new(
                StatusCode::FORBIDDEN,
                "E0000016",
                "Activation failed because the user is already active",
            ));
        }
        ("reactivate", S::Provisioned | S::Recovery) => {
            user.set_status(S::Provisioned, at);
            if send_email.unwrap_or(false) {
                json!({})
            } else {
                activation_body(&user, base)
            }
        }
        ("reactivate", _) => {
            return Err(ApiError::new(
                StatusCode::FORBIDDEN,
                "E0000038",
                "This operation is not allowed in the user's current status.",
            ));
        }
        ("deactivate", S::Deprovisioned) => return Err(ApiError::user_not_found(id)),
        ("deactivate", _) => {
            user.set_status(S::Deprovisioned, at);
            json!({})
        }
        ("suspend", S::Active) => {
            user.set_status(S::Suspended, at);
            json!({})
        }
        ("suspend", _) => {
            return Err(ApiError::validation(
                "suspend",
                vec!["Cannot suspend a user that is not active".into()],
            ));
        }
        ("unsuspend", S::Suspended) => {
            user.set_status(S::Active, at);
            json!({})
        }
        ("unsuspend", _) => {
            return Err(ApiError::validation(
                "unsuspend",
                vec!["Cannot unsuspend a user that is not suspended".into()],
            ));
        }
        ("unlock", S::LockedOut) => {
            user.set_status(S::Active, at);
            json!({})
        }
        ("unlock", _) => {
            return Err(ApiError::new(
                StatusCode::FORBIDDEN,
                "E0000032",
                "Unlock is not allowed for this user.",
            )
            .with_causes(vec!["The user is not locked out.".into()]));
        }
        ("reset_password", S::Active | S::PasswordExpired | S::Recovery | S::LockedOut) => {
            user.set_status(S::Recovery, at);
            if send_email.unwrap_or(true) {
                json!({})
            } else {
                json!({ "resetPasswordUrl": format!("{base}/reset_password/{}", ids::base62(20)) })
            }
        }
        ("expire_password", S::Active) => {
            user.set_status(S::PasswordExpired, at);
            user.render(base, true)
        }
        ("reset_password" | "expire_password", _) => {
            return Err(ApiError::new(
                StatusCode::FORBIDDEN,
                "E0000038",
                "This operation is not allowed in the user's current status.",
            ));
        }
        _ => return Err(ApiError::no_such_path(op)),
    };
    store.put(user, at);
    Ok(body)
}

/// Runs one lifecycle operation for a request.
pub fn run(app: &App, id: &str, op: &str, raw: Option<&str>) -> Response {
    let pairs = query_pairs(raw);
    let send_email = pairs
        .iter()
        .any(|(k, _)| k == "sendEmail")
        .then(|| flag(&pairs, "sendEmail", true));
    let delay = lock(&app.config).faults.activation_delay_ms;
    let mut store = lock(&app.store);
    match apply(
        &mut store,
        id,
        op,
        send_email,
        delay,
        &app.base_url,
        app.now(),
    ) {
        Ok(body) => {
            // The user's `expire_password` body is a user; everything else is small JSON.
            json_ok(&body)
        }
        Err(e) => e.into_response(),
    }
}

#[cfg(test)]
mod tests;
