//! The token owner's endpoints: `GET /api/v1/users/me` and `GET /api/v1/users/{id}/roles`,
//! which a client uses to check what its credentials may do. Read-only.

use super::app::App;
use super::auth::Principal;
use super::errors::{ApiError, json_ok};
use super::state::lock;
use super::users::single;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};
use serde_json::Value;

/// `GET /api/v1/users/me`: the user owning the SSWS token, when configured.
pub async fn me(State(app): State<App>) -> Response {
    let owner = lock(&app.config).token_owner_login.clone();
    let store = lock(&app.store);
    match owner.as_deref().and_then(|l| store.find(l)) {
        Some(u) => single(u, &app.base_url),
        None => ApiError::user_not_found("me").into_response(),
    }
}

fn role_label(kind: &str) -> &'static str {
    match kind {
        "SUPER_ADMIN" => "Super Administrator",
        "ORG_ADMIN" => "Organizational Administrator",
        "APP_ADMIN" => "Application Administrator",
        "USER_ADMIN" => "Group Administrator",
        "HELP_DESK_ADMIN" => "Help Desk Administrator",
        "READ_ONLY_ADMIN" => "Read Only Administrator",
        _ => "Administrator",
    }
}

/// `GET /api/v1/users/{id}/roles`: the token owner's admin roles (a read-only SSWS caller
/// sees `READ_ONLY_ADMIN`); every other user has none.
pub async fn roles(
    State(app): State<App>,
    Path(id): Path<String>,
    principal: Option<axum::Extension<Principal>>,
) -> Response {
    let config = app.config();
    let store = lock(&app.store);
    let Some(user) = store.find(&id) else {
        return ApiError::user_not_found(&id).into_response();
    };
    let owner = config
        .token_owner_login
        .as_deref()
        .and_then(|l| store.find(l))
        .is_some_and(|o| o.id == user.id);
    let read_only = matches!(
        principal.as_ref().map(|p| &p.0),
        Some(Principal::Ssws {
            read_only: true,
            ..
        })
    );
    let kinds: Vec<String> = match (owner, read_only) {
        (false, _) => Vec::new(),
        (true, true) => vec!["READ_ONLY_ADMIN".into()],
        (true, false) => config.token_owner_roles.clone(),
    };
    let base = &app.base_url;
    let list: Vec<Value> = kinds
        .iter()
        .enumerate()
        .map(|(i, k)| {
            serde_json::json!({
                "id": format!("ra1emulat0r{i:09}"),
                "label": role_label(k),
                "type": k,
                "status": "ACTIVE",
                "created": super::user::fmt_time(&user.created),
                "lastUpdated": super::user::fmt_time(&user.created),
                "assignmentType": "USER",
                "_links": { "assignee": { "href": format!("{base}/api/v1/users/{}", user.id) } },
            })
        })
        .collect();
    json_ok(&Value::Array(list))
}
