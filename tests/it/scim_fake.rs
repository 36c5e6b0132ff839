//! A SCIM 2.0 service provider fake on 127.0.0.1:0: `GET /scim/v2/Users` with bearer auth and
//! RFC 7644 paging (`startIndex`, 1-based; `count`, capped at the fake's own page limit), a
//! `ListResponse` with `totalResults`, and errors in the
//! `urn:ietf:params:scim:api:messages:2.0:Error` shape. Scripted faults, one per request in
//! order: 429 with `Retry-After`, 5xx, 401/403, an HTML page, a truncated body, an empty page
//! before the end, a user deleted between pages (the total changes), and a page that ignores
//! `startIndex`. Records every request's query.

use axum::Router;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use futures::StreamExt;
use serde_json::{Value, json};
use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex};

/// The token the fake accepts.
pub const TOKEN: &str = "scim-token-s3cr3t";

/// A scripted reply for one request (then the normal answer resumes).
#[derive(Debug, Clone)]
pub enum Scripted {
    /// The normal answer (to script a later request).
    Normal,
    /// HTTP 429 with `Retry-After: <seconds>`.
    TooMany(u64),
    /// HTTP 5xx in the SCIM error shape.
    ServerError(u16),
    /// HTTP 401 / 403 in the SCIM error shape.
    Denied(u16),
    /// HTTP 200 with an HTML page (a proxy's or login page).
    Html,
    /// HTTP 200, a declared length, and half the body before the connection closes.
    Truncated,
    /// A page with no `Resources` although users remain.
    EmptyPage,
    /// The user at this position (0-based) is deleted, then the page is served.
    DeleteThenServe(usize),
    /// The first page, whatever `startIndex` asked.
    IgnoreStartIndex,
}

/// The fake's data and log.
#[derive(Default)]
pub struct ScimState {
    /// The users served, in order.
    pub users: Vec<Value>,
    /// The most users the fake sends per page, whatever `count` asks.
    pub max_page: usize,
    /// Replies for the next requests, in order.
    pub script: VecDeque<Scripted>,
    /// Every request's `(startIndex, count)` as sent.
    pub requests: Vec<(Option<String>, Option<String>)>,
    /// Requests with a wrong or no token.
    pub unauthorized: usize,
}

/// A running fake.
pub struct ScimFake {
    /// `http://127.0.0.1:PORT/scim/v2`.
    pub base_url: String,
    /// Shared state.
    pub state: Arc<Mutex<ScimState>>,
}

impl ScimFake {
    /// Starts the fake serving `users`, at most 50 per page.
    pub async fn start(users: Vec<Value>) -> ScimFake {
        let state = Arc::new(Mutex::new(ScimState {
            users,
            max_page: 50,
            ..ScimState::default()
        }));
        let app = Router::new()
            .route("/scim/v2/Users", get(users_page))
            .with_state(state.clone());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        tokio::spawn(async move {
            axum::serve(listener, app).await.unwrap();
        });
        ScimFake {
            base_url: format!("http://{addr}/scim/v2"),
            state,
        }
    }

    /// Queues scripted replies for the next requests.
    pub fn script(&self, replies: impl IntoIterator<Item = Scripted>) {
        self.state.lock().unwrap().script.extend(replies);
    }

    /// How many requests reached the fake.
    pub fn requests(&self) -> usize {
        self.state.lock().unwrap().requests.len()
    }

    /// Replaces the users served.
    pub fn set_users(&self, users: Vec<Value>) {
        self.state.lock().unwrap().users = users;
    }
}

/// A SCIM error answer (RFC 7644 §3.12).
pub fn scim_error(status: u16, scim_type: Option<&str>, detail: &str) -> Response {
    let mut body = json!({
        "schemas": ["urn:ietf:params:scim:api:messages:2.0:Error"],
        "status": status.to_string(),
        "detail": detail,
    });
    if let Some(t) = scim_type {
        body["scimType"] = json!(t);
    }
    let mut response = (StatusCode::from_u16(status).unwrap(), body.to_string()).into_response();
    response.headers_mut().insert(
        "content-type",
        HeaderValue::from_static("application/scim+json"),
    );
    response
}

async fn users_page(
    State(state): State<Arc<Mutex<ScimState>>>,
    headers: HeaderMap,
    Query(query): Query<HashMap<String, String>>,
) -> Response {
    let mut s = state.lock().unwrap();
    s.requests.push((
        query.get("startIndex").cloned(),
        query.get("count").cloned(),
    ));
    let bearer = format!("Bearer {TOKEN}");
    if headers.get("authorization").and_then(|v| v.to_str().ok()) != Some(bearer.as_str()) {
        s.unauthorized += 1;
        return scim_error(401, None, "Authorization failure: the token is invalid");
    }
    let start: usize = match query.get("startIndex").map(|v| v.parse::<usize>()) {
        None => 1,
        Some(Ok(n)) => n.max(1),
        Some(Err(_)) => {
            return scim_error(400, Some("invalidValue"), "startIndex must be an integer");
        }
    };
    let count: usize = match query.get("count").map(|v| v.parse::<usize>()) {
        None => s.max_page,
        Some(Ok(n)) => n.min(s.max_page),
        Some(Err(_)) => return scim_error(400, Some("invalidValue"), "count must be an integer"),
    };
    let mut start = start;
    match s.script.pop_front().unwrap_or(Scripted::Normal) {
        Scripted::Normal => {}
        Scripted::TooMany(secs) => {
            let mut r = scim_error(429, None, "Too many requests");
            r.headers_mut().insert(
                "retry-after",
                HeaderValue::from_str(&secs.to_string()).unwrap(),
            );
            return r;
        }
        Scripted::ServerError(code) => return scim_error(code, None, "Internal error"),
        Scripted::Denied(401) => return scim_error(401, None, "The token has expired"),
        Scripted::Denied(code) => {
            return scim_error(code, None, "The token's scope does not include users:read");
        }
        Scripted::Html => {
            let page = "<!DOCTYPE html><html><head><title>Service Unavailable - Maintenance</title></head><body>Back soon</body></html>";
            let mut r = (StatusCode::OK, page).into_response();
            r.headers_mut()
                .insert("content-type", HeaderValue::from_static("text/html"));
            return r;
        }
        Scripted::Truncated => {
            let full = list(&s.users, start, count).to_string();
            return truncated(full);
        }
        Scripted::EmptyPage => {
            let total = s.users.len();
            return scim_json(json!({
                "schemas": ["urn:ietf:params:scim:api:messages:2.0:ListResponse"],
                "totalResults": total, "startIndex": start, "itemsPerPage": 0, "Resources": []
            }));
        }
        Scripted::DeleteThenServe(i) => {
            if i < s.users.len() {
                s.users.remove(i);
            }
        }
        Scripted::IgnoreStartIndex => start = 1,
    }
    scim_json(list(&s.users, start, count))
}

/// The `ListResponse` of users `start..start+count` (1-based).
fn list(users: &[Value], start: usize, count: usize) -> Value {
    let page: Vec<Value> = users.iter().skip(start - 1).take(count).cloned().collect();
    let mut body = json!({
        "schemas": ["urn:ietf:params:scim:api:messages:2.0:ListResponse"],
        "totalResults": users.len(),
        "startIndex": start,
        "itemsPerPage": page.len(),
    });
    // RFC 7644 lets a service leave out an empty Resources.
    if !page.is_empty() {
        body["Resources"] = json!(page);
    }
    body
}

fn scim_json(body: Value) -> Response {
    let mut r = (StatusCode::OK, body.to_string()).into_response();
    r.headers_mut().insert(
        "content-type",
        HeaderValue::from_static("application/scim+json"),
    );
    r
}

/// HTTP 200 declaring `full`'s length, sending half of it, then closing the connection.
pub fn truncated(full: String) -> Response {
    let len = full.len();
    let half = full[..len / 2].to_owned();
    // The half is flushed before the connection drops (an error polled at once would abort
    // before the headers went out, which is a failed request, not a truncated answer).
    let stream = futures::stream::once(async move { Ok::<_, std::io::Error>(half) }).chain(
        futures::stream::once(async {
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
            Err(std::io::Error::other("connection dropped"))
        }),
    );
    Response::builder()
        .status(200)
        .header("content-type", "application/json")
        .header("content-length", len.to_string())
        .body(axum::body::Body::from_stream(stream))
        .unwrap()
}
