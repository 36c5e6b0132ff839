//! The record builder with lifecycle phases: bob's values to phases, unknown values refused
//! with the accepted ones, the start date required where the phase or mode needs it, site
//! names to zones, and the snapshot-wide check that a required field exists at all.

use super::tests::cfg;
use super::*;
use crate::config::TimezoneRule;
use std::collections::BTreeMap;

/// bob's lifecycle values, as the shipped HiBob config lists them.
fn bob_phases() -> EmployeeConfig {
    let list = |v: &[&str]| v.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>();
    let mut c = cfg();
    c.status = StatusRule {
        field: "lifecycle".into(),
        values: StatusValues::Phases(vec![
            (Phase::PreHire, list(&["hired"])),
            (Phase::Employed, list(&["employed"])),
            (Phase::OnLeave, list(&["leave", "parental leave"])),
            (Phase::Notice, list(&["garden leave"])),
            (Phase::Terminated, list(&["terminated"])),
        ]),
    };
    c.require_start_date = true;
    c
}

fn record(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
    let mut fields: BTreeMap<String, String> = [("id", "1001"), ("email", "zoe@example.com")]
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    for (k, v) in pairs {
        fields.insert(k.to_string(), v.to_string());
    }
    fields
}

fn built(cfg: &EmployeeConfig, pairs: &[(&str, &str)]) -> BuiltRecord {
    build_employee(record(pairs), "e.csv:2".into(), cfg, &mut Names::default())
}

fn refusals(cfg: &EmployeeConfig, pairs: &[(&str, &str)]) -> Vec<String> {
    match built(cfg, pairs) {
        Ok(e) => panic!("expected a refusal, got {e:?}"),
        Err(r) => r.iter().map(ToString::to_string).collect(),
    }
}

#[test]
fn each_bob_lifecycle_value_gives_its_phase_in_any_case() {
    for (value, phase) in [
        ("hired", Phase::PreHire),
        ("Employed", Phase::Employed),
        (" PARENTAL LEAVE ", Phase::OnLeave),
        ("Garden Leave", Phase::Notice),
        ("terminated", Phase::Terminated),
    ] {
        let e = built(
            &bob_phases(),
            &[("lifecycle", value), ("start_date", "2026-12-14")],
        )
        .unwrap();
        assert_eq!(e.status, EmploymentStatus::Phase(phase), "{value:?}");
    }
}

#[test]
fn a_lifecycle_value_in_no_list_is_refused_naming_the_value_and_the_accepted_ones() {
    let r = refusals(
        &bob_phases(),
        &[("lifecycle", "sabbatical"), ("start_date", "2020-01-06")],
    );
    assert_eq!(
        r,
        [
            "e.csv:2: lifecycle: status \"sabbatical\" names no lifecycle phase; accepted: pre_hire (hired), employed (employed), on_leave (leave, parental leave), notice (garden leave), terminated (terminated); fix the status in the HR system, or add the value to the right list of [employee] phase"
        ]
    );
}

#[test]
fn a_pre_hire_without_a_start_date_is_refused_in_any_mode() {
    let mut c = bob_phases();
    c.require_start_date = false;
    let r = refusals(&c, &[("lifecycle", "hired")]);
    assert_eq!(
        r,
        [
            "e.csv:2: start_date: is missing; a pre-hire needs a start date to know when to activate; this employee's Okta user is left exactly as it is until HR fills it in"
        ]
    );
    // Employed without a start date is fine outside start_date mode.
    assert!(built(&c, &[("lifecycle", "employed")]).is_ok());
}

#[test]
fn in_start_date_mode_every_record_but_a_terminated_one_needs_a_start_date() {
    let c = bob_phases();
    for value in ["employed", "leave", "garden leave"] {
        let r = refusals(&c, &[("lifecycle", value), ("start_date", " ")]);
        assert_eq!(r.len(), 1, "{r:?}");
        assert!(
            r[0].contains(
                "start_date: is missing; activation mode start_date needs every record's start date"
            ),
            "{r:?}"
        );
    }
    assert!(built(&c, &[("lifecycle", "terminated")]).is_ok());
    // With `status = { active, inactive }`, an inactive record may be a pre-hire: it needs one.
    let mut legacy = cfg();
    legacy.require_start_date = true;
    let r = build_employee(
        record(&[("status", "Inactive")]),
        "e.csv:3".into(),
        &legacy,
        &mut Names::default(),
    )
    .unwrap_err();
    assert_eq!(r[0].field.as_deref(), Some("start_date"));
}

#[test]
fn an_unreadable_start_date_is_refused_once() {
    let r = refusals(
        &bob_phases(),
        &[("lifecycle", "hired"), ("start_date", "14/12/2026")],
    );
    assert_eq!(r.len(), 1, "{r:?}");
    assert!(r[0].contains("is not a date"), "{r:?}");
}

#[test]
fn a_site_name_is_read_as_its_configured_zone_and_an_unknown_site_is_refused() {
    let mut c = bob_phases();
    c.timezone = TimezoneRule {
        field: Some("site".into()),
        values: vec![
            ("London HQ".into(), chrono_tz::Europe::London),
            ("New York".into(), chrono_tz::America::New_York),
        ],
        default: chrono_tz::UTC,
    };
    let base = [("lifecycle", "employed"), ("start_date", "2020-01-06")];
    let with_site = |site| {
        let mut v = base.to_vec();
        v.push(("site", site));
        v
    };
    let e = built(&c, &with_site("new york")).unwrap();
    assert_eq!(e.timezone, Some(chrono_tz::America::New_York));
    let e = built(&c, &with_site("Asia/Tokyo")).unwrap();
    assert_eq!(
        e.timezone,
        Some(chrono_tz::Asia::Tokyo),
        "an IANA name still works"
    );
    let r = refusals(&c, &with_site("Paris Office"));
    assert_eq!(
        r,
        [
            "e.csv:2: site: \"Paris Office\" is neither a value listed in [employee] timezone.values (London HQ, New York) nor an IANA time zone; add it to timezone.values with its zone"
        ]
    );
}

#[test]
fn a_required_field_that_no_record_has_fails_the_fetch_naming_it() {
    let c = bob_phases();
    let mut keys = Names::default();
    let records: Vec<BuiltRecord> = ["1", "2"]
        .iter()
        .map(|id| {
            let fields = record(&[("id", id), ("lifecycle", "employed")]);
            build_employee(fields, format!("e.csv:{id}"), &c, &mut keys)
        })
        .collect();
    let err = finish(records, &keys, &c, "e.csv").unwrap_err();
    assert_eq!(
        err.to_string(),
        "e.csv: field start_date is missing from every record: no record has a value for it, and activation mode start_date needs each employee's start date; fix the column or field name in the HR export, or the field named in [employee]"
    );
    // One record with it is enough: the others are refused one by one.
    let mut keys = Names::default();
    let records = vec![
        build_employee(
            record(&[("lifecycle", "employed"), ("start_date", "2020-01-06")]),
            "a".into(),
            &c,
            &mut keys,
        ),
        build_employee(
            record(&[("id", "2"), ("lifecycle", "employed")]),
            "b".into(),
            &c,
            &mut keys,
        ),
    ];
    let snapshot = finish(records, &keys, &c, "e.csv").unwrap();
    assert_eq!(snapshot.employees.len(), 1);
    assert_eq!(snapshot.rejected.len(), 1);
    // No records at all is the snapshot guard's business.
    assert!(finish(Vec::new(), &Names::default(), &c, "e.csv").is_ok());
}
