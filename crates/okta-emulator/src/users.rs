//! The user routes: list/search with cursor paging and `Link` headers, get by id or login,
//! create, partial update (POST), full replace (PUT) and delete. Behaviour follows Okta's
//! documented and observed semantics (see `docs/emulator.md`).

use super::app::App;
use super::errors::{ApiError, json_ok};
use super::profile::{self, Rules};
use super::state::lock;
use super::user::UserRecord;
use crate::wire::Status as UserStatus;
use axum::body::Bytes;
use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::{Map, Value};

/// Largest and default page size.
pub const MAX_LIMIT: usize = 200;

/// Query parameters in order, decoded.
pub fn query_pairs(raw: Option<&str>) -> Vec<(String, String)> {
    raw.map(|q| {
        url::form_urlencoded::parse(q.as_bytes())
            .into_owned()
            .collect()
    })
    .unwrap_or_default()
}

fn param<'a>(pairs: &'a [(String, String)], name: &str) -> Option<&'a str> {
    pairs
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
}

/// A boolean query parameter with a default.
pub fn flag(pairs: &[(String, String)], name: &str, default: bool) -> bool {
    match param(pairs, name) {
        Some(v) if v.eq_ignore_ascii_case("false") => false,
        Some(v) if v.eq_ignore_ascii_case("true") => true,
        _ => default,
    }
}

/// Parses a JSON object body (400 E0000003 otherwise).
pub fn json_object(body: &[u8]) -> Result<Map<String, Value>, ApiError> {
    match serde_json::from_slice::<Value>(body) {
        Ok(Value::Object(m)) => Ok(m),
        _ => Err(ApiError::malformed_body()),
    }
}

mod listing;
pub use listing::list;

/// A single user with its full links and a weak `ETag`.
pub fn single(u: &UserRecord, base: &str) -> Response {
    let mut resp = json_ok(&u.render(base, true));
    if let Ok(v) = HeaderValue::from_str(&format!("W/\"{}\"", u.last_updated.timestamp_millis())) {
        resp.headers_mut().insert(header::ETAG, v);
    }
    resp
}

/// `GET /api/v1/users/{idOrLogin}`.
pub async fn get(State(app): State<App>, Path(id): Path<String>) -> Response {
    let store = lock(&app.store);
    match store.find(&id) {
        Some(u) => single(u, &app.base_url),
        None => ApiError::user_not_found(&id).into_response(),
    }
}

/// `POST /api/v1/users?activate=&provider=&nextLogin=`.
pub async fn create(State(app): State<App>, RawQuery(raw): RawQuery, body: Bytes) -> Response {
    match create_inner(&app, raw.as_deref(), &body) {
        Ok(r) => r,
        Err(e) => e.into_response(),
    }
}

fn create_inner(app: &App, raw: Option<&str>, body: &[u8]) -> Result<Response, ApiError> {
    let pairs = query_pairs(raw);
    let mut obj = json_object(body)?;
    let activate = flag(&pairs, "activate", true);
    let next_login = param(&pairs, "nextLogin");
    let profile = match obj.remove("profile") {
        Some(Value::Object(p)) => p,
        None | Some(Value::Null) => Map::new(),
        Some(_) => return Err(ApiError::malformed_body()),
    };
    let creds = obj.get("credentials").cloned().unwrap_or(Value::Null);
    let password = creds.get("password").filter(|p| {
        p.get("value")
            .and_then(Value::as_str)
            .is_some_and(|v| !v.is_empty())
            || p.get("hash").is_some()
            || p.get("hook").is_some()
    });
    let provider = creds
        .get("provider")
        .and_then(|p| p.get("type"))
        .and_then(Value::as_str)
        .unwrap_or("OKTA")
        .to_owned();
    if let Some(groups) = obj.get("groupIds").and_then(Value::as_array)
        && groups.len() > 20
    {
        return Err(ApiError::new(
            StatusCode::BAD_REQUEST,
            "E0000093",
            "Target count limit exceeded",
        ));
    }
    if next_login == Some("changePassword") {
        if password.is_none() {
            return Err(ApiError::new(
                StatusCode::BAD_REQUEST,
                "E0000124",
                "Could not create user. To create a user and expire their password immediately, a password must be specified",
            ));
        }
        if !activate {
            return Err(ApiError::new(
                StatusCode::BAD_REQUEST,
                "E0000125",
                "Could not create user. To create a user and expire their password immediately, `activate` must be true",
            ));
        }
    }
    let login_must_be_email = lock(&app.config).login_must_be_email;
    let at = app.now();
    let mut store = lock(&app.store);
    let rules = Rules {
        schema: store.schema(),
        login_must_be_email,
    };
    profile::validate(&profile, rules, "newUser")?;
    if let Some(login) = profile.get("login").and_then(Value::as_str)
        && store.login_owner(login).is_some()
    {
        return Err(profile::duplicate("login"));
    }
    if let Some(name) = store.unique_conflict(&profile, None) {
        return Err(profile::duplicate(&name));
    }
    let mut user = UserRecord::new(profile, at);
    user.provider = provider.clone();
    user.provider_name = provider.clone();
    user.has_password = password.is_some();
    if user.has_password {
        user.password_changed = Some(at);
    }
    let status = if !activate {
        UserStatus::Staged
    } else if next_login == Some("changePassword") {
        UserStatus::PasswordExpired
    } else if user.has_password || matches!(provider.as_str(), "FEDERATION" | "SOCIAL") {
        UserStatus::Active
    } else {
        UserStatus::Provisioned
    };
    if status != UserStatus::Staged {
        user.set_status(status, at);
    }
    store.put(user.clone(), at);
    Ok(single(&user, &app.base_url))
}

/// Finds a user that may be written to: 404 for unknown or DEPROVISIONED, 409 while activating.
pub fn writable(store: &super::state::Store, id: &str) -> Result<UserRecord, ApiError> {
    let user = store.find(id).ok_or_else(|| ApiError::user_not_found(id))?;
    if user.status == UserStatus::Deprovisioned {
        return Err(ApiError::user_not_found(id));
    }
    if user.transitioning_to.is_some() {
        return Err(ApiError::still_activating());
    }
    Ok(user.clone())
}

/// `POST /api/v1/users/{id}` (partial update) and `PUT /api/v1/users/{id}` (replace).
fn update_inner(app: &App, id: &str, body: &[u8], replace: bool) -> Result<Response, ApiError> {
    let mut obj = json_object(body)?;
    let (login_must_be_email, all_mastered) = {
        let config = lock(&app.config);
        (
            config.login_must_be_email,
            config.faults.profiles_mastered_elsewhere,
        )
    };
    let at = app.now();
    let mut store = lock(&app.store);
    let mut user = writable(&store, id)?;
    let changes = match obj.remove("profile") {
        Some(Value::Object(p)) => Some(p),
        None | Some(Value::Null) => None,
        Some(_) => return Err(ApiError::malformed_body()),
    };
    let sourced = matches!(
        user.provider.as_str(),
        "ACTIVE_DIRECTORY" | "LDAP" | "IMPORT"
    );
    if changes.is_some() && (sourced || all_mastered) {
        return Err(ApiError::mastered_elsewhere());
    }
    if replace {
        user.profile = changes.unwrap_or_default();
    } else if let Some(changes) = changes {
        for (k, v) in changes {
            user.profile.insert(k, v);
        }
    }
    let rules = Rules {
        schema: store.schema(),
        login_must_be_email,
    };
    profile::validate(&user.profile, rules, "user")?;
    if let Some(login) = user.login()
        && store
            .login_owner(login)
            .is_some_and(|owner| owner != user.id)
    {
        return Err(profile::duplicate("login"));
    }
    if let Some(name) = store.unique_conflict(&user.profile, Some(&user.id)) {
        return Err(profile::duplicate(&name));
    }
    if obj
        .get("credentials")
        .and_then(|c| c.get("password"))
        .and_then(|p| p.get("value"))
        .and_then(Value::as_str)
        .is_some_and(|v| !v.is_empty())
    {
        user.has_password = true;
        user.password_changed = Some(at);
    }
    user.last_updated = at;
    store.put(user.clone(), at);
    Ok(single(&user, &app.base_url))
}

/// `POST /api/v1/users/{id}`: partial update; `null` clears an attribute.
pub async fn update(State(app): State<App>, Path(id): Path<String>, body: Bytes) -> Response {
    update_inner(&app, &id, &body, false).unwrap_or_else(IntoResponse::into_response)
}

/// `PUT /api/v1/users/{id}`: full replace; omitted attributes are deleted.
pub async fn replace(State(app): State<App>, Path(id): Path<String>, body: Bytes) -> Response {
    update_inner(&app, &id, &body, true).unwrap_or_else(IntoResponse::into_response)
}

/// `DELETE /api/v1/users/{id}`: deactivates first, deletes on the second call (204 both).
pub async fn delete(State(app): State<App>, Path(id): Path<String>) -> Response {
    let at = app.now();
    let mut store = lock(&app.store);
    let Some(mut user) = store.find(&id).cloned() else {
        return ApiError::user_not_found(&id).into_response();
    };
    if user.transitioning_to.is_some() {
        return ApiError::still_activating().into_response();
    }
    if user.status == UserStatus::Deprovisioned {
        store.remove(&user.id, at);
    } else {
        user.set_status(UserStatus::Deprovisioned, at);
        store.put(user, at);
    }
    StatusCode::NO_CONTENT.into_response()
}

/// Fallback for unknown API paths: 404 E0000008.
pub async fn not_found(uri: axum::http::Uri) -> Response {
    ApiError::no_such_path(uri.path()).into_response()
}

/// Fallback for a known path with an unsupported method: 405 E0000022.
pub async fn method_not_allowed() -> Response {
    ApiError::method_not_allowed().into_response()
}
