//! Tests of the file source: good files and bad input of every kind.

use super::*;
use crate::config::{Delimiter, StatusRule, TimezoneRule};
use crate::model::EmploymentStatus;
use std::path::PathBuf;

fn cfg() -> EmployeeConfig {
    EmployeeConfig {
        id: "id".into(),
        status: StatusRule::active_inactive("status", vec!["Active".into()], None),
        phase: None,
        require_start_date: false,
        max_records: usize::MAX,
        start_date: Some("start_date".into()),
        termination_date: vec!["termination_date".into()],
        timezone: TimezoneRule::iana(Some("site_timezone"), chrono_tz::UTC),
        manager: Some("manager_id".into()),
        scope: None,
    }
}

fn csv(text: &str) -> Result<Snapshot, SourceError> {
    parse(
        text.as_bytes(),
        &PathBuf::from("/hr/employees.csv"),
        FileFormat::Csv,
        b',',
        &cfg(),
    )
}

fn json(text: &str) -> Result<Snapshot, SourceError> {
    parse(
        text.as_bytes(),
        &PathBuf::from("/hr/employees.json"),
        FileFormat::Json,
        b',',
        &cfg(),
    )
}

fn rejected(s: &Snapshot) -> Vec<String> {
    s.rejected.iter().map(ToString::to_string).collect()
}

const HEADER: &str =
    "id,first_name,last_name,email,status,start_date,termination_date,site_timezone,manager_id\n";

#[test]
fn a_csv_with_bom_quotes_and_crlf_loads() {
    let text = format!(
        "\u{feff}{}1,\"Núñez, José\",Núñez,jose@example.com,Active,2026-01-05,,Europe/Madrid,\r\n2,Zoë,\"Å \"\"Z\"\"\",zoe@example.com,Inactive,,,,1\r\n",
        HEADER.replace('\n', "\r\n")
    );
    let s = csv(&text).unwrap();
    assert_eq!(s.rejected, vec![]);
    assert_eq!(s.employees.len(), 2);
    assert_eq!(s.employees[0].field("first_name"), Some("Núñez, José"));
    assert_eq!(s.employees[0].origin, "employees.csv:2");
    assert_eq!(s.employees[1].field("last_name"), Some("Å \"Z\""));
    assert_eq!(s.employees[1].status, EmploymentStatus::Inactive);
    assert_eq!(s.employees[1].manager_id.as_ref().unwrap().as_str(), "1");
}

#[test]
fn a_semicolon_csv_loads_with_the_semicolon_delimiter() {
    let text = "id;status;email\n7;Active;a@example.com\n";
    let s = parse(
        text.as_bytes(),
        &PathBuf::from("e.csv"),
        FileFormat::Csv,
        b';',
        &cfg(),
    )
    .unwrap();
    assert_eq!(s.employees.len(), 1);
    let err = csv(text).unwrap_err().to_string();
    assert!(err.contains("set delimiter = \";\""), "{err}");
}

#[test]
fn bad_rows_are_rejected_with_their_line_and_the_rest_load() {
    let text = format!(
        "{HEADER}1,Ada,K,ada@example.com,Active,2026-02-30,,,\n2,Bo,L,bo@example.com,Active\n3,Cy,M,cy@example.com,Active,,,,\n,No,Id,x@example.com,Active,,,,\n"
    );
    let s = csv(&text).unwrap();
    assert_eq!(s.employees.len(), 1);
    assert_eq!(s.employees[0].id.as_str(), "3");
    let r = rejected(&s);
    assert!(
        r[0].starts_with("employees.csv:2: start_date: \"2026-02-30\" is not a date"),
        "{r:?}"
    );
    assert_eq!(r[1], "employees.csv:3: has 5 fields; the header has 9");
    assert_eq!(
        r[2],
        "employees.csv:5: id: is missing; every record needs an employee id"
    );
}

#[test]
fn a_quoted_field_spanning_lines_is_reported_at_its_first_line_and_refused() {
    let text = format!(
        "{HEADER}1,\"Ada\nLovelace\",K,ada@example.com,Active,,,,\n2,Bo,L,bo@example.com,Active,,,,\n"
    );
    let s = csv(&text).unwrap();
    assert_eq!(s.employees.len(), 1);
    assert!(rejected(&s)[0].starts_with("employees.csv:2: first_name: value contains a control"));
    assert_eq!(s.employees[0].origin, "employees.csv:4");
}

#[test]
fn non_utf8_bytes_reject_the_row() {
    let mut bytes = HEADER.as_bytes().to_vec();
    bytes.extend_from_slice(b"1,Jos\xe9,N,jose@example.com,Active,,,,\n");
    let s = parse(
        &bytes,
        &PathBuf::from("e.csv"),
        FileFormat::Csv,
        b',',
        &cfg(),
    )
    .unwrap();
    assert_eq!(
        rejected(&s),
        vec!["e.csv:2: first_name: is not UTF-8 text; export the file as UTF-8"]
    );
}

#[test]
fn duplicate_ids_reject_both_rows_naming_both_lines() {
    let text = format!(
        "{HEADER}5,A,A,a@example.com,Active,,,,\n5,B,B,b@example.com,Active,,,,\n6,C,C,c@example.com,Active,,,,\n"
    );
    let s = csv(&text).unwrap();
    assert_eq!(s.employees.len(), 1);
    let r = rejected(&s);
    assert_eq!(r.len(), 2);
    assert!(r[0].contains("(employees.csv:2, employees.csv:3)"), "{r:?}");
}

#[test]
fn an_empty_file_a_missing_id_column_or_a_bad_header_fail_the_whole_fetch() {
    assert!(matches!(csv(""), Err(SourceError::Malformed { .. })));
    let e = csv("name,status\nAda,Active\n").unwrap_err().to_string();
    assert!(e.contains("the header has no column \"id\""), "{e}");
    let e = csv("id,status,id\n1,Active,1\n").unwrap_err().to_string();
    assert!(e.contains("appears twice"), "{e}");
    let e = csv("id,,status\n1,x,Active\n").unwrap_err().to_string();
    assert!(e.contains("has no name"), "{e}");
}

#[test]
fn a_header_only_file_gives_an_empty_snapshot_not_an_error() {
    let s = csv(HEADER).unwrap();
    assert!(s.employees.is_empty() && s.rejected.is_empty());
}

#[test]
fn a_json_array_is_flattened_to_dotted_paths_with_text_values() {
    let text = r#"[
  {"id": 42, "status": "Active", "work": {"department": "Eng", "manager": null, "remote": true},
   "phones": ["+1 555"], "email": "a@example.com"},
  {"id": "43", "status": "Active", "email": "b@example.com"}
]"#;
    let s = json(text).unwrap();
    assert_eq!(s.rejected, vec![]);
    let e = &s.employees[0];
    assert_eq!(e.id.as_str(), "42");
    assert_eq!(e.field("work.department"), Some("Eng"));
    assert_eq!(e.field("work.remote"), Some("true"));
    assert_eq!(e.field("work.manager"), None);
    assert_eq!(e.field("phones.0"), Some("+1 555"));
    assert_eq!(e.origin, "employees.json:2");
    assert_eq!(s.employees[1].origin, "employees.json:4");
}

#[test]
fn json_records_that_are_not_objects_or_are_bad_are_rejected_with_lines() {
    let text = "[\n  {\"id\": \"1\", \"status\": \"Active\"},\n  \"oops\",\n  {\"id\": \"2\", \"status\": \"Active\", \"start_date\": \"tomorrow\"}\n]";
    let s = json(text).unwrap();
    assert_eq!(s.employees.len(), 1);
    let r = rejected(&s);
    assert_eq!(
        r[0],
        "employees.json:3: is a JSON string; expected an object"
    );
    assert!(
        r[1].starts_with("employees.json:4: start_date: \"tomorrow\" is not a date"),
        "{r:?}"
    );
}

#[test]
fn malformed_json_or_a_non_array_fails_the_whole_fetch() {
    let e = json("[{\"id\": 1,}]").unwrap_err().to_string();
    assert!(
        e.contains("employees.json:1:") && e.contains("not valid JSON"),
        "{e}"
    );
    let e = json("{\"employees\": []}").unwrap_err().to_string();
    assert!(e.contains("expected a JSON array"), "{e}");
}

#[tokio::test]
async fn an_unreadable_file_is_an_error_never_an_empty_snapshot() {
    let source = FileSource::new(
        FileSourceConfig {
            path: PathBuf::from("/nonexistent/employees.csv"),
            format: Some(FileFormat::Csv),
            delimiter: Delimiter(b','),
        },
        cfg(),
    );
    let err = source.fetch().await.unwrap_err();
    assert!(matches!(err, SourceError::Unreadable { .. }), "{err}");
    // The I/O error is the cause, printed once in the chain.
    assert_eq!(
        crate::errors::describe(&err),
        "/nonexistent/employees.csv: cannot read: No such file or directory (os error 2)"
    );
}

#[tokio::test]
async fn the_file_source_reads_a_real_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("people.csv");
    std::fs::write(
        &path,
        format!("{HEADER}1,Ada,K,ada@example.com,Active,,,,\n"),
    )
    .unwrap();
    let source = FileSource::new(
        FileSourceConfig {
            path,
            format: Some(FileFormat::Csv),
            delimiter: Delimiter(b','),
        },
        cfg(),
    );
    assert!(source.describe().contains("people.csv (CSV)"));
    assert_eq!(source.fetch().await.unwrap().employees.len(), 1);
}

#[test]
fn element_lines_follow_strings_with_brackets_and_escapes() {
    let text = b"[\n{\"a\": \"]\\\"[\"},\n\n7,\n[1,\n2]]";
    assert_eq!(element_lines(text), vec![2, 4, 5]);
}

#[test]
fn a_json_id_written_as_a_float_is_the_same_id_and_a_fractional_one_is_refused() {
    let text = r#"[
        {"id": 1000.0, "status": "Active", "start_date": "2020-01-06", "manager_id": 7.0},
        {"id": 1001.5, "status": "Active", "start_date": "2020-01-06"}
    ]"#;
    let s = json(text).unwrap();
    assert_eq!(s.employees.len(), 1);
    assert_eq!(s.employees[0].id.as_str(), "1000");
    assert_eq!(s.employees[0].manager_id.as_ref().unwrap().as_str(), "7");
    assert_eq!(s.rejected.len(), 1);
    assert!(
        s.rejected[0]
            .reason
            .contains("\"1001.5\" is a number with a decimal part"),
        "{:?}",
        s.rejected
    );
}

#[test]
fn a_file_with_more_records_than_max_employees_is_refused_at_the_first_one_over() {
    let mut c = cfg();
    c.max_records = 2;
    let text = "id,status,start_date\n1,Active,2020-01-06\n2,Active,2020-01-06\n3,Active,2020-01-06\n4,Active,2020-01-06\n";
    let err = parse(
        text.as_bytes(),
        &PathBuf::from("/hr/e.csv"),
        FileFormat::Csv,
        b',',
        &c,
    )
    .unwrap_err()
    .to_string();
    assert!(
        err.starts_with("/hr/e.csv:4: malformed: more than 2 records ([safety] max_employees = 2)"),
        "{err}"
    );
    let json =
        r#"[{"id":1,"status":"Active"},{"id":2,"status":"Active"},{"id":3,"status":"Active"}]"#;
    let err = parse(
        json.as_bytes(),
        &PathBuf::from("/hr/e.json"),
        FileFormat::Json,
        b',',
        &c,
    )
    .unwrap_err()
    .to_string();
    assert!(err.contains("more than 2 records"), "{err}");
    c.max_records = 4;
    assert!(
        parse(
            text.as_bytes(),
            &PathBuf::from("/hr/e.csv"),
            FileFormat::Csv,
            b',',
            &c
        )
        .is_ok()
    );
}

#[test]
fn a_csv_files_rows_are_estimated_from_its_start_and_counted_when_it_is_small() {
    let dir = tempfile::tempdir().unwrap();
    let small = dir.path().join("small.csv");
    std::fs::write(&small, "id,status\n1,Active\n2,Active").unwrap();
    assert_eq!(estimate_rows(&small), Some(2));
    std::fs::write(&small, "id,status\n1,Active\n2,Active\n").unwrap();
    assert_eq!(estimate_rows(&small), Some(2));

    let big = dir.path().join("big.csv");
    let mut text = String::from("id,first_name,last_name,status\n");
    for i in 0..30_000 {
        text.push_str(&format!("{i},Ada{},Lovelace{},Active\n", i % 97, i % 13));
    }
    std::fs::write(&big, &text).unwrap();
    let estimate = estimate_rows(&big).unwrap();
    assert!(
        (28_500..=31_500).contains(&estimate),
        "{estimate} for 30,000 rows"
    );
    assert_eq!(estimate_rows(&dir.path().join("missing.csv")), None);
}
