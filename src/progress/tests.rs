use super::*;

#[test]
fn a_disabled_handle_records_nothing_and_reports_an_empty_snapshot() {
    let progress = Progress::default();
    assert!(!progress.is_enabled());
    progress.hr_started();
    progress.okta_page(200);
    progress.applying_started(10);
    progress.action_finished(Finished::Applied(ActionKind::Create));
    assert_eq!(progress.snapshot(), Snapshot::default());
}

#[test]
fn each_phase_moves_from_pending_to_running_to_finished_with_its_figures() {
    let progress = Progress::enabled();
    assert_eq!(progress.snapshot().hr, Stage::Pending);
    progress.hr_started();
    progress.okta_started();
    assert_eq!(progress.snapshot().hr, Stage::Running);
    progress.okta_page(200);
    progress.okta_page(350);
    let listing = progress.snapshot();
    assert_eq!(
        (listing.okta, listing.pages, listing.users),
        (Stage::Running, 2, 350)
    );
    progress.hr_finished(400, 3);
    progress.okta_finished(360);
    progress.planning_started();
    progress.planning_finished(42);
    let s = progress.snapshot();
    assert_eq!((s.hr, s.records, s.rejected), (Stage::Finished, 400, 3));
    assert_eq!((s.okta, s.pages, s.users), (Stage::Finished, 2, 360));
    assert_eq!((s.planning, s.planned), (Stage::Finished, 42));
    assert_eq!(s.applying, Stage::Pending, "a dry run never applies");
}

#[test]
fn the_apply_counts_every_outcome_by_kind_and_its_total_is_their_sum() {
    let progress = Progress::enabled();
    progress.applying_started(7);
    for how in [
        Finished::Applied(ActionKind::Create),
        Finished::Applied(ActionKind::Create),
        Finished::Applied(ActionKind::Update),
        Finished::Applied(ActionKind::Activate),
        Finished::Applied(ActionKind::Deactivate),
        Finished::Failed,
        Finished::Skipped,
    ] {
        progress.action_finished(how);
    }
    progress.applying_finished(true);
    let s = progress.snapshot();
    assert_eq!(
        (s.applying, s.total, s.tally.done()),
        (Stage::Finished, 7, 7)
    );
    assert_eq!(
        s.tally,
        Tally {
            created: 2,
            updated: 1,
            activated: 1,
            deactivated: 1,
            failed: 1,
            skipped: 1,
            ..Tally::default()
        }
    );
}

#[test]
fn failures_are_their_own_stage_and_count_as_over() {
    let progress = Progress::enabled();
    progress.hr_failed();
    progress.okta_failed();
    progress.applying_finished(false);
    let s = progress.snapshot();
    for stage in [s.hr, s.okta, s.applying] {
        assert_eq!(stage, Stage::Failed);
        assert!(stage.is_over());
    }
    assert!(!Stage::Running.is_over() && !Stage::Pending.is_over());
}

#[test]
fn abandoning_a_run_fails_the_running_phases_and_leaves_the_others_alone() {
    let progress = Progress::enabled();
    progress.hr_started();
    progress.hr_finished(10, 0);
    progress.okta_started();
    progress.planning_started();
    progress.abandon();
    let s = progress.snapshot();
    assert_eq!(
        (s.hr, s.okta, s.planning, s.applying),
        (
            Stage::Finished,
            Stage::Failed,
            Stage::Failed,
            Stage::Pending
        )
    );
}

#[test]
fn clones_share_one_set_of_counters_across_threads() {
    let progress = Progress::enabled();
    progress.applying_started(400);
    std::thread::scope(|scope| {
        for _ in 0..4 {
            let p = progress.clone();
            scope.spawn(move || {
                for _ in 0..100 {
                    p.action_finished(Finished::Applied(ActionKind::Update));
                }
            });
        }
    });
    assert_eq!(progress.snapshot().tally.updated, 400);
}
