//! Pagination over more than 1,000 users while users are created and deleted between pages.

use super::support::*;
use reqwest::Method;
use serde_json::{Value, json};
use std::collections::HashSet;

#[tokio::test]
async fn paging_over_1050_users_with_writes_between_pages_has_no_duplicates_or_gaps() {
    let env = start().await;
    env.emu.seed(
        (0..1050)
            .map(|i| json!({"status": if i % 7 == 0 { "STAGED" } else { "ACTIVE" }, "profile": {"login": format!("p{i}@example.com")}}))
            .collect(),
    );
    let before: HashSet<String> = env.emu.users().iter().map(|u| u.id.clone()).collect();
    let mut seen: Vec<String> = Vec::new();
    let mut deleted: HashSet<String> = HashSet::new();
    let mut url = format!("{}/api/v1/users?limit=200", env.emu.base_url());
    let mut pages = 0;
    loop {
        let r = env
            .http
            .get(&url)
            .header("Authorization", format!("SSWS {}", env.emu.token()))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 200);
        let next = next_link(&r);
        let page: Vec<Value> = r.json().await.unwrap();
        pages += 1;
        seen.extend(page.iter().map(|u| u["id"].as_str().unwrap().to_owned()));
        // Between pages: create a few users and deactivate+delete one not yet seen.
        for k in 0..3 {
            env.create(&format!("new{pages}-{k}@example.com"), "").await;
        }
        let victim = env
            .emu
            .users()
            .into_iter()
            .map(|u| u.id)
            .rfind(|id| before.contains(id) && !seen.contains(id) && !deleted.contains(id));
        if let Some(v) = victim {
            for _ in 0..2 {
                let r = env
                    .req(Method::DELETE, &format!("/api/v1/users/{v}"))
                    .send()
                    .await
                    .unwrap();
                assert_eq!(r.status(), 204);
            }
            deleted.insert(v);
        }
        match next {
            Some(n) => url = n,
            None => break,
        }
    }
    let unique: HashSet<&String> = seen.iter().collect();
    assert_eq!(unique.len(), seen.len(), "duplicates across pages");
    let expected: HashSet<&String> = before.iter().filter(|id| !deleted.contains(*id)).collect();
    let missing: Vec<_> = expected
        .iter()
        .filter(|id| !unique.contains(**id))
        .collect();
    assert!(
        missing.is_empty(),
        "gaps: {} users never listed",
        missing.len()
    );
    assert!(pages >= 6, "{pages} pages");
    let mut sorted = seen.clone();
    sorted.sort();
    assert_eq!(sorted, seen, "pages come in id order");
}

#[tokio::test]
async fn exactly_ceil_n_over_200_requests_page_through_n_users() {
    let env = start().await;
    env.emu.seed(
        (0..401)
            .map(|i| json!({"profile": {"login": format!("c{i}@example.com")}}))
            .collect(),
    );
    let mut url = Some(format!("{}/api/v1/users", env.emu.base_url()));
    let mut total = 0;
    while let Some(u) = url {
        let r = env
            .http
            .get(&u)
            .header("Authorization", format!("SSWS {}", env.emu.token()))
            .send()
            .await
            .unwrap();
        url = next_link(&r);
        total += r.json::<Vec<Value>>().await.unwrap().len();
    }
    assert_eq!(total, 401);
    assert_eq!(env.emu.stats().count("GET", "/api/v1/users"), 3);
}

#[tokio::test]
async fn the_next_link_keeps_the_search_expression() {
    let env = start().await;
    env.emu.seed((0..5).map(|i| json!({"status": "DEPROVISIONED", "profile": {"login": format!("d{i}@example.com")}})).collect());
    let r = env
        .get("/api/v1/users?limit=2&search=status%20eq%20%22DEPROVISIONED%22")
        .await;
    let next = next_link(&r).unwrap();
    assert!(
        next.contains("search=status+eq+%22DEPROVISIONED%22"),
        "{next}"
    );
    let mut all = r.json::<Vec<Value>>().await.unwrap().len();
    let mut url = Some(next);
    while let Some(u) = url {
        let r = env
            .http
            .get(&u)
            .header("Authorization", format!("SSWS {}", env.emu.token()))
            .send()
            .await
            .unwrap();
        url = next_link(&r);
        all += r.json::<Vec<Value>>().await.unwrap().len();
    }
    assert_eq!(all, 5);
}
