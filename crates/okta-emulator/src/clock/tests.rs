use super::*;

#[test]
fn advancing_the_clock_moves_now_forward_by_that_much() {
    let clock = Clock::default();
    let before = clock.now();
    clock.advance(std::time::Duration::from_secs(3600));
    let after = clock.now();
    assert!(
        after - before >= Duration::seconds(3600),
        "{before} {after}"
    );
    assert!(after - before < Duration::seconds(3700), "{before} {after}");
}

#[test]
fn the_clock_reports_whole_milliseconds() {
    let t = Clock::default().now();
    assert_eq!(t.timestamp_subsec_nanos() % 1_000_000, 0);
}

#[test]
fn a_huge_advance_saturates_instead_of_overflowing() {
    let clock = Clock::default();
    clock.advance(std::time::Duration::from_secs(u64::MAX));
    clock.advance(std::time::Duration::from_secs(u64::MAX));
    let _ = clock.now();
}
