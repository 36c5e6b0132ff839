//! The link table: facts recorded once, grouped per employee and user, forgotten on request.

use super::*;

fn fact(employee: &str, okta: &str, address: &str) -> LinkFact {
    LinkFact {
        employee_id: employee.to_owned(),
        okta_id: okta.to_owned(),
        address: address.to_owned(),
    }
}

#[test]
fn links_are_recorded_once_and_grouped_with_every_address_seen() {
    for backend in backends() {
        let j = backend.open();
        let first = [
            fact("1001", "00u1", "ada@example.com"),
            fact("1001", "00u1", "ada@example.com"),
            fact("1002", "00u2", "bea@example.com"),
        ];
        assert_eq!(j.record_links(&first, at(9)).unwrap(), 2);
        // The same facts again cost nothing; a new address of the same link is added.
        let again = [
            fact("1001", "00u1", "ada@example.com"),
            fact("1001", "00u1", "ada.k@example.com"),
        ];
        assert_eq!(j.record_links(&again, at(10)).unwrap(), 1);
        let links = j.links(Some("1001")).unwrap();
        assert_eq!(links.len(), 1);
        assert_eq!(links[0].okta_id, "00u1");
        assert_eq!(links[0].addresses, ["ada.k@example.com", "ada@example.com"]);
        assert!(
            links[0].first_seen.starts_with("2026-03-02T09:00"),
            "{:?}",
            links[0]
        );
        assert_eq!(j.links(None).unwrap().len(), 2);
        assert_eq!(
            j.known_links().unwrap().len(),
            3,
            "three (employee, user, address) facts"
        );
        j.forget_link("00u1").unwrap();
        assert!(j.links(Some("1001")).unwrap().is_empty());
    }
}

#[test]
fn a_version_one_journal_gains_the_link_table_on_open() {
    let (_dir, path) = temp_journal();
    {
        let conn = rusqlite::Connection::open(&path).unwrap();
        // The tables of version 1 the later migrations alter or index.
        conn.execute_batch(
            "CREATE TABLE runs (id INTEGER PRIMARY KEY);
             CREATE TABLE actions (id INTEGER PRIMARY KEY, run_id INTEGER, kind TEXT, outcome TEXT);
             PRAGMA user_version = 1;",
        )
        .unwrap();
    }
    let j = Journal::open(&path).unwrap();
    assert_eq!(user_version(&path), SCHEMA_VERSION);
    assert!(j.links(None).unwrap().is_empty());
}
