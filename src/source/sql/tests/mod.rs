//! Tests of the SQL source against the real PostgreSQL and MariaDB servers (a fresh database
//! per test, dropped afterwards; skipped with one line per group where none runs), and of the
//! row sink on its own.

mod mysql;
mod pg;

use super::*;
use crate::config::{StatusRule, TimezoneRule};
use crate::db::DbTarget;
use crate::db::testdb::TestDb;
use std::time::Duration;

fn employee() -> EmployeeConfig {
    EmployeeConfig {
        id: "id".into(),
        status: StatusRule::active_inactive("status", vec!["Active".into()], None),
        phase: None,
        require_start_date: false,
        max_records: usize::MAX,
        start_date: Some("start_date".into()),
        termination_date: vec!["termination_date".into()],
        timezone: TimezoneRule::iana(None, chrono_tz::UTC),
        manager: Some("manager_id".into()),
        scope: None,
    }
}

fn source(url: &str, query: &str, timeout: u64) -> SqlSource {
    let sql = SqlSourceConfig {
        url: DbTarget::parse(url).unwrap(),
        query: query.to_owned(),
        query_timeout: Duration::from_secs(timeout),
        connect_timeout: Duration::from_secs(5),
    };
    SqlSource::new(sql, employee())
}

/// The URL with its user name and password replaced.
fn with_credentials(url: &str, user: &str, password: &str) -> String {
    let mut url = url::Url::parse(url).unwrap();
    url.set_username(user).unwrap();
    url.set_password(Some(password)).unwrap();
    url.to_string()
}

fn ok_row(id: &str) -> Vec<text::Cell> {
    vec![Ok(Some(id.to_owned())), Ok(Some("Active".to_owned()))]
}

#[test]
fn the_sink_refuses_a_row_with_an_unreadable_value_by_row_and_column_and_keeps_the_rest() {
    let cfg = employee();
    let mut sink = Sink::new(&cfg, "sql test".into());
    sink.columns(vec!["id".into(), "status".into()]).unwrap();
    sink.row(ok_row("1")).unwrap();
    sink.row(vec![Ok(Some("2".into())), Err("is not UTF-8 text".into())])
        .unwrap();
    sink.row(ok_row("3")).unwrap();
    let snapshot = sink.finish().unwrap();
    assert_eq!(snapshot.employees.len(), 2);
    let r = &snapshot.rejected[0];
    assert_eq!(
        r.to_string(),
        "sql:row 2: status: cannot be read: is not UTF-8 text"
    );
    assert_eq!(r.employee_id.as_deref(), Some("2"));
}

#[test]
fn the_sink_refuses_duplicate_or_missing_columns_for_the_whole_fetch() {
    let cfg = employee();
    let mut sink = Sink::new(&cfg, "sql test".into());
    let err = sink
        .columns(vec!["id".into(), "status".into(), "id".into()])
        .unwrap_err();
    assert!(err.to_string().contains("two columns"), "{err}");
    let err = sink.columns(vec!["id".into(), "state".into()]).unwrap_err();
    assert!(err.to_string().contains("no column \"status\""), "{err}");
}

#[test]
fn the_sink_stops_at_max_employees_instead_of_reading_on() {
    let mut cfg = employee();
    cfg.max_records = 2;
    let mut sink = Sink::new(&cfg, "sql test".into());
    sink.columns(vec!["id".into(), "status".into()]).unwrap();
    sink.row(ok_row("1")).unwrap();
    sink.row(ok_row("2")).unwrap();
    let err = sink.row(ok_row("3")).unwrap_err();
    assert!(err.to_string().contains("max_employees"), "{err}");
}

/// The HR view `config/hrsync.sql.toml`'s query reads, with two people.
const EXAMPLE_VIEW: &str = "
    CREATE SCHEMA hr;
    CREATE TABLE hr.people (
        employee_id int, status text, work_email text, first_name text, last_name text,
        job_title text, department text, manager_id int, start_date date,
        termination_date date, site_timezone text, salary numeric);
    CREATE VIEW hr.okta_feed AS SELECT employee_id, status, work_email, first_name, last_name,
        job_title, department, manager_id, start_date, termination_date, site_timezone
        FROM hr.people;
    INSERT INTO hr.people VALUES
        (1, 'Active', 'ada@example.com', 'Ada', 'Lovelace', 'CEO', 'Board', NULL,
         '2020-01-06', NULL, 'Europe/London', 1),
        (2, 'Terminated', 'bob@example.com', 'Bob', 'Byte', 'Dev', 'R&D', 1,
         '2021-03-01', '2026-01-31', NULL, 2);
";

#[tokio::test]
async fn the_shipped_sql_example_loads_and_its_query_reads_the_view_it_documents() {
    let Some(db) = TestDb::postgres("the SQL example config on PostgreSQL") else {
        return;
    };
    db.exec(EXAMPLE_VIEW).unwrap();
    let url = db.url.clone();
    let lookup = move |name: &str| match name {
        "OKTA_API_TOKEN" => Some("00abcdefghijklmnopqrstuvwxyz0123456789ABCD".to_owned()),
        "HR_DATABASE_URL" => Some(url.clone()),
        _ => None,
    };
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("config/hrsync.sql.toml");
    let config = crate::config::Config::load_with(&path, lookup).unwrap_or_else(|e| panic!("{e}"));
    let crate::config::SourceConfig::Sql(sql) = &config.source else {
        panic!("an sql source expected");
    };
    assert_eq!(sql.query_timeout.as_secs(), 60);
    assert_eq!(sql.connect_timeout.as_secs(), 10);
    let source = SqlSource::new(sql.clone(), config.employee.clone());
    let snapshot = source.fetch().await.unwrap();
    assert!(snapshot.rejected.is_empty(), "{:?}", snapshot.rejected);
    assert_eq!(snapshot.employees.len(), 2);
    let bob = &snapshot.employees[1];
    assert_eq!(bob.field("title"), Some("Dev"));
    assert_eq!(
        bob.termination_date.map(|d| d.to_string()).as_deref(),
        Some("2026-01-31")
    );
}

#[test]
fn the_url_is_a_secret_reference_and_a_plain_string_or_bad_url_is_refused_at_load() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("token"), "secret-value-123\n").unwrap();
    std::fs::write(dir.path().join("db-url"), "ftp://hr:Pw-in-file-1@db/hr\n").unwrap();
    let write = |source: &str| {
        let text = format!(
            "[okta]\norg_url = \"https://example.okta.com\"\ntoken = {{ file = \"token\" }}\n[source]\ntype = \"sql\"\n{source}"
        );
        let path = dir.path().join("hrsync.toml");
        std::fs::write(&path, text).unwrap();
        crate::config::Config::load_with(&path, |_| None)
            .unwrap_err()
            .to_string()
    };
    let plain = write("url = \"postgres://hr:Pw-inline-1@db/hr\"\nquery = \"SELECT 1\"\n");
    assert!(plain.contains("source.url"), "{plain}");
    assert!(plain.contains("written as a reference"), "{plain}");
    assert!(!plain.contains("Pw-inline-1"), "{plain}");
    let scheme = write("url = { file = \"db-url\" }\nquery = \"SELECT 1\"\n");
    assert!(scheme.contains("\"ftp\" is not a database"), "{scheme}");
    assert!(!scheme.contains("Pw-in-file-1"), "{scheme}");
    let bad = write(
        "url = { file = \"db-url\" }\nquery = \" ; \"\nquery_timeout_seconds = 0\nsslmode = \"x\"\n",
    );
    assert!(bad.contains("source.query"), "{bad}");
    assert!(bad.contains("source.query_timeout_seconds"), "{bad}");
    assert!(bad.contains("sslmode"), "{bad}");
}
