//! Real Unix signals sent to this test process: SIGHUP reloads, SIGTERM stops cleanly.
//! (Spawning the `hrsync` binary is the CLI's test; this checks the daemon's handlers.)
//! Only this test may install signal handlers in this binary: every listener in the process
//! would receive these signals.

use super::fake::{FakeRunner, Step, schedule};
use chrono_tz::Tz;
use hrsync::daemon::systemd::MemoryNotifier;
use hrsync::daemon::{Daemon, RunStatus, SystemClock};
use std::sync::Arc;
use std::time::Duration;

fn kill(signal: &str) {
    let pid = std::process::id().to_string();
    let status = std::process::Command::new("kill")
        .args([signal, &pid])
        .status()
        .unwrap();
    assert!(status.success());
}

#[tokio::test]
async fn sighup_reloads_and_sigterm_stops_the_daemon_cleanly() {
    let runner = Arc::new(FakeRunner::new(
        SystemClock,
        vec![],
        Step::quick(RunStatus::NoChanges),
    ));
    let d = Daemon::new(
        Arc::clone(&runner),
        schedule("0 0 0 1 1 *", Tz::UTC, 60),
        SystemClock,
    )
    .notifier(Arc::new(MemoryNotifier::default()));
    let task = tokio::spawn(d.run_with_signals());
    for _ in 0..500 {
        if runner.run_count() == 1 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    assert_eq!(
        runner.run_count(),
        1,
        "the startup run happened, so the handlers are installed"
    );

    kill("-HUP");
    for _ in 0..500 {
        if !runner.reloads.lock().unwrap().is_empty() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    assert_eq!(runner.reloads.lock().unwrap().len(), 1);

    kill("-TERM");
    let stopped = tokio::time::timeout(Duration::from_secs(10), task).await;
    assert!(matches!(stopped, Ok(Ok(Ok(())))), "{stopped:?}");
}
