//! The request pipeline every API call goes through, in Okta's order: 411 for a bodiless
//! POST/PUT without `Content-Length`, authentication, scope/read-only checks, the concurrency
//! limit, forced 429s, rate-limit buckets, latency, injected faults, the handler, then
//! response headers (`X-Okta-Request-Id`, `X-Rate-Limit-*`) and statistics. Control
//! endpoints get authentication and headers only.

use super::app::App;
use super::auth::{self, AuthError, Credentials, Principal};
use super::config::EmulatorConfig;
use super::errors::ApiError;
use super::faults::{self, DropConnection};
use super::ids;
use super::ratelimit::{Bucket, Decision};
use super::state::{lock, now};
use axum::extract::{MatchedPath, Request};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use std::sync::atomic::Ordering;
use std::time::Instant;

/// The route of the OAuth token endpoint.
pub const TOKEN_ROUTE: &str = "/oauth2/v1/token";

struct InFlight(App);

impl Drop for InFlight {
    fn drop(&mut self) {
        self.0.in_flight.fetch_sub(1, Ordering::SeqCst);
    }
}

fn route_of(req: &Request) -> String {
    req.extensions()
        .get::<MatchedPath>()
        .map_or_else(|| "{unmatched}".to_owned(), |m| m.as_str().to_owned())
}

fn lacks_length(method: &Method, headers: &HeaderMap) -> bool {
    (method == Method::POST || method == Method::PUT)
        && !headers.contains_key(header::CONTENT_LENGTH)
        && !headers.contains_key(header::TRANSFER_ENCODING)
}

fn set_headers(resp: &mut Response, request_id: &str, d: &Decision) {
    let h = resp.headers_mut();
    if let Ok(v) = HeaderValue::from_str(request_id) {
        h.insert("x-okta-request-id", v);
    }
    h.insert("x-rate-limit-limit", HeaderValue::from(d.limit));
    h.insert("x-rate-limit-remaining", HeaderValue::from(d.remaining));
    h.insert("x-rate-limit-reset", HeaderValue::from(d.reset));
}

/// Authenticates a request from its `Authorization` and `DPoP` headers.
fn who(app: &App, req: &Request, config: &EmulatorConfig) -> Result<Principal, AuthError> {
    let h = |name: &str| req.headers().get(name).and_then(|v| v.to_str().ok());
    let url = format!("{}{}", app.base_url, req.uri().path());
    let creds = Credentials {
        authorization: h(header::AUTHORIZATION.as_str()),
        dpop: h("dpop"),
        method: req.method().as_str(),
        url: &url,
    };
    auth::authenticate(creds, config, &mut lock(&app.oauth), now())
}

/// Middleware for `/api/v1/**` and `/oauth2/v1/token`.
pub async fn api(
    axum::extract::State(app): axum::extract::State<App>,
    req: Request,
    next: Next,
) -> Response {
    let request_id = ids::request_id();
    let method = req.method().as_str().to_owned();
    let route = route_of(&req);
    let in_flight = app.in_flight.fetch_add(1, Ordering::SeqCst) + 1;
    app.peak_in_flight.fetch_max(in_flight, Ordering::SeqCst);
    let _guard = InFlight(app.clone());
    let (mut resp, decision) = process(&app, req, next, &method, &route, in_flight).await;
    set_headers(&mut resp, &request_id, &decision);
    let status = if resp.extensions().get::<DropConnection>().is_some() {
        0
    } else {
        resp.status().as_u16()
    };
    lock(&app.stats).record(&method, &route, status);
    resp
}

fn dropped() -> Response {
    let mut resp = StatusCode::INTERNAL_SERVER_ERROR.into_response();
    resp.extensions_mut().insert(DropConnection);
    resp
}

async fn process(
    app: &App,
    req: Request,
    next: Next,
    method: &str,
    route: &str,
    in_flight: u64,
) -> (Response, Decision) {
    let config = app.config();
    let bucket = Bucket::of(method, route);
    let (t, wall) = (Instant::now(), chrono::Utc::now());
    let peek = |principal: &str, share: f64| {
        lock(&app.limiter).peek(bucket, principal, share, &config.limits, t, wall)
    };
    if lacks_length(req.method(), req.headers()) {
        return (
            StatusCode::LENGTH_REQUIRED.into_response(),
            peek("anonymous", config.share),
        );
    }
    let principal = if route == TOKEN_ROUTE {
        None
    } else {
        let found = who(app, &req, &config);
        match found {
            Ok(p) => Some(p),
            Err(e) => return (e.into_response(), peek("anonymous", config.share)),
        }
    };
    let (key, share) = principal.as_ref().map_or_else(
        || ("oauth-token-endpoint".to_owned(), config.share),
        |p: &Principal| (p.key(), p.share()),
    );
    let write = method != "GET" && method != "HEAD";
    if let Some(p) = &principal
        && route.starts_with("/api/v1")
        && let Err(resp) = p.authorize(write, &app.base_url, req.uri().path())
    {
        return (*resp, peek(&key, share));
    }
    if in_flight > u64::from(config.concurrency) {
        let reset = wall.timestamp() + 1;
        let d = Decision {
            limit: 0,
            remaining: 0,
            reset,
            allowed: false,
        };
        return (ApiError::rate_limited().into_response(), d);
    }
    let forced = faults::take_forced_429(&mut lock(&app.config).faults);
    if forced {
        let mut d = peek(&key, share);
        d.remaining = 0;
        return (ApiError::rate_limited().into_response(), d);
    }
    let decision = lock(&app.limiter).check(bucket, &key, share, &config.limits, t, wall);
    if !decision.allowed {
        return (ApiError::rate_limited().into_response(), decision);
    }
    let delay = faults::latency(&config.faults);
    if !delay.is_zero() {
        tokio::time::sleep(delay).await;
    }
    if faults::roll(config.faults.drop_rate) {
        return (dropped(), decision);
    }
    if let Some(e) = faults::server_error(&config.faults) {
        return (e.into_response(), decision);
    }
    lock(&app.store).settle(app.now());
    let mut req = req;
    if let Some(p) = principal {
        req.extensions_mut().insert(p);
    }
    let resp = next.run(req).await;
    if write && faults::roll(config.faults.drop_after_rate) {
        return (dropped(), decision);
    }
    (resp, decision)
}

/// Middleware for `/__emulator/**`: authentication and headers, no limits, no statistics.
pub async fn control(
    axum::extract::State(app): axum::extract::State<App>,
    req: Request,
    next: Next,
) -> Response {
    let request_id = ids::request_id();
    let config = app.config();
    let found = who(&app, &req, &config);
    let (t, wall) = (Instant::now(), chrono::Utc::now());
    let (key, share) = found.as_ref().map_or_else(
        |_| ("anonymous".to_owned(), config.share),
        |p| (p.key(), p.share()),
    );
    let decision = lock(&app.limiter).peek(Bucket::Other, &key, share, &config.limits, t, wall);
    let mut resp = match found {
        Ok(_) => {
            lock(&app.store).settle(app.now());
            next.run(req).await
        }
        Err(e) => e.into_response(),
    };
    set_headers(&mut resp, &request_id, &decision);
    resp
}
