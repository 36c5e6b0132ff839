//! Local wall-clock moments → UTC instants: the activation moment (start date at
//! `activate_at`), the termination moment and the creation window, in the employee's zone.
//! DST: a local time inside a gap resolves to the first valid instant after it; a local time
//! in a fold resolves to the earlier instant. Pure; never reads the clock.

use crate::policy::TerminationAt;
use chrono::{DateTime, Days, LocalResult, NaiveDate, NaiveDateTime, NaiveTime, TimeZone, Utc};
use chrono_tz::Tz;

/// The instant a local wall-clock time on a date happens in a zone.
pub fn local_instant(date: NaiveDate, time: NaiveTime, tz: Tz) -> DateTime<Utc> {
    resolve(date.and_time(time), tz)
}

fn resolve(naive: NaiveDateTime, tz: Tz) -> DateTime<Utc> {
    match tz.from_local_datetime(&naive) {
        LocalResult::Single(t) => t.with_timezone(&Utc),
        LocalResult::Ambiguous(a, b) => a.with_timezone(&Utc).min(b.with_timezone(&Utc)),
        LocalResult::None => first_after_gap(naive, tz),
    }
}

/// Inside a DST gap: the first whole minute after `naive` that exists locally is the instant
/// of the transition (every zone's transitions fall on whole minutes).
fn first_after_gap(naive: NaiveDateTime, tz: Tz) -> DateTime<Utc> {
    let mut probe = naive
        .date()
        .and_hms_opt(
            chrono::Timelike::hour(&naive),
            chrono::Timelike::minute(&naive),
            0,
        )
        .unwrap_or(naive);
    for _ in 0..(26 * 60) {
        probe = match probe.checked_add_signed(chrono::Duration::minutes(1)) {
            Some(next) => next,
            None => break,
        };
        match tz.from_local_datetime(&probe) {
            LocalResult::Single(t) => return t.with_timezone(&Utc),
            LocalResult::Ambiguous(a, b) => {
                return a.with_timezone(&Utc).min(b.with_timezone(&Utc));
            }
            LocalResult::None => {}
        }
    }
    // No zone has a gap this long; fall back to reading the wall-clock time as UTC.
    Utc.from_utc_datetime(&naive)
}

/// Memoises [`local_instant`]: employees share start dates and zones, and resolving a local
/// time in a zone is the costly part of computing their facts.
#[derive(Debug, Default)]
pub struct InstantCache {
    map: foldhash::HashMap<(NaiveDate, NaiveTime, Tz), DateTime<Utc>>,
}

impl InstantCache {
    /// [`local_instant`], remembered.
    pub fn instant(&mut self, date: NaiveDate, time: NaiveTime, tz: Tz) -> DateTime<Utc> {
        *self
            .map
            .entry((date, time, tz))
            .or_insert_with(|| local_instant(date, time, tz))
    }
}

/// When the employee is activated: `activate_at` on the start date, local.
pub fn activation_moment(start: Option<NaiveDate>, at: NaiveTime, tz: Tz) -> Option<DateTime<Utc>> {
    activation_moment_cached(start, at, tz, &mut InstantCache::default())
}

/// [`activation_moment`] through a cache.
pub fn activation_moment_cached(
    start: Option<NaiveDate>,
    at: NaiveTime,
    tz: Tz,
    cache: &mut InstantCache,
) -> Option<DateTime<Utc>> {
    start.map(|d| cache.instant(d, at, tz))
}

/// When a leaver loses access: the end of the termination date (next day 00:00 local) with
/// `at = termination_date`, or its start (00:00 local) with `at = immediately`.
pub fn termination_moment(
    date: Option<NaiveDate>,
    at: TerminationAt,
    tz: Tz,
) -> Option<DateTime<Utc>> {
    termination_moment_cached(date, at, tz, &mut InstantCache::default())
}

/// [`termination_moment`] through a cache.
pub fn termination_moment_cached(
    date: Option<NaiveDate>,
    at: TerminationAt,
    tz: Tz,
    cache: &mut InstantCache,
) -> Option<DateTime<Utc>> {
    let date = date?;
    let day = match at {
        TerminationAt::TerminationDate => date.checked_add_days(Days::new(1))?,
        TerminationAt::Immediately => date,
    };
    Some(cache.instant(day, NaiveTime::MIN, tz))
}

/// When a user may be created with `create = { days_before_start = N }`: 00:00 local, N days
/// before the start date.
pub fn creation_window(start: Option<NaiveDate>, days: u32, tz: Tz) -> Option<DateTime<Utc>> {
    creation_window_cached(start, days, tz, &mut InstantCache::default())
}

/// [`creation_window`] through a cache.
pub fn creation_window_cached(
    start: Option<NaiveDate>,
    days: u32,
    tz: Tz,
    cache: &mut InstantCache,
) -> Option<DateTime<Utc>> {
    let day = start?.checked_sub_days(Days::new(u64::from(days)))?;
    Some(cache.instant(day, NaiveTime::MIN, tz))
}

#[cfg(test)]
mod tests;
