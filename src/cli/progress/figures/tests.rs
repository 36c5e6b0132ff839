use super::*;
use crate::progress::Tally;

fn applying(done: Tally, total: u64) -> Snapshot {
    with(
        Phase::Applying,
        Stage::Running,
        Snapshot {
            total,
            tally: done,
            ..Snapshot::default()
        },
    )
}

/// `snap` with `phase` at `stage`.
fn with(phase: Phase, stage: Stage, mut snap: Snapshot) -> Snapshot {
    snap.phases[phase.index()].stage = stage;
    snap
}

#[test]
fn the_apply_line_shows_done_of_total_percent_the_non_zero_counts_rate_and_eta() {
    let snap = applying(
        Tally {
            created: 850,
            updated: 30,
            failed: 3,
            ..Tally::default()
        },
        1900,
    );
    // 883 actions in 21.43 s: 41.2/s, 1017 left at that rate: 24.7 s.
    let line = running(Phase::Applying, &snap, Duration::from_millis(21_430));
    assert_eq!(
        line,
        "applying 883/1900 (46%) created 850 updated 30 failed 3, 41.2/s, ETA 25s"
    );
}

#[test]
fn before_the_first_action_the_apply_line_has_no_rate_or_eta() {
    let snap = applying(Tally::default(), 40);
    assert_eq!(
        running(Phase::Applying, &snap, Duration::from_secs(3)),
        "applying 0/40 (0%)"
    );
    assert_eq!(
        running(Phase::Applying, &snap, Duration::ZERO),
        "applying 0/40 (0%)"
    );
}

#[test]
fn the_final_apply_line_says_applied_with_the_rate_and_the_time_taken() {
    let mut snap = applying(
        Tally {
            created: 398,
            failed: 2,
            ..Tally::default()
        },
        400,
    );
    snap.phases[Phase::Applying.index()].stage = Stage::Finished;
    assert_eq!(
        ended(Phase::Applying, &snap, Duration::from_secs(5)),
        "applied 400/400 (100%) created 398 failed 2, 80.0/s, in 5.0s"
    );
    snap.phases[Phase::Applying.index()].stage = Stage::Failed;
    assert!(
        ended(Phase::Applying, &snap, Duration::from_secs(5))
            .starts_with("applying stopped after 5.0s at 400/400 (100%)")
    );
}

#[test]
fn each_phase_names_itself_and_its_figures_when_it_begins_runs_and_ends() {
    let snap = Snapshot {
        records: 400,
        rejected: 2,
        pages: 3,
        users: 412,
        planned: 1,
        total: 1,
        ..Snapshot::default()
    };
    let t = Duration::from_millis(1_240);
    assert_eq!(began(Phase::Hr, &snap), "reading HR");
    assert_eq!(began(Phase::Okta, &snap), "listing Okta");
    assert_eq!(began(Phase::Planning, &snap), "planning");
    assert_eq!(began(Phase::Applying, &snap), "applying 1 action");
    assert_eq!(
        running(Phase::Okta, &snap, t),
        "listing Okta: 3 pages, 412 users so far (1.2s)"
    );
    assert_eq!(running(Phase::Hr, &snap, t), "reading HR (1.2s)");
    assert_eq!(
        ended(Phase::Hr, &snap, t),
        "read HR: 400 records (2 rejected) in 1.2s"
    );
    assert_eq!(
        ended(Phase::Okta, &snap, t),
        "listed Okta: 3 pages, 412 users in 1.2s"
    );
    assert_eq!(ended(Phase::Planning, &snap, t), "planned 1 action in 1.2s");
}

#[test]
fn a_failed_phase_says_so_with_how_long_it_ran() {
    let mut snap = Snapshot {
        pages: 1,
        users: 200,
        ..Snapshot::default()
    };
    for phase in [Phase::Hr, Phase::Okta, Phase::Planning] {
        snap = with(phase, Stage::Failed, snap);
    }
    let t = Duration::from_secs(2);
    assert_eq!(ended(Phase::Hr, &snap, t), "reading HR failed after 2.0s");
    assert_eq!(
        ended(Phase::Okta, &snap, t),
        "listing Okta failed after 2.0s (1 page, 200 users read)"
    );
    assert_eq!(
        ended(Phase::Planning, &snap, t),
        "planning failed after 2.0s"
    );
}

#[test]
fn durations_read_as_tenths_then_seconds_then_minutes_then_hours() {
    let cases = [
        (Duration::from_millis(0), "0.0s"),
        (Duration::from_millis(420), "0.4s"),
        (Duration::from_millis(9_940), "9.9s"),
        (Duration::from_millis(24_700), "25s"),
        (Duration::from_secs(185), "3m 05s"),
        (Duration::from_secs(7_620), "2h 07m"),
        (Duration::MAX, "5124095576030431h 00m"),
    ];
    for (d, text) in cases {
        assert_eq!(duration(d), text, "{d:?}");
    }
}

#[test]
fn percent_rounds_down_caps_at_the_total_and_calls_nothing_to_do_complete() {
    assert_eq!(percent(0, 1900), 0);
    assert_eq!(percent(94, 1900), 4);
    assert_eq!(percent(95, 1900), 5);
    assert_eq!(percent(1899, 1900), 99);
    assert_eq!(percent(1900, 1900), 100);
    assert_eq!(
        percent(2000, 1900),
        100,
        "a count a step ahead of its total"
    );
    assert_eq!(percent(0, 0), 100);
    assert_eq!(percent(u64::MAX, u64::MAX), 100);
}

#[test]
fn the_rate_needs_a_finished_action_and_some_time() {
    assert_eq!(rate(0, Duration::from_secs(5)), None);
    assert_eq!(rate(10, Duration::ZERO), None);
    assert_eq!(rate(10, Duration::from_secs(4)), Some(2.5));
    // An absurd rate still gives a line, never a panic.
    let snap = applying(
        Tally {
            updated: u64::MAX / 2,
            ..Tally::default()
        },
        u64::MAX,
    );
    assert!(apply_figures(&snap, Duration::from_millis(1)).starts_with("9223372036854775807/"));
}
