use super::*;

#[test]
fn a_read_scoped_bearer_gets_insufficient_scope_for_a_write() {
    let p = Principal::Bearer {
        dpop: false,
        client_id: "c".into(),
        scopes: vec![SCOPE_READ.into()],
        share: 0.5,
    };
    assert!(p.authorize(false, "http://x", "/api/v1/users").is_ok());
    let resp = p.authorize(true, "http://x", "/api/v1/users").unwrap_err();
    assert_eq!(resp.status(), StatusCode::FORBIDDEN);
    let h = resp.headers()[header::WWW_AUTHENTICATE].to_str().unwrap();
    assert!(h.contains("error=\"insufficient_scope\""));
    assert!(h.contains("scope=\"okta.users.manage\""));
}

#[test]
fn an_unknown_ssws_token_is_401_and_a_missing_header_403() {
    let cfg = EmulatorConfig::with_token("t");
    let mut st = OAuthState::default();
    let at = Utc::now();
    let creds = |a| Credentials {
        authorization: a,
        dpop: None,
        method: "GET",
        url: "http://x/api/v1/users",
    };
    let code = |r: Result<Principal, AuthError>| match r {
        Err(AuthError::Api(e)) => e.code,
        _ => "other",
    };
    assert_eq!(
        code(authenticate(creds(Some("SSWS nope")), &cfg, &mut st, at)),
        "E0000011"
    );
    assert_eq!(
        code(authenticate(creds(None), &cfg, &mut st, at)),
        "E0000005"
    );
    assert!(authenticate(creds(Some("SSWS t")), &cfg, &mut st, at).is_ok());
}

#[test]
fn an_ssws_token_is_accepted_with_no_space_or_several_as_okta_does() {
    let cfg = EmulatorConfig::with_token("t");
    let mut st = OAuthState::default();
    let at = Utc::now();
    for header in ["SSWSt", "SSWS   t", "SSWS\tt"] {
        let creds = Credentials {
            authorization: Some(header),
            dpop: None,
            method: "GET",
            url: "http://x/api/v1/users",
        };
        assert!(
            authenticate(creds, &cfg, &mut st, at).is_ok(),
            "{header:?} refused"
        );
    }
}
