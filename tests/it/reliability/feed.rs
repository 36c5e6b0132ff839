//! HR feed faults through the real binary: an empty file, a header-only file, half a CSV, a
//! cut last line, a JSON array cut short, a snapshot 40 % smaller than the last good one, and
//! an unreadable file. None of them deactivates anyone (orphans are set to `deactivate`, so a
//! lost record *would* deactivate if the guards failed); blocked runs exit 3, unreadable or
//! malformed feeds exit 1, and Okta sees no write.

use super::org::{HEADER, Org, Setup, Tally, ids, roster, row, text};
use crate::support::ModelUsers;
use hrsync::emulator::EmulatorConfig;

const N: usize = 40;

/// `[termination] orphans = "deactivate"`: a record missing from the feed would be deactivated
/// if nothing stopped it.
const ORPHANS_DEACTIVATE: &str = "[termination]\norphans = \"deactivate\"\n";

async fn loaded_org(setup: Setup, hr: &str, n: usize) -> Org {
    let org = Org::start_with(hr, EmulatorConfig::default(), setup).await;
    let out = org.hrsync(&["sync"]).await;
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    assert_eq!(org.tally(&ids(n)), Tally::CLEAN);
    org.emulator.reset_stats();
    org
}

fn csv_setup() -> Setup {
    Setup {
        extra: ORPHANS_DEACTIVATE.into(),
        ..Setup::default()
    }
}

/// Feeds `broken`, runs `hrsync sync` and checks the exit code, zero writes and zero
/// deactivations.
async fn feed_fault(org: &Org, label: &str, broken: &[u8], expected_exit: i32) {
    std::fs::write(org.dir.path().join(&org.hr_file), broken).unwrap();
    org.emulator.reset_stats();
    let out = org.hrsync(&["sync"]).await;
    assert_eq!(
        out.status.code(),
        Some(expected_exit),
        "{label}: {}",
        text(&out)
    );
    assert_eq!(org.emulator.stats().writes(), 0, "{label}: {}", text(&out));
    let tally = org.tally(&ids(N));
    println!("HR feed fault {label}: exit {expected_exit}, {tally:?}");
    assert_eq!(tally, Tally::CLEAN, "{label}");
}

#[tokio::test]
async fn broken_csv_feeds_block_or_fail_and_deactivate_nobody() {
    let good = roster(N);
    let org = loaded_org(csv_setup(), &good, N).await;
    feed_fault(&org, "header only", HEADER.as_bytes(), 3).await;
    feed_fault(&org, "half a file", &good.as_bytes()[..good.len() / 2], 3).await;
    let smaller: String = good
        .lines()
        .take(1 + N * 6 / 10)
        .map(|l| format!("{l}\n"))
        .collect();
    feed_fault(&org, "snapshot 40% smaller", smaller.as_bytes(), 3).await;
    feed_fault(&org, "empty file (0 bytes)", b"", 1).await;
    std::fs::remove_file(org.dir.path().join(&org.hr_file)).unwrap();
    let out = org.hrsync(&["sync"]).await;
    assert_eq!(out.status.code(), Some(1), "unreadable: {}", text(&out));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("employees.csv"),
        "{}",
        text(&out)
    );
    assert_eq!(org.emulator.stats().writes(), 0);
    assert_eq!(org.tally(&ids(N)), Tally::CLEAN);
}

#[tokio::test]
async fn a_csv_with_its_last_line_cut_applies_the_rest_and_keeps_the_cut_employee() {
    // 120 employees, so one refused record stays under max_rejected_percent (2 %).
    let n = 120;
    let good = roster(n);
    let org = loaded_org(csv_setup(), &good, n).await;
    // The last record loses its tail mid-field: it is refused, not read as a leaver, while
    // an HR change in another record is applied.
    let mut cut = good.clone();
    cut.truncate(good.len() - 30);
    let cut = cut.replace(",Engineer 2,", ",Senior Engineer 2,");
    std::fs::write(org.dir.path().join(&org.hr_file), &cut).unwrap();
    let out = org.hrsync(&["sync"]).await;
    let shown = text(&out);
    assert_eq!(out.status.code(), Some(0), "{shown}");
    assert!(
        shown.contains(&format!("employees.csv:{}", n + 1)),
        "the cut record is named: {shown}"
    );
    let tally = org.tally(&ids(n));
    println!("HR feed fault cut last line: exit 0, {tally:?}");
    assert_eq!(tally, Tally::CLEAN, "{shown}");
    let seniors = org
        .emulator
        .model_users()
        .iter()
        .filter(|u| u.attr("title") == Some("Senior Engineer 2"))
        .count();
    assert_eq!(seniors, (1..n).filter(|i| i % 7 == 2).count(), "{shown}");
}

fn json_roster(n: usize) -> String {
    let header: Vec<&str> = HEADER.trim_end().split(',').collect();
    let objects: Vec<serde_json::Value> = (1..=n)
        .map(|i| {
            let line = row(i);
            let values: Vec<&str> = line.trim_end().split(',').collect();
            let map: serde_json::Map<String, serde_json::Value> = header
                .iter()
                .zip(values)
                .map(|(k, v)| ((*k).to_owned(), serde_json::Value::String(v.to_owned())))
                .collect();
            serde_json::Value::Object(map)
        })
        .collect();
    serde_json::to_string_pretty(&objects).unwrap()
}

#[tokio::test]
async fn a_json_array_cut_short_fails_with_exit_1_and_deactivates_nobody() {
    let setup = Setup {
        hr_file: "employees.json".into(),
        extra: ORPHANS_DEACTIVATE.into(),
        ..Setup::default()
    };
    let good = json_roster(N);
    let org = loaded_org(setup, &good, N).await;
    feed_fault(
        &org,
        "JSON array cut short",
        &good.as_bytes()[..good.len() * 2 / 3],
        1,
    )
    .await;
    feed_fault(&org, "JSON empty array", b"[]", 3).await;
    feed_fault(&org, "JSON not an array", b"{\"employees\": 3}", 1).await;
}
