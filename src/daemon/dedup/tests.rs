use super::*;

fn key(n: u8) -> Key {
    [n; 32]
}

#[test]
fn a_key_seen_again_within_the_window_is_a_duplicate_and_after_it_is_new() {
    let t0 = Instant::now();
    let mut seen = RecentKeys::new(Duration::from_secs(600), 10);
    assert!(seen.first_seen(key(1), t0));
    assert!(!seen.first_seen(key(1), t0 + Duration::from_secs(599)));
    assert!(seen.first_seen(key(2), t0 + Duration::from_secs(599)));
    assert!(seen.first_seen(key(1), t0 + Duration::from_secs(600)));
}

#[test]
fn the_memory_never_holds_more_than_its_capacity_and_forgets_the_oldest_first() {
    let t0 = Instant::now();
    let mut seen = RecentKeys::new(Duration::from_secs(600), 3);
    for n in 0..100 {
        assert!(seen.first_seen(key(n), t0));
        assert!(seen.len() <= 3);
    }
    assert!(!seen.first_seen(key(99), t0), "the newest is kept");
    assert!(seen.first_seen(key(0), t0), "the oldest was forgotten");
}
