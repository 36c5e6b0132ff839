//! Paging, pacing and concurrency of the Okta client.

use super::support::*;
use crate::support::ModelUsers;
use futures::{StreamExt, stream};
use hrsync::emulator::{Emulator, EmulatorConfig, RateLimits};
use hrsync::okta::{EndpointClass, OktaRead, OktaWrite, RequestOutcome};
use std::collections::HashSet;

#[tokio::test]
async fn listing_2650_users_takes_one_request_per_200_plus_the_deprovisioned_pass() {
    let emu = Emulator::start(EmulatorConfig::default()).await.unwrap();
    emu.seed(seed_entries(0, 2_500, "ACTIVE"));
    emu.seed(seed_entries(2_500, 150, "DEPROVISIONED"));
    emu.reset_stats();
    let okta = client(&ssws_config(&emu));

    let users = okta.list_users().await.unwrap();

    assert_eq!(users.len(), 2_650);
    let ids: HashSet<_> = users.iter().map(|u| u.id.clone()).collect();
    assert_eq!(ids.len(), 2_650, "no duplicates");
    let deprovisioned = users
        .iter()
        .filter(|u| u.status == hrsync::model::UserStatus::Deprovisioned)
        .count();
    assert_eq!(deprovisioned, 150);
    // ⌈2500/200⌉ = 13 pages of the plain listing, plus one page of the DEPROVISIONED pass.
    assert_eq!(emu.stats().count("GET", "/api/v1/users"), 13 + 1);
    assert_eq!(okta.counters().class_total(EndpointClass::List), 14);
    assert_eq!(okta.requests_made(), 14);
}

#[tokio::test]
async fn four_hundred_creates_in_a_600_bucket_at_half_share_get_no_429() {
    // Okta gives each token 50 % of a 600 bucket (Limit 300); hrsync uses half of that.
    let limits = RateLimits {
        list_create: 600,
        window_ms: 2_000,
        ..RateLimits::default()
    };
    let emu = Emulator::start(EmulatorConfig::default().limits(limits))
        .await
        .unwrap();
    let okta = client(&ssws_config(&emu));

    let started = std::time::Instant::now();
    let results: Vec<_> = stream::iter(0..400)
        .map(|i| {
            let okta = &okta;
            async move { okta.create_user(&profile(i), false).await }
        })
        .buffer_unordered(32)
        .collect()
        .await;

    assert!(results.iter().all(Result::is_ok));
    let stats = emu.stats();
    assert_eq!(stats.rate_limited, 0, "no 429 at all");
    assert_eq!(stats.count_status("POST", "/api/v1/users", 200), 400);
    assert!(
        stats.peak_in_flight <= 8,
        "concurrency bound: {}",
        stats.peak_in_flight
    );
    assert_eq!(emu.model_users().len(), 400);
    let c = okta.counters();
    assert_eq!(
        c.count(EndpointClass::Create, RequestOutcome::RateLimited),
        0
    );
    assert!(c.paced_waits > 0, "requests were spread out");
    // 150 a window: 400 need three 2-second windows (plus rounding of Reset to whole
    // seconds); generous bound for loaded machines.
    assert!(
        started.elapsed() < std::time::Duration::from_secs(40),
        "{:?}",
        started.elapsed()
    );
    assert!(
        started.elapsed() >= std::time::Duration::from_secs(4),
        "{:?}",
        started.elapsed()
    );
}

#[tokio::test]
async fn never_more_than_max_concurrent_requests_are_in_flight() {
    let mut cfg = EmulatorConfig::default();
    cfg.faults.latency_ms = 20;
    let emu = Emulator::start(cfg).await.unwrap();
    emu.seed(seed_entries(0, 50, "ACTIVE"));
    let mut okta_cfg = ssws_config(&emu);
    okta_cfg.max_concurrent_requests = 3;
    let okta = client(&okta_cfg);
    let logins: Vec<String> = (0..50).map(|i| format!("user{i:05}@example.com")).collect();

    let got: Vec<_> = stream::iter(&logins)
        .map(|l| okta.get_user(l))
        .buffer_unordered(50)
        .collect()
        .await;

    assert!(got.iter().all(Result::is_ok));
    assert!(
        emu.stats().peak_in_flight <= 3,
        "{}",
        emu.stats().peak_in_flight
    );
}

#[tokio::test]
async fn a_listing_split_by_last_updated_reads_every_user_of_every_status_once_side_by_side() {
    let emu = Emulator::start(EmulatorConfig::default()).await.unwrap();
    let at = |i: usize| {
        (chrono::DateTime::<chrono::Utc>::UNIX_EPOCH + chrono::Duration::minutes(i as i64))
            .to_rfc3339()
    };
    let mut seed = seed_entries(0, 900, "ACTIVE");
    seed.extend(seed_entries(900, 100, "DEPROVISIONED"));
    for (i, entry) in seed.iter_mut().enumerate() {
        entry["lastUpdated"] = serde_json::json!(at(i));
    }
    emu.seed(seed);
    emu.reset_stats();
    let okta = client(&ssws_config(&emu));
    let bounds: Vec<_> = [250, 500, 750]
        .iter()
        .map(|i| chrono::DateTime::<chrono::Utc>::UNIX_EPOCH + chrono::Duration::minutes(*i))
        .collect();

    let users = okta
        .list_users_split(&bounds, None, None, &hrsync::progress::Progress::default())
        .await
        .unwrap();

    let ids: HashSet<_> = users.iter().map(|u| u.id.clone()).collect();
    assert_eq!((users.len(), ids.len()), (1000, 1000), "every user once");
    let deprovisioned = users
        .iter()
        .filter(|u| u.status == hrsync::model::UserStatus::Deprovisioned)
        .count();
    assert_eq!(deprovisioned, 100);
    // Four ranges of 250 users: two pages each.
    assert_eq!(okta.counters().class_total(EndpointClass::List), 8);
    // The users changed after minute 900: the DEPROVISIONED ones.
    let since = chrono::DateTime::<chrono::Utc>::UNIX_EPOCH + chrono::Duration::minutes(899);
    let changed = okta
        .list_changed(since, &hrsync::progress::Progress::default())
        .await
        .unwrap();
    assert_eq!(changed.len(), 100);
}
