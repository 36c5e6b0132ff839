//! systemd integration through `sd-notify` 0.5: `READY=1` after the startup checks,
//! `STATUS=` with the last run's summary, `WATCHDOG=1` at half the `WATCHDOG_USEC` interval,
//! `STOPPING=1` on shutdown. Every call is a no-op when `NOTIFY_SOCKET` is not set.
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
mod tests {
    use super::*;

    #[tokio::test(start_paused = true)]
    async fn the_watchdog_is_pinged_at_half_its_timeout() {
        let n = Arc::new(MemoryNotifier::with_watchdog(Some(Duration::from_secs(10))));
        let handle = spawn_watchdog(n.clone()).unwrap();
        // Pings at 0, 5, 10, 15 and 20 s.
        tokio::time::sleep(Duration::from_millis(20_500)).await;
        handle.abort();
        assert_eq!(n.notices(), vec![Notice::Watchdog; 5]);
    }

    #[test]
    fn there_is_no_watchdog_task_without_a_watchdog_timeout() {
        assert!(spawn_watchdog(Arc::new(MemoryNotifier::default())).is_none());
    }

    #[test]
    fn a_status_is_sent_as_one_line() {
        assert_eq!(one_line("a\nb\r\nc"), "a b  c");
    }

    /// Name of this test inside the library's test binary, which re-runs itself as a child.
    const CHILD_TEST: &str = "daemon::systemd::tests::the_sd_notifier_writes_to_the_notify_socket";

    #[test]
    fn the_sd_notifier_writes_to_the_notify_socket() {
        if std::env::var_os("HRSYNC_SD_NOTIFY_CHILD").is_some() {
            // Child: the environment is systemd-like.
            assert_eq!(SdNotifier.watchdog_timeout(), Some(Duration::from_secs(4)));
            SdNotifier.notify(Notice::Ready);
            SdNotifier.notify(Notice::Status("3 created\n1 failed".into()));
            SdNotifier.notify(Notice::Stopping);
            return;
        }
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("notify.sock");
        let sock = std::os::unix::net::UnixDatagram::bind(&path).unwrap();
        sock.set_read_timeout(Some(Duration::from_secs(10)))
            .unwrap();
        let status = std::process::Command::new(std::env::current_exe().unwrap())
            .args(["--exact", CHILD_TEST, "--test-threads=1"])
            .env("HRSYNC_SD_NOTIFY_CHILD", "1")
            .env("NOTIFY_SOCKET", &path)
            .env("WATCHDOG_USEC", "4000000")
            .env_remove("WATCHDOG_PID")
            .stdout(std::process::Stdio::null())
            .status()
            .unwrap();
        assert!(status.success());
        let mut got = Vec::new();
        let mut buf = [0u8; 512];
        for _ in 0..3 {
            let n = sock.recv(&mut buf).unwrap();
            got.push(String::from_utf8_lossy(&buf[..n]).into_owned());
        }
        assert_eq!(
            got,
            ["READY=1\n", "STATUS=3 created 1 failed\n", "STOPPING=1\n"]
        );
    }
}
