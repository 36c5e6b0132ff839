use super::*;

const TTL: Duration = Duration::from_secs(12);

#[test]
fn a_new_instance_is_a_standby_with_no_fence() {
    let l = Leadership::new("host-a/1", TTL);
    assert_eq!(l.role(), Role::Standby { leader: None });
    assert!(!l.role().may_run());
    assert!(l.fence().is_none());
    assert_eq!(l.held_epoch(), None);
}

#[test]
fn a_grant_opens_a_write_window_of_three_quarters_of_the_lease_from_when_it_was_sent() {
    let l = Leadership::new("host-a/1", TTL);
    let sent = Instant::now();
    l.granted(4, sent);
    assert_eq!(l.role(), Role::Leader { epoch: 4 });
    assert_eq!(l.write_window(), Duration::from_secs(9));
    assert_eq!(l.epoch_at(sent + Duration::from_secs(8)), Some(4));
    assert_eq!(l.check_at(4, sent + Duration::from_secs(8)), Ok(()));
    assert_eq!(l.epoch_at(sent + Duration::from_secs(9)), None);
    assert_eq!(
        l.check_at(4, sent + Duration::from_secs(9)),
        Err(NotLeading::Lapsed { epoch: 4 })
    );
    // The keeper still tries to renew what it believes it holds.
    assert_eq!(l.held_epoch(), Some(4));
}

#[test]
fn a_renewal_moves_the_window_and_keeps_the_role_unchanged() {
    let l = Leadership::new("h", TTL);
    let mut role = l.subscribe();
    let t0 = Instant::now();
    l.granted(2, t0);
    assert!(role.has_changed().unwrap());
    role.borrow_and_update();
    l.granted(2, t0 + Duration::from_secs(4));
    assert!(
        !role.has_changed().unwrap(),
        "a renewal is not a role change"
    );
    assert_eq!(l.epoch_at(t0 + Duration::from_secs(12)), Some(2));
}

#[test]
fn a_run_of_an_earlier_epoch_may_not_write_after_the_lease_was_lost_and_taken_again() {
    let l = Leadership::new("h", TTL);
    let t0 = Instant::now();
    l.granted(1, t0);
    l.standby(Some(("other".into(), 2)));
    assert_eq!(l.check_at(1, t0), Err(NotLeading::Lost { epoch: 1 }));
    assert_eq!(
        l.role(),
        Role::Standby {
            leader: Some(("other".into(), 2))
        }
    );
    l.granted(3, t0);
    assert_eq!(l.check_at(1, t0), Err(NotLeading::Lost { epoch: 1 }));
    assert_eq!(l.check_at(3, t0), Ok(()));
}

#[test]
fn roles_describe_themselves_for_the_status_line() {
    assert_eq!(
        Role::Leader { epoch: 7 }.describe(),
        "leader (lease epoch 7)"
    );
    assert_eq!(
        Role::Standby {
            leader: Some(("db-1/42".into(), 7))
        }
        .describe(),
        "standby: db-1/42 leads (lease epoch 7)"
    );
    assert_eq!(Role::Single.epoch(), None);
    assert!(Role::Single.may_run());
}

#[test]
fn the_fence_of_a_run_refuses_writes_once_leadership_is_lost() {
    let l = Leadership::new("h", TTL);
    l.granted(5, Instant::now());
    let fence = l.fence().unwrap();
    assert_eq!(fence.epoch(), 5);
    assert!(crate::okta::WriteGate::may_write(&fence).is_ok());
    l.standby(None);
    let refused = crate::okta::WriteGate::may_write(&fence).unwrap_err();
    assert!(refused.contains("epoch 5"), "{refused}");
}
