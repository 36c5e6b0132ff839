//! A BambooHR API fake on 127.0.0.1:0: `POST /api/gateway.php/{company}/v1/reports/custom`
//! answering in the documented custom-report shape (`{"title","fields","employees"}`, only
//! the requested fields, `onlyCurrent=true` hiding future hires), with Basic auth (API key as
//! the user, any password), fields withheld from every record (missing access), and scripted
//! faults: 429/503 with `Retry-After`, 401/403 with `X-BambooHR-Error-Message`, an HTML error
//! page, a body cut mid-JSON and a connection closed mid-body.

use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use base64::Engine;
use futures::StreamExt;
use serde_json::{Value, json};
use std::collections::{BTreeSet, HashMap, VecDeque};
use std::sync::{Arc, Mutex};

/// The company subdomain the fake serves.
pub const COMPANY: &str = "acme";
/// The API key the fake accepts.
pub const API_KEY: &str = "bamboo-key-s3cr3t";

/// A scripted reply that replaces the normal one, once.
#[derive(Debug, Clone)]
pub enum Scripted {
    /// HTTP 429 with this `Retry-After`.
    TooMany(String),
    /// HTTP 503 with this `Retry-After` (BambooHR's older rate-limit signal).
    Unavailable(Option<String>),
    /// HTTP 401 / 403.
    Denied(u16),
    /// HTTP 200 (or this status) with an HTML page.
    Html(u16),
    /// HTTP 200 with the JSON cut in the middle (the length matches what is sent).
    CutJson,
    /// HTTP 200, part of the body, then the connection is closed.
    ConnectionClosed,
}

/// The fake's data and log.
#[derive(Default)]
pub struct BambooState {
    /// The employees, every field BambooHR has.
    pub employees: Vec<Value>,
    /// Fields left out of every record (the API key's user may not see them).
    pub hidden: BTreeSet<String>,
    /// Replies to use before the normal one, in order.
    pub script: VecDeque<Scripted>,
    /// Every report request: (query, body).
    pub requests: Vec<(HashMap<String, String>, Value)>,
    /// Requests with wrong or no credentials.
    pub unauthorized: usize,
}

/// A running fake.
pub struct BambooFake {
    /// `http://127.0.0.1:PORT/api/gateway.php` (the company follows).
    pub base_url: String,
    /// Shared state.
    pub state: Arc<Mutex<BambooState>>,
}

impl BambooFake {
    /// Starts the fake with these employees.
    pub async fn start(employees: Vec<Value>) -> BambooFake {
        let state = Arc::new(Mutex::new(BambooState {
            employees,
            ..BambooState::default()
        }));
        let app = Router::new()
            .route("/api/gateway.php/{company}/v1/reports/custom", post(report))
            .with_state(state.clone());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        tokio::spawn(async move {
            axum::serve(listener, app).await.unwrap();
        });
        BambooFake {
            base_url: format!("http://{addr}/api/gateway.php"),
            state,
        }
    }

    /// Queues scripted replies.
    pub fn script(&self, replies: impl IntoIterator<Item = Scripted>) {
        self.state.lock().unwrap().script.extend(replies);
    }

    /// Reports requested so far.
    pub fn requests(&self) -> usize {
        self.state.lock().unwrap().requests.len()
    }
}

fn authorized(headers: &HeaderMap) -> bool {
    let Some(basic) = headers
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Basic "))
    else {
        return false;
    };
    let Ok(decoded) = base64::engine::general_purpose::STANDARD.decode(basic) else {
        return false;
    };
    String::from_utf8_lossy(&decoded).split(':').next() == Some(API_KEY)
}

fn error(status: u16, message: &str) -> Response {
    let mut response = StatusCode::from_u16(status).unwrap().into_response();
    response.headers_mut().insert(
        "x-bamboohr-error-message",
        HeaderValue::from_str(message).unwrap(),
    );
    response
}

async fn report(
    State(state): State<Arc<Mutex<BambooState>>>,
    Path(company): Path<String>,
    Query(query): Query<HashMap<String, String>>,
    headers: HeaderMap,
    body: axum::body::Bytes,
) -> Response {
    let body: Value = serde_json::from_slice(&body).unwrap_or(Value::Null);
    let mut s = state.lock().unwrap();
    s.requests.push((query.clone(), body.clone()));
    if company != COMPANY {
        return error(404, "Unknown company");
    }
    if !authorized(&headers) {
        s.unauthorized += 1;
        return error(401, "Invalid API key");
    }
    if let Some(reply) = s.script.pop_front() {
        return scripted(reply, &s, &body);
    }
    if query.get("format").map(String::as_str) != Some("JSON") {
        return error(400, "format must be JSON");
    }
    let only_current = query.get("onlyCurrent").map(String::as_str) != Some("false");
    axum::Json(answer(&s, &body, only_current)).into_response()
}

/// The report: the requested fields of every employee (future hires only with
/// `onlyCurrent=false`), hidden fields left out.
fn answer(s: &BambooState, body: &Value, only_current: bool) -> Value {
    let fields: Vec<String> = body["fields"]
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|f| f.as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default();
    let today = chrono::Utc::now().date_naive().to_string();
    let employees: Vec<Value> = s
        .employees
        .iter()
        .filter(|e| !only_current || e["hireDate"].as_str().is_none_or(|d| *d <= *today))
        .map(|e| {
            let mut out = serde_json::Map::new();
            out.insert("id".to_owned(), e["id"].clone());
            for f in &fields {
                if s.hidden.contains(f) {
                    continue;
                }
                out.insert(f.clone(), e.get(f).cloned().unwrap_or(Value::Null));
            }
            Value::Object(out)
        })
        .collect();
    let described: Vec<Value> = fields
        .iter()
        .filter(|f| !s.hidden.contains(*f))
        .map(|f| json!({"id": f, "type": "text", "name": f}))
        .collect();
    json!({"title": body["title"], "fields": described, "employees": employees})
}

fn scripted(reply: Scripted, s: &BambooState, body: &Value) -> Response {
    match reply {
        Scripted::TooMany(after) => {
            let mut r = error(429, "Rate limited");
            r.headers_mut()
                .insert("retry-after", HeaderValue::from_str(&after).unwrap());
            r
        }
        Scripted::Unavailable(after) => {
            let mut r = error(503, "Service unavailable");
            if let Some(after) = after {
                r.headers_mut()
                    .insert("retry-after", HeaderValue::from_str(&after).unwrap());
            }
            r
        }
        Scripted::Denied(code) => error(code, "Access denied"),
        Scripted::Html(code) => (
            StatusCode::from_u16(code).unwrap(),
            [("content-type", "text/html")],
            "<!DOCTYPE html><html><head><title>BambooHR - Down for Maintenance</title></head><body>Back soon</body></html>",
        )
            .into_response(),
        Scripted::CutJson => {
            let full = answer(s, body, false).to_string();
            let cut = full[..full.len() / 2].to_owned();
            ([("content-type", "application/json")], cut).into_response()
        }
        Scripted::ConnectionClosed => {
            let full = answer(s, body, false).to_string();
            let half = full[..full.len() / 2].to_owned();
            // The headers and the first half go out; then, a moment later, the connection
            // breaks (a failing stream aborts it), so the client sees a body cut short.
            let stream = futures::stream::iter([Some(half), None]).then(|piece| async move {
                match piece {
                    Some(half) => Ok::<_, std::io::Error>(half),
                    None => {
                        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
                        Err(std::io::Error::other("connection reset"))
                    }
                }
            });
            Response::builder()
                .status(200)
                .header("content-type", "application/json")
                .body(axum::body::Body::from_stream(stream))
                .unwrap()
        }
    }
}
