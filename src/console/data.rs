//! The journal reads behind each page, each one short call on the blocking pool
//! ([`Journal::off_thread`]) with a bounded result, and the error a page shows when the
//! journal cannot be read. Reads only; holds no lock a run needs beyond one statement.

use crate::journal::{
    ActionFilter, ActionRecord, HeldPlan, Journal, JournalError, RunId, RunRecord,
};
use crate::model::EmployeeId;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};

/// Runs shown on the overview.
pub const OVERVIEW_RUNS: usize = 10;

/// Held plans shown on the overview.
pub const OVERVIEW_HELD: usize = 10;

/// Past actions shown on a person's page.
pub const PERSON_HISTORY: usize = 50;

/// Runs per page of the Runs page.
pub const RUNS_PER_PAGE: usize = 20;

/// Actions per page of the Runs page.
pub const ACTIONS_PER_PAGE: usize = 100;

/// Why a page could not be made.
#[derive(Debug, thiserror::Error)]
pub enum PageError {
    /// The journal could not be read.
    #[error("the journal cannot be read")]
    Journal(#[from] JournalError),
}

impl IntoResponse for PageError {
    fn into_response(self) -> Response {
        tracing::warn!("console page failed: {}", crate::errors::describe(&self));
        let body = maud::html! {
            (maud::DOCTYPE)
            html lang="en" { head { meta charset="utf-8"; title { "hrsync console" } link rel="stylesheet" href="/console/console.css"; }
                body { main { h1 { "Not available" } p.notice.bad { (crate::errors::describe(&self)) } } } }
        };
        (StatusCode::SERVICE_UNAVAILABLE, Html(body.into_string())).into_response()
    }
}

/// What the overview reads from the journal.
pub struct Overview {
    /// The latest runs, newest first.
    pub runs: Vec<RunRecord>,
    /// The latest held plans with their approval.
    pub held: Vec<HeldPlan>,
}

/// The overview's reads.
pub async fn overview(journal: &Journal) -> Result<Overview, PageError> {
    Ok(journal
        .off_thread("console overview", |j| {
            Ok(Overview {
                runs: j.runs_page(None, OVERVIEW_RUNS)?,
                held: j.held_plans(OVERVIEW_HELD)?,
            })
        })
        .await?)
}

/// A person's latest actions, newest first.
pub async fn history(journal: &Journal, id: EmployeeId) -> Result<Vec<ActionRecord>, PageError> {
    Ok(journal
        .off_thread("console person", move |j| {
            j.actions_for_employee(&id, PERSON_HISTORY)
        })
        .await?)
}

/// What the Runs page reads.
pub struct Runs {
    /// A page of runs, newest first (one more than shown when more follow).
    pub runs: Vec<RunRecord>,
    /// The selected run.
    pub selected: Option<RunRecord>,
    /// A page of its actions (one more than shown when more follow).
    pub actions: Vec<ActionRecord>,
}

/// The Runs page's reads: runs before `before`, and `filter`'s page of actions of the run
/// it names (the newest run when `None`).
pub async fn runs(
    journal: &Journal,
    before: Option<RunId>,
    selected: Option<RunId>,
    filter: ActionFilter,
) -> Result<Runs, PageError> {
    Ok(journal
        .off_thread("console runs", move |j| {
            let runs = j.runs_page(before, RUNS_PER_PAGE + 1)?;
            let selected = match selected {
                Some(id) => j.run(id)?,
                None => j.runs_page(None, 1)?.into_iter().next(),
            };
            let actions = match &selected {
                Some(run) => j.actions_page(&ActionFilter {
                    run: run.id,
                    limit: ACTIONS_PER_PAGE + 1,
                    ..filter
                })?,
                None => Vec::new(),
            };
            Ok(Runs {
                runs,
                selected,
                actions,
            })
        })
        .await?)
}
