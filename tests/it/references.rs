//! A complete plan through the binary: with the default mapping (`managerId =
//! "{manager.okta_id}"`), an initial load sends exactly one write per employee, each report
//! created with its manager's new Okta id; `sync --only MANAGER` writes only that manager.

use crate::reliability::org::{Org, roster, text};
use crate::support::ModelUsers;
use hrsync::emulator::EmulatorConfig;

#[tokio::test]
async fn an_initial_load_sends_one_write_per_employee_with_every_manager_id_filled() {
    let org = Org::start(&roster(40), EmulatorConfig::default()).await;
    let out = org.hrsync(&["sync"]).await;
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    let stats = org.emulator.stats();
    assert_eq!(stats.writes(), 40, "{stats:?}");
    let users = org.emulator.model_users();
    let id_of = |employee: &str| {
        users
            .iter()
            .find(|u| u.profile.get("employeeNumber") == Some(&serde_json::json!(employee)))
            .map(|u| u.id.as_str().to_owned())
            .unwrap_or_else(|| panic!("no user for {employee}"))
    };
    for i in 11..=40 {
        let report = id_of(&(1000 + i).to_string());
        let manager = id_of(&(1000 + (i % 10) + 1).to_string());
        let user = users.iter().find(|u| u.id.as_str() == report).unwrap();
        assert_eq!(
            user.profile.get("managerId"),
            Some(&serde_json::json!(manager)),
            "employee {}",
            1000 + i
        );
    }
    // Nothing is left for a second run.
    org.emulator.reset_stats();
    let again = org.hrsync(&["sync"]).await;
    assert_eq!(again.status.code(), Some(0), "{}", text(&again));
    assert_eq!(org.emulator.stats().writes(), 0);
}

#[tokio::test]
async fn sync_only_a_manager_on_a_fresh_org_writes_only_that_manager() {
    let org = Org::start(&roster(40), EmulatorConfig::default()).await;
    let out = org.hrsync(&["sync", "--only", "1001"]).await;
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    assert_eq!(org.emulator.stats().writes(), 1);
    let users = org.emulator.model_users();
    assert_eq!(users.len(), 1);
    assert_eq!(
        users[0].profile.get("employeeNumber"),
        Some(&serde_json::json!("1001"))
    );
}
