//! The Okta user cache in PostgreSQL: the same tables, calls and meaning as the SQLite
//! journal's `okta_cache`. Users are written in batches of [`BATCH`] rows per statement
//! (`unnest` over arrays), a refill's pages one call each (so a full pass of a million users
//! stays inside each call's bound), each well inside the statement timeout.

use super::{PgJournal, db_error};
use crate::journal::okta_cache::{Row, header_of, user_of};
use crate::journal::records::format_instant;
use crate::journal::{CacheHeader, JournalError, RunId};
use crate::model::OktaUser;

/// Users per insert statement.
const BATCH: usize = 2000;

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

    /// Marks the header (if any) with `why` and answers the highest refill number cached.
    pub(in crate::journal) fn begin_okta_cache_refill(
        &self,
        why: &'static str,
    ) -> Result<Option<i64>, JournalError> {
        self.call(move |c, t| {
            let mut tx = c.transaction().map_err(db_error(t))?;
            tx.execute(
                "UPDATE okta_cache_header SET full_pass_wanted = $1 WHERE id = 1",
                &[&why],
            )
            .map_err(db_error(t))?;
            let last: Option<i64> = tx
                .query_one("SELECT MAX(refill) FROM okta_cache", &[])
                .map_err(db_error(t))?
                .get(0);
            tx.commit().map_err(db_error(t))?;
            Ok(last)
        })
    }

    /// Writes a refill's rows (one per user), each where it wins (the SQLite journal's
    /// `REFILL_UPSERT`); answers how many it wrote.
    pub(in crate::journal) fn refill_okta_cache(
        &self,
        number: i64,
        rows: Vec<Row>,
    ) -> Result<usize, JournalError> {
        self.call(move |c, t| {
            let mut tx = c.transaction().map_err(db_error(t))?;
            let mut n = 0;
            for chunk in rows.chunks(BATCH) {
                let cols = columns(chunk);
                n += tx
                    .execute(
                        "INSERT INTO okta_cache
                             (okta_id, status, login, last_updated, user_json, refill)
                         SELECT i, s, l, u, j, $6 FROM unnest($1::text[], $2::text[],
                             $3::text[], $4::text[], $5::text[]) AS r(i, s, l, u, j)
                         ON CONFLICT (okta_id) DO UPDATE SET status = EXCLUDED.status,
                             login = EXCLUDED.login, last_updated = EXCLUDED.last_updated,
                             user_json = EXCLUDED.user_json, refill = EXCLUDED.refill
                         WHERE okta_cache.refill <> EXCLUDED.refill
                            OR (EXCLUDED.last_updated IS NOT NULL
                                AND (okta_cache.last_updated IS NULL
                                     OR EXCLUDED.last_updated > okta_cache.last_updated))",
                        &[
                            &cols.ids,
                            &cols.statuses,
                            &cols.logins,
                            &cols.updated,
                            &cols.users,
                            &number,
                        ],
                    )
                    .map_err(db_error(t))?;
            }
            tx.commit().map_err(db_error(t))?;
            Ok(usize::try_from(n).unwrap_or(usize::MAX))
        })
    }

    /// Drops the rows of other refills and writes `header` (one transaction).
    pub(in crate::journal) fn finish_okta_cache_refill(
        &self,
        number: i64,
        header: CacheHeader,
    ) -> Result<(), JournalError> {
        self.call(move |c, t| {
            let mut tx = c.transaction().map_err(db_error(t))?;
            tx.execute("DELETE FROM okta_cache WHERE refill <> $1", &[&number])
                .map_err(db_error(t))?;
            write_header(&mut tx, t, &header)?;
            tx.commit().map_err(db_error(t))
        })
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
        let cols = columns(chunk);
        tx.execute(
            "INSERT INTO okta_cache (okta_id, status, login, last_updated, user_json)
             SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[])
             ON CONFLICT (okta_id) DO UPDATE SET status = EXCLUDED.status,
                 login = EXCLUDED.login, last_updated = EXCLUDED.last_updated,
                 user_json = EXCLUDED.user_json",
            &[
                &cols.ids,
                &cols.statuses,
                &cols.logins,
                &cols.updated,
                &cols.users,
            ],
        )
        .map_err(db_error(t))?;
    }
    Ok(())
}

/// The columns of some rows, as arrays for `unnest`.
struct Columns<'a> {
    ids: Vec<&'a str>,
    statuses: Vec<&'a str>,
    logins: Vec<Option<&'a str>>,
    updated: Vec<Option<&'a str>>,
    users: Vec<&'a str>,
}

fn columns(rows: &[Row]) -> Columns<'_> {
    Columns {
        ids: rows.iter().map(|r| r.okta_id.as_str()).collect(),
        statuses: rows.iter().map(|r| r.status.as_str()).collect(),
        logins: rows.iter().map(|r| r.login.as_deref()).collect(),
        updated: rows.iter().map(|r| r.last_updated.as_deref()).collect(),
        users: rows.iter().map(|r| r.user.as_str()).collect(),
    }
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
