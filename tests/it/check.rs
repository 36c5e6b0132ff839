//! `hrsync check` run as an operator would, against the emulator: the verdict is the last line
//! and agrees with the exit code, and a problem (a read-only token) is listed with its fix.

use crate::reliability::org::{Org, Setup, roster, text};
use hrsync::emulator::EmulatorConfig;

const SERVICE: &str = "hrsync-svc@example.com";

fn stdout(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn last_line(out: &str) -> &str {
    out.lines().last().unwrap_or_default()
}

#[tokio::test]
async fn a_read_only_token_fails_the_check_with_the_verdict_last_and_the_fix_on_its_line() {
    let emulator = EmulatorConfig {
        token_owner_login: Some(SERVICE.into()),
        ..EmulatorConfig::default()
    };
    let setup = Setup {
        okta: format!("service_account_login = \"{SERVICE}\""),
        ..Setup::default()
    };
    let org = Org::start_with(&roster(5), emulator, setup).await;
    org.emulator
        .seed(vec![serde_json::json!({"status": "ACTIVE", "profile": {
        "login": SERVICE, "email": SERVICE, "firstName": "hrsync", "lastName": "Service"}})]);

    let good = org.hrsync(&["check"]).await;
    let shown = stdout(&good);
    assert_eq!(good.status.code(), Some(0), "{}", text(&good));
    assert!(last_line(&shown).starts_with("hrsync check: OK"), "{shown}");
    assert!(shown.contains("can write: yes"), "{shown}");
    assert!(!shown.contains("FAILED"), "{shown}");

    org.emulator
        .update_config(|c| c.tokens.iter_mut().for_each(|t| t.read_only = true));
    let bad = org.hrsync(&["check"]).await;
    let shown = stdout(&bad);
    assert_eq!(bad.status.code(), Some(1), "{}", text(&bad));
    assert!(
        last_line(&shown).starts_with("hrsync check: FAILED, 1 problem"),
        "{shown}"
    );
    assert!(!shown.contains("check: OK"), "{shown}");
    let problem = shown
        .lines()
        .find(|l| l.starts_with("  ✗ "))
        .unwrap_or_else(|| panic!("no problem line: {shown}"));
    assert!(
        problem.contains(
            "the Okta credentials cannot write users: the token's user has READ_ONLY_ADMIN"
        ),
        "{problem}"
    );
    assert!(
        problem.contains("→ fix: give it the Organization Administrator role"),
        "{problem}"
    );
    let can_write = shown.find("can write: NO").unwrap_or(usize::MAX);
    let verdict = shown.rfind("hrsync check:").unwrap_or(0);
    assert!(
        can_write < verdict,
        "the verdict comes after the finding: {shown}"
    );
}

#[tokio::test]
async fn a_console_that_trusts_a_proxy_header_beyond_loopback_is_warned_about_by_check() {
    let exposed = Setup {
        extra: "[server]\nlisten = \"0.0.0.0:0\"\nconsole = true\nconsole_user_header = \"X-Forwarded-User\"\n"
            .into(),
        ..Setup::default()
    };
    let org = Org::start_with(&roster(3), EmulatorConfig::default(), exposed).await;
    let out = org.hrsync(&["check", "--offline"]).await;
    let shown = stdout(&out);
    assert!(
        shown.contains("console      on at /console: proxy header x-forwarded-user"),
        "{shown}"
    );
    let warning = shown
        .lines()
        .find(|l| l.starts_with("warning: [server] console_user_header"))
        .unwrap_or_else(|| panic!("no warning: {shown}"));
    assert!(warning.contains("listen on 127.0.0.1"), "{warning}");

    let local = Setup {
        extra: "[server]\nlisten = \"127.0.0.1:0\"\nconsole = true\nconsole_user_header = \"X-Forwarded-User\"\n"
            .into(),
        ..Setup::default()
    };
    let org = Org::start_with(&roster(3), EmulatorConfig::default(), local).await;
    let shown = stdout(&org.hrsync(&["check", "--offline"]).await);
    assert!(shown.contains("proxy header x-forwarded-user"), "{shown}");
    assert!(!shown.contains("console_user_header"), "{shown}");
}
