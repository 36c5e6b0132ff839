//! The daemon's HTTP endpoint as something a reload can move: it serves the router on a
//! listener within [`Limits`] (the connection cap lowered when the open-files limit leaves too
//! few descriptors for runs), and [`Endpoint::apply`] moves it to a new address or new limits.
//! A new address is bound *before* the old listener is let go, so a bind that fails keeps the
//! old endpoint serving; the same address with new limits restarts the server on it.
//!
//! It serves whatever router it is given and decides nothing about requests.

use super::fdlimit;
use super::metrics::Metrics;
use super::server::{self, Limits};
use axum::Router;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;
use tokio::net::TcpListener;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

/// How long a stopped server may take to close its connections.
const STOP_GRACE: Duration = Duration::from_secs(2);

/// A serving HTTP server.
#[derive(Debug)]
struct Running {
    addr: Option<SocketAddr>,
    /// The limits as configured (before the cap is lowered).
    limits: Limits,
    stop: oneshot::Sender<()>,
    task: JoinHandle<()>,
}

impl Running {
    async fn stop(self) {
        let _ = self.stop.send(());
        let mut task = self.task;
        if tokio::time::timeout(STOP_GRACE, &mut task).await.is_err() {
            task.abort();
        }
    }
}

/// The endpoint: nothing, or one server.
#[derive(Debug)]
pub struct Endpoint {
    app: Router,
    metrics: Arc<Metrics>,
    running: Option<Running>,
}

impl Endpoint {
    /// An endpoint serving `app` (nothing until [`Endpoint::serve`] or [`Endpoint::apply`]).
    pub fn new(app: Router, metrics: Arc<Metrics>) -> Self {
        Self {
            app,
            metrics,
            running: None,
        }
    }

    /// Starts serving on `listener` within `limits` (as configured; the cap may be lowered).
    pub fn serve(&mut self, listener: TcpListener, configured: Limits) {
        let limits = capped(configured);
        self.metrics
            .edge()
            .set_max_connections(limits.max_connections);
        let addr = listener.local_addr().ok();
        if let Some(addr) = addr {
            tracing::info!(%addr, max_connections = limits.max_connections,
                header_timeout_s = limits.header_timeout.as_secs_f64(),
                idle_timeout_s = limits.idle_timeout.as_secs_f64(),
                "serving /healthz, /readyz, /metrics");
        }
        let (stop, stopped) = oneshot::channel::<()>();
        let task = tokio::spawn(server::serve(
            listener,
            self.app.clone(),
            limits,
            Arc::clone(&self.metrics),
            async {
                let _ = stopped.await;
            },
        ));
        self.running = Some(Running {
            addr,
            limits: configured,
            stop,
            task,
        });
    }

    /// Moves the endpoint to `listen` (`None`: no endpoint) with `limits`. Nothing happens
    /// when both are what it serves with. A new address is bound first; when that fails the
    /// old server keeps serving and the error is returned.
    pub async fn apply(
        &mut self,
        listen: Option<SocketAddr>,
        limits: Limits,
    ) -> Result<(), std::io::Error> {
        let current = self.running.as_ref().map(|r| (r.addr, r.limits));
        if current == listen.map(|a| (Some(a), limits)) {
            return Ok(());
        }
        let Some(addr) = listen else {
            if let Some(old) = self.running.take() {
                old.stop().await;
                tracing::info!("the HTTP endpoint is off ([server] listen = \"off\")");
            }
            return Ok(());
        };
        if current.is_some_and(|(a, _)| a == Some(addr)) {
            // Only the limits changed: the address must be let go before it can be bound.
            if let Some(old) = self.running.take() {
                old.stop().await;
            }
        }
        let listener = TcpListener::bind(addr).await?;
        if let Some(old) = self.running.take() {
            old.stop().await;
        }
        self.serve(listener, limits);
        Ok(())
    }

    /// Where it serves, if anywhere (and the address is known).
    pub fn addr(&self) -> Option<SocketAddr> {
        self.running.as_ref().and_then(|r| r.addr)
    }

    /// Stops serving.
    pub async fn stop(&mut self) {
        if let Some(old) = self.running.take() {
            old.stop().await;
        }
    }
}

/// `limits` with the connection cap lowered if the open-files limit leaves too few
/// descriptors for runs.
fn capped(mut limits: Limits) -> Limits {
    let open_files = fdlimit::open_files_limit();
    let cap = fdlimit::connection_cap(limits.max_connections, open_files);
    if cap < limits.max_connections {
        tracing::warn!(
            open_files_limit = open_files,
            reserve_for_runs = fdlimit::RUN_RESERVE,
            configured = limits.max_connections,
            max_connections = cap,
            "the open-files limit leaves too few descriptors for runs: lowered [server] max_connections from {} to {cap}",
            limits.max_connections
        );
        limits.max_connections = cap;
    }
    limits
}
