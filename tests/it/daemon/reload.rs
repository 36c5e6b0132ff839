//! Reloads that change the daemon's own sections (issue 22): `[schedule]` recomputes the next
//! run between runs, `[server]` moves the endpoint (a failed bind keeps the old one), and
//! systemd hears `RELOADING=1` then `READY=1`, as `Type=notify-reload` expects.

use super::fake::{FakeRunner, Step, clock_at, schedule, sleep_until, utc};
use chrono::Duration as Span;
use chrono_tz::Tz;
use hrsync::config::ServerConfig;
use hrsync::daemon::systemd::{MemoryNotifier, Notice};
use hrsync::daemon::{Daemon, Reloaded, RunStatus, SystemClock};
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

#[tokio::test(start_paused = true)]
async fn a_reloaded_schedule_recomputes_the_next_run_and_systemd_hears_reloading_then_ready() {
    let t0 = utc(2027, 4, 1, 12, 0, 30);
    let clock = clock_at(t0);
    let every_minute = schedule("0 * * * * *", Tz::UTC, 60);
    let runner = Arc::new(
        FakeRunner::new(clock, vec![], Step::quick(RunStatus::NoChanges)).with_reloaded(vec![
            Reloaded {
                schedule: Some(every_minute),
                server: None,
            },
        ]),
    );
    let notifier = Arc::new(MemoryNotifier::default());
    // Hourly at first.
    let d = Daemon::new(
        Arc::clone(&runner),
        schedule("0 0 * * * *", Tz::UTC, 60),
        clock,
    )
    .notifier(notifier.clone())
    .debounce(Duration::ZERO);
    let (handle, health) = (d.handle(), d.health());
    let task = tokio::spawn(d.run());

    sleep_until(&clock, t0 + Span::seconds(10)).await;
    assert_eq!(health.snapshot().next_run, Some(utc(2027, 4, 1, 13, 0, 0)));
    handle.reload();
    sleep_until(&clock, t0 + Span::seconds(150)).await;
    handle.shutdown();
    task.await.unwrap().unwrap();
    assert_eq!(
        runner.start_offsets(t0),
        [0, 30, 90],
        "every minute after the reload"
    );
    let notices = notifier.notices();
    let reloading = notices
        .iter()
        .position(|n| *n == Notice::Reloading)
        .unwrap();
    assert_eq!(
        notices.get(reloading + 1),
        Some(&Notice::Ready),
        "{notices:?}"
    );
}

fn server_on(addr: SocketAddr) -> ServerConfig {
    ServerConfig {
        listen: Some(addr),
        ..ServerConfig::default()
    }
}

async fn answers(addr: SocketAddr) -> bool {
    reqwest::Client::new()
        .get(format!("http://{addr}/healthz"))
        .timeout(Duration::from_secs(2))
        .send()
        .await
        .is_ok_and(|r| r.status().is_success())
}

async fn eventually(what: &str, mut done: impl AsyncFnMut() -> bool) {
    for _ in 0..200 {
        if done().await {
            return;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    panic!("{what}");
}

#[tokio::test]
async fn a_reloaded_server_address_moves_the_endpoint_and_a_failed_bind_keeps_the_old_one() {
    let first = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let a = first.local_addr().unwrap();
    let b: SocketAddr = format!("127.0.0.1:{}", crate::support::free_port())
        .parse()
        .unwrap();
    // Held by someone else: binding it fails.
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let c = taken.local_addr().unwrap();
    let runner = Arc::new(
        FakeRunner::new(SystemClock, vec![], Step::quick(RunStatus::NoChanges)).with_reloaded(
            vec![
                Reloaded {
                    schedule: None,
                    server: Some(server_on(b)),
                },
                Reloaded {
                    schedule: None,
                    server: Some(server_on(c)),
                },
            ],
        ),
    );
    let d = Daemon::new(
        Arc::clone(&runner),
        schedule("0 0 0 1 1 *", Tz::UTC, 60),
        SystemClock,
    )
    .listener(first)
    .notifier(Arc::new(MemoryNotifier::default()));
    let (handle, metrics) = (d.handle(), d.metrics());
    let task = tokio::spawn(d.run());
    eventually("the first address answers", async || answers(a).await).await;

    handle.reload();
    eventually("the endpoint moved to the new address", async || {
        answers(b).await && !answers(a).await
    })
    .await;

    handle.reload();
    eventually("the failed bind is counted", async || {
        metrics
            .render()
            .contains("hrsync_config_reloads_total{result=\"error\"} 1")
    })
    .await;
    assert!(answers(b).await, "the old endpoint keeps serving");
    drop(taken);
    handle.shutdown();
    task.await.unwrap().unwrap();
}
