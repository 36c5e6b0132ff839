//! A bob (HiBob) API fake on 127.0.0.1:0: `POST /v1/people/search` and
//! `GET /v1/company/named-lists/{name}`, with basic auth, scripted 429/5xx/401/403 responses,
//! scripted hangs (no answer for a while, or headers then a body that never ends), and a log of
//! what it was asked.

use axum::Router;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use base64::Engine;
use futures::StreamExt;
use serde_json::{Value, json};
use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// The credentials the fake accepts.
pub const USER: &str = "SERVICE-1234";
/// The token the fake accepts.
pub const TOKEN: &str = "bob-token-s3cr3t";

/// A scripted reply that replaces the normal one, once.
#[derive(Debug, Clone)]
pub enum Scripted {
    /// HTTP 429 with these headers.
    TooMany(Vec<(&'static str, String)>),
    /// HTTP 5xx.
    ServerError(u16),
    /// HTTP 401 / 403 with bob's error body.
    Denied(u16),
    /// The connection is accepted but nothing is sent for this long; then the normal answer.
    Hang(Duration),
    /// HTTP 200 and the start of the JSON, then the body never ends.
    StallBody,
    /// HTTP 307 to this Location.
    Redirect(String),
    /// HTTP 200 with a valid JSON body padded to this many bytes, sent without a length.
    Huge(usize),
}

/// What the search does after the log and the script are read (under the lock).
enum Reply {
    /// Answer this now.
    Now(Response),
    /// Wait, then answer normally.
    After(Duration),
    /// Send a body that never ends.
    Stall,
}

/// The fake's data and log.
#[derive(Default)]
pub struct BobState {
    /// The `employees` array served by the search.
    pub employees: Vec<Value>,
    /// Named lists by name, served as given.
    pub lists: HashMap<String, Value>,
    /// Replies to use before the normal one for the search, in order.
    pub search_script: VecDeque<Scripted>,
    /// Every search request body (including scripted and refused ones).
    pub searches: Vec<Value>,
    /// Every named-list request, by name.
    pub list_requests: Vec<String>,
    /// Requests with wrong or no credentials.
    pub unauthorized: usize,
}

/// A running fake.
pub struct BobFake {
    /// `http://127.0.0.1:PORT/v1`.
    pub base_url: String,
    /// Shared state: edit to change the data, read to assert on requests.
    pub state: Arc<Mutex<BobState>>,
}

impl BobFake {
    /// Starts the fake with these employees and lists.
    pub async fn start(employees: Vec<Value>, lists: HashMap<String, Value>) -> BobFake {
        let state = Arc::new(Mutex::new(BobState {
            employees,
            lists,
            ..BobState::default()
        }));
        let app = Router::new()
            .route("/v1/people/search", post(search))
            .route("/v1/company/named-lists/{name}", get(named_list))
            .with_state(state.clone());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        tokio::spawn(async move {
            axum::serve(listener, app).await.unwrap();
        });
        BobFake {
            base_url: format!("http://{addr}/v1"),
            state,
        }
    }

    /// Queues scripted replies for the next searches.
    pub fn script(&self, replies: impl IntoIterator<Item = Scripted>) {
        self.state.lock().unwrap().search_script.extend(replies);
    }

    /// How many searches reached the fake.
    pub fn search_count(&self) -> usize {
        self.state.lock().unwrap().searches.len()
    }
}

fn authorized(headers: &HeaderMap) -> bool {
    let expected = format!(
        "Basic {}",
        base64::engine::general_purpose::STANDARD.encode(format!("{USER}:{TOKEN}"))
    );
    headers.get("authorization").and_then(|v| v.to_str().ok()) == Some(expected.as_str())
}

fn bob_error(status: u16, message: &str) -> Response {
    let status = StatusCode::from_u16(status).unwrap();
    (
        status,
        axum::Json(json!({"key": "error", "error": message})),
    )
        .into_response()
}

async fn search(
    State(state): State<Arc<Mutex<BobState>>>,
    headers: HeaderMap,
    body: axum::body::Bytes,
) -> Response {
    let body: Value = serde_json::from_slice(&body).unwrap_or(Value::Null);
    // The lock is never held across an await.
    let reply = reply(&mut state.lock().unwrap(), &headers, &body);
    match reply {
        Reply::Now(response) => response,
        Reply::After(delay) => {
            tokio::time::sleep(delay).await;
            people(&state.lock().unwrap(), &body)
        }
        Reply::Stall => {
            let start = futures::stream::once(async {
                Ok::<_, std::convert::Infallible>(axum::body::Bytes::from_static(
                    b"{\"employees\": [",
                ))
            });
            let body = axum::body::Body::from_stream(start.chain(futures::stream::pending()));
            let mut response = Response::new(body);
            response
                .headers_mut()
                .insert("content-type", HeaderValue::from_static("application/json"));
            response
        }
    }
}

fn reply(s: &mut BobState, headers: &HeaderMap, body: &Value) -> Reply {
    s.searches.push(body.clone());
    if !authorized(headers) {
        s.unauthorized += 1;
        return Reply::Now(bob_error(401, "Unauthorized"));
    }
    if let Some(reply) = s.search_script.pop_front() {
        return Reply::Now(match reply {
            Scripted::TooMany(extra) => {
                let mut response = bob_error(429, "Too many requests");
                for (name, value) in extra {
                    response
                        .headers_mut()
                        .insert(name, HeaderValue::from_str(&value).unwrap());
                }
                response
            }
            Scripted::ServerError(code) => bob_error(code, "Internal error"),
            Scripted::Denied(code) => bob_error(code, "Access denied"),
            Scripted::Hang(delay) => return Reply::After(delay),
            Scripted::StallBody => return Reply::Stall,
            Scripted::Redirect(to) => {
                let mut response = bob_error(307, "Moved");
                response
                    .headers_mut()
                    .insert("location", HeaderValue::from_str(&to).unwrap());
                response
            }
            Scripted::Huge(bytes) => {
                let head = "{\"employees\": [], \"padding\": \"";
                let chunks = bytes / 65_536 + 1;
                let stream = futures::stream::iter((0..chunks + 2).map(move |i| {
                    let piece = match i {
                        0 => head.to_owned(),
                        i if i == chunks + 1 => "\"}".to_owned(),
                        _ => "x".repeat(65_536),
                    };
                    Ok::<_, std::io::Error>(piece)
                }));
                axum::response::Response::builder()
                    .status(200)
                    .header("content-type", "application/json")
                    .body(axum::body::Body::from_stream(stream))
                    .unwrap()
            }
        });
    }
    Reply::Now(people(s, body))
}

/// The normal answer: the employees, filtered as bob does.
fn people(s: &BobState, body: &Value) -> Response {
    if body
        .get("filters")
        .is_some_and(|f| f.as_array().is_some_and(Vec::is_empty))
    {
        return bob_error(400, "filters must not be empty");
    }
    // bob leaves out inactive people (pre-hires, leavers) unless showInactive is true.
    let show_inactive = body.get("showInactive") == Some(&Value::Bool(true));
    let employees: Vec<Value> = s
        .employees
        .iter()
        .filter(|e| show_inactive || e["internal"]["status"] == "Active")
        .cloned()
        .collect();
    let mut response = axum::Json(json!({ "employees": employees })).into_response();
    response
        .headers_mut()
        .insert("x-ratelimit-limit", HeaderValue::from_static("50"));
    response
}

async fn named_list(
    State(state): State<Arc<Mutex<BobState>>>,
    Path(name): Path<String>,
    headers: HeaderMap,
) -> Response {
    let mut s = state.lock().unwrap();
    s.list_requests.push(name.clone());
    if !authorized(&headers) {
        s.unauthorized += 1;
        return bob_error(401, "Unauthorized");
    }
    match s.lists.get(&name) {
        Some(list) => axum::Json(list.clone()).into_response(),
        None => bob_error(404, "No such list"),
    }
}
