//! Retries under faults: 429 bursts, server errors, dropped answers, activation in progress.

use super::support::*;
use crate::support::ModelUsers;
use futures::{StreamExt, stream};
use hrsync::emulator::{Emulator, EmulatorConfig, RateLimits};
use hrsync::model::{OktaUserId, UserStatus};
use hrsync::okta::{OktaWrite, RequestOutcome};
use serde_json::json;
use std::collections::HashSet;

fn short_windows() -> EmulatorConfig {
    EmulatorConfig::default().limits(RateLimits {
        window_ms: 1_000,
        ..RateLimits::default()
    })
}

#[tokio::test]
async fn a_429_burst_and_ten_percent_server_errors_still_apply_every_write_exactly_once() {
    let emu = Emulator::start(short_windows()).await.unwrap();
    emu.update_config(|c| {
        c.faults.forced_429 = 15;
        c.faults.error_rate = 0.1;
    });
    let okta = client(&ssws_config(&emu));

    let created: Vec<_> = stream::iter(0..60)
        .map(|i| {
            let okta = &okta;
            async move { okta.create_user(&profile(i), true).await }
        })
        .buffer_unordered(8)
        .collect()
        .await;
    let created: Vec<_> = created.into_iter().map(|r| r.unwrap().user).collect();
    let change: hrsync::model::Profile =
        serde_json::from_value(json!({"title": "Engineer"})).unwrap();
    let updates: Vec<_> = stream::iter(&created)
        .map(|u| okta.update_profile(&u.id, &change))
        .buffer_unordered(8)
        .collect()
        .await;
    assert!(updates.iter().all(Result::is_ok), "{updates:?}");
    let deactivations: Vec<_> = stream::iter(&created)
        .map(|u| okta.deactivate(&u.id))
        .buffer_unordered(8)
        .collect()
        .await;
    assert!(deactivations.iter().all(Result::is_ok), "{deactivations:?}");

    let users = emu.model_users();
    assert_eq!(users.len(), 60, "no duplicates");
    assert!(users.iter().all(|u| u.status == UserStatus::Deprovisioned));
    assert!(users.iter().all(|u| u.attr("title") == Some("Engineer")));
    let stats = emu.stats();
    assert_eq!(exact(&stats, "POST", "/api/v1/users", 200), 60, "{stats:?}");
    assert_eq!(
        exact(
            &stats,
            "POST",
            "/api/v1/users/{id}/lifecycle/deactivate",
            200
        ),
        60
    );
    assert!(
        stats.rate_limited >= 15,
        "the burst happened: {}",
        stats.rate_limited
    );
    let c = okta.counters();
    assert!(
        c.outcome_total(RequestOutcome::ServerError) > 0,
        "server errors were injected"
    );
    assert!(c.retries >= 15);
}

#[tokio::test]
async fn a_create_whose_answer_was_lost_is_not_duplicated() {
    let emu = Emulator::start(EmulatorConfig::default()).await.unwrap();
    emu.update_config(|c| c.faults.drop_after_rate = 0.3);
    let okta = client(&ssws_config(&emu));

    let created: Vec<_> = stream::iter(0..30)
        .map(|i| {
            let okta = &okta;
            async move { (i, okta.create_user(&profile(i), false).await) }
        })
        .buffer_unordered(4)
        .collect()
        .await;

    for (i, r) in &created {
        let user = &r
            .as_ref()
            .unwrap_or_else(|e| panic!("create {i}: {e}"))
            .user;
        assert_eq!(
            user.attr("employeeNumber"),
            Some(format!("E{i:05}").as_str())
        );
    }
    let users = emu.model_users();
    assert_eq!(users.len(), 30, "every employee exactly once");
    let logins: HashSet<_> = users
        .iter()
        .filter_map(|u| u.login().map(str::to_owned))
        .collect();
    assert_eq!(logins.len(), 30);
    assert!(
        exact(&emu.stats(), "POST", "/api/v1/users", 400) > 0,
        "some retries met the duplicate-login error and were resolved"
    );
}

#[tokio::test]
async fn a_duplicate_login_of_someone_else_is_still_an_error() {
    let emu = Emulator::start(EmulatorConfig::default()).await.unwrap();
    let mut other = profile(1);
    other.insert("employeeNumber".into(), json!("SOMEONE-ELSE"));
    emu.seed(vec![json!({"status": "ACTIVE", "profile": other})]);
    let okta = client(&ssws_config(&emu));

    let e = okta.create_user(&profile(1), false).await.unwrap_err();

    assert!(e.is_duplicate_login(), "{e}");
    assert!(!e.is_fatal());
    assert_eq!(emu.model_users().len(), 1);
}

#[tokio::test]
async fn lost_answers_to_lifecycle_calls_count_as_done_when_the_user_reached_the_state() {
    let emu = Emulator::start(EmulatorConfig::default()).await.unwrap();
    let okta = client(&ssws_config(&emu));
    let mut ids = Vec::new();
    for i in 0..12 {
        ids.push(okta.create_user(&profile(i), false).await.unwrap().user.id);
    }
    emu.update_config(|c| c.faults.drop_after_rate = 0.3);

    for id in &ids {
        okta.activate(id)
            .await
            .unwrap_or_else(|e| panic!("activate {id}: {e}"));
    }
    for id in &ids {
        okta.deactivate(id)
            .await
            .unwrap_or_else(|e| panic!("deactivate {id}: {e}"));
    }

    let users = emu.model_users();
    assert!(users.iter().all(|u| u.status == UserStatus::Deprovisioned));
    let stats = emu.stats();
    let wrong_status = stats.count_status("POST", "/api/v1/users/{id}/lifecycle/", 403)
        + stats.count_status("POST", "/api/v1/users/{id}/lifecycle/", 404);
    assert!(
        wrong_status > 0,
        "some retries met a wrong-status answer and were resolved by re-reading: {stats:?}"
    );
}

#[tokio::test]
async fn an_update_during_activation_waits_for_it_to_finish() {
    let emu = Emulator::start(EmulatorConfig::default()).await.unwrap();
    emu.update_config(|c| c.faults.activation_delay_ms = 300);
    let okta = client(&ssws_config(&emu));
    let user = okta.create_user(&profile(7), false).await.unwrap().user;
    okta.activate(&user.id).await.unwrap();
    let change: hrsync::model::Profile =
        serde_json::from_value(json!({"department": "Finance"})).unwrap();

    let updated = okta.update_profile(&user.id, &change).await.unwrap().user;

    assert_eq!(updated.attr("department"), Some("Finance"));
    assert!(
        exact(&emu.stats(), "POST", "/api/v1/users/{id}", 409) > 0,
        "409 E0000112 was retried"
    );
}

#[tokio::test]
async fn a_wrong_status_on_a_first_try_is_reported_not_hidden() {
    let emu = Emulator::start(EmulatorConfig::default()).await.unwrap();
    let okta = client(&ssws_config(&emu));
    let user = okta.create_user(&profile(3), false).await.unwrap().user;

    let e = okta.suspend(&user.id).await.unwrap_err();

    assert!(e.is_wrong_status(), "{e}");
    assert!(!e.is_retryable() && !e.is_fatal());
    let missing = okta
        .deactivate(&OktaUserId("00u0000000000000nope".into()))
        .await
        .unwrap_err();
    assert_eq!(missing.code(), Some("E0000007"));
}
