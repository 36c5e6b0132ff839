//! Bucket math of the pacer on a fake clock.

use super::*;

const NO_JITTER: Duration = Duration::ZERO;

fn headers(limit: u32, remaining: u32, reset_epoch: i64, date_epoch: i64) -> Option<RateHeaders> {
    Some(RateHeaders {
        limit,
        remaining,
        reset_epoch,
        date_epoch: Some(date_epoch),
    })
}

fn go(a: Admission) -> Instant {
    match a {
        Admission::Go(at) => at,
        Admission::Wait(until) => panic!("expected Go, got Wait until {until:?}"),
    }
}

#[test]
fn the_reset_is_measured_against_the_server_date_not_the_local_clock() {
    let h = headers(600, 10, 1_030, 1_000).unwrap();
    // The local clock is more than an hour off; only Date matters.
    assert_eq!(h.reset_in(5_000), Duration::from_secs(30));
    let no_date = RateHeaders {
        date_epoch: None,
        ..h
    };
    assert_eq!(no_date.reset_in(1_020), Duration::from_secs(10));
    assert_eq!(no_date.reset_in(2_000), Duration::ZERO);
}

#[test]
fn rate_headers_are_parsed_from_a_response() {
    let mut m = HeaderMap::new();
    m.insert("x-rate-limit-limit", "300".parse().unwrap());
    m.insert("x-rate-limit-remaining", "299".parse().unwrap());
    m.insert("x-rate-limit-reset", "1764042541".parse().unwrap());
    m.insert(DATE, "Tue, 25 Nov 2025 03:48:01 GMT".parse().unwrap());
    let h = RateHeaders::parse(&m).unwrap();
    assert_eq!(
        (h.limit, h.remaining, h.reset_epoch),
        (300, 299, 1_764_042_541)
    );
    assert_eq!(h.date_epoch, Some(1_764_042_481));
    m.remove("x-rate-limit-reset");
    assert_eq!(RateHeaders::parse(&m), None);
}

#[test]
fn requests_are_spread_over_the_window_within_the_share() {
    let t0 = Instant::now();
    let mut b = BucketState::new(t0);
    go(b.admit(t0, 0.5, NO_JITTER));
    // 600/min bucket, first answer: 599 left, reset in 60 s.
    b.finish(t0, 0, headers(600, 599, 1_060, 1_000), false, NO_JITTER);
    assert_eq!(b.budget(0.5), 299);
    let mut last = t0;
    for i in 0..299 {
        let at = go(b.admit(t0, 0.5, NO_JITTER));
        assert!(at >= last, "slots never go backwards");
        assert!(
            at < t0 + Duration::from_secs(60),
            "slot {i} is inside the window"
        );
        last = at;
    }
    // Evenly spread: the last slot is near the end of the window, not at its start.
    assert!(last > t0 + Duration::from_secs(55), "{:?}", last - t0);
    // The share is used up: wait for the reset.
    assert_eq!(
        b.admit(t0, 0.5, NO_JITTER),
        Admission::Wait(t0 + Duration::from_secs(60))
    );
}

/// A fake Okta bucket: `limit` per window of `window`, windows starting at the first request.
struct FakeOkta {
    limit: u32,
    window: Duration,
    start: Option<Instant>,
    used: u32,
    rejected: u32,
}

impl FakeOkta {
    fn call(&mut self, now: Instant, epoch0: i64, t0: Instant) -> (RateHeaders, bool) {
        if self.start.is_none_or(|s| now >= s + self.window) {
            self.start = Some(now);
            self.used = 0;
        }
        let start = self.start.unwrap_or(now);
        let end = start + self.window;
        let to_epoch = |i: Instant| epoch0 + i64::try_from((i - t0).as_secs()).unwrap();
        // Reset rounded up to whole seconds, Date truncated, as real servers do.
        let reset_epoch = to_epoch(end) + i64::from((end - t0).subsec_nanos() > 0);
        let ok = self.used < self.limit;
        if ok {
            self.used += 1;
        } else {
            self.rejected += 1;
        }
        let h = RateHeaders {
            limit: self.limit,
            remaining: self.limit - self.used,
            reset_epoch,
            date_epoch: Some(to_epoch(now)),
        };
        (h, !ok)
    }
}

#[test]
fn four_hundred_creates_against_a_600_bucket_at_half_share_never_get_a_429() {
    let t0 = Instant::now();
    let epoch0 = 1_000_000;
    let mut okta = FakeOkta {
        limit: 300, // Okta's per-token 50 % of a 600 bucket
        window: Duration::from_secs(60),
        start: None,
        used: 0,
        rejected: 0,
    };
    let mut b = BucketState::new(t0);
    let mut now = t0;
    let mut per_window: HashMap<i64, u32> = HashMap::new();
    let mut sent = 0;
    while sent < 400 {
        match b.admit(now, 0.5, Duration::from_millis(100)) {
            Admission::Go(at) => {
                now = now.max(at);
                let (h, limited) = okta.call(now, epoch0, t0);
                *per_window.entry(h.reset_epoch).or_default() += 1;
                // 30 ms round trip.
                now += Duration::from_millis(30);
                b.finish(now, 0, Some(h), limited, Duration::from_millis(100));
                sent += 1;
            }
            Admission::Wait(until) => now = now.max(until),
        }
    }
    assert_eq!(okta.rejected, 0, "no 429s");
    assert!(
        per_window.values().all(|&n| n <= 150),
        "never more than 50 % of the per-token limit per window: {per_window:?}"
    );
    // The budget allows 150 a minute: 400 take a little over two windows, not much more.
    let took = now - t0;
    assert!(
        took >= Duration::from_secs(120) && took < Duration::from_secs(185),
        "{took:?}"
    );
}

#[test]
fn a_429_closes_the_bucket_until_the_reset_plus_jitter() {
    let t0 = Instant::now();
    let mut b = BucketState::new(t0);
    go(b.admit(t0, 1.0, NO_JITTER));
    let jitter = Duration::from_millis(200);
    b.finish(t0, 0, headers(50, 0, 1_010, 1_000), true, jitter);
    let until = t0 + Duration::from_secs(10) + jitter;
    assert_eq!(
        b.admit(t0 + Duration::from_secs(5), 1.0, NO_JITTER),
        Admission::Wait(until)
    );
    assert!(matches!(b.admit(until, 1.0, NO_JITTER), Admission::Go(_)));
}

#[test]
fn a_concurrency_429_with_limit_zero_pauses_without_forgetting_the_bucket() {
    let t0 = Instant::now();
    let mut b = BucketState::new(t0);
    go(b.admit(t0, 1.0, NO_JITTER));
    b.finish(t0, 0, headers(100, 90, 1_060, 1_000), false, NO_JITTER);
    go(b.admit(t0, 1.0, NO_JITTER));
    b.finish(t0, 0, headers(0, 0, 1_000, 1_000), true, NO_JITTER);
    assert_eq!(
        b.admit(t0, 1.0, NO_JITTER),
        Admission::Wait(t0 + Duration::from_secs(1))
    );
    assert!(matches!(
        b.admit(t0 + Duration::from_secs(1), 1.0, NO_JITTER),
        Admission::Go(_)
    ));
    assert_eq!(
        b.budget(1.0),
        88,
        "limit 100 is kept; 2 more reserved since"
    );
}

#[test]
fn a_late_answer_from_the_previous_window_does_not_restore_budget() {
    let t0 = Instant::now();
    let mut b = BucketState::new(t0);
    go(b.admit(t0, 1.0, NO_JITTER));
    b.finish(t0, 0, headers(10, 2, 1_060, 1_000), false, NO_JITTER);
    go(b.admit(t0, 1.0, NO_JITTER));
    b.finish(t0, 0, headers(10, 9, 1_000, 999), false, NO_JITTER);
    assert_eq!(b.budget(1.0), 1);
}

#[test]
fn in_flight_requests_are_counted_against_a_new_window() {
    let t0 = Instant::now();
    let mut b = BucketState::new(t0);
    for _ in 0..5 {
        go(b.admit(t0, 1.0, NO_JITTER));
    }
    b.finish(t0, 0, headers(10, 9, 1_060, 1_000), false, NO_JITTER);
    assert_eq!(b.budget(1.0), 5, "four requests are still in flight");
}

#[test]
fn the_share_never_rounds_up_and_always_allows_one_request() {
    assert_eq!(usable(300, 0.5), 150);
    assert_eq!(usable(3, 0.5), 1);
    assert_eq!(usable(1, 0.1), 1);
    assert_eq!(usable(100, f64::NAN), 100);
    assert_eq!(usable(100, 7.0), 100);
}

#[test]
fn a_429_with_a_reset_days_ahead_asks_for_the_whole_wait_and_names_that_reset() {
    let t0 = Instant::now();
    let mut b = BucketState::new(t0);
    go(b.admit(t0, 1.0, NO_JITTER));
    let two_days = 2 * 24 * 3600;
    b.finish(
        t0,
        0,
        headers(600, 0, 1_000 + two_days, 1_000),
        true,
        NO_JITTER,
    );
    assert_eq!(
        b.admit(t0, 1.0, NO_JITTER),
        Admission::Wait(t0 + Duration::from_secs(two_days.unsigned_abs())),
        "not clamped to an hour: the client refuses it instead of sleeping"
    );
    assert_eq!(b.reset_epoch(), Some(1_000 + two_days));
    let far = headers(600, 0, i64::MAX, 0).unwrap();
    assert_eq!(far.reset_in(0), MAX_RESET_AHEAD);
}

#[tokio::test]
async fn the_pacer_refuses_a_wait_longer_than_its_maximum_at_once() {
    let pacer = Pacer::new(1.0, Duration::from_secs(120));
    assert_eq!(pacer.acquire(Bucket::ListCreate).await, Ok(false));
    let epoch = chrono::Utc::now().timestamp();
    pacer.finish(
        Bucket::ListCreate,
        headers(600, 0, epoch + 3 * 3600, epoch),
        true,
    );
    let started = std::time::Instant::now();
    let refused = pacer.acquire(Bucket::ListCreate).await.unwrap_err();
    assert!(started.elapsed() < Duration::from_secs(1));
    assert_eq!(refused.reset_epoch, Some(epoch + 3 * 3600));
    assert!(
        refused.wait > Duration::from_secs(3 * 3600 - 5),
        "{refused:?}"
    );
}
