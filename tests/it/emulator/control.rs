//! The `/__emulator/` control endpoints.

use super::support::*;
use reqwest::Method;
use serde_json::{Value, json};

#[tokio::test]
async fn seed_users_stats_reset_and_config_work_over_http() {
    let env = start().await;
    let r = env
        .post("/__emulator/seed", json!([
            {"id": "00useeded1", "status": "DEPROVISIONED", "profile": {"login": "s1@example.com"}},
            {"status": "SUSPENDED", "profile": {"login": "s2@example.com"}}
        ]))
        .await;
    assert_eq!(r.status(), 200);
    assert_eq!(r.json::<Value>().await.unwrap()["seeded"], 2);
    let users: Vec<Value> = env.get("/__emulator/users").await.json().await.unwrap();
    assert_eq!(users.len(), 2);
    assert!(
        users
            .iter()
            .any(|u| u["id"] == "00useeded1" && u["status"] == "DEPROVISIONED")
    );

    env.get("/api/v1/users").await;
    env.post_empty("/api/v1/users/00useeded1/lifecycle/activate")
        .await;
    let stats: Value = env.get("/__emulator/stats").await.json().await.unwrap();
    assert_eq!(stats["rate_limited"], 0);
    assert!(stats["peak_in_flight"].as_u64().unwrap() >= 1);
    let reqs = stats["requests"].as_array().unwrap();
    assert!(reqs.contains(&json!({"method": "POST", "route": "/api/v1/users/{id}/lifecycle/activate", "status": 200, "count": 1})));
    assert!(
        reqs.contains(
            &json!({"method": "GET", "route": "/api/v1/users", "status": 200, "count": 1})
        )
    );

    assert_eq!(
        env.post_empty("/__emulator/stats/reset").await.status(),
        204
    );
    assert_eq!(env.emu.stats().total(), 0);

    let r = env
        .req(Method::PUT, "/__emulator/config")
        .json(&json!({"faults": {"forced_429": 1}, "limits": {"window_ms": 2000}}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 204);
    assert_eq!(env.get("/api/v1/users").await.status(), 429);
    assert_eq!(env.get("/api/v1/users").await.status(), 200);

    let r = env
        .req(Method::PUT, "/__emulator/config")
        .json(&json!({"share": "lots"}))
        .send()
        .await
        .unwrap();
    assert_eq!(error_code(r, 400).await, "E0000003");

    assert_eq!(env.post_empty("/__emulator/reset").await.status(), 204);
    assert!(env.emu.users().is_empty());
    assert_eq!(env.emu.stats().total(), 0);
}

#[tokio::test]
async fn control_endpoints_need_the_same_auth() {
    let env = start().await;
    let r = env
        .http
        .get(format!("{}/__emulator/users", env.emu.base_url()))
        .header("Authorization", "SSWS wrong")
        .send()
        .await
        .unwrap();
    assert_eq!(error_code(r, 401).await, "E0000011");
}
