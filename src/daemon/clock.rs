//! The wall clock the daemon schedules against, injected so tests can drive time.
//!
//! The daemon reads wall time from a [`Clock`] and sleeps with tokio's timer. In production
//! that is [`SystemClock`]; tests pause tokio's time and use [`VirtualClock`], whose wall time
//! advances exactly with tokio's virtual time. This module never sleeps itself.

use chrono::{DateTime, Utc};
use std::time::Duration;

/// A source of wall-clock time.
pub trait Clock: Send + Sync + 'static {
    /// The current instant.
    fn now(&self) -> DateTime<Utc>;
}

/// The operating system's clock.
#[derive(Debug, Clone, Copy, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> DateTime<Utc> {
        Utc::now()
    }
}

/// A wall clock that starts at a chosen instant and advances with tokio's clock, so with
/// `tokio::time::pause()` a test controls both the timers and what "now" is.
#[derive(Debug, Clone, Copy)]
pub struct VirtualClock {
    /// Wall time at `origin`.
    base: DateTime<Utc>,
    /// The tokio instant that corresponds to `base`.
    origin: tokio::time::Instant,
}

impl VirtualClock {
    /// A clock reading `start` now.
    pub fn starting_at(start: DateTime<Utc>) -> Self {
        Self {
            base: start,
            origin: tokio::time::Instant::now(),
        }
    }
}

impl Clock for VirtualClock {
    fn now(&self) -> DateTime<Utc> {
        let elapsed = tokio::time::Instant::now().saturating_duration_since(self.origin);
        self.base + chrono::Duration::from_std(elapsed).unwrap_or(chrono::Duration::MAX)
    }
}

/// How long from `now` until `at` (zero when `at` is not in the future).
pub fn until(now: DateTime<Utc>, at: DateTime<Utc>) -> Duration {
    (at - now).to_std().unwrap_or(Duration::ZERO)
}

#[cfg(test)]
mod tests;
