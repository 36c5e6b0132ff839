//! Per-action quarantine through the binary: a create that Okta refuses with the same 400 in
//! every run is sent in three runs, then skipped with a finding (no more requests for it, exit
//! 0, the summary names it) until `hrsync retry` clears it or the HR record changes.

use crate::reliability::org::{HEADER, Org, Setup, row, text};
use crate::support::ModelUsers;
use hrsync::emulator::{CustomProperty, EmulatorConfig};

/// An org whose schema has a custom `jobTitle` allowing only the roster's titles
/// (`Engineer 0` … `Engineer 6`), mapped from the HR title. hrsync does not check allowed
/// values (it checks types and lengths, which it would refuse before sending), so an HR title
/// outside the list is a create Okta refuses (400 E0000001) in every run.
async fn org(hr: &str) -> Org {
    let allowed = (0..7)
        .map(|t| serde_json::json!(format!("Engineer {t}")))
        .collect();
    let emulator = EmulatorConfig::default().custom_property(
        "jobTitle",
        CustomProperty {
            allowed: Some(allowed),
            ..CustomProperty::string()
        },
    );
    let setup = Setup {
        extra: "
[mapping]
login = \"{email|lower}\"
email = \"{email|lower}\"
firstName = \"{first_name}\"
lastName = \"{last_name}\"
jobTitle = \"{title}\"
"
        .into(),
        ..Setup::default()
    };
    Org::start_with(hr, emulator, setup).await
}

/// Five employees; employee 1003's title is not one Okta's `jobTitle` allows, so Okta
/// refuses to create them (400 E0000001) in every run.
fn roster(title_of_1003: &str) -> String {
    let mut csv = String::from(HEADER);
    for i in 1..=5 {
        let r = row(i);
        csv.push_str(&if i == 3 {
            r.replace(&format!("Engineer {}", i % 7), title_of_1003)
        } else {
            r
        });
    }
    csv
}

fn refused_creates(org: &Org) -> u64 {
    org.emulator
        .stats()
        .count_status("POST", "/api/v1/users", 400)
}

#[tokio::test]
async fn a_create_refused_in_three_runs_is_quarantined_until_retry_or_a_fixed_record() {
    let org = org(&roster("Astronaut")).await;
    for run in 1..=3 {
        let out = org.hrsync(&["sync"]).await;
        assert_eq!(out.status.code(), Some(4), "run {run}: {}", text(&out));
        assert_eq!(refused_creates(&org), run);
    }
    assert_eq!(org.emulator.model_users().len(), 4);

    // Run 4: the create is not sent again; the run is clean and says what it holds.
    let out = org.hrsync(&["sync"]).await;
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    assert_eq!(refused_creates(&org), 3, "a quarantined create was sent");
    let shown = text(&out);
    assert!(
        shown.contains("1 action(s) quarantined after failing run after run (1003;"),
        "{shown}"
    );
    let plan = org.hrsync(&["plan"]).await;
    assert!(
        text(&plan).contains("quarantined: the create for 1003 failed in 3 runs in a row"),
        "{}",
        text(&plan)
    );
    let check = org.hrsync(&["check", "--offline"]).await;
    assert!(
        text(&check).contains("1 action(s) (1003 create); `hrsync retry` lists them"),
        "{}",
        text(&check)
    );
    let listed = org.hrsync(&["retry"]).await;
    assert_eq!(listed.status.code(), Some(0), "{}", text(&listed));
    assert!(
        text(&listed).contains("quarantined 1003") && text(&listed).contains("E0000001"),
        "{}",
        text(&listed)
    );

    // `hrsync retry 1003`: the next run sends it once more (and it fails again).
    let cleared = org.hrsync(&["retry", "1003"]).await;
    assert_eq!(cleared.status.code(), Some(0), "{}", text(&cleared));
    let out = org.hrsync(&["sync"]).await;
    assert_eq!(out.status.code(), Some(4), "{}", text(&out));
    assert_eq!(refused_creates(&org), 4);
    let again = org.hrsync(&["retry", "1003"]).await;
    assert_eq!(
        again.status.code(),
        Some(0),
        "the new streak is cleared too"
    );
    let none = org.hrsync(&["retry", "1003"]).await;
    assert_eq!(none.status.code(), Some(1), "{}", text(&none));

    // Quarantined again after three more runs, then the record is fixed: created at once.
    for _ in 0..3 {
        org.hrsync(&["sync"]).await;
    }
    assert_eq!(refused_creates(&org), 7);
    org.write_hr(&roster("Engineer 3"));
    let out = org.hrsync(&["sync"]).await;
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    assert_eq!(org.emulator.model_users().len(), 5);
    assert!(!text(&out).contains("quarantined"), "{}", text(&out));
    let listed = org.hrsync(&["retry"]).await;
    assert!(
        text(&listed).contains("nothing is quarantined"),
        "{}",
        text(&listed)
    );
}
