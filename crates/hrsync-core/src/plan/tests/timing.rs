//! Activation and termination moments in real zones, on ordinary and DST-change days.

use super::*;
use crate::model::UserStatus::*;
use chrono::NaiveTime;
use chrono_tz::{America, Europe, Pacific};

fn staged_starter(tz: chrono_tz::Tz, start: &str) -> (crate::model::Employee, OktaUser) {
    let e = emp("100", "Ada", "Lovelace").starting(start).zone(tz);
    let u = user_for("00u100", &e, Staged);
    (e, u)
}

#[test]
fn a_starter_is_activated_exactly_at_nine_local_in_auckland_london_and_los_angeles() {
    for (tz, nine_local) in [
        (Pacific::Auckland, "2026-11-30T20:00:00Z"),
        (Europe::London, "2026-12-01T09:00:00Z"),
        (America::Los_Angeles, "2026-12-01T17:00:00Z"),
    ] {
        let (e, u) = staged_starter(tz, "2026-12-01");
        let at = utc(nine_local);
        let before = at - chrono::Duration::seconds(1);
        let early = plan(&snapshot(vec![e.clone()]), &[u.clone()], &policy(), before);
        assert!(early.is_empty(), "{tz}: {:?}", summary(&early));
        assert_eq!(early.next_wakeup, Some(at), "{tz}");
        let on_time = plan(&snapshot(vec![e.clone()]), &[u.clone()], &policy(), at);
        assert_eq!(
            summary(&on_time),
            ["activate:100:start_date_reached"],
            "{tz}"
        );
        let later = plan(
            &snapshot(vec![e]),
            &[u],
            &policy(),
            at + chrono::Duration::days(3),
        );
        assert_eq!(summary(&later), ["activate:100:start_date_reached"], "{tz}");
    }
}

#[test]
fn the_day_before_the_start_date_nothing_is_activated_in_any_zone() {
    for tz in [Pacific::Auckland, Europe::London, America::Los_Angeles] {
        let (e, u) = staged_starter(tz, "2026-12-02");
        let p = run(vec![e], &[u], "2026-12-01T12:00:00Z");
        assert!(p.is_empty(), "{tz}: {:?}", summary(&p));
    }
}

#[test]
fn an_activation_time_in_the_spring_gap_happens_when_the_clocks_jump() {
    let mut p = policy();
    p.activation.activate_at = NaiveTime::from_hms_opt(1, 30, 0).unwrap();
    let (e, u) = staged_starter(Europe::London, "2026-03-29");
    let early = run_with(&p, vec![e.clone()], &[u.clone()], "2026-03-29T00:59:59Z");
    assert!(early.is_empty());
    assert_eq!(early.next_wakeup, Some(utc("2026-03-29T01:00:00Z")));
    let at = run_with(&p, vec![e], &[u], "2026-03-29T01:00:00Z");
    assert_eq!(summary(&at), ["activate:100:start_date_reached"]);
}

#[test]
fn an_activation_time_in_the_autumn_fold_happens_at_its_first_occurrence() {
    let mut p = policy();
    p.activation.activate_at = NaiveTime::from_hms_opt(1, 30, 0).unwrap();
    let (e, u) = staged_starter(America::Los_Angeles, "2026-11-01");
    // 01:30 PDT (UTC-7) comes first, then 01:30 PST (UTC-8).
    let early = run_with(&p, vec![e.clone()], &[u.clone()], "2026-11-01T08:29:59Z");
    assert_eq!(early.next_wakeup, Some(utc("2026-11-01T08:30:00Z")));
    let at = run_with(&p, vec![e], &[u], "2026-11-01T08:30:00Z");
    assert_eq!(summary(&at), ["activate:100:start_date_reached"]);
}

#[test]
fn nine_am_on_a_dst_change_day_uses_the_new_offset() {
    // Auckland moves to NZDT (UTC+13) on 2026-09-27 at 02:00.
    let (e, u) = staged_starter(Pacific::Auckland, "2026-09-27");
    let p = run(vec![e.clone()], &[u.clone()], "2026-09-26T19:59:00Z");
    assert_eq!(p.next_wakeup, Some(utc("2026-09-26T20:00:00Z")));
    assert!(p.is_empty());
    let p = run(vec![e], &[u], "2026-09-26T20:00:00Z");
    assert_eq!(summary(&p), ["activate:100:start_date_reached"]);
}

#[test]
fn a_leaver_keeps_access_through_the_termination_day_and_loses_it_at_local_midnight() {
    let e = emp("100", "Ada", "Lovelace")
        .terminating("2026-12-01")
        .zone(America::Los_Angeles);
    let u = user_for("00u100", &e, Active);
    let today = run(vec![e.clone()], &[u.clone()], "2026-12-02T07:59:59Z");
    assert!(today.is_empty(), "{:?}", summary(&today));
    assert_eq!(today.next_wakeup, Some(utc("2026-12-02T08:00:00Z")));
    let midnight = run(vec![e.clone()], &[u.clone()], "2026-12-02T08:00:00Z");
    assert_eq!(summary(&midnight), ["deactivate:100:terminated"]);
    let past = run(vec![e.clone()], &[u.clone()], "2027-02-01T00:00:00Z");
    assert_eq!(summary(&past), ["deactivate:100:terminated"]);
    let future = run(vec![e], &[u], "2026-06-01T00:00:00Z");
    assert!(future.is_empty());
}

#[test]
fn with_termination_at_immediately_the_termination_date_counts_from_its_start() {
    let mut p = policy();
    p.termination.at = crate::policy::TerminationAt::Immediately;
    let e = emp("100", "Ada", "Lovelace").terminating("2026-12-01");
    let u = user_for("00u100", &e, Active);
    let before = run_with(&p, vec![e.clone()], &[u.clone()], "2026-11-30T23:59:59Z");
    assert!(before.is_empty());
    let at = run_with(&p, vec![e], &[u], "2026-12-01T00:00:00Z");
    assert_eq!(summary(&at), ["deactivate:100:terminated"]);
}
