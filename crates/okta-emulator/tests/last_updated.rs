//! `lastUpdated` and `statusChanged` over HTTP, as Okta keeps them: every profile write and
//! every lifecycle change moves `lastUpdated`, lifecycle changes move `statusChanged`;
//! `filter`/`search` ranges on `lastUpdated`; the search index lag (for both dialects, as the
//! facts say) measured on the org clock, which tests move forward instead of sleeping.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::*;
use okta_emulator::EmulatorConfig;
use serde_json::{Value, json};
use std::time::Duration;

fn q(expr: &str) -> String {
    url::form_urlencoded::byte_serialize(expr.as_bytes()).collect()
}

async fn logins(env: &Env, query: &str) -> Vec<String> {
    let v: Vec<Value> = env
        .json(&format!("/api/v1/users?{query}"))
        .await
        .as_array()
        .unwrap()
        .clone();
    let mut out: Vec<String> = v
        .iter()
        .map(|u| u["profile"]["login"].as_str().unwrap().to_owned())
        .collect();
    out.sort();
    out
}

async fn get_user(env: &Env, id: &str) -> Value {
    env.json(&format!("/api/v1/users/{id}")).await
}

fn tick(env: &Env) {
    env.emu.advance_clock(Duration::from_secs(1));
}

#[tokio::test]
async fn every_profile_write_and_lifecycle_change_moves_last_updated_and_only_lifecycle_moves_status_changed()
 {
    let env = start_with(EmulatorConfig::default()).await;
    let mut body = user("ada@example.com", json!({}));
    body["credentials"] = json!({"password": {"value": "S3cret-pass!"}});
    let u = env.create(body).await;
    let id = u["id"].as_str().unwrap().to_owned();
    let mut last = u["lastUpdated"].as_str().unwrap().to_owned();
    let mut changed = u["statusChanged"].as_str().unwrap().to_owned();
    // Profile writes: lastUpdated moves, statusChanged does not.
    for (partial, profile) in [
        (true, json!({"title": "Engineer"})),
        (
            false,
            user("ada@example.com", json!({"city": "Oslo"}))["profile"].clone(),
        ),
    ] {
        tick(&env);
        let r = if partial {
            env.post(&format!("/api/v1/users/{id}"), json!({"profile": profile}))
                .await
        } else {
            env.put(&format!("/api/v1/users/{id}"), json!({"profile": profile}))
                .await
        };
        let v: Value = r.json().await.unwrap();
        assert!(v["lastUpdated"].as_str().unwrap() > last.as_str(), "{v}");
        assert_eq!(v["statusChanged"], changed);
        last = v["lastUpdated"].as_str().unwrap().to_owned();
    }
    // Lifecycle changes: both move.
    for op in ["suspend", "unsuspend", "deactivate", "activate"] {
        tick(&env);
        let r = env
            .post_empty(&format!("/api/v1/users/{id}/lifecycle/{op}"))
            .await;
        assert_eq!(r.status(), 200, "{op}");
        let v = get_user(&env, &id).await;
        assert!(
            v["lastUpdated"].as_str().unwrap() > last.as_str(),
            "{op}: {v}"
        );
        assert!(
            v["statusChanged"].as_str().unwrap() > changed.as_str(),
            "{op}: {v}"
        );
        last = v["lastUpdated"].as_str().unwrap().to_owned();
        changed = v["statusChanged"].as_str().unwrap().to_owned();
    }
    // A DELETE that deactivates is a lifecycle change too.
    tick(&env);
    env.send(
        reqwest::Method::DELETE,
        &format!("/api/v1/users/{id}"),
        &env.emu.token(),
        None,
    )
    .await;
    let v = get_user(&env, &id).await;
    assert_eq!(v["status"], "DEPROVISIONED");
    assert!(v["lastUpdated"].as_str().unwrap() > last.as_str());
    assert!(v["statusChanged"].as_str().unwrap() > changed.as_str());
    // Timestamps are the org clock's, in Okta's millisecond format.
    assert!(v["lastUpdated"].as_str().unwrap().ends_with('Z'));
    assert_eq!(
        v["lastUpdated"].as_str().unwrap().len(),
        "2026-05-15T17:35:39.000Z".len()
    );
}

#[tokio::test]
async fn filter_and_search_select_users_by_last_updated_ranges_with_status_and_include_deprovisioned()
 {
    let env = start_with(EmulatorConfig::default()).await;
    let old = env.create(user("old@example.com", json!({}))).await;
    let gone = env.create(user("gone@example.com", json!({}))).await;
    tick(&env);
    let mark = okta_emulator_time(&env);
    tick(&env);
    let fresh = env.create(user("fresh@example.com", json!({}))).await;
    env.post_empty(&format!(
        "/api/v1/users/{}/lifecycle/deactivate",
        gone["id"].as_str().unwrap()
    ))
    .await;
    let _ = old;
    let gt = format!("lastUpdated gt \"{mark}\"");
    assert_eq!(
        logins(&env, &format!("filter={}", q(&gt))).await,
        ["fresh@example.com", "gone@example.com"]
    );
    assert_eq!(
        logins(&env, &format!("search={}", q(&gt))).await,
        ["fresh@example.com", "gone@example.com"]
    );
    let lt = format!("lastUpdated lt \"{mark}\"");
    assert_eq!(
        logins(&env, &format!("filter={}", q(&lt))).await,
        ["old@example.com"]
    );
    let ge = format!(
        "lastUpdated ge \"{}\"",
        fresh["lastUpdated"].as_str().unwrap()
    );
    assert_eq!(
        logins(&env, &format!("filter={}", q(&ge))).await,
        ["fresh@example.com", "gone@example.com"]
    );
    let with_status = format!("lastUpdated gt \"{mark}\" and status eq \"DEPROVISIONED\"");
    assert_eq!(
        logins(&env, &format!("filter={}", q(&with_status))).await,
        ["gone@example.com"]
    );
    let search_all = format!("lastUpdated ge \"{mark}\" and status pr");
    assert_eq!(
        logins(&env, &format!("search={}", q(&search_all))).await,
        ["fresh@example.com", "gone@example.com"]
    );
    // The plain listing still leaves DEPROVISIONED users out.
    assert_eq!(
        logins(&env, "").await,
        ["fresh@example.com", "old@example.com"]
    );
    // `filter` has no `pr` and no `sw` on lastUpdated.
    for bad in ["status pr", "lastUpdated sw \"2026\""] {
        let r = env.get(&format!("/api/v1/users?filter={}", q(bad))).await;
        assert_eq!(error(r).await.1, "E0000031", "{bad}");
    }
}

fn okta_emulator_time(env: &Env) -> String {
    env.emu
        .now()
        .to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}

#[tokio::test]
async fn with_a_search_lag_recent_changes_are_invisible_to_filter_and_search_until_the_lag_passes()
{
    let env = start_with(EmulatorConfig::default().search_lag_ms(60_000)).await;
    env.emu.seed(vec![json!({"status": "ACTIVE", "profile": {"login": "seeded@example.com", "email": "seeded@example.com", "firstName": "S", "lastName": "S"}})]);
    // Users that existed before (seeded) are indexed already.
    assert_eq!(
        logins(&env, &format!("search={}", q("status pr"))).await,
        ["seeded@example.com"]
    );
    let mark = okta_emulator_time(&env);
    tick(&env);
    let u = env.create(user("new@example.com", json!({}))).await;
    let id = u["id"].as_str().unwrap();
    let seeded_id = env
        .emu
        .users()
        .into_iter()
        .find(|x| x.login() == Some("seeded@example.com"))
        .unwrap()
        .id;
    env.post(
        &format!("/api/v1/users/{seeded_id}"),
        json!({"profile": {"title": "Changed"}}),
    )
    .await;
    let gt = format!("lastUpdated gt \"{mark}\"");
    for dialect in ["filter", "search"] {
        assert!(
            logins(&env, &format!("{dialect}={}", q(&gt)))
                .await
                .is_empty(),
            "{dialect} saw a fresh write"
        );
    }
    // The old version is still what search returns for the updated user.
    let v: Vec<Value> = env
        .json(&format!(
            "/api/v1/users?search={}",
            q("profile.login eq \"seeded@example.com\"")
        ))
        .await
        .as_array()
        .unwrap()
        .clone();
    assert!(
        v[0]["profile"].get("title").is_none_or(Value::is_null),
        "{v:?}"
    );
    // Get by id is always fresh.
    assert_eq!(get_user(&env, id).await["status"], "PROVISIONED");
    env.emu.advance_clock(Duration::from_secs(30));
    assert!(logins(&env, &format!("filter={}", q(&gt))).await.is_empty());
    env.emu.advance_clock(Duration::from_secs(31));
    for dialect in ["filter", "search"] {
        assert_eq!(
            logins(&env, &format!("{dialect}={}", q(&gt))).await,
            ["new@example.com", "seeded@example.com"],
            "{dialect}"
        );
    }
}

#[tokio::test]
async fn the_lag_can_be_switched_at_run_time_and_the_clock_advanced_over_http() {
    let env = start_with(EmulatorConfig::default()).await;
    env.emu.update_config(|c| c.faults.search_lag_ms = 5_000);
    env.create(user("a@example.com", json!({}))).await;
    assert!(
        logins(&env, &format!("search={}", q("status pr")))
            .await
            .is_empty()
    );
    let r = env
        .post("/__emulator/clock", json!({"advance_ms": 5_001}))
        .await;
    assert_eq!(r.status(), 200);
    let now: Value = r.json().await.unwrap();
    assert!(now["now"].as_str().unwrap().ends_with('Z'));
    assert_eq!(
        logins(&env, &format!("search={}", q("status pr"))).await,
        ["a@example.com"]
    );
    env.emu.update_config(|c| c.faults.search_lag_ms = 0);
    env.create(user("b@example.com", json!({}))).await;
    assert_eq!(
        logins(&env, &format!("search={}", q("status pr"))).await,
        ["a@example.com", "b@example.com"]
    );
    assert_eq!(
        error(
            env.post("/__emulator/clock", json!({"advance_ms": -1}))
                .await
        )
        .await
        .1,
        "E0000003"
    );
}
