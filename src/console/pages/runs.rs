//! `GET /console/runs?run=ID&kind=…&outcome=…`: the runs, a page at a time, and one run's
//! actions filtered by kind and outcome (keyset paging, 100 a page), with their Okta request
//! ids and messages.

use super::signed_page;
use crate::console::layout::{self, Nav, badge, duration, utc_seconds};
use crate::console::pages::person::outcome_detail;
use crate::console::{Console, SignedIn, data};
use crate::journal::{ActionFilter, ActionId, RunId};
use crate::plan::ActionKind;
use axum::extract::{Query, State};
use axum::response::Response;
use maud::{Markup, html};
use serde::Deserialize;

/// The kinds the filter offers: every action kind, by its stable name.
fn kinds() -> [&'static str; ActionKind::ALL.len()] {
    ActionKind::ALL.map(ActionKind::as_str)
}

/// The outcomes the filter offers.
const OUTCOMES: &[&str] = &["applied", "failed", "skipped", "pending", "unknown"];

/// The query string.
#[derive(Deserialize, Default)]
pub struct Select {
    run: Option<i64>,
    before: Option<i64>,
    after: Option<i64>,
    #[serde(default)]
    kind: String,
    #[serde(default)]
    outcome: String,
}

/// `GET /console/runs`.
pub async fn page(
    State(console): State<Console>,
    SignedIn(reader): SignedIn,
    Query(select): Query<Select>,
) -> Result<Response, data::PageError> {
    let kind = kinds()
        .iter()
        .find(|k| **k == select.kind)
        .map(|k| (*k).to_owned());
    let outcome = OUTCOMES
        .iter()
        .find(|o| **o == select.outcome)
        .map(|o| (*o).to_owned());
    let filter = ActionFilter {
        run: RunId(select.run.unwrap_or(0)),
        kind: kind.clone(),
        outcome: outcome.clone(),
        after: select.after.map(ActionId),
        limit: data::ACTIONS_PER_PAGE,
    };
    let read = data::runs(
        console.journal(),
        select.before.map(RunId),
        select.run.map(RunId),
        filter,
    )
    .await?;
    let more_runs = read.runs.len() > data::RUNS_PER_PAGE;
    let runs = &read.runs[..read.runs.len().min(data::RUNS_PER_PAGE)];
    let body = html! {
        @if let Some(run) = &read.selected {
            section {
                h2 { "Run " (run.id) " " (badge(run.status.as_str())) }
                p.small {
                    (utc_seconds(run.started_at)) ", " (run.trigger) ", " (duration(run.started_at, run.ended_at)) ": "
                    (crate::sync::summary::summary_line(&run.counts, run.okta_requests))
                }
                @if let Some(error) = &run.error { (layout::notice("bad", error)) }
                (filter_form(run.id, kind.as_deref(), outcome.as_deref()))
                (actions(&read.actions, run.id, kind.as_deref(), outcome.as_deref()))
            }
        }
        section {
            h2 { "Runs" }
            (super::overview::runs_table(runs))
            nav.pager {
                @if more_runs { @if let Some(last) = runs.last() { a href={ "/console/runs?before=" (last.id) } { "older →" } } }
            }
        }
    };
    Ok(signed_page(&console, &reader, "Runs", Nav::Runs, body))
}

fn filter_form(run: RunId, kind: Option<&str>, outcome: Option<&str>) -> Markup {
    let select = |name: &str, options: &[&str], current: Option<&str>| {
        html! {
            select id=(name) name=(name) {
                option value="" { "all" }
                @for o in options {
                    @if current == Some(*o) { option value=(o) selected { (o) } } @else { option value=(o) { (o) } }
                }
            }
        }
    };
    html! {
        form.filter method="get" action="/console/runs" {
            input type="hidden" name="run" value=(run);
            label for="kind" { "Kind" } (select("kind", &kinds(), kind))
            label for="outcome" { "Outcome" } (select("outcome", OUTCOMES, outcome))
            button type="submit" { "Filter" }
        }
    }
}

fn actions(
    all: &[crate::journal::ActionRecord],
    run: RunId,
    kind: Option<&str>,
    outcome: Option<&str>,
) -> Markup {
    if all.is_empty() {
        return layout::notice("plain", "No action of this run matches.");
    }
    let shown = &all[..all.len().min(data::ACTIONS_PER_PAGE)];
    html! {
        div.scroll { table.actions {
            thead { tr { th { "Action" } th { "Employee" } th { "Login" } th { "Kind" } th { "Reason" } th { "Outcome" } th { "Okta request id" } th { "Detail" } } }
            tbody {
                @for a in shown {
                    @let (request, detail) = outcome_detail(&a.outcome);
                    tr {
                        td { (a.id) }
                        td { @if let Some(e) = &a.employee_id { a href={ "/console/people/" (e.as_str()) } { (e.as_str()) } } @else { "-" } }
                        td { (a.login.as_deref().unwrap_or("-")) }
                        td { (a.kind) }
                        td { (a.reason) }
                        td { (badge(&a.outcome.label())) }
                        td.request-id { code { (request.unwrap_or("-")) } }
                        td.small { (detail) }
                    }
                }
            }
        } }
        @if all.len() > data::ACTIONS_PER_PAGE {
            @if let Some(last) = shown.last() {
                nav.pager { a href={ "/console/runs?run=" (run) "&kind=" (kind.unwrap_or("")) "&outcome=" (outcome.unwrap_or("")) "&after=" (last.id) } { "next actions →" } }
            }
        }
    }
}
