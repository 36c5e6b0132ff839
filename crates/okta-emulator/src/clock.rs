//! The org clock: the time the emulated org stamps on users (`created`, `lastUpdated`,
//! `statusChanged`, …) and measures the search index lag and activation delays with. It is
//! the real clock plus an offset that tests can move forward, so "five minutes later" needs no
//! sleep. It must not move backwards and does not drive authentication (token expiry, DPoP
//! `iat`) or rate-limit windows, which keep real time.

use chrono::{DateTime, Duration, Utc};
use std::sync::atomic::{AtomicI64, Ordering};

/// Real time plus an advanceable offset, truncated to milliseconds as Okta reports times.
#[derive(Debug, Default)]
pub struct Clock {
    offset_ms: AtomicI64,
}

/// Truncates to whole milliseconds.
pub fn millis(t: DateTime<Utc>) -> DateTime<Utc> {
    DateTime::from_timestamp_millis(t.timestamp_millis()).unwrap_or(t)
}

impl Clock {
    /// The org's current time.
    pub fn now(&self) -> DateTime<Utc> {
        let offset = Duration::try_milliseconds(self.offset_ms.load(Ordering::SeqCst))
            .unwrap_or_else(Duration::zero);
        let t = Utc::now()
            .checked_add_signed(offset)
            .unwrap_or(DateTime::<Utc>::MAX_UTC);
        millis(t)
    }

    /// Moves the org clock forward by `by` (saturating; never backwards).
    pub fn advance(&self, by: std::time::Duration) {
        let ms = i64::try_from(by.as_millis()).unwrap_or(i64::MAX);
        let _ = self
            .offset_ms
            .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |o| {
                Some(o.saturating_add(ms))
            });
    }
}

#[cfg(test)]
mod tests;
