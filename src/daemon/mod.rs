//! `hrsync run`: the long-running daemon around a [`Runner`] (in production, an adapter over
//! `sync::run_once`).
//!
//! - [`scheduler`]: when the next run is due (cron in a time zone, exact wake-ups, back-off,
//!   quarantine, debounced triggers, skipped ticks); pure.
//! - `driver`: the loop that sleeps, runs (never two at once), records and stops.
//! - [`signals`]: SIGTERM/SIGINT → graceful shutdown, SIGHUP → reload between runs.
//! - [`systemd`]: `READY=1`, `STATUS=`, `WATCHDOG=1`, `STOPPING=1`.
//! - [`http`]: `/healthz`, `/readyz`, `/metrics`, plus routes merged in by the caller, served
//!   by [`server`] (connection cap, header and idle timeouts) under a cap from [`fdlimit`].
//! - [`startup`]: the startup check, retried with back-off until it passes.
//! - [`dedup`]: the bounded memory that drops duplicate webhook deliveries.
//! - [`metrics`], [`health`]: what `/metrics` and `/readyz` report.
//! - [`clock`]: the injected wall clock.
//! - `role`: with a shared journal, only the instance holding the leader lease runs; the
//!   others wait as standbys (the lease itself is kept by [`crate::ha`]).
//!
//! This module knows nothing about HR, Okta or plans: it only sees [`RunSummary`] values.

pub mod clock;
pub mod dedup;
mod driver;
mod endpoint;
pub mod fdlimit;
pub mod health;
pub mod http;
pub mod metrics;
pub mod runner;
pub mod scheduler;
pub mod server;
pub mod signals;
pub mod startup;
pub mod sync_runner;
pub mod systemd;

pub use clock::{Clock, SystemClock, VirtualClock};
pub use runner::{
    Reloaded, RunStatus, RunSummary, Runner, RunnerError, Shutdown, Trigger, describe,
};
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

/// Why the daemon stopped other than by a clean shutdown. (A failing startup check is not
/// one: the daemon waits and retries, see [`startup`].)
#[derive(Debug, thiserror::Error)]
pub enum DaemonError {
    /// The HTTP listener could not be bound.
    #[error("cannot listen on {addr}")]
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
    /// The metrics registry (webhook routes count duplicates in it).
    metrics: Arc<Metrics>,
    /// The daemon's own settings from the last successful reload, not yet applied.
    reloaded: std::sync::Mutex<Option<Reloaded>>,
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

    /// The daemon's metrics (a webhook route counts the duplicates it drops).
    pub fn metrics(&self) -> &Metrics {
        &self.0.metrics
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
    /// Connection cap and timeouts of the HTTP server.
    limits: server::Limits,
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
    /// This instance's role in the leader lease (`None`: it runs alone).
    role: Option<watch::Receiver<crate::ha::Role>>,
}

impl<R: Runner, C: Clock> Daemon<R, C> {
    /// A daemon with no HTTP endpoint, the systemd notifier and the default debounce.
    pub fn new(runner: Arc<R>, schedule: ScheduleConfig, clock: C) -> Self {
        let (shutdown, _) = watch::channel(false);
        let metrics = Arc::new(Metrics::new());
        Self {
            runner,
            schedule,
            clock,
            listen: Listen::None,
            extra_routes: None,
            limits: server::Limits::default(),
            notifier: Arc::new(SdNotifier),
            debounce: DEFAULT_DEBOUNCE,
            min_trigger_interval: MIN_TRIGGER_INTERVAL,
            control: Arc::new(Control {
                shutdown,
                reload_pending: AtomicBool::new(false),
                reload: Notify::new(),
                trigger: Notify::new(),
                metrics: Arc::clone(&metrics),
                reloaded: std::sync::Mutex::new(None),
            }),
            metrics,
            health: {
                let health = Health::default();
                health.update(|h| h.set_role(&crate::ha::Role::Single));
                Arc::new(health)
            },
            role: None,
        }
    }

    /// Runs only while `role` says this instance may (the leader lease): a standby runs
    /// nothing, answers `/readyz` 503, and runs at once when it takes the lease over.
    pub fn role(mut self, role: watch::Receiver<crate::ha::Role>) -> Self {
        self.role = Some(role);
        self
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

    /// The HTTP server's connection cap and timeouts (default: `[server]`'s defaults). The cap
    /// is lowered at start when the open-files limit leaves too little for runs.
    pub fn server_limits(mut self, limits: server::Limits) -> Self {
        self.limits = limits;
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
    /// handlers: see [`Daemon::run_with_signals`]. The HTTP endpoint serves (and `READY=1` is
    /// sent) before the startup check; runs start once it passed.
    pub async fn run(mut self) -> Result<(), DaemonError> {
        let listener = match std::mem::replace(&mut self.listen, Listen::None) {
            Listen::None => None,
            Listen::Bound(l) => Some(l),
            Listen::Addr(addr) => Some(
                TcpListener::bind(addr)
                    .await
                    .map_err(|source| DaemonError::Bind { addr, source })?,
            ),
        };
        self.health
            .update(|h| h.waiting_for = Some(startup::CHECKING.to_owned()));
        let mut app = http::router(http::HttpState {
            health: Arc::clone(&self.health),
            metrics: Arc::clone(&self.metrics),
        });
        if let Some(extra) = self.extra_routes.take() {
            app = app.merge(extra);
        }
        let mut endpoint = endpoint::Endpoint::new(app, Arc::clone(&self.metrics));
        if let Some(listener) = listener {
            endpoint.serve(listener, self.limits);
        }
        let endpoint = Arc::new(tokio::sync::Mutex::new(endpoint));
        let watchdog = systemd::spawn_watchdog(Arc::clone(&self.notifier));
        self.notifier.notify(Notice::Ready);

        let result = self.drive(Arc::clone(&endpoint)).await;

        if let Some(w) = watchdog {
            w.abort();
        }
        endpoint.lock().await.stop().await;
        result
    }

    /// The startup check until it passes, then the scheduling loop until shutdown.
    async fn drive(
        self,
        endpoint: Arc<tokio::sync::Mutex<endpoint::Endpoint>>,
    ) -> Result<(), DaemonError> {
        let passed = startup::StartupCheck {
            runner: &*self.runner,
            clock: &self.clock,
            control: &self.control,
            shutdown_rx: self.control.shutdown.subscribe(),
            health: &self.health,
            metrics: &self.metrics,
            notifier: &*self.notifier,
            ceiling: self.schedule.max_backoff,
        }
        .pass()
        .await;
        if !passed {
            self.notifier.notify(Notice::Stopping);
            tracing::info!("daemon stopped before its startup check passed");
            return Ok(());
        }
        tracing::info!(cron = %self.schedule.cron.expr(), timezone = %self.schedule.timezone,
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
            role: self.role,
            last_role: None,
            endpoint,
            schedule: self.schedule.clone(),
        };
        driver.run().await
    }
}
