//! Okta-style rate limiting: per-window buckets (list/create with lifecycle, get by id,
//! update/delete by id, other), counted per principal (a share of the bucket) and for the
//! whole org. Windows start at a bucket's first request, not on wall-clock minutes. Pure
//! bookkeeping; the caller supplies the clock.

use super::config::RateLimits;
use chrono::{DateTime, Utc};
use std::collections::HashMap;
use std::time::{Duration, Instant};

/// Which bucket a request counts against.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Bucket {
    /// `GET`/`POST /api/v1/users` and the lifecycle operations.
    ListCreate,
    /// `GET /api/v1/users/{idOrLogin}`.
    GetUser,
    /// `POST`/`PUT`/`DELETE /api/v1/users/{id}`.
    UpdateDelete,
    /// Everything else.
    Other,
}

impl Bucket {
    /// The bucket of a request, from its method and route template.
    pub fn of(method: &str, route: &str) -> Self {
        match (method, route) {
            ("GET" | "POST", "/api/v1/users") => Self::ListCreate,
            ("POST", r) if r.starts_with("/api/v1/users/{id}/lifecycle/") => Self::ListCreate,
            ("GET", "/api/v1/users/{id}") => Self::GetUser,
            ("POST" | "PUT" | "DELETE", "/api/v1/users/{id}") => Self::UpdateDelete,
            _ => Self::Other,
        }
    }

    fn org_limit(self, limits: &RateLimits) -> u32 {
        match self {
            Self::ListCreate => limits.list_create,
            Self::GetUser => limits.get_user,
            Self::UpdateDelete => limits.update_delete,
            Self::Other => limits.other,
        }
    }
}

/// The outcome of counting one request: what the `X-Rate-Limit-*` headers say.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Decision {
    /// `X-Rate-Limit-Limit`.
    pub limit: u32,
    /// `X-Rate-Limit-Remaining`.
    pub remaining: u32,
    /// `X-Rate-Limit-Reset` (UTC epoch seconds).
    pub reset: i64,
    /// Whether the request may proceed.
    pub allowed: bool,
}

#[derive(Debug, Clone, Copy)]
struct Window {
    start: Instant,
    count: u32,
}

impl Window {
    fn current(slot: &mut Option<Window>, now: Instant, len: Duration) -> &mut Window {
        let fresh = slot.is_none_or(|w| now.duration_since(w.start) >= len);
        if fresh {
            *slot = Some(Window {
                start: now,
                count: 0,
            });
        }
        slot.get_or_insert(Window {
            start: now,
            count: 0,
        })
    }
}

/// The counters of every bucket.
#[derive(Debug, Default)]
pub struct Limiter {
    principal: HashMap<(Bucket, String), Option<Window>>,
    org: HashMap<Bucket, Option<Window>>,
}

fn reset_epoch(start: Instant, len: Duration, now: Instant, wall: DateTime<Utc>) -> i64 {
    let left = start
        .checked_add(len)
        .map_or(Duration::MAX, |end| end.saturating_duration_since(now));
    let at = chrono::Duration::from_std(left)
        .ok()
        .and_then(|d| wall.checked_add_signed(d))
        .unwrap_or(DateTime::<Utc>::MAX_UTC);
    let secs = at.timestamp();
    if at.timestamp_subsec_nanos() > 0 {
        secs + 1
    } else {
        secs
    }
}

/// A principal's limit: its share of the org limit, at least 1.
pub fn share_of(org_limit: u32, share: f64) -> u32 {
    let s = if share.is_finite() {
        share.clamp(0.0, 1.0)
    } else {
        1.0
    };
    // Truncation is intended: Okta floors the share.
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
    let v = (f64::from(org_limit) * s).floor() as u32;
    v.max(1)
}

impl Limiter {
    /// Counts a request of `principal` in `bucket` if it is within both the principal's share
    /// and the org limit; says what the headers should report either way.
    pub fn check(
        &mut self,
        bucket: Bucket,
        principal: &str,
        share: f64,
        limits: &RateLimits,
        now: Instant,
        wall: DateTime<Utc>,
    ) -> Decision {
        let len = Duration::from_millis(limits.window_ms.max(1));
        let org_limit = bucket.org_limit(limits);
        let limit = share_of(org_limit, share);
        let org_slot = self.org.entry(bucket).or_default();
        let org_full = Window::current(org_slot, now, len).count >= org_limit;
        let slot = self
            .principal
            .entry((bucket, principal.to_owned()))
            .or_default();
        let w = Window::current(slot, now, len);
        let reset = reset_epoch(w.start, len, now, wall);
        if w.count >= limit || org_full {
            return Decision {
                limit,
                remaining: 0,
                reset,
                allowed: false,
            };
        }
        w.count += 1;
        let remaining = limit - w.count;
        if let Some(o) = self.org.get_mut(&bucket).and_then(Option::as_mut) {
            o.count += 1;
        }
        Decision {
            limit,
            remaining,
            reset,
            allowed: true,
        }
    }

    /// What the headers would report for `principal` in `bucket`, without counting.
    pub fn peek(
        &self,
        bucket: Bucket,
        principal: &str,
        share: f64,
        limits: &RateLimits,
        now: Instant,
        wall: DateTime<Utc>,
    ) -> Decision {
        let len = Duration::from_millis(limits.window_ms.max(1));
        let limit = share_of(bucket.org_limit(limits), share);
        match self
            .principal
            .get(&(bucket, principal.to_owned()))
            .copied()
            .flatten()
        {
            Some(w) if now.duration_since(w.start) < len => Decision {
                limit,
                remaining: limit.saturating_sub(w.count),
                reset: reset_epoch(w.start, len, now, wall),
                allowed: true,
            },
            _ => Decision {
                limit,
                remaining: limit,
                reset: reset_epoch(now, len, now, wall),
                allowed: true,
            },
        }
    }

    /// Forgets every window.
    pub fn clear(&mut self) {
        self.principal.clear();
        self.org.clear();
    }
}

#[cfg(test)]
mod tests;
