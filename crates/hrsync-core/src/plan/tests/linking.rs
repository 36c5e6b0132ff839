//! Linking, login uniqueness, conflicts and adoption, managers, and profile mapping details.

use super::*;
use crate::model::UserStatus::*;
use crate::policy::{OnConflict, OnEmpty};
use serde_json::json;

const NOW: &str = "2026-12-01T12:00:00Z";

#[test]
fn a_login_collision_with_an_unmanaged_admin_is_reported_and_nothing_is_done() {
    let admin = user("00uadmin", "Ada.Lovelace@example.com", None, Active);
    let plan = run(vec![emp("100", "Ada", "Lovelace")], &[admin], NOW);
    assert!(plan.is_empty(), "{:?}", summary(&plan));
    assert_eq!(finding_summary(&plan), ["Conflict:login_conflict"]);
    assert!(plan.findings[0].detail.contains("on_conflict = report"));
    assert_eq!(
        plan.findings[0].okta_id.as_ref().unwrap().as_str(),
        "00uadmin"
    );
}

#[test]
fn with_on_conflict_adopt_the_user_is_stamped_with_the_anchor_and_then_managed() {
    let mut p = policy();
    p.mapping.on_conflict = OnConflict::Adopt;
    let admin = user("00uadmin", "ada.lovelace@example.com", None, Staged);
    let plan = run_with(&p, vec![emp("100", "Ada", "Lovelace")], &[admin], NOW);
    assert_eq!(
        summary(&plan),
        ["update:100:adopted", "activate:100:start_date_reached"]
    );
    let changes = changes_of(&plan, "100");
    assert_eq!(changes["employeeNumber"].new, Some(json!("100")));
    assert_eq!(changes["employeeNumber"].old, None);
    assert_eq!(changes["firstName"].new, Some(json!("Ada")));
}

#[test]
fn a_deactivated_unanchored_user_with_the_login_is_not_adopted() {
    let mut p = policy();
    p.mapping.on_conflict = OnConflict::Adopt;
    let old = user("00uold", "ada.lovelace@example.com", None, Deprovisioned);
    let plan = run_with(&p, vec![emp("100", "Ada", "Lovelace")], &[old], NOW);
    assert!(plan.is_empty());
    assert_eq!(finding_summary(&plan), ["Conflict:login_conflict"]);
}

#[test]
fn a_login_taken_by_another_employee_falls_back_then_gets_a_numeric_suffix() {
    // Logins from the first name only; each person has their own mailbox.
    let mut p = policy();
    p.mapping
        .attributes
        .insert("login".into(), attr("{first_name|ascii|lower}@example.com"));
    let first = emp("1", "Ada", "Kowalski").with("email", "ada.k1@example.com");
    let second = emp("2", "Ada", "Kowalski").with("email", "ada.k2@example.com");
    let third = emp("3", "ADA", "Kowalski").with("email", "ada.k3@example.com");
    let plan = run_with(&p, vec![third, second, first], &[], NOW);
    let logins: Vec<_> = ["1", "2", "3"]
        .iter()
        .map(|id| create_of(&plan, id).0["login"].clone())
        .collect();
    assert_eq!(
        logins,
        [
            json!("ada@example.com"),
            json!("ada.kowalski@example.com"),
            json!("ada.kowalski2@example.com")
        ]
    );
    // Email stays the HR email.
    assert_eq!(create_of(&plan, "3").0["email"], "ada.k3@example.com");
    // The two that did not get the login they asked for are named, with the reason.
    let notices: Vec<_> = plan
        .findings
        .iter()
        .filter(|f| f.kind == FindingKind::Notice)
        .map(|f| (f.employee_id.as_ref().unwrap().to_string(), f.reason))
        .collect();
    assert_eq!(
        notices,
        [
            ("2".to_owned(), Reason::LoginConflict),
            ("3".to_owned(), Reason::LoginConflict)
        ]
    );
    assert!(
        plan.findings
            .iter()
            .any(|f| f.detail.contains("ada@example.com is taken"))
    );
}

#[test]
fn records_sharing_a_mailbox_get_no_account_with_another_persons_email() {
    let first = emp("1", "Ada", "Kowalski").with("email", "ada@example.com");
    let second = emp("2", "Ada", "Nowak").with("email", "ADA@example.com");
    let plan = run(vec![second.clone(), first.clone()], &[], NOW);
    assert!(plan.is_empty(), "{:?}", summary(&plan));
    assert_eq!(
        finding_summary(&plan),
        ["Conflict:shared_email", "Conflict:shared_email"]
    );
    assert!(
        plan.findings[1].detail.contains("is also employee 1's"),
        "{:?}",
        plan.findings
    );
    // One of them already has the account: only the other is refused, naming the account.
    let own = user_for("00u1", &first, Active);
    let plan = run(vec![second, first], &[own], NOW);
    assert!(plan.is_empty(), "{:?}", summary(&plan));
    assert_eq!(finding_summary(&plan), ["Conflict:shared_email"]);
    assert!(
        plan.findings[0]
            .detail
            .contains("employee 1, Okta user 00u1 (ACTIVE, login ada@example.com)"),
        "{:?}",
        plan.findings
    );
}

#[test]
fn an_address_freed_by_a_rename_in_the_same_run_is_free_for_a_new_hire() {
    let mut old = emp("1", "Ada", "Kowalski").with("email", "ada.k@example.com");
    let u = user_for(
        "00u1",
        &old.clone().with("email", "ada@example.com"),
        Active,
    );
    old = old.with("email", "ada.k@example.com");
    let new = emp("2", "Ada", "Nowak").with("email", "ada@example.com");
    let plan = run(vec![old, new], &[u], NOW);
    assert_eq!(
        summary(&plan),
        ["create:2:new_hire", "update:1:profile_changed"]
    );
}

#[test]
fn a_name_with_diacritics_collides_accent_insensitively_and_keeps_its_accents_elsewhere() {
    let zoe = emp("100", "Zoë", "Ångström").with("email", "zoë.ångström@example.com");
    let other = user("00uz", "zoe.angstrom@example.com", Some("55"), Active);
    let plan = run(vec![zoe, emp("55", "Zoe", "Angstrom")], &[other], NOW);
    let (profile, _) = create_of(&plan, "100");
    assert_eq!(profile["login"], "zoe.angstrom2@example.com");
    assert_eq!(profile["firstName"], "Zoë");
    assert_eq!(profile["lastName"], "Ångström");
}

#[test]
fn an_email_change_updates_login_and_email_only() {
    let before = emp("100", "Ada", "Lovelace").with("email", "ada@example.com");
    let u = user_for("00u1", &before, Active);
    let after = before.with("email", "ada.byron@example.com");
    let plan = run(vec![after], &[u], NOW);
    assert_eq!(summary(&plan), ["update:100:profile_changed"]);
    let changes = changes_of(&plan, "100");
    assert_eq!(changes.keys().collect::<Vec<_>>(), ["email", "login"]);
    assert_eq!(changes["login"].old, Some(json!("ada@example.com")));
    assert_eq!(changes["login"].new, Some(json!("ada.byron@example.com")));
}

#[test]
fn a_user_created_with_a_fallback_login_keeps_it_in_later_runs() {
    let e = emp("2", "Ada", "Kowalski").with("email", "ada@example.com");
    let mut mine = user_for("00u2", &e, Active);
    mine.profile
        .insert("login", json!("ada.kowalski@example.com"));
    let theirs = user_for(
        "00u1",
        &emp("1", "Ada", "K").with("email", "ada@example.com"),
        Active,
    );
    let plan = run(
        vec![e, emp("1", "Ada", "K").with("email", "ada@example.com")],
        &[mine, theirs],
        NOW,
    );
    assert!(plan.is_empty(), "{:?}", summary(&plan));
}

fn manager_mapping() -> Policy {
    let mut p = policy();
    p.mapping
        .attributes
        .insert("manager".into(), attr("{manager.okta_login}"));
    p.mapping
        .attributes
        .insert("managerId".into(), attr("{manager.okta_id}"));
    p.mapping
        .attributes
        .insert("title".into(), attr("{manager.first_name}'s team"));
    p
}

#[test]
fn a_manager_created_in_the_same_run_is_created_first_and_named_by_login() {
    let p = manager_mapping();
    let boss = emp("9", "Grace", "Hopper");
    let report = emp("1", "Ada", "Lovelace").managed_by("9");
    let plan = run_with(&p, vec![report.clone(), boss.clone()], &[], NOW);
    assert_eq!(summary(&plan), ["create:9:new_hire", "create:1:new_hire"]);
    let (profile, _) = create_of(&plan, "1");
    assert_eq!(profile["manager"], "grace.hopper@example.com");
    assert_eq!(profile["title"], "Grace's team");
    assert!(
        !profile.contains_key("managerId"),
        "the manager's Okta id is not known yet"
    );
    // The plan refers to the manager's create for it: one write per person, nothing left.
    let fill = &plan.actions[1].fills["managerId"];
    assert_eq!(fill.created_for.as_str(), "9");
    let mut users = Vec::new();
    apply(&plan, &mut users);
    let boss_id = users[0].id.as_str().to_owned();
    assert_eq!(users[1].profile.get("managerId"), Some(&json!(boss_id)));
    assert!(run_with(&p, vec![report, boss], &users, NOW).is_empty());
}

#[test]
fn an_existing_report_of_a_new_manager_gets_one_update_that_refers_to_the_create() {
    let p = manager_mapping();
    let boss = emp("9", "Grace", "Hopper");
    let report = emp("1", "Ada", "Lovelace").managed_by("9");
    let mut u = user_for("00u1", &report, Active);
    u.profile
        .insert("manager", json!("grace.hopper@example.com"));
    u.profile.insert("title", json!("Grace's team"));
    let plan = run_with(&p, vec![report.clone(), boss.clone()], &[u.clone()], NOW);
    assert_eq!(
        summary(&plan),
        ["create:9:new_hire", "update:1:profile_changed"]
    );
    assert!(changes_of(&plan, "1").is_empty(), "only the reference");
    assert_eq!(plan.actions[1].fills["managerId"].created_for.as_str(), "9");
    let mut users = vec![u];
    apply(&plan, &mut users);
    assert!(run_with(&p, vec![report, boss], &users, NOW).is_empty());
}

#[test]
fn a_management_cycle_among_new_hires_never_makes_two_creates_wait_for_each_other() {
    let p = manager_mapping();
    let a = emp("1", "Ada", "Lovelace").managed_by("2");
    let b = emp("2", "Grace", "Hopper").managed_by("1");
    let plan = run_with(&p, vec![a.clone(), b.clone()], &[], NOW);
    assert_eq!(summary(&plan), ["create:1:new_hire", "create:2:new_hire"]);
    assert!(plan.actions.iter().all(|x| x.fills.is_empty()));
    // The next run fills both ids from the real users.
    let mut users = Vec::new();
    apply(&plan, &mut users);
    let again = run_with(&p, vec![a.clone(), b.clone()], &users, NOW);
    assert_eq!(
        summary(&again),
        ["update:1:profile_changed", "update:2:profile_changed"]
    );
    apply(&again, &mut users);
    assert!(run_with(&p, vec![a, b], &users, NOW).is_empty());
}

#[test]
fn a_missing_manager_leaves_the_manager_attributes_alone() {
    let p = manager_mapping();
    let report = emp("1", "Ada", "Lovelace").managed_by("404");
    let plan = run_with(&p, vec![report.clone()], &[], NOW);
    let (profile, _) = create_of(&plan, "1");
    assert!(!profile.contains_key("manager"));
    assert!(!profile.contains_key("managerId"));
    let mut u = user_for("00u1", &report, Active);
    u.profile.insert("manager", json!("someone@example.com"));
    assert!(run_with(&p, vec![report], &[u], NOW).is_empty());
}

#[test]
fn value_maps_translate_and_on_empty_clear_blanks_the_attribute() {
    let mut p = policy();
    let dept = p.mapping.attributes.get_mut("department").unwrap();
    dept.values.insert("ENG".into(), "Engineering".into());
    let mut title = attr("{title}");
    title.on_empty = OnEmpty::Clear;
    p.mapping.attributes.insert("title".into(), title);
    p.mapping
        .attributes
        .insert("nickName".into(), attr("{nick}"));
    let e = emp("100", "Ada", "Lovelace").with("department", "ENG");
    let mut u = user_for("00u1", &e, Active);
    u.profile.insert("department", json!("Engineering"));
    u.profile.insert("title", json!("Countess"));
    u.profile.insert("nickName", json!("Ada"));
    let plan = run_with(&p, vec![e], &[u], NOW);
    let changes = changes_of(&plan, "100");
    assert_eq!(
        changes.keys().collect::<Vec<_>>(),
        ["title"],
        "nickName is kept"
    );
    assert_eq!(changes["title"].new, None);
    assert_eq!(changes["title"].old, Some(json!("Countess")));
}

#[test]
fn a_mapping_error_names_the_employee_and_attribute_and_skips_only_the_profile() {
    let mut p = policy();
    p.mapping
        .attributes
        .insert("hired".into(), attr("{hire_day|date:%Y-%m-%d}"));
    let e = emp("100", "Ada", "Lovelace").with("hire_day", "next tuesday");
    let plan = run_with(&p, vec![e.clone()], &[], NOW);
    assert!(plan.is_empty());
    assert_eq!(finding_summary(&plan), ["Skip:mapping_failed"]);
    let detail = &plan.findings[0].detail;
    assert!(
        detail.contains("employee 100") && detail.contains("attribute hired"),
        "{detail}"
    );
    // A linked user still gets its lifecycle actions.
    let plan = run_with(&p, vec![e.clone()], &[user_for("00u1", &e, Staged)], NOW);
    assert_eq!(summary(&plan), ["activate:100:start_date_reached"]);
}

#[test]
fn an_employee_without_a_usable_login_is_skipped() {
    let mut p = policy();
    p.mapping.login_fallbacks.clear();
    let e = emp("100", "Ada", "Lovelace").without("email");
    let plan = run_with(&p, vec![e], &[], NOW);
    assert!(plan.is_empty());
    assert_eq!(finding_summary(&plan), ["Skip:mapping_failed"]);
}

#[test]
fn two_live_users_with_the_same_anchor_are_a_conflict() {
    let e = emp("100", "Ada", "Lovelace");
    let a = user_for("00u1", &e, Active);
    let mut b = user_for("00u2", &e, Staged);
    b.profile.insert("login", json!("other@example.com"));
    let plan = run(vec![e.clone()], &[a.clone(), b], NOW);
    assert!(plan.is_empty());
    assert_eq!(finding_summary(&plan), ["Conflict:duplicate_anchor"]);
    // A deactivated duplicate is ignored.
    let mut c = user_for("00u0", &e, Deprovisioned);
    c.profile.insert("login", json!("old@example.com"));
    assert!(run(vec![e], &[a, c], NOW).is_empty());
}

#[test]
fn numeric_anchors_link_like_strings() {
    let e = emp("100", "Ada", "Lovelace");
    let mut u = user_for("00u1", &e, Active);
    u.profile.insert("employeeNumber", json!(100));
    let plan = run(vec![e], &[u], NOW);
    assert_eq!(summary(&plan), ["update:100:profile_changed"]);
    assert_eq!(plan.managed_users, 1);
}

#[test]
fn planning_does_not_depend_on_input_order() {
    let employees = vec![
        emp("3", "Ada", "K").with("email", "ada@example.com"),
        emp("1", "Ada", "K").with("email", "ada@example.com"),
        emp("2", "Bob", "B").terminating("2026-01-01"),
    ];
    let users = vec![
        user_for("00u2", &emp("2", "Bob", "B"), Active),
        user("00u9", "x@example.com", Some("77"), Active),
        user("00u8", "y@example.com", Some("78"), Staged),
    ];
    let a = run(employees.clone(), &users, NOW);
    let mut e2 = employees;
    e2.reverse();
    let mut u2 = users;
    u2.reverse();
    let b = run(e2, &u2, NOW);
    assert_eq!(a, b);
    assert_eq!(render::to_json(&a), render::to_json(&b));
}

#[test]
fn of_two_records_with_one_id_the_first_is_used_and_the_second_reported() {
    let first = emp("100", "Ada", "Lovelace");
    let second = emp("100", "Eve", "Impostor");
    let plan = run(vec![first, second], &[], NOW);
    assert_eq!(create_of(&plan, "100").0["firstName"], "Ada");
    assert_eq!(finding_summary(&plan), ["Skip:mapping_failed"]);
    assert!(
        plan.findings[0]
            .detail
            .contains("duplicate employee id 100")
    );
}

#[test]
fn an_anchor_in_nfd_or_as_a_whole_number_links_to_the_canonical_employee_id() {
    let e = emp("Zo\u{e9}1", "Zoe", "Angstrom");
    let mut u = user_for("00u1", &e, Active);
    u.profile.insert("employeeNumber", json!("Zoe\u{301}1"));
    // Linked: the only change rewrites the anchor in its canonical form.
    let plan = run(vec![e], &[u], NOW);
    assert_eq!(summary(&plan), ["update:Zo\u{e9}1:profile_changed"]);
    let Action::Update { changes } = &plan.actions[0].action else {
        panic!("an update expected")
    };
    assert_eq!(changes.keys().collect::<Vec<_>>(), ["employeeNumber"]);
    let e = emp("1000", "Ada", "Lovelace");
    let mut u = user_for("00u2", &e, Active);
    u.profile.insert("employeeNumber", json!(1000.0));
    let plan = run(vec![e], &[u], NOW);
    assert!(
        plan.actions.iter().all(|a| a.okta_id.is_some()),
        "no second account: {:?}",
        summary(&plan)
    );
}

#[test]
fn two_people_who_swap_emails_end_with_each_others_login_within_two_runs() {
    let a = emp("1", "Ada", "Kowalski").with("email", "ada@example.com");
    let b = emp("2", "Bea", "Nowak").with("email", "bea@example.com");
    let mut users = vec![user_for("00u1", &a, Active), user_for("00u2", &b, Active)];
    let a = a.with("email", "bea@example.com");
    let b = b.with("email", "ada@example.com");
    for _ in 0..2 {
        let plan = run(vec![a.clone(), b.clone()], &users, NOW);
        apply(&plan, &mut users);
    }
    let login = |id: &str| {
        users
            .iter()
            .find(|u| u.id.as_str() == id)
            .and_then(|u| u.login().map(str::to_owned))
    };
    assert_eq!(login("00u1").as_deref(), Some("bea@example.com"));
    assert_eq!(login("00u2").as_deref(), Some("ada@example.com"));
    assert!(run(vec![a, b], &users, NOW).is_empty());
}

#[test]
fn a_plan_restricted_to_a_report_drops_its_reference_to_a_manager_it_does_not_create() {
    let p = manager_mapping();
    let boss = emp("9", "Grace", "Hopper");
    let report = emp("1", "Ada", "Lovelace").managed_by("9");
    let mut existing = user_for("00u1", &report, Active);
    existing
        .profile
        .insert("manager", json!("grace.hopper@example.com"));
    existing.profile.insert("title", json!("Grace's team"));
    let only = |ids: &[&str]| {
        ids.iter()
            .map(|i| crate::model::EmployeeId::parse(i).unwrap())
            .collect::<std::collections::BTreeSet<_>>()
    };
    let mut fresh = run_with(&p, vec![report.clone(), boss.clone()], &[], NOW);
    fresh.restrict_to(&only(&["1"]));
    assert_eq!(summary(&fresh), ["create:1:new_hire"]);
    assert!(fresh.actions[0].fills.is_empty());
    // An update made only of the reference goes altogether.
    let mut linked = run_with(&p, vec![report.clone(), boss.clone()], &[existing], NOW);
    linked.restrict_to(&only(&["1"]));
    assert!(linked.is_empty(), "{:?}", summary(&linked));
    let mut both = run_with(&p, vec![report, boss], &[], NOW);
    both.restrict_to(&only(&["1", "9"]));
    assert_eq!(both.actions[1].fills.len(), 1);
}
