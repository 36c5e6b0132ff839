//! A Personio API v1 fake on 127.0.0.1:0: `POST /v1/auth` (client id and secret → a `papi-`
//! bearer token that stays valid) and `GET /v1/company/employees` paged with `limit` (≤ 100,
//! mandatory) and `offset`, the `attributes[]` whitelist, attributes the credential may not
//! read left out, items in the documented `{"type":"Employee","attributes":{name:
//! {"label","value","type","universal_id"}}}` shape with `metadata.total_elements`, and
//! `X-RateLimit-*` headers. Scripted faults per page request: 429 with headers, 401/403, 5xx,
//! an HTML page, a body cut mid-JSON; and a total larger than the pages hold
//! ([`PersonioState::overstated`]).

use axum::Router;
use axum::extract::{RawQuery, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use serde_json::{Value, json};
use std::collections::{BTreeSet, VecDeque};
use std::sync::{Arc, Mutex};

/// The credential the fake accepts.
pub const CLIENT_ID: &str = "personio-client";
/// Its secret.
pub const CLIENT_SECRET: &str = "personio-secret-s3cr3t";

/// A scripted reply that replaces the normal one for an employees page, once.
#[derive(Debug, Clone)]
pub enum Scripted {
    /// HTTP 429 with these headers.
    TooMany(Vec<(&'static str, String)>),
    /// HTTP 401 / 403 with Personio's error body.
    Denied(u16),
    /// HTTP 5xx.
    ServerError(u16),
    /// HTTP 502 with an HTML page from a proxy.
    Html,
    /// HTTP 200 with the page's JSON cut in the middle.
    CutJson,
    /// The normal page with `X-RateLimit-Remaining: 0` and this reset.
    Exhausted(String),
}

/// The fake's data and log.
#[derive(Default)]
pub struct PersonioState {
    /// The employees, in the v1 item shape.
    pub employees: Vec<Value>,
    /// Attributes the credential may not read: left out of every item.
    pub hidden: BTreeSet<String>,
    /// Replies to use before the normal one for pages, in order.
    pub script: VecDeque<Scripted>,
    /// Tokens valid now (clear it to revoke them).
    pub tokens: Vec<String>,
    /// Calls to `POST /v1/auth` (refused ones included).
    pub auth_calls: usize,
    /// Every page request's query pairs.
    pub pages: Vec<Vec<(String, String)>>,
    /// Requests with a wrong or no token.
    pub unauthorized: usize,
    /// How many more employees `total_elements` claims than there are (a short read).
    pub overstated: usize,
}

/// A running fake.
pub struct PersonioFake {
    /// `http://127.0.0.1:PORT`.
    pub base_url: String,
    /// Shared state.
    pub state: Arc<Mutex<PersonioState>>,
}

impl PersonioFake {
    /// Starts the fake with these employees.
    pub async fn start(employees: Vec<Value>) -> PersonioFake {
        let state = Arc::new(Mutex::new(PersonioState {
            employees,
            ..PersonioState::default()
        }));
        let app = Router::new()
            .route("/v1/auth", post(auth))
            .route("/v1/company/employees", get(employees_page))
            .with_state(state.clone());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        tokio::spawn(async move {
            axum::serve(listener, app).await.unwrap();
        });
        PersonioFake {
            base_url: format!("http://{addr}"),
            state,
        }
    }

    /// Queues scripted replies for the next pages.
    pub fn script(&self, replies: impl IntoIterator<Item = Scripted>) {
        self.state.lock().unwrap().script.extend(replies);
    }

    /// Page requests so far.
    pub fn page_count(&self) -> usize {
        self.state.lock().unwrap().pages.len()
    }

    /// Tokens asked for so far.
    pub fn token_count(&self) -> usize {
        self.state.lock().unwrap().auth_calls
    }
}

/// One attribute in Personio's wrapper.
pub fn attr(label: &str, value: Value, kind: &str, name: &str) -> Value {
    json!({"label": label, "value": value, "type": kind, "universal_id": name})
}

fn personio_error(status: u16, message: &str) -> Response {
    (
        StatusCode::from_u16(status).unwrap(),
        axum::Json(json!({"success": false, "error": {"code": 0, "message": message}})),
    )
        .into_response()
}

async fn auth(State(state): State<Arc<Mutex<PersonioState>>>, body: axum::body::Bytes) -> Response {
    let body: Value = serde_json::from_slice(&body).unwrap_or(Value::Null);
    let mut s = state.lock().unwrap();
    s.auth_calls += 1;
    if body["client_id"] != CLIENT_ID || body["client_secret"] != CLIENT_SECRET {
        return personio_error(401, "Wrong credentials");
    }
    let token = format!("papi-{}-token", s.auth_calls);
    s.tokens.push(token.clone());
    axum::Json(json!({"success": true, "data": {"token": token}})).into_response()
}

async fn employees_page(
    State(state): State<Arc<Mutex<PersonioState>>>,
    RawQuery(query): RawQuery,
    headers: HeaderMap,
) -> Response {
    let pairs: Vec<(String, String)> =
        url::form_urlencoded::parse(query.unwrap_or_default().as_bytes())
            .into_owned()
            .collect();
    let mut s = state.lock().unwrap();
    s.pages.push(pairs.clone());
    let token = headers
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::to_owned);
    if !token.is_some_and(|t| s.tokens.contains(&t)) {
        s.unauthorized += 1;
        return personio_error(401, "The bearer token is invalid");
    }
    let get = |k: &str| pairs.iter().find(|(n, _)| n == k).map(|(_, v)| v.clone());
    let Some(limit) = get("limit").and_then(|l| l.parse::<usize>().ok()) else {
        return personio_error(400, "limit is mandatory");
    };
    if limit == 0 || limit > 100 {
        return personio_error(400, "limit must be between 1 and 100");
    }
    let offset = get("offset")
        .and_then(|o| o.parse::<usize>().ok())
        .unwrap_or(0);
    let whitelist: BTreeSet<String> = pairs
        .iter()
        .filter(|(k, _)| k == "attributes[]")
        .map(|(_, v)| v.clone())
        .collect();
    let extra_total = s.overstated;
    let mut exhausted = None;
    if let Some(reply) = s.script.pop_front() {
        match reply {
            Scripted::TooMany(extra) => {
                let mut r = personio_error(429, "Too many requests");
                for (name, value) in extra {
                    r.headers_mut()
                        .insert(name, HeaderValue::from_str(&value).unwrap());
                }
                return r;
            }
            Scripted::Denied(code) => return personio_error(code, "Access denied"),
            Scripted::ServerError(code) => return personio_error(code, "Internal error"),
            Scripted::Html => {
                return (
                    StatusCode::BAD_GATEWAY,
                    [("content-type", "text/html")],
                    "<html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>",
                )
                    .into_response();
            }
            Scripted::CutJson => {
                let full = page(&s, offset, limit, &whitelist, 0).to_string();
                return (
                    [("content-type", "application/json")],
                    full[..full.len() / 2].to_owned(),
                )
                    .into_response();
            }
            Scripted::Exhausted(reset) => exhausted = Some(reset),
        }
    }
    let mut response = axum::Json(page(&s, offset, limit, &whitelist, extra_total)).into_response();
    let h = response.headers_mut();
    h.insert("x-ratelimit-limit", HeaderValue::from_static("300"));
    match exhausted {
        Some(reset) => {
            h.insert("x-ratelimit-remaining", HeaderValue::from_static("0"));
            h.insert("x-ratelimit-reset", HeaderValue::from_str(&reset).unwrap());
        }
        None => {
            h.insert("x-ratelimit-remaining", HeaderValue::from_static("299"));
        }
    }
    response
}

fn page(
    s: &PersonioState,
    offset: usize,
    limit: usize,
    whitelist: &BTreeSet<String>,
    extra_total: usize,
) -> Value {
    let total = s.employees.len();
    let data: Vec<Value> = s
        .employees
        .iter()
        .skip(offset)
        .take(limit)
        .map(|e| {
            let mut attrs = e["attributes"].as_object().cloned().unwrap_or_default();
            attrs.retain(|k, _| {
                !s.hidden.contains(k)
                    && (whitelist.is_empty() || whitelist.contains(k) || k == "id")
            });
            json!({"type": "Employee", "attributes": attrs})
        })
        .collect();
    let total = total + extra_total;
    json!({
        "success": true,
        "metadata": {"total_elements": total, "current_page": offset / limit, "total_pages": total.div_ceil(limit)},
        "offset": offset,
        "limit": limit,
        "data": data,
    })
}
