//! Rate-limit buckets, headers counting down and resetting, the per-token share, and the
//! org concurrency limit.

use super::support::*;
use hrsync::emulator::{ApiToken, EmulatorConfig, Faults, RateLimits};
use serde_json::Value;
use std::time::Duration;

fn header(r: &reqwest::Response, name: &str) -> i64 {
    r.headers()[name].to_str().unwrap().parse().unwrap()
}

fn small(n: u32, window_ms: u64) -> EmulatorConfig {
    EmulatorConfig::default().limits(RateLimits {
        window_ms,
        ..RateLimits::uniform(n)
    })
}

#[tokio::test]
async fn remaining_counts_down_then_429_e0000047_then_resets_after_the_window() {
    let env = start_with(small(10, 2500)).await;
    let mut remaining = Vec::new();
    let mut reset = None;
    for _ in 0..5 {
        let r = env.get("/api/v1/users").await;
        assert_eq!(r.status(), 200);
        assert_eq!(header(&r, "x-rate-limit-limit"), 5, "50 % of 10");
        remaining.push(header(&r, "x-rate-limit-remaining"));
        let this_reset = header(&r, "x-rate-limit-reset");
        assert_eq!(
            *reset.get_or_insert(this_reset),
            this_reset,
            "same window, same reset"
        );
    }
    assert_eq!(remaining, [4, 3, 2, 1, 0]);
    let r = env.get("/api/v1/users").await;
    assert_eq!(header(&r, "x-rate-limit-remaining"), 0);
    assert!(r.headers().get("retry-after").is_none());
    assert_eq!(error_code(r, 429).await, "E0000047");
    assert_eq!(env.emu.stats().rate_limited, 1);
    let now = chrono::Utc::now().timestamp();
    let reset = reset.unwrap();
    // Epoch seconds, rounded up: within the 2.5 s window from the first request.
    assert!(reset > now && reset <= now + 4, "reset {reset}, now {now}");
    tokio::time::sleep(Duration::from_millis(2600)).await;
    let r = env.get("/api/v1/users").await;
    assert_eq!(r.status(), 200);
    assert_eq!(header(&r, "x-rate-limit-remaining"), 4);
}

#[tokio::test]
async fn lifecycle_calls_share_the_create_bucket_and_get_by_id_has_its_own() {
    let env = start_with(small(100, 60_000)).await;
    let u = env.create("rl@example.com", "?activate=false").await;
    let id = u["id"].as_str().unwrap();
    let r = env
        .post_empty(&format!("/api/v1/users/{id}/lifecycle/activate"))
        .await;
    assert_eq!(header(&r, "x-rate-limit-remaining"), 48);
    let r = env.get("/api/v1/users").await;
    assert_eq!(header(&r, "x-rate-limit-remaining"), 47);
    let r = env.get(&format!("/api/v1/users/{id}")).await;
    assert_eq!(header(&r, "x-rate-limit-remaining"), 49);
    let r = env
        .post(
            &format!("/api/v1/users/{id}"),
            serde_json::json!({"profile": {}}),
        )
        .await;
    assert_eq!(header(&r, "x-rate-limit-remaining"), 49);
}

#[tokio::test]
async fn each_token_gets_its_own_share_of_the_bucket() {
    let cfg = small(10, 60_000).token(ApiToken {
        token: "second".into(),
        share: Some(0.3),
        ..ApiToken::default()
    });
    let env = start_with(cfg).await;
    for _ in 0..5 {
        assert_eq!(env.get("/api/v1/users").await.status(), 200);
    }
    assert_eq!(env.get("/api/v1/users").await.status(), 429);
    let r = env
        .http
        .get(format!("{}/api/v1/users", env.emu.base_url()))
        .header("Authorization", "SSWS second")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(header(&r, "x-rate-limit-limit"), 3);
    assert_eq!(header(&r, "x-rate-limit-remaining"), 2);
}

#[tokio::test]
async fn too_many_requests_in_flight_get_429_with_limit_and_remaining_zero() {
    let cfg = EmulatorConfig::default().concurrency(2).faults(Faults {
        latency_ms: 300,
        ..Faults::default()
    });
    let env = start_with(cfg).await;
    let url = format!("{}/api/v1/users", env.emu.base_url());
    let token = env.emu.token();
    let calls: Vec<_> = (0..8)
        .map(|_| {
            let http = env.http.clone();
            let (url, token) = (url.clone(), token.clone());
            tokio::spawn(async move {
                http.get(url)
                    .header("Authorization", format!("SSWS {token}"))
                    .send()
                    .await
                    .unwrap()
            })
        })
        .collect();
    let mut limited = 0;
    let mut ok = 0;
    for c in calls {
        let r = c.await.unwrap();
        match r.status().as_u16() {
            200 => ok += 1,
            429 => {
                assert_eq!(header(&r, "x-rate-limit-limit"), 0);
                assert_eq!(header(&r, "x-rate-limit-remaining"), 0);
                let v: Value = r.json().await.unwrap();
                assert_eq!(v["errorCode"], "E0000047");
                limited += 1;
            }
            s => panic!("unexpected {s}"),
        }
    }
    assert!(ok >= 2 && limited >= 1, "ok {ok}, limited {limited}");
    let stats = env.emu.stats();
    assert!(stats.peak_in_flight >= 3, "{}", stats.peak_in_flight);
    assert_eq!(stats.rate_limited, limited);
}

#[tokio::test]
async fn control_endpoints_are_neither_rate_limited_nor_counted() {
    let env = start_with(small(2, 60_000)).await;
    for _ in 0..5 {
        assert_eq!(env.get("/__emulator/stats").await.status(), 200);
    }
    assert_eq!(env.emu.stats().total(), 0);
}
