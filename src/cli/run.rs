//! `hrsync run`: the daemon. Runs syncs on the cron schedule and at the exact activation and
//! termination moments, serves `/healthz`, `/readyz`, `/metrics` (and `/webhooks/hibob` for a
//! bob source with a webhook secret), talks to systemd, and stops cleanly on SIGTERM.

use crate::config::SourceConfig;
use crate::daemon::{DaemonHandle, SyncRunner, SystemClock, run_daemon};
use crate::source::hibob::{parse_event, verify_signature};
use anyhow::Context;
use axum::body::Bytes;
use axum::http::{HeaderMap, StatusCode};
use axum::routing::post;
use std::path::Path;
use std::process::ExitCode;
use std::sync::Arc;

/// Largest webhook body accepted (bob's events are a few hundred bytes).
const MAX_WEBHOOK_BYTES: usize = 64 * 1024;

/// Runs the daemon until SIGTERM/SIGINT.
pub async fn run(config_path: &Path) -> anyhow::Result<ExitCode> {
    let config = super::load_config(config_path)?;
    let (_lock, deps) = super::sync::exclusive_deps(&config)?;
    let runner = SyncRunner::new(config_path.to_path_buf(), config.clone(), deps);
    let webhook_secret = match &config.source {
        SourceConfig::HiBob(bob) => bob.webhook_secret.clone(),
        SourceConfig::File(_) => None,
    };
    tracing::info!(
        config = %config_path.display(),
        cron = %config.schedule.cron_expr,
        timezone = %config.schedule.timezone.name(),
        listen = ?config.server.listen,
        "hrsync daemon starting"
    );
    run_daemon(
        Arc::new(runner),
        config.schedule.clone(),
        config.server.listen,
        SystemClock,
        move |handle| webhook_secret.map(|secret| webhook_routes(handle, secret)),
    )
    .await
    .context("daemon")?;
    Ok(ExitCode::SUCCESS)
}

/// `POST /webhooks/hibob`: verifies `Bob-Signature`, then asks for a (debounced) run.
pub fn webhook_routes(handle: DaemonHandle, secret: crate::config::Secret) -> axum::Router {
    let secret = Arc::new(secret);
    axum::Router::new().route(
        "/webhooks/hibob",
        post(move |headers: HeaderMap, body: Bytes| {
            let handle = handle.clone();
            let secret = secret.clone();
            async move {
                if body.len() > MAX_WEBHOOK_BYTES {
                    return StatusCode::PAYLOAD_TOO_LARGE;
                }
                let signature = headers.get("bob-signature").and_then(|v| v.to_str().ok());
                if !verify_signature(&secret, &body, signature) {
                    tracing::warn!("refused a webhook with a missing or wrong Bob-Signature");
                    return StatusCode::UNAUTHORIZED;
                }
                match parse_event(&body) {
                    Ok(event) if event.should_trigger_run() => {
                        tracing::info!(kind = ?event.kind, "bob webhook: run requested");
                        handle.trigger();
                        StatusCode::ACCEPTED
                    }
                    Ok(_) => StatusCode::OK,
                    Err(err) => {
                        tracing::warn!("unreadable bob webhook: {err}");
                        StatusCode::BAD_REQUEST
                    }
                }
            }
        }),
    )
}
