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
mod tests {
    use super::*;

    fn utc(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
    }

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn t(h: u32, m: u32) -> NaiveTime {
        NaiveTime::from_hms_opt(h, m, 0).unwrap()
    }

    #[test]
    fn nine_in_auckland_london_and_los_angeles_are_different_instants() {
        let day = d("2026-12-01");
        assert_eq!(
            local_instant(day, t(9, 0), chrono_tz::Pacific::Auckland),
            utc("2026-11-30T20:00:00Z")
        );
        assert_eq!(
            local_instant(day, t(9, 0), chrono_tz::Europe::London),
            utc("2026-12-01T09:00:00Z")
        );
        assert_eq!(
            local_instant(day, t(9, 0), chrono_tz::America::Los_Angeles),
            utc("2026-12-01T17:00:00Z")
        );
    }

    #[test]
    fn a_time_in_the_spring_gap_resolves_to_the_first_instant_after_it() {
        // London springs forward on 2026-03-29 at 01:00 → 02:00.
        assert_eq!(
            local_instant(d("2026-03-29"), t(1, 30), chrono_tz::Europe::London),
            utc("2026-03-29T01:00:00Z")
        );
        // Los Angeles springs forward on 2026-03-08 at 02:00 → 03:00 (PDT, UTC-7).
        assert_eq!(
            local_instant(d("2026-03-08"), t(2, 15), chrono_tz::America::Los_Angeles),
            utc("2026-03-08T10:00:00Z")
        );
    }

    #[test]
    fn a_time_in_the_autumn_fold_resolves_to_the_earlier_instant() {
        // London falls back on 2026-10-25 at 02:00 → 01:00; 01:30 happens twice.
        assert_eq!(
            local_instant(d("2026-10-25"), t(1, 30), chrono_tz::Europe::London),
            utc("2026-10-25T00:30:00Z")
        );
        // Auckland falls back on 2026-04-05 at 03:00 → 02:00; 02:30 happens twice.
        assert_eq!(
            local_instant(d("2026-04-05"), t(2, 30), chrono_tz::Pacific::Auckland),
            utc("2026-04-04T13:30:00Z")
        );
    }

    #[test]
    fn termination_is_the_end_of_the_local_day_or_its_start_when_immediate() {
        let tz = chrono_tz::America::Los_Angeles;
        assert_eq!(
            termination_moment(Some(d("2026-12-01")), TerminationAt::TerminationDate, tz),
            Some(utc("2026-12-02T08:00:00Z"))
        );
        assert_eq!(
            termination_moment(Some(d("2026-12-01")), TerminationAt::Immediately, tz),
            Some(utc("2026-12-01T08:00:00Z"))
        );
        assert_eq!(
            termination_moment(None, TerminationAt::Immediately, tz),
            None
        );
        assert_eq!(
            termination_moment(Some(NaiveDate::MAX), TerminationAt::TerminationDate, tz),
            None
        );
    }

    #[test]
    fn the_creation_window_opens_at_local_midnight_n_days_before_start() {
        assert_eq!(
            creation_window(Some(d("2026-12-10")), 7, chrono_tz::Pacific::Auckland),
            Some(utc("2026-12-02T11:00:00Z"))
        );
        assert_eq!(creation_window(None, 7, chrono_tz::UTC), None);
    }
}
