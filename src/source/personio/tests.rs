use super::*;

#[test]
fn the_wait_follows_retry_after_then_the_reset_and_is_at_least_a_second() {
    let now = SystemTime::now();
    let mut h = HeaderMap::new();
    assert_eq!(rate_limit_wait(&h, now), Duration::from_secs(2));
    h.insert("x-ratelimit-reset", "7".parse().unwrap());
    assert_eq!(rate_limit_wait(&h, now), Duration::from_secs(7));
    h.insert("retry-after", "0".parse().unwrap());
    assert_eq!(rate_limit_wait(&h, now), Duration::from_secs(1));
}

#[test]
fn a_field_path_lies_in_its_top_attribute() {
    assert_eq!(top("supervisor.id"), "supervisor");
    assert_eq!(top("email"), "email");
}
