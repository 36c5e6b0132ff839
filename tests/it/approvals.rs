//! Plan-bound approvals through the binary: a blocked run prints a plan id, `hrsync approve`
//! records it while another process holds the run lock, the next run applies exactly that plan
//! once, and an approval of a plan no run holds any more is refused as stale.

use crate::reliability::org::{HEADER, Org, Setup, row, text};
use crate::support::ModelUsers;
use hrsync::emulator::EmulatorConfig;
use hrsync::journal::RunLock;

/// 40 employees; the last `leavers` of them left at the end of January 2025.
fn roster(leavers: usize) -> String {
    let mut csv = String::from(HEADER);
    for i in 1..=40 {
        let r = row(i);
        if i > 40 - leavers {
            csv.push_str(&r.replace(",2024-01-15,,", ",2024-01-15,2025-01-31,"));
        } else {
            csv.push_str(&r);
        }
    }
    csv
}

/// The plan id a blocked run printed.
fn plan_id(stdout: &str) -> String {
    let at = stdout
        .find("`hrsync approve ")
        .unwrap_or_else(|| panic!("no plan id in: {stdout}"));
    stdout[at + "`hrsync approve ".len()..]
        .split('`')
        .next()
        .unwrap()
        .to_owned()
}

fn deactivated(org: &Org) -> usize {
    org.emulator
        .model_users()
        .iter()
        .filter(|u| u.status.as_str() == "DEPROVISIONED")
        .count()
}

async fn org_with_three_leavers() -> (Org, String) {
    let org = Org::start_with(&roster(0), EmulatorConfig::default(), Setup::default()).await;
    let first = org.hrsync(&["sync"]).await;
    assert_eq!(first.status.code(), Some(0), "{}", text(&first));
    // 3 leavers of 40 managed users: 5 % allows 2.
    org.write_hr(&roster(3));
    let out = org.hrsync(&["sync"]).await;
    assert_eq!(out.status.code(), Some(3), "{}", text(&out));
    let shown = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(
        shown.contains("3 deactivations/suspensions planned"),
        "{shown}"
    );
    assert_eq!(deactivated(&org), 0);
    let id = plan_id(&shown);
    (org, id)
}

#[tokio::test]
async fn an_approval_recorded_while_the_run_lock_is_held_applies_that_plan_once() {
    let (org, id) = org_with_three_leavers().await;
    assert_eq!(id.len(), 12, "{id}");
    // `plan` shows the same id for the same held actions.
    let plan = org.hrsync(&["plan"]).await;
    assert!(
        String::from_utf8_lossy(&plan.stdout).contains(&id),
        "{}",
        text(&plan)
    );
    {
        let _lock = RunLock::acquire(&org.journal_path()).unwrap();
        let approve = org.hrsync(&["approve", &id]).await;
        assert_eq!(approve.status.code(), Some(0), "{}", text(&approve));
        assert!(
            String::from_utf8_lossy(&approve.stdout).contains("3 held: 3 deactivate"),
            "{}",
            text(&approve)
        );
    }
    let out = org.hrsync(&["sync"]).await;
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    assert_eq!(deactivated(&org), 3);
    // Used once: approving it again is refused.
    let again = org.hrsync(&["approve", &id]).await;
    assert_eq!(again.status.code(), Some(1), "{}", text(&again));
    assert!(
        String::from_utf8_lossy(&again.stdout).contains("is used"),
        "{}",
        text(&again)
    );
    let unknown = org.hrsync(&["approve", "000000000000"]).await;
    assert_eq!(unknown.status.code(), Some(1), "{}", text(&unknown));
}

#[tokio::test]
async fn an_approval_of_a_plan_that_changed_is_refused_as_stale() {
    let (org, id) = org_with_three_leavers().await;
    let approve = org.hrsync(&["approve", &id]).await;
    assert_eq!(approve.status.code(), Some(0), "{}", text(&approve));
    // A fourth leaver: the run would hold other actions than the ones approved.
    org.write_hr(&roster(4));
    let out = org.hrsync(&["sync"]).await;
    assert_eq!(out.status.code(), Some(3), "{}", text(&out));
    let shown = String::from_utf8_lossy(&out.stdout);
    assert!(
        shown.contains(&format!("the approval of plan {id} is stale")),
        "{shown}"
    );
    assert_eq!(deactivated(&org), 0, "nothing applied on a stale approval");
    let newer = plan_id(&shown);
    assert_ne!(newer, id);
    let stale = org.hrsync(&["approve", &id]).await;
    assert_eq!(stale.status.code(), Some(1), "{}", text(&stale));
    assert!(
        String::from_utf8_lossy(&stale.stdout).contains("is stale"),
        "{}",
        text(&stale)
    );
}
