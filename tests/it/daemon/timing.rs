//! When runs happen: cron in a zone, exact wake-ups, no overlap, skipped ticks, back-off,
//! quarantine and debounced triggers, all under tokio's paused clock.

use super::fake::{FakeRunner, Step, clock_at, schedule, sleep_until, utc};
use chrono::TimeZone;
use chrono_tz::Asia::Tokyo;
use chrono_tz::Tz;
use hrsync::daemon::systemd::MemoryNotifier;
use hrsync::daemon::{Daemon, RunStatus, Trigger, VirtualClock};
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::Duration;

type Fake = FakeRunner<VirtualClock>;

/// A daemon started in the background.
type Running = (
    hrsync::daemon::DaemonHandle,
    Arc<hrsync::daemon::health::Health>,
    Arc<hrsync::daemon::metrics::Metrics>,
    tokio::task::JoinHandle<Result<(), hrsync::daemon::DaemonError>>,
);

/// Starts a daemon over `runner` in the background; returns its handle, health, metrics and
/// task.
fn start(runner: &Arc<Fake>, sched: hrsync::config::ScheduleConfig, debounce: Duration) -> Running {
    let daemon = Daemon::new(Arc::clone(runner), sched, runner.clock)
        .notifier(Arc::new(MemoryNotifier::default()))
        .debounce(debounce);
    let (handle, health, metrics) = (daemon.handle(), daemon.health(), daemon.metrics());
    (handle, health, metrics, tokio::spawn(daemon.run()))
}

#[tokio::test(start_paused = true)]
async fn a_start_date_at_nine_in_tokyo_triggers_a_run_at_midnight_utc_between_half_hour_ticks() {
    let clock = clock_at(utc(2027, 3, 31, 23, 10, 0));
    let nine_in_tokyo = Tokyo
        .with_ymd_and_hms(2027, 4, 1, 9, 0, 0)
        .unwrap()
        .to_utc();
    assert_eq!(nine_in_tokyo, utc(2027, 4, 1, 0, 0, 0));
    // Every plan before 00:00 UTC reports the activation moment as its wake-up.
    let planned = Step::quick(RunStatus::NoChanges).waking_at(nine_in_tokyo);
    let script = vec![planned.clone(), planned];
    let runner = Arc::new(FakeRunner::new(
        clock,
        script,
        Step::quick(RunStatus::NoChanges),
    ));
    let (handle, _, _, task) = start(&runner, schedule("0 30 * * * *", Tokyo, 60), Duration::ZERO);

    sleep_until(&clock, utc(2027, 4, 1, 1, 45, 0)).await;
    handle.shutdown();
    task.await.unwrap().unwrap();

    assert_eq!(
        runner.run_starts(),
        [
            utc(2027, 3, 31, 23, 10, 0),
            utc(2027, 3, 31, 23, 30, 0),
            utc(2027, 4, 1, 0, 0, 0),
            utc(2027, 4, 1, 0, 30, 0),
            utc(2027, 4, 1, 1, 30, 0),
        ]
    );
    use Trigger::*;
    assert_eq!(runner.triggers(), [Startup, Cron, Wakeup, Cron, Cron]);
}

#[tokio::test(start_paused = true)]
async fn runs_longer_than_the_tick_never_overlap_and_skip_the_missed_ticks() {
    let clock = clock_at(utc(2027, 4, 1, 0, 0, 30));
    let slow = Step::taking(Duration::from_secs(150), RunStatus::Applied);
    let runner = Arc::new(FakeRunner::new(clock, vec![], slow));
    let (handle, _, metrics, task) = start(
        &runner,
        schedule("0 * * * * *", Tz::UTC, 60),
        Duration::ZERO,
    );

    sleep_until(&clock, utc(2027, 4, 1, 0, 9, 45)).await;
    handle.shutdown();
    task.await.unwrap().unwrap();

    assert_eq!(runner.max_in_flight.load(Ordering::SeqCst), 1);
    assert_eq!(
        runner.run_starts(),
        [
            utc(2027, 4, 1, 0, 0, 30),
            utc(2027, 4, 1, 0, 4, 0),
            utc(2027, 4, 1, 0, 7, 0)
        ]
    );
    // 00:01-00:03 during the first run, 00:05-00:06 and 00:08-00:09 during the others.
    let text = metrics.render();
    assert!(
        text.lines().any(|l| l == "hrsync_missed_ticks_total 7"),
        "{text}"
    );
}

#[tokio::test(start_paused = true)]
async fn failed_runs_are_retried_after_one_two_four_seconds_up_to_the_ceiling() {
    let t0 = utc(2027, 4, 1, 12, 0, 0);
    let clock = clock_at(t0);
    let runner = Arc::new(FakeRunner::new(
        clock,
        vec![],
        Step::quick(RunStatus::Failed),
    ));
    let (handle, health, _, task) =
        start(&runner, schedule("0 0 0 1 1 *", Tz::UTC, 8), Duration::ZERO);

    sleep_until(&clock, t0 + chrono::Duration::seconds(35)).await;
    assert_eq!(health.snapshot().consecutive_failures, 7);
    assert!(!health.snapshot().ready());
    handle.shutdown();
    task.await.unwrap().unwrap();

    let offsets: Vec<i64> = runner
        .run_starts()
        .iter()
        .map(|s| (*s - t0).num_seconds())
        .collect();
    assert_eq!(offsets, [0, 1, 3, 7, 15, 23, 31]);
}

#[tokio::test(start_paused = true)]
async fn a_fatal_run_quarantines_until_a_retry_at_the_ceiling_succeeds() {
    let t0 = utc(2027, 4, 1, 12, 0, 30);
    let clock = clock_at(t0);
    let script = vec![
        Step::fatal("Okta rejected the token (401)"),
        Step::quick(RunStatus::Failed),
    ];
    let runner = Arc::new(FakeRunner::new(
        clock,
        script,
        Step::quick(RunStatus::NoChanges),
    ));
    let (handle, health, metrics, task) = start(
        &runner,
        schedule("0 * * * * *", Tz::UTC, 600),
        Duration::ZERO,
    );

    sleep_until(&clock, t0 + chrono::Duration::seconds(300)).await;
    handle.trigger();
    assert!(health.snapshot().quarantined);
    assert!(
        metrics
            .render()
            .lines()
            .any(|l| l == "hrsync_quarantined 1")
    );
    sleep_until(&clock, t0 + chrono::Duration::seconds(1300)).await;
    assert!(!health.snapshot().quarantined);
    assert!(health.snapshot().ready());
    assert!(
        metrics
            .render()
            .lines()
            .any(|l| l == "hrsync_quarantined 0")
    );
    handle.shutdown();
    task.await.unwrap().unwrap();

    let offsets: Vec<i64> = runner
        .run_starts()
        .iter()
        .map(|s| (*s - t0).num_seconds())
        .collect();
    // Startup (fatal), the ceiling retry (failed), the next ceiling retry (ok), then the
    // minutely ticks again at 12:21:00 and 12:22:00. The trigger and ticks in quarantine wait.
    assert_eq!(offsets, [0, 600, 1200, 1230, 1290]);
}

#[tokio::test(start_paused = true)]
async fn triggers_within_the_debounce_window_make_one_run_and_the_next_waits_the_minimum_interval()
{
    let t0 = utc(2027, 4, 1, 12, 0, 0);
    let clock = clock_at(t0);
    let runner = Arc::new(FakeRunner::new(
        clock,
        vec![],
        Step::quick(RunStatus::NoChanges),
    ));
    let (handle, _, _, task) = start(
        &runner,
        schedule("0 0 0 1 1 *", Tz::UTC, 60),
        Duration::from_secs(2),
    );

    for at_ms in [10_000, 10_500, 11_900] {
        sleep_until(&clock, t0 + chrono::Duration::milliseconds(at_ms)).await;
        handle.trigger();
    }
    // A later trigger runs no sooner than the minimum interval (30 s) after the last run that
    // served triggers: at 42 s, not at 22 s.
    sleep_until(&clock, t0 + chrono::Duration::seconds(20)).await;
    handle.trigger();
    sleep_until(&clock, t0 + chrono::Duration::seconds(45)).await;
    handle.shutdown();
    task.await.unwrap().unwrap();

    let offsets: Vec<i64> = runner
        .run_starts()
        .iter()
        .map(|s| (*s - t0).num_seconds())
        .collect();
    assert_eq!(offsets, [0, 12, 42]);
    use Trigger::*;
    assert_eq!(runner.triggers(), [Startup, External, External]);
}
