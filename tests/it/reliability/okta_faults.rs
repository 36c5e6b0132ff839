//! Okta faults, switched on in the emulator: 10 % 5xx, responses dropped after the write was
//! done, 429 storms, responses slower than the request timeout, and activations stuck
//! transitioning (409 E0000112). Each scenario: the first run ends applied or partial, at most
//! three runs converge, and the emulator's user set has every employee exactly once, ACTIVE.

use super::org::{Org, Setup, Tally, ids, roster};
use crate::support::ModelUsers;
use hrsync::emulator::{EmulatorConfig, EmulatorStats, Faults, RateLimits};
use hrsync::journal::RunStatus;

/// Employees per scenario (CI size).
const N: usize = 60;

/// Runs up to three syncs; returns the statuses. The first must be applied or partial.
async fn converge(org: &Org, label: &str) -> Vec<RunStatus> {
    let mut statuses = Vec::new();
    for attempt in 1..=3 {
        let report = org
            .sync(chrono::Utc::now())
            .await
            .unwrap_or_else(|e| panic!("{label}: run {attempt} failed as a whole: {e}"));
        statuses.push(report.status);
        if attempt == 1 {
            assert!(
                matches!(report.status, RunStatus::Applied | RunStatus::Partial),
                "{label}: the first run ended {:?}",
                report.status
            );
        }
        if org.tally(&ids(N)) == Tally::CLEAN && report.status != RunStatus::Partial {
            break;
        }
    }
    statuses
}

/// Runs a scenario; `fired` counts the injected faults the emulator answered (must be > 0,
/// so a scenario whose fault never triggered cannot pass).
async fn scenario(
    label: &str,
    emulator: EmulatorConfig,
    setup: Setup,
    fired: fn(&EmulatorStats) -> u64,
) {
    let org = Org::start_with(&roster(N), emulator, setup).await;
    let statuses = converge(&org, label).await;
    let tally = org.tally(&ids(N));
    let faults = fired(&org.emulator.stats());
    println!("okta fault scenario {label}: runs {statuses:?}, faults seen {faults}, {tally:?}");
    assert!(faults > 0, "{label}: the fault never fired");
    assert_eq!(tally, Tally::CLEAN, "{label}: after runs {statuses:?}");
    // Converged means nothing left to do: a clean run without the fault writes nothing.
    org.emulator.update_config(|c| c.faults = Faults::default());
    org.emulator.reset_stats();
    let last = org.sync(chrono::Utc::now()).await.unwrap();
    assert_eq!(
        last.status,
        RunStatus::NoChanges,
        "{label}: {:?}",
        last.plan
    );
    assert_eq!(org.emulator.stats().writes(), 0, "{label}");
    assert_eq!(
        org.emulator.model_users().len(),
        N,
        "{label}: exactly one user each"
    );
}

#[tokio::test]
async fn ten_percent_server_errors_converge_without_duplicates() {
    let faults = Faults {
        error_rate: 0.10,
        ..Faults::default()
    };
    scenario(
        "10% 5xx",
        EmulatorConfig::default().faults(faults),
        Setup::default(),
        |s| s.count_status("*", "/", 500) + s.count_status("*", "/", 503),
    )
    .await;
}

#[tokio::test]
async fn responses_dropped_after_the_write_was_done_create_no_duplicates() {
    let faults = Faults {
        drop_after_rate: 0.10,
        ..Faults::default()
    };
    scenario(
        "dropped after processing",
        EmulatorConfig::default().faults(faults),
        Setup::default(),
        |s| s.count_status("*", "/", 0),
    )
    .await;
}

#[tokio::test]
async fn a_429_storm_is_waited_out_and_converges() {
    // A burst of forced 429s, then buckets so small (20 a second for this token) that the
    // run must keep waiting for the advertised reset.
    let faults = Faults {
        forced_429: 10,
        ..Faults::default()
    };
    let limits = RateLimits {
        window_ms: 1_000,
        ..RateLimits::uniform(40)
    };
    scenario(
        "429 storm",
        EmulatorConfig::default().limits(limits).faults(faults),
        Setup::default(),
        |s| s.rate_limited + s.count_status("*", "/", 429),
    )
    .await;
}

#[tokio::test]
async fn responses_slower_than_the_request_timeout_converge_without_duplicates() {
    let faults = Faults {
        jitter_ms: 1_600,
        ..Faults::default()
    };
    let setup = Setup {
        okta: "request_timeout_seconds = 1\nmax_concurrent_requests = 16".into(),
        ..Setup::default()
    };
    scenario(
        "slow responses past the timeout",
        EmulatorConfig::default().faults(faults),
        setup,
        // A timed-out request still reaches the emulator; count every request instead.
        EmulatorStats::total,
    )
    .await;
}

#[tokio::test]
async fn activations_stuck_transitioning_converge_within_three_runs() {
    let faults = Faults {
        activation_delay_ms: 2_500,
        ..Faults::default()
    };
    let org = Org::start(&roster(N), EmulatorConfig::default().faults(faults)).await;
    // Everyone already exists STAGED with a bare profile: the first run activates them
    // (lifecycle/activate, which now takes 2.5 s to settle) and fills in their profiles.
    org.emulator.seed(
        (1..=N)
            .map(|i| {
                let login = format!("first{i}.last{i}@example.com");
                serde_json::json!({"status": "STAGED", "profile": {
                    "login": login, "email": login, "firstName": format!("First{i}"),
                    "lastName": format!("Last{i}"), "employeeNumber": (1000 + i).to_string()}})
            })
            .collect(),
    );
    let first = org.sync(chrono::Utc::now()).await.unwrap();
    assert!(
        matches!(first.status, RunStatus::Applied | RunStatus::Partial),
        "{:?}",
        first.status
    );
    // An HR change arrives while the activations are still in flight: the updates meet
    // 409 E0000112 and must be retried or left for the next run.
    org.write_hr(&roster(N).replace("Engineer 3", "Principal Engineer 3"));
    let transitioning = org
        .emulator
        .model_users()
        .iter()
        .filter(|u| u.transitioning_to_status.is_some())
        .count();
    assert!(transitioning > 0, "the activation delay never applied");
    let mut statuses = vec![first.status];
    // Second run at once (users still transitioning: a write meets 409 E0000112, or the
    // planner waits), third run after the transitions settled.
    for pause in [0, 2_600] {
        tokio::time::sleep(std::time::Duration::from_millis(pause)).await;
        let report = org.sync(chrono::Utc::now()).await.unwrap();
        statuses.push(report.status);
    }
    let tally = org.tally(&ids(N));
    let conflicts = org.emulator.stats().count_status("*", "/", 409);
    println!(
        "okta fault scenario activation stuck transitioning: {transitioning} users transitioning, runs {statuses:?}, 409s {conflicts}, {tally:?}"
    );
    assert_eq!(tally, Tally::CLEAN, "runs {statuses:?}");
    let promoted = org
        .emulator
        .model_users()
        .iter()
        .filter(|u| u.attr("title") == Some("Principal Engineer 3"))
        .count();
    let expected = (1..=N).filter(|i| i % 7 == 3).count();
    assert_eq!(
        promoted, expected,
        "every title update applied, runs {statuses:?}"
    );
}
