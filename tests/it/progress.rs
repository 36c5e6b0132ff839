//! Progress off a terminal (issue 22): `hrsync sync` and `plan` with stderr captured write one
//! log line per phase begun and ended, lines while the apply is under way (counts, rate, ETA)
//! and a final apply line with the run's counts, all on stderr (stdout keeps the plan or the
//! JSON document); `--quiet` writes none of them. `HRSYNC_PROGRESS_INTERVAL_MS` makes the
//! status lines come every 20 ms instead of every 10 s.

use crate::reliability::org::{Org, roster, text};
use hrsync::emulator::{EmulatorConfig, Faults};

/// The progress lines of a run's stderr, from `hrsync::progress:` on (time stamps dropped).
fn progress_lines(out: &std::process::Output) -> Vec<String> {
    String::from_utf8_lossy(&out.stderr)
        .lines()
        .filter_map(|l| {
            l.split_once("hrsync::progress: ")
                .map(|(_, m)| m.to_owned())
        })
        .collect()
}

/// The one line starting with `prefix`, or a failure showing the run.
/// Asserts that the one line starting with `prefix` starts with `start`.
fn starts(lines: &[String], prefix: &str, start: &str, out: &std::process::Output) {
    let found = line(lines, prefix, out);
    assert!(found.starts_with(start), "{found:?}: {}", text(out));
}

fn line<'a>(lines: &'a [String], prefix: &str, out: &std::process::Output) -> &'a str {
    let found: Vec<&String> = lines.iter().filter(|l| l.starts_with(prefix)).collect();
    assert_eq!(found.len(), 1, "one {prefix:?} line: {}", text(out));
    found[0]
}

/// Runs the binary with a 20 ms progress interval, off the runtime's workers.
async fn run(org: &Org, args: &[&str]) -> std::process::Output {
    let mut cmd = org.command(args);
    cmd.env("HRSYNC_PROGRESS_INTERVAL_MS", "20");
    tokio::task::spawn_blocking(move || cmd.output().unwrap())
        .await
        .unwrap()
}

#[tokio::test]
async fn a_non_terminal_sync_logs_each_phase_and_a_final_apply_line_with_the_counts() {
    // 10 ms a request: the apply takes long enough to be seen under way.
    let slow = Faults {
        latency_ms: 10,
        ..Faults::default()
    };
    let org = Org::start(&roster(300), EmulatorConfig::default().faults(slow)).await;
    let out = run(&org, &["sync", "--format", "json"]).await;
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("stdout is one JSON document ({e}): {}", text(&out)));
    assert_eq!(doc["counts"]["created"], 300);

    let lines = progress_lines(&out);
    for began in [
        "reading HR",
        "listing Okta",
        "planning",
        "applying 300 actions",
    ] {
        let times = lines.iter().filter(|l| *l == began).count();
        assert_eq!(times, 1, "{began:?} once: {}", text(&out));
    }
    starts(&lines, "read HR: ", "read HR: 300 records in ", &out);
    // An empty org: one empty page of everyone, one of the deactivated.
    starts(
        &lines,
        "listed Okta: ",
        "listed Okta: 2 pages, 0 users in ",
        &out,
    );
    starts(&lines, "planned ", "planned 300 actions in ", &out);
    let last = line(&lines, "applied ", &out);
    assert!(
        last.starts_with("applied 300/300 (100%) created 300, ") && last.contains("/s, in "),
        "{last}"
    );
    assert_eq!(
        lines.last().map(String::as_str),
        Some(last),
        "the apply line ends the log"
    );
    // Under way: done of total, the counts, the rate and the time left; only ever forward.
    // A tick that comes before the first action has finished says only `0/300 (0%)`: no
    // counts, no rate and no ETA yet.
    let under_way: Vec<&String> = lines
        .iter()
        .filter(|l| l.starts_with("applying ") && l.contains("/300 ("))
        .filter(|l| *l != "applying 0/300 (0%)")
        .collect();
    assert!(!under_way.is_empty(), "{}", text(&out));
    for l in &under_way {
        assert!(
            l.contains("%) created ") && l.contains("/s, ETA "),
            "{l}: {}",
            text(&out)
        );
    }
    let percents: Vec<u64> = lines
        .iter()
        .filter_map(|l| {
            l.strip_prefix("applying ")?
                .split_once("% ")?
                .0
                .rsplit_once('(')?
                .1
                .parse()
                .ok()
        })
        .collect();
    assert!(percents.windows(2).all(|w| w[0] <= w[1]), "{percents:?}");
}

#[tokio::test]
async fn a_plan_of_a_listed_org_logs_its_pages_and_users_and_quiet_logs_nothing() {
    let org = Org::start(&roster(300), EmulatorConfig::default()).await;
    let first = run(&org, &["sync", "--quiet"]).await;
    assert_eq!(first.status.code(), Some(0), "{}", text(&first));
    assert!(progress_lines(&first).is_empty(), "{}", text(&first));

    let plan = run(&org, &["plan"]).await;
    assert_eq!(plan.status.code(), Some(0), "{}", text(&plan));
    let lines = progress_lines(&plan);
    // 300 users: two pages of everyone (200 + 100), one of the deactivated.
    starts(
        &lines,
        "listed Okta: ",
        "listed Okta: 3 pages, 300 users in ",
        &plan,
    );
    starts(&lines, "planned ", "planned 0 actions in ", &plan);
    assert!(
        !lines.iter().any(|l| l.starts_with("appl")),
        "a plan applies nothing: {}",
        text(&plan)
    );
    assert!(
        !String::from_utf8_lossy(&plan.stdout).contains("progress"),
        "progress never reaches stdout: {}",
        text(&plan)
    );

    for quiet in [
        &["plan", "--quiet"][..],
        &["sync", "-q"],
        &["plan", "-q", "--format", "json"],
    ] {
        let out = run(&org, quiet).await;
        assert_eq!(out.status.code(), Some(0), "{}", text(&out));
        assert!(progress_lines(&out).is_empty(), "{quiet:?}: {}", text(&out));
    }
}

#[tokio::test]
async fn a_run_that_cannot_list_okta_ends_its_log_with_the_failed_phase() {
    let org = Org::start(&roster(20), EmulatorConfig::default()).await;
    std::fs::write(org.dir.path().join("okta-token"), "not-the-token").unwrap();
    let out = run(&org, &["sync"]).await;
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    let lines = progress_lines(&out);
    assert!(
        line(&lines, "listing Okta failed after ", &out).ends_with("(0 pages, 0 users read)"),
        "{}",
        text(&out)
    );
    assert!(
        !lines
            .iter()
            .any(|l| l.starts_with("planned") || l.starts_with("appl")),
        "{}",
        text(&out)
    );
    assert!(!String::from_utf8_lossy(&out.stderr).contains("not-the-token"));
}
