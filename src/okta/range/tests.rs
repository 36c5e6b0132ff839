use super::*;

fn utc(s: &str) -> DateTime<Utc> {
    s.parse().unwrap()
}

#[test]
fn a_span_is_split_into_ranges_of_equal_length() {
    let b = even_bounds(utc("2026-01-01T00:00:00Z"), utc("2026-01-01T00:00:08Z"), 4);
    assert_eq!(
        b,
        [
            utc("2026-01-01T00:00:02Z"),
            utc("2026-01-01T00:00:04Z"),
            utc("2026-01-01T00:00:06Z")
        ]
    );
}

#[test]
fn a_span_shorter_than_a_millisecond_per_part_or_one_part_is_not_split() {
    let t = utc("2026-01-01T00:00:00Z");
    assert!(even_bounds(t, t, 8).is_empty());
    assert!(even_bounds(t, utc("2026-01-01T00:00:00.005Z"), 8).is_empty());
    assert!(even_bounds(t, utc("2026-01-02T00:00:00Z"), 1).is_empty());
}
