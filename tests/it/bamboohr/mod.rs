//! The BambooHR source against the BambooHR fake (custom-report shape of README §4.3, every
//! value invented): the report request, the derived lifecycle through the shipped phase
//! table, 429/503 with Retry-After, 401/403, a field withheld from everyone, an HTML error
//! page, a truncated body; the shipped config; the signed webhook route; and the binary end
//! to end with the shipped config against the Okta emulator.

use crate::bamboo_fake::{API_KEY, BambooFake, COMPANY, Scripted};
use crate::support::ModelUsers;
use crate::vendor_env::ShippedEnv;
use chrono::{Duration as Days, Utc};
use hrsync::config::{BambooHrSourceConfig, Config, SourceConfig};
use hrsync::model::{EmploymentStatus, Phase, UserStatus};
use hrsync::source::bamboohr::BambooHrSource;
use hrsync::source::http::RetryPolicy;
use hrsync::source::{HrSource, SourceError};
use serde_json::{Value, json};
use std::time::Duration;

const SHIPPED: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/config/hrsync.bamboohr.toml");

fn day(offset: i64) -> String {
    (Utc::now().date_naive() + Days::days(offset)).to_string()
}

#[allow(clippy::too_many_arguments)]
fn person(
    id: &str,
    first: &str,
    last: &str,
    status: &str,
    employment: &str,
    hire: &str,
    term: &str,
) -> Value {
    json!({
        "id": id, "employeeNumber": format!("E{id}"),
        "firstName": first, "lastName": last, "displayName": format!("{first} {last}"),
        "workEmail": format!("{}.{}@example.com", first.to_lowercase(), last.to_lowercase()),
        "jobTitle": "Engineer", "department": "Engineering", "division": "R&D",
        "location": "London", "workPhone": "+44 20 7946 0001", "mobilePhone": null,
        "supervisorEId": if id == "1001" { Value::Null } else { json!("1001") },
        "hireDate": hire, "terminationDate": term, "status": status,
        "employmentHistoryStatus": employment, "lastChanged": "2026-02-03T09:15:42+00:00"
    })
}

fn lee() -> Value {
    person(
        "1001",
        "Lee",
        "Moreau",
        "Active",
        "Full-Time",
        "2019-05-01",
        "0000-00-00",
    )
}
fn ada() -> Value {
    person(
        "1042",
        "Ada",
        "Kowalski",
        "Active",
        "Full-Time",
        "2024-03-04",
        "0000-00-00",
    )
}
/// A future hire: Active in BambooHR, hire date ahead (only seen with onlyCurrent=false).
fn ben() -> Value {
    person("1050", "Ben", "Okafor", "Active", "Full-Time", &day(30), "")
}
/// A leaver who left last month.
fn chloe() -> Value {
    person(
        "1007",
        "Chloé",
        "Lefèvre",
        "Inactive",
        "Terminated",
        "2021-06-01",
        &day(-30),
    )
}
fn on_leave() -> Value {
    person(
        "1060",
        "Dana",
        "Ito",
        "Active",
        "Leave of Absence",
        "2022-01-10",
        "0000-00-00",
    )
}

fn colleagues(n: usize) -> Vec<Value> {
    (0..n)
        .map(|i| {
            person(
                &format!("{}", 2000 + i),
                &format!("Col{i}"),
                "League",
                "Active",
                "Part-Time",
                "2023-01-02",
                "",
            )
        })
        .collect()
}

/// The shipped config pointed at `fake`, secrets from a temp dir.
fn shipped(fake: &BambooFake) -> Config {
    let dir = tempfile::tempdir().unwrap();
    for (name, value) in [
        ("okta-token", "00abcdefghijklmnopqrstuvwxyz0123456789ABCD"),
        ("bamboohr-api-key", API_KEY),
        ("bamboohr-webhook-key", "whsec"),
    ] {
        std::fs::write(dir.path().join(name), value).unwrap();
    }
    let text = std::fs::read_to_string(SHIPPED)
        .unwrap()
        .replace("https://api.bamboohr.com/api/gateway.php", &fake.base_url);
    let path = dir.path().join("hrsync.toml");
    std::fs::write(&path, text).unwrap();
    let creds = dir.path().to_string_lossy().into_owned();
    let lookup = move |name: &str| (name == "CREDENTIALS_DIRECTORY").then(|| creds.clone());
    Config::load_with(&path, lookup).unwrap_or_else(|e| panic!("{e}"))
}

fn quick() -> RetryPolicy {
    RetryPolicy {
        max_attempts: 4,
        max_wait: Duration::from_secs(5),
        backoff: Duration::from_millis(10),
    }
}

fn bamboo_config(config: &Config) -> BambooHrSourceConfig {
    match &config.source {
        SourceConfig::BambooHr(b) => b.clone(),
        other => panic!("a bamboohr source expected, got {other:?}"),
    }
}

fn source(fake: &BambooFake) -> BambooHrSource {
    let config = shipped(fake);
    BambooHrSource::with_retry(bamboo_config(&config), config.employee.clone(), quick()).unwrap()
}

#[test]
fn the_shipped_bamboohr_config_loads_and_maps_bamboohrs_statuses_to_phases() {
    let dir = tempfile::tempdir().unwrap();
    for name in ["okta-token", "bamboohr-api-key", "bamboohr-webhook-key"] {
        std::fs::write(
            dir.path().join(name),
            "00abcdefghijklmnopqrstuvwxyz0123456789ABCD",
        )
        .unwrap();
    }
    let creds = dir.path().to_string_lossy().into_owned();
    let lookup = move |name: &str| (name == "CREDENTIALS_DIRECTORY").then(|| creds.clone());
    let config =
        Config::load_with(std::path::Path::new(SHIPPED), lookup).unwrap_or_else(|e| panic!("{e}"));
    let b = bamboo_config(&config);
    assert_eq!(
        b.base_url.as_str(),
        "https://api.bamboohr.com/api/gateway.php"
    );
    assert_eq!(b.company_domain, "acme");
    assert!(b.webhook_secret.is_some());
    assert_eq!(b.webhook_max_age.as_secs(), 300);
    assert_eq!(config.employee.id, "id");
    assert_eq!(config.employee.manager.as_deref(), Some("supervisorEId"));
    assert_eq!(config.employee.start_date.as_deref(), Some("hireDate"));
    let phase = |v: &str| config.employee.status.classify(v).map(|s| s.phase(false));
    assert_eq!(config.employee.status.field, "lifecycle");
    assert_eq!(phase("Full-Time"), Some(Phase::Employed));
    assert_eq!(phase("active"), Some(Phase::Employed));
    assert_eq!(phase("Leave of Absence"), Some(Phase::OnLeave));
    assert_eq!(phase("Inactive"), Some(Phase::Terminated));
    assert_eq!(phase("Terminated"), Some(Phase::Terminated));
    assert_eq!(
        phase("Zombie"),
        None,
        "an unknown employment status is refused, not a leaver"
    );
}

#[tokio::test]
async fn the_report_asks_for_every_status_and_future_hires_with_the_api_key() {
    let fake = BambooFake::start(vec![lee(), ada(), ben(), chloe(), on_leave()]).await;
    let s = source(&fake);
    assert!(s.describe().contains(COMPANY) && !s.describe().contains(API_KEY));
    let snapshot = s.fetch().await.unwrap();
    assert_eq!(snapshot.employees.len(), 5, "{:?}", snapshot.rejected);
    let by_id = |id: &str| {
        snapshot
            .employees
            .iter()
            .find(|e| e.id.as_str() == id)
            .unwrap()
    };
    assert_eq!(
        by_id("1042").status,
        EmploymentStatus::Phase(Phase::Employed)
    );
    assert_eq!(by_id("1042").manager_id.as_ref().unwrap().as_str(), "1001");
    assert_eq!(
        by_id("1042").termination_date,
        None,
        "0000-00-00 is no date"
    );
    assert_eq!(by_id("1050").start_date.unwrap().to_string(), day(30));
    assert_eq!(
        by_id("1007").status,
        EmploymentStatus::Phase(Phase::Terminated)
    );
    assert_eq!(by_id("1007").field("lifecycle"), Some("Inactive"));
    assert_eq!(
        by_id("1060").status,
        EmploymentStatus::Phase(Phase::OnLeave)
    );

    let state = fake.state.lock().unwrap();
    let (query, body) = &state.requests[0];
    assert_eq!(query["format"], "JSON");
    assert_eq!(query["onlyCurrent"], "false");
    let fields: Vec<&str> = body["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f.as_str().unwrap())
        .collect();
    for needed in [
        "id",
        "status",
        "employmentHistoryStatus",
        "hireDate",
        "terminationDate",
        "supervisorEId",
        "workEmail",
        "location",
    ] {
        assert!(
            fields.contains(&needed),
            "{needed} not requested: {fields:?}"
        );
    }
    assert!(
        !fields.contains(&"lifecycle"),
        "the derived field is not asked of BambooHR"
    );
    assert_eq!(state.unauthorized, 0);
}

#[tokio::test]
async fn a_429_and_a_503_are_waited_out_per_retry_after() {
    let fake = BambooFake::start(vec![lee(), ada()]).await;
    fake.script([
        Scripted::TooMany("1".to_owned()),
        Scripted::Unavailable(Some("0".to_owned())),
    ]);
    let began = std::time::Instant::now();
    assert_eq!(
        source(&fake).fetch_records().await.unwrap().records.len(),
        2
    );
    assert_eq!(fake.requests(), 3);
    assert!(
        began.elapsed() >= Duration::from_millis(900),
        "Retry-After: 1 was waited"
    );
}

#[tokio::test]
async fn a_rate_limit_asking_for_too_long_a_wait_fails_at_once() {
    let fake = BambooFake::start(vec![ada()]).await;
    fake.script([Scripted::TooMany("3600".to_owned())]);
    let err = source(&fake).fetch_records().await.unwrap_err().to_string();
    assert!(
        err.contains("rate limited by BambooHR (HTTP 429)") && err.contains("3600"),
        "{err}"
    );
    assert_eq!(fake.requests(), 1);
}

#[tokio::test]
async fn a_503_without_retry_after_is_retried_with_back_off_then_fails() {
    let fake = BambooFake::start(vec![ada()]).await;
    fake.script((0..4).map(|_| Scripted::Unavailable(None)));
    let err = source(&fake).fetch_records().await.unwrap_err();
    assert!(
        err.to_string().contains("HTTP 503: Service unavailable"),
        "{err}"
    );
    assert_eq!(fake.requests(), 4);
}

#[tokio::test]
async fn a_wrong_key_stops_at_once_and_the_key_never_shows() {
    let fake = BambooFake::start(vec![ada()]).await;
    let config = shipped(&fake);
    let mut b = bamboo_config(&config);
    b.api_key = hrsync::config::Secret::new("wrong-key-value");
    let s = BambooHrSource::with_retry(b, config.employee.clone(), quick()).unwrap();
    let err = s.fetch().await.unwrap_err();
    assert!(matches!(err, SourceError::Auth { .. }), "{err:?}");
    let text = format!("{err} {err:?} {s:?}");
    assert!(
        text.contains("401") && text.contains("Invalid API key"),
        "{text}"
    );
    assert!(
        !text.contains("wrong-key-value") && !text.contains(API_KEY),
        "{text}"
    );
    assert_eq!(fake.requests(), 1, "never retried");
}

#[tokio::test]
async fn a_403_names_the_access_level_to_grant() {
    let fake = BambooFake::start(vec![ada()]).await;
    fake.script([Scripted::Denied(403)]);
    let err = source(&fake).fetch_records().await.unwrap_err();
    assert!(matches!(err, SourceError::Auth { .. }), "{err:?}");
    assert!(err.to_string().contains("access"), "{err}");
    assert_eq!(fake.requests(), 1);
}

#[tokio::test]
async fn a_required_field_withheld_for_everyone_fails_the_fetch_naming_it() {
    let fake = BambooFake::start(vec![lee(), ada()]).await;
    fake.state
        .lock()
        .unwrap()
        .hidden
        .insert("status".to_owned());
    let err = source(&fake).fetch_records().await.unwrap_err();
    match &err {
        SourceError::MissingField { field, message, .. } => {
            assert_eq!(field, "status");
            assert!(message.contains("access"), "{message}");
        }
        other => panic!("expected MissingField, got {other:?}"),
    }
}

#[tokio::test]
async fn an_optional_field_withheld_for_everyone_is_reported_not_fatal() {
    let fake = BambooFake::start(vec![lee(), ada()]).await;
    fake.state
        .lock()
        .unwrap()
        .hidden
        .insert("mobilePhone".to_owned());
    fake.state
        .lock()
        .unwrap()
        .hidden
        .insert("division".to_owned());
    let fetched = source(&fake).fetch_records().await.unwrap();
    assert_eq!(fetched.records.len(), 2);
    assert!(
        fetched.withheld.contains(&"division".to_owned()),
        "{:?}",
        fetched.withheld
    );
}

#[tokio::test]
async fn an_html_error_page_is_named_as_such() {
    let fake = BambooFake::start(vec![ada()]).await;
    fake.script([Scripted::Html(200)]);
    let err = source(&fake).fetch_records().await.unwrap_err().to_string();
    assert!(
        err.contains("HTML page (\"BambooHR - Down for Maintenance\")"),
        "{err}"
    );

    fake.script([Scripted::Html(404)]);
    let err = source(&fake).fetch_records().await.unwrap_err().to_string();
    assert!(
        err.contains("HTTP 404") && err.contains("Down for Maintenance"),
        "{err}"
    );
}

#[tokio::test]
async fn a_truncated_body_fails_the_fetch_and_says_so() {
    let fake = BambooFake::start(vec![lee(), ada(), chloe()]).await;
    fake.script([Scripted::CutJson]);
    let err = source(&fake).fetch_records().await.unwrap_err().to_string();
    assert!(err.contains("truncated"), "{err}");

    fake.script([Scripted::ConnectionClosed]);
    let err = source(&fake).fetch_records().await.unwrap_err().to_string();
    assert!(err.contains("cut off"), "{err}");
}

mod webhook;
