//! Failure injection: latency with jitter, random 500/503 answers, dropped connections
//! (before or after the change is applied) and forced 429 bursts. Decides only; the request
//! pipeline acts on the decision.

use super::config::Faults;
use super::errors::ApiError;
use rand::Rng;
use std::time::Duration;

/// Response extension telling the server to close the connection without answering.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DropConnection;

/// True with probability `p` (clamped to `0..=1`; NaN counts as 0).
pub fn roll(p: f64) -> bool {
    if p.is_nan() || p <= 0.0 {
        return false;
    }
    if p >= 1.0 {
        return true;
    }
    rand::rng().random::<f64>() < p
}

/// The delay to add to a response.
pub fn latency(f: &Faults) -> Duration {
    let jitter = if f.jitter_ms > 0 {
        rand::rng().random_range(0..=f.jitter_ms)
    } else {
        0
    };
    Duration::from_millis(f.latency_ms.saturating_add(jitter))
}

/// A random server error (500 E0000009 or 503 E0000010), with probability `error_rate`.
pub fn server_error(f: &Faults) -> Option<ApiError> {
    if !roll(f.error_rate) {
        return None;
    }
    Some(if rand::rng().random::<bool>() {
        ApiError::internal()
    } else {
        ApiError::unavailable()
    })
}

/// Uses up one forced 429 if any are left.
pub fn take_forced_429(f: &mut Faults) -> bool {
    if f.forced_429 > 0 {
        f.forced_429 -= 1;
        true
    } else {
        false
    }
}

#[cfg(test)]
mod tests;
