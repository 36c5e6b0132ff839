//! The daemon under the leader lease's role (issue 19), with a fake runner under tokio's
//! paused clock: a standby runs nothing and says so; taking the lease over runs at once.

use super::fake::{FakeRunner, Step, clock_at, schedule, sleep_until, utc};
use chrono::Duration as Span;
use chrono_tz::Tz;
use hrsync::daemon::systemd::{MemoryNotifier, Notice};
use hrsync::daemon::{Daemon, RunStatus, Trigger, VirtualClock};
use hrsync::ha::Role;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::watch;

type Fake = FakeRunner<VirtualClock>;

/// A runner whose every run finds nothing to do, at once.
fn quick_runner(clock: VirtualClock) -> Arc<Fake> {
    Arc::new(FakeRunner::new(
        clock,
        vec![],
        Step::quick(RunStatus::NoChanges),
    ))
}

#[tokio::test(start_paused = true)]
async fn a_standby_runs_nothing_until_it_takes_the_lease_over_and_then_runs_at_once() {
    let t0 = utc(2027, 4, 1, 12, 0, 30);
    let clock = clock_at(t0);
    let runner = quick_runner(clock);
    let notifier = Arc::new(MemoryNotifier::default());
    let (role_tx, role_rx) = watch::channel(Role::Standby {
        leader: Some(("db-1/7".into(), 3)),
    });
    let d = Daemon::new(
        Arc::clone(&runner),
        schedule("0 * * * * *", Tz::UTC, 60),
        clock,
    )
    .notifier(notifier.clone())
    .debounce(Duration::ZERO)
    .role(role_rx);
    let (handle, health, metrics) = (d.handle(), d.health(), d.metrics());
    let task = tokio::spawn(d.run());

    // Five cron ticks and a webhook pass: the leader's, not this standby's.
    sleep_until(&clock, t0 + Span::seconds(300)).await;
    handle.trigger();
    sleep_until(&clock, t0 + Span::seconds(310)).await;
    assert_eq!(runner.run_count(), 0);
    let h = health.snapshot();
    assert_eq!(
        (h.role.as_str(), h.epoch, h.leader.as_deref()),
        ("standby", Some(3), Some("db-1/7"))
    );
    assert!(
        !h.ready(),
        "a standby is not ready: webhooks belong to the leader"
    );
    let text = metrics.render();
    assert!(text.contains("hrsync_leader 0"), "{text}");
    assert!(text.contains("hrsync_leader_epoch 3"), "{text}");
    assert!(
        notifier.notices().contains(&Notice::Status(
            "standby: db-1/7 leads (lease epoch 3)".into()
        )),
        "{:?}",
        notifier.notices()
    );

    role_tx.send_replace(Role::Leader { epoch: 4 });
    sleep_until(&clock, t0 + Span::seconds(311)).await;
    assert_eq!(runner.triggers(), [Trigger::Takeover]);
    assert_eq!(runner.run_starts(), [t0 + Span::seconds(310)]);
    let h = health.snapshot();
    assert_eq!((h.role.as_str(), h.epoch), ("leader", Some(4)));
    assert!(h.ready());
    assert!(metrics.render().contains("hrsync_leader 1"));
    let status = notifier
        .notices()
        .into_iter()
        .filter_map(|n| match n {
            Notice::Status(s) => Some(s),
            _ => None,
        })
        .next_back()
        .unwrap();
    assert!(status.starts_with("leader (lease epoch 4); "), "{status}");

    // The cron schedule goes on from the takeover, without counting the standby's ticks
    // as missed.
    sleep_until(&clock, t0 + Span::seconds(335)).await;
    assert_eq!(runner.run_count(), 2);
    assert!(metrics.render().contains("hrsync_missed_ticks_total 0"));

    // Lost again: no more runs.
    role_tx.send_replace(Role::Standby { leader: None });
    sleep_until(&clock, t0 + Span::seconds(500)).await;
    assert_eq!(runner.run_count(), 2);
    handle.shutdown();
    task.await.unwrap().unwrap();
}

#[tokio::test(start_paused = true)]
async fn a_leader_that_loses_its_lease_between_runs_reports_standby_at_once_not_after_its_nap() {
    let t0 = utc(2027, 4, 1, 12, 0, 30);
    let clock = clock_at(t0);
    let runner = quick_runner(clock);
    let (role_tx, role_rx) = watch::channel(Role::Leader { epoch: 5 });
    // A yearly schedule: after the startup run the leader naps as long as it may.
    let d = Daemon::new(
        Arc::clone(&runner),
        schedule("0 0 0 1 1 *", Tz::UTC, 60),
        clock,
    )
    .debounce(Duration::ZERO)
    .role(role_rx);
    let (handle, health, metrics) = (d.handle(), d.health(), d.metrics());
    let task = tokio::spawn(d.run());
    sleep_until(&clock, t0 + Span::seconds(5)).await;
    assert_eq!(health.snapshot().role, "leader");

    role_tx.send_replace(Role::Standby {
        leader: Some(("db-2/9".into(), 6)),
    });
    sleep_until(&clock, t0 + Span::seconds(6)).await;
    let h = health.snapshot();
    assert_eq!(
        (h.role.as_str(), h.epoch, h.leader.as_deref()),
        ("standby", Some(6), Some("db-2/9"))
    );
    assert!(metrics.render().contains("hrsync_leader 0"));
    handle.shutdown();
    task.await.unwrap().unwrap();
}
