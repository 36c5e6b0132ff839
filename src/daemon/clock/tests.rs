use super::*;
use chrono::TimeZone;

#[tokio::test(start_paused = true)]
async fn a_virtual_clock_advances_with_tokio_virtual_time() {
    let start = Utc.with_ymd_and_hms(2027, 4, 1, 0, 0, 0).unwrap();
    let clock = VirtualClock::starting_at(start);
    tokio::time::sleep(Duration::from_secs(90)).await;
    assert_eq!(
        clock.now(),
        Utc.with_ymd_and_hms(2027, 4, 1, 0, 1, 30).unwrap()
    );
}

#[test]
fn the_time_until_a_past_instant_is_zero() {
    let a = Utc.with_ymd_and_hms(2027, 4, 1, 0, 0, 0).unwrap();
    let b = a + chrono::Duration::seconds(5);
    assert_eq!(until(b, a), Duration::ZERO);
    assert_eq!(until(a, b), Duration::from_secs(5));
}
