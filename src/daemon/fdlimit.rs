//! The process's open-files limit (the soft `RLIMIT_NOFILE`, as `/proc/self/limits` shows it)
//! and the HTTP connection cap that leaves descriptors for runs: a run opens the journal, the
//! HR file or HTTP connections to HR and Okta, and must never find the descriptors taken by
//! idle or hostile HTTP clients.
//!
//! Reads that one file; it never changes a limit (the systemd unit forbids `setrlimit`).

/// Descriptors kept for everything but the HTTP server's connections (runs, the journal, the
/// listener, logging).
pub const RUN_RESERVE: u64 = 128;

/// Where Linux shows the process's limits.
const LIMITS_FILE: &str = "/proc/self/limits";

/// The soft open-files limit, or `None` when it is unlimited or cannot be read.
pub fn open_files_limit() -> Option<u64> {
    std::fs::read_to_string(LIMITS_FILE)
        .ok()
        .and_then(|text| parse_limits(&text))
}

/// The soft limit from the text of `/proc/self/limits` (the `Max open files` row).
fn parse_limits(text: &str) -> Option<u64> {
    let row = text
        .lines()
        .find_map(|l| l.strip_prefix("Max open files"))?;
    row.split_whitespace().next()?.parse().ok()
}

/// The connection cap for a `configured` cap under an open-files `limit`: at most the limit
/// minus [`RUN_RESERVE`] (and at least one connection).
pub fn connection_cap(configured: usize, limit: Option<u64>) -> usize {
    let Some(limit) = limit else {
        return configured;
    };
    let room = limit.saturating_sub(RUN_RESERVE).max(1);
    usize::try_from(room).map_or(configured, |room| configured.min(room))
}

#[cfg(test)]
mod tests;
