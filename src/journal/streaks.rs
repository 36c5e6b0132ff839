//! Failure streaks for the per-action quarantine: per (subject, action kind), how many runs
//! in a row the action failed with the same permanent Okta error and the same inputs. Written
//! after each applied run from its outcomes; read before planning; cleared by a success, by
//! other inputs or another error (the streak restarts at one), and by `hrsync retry`.

use super::records::{format_instant, parse_instant};
use super::{Journal, JournalError};
use crate::plan::quarantine::FailureStreak;
use chrono::{DateTime, Utc};
use rusqlite::params;

/// What one action's outcome means for its streak.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StreakUpdate {
    /// Okta accepted it: the streak ends.
    Succeeded {
        /// The action's subject (employee id, else Okta user id).
        subject: String,
        /// Its kind.
        kind: String,
    },
    /// Okta refused it with a permanent error: the streak grows, or restarts at one when
    /// the inputs or the error differ from the last failure.
    FailedPermanently {
        /// The action's subject.
        subject: String,
        /// Its kind.
        kind: String,
        /// Its inputs' fingerprint.
        fingerprint: String,
        /// Okta's `errorCode`, if any.
        error_code: Option<String>,
        /// The error as recorded for the action.
        message: String,
    },
}

impl Journal {
    /// Every open streak.
    pub fn failure_streaks(&self) -> Result<Vec<FailureStreak>, JournalError> {
        if let Some(pg) = self.pg() {
            return pg.failure_streaks();
        }
        let conn = self.conn();
        let mut statement = conn.prepare_cached(
            "SELECT subject, kind, fingerprint, error_code, message, failures,
                    first_failed_at, last_failed_at
             FROM failure_streaks ORDER BY subject, kind",
        )?;
        let rows = statement.query_map([], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, Option<String>>(3)?,
                r.get::<_, String>(4)?,
                r.get::<_, i64>(5)?,
                r.get::<_, String>(6)?,
                r.get::<_, String>(7)?,
            ))
        })?;
        let mut streaks = Vec::new();
        for row in rows {
            let (subject, kind, fingerprint, error_code, message, failures, first, last) = row?;
            streaks.push(FailureStreak {
                subject,
                kind,
                fingerprint,
                error_code,
                message,
                failures: u32::try_from(failures).unwrap_or(u32::MAX),
                first_failed_at: parse_instant("failure_streaks.first_failed_at", &first)?,
                last_failed_at: parse_instant("failure_streaks.last_failed_at", &last)?,
            });
        }
        Ok(streaks)
    }

    /// Applies one run's outcomes to the streaks, in one transaction.
    pub fn update_failure_streaks(
        &self,
        updates: &[StreakUpdate],
        at: DateTime<Utc>,
    ) -> Result<(), JournalError> {
        if let Some(pg) = self.pg() {
            return pg.update_failure_streaks(updates, at);
        }
        if updates.is_empty() {
            return Ok(());
        }
        let mut conn = self.conn();
        let tx = conn.transaction()?;
        {
            let mut end =
                tx.prepare_cached("DELETE FROM failure_streaks WHERE subject = ?1 AND kind = ?2")?;
            // Same inputs and error: one more run in a row; else the streak restarts at one.
            let mut grow = tx.prepare_cached(
                "INSERT INTO failure_streaks (subject, kind, fingerprint, error_code, message,
                                              failures, first_failed_at, last_failed_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, 1, ?6, ?6)
                 ON CONFLICT (subject, kind) DO UPDATE SET
                    failures = CASE WHEN fingerprint = excluded.fingerprint
                                     AND error_code IS excluded.error_code
                                    THEN failures + 1 ELSE 1 END,
                    first_failed_at = CASE WHEN fingerprint = excluded.fingerprint
                                            AND error_code IS excluded.error_code
                                           THEN first_failed_at ELSE excluded.first_failed_at END,
                    fingerprint = excluded.fingerprint,
                    error_code = excluded.error_code,
                    message = excluded.message,
                    last_failed_at = excluded.last_failed_at",
            )?;
            let when = format_instant(at);
            for update in updates {
                match update {
                    StreakUpdate::Succeeded { subject, kind } => {
                        end.execute(params![subject, kind])?;
                    }
                    StreakUpdate::FailedPermanently {
                        subject,
                        kind,
                        fingerprint,
                        error_code,
                        message,
                    } => {
                        grow.execute(params![
                            subject,
                            kind,
                            fingerprint,
                            error_code,
                            message,
                            when
                        ])?;
                    }
                }
            }
        }
        tx.commit()?;
        Ok(())
    }

    /// Ends every streak of one subject (`hrsync retry`); returns how many there were.
    pub fn clear_failure_streaks(&self, subject: &str) -> Result<usize, JournalError> {
        self.unsettle()?;
        if let Some(pg) = self.pg() {
            return pg.clear_failure_streaks(subject);
        }
        Ok(self.conn().execute(
            "DELETE FROM failure_streaks WHERE subject = ?1",
            params![subject],
        )?)
    }
}
