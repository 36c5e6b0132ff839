//! `GET /console/people/{id}`: one person — HR phase and dates, the linked Okta user and its
//! status, what the last run planned for them and what the next run does about it, when the
//! next time-driven action falls due (in their zone and in UTC), and their actions in the
//! journal with outcomes and Okta request ids. The same facts `hrsync explain` prints, read
//! from the last run's digest instead of planned again.

use super::{no_digest, signed_page};
use crate::console::layout::{self, Nav, badge, local, utc, utc_seconds};
use crate::console::{Console, Latest, SignedIn, data};
use crate::journal::{ActionRecord, ActionState};
use crate::model::EmployeeId;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use maud::{Markup, html};

/// `GET /console/people/{id}`.
pub async fn page(
    State(console): State<Console>,
    SignedIn(reader): SignedIn,
    Path(id): Path<String>,
) -> Result<Response, data::PageError> {
    let Ok(id) = EmployeeId::parse(&id) else {
        let body = layout::notice("bad", "That is not an employee id.");
        let page = signed_page(&console, &reader, "Person", Nav::People, body);
        return Ok((StatusCode::NOT_FOUND, page).into_response());
    };
    let history = data::history(console.journal(), id.clone()).await?;
    let latest = console.latest();
    let title = latest
        .as_ref()
        .and_then(|l| l.employee(id.as_str()))
        .map(|(_, p)| p.name.clone())
        .filter(|n| !n.is_empty())
        .unwrap_or_else(|| format!("Employee {}", id.as_str()));
    let body = html! {
        @match &latest {
            Some(latest) => (now(latest, id.as_str(), &history)),
            None => (no_digest()),
        }
        section {
            h2 { "History" }
            (history_table(&history))
        }
    };
    Ok(signed_page(&console, &reader, &title, Nav::People, body))
}

/// What the digest says of the person.
fn now(latest: &Latest, id: &str, history: &[ActionRecord]) -> Markup {
    let employee = latest.employee(id);
    let linked = latest.linked_users(id);
    let planned = latest.actions_for(id);
    let findings = latest.findings_for(id);
    let due = latest.due_for(id);
    html! {
        section.cards {
            div.card {
                h2 { "HR" }
                @match employee {
                    None => (layout::notice("plain", "Not in the last HR snapshot.")),
                    Some((e, p)) => {
                        @let facts = crate::plan::Facts::of(e, &latest.policy, latest.at);
                        @let zone = latest.zone_of(e);
                        dl {
                            dt { "Employee id" } dd { code { (e.id.as_str()) } }
                            @if !p.email.is_empty() { dt { "Email" } dd { (p.email) } }
                            dt { "Phase" } dd.phase { (layout::phase(&facts)) " (HR status " (e.raw_status) ")" }
                            dt { "Start date" } dd { (e.start_date.map(|d| d.to_string()).unwrap_or_else(|| "-".into())) }
                            dt { "Termination date" } dd { (e.termination_date.map(|d| d.to_string()).unwrap_or_else(|| "-".into())) }
                            dt { "Zone" } dd { (zone.name()) @if e.timezone.is_none() { " (default)" } }
                            @if let Some(t) = facts.activation {
                                dt { "Activation moment" } dd.activation { (local(t, zone)) " = " (utc(t)) }
                            }
                            @if let Some(t) = facts.termination {
                                dt { "Termination moment" } dd.termination { (local(t, zone)) " = " (utc(t)) }
                            }
                        }
                    }
                }
            }
            div.card {
                h2 { "Okta" }
                @if linked.is_empty() {
                    (layout::notice("plain", "No Okta user carries this employee id."))
                }
                @for u in &linked {
                    dl {
                        dt { "User" } dd { code { (u.id.as_str()) } }
                        dt { "Status" } dd.okta-status { (u.status) }
                        dt { "Login" } dd { (u.login().unwrap_or("-")) }
                    }
                }
            }
        }
        section {
            h2 { "Next time-driven action" }
            @match due.first() {
                Some(d) => p.next-due {
                    strong { (d.action) } " at " (d.local) " = " (utc(d.at)) " (" (d.reason.code()) ")"
                },
                None => (layout::notice("plain", &format!("Nothing falls due by date before {} (only an HR change would change this).", utc(latest.horizon)))),
            }
        }
        section {
            h2 { "Last run's plan (run " (latest.run_id) ", " (utc_seconds(latest.at)) ")" }
            @if planned.is_empty() && findings.is_empty() {
                (layout::notice("plain", "Nothing to do: Okta matched HR."))
            }
            ul.plan {
                @for a in &planned {
                    @let kind = a.action.kind().to_string();
                    @let done = history.iter().find(|h| h.run_id == latest.run_id && h.kind == kind);
                    li {
                        strong { (kind) } " because " (a.reason.code()) " "
                        span.small { (crate::plan::render::describe_changes(&a.action)) }
                        " → "
                        @match done.map(|h| &h.outcome) {
                            Some(ActionState::Applied { .. }) => (badge("applied")),
                            Some(other) => { (badge(&other.label())) " (the next run tries again)" },
                            None => "not sent yet (the next run does it)",
                        }
                    }
                }
                @for f in &findings {
                    li { (badge(&format!("{:?}", f.kind).to_lowercase())) " " (f.detail) }
                }
            }
        }
    }
}

/// The person's journaled actions.
fn history_table(history: &[ActionRecord]) -> Markup {
    if history.is_empty() {
        return layout::notice("plain", "No action recorded for this person.");
    }
    html! {
        div.scroll { table.history {
            thead { tr { th { "When" } th { "Run" } th { "Action" } th { "Reason" } th { "Outcome" } th { "Okta request id" } th { "Detail" } } }
            tbody {
                @for a in history {
                    @let (request, detail) = outcome_detail(&a.outcome);
                    tr {
                        td { (utc_seconds(a.intended_at)) }
                        td { a href={ "/console/runs?run=" (a.run_id) } { "#" (a.run_id) } }
                        td { (a.kind) }
                        td { (a.reason) }
                        td { (badge(&a.outcome.label())) }
                        td.request-id { code { (request.unwrap_or("-")) } }
                        td.small { (detail) }
                    }
                }
            }
        } }
    }
}

/// The request id and the message of an outcome.
pub fn outcome_detail(state: &ActionState) -> (Option<&str>, String) {
    match state {
        ActionState::Applied { request_id } => (request_id.as_deref(), String::new()),
        ActionState::Failed {
            code,
            request_id,
            message,
        } => (
            request_id.as_deref(),
            match code {
                Some(code) => format!("{code}: {message}"),
                None => message.clone(),
            },
        ),
        ActionState::Skipped { reason } => (None, reason.clone()),
        ActionState::Unknown { note } => (None, note.clone()),
        ActionState::Pending => (None, String::new()),
    }
}
