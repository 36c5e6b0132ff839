//! Rate-limit pacing of the Okta client. Each bucket's `X-Rate-Limit-Limit/-Remaining/-Reset`
//! (Reset read against the response's `Date`, so the local clock's skew does not matter) is
//! tracked, and requests are spread evenly over the rest of the window so that this client
//! never uses more than `rate_limit_share` of a bucket and never bursts into a 429. After a
//! 429 the bucket is closed until its reset plus a little jitter. A wait longer than the
//! client's `max_retry_wait` is never slept: [`Pacer::acquire`] returns [`TooLong`] at once.
//!
//! The bookkeeping ([`BucketState`]) is pure: it takes `now` and the jitter as parameters and
//! is tested on a fake clock. [`Pacer`] wraps it with a lock and sleeps. Concurrency is bounded
//! separately, by the client's semaphore.

use super::counters::EndpointClass;
use reqwest::header::{DATE, HeaderMap};
use std::collections::HashMap;
use std::sync::Mutex;
use std::time::Duration;
use tokio::time::Instant;

/// A rate-limit bucket as Okta groups its endpoints.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Bucket {
    /// `GET`/`POST /api/v1/users` and the lifecycle operations (one counter in real orgs).
    ListCreate,
    /// `GET /api/v1/users/{idOrLogin}`.
    GetUser,
    /// `POST`/`PUT`/`DELETE /api/v1/users/{id}`.
    UpdateDelete,
    /// Everything else (token endpoint, `/users/me`, roles).
    Other,
}

impl Bucket {
    /// The bucket an endpoint class counts against.
    pub fn of(class: EndpointClass) -> Self {
        match class {
            EndpointClass::List | EndpointClass::Create | EndpointClass::Lifecycle => {
                Self::ListCreate
            }
            EndpointClass::Get => Self::GetUser,
            EndpointClass::Update => Self::UpdateDelete,
            EndpointClass::Token | EndpointClass::Other => Self::Other,
        }
    }

    /// The bucket in words, for messages.
    pub fn describe(self) -> &'static str {
        match self {
            Self::ListCreate => "the /api/v1/users list, create and lifecycle bucket",
            Self::GetUser => "the /api/v1/users/{id} read bucket",
            Self::UpdateDelete => "the /api/v1/users/{id} update bucket",
            Self::Other => "the bucket of other endpoints",
        }
    }
}

/// The furthest ahead a reset is taken as it is (a week); a later one counts as a week. The
/// client refuses any wait over `max_retry_wait` (at most an hour) long before that.
pub const MAX_RESET_AHEAD: Duration = Duration::from_secs(7 * 24 * 3600);

/// The rate-limit facts of one response.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RateHeaders {
    /// `X-Rate-Limit-Limit` (0 on a concurrency-limit 429).
    pub limit: u32,
    /// `X-Rate-Limit-Remaining`.
    pub remaining: u32,
    /// `X-Rate-Limit-Reset`, UTC epoch seconds.
    pub reset_epoch: i64,
    /// The response's `Date`, UTC epoch seconds, if present and parseable.
    pub date_epoch: Option<i64>,
}

impl RateHeaders {
    /// Reads the headers; `None` when the three rate-limit headers are not all present.
    pub fn parse(headers: &HeaderMap) -> Option<Self> {
        let num = |name: &str| -> Option<i64> {
            headers.get(name)?.to_str().ok()?.trim().parse::<i64>().ok()
        };
        let date_epoch = headers
            .get(DATE)
            .and_then(|v| v.to_str().ok())
            .and_then(|d| chrono::DateTime::parse_from_rfc2822(d).ok())
            .map(|d| d.timestamp());
        Some(Self {
            limit: u32::try_from(num("x-rate-limit-limit")?).ok()?,
            remaining: u32::try_from(num("x-rate-limit-remaining")?).ok()?,
            reset_epoch: num("x-rate-limit-reset")?,
            date_epoch,
        })
    }

    /// Time until the reset, measured against the server's own clock (`Date`), or against
    /// `local_epoch` when the response had no `Date`. Never negative; at most
    /// [`MAX_RESET_AHEAD`].
    pub fn reset_in(&self, local_epoch: i64) -> Duration {
        let server_now = self.date_epoch.unwrap_or(local_epoch);
        let secs = self.reset_epoch.saturating_sub(server_now).max(0);
        Duration::from_secs(u64::try_from(secs).unwrap_or(0)).min(MAX_RESET_AHEAD)
    }
}

/// What a request must do before it is sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Admission {
    /// Send at this instant (now, or a little later to spread requests out).
    Go(Instant),
    /// The budget is used up (or a 429 closed the bucket): ask again at this instant.
    Wait(Instant),
}

/// What this client knows about one bucket.
#[derive(Debug, Clone)]
pub struct BucketState {
    known: bool,
    limit: u32,
    remaining: u32,
    reset_epoch: i64,
    reset_at: Instant,
    window: Duration,
    next_slot: Instant,
    blocked_until: Option<Instant>,
    blocked_reset_epoch: Option<i64>,
    in_flight: u32,
}

impl BucketState {
    /// A bucket nothing is known about yet (its first requests go out unpaced).
    pub fn new(now: Instant) -> Self {
        Self {
            known: false,
            limit: 0,
            remaining: 0,
            reset_epoch: i64::MIN,
            reset_at: now,
            window: Duration::from_secs(60),
            next_slot: now,
            blocked_until: None,
            blocked_reset_epoch: None,
            in_flight: 0,
        }
    }

    /// The reset (UTC epoch seconds, as Okta sent it) a waiting request waits for: the one of
    /// the 429 that closed the bucket, else the bucket's current window's, if known.
    pub fn reset_epoch(&self) -> Option<i64> {
        if self.blocked_until.is_some() {
            return self.blocked_reset_epoch;
        }
        self.known.then_some(self.reset_epoch)
    }

    /// Gives back a reservation made by [`BucketState::admit`] whose request is not sent.
    pub fn release(&mut self) {
        self.in_flight = self.in_flight.saturating_sub(1);
    }

    /// Requests still allowed in this window before this client's share is used up.
    pub fn budget(&self, share: f64) -> u32 {
        let usable = usable(self.limit, share);
        let reserve = self.limit.saturating_sub(usable);
        self.remaining.saturating_sub(reserve)
    }

    /// Decides when the next request may go, and reserves it.
    pub fn admit(&mut self, now: Instant, share: f64, jitter: Duration) -> Admission {
        if let Some(until) = self.blocked_until {
            if now < until {
                return Admission::Wait(until);
            }
            self.blocked_until = None;
            self.blocked_reset_epoch = None;
        }
        if !self.known {
            self.in_flight += 1;
            return Admission::Go(now);
        }
        if now >= self.reset_at {
            // The window is over: assume a fresh one of the same length until Okta says more.
            self.remaining = self.limit;
            self.reset_at = now + self.window;
            self.next_slot = now;
        }
        let budget = self.budget(share);
        if budget == 0 {
            return Admission::Wait(self.reset_at + jitter);
        }
        // Spread the remaining budget evenly between this slot and the reset.
        let slot = self.next_slot.max(now);
        let left = self.reset_at.saturating_duration_since(slot);
        self.next_slot = slot + left / budget;
        self.remaining -= 1;
        self.in_flight += 1;
        Admission::Go(slot)
    }

    /// Takes in what a response said (`headers` is `None` for a request that got no answer).
    /// `local_epoch` is the local clock in epoch seconds, used only without a `Date` header.
    pub fn finish(
        &mut self,
        now: Instant,
        local_epoch: i64,
        headers: Option<RateHeaders>,
        rate_limited: bool,
        jitter: Duration,
    ) {
        self.in_flight = self.in_flight.saturating_sub(1);
        let Some(h) = headers else {
            return;
        };
        let reset_in = h.reset_in(local_epoch);
        if h.limit == 0 {
            // Okta's concurrency limit: Limit and Remaining 0, Reset an estimate.
            let until = now + reset_in.max(Duration::from_secs(1)) + jitter;
            self.block(until, h.reset_epoch);
            return;
        }
        let reset_at = now + reset_in;
        let reported = h.remaining.saturating_sub(self.in_flight);
        if !self.known || h.reset_epoch > self.reset_epoch {
            self.known = true;
            self.limit = h.limit;
            self.remaining = reported;
            self.reset_epoch = h.reset_epoch;
            self.reset_at = reset_at;
            self.window = reset_in.max(Duration::from_secs(1));
        } else if h.reset_epoch == self.reset_epoch {
            self.limit = h.limit;
            self.remaining = self.remaining.min(reported);
        }
        if rate_limited {
            self.remaining = 0;
            let until = reset_at.max(now) + jitter;
            self.block(until, h.reset_epoch);
        }
    }

    /// Closes the bucket until `until` (or a later close already in place).
    fn block(&mut self, until: Instant, reset_epoch: i64) {
        match self.blocked_until {
            Some(b) if b >= until => {}
            _ => {
                self.blocked_until = Some(until);
                self.blocked_reset_epoch = Some(reset_epoch);
            }
        }
    }
}

/// The requests of a window this client may use: `floor(limit · share)`, at least 1.
fn usable(limit: u32, share: f64) -> u32 {
    let share = if share.is_finite() {
        share.clamp(0.0, 1.0)
    } else {
        1.0
    };
    // Truncation intended: never round a share up.
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
    let n = (f64::from(limit) * share).floor() as u32;
    n.clamp(1, limit.max(1))
}

/// A wait [`Pacer::acquire`] refused to sleep: longer than the pacer's `max_wait`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TooLong {
    /// The wait the bucket asked for.
    pub wait: Duration,
    /// The reset it waits for (UTC epoch seconds, as Okta sent it), if known.
    pub reset_epoch: Option<i64>,
}

/// Slack over `max_wait` for the jitter added after a reset (see `retry::reset_jitter`).
const JITTER_SLACK: Duration = Duration::from_millis(500);

/// Paces the requests of one client across every bucket.
#[derive(Debug)]
pub struct Pacer {
    share: f64,
    max_wait: Duration,
    buckets: Mutex<HashMap<Bucket, BucketState>>,
}

impl Pacer {
    /// A pacer keeping this client under `share` of each bucket, refusing any single wait
    /// longer than `max_wait`.
    pub fn new(share: f64, max_wait: Duration) -> Self {
        Self {
            share,
            max_wait,
            buckets: Mutex::new(HashMap::new()),
        }
    }

    /// Waits until a request to `bucket` may go; returns true when it had to wait. A wait
    /// longer than `max_wait` is not slept: it returns [`TooLong`] at once.
    pub async fn acquire(&self, bucket: Bucket) -> Result<bool, TooLong> {
        let mut waited = false;
        let ceiling = self.max_wait + JITTER_SLACK;
        loop {
            let now = Instant::now();
            let (admission, reset_epoch) = self.with(bucket, |b| {
                let a = b.admit(now, self.share, super::retry::reset_jitter());
                if let Admission::Go(at) = a
                    && at.saturating_duration_since(now) > ceiling
                {
                    b.release();
                }
                (a, b.reset_epoch())
            });
            let (Admission::Go(at) | Admission::Wait(at)) = admission;
            let wait = at.saturating_duration_since(now);
            if wait > ceiling {
                return Err(TooLong { wait, reset_epoch });
            }
            match admission {
                Admission::Go(at) => {
                    if at > now {
                        tokio::time::sleep_until(at).await;
                        waited = true;
                    }
                    return Ok(waited);
                }
                Admission::Wait(until) => {
                    tracing::debug!(?bucket, wait_ms = %until.saturating_duration_since(now).as_millis(), "rate-limit budget used up; waiting for the reset");
                    tokio::time::sleep_until(until).await;
                    waited = true;
                }
            }
        }
    }

    /// Records the answer to a request admitted by [`Pacer::acquire`].
    pub fn finish(&self, bucket: Bucket, headers: Option<RateHeaders>, rate_limited: bool) {
        let now = Instant::now();
        let epoch = chrono::Utc::now().timestamp();
        self.with(bucket, |b| {
            b.finish(
                now,
                epoch,
                headers,
                rate_limited,
                super::retry::reset_jitter(),
            );
        });
    }

    fn with<T>(&self, bucket: Bucket, f: impl FnOnce(&mut BucketState) -> T) -> T {
        let mut map = self
            .buckets
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let state = map
            .entry(bucket)
            .or_insert_with(|| BucketState::new(Instant::now()));
        f(state)
    }
}

#[cfg(test)]
mod tests;
