//! Paged reads for the web console: a page of runs, a page of one run's actions filtered by
//! kind and outcome (keyset paging by action id, served by the version-6 indexes), and the
//! held plans with the state of their approval. Every call is bounded by its `limit`; reads
//! never change anything.

use super::records::{ACTION_COLUMNS, RUN_COLUMNS, action_from_row, parse_instant, run_from_row};
use super::{ActionId, ActionRecord, Journal, JournalError, RunId, RunRecord};
use chrono::{DateTime, Utc};
use serde::Serialize;

/// Which of one run's actions to read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ActionFilter {
    /// The run.
    pub run: RunId,
    /// Only this kind (`create`, `deactivate`, …).
    pub kind: Option<String>,
    /// Only this outcome (`applied`, `failed`, `skipped`, `pending`, `unknown`).
    pub outcome: Option<String>,
    /// Only actions after this one (the last of the previous page).
    pub after: Option<ActionId>,
    /// Most actions returned.
    pub limit: usize,
}

/// A plan a blocked run held back, and what became of its approval.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct HeldPlan {
    /// The plan id `hrsync approve` takes.
    pub plan_id: String,
    /// The first run that held it.
    pub first_run: RunId,
    /// When that run recorded it.
    pub recorded_at: DateTime<Utc>,
    /// What it holds (`3 held: 2 deactivate, 1 create`).
    pub summary: String,
    /// `open` (approved, waiting for a run), `used`, `stale`, or `None` (not approved).
    pub approval: Option<String>,
}

impl Journal {
    /// Up to `limit` runs older than `before` (all when `None`), newest first.
    pub fn runs_page(
        &self,
        before: Option<RunId>,
        limit: usize,
    ) -> Result<Vec<RunRecord>, JournalError> {
        if let Some(pg) = self.pg() {
            return pg.runs_page(before, limit);
        }
        let sql = format!("SELECT {RUN_COLUMNS} FROM runs WHERE id < ?1 ORDER BY id DESC LIMIT ?2");
        self.select(
            &sql,
            rusqlite::params![before.map_or(i64::MAX, |b| b.0), sql_limit(limit)],
            |r| run_from_row(r),
        )
    }

    /// One page of a run's actions, in intent order.
    pub fn actions_page(&self, filter: &ActionFilter) -> Result<Vec<ActionRecord>, JournalError> {
        if let Some(pg) = self.pg() {
            return pg.actions_page(filter);
        }
        let (sql, values) = actions_page_sql(filter, "?");
        let params = rusqlite::params_from_iter(values.iter().map(|v| match v {
            Value::Int(i) => rusqlite::types::Value::Integer(*i),
            Value::Text(t) => rusqlite::types::Value::Text(t.clone()),
        }));
        self.select(&sql, params, |r| action_from_row(r))
    }

    /// The `limit` most recently recorded held plans, newest first, with their approval.
    pub fn held_plans(&self, limit: usize) -> Result<Vec<HeldPlan>, JournalError> {
        if let Some(pg) = self.pg() {
            return pg.held_plans(limit);
        }
        self.select(
            HELD_PLANS_SQLITE,
            [sql_limit(limit)],
            |r| -> Result<HeldPlan, JournalError> {
                Ok(HeldPlan {
                    plan_id: r.get(0)?,
                    first_run: RunId(r.get(1)?),
                    recorded_at: parse_instant("held_plans.recorded_at", &r.get::<_, String>(2)?)?,
                    summary: r.get(3)?,
                    approval: r.get(4)?,
                })
            },
        )
    }
}

/// The held plans with their approval state; `?1`/`$1` is the limit.
const HELD_PLANS_SQLITE: &str = "SELECT h.plan_id, h.first_run, h.recorded_at, h.summary, a.state
       FROM held_plans h LEFT JOIN approvals a ON a.plan_id = h.plan_id
      ORDER BY h.recorded_at DESC, h.plan_id LIMIT ?1";

/// [`HELD_PLANS_SQLITE`] for PostgreSQL.
pub(super) const HELD_PLANS_PG: &str =
    "SELECT h.plan_id, h.first_run, h.recorded_at, h.summary, a.state
       FROM held_plans h LEFT JOIN approvals a ON a.plan_id = h.plan_id
      ORDER BY h.recorded_at DESC, h.plan_id LIMIT $1";

/// A statement parameter of [`actions_page_sql`].
pub(super) enum Value {
    /// An integer.
    Int(i64),
    /// A text.
    Text(String),
}

/// The statement of [`Journal::actions_page`] with only the conditions the filter sets (so
/// the planner picks the index that serves it), placeholders numbered with `mark` (`?` for
/// SQLite, `$` for PostgreSQL), and its parameters.
pub(super) fn actions_page_sql(filter: &ActionFilter, mark: &str) -> (String, Vec<Value>) {
    let mut values = vec![Value::Int(filter.run.0)];
    let mut sql = format!("SELECT {ACTION_COLUMNS} FROM actions WHERE run_id = {mark}1");
    let conditions = [
        ("kind =", filter.kind.clone().map(Value::Text)),
        ("outcome =", filter.outcome.clone().map(Value::Text)),
        ("id >", filter.after.map(|a| Value::Int(a.0))),
    ];
    for (test, value) in conditions {
        if let Some(value) = value {
            values.push(value);
            sql.push_str(&format!(" AND {test} {mark}{}", values.len()));
        }
    }
    values.push(Value::Int(sql_limit(filter.limit)));
    sql.push_str(&format!(" ORDER BY id LIMIT {mark}{}", values.len()));
    (sql, values)
}

fn sql_limit(limit: usize) -> i64 {
    i64::try_from(limit).unwrap_or(i64::MAX)
}
