use super::*;

#[test]
fn counts_filter_by_method_and_route_prefix() {
    let mut b = StatsBook::default();
    b.record("POST", "/api/v1/users/{id}/lifecycle/activate", 200);
    b.record("POST", "/api/v1/users/{id}/lifecycle/activate", 200);
    b.record("GET", "/api/v1/users", 200);
    b.record("POST", "/api/v1/users", 429);
    let s = b.snapshot(3);
    assert_eq!(s.count("POST", "/api/v1/users/{id}/lifecycle"), 2);
    assert_eq!(s.writes(), 3);
    assert_eq!(s.total(), 4);
    assert_eq!(s.rate_limited, 1);
    assert_eq!(s.peak_in_flight, 3);
}
