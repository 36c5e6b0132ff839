//! The BambooHR webhook route (signed, fresh, once) and the binary end to end with the
//! shipped config against the BambooHR fake and the Okta emulator.

use super::*;

fn sign(key: &str, body: &[u8], ts: &str) -> String {
    use hmac::{Hmac, KeyInit, Mac};
    let mut mac = Hmac::<sha2::Sha256>::new_from_slice(key.as_bytes()).unwrap();
    mac.update(body);
    mac.update(ts.as_bytes());
    mac.finalize()
        .into_bytes()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_signed_bamboohr_webhook_triggers_a_run_and_a_forged_stale_or_repeated_one_does_not() {
    use hrsync::daemon::{Daemon, SyncRunner, SystemClock};
    let fake = BambooFake::start(vec![lee(), ada()]).await;
    let env = ShippedEnv::start(
        SHIPPED,
        &[
            (
                "base_url = \"https://api.bamboohr.com/api/gateway.php\"",
                format!("base_url = \"{}\"", fake.base_url),
            ),
            (
                "cron = \"0 */15 * * * *\"",
                "cron = \"0 0 0 1 1 *\"".to_owned(),
            ),
        ],
        &[("bamboo-key", API_KEY), ("bamboo-hook", "whsec-bamboo")],
        &[
            ("okta-token", "okta-token"),
            ("bamboohr-api-key", "bamboo-key"),
            ("bamboohr-webhook-key", "bamboo-hook"),
        ],
    )
    .await;
    let config = env.org.config();
    let runner = std::sync::Arc::new(SyncRunner::new(
        env.org.config_path(),
        config.clone(),
        hrsync::cli::sync::deps(&config).unwrap(),
    ));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let daemon = Daemon::new(runner, config.schedule.clone(), SystemClock)
        .debounce(Duration::from_millis(200));
    let handle = daemon.handle();
    let routes = hrsync::cli::run::bamboohr_webhook_routes(
        handle.clone(),
        hrsync::config::Secret::new("whsec-bamboo"),
        Duration::from_secs(300),
    );
    let task = tokio::spawn(daemon.listener(listener).extra_routes(routes).run());
    crate::support::wait_until(
        Duration::from_secs(10),
        "the startup run creates two users",
        || env.user_count() == 2,
    )
    .await;

    fake.state.lock().unwrap().employees.push(person(
        "1070",
        "Nia",
        "Brooks",
        "Active",
        "Full-Time",
        "2024-01-08",
        "",
    ));
    let body = br#"{"type":"employee.created","timestamp":"2026-02-03T09:15:42+00:00","data":{"companyId":1,"employeeId":"1070","changedFields":[]}}"#;
    let url = format!("http://{addr}/webhooks/bamboohr");
    let http = reqwest::Client::new();
    let post = |ts: String, sig: String| {
        http.post(&url)
            .header("X-BambooHR-Timestamp", ts)
            .header("X-BambooHR-Signature", sig)
            .body(body.to_vec())
            .send()
    };
    let now = Utc::now().timestamp().to_string();
    let ok = post(now.clone(), sign("whsec-bamboo", body, &now))
        .await
        .unwrap();
    assert_eq!(ok.status(), reqwest::StatusCode::ACCEPTED);
    crate::support::wait_until(
        Duration::from_secs(5),
        "the new hire appears within 5 s of the webhook",
        || env.user_count() == 3,
    )
    .await;

    fake.state.lock().unwrap().employees.push(person(
        "1071",
        "Omar",
        "Diaz",
        "Active",
        "Full-Time",
        "2024-01-08",
        "",
    ));
    let forged = post(now.clone(), sign("not-the-key", body, &now))
        .await
        .unwrap();
    assert_eq!(forged.status(), reqwest::StatusCode::UNAUTHORIZED);
    let old = (Utc::now().timestamp() - 3600).to_string();
    let stale = post(old.clone(), sign("whsec-bamboo", body, &old))
        .await
        .unwrap();
    assert_eq!(
        stale.status(),
        reqwest::StatusCode::UNAUTHORIZED,
        "a replay outside the window"
    );
    let again = post(now.clone(), sign("whsec-bamboo", body, &now))
        .await
        .unwrap();
    assert_eq!(
        again.status(),
        reqwest::StatusCode::OK,
        "the same delivery twice is dropped"
    );
    tokio::time::sleep(Duration::from_millis(1500)).await;
    assert_eq!(
        env.user_count(),
        3,
        "no refused or repeated webhook triggered a run"
    );
    crate::support::stop_daemon(&handle, task).await;
}

#[tokio::test]
async fn end_to_end_the_shipped_config_creates_stages_keeps_still_and_deactivates_a_leaver() {
    let mut people = colleagues(20);
    people.extend([lee(), ada(), ben(), chloe()]);
    let fake = BambooFake::start(people).await;
    let env = ShippedEnv::start(
        SHIPPED,
        &[(
            "base_url = \"https://api.bamboohr.com/api/gateway.php\"",
            format!("base_url = \"{}\"", fake.base_url),
        )],
        &[("bamboo-key", API_KEY), ("bamboo-hook", "whsec")],
        &[
            ("okta-token", "okta-token"),
            ("bamboohr-api-key", "bamboo-key"),
            ("bamboohr-webhook-key", "bamboo-hook"),
        ],
    )
    .await;

    let check = env.hrsync(&["check", "--offline"]).await;
    let report = String::from_utf8_lossy(&check.stdout).into_owned();
    assert_eq!(
        check.status.code(),
        Some(0),
        "{}",
        crate::reliability::org::text(&check)
    );
    assert!(
        report.contains("bamboohr api") && report.contains("company acme"),
        "{report}"
    );
    assert!(report.contains("24 loaded"), "{report}");
    assert!(!report.contains(API_KEY), "{report}");

    let first = env.sync_json().await;
    assert_eq!(first["status"], "applied", "{first}");
    assert_eq!(
        first["counts"]["created"], 23,
        "everyone but the leaver: {first}"
    );
    assert_eq!(
        env.user_of("1050").status,
        UserStatus::Staged,
        "the future hire is STAGED"
    );
    let ada_user = env.user_of("1042");
    assert!(ada_user.status.is_activated());
    assert_eq!(ada_user.login(), Some("ada.kowalski@example.com"));
    assert_eq!(ada_user.attr("department"), Some("Engineering"));
    assert_eq!(ada_user.attr("manager"), Some("lee.moreau@example.com"));
    assert!(
        env.okta()
            .model_users()
            .iter()
            .all(|u| u.attr("employeeNumber") != Some("1007")),
        "no user for a leaver"
    );

    env.okta().reset_stats();
    let second = env.sync_json().await;
    assert_eq!(second["status"], "no_changes", "{second}");
    assert_eq!(
        env.okta().stats().writes(),
        0,
        "a second run writes nothing: {second}"
    );

    {
        let mut s = fake.state.lock().unwrap();
        let ada = s.employees.iter_mut().find(|e| e["id"] == "1042").unwrap();
        ada["status"] = json!("Inactive");
        ada["employmentHistoryStatus"] = json!("Terminated");
        ada["terminationDate"] = json!(day(-1));
    }
    let third = env.sync_json().await;
    assert_eq!(third["counts"]["deactivated"], 1, "{third}");
    assert_eq!(env.user_of("1042").status, UserStatus::Deprovisioned);
}
