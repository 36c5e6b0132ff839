//! `POST /webhooks/hibob` through the daemon's real server: a signed delivery replayed a
//! thousand times makes one run, every replay is answered 2xx and counted as a duplicate.

use super::fake::{FakeRunner, Step, schedule};
use super::promtext;
use base64::Engine;
use chrono_tz::Tz;
use hmac::{Hmac, KeyInit, Mac};
use hrsync::config::Secret;
use hrsync::daemon::systemd::MemoryNotifier;
use hrsync::daemon::{Daemon, RunStatus, SystemClock};
use std::sync::Arc;
use std::time::{Duration, Instant};

fn sign(secret: &str, body: &[u8]) -> String {
    let mut mac = Hmac::<sha2::Sha512>::new_from_slice(secret.as_bytes()).unwrap();
    mac.update(body);
    base64::engine::general_purpose::STANDARD.encode(mac.finalize().into_bytes())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_signed_webhook_replayed_a_thousand_times_makes_one_run_and_counts_999_duplicates() {
    let runner = Arc::new(FakeRunner::new(
        SystemClock,
        vec![],
        Step::quick(RunStatus::NoChanges),
    ));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    // No minimum interval (webhook_min_interval_seconds = 0) and a short debounce: without
    // the duplicate check, replays spread over a second or more would make run after run.
    let daemon = Daemon::new(
        Arc::clone(&runner),
        schedule("0 0 0 1 1 *", Tz::UTC, 3600),
        SystemClock,
    )
    .listener(listener)
    .notifier(Arc::new(MemoryNotifier::default()))
    .debounce(Duration::from_millis(5))
    .min_trigger_interval(Duration::ZERO);
    let (handle, metrics) = (daemon.handle(), daemon.metrics());
    let routes = hrsync::cli::run::webhook_routes(handle.clone(), Secret::new("whsec-test"));
    let task = tokio::spawn(daemon.extra_routes(routes).run());
    crate::support::wait_until(Duration::from_secs(5), "no startup run", || {
        runner.run_count() == 1
    })
    .await;

    let body = br#"{"companyId":600123,"type":"employee.updated","triggeredBy":"3401928374650100001","triggeredAt":"2026-02-03T09:15:42.123456","version":"v2","data":{"employeeId":"3401928374650192837","fieldUpdates":["work.title"]}}"#;
    let signature = sign("whsec-test", body);
    let http = reqwest::Client::new();
    let url = format!("http://{addr}/webhooks/hibob");
    let start = Instant::now();
    let mut statuses = std::collections::BTreeMap::new();
    for _ in 0..1000 {
        let resp = http
            .post(&url)
            .header("Bob-Signature", &signature)
            .body(body.to_vec())
            .send()
            .await
            .unwrap();
        *statuses.entry(resp.status().as_u16()).or_insert(0) += 1;
        tokio::time::sleep(Duration::from_millis(1)).await;
    }
    let took = start.elapsed();
    // Longer than many debounce windows: any trigger would have run by now.
    tokio::time::sleep(Duration::from_millis(500)).await;
    let runs = runner.run_count();
    let text = metrics.render();
    println!("1,000 deliveries in {took:?}: answers {statuses:?}, runs {runs} (1 startup)");
    handle.shutdown();
    task.await.unwrap().unwrap();

    assert_eq!(statuses, [(200, 999), (202, 1)].into_iter().collect());
    assert_eq!(runs, 2, "the startup run and one for the webhook");
    let m = promtext::parse(&text).unwrap_or_else(|e| panic!("{e}\n{text}"));
    assert_eq!(
        m.get("hrsync_webhook_duplicates_total"),
        Some(&999.0),
        "{text}"
    );
}
