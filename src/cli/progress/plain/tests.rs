use super::*;
use crate::progress::{PhaseState, Tally};

fn secs(s: f64) -> Duration {
    Duration::from_secs_f64(s)
}

/// `phase` began at `t` seconds.
fn begin(snap: &mut Snapshot, phase: Phase, t: f64) {
    snap.phases[phase.index()] = PhaseState {
        stage: Stage::Running,
        began: Some(secs(t)),
        ended: None,
    };
}

/// `phase` ended at `t` seconds, as `stage` (it began then too if it had not yet).
fn end(snap: &mut Snapshot, phase: Phase, t: f64, stage: Stage) {
    let state = &mut snap.phases[phase.index()];
    state.stage = stage;
    state.began.get_or_insert(secs(t));
    state.ended = Some(secs(t));
}

/// The lines a look at `snap` at `t` seconds writes.
fn look(log: &mut PlainLog, snap: &mut Snapshot, t: f64) -> Vec<String> {
    snap.at = secs(t);
    log.lines(snap)
}

/// The reads and planning over and an apply of `total` begun, all at 0 s, and a log that has
/// written their lines.
fn applying(total: u64) -> (PlainLog, Snapshot) {
    let mut log = PlainLog::new(Duration::from_secs(10));
    let mut snap = Snapshot {
        total,
        ..Snapshot::default()
    };
    for phase in [Phase::Hr, Phase::Okta, Phase::Planning] {
        end(&mut snap, phase, 0.0, Stage::Finished);
    }
    begin(&mut snap, Phase::Applying, 0.0);
    assert_eq!(look(&mut log, &mut snap, 0.0).len(), 7);
    (log, snap)
}

/// `snap` with `done` creates.
fn created(snap: &mut Snapshot, done: u64) -> &mut Snapshot {
    snap.tally = Tally {
        created: done,
        ..Tally::default()
    };
    snap
}

#[test]
fn a_line_is_written_when_each_phase_begins_and_when_it_ends() {
    let mut log = PlainLog::new(Duration::from_secs(10));
    let mut snap = Snapshot::default();
    assert!(look(&mut log, &mut snap, 0.0).is_empty(), "nothing begun");
    begin(&mut snap, Phase::Hr, 0.02);
    begin(&mut snap, Phase::Okta, 0.02);
    assert_eq!(
        look(&mut log, &mut snap, 0.03),
        ["reading HR", "listing Okta"]
    );
    (snap.pages, snap.users, snap.records) = (2, 400, 400);
    end(&mut snap, Phase::Hr, 0.42, Stage::Finished);
    assert_eq!(
        look(&mut log, &mut snap, 0.5),
        ["read HR: 400 records in 0.4s"]
    );
    end(&mut snap, Phase::Okta, 1.22, Stage::Finished);
    begin(&mut snap, Phase::Planning, 1.22);
    assert_eq!(
        look(&mut log, &mut snap, 1.3),
        ["listed Okta: 2 pages, 400 users in 1.2s", "planning"]
    );
    (snap.planned, snap.total) = (400, 400);
    end(&mut snap, Phase::Planning, 1.32, Stage::Finished);
    begin(&mut snap, Phase::Applying, 1.32);
    assert_eq!(
        look(&mut log, &mut snap, 1.4),
        ["planned 400 actions in 0.1s", "applying 400 actions"]
    );
    created(&mut snap, 400);
    end(&mut snap, Phase::Applying, 6.32, Stage::Finished);
    assert_eq!(
        look(&mut log, &mut snap, 6.4),
        ["applied 400/400 (100%) created 400, 80.0/s, in 5.0s"]
    );
    assert!(
        look(&mut log, &mut snap, 60.0).is_empty(),
        "nothing under way"
    );
}

#[test]
fn a_phase_begun_and_ended_between_two_looks_still_gets_both_lines() {
    let mut log = PlainLog::new(Duration::from_secs(10));
    let mut snap = Snapshot::default();
    begin(&mut snap, Phase::Planning, 1.0);
    end(&mut snap, Phase::Planning, 1.25, Stage::Finished);
    assert_eq!(
        look(&mut log, &mut snap, 2.0),
        ["planning", "planned 0 actions in 0.2s"]
    );
}

#[test]
fn the_apply_writes_a_line_at_each_new_five_percent_step_and_not_between() {
    let (mut log, mut snap) = applying(1000);
    assert!(
        look(&mut log, created(&mut snap, 49), 0.5).is_empty(),
        "4.9 %"
    );
    assert_eq!(
        look(&mut log, created(&mut snap, 50), 1.0),
        ["applying 50/1000 (5%) created 50, 50.0/s, ETA 19s"]
    );
    assert!(
        look(&mut log, created(&mut snap, 99), 1.5).is_empty(),
        "still 5 %"
    );
    // A jump over several steps between two looks: one line, at the step reached.
    assert_eq!(
        look(&mut log, created(&mut snap, 260), 2.0),
        ["applying 260/1000 (26%) created 260, 130.0/s, ETA 5.7s"]
    );
    assert!(look(&mut log, created(&mut snap, 299), 2.5).is_empty());
}

#[test]
fn without_another_line_the_phases_under_way_are_logged_every_interval() {
    let mut log = PlainLog::new(Duration::from_secs(10));
    let mut snap = Snapshot::default();
    begin(&mut snap, Phase::Hr, 0.0);
    begin(&mut snap, Phase::Okta, 0.0);
    assert_eq!(look(&mut log, &mut snap, 0.0).len(), 2);
    (snap.pages, snap.users) = (3, 600);
    assert!(look(&mut log, &mut snap, 9.9).is_empty());
    assert_eq!(
        look(&mut log, &mut snap, 10.0),
        [
            "reading HR (10s)",
            "listing Okta: 3 pages, 600 users so far (10s)"
        ]
    );
    assert!(
        look(&mut log, &mut snap, 19.9).is_empty(),
        "the interval restarts"
    );
    snap.records = 5;
    end(&mut snap, Phase::Hr, 25.0, Stage::Finished);
    assert_eq!(
        look(&mut log, &mut snap, 25.0),
        ["read HR: 5 records in 25s"]
    );
    assert!(
        look(&mut log, &mut snap, 34.9).is_empty(),
        "a phase line restarts the interval too"
    );
    assert_eq!(
        look(&mut log, &mut snap, 35.0),
        ["listing Okta: 3 pages, 600 users so far (35s)"]
    );
}

#[test]
fn a_slow_apply_is_logged_every_interval_between_its_five_percent_steps() {
    let (mut log, mut snap) = applying(1900);
    assert!(look(&mut log, created(&mut snap, 30), 9.0).is_empty());
    assert_eq!(
        look(&mut log, created(&mut snap, 40), 10.0),
        ["applying 40/1900 (2%) created 40, 4.0/s, ETA 7m 45s"]
    );
    assert_eq!(
        look(&mut log, created(&mut snap, 95), 12.0),
        ["applying 95/1900 (5%) created 95, 7.9/s, ETA 3m 48s"]
    );
}

#[test]
fn a_short_interval_logs_as_often_as_it_says() {
    let mut log = PlainLog::new(Duration::from_millis(50));
    let mut snap = Snapshot::default();
    begin(&mut snap, Phase::Okta, 0.0);
    assert_eq!(look(&mut log, &mut snap, 0.0), ["listing Okta"]);
    let written: usize = (1..=20)
        .map(|tick| look(&mut log, &mut snap, f64::from(tick) * 0.01).len())
        .sum();
    assert_eq!(written, 4, "every 50 ms over 200 ms");
}

#[test]
fn an_apply_that_stops_short_ends_with_a_line_saying_where() {
    let (mut log, mut snap) = applying(100);
    created(&mut snap, 40);
    end(&mut snap, Phase::Applying, 4.0, Stage::Failed);
    assert_eq!(
        look(&mut log, &mut snap, 4.1),
        ["applying stopped after 4.0s at 40/100 (40%) created 40, 10.0/s"]
    );
}
