use super::*;
use crate::progress::{PhaseState, Tally};
use std::time::Duration;

fn set(snap: &mut Snapshot, phase: Phase, stage: Stage, t: u64) {
    let state: &mut PhaseState = &mut snap.phases[phase.index()];
    state.stage = stage;
    let at = Some(Duration::from_secs(t));
    state.began.get_or_insert(Duration::from_secs(t));
    if stage.is_over() {
        state.ended = at;
    }
}

#[test]
fn a_bar_appears_per_phase_as_it_begins_and_is_left_finished_with_its_summary() {
    let mut display = Terminal::drawing_on(ProgressDrawTarget::hidden());
    let mut snap = Snapshot::default();
    display.frame(&snap);
    assert!(display.bars.iter().all(Option::is_none));
    set(&mut snap, Phase::Hr, Stage::Running, 0);
    set(&mut snap, Phase::Okta, Stage::Running, 0);
    display.frame(&snap);
    let okta = display.bars[Phase::Okta.index()].clone().unwrap();
    (snap.pages, snap.users, snap.at) = (2, 400, Duration::from_secs(1));
    display.frame(&snap);
    assert_eq!(
        okta.message(),
        "listing Okta: 2 pages, 400 users so far (1.0s)"
    );
    for phase in [Phase::Hr, Phase::Okta, Phase::Planning] {
        set(&mut snap, phase, Stage::Finished, 2);
    }
    snap.total = 10;
    set(&mut snap, Phase::Applying, Stage::Running, 2);
    display.frame(&snap);
    assert!(okta.is_finished());
    assert_eq!(okta.message(), "✓ listed Okta: 2 pages, 400 users in 2.0s");
    let apply = display.bars[Phase::Applying.index()].clone().unwrap();
    snap.tally = Tally {
        updated: 4,
        failed: 1,
        ..Tally::default()
    };
    snap.at = Duration::from_secs(7);
    display.frame(&snap);
    assert_eq!((apply.position(), apply.length()), (5, Some(10)));
    assert_eq!(
        apply.message(),
        "5/10 (50%) updated 4 failed 1, 1.0/s, ETA 5.0s"
    );
    set(&mut snap, Phase::Applying, Stage::Failed, 7);
    display.finish(&snap);
    assert!(apply.is_finished());
    assert!(
        apply
            .message()
            .starts_with("✗ applying stopped after 5.0s at 5/10 (50%)")
    );
}

#[test]
fn a_run_that_stops_mid_phase_leaves_that_bar_as_it_stood() {
    let mut display = Terminal::drawing_on(ProgressDrawTarget::hidden());
    let mut snap = Snapshot::default();
    set(&mut snap, Phase::Okta, Stage::Running, 0);
    display.finish(&snap);
    let okta = display.bars[Phase::Okta.index()].clone().unwrap();
    assert!(okta.is_finished(), "abandoned, not spinning on");
}
