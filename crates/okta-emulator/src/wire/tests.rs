use super::*;

#[test]
fn every_status_reads_back_its_own_spelling_and_nothing_else() {
    for s in [
        "STAGED",
        "PROVISIONED",
        "ACTIVE",
        "RECOVERY",
        "PASSWORD_EXPIRED",
        "LOCKED_OUT",
        "SUSPENDED",
        "DEPROVISIONED",
    ] {
        assert_eq!(Status::parse(s).map(Status::as_str), Some(s));
    }
    assert_eq!(Status::parse("active"), None);
}

#[test]
fn an_email_shaped_login_has_one_at_and_a_dotted_domain() {
    assert!(email_shaped("ada@example.com"));
    for bad in [
        "ada",
        "ada@",
        "@example.com",
        "ada@example",
        "a b@example.com",
        "a@b@c.d",
        "ada@.example.com",
        "ada@example..com",
    ] {
        assert!(!email_shaped(bad), "{bad}");
    }
}
