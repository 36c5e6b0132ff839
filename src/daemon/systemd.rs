//! systemd integration through `sd-notify` 0.5: `READY=1` after the startup checks,
//! `STATUS=` with the last run's summary, `WATCHDOG=1` at half the `WATCHDOG_USEC` interval,
//! `RELOADING=1` + `MONOTONIC_USEC=` then `READY=1` around a reload, `STOPPING=1` on shutdown. Every call is a no-op when `NOTIFY_SOCKET` is not set.
//!
//! The daemon talks to a [`Notifier`] so tests can record notices; this module never fails the
//! daemon: a notice that cannot be sent is logged and dropped.

use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;
use tokio::task::JoinHandle;

/// A notice to the service manager.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Notice {
    /// `READY=1`.
    Ready,
    /// `STATUS=…` (one line).
    Status(String),
    /// `WATCHDOG=1`.
    Watchdog,
    /// `STOPPING=1`.
    Stopping,
    /// `RELOADING=1` with `MONOTONIC_USEC=` (as `Type=notify-reload` expects); `READY=1`
    /// follows when the reload is done, taken or refused.
    Reloading,
}

/// Where notices go.
pub trait Notifier: Send + Sync + 'static {
    /// Sends one notice; failures are the implementation's to log.
    fn notify(&self, notice: Notice);
    /// The watchdog timeout the service manager expects pings within, if any.
    fn watchdog_timeout(&self) -> Option<Duration>;
}

/// The real systemd notifier (`NOTIFY_SOCKET`, `WATCHDOG_USEC` from the environment).
#[derive(Debug, Clone, Copy, Default)]
pub struct SdNotifier;

impl Notifier for SdNotifier {
    fn notify(&self, notice: Notice) {
        use sd_notify::NotifyState;
        let status;
        let state = match &notice {
            Notice::Ready => NotifyState::Ready,
            Notice::Watchdog => NotifyState::Watchdog,
            Notice::Stopping => NotifyState::Stopping,
            Notice::Reloading => {
                let mut states = vec![NotifyState::Reloading];
                states.extend(NotifyState::monotonic_usec_now().ok());
                if let Err(e) = sd_notify::notify(&states) {
                    tracing::warn!(error = %e, ?notice, "could not notify systemd");
                }
                return;
            }
            Notice::Status(s) => {
                status = one_line(s);
                NotifyState::Status(&status)
            }
        };
        if let Err(e) = sd_notify::notify(&[state]) {
            tracing::warn!(error = %e, ?notice, "could not notify systemd");
        }
    }

    fn watchdog_timeout(&self) -> Option<Duration> {
        sd_notify::watchdog_enabled()
    }
}

/// A notifier that keeps the notices in memory (tests, `hrsync demo`).
#[derive(Debug, Default)]
pub struct MemoryNotifier {
    /// Notices in the order sent.
    notices: Mutex<Vec<Notice>>,
    /// Watchdog timeout to report.
    watchdog: Option<Duration>,
}

impl MemoryNotifier {
    /// A recorder that reports `watchdog` as the watchdog timeout.
    pub fn with_watchdog(watchdog: Option<Duration>) -> Self {
        Self {
            notices: Mutex::default(),
            watchdog,
        }
    }

    /// The notices sent so far.
    pub fn notices(&self) -> Vec<Notice> {
        self.notices
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }
}

impl Notifier for MemoryNotifier {
    fn notify(&self, notice: Notice) {
        self.notices
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .push(notice);
    }

    fn watchdog_timeout(&self) -> Option<Duration> {
        self.watchdog
    }
}

/// `s` with line breaks replaced by spaces (`STATUS=` is one line).
fn one_line(s: &str) -> String {
    s.replace(['\n', '\r'], " ")
}

/// Starts pinging the watchdog at half its timeout, if one is set. Abort the handle to stop.
pub fn spawn_watchdog(notifier: Arc<dyn Notifier>) -> Option<JoinHandle<()>> {
    let timeout = notifier.watchdog_timeout()?;
    let period = (timeout / 2).max(Duration::from_millis(1));
    Some(tokio::spawn(async move {
        let mut tick = tokio::time::interval(period);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tick.tick().await;
            notifier.notify(Notice::Watchdog);
        }
    }))
}

#[cfg(test)]
mod tests;
