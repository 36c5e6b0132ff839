//! Bad HR records: at least 30 kinds, mixed into a good roster. Each is refused by the source
//! with a reason naming its line and field, planned around with a finding (or failed in
//! apply with Okta's reason) naming the employee, or handled safely (normalised, escaped),
//! while every good record is applied.

use super::org::{Org, Setup, Tally, ids, roster};
use crate::support::ModelUsers;
use hrsync::apply::Outcome;
use hrsync::emulator::EmulatorConfig;
use hrsync::model::OktaUser;

use super::bad_record_cases::{Expect, ID, INACTIVE_LISTED, cases, line};
use hrsync::sync::RunReport;

/// Good employees around the bad records.
const GOOD: usize = 30;

fn user_of<'a>(users: &'a [OktaUser], id: &str) -> Option<&'a OktaUser> {
    users.iter().find(|u| u.attr("employeeNumber") == Some(id))
}

fn reasoned_any(report: &RunReport, rows: &[[String; 11]]) -> bool {
    rows.iter().any(|r| reasoned(report, r[ID].trim()))
}

fn reasoned(report: &RunReport, id: &str) -> bool {
    let finding =
        report.plan.findings.iter().any(|f| {
            f.employee_id.as_ref().is_some_and(|e| e.as_str() == id) && !f.detail.is_empty()
        });
    let failed = report.apply.as_ref().is_some_and(|a| {
        a.outcomes.iter().any(|o| {
            o.action
                .employee_id
                .as_ref()
                .is_some_and(|e| e.as_str() == id)
                && !matches!(o.outcome, Outcome::Applied { .. })
        })
    });
    finding || failed
}

#[tokio::test]
async fn every_kind_of_bad_record_is_refused_or_handled_and_every_good_record_is_applied() {
    let cases = cases();
    let mut csv = roster(GOOD);
    let mut lines: Vec<Vec<usize>> = Vec::new();
    let mut next_line = GOOD + 2; // header is line 1
    for c in &cases {
        let mut own = Vec::new();
        for r in &c.rows {
            csv.push_str(&line(r));
            own.push(next_line);
            // A quoted newline makes a record span two physical lines.
            next_line += line(r).matches('\n').count();
        }
        lines.push(own);
    }
    let setup = Setup {
        extra: "[safety]\nmax_rejected_percent = 100\n".into(),
        status: INACTIVE_LISTED.into(),
        ..Setup::default()
    };
    let org = Org::start_with(&csv, EmulatorConfig::default(), setup).await;
    org.emulator
        .seed(vec![serde_json::json!({"status": "ACTIVE", "profile": {
        "login": "taken@example.com", "email": "taken@example.com",
        "firstName": "Not", "lastName": "Managed"}})]);
    let report = org.sync(chrono::Utc::now()).await.unwrap();
    let users = org.emulator.model_users();

    let mut failures = Vec::new();
    for (c, own) in cases.iter().zip(&lines) {
        let refusals: Vec<_> = report
            .rejected
            .iter()
            .filter(|r| own.iter().any(|l| r.location.ends_with(&format!(":{l}"))))
            .collect();
        let refused_with = |field: Option<&str>| {
            own.iter().all(|l| {
                refusals.iter().any(|r| {
                    r.location.ends_with(&format!(":{l}"))
                        && !r.reason.is_empty()
                        && field.is_none_or(|f| r.field.as_deref() == Some(f))
                })
            })
        };
        let ok = match c.expect {
            Expect::Refused(field) => refused_with(field),
            Expect::Reasoned => reasoned_any(&report, &c.rows),
            Expect::RefusedOrReasoned => refused_with(None) || reasoned_any(&report, &c.rows),
            Expect::NotProvisioned => refusals.is_empty() && user_of(&users, c.id).is_none(),
            Expect::Applied(check) => {
                refusals.is_empty() && user_of(&users, c.id).is_some_and(check)
            }
        };
        let how = refusals
            .first()
            .map(|r| format!("refused: {r}"))
            .or_else(|| {
                report
                    .plan
                    .findings
                    .iter()
                    .find(|f| f.employee_id.as_ref().is_some_and(|e| e.as_str() == c.id))
                    .map(|f| format!("finding: {}", f.detail))
            })
            .unwrap_or_else(|| format!("okta user: {}", user_of(&users, c.id).is_some()));
        println!(
            "bad record {:<58} {} {how:.160}",
            c.kind,
            if ok { "ok " } else { "BAD" }
        );
        if !ok {
            failures.push(c.kind);
        }
    }
    println!(
        "bad record kinds: {}, not handled: {}",
        cases.len(),
        failures.len()
    );
    assert!(cases.len() >= 30);
    assert!(failures.is_empty(), "not handled as expected: {failures:?}");
    assert_eq!(
        org.tally(&ids(GOOD)),
        Tally::CLEAN,
        "every good record applied"
    );
    let unmanaged = users
        .iter()
        .find(|u| u.login() == Some("taken@example.com"))
        .unwrap();
    assert_eq!(
        unmanaged.attr("employeeNumber"),
        None,
        "the unmanaged user is untouched"
    );
}
