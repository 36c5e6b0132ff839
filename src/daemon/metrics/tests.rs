use super::*;

#[test]
fn a_run_is_counted_under_its_outcome_with_its_actions_and_requests() {
    let m = Metrics::new();
    let mut s = RunSummary::new(RunStatus::Applied, "ok");
    s.actions.insert(("create".into(), "ok".into()), 3);
    s.okta_requests
        .insert(("/api/v1/users".into(), "200".into()), 7);
    s.snapshot_employees = Some(42);
    m.record_run(&s, Duration::from_millis(1500), 1_800_000_000.0);
    let text = m.render();
    for line in [
        "hrsync_runs_total{status=\"applied\"} 1",
        "hrsync_actions_total{kind=\"create\",outcome=\"ok\"} 3",
        "hrsync_okta_requests_total{endpoint=\"/api/v1/users\",status=\"200\"} 7",
        "hrsync_snapshot_employees 42",
        "hrsync_run_duration_seconds_count 1",
        "hrsync_last_success_timestamp_seconds 1800000000.0",
    ] {
        assert!(
            text.lines().any(|l| l == line),
            "missing {line:?} in\n{text}"
        );
    }
}

#[test]
fn a_blocked_run_is_counted_as_blocked_and_is_not_a_success() {
    let m = Metrics::new();
    m.record_run(
        &RunSummary::new(RunStatus::Blocked, "b"),
        Duration::ZERO,
        5.0,
    );
    let text = m.render();
    assert!(
        text.lines().any(|l| l == "hrsync_blocked_runs_total 1"),
        "{text}"
    );
    assert!(
        text.lines()
            .any(|l| l == "hrsync_last_success_timestamp_seconds 0.0"),
        "{text}"
    );
}

#[test]
fn each_run_counts_under_its_kind_of_pass_and_the_gauge_holds_the_users_it_read() {
    let m = Metrics::new();
    let mut full = RunSummary::new(RunStatus::NoChanges, "full");
    full.okta_read = Some(("full", 99_030));
    m.record_run(&full, Duration::ZERO, 5.0);
    let mut incremental = RunSummary::new(RunStatus::NoChanges, "incremental");
    incremental.okta_read = Some(("incremental", 2));
    m.record_run(&incremental, Duration::ZERO, 6.0);
    m.record_run(&incremental, Duration::ZERO, 7.0);
    let text = m.render();
    for line in [
        "hrsync_okta_passes_total{pass=\"full\"} 1",
        "hrsync_okta_passes_total{pass=\"incremental\"} 2",
        "hrsync_okta_users_read 2",
    ] {
        assert!(
            text.lines().any(|l| l == line),
            "missing {line:?} in\n{text}"
        );
    }
}
