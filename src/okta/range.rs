//! The span of `lastUpdated` in an org, probed with two `search` requests sorted by it
//! (`sortBy=lastUpdated`, ascending and descending, one user each, side by side): what a
//! first full pass, with no cache to split by, splits its listing with. `search` is
//! eventually consistent, so the span may miss the last moments; the split covers every
//! instant whatever the span (its first range is open below, its last above), so a wrong span
//! costs speed, never users. Reads only; decides nothing.

use super::Span;
use super::client::OktaClient;
use super::error::Error;
use chrono::{DateTime, Utc};

/// Matches every user (each has a `lastUpdated`).
const EVERY_USER: &str = "lastUpdated gt \"1970-01-01T00:00:00.000Z\"";

impl OktaClient {
    /// The earliest and the latest `lastUpdated` of the org's users; `None` for an org
    /// without users. Two requests.
    pub(super) async fn last_updated_span(&self) -> Result<Option<Span>, Error> {
        let (first, last) = tokio::join!(self.probe("asc"), self.probe("desc"));
        Ok(match (first?, last?) {
            (Some(a), Some(b)) if a <= b => Some((a, b)),
            _ => None,
        })
    }

    /// The `lastUpdated` of the first user in this order, if any.
    async fn probe(&self, order: &str) -> Result<Option<DateTime<Utc>>, Error> {
        let url = self.users_url(&[
            ("search", EVERY_USER),
            ("sortBy", "lastUpdated"),
            ("sortOrder", order),
            ("limit", "1"),
        ])?;
        let (page, _) = self.list_page(url).await?;
        Ok(page.first().and_then(|u| u.last_updated))
    }
}

/// `parts − 1` instants splitting `[first, last]` into ranges of equal length (whole
/// milliseconds, at least one each; fewer when the span is short); empty for `parts < 2`.
pub fn even_bounds(first: DateTime<Utc>, last: DateTime<Utc>, parts: usize) -> Vec<DateTime<Utc>> {
    let span = last.signed_duration_since(first).num_milliseconds();
    let parts = i64::try_from(parts).unwrap_or(1);
    if parts < 2 || span < parts {
        return Vec::new();
    }
    let mut bounds: Vec<DateTime<Utc>> = (1..parts)
        .filter_map(|k| {
            let offset = span.checked_mul(k).map(|x| x / parts)?;
            first.checked_add_signed(chrono::Duration::milliseconds(offset))
        })
        .collect();
    bounds.dedup();
    bounds
}

#[cfg(test)]
mod tests;
