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
