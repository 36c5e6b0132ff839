//! The fault switches: latency, 5xx, dropped connections (before and after the change),
//! forced 429 bursts, asynchronous activation and search lag; changed at run time.

use super::support::*;
use hrsync::emulator::{EmulatorConfig, Faults};
use reqwest::Method;
use serde_json::{Value, json};
use std::time::{Duration, Instant};

#[tokio::test]
async fn latency_delays_every_api_response() {
    let env = start_with(EmulatorConfig::default().faults(Faults {
        latency_ms: 200,
        jitter_ms: 50,
        ..Faults::default()
    }))
    .await;
    let t = Instant::now();
    assert_eq!(env.get("/api/v1/users").await.status(), 200);
    let took = t.elapsed();
    assert!(took >= Duration::from_millis(200), "{took:?}");
}

#[tokio::test]
async fn an_error_rate_of_one_answers_500_or_503_and_changes_nothing() {
    let env = start().await;
    env.emu.update_config(|c| c.faults.error_rate = 1.0);
    for _ in 0..6 {
        let r = env.post("/api/v1/users", profile("err@example.com")).await;
        let s = r.status().as_u16();
        let v: Value = r.json().await.unwrap();
        assert!(
            matches!(
                (s, v["errorCode"].as_str().unwrap()),
                (500, "E0000009") | (503, "E0000010")
            ),
            "{s} {v}"
        );
    }
    assert!(env.emu.users().is_empty());
    env.emu.update_config(|c| c.faults.error_rate = 0.0);
    assert_eq!(
        env.post("/api/v1/users", profile("err@example.com"))
            .await
            .status(),
        200
    );
}

#[tokio::test]
async fn a_dropped_connection_gets_no_response_and_applies_nothing() {
    let env = start().await;
    env.emu.update_config(|c| c.faults.drop_rate = 1.0);
    let r = env
        .req(Method::POST, "/api/v1/users")
        .json(&profile("drop@example.com"))
        .send()
        .await;
    assert!(r.is_err(), "expected a closed connection, got {r:?}");
    assert!(env.emu.users().is_empty());
    assert_eq!(env.emu.stats().count_status("POST", "/api/v1/users", 0), 1);
}

#[tokio::test]
async fn a_drop_after_apply_loses_the_response_but_keeps_the_change() {
    let env = start().await;
    env.emu.update_config(|c| c.faults.drop_after_rate = 1.0);
    let r = env
        .req(Method::POST, "/api/v1/users")
        .json(&profile("after@example.com"))
        .send()
        .await;
    assert!(r.is_err());
    assert_eq!(env.emu.users().len(), 1);
    // Reads are never dropped by this switch; a retried create finds the duplicate.
    assert_eq!(
        env.get("/api/v1/users/after@example.com").await.status(),
        200
    );
    env.emu.update_config(|c| c.faults.drop_after_rate = 0.0);
    let r = env
        .post("/api/v1/users", profile("after@example.com"))
        .await;
    assert_eq!(error_code(r, 400).await, "E0000001");
}

#[tokio::test]
async fn a_forced_burst_answers_exactly_that_many_429s() {
    let env = start().await;
    env.emu.update_config(|c| c.faults.forced_429 = 3);
    let mut statuses = Vec::new();
    for _ in 0..5 {
        let r = env.get("/api/v1/users").await;
        if r.status() == 429 {
            assert_eq!(r.headers()["x-rate-limit-remaining"], "0");
            assert!(r.headers().contains_key("x-rate-limit-reset"));
        }
        statuses.push(r.status().as_u16());
    }
    assert_eq!(statuses, [429, 429, 429, 200, 200]);
    assert_eq!(env.emu.stats().rate_limited, 3);
}

#[tokio::test]
async fn a_slow_activation_shows_transitioning_and_refuses_updates_with_409_e0000112() {
    let env = start_with(EmulatorConfig::default().faults(Faults {
        activation_delay_ms: 1500,
        ..Faults::default()
    }))
    .await;
    let u = env.create("slow@example.com", "?activate=false").await;
    let id = u["id"].as_str().unwrap();
    assert_eq!(
        env.post_empty(&format!("/api/v1/users/{id}/lifecycle/activate"))
            .await
            .status(),
        200
    );
    let v: Value = env
        .get(&format!("/api/v1/users/{id}"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        (v["status"].as_str(), v["transitioningToStatus"].as_str()),
        (Some("STAGED"), Some("PROVISIONED"))
    );
    let r = env
        .post(
            &format!("/api/v1/users/{id}"),
            json!({"profile": {"title": "x"}}),
        )
        .await;
    assert_eq!(error_code(r, 409).await, "E0000112");
    let r = env
        .post_empty(&format!("/api/v1/users/{id}/lifecycle/deactivate"))
        .await;
    assert_eq!(error_code(r, 409).await, "E0000112");
    tokio::time::sleep(Duration::from_millis(1600)).await;
    let v: Value = env
        .get(&format!("/api/v1/users/{id}"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(v["status"], "PROVISIONED");
    assert!(v.get("transitioningToStatus").is_none());
    let r = env
        .post(
            &format!("/api/v1/users/{id}"),
            json!({"profile": {"title": "x"}}),
        )
        .await;
    assert_eq!(r.status(), 200);
}

#[tokio::test]
async fn search_lags_behind_writes_while_get_by_id_is_fresh() {
    let env = start().await;
    env.emu.update_config(|c| c.faults.search_lag_ms = 1500);
    // The first search takes the snapshot search sees from now on.
    let q = "/api/v1/users?search=profile.login%20eq%20%22lag%40example.com%22";
    assert!(
        env.get(q)
            .await
            .json::<Vec<Value>>()
            .await
            .unwrap()
            .is_empty()
    );
    let u = env.create("lag@example.com", "").await;
    assert_eq!(
        env.get(&format!("/api/v1/users/{}", u["id"].as_str().unwrap()))
            .await
            .status(),
        200
    );
    assert!(
        env.get(q)
            .await
            .json::<Vec<Value>>()
            .await
            .unwrap()
            .is_empty(),
        "search saw a fresh write"
    );
    tokio::time::sleep(Duration::from_millis(1600)).await;
    assert_eq!(
        env.get(q).await.json::<Vec<Value>>().await.unwrap().len(),
        1
    );
}
