//! The Okta user cache in PostgreSQL: the same tables, calls and meaning as the SQLite
//! journal's `okta_cache`. Users are written in batches of [`BATCH`] rows per statement
//! (`unnest` over arrays), a replace in calls of [`CALL_ROWS`] (so a full pass of a million
//! users stays inside each call's bound), each well inside the statement timeout.

use super::{PgJournal, db_error};
use crate::journal::okta_cache::{Row, header_of, user_of};
use crate::journal::records::format_instant;
use crate::journal::{CacheHeader, JournalError, RunId};
use crate::model::OktaUser;

/// Users per insert statement.
const BATCH: usize = 2000;

/// Users per call (one transaction) when the whole cache is replaced.
const CALL_ROWS: usize = 20_000;

impl PgJournal {
    pub(in crate::journal) fn okta_cache_header(
        &self,
    ) -> Result<Option<CacheHeader>, JournalError> {
        self.call(|c, t| {
            let row = c
                .query_opt(
                    "SELECT org_url, fingerprint, watermark, last_full_pass, full_pass_wanted
                       FROM okta_cache_header WHERE id = 1",
                    &[],
                )
                .map_err(db_error(t))?;
            let Some(r) = row else {
                return Ok(None);
            };
            let last: String = r.try_get(3).map_err(db_error(t))?;
            header_of(
                r.try_get(0).map_err(db_error(t))?,
                r.try_get(1).map_err(db_error(t))?,
                r.try_get(2).map_err(db_error(t))?,
                &last,
                r.try_get(4).map_err(db_error(t))?,
            )
            .map(Some)
        })
    }

    pub(in crate::journal) fn okta_cache_users(&self) -> Result<Vec<OktaUser>, JournalError> {
        self.call(|c, t| {
            let rows = c
                .query("SELECT user_json FROM okta_cache ORDER BY okta_id", &[])
                .map_err(db_error(t))?;
            users_of(&rows, t)
        })
    }

    pub(in crate::journal) fn okta_cache_users_by_id(
        &self,
        ids: Vec<String>,
    ) -> Result<Vec<OktaUser>, JournalError> {
        self.call(move |c, t| {
            let rows = c
                .query(
                    "SELECT user_json FROM okta_cache WHERE okta_id = ANY($1) ORDER BY okta_id",
                    &[&ids],
                )
                .map_err(db_error(t))?;
            users_of(&rows, t)
        })
    }

    pub(in crate::journal) fn okta_cache_last_updated(&self) -> Result<Vec<String>, JournalError> {
        self.call(|c, t| {
            let rows = c
                .query(
                    "SELECT last_updated FROM okta_cache WHERE last_updated IS NOT NULL",
                    &[],
                )
                .map_err(db_error(t))?;
            rows.iter()
                .map(|r| r.try_get(0).map_err(db_error(t)))
                .collect()
        })
    }

    /// Updates the cache with `rows` and `removals`, then the header, in one transaction.
    pub(in crate::journal) fn write_okta_cache(
        &self,
        header: CacheHeader,
        rows: Vec<Row>,
        removals: Vec<String>,
    ) -> Result<(), JournalError> {
        self.call(move |c, t| {
            let mut tx = c.transaction().map_err(db_error(t))?;
            if !removals.is_empty() {
                tx.execute(
                    "DELETE FROM okta_cache WHERE okta_id = ANY($1)",
                    &[&removals],
                )
                .map_err(db_error(t))?;
            }
            insert_rows(&mut tx, t, &rows)?;
            write_header(&mut tx, t, &header)?;
            tx.commit().map_err(db_error(t))
        })
    }

    /// Replaces the cache with `users` and `header`. It may be too large for one call's bound
    /// (a million users), so it is several calls: the header goes first (a cache without a
    /// header is never used: the next run is a full pass), then the users, [`CALL_ROWS`] per
    /// call (serialized per call, never all at once), then the new header; stopped half-way,
    /// it leaves a cache nobody reads.
    pub(in crate::journal) fn replace_okta_cache(
        &self,
        header: &CacheHeader,
        users: &[OktaUser],
    ) -> Result<(), JournalError> {
        self.call(|c, t| {
            c.batch_execute("DELETE FROM okta_cache_header; DELETE FROM okta_cache;")
                .map_err(db_error(t))
        })?;
        for chunk in users.chunks(CALL_ROWS) {
            let rows = chunk.iter().map(Row::of).collect::<Result<Vec<_>, _>>()?;
            self.call(move |c, t| {
                let mut tx = c.transaction().map_err(db_error(t))?;
                insert_rows(&mut tx, t, &rows)?;
                tx.commit().map_err(db_error(t))
            })?;
        }
        self.write_okta_cache(header.clone(), Vec::new(), Vec::new())
    }

    pub(in crate::journal) fn clear_okta_cache(&self) -> Result<(), JournalError> {
        self.call(|c, t| {
            c.batch_execute("DELETE FROM okta_cache; DELETE FROM okta_cache_header;")
                .map_err(db_error(t))
        })
    }

    pub(in crate::journal) fn record_read(
        &self,
        run: RunId,
        pass: &'static str,
        users_read: i64,
    ) -> Result<(), JournalError> {
        self.call(move |c, t| {
            c.execute(
                "UPDATE runs SET pass = $2, users_read = $3 WHERE id = $1",
                &[&run.0, &pass, &users_read],
            )
            .map_err(db_error(t))?;
            Ok(())
        })
    }
}

/// Inserts (or replaces) cached users, [`BATCH`] per statement.
fn insert_rows(
    tx: &mut postgres::Transaction<'_>,
    t: &crate::db::DbTarget,
    rows: &[Row],
) -> Result<(), JournalError> {
    for chunk in rows.chunks(BATCH) {
        let ids: Vec<&str> = chunk.iter().map(|r| r.okta_id.as_str()).collect();
        let statuses: Vec<&str> = chunk.iter().map(|r| r.status.as_str()).collect();
        let logins: Vec<Option<&str>> = chunk.iter().map(|r| r.login.as_deref()).collect();
        let updated: Vec<Option<&str>> = chunk.iter().map(|r| r.last_updated.as_deref()).collect();
        let users: Vec<&str> = chunk.iter().map(|r| r.user.as_str()).collect();
        tx.execute(
            "INSERT INTO okta_cache (okta_id, status, login, last_updated, user_json)
             SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[])
             ON CONFLICT (okta_id) DO UPDATE SET status = EXCLUDED.status,
                 login = EXCLUDED.login, last_updated = EXCLUDED.last_updated,
                 user_json = EXCLUDED.user_json",
            &[&ids, &statuses, &logins, &updated, &users],
        )
        .map_err(db_error(t))?;
    }
    Ok(())
}

/// Writes the cache's header row.
fn write_header(
    tx: &mut postgres::Transaction<'_>,
    t: &crate::db::DbTarget,
    header: &CacheHeader,
) -> Result<(), JournalError> {
    let watermark = header.watermark.map(format_instant);
    let last = format_instant(header.last_full_pass);
    tx.execute(
        "INSERT INTO okta_cache_header
             (id, org_url, fingerprint, watermark, last_full_pass, full_pass_wanted)
         VALUES (1, $1, $2, $3, $4, $5)
         ON CONFLICT (id) DO UPDATE SET org_url = EXCLUDED.org_url,
             fingerprint = EXCLUDED.fingerprint, watermark = EXCLUDED.watermark,
             last_full_pass = EXCLUDED.last_full_pass,
             full_pass_wanted = EXCLUDED.full_pass_wanted",
        &[
            &header.org_url,
            &header.fingerprint,
            &watermark,
            &last,
            &header.full_pass_wanted,
        ],
    )
    .map_err(db_error(t))?;
    Ok(())
}

/// The users of rows whose first column is `user_json`.
fn users_of(
    rows: &[postgres::Row],
    t: &crate::db::DbTarget,
) -> Result<Vec<OktaUser>, JournalError> {
    rows.iter()
        .map(|r| {
            let json: String = r.try_get(0).map_err(db_error(t))?;
            user_of(&json)
        })
        .collect()
}
