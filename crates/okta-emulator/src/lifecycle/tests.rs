use super::*;
use serde_json::Map;

fn store_with(status: UserStatus) -> (Store, String) {
    let mut s = Store::default();
    let mut u = UserRecord::new(Map::new(), Utc::now());
    u.status = status;
    let id = u.id.clone();
    s.put(u, Utc::now());
    (s, id)
}

#[test]
fn an_absurd_activation_delay_does_not_panic() {
    let (mut s, id) = store_with(UserStatus::Staged);
    let t = Utc::now();
    apply(&mut s, &id, "activate", None, u64::MAX, "http://x", t).unwrap();
    s.settle(t);
    assert_eq!(
        s.find(&id).unwrap().transitioning_to,
        Some(UserStatus::Provisioned)
    );
    let mut idx = Store::default();
    assert_eq!(idx.searchable(t, u64::MAX, None).count(), 0);
}

#[test]
fn activating_an_active_user_is_403_e0000016() {
    let (mut s, id) = store_with(UserStatus::Active);
    let e = apply(&mut s, &id, "activate", None, 0, "http://x", Utc::now()).unwrap_err();
    assert_eq!((e.status.as_u16(), e.code), (403, "E0000016"));
}

#[test]
fn a_delayed_activation_shows_transitioning_then_settles() {
    let (mut s, id) = store_with(UserStatus::Staged);
    let t = Utc::now();
    apply(&mut s, &id, "activate", None, 50, "http://x", t).unwrap();
    assert_eq!(
        s.find(&id).unwrap().transitioning_to,
        Some(UserStatus::Provisioned)
    );
    let e = apply(&mut s, &id, "suspend", None, 0, "http://x", t).unwrap_err();
    assert_eq!(e.code, "E0000112");
    s.settle(t + Duration::milliseconds(60));
    let u = s.find(&id).unwrap();
    assert_eq!(
        (u.status, u.transitioning_to),
        (UserStatus::Provisioned, None)
    );
}
