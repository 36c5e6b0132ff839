//! End-to-end tests of the `hrsync` binary (issue 6 "Done when"), spawned with the config
//! pointing at an in-process emulator: the first sync creates everyone in scope, the second
//! writes nothing, `plan --detailed-exitcode` answers 2 then 0, a run with 10 % injected 5xx
//! ends applied or partial (exit 0 or 4) and the next converges, and a process killed
//! mid-apply leaves a journal that `history` and `explain` read. Empty and half-size HR files
//! (exit 3, zero deactivations) are in `reliability::feed`; the crash loop in
//! `reliability::crash`.

use crate::reliability::org::{Org, Setup, Tally, ids, roster, text};
use crate::support::ModelUsers;
use hrsync::emulator::{EmulatorConfig, Faults, RateLimits};
use std::time::{Duration, Instant};

fn json(out: &std::process::Output) -> serde_json::Value {
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}: {}", text(out)))
}

#[tokio::test]
async fn the_first_sync_creates_everyone_in_scope_and_the_second_writes_nothing() {
    // Employees 1001..=1010; department Dept0 (every fifth) is out of scope.
    let org = Org::start_with(&roster(10), EmulatorConfig::default(), Setup::default()).await;
    let config = std::fs::read_to_string(org.config_path()).unwrap().replace(
        "manager = \"manager_id\"",
        "manager = \"manager_id\"\nscope = \"department != 'Dept0'\"",
    );
    std::fs::write(org.config_path(), config).unwrap();

    let plan = org.hrsync(&["plan", "--detailed-exitcode"]).await;
    assert_eq!(plan.status.code(), Some(2), "{}", text(&plan));
    assert_eq!(org.emulator.stats().writes(), 0, "plan writes nothing");

    let first = org.hrsync(&["sync", "--format", "json"]).await;
    assert_eq!(first.status.code(), Some(0), "{}", text(&first));
    let doc = json(&first);
    assert_eq!(doc["status"], "applied");
    let in_scope: Vec<String> = (1..=10)
        .filter(|i| i % 5 != 0)
        .map(|i| (1000 + i).to_string())
        .collect();
    assert_eq!(doc["counts"]["created"], in_scope.len());
    assert_eq!(org.tally(&in_scope), Tally::CLEAN);
    assert_eq!(
        org.emulator.model_users().len(),
        in_scope.len(),
        "nobody out of scope"
    );

    org.emulator.reset_stats();
    let second = org.hrsync(&["sync"]).await;
    assert_eq!(second.status.code(), Some(0), "{}", text(&second));
    assert_eq!(org.emulator.stats().writes(), 0, "{}", text(&second));
    let shown = String::from_utf8_lossy(&second.stdout);
    assert!(shown.contains("no_changes"), "{}", text(&second));
    let plan = org.hrsync(&["plan", "--detailed-exitcode"]).await;
    assert_eq!(plan.status.code(), Some(0), "{}", text(&plan));
}

#[tokio::test]
async fn a_run_with_ten_percent_server_errors_ends_applied_or_partial_and_the_next_converges() {
    let n = 50;
    let faults = Faults {
        error_rate: 0.10,
        ..Faults::default()
    };
    let org = Org::start(&roster(n), EmulatorConfig::default().faults(faults)).await;
    let first = org.hrsync(&["sync", "--format", "json"]).await;
    assert!(
        matches!(first.status.code(), Some(0 | 4)),
        "{}",
        text(&first)
    );
    let status = json(&first)["status"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    assert!(
        ["applied", "partial"].contains(&status.as_str()),
        "{status}"
    );
    let errors = org.emulator.stats().count_status("*", "/", 500)
        + org.emulator.stats().count_status("*", "/", 503);
    assert!(errors > 0, "the fault never fired");

    org.emulator.update_config(|c| c.faults = Faults::default());
    let next = org.hrsync(&["sync", "--format", "json"]).await;
    assert_eq!(next.status.code(), Some(0), "{}", text(&next));
    assert_eq!(org.tally(&ids(n)), Tally::CLEAN);
    assert_eq!(org.emulator.model_users().len(), n);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_sync_killed_mid_apply_leaves_a_journal_that_history_and_explain_show() {
    let n = 600;
    let emulator = EmulatorConfig::default().limits(RateLimits::uniform(10_000_000));
    let org = Org::start(&roster(n), emulator).await;
    let mut child = org
        .command(&["sync"])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(60);
    while org.emulator.stats().writes() < 200 && Instant::now() < deadline {
        assert!(
            child.try_wait().unwrap().is_none(),
            "the run ended before the kill"
        );
        tokio::time::sleep(Duration::from_millis(2)).await;
    }
    child.kill().unwrap();
    child.wait().unwrap();
    let created_before = org.emulator.model_users().len();
    assert!(created_before > 0 && created_before < n, "{created_before}");

    // Read-only commands work on the journal left by the killed process.
    let history = org.hrsync(&["history"]).await;
    assert_eq!(history.status.code(), Some(0), "{}", text(&history));
    let explain = org.hrsync(&["explain", "1001"]).await;
    assert_eq!(explain.status.code(), Some(0), "{}", text(&explain));

    let again = org.hrsync(&["sync"]).await;
    assert_eq!(again.status.code(), Some(0), "{}", text(&again));
    assert_eq!(org.tally(&ids(n)), Tally::CLEAN);
    assert_eq!(org.emulator.model_users().len(), n, "no duplicate users");

    let history = org.hrsync(&["history"]).await;
    let shown = String::from_utf8_lossy(&history.stdout);
    assert!(shown.contains("interrupted"), "{}", text(&history));
    assert!(shown.contains("applied"), "{}", text(&history));
    // The employee created by the killed run has its action recorded.
    let explain = org.hrsync(&["explain", "1001", "--format", "json"]).await;
    assert_eq!(explain.status.code(), Some(0), "{}", text(&explain));
    let shown = String::from_utf8_lossy(&explain.stdout);
    assert!(shown.contains("create"), "{}", text(&explain));
}

/// Runs `hrsync sync`, which must fail, and returns its `hrsync: error:` line.
async fn failed_sync_error_line(org: &Org) -> String {
    let out = org.hrsync(&["sync"]).await;
    assert_ne!(out.status.code(), Some(0), "{}", text(&out));
    let stderr = String::from_utf8_lossy(&out.stderr);
    stderr
        .lines()
        .find(|l| l.starts_with("hrsync: error:"))
        .unwrap_or_else(|| panic!("{stderr}"))
        .to_owned()
}

#[tokio::test]
async fn an_unreachable_okta_is_reported_with_its_cause_chain_once_on_stderr_and_in_history() {
    let org = Org::start_with(&roster(3), EmulatorConfig::default(), Setup::default()).await;
    // A port nothing listens on: bind one, note it, close it.
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = closed.local_addr().unwrap().port();
    drop(closed);
    let config = std::fs::read_to_string(org.config_path()).unwrap();
    let org_url = config
        .lines()
        .find(|l| l.starts_with("org_url"))
        .unwrap()
        .to_owned();
    let config = config.replace(&org_url, &format!("org_url = \"http://127.0.0.1:{port}\""));
    std::fs::write(org.config_path(), config).unwrap();

    let line = failed_sync_error_line(&org).await;
    assert!(
        line.contains("Okta: transport error: connection failed: ") && line.contains("refused"),
        "{line}"
    );
    assert_eq!(line.matches("transport error").count(), 1, "{line}");
    assert_eq!(line.matches("refused").count(), 1, "{line}");

    let history = org.hrsync(&["history"]).await;
    let shown = String::from_utf8_lossy(&history.stdout);
    assert!(
        shown.contains("error: Okta: transport error: connection failed: ")
            && shown.contains("refused"),
        "{shown}"
    );
}

#[tokio::test]
async fn history_shows_the_sync_runs_and_all_adds_the_plans_and_dry_runs() {
    let org = Org::start(&roster(3), EmulatorConfig::default()).await;
    for args in [&["plan"][..], &["plan"], &["sync", "--dry-run"], &["sync"]] {
        let out = org.hrsync(args).await;
        assert!(out.status.success(), "{args:?}: {}", text(&out));
    }

    let history = org.hrsync(&["history"]).await;
    let shown = String::from_utf8_lossy(&history.stdout);
    assert_eq!(history.status.code(), Some(0), "{}", text(&history));
    let runs: Vec<&str> = shown.lines().filter(|l| l.starts_with("run ")).collect();
    assert_eq!(runs.len(), 1, "{shown}");
    assert!(
        runs[0].contains(" sync ") && runs[0].contains("applied"),
        "{shown}"
    );
    assert!(
        shown.contains("(3 plans and dry runs not shown; `hrsync history --all` shows them)"),
        "{shown}"
    );
    let json = org.hrsync(&["history", "--format", "json"]).await;
    let doc: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    assert_eq!(doc.as_array().map(Vec::len), Some(1), "{doc}");

    let all = org.hrsync(&["history", "--all"]).await;
    let shown = String::from_utf8_lossy(&all.stdout);
    let kinds: Vec<&str> = shown
        .lines()
        .filter(|l| l.starts_with("run "))
        .filter_map(|l| l.split_whitespace().nth(4))
        .collect();
    assert_eq!(kinds, ["sync", "dry_run", "plan", "plan"], "{shown}");
    assert!(!shown.contains("not shown"), "{shown}");
}

#[tokio::test]
async fn plan_prints_blocks_by_default_a_table_on_request_and_no_colour_off_a_terminal() {
    let org = Org::start(&roster(2), EmulatorConfig::default()).await;
    let plan = org.hrsync(&["plan"]).await;
    let shown = String::from_utf8_lossy(&plan.stdout);
    assert_eq!(plan.status.code(), Some(0), "{}", text(&plan));
    assert!(shown.contains("\n+ create 1001 "), "{shown}");
    assert!(
        shown.contains("\n    + employeeNumber = \"1001\"\n"),
        "{shown}"
    );
    assert!(!shown.contains('\x1b'), "stdout is a pipe: {shown:?}");

    let table = org.hrsync(&["plan", "--format", "table"]).await;
    let shown = String::from_utf8_lossy(&table.stdout);
    assert!(shown.contains("EMPLOYEE  LOGIN"), "{shown}");
    let rows: Vec<&str> = shown.lines().filter(|l| l.starts_with("100")).collect();
    assert_eq!(rows.len(), 2, "one line per create: {shown}");
}

#[tokio::test]
async fn an_unreachable_hr_api_is_reported_with_its_cause_chain_once() {
    let org = Org::start_with(&roster(3), EmulatorConfig::default(), Setup::default()).await;
    let port = crate::support::free_port();
    std::fs::write(org.dir.path().join("bamboo-key"), "k").unwrap();
    let config = std::fs::read_to_string(org.config_path()).unwrap();
    let config = config.replace(
        "[source]\ntype = \"file\"\npath = \"employees.csv\"\n",
        &format!(
            "[source]\ntype = \"bamboohr\"\nbase_url = \"http://127.0.0.1:{port}/api/gateway.php\"\ncompany_domain = \"acme\"\napi_key = {{ file = \"bamboo-key\" }}\nfields = [\"id\", \"workEmail\", \"firstName\", \"lastName\", \"status\"]\n"
        ),
    );
    std::fs::write(org.config_path(), config).unwrap();

    let line = failed_sync_error_line(&org).await;
    assert!(
        line.contains("HR source: http://127.0.0.1:") && line.contains("did not answer: "),
        "{line}"
    );
    assert_eq!(
        line.matches("refused").count(),
        1,
        "the cause, once: {line}"
    );
}
