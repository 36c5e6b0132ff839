//! Identity through the binary on the emulator: ids that drift in format, a rehire under a new
//! id, a shared mailbox and a hiring wave over the create limit. After each, users are counted
//! by anchor and by login: one person, one account.

use crate::reliability::org::{HEADER, Org, Setup, roster, text};
use crate::support::ModelUsers;
use hrsync::emulator::EmulatorConfig;
use hrsync::model::OktaUser;
use std::collections::BTreeMap;

/// Live and total accounts per email address (login), lower case.
fn by_login(users: &[OktaUser]) -> BTreeMap<String, usize> {
    let mut out = BTreeMap::new();
    for u in users {
        *out.entry(u.login().unwrap_or_default().to_lowercase())
            .or_insert(0) += 1;
    }
    out
}

fn anchors(users: &[OktaUser]) -> Vec<String> {
    let mut a: Vec<String> = users
        .iter()
        .filter_map(|u| u.attr("employeeNumber").map(str::to_owned))
        .collect();
    a.sort();
    a
}

async fn synced(n: usize) -> Org {
    let org = Org::start_with(&roster(n), EmulatorConfig::default(), Setup::default()).await;
    let first = org.hrsync(&["sync"]).await;
    assert_eq!(first.status.code(), Some(0), "{}", text(&first));
    assert_eq!(org.emulator.model_users().len(), n);
    org
}

#[tokio::test]
async fn ids_that_gain_a_leading_zero_create_no_account_and_the_relinks_are_held() {
    let org = synced(12).await;
    let before = org.emulator.model_users();
    // Every id 10xx becomes 010xx: the same people, a changed export format.
    let drifted = roster(12)
        .lines()
        .map(|l| {
            if l.starts_with("10") {
                format!("0{l}\n")
            } else {
                format!("{l}\n")
            }
        })
        .collect::<String>();
    org.write_hr(&drifted);
    org.emulator.reset_stats();
    let out = org.hrsync(&["sync"]).await;
    assert_eq!(out.status.code(), Some(3), "{}", text(&out));
    let shown = String::from_utf8_lossy(&out.stdout);
    assert!(
        shown.contains("12 new ids match existing managed users by email, e.g. 1001 → 01001: did the id format change?"),
        "{shown}"
    );
    assert_eq!(org.emulator.stats().writes(), 0, "{}", text(&out));
    assert_eq!(
        org.emulator.model_users(),
        before,
        "no account created, renamed or deactivated"
    );

    // Approved once (it really was a re-key), every account is relinked: still one each.
    let out = org.hrsync(&["sync", "--allow-relinks", "12"]).await;
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    let after = org.emulator.model_users();
    assert_eq!(after.len(), 12);
    assert!(by_login(&after).values().all(|n| *n == 1));
    assert_eq!(
        anchors(&after),
        (1..=12)
            .map(|i| format!("0{}", 1000 + i))
            .collect::<Vec<_>>()
    );
    let again = org.hrsync(&["plan", "--detailed-exitcode"]).await;
    assert_eq!(again.status.code(), Some(0), "{}", text(&again));
}

#[tokio::test]
async fn json_ids_written_as_floats_and_nfd_ids_are_the_same_people() {
    let org = Org::start_with(
        &json_roster(&["1001", "1002", "Zo\u{e9}3"]),
        EmulatorConfig::default(),
        Setup {
            hr_file: "employees.json".into(),
            ..Setup::default()
        },
    )
    .await;
    let first = org.hrsync(&["sync"]).await;
    assert_eq!(first.status.code(), Some(0), "{}", text(&first));
    let before = org.emulator.model_users();
    assert_eq!(before.len(), 3);
    // The export now writes numeric ids as floats and the accented id decomposed (NFD).
    org.write_hr(&json_roster(&["1001.0", "1002.0", "Zoe\u{301}3"]));
    org.emulator.reset_stats();
    let out = org.hrsync(&["sync"]).await;
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    assert_eq!(org.emulator.stats().writes(), 0, "{}", text(&out));
    assert_eq!(org.emulator.model_users(), before);
}

/// A JSON roster; ids that parse as numbers are written as JSON numbers.
fn json_roster(ids: &[&str]) -> String {
    let people: Vec<serde_json::Value> = ids
        .iter()
        .enumerate()
        .map(|(i, id)| {
            let id_value = id
                .parse::<f64>()
                .ok()
                .and_then(serde_json::Number::from_f64)
                .filter(|_| id.contains('.'))
                .map(serde_json::Value::Number)
                .or_else(|| id.parse::<u64>().ok().map(serde_json::Value::from))
                .unwrap_or_else(|| serde_json::Value::from(*id));
            serde_json::json!({
                "id": id_value, "first_name": format!("First{i}"), "last_name": format!("Last{i}"),
                "email": format!("person{i}@example.com"), "department": "Dept1",
                "status": "Active", "start_date": "2024-01-15", "site_timezone": "Europe/London"
            })
        })
        .collect();
    serde_json::to_string(&people).unwrap()
}

/// Three employees synced, then 1002 leaves (a termination date in the past) and is
/// deactivated. Returns the org and the roster with the leaver.
async fn three_with_a_leaver() -> (Org, String) {
    let setup = Setup {
        // Three managed users: let the one leaver go.
        extra: "[safety]\nmax_deactivation_percent = 100\n".into(),
        ..Setup::default()
    };
    let org = Org::start_with(&roster(3), EmulatorConfig::default(), setup).await;
    let first = org.hrsync(&["sync"]).await;
    assert_eq!(first.status.code(), Some(0), "{}", text(&first));
    let left = roster(3).replace(
        "Active,2024-01-15,,Europe/London\n1003",
        "Active,2024-01-15,2025-01-31,Europe/London\n1003",
    );
    org.write_hr(&left);
    let out = org.hrsync(&["sync"]).await;
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    (org, left)
}

#[tokio::test]
async fn a_rehire_under_a_new_id_gets_the_old_account_back_not_a_second_one() {
    let (org, left) = three_with_a_leaver().await;
    let users = org.emulator.model_users();
    let old = users
        .iter()
        .find(|u| u.attr("employeeNumber") == Some("1002"))
        .unwrap()
        .clone();
    assert_eq!(old.status.as_str(), "DEPROVISIONED");
    // Rehired under the new id 2002, same email: the old account comes back.
    let rehired = left
        .replace("\n1002,", "\n2002,")
        .replace(",2025-01-31,", ",,");
    org.write_hr(&rehired);
    let out = org.hrsync(&["sync", "--format", "json"]).await;
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    let after = org.emulator.model_users();
    assert_eq!(after.len(), 3, "no second account");
    let back = after.iter().find(|u| u.id == old.id).unwrap();
    assert_eq!(back.attr("employeeNumber"), Some("2002"));
    assert!(back.status.is_activated(), "{}", back.status);
    assert!(by_login(&after).values().all(|n| *n == 1));
}

#[tokio::test]
async fn two_records_sharing_a_mailbox_get_a_conflict_and_no_account_with_the_others_email() {
    let org = synced(2).await;
    let mut hr = roster(2);
    hr.push_str("1003,Ann,Other,first1.last1@example.com,Engineer,Dept1,,Active,2024-01-15,,Europe/London\n");
    org.write_hr(&hr);
    org.emulator.reset_stats();
    let out = org.hrsync(&["sync"]).await;
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    let shown = String::from_utf8_lossy(&out.stdout);
    assert!(shown.contains("shared_email"), "{shown}");
    assert!(
        shown.contains("1 conflicts left for a person (employees 1003"),
        "{shown}"
    );
    assert_eq!(org.emulator.stats().writes(), 0);
    let users = org.emulator.model_users();
    assert_eq!(users.len(), 2);
    assert_eq!(
        users
            .iter()
            .filter(|u| u.attr("email") == Some("first1.last1@example.com"))
            .count(),
        1
    );
}

#[tokio::test]
async fn a_hiring_wave_over_the_create_limit_is_held_until_approved() {
    let org = synced(4).await;
    // 4 managed users: 25 % is 1, but a run may always create 10; 11 new hires are held.
    let mut hr = String::from(HEADER);
    for i in 1..=15 {
        hr.push_str(&crate::reliability::org::row(i));
    }
    org.write_hr(&hr);
    let out = org.hrsync(&["sync"]).await;
    assert_eq!(out.status.code(), Some(3), "{}", text(&out));
    let shown = String::from_utf8_lossy(&out.stdout);
    assert!(
        shown.contains("11 creates planned, more than the 10 allowed"),
        "{shown}"
    );
    assert_eq!(org.emulator.model_users().len(), 4);
    let out = org.hrsync(&["sync", "--allow-creates", "11"]).await;
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    assert_eq!(org.emulator.model_users().len(), 15);
}

#[tokio::test]
async fn a_feed_that_changes_every_email_renames_nobody_until_approved() {
    let org = synced(6).await;
    let before = org.emulator.model_users();
    org.write_hr(&roster(6).replace("@example.com", "@private.example"));
    org.emulator.reset_stats();
    let out = org.hrsync(&["sync"]).await;
    assert_eq!(out.status.code(), Some(3), "{}", text(&out));
    let shown = String::from_utf8_lossy(&out.stdout);
    assert!(
        shown.contains("6 login changes planned, more than the 2 allowed"),
        "{shown}"
    );
    assert_eq!(org.emulator.stats().writes(), 0);
    assert_eq!(org.emulator.model_users(), before, "zero renames");
}

#[tokio::test]
async fn two_people_who_swap_emails_get_each_others_login_within_two_runs() {
    let org = synced(3).await;
    let swapped = roster(3)
        .replace("first1.last1@", "SWAP@")
        .replace("first2.last2@", "first1.last1@")
        .replace("SWAP@", "first2.last2@");
    org.write_hr(&swapped);
    for _ in 0..2 {
        let out = org.hrsync(&["sync"]).await;
        assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    }
    let users = org.emulator.model_users();
    let login_of = |anchor: &str| {
        users
            .iter()
            .find(|u| u.attr("employeeNumber") == Some(anchor))
            .and_then(|u| u.login().map(str::to_owned))
    };
    assert_eq!(
        login_of("1001").as_deref(),
        Some("first2.last2@example.com")
    );
    assert_eq!(
        login_of("1002").as_deref(),
        Some("first1.last1@example.com")
    );
    assert_eq!(users.len(), 3);
    let plan = org.hrsync(&["plan", "--detailed-exitcode"]).await;
    assert_eq!(plan.status.code(), Some(0), "{}", text(&plan));
}

#[tokio::test]
async fn an_empty_deprovisioned_listing_never_makes_a_second_account_for_a_rehire() {
    let (org, _) = three_with_a_leaver().await;
    let links = org.hrsync(&["links", "--employee", "1002"]).await;
    let shown = String::from_utf8_lossy(&links.stdout);
    assert!(
        shown.contains("first2.last2@example.com"),
        "{}",
        text(&links)
    );

    // Rehired under the same id while Okta's listing of deactivated users comes back empty
    // (a full pass: an incremental run would plan from the cache, which holds the user).
    org.emulator
        .update_config(|c| c.faults.hide_deprovisioned_in_searches = true);
    org.write_hr(&roster(3));
    let out = org.hrsync(&["sync", "--full"]).await;
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    let users = org.emulator.model_users();
    assert_eq!(users.len(), 3, "no second account: {}", text(&out));
    let back = users
        .iter()
        .find(|u| u.attr("employeeNumber") == Some("1002"))
        .unwrap();
    assert!(back.status.is_activated(), "{}", back.status);
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("missing from the listing; read it by id"),
        "{}",
        text(&out)
    );
}
