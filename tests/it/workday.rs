//! The Workday RaaS source against the Workday fake: the report URL and prompts, the column
//! map, multi-valued columns, Basic and OAuth refresh-token auth (the token reused, renewed
//! once when refused), 401/403, 429 with `Retry-After`, an HTML page, a truncated body, a
//! withheld column, and the shipped `config/hrsync.workday.toml`.

use crate::workday_data::*;
use crate::workday_fake::*;
use hrsync::model::EmploymentStatus;
use hrsync::source::{HrSource, SourceError};
use serde_json::json;
use std::time::Duration;

#[tokio::test]
async fn the_report_is_read_in_json_with_its_prompts_and_columns_take_their_mapped_names() {
    let mut rows = workers(3);
    rows.push(worker(21003, ("Ben", "Okafor"), "0", "2099-01-13", ""));
    rows.push(worker(
        21004,
        ("Chloé", "Lefèvre"),
        "0",
        "2023-01-09",
        "2026-05-29",
    ));
    rows[1]["Cost_Center"] = json!([
        {"Cost_Center_Code": "CC-100", "Descriptor": "Data, Platform"},
        {"Cost_Center_Code": "CC-200", "Descriptor": "Research"}
    ]);
    let fake = WorkdayFake::start(rows).await;
    let wd = source(&basic_config(&fake, PASSWORD));
    let fetched = wd.fetch_records().await.unwrap();
    assert_eq!(fetched.records.len(), 5);
    assert!(fetched.withheld.is_empty(), "{:?}", fetched.withheld);
    let second = &fetched.records[1];
    assert_eq!(second.origin, "workday:21001");
    assert_eq!(second.fields["first_name"], "Sam");
    assert_eq!(
        second.fields["Location"], "London",
        "unmapped columns keep their name"
    );
    assert_eq!(
        second.fields["cost_center.Cost_Center_Code"],
        "CC-100; CC-200"
    );
    assert_eq!(second.fields["cost_center.2.Descriptor"], "Research");

    let query = fake.state.lock().unwrap().reports[0].clone();
    assert_eq!(query["format"], "json");
    assert_eq!(query["Include_Terminated_Workers"], "1");

    let snapshot = wd.fetch().await.unwrap();
    assert_eq!(snapshot.employees.len(), 5, "{:?}", snapshot.rejected);
    let ben = &snapshot.employees[3];
    assert_eq!(ben.status, EmploymentStatus::Inactive);
    assert_eq!(ben.start_date.unwrap().to_string(), "2099-01-13");
    let chloe = &snapshot.employees[4];
    assert_eq!(chloe.termination_date.unwrap().to_string(), "2026-05-29");
    assert_eq!(
        snapshot.employees[1]
            .manager_id
            .as_ref()
            .map(|m| m.as_str()),
        Some("21000")
    );
    assert!(
        wd.describe().contains("Integration System User"),
        "{}",
        wd.describe()
    );
}

#[tokio::test]
async fn a_bad_row_is_refused_by_id_and_field_and_the_others_load() {
    let mut rows = workers(3);
    rows[2]["Active_Status"] = json!("maybe");
    rows[1]["Hire_Date"] = json!("2024-02-30");
    let fake = WorkdayFake::start(rows).await;
    let snapshot = source(&basic_config(&fake, PASSWORD))
        .fetch()
        .await
        .unwrap();
    assert_eq!(snapshot.employees.len(), 1);
    let mut refused: Vec<(String, Option<String>)> = snapshot
        .rejected
        .iter()
        .map(|r| (r.location.clone(), r.field.clone()))
        .collect();
    refused.sort();
    assert_eq!(
        refused,
        vec![
            ("workday:21001".to_owned(), Some("hire_date".to_owned())),
            ("workday:21002".to_owned(), Some("active".to_owned())),
        ]
    );
}

#[tokio::test]
async fn oauth_exchanges_the_refresh_token_once_and_reuses_the_access_token() {
    let fake = WorkdayFake::start(workers(2)).await;
    let wd = source(&oauth_config(&fake, REFRESH_TOKEN));
    assert_eq!(wd.fetch().await.unwrap().employees.len(), 2);
    assert_eq!(wd.fetch().await.unwrap().employees.len(), 2);
    let s = fake.state.lock().unwrap();
    assert_eq!(
        s.token_requests, 1,
        "the access token is reused for its lifetime"
    );
    assert_eq!(s.reports.len(), 2);
    assert_eq!(s.unauthorized, 0);
}

#[tokio::test]
async fn a_revoked_access_token_is_replaced_once_and_the_report_asked_again() {
    let fake = WorkdayFake::start(workers(2)).await;
    let wd = source(&oauth_config(&fake, REFRESH_TOKEN));
    wd.fetch().await.unwrap();
    fake.state.lock().unwrap().tokens.clear();
    assert_eq!(wd.fetch().await.unwrap().employees.len(), 2);
    let s = fake.state.lock().unwrap();
    assert_eq!(s.token_requests, 2);
    assert_eq!(s.reports.len(), 3, "one refused, one asked again");
}

#[tokio::test]
async fn a_refused_refresh_token_is_an_auth_error_that_shows_no_secret() {
    let fake = WorkdayFake::start(workers(2)).await;
    let wrong = "revoked-refresh-token";
    let wd = source(&oauth_config(&fake, wrong));
    let err = wd.fetch().await.unwrap_err();
    assert!(matches!(err, SourceError::Auth { .. }), "{err:?}");
    let text = format!("{err} {err:?} {wd:?}");
    assert!(text.contains("invalid_grant"), "{text}");
    for secret in [wrong, CLIENT_SECRET, "access-"] {
        assert!(!text.contains(secret), "{secret} leaked: {text}");
    }
    assert_eq!(fake.report_count(), 0, "no report without a token");
}

#[tokio::test]
async fn a_wrong_password_stops_at_once_without_leaking_it() {
    let fake = WorkdayFake::start(workers(2)).await;
    let wrong = "wrong-password";
    let wd = source(&basic_config(&fake, wrong));
    let err = wd.fetch().await.unwrap_err();
    assert!(matches!(err, SourceError::Auth { .. }), "{err:?}");
    let text = format!("{err} {err:?} {wd:?}");
    assert!(
        text.contains("HTTP 401: invalid username or password"),
        "{text}"
    );
    assert!(!text.contains(wrong) && !text.contains(PASSWORD), "{text}");
    assert_eq!(fake.report_count(), 1, "never retried");
}

#[tokio::test]
async fn a_403_names_the_report_sharing_and_domain_permissions() {
    let fake = WorkdayFake::start(workers(2)).await;
    fake.script([Scripted::Denied(403)]);
    let err = source(&basic_config(&fake, PASSWORD))
        .fetch()
        .await
        .unwrap_err();
    assert!(matches!(err, SourceError::Auth { .. }), "{err:?}");
    let text = err.to_string();
    assert!(
        text.contains("share the report") && text.contains("domains"),
        "{text}"
    );
    assert_eq!(fake.report_count(), 1);
}

#[tokio::test]
async fn a_429_is_waited_out_per_retry_after_and_a_5xx_retried() {
    let fake = WorkdayFake::start(workers(2)).await;
    fake.script([Scripted::TooMany(1), Scripted::ServerError(502)]);
    let began = std::time::Instant::now();
    assert_eq!(
        source(&basic_config(&fake, PASSWORD))
            .fetch()
            .await
            .unwrap()
            .employees
            .len(),
        2
    );
    assert!(began.elapsed() >= Duration::from_millis(900));
    assert_eq!(fake.report_count(), 3);
}

#[tokio::test]
async fn an_html_page_fails_the_fetch_naming_its_title() {
    let fake = WorkdayFake::start(workers(2)).await;
    fake.script([Scripted::Html]);
    let err = source(&basic_config(&fake, PASSWORD))
        .fetch()
        .await
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("HTML page") && err.contains("currently unavailable"),
        "{err}"
    );
}

#[tokio::test]
async fn a_truncated_report_fails_the_fetch() {
    let fake = WorkdayFake::start(workers(20)).await;
    fake.script([Scripted::Truncated]);
    let err = source(&basic_config(&fake, PASSWORD))
        .fetch()
        .await
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("cut off") || err.contains("truncated"),
        "{err}"
    );
}

#[tokio::test]
async fn a_report_over_the_size_cap_fails_the_fetch() {
    let fake = WorkdayFake::start(workers(20_000)).await;
    let mut config = basic_config(&fake, PASSWORD);
    config.max_response_bytes = 1 << 20;
    let err = source(&config).fetch().await.unwrap_err().to_string();
    assert!(
        err.contains("larger than [source] max_response_bytes = 1048576"),
        "{err}"
    );
}

#[tokio::test]
async fn a_column_withheld_from_every_row_fails_the_fetch_naming_the_column_and_permission() {
    let mut rows = workers(3);
    for r in &mut rows {
        r.as_object_mut().unwrap().remove("Hire_Date");
    }
    let fake = WorkdayFake::start(rows).await;
    match source(&basic_config(&fake, PASSWORD))
        .fetch()
        .await
        .unwrap_err()
    {
        SourceError::MissingField { field, message, .. } => {
            assert_eq!(field, "hire_date");
            assert!(message.contains("\"Hire_Date\""), "{message}");
            assert!(message.contains("security group"), "{message}");
        }
        other => panic!("expected MissingField, got {other:?}"),
    }
}

#[tokio::test]
async fn an_optional_column_no_row_has_is_reported_as_withheld() {
    let fake = WorkdayFake::start(workers(2)).await;
    let fetched = source(&basic_config(&fake, PASSWORD))
        .fetch_records()
        .await
        .unwrap();
    assert_eq!(fetched.withheld, vec!["cost_center", "termination_date"]);
}

#[test]
fn the_shipped_workday_config_loads_with_its_credentials() {
    let dir = tempfile::tempdir().unwrap();
    for (name, value) in [
        ("okta-token", "00abcdefghijklmnopqrstuvwxyz0123456789ABCD"),
        ("workday-password", "pw"),
    ] {
        std::fs::write(dir.path().join(name), value).unwrap();
    }
    let creds = dir.path().to_string_lossy().into_owned();
    let lookup = move |name: &str| (name == "CREDENTIALS_DIRECTORY").then(|| creds.clone());
    let config = hrsync::config::Config::load_with(
        std::path::Path::new("config/hrsync.workday.toml"),
        lookup,
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let hrsync::config::SourceConfig::Workday(wd) = &config.source else {
        panic!("a workday source expected")
    };
    assert_eq!(
        hrsync::source::workday::report_url(wd).unwrap().as_str(),
        "https://wd2-impl-services1.workday.com/ccx/service/customreport2/acme/ISU_hrsync/hrsync_workers?format=json"
    );
    assert_eq!(wd.request_timeout.as_secs(), 600);
    assert_eq!(wd.columns["id"], "Employee_ID");
    assert!(matches!(
        wd.auth(),
        Some(hrsync::config::WorkdayAuth::Basic {
            username: "ISU_hrsync",
            ..
        })
    ));
    assert_eq!(config.employee.id, "id");
    assert_eq!(config.employee.start_date.as_deref(), Some("hire_date"));
    assert_eq!(
        config.employee.status.classify("1"),
        Some(EmploymentStatus::Active)
    );
    assert_eq!(
        config.employee.status.classify("0"),
        Some(EmploymentStatus::Inactive)
    );
    assert_eq!(config.employee.status.classify("Active"), None);
}

#[test]
fn a_workday_source_with_both_kinds_of_credentials_or_neither_is_refused_at_its_key() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("okta-token"),
        "00abcdefghijklmnopqrstuvwxyz0123456789ABCD",
    )
    .unwrap();
    std::fs::write(dir.path().join("pw"), "pw").unwrap();
    let shipped = std::fs::read_to_string("config/hrsync.workday.toml").unwrap();
    let shipped = shipped
        .replace(
            "{ credential = \"okta-token\" }",
            "{ file = \"okta-token\" }",
        )
        .replace("{ credential = \"workday-password\" }", "{ file = \"pw\" }");
    let cases = [
        (
            shipped.replace(
                "password = { file = \"pw\" }",
                "password = { file = \"pw\" }\nclient_id = \"x\"",
            ),
            "source.username",
            "not both",
        ),
        (
            shipped.replace("password = { file = \"pw\" }\n", ""),
            "source.password",
            "is missing",
        ),
        (
            shipped
                .replace("username = \"ISU_hrsync\"\n", "")
                .replace("password = { file = \"pw\" }\n", ""),
            "source.username",
            "is missing",
        ),
        (
            shipped.replace("tenant = \"acme\"", "tenant = \" \""),
            "source.tenant",
            "is empty",
        ),
    ];
    for (text, key, words) in cases {
        let path = dir.path().join("hrsync.toml");
        std::fs::write(&path, text).unwrap();
        let err = hrsync::config::Config::load_with(&path, |_| None)
            .err()
            .unwrap_or_else(|| panic!("{key} should be refused"))
            .to_string();
        assert!(err.contains(key) && err.contains(words), "{key}: {err}");
    }
}
