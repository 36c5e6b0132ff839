use super::*;
use std::time::Instant;

#[test]
fn quiet_turns_progress_off_and_otherwise_the_terminal_decides_the_display() {
    assert_eq!(Mode::choose(true, true), Mode::Off);
    assert_eq!(Mode::choose(true, false), Mode::Off);
    assert_eq!(Mode::choose(false, true), Mode::Terminal);
    assert_eq!(Mode::choose(false, false), Mode::Plain);
}

#[test]
fn the_interval_knob_takes_milliseconds_within_bounds_and_ignores_nonsense() {
    assert_eq!(interval_from(None), DEFAULT_INTERVAL);
    assert_eq!(interval_from(Some("250")), Duration::from_millis(250));
    assert_eq!(interval_from(Some(" 250 ")), Duration::from_millis(250));
    assert_eq!(interval_from(Some("0")), Duration::from_millis(10));
    assert_eq!(
        interval_from(Some("99999999999")),
        Duration::from_secs(3600)
    );
    for nonsense in ["", "ten", "-5", "1.5"] {
        assert_eq!(
            interval_from(Some(nonsense)),
            DEFAULT_INTERVAL,
            "{nonsense}"
        );
    }
}

#[test]
fn an_off_reporter_hands_out_a_disabled_handle_and_stops_at_once() {
    let (progress, reporter) = Reporter::start(Mode::Off, DEFAULT_INTERVAL);
    assert!(!progress.is_enabled());
    let started = Instant::now();
    reporter.finish();
    assert!(started.elapsed() < STOP_WAIT);
}

#[test]
fn a_plain_reporter_records_and_stops_within_its_bound_when_the_run_ends() {
    let (progress, reporter) = Reporter::start(Mode::Plain, Duration::from_millis(10));
    assert!(progress.is_enabled());
    progress.hr_started();
    progress.hr_finished(3, 0);
    let started = Instant::now();
    drop(reporter);
    assert!(started.elapsed() <= STOP_WAIT + Duration::from_millis(200));
    assert_eq!(
        progress.snapshot().records,
        3,
        "the run's handle outlives the display"
    );
}
