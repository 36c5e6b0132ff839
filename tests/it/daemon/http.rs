//! The HTTP endpoint on 127.0.0.1:0 with real time: `/metrics` parses and matches the runs,
//! `/readyz` answers 503 when quarantined, extra routes are merged.

use super::fake::{FakeRunner, Step, schedule};
use super::promtext;
use chrono_tz::Tz;
use hrsync::daemon::systemd::MemoryNotifier;
use hrsync::daemon::{Daemon, DaemonError, DaemonHandle, RunStatus, SystemClock};
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;
use tokio::task::JoinHandle;

type Fake = FakeRunner<SystemClock>;

/// Starts a daemon with a yearly cron (so only startup and triggers run) on 127.0.0.1:0.
async fn start(
    runner: &Arc<Fake>,
    extra: Option<axum::Router>,
) -> (
    SocketAddr,
    DaemonHandle,
    JoinHandle<Result<(), DaemonError>>,
) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let mut d = Daemon::new(
        Arc::clone(runner),
        schedule("0 0 0 1 1 *", Tz::UTC, 3600),
        SystemClock,
    )
    .listener(listener)
    .notifier(Arc::new(MemoryNotifier::default()))
    .debounce(Duration::from_millis(10));
    if let Some(extra) = extra {
        d = d.extra_routes(extra);
    }
    let handle = d.handle();
    (addr, handle, tokio::spawn(d.run()))
}

/// Waits until the runner has run `n` times and the daemon has recorded the last run.
async fn wait_for_runs(runner: &Fake, n: usize) {
    for _ in 0..500 {
        if runner.run_count() >= n {
            // The daemon records the run right after the runner returns.
            tokio::time::sleep(Duration::from_millis(50)).await;
            return;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    panic!("only {} runs", runner.run_count());
}

async fn get(addr: SocketAddr, path: &str) -> (u16, String) {
    let resp = reqwest::get(format!("http://{addr}{path}")).await.unwrap();
    (resp.status().as_u16(), resp.text().await.unwrap())
}

#[tokio::test]
async fn metrics_parse_as_prometheus_text_and_count_the_runs() {
    let mut applied = Step::quick(RunStatus::Applied);
    applied
        .summary
        .actions
        .insert(("create".into(), "ok".into()), 2);
    applied
        .summary
        .actions
        .insert(("update".into(), "failed".into()), 1);
    applied
        .summary
        .okta_requests
        .insert(("/api/v1/users".into(), "200".into()), 5);
    applied
        .summary
        .okta_requests
        .insert(("/api/v1/users".into(), "429".into()), 1);
    applied.summary.rate_limit_waits = 1;
    applied.summary.snapshot_employees = Some(120);
    applied.summary.pending_activations = Some(3);
    applied.summary.quarantined_actions = Some(1);
    let runner = Arc::new(FakeRunner::new(SystemClock, vec![], applied));
    let (addr, handle, task) = start(&runner, None).await;
    wait_for_runs(&runner, 1).await;
    handle.trigger();
    wait_for_runs(&runner, 2).await;

    let resp = reqwest::get(format!("http://{addr}/metrics"))
        .await
        .unwrap();
    let content_type = resp.headers()["content-type"].to_str().unwrap().to_owned();
    let text = resp.text().await.unwrap();
    handle.shutdown();
    task.await.unwrap().unwrap();

    assert!(
        content_type.starts_with("text/plain; version=0.0.4"),
        "{content_type}"
    );
    let m = promtext::parse(&text).unwrap_or_else(|e| panic!("{e}\n{text}"));
    for (key, want) in [
        ("hrsync_runs_total{status=\"applied\"}", 2.0),
        ("hrsync_actions_total{kind=\"create\",outcome=\"ok\"}", 4.0),
        (
            "hrsync_actions_total{kind=\"update\",outcome=\"failed\"}",
            2.0,
        ),
        (
            "hrsync_okta_requests_total{endpoint=\"/api/v1/users\",status=\"200\"}",
            10.0,
        ),
        (
            "hrsync_okta_requests_total{endpoint=\"/api/v1/users\",status=\"429\"}",
            2.0,
        ),
        ("hrsync_rate_limit_waits_total", 2.0),
        ("hrsync_run_duration_seconds_count", 2.0),
        ("hrsync_snapshot_employees", 120.0),
        ("hrsync_pending_activations", 3.0),
        ("hrsync_quarantined_actions", 1.0),
        ("hrsync_blocked_runs_total", 0.0),
        ("hrsync_quarantined", 0.0),
    ] {
        assert_eq!(m.get(key), Some(&want), "{key} in\n{text}");
    }
    let last_success = m["hrsync_last_success_timestamp_seconds"];
    let now = chrono::Utc::now().timestamp() as f64;
    assert!(
        (now - 60.0..=now + 1.0).contains(&last_success),
        "{last_success}"
    );
}

#[tokio::test]
async fn readyz_answers_503_while_quarantined_and_healthz_stays_ok() {
    let fatal = Step::fatal("Okta rejected the token (401)");
    let runner = Arc::new(FakeRunner::new(SystemClock, vec![], fatal));
    let (addr, handle, task) = start(&runner, None).await;
    wait_for_runs(&runner, 1).await;

    let (ready, body) = get(addr, "/readyz").await;
    let (healthy, _) = get(addr, "/healthz").await;
    let (_, metrics) = get(addr, "/metrics").await;
    handle.shutdown();
    task.await.unwrap().unwrap();

    assert_eq!(ready, 503);
    let body: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(body["quarantined"], true);
    assert_eq!(body["last_outcome"], "fatal");
    assert_eq!(healthy, 200);
    let m = promtext::parse(&metrics).unwrap();
    assert_eq!(m.get("hrsync_quarantined"), Some(&1.0));
    assert_eq!(m.get("hrsync_runs_total{status=\"fatal\"}"), Some(&1.0));
}

#[tokio::test]
async fn readyz_answers_200_after_a_successful_run() {
    let runner = Arc::new(FakeRunner::new(
        SystemClock,
        vec![],
        Step::quick(RunStatus::NoChanges),
    ));
    let (addr, handle, task) = start(&runner, None).await;
    wait_for_runs(&runner, 1).await;
    let (ready, body) = get(addr, "/readyz").await;
    handle.shutdown();
    task.await.unwrap().unwrap();
    assert_eq!(ready, 200, "{body}");
}

#[tokio::test]
async fn extra_routes_are_served_beside_the_daemon_routes_and_can_trigger_runs() {
    let runner = Arc::new(FakeRunner::new(
        SystemClock,
        vec![],
        Step::quick(RunStatus::NoChanges),
    ));
    let trigger_slot: Arc<std::sync::Mutex<Option<DaemonHandle>>> = Arc::default();
    let slot = Arc::clone(&trigger_slot);
    let extra = axum::Router::new().route(
        "/webhooks/test",
        axum::routing::post(move || {
            let slot = Arc::clone(&slot);
            async move {
                if let Some(h) = slot.lock().unwrap().as_ref() {
                    h.trigger();
                }
                "queued"
            }
        }),
    );
    let (addr, handle, task) = start(&runner, Some(extra)).await;
    *trigger_slot.lock().unwrap() = Some(handle.clone());
    wait_for_runs(&runner, 1).await;

    let resp = reqwest::Client::new()
        .post(format!("http://{addr}/webhooks/test"))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status().as_u16(), 200);
    wait_for_runs(&runner, 2).await;
    handle.shutdown();
    task.await.unwrap().unwrap();
    assert_eq!(runner.run_count(), 2);
}
