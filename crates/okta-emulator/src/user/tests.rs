use super::*;

#[test]
fn a_seeded_deprovisioned_user_keeps_its_id_and_status() {
    let at = Utc::now();
    let u = UserRecord::from_seed(
        &json!({"id": "00uabc", "status": "DEPROVISIONED", "profile": {"login": "a@b.co"}}),
        at,
    )
    .unwrap();
    assert_eq!(u.id, "00uabc");
    assert_eq!(u.status, UserStatus::Deprovisioned);
    assert_eq!(u.login(), Some("a@b.co"));
}

#[test]
fn a_rendered_user_never_shows_a_password_value_and_has_null_phone() {
    let mut u = UserRecord::new(Map::new(), Utc::now());
    u.has_password = true;
    let v = u.render("http://x", true);
    assert_eq!(v["credentials"]["password"], json!({}));
    assert!(v["profile"]["mobilePhone"].is_null());
    assert_eq!(v["_links"]["activate"]["method"], "POST");
}
