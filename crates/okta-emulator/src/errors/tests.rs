use super::*;

#[test]
fn an_error_body_has_every_okta_field() {
    let body = ApiError::validation("login", vec!["login: x".into()]).body();
    assert_eq!(body["errorCode"], "E0000001");
    assert_eq!(body["errorLink"], "E0000001");
    assert_eq!(body["errorSummary"], "Api validation failed: login");
    assert_eq!(body["errorCauses"][0]["errorSummary"], "login: x");
    assert!(
        body["errorId"]
            .as_str()
            .is_some_and(|s| s.starts_with("oae"))
    );
}
