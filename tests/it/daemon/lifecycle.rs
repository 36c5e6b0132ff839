//! Reloads, shutdown, startup checks and panicking runs, under tokio's paused clock.

use super::fake::{FakeRunner, Step, clock_at, schedule, sleep_until, utc};
use chrono::Duration as Span;
use chrono_tz::Tz;
use hrsync::daemon::systemd::{MemoryNotifier, Notice};
use hrsync::daemon::{Clock, Daemon, DaemonError, RunStatus, Trigger, VirtualClock};
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::Duration;

type Fake = FakeRunner<VirtualClock>;

fn daemon(
    runner: &Arc<Fake>,
    cron: &str,
    backoff: u64,
) -> (Daemon<Fake, VirtualClock>, Arc<MemoryNotifier>) {
    let notifier = Arc::new(MemoryNotifier::default());
    let d = Daemon::new(
        Arc::clone(runner),
        schedule(cron, Tz::UTC, backoff),
        runner.clock,
    )
    .notifier(notifier.clone())
    .debounce(Duration::ZERO);
    (d, notifier)
}

#[tokio::test(start_paused = true)]
async fn a_reload_with_a_broken_config_keeps_the_daemon_running_on_the_old_one() {
    let t0 = utc(2027, 4, 1, 12, 0, 30);
    let clock = clock_at(t0);
    let runner = Arc::new(
        FakeRunner::new(clock, vec![], Step::quick(RunStatus::NoChanges)).with_reloads(vec![
            Err("schedule.cron: invalid expression".into()),
            Ok(()),
        ]),
    );
    let (d, _) = daemon(&runner, "0 * * * * *", 60);
    let (handle, metrics) = (d.handle(), d.metrics());
    let task = tokio::spawn(d.run());

    sleep_until(&clock, t0 + Span::seconds(10)).await;
    handle.reload();
    sleep_until(&clock, t0 + Span::seconds(20)).await;
    handle.reload();
    sleep_until(&clock, t0 + Span::seconds(170)).await;
    handle.shutdown();
    task.await.unwrap().unwrap();

    assert_eq!(
        *runner.reloads.lock().unwrap(),
        [t0 + Span::seconds(10), t0 + Span::seconds(20)]
    );
    let offsets: Vec<i64> = runner
        .run_starts()
        .iter()
        .map(|s| (*s - t0).num_seconds())
        .collect();
    assert_eq!(
        offsets,
        [0, 30, 90, 150],
        "runs go on after the failed reload"
    );
    let text = metrics.render();
    assert!(
        text.contains("hrsync_config_reloads_total{result=\"error\"} 1"),
        "{text}"
    );
    assert!(
        text.contains("hrsync_config_reloads_total{result=\"ok\"} 1"),
        "{text}"
    );
}

#[tokio::test(start_paused = true)]
async fn a_reload_requested_during_a_run_waits_for_the_run_to_end() {
    let t0 = utc(2027, 4, 1, 12, 0, 0);
    let clock = clock_at(t0);
    let slow = Step::taking(Duration::from_secs(30), RunStatus::NoChanges);
    let runner = Arc::new(FakeRunner::new(clock, vec![], slow));
    let (d, _) = daemon(&runner, "0 0 0 1 1 *", 60);
    let handle = d.handle();
    let task = tokio::spawn(d.run());

    sleep_until(&clock, t0 + Span::seconds(5)).await;
    handle.reload();
    sleep_until(&clock, t0 + Span::seconds(40)).await;
    handle.shutdown();
    task.await.unwrap().unwrap();

    assert_eq!(*runner.reloads.lock().unwrap(), [t0 + Span::seconds(30)]);
}

#[tokio::test(start_paused = true)]
async fn a_successful_reload_retries_a_quarantined_daemon_at_once() {
    let t0 = utc(2027, 4, 1, 12, 0, 0);
    let clock = clock_at(t0);
    let script = vec![Step::quick(RunStatus::Fatal)];
    let runner = Arc::new(FakeRunner::new(
        clock,
        script,
        Step::quick(RunStatus::NoChanges),
    ));
    let (d, _) = daemon(&runner, "0 0 0 1 1 *", 3600);
    let (handle, health) = (d.handle(), d.health());
    let task = tokio::spawn(d.run());

    sleep_until(&clock, t0 + Span::seconds(100)).await;
    assert!(health.snapshot().quarantined);
    handle.reload();
    sleep_until(&clock, t0 + Span::seconds(101)).await;
    assert!(!health.snapshot().quarantined);
    handle.shutdown();
    task.await.unwrap().unwrap();

    let offsets: Vec<i64> = runner
        .run_starts()
        .iter()
        .map(|s| (*s - t0).num_seconds())
        .collect();
    assert_eq!(offsets, [0, 100]);
    assert_eq!(runner.triggers(), [Trigger::Startup, Trigger::Reload]);
}

#[tokio::test(start_paused = true)]
async fn shutdown_lets_the_run_finish_the_action_in_flight_then_stops() {
    let t0 = utc(2027, 4, 1, 12, 0, 0);
    let clock = clock_at(t0);
    let mut ten_actions = Step::taking(Duration::from_secs(1), RunStatus::Applied);
    ten_actions.actions = 10;
    let runner = Arc::new(FakeRunner::new(clock, vec![], ten_actions));
    let (d, notifier) = daemon(&runner, "0 0 0 1 1 *", 60);
    let handle = d.handle();
    let task = tokio::spawn(d.run());

    sleep_until(&clock, t0 + Span::milliseconds(3500)).await;
    handle.shutdown();
    task.await.unwrap().unwrap();

    assert_eq!(
        clock.now(),
        t0 + Span::seconds(4),
        "stopped when the 4th action ended"
    );
    assert_eq!(runner.actions_done.load(Ordering::SeqCst), 4);
    assert_eq!(
        notifier.notices(),
        [
            Notice::Ready,
            Notice::Stopping,
            Notice::Status("stopped by shutdown".into())
        ]
    );
}

#[tokio::test(start_paused = true)]
async fn a_run_that_ignores_shutdown_is_abandoned_after_the_shutdown_timeout() {
    let t0 = utc(2027, 4, 1, 12, 0, 0);
    let clock = clock_at(t0);
    let stuck = Step::taking(Duration::from_secs(100), RunStatus::Applied);
    let runner = Arc::new(FakeRunner::new(clock, vec![], stuck));
    let (d, _) = daemon(&runner, "0 0 0 1 1 *", 60);
    let handle = d.handle();
    let task = tokio::spawn(d.run());

    sleep_until(&clock, t0 + Span::seconds(1)).await;
    handle.shutdown();
    let result = task.await.unwrap();

    assert!(matches!(result, Err(DaemonError::ShutdownTimeout(t)) if t == Duration::from_secs(5)));
    assert_eq!(clock.now(), t0 + Span::seconds(6));
}

#[tokio::test(start_paused = true)]
async fn a_failing_startup_check_is_retried_with_backoff_and_runs_start_once_it_passes() {
    let t0 = utc(2027, 4, 1, 12, 0, 0);
    let clock = clock_at(t0);
    let runner = Arc::new(
        FakeRunner::new(clock, vec![], Step::quick(RunStatus::NoChanges))
            .with_failing_checks(&["Okta rejected the token (401)"; 3]),
    );
    let (d, notifier) = daemon(&runner, "0 0 0 1 1 *", 60);
    let (handle, health, metrics) = (d.handle(), d.health(), d.metrics());
    let task = tokio::spawn(d.run());

    sleep_until(&clock, t0 + Span::milliseconds(100)).await;
    let waiting = health.snapshot();
    assert!(!waiting.ready());
    assert_eq!(
        waiting.waiting_for.as_deref(),
        Some("startup check failed: Okta rejected the token (401)")
    );
    assert_eq!(waiting.startup_check_failures, 1);
    assert!(
        !task.is_finished(),
        "a failing check does not stop the daemon"
    );
    sleep_until(&clock, t0 + Span::seconds(10)).await;
    assert!(health.snapshot().ready());
    handle.shutdown();
    task.await.unwrap().unwrap();

    let checks = runner.checks.lock().unwrap().clone();
    let gaps: Vec<i64> = checks
        .windows(2)
        .map(|w| (w[1] - w[0]).num_milliseconds())
        .collect();
    assert_eq!(checks.len(), 4, "{gaps:?}");
    for (gap, (lo, hi)) in gaps.iter().zip([(500, 1000), (1000, 2000), (2000, 4000)]) {
        assert!((lo..=hi).contains(gap), "back-off with jitter: {gaps:?}");
    }
    assert_eq!(
        runner.run_starts(),
        [checks[3]],
        "the startup run follows the passing check"
    );
    let notices = notifier.notices();
    assert_eq!(notices[0], Notice::Ready, "{notices:?}");
    assert!(
        matches!(&notices[1], Notice::Status(s) if s.starts_with("waiting: startup check failed 1 time(s), retrying in ") && s.ends_with(": Okta rejected the token (401)")),
        "{notices:?}"
    );
    assert_eq!(
        notices[4],
        Notice::Status("startup check passed after 3 failure(s); scheduling runs".into())
    );
    let text = metrics.render();
    assert!(
        text.contains("hrsync_startup_check_failures_total 3"),
        "{text}"
    );
    assert!(text.contains("hrsync_startup_check_waiting 0"), "{text}");
}

#[tokio::test(start_paused = true)]
async fn shutdown_while_waiting_for_the_startup_check_stops_the_daemon_at_once() {
    let t0 = utc(2027, 4, 1, 12, 0, 0);
    let clock = clock_at(t0);
    let runner = Arc::new(
        FakeRunner::new(clock, vec![], Step::quick(RunStatus::NoChanges))
            .with_failing_checks(&["Okta unreachable"; 100]),
    );
    let (d, notifier) = daemon(&runner, "0 0 0 1 1 *", 3600);
    let handle = d.handle();
    let task = tokio::spawn(d.run());

    sleep_until(&clock, t0 + Span::seconds(100)).await;
    handle.shutdown();
    task.await.unwrap().unwrap();

    assert_eq!(
        clock.now(),
        t0 + Span::seconds(100),
        "no wait for the back-off"
    );
    assert_eq!(runner.run_count(), 0);
    assert_eq!(notifier.notices().last(), Some(&Notice::Stopping));
}

#[tokio::test(start_paused = true)]
async fn a_reload_while_waiting_for_the_startup_check_retries_the_check_at_once() {
    let t0 = utc(2027, 4, 1, 12, 0, 0);
    let clock = clock_at(t0);
    let runner = Arc::new(
        FakeRunner::new(clock, vec![], Step::quick(RunStatus::NoChanges))
            .with_failing_checks(&["Okta rejected the token (401)"; 20]),
    );
    let (d, _) = daemon(&runner, "0 0 0 1 1 *", 3600);
    let handle = d.handle();
    let task = tokio::spawn(d.run());

    sleep_until(&clock, t0 + Span::seconds(300)).await;
    let before = runner.checks.lock().unwrap().len();
    handle.reload();
    sleep_until(&clock, t0 + Span::milliseconds(300_001)).await;
    handle.shutdown();
    task.await.unwrap().unwrap();

    let checks = runner.checks.lock().unwrap().clone();
    assert_eq!(checks.len(), before + 1, "{checks:?}");
    assert_eq!(checks.last(), Some(&(t0 + Span::seconds(300))));
    assert_eq!(*runner.reloads.lock().unwrap(), [t0 + Span::seconds(300)]);
}

#[tokio::test(start_paused = true)]
async fn a_panicking_run_counts_as_failed_and_the_daemon_carries_on() {
    let t0 = utc(2027, 4, 1, 12, 0, 0);
    let clock = clock_at(t0);
    let mut boom = Step::quick(RunStatus::Applied);
    boom.panics = true;
    let runner = Arc::new(FakeRunner::new(
        clock,
        vec![boom],
        Step::quick(RunStatus::NoChanges),
    ));
    let (d, _) = daemon(&runner, "0 0 0 1 1 *", 60);
    let (handle, metrics) = (d.handle(), d.metrics());
    let task = tokio::spawn(d.run());

    sleep_until(&clock, t0 + Span::seconds(5)).await;
    handle.shutdown();
    task.await.unwrap().unwrap();

    let offsets: Vec<i64> = runner
        .run_starts()
        .iter()
        .map(|s| (*s - t0).num_seconds())
        .collect();
    assert_eq!(offsets, [0, 1], "retried after one second");
    let text = metrics.render();
    assert!(
        text.contains("hrsync_runs_total{status=\"failed\"} 1"),
        "{text}"
    );
    assert!(
        text.contains("hrsync_runs_total{status=\"no_changes\"} 1"),
        "{text}"
    );
}
