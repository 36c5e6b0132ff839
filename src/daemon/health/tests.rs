use super::*;

#[test]
fn the_daemon_is_ready_before_its_first_run_and_not_after_a_failure() {
    let h = Health::default();
    assert!(h.snapshot().ready());
    h.record_run(&RunStatus::Failed, "x", Utc::now(), false, 1);
    assert!(!h.snapshot().ready());
    h.record_run(&RunStatus::NoChanges, "x", Utc::now(), false, 0);
    assert!(h.snapshot().ready());
}

#[test]
fn a_daemon_waiting_for_its_startup_check_is_not_ready() {
    let h = Health::default();
    h.update(|s| s.waiting_for = Some("Okta rejected the token".into()));
    assert!(!h.snapshot().ready());
    h.update(|s| s.waiting_for = None);
    assert!(h.snapshot().ready());
}

#[test]
fn a_quarantined_daemon_is_not_ready() {
    let h = Health::default();
    h.update(|s| s.quarantined = true);
    assert!(!h.snapshot().ready());
}
