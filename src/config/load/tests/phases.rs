//! Tests of `[employee] phase`, `[employee] timezone.values` and `[activation] on_leave`.

use super::*;
use crate::model::Phase;

const BOB_PHASES: &str = r#"phase = { field = "internal.lifecycleStatus", pre_hire = ["hired"], employed = ["employed"], on_leave = ["leave", "parental leave"], notice = ["garden leave"], terminated = ["terminated"] }"#;

#[test]
fn a_phase_table_reads_each_value_as_its_phase() {
    let c = load_text(&format!("{GOOD}\n[employee]\n{BOB_PHASES}\n")).unwrap();
    let rule = &c.employee.status;
    assert_eq!(rule.field, "internal.lifecycleStatus");
    let phase = |v: &str| rule.classify(v).map(|s| s.phase(false));
    assert_eq!(phase("Hired"), Some(Phase::PreHire));
    assert_eq!(phase("parental leave"), Some(Phase::OnLeave));
    assert_eq!(phase("GARDEN LEAVE"), Some(Phase::Notice));
    assert_eq!(phase("terminated"), Some(Phase::Terminated));
    assert_eq!(phase("Active"), None, "a value in no list is unknown");
    assert!(
        c.employee.require_start_date,
        "the default mode start_date needs start dates"
    );
}

#[test]
fn only_start_date_mode_requires_every_start_date() {
    for (mode, required) in [
        ("always", false),
        ("never", false),
        ("employee_status", false),
        ("start_date", true),
    ] {
        let c = load_text(&format!("{GOOD}\n[activation]\nmode = \"{mode}\"\n")).unwrap();
        assert_eq!(c.employee.require_start_date, required, "{mode}");
    }
}

#[test]
fn status_and_phase_together_are_refused() {
    let errs = errors_of(&format!(
        "{GOOD}\n[employee]\nstatus = {{ field = \"status\" }}\n{BOB_PHASES}\n"
    ));
    assert_eq!(errs.len(), 1, "{errs:?}");
    assert!(
        errs[0].starts_with("hrsync.toml:12:9: employee.phase: give either status"),
        "{errs:?}"
    );
}

#[test]
fn a_value_listed_under_two_phases_is_refused_at_its_second_place() {
    let errs = errors_of(&format!(
        "{GOOD}\n[employee]\nphase = {{ field = \"lc\", employed = [\"employed\", \"Leave\"], on_leave = [\"leave\"] }}\n"
    ));
    assert_eq!(
        errs,
        vec![
            "hrsync.toml:11:71: employee.phase.on_leave[0]: \"leave\" is also listed under phase.employed (as \"Leave\"; values are compared case-insensitively); a value names one phase, remove it from one list"
        ]
    );
}

#[test]
fn a_phase_table_without_an_employed_value_is_refused() {
    let errs = errors_of(&format!(
        "{GOOD}\n[employee]\nphase = {{ field = \"lc\", pre_hire = [\"hired\"] }}\n"
    ));
    assert_eq!(errs.len(), 1, "{errs:?}");
    assert!(
        errs[0].contains("employee.phase.employed: is empty; list the HR values that mean working"),
        "{errs:?}"
    );
}

#[test]
fn timezone_values_map_sites_to_zones_and_an_unknown_zone_is_refused_at_its_position() {
    let c = load_text(&format!(
        "{GOOD}\n[employee]\ntimezone = {{ field = \"work.site\", values = {{ \"London HQ\" = \"Europe/London\" }}, default = \"UTC\" }}\n"
    ))
    .unwrap();
    assert_eq!(
        c.employee.timezone.zone_of("london hq"),
        Ok(chrono_tz::Europe::London)
    );
    let errs = errors_of(&format!(
        "{GOOD}\n[employee]\ntimezone = {{ field = \"work.site\", values = {{ \"Mars\" = \"Mars/Olympus\" }} }}\n"
    ));
    assert_eq!(errs.len(), 1, "{errs:?}");
    assert!(
        errs[0].starts_with(
            "hrsync.toml:11:55: employee.timezone.values.Mars: unknown time zone \"Mars/Olympus\""
        ),
        "{errs:?}"
    );
}

#[test]
fn on_leave_defaults_to_keep_and_accepts_suspend() {
    let c = load_text(GOOD).unwrap();
    assert_eq!(c.activation.on_leave, OnLeave::Keep);
    let c = load_text(&format!("{GOOD}\n[activation]\non_leave = \"suspend\"\n")).unwrap();
    assert_eq!(c.activation.on_leave, OnLeave::Suspend);
    let errs = errors_of(&format!("{GOOD}\n[activation]\non_leave = \"pause\"\n"));
    assert_eq!(errs.len(), 1, "{errs:?}");
    assert!(errs[0].contains("on_leave"), "{errs:?}");
}
