use super::*;

fn limits(n: u32, window_ms: u64) -> RateLimits {
    RateLimits {
        window_ms,
        ..RateLimits::uniform(n)
    }
}

#[test]
fn remaining_counts_down_within_the_principal_share() {
    let mut l = Limiter::default();
    let (t, w) = (Instant::now(), Utc::now());
    let lim = limits(10, 60_000);
    let d1 = l.check(Bucket::ListCreate, "a", 0.5, &lim, t, w);
    assert_eq!((d1.limit, d1.remaining, d1.allowed), (5, 4, true));
    for _ in 0..4 {
        assert!(l.check(Bucket::ListCreate, "a", 0.5, &lim, t, w).allowed);
    }
    let d = l.check(Bucket::ListCreate, "a", 0.5, &lim, t, w);
    assert_eq!((d.remaining, d.allowed), (0, false));
    assert_eq!(d.reset, d1.reset);
}

#[test]
fn a_new_window_resets_the_count() {
    let mut l = Limiter::default();
    let (t, w) = (Instant::now(), Utc::now());
    let lim = limits(2, 1000);
    assert!(l.check(Bucket::GetUser, "a", 0.5, &lim, t, w).allowed);
    assert!(!l.check(Bucket::GetUser, "a", 0.5, &lim, t, w).allowed);
    let later = t + Duration::from_millis(1001);
    assert!(l.check(Bucket::GetUser, "a", 0.5, &lim, later, w).allowed);
}

#[test]
fn two_principals_together_cannot_exceed_the_org_limit() {
    let mut l = Limiter::default();
    let (t, w) = (Instant::now(), Utc::now());
    let lim = limits(4, 60_000);
    for p in ["a", "b", "c"] {
        for _ in 0..3 {
            l.check(Bucket::Other, p, 0.75, &lim, t, w);
        }
    }
    assert!(!l.check(Bucket::Other, "d", 0.75, &lim, t, w).allowed);
}

#[test]
fn absurd_windows_and_shares_do_not_panic() {
    let mut l = Limiter::default();
    let (t, w) = (Instant::now(), Utc::now());
    let lim = limits(u32::MAX, u64::MAX);
    let d = l.check(Bucket::Other, "a", f64::NAN, &lim, t, w);
    assert!(d.allowed);
    let d = l.check(Bucket::Other, "a", -3.0, &limits(0, 0), t, w);
    assert_eq!(d.limit, 1);
}

#[test]
fn lifecycle_shares_the_create_bucket() {
    assert_eq!(
        Bucket::of("POST", "/api/v1/users/{id}/lifecycle/activate"),
        Bucket::ListCreate
    );
    assert_eq!(
        Bucket::of("DELETE", "/api/v1/users/{id}"),
        Bucket::UpdateDelete
    );
    assert_eq!(Bucket::of("GET", "/api/v1/users/{id}"), Bucket::GetUser);
}
