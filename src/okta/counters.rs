//! Request counters of the Okta client: how many requests went to each endpoint class and how
//! they ended. Lock-free atomics; [`Counters::snapshot`] gives plain numbers for the journal,
//! metrics and benchmarks. Counts only; never records URLs, users or tokens.

use serde::Serialize;
use std::sync::atomic::{AtomicU64, Ordering};

/// The kind of endpoint a request went to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum EndpointClass {
    /// `GET /api/v1/users` (list, filter, search pages).
    List,
    /// `GET /api/v1/users/{idOrLogin}`.
    Get,
    /// `POST /api/v1/users`.
    Create,
    /// `POST /api/v1/users/{id}` (partial profile update).
    Update,
    /// `POST /api/v1/users/{id}/lifecycle/*`.
    Lifecycle,
    /// `POST /oauth2/v1/token`.
    Token,
    /// Anything else (`/users/me`, roles).
    Other,
}

impl EndpointClass {
    /// Every class, in a fixed order.
    pub const ALL: [EndpointClass; 7] = [
        Self::List,
        Self::Get,
        Self::Create,
        Self::Update,
        Self::Lifecycle,
        Self::Token,
        Self::Other,
    ];

    /// A short stable name (`list`, `create`, …) for logs and metrics labels.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::List => "list",
            Self::Get => "get",
            Self::Create => "create",
            Self::Update => "update",
            Self::Lifecycle => "lifecycle",
            Self::Token => "token",
            Self::Other => "other",
        }
    }

    fn index(self) -> usize {
        self as usize
    }
}

/// How one request ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RequestOutcome {
    /// 2xx.
    Success,
    /// 4xx other than 429.
    ClientError,
    /// 429.
    RateLimited,
    /// 5xx.
    ServerError,
    /// No response: connection error or timeout.
    Transport,
}

impl RequestOutcome {
    /// Every outcome, in a fixed order.
    pub const ALL: [RequestOutcome; 5] = [
        Self::Success,
        Self::ClientError,
        Self::RateLimited,
        Self::ServerError,
        Self::Transport,
    ];

    /// The outcome of an HTTP status.
    pub fn of_status(status: u16) -> Self {
        match status {
            200..=299 => Self::Success,
            429 => Self::RateLimited,
            500..=599 => Self::ServerError,
            _ => Self::ClientError,
        }
    }

    /// A short stable name for logs and metrics labels.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Success => "success",
            Self::ClientError => "client_error",
            Self::RateLimited => "rate_limited",
            Self::ServerError => "server_error",
            Self::Transport => "transport",
        }
    }

    fn index(self) -> usize {
        self as usize
    }
}

const CLASSES: usize = EndpointClass::ALL.len();
const OUTCOMES: usize = RequestOutcome::ALL.len();

/// Live counters, shared by every request of one client.
#[derive(Debug, Default)]
pub struct Counters {
    cells: [[AtomicU64; OUTCOMES]; CLASSES],
    retries: AtomicU64,
    paced_waits: AtomicU64,
}

impl Counters {
    /// Counts one request.
    pub fn record(&self, class: EndpointClass, outcome: RequestOutcome) {
        self.cells[class.index()][outcome.index()].fetch_add(1, Ordering::Relaxed);
    }

    /// Counts one retry (a request sent again after a retryable failure).
    pub fn record_retry(&self) {
        self.retries.fetch_add(1, Ordering::Relaxed);
    }

    /// Counts one wait imposed by rate-limit pacing.
    pub fn record_paced_wait(&self) {
        self.paced_waits.fetch_add(1, Ordering::Relaxed);
    }

    /// A consistent-enough copy of every counter.
    pub fn snapshot(&self) -> CounterSnapshot {
        let mut rows = Vec::new();
        for class in EndpointClass::ALL {
            for outcome in RequestOutcome::ALL {
                let count = self.cells[class.index()][outcome.index()].load(Ordering::Relaxed);
                if count > 0 {
                    rows.push(CounterRow {
                        class,
                        outcome,
                        count,
                    });
                }
            }
        }
        CounterSnapshot {
            rows,
            retries: self.retries.load(Ordering::Relaxed),
            paced_waits: self.paced_waits.load(Ordering::Relaxed),
        }
    }
}

/// One non-zero counter.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct CounterRow {
    /// The endpoint class.
    pub class: EndpointClass,
    /// How the requests ended.
    pub outcome: RequestOutcome,
    /// How many.
    pub count: u64,
}

/// The counters at one moment.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct CounterSnapshot {
    /// Non-zero counts by class and outcome.
    pub rows: Vec<CounterRow>,
    /// Requests that were retries.
    pub retries: u64,
    /// Times pacing made a request wait.
    pub paced_waits: u64,
}

impl CounterSnapshot {
    /// Requests of this class with this outcome.
    pub fn count(&self, class: EndpointClass, outcome: RequestOutcome) -> u64 {
        self.rows
            .iter()
            .filter(|r| r.class == class && r.outcome == outcome)
            .map(|r| r.count)
            .sum()
    }

    /// Requests of this class, any outcome.
    pub fn class_total(&self, class: EndpointClass) -> u64 {
        self.rows
            .iter()
            .filter(|r| r.class == class)
            .map(|r| r.count)
            .sum()
    }

    /// Requests with this outcome, any class.
    pub fn outcome_total(&self, outcome: RequestOutcome) -> u64 {
        self.rows
            .iter()
            .filter(|r| r.outcome == outcome)
            .map(|r| r.count)
            .sum()
    }

    /// Every request.
    pub fn total(&self) -> u64 {
        self.rows.iter().map(|r| r.count).sum()
    }
}

#[cfg(test)]
mod tests;
