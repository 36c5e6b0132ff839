//! `hrsync run`: the daemon. Runs syncs on the cron schedule and at the exact activation and
//! termination moments, serves `/healthz`, `/readyz`, `/metrics` (and `/webhooks/hibob` or
//! `/webhooks/bamboohr` for a bob or BambooHR source with a webhook secret), talks to systemd,
//! and stops cleanly on SIGTERM.

use crate::config::SourceConfig;
use crate::daemon::dedup::RecentKeys;
use crate::daemon::{Daemon, DaemonHandle, MIN_TRIGGER_INTERVAL, SyncRunner, SystemClock};
use crate::source::bamboohr;
use crate::source::hibob::{delivery_key, parse_event, verify_signature};
use anyhow::Context;
use axum::body::Bytes;
use axum::http::{HeaderMap, StatusCode};
use axum::routing::post;
use std::path::Path;
use std::process::ExitCode;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant, SystemTime};

/// Largest webhook body accepted (bob's events are a few hundred bytes).
const MAX_WEBHOOK_BYTES: usize = 64 * 1024;

/// How long a webhook delivery is remembered: a second delivery of the same body within this
/// window is a duplicate (answered 200, no run).
pub const DUPLICATE_WINDOW: Duration = Duration::from_secs(10 * 60);

/// Most deliveries remembered at once (about 48 bytes each); past it the oldest is forgotten.
pub const DUPLICATE_CAPACITY: usize = 4096;

/// Runs the daemon until SIGTERM/SIGINT.
pub async fn run(config_path: &Path) -> anyhow::Result<ExitCode> {
    let config = super::load_config(config_path)?;
    let (_lock, deps) = super::sync::exclusive_deps(&config)?;
    let journal = deps.journal.clone();
    let latest = crate::console::Shared::default();
    let mut runner = SyncRunner::new(config_path.to_path_buf(), config.clone(), deps)
        .with_console(latest.clone());
    // With a shared journal, runs happen only while this instance holds the leader lease.
    let session = match &config.journal.url {
        Some(_) => Some(
            crate::ha::Session::begin(&config.journal, &config.ha)
                .await
                .with_context(|| {
                    format!("leader lease in journal {}", config.journal.location())
                })?,
        ),
        None => None,
    };
    if let Some(session) = &session {
        let leadership = session.leadership();
        tracing::info!(
            holder = leadership.holder(),
            lease_s = leadership.ttl().as_secs_f64(),
            "sharing the journal: {}",
            leadership.role().describe()
        );
        runner = runner.with_leadership(std::sync::Arc::clone(leadership));
    }
    let (routes, min_interval) = match &config.source {
        SourceConfig::HiBob(bob) => (
            bob.webhook_secret.clone().map(|s| (Hook::Bob, s)),
            bob.webhook_min_interval,
        ),
        SourceConfig::BambooHr(b) => (
            b.webhook_secret
                .clone()
                .map(|s| (Hook::Bamboo(b.webhook_max_age), s)),
            b.webhook_min_interval,
        ),
        SourceConfig::File(_)
        | SourceConfig::Personio(_)
        | SourceConfig::Workday(_)
        | SourceConfig::Scim(_)
        | SourceConfig::Sql(_) => (None, MIN_TRIGGER_INTERVAL),
    };
    tracing::info!(
        config = %config_path.display(),
        cron = %config.schedule.cron.expr(),
        timezone = %config.schedule.timezone.name(),
        listen = ?config.server.listen,
        "hrsync daemon starting"
    );
    let mut daemon = Daemon::new(Arc::new(runner), config.schedule.clone(), SystemClock)
        .server_limits((&config.server).into())
        .min_trigger_interval(min_interval);
    if let Some(session) = &session {
        daemon = daemon.role(session.leadership().subscribe());
    }
    if let Some(addr) = config.server.listen {
        daemon = daemon.listen(addr);
    }
    let mut extra = match routes {
        Some((Hook::Bob, secret)) => webhook_routes(daemon.handle(), secret),
        Some((Hook::Bamboo(max_age), secret)) => {
            bamboohr_webhook_routes(daemon.handle(), secret, max_age)
        }
        None => axum::Router::new(),
    };
    // The console's pages read through a read-only handle of their own.
    let reader = match crate::journal::Journal::from_config_read_only(&config.journal) {
        Ok(reader) => reader,
        Err(e) => {
            tracing::warn!("the console reads through the daemon's journal handle: {e}");
            journal.clone()
        }
    };
    if let Some(console) =
        crate::console::Console::new(&config.server, journal, reader, latest, daemon.health())
    {
        tracing::info!("web console on at /console");
        if let Some(warning) = config.server.console_exposure() {
            tracing::warn!("{warning}");
        }
        extra = extra.merge(console.routes());
    }
    daemon = daemon.extra_routes(extra);
    let result = daemon.run_with_signals().await;
    if let Some(session) = session {
        session.end().await;
    }
    result.context("daemon")?;
    Ok(ExitCode::SUCCESS)
}

/// Which webhook route a source with a webhook secret gets.
enum Hook {
    /// `/webhooks/hibob`.
    Bob,
    /// `/webhooks/bamboohr`, with its replay window.
    Bamboo(Duration),
}

/// `POST /webhooks/hibob`: verifies `Bob-Signature`, drops a delivery already seen within
/// [`DUPLICATE_WINDOW`] (200, counted in `hrsync_webhook_duplicates_total`), then asks for a
/// (debounced, rate-limited) run.
pub fn webhook_routes(handle: DaemonHandle, secret: crate::config::Secret) -> axum::Router {
    let secret = Arc::new(secret);
    let seen = Arc::new(Mutex::new(RecentKeys::new(
        DUPLICATE_WINDOW,
        DUPLICATE_CAPACITY,
    )));
    axum::Router::new().route(
        "/webhooks/hibob",
        post(move |headers: HeaderMap, body: Bytes| {
            let handle = handle.clone();
            let secret = secret.clone();
            let seen = seen.clone();
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
                        let first = seen
                            .lock()
                            .unwrap_or_else(PoisonError::into_inner)
                            .first_seen(delivery_key(&body), Instant::now());
                        if !first {
                            handle.metrics().edge().webhook_duplicate();
                            tracing::debug!(kind = ?event.kind, "bob webhook: duplicate delivery dropped");
                            return StatusCode::OK;
                        }
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

/// `POST /webhooks/bamboohr`: verifies `X-BambooHR-Signature` over the body and
/// `X-BambooHR-Timestamp`, refuses a timestamp outside `max_age` (a replay), drops a delivery
/// already seen within [`DUPLICATE_WINDOW`] (200, counted in
/// `hrsync_webhook_duplicates_total`), then asks for a (debounced, rate-limited) run, as bob's
/// route does.
pub fn bamboohr_webhook_routes(
    handle: DaemonHandle,
    secret: crate::config::Secret,
    max_age: Duration,
) -> axum::Router {
    let secret = Arc::new(secret);
    let seen = Arc::new(Mutex::new(RecentKeys::new(
        DUPLICATE_WINDOW,
        DUPLICATE_CAPACITY,
    )));
    axum::Router::new().route(
        "/webhooks/bamboohr",
        post(move |headers: HeaderMap, body: Bytes| {
            let handle = handle.clone();
            let secret = secret.clone();
            let seen = seen.clone();
            async move {
                if body.len() > MAX_WEBHOOK_BYTES {
                    return StatusCode::PAYLOAD_TOO_LARGE;
                }
                let header = |name: &str| headers.get(name).and_then(|v| v.to_str().ok());
                let verified = bamboohr::verify_signature(
                    &secret,
                    &body,
                    header(bamboohr::TIMESTAMP_HEADER),
                    header(bamboohr::SIGNATURE_HEADER),
                    SystemTime::now(),
                    max_age,
                );
                if let Err(refusal) = verified {
                    tracing::warn!("refused a BambooHR webhook: {refusal}");
                    return StatusCode::UNAUTHORIZED;
                }
                match bamboohr::parse_event(&body) {
                    Ok(event) if event.should_trigger_run() => {
                        let first = seen
                            .lock()
                            .unwrap_or_else(PoisonError::into_inner)
                            .first_seen(delivery_key(&body), Instant::now());
                        if !first {
                            handle.metrics().edge().webhook_duplicate();
                            tracing::debug!(
                                kind = event.kind,
                                "BambooHR webhook: duplicate delivery dropped"
                            );
                            return StatusCode::OK;
                        }
                        tracing::info!(kind = event.kind, "BambooHR webhook: run requested");
                        handle.trigger();
                        StatusCode::ACCEPTED
                    }
                    Ok(_) => StatusCode::OK,
                    Err(err) => {
                        tracing::warn!("unreadable BambooHR webhook: {err}");
                        StatusCode::BAD_REQUEST
                    }
                }
            }
        }),
    )
}
