//! HR status values that are neither active nor known to be inactive, through the real binary.
//! With `[employee] status.inactive` configured, such a record is refused with its line and the
//! status field while every other record is applied, and the employee's Okta user stays active
//! although leavers are deactivated immediately and orphans too. Without the list the value
//! counts as inactive, and `hrsync check` names it in a warning so ops notice.

use super::bad_record_cases::INACTIVE_LISTED;
use super::org::{Org, Setup, Tally, ids, roster, row, text};
use crate::support::ModelUsers;
use hrsync::emulator::EmulatorConfig;
use hrsync::model::UserStatus;

const N: usize = 40;

#[tokio::test]
async fn with_an_inactive_list_an_unknown_status_refuses_the_record_and_keeps_its_okta_user_active()
{
    let setup = Setup {
        status: INACTIVE_LISTED.into(),
        // Anything read as a leaver or an orphan would lose access at once.
        extra: "[termination]\nat = \"immediately\"\norphans = \"deactivate\"\n\n[safety]\nmax_rejected_percent = 10\n".into(),
        ..Setup::default()
    };
    let good = roster(N);
    let org = Org::start_with(&good, EmulatorConfig::default(), setup).await;
    let out = org.hrsync(&["sync"]).await;
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    assert_eq!(org.tally(&ids(N)), Tally::CLEAN);

    let status_of = |id: &str| {
        org.emulator
            .model_users()
            .iter()
            .find(|u| u.attr("employeeNumber") == Some(id))
            .map(|u| u.status)
    };
    let before = status_of("1005");

    // 1005 gets a status HR never had; 1006 becomes a listed leaver.
    let zombie = row(5).replace(",Active,", ",Zombie,");
    let leaver = row(6).replace(",Active,", ",inactive,");
    org.write_hr(&good.replace(&row(5), &zombie).replace(&row(6), &leaver));
    let out = org.hrsync(&["sync"]).await;
    let shown = text(&out);
    assert_eq!(out.status.code(), Some(0), "{shown}");
    assert!(
        shown.contains("employees.csv:6: status: status \"Zombie\" is neither active (Active) nor inactive (Inactive, Terminated)"),
        "the record is refused with its line, field, value and the accepted values: {shown}"
    );
    assert_eq!(
        status_of("1005"),
        before,
        "a refused record's user is neither a leaver nor an orphan: {shown}"
    );
    assert_eq!(
        status_of("1006"),
        Some(UserStatus::Deprovisioned),
        "a listed inactive value still deactivates: {shown}"
    );
    let others: Vec<String> = ids(N).into_iter().filter(|i| i != "1006").collect();
    assert_eq!(org.tally(&others), Tally::CLEAN, "{shown}");
}

#[tokio::test]
async fn without_an_inactive_list_an_unknown_status_counts_as_inactive_and_check_names_the_value() {
    let mut hr = roster(10);
    hr.push_str(&row(11).replace(",Active,", ",Zombie,"));
    let org = Org::start(&hr, EmulatorConfig::default()).await;
    let out = org.hrsync(&["sync"]).await;
    let shown = text(&out);
    assert_eq!(out.status.code(), Some(0), "{shown}");
    assert!(!shown.contains("Zombie"), "nothing is refused: {shown}");
    assert_eq!(org.tally(&ids(10)), Tally::CLEAN);
    assert!(
        org.emulator
            .model_users()
            .iter()
            .all(|u| u.attr("employeeNumber") != Some("1011")),
        "the unknown status reads as inactive: no Okta user"
    );

    let out = org.hrsync(&["check", "--offline"]).await;
    let shown = text(&out);
    assert_eq!(
        out.status.code(),
        Some(0),
        "a warning, not a failure: {shown}"
    );
    assert!(
        shown.contains("warning: 1 records count as inactive only because their status is not in [employee] status.active (Active): \"Zombie\" ×1."),
        "{shown}"
    );
    assert!(shown.contains("status.inactive"), "{shown}");
}
