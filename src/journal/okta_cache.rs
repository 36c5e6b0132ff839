//! The Okta user cache: per user its id, status, login, `lastUpdated` and the user as hrsync's
//! model with only the profile attributes the planner reads (the caller reduces it), plus one
//! header row (the org URL, the mapping-and-anchor fingerprint, the watermark, the last full
//! pass and why the next run must be a full pass, if it must). A full pass refills it page by
//! page as it lists (`refill`); an incremental read and hrsync's own writes update it; each
//! call is one transaction.
//!
//! It must not decide whether a cache may be used (`sync::reads` does), nor keep anything
//! but what Okta answered: it is a copy of Okta, never a record of intent.

use super::records::{format_instant, parse_instant};
use super::{Journal, JournalError, RunId};
use crate::model::{OktaUser, OktaUserId};
use crate::plan::Pass;
use chrono::{DateTime, Utc};
use rusqlite::{OptionalExtension, params};

mod refill;
pub use refill::CacheRefill;

/// The cache's header: what the cached users are a copy of, and how fresh.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CacheHeader {
    /// The org URL the users were read from.
    pub org_url: String,
    /// A fingerprint of the mapping and the anchor attribute the users were reduced for.
    pub fingerprint: String,
    /// The next incremental read lists users with `lastUpdated` after this instant (Okta's
    /// clock) minus the overlap; `None` before any listing gave one.
    pub watermark: Option<DateTime<Utc>>,
    /// When the last full pass ran (the run's instant).
    pub last_full_pass: DateTime<Utc>,
    /// Why the next run must be a full pass (a user hrsync wrote was gone from Okta), if it
    /// must.
    pub full_pass_wanted: Option<String>,
}

/// Changes to the cache from an incremental read or from hrsync's own writes.
#[derive(Debug, Clone, Default)]
pub struct CacheUpdate {
    /// Users to insert or replace (already reduced).
    pub upserts: Vec<OktaUser>,
    /// Users Okta says no longer exist.
    pub removals: Vec<OktaUserId>,
}

/// One cached user as stored: the columns besides the JSON are for reading by eye and SQL.
pub(super) struct Row {
    pub(super) okta_id: String,
    pub(super) status: String,
    pub(super) login: Option<String>,
    pub(super) last_updated: Option<String>,
    pub(super) user: String,
}

impl Row {
    pub(super) fn of(user: &OktaUser) -> Result<Row, JournalError> {
        Ok(Row {
            okta_id: user.id.as_str().to_owned(),
            status: user.status.as_str().to_owned(),
            login: user.login().map(str::to_owned),
            last_updated: user.last_updated.map(format_instant),
            user: serde_json::to_string(user)?,
        })
    }
}

/// Reads a stored user back.
pub(super) fn user_of(json: &str) -> Result<OktaUser, JournalError> {
    serde_json::from_str(json).map_err(|_| JournalError::Corrupt {
        column: "okta_cache.user_json",
        value: json.chars().take(80).collect(),
    })
}

/// Reads the header columns (`org_url, fingerprint, watermark, last_full_pass,
/// full_pass_wanted`).
pub(super) fn header_of(
    org_url: String,
    fingerprint: String,
    watermark: Option<String>,
    last_full_pass: &str,
    full_pass_wanted: Option<String>,
) -> Result<CacheHeader, JournalError> {
    Ok(CacheHeader {
        org_url,
        fingerprint,
        watermark: watermark
            .map(|w| parse_instant("okta_cache_header.watermark", &w))
            .transpose()?,
        last_full_pass: parse_instant("okta_cache_header.last_full_pass", last_full_pass)?,
        full_pass_wanted,
    })
}

impl Journal {
    /// The cache's header, if there is a cache.
    pub fn okta_cache_header(&self) -> Result<Option<CacheHeader>, JournalError> {
        if let Some(pg) = self.pg() {
            return pg.okta_cache_header();
        }
        let conn = self.conn();
        let row = conn
            .query_row(
                "SELECT org_url, fingerprint, watermark, last_full_pass, full_pass_wanted
                   FROM okta_cache_header WHERE id = 1",
                [],
                |r| {
                    Ok((
                        r.get::<_, String>(0)?,
                        r.get::<_, String>(1)?,
                        r.get::<_, Option<String>>(2)?,
                        r.get::<_, String>(3)?,
                        r.get::<_, Option<String>>(4)?,
                    ))
                },
            )
            .optional()?;
        row.map(|(o, f, w, l, x)| header_of(o, f, w, &l, x))
            .transpose()
    }

    /// Every cached user, in id order.
    pub fn okta_cache_users(&self) -> Result<Vec<OktaUser>, JournalError> {
        if let Some(pg) = self.pg() {
            return pg.okta_cache_users();
        }
        let conn = self.conn();
        let mut statement =
            conn.prepare_cached("SELECT user_json FROM okta_cache ORDER BY okta_id")?;
        let mut rows = statement.query([])?;
        let mut out = Vec::new();
        while let Some(row) = rows.next()? {
            let json: String = row.get(0)?;
            out.push(user_of(&json)?);
        }
        Ok(out)
    }

    /// The cached users with these ids (those cached; in id order): a few rows, to compare
    /// an incremental listing with the cache without reading all of it.
    pub fn okta_cache_users_by_id(
        &self,
        ids: &[OktaUserId],
    ) -> Result<Vec<OktaUser>, JournalError> {
        let ids: Vec<String> = ids.iter().map(|id| id.as_str().to_owned()).collect();
        if let Some(pg) = self.pg() {
            return pg.okta_cache_users_by_id(ids);
        }
        let conn = self.conn();
        let mut statement =
            conn.prepare_cached("SELECT user_json FROM okta_cache WHERE okta_id = ?1")?;
        let mut out = Vec::new();
        for id in &ids {
            let json: Option<String> = statement.query_row(params![id], |r| r.get(0)).optional()?;
            if let Some(json) = json {
                out.push(user_of(&json)?);
            }
        }
        out.sort_by(|a, b| a.id.cmp(&b.id));
        Ok(out)
    }

    /// The `lastUpdated` of every cached user that has one, sorted (to split a full pass
    /// into listings of about equal size).
    pub fn okta_cache_last_updated(&self) -> Result<Vec<DateTime<Utc>>, JournalError> {
        let texts = if let Some(pg) = self.pg() {
            pg.okta_cache_last_updated()?
        } else {
            let conn = self.conn();
            let mut statement = conn.prepare_cached(
                "SELECT last_updated FROM okta_cache WHERE last_updated IS NOT NULL",
            )?;
            let rows = statement.query_map([], |r| r.get::<_, String>(0))?;
            rows.collect::<Result<Vec<_>, _>>()?
        };
        let mut out = texts
            .iter()
            .map(|t| parse_instant("okta_cache.last_updated", t))
            .collect::<Result<Vec<_>, _>>()?;
        out.sort_unstable();
        Ok(out)
    }

    /// Updates the cache in place (an incremental read, hrsync's own writes): upserts and
    /// removals, then the header.
    pub fn update_okta_cache(
        &self,
        header: &CacheHeader,
        update: &CacheUpdate,
    ) -> Result<(), JournalError> {
        let rows = update
            .upserts
            .iter()
            .map(Row::of)
            .collect::<Result<Vec<_>, _>>()?;
        let removals: Vec<String> = update
            .removals
            .iter()
            .map(|id| id.as_str().to_owned())
            .collect();
        if let Some(pg) = self.pg() {
            return pg.write_okta_cache(header.clone(), rows, removals);
        }
        let mut conn = self.conn();
        let tx = conn.transaction()?;
        write_rows(&tx, &rows, &removals)?;
        write_header(&tx, header)?;
        tx.commit()?;
        Ok(())
    }

    /// Drops the cache (header and users): the next run is a full pass.
    pub fn clear_okta_cache(&self) -> Result<(), JournalError> {
        self.unsettle()?;
        if let Some(pg) = self.pg() {
            return pg.clear_okta_cache();
        }
        self.conn()
            .execute_batch("DELETE FROM okta_cache; DELETE FROM okta_cache_header;")?;
        Ok(())
    }

    /// Records how the run read Okta: the kind of pass and how many users it listed.
    pub fn record_read(
        &self,
        run: RunId,
        pass: Pass,
        users_read: usize,
    ) -> Result<(), JournalError> {
        let read = super::write::clamp(users_read as u64);
        if let Some(pg) = self.pg() {
            return pg.record_read(run, pass.as_str(), read);
        }
        self.conn().execute(
            "UPDATE runs SET pass = ?2, users_read = ?3 WHERE id = ?1",
            params![run.0, pass.as_str(), read],
        )?;
        Ok(())
    }
}

/// Inserts or replaces one cached user.
const UPSERT: &str =
    "INSERT OR REPLACE INTO okta_cache (okta_id, status, login, last_updated, user_json)
     VALUES (?1, ?2, ?3, ?4, ?5)";

fn upsert_row(upsert: &mut rusqlite::CachedStatement<'_>, r: &Row) -> Result<(), JournalError> {
    upsert.execute(params![
        r.okta_id,
        r.status,
        r.login,
        r.last_updated,
        r.user
    ])?;
    Ok(())
}

fn write_rows(
    tx: &rusqlite::Transaction<'_>,
    rows: &[Row],
    removals: &[String],
) -> Result<(), JournalError> {
    let mut upsert = tx.prepare_cached(UPSERT)?;
    for r in rows {
        upsert_row(&mut upsert, r)?;
    }
    let mut remove = tx.prepare_cached("DELETE FROM okta_cache WHERE okta_id = ?1")?;
    for id in removals {
        remove.execute(params![id])?;
    }
    Ok(())
}

fn write_header(tx: &rusqlite::Transaction<'_>, h: &CacheHeader) -> Result<(), JournalError> {
    tx.execute(
        "INSERT OR REPLACE INTO okta_cache_header
             (id, org_url, fingerprint, watermark, last_full_pass, full_pass_wanted)
         VALUES (1, ?1, ?2, ?3, ?4, ?5)",
        params![
            h.org_url,
            h.fingerprint,
            h.watermark.map(format_instant),
            format_instant(h.last_full_pass),
            h.full_pass_wanted,
        ],
    )?;
    Ok(())
}
