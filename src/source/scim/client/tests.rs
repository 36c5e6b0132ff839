use super::*;
use serde_json::json;

#[test]
fn a_scim_error_is_shown_by_its_detail_and_type() {
    let body = json!({
        "schemas": [ERROR_SCHEMA],
        "status": "400",
        "scimType": "invalidFilter",
        "detail": "count must be positive"
    })
    .to_string();
    assert_eq!(
        error_text(&HeaderMap::new(), &body).as_deref(),
        Some("count must be positive (invalidFilter)")
    );
    assert_eq!(error_text(&HeaderMap::new(), "<html>"), None);
}

#[test]
fn a_list_page_needs_a_total_and_tolerates_missing_resources_when_empty() {
    let page = ListPage::read("u", json!({"totalResults": 0})).unwrap();
    assert_eq!(page.total, 0);
    assert!(page.resources.is_empty());
    let err = ListPage::read("u", json!({"Resources": []})).err().unwrap();
    assert!(err.to_string().contains("totalResults"), "{err}");
    let err = ListPage::read("u", json!({"totalResults": 1, "Resources": {}}))
        .err()
        .unwrap();
    assert!(err.to_string().contains("not an array"), "{err}");
}

#[test]
fn an_auth_failure_says_what_to_check() {
    assert!(auth_message(StatusCode::UNAUTHORIZED, "").contains("[source] token"));
    assert!(auth_message(StatusCode::FORBIDDEN, ": no").contains("read access"));
}
