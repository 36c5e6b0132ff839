use super::*;

#[test]
fn backoff_ceilings_double_and_stop_at_the_maximum() {
    let p = RetryPolicy {
        base_delay: Duration::from_millis(100),
        max_delay: Duration::from_secs(1),
        ..RetryPolicy::default()
    };
    assert_eq!(p.ceiling(1), Duration::from_millis(100));
    assert_eq!(p.ceiling(2), Duration::from_millis(200));
    assert_eq!(p.ceiling(4), Duration::from_millis(800));
    assert_eq!(p.ceiling(5), Duration::from_secs(1));
    assert_eq!(p.ceiling(u32::MAX), Duration::from_secs(1));
}

#[test]
fn jittered_backoff_stays_between_half_its_ceiling_and_the_ceiling_and_varies() {
    let p = RetryPolicy::default();
    let mut seen = std::collections::HashSet::new();
    for _ in 0..200 {
        let d = p.backoff(3);
        assert!(d <= p.ceiling(3), "{d:?}");
        assert!(d >= p.ceiling(3) / 2, "{d:?}");
        seen.insert(d);
    }
    assert!(seen.len() > 50, "jitter should spread waits");
}

#[test]
fn a_header_less_429_backs_off_from_half_a_second_doubling() {
    let p = RetryPolicy::default();
    for (limited, ceiling_ms) in [(1, 500), (2, 1_000), (3, 2_000)] {
        let d = p.rate_limited_backoff(limited);
        let ceiling = Duration::from_millis(ceiling_ms);
        assert!(d >= ceiling / 2 && d <= ceiling, "{limited}: {d:?}");
    }
}

#[test]
fn retry_after_is_read_as_seconds_or_as_an_http_date() {
    assert_eq!(retry_after(" 7 ", 0), Some(Duration::from_secs(7)));
    let date = "Thu, 01 Jan 1970 00:01:40 GMT";
    assert_eq!(retry_after(date, 40), Some(Duration::from_secs(60)));
    assert_eq!(retry_after(date, 1_000), Some(Duration::ZERO));
    assert_eq!(retry_after("soon", 0), None);
    assert_eq!(retry_after("-3", 0), None);
}

#[test]
fn the_run_budget_refuses_a_wait_past_it_until_reset() {
    let budget = RetryBudget::new(Duration::from_secs(10));
    assert!(budget.take(Duration::from_secs(6)));
    assert!(!budget.take(Duration::from_secs(5)), "6 + 5 > 10");
    assert_eq!(budget.spent(), Duration::from_secs(6));
    assert!(budget.take(Duration::from_secs(4)));
    assert!(budget.is_spent());
    budget.reset();
    assert_eq!(budget.spent(), Duration::ZERO);
    budget.charge(Duration::from_secs(30));
    assert!(budget.is_spent() && !budget.take(Duration::from_millis(1)));
}

#[test]
fn reset_jitter_is_small_but_never_zero() {
    for _ in 0..100 {
        let j = reset_jitter();
        assert!(j >= Duration::from_millis(50) && j <= Duration::from_millis(400));
    }
}
