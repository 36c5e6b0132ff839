//! The keeper against a real PostgreSQL server.

use super::*;
use crate::db::DbTarget;
use crate::db::testdb::TestDb;
use crate::ha::Role;
use std::time::Duration;

const GROUP: &str = "lease keeper on PostgreSQL";
const TTL: Duration = Duration::from_millis(900);

fn open(db: &TestDb) -> Journal {
    Journal::open_url(&DbTarget::parse(&db.url).unwrap()).unwrap()
}

#[tokio::test]
async fn the_first_keeper_leads_and_the_second_waits_naming_the_leader() {
    let Some(db) = TestDb::postgres(GROUP) else {
        return;
    };
    let (a, b) = (Leadership::new("a/1", TTL), Leadership::new("b/2", TTL));
    let (ja, jb) = (open(&db), open(&db));
    tick(&a, &ja).await;
    tick(&b, &jb).await;
    assert_eq!(a.role(), Role::Leader { epoch: 1 });
    assert_eq!(
        b.role(),
        Role::Standby {
            leader: Some(("a/1".into(), 1))
        }
    );
    // Renewals keep it.
    tick(&a, &ja).await;
    tick(&b, &jb).await;
    assert_eq!(a.role(), Role::Leader { epoch: 1 });
    assert!(!b.role().may_run());
}

#[tokio::test]
async fn a_standby_takes_over_after_expiry_with_a_larger_epoch_and_the_old_leader_learns_it_lost() {
    let Some(db) = TestDb::postgres(GROUP) else {
        return;
    };
    let (a, b) = (Leadership::new("a/1", TTL), Leadership::new("b/2", TTL));
    let (ja, jb) = (open(&db), open(&db));
    tick(&a, &ja).await;
    // a is paused (no renewals) past its lease.
    tokio::time::sleep(TTL + Duration::from_millis(200)).await;
    assert_eq!(
        a.epoch_at(Instant::now()),
        None,
        "a stopped writing on its own"
    );
    tick(&b, &jb).await;
    assert_eq!(b.role(), Role::Leader { epoch: 2 });
    tick(&a, &ja).await;
    assert_eq!(
        a.role(),
        Role::Standby {
            leader: Some(("b/2".into(), 2))
        }
    );
}

#[tokio::test]
async fn taking_the_lease_marks_the_previous_leaders_unfinished_run_interrupted() {
    let Some(db) = TestDb::postgres(GROUP) else {
        return;
    };
    let j = open(&db);
    let run = j
        .begin_run(&crate::journal::RunStart {
            started_at: chrono::Utc::now(),
            mode: crate::journal::RunMode::Sync,
            trigger: "cron".into(),
            snapshot_employees: 3,
            snapshot_rejected: 0,
            epoch: Some(1),
        })
        .unwrap();
    let a = Leadership::new("a/1", TTL);
    tick(&a, &j).await;
    let status = j.run(run).unwrap().unwrap().status;
    assert_eq!(status, crate::journal::RunState::Interrupted);
}

#[tokio::test]
async fn a_clean_stop_releases_the_lease_so_a_standby_takes_over_at_once() {
    let Some(db) = TestDb::postgres(GROUP) else {
        return;
    };
    let long = Duration::from_secs(30);
    let (a, b) = (Leadership::new("a/1", long), Leadership::new("b/2", long));
    let (tx, rx) = watch::channel(false);
    let task = tokio::spawn(keep(Arc::clone(&a), open(&db), rx));
    let mut role = a.subscribe();
    role.wait_for(|r| matches!(r, Role::Leader { .. }))
        .await
        .unwrap();
    tx.send_replace(true);
    task.await.unwrap();
    assert_eq!(a.role(), Role::Standby { leader: None });
    tick(&b, &open(&db)).await;
    assert_eq!(b.role(), Role::Leader { epoch: 2 });
}
