//! Metrics of the daemon's edges, outside any run: the HTTP server's connections (open,
//! refused at the cap, closed by a timeout, accept errors, the cap in force), bob webhook
//! deliveries dropped as duplicates, and the startup check while it fails.
//!
//! Registered in the same registry as the run metrics; this module only counts.

use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::registry::Registry;

/// Labels of `hrsync_http_connections_timed_out_total`.
#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct TimeoutLabels {
    /// `header` (a request's head or body too slow) or `idle` (no byte for too long).
    reason: String,
}

/// Why the server closed a connection itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ConnectionTimeout {
    /// A request's head (or its body) did not arrive within the header timeout.
    Header,
    /// No byte was read or written within the idle timeout.
    Idle,
}

impl ConnectionTimeout {
    /// The `reason` label.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Header => "header",
            Self::Idle => "idle",
        }
    }
}

/// The edge metrics.
#[derive(Debug, Default)]
pub struct EdgeMetrics {
    /// `hrsync_http_connections_open`.
    open: Gauge,
    /// `hrsync_http_connections_refused_total`.
    refused: Counter,
    /// `hrsync_http_connections_timed_out_total{reason}`.
    timed_out: Family<TimeoutLabels, Counter>,
    /// `hrsync_http_accept_errors_total`.
    accept_errors: Counter,
    /// `hrsync_http_max_connections`.
    max_connections: Gauge,
    /// `hrsync_webhook_duplicates_total`.
    webhook_duplicates: Counter,
    /// `hrsync_startup_check_failures_total`.
    check_failures: Counter,
    /// `hrsync_startup_check_waiting` (0 or 1).
    check_waiting: Gauge,
}

impl EdgeMetrics {
    /// Registers every edge metric in `r`.
    pub(super) fn register(&self, r: &mut Registry) {
        r.register(
            "hrsync_http_connections_open",
            "HTTP connections open now",
            self.open.clone(),
        );
        r.register(
            "hrsync_http_connections_refused",
            "HTTP connections closed at once because [server] max_connections were open",
            self.refused.clone(),
        );
        r.register(
            "hrsync_http_connections_timed_out",
            "HTTP connections the server closed: a request too slow (header) or no traffic (idle)",
            self.timed_out.clone(),
        );
        r.register(
            "hrsync_http_accept_errors",
            "Errors accepting HTTP connections (e.g. too many open files)",
            self.accept_errors.clone(),
        );
        r.register(
            "hrsync_http_max_connections",
            "The connection cap in force (lowered when the open-files limit is tight)",
            self.max_connections.clone(),
        );
        r.register(
            "hrsync_webhook_duplicates",
            "Signed webhook deliveries dropped as duplicates of one already seen",
            self.webhook_duplicates.clone(),
        );
        r.register(
            "hrsync_startup_check_failures",
            "Failed startup checks (e.g. Okta rejected the token); the daemon waits and retries",
            self.check_failures.clone(),
        );
        r.register(
            "hrsync_startup_check_waiting",
            "1 while the daemon waits for its startup check to pass and runs nothing",
            self.check_waiting.clone(),
        );
    }

    /// A connection was opened (`true`) or closed (`false`).
    pub fn connection(&self, opened: bool) {
        if opened {
            self.open.inc();
        } else {
            self.open.dec();
        }
    }

    /// Counts a connection closed at once at the cap.
    pub fn connection_refused(&self) {
        self.refused.inc();
    }

    /// Counts a connection the server closed for a timeout.
    pub fn connection_timed_out(&self, why: ConnectionTimeout) {
        let reason = why.as_str().to_owned();
        self.timed_out
            .get_or_create(&TimeoutLabels { reason })
            .inc();
    }

    /// Counts a failed accept.
    pub fn accept_error(&self) {
        self.accept_errors.inc();
    }

    /// Sets the connection cap in force.
    pub fn set_max_connections(&self, n: usize) {
        self.max_connections
            .set(i64::try_from(n).unwrap_or(i64::MAX));
    }

    /// Counts a webhook delivery dropped as a duplicate.
    pub fn webhook_duplicate(&self) {
        self.webhook_duplicates.inc();
    }

    /// Counts a failed startup check; the daemon is waiting.
    pub fn check_failed(&self) {
        self.check_failures.inc();
        self.check_waiting.set(1);
    }

    /// The startup check passed (or the daemon stopped waiting).
    pub fn check_done(&self) {
        self.check_waiting.set(0);
    }
}
