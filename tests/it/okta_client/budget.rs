//! The per-run retry budget: one run waits at most `[okta] max_retry_wait_per_run_seconds` in
//! all to retry, then the run stops with an error naming the key; the next run starts afresh.
//! Also the defaults and bounds of that key and of `[okta] quarantine_after_failures`.

use super::hostile::{config, example_replacing, hostile, requests};
use axum::http::StatusCode;
use axum::response::IntoResponse;
use hrsync::okta::{Error, OktaClient, OktaRead, RetryPolicy};
use std::time::{Duration, Instant};

/// Six attempts with waits of 0.2–0.4, 0.4–0.8 and then 0.5–1 s: about 2.5 s of retrying per
/// request without a budget.
fn patient_retries() -> RetryPolicy {
    RetryPolicy {
        max_attempts: 6,
        max_rate_limited_attempts: 6,
        base_delay: Duration::from_millis(400),
        max_delay: Duration::from_secs(1),
        activation_delay: Duration::from_millis(50),
    }
}

#[tokio::test]
async fn a_run_stops_retrying_once_its_retry_budget_is_spent_and_the_next_run_starts_afresh() {
    let (base, seen) = hostile(|_, _, _| {
        (
            StatusCode::SERVICE_UNAVAILABLE,
            r#"{"errorCode":"E0000010"}"#,
        )
            .into_response()
    })
    .await;
    let mut cfg = config(&base);
    cfg.max_retry_wait_per_run = Duration::from_secs(1);
    let okta = OktaClient::new(&cfg)
        .unwrap()
        .with_retry_policy(patient_retries());

    okta.begin_run();
    let started = Instant::now();
    let err = okta.get_user("someone@example.com").await.unwrap_err();
    let elapsed = started.elapsed();
    assert!(matches!(err, Error::RetryBudgetSpent { .. }), "{err}");
    assert!(err.is_fatal(), "the run stops: {err}");
    let message = err.to_string();
    assert!(
        message.contains("max_retry_wait_per_run_seconds = 1")
            && message.contains("GET /api/v1/users/someone@example.com"),
        "{message}"
    );
    assert!(elapsed < Duration::from_millis(1_500), "{elapsed:?}");
    let first_run = requests(&seen).len();
    assert!((2..6).contains(&first_run), "{first_run} requests");

    // Without a new run, only what is left of the budget may still be waited: both calls
    // together stay within the budget plus the requests' own time.
    let again = Instant::now();
    let err = okta.get_user("someone@example.com").await.unwrap_err();
    assert!(matches!(err, Error::RetryBudgetSpent { .. }), "{err}");
    let both = elapsed + again.elapsed();
    assert!(both < Duration::from_millis(1_500), "{both:?}");

    okta.begin_run();
    let err = okta.get_user("someone@example.com").await.unwrap_err();
    assert!(matches!(err, Error::RetryBudgetSpent { .. }), "{err}");
    assert!(
        requests(&seen).len() >= first_run + 1 + 2,
        "a new run retries again"
    );
}

#[test]
fn max_retry_wait_per_run_seconds_defaults_to_fifteen_minutes_and_must_be_1_to_86400() {
    let line = "max_retry_wait_per_run_seconds = 900";
    let default = example_replacing(line, "").unwrap();
    assert_eq!(
        default.okta.max_retry_wait_per_run,
        Duration::from_secs(900)
    );
    let err = example_replacing(line, "max_retry_wait_per_run_seconds = 0").unwrap_err();
    assert!(
        err.contains("okta.max_retry_wait_per_run_seconds") && err.contains("expected 1 to 86400"),
        "{err}"
    );
}

#[test]
fn quarantine_after_failures_defaults_to_three_and_zero_turns_it_off() {
    let line = "quarantine_after_failures = 3";
    assert_eq!(
        example_replacing(line, "")
            .unwrap()
            .okta
            .quarantine_after_failures,
        3
    );
    let off = example_replacing(line, "quarantine_after_failures = 0").unwrap();
    assert_eq!(off.okta.quarantine_after_failures, 0);
    let err = example_replacing(line, "quarantine_after_failures = 101").unwrap_err();
    assert!(
        err.contains("okta.quarantine_after_failures") && err.contains("expected 0 to 100"),
        "{err}"
    );
}
