//! `hrsync run`: the long-running daemon around a [`Runner`] (in production, an adapter over
//! `sync::run_once`).
//!
//! - [`scheduler`]: when the next run is due (cron in a time zone, exact wake-ups, back-off,
//!   quarantine, debounced triggers, skipped ticks); pure.
//! - `driver`: the loop that sleeps, runs (never two at once), records and stops.
//! - [`signals`]: SIGTERM/SIGINT → graceful shutdown, SIGHUP → reload between runs.
//! - [`systemd`]: `READY=1`, `STATUS=`, `WATCHDOG=1`, `STOPPING=1`.
//! - [`http`]: `/healthz`, `/readyz`, `/metrics`, plus routes merged in by the caller.
//! - [`metrics`], [`health`]: what `/metrics` and `/readyz` report.
//! - [`clock`]: the injected wall clock.
//!
//! This module knows nothing about HR, Okta or plans: it only sees [`RunSummary`] values.

pub mod clock;
mod driver;
pub mod health;
pub mod http;
pub mod metrics;
pub mod runner;
pub mod scheduler;
pub mod signals;
pub mod sync_runner;
pub mod systemd;

pub use clock::{Clock, SystemClock, VirtualClock};
pub use runner::{RunOutcome, RunSummary, Runner, Shutdown, Trigger};
pub use sync_runner::SyncRunner;

use crate::config::ScheduleConfig;
use health::Health;
use metrics::Metrics;
use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;
use systemd::{Notice, Notifier, SdNotifier};
use tokio::net::TcpListener;
use tokio::sync::{Notify, watch};

/// Default debounce window of external triggers.
pub const DEFAULT_DEBOUNCE: Duration = Duration::from_secs(2);

/// Shortest time between two runs caused by external triggers (webhooks): a burst or a
/// replayed webhook makes at most one run per this interval.
pub const MIN_TRIGGER_INTERVAL: Duration = Duration::from_secs(30);

/// How long the HTTP server may take to close its connections after the daemon stopped.
const HTTP_STOP_GRACE: Duration = Duration::from_secs(2);

/// Why the daemon stopped other than by a clean shutdown.
#[derive(Debug, thiserror::Error)]
pub enum DaemonError {
    /// The runner's startup check failed; the daemon never became ready.
    #[error("startup check failed: {0}")]
    StartupCheck(String),
    /// The HTTP listener could not be bound.
    #[error("cannot listen on {addr}: {source}")]
    Bind {
        /// The address.
        addr: SocketAddr,
        /// The cause.
        source: std::io::Error,
    },
    /// The signal handlers could not be installed.
    #[error("cannot install signal handlers: {0}")]
    Signals(std::io::Error),
    /// The run in flight did not stop within the shutdown timeout and was abandoned.
    #[error("the run in flight did not stop within {0:?}")]
    ShutdownTimeout(Duration),
}

/// Requests shared between the handle and the loop.
#[derive(Debug)]
pub(crate) struct Control {
    /// Turns true on shutdown; runners see it through [`Shutdown`].
    shutdown: watch::Sender<bool>,
    /// A reload was requested and not yet done.
    reload_pending: AtomicBool,
    /// Wakes the idle loop for a reload.
    reload: Notify,
    /// An external run was requested.
    trigger: Notify,
}

/// Asks a running daemon for things; cheap to clone (hand one to webhook routes).
#[derive(Debug, Clone)]
pub struct DaemonHandle(Arc<Control>);

impl DaemonHandle {
    /// Requests a run soon (debounced: triggers close together make one run).
    pub fn trigger(&self) {
        self.0.trigger.notify_one();
    }

    /// Requests a configuration reload, done between runs.
    pub fn reload(&self) {
        self.0.reload_pending.store(true, Ordering::SeqCst);
        self.0.reload.notify_one();
    }

    /// Requests a graceful shutdown: no new runs; the run in flight finishes its action.
    pub fn shutdown(&self) {
        self.0.shutdown.send_replace(true);
    }

    /// The shutdown signal as runners see it.
    pub fn shutdown_signal(&self) -> Shutdown {
        Shutdown::new(self.0.shutdown.subscribe())
    }
}

/// Where the HTTP endpoint listens.
#[derive(Debug)]
enum Listen {
    /// No HTTP endpoint.
    None,
    /// Bind this address at start.
    Addr(SocketAddr),
    /// Use this bound listener.
    Bound(TcpListener),
}

/// The daemon, configured with a builder and started with [`Daemon::run`].
pub struct Daemon<R, C> {
    /// What runs.
    runner: Arc<R>,
    /// Cron, zone, back-off ceiling, shutdown timeout.
    schedule: ScheduleConfig,
    /// Wall clock.
    clock: C,
    /// HTTP endpoint.
    listen: Listen,
    /// Routes merged into the HTTP router.
    extra_routes: Option<axum::Router>,
    /// systemd notices.
    notifier: Arc<dyn Notifier>,
    /// Trigger debounce window.
    debounce: Duration,
    /// Shortest time between runs caused by external triggers.
    min_trigger_interval: Duration,
    /// Shared requests.
    control: Arc<Control>,
    /// Metrics.
    metrics: Arc<Metrics>,
    /// Health.
    health: Arc<Health>,
}

impl<R: Runner, C: Clock> Daemon<R, C> {
    /// A daemon with no HTTP endpoint, the systemd notifier and the default debounce.
    pub fn new(runner: Arc<R>, schedule: ScheduleConfig, clock: C) -> Self {
        let (shutdown, _) = watch::channel(false);
        Self {
            runner,
            schedule,
            clock,
            listen: Listen::None,
            extra_routes: None,
            notifier: Arc::new(SdNotifier),
            debounce: DEFAULT_DEBOUNCE,
            min_trigger_interval: MIN_TRIGGER_INTERVAL,
            control: Arc::new(Control {
                shutdown,
                reload_pending: AtomicBool::new(false),
                reload: Notify::new(),
                trigger: Notify::new(),
            }),
            metrics: Arc::new(Metrics::new()),
            health: Arc::new(Health::default()),
        }
    }

    /// Serves `/healthz`, `/readyz`, `/metrics` on `addr`.
    pub fn listen(mut self, addr: SocketAddr) -> Self {
        self.listen = Listen::Addr(addr);
        self
    }

    /// Serves the HTTP endpoint on an already bound listener (tests bind `127.0.0.1:0`).
    pub fn listener(mut self, listener: TcpListener) -> Self {
        self.listen = Listen::Bound(listener);
        self
    }

    /// Routes merged into the HTTP router (e.g. `POST /webhooks/hibob`).
    pub fn extra_routes(mut self, routes: axum::Router) -> Self {
        self.extra_routes = Some(routes);
        self
    }

    /// Where systemd notices go (default: [`SdNotifier`]).
    pub fn notifier(mut self, notifier: Arc<dyn Notifier>) -> Self {
        self.notifier = notifier;
        self
    }

    /// The shortest time between two runs caused by external triggers.
    pub fn min_trigger_interval(mut self, interval: Duration) -> Self {
        self.min_trigger_interval = interval;
        self
    }

    /// The window in which several external triggers make one run.
    pub fn debounce(mut self, debounce: Duration) -> Self {
        self.debounce = debounce;
        self
    }

    /// A handle to trigger runs, reload and stop.
    pub fn handle(&self) -> DaemonHandle {
        DaemonHandle(Arc::clone(&self.control))
    }

    /// The metrics registry (for tests and extra routes).
    pub fn metrics(&self) -> Arc<Metrics> {
        Arc::clone(&self.metrics)
    }

    /// The health state.
    pub fn health(&self) -> Arc<Health> {
        Arc::clone(&self.health)
    }

    /// [`Daemon::run`] with SIGTERM/SIGINT (shutdown) and SIGHUP (reload) handled.
    pub async fn run_with_signals(self) -> Result<(), DaemonError> {
        let signals = signals::forward_signals(self.handle()).map_err(DaemonError::Signals)?;
        let result = self.run().await;
        signals.abort();
        result
    }

    /// Runs until shutdown is requested through a [`DaemonHandle`]. Does not install signal
    /// handlers: see [`Daemon::run_with_signals`].
    pub async fn run(self) -> Result<(), DaemonError> {
        self.runner
            .check()
            .await
            .map_err(DaemonError::StartupCheck)?;
        let listener = match self.listen {
            Listen::None => None,
            Listen::Bound(l) => Some(l),
            Listen::Addr(addr) => Some(
                TcpListener::bind(addr)
                    .await
                    .map_err(|source| DaemonError::Bind { addr, source })?,
            ),
        };
        let (http_stop, http_stopped) = tokio::sync::oneshot::channel::<()>();
        let server = listener.map(|l| {
            if let Ok(addr) = l.local_addr() {
                tracing::info!(%addr, "serving /healthz, /readyz, /metrics");
            }
            let mut app = http::router(http::HttpState {
                health: Arc::clone(&self.health),
                metrics: Arc::clone(&self.metrics),
            });
            if let Some(extra) = self.extra_routes {
                app = app.merge(extra);
            }
            tokio::spawn(http::serve(l, app, async {
                let _ = http_stopped.await;
            }))
        });
        let watchdog = systemd::spawn_watchdog(Arc::clone(&self.notifier));
        self.notifier.notify(Notice::Ready);
        tracing::info!(cron = %self.schedule.cron_expr, timezone = %self.schedule.timezone,
            "daemon ready");

        let now = self.clock.now();
        let driver = driver::Driver {
            runner: self.runner,
            scheduler: scheduler::Scheduler::new(&self.schedule, self.debounce, now)
                .with_min_trigger_interval(self.min_trigger_interval),
            clock: self.clock,
            shutdown_rx: self.control.shutdown.subscribe(),
            control: self.control,
            metrics: self.metrics,
            health: self.health,
            notifier: Arc::clone(&self.notifier),
            shutdown_timeout: self.schedule.shutdown_timeout,
            stopping_sent: false,
        };
        let result = driver.run().await;

        if let Some(w) = watchdog {
            w.abort();
        }
        let _ = http_stop.send(());
        if let Some(mut server) = server
            && tokio::time::timeout(HTTP_STOP_GRACE, &mut server)
                .await
                .is_err()
        {
            server.abort();
        }
        result
    }
}

/// The production entry point: the daemon with OS signal handling (SIGTERM/SIGINT stop it,
/// SIGHUP reloads), the systemd notifier, and the HTTP endpoint on `listen` if given.
/// `extra_routes` receives the daemon's handle (a webhook route calls
/// [`DaemonHandle::trigger`]) and returns routes to merge, if any.
pub async fn run_daemon<R: Runner, C: Clock>(
    runner: Arc<R>,
    schedule: ScheduleConfig,
    listen: Option<SocketAddr>,
    clock: C,
    extra_routes: impl FnOnce(DaemonHandle) -> Option<axum::Router>,
) -> Result<(), DaemonError> {
    let mut daemon = Daemon::new(runner, schedule, clock);
    if let Some(addr) = listen {
        daemon = daemon.listen(addr);
    }
    if let Some(routes) = extra_routes(daemon.handle()) {
        daemon = daemon.extra_routes(routes);
    }
    daemon.run_with_signals().await
}
