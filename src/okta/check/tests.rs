use super::*;

#[test]
fn org_and_user_admins_can_write() {
    assert_eq!(
        write_access_of_roles(&["READ_ONLY_ADMIN".into(), "ORG_ADMIN".into()]),
        WriteAccess::Yes
    );
    assert_eq!(
        write_access_of_roles(&["SUPER_ADMIN".into()]),
        WriteAccess::Yes
    );
}

#[test]
fn a_read_only_admin_is_told_it_cannot_write_before_the_first_run() {
    let w = write_access_of_roles(&["READ_ONLY_ADMIN".into()]);
    assert!(
        matches!(&w, WriteAccess::No(why) if why.contains("READ_ONLY_ADMIN") && why.contains("cannot create"))
    );
    assert!(
        matches!(write_access_of_roles(&[]), WriteAccess::No(why) if why.contains("no admin role"))
    );
}

#[test]
fn a_custom_role_cannot_be_judged_and_says_what_to_check() {
    assert!(matches!(
        write_access_of_roles(&["CUSTOM".into()]),
        WriteAccess::Unknown(_)
    ));
}

#[test]
fn every_refusal_says_what_is_wrong_and_what_to_do() {
    for access in [
        write_access_of_roles(&["READ_ONLY_ADMIN".into()]),
        write_access_of_roles(&[]),
        write_access_of_roles(&["CUSTOM".into()]),
    ] {
        let (reason, fix) = access.reason_and_fix().unwrap();
        assert!(!reason.contains("fix:"), "{reason}");
        assert!(fix.is_some_and(|f| !f.is_empty()), "{access:?}");
    }
    assert_eq!(WriteAccess::Yes.reason_and_fix(), None);
    assert_eq!(
        WriteAccess::Unknown("no idea".into()).reason_and_fix(),
        Some(("no idea", None))
    );
}
