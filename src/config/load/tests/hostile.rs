//! Tests of configuration mistakes that could leak a secret: credentials in a URL, a secret
//! pasted where an environment variable's name belongs.

use super::*;

#[test]
fn an_org_url_with_a_password_is_refused_without_showing_it() {
    let text = GOOD.replace(
        "https://example.okta.com",
        "https://admin:Hunter2-secret@example.okta.com/x",
    );
    let errs = errors_of(&text);
    assert_eq!(errs.len(), 1, "{errs:?}");
    assert!(
        errs[0].contains("\"https://***@example.okta.com/x\" carries a user name or password"),
        "{errs:?}"
    );
    assert!(!errs[0].contains("Hunter2"), "{errs:?}");
    assert!(!errs[0].contains("admin"), "{errs:?}");
}

#[test]
fn a_token_pasted_as_the_variable_name_is_refused_without_echoing_it() {
    let text = GOOD.replace(
        "{ env = \"OKTA_API_TOKEN\" }",
        "{ env = \"00Zx9-pasted_token\" }",
    );
    let errs = errors_of(&text);
    assert_eq!(errs.len(), 1, "{errs:?}");
    assert!(
        errs[0].contains("must name an environment variable"),
        "{errs:?}"
    );
    assert!(!errs[0].contains("00Zx9"), "{errs:?}");
}
