//! A Workday fake on 127.0.0.1:0: a RaaS custom report at
//! `GET /ccx/service/customreport2/{tenant}/{owner}/{report}` (JSON only with
//! `format=json`; rows under `Report_Entry`), with an Integration System User's Basic auth
//! or a bearer token from the OAuth token endpoint `POST /ccx/oauth2/{tenant}/token`
//! (`grant_type=refresh_token`, the API client's Basic auth). Scripted report faults, one per
//! request: 429 with `Retry-After`, 5xx, 401/403, an HTML page, a truncated body. Tokens can
//! be revoked to test their renewal. Logs the requests it gets.

use crate::scim_fake::truncated;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use base64::Engine;
use serde_json::{Value, json};
use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex};

/// The tenant the fake serves.
pub const TENANT: &str = "acme";
/// The report owner.
pub const OWNER: &str = "ISU_hrsync";
/// The report's name.
pub const REPORT: &str = "hrsync_workers";
/// The ISU's name.
pub const ISU: &str = "ISU_hrsync";
/// The ISU's password.
pub const PASSWORD: &str = "isu-pa55word";
/// The API client's id.
pub const CLIENT_ID: &str = "NzQ1ZTk0client";
/// The API client's secret.
pub const CLIENT_SECRET: &str = "client-s3cr3t";
/// The refresh token the token endpoint accepts.
pub const REFRESH_TOKEN: &str = "refresh-t0ken";

/// A scripted reply for one report request.
#[derive(Debug, Clone)]
pub enum Scripted {
    /// The normal answer.
    Normal,
    /// HTTP 429 with `Retry-After: <seconds>`.
    TooMany(u64),
    /// HTTP 5xx.
    ServerError(u16),
    /// HTTP 401 / 403.
    Denied(u16),
    /// HTTP 200 with an HTML page (Workday's sign-in or maintenance page).
    Html,
    /// HTTP 200, a declared length, and half the body.
    Truncated,
}

/// The fake's data and log.
#[derive(Default)]
pub struct WorkdayState {
    /// The `Report_Entry` rows served.
    pub rows: Vec<Value>,
    /// Replies for the next report requests.
    pub script: VecDeque<Scripted>,
    /// Every report request's query parameters.
    pub reports: Vec<HashMap<String, String>>,
    /// Token requests received.
    pub token_requests: usize,
    /// Access tokens issued and still valid.
    pub tokens: Vec<String>,
    /// `expires_in` of issued tokens.
    pub expires_in: u64,
    /// Requests refused for their credentials.
    pub unauthorized: usize,
}

/// A running fake.
pub struct WorkdayFake {
    /// `http://127.0.0.1:PORT` (the host part of the report URL).
    pub base_url: String,
    /// Shared state.
    pub state: Arc<Mutex<WorkdayState>>,
}

impl WorkdayFake {
    /// Starts the fake serving `rows`.
    pub async fn start(rows: Vec<Value>) -> WorkdayFake {
        let state = Arc::new(Mutex::new(WorkdayState {
            rows,
            expires_in: 3600,
            ..WorkdayState::default()
        }));
        let app = Router::new()
            .route(
                "/ccx/service/customreport2/{tenant}/{owner}/{report}",
                get(report),
            )
            .route("/ccx/oauth2/{tenant}/token", post(token))
            .with_state(state.clone());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        tokio::spawn(async move {
            axum::serve(listener, app).await.unwrap();
        });
        WorkdayFake {
            base_url: format!("http://{addr}"),
            state,
        }
    }

    /// Queues scripted replies for the next report requests.
    pub fn script(&self, replies: impl IntoIterator<Item = Scripted>) {
        self.state.lock().unwrap().script.extend(replies);
    }

    /// Report requests received.
    pub fn report_count(&self) -> usize {
        self.state.lock().unwrap().reports.len()
    }

    /// Replaces the rows served.
    pub fn set_rows(&self, rows: Vec<Value>) {
        self.state.lock().unwrap().rows = rows;
    }
}

fn basic(user: &str, password: &str) -> String {
    format!(
        "Basic {}",
        base64::engine::general_purpose::STANDARD.encode(format!("{user}:{password}"))
    )
}

fn workday_error(status: u16, message: &str) -> Response {
    (
        StatusCode::from_u16(status).unwrap(),
        axum::Json(json!({"error": message})),
    )
        .into_response()
}

async fn report(
    State(state): State<Arc<Mutex<WorkdayState>>>,
    Path((tenant, owner, name)): Path<(String, String, String)>,
    headers: HeaderMap,
    Query(query): Query<HashMap<String, String>>,
) -> Response {
    let mut s = state.lock().unwrap();
    s.reports.push(query.clone());
    let given = headers
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    let isu = given == basic(ISU, PASSWORD);
    let bearer = given
        .strip_prefix("Bearer ")
        .is_some_and(|t| s.tokens.iter().any(|k| k == t));
    if !isu && !bearer {
        s.unauthorized += 1;
        return workday_error(401, "invalid username or password");
    }
    if (tenant.as_str(), owner.as_str(), name.as_str()) != (TENANT, OWNER, REPORT) {
        return workday_error(404, "The report does not exist or is not shared with you");
    }
    match s.script.pop_front().unwrap_or(Scripted::Normal) {
        Scripted::Normal => {}
        Scripted::TooMany(secs) => {
            let mut r = workday_error(429, "Too many concurrent report requests");
            r.headers_mut().insert(
                "retry-after",
                HeaderValue::from_str(&secs.to_string()).unwrap(),
            );
            return r;
        }
        Scripted::ServerError(code) => return workday_error(code, "Internal Server Error"),
        Scripted::Denied(code) => {
            return workday_error(code, "The task submitted is not authorized.");
        }
        Scripted::Html => {
            let page = "<!DOCTYPE html><html><head><title>Workday is currently unavailable</title></head><body>Maintenance</body></html>";
            let mut r = (StatusCode::OK, page).into_response();
            r.headers_mut().insert(
                "content-type",
                HeaderValue::from_static("text/html;charset=UTF-8"),
            );
            return r;
        }
        Scripted::Truncated => {
            return truncated(json!({ "Report_Entry": s.rows }).to_string());
        }
    }
    if query.get("format").map(String::as_str) != Some("json") {
        // RaaS answers XML without format=json.
        let mut r = (StatusCode::OK, "<?xml version=\"1.0\"?><wd:Report_Data/>").into_response();
        r.headers_mut()
            .insert("content-type", HeaderValue::from_static("application/xml"));
        return r;
    }
    axum::Json(json!({ "Report_Entry": s.rows })).into_response()
}

async fn token(
    State(state): State<Arc<Mutex<WorkdayState>>>,
    Path(tenant): Path<String>,
    headers: HeaderMap,
    body: String,
) -> Response {
    let mut s = state.lock().unwrap();
    s.token_requests += 1;
    let form: HashMap<String, String> = url::form_urlencoded::parse(body.as_bytes())
        .into_owned()
        .collect();
    let client = headers.get("authorization").and_then(|v| v.to_str().ok())
        == Some(basic(CLIENT_ID, CLIENT_SECRET).as_str());
    if tenant != TENANT || !client {
        return (
            StatusCode::UNAUTHORIZED,
            axum::Json(json!({"error": "invalid_client"})),
        )
            .into_response();
    }
    if form.get("grant_type").map(String::as_str) != Some("refresh_token")
        || form.get("refresh_token").map(String::as_str) != Some(REFRESH_TOKEN)
    {
        return (
            StatusCode::BAD_REQUEST,
            axum::Json(json!({"error": "invalid_grant"})),
        )
            .into_response();
    }
    let issued = format!("access-{}", s.token_requests);
    s.tokens.push(issued.clone());
    axum::Json(json!({
        "access_token": issued,
        "token_type": "Bearer",
        "expires_in": s.expires_in,
    }))
    .into_response()
}
