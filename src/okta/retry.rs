//! Retry policy of the Okta client: how many attempts a request gets and how long to wait
//! between them (bounded exponential backoff with full jitter). Rate-limit answers (429) wait
//! for the bucket's reset instead (see `pacing`). Pure arithmetic; it never sleeps itself.

use rand::Rng;
use std::time::Duration;

/// How a failing request is retried.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Most attempts for server errors, timeouts and dropped connections (first try included).
    pub max_attempts: u32,
    /// Most attempts answered 429 before giving up (waits follow the bucket's reset).
    pub max_rate_limited_attempts: u32,
    /// Backoff before the first retry (before jitter).
    pub base_delay: Duration,
    /// Ceiling of any backoff.
    pub max_delay: Duration,
    /// Least wait before retrying a user that is still being activated (409 E0000112).
    pub activation_delay: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self {
            max_attempts: 6,
            max_rate_limited_attempts: 12,
            base_delay: Duration::from_millis(250),
            max_delay: Duration::from_secs(20),
            activation_delay: Duration::from_secs(1),
        }
    }
}

impl RetryPolicy {
    /// The ceiling of the wait after failed attempt number `attempt` (1 = the first try):
    /// `base · 2^(attempt-1)`, capped at `max_delay`.
    pub fn ceiling(&self, attempt: u32) -> Duration {
        let exp = attempt.saturating_sub(1).min(20);
        self.base_delay
            .saturating_mul(1u32 << exp)
            .min(self.max_delay)
    }

    /// The wait after failed attempt `attempt`: uniformly random in `0..=ceiling` (full
    /// jitter), so that many clients retrying at once spread out.
    pub fn backoff(&self, attempt: u32) -> Duration {
        full_jitter(self.ceiling(attempt), &mut rand::rng())
    }
}

/// A uniformly random duration in `0..=ceiling`.
pub fn full_jitter(ceiling: Duration, rng: &mut impl Rng) -> Duration {
    let nanos = u64::try_from(ceiling.as_nanos()).unwrap_or(u64::MAX);
    Duration::from_nanos(rng.random_range(0..=nanos))
}

/// A small random extra wait added after a rate-limit reset, so that clients waiting for the
/// same reset do not all fire at once.
pub fn reset_jitter() -> Duration {
    Duration::from_millis(rand::rng().random_range(50..=400))
}

#[cfg(test)]
mod tests {
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
    fn jittered_backoff_never_exceeds_its_ceiling_and_varies() {
        let p = RetryPolicy::default();
        let mut seen = std::collections::HashSet::new();
        for _ in 0..200 {
            let d = p.backoff(3);
            assert!(d <= p.ceiling(3), "{d:?}");
            seen.insert(d);
        }
        assert!(seen.len() > 50, "full jitter should spread waits");
    }

    #[test]
    fn reset_jitter_is_small_but_never_zero() {
        for _ in 0..100 {
            let j = reset_jitter();
            assert!(j >= Duration::from_millis(50) && j <= Duration::from_millis(400));
        }
    }
}
