//! A full pass's listing written into the Okta cache as it is read, page by page (a
//! *refill*), instead of all at once after the listing: the write then hides in the time the
//! listing waits on Okta. Each refill has a number, one above any in the cache, and every row
//! it writes carries it (`okta_cache.refill`). Begun, the header (if any) says a full pass is
//! wanted, so a refill that never finishes (the listing failed, the process died) leaves a
//! cache no incremental run plans from; finished, the rows of other refills (the users the
//! listing did not return) are dropped and the new header written.
//!
//! A row another refill wrote is always replaced. Within one refill the copy with the later
//! `lastUpdated` wins, as when listings are merged ([`crate::okta::merge_newer`]; a copy with
//! none is never later); on a tie the copy written first stays. The database decides that per
//! row, so a refill holds nothing per user. It decides nothing about users and never reads
//! Okta.

use super::super::{Journal, JournalError};
use super::{CacheHeader, Row, write_header};
use crate::model::OktaUser;
use rusqlite::{OptionalExtension, params};
use std::collections::HashMap;
use std::collections::hash_map::Entry;

/// What a header says while a refill is under way (and after one that never finished).
pub const UNFINISHED: &str = "the last full pass did not finish writing the cache";

/// A refill under way.
#[derive(Debug)]
pub struct CacheRefill {
    /// Its number: every row it writes carries it.
    number: i64,
    /// How many rows it wrote or replaced.
    written: usize,
}

impl CacheRefill {
    /// How many rows the refill wrote or replaced (a user's later copy counts again).
    pub fn written(&self) -> usize {
        self.written
    }
}

/// The insert of a refill's row: a row of another refill is replaced, one of this refill only
/// by a copy with a later `lastUpdated` (instants are text of one width, so they compare as
/// text; a copy without one is never later).
pub(in crate::journal) const REFILL_UPSERT: &str = "
    INSERT INTO okta_cache (okta_id, status, login, last_updated, user_json, refill)
    VALUES (?1, ?2, ?3, ?4, ?5, ?6)
    ON CONFLICT (okta_id) DO UPDATE SET status = excluded.status, login = excluded.login,
        last_updated = excluded.last_updated, user_json = excluded.user_json,
        refill = excluded.refill
    WHERE okta_cache.refill <> excluded.refill
       OR (excluded.last_updated IS NOT NULL
           AND (okta_cache.last_updated IS NULL
                OR excluded.last_updated > okta_cache.last_updated))";

/// `rows` with one row per user: the one with the latest `lastUpdated`, the first on a tie
/// (one statement may not write a row twice on PostgreSQL).
fn one_per_user(rows: Vec<Row>) -> Vec<Row> {
    let mut at: HashMap<String, usize> = HashMap::with_capacity(rows.len());
    let mut out: Vec<Row> = Vec::with_capacity(rows.len());
    for row in rows {
        match at.entry(row.okta_id.clone()) {
            Entry::Vacant(slot) => {
                slot.insert(out.len());
                out.push(row);
            }
            Entry::Occupied(slot) => {
                let kept = &mut out[*slot.get()];
                if row.last_updated.is_some() && row.last_updated > kept.last_updated {
                    *kept = row;
                }
            }
        }
    }
    out
}

impl Journal {
    /// Begins a refill: an existing header is marked (`UNFINISHED`) until
    /// [`Journal::finish_okta_cache_refill`].
    pub fn begin_okta_cache_refill(&self) -> Result<CacheRefill, JournalError> {
        let last = if let Some(pg) = self.pg() {
            pg.begin_okta_cache_refill(UNFINISHED)?
        } else {
            let mut conn = self.conn();
            let tx = conn.transaction()?;
            tx.execute(
                "UPDATE okta_cache_header SET full_pass_wanted = ?1 WHERE id = 1",
                params![UNFINISHED],
            )?;
            let last: Option<i64> = tx
                .query_row("SELECT MAX(refill) FROM okta_cache", [], |r| r.get(0))
                .optional()?
                .flatten();
            tx.commit()?;
            last
        };
        Ok(CacheRefill {
            number: last.unwrap_or(0).saturating_add(1),
            written: 0,
        })
    }

    /// Writes `users` (a page or a few: one transaction, one PostgreSQL call) into the
    /// refill, each row only where it wins; says how many it wrote or replaced.
    pub fn refill_okta_cache(
        &self,
        refill: &mut CacheRefill,
        users: &[OktaUser],
    ) -> Result<usize, JournalError> {
        let rows = users.iter().map(Row::of).collect::<Result<Vec<_>, _>>()?;
        if rows.is_empty() {
            return Ok(0);
        }
        let rows = one_per_user(rows);
        let n = if let Some(pg) = self.pg() {
            pg.refill_okta_cache(refill.number, rows)?
        } else {
            let mut conn = self.conn();
            let tx = conn.transaction()?;
            let mut n = 0;
            {
                let mut upsert = tx.prepare_cached(REFILL_UPSERT)?;
                for r in &rows {
                    n += upsert.execute(params![
                        r.okta_id,
                        r.status,
                        r.login,
                        r.last_updated,
                        r.user,
                        refill.number
                    ])?;
                }
            }
            tx.commit()?;
            n
        };
        refill.written += n;
        Ok(n)
    }

    /// Ends a refill: the cached users it did not write are dropped and `header` written
    /// (one transaction).
    pub fn finish_okta_cache_refill(
        &self,
        refill: CacheRefill,
        header: &CacheHeader,
    ) -> Result<(), JournalError> {
        if let Some(pg) = self.pg() {
            return pg.finish_okta_cache_refill(refill.number, header.clone());
        }
        let mut conn = self.conn();
        let tx = conn.transaction()?;
        tx.execute(
            "DELETE FROM okta_cache WHERE refill <> ?1",
            params![refill.number],
        )?;
        write_header(&tx, header)?;
        tx.commit()?;
        Ok(())
    }
}

#[cfg(test)]
mod tests;
