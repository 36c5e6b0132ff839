//! Retry policy of the Okta client: how many attempts a request gets and how long to wait
//! between them (bounded exponential backoff with jitter: half the ceiling plus a random part
//! of the other half, so retries are always spaced yet spread out). Rate-limit answers (429)
//! with rate-limit headers wait for the bucket's reset instead (see `pacing`); one without
//! them honours `Retry-After` or else backs off too. Pure arithmetic; it never sleeps itself.

use rand::Rng;
use std::sync::atomic::{AtomicU64, Ordering};
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

    /// The wait after failed attempt `attempt`: uniformly random in `ceiling/2..=ceiling`
    /// (half of it jittered), so that a retry never follows at once and many clients retrying
    /// together spread out.
    pub fn backoff(&self, attempt: u32) -> Duration {
        let ceiling = self.ceiling(attempt);
        let half = ceiling / 2;
        half + full_jitter(ceiling - half, &mut rand::rng())
    }

    /// The wait after the `limited`-th 429 that came without rate-limit headers or
    /// `Retry-After`: one doubling above [`RetryPolicy::backoff`] (0.5 s, 1 s, 2 s, … with the
    /// default policy), since the server asked to slow down.
    pub fn rate_limited_backoff(&self, limited: u32) -> Duration {
        self.backoff(limited.saturating_add(1))
    }
}

/// How long one run may spend waiting to retry, all requests together. Shared by the
/// client's concurrent requests; reset at the start of each run.
#[derive(Debug)]
pub struct RetryBudget {
    limit: Duration,
    spent_ms: AtomicU64,
}

impl RetryBudget {
    /// A budget of `limit` per run.
    pub fn new(limit: Duration) -> Self {
        Self {
            limit,
            spent_ms: AtomicU64::new(0),
        }
    }

    /// Starts a run with the whole budget.
    pub fn reset(&self) {
        self.spent_ms.store(0, Ordering::Relaxed);
    }

    /// The configured budget.
    pub fn limit(&self) -> Duration {
        self.limit
    }

    /// Waited so far in this run.
    pub fn spent(&self) -> Duration {
        Duration::from_millis(self.spent_ms.load(Ordering::Relaxed))
    }

    /// Takes `wait` from the budget; false (and nothing taken) when it would exceed it.
    pub fn take(&self, wait: Duration) -> bool {
        let wait_ms = u64::try_from(wait.as_millis()).unwrap_or(u64::MAX);
        let limit_ms = u64::try_from(self.limit.as_millis()).unwrap_or(u64::MAX);
        self.spent_ms
            .fetch_update(Ordering::Relaxed, Ordering::Relaxed, |spent| {
                let after = spent.saturating_add(wait_ms);
                (after <= limit_ms).then_some(after)
            })
            .is_ok()
    }

    /// Records a wait that already happened (a paced wait for a rate-limit reset before a
    /// retry), even past the budget, so the next retry is refused.
    pub fn charge(&self, waited: Duration) {
        let ms = u64::try_from(waited.as_millis()).unwrap_or(u64::MAX);
        self.spent_ms.fetch_add(ms, Ordering::Relaxed);
    }

    /// True when nothing is left.
    pub fn is_spent(&self) -> bool {
        self.spent() >= self.limit
    }
}

/// `[okta] max_retry_wait_per_run_seconds` when none is configured.
pub const DEFAULT_RETRY_BUDGET_PER_RUN: Duration = Duration::from_secs(900);

/// `[okta] max_retry_wait_seconds` when none is configured.
pub const DEFAULT_MAX_RETRY_WAIT: Duration = Duration::from_secs(120);

/// The wait a `Retry-After` value asks for: delay-seconds, or an HTTP date read against
/// `now_epoch` (UTC epoch seconds). `None` when it is neither.
pub fn retry_after(value: &str, now_epoch: i64) -> Option<Duration> {
    let value = value.trim();
    if let Ok(secs) = value.parse::<u64>() {
        return Some(Duration::from_secs(secs));
    }
    let at = chrono::DateTime::parse_from_rfc2822(value)
        .ok()?
        .timestamp();
    Some(Duration::from_secs(
        u64::try_from(at.saturating_sub(now_epoch)).unwrap_or(0),
    ))
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
mod tests;
