//! Request statistics: counts per (method, route template, status), 429s, and the peak of
//! in-flight requests. Used by tests and benchmarks to prove how many calls a run made.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Requests of one method, route and status.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RouteCount {
    /// HTTP method (`POST`).
    pub method: String,
    /// Route template (`/api/v1/users/{id}/lifecycle/activate`).
    pub route: String,
    /// Response status; 0 for a connection dropped before any response.
    pub status: u16,
    /// How many.
    pub count: u64,
}

/// A snapshot of the counters, as `GET /__emulator/stats` returns it.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct EmulatorStats {
    /// Counts per method, route and status.
    pub requests: Vec<RouteCount>,
    /// Requests answered 429.
    pub rate_limited: u64,
    /// Most API requests in flight at once.
    pub peak_in_flight: u64,
}

impl EmulatorStats {
    /// Requests with this method (`*` for any, case-insensitive) whose route starts with
    /// `route_prefix`.
    pub fn count(&self, method: &str, route_prefix: &str) -> u64 {
        self.requests
            .iter()
            .filter(|r| method == "*" || r.method.eq_ignore_ascii_case(method))
            .filter(|r| r.route.starts_with(route_prefix))
            .map(|r| r.count)
            .sum()
    }

    /// Requests with this method and route prefix that got `status`.
    pub fn count_status(&self, method: &str, route_prefix: &str, status: u16) -> u64 {
        self.requests
            .iter()
            .filter(|r| method == "*" || r.method.eq_ignore_ascii_case(method))
            .filter(|r| r.route.starts_with(route_prefix) && r.status == status)
            .map(|r| r.count)
            .sum()
    }

    /// Non-GET requests under `/api/v1` (every outcome).
    pub fn writes(&self) -> u64 {
        self.requests
            .iter()
            .filter(|r| r.method != "GET" && r.route.starts_with("/api/v1"))
            .map(|r| r.count)
            .sum()
    }

    /// Every counted request.
    pub fn total(&self) -> u64 {
        self.requests.iter().map(|r| r.count).sum()
    }
}

/// The mutable counters behind [`EmulatorStats`].
#[derive(Debug, Default)]
pub struct StatsBook {
    counts: BTreeMap<(String, String, u16), u64>,
    rate_limited: u64,
}

impl StatsBook {
    /// Counts one request.
    pub fn record(&mut self, method: &str, route: &str, status: u16) {
        *self
            .counts
            .entry((method.to_owned(), route.to_owned(), status))
            .or_insert(0) += 1;
        if status == 429 {
            self.rate_limited += 1;
        }
    }

    /// A snapshot with the given in-flight peak.
    pub fn snapshot(&self, peak_in_flight: u64) -> EmulatorStats {
        EmulatorStats {
            requests: self
                .counts
                .iter()
                .map(|((m, r, s), c)| RouteCount {
                    method: m.clone(),
                    route: r.clone(),
                    status: *s,
                    count: *c,
                })
                .collect(),
            rate_limited: self.rate_limited,
            peak_in_flight,
        }
    }

    /// Zeroes everything.
    pub fn clear(&mut self) {
        *self = Self::default();
    }
}

#[cfg(test)]
mod tests;
