//! `search`, `filter` and `q` over HTTP.

use super::support::*;
use serde_json::{Value, json};

async fn ids(env: &Env, query: &str) -> Vec<String> {
    let r = env
        .http
        .get(format!("{}/api/v1/users", env.emu.base_url()))
        .query(&[query.split_once('=').unwrap()])
        .header("Authorization", format!("SSWS {}", env.emu.token()))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200, "{query}");
    let v: Vec<Value> = r.json().await.unwrap();
    v.iter()
        .map(|u| u["profile"]["login"].as_str().unwrap().to_owned())
        .collect()
}

fn seed(env: &Env) {
    env.emu.seed(vec![
        json!({"id": "00u1", "status": "ACTIVE", "created": "2024-01-01T00:00:00.000Z", "profile": {"login": "ada@example.com", "firstName": "Ada", "department": "Engineering", "employeeNumber": "1"}}),
        json!({"id": "00u2", "status": "DEPROVISIONED", "created": "2025-06-01T00:00:00.000Z", "profile": {"login": "bob@example.com", "firstName": "Bob", "department": "Sales", "employeeNumber": "2"}}),
        json!({"id": "00u3", "status": "STAGED", "created": "2026-01-01T00:00:00.000Z", "profile": {"login": "cy@example.com", "firstName": "Cy"}}),
    ]);
}

#[tokio::test]
async fn search_supports_eq_sw_co_pr_dates_and_boolean_logic() {
    let env = start().await;
    seed(&env);
    assert_eq!(
        ids(&env, r#"search=status eq "DEPROVISIONED""#).await,
        ["bob@example.com"]
    );
    assert_eq!(
        ids(&env, r#"search=profile.department sw "eng""#).await,
        ["ada@example.com"]
    );
    assert_eq!(
        ids(&env, r#"search=profile.firstName co "o""#).await,
        ["bob@example.com"]
    );
    assert_eq!(ids(&env, "search=profile.employeeNumber pr").await.len(), 2);
    assert_eq!(
        ids(&env, r#"search=created gt "2025-01-01T00:00:00.000Z""#).await,
        ["bob@example.com", "cy@example.com"]
    );
    assert_eq!(
        ids(&env, r#"search=(status eq "ACTIVE" or status eq "STAGED") and created lt "2025-01-01T00:00:00.000Z""#).await,
        ["ada@example.com"]
    );
    assert_eq!(
        ids(&env, r#"search=id eq "00u3""#).await,
        ["cy@example.com"]
    );
}

#[tokio::test]
async fn filter_is_case_sensitive_and_includes_deprovisioned() {
    let env = start().await;
    seed(&env);
    assert_eq!(
        ids(&env, r#"filter=status eq "DEPROVISIONED""#).await,
        ["bob@example.com"]
    );
    assert!(
        ids(&env, r#"filter=profile.login eq "ADA@example.com""#)
            .await
            .is_empty()
    );
}

#[tokio::test]
async fn an_unparseable_or_unsupported_expression_is_400_e0000031() {
    let env = start().await;
    for q in [
        r#"search=status ne "ACTIVE""#,
        r#"search=status eq"#,
        r#"search=(status eq "ACTIVE""#,
        r#"filter=profile.department eq "Sales""#,
        r#"filter=status sw "A""#,
    ] {
        let r = env
            .http
            .get(format!("{}/api/v1/users", env.emu.base_url()))
            .query(&[q.split_once('=').unwrap()])
            .header("Authorization", format!("SSWS {}", env.emu.token()))
            .send()
            .await
            .unwrap();
        assert_eq!(error_code(r, 400).await, "E0000031", "{q}");
    }
}

#[tokio::test]
async fn q_is_a_prefix_match_that_omits_deprovisioned_users() {
    let env = start().await;
    seed(&env);
    assert_eq!(ids(&env, "q=ad").await, ["ada@example.com"]);
    assert!(ids(&env, "q=bob").await.is_empty());
}

#[tokio::test]
async fn search_can_sort_and_pages_keep_the_order_across_writes() {
    let env = start().await;
    env.emu.seed(
        (0..25)
            .map(|i| json!({"profile": {"login": format!("s{i}@example.com"), "employeeNumber": format!("{:03}", (i * 7) % 25)}}))
            .collect(),
    );
    let mut url = Some(format!(
        "{}/api/v1/users?limit=10&search=profile.employeeNumber%20pr&sortBy=profile.employeeNumber&sortOrder=desc",
        env.emu.base_url()
    ));
    let mut seen = Vec::new();
    let mut pages = 0;
    while let Some(u) = url {
        let r = env
            .http
            .get(&u)
            .header("Authorization", format!("SSWS {}", env.emu.token()))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 200);
        url = next_link(&r);
        let page: Vec<Value> = r.json().await.unwrap();
        seen.extend(
            page.iter()
                .map(|u| u["profile"]["employeeNumber"].as_str().unwrap().to_owned()),
        );
        pages += 1;
        // A user that sorts before the cursor appears between pages; it must not show up.
        env.emu.seed(vec![json!({"profile": {"login": format!("late{pages}@example.com"), "employeeNumber": "999"}})]);
    }
    let expected: Vec<String> = (0..25).rev().map(|n| format!("{n:03}")).collect();
    assert_eq!(seen, expected);
    assert_eq!(pages, 3);
    let r = env
        .get("/api/v1/users?search=status%20pr&sortBy=id&sortOrder=up")
        .await;
    assert_eq!(error_code(r, 400).await, "E0000031");
}

#[tokio::test]
async fn fields_projects_list_results() {
    let env = start().await;
    seed(&env);
    let r = env
        .get("/api/v1/users?fields=status,profile:(firstName,department)&limit=1")
        .await;
    assert_eq!(r.status(), 200);
    assert!(next_link(&r).unwrap().contains("fields="));
    let page: Vec<Value> = r.json().await.unwrap();
    assert_eq!(
        page[0],
        json!({"id": "00u1", "status": "ACTIVE", "profile": {"firstName": "Ada", "department": "Engineering"}})
    );
    assert_eq!(
        error_code(env.get("/api/v1/users?fields=status,").await, 400).await,
        "E0000001"
    );
}
