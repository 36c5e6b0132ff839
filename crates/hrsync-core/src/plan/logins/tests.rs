use super::*;

fn s(v: &[&str]) -> Vec<String> {
    v.iter().map(|x| (*x).to_owned()).collect()
}

#[test]
fn keys_ignore_case_and_accents() {
    assert_eq!(
        login_key("Zoë.Ångström@Example.com"),
        "zoe.angstrom@example.com"
    );
    assert_eq!(login_key("ADA@X.IO"), "ada@x.io");
    assert_eq!(login_key("ﬁ@x.io"), "fi@x.io");
}

#[test]
fn a_free_template_login_is_taken_as_is() {
    let mut reg = LoginRegistry::new(["other@x.io"].into_iter());
    assert_eq!(
        reg.pick(&s(&["Ada@x.io"]), None),
        Some("Ada@x.io".to_owned())
    );
}

#[test]
fn a_login_taken_with_other_accents_falls_back_then_gets_a_suffix() {
    let mut reg = LoginRegistry::new(["zoe@x.io", "zoe.angstrom@x.io"].into_iter());
    let c = s(&["zoë@x.io", "zoe.angstrom@x.io"]);
    assert_eq!(reg.pick(&c, None), Some("zoe.angstrom2@x.io".to_owned()));
    // The planned login is now taken too.
    assert_eq!(reg.pick(&c, None), Some("zoe.angstrom3@x.io".to_owned()));
}

#[test]
fn a_user_keeps_its_own_fallback_login_while_the_template_login_is_taken() {
    let c = s(&["ada@x.io", "ada.k@x.io"]);
    let mut reg = LoginRegistry::new(["ada@x.io", "ada.k@x.io", "ada.k3@x.io"].into_iter());
    assert_eq!(
        reg.pick(&c, Some("ada.k3@x.io")),
        Some("ada.k3@x.io".to_owned())
    );
    let mut reg = LoginRegistry::new(["ADA@x.io"].into_iter());
    assert_eq!(reg.pick(&c, Some("ADA@x.io")), Some("ada@x.io".to_owned()));
    // Once the template login is free again, a user on a fallback gets it.
    let mut reg = LoginRegistry::new(["ada.k@x.io"].into_iter());
    assert_eq!(
        reg.pick(&c, Some("ada.k@x.io")),
        Some("ada@x.io".to_owned())
    );
    // A login that is no candidate any more follows the template.
    let mut reg = LoginRegistry::new(["old@x.io"].into_iter());
    assert_eq!(reg.pick(&c, Some("old@x.io")), Some("ada@x.io".to_owned()));
}

#[test]
fn suffixes_go_before_the_at_sign() {
    assert_eq!(
        with_suffix("ada.kowalski@example.com", 2),
        "ada.kowalski2@example.com"
    );
    assert_eq!(with_suffix("ada", 3), "ada3");
}

#[test]
fn nothing_is_picked_from_no_candidates() {
    let mut reg = LoginRegistry::default();
    assert_eq!(reg.pick(&[], None), None);
}
