//! Control endpoints for tests and benchmarks under `/__emulator/`: every user, statistics,
//! resets, seeding and run-time configuration. Authenticated like the API, but neither
//! rate-limited nor counted.

use super::app::App;
use super::config::EmulatorConfig;
use super::errors::{ApiError, json_ok};
use super::state::lock;
use super::stats::EmulatorStats;
use super::user::UserRecord;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};
use std::sync::atomic::Ordering;

/// Loads seed entries (see [`UserRecord::from_seed`]); returns how many were stored.
pub fn seed(app: &App, entries: &[Value]) -> usize {
    let at = app.now();
    let mut store = lock(&app.store);
    let mut n = 0;
    for e in entries {
        if let Some(u) = UserRecord::from_seed(e, at) {
            store.put_indexed(u, at);
            n += 1;
        }
    }
    n
}

/// A statistics snapshot.
pub fn stats(app: &App) -> EmulatorStats {
    lock(&app.stats).snapshot(app.peak_in_flight.load(Ordering::SeqCst))
}

/// Every user in the API's shape, DEPROVISIONED included.
pub fn users_json(app: &App) -> Vec<Value> {
    let store = lock(&app.store);
    store
        .all()
        .map(|u| u.render(&app.base_url, false))
        .collect()
}

/// Merges a JSON patch into a JSON document (objects merge key by key; anything else replaces).
pub fn merge(target: &mut Value, patch: Value) {
    match (target, patch) {
        (Value::Object(t), Value::Object(p)) => {
            for (k, v) in p {
                merge(t.entry(k).or_insert(Value::Null), v);
            }
        }
        (t, p) => *t = p,
    }
}

/// Applies a JSON patch to the configuration.
pub fn patch_config(app: &App, patch: Value) -> Result<(), ApiError> {
    let mut cfg = lock(&app.config);
    let mut doc = serde_json::to_value(&*cfg).map_err(|_| ApiError::internal())?;
    merge(&mut doc, patch);
    let updated: EmulatorConfig = serde_json::from_value(doc)
        .map_err(|e| ApiError::malformed_body().with_causes(vec![e.to_string()]))?;
    *cfg = updated;
    drop(cfg);
    app.config_changed();
    Ok(())
}

/// `GET /__emulator/users`.
pub async fn get_users(State(app): State<App>) -> Response {
    json_ok(&Value::Array(users_json(&app)))
}

/// `GET /__emulator/stats`.
pub async fn get_stats(State(app): State<App>) -> Response {
    match serde_json::to_value(stats(&app)) {
        Ok(v) => json_ok(&v),
        Err(_) => ApiError::internal().into_response(),
    }
}

/// `POST /__emulator/stats/reset`.
pub async fn reset_stats(State(app): State<App>) -> Response {
    app.reset_stats();
    StatusCode::NO_CONTENT.into_response()
}

/// `POST /__emulator/reset`: drops every user, counter, rate-limit window and token, and
/// restores the configured schema.
pub async fn reset(State(app): State<App>) -> Response {
    app.reset_org();
    lock(&app.limiter).clear();
    lock(&app.oauth).clear();
    app.reset_stats();
    StatusCode::NO_CONTENT.into_response()
}

/// `POST /__emulator/seed` with a JSON array of users.
pub async fn post_seed(State(app): State<App>, body: Bytes) -> Response {
    match serde_json::from_slice::<Value>(&body) {
        Ok(Value::Array(entries)) => {
            let n = seed(&app, &entries);
            json_ok(&json!({ "seeded": n }))
        }
        _ => ApiError::malformed_body().into_response(),
    }
}

/// `POST /__emulator/clock` with `{"advance_ms": N}`: moves the org clock forward; answers
/// `{"now": "<org time>"}`.
pub async fn post_clock(State(app): State<App>, body: Bytes) -> Response {
    let ms = serde_json::from_slice::<Value>(&body)
        .ok()
        .and_then(|v| v.get("advance_ms").and_then(Value::as_u64));
    match ms {
        Some(ms) => {
            app.clock.advance(std::time::Duration::from_millis(ms));
            json_ok(&json!({ "now": super::user::fmt_time(&app.now()) }))
        }
        None => ApiError::malformed_body().into_response(),
    }
}

/// `PUT /__emulator/config` with a partial configuration (JSON merge).
pub async fn put_config(State(app): State<App>, body: Bytes) -> Response {
    let patch = match serde_json::from_slice::<Value>(&body) {
        Ok(v @ Value::Object(_)) => v,
        _ => return ApiError::malformed_body().into_response(),
    };
    match patch_config(&app, patch) {
        Ok(()) => StatusCode::NO_CONTENT.into_response(),
        Err(e) => e.into_response(),
    }
}

#[cfg(test)]
mod tests;
