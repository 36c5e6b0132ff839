//! The settled state on both backends: given back only to the run right after the no-change
//! run that wrote it, and dropped by the calls that change what a plan depends on.

use super::*;

#[test]
fn the_settled_state_is_given_only_to_the_run_right_after_its_no_change_run() {
    for backend in backends() {
        let j = backend.open();
        let clean = j.begin_run(&start(3)).unwrap();
        j.finish_run(clean, &finished(RunStatus::NoChanges))
            .unwrap();
        j.record_settled(clean, "state-1").unwrap();
        let next = j.begin_run(&start(3)).unwrap();
        assert_eq!(j.settled_before(next).unwrap().as_deref(), Some("state-1"));
        // A dry run in between does not count; a failed sync run does.
        let dry = j
            .begin_run(&RunStart {
                mode: RunMode::DryRun,
                ..start(3)
            })
            .unwrap();
        let after_dry = j.begin_run(&start(3)).unwrap();
        assert!(dry.0 < after_dry.0);
        assert_eq!(j.settled_before(after_dry).unwrap(), None, "{next:?} ran");
        j.finish_run(after_dry, &finished(RunStatus::Failed))
            .unwrap();
        let later = j.begin_run(&start(3)).unwrap();
        assert_eq!(j.settled_before(later).unwrap(), None);
    }
}

#[test]
fn a_run_that_did_not_end_with_no_changes_leaves_no_settled_state() {
    for backend in backends() {
        let j = backend.open();
        let run = j.begin_run(&start(3)).unwrap();
        j.finish_run(run, &finished(RunStatus::Applied)).unwrap();
        j.record_settled(run, "state").unwrap();
        let next = j.begin_run(&start(3)).unwrap();
        assert_eq!(j.settled_before(next).unwrap(), None);
    }
}

#[test]
fn forgetting_a_link_clearing_a_streak_approving_or_dropping_the_cache_drops_the_state() {
    for backend in backends() {
        let j = backend.open();
        let drops: [&dyn Fn(&Journal); 4] = [
            &|j| j.forget_link("00u9").unwrap(),
            &|j| {
                j.clear_failure_streaks("1001").unwrap();
            },
            &|j| {
                j.approve("plan-1", at(10)).unwrap();
            },
            &|j| j.clear_okta_cache().unwrap(),
        ];
        for drop in drops {
            let run = j.begin_run(&start(3)).unwrap();
            j.finish_run(run, &finished(RunStatus::NoChanges)).unwrap();
            j.record_settled(run, "state").unwrap();
            drop(&j);
            let next = j.begin_run(&start(3)).unwrap();
            assert_eq!(j.settled_before(next).unwrap(), None);
            j.finish_run(next, &finished(RunStatus::NoChanges)).unwrap();
        }
    }
}
