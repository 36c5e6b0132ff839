//! The leader lease against a real PostgreSQL server: one holder at a time, takeover only
//! after expiry with a larger epoch, a deposed leader's renewals and intents refused.

use crate::db::DbTarget;
use crate::db::testdb::TestDb;
use crate::journal::tests::{deactivate, start};
use crate::journal::{Journal, JournalError};
use std::time::Duration;

const GROUP: &str = "leader lease on PostgreSQL";
const TTL: Duration = Duration::from_millis(600);

fn open(db: &TestDb) -> Journal {
    Journal::open_url(&DbTarget::parse(&db.url).unwrap()).unwrap()
}

#[test]
fn an_sqlite_journal_has_no_lease() {
    assert!(Journal::open_in_memory().unwrap().leases().is_none());
}

#[test]
fn one_holder_at_a_time_and_a_takeover_after_expiry_has_a_larger_epoch() {
    let Some(db) = TestDb::postgres(GROUP) else {
        return;
    };
    let (a, b) = (open(&db), open(&db));
    let first = a.leases().unwrap().acquire("host-a", TTL).unwrap().unwrap();
    assert_eq!((first.holder.as_str(), first.epoch), ("host-a", 1));
    assert_eq!(b.leases().unwrap().acquire("host-b", TTL).unwrap(), None);
    assert!(a.leases().unwrap().renew("host-a", 1, TTL).unwrap());
    std::thread::sleep(TTL + Duration::from_millis(300));
    // Lapsed: the old holder cannot revive it, a standby takes it with the next epoch.
    assert!(!a.leases().unwrap().renew("host-a", 1, TTL).unwrap());
    let second = b.leases().unwrap().acquire("host-b", TTL).unwrap().unwrap();
    assert_eq!((second.holder.as_str(), second.epoch), ("host-b", 2));
    assert_eq!(b.leases().unwrap().current().unwrap().unwrap().epoch, 2);
    // A clean release hands over at once.
    b.leases().unwrap().release("host-b", 2).unwrap();
    let third = a.leases().unwrap().acquire("host-a", TTL).unwrap().unwrap();
    assert_eq!(third.epoch, 3);
}

#[test]
fn a_deposed_leader_cannot_record_an_intent_and_the_leader_can() {
    let Some(db) = TestDb::postgres(GROUP) else {
        return;
    };
    let (old, new) = (open(&db), open(&db));
    let lease = old.leases().unwrap().acquire("old", TTL).unwrap().unwrap();
    let run = old.begin_run(&start(3)).unwrap();
    let id = old
        .leases()
        .unwrap()
        .record_intent(run, &deactivate("1001"), lease.epoch)
        .unwrap();
    std::thread::sleep(TTL + Duration::from_millis(300));
    let taken = new.leases().unwrap().acquire("new", TTL).unwrap().unwrap();
    assert_eq!(taken.epoch, lease.epoch + 1);
    let refused = old
        .leases()
        .unwrap()
        .record_intent(run, &deactivate("1002"), lease.epoch)
        .unwrap_err();
    assert!(
        matches!(refused, JournalError::NotLeader { epoch: 1 }),
        "{refused}"
    );
    new.leases()
        .unwrap()
        .record_intent(run, &deactivate("1002"), taken.epoch)
        .unwrap();
    let actions = new.actions_for_run(run).unwrap();
    assert_eq!(actions.len(), 2, "only the leaders' intents are recorded");
    assert_eq!(actions[0].id, id);
}

#[test]
fn two_standbys_racing_for_a_free_lease_get_exactly_one_winner() {
    let Some(db) = TestDb::postgres(GROUP) else {
        return;
    };
    let journals: Vec<Journal> = (0..4).map(|_| open(&db)).collect();
    let winners: Vec<bool> = std::thread::scope(|s| {
        let handles: Vec<_> = journals
            .iter()
            .enumerate()
            .map(|(i, j)| {
                s.spawn(move || {
                    j.leases()
                        .unwrap()
                        .acquire(&format!("standby-{i}"), Duration::from_secs(30))
                        .unwrap()
                        .is_some()
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    assert_eq!(winners.iter().filter(|w| **w).count(), 1, "{winners:?}");
}
