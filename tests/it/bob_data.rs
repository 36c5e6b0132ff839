//! Realistic bob data for the HiBob tests (README §4 shapes; every value invented) and the
//! matching source and `[employee]` configuration.

use crate::bob_fake::{BobFake, TOKEN, USER};
use hrsync::config::{EmployeeConfig, HiBobSourceConfig, Secret, StatusRule, TimezoneRule};
use hrsync::source::hibob::{HiBobSource, RetryPolicy};
use serde_json::{Value, json};
use std::collections::{BTreeMap, HashMap};
use std::time::Duration;

pub fn ada() -> Value {
    json!({
        "id": "3401928374650192837",
        "companyId": 600123,
        "email": "ada.kowalski@example.com",
        "firstName": "Ada",
        "surname": "Kowalski",
        "displayName": "Ada Kowalski",
        "creationDateTime": "2024-02-12T09:30:11.482913",
        "work": {
            "title": "Data Engineer",
            "department": "209184712",
            "site": "London HQ",
            "siteId": 1842211,
            "employeeIdInCompany": 1042,
            "startDate": "2024-03-04",
            "isManager": false,
            "reportsTo": { "id": "3401928374650100001", "email": "lee.moreau@example.com",
                           "firstName": "Lee", "surname": "Moreau", "displayName": "Lee Moreau" },
            "manager": "3401928374650100001",
            "workPhone": "+44 20 7946 0001"
        },
        "internal": {
            "status": "Active",
            "lifecycleStatus": "employed",
            "terminationDate": null
        },
        "payroll": { "employment": { "type": "209100001", "contract": "209100007" } },
        "/work/department": { "value": "209184712" }
    })
}

/// A pre-hire, in slash notation only: inactive in bob until the start date.
pub fn ben_prehire() -> Value {
    json!({
        "/root/id": { "value": "3401928374650192900" },
        "/root/email": { "value": "ben.okafor@example.com" },
        "/root/firstName": { "value": "Ben" },
        "/root/surname": { "value": "Okafor" },
        "/work/department": { "value": "209184700" },
        "/work/startDate": { "value": "2026-12-07" },
        "/internal/status": { "value": "Inactive" },
        "/internal/lifecycleStatus": { "value": "hired" },
        "internal": { "status": "Inactive" }
    })
}

/// A leaver on garden leave, with a Unicode name.
pub fn chloe_leaver() -> Value {
    json!({
        "id": "3401928374650100777",
        "email": "chloe.lefevre@example.com",
        "firstName": "Chloé",
        "surname": "Lefèvre",
        "work": { "department": "209184700", "startDate": "2021-06-01", "title": "Analyst" },
        "internal": { "status": "Inactive", "lifecycleStatus": "terminated",
                      "terminationDate": "2026-06-30" },
        "employee": { "lastDayOfWork": "2026-05-29" }
    })
}

pub fn department_list() -> Value {
    json!({"name": "department", "values": [
        {"id": "209184700", "value": "Engineering", "archived": false, "children": [
            {"id": "209184712", "value": "Data Platform", "archived": false, "children": []}
        ]}
    ]})
}

pub fn lists() -> HashMap<String, Value> {
    HashMap::from([("department".to_owned(), department_list())])
}

pub fn employee_config() -> EmployeeConfig {
    EmployeeConfig {
        id: "root.id".to_owned(),
        status: StatusRule::active_inactive("internal.status", vec!["Active".to_owned()], None),
        phase: None,
        require_start_date: false,
        max_records: usize::MAX,
        start_date: Some("work.startDate".to_owned()),
        termination_date: vec![
            "internal.terminationDate".to_owned(),
            "employee.lastDayOfWork".to_owned(),
        ],
        timezone: TimezoneRule::iana(None, chrono_tz::Europe::London),
        manager: Some("work.reportsTo.id".to_owned()),
        scope: None,
    }
}

pub fn source_config(fake: &BobFake, token: &str) -> HiBobSourceConfig {
    HiBobSourceConfig {
        base_url: fake.base_url.parse().unwrap(),
        service_user_id: Secret::new(USER),
        token: Secret::new(token),
        fields: vec![
            "root.id".to_owned(),
            "root.email".to_owned(),
            "root.firstName".to_owned(),
            "root.surname".to_owned(),
            "work.department".to_owned(),
        ],
        named_lists: BTreeMap::from([
            ("work.department".to_owned(), "department".to_owned()),
            ("work.custom.team".to_owned(), "department".to_owned()),
        ]),
        webhook_secret: None,
        webhook_min_interval: Duration::from_secs(30),
        request_timeout: Duration::from_secs(10),
        max_response_bytes: 1 << 30,
    }
}

pub fn quick_retry() -> RetryPolicy {
    RetryPolicy {
        max_attempts: 4,
        max_wait: Duration::from_secs(5),
        backoff: Duration::from_millis(10),
    }
}

pub fn source(fake: &BobFake) -> HiBobSource {
    HiBobSource::with_retry(source_config(fake, TOKEN), employee_config(), quick_retry()).unwrap()
}
