//! The daemon's HTTP/1.1 accept loop (hyper), hardened against slow and idle clients:
//!
//! - at most [`Limits::max_connections`] connections are open; one more is closed at once
//!   (not queued) and counted, so the server's descriptors are bounded and a run always finds
//!   its own;
//! - a request's head must arrive within [`Limits::header_timeout`] of its first byte (of the
//!   accept, for a connection's first request), and its body within as long again after the
//!   head; a connection with no byte read or written for [`Limits::idle_timeout`] is closed;
//! - an accept error (`EMFILE`, …) never ends the server: it pauses briefly and goes on;
//! - on stop it accepts nothing more, lets requests in flight finish and closes the other
//!   connections at once (the caller bounds how long the requests in flight may take).
//!
//! It serves whatever router it is given and decides nothing about requests.

mod activity;

use super::metrics::Metrics;
use activity::{Activity, Phase, Watched};
use axum::Router;
use hyper::body::Incoming;
use hyper_util::rt::{TokioIo, TokioTimer};
use std::future::Future;
use std::sync::Arc;
use std::time::Duration;
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{OwnedSemaphorePermit, Semaphore, watch};
use tokio::task::JoinSet;
use tokio::time::Instant;
use tower::ServiceExt;

/// Pause after an accept error such as `EMFILE` (the listener stays readable, so going on at
/// once would spin).
const ACCEPT_ERROR_PAUSE: Duration = Duration::from_millis(100);

/// Longest head timeout handed to hyper (its timer adds it to "now" unchecked).
const BACKSTOP_CEILING: Duration = Duration::from_secs(86_400);

/// Least time between two warnings about refused connections or accept errors.
const WARN_EVERY: Duration = Duration::from_secs(60);

/// The server's limits (`[server]` in the configuration).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Most connections open at once.
    pub max_connections: usize,
    /// How long a request's head may take (and then its body).
    pub header_timeout: Duration,
    /// How long a connection may go without a byte read or written.
    pub idle_timeout: Duration,
}

impl From<&crate::config::ServerConfig> for Limits {
    fn from(c: &crate::config::ServerConfig) -> Self {
        Self {
            max_connections: c.max_connections.max(1),
            header_timeout: c.header_timeout,
            idle_timeout: c.idle_timeout,
        }
    }
}

impl Default for Limits {
    /// The configuration's defaults: 64 connections, 10 s, 60 s.
    fn default() -> Self {
        Self::from(&crate::config::ServerConfig::default())
    }
}

/// Serves `app` on `listener` within `limits` until `stop` resolves, then waits for the open
/// connections to end (abort the task to cut that short: every connection is dropped with it).
pub async fn serve(
    listener: TcpListener,
    app: Router,
    limits: Limits,
    metrics: Arc<Metrics>,
    stop: impl Future<Output = ()> + Send + 'static,
) {
    let slots = Arc::new(Semaphore::new(
        limits.max_connections.clamp(1, Semaphore::MAX_PERMITS),
    ));
    let (stopping, stopping_rx) = watch::channel(false);
    let mut connections = JoinSet::new();
    let mut refused_warned: Option<Instant> = None;
    let mut error_warned: Option<Instant> = None;
    tokio::pin!(stop);
    loop {
        while connections.try_join_next().is_some() {}
        let accepted = tokio::select! {
            () = &mut stop => break,
            a = listener.accept() => a,
        };
        match accepted {
            Ok((stream, _)) => match Arc::clone(&slots).try_acquire_owned() {
                Ok(permit) => {
                    let conn = Connection {
                        app: app.clone(),
                        limits,
                        metrics: Arc::clone(&metrics),
                        _permit: permit,
                    };
                    connections.spawn(conn.serve(stream, stopping_rx.clone()));
                }
                Err(_) => {
                    drop(stream);
                    metrics.edge().connection_refused();
                    if due(&mut refused_warned) {
                        tracing::warn!(
                            max_connections = limits.max_connections,
                            "HTTP connection refused: [server] max_connections are open (counted in hrsync_http_connections_refused_total)"
                        );
                    }
                }
            },
            Err(e) if per_connection(&e) => {}
            Err(error) => {
                metrics.edge().accept_error();
                if due(&mut error_warned) {
                    tracing::warn!(%error, "cannot accept an HTTP connection; pausing briefly");
                }
                tokio::select! {
                    () = &mut stop => break,
                    () = tokio::time::sleep(ACCEPT_ERROR_PAUSE) => {}
                }
            }
        }
    }
    drop(listener);
    let _ = stopping.send(true);
    while connections.join_next().await.is_some() {}
}

/// Whether an accept error concerns only the connection being accepted (go on at once).
fn per_connection(e: &std::io::Error) -> bool {
    use std::io::ErrorKind::{ConnectionAborted, ConnectionReset, Interrupted};
    matches!(e.kind(), ConnectionAborted | ConnectionReset | Interrupted)
}

/// True (and remembers now) when no warning was logged within [`WARN_EVERY`].
fn due(last: &mut Option<Instant>) -> bool {
    let now = Instant::now();
    if last.is_some_and(|at| now.duration_since(at) < WARN_EVERY) {
        return false;
    }
    *last = Some(now);
    true
}

/// One accepted connection and what it holds.
struct Connection {
    /// The routes.
    app: Router,
    /// Timeouts.
    limits: Limits,
    /// Where closes are counted.
    metrics: Arc<Metrics>,
    /// The connection's slot under the cap, released when the connection ends.
    _permit: OwnedSemaphorePermit,
}

impl Connection {
    /// Serves HTTP/1.1 on `stream` until the client leaves, a timeout closes it, or the
    /// server stops (then requests in flight finish first).
    async fn serve(self, stream: TcpStream, mut stopping: watch::Receiver<bool>) {
        let _ = stream.set_nodelay(true);
        self.metrics.edge().connection(true);
        let activity = Arc::new(Activity::new());
        let watched = Watched {
            inner: stream,
            activity: Arc::clone(&activity),
        };
        let app = self.app.clone();
        let seen = Arc::clone(&activity);
        let service = hyper::service::service_fn(move |req: hyper::Request<Incoming>| {
            seen.enter(Phase::Busy);
            let app = app.clone();
            let seen = Arc::clone(&seen);
            async move {
                let response = app.oneshot(req.map(axum::body::Body::new)).await;
                seen.enter(Phase::Idle);
                response
            }
        });
        let mut builder = hyper::server::conn::http1::Builder::new();
        // hyper's own head timer starts when it waits for a head, even on an idle keep-alive
        // connection: set far enough out that it is only a backstop behind the watch below.
        builder.timer(TokioTimer::new()).header_read_timeout(
            (self
                .limits
                .header_timeout
                .saturating_add(self.limits.idle_timeout))
            .min(BACKSTOP_CEILING),
        );
        let conn = builder.serve_connection(TokioIo::new(watched), service);
        tokio::pin!(conn);
        let mut stop_sent = false;
        loop {
            let deadline = activity.deadline(&self.limits);
            tokio::select! {
                _ = conn.as_mut() => break,
                () = tokio::time::sleep_until(deadline) => {
                    if let Some(why) = activity.expired(&self.limits, Instant::now()) {
                        self.metrics.edge().connection_timed_out(why);
                        tracing::debug!(reason = why.as_str(), "closed a slow or idle HTTP connection");
                        break;
                    }
                }
                _ = stopping.changed(), if !stop_sent => {
                    stop_sent = true;
                    // A head still arriving gets no answer from a stopping server; a request
                    // in flight finishes; hyper closes an idle connection at once.
                    if activity.phase() == Phase::Head as u8 {
                        break;
                    }
                    conn.as_mut().graceful_shutdown();
                }
            }
        }
        self.metrics.edge().connection(false);
    }
}
