use super::*;

#[test]
fn a_user_id_has_okta_shape() {
    let id = user_id();
    assert_eq!(id.len(), 20);
    assert!(id.starts_with("00u"));
    assert!(id.chars().all(|c| c.is_ascii_alphanumeric()));
}

#[test]
fn an_error_id_has_okta_shape() {
    let id = error_id();
    assert_eq!(id.len(), 25);
    assert!(id.starts_with("oae"));
}

#[test]
fn two_user_ids_differ() {
    assert_ne!(user_id(), user_id());
}
