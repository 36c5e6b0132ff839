//! The full pass: every user of the org listed now, as one `filter` listing per range of
//! `lastUpdated` side by side when the org is large enough to be worth it (ranges from the
//! cache, or from the span two probes find on a first run), else the plain listing and the
//! DEPROVISIONED one (always current). The pages are written to the cache as they are read
//! (`cache::Refiller`), unless the run saves nothing (a dry run); nothing else is saved here.

use super::{UsersRead, fingerprint, watermark_of};
use crate::journal::CacheHeader;
use crate::okta::{OktaRead, PageSink};
use crate::plan::Pass;
use crate::sync::cache::Refiller;
use crate::sync::{SyncDeps, SyncError};
use chrono::{DateTime, Utc};
use std::collections::BTreeSet;
use std::time::Instant;

/// Fewest users per `filter` listing worth a listing of its own. Each listing ends on a
/// partial page, so a split costs up to one request per listing more than the plain
/// listing (and a first run two probes): 1 in 50 at 10,000 users a listing (200 a page).
/// An org of fewer than twice this many reads the plain listing, one request a page.
pub const USERS_PER_LISTING: usize = 10_000;

/// How many listings a full pass of `users` users splits into: one per `per_listing`
/// ([`USERS_PER_LISTING`] but in tests), at most `max`, at least one.
pub(in crate::sync) fn listings_for(users: usize, per_listing: usize, max: usize) -> usize {
    (users / per_listing.max(1)).clamp(1, max.max(1))
}

/// How a full pass splits its listing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(in crate::sync) enum Split {
    /// Into ranges of `lastUpdated` of about equal size, from this org's cache.
    Cache,
    /// Into ranges of `lastUpdated` of equal length over the span two probes find (a run
    /// that saves, with no cache of this org: the first run), when the org is expected to
    /// hold this many users (the HR snapshot's employees; `None` when the HR read failed)
    /// and that is worth a split. The probes are only made then.
    Probe {
        /// The users the org is expected to hold.
        expected: Option<usize>,
    },
    /// Not: the plain listing and the DEPROVISIONED one, always current.
    None,
}

/// A full pass: every user, split into ranges of `lastUpdated` as `split` says (when the
/// org is large enough), else the plain listing and the DEPROVISIONED one side by side.
#[allow(clippy::too_many_arguments)]
pub(in crate::sync) async fn full<S, D: OktaRead>(
    deps: &SyncDeps<S, D>,
    keep: BTreeSet<String>,
    now: DateTime<Utc>,
    saves: bool,
    split: Split,
    why: &str,
    progress: &crate::progress::Progress,
) -> Result<UsersRead, SyncError> {
    tracing::info!(reason = why, "a full pass over Okta's users");
    let settings = &deps.reads;
    let bounds = match split {
        Split::Cache => split_bounds(
            &deps.journal.okta_cache_last_updated()?,
            settings.users_per_listing,
            settings.max_listings,
        ),
        Split::Probe { expected } => {
            let parts = listings_for(
                expected.unwrap_or(0),
                settings.users_per_listing,
                settings.max_listings,
            );
            if parts < 2 {
                Vec::new()
            } else {
                match deps.okta.last_updated_span().await? {
                    Some((first, last)) => crate::okta::even_bounds(first, last, parts),
                    None => Vec::new(),
                }
            }
        }
        Split::None => Vec::new(),
    };
    let started = Instant::now();
    // Reduced to the kept attributes as each page is read (every attribute of 100,000
    // users would otherwise be held until the listing ends), and written to the cache as
    // they come.
    let refiller = saves.then(|| Refiller::start(&deps.journal));
    let sink = refiller.as_ref().map(Refiller::sink);
    let listed = deps
        .okta
        .list_users_split(
            &bounds,
            Some(&keep),
            sink.as_ref().map(|s| s as &PageSink),
            progress,
        )
        .await;
    drop(sink);
    let listed = match listed {
        Ok(listed) => listed,
        Err(e) => {
            if let Some(refiller) = refiller {
                refiller.abandon().await;
            }
            return Err(e.into());
        }
    };
    let watermark = watermark_of(&listed, started.elapsed());
    let n = listed.len();
    // Already reduced as the pages were read.
    let users = std::sync::Arc::new(listed);
    let header = saves.then(|| CacheHeader {
        org_url: settings.org_url.clone(),
        fingerprint: fingerprint(&deps.policy),
        watermark,
        last_full_pass: now,
        full_pass_wanted: None,
    });
    let writing = refiller.zip(header.clone()).map(|(r, h)| r.finish(h));
    Ok(UsersRead {
        users,
        writing,
        pass: Pass::Full,
        listed: n,
        header,
        keep,
        changed: Vec::new(),
        fresh: bounds.is_empty(),
        deferred: false,
        added: false,
    })
}

/// `parts − 1` instants that split these sorted `lastUpdated` values into `parts` ranges of
/// about equal size (fewer when there are few users or few distinct instants); empty when a
/// split is not worth it.
pub(in crate::sync) fn split_bounds(
    sorted: &[DateTime<Utc>],
    per_listing: usize,
    max_parts: usize,
) -> Vec<DateTime<Utc>> {
    let parts = listings_for(sorted.len(), per_listing, max_parts);
    if parts < 2 {
        return Vec::new();
    }
    let mut bounds: Vec<DateTime<Utc>> = (1..parts)
        .filter_map(|k| sorted.get(k * sorted.len() / parts).copied())
        .collect();
    bounds.dedup();
    // A bound equal to the earliest instant would leave the first range empty.
    bounds.retain(|b| Some(b) != sorted.first());
    bounds
}
