//! Profiles mastered by another system: a directory-sourced user (its
//! `credentials.provider.type` is `ACTIVE_DIRECTORY`, `LDAP` or `IMPORT`) refuses profile
//! updates with 403 E0000023 and lists its provider; the `profiles_mastered_elsewhere` fault
//! does the same for every user.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::*;
use okta_emulator::{EmulatorConfig, Faults};
use serde_json::json;

const MASTERED: &str = "Operation failed because user profile is mastered under another system";

#[tokio::test]
async fn a_directory_sourced_user_refuses_profile_updates_with_e0000023_and_shows_its_provider() {
    let env = start_with(EmulatorConfig::default()).await;
    env.emu.seed(vec![json!({
        "id": "00uad1",
        "status": "ACTIVE",
        "profile": {"login": "ada@example.com", "email": "ada@example.com",
                    "firstName": "Ada", "lastName": "Lovelace"},
        "credentials": {"provider": {"type": "ACTIVE_DIRECTORY", "name": "corp.example.com"}}
    })]);
    let listed = env.json("/api/v1/users/00uad1").await;
    assert_eq!(
        listed["credentials"]["provider"]["type"],
        "ACTIVE_DIRECTORY"
    );
    let resp = env
        .post(
            "/api/v1/users/00uad1",
            json!({"profile": {"title": "Chief"}}),
        )
        .await;
    assert_eq!(
        error(resp).await,
        (403, "E0000023".into(), MASTERED.into(), String::new())
    );
    let after = env.json("/api/v1/users/00uad1").await;
    assert!(
        after["profile"].get("title").is_none(),
        "nothing was written"
    );
    // An Okta-mastered user is written as before.
    let ok = env.create(user("alan@example.com", json!({}))).await;
    let id = ok["id"].as_str().unwrap();
    let resp = env
        .post(
            &format!("/api/v1/users/{id}"),
            json!({"profile": {"title": "Chief"}}),
        )
        .await;
    assert_eq!(resp.status().as_u16(), 200);
}

#[tokio::test]
async fn the_mastered_elsewhere_fault_refuses_every_profile_update() {
    let env = start_with(EmulatorConfig::default().faults(Faults {
        profiles_mastered_elsewhere: true,
        ..Faults::default()
    }))
    .await;
    let created = env.create(user("ada@example.com", json!({}))).await;
    let id = created["id"].as_str().unwrap();
    let resp = env
        .put(
            &format!("/api/v1/users/{id}"),
            json!({"profile": {"login": "ada@example.com", "email": "ada@example.com",
                               "firstName": "Ada", "lastName": "L"}}),
        )
        .await;
    assert_eq!(error(resp).await.1, "E0000023");
}
