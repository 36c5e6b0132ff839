//! Secrets and the service account. Every command runs at trace level (`-vv`) with a known
//! Okta token; the token must appear in no stdout, no stderr and no journal file (nor its
//! WAL), also when Okta refuses it. The configured service account is never deactivated,
//! whether HR marks it terminated or it is an orphan under `orphans = "deactivate"`.

use super::org::{HEADER, Org, Setup, TOKEN, files_starting_with, roster, text};
use crate::support::ModelUsers;
use hrsync::emulator::EmulatorConfig;
use hrsync::model::UserStatus;

fn assert_no_token(label: &str, bytes: &[u8], token: &str) {
    let haystack = String::from_utf8_lossy(bytes);
    assert!(
        !haystack.contains(token),
        "{label} contains the Okta token:\n{haystack}"
    );
}

#[tokio::test]
async fn no_command_prints_or_stores_the_okta_token_even_at_trace_level() {
    let org = Org::start(&roster(8), EmulatorConfig::default()).await;
    let commands: &[&[&str]] = &[
        &["check", "-vv"],
        &["plan", "-vv", "--format", "json"],
        &["sync", "-vv", "--dry-run"],
        &["sync", "-vv"],
        &["sync", "-vv", "--format", "json"],
        &["plan", "-vv", "--detailed-exitcode"],
        &["history", "-vv"],
        &["history", "-vv", "--format", "json"],
        &["explain", "-vv", "1003"],
        &["explain", "-vv", "1003", "--format", "json"],
        &["sync", "-vv", "--only", "1002"],
    ];
    let mut all_stderr = String::new();
    for args in commands {
        let out = org.hrsync(args).await;
        let label = args.join(" ");
        assert!(
            matches!(out.status.code(), Some(0 | 2)),
            "{label}: {}",
            text(&out)
        );
        all_stderr.push_str(&String::from_utf8_lossy(&out.stderr));
        assert_no_token(&format!("{label} stdout"), &out.stdout, TOKEN);
        assert_no_token(&format!("{label} stderr"), &out.stderr, TOKEN);
    }
    assert!(
        all_stderr.contains("TRACE") || all_stderr.contains("DEBUG"),
        "-vv logs expected on stderr: {all_stderr}"
    );
    // Also with RUST_LOG=trace for every crate (HTTP client internals included).
    let mut cmd = org.command(&["sync", "-vv"]);
    cmd.env("RUST_LOG", "trace");
    let out = tokio::task::spawn_blocking(move || cmd.output().unwrap())
        .await
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    assert_no_token("RUST_LOG=trace stderr", &out.stderr, TOKEN);

    let journal = files_starting_with(org.dir.path(), "journal.db");
    assert!(!journal.is_empty());
    for (name, bytes) in &journal {
        assert_no_token(name, bytes, TOKEN);
    }
}

#[tokio::test]
async fn a_refused_token_is_not_echoed_in_the_error() {
    let org = Org::start(&roster(3), EmulatorConfig::default()).await;
    let wrong = "00wrong-Token-Q5r8TyU2iO4pA6sD9fG3h";
    std::fs::write(org.dir.path().join("okta-token"), wrong).unwrap();
    for args in [&["sync", "-vv"][..], &["check", "-vv"], &["plan", "-vv"]] {
        let out = org.hrsync(args).await;
        let label = args.join(" ");
        assert_eq!(out.status.code(), Some(1), "{label}: {}", text(&out));
        assert_no_token(&format!("{label} stdout"), &out.stdout, wrong);
        assert_no_token(&format!("{label} stderr"), &out.stderr, wrong);
    }
    for (name, bytes) in files_starting_with(org.dir.path(), "journal.db") {
        assert_no_token(&name, &bytes, wrong);
    }
}

#[tokio::test]
async fn the_service_account_is_never_deactivated_whatever_hr_says() {
    let mut csv = roster(4);
    // HR says the service account's employee left long ago.
    csv.push_str("1005,Svc,Account,hrsync-svc@example.com,Robot,IT,,Terminated,2020-01-01,2021-01-01,Europe/London\n");
    assert!(csv.starts_with(HEADER));
    let setup = Setup {
        okta: "service_account_login = \"hrsync-svc@example.com\"".into(),
        extra: "[termination]\norphans = \"deactivate\"\n\n[safety]\nmax_deactivation_percent = 100\nmax_deactivations_per_run = 100\n".into(),
        ..Setup::default()
    };
    let org = Org::start_with(&csv, EmulatorConfig::default(), setup).await;
    org.emulator.seed(vec![
        serde_json::json!({"status": "ACTIVE", "profile": {
            "login": "hrsync-svc@example.com", "email": "hrsync-svc@example.com",
            "firstName": "Svc", "lastName": "Account", "employeeNumber": "1005"}}),
        serde_json::json!({"status": "ACTIVE", "profile": {
            "login": "leaver@example.com", "email": "leaver@example.com",
            "firstName": "Gone", "lastName": "Leaver", "employeeNumber": "1999"}}),
    ]);
    let out = org.hrsync(&["sync"]).await;
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    let users = org.emulator.model_users();
    let status_of = |login: &str| {
        users
            .iter()
            .find(|u| u.login() == Some(login))
            .map(|u| u.status)
    };
    assert_eq!(
        status_of("hrsync-svc@example.com"),
        Some(UserStatus::Active),
        "{}",
        text(&out)
    );
    // The control case: an ordinary orphan under the same policy is deactivated.
    assert_eq!(
        status_of("leaver@example.com"),
        Some(UserStatus::Deprovisioned),
        "{}",
        text(&out)
    );
}
