//! Users endpoints: create, get, update, replace, delete, list, and Okta's headers.

use super::support::*;
use reqwest::Method;
use serde_json::{Value, json};

#[tokio::test]
async fn a_create_without_password_is_200_provisioned_with_okta_headers() {
    let env = start().await;
    let resp = env.post("/api/v1/users", profile("ada@example.com")).await;
    assert_eq!(resp.status(), 200);
    let h = resp.headers();
    for name in [
        "date",
        "x-okta-request-id",
        "x-rate-limit-limit",
        "x-rate-limit-remaining",
        "x-rate-limit-reset",
    ] {
        assert!(h.contains_key(name), "missing {name}");
    }
    assert_eq!(h["content-type"], "application/json");
    let u: Value = resp.json().await.unwrap();
    assert_eq!(u["status"], "PROVISIONED");
    let id = u["id"].as_str().unwrap();
    assert!(id.starts_with("00u") && id.len() == 20);
    assert!(u["profile"]["mobilePhone"].is_null());
    assert!(u["credentials"].get("password").is_none());
    assert!(u["activated"].is_string());
}

#[tokio::test]
async fn create_statuses_follow_the_activate_and_password_table() {
    let env = start().await;
    let staged = env.create("staged@example.com", "?activate=false").await;
    assert_eq!(staged["status"], "STAGED");
    assert!(staged["activated"].is_null() && staged["statusChanged"].is_null());
    let mut body = profile("pw@example.com");
    body["credentials"] = json!({"password": {"value": "tlpWENT2m!"}});
    let resp = env.post("/api/v1/users?activate=true", body).await;
    let active: Value = resp.json().await.unwrap();
    assert_eq!(active["status"], "ACTIVE");
    assert_eq!(active["credentials"]["password"], json!({}));
    assert!(!active.to_string().contains("tlpWENT2m!"));
}

#[tokio::test]
async fn a_duplicate_login_ignoring_case_and_accents_is_refused_with_e0000001() {
    let env = start().await;
    env.create("isaac.brock@example.com", "").await;
    let resp = env
        .post("/api/v1/users", profile("Isáàc.Bröck@Example.com"))
        .await;
    assert_eq!(resp.status(), 400);
    let v: Value = resp.json().await.unwrap();
    assert_eq!(v["errorCode"], "E0000001");
    assert_eq!(
        v["errorCauses"][0]["errorSummary"],
        "login: An object with this field already exists in the current organization"
    );
}

#[tokio::test]
async fn missing_fields_unknown_attributes_and_bad_json_are_refused() {
    let env = start().await;
    let r = env
        .post(
            "/api/v1/users",
            json!({"profile": {"login": "a@example.com"}}),
        )
        .await;
    assert_eq!(error_code(r, 400).await, "E0000001");
    let mut body = profile("b@example.com");
    body["profile"]["notValid"] = json!("x");
    let r = env.post("/api/v1/users", body).await;
    assert_eq!(r.status(), 400);
    let v: Value = r.json().await.unwrap();
    assert_eq!(
        v["errorCauses"][0]["errorSummary"],
        "Property name 'notValid' is not defined in profile"
    );
    let r = env
        .req(Method::POST, "/api/v1/users")
        .header("Content-Type", "application/json")
        .body("{not json")
        .send()
        .await
        .unwrap();
    assert_eq!(error_code(r, 400).await, "E0000003");
}

#[tokio::test]
async fn create_options_are_checked_like_okta() {
    let env = start().await;
    let r = env
        .post(
            "/api/v1/users?nextLogin=changePassword",
            profile("np@example.com"),
        )
        .await;
    assert_eq!(error_code(r, 400).await, "E0000124");
    let mut body = profile("np@example.com");
    body["credentials"] = json!({"password": {"value": "S3cret-pass!"}});
    let r = env
        .post(
            "/api/v1/users?activate=false&nextLogin=changePassword",
            body.clone(),
        )
        .await;
    assert_eq!(error_code(r, 400).await, "E0000125");
    let r = env
        .post("/api/v1/users?nextLogin=changePassword", body)
        .await;
    assert_eq!(r.status(), 200);
    assert_eq!(
        r.json::<Value>().await.unwrap()["status"],
        "PASSWORD_EXPIRED"
    );
    let mut body = profile("groups@example.com");
    body["groupIds"] = json!((0..21).map(|i| format!("00g{i}")).collect::<Vec<_>>());
    assert_eq!(
        error_code(env.post("/api/v1/users", body).await, 400).await,
        "E0000093"
    );
    let mut body = profile("fed@example.com");
    body["credentials"] = json!({"provider": {"type": "FEDERATION", "name": "FEDERATION"}});
    let v: Value = env.post("/api/v1/users", body).await.json().await.unwrap();
    assert_eq!(v["status"], "ACTIVE");
    assert_eq!(v["credentials"]["provider"]["type"], "FEDERATION");
}

#[tokio::test]
async fn a_declared_custom_attribute_is_accepted_with_its_declared_type() {
    use hrsync::emulator::{CustomProperty, EmulatorConfig};
    // `custom_attributes` declares strings; a typed property needs `custom_property`.
    let env = start_with(
        EmulatorConfig::default()
            .custom_attributes(["costCentreName"])
            .custom_property("costCentreCode", CustomProperty::integer()),
    )
    .await;
    let mut body = profile("c@example.com");
    body["profile"]["costCentreCode"] = json!(42);
    body["profile"]["costCentreName"] = json!("Research");
    let r = env.post("/api/v1/users", body).await;
    assert_eq!(r.status(), 200);
    let mut body = profile("d@example.com");
    body["profile"]["costCentreName"] = json!(42);
    assert_eq!(
        error_code(env.post("/api/v1/users", body).await, 400).await,
        "E0000001"
    );
}

#[tokio::test]
async fn a_user_is_found_by_id_and_by_login_and_unknown_is_e0000007() {
    let env = start().await;
    let u = env.create("grace@example.com", "").await;
    let id = u["id"].as_str().unwrap();
    let by_id: Value = env
        .get(&format!("/api/v1/users/{id}"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(by_id["profile"]["login"], "grace@example.com");
    assert!(by_id["_links"]["deactivate"]["href"].is_string());
    let by_login = env.get("/api/v1/users/GRACE@example.com").await;
    assert_eq!(by_login.status(), 200);
    let r = env.get("/api/v1/users/00unknown").await;
    assert_eq!(error_code(r, 404).await, "E0000007");
}

#[tokio::test]
async fn a_partial_update_merges_and_null_clears() {
    let env = start().await;
    let mut body = profile("hopper@example.com");
    body["profile"]["title"] = json!("Admiral");
    body["profile"]["city"] = json!("Arlington");
    let u: Value = env.post("/api/v1/users", body).await.json().await.unwrap();
    let id = u["id"].as_str().unwrap();
    let r = env
        .post(
            &format!("/api/v1/users/{id}"),
            json!({"profile": {"title": "Rear Admiral", "city": null}}),
        )
        .await;
    assert_eq!(r.status(), 200);
    let v: Value = r.json().await.unwrap();
    assert_eq!(v["profile"]["title"], "Rear Admiral");
    assert!(v["profile"]["city"].is_null());
    assert_eq!(v["profile"]["firstName"], "Ada");
    assert_eq!(v["status"], "PROVISIONED");
}

#[tokio::test]
async fn a_put_replaces_the_profile_and_deletes_omitted_attributes() {
    let env = start().await;
    let mut body = profile("lovelace@example.com");
    body["profile"]["title"] = json!("Countess");
    let u: Value = env.post("/api/v1/users", body).await.json().await.unwrap();
    let id = u["id"].as_str().unwrap();
    let r = env
        .req(Method::PUT, &format!("/api/v1/users/{id}"))
        .json(&profile("lovelace@example.com"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let v: Value = r.json().await.unwrap();
    assert!(v["profile"].get("title").is_none());
    let r = env
        .req(Method::PUT, &format!("/api/v1/users/{id}"))
        .json(&json!({"profile": {"login": "lovelace@example.com"}}))
        .send()
        .await
        .unwrap();
    assert_eq!(error_code(r, 400).await, "E0000001");
}

#[tokio::test]
async fn updating_to_a_login_someone_else_has_is_refused() {
    let env = start().await;
    env.create("one@example.com", "").await;
    let two = env.create("two@example.com", "").await;
    let r = env
        .post(
            &format!("/api/v1/users/{}", two["id"].as_str().unwrap()),
            json!({"profile": {"login": "ONE@example.com"}}),
        )
        .await;
    assert_eq!(error_code(r, 400).await, "E0000001");
}

#[tokio::test]
async fn delete_deactivates_then_deletes_then_404() {
    let env = start().await;
    let u = env.create("gone@example.com", "").await;
    let path = format!("/api/v1/users/{}", u["id"].as_str().unwrap());
    let r = env.req(Method::DELETE, &path).send().await.unwrap();
    assert_eq!(r.status(), 204);
    let v: Value = env.get(&path).await.json().await.unwrap();
    assert_eq!(v["status"], "DEPROVISIONED");
    let r = env.req(Method::DELETE, &path).send().await.unwrap();
    assert_eq!(r.status(), 204);
    assert_eq!(error_code(env.get(&path).await, 404).await, "E0000007");
    let r = env.req(Method::DELETE, &path).send().await.unwrap();
    assert_eq!(error_code(r, 404).await, "E0000007");
}

#[tokio::test]
async fn updating_a_deprovisioned_user_is_404_e0000007() {
    let env = start().await;
    env.emu.seed(vec![json!({"id": "00udeprov000000000001", "status": "DEPROVISIONED", "profile": {"login": "d@example.com", "email": "d@example.com", "firstName": "D", "lastName": "P"}})]);
    let r = env
        .post(
            "/api/v1/users/00udeprov000000000001",
            json!({"profile": {"title": "x"}}),
        )
        .await;
    assert_eq!(error_code(r, 404).await, "E0000007");
}

#[tokio::test]
async fn a_plain_list_omits_deprovisioned_users_and_search_includes_them() {
    let env = start().await;
    env.emu.seed(vec![
        json!({"status": "ACTIVE", "profile": {"login": "a@example.com"}}),
        json!({"status": "DEPROVISIONED", "profile": {"login": "d@example.com"}}),
        json!({"status": "STAGED", "profile": {"login": "s@example.com"}}),
    ]);
    let list: Vec<Value> = env.get("/api/v1/users").await.json().await.unwrap();
    assert_eq!(list.len(), 2);
    assert!(list.iter().all(|u| u["status"] != "DEPROVISIONED"));
    assert!(
        list.iter()
            .all(|u| u["_links"].as_object().unwrap().len() == 1)
    );
    let all: Vec<Value> = env
        .get("/api/v1/users?search=status%20eq%20%22DEPROVISIONED%22")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(all.len(), 1);
    assert_eq!(env.emu.users().len(), 3);
}

#[tokio::test]
async fn the_list_has_self_and_next_links_as_separate_headers() {
    let env = start().await;
    env.emu.seed(
        (0..5)
            .map(|i| json!({"profile": {"login": format!("u{i}@example.com")}}))
            .collect(),
    );
    let r = env.get("/api/v1/users?limit=2").await;
    let l = links(&r);
    assert_eq!(l.len(), 2, "{l:?}");
    assert!(l[0].ends_with("rel=\"self\"") && l[0].contains("limit=2"));
    let next = next_link(&r).unwrap();
    assert!(next.contains("after=00u") && next.contains("limit=2"));
    let page: Vec<Value> = r.json().await.unwrap();
    assert_eq!(page.len(), 2);
    let r = env.get("/api/v1/users?limit=5").await;
    assert!(next_link(&r).is_none());
}

#[tokio::test]
async fn a_bad_limit_is_e0000054_and_an_oversized_limit_is_capped_at_200() {
    let env = start().await;
    env.emu.seed(
        (0..205)
            .map(|i| json!({"profile": {"login": format!("u{i}@example.com")}}))
            .collect(),
    );
    assert_eq!(
        error_code(env.get("/api/v1/users?limit=abc").await, 400).await,
        "E0000054"
    );
    let page: Vec<Value> = env
        .get("/api/v1/users?limit=1000")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(page.len(), 200);
    let page: Vec<Value> = env.get("/api/v1/users").await.json().await.unwrap();
    assert_eq!(page.len(), 200);
}

#[tokio::test]
async fn an_invalid_token_is_401_e0000011_and_a_missing_header_403_e0000005() {
    let env = start().await;
    let r = env
        .http
        .get(format!("{}/api/v1/users", env.emu.base_url()))
        .header("Authorization", "SSWS wrong")
        .send()
        .await
        .unwrap();
    assert!(r.headers().contains_key("x-rate-limit-limit"));
    assert_eq!(error_code(r, 401).await, "E0000011");
    let r = env
        .http
        .get(format!("{}/api/v1/users", env.emu.base_url()))
        .send()
        .await
        .unwrap();
    assert_eq!(error_code(r, 403).await, "E0000005");
}

#[tokio::test]
async fn unknown_paths_are_e0000008_and_wrong_methods_e0000022() {
    let env = start().await;
    assert_eq!(
        error_code(env.get("/api/v1/nothing").await, 404).await,
        "E0000008"
    );
    let r = env
        .req(Method::PATCH, "/api/v1/users")
        .send()
        .await
        .unwrap();
    assert_eq!(error_code(r, 405).await, "E0000022");
}

#[tokio::test]
async fn stats_count_requests_by_route_template_and_status() {
    let env = start().await;
    let u = env.create("stats@example.com", "?activate=false").await;
    let id = u["id"].as_str().unwrap();
    env.post_empty(&format!("/api/v1/users/{id}/lifecycle/activate"))
        .await;
    env.get(&format!("/api/v1/users/{id}")).await;
    env.get("/__emulator/users").await;
    let s = env.emu.stats();
    assert_eq!(s.count("POST", "/api/v1/users/{id}/lifecycle/activate"), 1);
    assert_eq!(s.count("GET", "/api/v1/users/{id}"), 1);
    assert_eq!(s.count("POST", "/api/v1/users"), 2);
    assert_eq!(s.writes(), 2);
    assert_eq!(s.total(), 3);
    assert!(s.peak_in_flight >= 1);
    env.emu.reset_stats();
    assert_eq!(env.emu.stats().total(), 0);
}

#[tokio::test]
async fn dropping_the_handle_stops_the_server() {
    let env = start().await;
    let url = env.emu.base_url();
    assert_eq!(env.get("/api/v1/users").await.status(), 200);
    drop(env.emu);
    tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    let fresh = reqwest::Client::new();
    assert!(
        fresh
            .get(format!("{url}/api/v1/users"))
            .send()
            .await
            .is_err()
    );
}

#[tokio::test]
async fn the_handle_shuts_down_and_the_port_stops_answering() {
    let env = start().await;
    let url = env.emu.base_url();
    env.emu.shutdown().await;
    assert!(
        env.http
            .get(format!("{url}/api/v1/users"))
            .send()
            .await
            .is_err()
    );
}
