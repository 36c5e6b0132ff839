use super::*;
use std::time::Duration;

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
fn each_phase_notes_when_it_began_and_ended_and_its_elapsed_time_stops_at_its_end() {
    let progress = Progress::enabled();
    assert_eq!(progress.snapshot().elapsed(Phase::Hr), Duration::ZERO);
    progress.hr_started();
    std::thread::sleep(Duration::from_millis(5));
    progress.hr_finished(1, 0);
    progress.planning_finished(0);
    let s = progress.snapshot();
    let hr = s.phases[Phase::Hr.index()];
    let (began, ended) = (hr.began.unwrap(), hr.ended.unwrap());
    assert!(ended >= began + Duration::from_millis(5), "{hr:?}");
    assert!(s.at >= ended);
    std::thread::sleep(Duration::from_millis(5));
    assert_eq!(progress.snapshot().elapsed(Phase::Hr), ended - began);
    let planning = s.phases[Phase::Planning.index()];
    assert_eq!(
        planning.began, planning.ended,
        "ended unseen to begin: began then"
    );
    assert_eq!(s.elapsed(Phase::Okta), Duration::ZERO, "never began");
}

#[test]
fn a_watched_handle_pokes_its_renderer_when_a_phase_begins_or_ends_never_per_action() {
    let (progress, wake) = Progress::watched();
    progress.applying_started(3);
    assert_eq!(wake.try_recv(), Ok(()));
    for _ in 0..3 {
        progress.action_finished(Finished::Failed);
    }
    progress.okta_page(10);
    assert!(wake.try_recv().is_err(), "no poke per action or page");
    // Pokes never pile up or block: one is waiting however many phases moved.
    progress.applying_finished(true);
    progress.hr_started();
    progress.hr_failed();
    assert_eq!(wake.try_recv(), Ok(()));
    assert!(wake.try_recv().is_err());
    drop(wake);
    progress.okta_started();
}

#[test]
fn each_phase_moves_from_pending_to_running_to_finished_with_its_figures() {
    let progress = Progress::enabled();
    assert_eq!(progress.snapshot().stage(Phase::Hr), Stage::Pending);
    progress.hr_started();
    progress.okta_started();
    assert_eq!(progress.snapshot().stage(Phase::Hr), Stage::Running);
    progress.okta_page(200);
    progress.okta_page(150);
    let listing = progress.snapshot();
    assert_eq!(
        (listing.stage(Phase::Okta), listing.pages, listing.users),
        (Stage::Running, 2, 350)
    );
    progress.hr_finished(400, 3);
    progress.okta_finished(360);
    progress.planning_started();
    progress.planning_finished(42);
    let s = progress.snapshot();
    assert_eq!(
        (s.stage(Phase::Hr), s.records, s.rejected),
        (Stage::Finished, 400, 3)
    );
    assert_eq!(
        (s.stage(Phase::Okta), s.pages, s.users),
        (Stage::Finished, 2, 360)
    );
    assert_eq!((s.stage(Phase::Planning), s.planned), (Stage::Finished, 42));
    assert_eq!(
        s.stage(Phase::Applying),
        Stage::Pending,
        "a dry run never applies"
    );
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
        (s.stage(Phase::Applying), s.total, s.tally.done()),
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
    for stage in [
        s.stage(Phase::Hr),
        s.stage(Phase::Okta),
        s.stage(Phase::Applying),
    ] {
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
        (
            s.stage(Phase::Hr),
            s.stage(Phase::Okta),
            s.stage(Phase::Planning),
            s.stage(Phase::Applying)
        ),
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
