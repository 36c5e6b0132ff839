use super::*;

#[test]
fn only_failed_and_fatal_runs_are_failures() {
    let failures: Vec<_> = [
        RunStatus::Applied,
        RunStatus::NoChanges,
        RunStatus::Blocked,
        RunStatus::Partial,
        RunStatus::Failed,
        RunStatus::Fatal,
    ]
    .into_iter()
    .filter(|s| s.is_failure())
    .map(|o| o.as_str())
    .collect();
    assert_eq!(failures, ["failed", "fatal"]);
}

#[test]
fn a_blocked_run_is_neither_a_success_nor_a_failure() {
    assert!(!RunStatus::Blocked.is_success());
    assert!(!RunStatus::Blocked.is_failure());
}

#[tokio::test]
async fn a_never_shutdown_is_not_requested_and_does_not_resolve() {
    let mut s = Shutdown::never();
    assert!(!s.is_requested());
    let waited = tokio::time::timeout(std::time::Duration::from_millis(20), s.requested()).await;
    assert!(waited.is_err());
}
