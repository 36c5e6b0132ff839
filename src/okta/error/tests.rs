use super::*;

fn api(status: u16, body: &str) -> Error {
    from_response(
        status,
        None,
        Some("req-1".into()),
        body.as_bytes(),
        "create users",
    )
}

#[test]
fn server_errors_rate_limits_and_activation_in_progress_are_retryable() {
    for (status, code) in [
        (429, "E0000047"),
        (500, "E0000009"),
        (502, ""),
        (503, "E0000010"),
        (504, ""),
        (409, "E0000112"),
    ] {
        let e = api(
            status,
            &format!(r#"{{"errorCode":"{code}","errorSummary":"x"}}"#),
        );
        assert!(e.is_retryable(), "{status} {code} should be retryable: {e}");
    }
    assert!(
        Error::Transport {
            what: "connection reset".into(),
            source: None
        }
        .is_retryable()
    );
}

#[test]
fn validation_not_found_and_wrong_status_errors_only_fail_that_user() {
    for (status, code) in [
        (400, "E0000001"),
        (404, "E0000007"),
        (403, "E0000016"),
        (403, "E0000038"),
        (409, "E0000999"),
    ] {
        let e = api(
            status,
            &format!(r#"{{"errorCode":"{code}","errorSummary":"x"}}"#),
        );
        assert_eq!(e.class(), ErrorClass::PerUser, "{status} {code}");
    }
}

#[test]
fn a_bad_token_stops_the_run_and_says_to_issue_a_new_one() {
    let e = api(
        401,
        r#"{"errorCode":"E0000011","errorSummary":"Invalid token provided"}"#,
    );
    assert!(e.is_fatal());
    assert_eq!(e.code(), Some("E0000011"));
    assert!(e.to_string().contains("issue a new token"), "{e}");
    assert!(e.to_string().contains("req-1"), "{e}");
}

#[test]
fn a_missing_admin_permission_stops_the_run_and_names_the_operation() {
    let e = api(
        403,
        r#"{"errorCode":"E0000006","errorSummary":"You do not have permission"}"#,
    );
    assert!(e.is_fatal());
    assert!(e.to_string().contains("may not create users"), "{e}");
}

#[test]
fn a_missing_oauth_scope_is_read_from_the_www_authenticate_header() {
    let h = r#"Bearer authorization_uri="http://x/oauth2/v1/authorize", realm="IdpMyAccountAPI", scope="okta.users.manage", error="insufficient_scope", error_description="The access token provided does not contain the required scopes.", resource="/api/v1/users""#;
    let e = from_response(403, Some(h), None, b"", "create users");
    assert!(e.is_fatal());
    assert!(matches!(&e, Error::InsufficientScope { scope, .. } if scope == "okta.users.manage"));
    assert!(e.to_string().contains("okta.users.manage"));
}

#[test]
fn a_duplicate_login_is_recognised_from_its_cause() {
    let e = api(
        400,
        r#"{"errorCode":"E0000001","errorSummary":"Api validation failed: login","errorCauses":[{"errorSummary":"login: An object with this field already exists in the current organization"}]}"#,
    );
    assert!(e.is_duplicate_login());
    assert!(e.to_string().contains("already exists"), "{e}");
    let other = api(
        400,
        r#"{"errorCode":"E0000001","errorSummary":"Api validation failed: firstName","errorCauses":[{"errorSummary":"firstName: The field cannot be left blank"}]}"#,
    );
    assert!(!other.is_duplicate_login());
}

#[test]
fn a_body_that_is_not_okta_json_still_gives_a_useful_error() {
    let e = api(502, "<html>bad gateway</html>");
    assert!(e.is_retryable());
    assert!(e.to_string().contains("502"), "{e}");
}

#[test]
fn wrong_status_answers_of_lifecycle_calls_are_recognised() {
    assert!(api(403, r#"{"errorCode":"E0000016"}"#).is_wrong_status());
    assert!(api(404, r#"{"errorCode":"E0000007"}"#).is_wrong_status());
    assert!(!api(500, r#"{"errorCode":"E0000009"}"#).is_wrong_status());
}

#[test]
fn a_duplicate_unique_anchor_is_told_apart_from_a_duplicate_login() {
    let e = api(
        400,
        r#"{"errorCode":"E0000001","errorSummary":"Api validation failed: hrEmployeeId","errorCauses":[{"errorSummary":"hrEmployeeId: An object with this field already exists in the current organization"}]}"#,
    );
    assert!(e.is_duplicate_value("hrEmployeeId"));
    assert!(!e.is_duplicate_value("badgeId"));
    assert!(!e.is_duplicate_login());
    let login = api(
        400,
        r#"{"errorCode":"E0000001","errorSummary":"Api validation failed: login","errorCauses":[{"errorSummary":"login: An object with this field already exists in the current organization"}]}"#,
    );
    assert!(
        !login.is_duplicate_value("login"),
        "the login has its own recovery"
    );
    assert!(login.is_duplicate_login());
}

#[test]
fn a_schema_write_refused_for_the_role_names_the_admin_roles_and_the_scope() {
    let e = from_response(
        403,
        None,
        None,
        br#"{"errorCode":"E0000006","errorSummary":"You do not have permission to perform the requested action"}"#,
        "add custom attributes to the user schema",
    );
    let text = e.to_string();
    assert!(text.contains("Super or Org Administrator"), "{text}");
    assert!(text.contains("okta.schemas.manage"), "{text}");
}
