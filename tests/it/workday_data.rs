//! Realistic Workday RaaS rows for the Workday tests (README §4.5 shape; every value
//! invented) and the matching source and `[employee]` configuration.

use crate::workday_fake::*;
use hrsync::config::{EmployeeConfig, Secret, StatusRule, TimezoneRule, WorkdaySourceConfig};
use hrsync::source::http::RetryPolicy;
use hrsync::source::workday::WorkdaySource;
use serde_json::{Value, json};
use std::collections::BTreeMap;
use std::time::Duration;

/// A `Report_Entry` row in the README §4.5 shape (values invented).
pub fn worker(id: u32, (first, last): (&str, &str), active: &str, hire: &str, term: &str) -> Value {
    let email = format!(
        "{}.{}@example.com",
        first.to_lowercase(),
        last.to_lowercase()
    );
    json!({
        "Employee_ID": id.to_string(),
        "Legal_Name_-_First_Name": first,
        "Legal_Name_-_Last_Name": last,
        "Email_-_Primary_Work": email,
        "Business_Title": "Data Engineer",
        "Active_Status": active,
        "Hire_Date": hire,
        "Termination_Date": term,
        "Manager_ID": if id == 21000 { String::new() } else { "21000".to_owned() },
        "Supervisory_Organization": "Data Platform (Ada Kowalski)",
        "Location": "London",
        "Phone_-_Primary_Work": format!("+44 20 7946 {:04}", id % 10_000)
    })
}

/// `n` workers employed since 2024, ids 21000….
pub fn workers(n: u32) -> Vec<Value> {
    (0..n)
        .map(|i| {
            let last = format!("Colleague{i}");
            worker(21000 + i, ("Sam", &last), "1", "2024-03-04", "")
        })
        .collect()
}

pub fn columns() -> BTreeMap<String, String> {
    [
        ("id", "Employee_ID"),
        ("first_name", "Legal_Name_-_First_Name"),
        ("last_name", "Legal_Name_-_Last_Name"),
        ("email", "Email_-_Primary_Work"),
        ("active", "Active_Status"),
        ("hire_date", "Hire_Date"),
        ("termination_date", "Termination_Date"),
        ("manager_id", "Manager_ID"),
        ("department", "Supervisory_Organization"),
        ("cost_center", "Cost_Center"),
    ]
    .into_iter()
    .map(|(a, b)| (a.to_owned(), b.to_owned()))
    .collect()
}

pub fn employee_config() -> EmployeeConfig {
    EmployeeConfig {
        id: "id".to_owned(),
        status: StatusRule::active_inactive(
            "active",
            vec!["1".to_owned()],
            Some(vec!["0".to_owned()]),
        ),
        phase: None,
        require_start_date: true,
        max_records: 100_000,
        start_date: Some("hire_date".to_owned()),
        termination_date: vec!["termination_date".to_owned()],
        timezone: TimezoneRule::iana(None, chrono_tz::Europe::London),
        manager: Some("manager_id".to_owned()),
        scope: None,
    }
}

pub fn basic_config(fake: &WorkdayFake, password: &str) -> WorkdaySourceConfig {
    WorkdaySourceConfig {
        base_url: fake.base_url.parse().unwrap(),
        tenant: TENANT.to_owned(),
        owner: OWNER.to_owned(),
        report: REPORT.to_owned(),
        prompts: BTreeMap::from([("Include_Terminated_Workers".to_owned(), "1".to_owned())]),
        username: Some(ISU.to_owned()),
        password: Some(Secret::new(password)),
        client_id: None,
        client_secret: None,
        refresh_token: None,
        columns: columns(),
        request_timeout: Duration::from_secs(10),
        max_response_bytes: 1 << 30,
    }
}

pub fn oauth_config(fake: &WorkdayFake, refresh: &str) -> WorkdaySourceConfig {
    WorkdaySourceConfig {
        username: None,
        password: None,
        client_id: Some(CLIENT_ID.to_owned()),
        client_secret: Some(Secret::new(CLIENT_SECRET)),
        refresh_token: Some(Secret::new(refresh)),
        ..basic_config(fake, PASSWORD)
    }
}

pub fn quick_retry() -> RetryPolicy {
    RetryPolicy {
        max_attempts: 4,
        max_wait: Duration::from_secs(5),
        backoff: Duration::from_millis(10),
    }
}

pub fn source(config: &WorkdaySourceConfig) -> WorkdaySource {
    WorkdaySource::with_retry(config, employee_config(), quick_retry()).unwrap()
}
