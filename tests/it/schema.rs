//! Okta's user schema through the binary (issue 17): a mapped attribute the schema lacks is
//! named by `check` (exit 1) and stops `sync` before any write; `schema plan` shows it and
//! `schema apply` adds it, after which a sync creates everyone; integer and boolean custom
//! attributes round-trip with zero writes on the second run; a unique anchor created by
//! `schema apply` makes Okta itself refuse a second account for one person.

use crate::reliability::org::{Org, Setup, text};
use hrsync::emulator::{CustomProperty, EmulatorConfig};
use serde_json::json;

/// Three employees with a badge number and a remote flag.
fn hr() -> String {
    let mut csv = String::from(
        "id,first_name,last_name,email,department,manager_id,status,start_date,termination_date,site_timezone,badge,remote\n",
    );
    for i in 1..=3 {
        csv.push_str(&format!(
            "{},First{i},Last{i},first{i}.last{i}@example.com,Dept{i},,Active,2024-01-15,,Europe/London,{},{}\n",
            1000 + i,
            40 + i,
            if i % 2 == 0 { "true" } else { "false" },
        ));
    }
    csv
}

/// The mapping section: Okta's four required attributes plus `extra` lines.
fn mapping(extra: &str) -> String {
    format!(
        "\n[mapping]\nlogin = \"{{email|lower}}\"\nemail = \"{{email|lower}}\"\nfirstName = \"{{first_name}}\"\nlastName = \"{{last_name}}\"\n{extra}\n"
    )
}

fn setup(okta: &str, mapping_extra: &str) -> Setup {
    Setup {
        okta: okta.to_owned(),
        extra: mapping(mapping_extra),
        ..Setup::default()
    }
}

/// The 1-based line of the config on which `needle` starts.
fn line_of(org: &Org, needle: &str) -> usize {
    let config = std::fs::read_to_string(org.config_path()).unwrap();
    config
        .lines()
        .position(|l| l.starts_with(needle))
        .map(|i| i + 1)
        .unwrap_or_else(|| panic!("{needle} not in {config}"))
}

#[tokio::test]
async fn an_unmapped_attribute_is_named_by_check_stops_sync_unwritten_and_schema_apply_fixes_it() {
    let org = Org::start_with(
        &hr(),
        EmulatorConfig::default(),
        setup(
            "",
            "badgeNumber = \"{badge}\"\n[mapping.types]\nbadgeNumber = \"integer\"",
        ),
    )
    .await;
    let line = line_of(&org, "badgeNumber = \"{badge}\"");

    let check = org.hrsync(&["check"]).await;
    assert_eq!(check.status.code(), Some(1), "{}", text(&check));
    let shown = String::from_utf8_lossy(&check.stdout);
    assert!(
        shown.contains("missing: badgeNumber (mapping.badgeNumber at "),
        "{}",
        text(&check)
    );
    assert!(
        shown.contains(&format!("hrsync.toml:{line})")),
        "{}",
        text(&check)
    );
    assert!(shown.contains("hrsync schema apply"), "{}", text(&check));

    org.emulator.reset_stats();
    let sync = org.hrsync(&["sync"]).await;
    assert_eq!(sync.status.code(), Some(1), "{}", text(&sync));
    assert_eq!(org.emulator.stats().writes(), 0, "{}", text(&sync));
    let err = String::from_utf8_lossy(&sync.stderr);
    for part in [
        "badgeNumber",
        &format!("hrsync.toml:{line}"),
        "Profile Editor",
        "hrsync schema apply",
    ] {
        assert!(err.contains(part), "{part} missing from {}", text(&sync));
    }

    let plan = org.hrsync(&["schema", "plan"]).await;
    assert_eq!(plan.status.code(), Some(0), "{}", text(&plan));
    assert!(
        String::from_utf8_lossy(&plan.stdout).contains("+ badgeNumber (integer)"),
        "{}",
        text(&plan)
    );
    assert_eq!(
        org.emulator.stats().writes(),
        0,
        "schema plan writes nothing"
    );

    let apply = org.hrsync(&["schema", "apply"]).await;
    assert_eq!(apply.status.code(), Some(0), "{}", text(&apply));
    assert!(
        String::from_utf8_lossy(&apply.stdout).contains("added badgeNumber (integer)"),
        "{}",
        text(&apply)
    );
    let schema = org.emulator.schema_json();
    assert_eq!(
        schema["definitions"]["custom"]["properties"]["badgeNumber"]["type"],
        json!("integer")
    );
    assert_eq!(
        org.emulator.stats().count("POST", "/api/v1/meta/schemas"),
        1,
        "one batched POST"
    );

    let sync = org.hrsync(&["sync"]).await;
    assert_eq!(sync.status.code(), Some(0), "{}", text(&sync));
    let badges: Vec<serde_json::Value> = org
        .emulator
        .users_json()
        .iter()
        .map(|u| u["profile"]["badgeNumber"].clone())
        .collect();
    assert_eq!(badges.len(), 3);
    assert!(badges.iter().all(serde_json::Value::is_i64), "{badges:?}");
    let again = org.hrsync(&["schema", "apply"]).await;
    assert!(
        String::from_utf8_lossy(&again.stdout).contains("nothing to add"),
        "{}",
        text(&again)
    );
}

#[tokio::test]
async fn integer_and_boolean_custom_attributes_round_trip_and_the_second_sync_writes_nothing() {
    let emulator = EmulatorConfig::default()
        .custom_property("badgeNumber", CustomProperty::integer())
        .custom_property("remote", CustomProperty::boolean());
    let org = Org::start_with(
        &hr(),
        emulator,
        setup("", "badgeNumber = \"{badge}\"\nremote = \"{remote}\""),
    )
    .await;
    let first = org.hrsync(&["sync"]).await;
    assert_eq!(first.status.code(), Some(0), "{}", text(&first));
    let users = org.emulator.users_json();
    assert_eq!(users.len(), 3);
    let two = users
        .iter()
        .find(|u| u["profile"]["employeeNumber"] == json!("1002"))
        .unwrap();
    assert_eq!(two["profile"]["badgeNumber"], json!(42));
    assert_eq!(two["profile"]["remote"], json!(true));

    org.emulator.reset_stats();
    let second = org.hrsync(&["sync"]).await;
    assert_eq!(second.status.code(), Some(0), "{}", text(&second));
    assert_eq!(org.emulator.stats().writes(), 0, "{}", text(&second));
    assert_eq!(
        org.emulator.stats().count("GET", "/api/v1/meta/schemas"),
        1,
        "the schema is read once per run"
    );

    // A badge that is not a number refuses that one record; the others are untouched.
    org.write_hr(&hr().replace(",41,", ",B-41,"));
    let third = org.hrsync(&["sync"]).await;
    let shown = text(&third);
    for part in ["1001", "badgeNumber", "\"B-41\"", "integer"] {
        assert!(shown.contains(part), "{part} missing from {shown}");
    }
    assert_eq!(org.emulator.stats().writes(), 0, "{shown}");
}

#[tokio::test]
async fn a_unique_anchor_created_by_schema_apply_makes_okta_refuse_a_second_account() {
    let org = Org::start_with(
        &hr(),
        EmulatorConfig::default(),
        setup("anchor_attribute = \"hrEmployeeId\"", ""),
    )
    .await;
    let check = org.hrsync(&["check"]).await;
    assert_eq!(check.status.code(), Some(1), "{}", text(&check));
    assert!(
        String::from_utf8_lossy(&check.stdout)
            .contains("missing: hrEmployeeId (okta.anchor_attribute)"),
        "{}",
        text(&check)
    );
    let apply = org.hrsync(&["schema", "apply"]).await;
    assert!(
        String::from_utf8_lossy(&apply.stdout).contains("added hrEmployeeId (string, unique)"),
        "{}",
        text(&apply)
    );
    let prop = &org.emulator.schema_json()["definitions"]["custom"]["properties"]["hrEmployeeId"];
    assert_eq!(prop["unique"], json!("UNIQUE_VALIDATED"));
    let sync = org.hrsync(&["sync"]).await;
    assert_eq!(sync.status.code(), Some(0), "{}", text(&sync));

    // A forced second account for employee 1001 under another login: Okta refuses it.
    let okta = hrsync::okta::OktaClient::new(&org.config().okta).unwrap();
    let mut profile = hrsync::model::Profile::new();
    for (k, v) in [
        ("login", "someone.else@example.com"),
        ("email", "someone.else@example.com"),
        ("firstName", "Some"),
        ("lastName", "One"),
        ("hrEmployeeId", "1001"),
    ] {
        profile.insert(k.into(), json!(v));
    }
    let err = hrsync::okta::OktaWrite::create_user(&okta, &profile, false)
        .await
        .unwrap_err();
    assert!(err.to_string().contains("hrEmployeeId"), "{err}");
    assert_eq!(org.emulator.users_json().len(), 3);

    let check = org.hrsync(&["check"]).await;
    assert!(
        !String::from_utf8_lossy(&check.stdout).contains("is not unique"),
        "{}",
        text(&check)
    );
}

#[tokio::test]
async fn check_warns_when_the_anchor_attribute_is_not_unique_in_okta() {
    let org = Org::start_with(&hr(), EmulatorConfig::default(), Setup::default()).await;
    let check = org.hrsync(&["check"]).await;
    let shown = String::from_utf8_lossy(&check.stdout);
    assert!(
        shown.contains("warning: the anchor attribute employeeNumber is not unique"),
        "{}",
        text(&check)
    );
}

#[tokio::test]
async fn schema_apply_without_a_super_or_org_admin_token_refuses_naming_the_permission_and_adds_nothing()
 {
    let emulator = EmulatorConfig {
        token_owner_roles: vec!["USER_ADMIN".into()],
        ..EmulatorConfig::default()
    };
    let org = Org::start_with(&hr(), emulator, setup("", "badgeNumber = \"{badge}\"")).await;
    let apply = org.hrsync(&["schema", "apply"]).await;
    assert_eq!(apply.status.code(), Some(1), "{}", text(&apply));
    let err = String::from_utf8_lossy(&apply.stderr);
    for part in [
        "Super or Org Administrator",
        "okta.schemas.manage",
        "nothing was added",
    ] {
        assert!(err.contains(part), "{part} missing from {}", text(&apply));
    }
    assert!(
        org.emulator.schema_json()["definitions"]["custom"]["properties"]
            .get("badgeNumber")
            .is_none()
    );
}

#[tokio::test]
async fn a_create_okta_refuses_for_a_duplicate_unique_anchor_is_a_conflict_not_retried_under_another_login()
 {
    use hrsync::apply::{ApplyOptions, apply};
    use hrsync::journal::{RunMode, RunStart};
    use hrsync::plan::{Action, Plan, PlannedAction, Reason};

    let emulator = EmulatorConfig::default()
        .custom_property("hrEmployeeId", CustomProperty::string().unique());
    let org = Org::start_with(
        &hr(),
        emulator,
        setup("anchor_attribute = \"hrEmployeeId\"", ""),
    )
    .await;
    let first = org.hrsync(&["sync"]).await;
    assert_eq!(first.status.code(), Some(0), "{}", text(&first));
    // A plan that (wrongly) creates a second account for 1001 under another login.
    let mut profile = hrsync::model::Profile::new();
    for (k, v) in [
        ("login", "first1.last1.2@example.com"),
        ("email", "first1.last1.2@example.com"),
        ("firstName", "First1"),
        ("lastName", "Last1"),
        ("hrEmployeeId", "1001"),
    ] {
        profile.insert(k.into(), json!(v));
    }
    let plan = Plan {
        at: chrono::Utc::now(),
        actions: vec![PlannedAction {
            employee_id: Some(hrsync::model::EmployeeId::parse("1001").unwrap()),
            okta_id: None,
            login: Some("first1.last1.2@example.com".into()),
            action: Action::Create {
                profile,
                activate: false,
            },
            reason: Reason::NewHire,
            fills: Default::default(),
        }],
        findings: vec![],
        next_wakeup: None,
        managed_users: 3,
    };
    let deps = org.deps();
    let run = deps
        .journal
        .begin_run(&RunStart {
            started_at: chrono::Utc::now(),
            mode: RunMode::Sync,
            trigger: "test".into(),
            snapshot_employees: 3,
            snapshot_rejected: 0,
            epoch: None,
        })
        .unwrap();
    org.emulator.reset_stats();
    let options = ApplyOptions {
        concurrency: 1,
        shutdown: None,
        anchor_attribute: "hrEmployeeId".into(),
        fence: None,
    };
    let report = apply(
        &plan,
        &deps.okta,
        &deps.journal,
        run,
        &options,
        &hrsync::progress::Progress::default(),
    )
    .await
    .unwrap();
    assert_eq!(report.failed(), 1);
    assert_eq!(
        report.anchor_conflicts,
        vec![hrsync::model::EmployeeId::parse("1001").unwrap()]
    );
    assert_eq!(
        org.emulator.stats().count("POST", "/api/v1/users"),
        1,
        "one attempt, no other login tried"
    );
    assert_eq!(org.emulator.users_json().len(), 3);
}
