//! The daemon's HTTP endpoint (axum): `GET /healthz` (the process answers), `GET /readyz`
//! (200, or 503 while the startup check fails, when quarantined or when the last run failed; a
//! JSON body says why) and
//! `GET /metrics` (Prometheus text). Other routes (webhooks) are merged in by the caller;
//! [`super::server`] serves the router within the connection limits.
//!
//! Handlers only read shared state; they never start runs themselves (a webhook route does
//! that through [`super::DaemonHandle::trigger`]).

use super::health::Health;
use super::metrics::{CONTENT_TYPE, Metrics};
use axum::Router;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use std::sync::Arc;

/// What the handlers read.
#[derive(Debug, Clone)]
pub struct HttpState {
    /// Readiness.
    pub health: Arc<Health>,
    /// The metrics registry.
    pub metrics: Arc<Metrics>,
}

/// The daemon's routes. Merge extra routes with [`Router::merge`].
pub fn router(state: HttpState) -> Router {
    Router::new()
        .route("/healthz", get(healthz))
        .route("/readyz", get(readyz))
        .route("/metrics", get(metrics))
        .with_state(state)
}

/// `GET /healthz`: the process is alive.
async fn healthz() -> &'static str {
    "ok\n"
}

/// `GET /readyz`: 200 when ready, else 503; the body is the health state as JSON.
async fn readyz(State(state): State<HttpState>) -> Response {
    let health = state.health.snapshot();
    let code = if health.ready() {
        StatusCode::OK
    } else {
        StatusCode::SERVICE_UNAVAILABLE
    };
    (code, axum::Json(health)).into_response()
}

/// `GET /metrics`: Prometheus text format.
async fn metrics(State(state): State<HttpState>) -> Response {
    (
        [(header::CONTENT_TYPE, CONTENT_TYPE)],
        state.metrics.render(),
    )
        .into_response()
}
