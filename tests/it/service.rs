//! The daemon end to end: `hrsync run` as a process stopping on SIGTERM mid-apply, and the
//! in-process daemon triggered by a signed bob webhook.

use crate::bob_data;
use crate::bob_fake::{self, BobFake};
use crate::support::ModelUsers;
use crate::support::{Fixture, HEADER, stop_daemon, wait_until};
use base64::Engine;
use hmac::{Hmac, KeyInit, Mac};
use hrsync::config::{Config, Secret};
use hrsync::daemon::{Daemon, SyncRunner, SystemClock};
use hrsync::emulator::{Emulator, EmulatorConfig};
use hrsync::journal::{ActionState, Journal, RunState};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// `n` active employees who have all started.
fn employees(n: usize) -> String {
    let mut csv = HEADER.to_owned();
    for i in 0..n {
        csv.push_str(&format!(
            "{id},First{i},Last{i},person{i}@example.com,Engineer,Engineering,,Active,2024-01-08,,Europe/London\n",
            id = 5000 + i
        ));
    }
    csv
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigterm_during_apply_finishes_the_action_in_flight_exits_zero_and_leaves_an_honest_journal()
 {
    let mut emulator = EmulatorConfig::with_token("service-test-token");
    emulator.faults.latency_ms = 300;
    let fx = Fixture::start_with(
        &employees(80),
        emulator,
        "\n[server]\nlisten = \"off\"\n\n[schedule]\ncron = \"0 0 0 1 1 *\"\nshutdown_timeout_seconds = 20\n",
    )
    .await;
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_hrsync"))
        .args([
            "--config",
            fx.dir.path().join("hrsync.toml").to_str().unwrap(),
            "run",
        ])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let started = Instant::now();
    while fx.emulator.model_users().len() < 10 {
        assert!(
            started.elapsed() < Duration::from_secs(30),
            "the daemon never started creating users"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let term = std::process::Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(term.success());
    let deadline = Instant::now() + Duration::from_secs(20);
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        assert!(
            Instant::now() < deadline,
            "hrsync run did not exit within 20 s of SIGTERM"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    assert_eq!(status.code(), Some(0), "SIGTERM is a clean stop");

    let created = fx.emulator.model_users().len();
    assert!(
        created < 80,
        "the run stopped early instead of finishing the whole plan ({created} created)"
    );
    let journal = Journal::open_read_only(&fx.journal_path()).unwrap();
    let run = &journal.runs(5).unwrap()[0];
    assert!(
        matches!(run.status, RunState::Finished(_)),
        "the run is recorded as finished, not {:?}",
        run.status
    );
    let actions = journal.actions_for_run(run.id).unwrap();
    assert_eq!(actions.len(), 80, "every planned action has a row");
    let applied = actions
        .iter()
        .filter(|a| matches!(a.outcome, ActionState::Applied { .. }))
        .count();
    assert_eq!(
        applied, created,
        "every user in Okta has an applied action, and no more"
    );
    assert!(
        actions
            .iter()
            .all(|a| !matches!(a.outcome, ActionState::Pending)),
        "nothing left pending"
    );
    assert!(actions.iter().any(
        |a| matches!(&a.outcome, ActionState::Skipped { reason } if reason.contains("shutdown"))
    ));
}

fn sign(secret: &str, body: &[u8]) -> String {
    let mut mac = Hmac::<sha2::Sha512>::new_from_slice(secret.as_bytes()).unwrap();
    mac.update(body);
    base64::engine::general_purpose::STANDARD.encode(mac.finalize().into_bytes())
}

fn new_hire(id: &str, first: &str) -> serde_json::Value {
    let mut e = bob_data::ada();
    e["id"] = id.into();
    e["email"] = format!("{}.hire@example.com", first.to_lowercase()).into();
    e["firstName"] = first.into();
    e["displayName"] = format!("{first} Hire").into();
    e["surname"] = "Hire".into();
    e
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_signed_bob_webhook_makes_a_new_hire_appear_in_okta_and_a_badly_signed_one_changes_nothing()
 {
    let bob = BobFake::start(vec![bob_data::ada()], bob_data::lists()).await;
    let okta = Emulator::start(EmulatorConfig::with_token("okta-webhook-test"))
        .await
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    for (name, value) in [
        ("okta-token", "okta-webhook-test"),
        ("bob-user", bob_fake::USER),
        ("bob-token", bob_fake::TOKEN),
        ("bob-hook", "whsec-test"),
    ] {
        std::fs::write(dir.path().join(name), value).unwrap();
    }
    let toml = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/config/hrsync.hibob.toml"
    ))
    .unwrap()
    .replace("https://example.okta.com", &okta.base_url())
    .replace("https://api.hibob.com/v1", &bob.base_url)
    .replace(
        "{ credential = \"okta-token\" }",
        "{ file = \"okta-token\" }",
    )
    .replace(
        "{ credential = \"bob-service-user-id\" }",
        "{ file = \"bob-user\" }",
    )
    .replace("{ credential = \"bob-token\" }", "{ file = \"bob-token\" }")
    .replace(
        "{ credential = \"bob-webhook-secret\" }",
        "{ file = \"bob-hook\" }",
    )
    .replace("cron = \"0 */15 * * * *\"", "cron = \"0 0 0 1 1 *\"")
    .replace("listen = \"127.0.0.1:9184\"", "listen = \"off\"")
        + "\n[journal]\npath = \"journal.db\"\n";
    let path = dir.path().join("hrsync.toml");
    std::fs::write(&path, toml).unwrap();
    let config = Config::load(&path).unwrap_or_else(|e| panic!("{e}"));
    let runner = Arc::new(SyncRunner::new(
        path.clone(),
        config.clone(),
        hrsync::cli::sync::deps(&config).unwrap(),
    ));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let daemon = Daemon::new(runner, config.schedule.clone(), SystemClock)
        .debounce(Duration::from_millis(200));
    let handle = daemon.handle();
    let routes = hrsync::cli::run::webhook_routes(handle.clone(), Secret::new("whsec-test"));
    let task = tokio::spawn(daemon.listener(listener).extra_routes(routes).run());

    let wait_for_users = |n: usize| {
        let okta = &okta;
        async move {
            let start = Instant::now();
            while okta.model_users().len() < n {
                if start.elapsed() > Duration::from_secs(5) {
                    return false;
                }
                tokio::time::sleep(Duration::from_millis(25)).await;
            }
            true
        }
    };
    assert!(
        wait_for_users(1).await,
        "the startup run creates the existing employee"
    );

    bob.state
        .lock()
        .unwrap()
        .employees
        .push(new_hire("3401928374650199001", "Nia"));
    let body = br#"{"companyId":600123,"type":"employee.created","triggeredBy":"3401928374650100001","triggeredAt":"2026-02-03T09:15:42.123456","version":"v2","data":{"employeeId":"3401928374650199001"}}"#;
    let url = format!("http://{addr}/webhooks/hibob");
    let http = reqwest::Client::new();
    let resp = http
        .post(&url)
        .header("Bob-Signature", sign("whsec-test", body))
        .body(body.to_vec())
        .send()
        .await
        .unwrap();
    assert!(resp.status().is_success(), "{}", resp.status());
    let sent = Instant::now();
    assert!(
        wait_for_users(2).await,
        "the new hire appears in Okta within 5 seconds of the webhook"
    );
    assert!(sent.elapsed() < Duration::from_secs(5));

    bob.state
        .lock()
        .unwrap()
        .employees
        .push(new_hire("3401928374650199002", "Omar"));
    let forged = http
        .post(&url)
        .header("Bob-Signature", sign("not-the-secret", body))
        .body(body.to_vec())
        .send()
        .await
        .unwrap();
    assert_eq!(forged.status(), reqwest::StatusCode::UNAUTHORIZED);
    assert!(
        forged.text().await.unwrap().is_empty(),
        "a refusal gives no detail"
    );
    let unsigned = http.post(&url).body(body.to_vec()).send().await.unwrap();
    assert_eq!(unsigned.status(), reqwest::StatusCode::UNAUTHORIZED);
    tokio::time::sleep(Duration::from_millis(1500)).await;
    assert_eq!(
        okta.model_users().len(),
        2,
        "a badly signed webhook triggers nothing"
    );

    stop_daemon(&handle, task).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_daemon_keeps_running_through_a_broken_hr_feed_and_syncs_once_it_is_repaired() {
    let fx = Fixture::start_with(
        "id,first_name\n1001,\"Ada",
        EmulatorConfig::default(),
        "\n[server]\nlisten = \"off\"\n\n[schedule]\ncron = \"0 0 0 1 1 *\"\n",
    )
    .await;
    let path = fx.dir.path().join("hrsync.toml");
    let runner = Arc::new(SyncRunner::new(path, fx.config.clone(), fx.deps()));
    let daemon = Daemon::new(runner, fx.config.schedule.clone(), SystemClock)
        .debounce(Duration::from_millis(100));
    let handle = daemon.handle();
    let health = daemon.health();
    let task = tokio::spawn(daemon.run());

    wait_until(
        Duration::from_secs(10),
        "the startup run never failed",
        || !health.snapshot().ready() && health.snapshot().last_outcome.is_some(),
    )
    .await;
    assert!(
        !task.is_finished(),
        "a broken feed does not stop the daemon"
    );
    assert!(
        fx.emulator.model_users().is_empty(),
        "a broken feed changes nothing in Okta"
    );

    fx.write_csv(&crate::support::three_employees());
    handle.trigger();
    wait_until(
        Duration::from_secs(10),
        "the repaired feed was never synced",
        || fx.emulator.model_users().len() >= 3,
    )
    .await;
    stop_daemon(&handle, task).await;
}
