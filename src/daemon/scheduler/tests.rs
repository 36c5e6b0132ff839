//! Tests of the pure schedule arithmetic.

use super::*;
use chrono::TimeZone;

fn schedule(expr: &str, tz: Tz, max_backoff_secs: u64) -> ScheduleConfig {
    ScheduleConfig {
        cron: expr.parse().unwrap(),
        timezone: tz,
        max_backoff: Duration::from_secs(max_backoff_secs),
        shutdown_timeout: Duration::from_secs(30),
    }
}

fn utc(y: i32, mo: u32, d: u32, h: u32, mi: u32, s: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(y, mo, d, h, mi, s).unwrap()
}

fn secs(n: i64) -> chrono::Duration {
    chrono::Duration::seconds(n)
}

fn summary(outcome: RunStatus) -> RunSummary {
    RunSummary::new(outcome, "test")
}

/// A scheduler whose startup run happened at `start` and took no time.
fn after_startup(sched: &ScheduleConfig, start: DateTime<Utc>) -> Scheduler {
    let mut s = Scheduler::new(sched, Duration::from_secs(2), start);
    s.record_run(start, start, &summary(RunStatus::NoChanges));
    s
}

#[test]
fn the_first_run_is_due_at_once_for_startup() {
    let s = Scheduler::new(
        &schedule("0 30 * * * *", Tz::UTC, 60),
        Duration::ZERO,
        utc(2027, 4, 1, 0, 0, 0),
    );
    assert_eq!(s.next_due().map(|d| d.1), Some(Trigger::Startup));
}

#[test]
fn cron_ticks_are_evaluated_in_the_schedule_timezone() {
    let s = after_startup(
        &schedule("0 0 9 * * *", chrono_tz::Asia::Tokyo, 60),
        utc(2027, 3, 31, 12, 0, 0),
    );
    assert_eq!(
        s.next_due(),
        Some((utc(2027, 4, 1, 0, 0, 0), Trigger::Cron))
    );
}

#[test]
fn a_wakeup_before_the_next_tick_is_due_first() {
    let start = utc(2027, 3, 31, 23, 40, 0);
    let mut s = Scheduler::new(
        &schedule("0 30 * * * *", Tz::UTC, 60),
        Duration::ZERO,
        start,
    );
    let mut first = summary(RunStatus::NoChanges);
    first.next_wakeup = Some(utc(2027, 4, 1, 0, 0, 0));
    s.record_run(start, start + secs(3), &first);
    assert_eq!(
        s.next_due(),
        Some((utc(2027, 4, 1, 0, 0, 0), Trigger::Wakeup))
    );
}

#[test]
fn ticks_that_pass_during_a_long_run_are_skipped_and_counted() {
    let sched = schedule("0 */10 * * * *", Tz::UTC, 60);
    let mut s = after_startup(&sched, utc(2027, 4, 1, 0, 0, 0) - secs(1));
    assert_eq!(
        s.next_due(),
        Some((utc(2027, 4, 1, 0, 0, 0), Trigger::Cron))
    );
    let rec = s.record_run(
        utc(2027, 4, 1, 0, 0, 0),
        utc(2027, 4, 1, 0, 35, 0),
        &summary(RunStatus::Applied),
    );
    assert_eq!(rec.missed_ticks, 3, "00:10, 00:20 and 00:30 were skipped");
    assert_eq!(
        s.next_due(),
        Some((utc(2027, 4, 1, 0, 40, 0), Trigger::Cron))
    );
}

#[test]
fn a_run_that_ends_before_the_next_tick_misses_nothing() {
    let sched = schedule("0 */10 * * * *", Tz::UTC, 60);
    let mut s = after_startup(&sched, utc(2027, 4, 1, 0, 0, 0) - secs(1));
    let rec = s.record_run(
        utc(2027, 4, 1, 0, 0, 0),
        utc(2027, 4, 1, 0, 9, 59),
        &summary(RunStatus::Applied),
    );
    assert_eq!(rec.missed_ticks, 0);
    assert_eq!(
        s.next_due(),
        Some((utc(2027, 4, 1, 0, 10, 0), Trigger::Cron))
    );
}

#[test]
fn consecutive_failures_back_off_one_two_four_seconds_up_to_the_ceiling() {
    let sched = schedule("0 0 0 1 1 *", Tz::UTC, 5);
    let mut now = utc(2027, 4, 1, 0, 0, 0);
    let mut s = after_startup(&sched, now);
    let mut delays = Vec::new();
    for _ in 0..5 {
        let rec = s.record_run(now, now, &summary(RunStatus::Failed));
        let (due, why) = s.next_due().unwrap();
        assert_eq!(why, Trigger::Retry);
        delays.push((due - now).num_seconds());
        assert_eq!(
            Some(Duration::from_secs((due - now).num_seconds() as u64)),
            rec.backoff
        );
        now = due;
    }
    assert_eq!(delays, [1, 2, 4, 5, 5]);
    s.record_run(now, now, &summary(RunStatus::NoChanges));
    assert_eq!(s.consecutive_failures(), 0);
    assert_eq!(s.next_due().map(|d| d.1), Some(Trigger::Cron));
}

#[test]
fn backoff_delay_never_overflows() {
    assert_eq!(
        backoff_delay(1, Duration::from_secs(3600)),
        Duration::from_secs(1)
    );
    assert_eq!(
        backoff_delay(200, Duration::from_secs(3600)),
        Duration::from_secs(3600)
    );
    assert_eq!(
        backoff_delay(u32::MAX, Duration::from_secs(7)),
        Duration::from_secs(7)
    );
}

#[test]
fn a_fatal_run_quarantines_and_retries_only_at_the_ceiling() {
    let sched = schedule("0 * * * * *", Tz::UTC, 600);
    let now = utc(2027, 4, 1, 0, 0, 30);
    let mut s = after_startup(&sched, now);
    let mut fatal = summary(RunStatus::Fatal);
    fatal.next_wakeup = None;
    let rec = s.record_run(now, now, &fatal);
    assert!(rec.entered_quarantine);
    assert!(s.quarantined());
    s.on_trigger(now);
    assert_eq!(
        s.next_due(),
        Some((now + secs(600), Trigger::Retry)),
        "minutely ticks and triggers wait while quarantined"
    );
    let rec = s.record_run(
        now + secs(600),
        now + secs(601),
        &summary(RunStatus::Failed),
    );
    assert_eq!(
        rec.backoff,
        Some(Duration::from_secs(600)),
        "still at the ceiling"
    );
    let rec = s.record_run(
        now + secs(1201),
        now + secs(1202),
        &summary(RunStatus::NoChanges),
    );
    assert!(rec.left_quarantine);
    assert!(!s.quarantined());
}

#[test]
fn several_triggers_within_the_debounce_window_make_one_run() {
    let sched = schedule("0 0 0 1 1 *", Tz::UTC, 60);
    let t = utc(2027, 4, 1, 12, 0, 0);
    let mut s = after_startup(&sched, t - secs(60));
    s.on_trigger(t);
    s.on_trigger(t + chrono::Duration::milliseconds(500));
    s.on_trigger(t + chrono::Duration::milliseconds(1900));
    assert_eq!(s.next_due(), Some((t + secs(2), Trigger::External)));
    let rec = s.record_run(t + secs(2), t + secs(3), &summary(RunStatus::NoChanges));
    assert_eq!(rec.triggers_served, 3);
    assert_eq!(s.next_due().map(|d| d.1), Some(Trigger::Cron));
}

#[test]
fn a_trigger_that_arrives_during_a_run_gets_its_own_run() {
    let sched = schedule("0 0 0 1 1 *", Tz::UTC, 60);
    let t = utc(2027, 4, 1, 12, 0, 0);
    let mut s = after_startup(&sched, t - secs(60));
    s.on_trigger(t + secs(5));
    s.record_run(t, t + secs(10), &summary(RunStatus::NoChanges));
    assert_eq!(s.next_due(), Some((t + secs(7), Trigger::External)));
}

#[test]
fn a_wakeup_not_after_the_run_start_is_ignored() {
    let sched = schedule("0 0 * * * *", Tz::UTC, 60);
    let t = utc(2027, 4, 1, 12, 10, 0);
    let mut s = after_startup(&sched, t);
    let mut stale = summary(RunStatus::NoChanges);
    stale.next_wakeup = Some(t - secs(1));
    let rec = s.record_run(t, t + secs(1), &stale);
    assert_eq!(rec.stale_wakeup, Some(t - secs(1)));
    assert_eq!(
        s.next_due(),
        Some((utc(2027, 4, 1, 13, 0, 0), Trigger::Cron))
    );
}

#[test]
fn a_failed_run_keeps_the_wakeup_of_the_last_plan() {
    let sched = schedule("0 0 0 1 1 *", Tz::UTC, 3600);
    let t = utc(2027, 4, 1, 12, 0, 0);
    let mut s = Scheduler::new(&sched, Duration::ZERO, t);
    let mut planned = summary(RunStatus::NoChanges);
    planned.next_wakeup = Some(t + secs(100));
    s.record_run(t, t, &planned);
    for _ in 0..8 {
        s.record_run(t + secs(1), t + secs(1), &summary(RunStatus::Failed));
    }
    assert_eq!(s.next_due(), Some((t + secs(100), Trigger::Wakeup)));
}

#[test]
fn a_successful_reload_retries_at_once_only_when_runs_were_failing() {
    let sched = schedule("0 0 0 1 1 *", Tz::UTC, 3600);
    let t = utc(2027, 4, 1, 12, 0, 0);
    let mut s = after_startup(&sched, t);
    s.on_reload_ok();
    assert_ne!(s.next_due().map(|d| d.1), Some(Trigger::Reload));
    s.record_run(t, t, &summary(RunStatus::Fatal));
    s.on_reload_ok();
    assert_eq!(s.next_due().map(|d| d.1), Some(Trigger::Reload));
}

#[test]
fn a_local_time_that_dst_skips_is_skipped_that_day_not_run_at_a_wrong_hour() {
    // Europe/Berlin springs forward at 02:00 on 2027-03-28: 02:30 does not exist that day.
    let s = after_startup(
        &schedule("0 30 2 * * *", chrono_tz::Europe::Berlin, 60),
        utc(2027, 3, 27, 12, 0, 0),
    );
    assert_eq!(
        s.next_due(),
        Some((utc(2027, 3, 29, 0, 30, 0), Trigger::Cron))
    );
}

#[test]
fn upcoming_lists_the_next_ticks_in_the_schedule_zone() {
    // cron weekdays count 1 = Sunday: "2-6" is Monday to Friday.
    let sched = schedule("0 0 9 * * 2-6", chrono_tz::Europe::Berlin, 60);
    let next: Vec<String> = upcoming(&sched, utc(2027, 4, 2, 12, 0, 0), 3)
        .iter()
        .map(|t| t.to_rfc3339())
        .collect();
    // 2027-04-02 is a Friday: next are Monday to Wednesday, 09:00 CEST.
    assert_eq!(
        next,
        [
            "2027-04-05T09:00:00+02:00",
            "2027-04-06T09:00:00+02:00",
            "2027-04-07T09:00:00+02:00"
        ]
    );
}

#[test]
fn a_replayed_webhook_makes_at_most_one_run_per_minimum_interval() {
    let t = utc(2027, 4, 1, 10, 0, 0);
    let sched = schedule("0 0 0 1 1 *", Tz::UTC, 600);
    let mut s = after_startup(&sched, t).with_min_trigger_interval(Duration::from_secs(30));
    // The first webhook runs after the debounce window.
    s.on_trigger(t + secs(1));
    assert_eq!(s.next_due(), Some((t + secs(3), Trigger::External)));
    s.record_run(t + secs(3), t + secs(4), &summary(RunStatus::NoChanges));
    // The same webhook replayed right after: not before 30 s after the last such run.
    for k in 5..50 {
        s.on_trigger(t + secs(k));
    }
    assert_eq!(s.next_due(), Some((t + secs(33), Trigger::External)));
}

#[test]
fn a_webhook_while_runs_fail_waits_for_the_back_off() {
    let t = utc(2027, 4, 1, 10, 0, 0);
    let sched = schedule("0 0 0 1 1 *", Tz::UTC, 600);
    let mut s = after_startup(&sched, t);
    let rec = s.record_run(t + secs(1), t + secs(2), &summary(RunStatus::Failed));
    let retry = t + secs(2) + chrono::Duration::from_std(rec.backoff.unwrap()).unwrap();
    s.on_trigger(t + secs(3));
    let (due, _) = s.next_due().unwrap();
    assert!(due >= retry, "{due} before the back-off's {retry}");
}
