use super::*;
use reqwest::header::HeaderValue;

fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
    let mut map = HeaderMap::new();
    for (k, v) in pairs {
        map.insert(*k, HeaderValue::from_str(v).unwrap());
    }
    map
}

#[test]
fn the_rate_limit_wait_follows_retry_after_then_the_reset_header() {
    let now = UNIX_EPOCH + Duration::from_secs(1_800_000_000);
    assert_eq!(
        rate_limit_wait(&headers(&[("retry-after", "7")]), now),
        Duration::from_secs(7)
    );
    assert_eq!(
        rate_limit_wait(&headers(&[("x-ratelimit-reset", "1800000012")]), now),
        Duration::from_secs(12)
    );
    assert_eq!(
        rate_limit_wait(&headers(&[("x-ratelimit-reset", "1799999990")]), now),
        Duration::from_secs(1),
        "a reset in the past still waits a second"
    );
    assert_eq!(
        rate_limit_wait(&headers(&[("x-ratelimit-reset", "30")]), now),
        Duration::from_secs(30),
        "small values are seconds from now"
    );
    assert_eq!(
        rate_limit_wait(&headers(&[("x-ratelimit-reset", "soon")]), now),
        Duration::from_secs(60)
    );
}
