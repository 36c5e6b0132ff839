//! The SCIM 2.0 source against the SCIM fake: paging to the end with the total checked,
//! short and shifting enumerations refused, SCIM error bodies, 401/403, 429 with
//! `Retry-After`, an HTML page, a truncated body, a withheld attribute, and the shipped
//! `config/hrsync.scim.toml`.

use crate::scim_fake::{ScimFake, Scripted, TOKEN};
use hrsync::config::{EmployeeConfig, ScimSourceConfig, Secret, StatusRule, TimezoneRule};
use hrsync::model::EmploymentStatus;
use hrsync::source::http::RetryPolicy;
use hrsync::source::scim::{ENTERPRISE_URN, ScimSource};
use hrsync::source::{HrSource, SourceError};
use serde_json::{Value, json};
use std::time::Duration;

/// A User resource as a SCIM HR service returns it (RFC 7643 §4.1 and §4.3; values invented).
pub fn scim_user(
    n: usize,
    (first, last): (&str, &str),
    active: bool,
    manager: Option<usize>,
) -> Value {
    let email = format!(
        "{}.{}@example.com",
        first.to_lowercase(),
        last.to_lowercase()
    );
    let mut enterprise = json!({
        "employeeNumber": format!("{}", 21000 + n),
        "department": "Data Platform",
        "organization": "Example Ltd",
    });
    if let Some(m) = manager {
        enterprise["manager"] = json!({"value": user_id(m), "displayName": "The Manager"});
    }
    json!({
        "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User", ENTERPRISE_URN],
        "id": user_id(n),
        "externalId": format!("{}", 21000 + n),
        "userName": email,
        "name": {"givenName": first, "familyName": last, "formatted": format!("{first} {last}")},
        "displayName": format!("{first} {last}"),
        "title": "Data Engineer",
        "active": active,
        "emails": [
            {"value": format!("{}@home.example", first.to_lowercase()), "type": "home"},
            {"value": email, "type": "work", "primary": true}
        ],
        "phoneNumbers": [{"value": format!("+44 20 7946 {n:04}"), "type": "work"}],
        ENTERPRISE_URN: enterprise,
        "meta": {
            "resourceType": "User",
            "created": "2024-02-12T09:30:11Z",
            "lastModified": "2026-02-03T09:15:42Z",
            "location": format!("https://hr.example.com/scim/v2/Users/{}", user_id(n)),
            "version": "W/\"3\""
        }
    })
}

/// The SCIM `id` of user `n`.
pub fn user_id(n: usize) -> String {
    format!("2819c223-7f76-453a-919d-{n:012}")
}

/// `n` active users, each reporting to user 0.
pub fn staff(n: usize) -> Vec<Value> {
    (0..n)
        .map(|i| {
            let last = format!("Colleague{i}");
            scim_user(i, ("Sam", &last), true, (i > 0).then_some(0))
        })
        .collect()
}

fn employee_config() -> EmployeeConfig {
    EmployeeConfig {
        id: "id".to_owned(),
        status: StatusRule::active_inactive(
            "active",
            vec!["true".to_owned()],
            Some(vec!["false".to_owned()]),
        ),
        phase: None,
        require_start_date: false,
        max_records: 100_000,
        start_date: None,
        termination_date: vec![],
        timezone: TimezoneRule::iana(None, chrono_tz::Europe::London),
        manager: Some("enterprise.manager.value".to_owned()),
        scope: None,
    }
}

fn config(fake: &ScimFake, token: &str, page_size: u32) -> ScimSourceConfig {
    ScimSourceConfig {
        base_url: fake.base_url.parse().unwrap(),
        token: Secret::new(token),
        page_size,
        request_timeout: Duration::from_secs(10),
        max_response_bytes: 64 << 20,
    }
}

fn quick_retry() -> RetryPolicy {
    RetryPolicy {
        max_attempts: 4,
        max_wait: Duration::from_secs(5),
        backoff: Duration::from_millis(10),
    }
}

fn source(fake: &ScimFake, page_size: u32) -> ScimSource {
    ScimSource::with_retry(
        &config(fake, TOKEN, page_size),
        employee_config(),
        quick_retry(),
    )
    .unwrap()
}

#[tokio::test]
async fn every_page_is_read_to_the_total_and_users_are_addressable_by_scim_paths() {
    let mut users = staff(7);
    users.push(scim_user(7, ("Chloé", "Lefèvre"), false, Some(0)));
    let fake = ScimFake::start(users).await;
    let snapshot = source(&fake, 3).fetch().await.unwrap();

    assert_eq!(snapshot.employees.len(), 8);
    assert!(snapshot.rejected.is_empty(), "{:?}", snapshot.rejected);
    let requests = fake.state.lock().unwrap().requests.clone();
    let starts: Vec<&str> = requests
        .iter()
        .map(|(s, _)| s.as_deref().unwrap())
        .collect();
    assert_eq!(starts, vec!["1", "4", "7"], "pages of three to the end");
    assert!(requests.iter().all(|(_, c)| c.as_deref() == Some("3")));

    let boss = &snapshot.employees[0];
    assert_eq!(boss.id.as_str(), user_id(0));
    assert_eq!(boss.status, EmploymentStatus::Active);
    assert_eq!(boss.field("name.givenName"), Some("Sam"));
    assert_eq!(
        boss.field("emails.work"),
        Some("sam.colleague0@example.com")
    );
    assert_eq!(boss.field("enterprise.employeeNumber"), Some("21000"));
    assert_eq!(boss.field("enterprise.department"), Some("Data Platform"));
    assert_eq!(
        boss.field("meta.lastModified"),
        Some("2026-02-03T09:15:42Z")
    );
    assert_eq!(boss.origin, format!("scim:{}", user_id(0)));
    let report = &snapshot.employees[3];
    assert_eq!(
        report.manager_id.as_ref().map(|m| m.as_str().to_owned()),
        Some(user_id(0)),
        "the manager is the enterprise extension's manager.value"
    );
    let chloe = &snapshot.employees[7];
    assert_eq!(chloe.status, EmploymentStatus::Inactive, "active = false");
    assert_eq!(chloe.field("name.givenName"), Some("Chloé"));
}

#[tokio::test]
async fn a_service_that_sends_smaller_pages_than_asked_is_read_at_its_pace() {
    let fake = ScimFake::start(staff(7)).await;
    fake.state.lock().unwrap().max_page = 2;
    let snapshot = source(&fake, 100).fetch().await.unwrap();
    assert_eq!(snapshot.employees.len(), 7);
    assert_eq!(fake.requests(), 4);
}

#[tokio::test]
async fn an_empty_page_before_the_total_fails_the_fetch_instead_of_a_partial_snapshot() {
    let fake = ScimFake::start(staff(7)).await;
    fake.script([Scripted::Normal, Scripted::EmptyPage]);
    let err = source(&fake, 3).fetch().await.unwrap_err();
    assert!(matches!(err, SourceError::Unreadable { .. }), "{err:?}");
    let text = err.to_string();
    assert!(text.contains("3 of totalResults = 7"), "{text}");
}

#[tokio::test]
async fn a_user_deleted_between_pages_fails_the_fetch_as_a_changed_total() {
    let fake = ScimFake::start(staff(7)).await;
    fake.script([Scripted::Normal, Scripted::DeleteThenServe(0)]);
    let err = source(&fake, 3).fetch().await.unwrap_err().to_string();
    assert!(
        err.contains("totalResults was 7 on the first page and is 6 now"),
        "{err}"
    );
}

#[tokio::test]
async fn a_service_that_ignores_start_index_fails_the_fetch() {
    let fake = ScimFake::start(staff(7)).await;
    fake.script([Scripted::Normal, Scripted::IgnoreStartIndex]);
    let err = source(&fake, 3).fetch().await.unwrap_err().to_string();
    assert!(err.contains("starts at 1, not at startIndex 4"), "{err}");
}

#[tokio::test]
async fn a_429_is_waited_out_per_retry_after_and_the_page_asked_again() {
    let fake = ScimFake::start(staff(4)).await;
    fake.script([Scripted::Normal, Scripted::TooMany(1)]);
    let began = std::time::Instant::now();
    let snapshot = source(&fake, 2).fetch().await.unwrap();
    assert_eq!(snapshot.employees.len(), 4);
    assert!(began.elapsed() >= Duration::from_millis(900));
    let requests = fake.state.lock().unwrap().requests.clone();
    let starts: Vec<&str> = requests
        .iter()
        .map(|(s, _)| s.as_deref().unwrap())
        .collect();
    assert_eq!(starts, vec!["1", "3", "3"]);
}

#[tokio::test]
async fn a_server_error_is_retried_and_one_that_persists_fails_with_the_scim_detail() {
    let fake = ScimFake::start(staff(2)).await;
    fake.script([Scripted::ServerError(503)]);
    assert_eq!(source(&fake, 10).fetch().await.unwrap().employees.len(), 2);

    fake.script((0..4).map(|_| Scripted::ServerError(500)));
    let err = source(&fake, 10).fetch().await.unwrap_err().to_string();
    assert!(err.contains("HTTP 500: Internal error"), "{err}");
}

#[tokio::test]
async fn a_wrong_token_stops_at_once_without_leaking_it() {
    let fake = ScimFake::start(staff(2)).await;
    let wrong = "wrong-token-value";
    let scim = ScimSource::with_retry(&config(&fake, wrong, 10), employee_config(), quick_retry())
        .unwrap();
    let err = scim.fetch().await.unwrap_err();
    assert!(matches!(err, SourceError::Auth { .. }), "{err:?}");
    let text = format!("{err} {err:?} {scim:?}");
    assert!(text.contains("HTTP 401: Authorization failure"), "{text}");
    assert!(!text.contains(wrong) && !text.contains(TOKEN), "{text}");
    assert_eq!(fake.requests(), 1, "never retried");
}

#[tokio::test]
async fn a_403_names_the_scope_to_grant() {
    let fake = ScimFake::start(staff(2)).await;
    fake.script([Scripted::Denied(403)]);
    let err = source(&fake, 10).fetch().await.unwrap_err();
    assert!(matches!(err, SourceError::Auth { .. }), "{err:?}");
    let text = err.to_string();
    assert!(
        text.contains("403") && text.contains("users:read"),
        "{text}"
    );
    assert_eq!(fake.requests(), 1);
}

#[tokio::test]
async fn an_html_page_instead_of_json_fails_the_fetch_naming_its_title() {
    let fake = ScimFake::start(staff(2)).await;
    fake.script([Scripted::Html]);
    let err = source(&fake, 10).fetch().await.unwrap_err().to_string();
    assert!(
        err.contains("HTML page") && err.contains("Maintenance"),
        "{err}"
    );
}

#[tokio::test]
async fn a_truncated_page_fails_the_fetch() {
    let fake = ScimFake::start(staff(6)).await;
    fake.script([Scripted::Normal, Scripted::Truncated]);
    let err = source(&fake, 3).fetch().await.unwrap_err().to_string();
    assert!(
        err.contains("cut off") || err.contains("truncated"),
        "{err}"
    );
}

#[tokio::test]
async fn an_attribute_withheld_from_every_user_fails_the_fetch_naming_it() {
    let mut users = staff(3);
    for u in &mut users {
        u.as_object_mut().unwrap().remove("active");
    }
    let fake = ScimFake::start(users).await;
    match source(&fake, 10).fetch().await.unwrap_err() {
        SourceError::MissingField { field, message, .. } => {
            assert_eq!(field, "active");
            assert!(message.contains("token"), "{message}");
        }
        other => panic!("expected MissingField, got {other:?}"),
    }
}

#[tokio::test]
async fn a_user_missing_active_alone_is_refused_by_name_and_the_others_load() {
    let mut users = staff(3);
    users[1].as_object_mut().unwrap().remove("active");
    let fake = ScimFake::start(users).await;
    let snapshot = source(&fake, 10).fetch().await.unwrap();
    assert_eq!(snapshot.employees.len(), 2);
    assert_eq!(snapshot.rejected.len(), 1);
    let refused = &snapshot.rejected[0];
    assert_eq!(refused.location, format!("scim:{}", user_id(1)));
    assert_eq!(refused.field.as_deref(), Some("active"));
}

#[tokio::test]
async fn more_users_than_max_employees_fails_before_reading_further() {
    let fake = ScimFake::start(staff(5)).await;
    let mut employee = employee_config();
    employee.max_records = 4;
    let scim = ScimSource::with_retry(&config(&fake, TOKEN, 2), employee, quick_retry()).unwrap();
    let err = scim.fetch().await.unwrap_err().to_string();
    assert!(err.contains("more than 4 records"), "{err}");
    assert_eq!(fake.requests(), 1);
}

#[tokio::test]
async fn no_users_at_all_is_an_empty_snapshot_for_the_guard_to_judge() {
    let fake = ScimFake::start(vec![]).await;
    let snapshot = source(&fake, 10).fetch().await.unwrap();
    assert!(snapshot.employees.is_empty() && snapshot.rejected.is_empty());
}

#[test]
fn the_shipped_scim_config_loads_with_its_token() {
    let dir = tempfile::tempdir().unwrap();
    for (name, value) in [
        ("okta-token", "00abcdefghijklmnopqrstuvwxyz0123456789ABCD"),
        ("scim-token", "scim-token"),
    ] {
        std::fs::write(dir.path().join(name), value).unwrap();
    }
    let creds = dir.path().to_string_lossy().into_owned();
    let lookup = move |name: &str| (name == "CREDENTIALS_DIRECTORY").then(|| creds.clone());
    let config =
        hrsync::config::Config::load_with(std::path::Path::new("config/hrsync.scim.toml"), lookup)
            .unwrap_or_else(|e| panic!("{e}"));
    let hrsync::config::SourceConfig::Scim(scim) = &config.source else {
        panic!("a scim source expected")
    };
    assert_eq!(scim.base_url.as_str(), "https://hr.example.com/scim/v2");
    assert_eq!(scim.token.expose(), "scim-token");
    assert_eq!(scim.page_size, 100);
    assert_eq!(config.employee.id, "id");
    assert_eq!(config.employee.status.field, "active");
    assert_eq!(
        config.employee.manager.as_deref(),
        Some("enterprise.manager.value")
    );
    assert_eq!(
        config.employee.status.classify("true"),
        Some(EmploymentStatus::Active)
    );
    assert_eq!(
        config.employee.status.classify("false"),
        Some(EmploymentStatus::Inactive)
    );
    assert_eq!(config.employee.status.classify("maybe"), None);
    let email = &config.mapping.attributes["email"];
    assert_eq!(email.template.source(), "{emails.work|lower}");
}
