use super::*;

fn user(id: &str, minute: u32, title: &str) -> OktaUser {
    serde_json::from_value(serde_json::json!({
        "id": id,
        "status": "ACTIVE",
        "lastUpdated": format!("2026-12-01T12:{minute:02}:00.000Z"),
        "profile": {"login": format!("{id}@example.com"), "title": title}
    }))
    .unwrap()
}

fn titles(users: &[OktaUser]) -> Vec<(String, String)> {
    users
        .iter()
        .map(|u| {
            let title = u
                .profile
                .get("title")
                .and_then(|v| v.as_str())
                .unwrap_or("");
            (u.id.as_str().to_owned(), title.to_owned())
        })
        .collect()
}

#[test]
fn listings_merge_into_one_copy_per_user_the_latest_winning_wherever_it_was_read() {
    let a = vec![user("u1", 1, "old"), user("u2", 2, "b")];
    let b = vec![user("u3", 3, "c"), user("u1", 5, "new")];
    let merged = merge_listings(vec![a, b]);
    assert_eq!(
        titles(&merged),
        [
            ("u2".into(), "b".into()),
            ("u3".into(), "c".into()),
            ("u1".into(), "new".into())
        ]
    );
}

#[test]
fn an_older_copy_read_later_never_replaces_a_newer_one_and_a_tie_keeps_the_first() {
    let listing = vec![
        user("u1", 5, "new"),
        user("u1", 1, "old"),
        user("u1", 5, "same"),
    ];
    assert_eq!(
        titles(&newest_copies(listing)),
        [("u1".into(), "new".into())]
    );
}

#[test]
fn users_without_duplicates_are_kept_as_they_are_in_their_order() {
    let listing: Vec<OktaUser> = (0..50).map(|i| user(&format!("u{i}"), 1, "t")).collect();
    let ids: Vec<String> = listing.iter().map(|u| u.id.as_str().to_owned()).collect();
    let kept: Vec<String> = newest_copies(listing)
        .iter()
        .map(|u| u.id.as_str().to_owned())
        .collect();
    assert_eq!(kept, ids);
    assert!(merge_listings(Vec::new()).is_empty());
}

#[test]
fn a_fresh_copy_replaces_a_known_user_only_when_it_is_later() {
    let users = vec![user("u1", 5, "cached"), user("u2", 5, "cached")];
    let fresh = vec![
        user("u1", 1, "stale"),
        user("u2", 6, "fresh"),
        user("u3", 1, "new"),
    ];
    assert_eq!(
        titles(&merge_newer(users, fresh)),
        [
            ("u1".into(), "cached".into()),
            ("u2".into(), "fresh".into()),
            ("u3".into(), "new".into())
        ]
    );
}
