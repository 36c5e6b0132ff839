use super::*;
use crate::progress::Tally;

fn secs(s: f64) -> Duration {
    Duration::from_secs_f64(s)
}

fn applying(done: u64, total: u64) -> Snapshot {
    Snapshot {
        hr: Stage::Finished,
        okta: Stage::Finished,
        planning: Stage::Finished,
        applying: Stage::Running,
        total,
        tally: Tally {
            created: done,
            ..Tally::default()
        },
        ..Snapshot::default()
    }
}

/// A log that has already seen the reads and planning end and the apply of `total` begin at 0 s.
fn log_applying(total: u64) -> PlainLog {
    let mut log = PlainLog::new(Duration::from_secs(10));
    let lines = log.lines(&applying(0, total), Duration::ZERO);
    assert_eq!(lines.len(), 7, "{lines:?}");
    log
}

#[test]
fn a_line_is_written_when_each_phase_begins_and_when_it_ends() {
    let mut log = PlainLog::new(Duration::from_secs(10));
    let mut snap = Snapshot::default();
    assert!(log.lines(&snap, secs(0.0)).is_empty(), "nothing begun");
    snap.hr = Stage::Running;
    snap.okta = Stage::Running;
    assert_eq!(log.lines(&snap, secs(0.1)), ["reading HR", "listing Okta"]);
    snap.okta_pages(2, 400);
    snap.hr = Stage::Finished;
    snap.records = 400;
    assert_eq!(
        log.lines(&snap, secs(0.5)),
        ["read HR: 400 records in 0.4s"]
    );
    snap.okta = Stage::Finished;
    snap.planning = Stage::Running;
    assert_eq!(
        log.lines(&snap, secs(1.3)),
        ["listed Okta: 2 pages, 400 users in 1.2s", "planning"]
    );
    snap.planning = Stage::Finished;
    snap.planned = 400;
    snap.applying = Stage::Running;
    snap.total = 400;
    assert_eq!(
        log.lines(&snap, secs(1.4)),
        ["planned 400 actions in 0.1s", "applying 400 actions"]
    );
    snap.tally.created = 400;
    snap.applying = Stage::Finished;
    assert_eq!(
        log.lines(&snap, secs(6.4)),
        ["applied 400/400 (100%) created 400, 80.0/s, in 5.0s"]
    );
    assert!(log.lines(&snap, secs(60.0)).is_empty(), "nothing under way");
}

#[test]
fn a_phase_begun_and_ended_between_two_looks_still_gets_both_lines() {
    let mut log = PlainLog::new(Duration::from_secs(10));
    let snap = Snapshot {
        planning: Stage::Finished,
        planned: 0,
        ..Snapshot::default()
    };
    assert_eq!(
        log.lines(&snap, secs(2.0)),
        ["planning", "planned 0 actions in 0.0s"]
    );
}

#[test]
fn the_apply_writes_a_line_at_each_new_five_percent_step_and_not_between() {
    let mut log = log_applying(1000);
    assert!(
        log.lines(&applying(49, 1000), secs(0.5)).is_empty(),
        "4.9 %"
    );
    assert_eq!(
        log.lines(&applying(50, 1000), secs(1.0)),
        ["applying 50/1000 (5%) created 50, 50.0/s, ETA 19s"]
    );
    assert!(
        log.lines(&applying(99, 1000), secs(1.5)).is_empty(),
        "still 5 %"
    );
    // A jump over several steps between two looks: one line, at the step reached.
    assert_eq!(
        log.lines(&applying(260, 1000), secs(2.0)),
        ["applying 260/1000 (26%) created 260, 130.0/s, ETA 5.7s"]
    );
    assert!(log.lines(&applying(299, 1000), secs(2.5)).is_empty());
}

#[test]
fn without_another_line_the_phases_under_way_are_logged_every_interval() {
    let mut log = PlainLog::new(Duration::from_secs(10));
    let mut snap = Snapshot {
        hr: Stage::Running,
        okta: Stage::Running,
        ..Snapshot::default()
    };
    assert_eq!(log.lines(&snap, secs(0.0)).len(), 2);
    snap.okta_pages(3, 600);
    assert!(log.lines(&snap, secs(9.9)).is_empty());
    assert_eq!(
        log.lines(&snap, secs(10.0)),
        [
            "reading HR (10s)",
            "listing Okta: 3 pages, 600 users so far (10s)"
        ]
    );
    assert!(
        log.lines(&snap, secs(19.9)).is_empty(),
        "the interval restarts"
    );
    snap.hr = Stage::Finished;
    snap.records = 5;
    assert_eq!(log.lines(&snap, secs(25.0)), ["read HR: 5 records in 25s"]);
    assert!(
        log.lines(&snap, secs(34.9)).is_empty(),
        "a phase line restarts the interval too"
    );
    assert_eq!(
        log.lines(&snap, secs(35.0)),
        ["listing Okta: 3 pages, 600 users so far (35s)"]
    );
}

#[test]
fn a_slow_apply_is_logged_every_interval_between_its_five_percent_steps() {
    let mut log = log_applying(1900);
    assert!(log.lines(&applying(30, 1900), secs(9.0)).is_empty());
    assert_eq!(
        log.lines(&applying(40, 1900), secs(10.0)),
        ["applying 40/1900 (2%) created 40, 4.0/s, ETA 7m 45s"]
    );
    assert_eq!(
        log.lines(&applying(95, 1900), secs(12.0)),
        ["applying 95/1900 (5%) created 95, 7.9/s, ETA 3m 48s"]
    );
}

#[test]
fn a_short_interval_logs_as_often_as_it_says() {
    let mut log = PlainLog::new(Duration::from_millis(50));
    let snap = Snapshot {
        okta: Stage::Running,
        ..Snapshot::default()
    };
    assert_eq!(log.lines(&snap, secs(0.0)), ["listing Okta"]);
    let mut written = 0;
    for tick in 1..=20 {
        written += log.lines(&snap, Duration::from_millis(tick * 10)).len();
    }
    assert_eq!(written, 4, "every 50 ms over 200 ms");
}

#[test]
fn an_apply_that_stops_short_ends_with_a_line_saying_where() {
    let mut log = log_applying(100);
    let mut snap = applying(40, 100);
    snap.applying = Stage::Failed;
    assert_eq!(
        log.lines(&snap, secs(4.0)),
        ["applying stopped after 4.0s at 40/100 (40%) created 40, 10.0/s"]
    );
}

trait Listing {
    fn okta_pages(&mut self, pages: u64, users: u64);
}

impl Listing for Snapshot {
    fn okta_pages(&mut self, pages: u64, users: u64) {
        self.pages = pages;
        self.users = users;
    }
}
