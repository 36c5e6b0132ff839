//! The Okta user cache on both backends: replaced by a full pass, updated in place, its
//! header kept with it, dropped on request; and each run's kind of pass.

use super::*;
use crate::model::{OktaUser, UserStatus};
use crate::plan::Pass;

fn user(id: &str, login: &str, status: UserStatus, updated: u32) -> OktaUser {
    serde_json::from_value(json!({
        "id": id,
        "status": status.as_str(),
        "lastUpdated": at(updated).to_rfc3339(),
        "profile": {"login": login, "email": login, "employeeNumber": id.trim_start_matches("00u")},
    }))
    .unwrap()
}

/// A full pass's refill of `users`, written in parts of 20,000 (one call each on PostgreSQL).
fn replace(j: &Journal, header: &CacheHeader, users: &[OktaUser]) {
    let mut refill = j.begin_okta_cache_refill().unwrap();
    for part in users.chunks(20_000) {
        j.refill_okta_cache(&mut refill, part).unwrap();
    }
    j.finish_okta_cache_refill(refill, header).unwrap();
}

fn header(watermark: u32) -> CacheHeader {
    CacheHeader {
        org_url: "https://example.okta.com/".into(),
        fingerprint: "f1".into(),
        watermark: Some(at(watermark)),
        last_full_pass: at(8),
        full_pass_wanted: None,
    }
}

#[test]
fn a_full_pass_replaces_the_cache_and_an_incremental_read_updates_it_in_place() {
    for backend in backends() {
        let j = backend.open();
        assert_eq!(j.okta_cache_header().unwrap(), None, "no cache yet");
        assert!(j.okta_cache_users().unwrap().is_empty());
        let ada = user("00u1", "ada@example.com", UserStatus::Active, 8);
        let lee = user("00u2", "lee@example.com", UserStatus::Staged, 8);
        replace(&j, &header(8), &[ada.clone(), lee.clone()]);
        assert_eq!(j.okta_cache_users().unwrap(), [ada.clone(), lee.clone()]);

        // An incremental read: one user changed, one gone, one new; the watermark moves.
        let mut lee2 = user("00u2", "lee.m@example.com", UserStatus::Active, 9);
        lee2.transitioning_to_status = None;
        let zoe = user("00u3", "zoe@example.com", UserStatus::Deprovisioned, 9);
        let update = CacheUpdate {
            upserts: vec![lee2.clone(), zoe.clone()],
            removals: vec![ada.id.clone()],
        };
        let mut moved = header(9);
        moved.full_pass_wanted = Some("a user hrsync updated was gone".into());
        j.update_okta_cache(&moved, &update).unwrap();
        // A reopened journal sees the same.
        let j = backend.open();
        assert_eq!(j.okta_cache_users().unwrap(), [lee2, zoe]);
        assert_eq!(j.okta_cache_header().unwrap(), Some(moved));

        // Another full pass drops what it did not list.
        replace(&j, &header(10), std::slice::from_ref(&ada));
        assert_eq!(j.okta_cache_users().unwrap(), [ada]);
        j.clear_okta_cache().unwrap();
        assert_eq!(j.okta_cache_header().unwrap(), None);
        assert!(j.okta_cache_users().unwrap().is_empty());
    }
}

#[test]
fn a_large_cache_is_written_and_read_back_whole() {
    for backend in backends() {
        let j = backend.open();
        // More than one part's worth (20,000 rows, one PostgreSQL call each).
        let users: Vec<OktaUser> = (0..25_000)
            .map(|i| {
                user(
                    &format!("00u{i:05}"),
                    &format!("u{i}@example.com"),
                    UserStatus::Active,
                    8,
                )
            })
            .collect();
        replace(&j, &header(8), &users);
        assert_eq!(j.okta_cache_users().unwrap(), users);
    }
}

#[test]
fn each_run_records_the_kind_of_pass_it_made_and_how_many_users_it_read() {
    for backend in backends() {
        let j = backend.open();
        let first = j.begin_run(&start(3)).unwrap();
        let second = j.begin_run(&start(3)).unwrap();
        j.record_read(first, Pass::Full, 99_030).unwrap();
        j.record_read(second, Pass::Incremental, 2).unwrap();
        let runs = j.runs(5).unwrap();
        assert_eq!(runs[0].pass, Some(Pass::Incremental));
        assert_eq!(runs[0].users_read, Some(2));
        assert_eq!(runs[1].pass, Some(Pass::Full));
        assert_eq!(runs[1].users_read, Some(99_030));
        let unread = j.begin_run(&start(3)).unwrap();
        assert_eq!(j.run(unread).unwrap().unwrap().pass, None);
    }
}

#[test]
fn a_refill_writes_pages_as_they_come_and_only_its_finish_makes_the_cache_usable_again() {
    for backend in backends() {
        let j = backend.open();
        let ada = user("00u1", "ada@example.com", UserStatus::Active, 8);
        let lee = user("00u2", "lee@example.com", UserStatus::Active, 8);
        replace(&j, &header(8), &[ada.clone(), lee.clone()]);

        // A refill that never finishes: its pages are there, the header wants a full pass.
        let mut refill = j.begin_okta_cache_refill().unwrap();
        let ada2 = user("00u1", "ada.l@example.com", UserStatus::Active, 9);
        assert_eq!(
            j.refill_okta_cache(&mut refill, std::slice::from_ref(&ada2))
                .unwrap(),
            1
        );
        // (never finished; a reopened journal)
        let j = backend.open();
        let marked = j.okta_cache_header().unwrap().unwrap();
        assert!(marked.full_pass_wanted.is_some(), "{marked:?}");
        assert_eq!(j.okta_cache_users().unwrap(), [ada2.clone(), lee.clone()]);

        // The next refill: a later copy replaces an earlier one of the same refill, an older
        // copy never does; what it did not write is dropped at its finish.
        let mut refill = j.begin_okta_cache_refill().unwrap();
        let zoe = user("00u3", "zoe@example.com", UserStatus::Staged, 9);
        let zoe_older = user("00u3", "zoe.old@example.com", UserStatus::Staged, 7);
        let ada3 = user("00u1", "ada.lovelace@example.com", UserStatus::Active, 10);
        assert_eq!(
            j.refill_okta_cache(&mut refill, &[ada.clone(), zoe.clone()])
                .unwrap(),
            2
        );
        assert_eq!(
            j.refill_okta_cache(&mut refill, &[zoe_older, ada3.clone()])
                .unwrap(),
            1
        );
        assert_eq!(refill.written(), 3);
        j.finish_okta_cache_refill(refill, &header(10)).unwrap();
        assert_eq!(j.okta_cache_header().unwrap(), Some(header(10)));
        assert_eq!(j.okta_cache_users().unwrap(), [ada3, zoe]);
    }
}
