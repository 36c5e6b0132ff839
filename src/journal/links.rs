//! The link table: which Okta user each employee id was linked to, with every login and email
//! (lower case) that user carried. Written from each run's listing and from its creates; read
//! before planning to find linked users a listing left out. Never deletes a link by itself
//! except [`Journal::forget_link`] for a user Okta says no longer exists.

use super::records::format_instant;
use super::{Journal, JournalError};
use chrono::{DateTime, Utc};
use rusqlite::params;
use serde::Serialize;
use std::collections::{BTreeMap, HashSet};

/// One employee ↔ Okta user link with the addresses seen on it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LinkRecord {
    /// The HR employee id.
    pub employee_id: String,
    /// The Okta user id.
    pub okta_id: String,
    /// Every login and email seen on the user, lower case, sorted.
    pub addresses: Vec<String>,
    /// When the link was first recorded.
    pub first_seen: String,
}

/// One (employee, Okta user, address) fact to remember.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct LinkFact {
    /// The HR employee id.
    pub employee_id: String,
    /// The Okta user id.
    pub okta_id: String,
    /// A login or email, lower case.
    pub address: String,
}

impl Journal {
    /// Every recorded fact, read once per run: the caller diffs a listing against it and
    /// finds the linked users the listing lacks.
    pub fn known_links(&self) -> Result<HashSet<LinkFact>, JournalError> {
        if let Some(pg) = self.pg() {
            return pg.known_links();
        }
        let conn = self.conn();
        let mut statement =
            conn.prepare_cached("SELECT employee_id, okta_id, address FROM links")?;
        let rows = statement.query_map([], |r| {
            Ok(LinkFact {
                employee_id: r.get(0)?,
                okta_id: r.get(1)?,
                address: r.get(2)?,
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Remembers facts (one transaction; a fact already recorded is left as it is). Returns
    /// how many were new. The facts are taken one at a time as they are written (SQLite), so
    /// a caller may make them lazily instead of holding all of them at once.
    pub fn record_links(
        &self,
        facts: impl IntoIterator<Item = impl std::borrow::Borrow<LinkFact>>,
        at: DateTime<Utc>,
    ) -> Result<usize, JournalError> {
        let mut facts = facts.into_iter().peekable();
        if facts.peek().is_none() {
            return Ok(0);
        }
        if let Some(pg) = self.pg() {
            return pg.record_links(facts.map(|f| f.borrow().clone()).collect(), at);
        }
        let mut conn = self.conn();
        let tx = conn.transaction()?;
        let mut added = 0;
        {
            let mut insert = tx.prepare_cached(
                "INSERT OR IGNORE INTO links (employee_id, okta_id, address, first_seen)
                 VALUES (?1, ?2, ?3, ?4)",
            )?;
            let when = format_instant(at);
            for f in facts {
                let f = f.borrow();
                added += insert.execute(params![f.employee_id, f.okta_id, f.address, when])?;
            }
        }
        tx.commit()?;
        Ok(added)
    }

    /// Every link, or one employee's, grouped by (employee, Okta user).
    pub fn links(&self, employee: Option<&str>) -> Result<Vec<LinkRecord>, JournalError> {
        if let Some(pg) = self.pg() {
            return pg.links(employee);
        }
        let conn = self.conn();
        let mut statement = conn.prepare_cached(
            "SELECT employee_id, okta_id, address, first_seen FROM links
              WHERE ?1 IS NULL OR employee_id = ?1
              ORDER BY employee_id, okta_id, address",
        )?;
        let rows = statement.query_map(params![employee], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, String>(3)?,
            ))
        })?;
        let mut grouped: BTreeMap<(String, String), LinkRecord> = BTreeMap::new();
        for row in rows {
            let (employee_id, okta_id, address, first_seen) = row?;
            let entry = grouped
                .entry((employee_id.clone(), okta_id.clone()))
                .or_insert_with(|| LinkRecord {
                    employee_id,
                    okta_id,
                    addresses: Vec::new(),
                    first_seen: first_seen.clone(),
                });
            entry.addresses.push(address);
            if first_seen < entry.first_seen {
                entry.first_seen = first_seen;
            }
        }
        Ok(grouped.into_values().collect())
    }

    /// Forgets every link to an Okta user that Okta says does not exist (deleted by hand).
    pub fn forget_link(&self, okta_id: &str) -> Result<(), JournalError> {
        self.unsettle()?;
        if let Some(pg) = self.pg() {
            return pg.forget_link(okta_id);
        }
        self.conn()
            .execute("DELETE FROM links WHERE okta_id = ?1", params![okta_id])?;
        Ok(())
    }
}
