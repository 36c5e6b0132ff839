//! HR feed faults from HiBob, through the real binary: bob answering 500 on every attempt,
//! and bob silently withholding a field (a missing permission, HTTP 200). The first fails the
//! run with exit 1, the second with exit 1 or 3 (refused records, then the snapshot guard);
//! both name the cause and make zero Okta writes and zero deactivations, although
//! `orphans = "deactivate"` would deactivate anyone missing.

use super::org::{Org, text};
use crate::bob_data::{ada, ben_prehire, chloe_leaver, lists};
use crate::bob_fake::{BobFake, Scripted, TOKEN as BOB_TOKEN, USER as BOB_USER};
use crate::support::ModelUsers;
use hrsync::emulator::EmulatorConfig;
use hrsync::model::UserStatus;

/// Rewrites the org's config for the HiBob source at `bob`; `source` adds lines to `[source]`.
pub(super) fn hibob_config(org: &Org, bob: &BobFake, source: &str) {
    std::fs::write(org.dir.path().join("bob-user"), BOB_USER).unwrap();
    std::fs::write(org.dir.path().join("bob-token"), BOB_TOKEN).unwrap();
    let toml = format!(
        r#"[okta]
org_url = "{okta}"
token = {{ file = "okta-token" }}

[source]
type = "hibob"
base_url = "{bob}"
service_user_id = {{ file = "bob-user" }}
token = {{ file = "bob-token" }}
fields = ["root.id", "root.email", "root.firstName", "root.surname", "work.title",
          "work.department", "work.reportsTo", "work.startDate", "internal.status",
          "internal.terminationDate", "employee.lastDayOfWork"]
named_lists = {{ "work.department" = "department" }}
{source}

[employee]
id = "root.id"
status = {{ field = "internal.status", active = ["Active"] }}
start_date = "work.startDate"
termination_date = ["internal.terminationDate", "employee.lastDayOfWork"]
timezone = {{ default = "Europe/London" }}
manager = "work.reportsTo.id"

[mapping]
login = "{{root.email|lower}}"
email = "{{root.email|lower}}"
firstName = "{{root.firstName}}"
lastName = "{{root.surname}}"
title = "{{work.title}}"
department = "{{work.department}}"

[activation]
mode = "always"

[termination]
orphans = "deactivate"

[journal]
path = "journal.db"
"#,
        okta = org.emulator.base_url(),
        bob = bob.base_url,
    );
    std::fs::write(org.config_path(), toml).unwrap();
}

/// Okta users neither deactivated nor suspended.
pub(super) fn active_users(org: &Org) -> usize {
    org.emulator
        .model_users()
        .iter()
        .filter(|u| !matches!(u.status, UserStatus::Deprovisioned | UserStatus::Suspended))
        .count()
}

#[tokio::test]
async fn bob_failing_or_withholding_a_field_fails_the_run_and_deactivates_nobody() {
    let bob = BobFake::start(vec![ada(), ben_prehire(), chloe_leaver()], lists()).await;
    let org = Org::start("unused\n", EmulatorConfig::default()).await;
    hibob_config(&org, &bob, "");
    let first = org.hrsync(&["sync"]).await;
    assert_eq!(first.status.code(), Some(0), "{}", text(&first));
    let active = active_users(&org);
    assert!(active > 0, "{}", text(&first));

    // bob answers 500 to every attempt.
    bob.script((0..30).map(|_| Scripted::ServerError(500)));
    org.emulator.reset_stats();
    let out = org.hrsync(&["sync"]).await;
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("500"),
        "{}",
        text(&out)
    );
    assert_eq!(org.emulator.stats().writes(), 0);
    assert_eq!(active_users(&org), active);
    bob.state.lock().unwrap().search_script.clear();

    // bob drops the `internal` category for everyone (no permission), with HTTP 200.
    for e in &mut bob.state.lock().unwrap().employees {
        e.as_object_mut().unwrap().remove("internal");
    }
    let out = org.hrsync(&["sync"]).await;
    // A fetch error (exit 1) or refused records and a blocked run (exit 3): either way, named.
    assert!(matches!(out.status.code(), Some(1 | 3)), "{}", text(&out));
    assert!(text(&out).contains("internal.status"), "{}", text(&out));
    assert_eq!(org.emulator.stats().writes(), 0);
    assert_eq!(active_users(&org), active);
    // No bob credential leaks into the output either.
    for bytes in [&out.stdout, &out.stderr] {
        assert!(!String::from_utf8_lossy(bytes).contains(BOB_TOKEN));
    }
    println!("HR feed fault bob 500 / withheld field: exit 1, 0 writes, 0 deactivations");
}
