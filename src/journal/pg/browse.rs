//! The console's paged reads on the PostgreSQL journal: the same statements and meaning as
//! the SQLite journal's `browse`.

use super::PgJournal;
use crate::journal::browse::{ActionFilter, HELD_PLANS_PG, HeldPlan, Value, actions_page_sql};
use crate::journal::records::{
    PG_RUN_COLUMNS, RowRead, action_from_row, parse_instant, run_from_row,
};
use crate::journal::{ActionRecord, JournalError, RunId, RunRecord};

type Params = Vec<Box<dyn postgres::types::ToSql + Sync + Send>>;

impl PgJournal {
    pub(in crate::journal) fn runs_page(
        &self,
        before: Option<RunId>,
        limit: usize,
    ) -> Result<Vec<RunRecord>, JournalError> {
        let sql =
            format!("SELECT {PG_RUN_COLUMNS} FROM runs WHERE id < $1 ORDER BY id DESC LIMIT $2");
        let params: Params = vec![
            Box::new(before.map_or(i64::MAX, |b| b.0)),
            Box::new(i64::try_from(limit).unwrap_or(i64::MAX)),
        ];
        self.select(sql, params, run_from_row)
    }

    pub(in crate::journal) fn actions_page(
        &self,
        filter: &ActionFilter,
    ) -> Result<Vec<ActionRecord>, JournalError> {
        let (sql, values) = actions_page_sql(filter, "$");
        let params: Params = values
            .into_iter()
            .map(|v| -> Box<dyn postgres::types::ToSql + Sync + Send> {
                match v {
                    Value::Int(i) => Box::new(i),
                    Value::Text(t) => Box::new(t),
                }
            })
            .collect();
        self.select(sql, params, action_from_row)
    }

    pub(in crate::journal) fn held_plans(
        &self,
        limit: usize,
    ) -> Result<Vec<HeldPlan>, JournalError> {
        let params: Params = vec![Box::new(i64::try_from(limit).unwrap_or(i64::MAX))];
        self.select(HELD_PLANS_PG.to_owned(), params, |r| {
            Ok(HeldPlan {
                plan_id: r.text(0)?,
                first_run: RunId(r.int(1)?),
                recorded_at: parse_instant("held_plans.recorded_at", &r.text(2)?)?,
                summary: r.text(3)?,
                approval: r.opt_text(4)?,
            })
        })
    }
}
