//! The Personio source against the Personio fake (v1 shapes of README §3.2/§4.4, every value
//! invented): the token reused across pages and fetches, paging to the end, the attributes
//! whitelist, references flattened, 429 with its headers, a used-up rate limit, 401/403, an
//! attribute withheld from everyone, an HTML error page, a truncated body, a short
//! enumeration; the shipped config; and the binary end to end against the Okta emulator.

use crate::personio_fake::{CLIENT_ID, CLIENT_SECRET, PersonioFake, Scripted, attr};
use crate::vendor_env::ShippedEnv;
use chrono::{Duration as Days, Utc};
use hrsync::config::{Config, PersonioSourceConfig, SourceConfig};
use hrsync::model::{EmploymentStatus, Phase, UserStatus};
use hrsync::source::http::RetryPolicy;
use hrsync::source::personio::PersonioSource;
use hrsync::source::{HrSource, SourceError};
use serde_json::{Value, json};
use std::time::Duration;

const SHIPPED: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/config/hrsync.personio.toml");

fn day(offset: i64) -> String {
    (Utc::now().date_naive() + Days::days(offset)).to_string()
}

/// A Personio v1 item. Dates in the date-time-with-offset form some tenants return.
fn person(id: u64, first: &str, last: &str, status: &str, hire: &str, term: Option<&str>) -> Value {
    let supervisor = if id == 1001 {
        Value::Null
    } else {
        json!({"type": "Employee", "attributes": {
            "id": {"label": "ID", "value": 1001},
            "first_name": {"label": "First name", "value": "Lee"},
            "email": {"label": "Email", "value": "lee.moreau@example.com"}}})
    };
    json!({"type": "Employee", "attributes": {
        "id": attr("ID", json!(id), "integer", "id"),
        "first_name": attr("First name", json!(first), "standard", "first_name"),
        "last_name": attr("Last name", json!(last), "standard", "last_name"),
        "preferred_name": attr("Preferred name", json!(""), "standard", "preferred_name"),
        "email": attr("Email", json!(format!("{}.{}@example.com", first.to_lowercase(), last.to_lowercase())), "standard", "email"),
        "status": attr("Status", json!(status), "standard", "status"),
        "position": attr("Position", json!("Engineer"), "standard", "position"),
        "hire_date": attr("Hire date", json!(format!("{hire}T00:00:00+01:00")), "date", "hire_date"),
        "termination_date": attr("Termination date", term.map_or(Value::Null, |t| json!(format!("{t}T00:00:00+01:00"))), "date", "termination_date"),
        "last_working_day": attr("Last working day", Value::Null, "date", "last_working_day"),
        "department": attr("Department", json!({"type": "Department", "attributes": {"id": 77, "name": "Data Platform"}}), "standard", "department"),
        "office": attr("Office", json!({"type": "Office", "attributes": {"id": 3, "name": "Munich"}}), "standard", "office"),
        "supervisor": attr("Supervisor", supervisor, "standard", "supervisor"),
        "fix_salary": attr("Salary", json!(85000), "decimal", "fix_salary"),
    }})
}

fn lee() -> Value {
    person(1001, "Lee", "Moreau", "active", "2019-05-01", None)
}
fn ada() -> Value {
    person(1042, "Ada", "Kowalski", "active", "2024-03-04", None)
}
fn ben() -> Value {
    person(1050, "Ben", "Okafor", "onboarding", &day(30), None)
}
fn chloe() -> Value {
    person(
        1007,
        "Chloé",
        "Lefèvre",
        "inactive",
        "2021-06-01",
        Some(&day(-30)),
    )
}
fn colleagues(n: u64) -> Vec<Value> {
    (0..n)
        .map(|i| {
            person(
                2000 + i,
                &format!("Col{i}"),
                "League",
                "active",
                "2023-01-02",
                None,
            )
        })
        .collect()
}

fn load(path: &std::path::Path, dir: &tempfile::TempDir) -> Config {
    for (name, value) in [
        ("okta-token", "00abcdefghijklmnopqrstuvwxyz0123456789ABCD"),
        ("personio-client-id", CLIENT_ID),
        ("personio-client-secret", CLIENT_SECRET),
    ] {
        std::fs::write(dir.path().join(name), value).unwrap();
    }
    let creds = dir.path().to_string_lossy().into_owned();
    let lookup = move |name: &str| (name == "CREDENTIALS_DIRECTORY").then(|| creds.clone());
    Config::load_with(path, lookup).unwrap_or_else(|e| panic!("{e}"))
}

fn personio_config(config: &Config) -> PersonioSourceConfig {
    match &config.source {
        SourceConfig::Personio(p) => p.clone(),
        other => panic!("a personio source expected, got {other:?}"),
    }
}

/// The shipped config pointed at `fake`, `page_size` per page, no spacing.
fn source_with(fake: &PersonioFake, page_size: usize, secret: &str) -> PersonioSource {
    let dir = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string(SHIPPED)
        .unwrap()
        .replace("https://api.personio.de", &fake.base_url);
    let path = dir.path().join("hrsync.toml");
    std::fs::write(&path, text).unwrap();
    let config = load(&path, &dir);
    let mut p = personio_config(&config);
    p.page_size = page_size;
    p.client_secret = hrsync::config::Secret::new(secret);
    let retry = RetryPolicy {
        max_attempts: 4,
        max_wait: Duration::from_secs(5),
        backoff: Duration::from_millis(10),
    };
    PersonioSource::with_retry(p, config.employee.clone(), retry)
        .unwrap()
        .with_page_spacing(Duration::ZERO)
}

fn source(fake: &PersonioFake) -> PersonioSource {
    source_with(fake, 2, CLIENT_SECRET)
}

#[test]
fn the_shipped_personio_config_loads_and_maps_personios_statuses_to_phases() {
    let dir = tempfile::tempdir().unwrap();
    let config = load(std::path::Path::new(SHIPPED), &dir);
    let p = personio_config(&config);
    assert_eq!(p.base_url.as_str(), "https://api.personio.de/");
    assert_eq!(p.page_size, 100);
    assert!(p.attributes.contains(&"supervisor".to_owned()));
    assert_eq!(config.employee.manager.as_deref(), Some("supervisor.id"));
    let phase = |v: &str| config.employee.status.classify(v).map(|s| s.phase(false));
    assert_eq!(phase("onboarding"), Some(Phase::PreHire));
    assert_eq!(phase("active"), Some(Phase::Employed));
    assert_eq!(phase("leave"), Some(Phase::OnLeave));
    assert_eq!(phase("inactive"), Some(Phase::Terminated));
    assert_eq!(phase("zombie"), None);
}

#[tokio::test]
async fn every_page_is_read_with_one_token_and_references_become_fields() {
    let fake = PersonioFake::start(vec![
        lee(),
        ada(),
        ben(),
        chloe(),
        person(1060, "Dana", "Ito", "leave", "2022-01-10", None),
    ])
    .await;
    let s = source(&fake);
    let snapshot = s.fetch().await.unwrap();
    assert_eq!(snapshot.employees.len(), 5, "{:?}", snapshot.rejected);
    assert_eq!(fake.page_count(), 3, "five employees, two a page");
    let by_id = |id: &str| {
        snapshot
            .employees
            .iter()
            .find(|e| e.id.as_str() == id)
            .unwrap()
    };
    let ada = by_id("1042");
    assert_eq!(ada.field("department.name"), Some("Data Platform"));
    assert_eq!(ada.field("office.name"), Some("Munich"));
    assert_eq!(ada.manager_id.as_ref().unwrap().as_str(), "1001");
    assert_eq!(ada.timezone, Some(chrono_tz::Europe::Berlin));
    assert_eq!(ada.start_date.unwrap().to_string(), "2024-03-04");
    assert!(
        ada.field("fix_salary").is_none(),
        "not whitelisted, not read"
    );
    assert_eq!(
        by_id("1050").status,
        EmploymentStatus::Phase(Phase::PreHire)
    );
    assert_eq!(
        by_id("1007").termination_date.unwrap().to_string(),
        day(-30)
    );
    assert_eq!(
        by_id("1060").status,
        EmploymentStatus::Phase(Phase::OnLeave)
    );

    {
        let state = fake.state.lock().unwrap();
        let first = &state.pages[0];
        assert!(first.contains(&("limit".to_owned(), "2".to_owned())));
        assert!(first.contains(&("offset".to_owned(), "0".to_owned())));
        assert!(state.pages[2].contains(&("offset".to_owned(), "4".to_owned())));
        let attributes: Vec<&str> = first
            .iter()
            .filter(|(k, _)| k == "attributes[]")
            .map(|(_, v)| v.as_str())
            .collect();
        for needed in [
            "id",
            "status",
            "hire_date",
            "termination_date",
            "supervisor",
            "office",
            "email",
        ] {
            assert!(
                attributes.contains(&needed),
                "{needed} not requested: {attributes:?}"
            );
        }
        assert!(
            !attributes.contains(&"supervisor.id"),
            "attributes are top-level names"
        );
    }
    s.fetch().await.unwrap();
    assert_eq!(
        fake.token_count(),
        1,
        "the token is reused for its lifetime"
    );
    let text = format!("{s:?} {}", s.describe());
    assert!(
        !text.contains(CLIENT_SECRET) && !text.contains("papi-"),
        "{text}"
    );
}

#[tokio::test]
async fn a_429_is_waited_out_per_its_headers_and_a_used_up_limit_pauses_the_next_page() {
    let fake = PersonioFake::start(vec![lee(), ada(), ben()]).await;
    fake.script([
        Scripted::TooMany(vec![("retry-after", "1".to_owned())]),
        Scripted::Exhausted("1".to_owned()),
    ]);
    let began = std::time::Instant::now();
    let fetched = source(&fake).fetch_records().await.unwrap();
    assert_eq!(fetched.records.len(), 3);
    assert_eq!(fake.page_count(), 3, "the 429, then two pages");
    assert!(
        began.elapsed() >= Duration::from_millis(1900),
        "both waits were honoured: {:?}",
        began.elapsed()
    );
}

#[tokio::test]
async fn a_rate_limit_asking_for_too_long_fails_at_once() {
    let fake = PersonioFake::start(vec![ada()]).await;
    fake.script([Scripted::TooMany(vec![(
        "x-ratelimit-reset",
        "600".to_owned(),
    )])]);
    let err = source(&fake).fetch_records().await.unwrap_err().to_string();
    assert!(err.contains("rate limited by Personio (HTTP 429)"), "{err}");
    assert_eq!(fake.page_count(), 1);
}

#[tokio::test]
async fn wrong_credentials_stop_at_the_token_and_nothing_leaks() {
    let fake = PersonioFake::start(vec![ada()]).await;
    let s = source_with(&fake, 2, "wrong-secret-value");
    let err = s.fetch().await.unwrap_err();
    assert!(matches!(err, SourceError::Auth { .. }), "{err:?}");
    let text = format!("{err} {err:?}");
    assert!(
        text.contains("401") && text.contains("Wrong credentials"),
        "{text}"
    );
    assert!(
        !text.contains("wrong-secret-value") && !text.contains(CLIENT_SECRET),
        "{text}"
    );
    assert_eq!(fake.page_count(), 0, "no page is asked without a token");
}

#[tokio::test]
async fn a_cached_token_refused_before_its_time_is_replaced_once() {
    let fake = PersonioFake::start(vec![lee(), ada()]).await;
    let s = source(&fake);
    s.fetch_records().await.unwrap();
    fake.state.lock().unwrap().tokens.clear(); // revoked in Personio
    assert_eq!(s.fetch_records().await.unwrap().records.len(), 2);
    assert_eq!(fake.token_count(), 2, "one new token");
    // A fresh token refused is final: no loop against the auth endpoint.
    fake.script([Scripted::Denied(401)]);
    fake.state.lock().unwrap().tokens.clear();
    let err = s.fetch_records().await.unwrap_err();
    assert!(matches!(err, SourceError::Auth { .. }), "{err:?}");
    assert_eq!(fake.token_count(), 3);
}

#[tokio::test]
async fn a_403_on_a_page_stops_at_once() {
    let fake = PersonioFake::start(vec![lee(), ada(), ben()]).await;
    fake.script([Scripted::Denied(403)]);
    let err = source(&fake).fetch_records().await.unwrap_err();
    assert!(matches!(err, SourceError::Auth { .. }), "{err:?}");
    assert!(err.to_string().contains("403"), "{err}");
    assert_eq!(fake.page_count(), 1);
}

#[tokio::test]
async fn a_server_error_is_retried() {
    let fake = PersonioFake::start(vec![ada()]).await;
    fake.script([Scripted::ServerError(500)]);
    assert_eq!(
        source(&fake).fetch_records().await.unwrap().records.len(),
        1
    );
}

#[tokio::test]
async fn a_required_attribute_withheld_for_everyone_fails_the_fetch_naming_it() {
    let fake = PersonioFake::start(vec![lee(), ada(), ben()]).await;
    fake.state
        .lock()
        .unwrap()
        .hidden
        .insert("hire_date".to_owned());
    let err = source(&fake).fetch_records().await.unwrap_err();
    match &err {
        SourceError::MissingField { field, message, .. } => {
            assert_eq!(field, "hire_date");
            assert!(message.contains("API credential"), "{message}");
        }
        other => panic!("expected MissingField, got {other:?}"),
    }
}

#[tokio::test]
async fn an_html_page_a_cut_body_and_a_short_enumeration_each_fail_the_fetch() {
    let fake = PersonioFake::start(vec![lee(), ada(), ben()]).await;
    fake.script([
        Scripted::ServerError(502),
        Scripted::ServerError(502),
        Scripted::ServerError(502),
        Scripted::Html,
    ]);
    let err = source(&fake).fetch_records().await.unwrap_err().to_string();
    assert!(
        err.contains("HTTP 502") && err.contains("502 Bad Gateway"),
        "{err}"
    );

    fake.script([Scripted::CutJson]);
    let err = source(&fake).fetch_records().await.unwrap_err().to_string();
    assert!(err.contains("truncated"), "{err}");

    fake.state.lock().unwrap().overstated = 5;
    let err = source(&fake).fetch_records().await.unwrap_err().to_string();
    assert!(
        err.contains("said 8 employees but the pages held 3"),
        "{err}"
    );
}

#[tokio::test]
async fn end_to_end_the_shipped_config_creates_stages_keeps_still_and_deactivates_a_leaver() {
    let mut people = colleagues(20);
    people.extend([lee(), ada(), ben(), chloe()]);
    let fake = PersonioFake::start(people).await;
    let env = ShippedEnv::start(
        SHIPPED,
        &[
            (
                "base_url = \"https://api.personio.de\"",
                format!("base_url = \"{}\"", fake.base_url),
            ),
            ("page_size = 100", "page_size = 10".to_owned()),
        ],
        &[("p-id", CLIENT_ID), ("p-secret", CLIENT_SECRET)],
        &[
            ("okta-token", "okta-token"),
            ("personio-client-id", "p-id"),
            ("personio-client-secret", "p-secret"),
        ],
    )
    .await;

    let check = env.hrsync(&["check", "--offline"]).await;
    let report = String::from_utf8_lossy(&check.stdout).into_owned();
    assert_eq!(
        check.status.code(),
        Some(0),
        "{}",
        crate::reliability::org::text(&check)
    );
    assert!(report.contains("personio api"), "{report}");
    assert!(report.contains("24 loaded"), "{report}");
    assert!(report.contains("1 pre_hire"), "{report}");
    assert!(!report.contains(CLIENT_SECRET), "{report}");

    let first = env.sync_json().await;
    assert_eq!(first["status"], "applied", "{first}");
    assert_eq!(
        first["counts"]["created"], 23,
        "everyone but the leaver: {first}"
    );
    assert_eq!(
        env.user_of("1050").status,
        UserStatus::Staged,
        "onboarding is STAGED"
    );
    let ada_user = env.user_of("1042");
    assert!(ada_user.status.is_activated());
    assert_eq!(ada_user.attr("department"), Some("Data Platform"));
    assert_eq!(ada_user.attr("manager"), Some("lee.moreau@example.com"));

    env.okta().reset_stats();
    let second = env.sync_json().await;
    assert_eq!(second["status"], "no_changes", "{second}");
    assert_eq!(
        env.okta().stats().writes(),
        0,
        "a second run writes nothing: {second}"
    );

    {
        let mut s = fake.state.lock().unwrap();
        let ada = s
            .employees
            .iter_mut()
            .find(|e| e["attributes"]["id"]["value"] == 1042)
            .unwrap();
        ada["attributes"]["status"]["value"] = json!("inactive");
        ada["attributes"]["termination_date"]["value"] = json!(day(-1));
    }
    let third = env.sync_json().await;
    assert_eq!(third["counts"]["deactivated"], 1, "{third}");
    assert_eq!(env.user_of("1042").status, UserStatus::Deprovisioned);
}
