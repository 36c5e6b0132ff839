//! Golden files of rendered plans (`src/plan/golden/<scenario>.txt` in blocks, `.table.txt` one
//! line per action, `.json`).
//! `UPDATE_GOLDEN=1 cargo test --lib plan::tests::golden` rewrites them; never under `CI`.

use super::*;
use crate::model::UserStatus::*;
use crate::policy::{ActivationMode, OnConflict, OrphanPolicy, TerminationAction};
use chrono_tz::{America, Asia, Europe, Pacific};
use std::path::PathBuf;

fn check(name: &str, ext: &str, actual: &str) {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("src/plan/golden")
        .join(format!("{name}.{ext}"));
    let update = std::env::var_os("UPDATE_GOLDEN").is_some_and(|v| v == "1")
        && std::env::var_os("CI").is_none();
    if update {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, actual).unwrap();
        return;
    }
    let expected = std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!(
            "{}: {e}; run with UPDATE_GOLDEN=1 to create it",
            path.display()
        )
    });
    assert!(
        expected == actual,
        "{} differs from the rendered plan (run with UPDATE_GOLDEN=1 to accept):\n--- expected\n{expected}\n--- actual\n{actual}",
        path.display()
    );
}

fn golden(name: &str, plan: &Plan) {
    check(name, "txt", &render::to_text(plan));
    let table = render::TextOptions {
        layout: render::Layout::Table,
        colour: false,
    };
    check(name, "table.txt", &render::to_text_with(plan, table));
    check(name, "json", &render::to_json(plan));
}

/// A company on 2026-12-01 around the world: starters, a rehire, a leaver, a diacritics name,
/// a manager hired with their report, a conflict with an admin and an orphan.
fn company() -> (Vec<crate::model::Employee>, Vec<OktaUser>) {
    let employees = vec![
        emp("1001", "Grace", "Hopper").zone(America::Los_Angeles),
        emp("1002", "Zoë", "Ångström")
            .with("email", "zoe.angstrom@example.com")
            .starting("2026-12-01")
            .zone(Pacific::Auckland)
            .managed_by("1001"),
        emp("1003", "José", "Núñez")
            .starting("2026-12-07")
            .zone(Europe::London)
            .managed_by("1009"),
        emp("1004", "Søren", "Kierkegård")
            .terminating("2026-11-30")
            .zone(Europe::London),
        emp("1005", "Ada", "Lovelace").with("department", "Research"),
        emp("1006", "Łukasz", "Wójcik")
            .starting("2026-11-30")
            .terminating("2025-03-31")
            .zone(Asia::Tokyo),
        emp("1009", "Hedy", "Lamarr").starting("2026-12-07"),
        emp("1010", "Alan", "Turing").with("email", "admin@example.com"),
    ];
    let users = vec![
        user_for("00u1001", &employees[0], Active),
        user_for("00u1002", &employees[1], Staged),
        user_for("00u1004", &employees[3], Active),
        user_for("00u1005", &emp("1005", "Ada", "Lovelace"), Active),
        user_for("00u1006", &employees[5], Deprovisioned),
        user("00uadmin", "admin@example.com", None, Active),
        user("00u0999", "old.timer@example.com", Some("0999"), Active),
    ];
    (employees, users)
}

fn company_policy() -> Policy {
    let mut p = policy();
    p.mapping
        .attributes
        .insert("manager".into(), attr("{manager.okta_login}"));
    p.mapping
        .attributes
        .insert("managerId".into(), attr("{manager.okta_id}"));
    p
}

#[test]
fn golden_a_busy_day_renders_as_expected() {
    let (employees, users) = company();
    let p = run_with(&company_policy(), employees, &users, "2026-12-01T10:00:00Z");
    assert_eq!(p.counts().create, 2);
    golden("busy_day", &p);
}

#[test]
fn golden_held_back_deactivations_render_as_expected() {
    let mut p = company_policy();
    p.termination.orphans = OrphanPolicy::Deactivate;
    p.termination.action = TerminationAction::Suspend;
    p.mapping.on_conflict = OnConflict::Adopt;
    p.safety.max_deactivations_per_run = 1;
    let (employees, users) = company();
    let planned = run_with(&p, employees, &users, "2026-12-01T10:00:00Z");
    let (limited, blocked) = guard::limit_plan(planned, &p.safety, None);
    assert!(blocked.is_some());
    assert_eq!(limited.counts().held_back, 2);
    golden("held_back", &limited);
}

#[test]
fn golden_an_empty_plan_renders_as_expected() {
    let mut p = company_policy();
    p.activation.mode = ActivationMode::Never;
    let e = emp("1", "Ada", "Lovelace");
    let plan = run_with(
        &p,
        vec![e.clone()],
        &[user_for("00u1", &e, Active)],
        "2026-12-01T10:00:00Z",
    );
    assert!(plan.is_empty());
    golden("empty", &plan);
}
