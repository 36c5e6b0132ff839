//! Tests of the shared record builder.

use super::*;
use crate::config::{StatusRule, TimezoneRule};
use std::collections::BTreeMap;

pub(crate) fn cfg() -> EmployeeConfig {
    EmployeeConfig {
        id: "id".into(),
        status: StatusRule::active_inactive("status", vec!["Active".into()], None),
        phase: None,
        require_start_date: false,
        max_records: usize::MAX,
        start_date: Some("start_date".into()),
        termination_date: vec!["termination_date".into(), "contract_end".into()],
        timezone: TimezoneRule::iana(Some("site_timezone"), chrono_tz::UTC),
        manager: Some("manager_id".into()),
        scope: None,
    }
}

fn build(fields: BTreeMap<String, String>, origin: String, cfg: &EmployeeConfig) -> BuiltRecord {
    build_employee(fields, origin, cfg, &mut Names::default())
}

fn rec(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

fn base() -> Vec<(&'static str, &'static str)> {
    vec![
        ("id", "1001"),
        ("status", "Active"),
        ("email", "zoe@example.com"),
        ("first_name", "Zoë"),
    ]
}

fn reasons(pairs: &[(&str, &str)]) -> Vec<String> {
    match build(rec(pairs), "e.csv:2".into(), &cfg()) {
        Ok(e) => panic!("expected a rejection, got {e:?}"),
        Err(r) => r.iter().map(ToString::to_string).collect(),
    }
}

fn with<'a>(extra: &[(&'a str, &'a str)]) -> Vec<(&'a str, &'a str)> {
    let mut v = base();
    for (k, val) in extra {
        v.retain(|(kk, _)| kk != k);
        v.push((k, val));
    }
    v
}

#[test]
fn a_good_record_becomes_an_employee_with_typed_facts() {
    let fields = with(&[
        ("status", "aCtIvE"),
        ("start_date", "2026-12-14"),
        ("termination_date", "2027-06-30T17:00:00+12:00"),
        ("site_timezone", "Pacific/Auckland"),
        ("manager_id", " 1000 "),
        ("title", "  "),
    ]);
    let e = build(rec(&fields), "e.csv:2".into(), &cfg()).unwrap();
    assert_eq!(e.id.as_str(), "1001");
    assert_eq!(e.status, EmploymentStatus::Active);
    assert_eq!(e.raw_status, "aCtIvE");
    assert_eq!(e.start_date, NaiveDate::from_ymd_opt(2026, 12, 14));
    assert_eq!(e.termination_date, NaiveDate::from_ymd_opt(2027, 6, 30));
    assert_eq!(e.timezone, Some(chrono_tz::Pacific::Auckland));
    assert_eq!(e.manager_id.as_ref().unwrap().as_str(), "1000");
    assert_eq!(e.field("title"), None, "empty values are absent");
    assert_eq!(e.field("first_name"), Some("Zoë"));
}

#[test]
fn a_status_outside_the_active_values_is_inactive() {
    let e = build(rec(&with(&[("status", "Inactive")])), "x".into(), &cfg()).unwrap();
    assert_eq!(e.status, EmploymentStatus::Inactive);
}

/// `cfg()` with `status.inactive` listing the values that mean inactive.
fn cfg_with_inactive() -> EmployeeConfig {
    let mut c = cfg();
    c.status = StatusRule::active_inactive(
        "status",
        vec!["Active".into()],
        Some(vec!["Inactive".into(), "Terminated ".into()]),
    );
    c
}

#[test]
fn without_an_inactive_list_an_unknown_status_is_inactive_and_keeps_its_raw_value() {
    let e = build(rec(&with(&[("status", "Zombie")])), "x".into(), &cfg()).unwrap();
    assert_eq!(e.status, EmploymentStatus::Inactive);
    assert_eq!(e.raw_status, "Zombie");
}

#[test]
fn with_an_inactive_list_a_listed_status_is_inactive_in_any_case() {
    for value in ["Inactive", "TERMINATED", " terminated "] {
        let fields = rec(&with(&[("status", value)]));
        let e = build(fields, "x".into(), &cfg_with_inactive()).unwrap();
        assert_eq!(e.status, EmploymentStatus::Inactive, "{value:?}");
    }
    let e = build(rec(&base()), "x".into(), &cfg_with_inactive()).unwrap();
    assert_eq!(e.status, EmploymentStatus::Active);
}

#[test]
fn with_an_inactive_list_a_status_in_neither_list_refuses_the_record_naming_field_value_and_accepted_values()
 {
    let fields = rec(&with(&[("status", "Zombie")]));
    let r = build(fields, "e.csv:7".into(), &cfg_with_inactive()).unwrap_err();
    assert_eq!(r.len(), 1, "{r:?}");
    assert_eq!(r[0].field.as_deref(), Some("status"));
    assert_eq!(r[0].employee_id.as_deref(), Some("1001"));
    assert_eq!(
        r[0].to_string(),
        "e.csv:7: status: status \"Zombie\" is neither active (Active) nor inactive (Inactive, Terminated); fix the status in the HR system, or add the value to [employee] status.active or status.inactive"
    );
}

#[test]
fn the_earliest_of_several_termination_dates_counts() {
    let fields = with(&[
        ("termination_date", "2027-03-01"),
        ("contract_end", "2027-01-31"),
    ]);
    let e = build(rec(&fields), "x".into(), &cfg()).unwrap();
    assert_eq!(e.termination_date, NaiveDate::from_ymd_opt(2027, 1, 31));
}

#[test]
fn a_missing_id_is_refused() {
    let mut v = base();
    v.retain(|(k, _)| *k != "id");
    assert_eq!(
        reasons(&v),
        vec!["e.csv:2: id: is missing; every record needs an employee id"]
    );
}

#[test]
fn a_missing_status_is_refused() {
    let mut v = base();
    v.retain(|(k, _)| *k != "status");
    assert_eq!(
        reasons(&v),
        vec![
            "e.csv:2: status: is missing; expected a status, one of active (Active); any other value counts as inactive"
        ]
    );
}

#[test]
fn an_impossible_calendar_date_is_refused() {
    let r = reasons(&with(&[("start_date", "2026-02-30")]));
    assert_eq!(r.len(), 1);
    assert!(
        r[0].starts_with("e.csv:2: start_date: \"2026-02-30\" is not a date; expected YYYY-MM-DD"),
        "{r:?}"
    );
}

#[test]
fn a_date_in_another_format_is_refused() {
    assert!(reasons(&with(&[("start_date", "14/12/2026")]))[0].contains("is not a date"));
    assert!(reasons(&with(&[("start_date", "2026-1-5")]))[0].contains("is not a date"));
    assert!(reasons(&with(&[("start_date", "0001-01-01")]))[0].contains("not a plausible date"));
}

#[test]
fn a_termination_before_the_start_is_kept_for_the_planner_to_read() {
    let fields = with(&[
        ("start_date", "2027-01-10"),
        ("termination_date", "2026-12-31"),
    ]);
    let e = build(rec(&fields), "x".into(), &cfg()).unwrap();
    assert_eq!(e.termination_date, NaiveDate::from_ymd_opt(2026, 12, 31));
}

#[test]
fn an_unknown_time_zone_is_refused() {
    let r = reasons(&with(&[("site_timezone", "Europe/Atlantis")]));
    assert!(
        r[0].contains("site_timezone: unknown time zone \"Europe/Atlantis\""),
        "{r:?}"
    );
}

#[test]
fn control_characters_rtl_overrides_and_nul_are_refused_in_any_field() {
    for bad in ["Zo\u{0}ë", "evil\u{202E}gnp.exe", "two\nlines", "tab\there"] {
        let r = reasons(&with(&[("last_name", bad)]));
        assert!(
            r[0].contains("last_name: value contains a control or formatting character"),
            "{bad:?}: {r:?}"
        );
    }
    let mut fields = rec(&base());
    fields.insert("no\u{7}te".into(), "x".into());
    let r = build(fields, "e.csv:2".into(), &cfg()).unwrap_err();
    assert_eq!(r[0].field.as_deref(), Some("note"));
}

#[test]
fn an_absurdly_long_field_is_refused() {
    let long = "a".repeat(MAX_FIELD_CHARS + 1);
    let r = build(rec(&with(&[("title", &long)])), "e.csv:2".into(), &cfg()).unwrap_err();
    assert_eq!(
        r[0].to_string(),
        "e.csv:2: title: is 2001 characters long; at most 2000 are accepted"
    );
    let ok = "a".repeat(MAX_FIELD_CHARS);
    assert!(build(rec(&with(&[("title", &ok)])), "x".into(), &cfg()).is_ok());
}

#[test]
fn an_invalid_email_is_refused() {
    let r = reasons(&with(&[("email", "zoe(at)example.com")]));
    assert!(
        r[0].contains("email: email \"zoe(at)example.com\" is not an email address"),
        "{r:?}"
    );
    let r = reasons(&with(&[("work.personal_email", "nope")]));
    assert!(r[0].contains("work.personal_email"), "{r:?}");
}

#[test]
fn a_bad_manager_id_is_refused() {
    let r = reasons(&with(&[("manager_id", "10\u{0}0")]));
    assert!(r[0].contains("manager_id"), "{r:?}");
}

#[test]
fn every_problem_of_a_record_is_reported_with_the_id() {
    let fields = with(&[("start_date", "soon"), ("site_timezone", "Nowhere")]);
    let r = build(rec(&fields), "e.csv:2".into(), &cfg()).unwrap_err();
    assert_eq!(r.len(), 2);
    assert!(r.iter().all(|r| r.employee_id.as_deref() == Some("1001")));
}

#[test]
fn every_record_of_a_duplicated_id_is_refused_naming_all_places() {
    let a = build(rec(&base()), "e.csv:2".into(), &cfg());
    let b = build(rec(&with(&[("id", "1002")])), "e.csv:3".into(), &cfg());
    let c = build(
        rec(&with(&[("start_date", "bad")])),
        "e.csv:4".into(),
        &cfg(),
    );
    let snap = assemble(vec![a, b, c]);
    assert_eq!(snap.employees.len(), 1);
    assert_eq!(snap.employees[0].id.as_str(), "1002");
    let lines: Vec<String> = snap.rejected.iter().map(ToString::to_string).collect();
    assert!(
        lines[0].starts_with(
            "e.csv:2: employee id 1001 appears in more than one record (e.csv:2, e.csv:4)"
        ),
        "{lines:?}"
    );
    assert!(
        lines[1].starts_with("e.csv:4: employee id 1001 appears"),
        "{lines:?}"
    );
    assert!(lines[2].starts_with("e.csv:4: start_date:"), "{lines:?}");
}

mod phases;
