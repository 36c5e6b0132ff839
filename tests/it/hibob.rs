//! The HiBob source against the bob fake: realistic §4 shapes (nested and flat keys), named
//! lists, 429s, server errors, a withheld (missing-permission) field and auth failures.

use crate::bob_data::*;
use crate::bob_fake::{BobFake, Scripted, TOKEN, USER};
use hrsync::source::SourceError;
use hrsync::source::hibob::HiBobSource;
use serde_json::json;
use std::collections::HashMap;
use std::time::Duration;

#[tokio::test]
async fn a_search_reads_everyone_with_show_inactive_and_flattens_every_notation() {
    let fake = BobFake::start(vec![ada(), ben_prehire(), chloe_leaver()], lists()).await;
    let records = source(&fake).fetch_records().await.unwrap().records;

    assert_eq!(records.len(), 3, "pre-hires and leavers are included");
    let ada = &records[0];
    assert_eq!(ada.origin, "hibob:3401928374650192837");
    assert_eq!(ada.fields["root.email"], "ada.kowalski@example.com");
    assert_eq!(
        ada.fields["work.department"], "Data Platform",
        "list id resolved"
    );
    assert_eq!(ada.fields["work.reportsTo.id"], "3401928374650100001");
    assert_eq!(ada.fields["work.siteId"], "1842211");
    assert!(
        !ada.fields.contains_key("internal.terminationDate"),
        "null is absent"
    );
    assert!(ada.problems.is_empty());

    let ben = &records[1];
    assert_eq!(ben.fields["root.id"], "3401928374650192900");
    assert_eq!(ben.fields["internal.lifecycleStatus"], "hired");
    assert_eq!(ben.fields["work.startDate"], "2026-12-07");
    assert_eq!(ben.fields["work.department"], "Engineering");

    let chloe = &records[2];
    assert_eq!(chloe.fields["root.firstName"], "Chloé");
    assert_eq!(chloe.fields["employee.lastDayOfWork"], "2026-05-29");

    let state = fake.state.lock().unwrap();
    assert_eq!(state.searches.len(), 1);
    let body = &state.searches[0];
    assert_eq!(body["showInactive"], true);
    assert!(body.get("filters").is_none(), "no empty filters array");
    let fields: Vec<&str> = body["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f.as_str().unwrap())
        .collect();
    for needed in [
        "root.id",
        "internal.status",
        "work.startDate",
        "internal.terminationDate",
        "employee.lastDayOfWork",
        "work.reportsTo",
        "work.custom.team",
    ] {
        assert!(
            fields.contains(&needed),
            "{needed} not requested: {fields:?}"
        );
    }
    assert_eq!(
        state.list_requests,
        vec!["department"],
        "each list is fetched once per fetch"
    );
    assert_eq!(state.unauthorized, 0);
}

#[tokio::test]
async fn an_unknown_list_item_refuses_that_record_naming_the_field_and_list() {
    let mut odd = ada();
    odd["work"]["department"] = json!("999");
    odd["/work/department"] = json!({"value": "999"});
    let fake = BobFake::start(vec![odd, chloe_leaver()], lists()).await;
    let records = source(&fake).fetch_records().await.unwrap().records;
    assert_eq!(records[0].problems.len(), 1);
    let problem = &records[0].problems[0];
    assert_eq!(problem.field.as_deref(), Some("work.department"));
    assert_eq!(problem.employee_id.as_deref(), Some("3401928374650192837"));
    assert!(problem.reason.contains("999") && problem.reason.contains("department"));
    assert!(
        !records[0].fields.contains_key("work.department"),
        "no id leaks"
    );
    assert!(records[1].problems.is_empty());
}

#[tokio::test]
async fn a_429_is_waited_out_per_the_headers_and_the_search_retried() {
    let fake = BobFake::start(vec![ada()], lists()).await;
    fake.script([
        Scripted::TooMany(vec![("retry-after", "0".to_owned())]),
        Scripted::TooMany(vec![("x-ratelimit-reset", "1".to_owned())]),
    ]);
    let began = std::time::Instant::now();
    let records = source(&fake).fetch_records().await.unwrap().records;
    assert_eq!(records.len(), 1);
    assert_eq!(fake.search_count(), 3);
    assert!(
        began.elapsed() >= Duration::from_millis(900),
        "the reset header's second was waited"
    );
}

#[tokio::test]
async fn a_rate_limit_that_never_lifts_fails_the_fetch_after_the_allowed_attempts() {
    let fake = BobFake::start(vec![ada()], lists()).await;
    fake.script((0..10).map(|_| Scripted::TooMany(vec![("retry-after", "0".to_owned())])));
    let err = source(&fake).fetch_records().await.unwrap_err();
    assert!(matches!(err, SourceError::Unreadable { .. }), "{err:?}");
    assert!(err.to_string().contains("429"), "{err}");
    assert_eq!(fake.search_count(), 4);
}

#[tokio::test]
async fn a_wait_longer_than_allowed_fails_at_once_instead_of_sleeping() {
    let fake = BobFake::start(vec![ada()], lists()).await;
    fake.script([Scripted::TooMany(vec![("retry-after", "3600".to_owned())])]);
    let err = source(&fake).fetch_records().await.unwrap_err();
    assert!(err.to_string().contains("rate limited"), "{err}");
    assert_eq!(fake.search_count(), 1);
}

#[tokio::test]
async fn a_server_error_is_retried() {
    let fake = BobFake::start(vec![ada()], lists()).await;
    fake.script([Scripted::ServerError(503), Scripted::ServerError(500)]);
    assert_eq!(
        source(&fake).fetch_records().await.unwrap().records.len(),
        1
    );
    assert_eq!(fake.search_count(), 3);
}

#[tokio::test]
async fn a_field_withheld_from_everyone_fails_the_fetch_naming_the_field_and_permission() {
    // The service user may not read the `internal` category: bob drops it with HTTP 200.
    let mut employees = vec![ada(), chloe_leaver()];
    for e in &mut employees {
        e.as_object_mut().unwrap().remove("internal");
    }
    let fake = BobFake::start(employees, lists()).await;
    let err = source(&fake).fetch_records().await.unwrap_err();
    match &err {
        SourceError::MissingField { field, message, .. } => {
            assert_eq!(field, "internal.status");
            assert!(message.contains("permission"), "{message}");
        }
        other => panic!("expected MissingField, got {other:?}"),
    }
}

#[tokio::test]
async fn a_field_missing_for_some_employees_only_is_not_a_permission_problem() {
    let mut partial = chloe_leaver();
    partial.as_object_mut().unwrap().remove("work");
    let fake = BobFake::start(vec![ada(), partial], lists()).await;
    let fetched = source(&fake).fetch_records().await.unwrap();
    assert!(!fetched.records[1].fields.contains_key("work.startDate"));
    assert!(!fetched.withheld.contains(&"work.startDate".to_owned()));
}

#[tokio::test]
async fn an_optional_field_returned_for_nobody_is_reported_as_withheld() {
    // Nobody has a termination date, a last day of work or the custom team field.
    let fake = BobFake::start(vec![ada()], lists()).await;
    let fetched = source(&fake).fetch_records().await.unwrap();
    assert_eq!(fetched.records.len(), 1);
    assert_eq!(
        fetched.withheld,
        vec![
            "employee.lastDayOfWork",
            "internal.terminationDate",
            "work.custom.team"
        ]
    );
}

#[tokio::test]
async fn wrong_credentials_stop_at_once_without_retrying_or_leaking_the_token() {
    let fake = BobFake::start(vec![ada()], lists()).await;
    let wrong = "wrong-token-value";
    let source = HiBobSource::with_retry(
        source_config(&fake, wrong),
        employee_config(),
        quick_retry(),
    )
    .unwrap();
    let err = source.fetch_records().await.unwrap_err();
    assert!(matches!(err, SourceError::Auth { .. }), "{err:?}");
    let text = format!("{err} {err:?} {source:?}");
    assert!(text.contains("401"), "{text}");
    assert!(!text.contains(wrong) && !text.contains(USER), "{text}");
    assert_eq!(fake.search_count(), 1, "never retried");
    assert!(
        fake.state.lock().unwrap().list_requests.is_empty(),
        "nothing else is sent after an auth failure"
    );
}

#[tokio::test]
async fn a_403_is_an_auth_error_that_names_the_permission_group() {
    let fake = BobFake::start(vec![ada()], lists()).await;
    fake.script([Scripted::Denied(403)]);
    let err = source(&fake).fetch_records().await.unwrap_err();
    assert!(matches!(err, SourceError::Auth { .. }), "{err:?}");
    assert!(err.to_string().contains("permission group"), "{err}");
    assert_eq!(fake.search_count(), 1);
}

#[tokio::test]
async fn a_missing_named_list_fails_the_fetch() {
    let fake = BobFake::start(vec![ada()], HashMap::new()).await;
    let err = source(&fake).fetch_records().await.unwrap_err();
    assert!(err.to_string().contains("404"), "{err}");
}

#[tokio::test]
async fn the_source_builds_a_snapshot_with_statuses_dates_managers_and_rejections() {
    use hrsync::model::EmploymentStatus;
    use hrsync::source::{AnySource, HrSource};

    let mut unknown_department = ada();
    unknown_department["id"] = json!("3401928374650100999");
    unknown_department["work"]["department"] = json!("999");
    unknown_department["/work/department"] = json!({"value": "999"});
    let fake = BobFake::start(
        vec![ada(), ben_prehire(), chloe_leaver(), unknown_department],
        lists(),
    )
    .await;
    let any = AnySource::from_config(
        &hrsync::config::SourceConfig::HiBob(source_config(&fake, TOKEN)),
        &employee_config(),
    )
    .unwrap();
    assert!(any.describe().contains("HiBob"), "{}", any.describe());
    let snapshot = any.fetch().await.unwrap();

    let ids: Vec<&str> = snapshot.employees.iter().map(|e| e.id.as_str()).collect();
    assert_eq!(
        ids,
        vec![
            "3401928374650192837",
            "3401928374650192900",
            "3401928374650100777"
        ]
    );
    let [ada, ben, chloe] = &snapshot.employees[..] else {
        panic!("three employees expected")
    };
    assert_eq!(ada.status, EmploymentStatus::Active);
    assert_eq!(
        ada.manager_id.as_ref().map(|m| m.as_str()),
        Some("3401928374650100001")
    );
    assert_eq!(ada.field("work.department"), Some("Data Platform"));
    assert_eq!(ada.origin, "hibob:3401928374650192837");
    assert_eq!(ben.status, EmploymentStatus::Inactive);
    assert_eq!(ben.start_date.unwrap().to_string(), "2026-12-07");
    assert_eq!(
        chloe.termination_date.unwrap().to_string(),
        "2026-05-29",
        "the earliest of termination date and last day of work"
    );
    assert_eq!(snapshot.rejected.len(), 1);
    assert_eq!(
        snapshot.rejected[0].employee_id.as_deref(),
        Some("3401928374650100999")
    );
}

#[test]
fn the_example_hibob_config_loads_with_its_credentials() {
    // The example reads systemd credentials from $CREDENTIALS_DIRECTORY; give it a fake one.
    let dir = tempfile::tempdir().unwrap();
    for (name, value) in [
        ("okta-token", "00abcdefghijklmnopqrstuvwxyz0123456789ABCD"),
        ("bob-service-user-id", "SERVICE-1234"),
        ("bob-token", "bob-token"),
        ("bob-webhook-secret", "whsec"),
    ] {
        std::fs::write(dir.path().join(name), value).unwrap();
    }
    let creds = dir.path().to_string_lossy().into_owned();
    let lookup = move |name: &str| (name == "CREDENTIALS_DIRECTORY").then(|| creds.clone());
    let config =
        hrsync::config::Config::load_with(std::path::Path::new("config/hrsync.hibob.toml"), lookup)
            .unwrap_or_else(|e| panic!("{e}"));
    let hrsync::config::SourceConfig::HiBob(bob) = &config.source else {
        panic!("a hibob source expected")
    };
    assert_eq!(bob.base_url.as_str(), "https://api.hibob.com/v1");
    assert_eq!(bob.named_lists["work.department"], "department");
    assert!(bob.webhook_secret.is_some());
    assert_eq!(bob.request_timeout.as_secs(), 120);
    assert_eq!(config.employee.id, "root.id");
    assert_eq!(config.employee.termination_date.len(), 2);
    // bob's lifecycle status gives the phase; any other value is refused, not a leaver.
    assert_eq!(config.employee.status.field, "internal.lifecycleStatus");
    assert_eq!(
        config
            .employee
            .status
            .classify("Hired")
            .map(|s| s.phase(false)),
        Some(hrsync::model::Phase::PreHire)
    );
    assert_eq!(config.employee.status.classify("Zombie"), None);
}

#[tokio::test]
async fn a_redirect_is_not_followed_and_the_error_names_its_location() {
    let fake = BobFake::start(vec![ada()], lists()).await;
    fake.script([Scripted::Redirect(
        "https://user:pw@elsewhere.example/v1/people/search".to_owned(),
    )]);
    let err = source(&fake).fetch_records().await.unwrap_err().to_string();
    assert!(
        err.contains("HTTP 307 with a redirect to https://***@elsewhere.example/v1/people/search"),
        "{err}"
    );
    assert!(!err.contains("pw@"), "{err}");
    assert_eq!(fake.search_count(), 1, "asked once, never followed");
}

#[tokio::test]
async fn an_answer_over_the_size_cap_fails_the_fetch_while_it_streams() {
    let fake = BobFake::start(vec![ada()], lists()).await;
    fake.script([Scripted::Huge(8 << 20)]);
    let mut config = source_config(&fake, TOKEN);
    config.max_response_bytes = 1 << 20;
    let bob = HiBobSource::with_retry(config, employee_config(), quick_retry()).unwrap();
    let err = bob.fetch_records().await.unwrap_err().to_string();
    assert!(
        err.contains("larger than [source] max_response_bytes = 1048576"),
        "{err}"
    );
}
