use super::*;

#[test]
fn check_retries_back_off_exponentially_with_jitter_up_to_the_ceiling() {
    let ceiling = Duration::from_secs(60);
    let d = |n, u| retry_delay(n, ceiling, u).as_millis();
    assert_eq!((d(1, 0.0), d(1, 1.0)), (500, 1000));
    assert_eq!((d(2, 0.0), d(2, 1.0)), (1000, 2000));
    assert_eq!((d(4, 0.5), d(6, 1.0)), (6000, 32_000));
    assert_eq!((d(7, 0.0), d(7, 1.0)), (30_000, 60_000));
    assert_eq!(d(1000, 1.0), 60_000);
    assert_eq!(d(3, 7.0), 4000, "jitter beyond 1 is clamped");
}
