//! How a run reads Okta's users: a **full pass** (every user, listed now) or an **incremental
//! read** (the users changed since the last read, merged into the journal's cache of the
//! rest), and the cache kept up to date with both and with the answers of hrsync's own writes.
//!
//! A run is a full pass on the first run (no cache), when `[okta] incremental = false`, on
//! `hrsync sync --full`, for dry runs (`plan`, `sync --dry-run`: they never read or write
//! the cache), when the cache is from another org URL or another mapping or anchor (the
//! [`fingerprint`]), when `[okta] full_pass_every` has passed since the last full pass (or
//! the run's instant is before it), and when the last run found a user gone that hrsync wrote
//! to. Otherwise it is incremental: `filter=lastUpdated gt "<watermark − overlap>"`, every
//! status, one page per 200 changes.
//!
//! **The watermark** is the latest `lastUpdated` a listing returned, minus the time the
//! listing took (a monotonic duration measured here), never moving back. Only Okta's clock
//! and a local *duration* enter it — never the local wall clock — so a skewed host clock cannot
//! make a read skip changes. The duration covers a change made while the listing paged (a
//! user on a page already read, changed before a later page was read: its new `lastUpdated`
//! is after the listing began, and the latest `lastUpdated` seen minus the listing's length is
//! at most the instant, in Okta's clock, the listing began). The overlap
//! (`incremental_overlap_seconds`, default 300) covers Okta's search index, which lags behind
//! writes: a change the index showed late but with an earlier `lastUpdated` than one it already
//! showed is re-read as long as the lag is below the overlap. Users are re-read more than once
//! near the watermark; merging them is idempotent. A listed copy replaces a cached one only
//! when its `lastUpdated` is later (so the index's old copy of a user hrsync just wrote, whose
//! answer is cached, does not overwrite it).
//!
//! Identity on an incremental read (the cache may lack a user created by hand during the
//! index lag): every create the plan makes is checked first by reading its login with
//! `GET /api/v1/users/{login}`, which is always fresh; a user found is added and the run
//! re-planned (more than [`MAX_CREATE_LOOKUPS`] creates and the run lists every user instead).
//! A user deleted by hand stays in the cache until the next full pass, which recreates it; a
//! write to it that Okta answers 404 drops it from the cache and makes the next run a full
//! pass. Orphans are only deactivated on a full pass (the planner is told the [`Pass`]).
//!
//! A full pass (`full`) of an org large enough (10,000 users a listing, see `full`) lists
//! every user as one `filter` listing per range of `lastUpdated` side by side: ranges of
//! about equal size from the cache, or, without a cache of this org (the first run), of
//! equal length over the span two probes find (two `search` requests sorted by it,
//! `okta::range`; made only when the HR source expects, or its read found, employees enough
//! to be worth a split): users changed in bursts make some ranges longer to page, never lose
//! a user (the first range is open below, the last above). A dry run, a smaller org, an org
//! without users or a span too short to split reads the plain listing and the DEPROVISIONED
//! one side by side. Filters read the same lagging index as an incremental read, so a split
//! full pass checks its creates' logins too (and falls back to the plain listing, which is
//! always current, when it cannot). Its pages are written to the cache as they are read.
//!
//! A listing is merged into the cache as into the plan's users: only new users and copies
//! with a later `lastUpdated` are written (never the index's older copy over a newer one).
//! An incremental read of a run that may settle (`settled`) lists first and reads the cache
//! only when a listed user differs from its cached row.
//!
//! This module reads (the cache is written by `cache`, a full pass's pages as they are read);
//! it decides nothing about users.

use super::cache::reduce;
use super::{RunRequest, SyncDeps, SyncError};
use crate::journal::CacheHeader;
use crate::model::OktaUser;
use crate::okta::{OktaRead, merge_newer};
use crate::plan::{Pass, Policy};
use chrono::{DateTime, Utc};
use sha2::{Digest, Sha256};
use std::collections::BTreeSet;
use std::time::{Duration, Instant};

/// Most creates an incremental run checks by login before it lists every user instead.
pub const MAX_CREATE_LOOKUPS: usize = 50;

/// Most `filter` listings a full pass reads side by side.
const MAX_LISTINGS: usize = 8;

/// How a run may read Okta's users (`[okta]`).
#[derive(Debug, Clone)]
pub struct ReadSettings {
    /// Whether runs between full passes read only what changed.
    pub incremental: bool,
    /// How far before the watermark an incremental read starts.
    pub overlap: Duration,
    /// The longest time between two full passes.
    pub full_pass_every: Duration,
    /// The org URL (a cache from another org is discarded).
    pub org_url: String,
    /// Most listings read side by side (the client's concurrency, at most 8).
    pub max_listings: usize,
    /// Fewest users per listing worth a listing of its own (10,000, `full::USERS_PER_LISTING`;
    /// not a config key: tests lower it to split small orgs).
    pub users_per_listing: usize,
}

impl ReadSettings {
    /// The settings of `[okta]`.
    pub fn of(okta: &crate::config::OktaConfig) -> Self {
        Self {
            incremental: okta.incremental,
            overlap: okta.incremental_overlap,
            full_pass_every: okta.full_pass_every,
            org_url: okta.org_url.as_str().to_owned(),
            max_listings: okta.max_concurrent_requests.clamp(1, MAX_LISTINGS),
            users_per_listing: full::USERS_PER_LISTING,
        }
    }
}

/// The users a run read, and what saving them to the cache needs.
pub(super) struct UsersRead {
    /// The users, reduced to what the planner reads (shared with the thread that records a
    /// full pass's links and with the console's inputs).
    pub users: std::sync::Arc<Vec<OktaUser>>,
    /// A full pass's listing being written to the cache ([`super::cache::Refiller`]): await
    /// it before the read is saved ([`super::cache::save_read`]) or listed again.
    pub writing: Option<super::cache::Writing>,
    /// The kind of pass.
    pub pass: Pass,
    /// How many users the listings returned.
    pub listed: usize,
    /// The header to save with the cache; `None` for a run that never writes it (dry runs).
    pub header: Option<CacheHeader>,
    /// The attributes kept on cached users.
    pub keep: BTreeSet<String>,
    /// Incremental: the users listed, and those read by id or login since (reduced), to
    /// write to the cache; a full pass writes `users` whole.
    pub changed: Vec<OktaUser>,
    /// Whether every user was just listed from the plain listing, which is always current:
    /// a full pass without a split. Otherwise the users came from Okta's eventually
    /// consistent index (or the cache), and each create's login is checked first.
    pub fresh: bool,
    /// The cache was not read: every listed user is identical to its cached row, and `users`
    /// is empty until [`UsersRead::load_deferred`] (a run that may settle, `settled`).
    pub deferred: bool,
    /// Whether users were added after the listing (read by id or login).
    pub added: bool,
}

impl UsersRead {
    /// Adds users read by id or login to the read (and the cache's changes).
    pub(super) fn add(&mut self, found: Vec<OktaUser>) {
        if found.is_empty() {
            return;
        }
        self.added = true;
        let found: Vec<OktaUser> = found.into_iter().map(|u| reduce(u, &self.keep)).collect();
        let users = std::sync::Arc::make_mut(&mut self.users);
        self.changed.extend(winners(users, &found));
        *users = merge_newer(std::mem::take(users), found);
    }

    /// Reads the cache a read deferred ([`UsersRead::deferred`]); nothing otherwise.
    pub(super) async fn load_deferred(
        &mut self,
        journal: &crate::journal::Journal,
    ) -> Result<(), crate::journal::JournalError> {
        if !self.deferred {
            return Ok(());
        }
        let cached = journal
            .off_thread("reading the Okta cache", |j| j.okta_cache_users())
            .await?;
        self.users = std::sync::Arc::new(cached);
        self.deferred = false;
        Ok(())
    }
}

/// The users of `fresh` that [`merge_newer`] takes into `users`: new ones, and those with a
/// later `lastUpdated` than their copy (what the cache must be updated with, never an older
/// copy over a newer one).
fn winners(users: &[OktaUser], fresh: &[OktaUser]) -> Vec<OktaUser> {
    let known: std::collections::HashMap<_, _> =
        users.iter().map(|u| (&u.id, u.last_updated)).collect();
    fresh
        .iter()
        .filter(|u| known.get(&u.id).is_none_or(|t| u.last_updated > *t))
        .cloned()
        .collect()
}

/// The profile attributes the planner reads: the mapped ones, `login`, `email`, the anchor.
pub fn kept_attributes(policy: &Policy) -> BTreeSet<String> {
    let mut keep: BTreeSet<String> = policy.mapping.attributes.keys().cloned().collect();
    keep.extend(["login".to_owned(), "email".to_owned()]);
    keep.insert(policy.anchor_attribute.clone());
    keep
}

/// A fingerprint of what the cache depends on: the anchor attribute and the mapping (each
/// attribute's template, value map and empty rule; the login fallbacks; `on_conflict`), not
/// where in the file they are written.
pub fn fingerprint(policy: &Policy) -> String {
    let mut h = Sha256::new();
    h.update(policy.anchor_attribute.as_bytes());
    for (name, m) in &policy.mapping.attributes {
        h.update([0]);
        h.update(name.as_bytes());
        h.update([1]);
        h.update(m.template.source().as_bytes());
        h.update(format!("{:?}{:?}", m.values, m.on_empty).as_bytes());
    }
    for t in &policy.mapping.login_fallbacks {
        h.update([2]);
        h.update(t.source().as_bytes());
    }
    h.update(format!("{:?}", policy.mapping.on_conflict).as_bytes());
    h.finalize()[..12]
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// The latest `lastUpdated` of `users` minus `took`, if any user has one.
fn watermark_of(users: &[OktaUser], took: Duration) -> Option<DateTime<Utc>> {
    let latest = users.iter().filter_map(|u| u.last_updated).max()?;
    let took = chrono::Duration::from_std(took).unwrap_or(chrono::Duration::MAX);
    Some(latest.checked_sub_signed(took).unwrap_or(latest))
}

/// Why this run must be a full pass, or `None` when it may read incrementally.
pub(super) fn why_full(
    settings: &ReadSettings,
    request: &RunRequest,
    header: Option<&CacheHeader>,
    fingerprint: &str,
    now: DateTime<Utc>,
) -> Option<String> {
    if request.dry_run {
        return Some("a dry run reads every user".into());
    }
    if !settings.incremental {
        return Some("[okta] incremental = false".into());
    }
    if request.full {
        return Some("--full".into());
    }
    let Some(h) = header else {
        return Some("no cache of Okta's users yet".into());
    };
    if h.org_url != settings.org_url {
        return Some(format!(
            "the cache is from another org ({}); discarded",
            h.org_url
        ));
    }
    if h.fingerprint != fingerprint {
        return Some("the mapping or the anchor attribute changed".into());
    }
    if let Some(why) = &h.full_pass_wanted {
        return Some(why.clone());
    }
    let every =
        chrono::Duration::from_std(settings.full_pass_every).unwrap_or(chrono::Duration::MAX);
    if now < h.last_full_pass || now.signed_duration_since(h.last_full_pass) >= every {
        return Some("full_pass_every has passed since the last full pass".into());
    }
    if h.watermark.is_none() {
        return Some("the cache has no watermark yet".into());
    }
    None
}

/// Reads Okta's users for a run at `now`: a full pass or an incremental read (see the module
/// doc). `hr_size` is the number of employees the HR source expects or its read found
/// (awaited only by a first run, to decide whether its listing is worth splitting). Only a
/// full pass's listing is saved here, as it is read ([`UsersRead::writing`]).
pub(super) async fn read_users<S, D: OktaRead>(
    deps: &SyncDeps<S, D>,
    request: &RunRequest,
    now: DateTime<Utc>,
    may_defer: bool,
    hr_size: impl Future<Output = Option<usize>>,
) -> Result<UsersRead, SyncError> {
    let settings = &deps.reads;
    let keep = kept_attributes(&deps.policy);
    let fp = fingerprint(&deps.policy);
    let header = if request.dry_run || !settings.incremental {
        None
    } else {
        deps.journal.okta_cache_header()?
    };
    let why = why_full(settings, request, header.as_ref(), &fp, now);
    let saves = !request.dry_run;
    if let (None, Some(h)) = (&why, &header) {
        return incremental(deps, h.clone(), keep, saves, may_defer, &request.progress).await;
    }
    let why = why.unwrap_or_else(|| "no cache of Okta's users yet".into());
    // A dry run never reads the cache: it reads the plain listing, always current, so its
    // creates need no check by login.
    let split = if header.is_some_and(|h| h.org_url == settings.org_url) {
        Split::Cache
    } else if saves {
        Split::Probe {
            expected: hr_size.await,
        }
    } else {
        Split::None
    };
    full(deps, keep, now, saves, split, &why, &request.progress).await
}

/// The incremental read: the cache (from the journal, on a blocking thread) and the users
/// changed since the watermark minus the overlap (from Okta), at once, merged. With
/// `may_defer` (a run that may settle), the listing comes first and the cache is only read
/// when a listed user differs from its cached row ([`UsersRead::deferred`] otherwise).
async fn incremental<S, D: OktaRead>(
    deps: &SyncDeps<S, D>,
    header: CacheHeader,
    keep: BTreeSet<String>,
    saves: bool,
    may_defer: bool,
    progress: &crate::progress::Progress,
) -> Result<UsersRead, SyncError> {
    let overlap = chrono::Duration::from_std(deps.reads.overlap).unwrap_or(chrono::Duration::MAX);
    let watermark = header.watermark.unwrap_or(DateTime::<Utc>::MIN_UTC);
    let since = watermark
        .checked_sub_signed(overlap)
        .unwrap_or(DateTime::<Utc>::MIN_UTC);
    let started = Instant::now();
    let read_cache = || {
        deps.journal
            .off_thread("reading the Okta cache", |j| j.okta_cache_users())
    };
    let (cached, changed, deferred) = if may_defer {
        let changed = deps.okta.list_changed(since, progress).await?;
        let reduced: Vec<OktaUser> = changed.iter().map(|u| reduce(u.clone(), &keep)).collect();
        let ids: Vec<_> = reduced.iter().map(|u| u.id.clone()).collect();
        let rows = deps
            .journal
            .off_thread("reading cached users", move |j| {
                j.okta_cache_users_by_id(&ids)
            })
            .await?;
        if super::settled::listing_is_cached(&reduced, &rows) {
            (Vec::new(), changed, true)
        } else {
            (read_cache().await?, changed, false)
        }
    } else {
        let (cached, changed) = tokio::join!(read_cache(), deps.okta.list_changed(since, progress));
        (cached?, changed?, false)
    };
    let took = started.elapsed();
    let listed = changed.len();
    let moved = watermark_of(&changed, took).filter(|w| *w > watermark);
    let changed: Vec<OktaUser> = changed.into_iter().map(|u| reduce(u, &keep)).collect();
    let (users, changed) = if deferred {
        (Vec::new(), Vec::new())
    } else {
        let won = winners(&cached, &changed);
        (merge_newer(cached, changed), won)
    };
    tracing::info!(
        since = %since,
        changed = listed,
        cached = users.len(),
        deferred,
        "an incremental read of Okta's users"
    );
    let header = saves.then(|| CacheHeader {
        watermark: moved.or(header.watermark),
        ..header
    });
    Ok(UsersRead {
        users: std::sync::Arc::new(users),
        writing: None,
        pass: Pass::Incremental,
        listed,
        header,
        keep,
        changed,
        fresh: false,
        deferred,
        added: false,
    })
}

mod full;
pub(super) use full::{Split, full};

#[cfg(test)]
mod tests;
